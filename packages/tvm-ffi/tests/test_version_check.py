"""Versions: what the runtime reports, the import-time ABI check, and ci/check_versions.py.

The ABI check is exercised end to end by faking a different runtime: a tiny shared library that
defines only ``TVMFFIGetVersion`` is LD_PRELOADed into a fresh interpreter, so the extension's
call resolves to it (as it would to a stray libtvm_ffi of another release) and ``import tvm_ffi``
must fail with an ImportError naming both versions -- or pass when only the patch differs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import tvm_ffi
from tvm_ffi import core

REPO = Path(__file__).resolve().parents[3]
IN_REPO = (REPO / "runtime-cpp" / "CMakeLists.txt").is_file() and (REPO / "abi").is_dir()
needs_repo = pytest.mark.skipif(not IN_REPO, reason="needs the monorepo's sources")


def _repo_runtime_version():
    text = (REPO / "runtime-cpp" / "CMakeLists.txt").read_text()
    match = re.search(r"^project\(tvm_ffi\s+VERSION\s+(\d+)\.(\d+)\.(\d+)", text, re.M)
    return tuple(int(x) for x in match.groups())


def _repo_abi_version():
    text = (REPO / "abi" / "include" / "tvm" / "ffi" / "c_api.h").read_text()
    return tuple(
        int(re.search(r"^#define TVM_FFI_VERSION_%s (\d+)" % part, text, re.M).group(1))
        for part in ("MAJOR", "MINOR", "PATCH")
    )


# ---------------------------------------------------------------------------------------------
# What the loaded runtime and the extension report
# ---------------------------------------------------------------------------------------------
def test_versions_are_triples():
    versions = (core._runtime_version(), core._loaded_runtime_version(), core._BUILT_ABI_VERSION)
    for version in versions:
        assert isinstance(version, tuple) and len(version) == 3
        assert all(isinstance(x, int) and x >= 0 for x in version)
    assert core._runtime_version() == core._loaded_runtime_version()


def test_loaded_runtime_serves_the_extension():
    assert core._runtime_version()[:2] == core._BUILT_ABI_VERSION[:2]
    assert core._abi_mismatch_message(core._runtime_version(), core._BUILT_ABI_VERSION) is None


def test_loaded_runtime_path_is_the_library_tvm_ffi_loaded():
    path = core._loaded_runtime_path()
    assert path is not None
    assert os.path.realpath(path) == os.path.realpath(tvm_ffi.base._LIB_PATH)


@needs_repo
def test_runtime_reports_runtime_cpp_version():
    # TVMFFIGetVersion reports runtime-cpp's own version (its project() VERSION)
    assert core._runtime_version() == _repo_runtime_version()


@needs_repo
def test_extension_built_against_repo_abi_headers():
    assert core._BUILT_ABI_VERSION == _repo_abi_version()


# ---------------------------------------------------------------------------------------------
# The rule and its message
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "runtime, built, ok",
    [
        ((0, 1, 0), (0, 1, 0), True),
        ((0, 1, 9), (0, 1, 0), True),  # patch releases share the ABI
        ((0, 1, 0), (0, 1, 4), True),
        ((0, 2, 0), (0, 1, 0), False),
        ((0, 0, 9), (0, 1, 0), False),
        ((1, 1, 0), (0, 1, 0), False),
        ((1, 0, 0), (2, 0, 0), False),
    ],
)
def test_mismatch_rule(runtime, built, ok):
    message = core._abi_mismatch_message(runtime, built)
    assert (message is None) == ok


def test_mismatch_message_names_both_sides():
    message = core._abi_mismatch_message(
        (0, 2, 7), (0, 1, 3), "/opt/other/libtvm_ffi.so", "/site/tvm_ffi/core.so"
    )
    assert "reports version 0.2.7 (ABI 0.2)" in message
    assert "built for ABI 0.1 (headers 0.1.3)" in message
    assert "/opt/other/libtvm_ffi.so" in message
    assert "/site/tvm_ffi/core.so" in message


# ---------------------------------------------------------------------------------------------
# End to end: a faked runtime version at import time
# ---------------------------------------------------------------------------------------------
_SHIM = r"""
#include <stdint.h>
typedef struct { uint32_t major, minor, patch; } FakeVersion;
__attribute__((visibility("default"))) void TVMFFIGetVersion(FakeVersion* out) {
  out->major = %d; out->minor = %d; out->patch = %d;
}
"""


@pytest.fixture(scope="module")
def fake_runtime(tmp_path_factory):
    """fake_runtime((major, minor, patch)) -> path of a library whose TVMFFIGetVersion says so."""
    cc = next(
        (
            shutil.which(c)
            for c in (os.environ.get("CC"), "cc", "gcc", "clang")
            if c and shutil.which(c)
        ),
        None,
    )
    if cc is None or not sys.platform.startswith("linux"):
        pytest.skip("needs a C compiler and LD_PRELOAD (Linux)")
    folder = tmp_path_factory.mktemp("fake_runtime")

    def make(version):
        src = folder / ("fake_%d_%d_%d.c" % version)
        lib = folder / ("libfake_tvm_ffi_%d_%d_%d.so" % version)
        src.write_text(_SHIM % version)
        subprocess.run([cc, "-shared", "-fPIC", "-O1", str(src), "-o", str(lib)], check=True)
        return lib

    return make


def _preload(lib):
    """LD_PRELOAD with ``lib`` after whatever is preloaded already (a sanitizer runtime must stay
    first); no other preloaded library defines TVMFFIGetVersion, so the fake one answers."""
    existing = os.environ.get("LD_PRELOAD", "").strip()
    return {"LD_PRELOAD": (existing + ":" if existing else "") + str(lib)}


_IMPORT = """
import sys
try:
    import tvm_ffi
except ImportError as err:
    print("IMPORT-ERROR:", err)
    print("NAME:", err.name)
    sys.exit(3)
from tvm_ffi import core
print("IMPORTED", core._runtime_version(), core._loaded_runtime_path())
"""


@pytest.mark.parametrize("version", [(0, 2, 7), (1, 1, 0), (0, 0, 5)])
def test_import_fails_on_faked_abi_mismatch(fake_runtime, run_python, version):
    lib = fake_runtime(version)
    proc = run_python(_IMPORT, env=_preload(lib))
    assert proc.returncode == 3, proc.stdout + proc.stderr
    line = proc.stdout.splitlines()[0]
    assert line.startswith("IMPORT-ERROR: TVM FFI ABI mismatch")
    built = core._BUILT_ABI_VERSION
    assert "reports version %d.%d.%d (ABI %d.%d)" % (version + version[:2]) in line
    assert "built for ABI %d.%d (headers %d.%d.%d)" % (built[:2] + built) in line
    assert str(lib) in line  # the library that answered is named
    assert "NAME: tvm_ffi.core" in proc.stdout


def test_import_accepts_faked_patch_difference(fake_runtime, run_python):
    built = core._BUILT_ABI_VERSION
    version = (built[0], built[1], built[2] + 7)
    lib = fake_runtime(version)
    proc = run_python(_IMPORT, env=_preload(lib))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "IMPORTED %r %s" % (version, lib) in proc.stdout


def test_import_without_fake_passes(run_python):
    proc = run_python(_IMPORT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "IMPORTED %r" % (core._runtime_version(),) in proc.stdout


# ---------------------------------------------------------------------------------------------
# ci/check_versions.py: the sources agree, and the checker catches what it should
# ---------------------------------------------------------------------------------------------
_CHECKER = REPO / "ci" / "check_versions.py"
_CHECKED_FILES = [
    "abi/include/tvm/ffi/c_api.h",
    "abi/CMakeLists.txt",
    "abi/CHANGELOG.md",
    "runtime-cpp/CMakeLists.txt",
    "runtime-cpp/CHANGELOG.md",
    "packages/tvm-ffi/pyproject.toml",
    "packages/tvm-ffi/python/tvm_ffi/__init__.py",
    "packages/tvm-ffi/CHANGELOG.md",
    "packages/tvm-ffi-cpp-jit/pyproject.toml",
    "packages/tvm-ffi-cpp-jit/python/tvm_ffi_cpp_jit/__init__.py",
    "packages/tvm-ffi-cpp-jit/CHANGELOG.md",
    "packages/tvm-ffi-testing/pyproject.toml",
    "packages/tvm-ffi-testing/CMakeLists.txt",
    "packages/tvm-ffi-testing/CHANGELOG.md",
]


def _run_checker(root):
    pytest.importorskip("packaging")
    return subprocess.run(
        [sys.executable, str(_CHECKER), "--root", str(root)], capture_output=True, text=True
    )


@pytest.mark.skipif(not _CHECKER.is_file(), reason="needs the monorepo's ci/ folder")
def test_repository_versions_agree():
    proc = _run_checker(REPO)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "version check: OK (5 components)" in proc.stdout


def _edit(root, rel, old, new):
    path = root / rel
    text = path.read_text()
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1))


_BREAKAGES = {
    "runtime implements another ABI minor": (
        "runtime-cpp/CMakeLists.txt",
        "project(tvm_ffi VERSION 0.1.",
        "project(tvm_ffi VERSION 0.2.",
        "does not implement the ABI's major.minor",
    ),
    "range excludes the sibling": (
        "packages/tvm-ffi-testing/pyproject.toml",
        '"tvm-ffi>=0.1.0,<0.2"',
        '"tvm-ffi>=0.1.1,<0.2"',
        "does not accept tvm-ffi",
    ),
    "open-ended range": (
        "packages/tvm-ffi-cpp-jit/pyproject.toml",
        '"tvm-ffi>=0.1.0,<0.2"',
        '"tvm-ffi>=0.1.0"',
        "needs a lower and an upper bound",
    ),
    "second copy of a version": (
        "packages/tvm-ffi/pyproject.toml",
        'dynamic = ["version"]',
        'version = "0.1.0"',
        "must be dynamic",
    ),
    "changelog without the version": (
        "abi/CHANGELOG.md",
        "## 0.1.16",
        "## 0.0.16",
        "no '## 0.1.16' heading",
    ),
    "hard-coded CMake project version": (
        "packages/tvm-ffi-testing/CMakeLists.txt",
        "project(tvm_ffi_testing VERSION ${",
        "project(tvm_ffi_testing VERSION 0.1.0 ${",
        "project() must take the version",
    ),
}


@pytest.mark.skipif(not _CHECKER.is_file(), reason="needs the monorepo's ci/ folder")
@pytest.mark.parametrize("case", sorted(_BREAKAGES))
def test_checker_catches(tmp_path, case):
    for rel in _CHECKED_FILES:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, tmp_path / rel)
    assert _run_checker(tmp_path).returncode == 0  # the copy passes before the edit
    rel, old, new, expected = _BREAKAGES[case]
    _edit(tmp_path, rel, old, new)
    proc = _run_checker(tmp_path)
    assert proc.returncode == 1
    assert expected in proc.stderr, proc.stderr
