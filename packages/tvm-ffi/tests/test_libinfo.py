"""tvm_ffi.libinfo and the tvm-ffi-config entry point (§8)."""

import os
import subprocess
import sys

import tvm_ffi
from tvm_ffi import libinfo


def test_package_layout():
    lib = libinfo.find_libtvm_ffi()
    assert os.path.isfile(lib)
    assert os.path.basename(lib) == "libtvm_ffi.so"
    inc = libinfo.find_include_path()
    assert os.path.isfile(os.path.join(inc, "tvm", "ffi", "c_api.h"))
    assert os.path.isfile(os.path.join(inc, "tvm", "ffi", "function.h"))
    dl = libinfo.find_dlpack_include_path()
    assert os.path.isfile(os.path.join(dl, "dlpack", "dlpack.h"))
    cmake = libinfo.find_cmake_path()
    assert os.path.isfile(os.path.join(cmake, "tvm_ffi-config.cmake"))
    paths = libinfo.include_paths()
    assert inc in paths and dl in paths


def test_find_library_by_basename_missing():
    try:
        libinfo.find_library_by_basename("definitely_not_a_lib_xyz")
    except RuntimeError as e:
        assert "Cannot find library" in str(e)
        assert "libdefinitely_not_a_lib_xyz.so" in str(e)
    else:
        raise AssertionError("no error")


def test_split_env_var(monkeypatch):
    monkeypatch.setenv("TVM_FFI_TEST_SPLIT", "a:b::c")
    assert [p for p in libinfo.split_env_var("TVM_FFI_TEST_SPLIT", ":") if p] == ["a", "b", "c"]
    monkeypatch.delenv("TVM_FFI_TEST_SPLIT")
    assert libinfo.split_env_var("TVM_FFI_TEST_SPLIT", ":") == []


def _config(*args):
    return subprocess.run(
        [sys.executable, "-m", "tvm_ffi.config", *args], capture_output=True, text=True, check=True
    ).stdout.splitlines()


def test_config_cli_order_and_values():
    out = _config("--libdir", "--includedir", "--cxxflags", "--libs", "--ldflags")
    libdir = os.path.dirname(libinfo.find_libtvm_ffi())
    inc = libinfo.find_include_path()
    dl = libinfo.find_dlpack_include_path()
    # fixed order: includedir, libdir, cxxflags, libs, ldflags
    assert out[0] == inc
    assert out[1] == libdir
    assert out[2] == f"-I{inc} -I{dl} -std=c++17"
    assert out[3] == "-ltvm_ffi"
    assert out[4] == f"-L{libdir}"
    assert _config("--cmakedir") == [libinfo.find_cmake_path()]
    assert _config("--libfiles") == [libinfo.find_libtvm_ffi()]


def test_version():
    assert tvm_ffi.__version__ == "0.1.0"
