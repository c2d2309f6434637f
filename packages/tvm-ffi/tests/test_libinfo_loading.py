"""Finding and loading shared libraries: libinfo.load_lib_ctypes / load_lib_module, the
search through package metadata and extra_lib_paths, load_module(keep_module_alive=),
Module.get_function_metadata / get_function_doc."""

import ctypes
import gc
import os
import shutil
import subprocess
import sys
import weakref
from pathlib import Path

import pytest

import tvm_ffi
from tvm_ffi import libinfo

from conftest import CPP_DIR, build_fixture_library

SO = ".dylib" if sys.platform.startswith("darwin") else ".so"


@pytest.fixture(scope="module")
def documented_lib(tmp_path_factory):
    out = tmp_path_factory.mktemp("documented") / ("documented" + SO)
    return build_fixture_library(CPP_DIR / "documented_lib.cc", out)


@pytest.fixture
def fake_dist(tmp_path, monkeypatch, documented_lib):
    """An installed distribution ``fake-tvm-dist`` whose RECORD lists ``libfake_record`` (a
    copy of the documented library) and ``libgone_record`` (listed, but not on disk)."""
    site = tmp_path / "site"
    libdir = site / "fake_tvm_pkg" / "lib"
    libdir.mkdir(parents=True)
    shutil.copyfile(documented_lib, libdir / ("libfake_record" + SO))
    info = site / "fake_tvm_dist-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: fake-tvm-dist\nVersion: 1.0\n")
    (info / "RECORD").write_text(
        "fake_tvm_pkg/__init__.py,,\n"
        f"fake_tvm_pkg/lib/libfake_record{SO},,\n"
        f"fake_tvm_pkg/lib/libgone_record{SO},,\n"
        "fake_tvm_dist-1.0.dist-info/RECORD,,\n"
    )
    monkeypatch.syspath_prepend(str(site))
    return libdir


def _use_count(obj):
    return tvm_ffi.get_global_func("testing.object_use_count")(obj)


# ---------------------------------------------------------------------------------------------
# load_lib_ctypes / load_lib_module
# ---------------------------------------------------------------------------------------------
def test_lib_is_the_loaded_core_library():
    assert isinstance(tvm_ffi.LIB, ctypes.CDLL)
    assert "LIB" in tvm_ffi.__all__
    lib = libinfo.load_lib_ctypes("apache-tvm-ffi", "tvm_ffi", "RTLD_GLOBAL")
    assert isinstance(lib, ctypes.CDLL)
    assert os.path.realpath(lib._name) == os.path.realpath(tvm_ffi.LIB._name)
    assert os.path.basename(lib._name) == "libtvm_ffi" + SO
    assert hasattr(lib, "TVMFFIFunctionGetGlobal")
    assert os.path.realpath(libinfo.find_libtvm_ffi()) == os.path.realpath(lib._name)


def test_core_library_found_through_package_metadata():
    # Both the upstream distribution name and this project's find the core library among the
    # installed files, without the fallback directories or the environment.
    for package in ("apache-tvm-ffi", "tvm-ffi"):
        path = libinfo._find_library_by_basename(
            package, "tvm_ffi", use_fallback_build_path=False, use_env_path=False
        )
        assert isinstance(path, Path)
        assert path.is_file()
        assert path.name == "libtvm_ffi" + SO
        assert path.resolve() == Path(tvm_ffi.LIB._name).resolve()


def test_load_lib_module_testing_library():
    mod = libinfo.load_lib_module("apache-tvm-ffi", "tvm_ffi_testing")
    assert isinstance(mod, tvm_ffi.Module)
    assert mod.kind == "library"
    mod2 = libinfo.load_lib_module("tvm-ffi-testing", "tvm_ffi_testing", keep_module_alive=False)
    assert mod2.kind == "library"


def test_record_lookup_of_another_distribution(fake_dist):
    path = libinfo._find_library_by_basename(
        "fake-tvm-dist", "fake_record", use_fallback_build_path=False, use_env_path=False
    )
    assert path == (fake_dist / ("libfake_record" + SO)).resolve()
    lib = libinfo.load_lib_ctypes("fake-tvm-dist", "fake_record", "RTLD_LOCAL")
    assert Path(lib._name) == path
    assert hasattr(lib, "__tvm_ffi_documented")
    mod = libinfo.load_lib_module("fake-tvm-dist", "fake_record", keep_module_alive=False)
    assert mod.documented(40) == 42


def test_record_entry_missing_on_disk_is_skipped(fake_dist):
    # RECORD lists libgone_record but the file is gone: it is not returned (loading it would
    # fail later with a less clear error); the search goes on and reports what it searched.
    with pytest.raises(RuntimeError) as info:
        libinfo._find_library_by_basename(
            "fake-tvm-dist",
            "gone_record",
            [fake_dist],
            use_fallback_build_path=False,
            use_env_path=False,
        )
    msg = str(info.value)
    assert msg.startswith(f"Cannot find library libgone_record{SO}; searched directories:\n")
    assert "  " + str(fake_dist) in msg.splitlines()


def test_extra_lib_paths(tmp_path, documented_lib):
    shutil.copyfile(documented_lib, tmp_path / ("libextra_only" + SO))
    path = libinfo._find_library_by_basename(
        "no-such-distribution",
        "extra_only",
        [tmp_path / "empty", tmp_path],
        use_fallback_build_path=False,
        use_env_path=False,
    )
    assert path == (tmp_path / ("libextra_only" + SO)).resolve()
    lib = libinfo.load_lib_ctypes(
        "no-such-distribution", "extra_only", "RTLD_LOCAL", extra_lib_paths=[tmp_path]
    )
    assert Path(lib._name) == path
    mod = libinfo.load_lib_module(
        "no-such-distribution", "extra_only", keep_module_alive=False, extra_lib_paths=[tmp_path]
    )
    assert mod.bare(7) == 7


def test_env_path_lookup(tmp_path, documented_lib, monkeypatch):
    shutil.copyfile(documented_lib, tmp_path / ("libenv_only" + SO))
    var = "DYLD_LIBRARY_PATH" if sys.platform.startswith("darwin") else "LD_LIBRARY_PATH"
    monkeypatch.setenv(var, "/nonexistent-dir:" + str(tmp_path))
    assert (
        libinfo._find_library_by_basename("x", "env_only")
        == (tmp_path / ("libenv_only" + SO)).resolve()
    )
    with pytest.raises(RuntimeError, match="Cannot find library"):
        libinfo._find_library_by_basename("x", "env_only", use_env_path=False)


def test_missing_library_names_what_was_searched(tmp_path):
    with pytest.raises(RuntimeError) as info:
        libinfo.load_lib_ctypes(
            "no-such-distribution", "no_such_lib_xyz", "RTLD_LOCAL", extra_lib_paths=[tmp_path]
        )
    msg = str(info.value)
    assert msg.startswith(f"Cannot find library libno_such_lib_xyz{SO}; searched directories:\n")
    lines = msg.splitlines()[1:]
    assert lines[0] == "  " + str(tmp_path)
    assert "  " + str(Path(libinfo.__file__).parent / "lib") in lines
    with pytest.raises(RuntimeError, match="^Cannot find library libno_such_lib_xyz"):
        libinfo.load_lib_module("no-such-distribution", "no_such_lib_xyz")


def test_extra_lib_paths_type_errors(tmp_path):
    with pytest.raises(TypeError) as info:
        libinfo.load_lib_ctypes("x", "tvm_ffi", "RTLD_LOCAL", extra_lib_paths=[str(tmp_path)])
    assert str(info.value) == (
        "extra_lib_paths[0] must be a pathlib.Path, got str: %r" % str(tmp_path)
    )
    with pytest.raises(TypeError, match=r"^extra_lib_paths\[1\] must be a pathlib.Path, got int"):
        libinfo.load_lib_module("x", "tvm_ffi", extra_lib_paths=[tmp_path, 3])
    with pytest.raises(TypeError, match="^extra_lib_paths must be a list of pathlib.Path"):
        libinfo.load_lib_ctypes("x", "tvm_ffi", "RTLD_LOCAL", extra_lib_paths=str(tmp_path))
    with pytest.raises(TypeError, match="^extra_lib_paths must be a list of pathlib.Path"):
        libinfo.load_lib_ctypes("x", "tvm_ffi", "RTLD_LOCAL", extra_lib_paths=5)


def test_argument_type_errors():
    with pytest.raises(TypeError, match="^package must be a str, got NoneType"):
        libinfo.load_lib_ctypes(None, "tvm_ffi", "RTLD_GLOBAL")
    with pytest.raises(TypeError, match="^target_name must be a str, got bytes"):
        libinfo.load_lib_module("apache-tvm-ffi", b"tvm_ffi")
    with pytest.raises(ValueError, match="^target_name must not be empty"):
        libinfo.load_lib_ctypes("apache-tvm-ffi", "", "RTLD_GLOBAL")
    with pytest.raises(TypeError, match="^mode must be a str"):
        libinfo.load_lib_ctypes("apache-tvm-ffi", "tvm_ffi", ctypes.RTLD_GLOBAL)
    with pytest.raises(ValueError, match="^mode must name a ctypes RTLD_\\* constant"):
        libinfo.load_lib_ctypes("apache-tvm-ffi", "tvm_ffi", "RTLD_BOGUS")
    with pytest.raises(ValueError, match="^mode must name a ctypes RTLD_\\* constant"):
        libinfo.load_lib_ctypes("apache-tvm-ffi", "tvm_ffi", "CDLL")
    with pytest.raises(TypeError, match="keep_module_alive"):
        libinfo.load_lib_module("apache-tvm-ffi", "tvm_ffi_testing", keep_module_alive=None)


def test_resolve_and_validate(tmp_path):
    libdir = tmp_path / "lib"
    libdir.mkdir()
    assert libinfo._resolve_and_validate(
        [Path("/nonexist"), libdir], cond=lambda p: p.is_dir()
    ) == str(libdir.resolve())
    assert libinfo._resolve_and_validate([Path("/nonexist")], cond=lambda p: p.is_dir()) is None
    # A returned Path is the answer; OSError / AssertionError skip the entry.
    assert libinfo._resolve_and_validate([libdir], cond=lambda p: p / "x") == str(
        libdir.resolve() / "x"
    )

    def strict(p):
        assert p.name == "lib"
        return True

    assert libinfo._resolve_and_validate([tmp_path, libdir], cond=strict) == str(libdir.resolve())

    def raises_os_error(p):
        raise OSError("nope")

    assert libinfo._resolve_and_validate([libdir], cond=raises_os_error) is None


# ---------------------------------------------------------------------------------------------
# 0.1.0 helpers kept, config, include paths
# ---------------------------------------------------------------------------------------------
def test_helpers_of_0_1_0_still_exist(monkeypatch):
    assert os.path.realpath(libinfo.find_library_by_basename("tvm_ffi")) == os.path.realpath(
        libinfo.find_libtvm_ffi()
    )
    assert all(os.path.isdir(d) for d in libinfo.get_dll_directories())
    monkeypatch.setenv("TVM_FFI_TEST_SPLIT", "a;b")
    assert libinfo.split_env_var("TVM_FFI_TEST_SPLIT", ";") == ["a", "b"]
    assert libinfo._split_env_var("TVM_FFI_TEST_SPLIT", ";") == ["a", "b"]
    from tvm_ffi import config

    assert config.find_windows_implib is libinfo.find_windows_implib
    if not sys.platform.startswith("win32"):
        with pytest.raises(RuntimeError, match="^Cannot find implib tvm_ffi.lib"):
            libinfo.find_windows_implib()


def test_include_paths_sorted_without_duplicates():
    paths = libinfo.include_paths()
    assert paths == sorted(set(paths))
    assert libinfo.find_include_path() in paths
    assert libinfo.find_dlpack_include_path() in paths
    for p in paths:
        assert os.path.isdir(p)


def test_config_sourcedir_builds_with_add_subdirectory(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "tvm_ffi.config", "--sourcedir"],
        capture_output=True,
        text=True,
        check=True,
    )
    sourcedir = proc.stdout.strip()
    assert sourcedir == libinfo.find_source_path()
    assert os.path.isfile(os.path.join(sourcedir, "CMakeLists.txt"))
    assert os.path.isfile(os.path.join(sourcedir, "src", "object.cc"))
    cmake = shutil.which("cmake")
    if cmake is None:
        pytest.skip("no cmake on PATH")
    project = tmp_path / "downstream"
    project.mkdir()
    (project / "CMakeLists.txt").write_text(
        "cmake_minimum_required(VERSION 3.18)\n"
        "project(downstream LANGUAGES C CXX)\n"
        f'add_subdirectory("{sourcedir}" tvm_ffi)\n'
        "if(NOT TARGET tvm_ffi_shared)\n"
        '  message(FATAL_ERROR "no tvm_ffi_shared")\n'
        "endif()\n"
    )
    configure = subprocess.run(
        [cmake, "-S", str(project), "-B", str(tmp_path / "build")],
        capture_output=True,
        text=True,
    )
    assert configure.returncode == 0, configure.stdout + configure.stderr


# ---------------------------------------------------------------------------------------------
# load_module(keep_module_alive=)
# ---------------------------------------------------------------------------------------------
def test_keep_module_alive_adds_one_reference(documented_lib, tmp_path):
    lib = tmp_path / ("keep_alive_copy" + SO)  # a library file no other test has loaded
    shutil.copyfile(documented_lib, lib)
    released = tvm_ffi.load_module(lib, keep_module_alive=False)
    kept = tvm_ffi.load_module(str(lib))
    assert _use_count(kept) == _use_count(released) + 1
    # Only the first module of a library file is registered: loading the same file again (by
    # any spelling of its path) adds nothing, so repeated loads do not grow the list.
    again = [tvm_ffi.load_module(os.fsencode(lib), keep_module_alive=True) for _ in range(5)]
    assert all(_use_count(m) == _use_count(released) for m in again)
    refs = [weakref.ref(m) for m in again]
    del again
    gc.collect()
    assert all(r() is None for r in refs)
    assert _use_count(kept) == _use_count(released) + 1


def test_keep_module_alive_must_be_bool(documented_lib):
    for bad in (None, 1, "yes"):
        with pytest.raises(TypeError) as info:
            tvm_ffi.load_module(documented_lib, keep_module_alive=bad)
        assert str(info.value) == (
            "load_module() argument 'keep_module_alive' must be bool, not %s" % type(bad).__name__
        )


# ---------------------------------------------------------------------------------------------
# Module.get_function_metadata / get_function_doc
# ---------------------------------------------------------------------------------------------
def test_function_doc_and_metadata(documented_lib):
    mod = tvm_ffi.load_module(documented_lib, keep_module_alive=False)
    assert mod.get_function_doc("documented") == "Adds two to x."
    meta = mod.get_function_metadata("documented")
    assert isinstance(meta, dict)
    assert set(meta) == {"type_schema"}
    assert isinstance(meta["type_schema"], str)
    assert '"ffi.Function"' in meta["type_schema"]
    # No symbol, or an empty docstring: None.
    assert mod.get_function_doc("empty_doc") is None
    assert mod.get_function_doc("bare") is None
    assert mod.get_function_metadata("bare") is None
    assert mod.get_function_doc("no_such_function") is None
    # The text symbols are not functions of the module.
    assert not mod.implements_function("_doc_documented")


def test_function_doc_through_imports(documented_lib, add_one_lib):
    outer = tvm_ffi.load_module(add_one_lib, keep_module_alive=False)
    inner = tvm_ffi.load_module(documented_lib, keep_module_alive=False)
    outer.import_module(inner)
    assert outer.get_function_doc("documented") is None
    assert outer.get_function_doc("documented", query_imports=True) == "Adds two to x."
    assert outer.get_function_metadata("documented", True)["type_schema"]


def test_system_lib_has_no_metadata():
    lib = tvm_ffi.system_lib()
    assert lib.get_function_metadata("anything") is None
    assert lib.get_function_doc("anything") is None


def test_function_doc_name_type_error(documented_lib):
    mod = tvm_ffi.load_module(documented_lib, keep_module_alive=False)
    with pytest.raises(TypeError, match="^function name must be a str, got int: 3"):
        mod.get_function_doc(3)
    with pytest.raises(TypeError, match="^function name must be a str, got NoneType"):
        mod.get_function_metadata(None)
