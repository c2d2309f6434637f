"""Shared fixtures for the tvm_ffi test-suite.

The suite tests the installed ``tvm_ffi`` package (and the ``tvm-ffi-testing`` companion
distribution that provides ``tvm_ffi.testing`` and the ``testing.*`` global functions).

Fixtures defined here:

* ``add_one_lib`` (session): builds ``tests/cpp/add_one_cpu.cc`` once per session into
  ``<tmp>/build/add_one_cpu.so`` with the system C++ compiler, using the include directories
  and the library reported by ``tvm_ffi.libinfo``. Returns the absolute path.
* ``add_one_workdir``: changes the working directory (for one test) to the folder that
  contains ``build/add_one_cpu.so``, so the guide's relative path works verbatim.
* ``add_one_mod``: the loaded ``tvm_ffi.Module`` of that library.
* ``run_python``: runs a Python snippet in a fresh interpreter and returns the completed
  process (for tests that need a clean process: lazy loading, env defaults, crashes).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
CPP_DIR = TESTS_DIR / "cpp"


def _find_cxx() -> str | None:
    for cand in (os.environ.get("CXX"), "c++", "g++", "clang++"):
        if cand and shutil.which(cand):
            return shutil.which(cand)
    return None


def build_fixture_library(source: Path, out: Path) -> Path:
    """Compile ``source`` into the shared library ``out`` against the installed tvm_ffi."""
    import tvm_ffi.libinfo as libinfo

    cxx = _find_cxx()
    if cxx is None:
        pytest.skip("no C++ compiler on PATH")
    lib = Path(libinfo.find_libtvm_ffi()).resolve()
    includes = [libinfo.find_include_path(), libinfo.find_dlpack_include_path()]
    out.parent.mkdir(parents=True, exist_ok=True)
    cmd = [cxx, "-std=c++17", "-O1", "-fPIC", "-shared"]
    for inc in includes:
        cmd += ["-I", str(inc)]
    cmd += [
        str(source),
        "-o",
        str(out),
        f"-L{lib.parent}",
        "-ltvm_ffi",
        f"-Wl,-rpath,{lib.parent}",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(
            "building the test fixture library failed:\n"
            + " ".join(cmd)
            + "\n"
            + proc.stdout
            + proc.stderr
        )
    return out


@pytest.fixture(scope="session")
def add_one_lib(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("add_one")
    return build_fixture_library(CPP_DIR / "add_one_cpu.cc", root / "build" / "add_one_cpu.so")


@pytest.fixture
def add_one_workdir(add_one_lib, monkeypatch) -> Path:
    """cwd = the folder holding ``build/add_one_cpu.so`` for the duration of one test."""
    root = add_one_lib.parent.parent
    monkeypatch.chdir(root)
    return root


@pytest.fixture(scope="session")
def add_one_mod(add_one_lib):
    import tvm_ffi

    return tvm_ffi.load_module(str(add_one_lib))


@pytest.fixture
def run_python(tmp_path):
    """Run Python source in a fresh interpreter (same executable, cwd=tmp_path).

    ``env`` adds variables to a copy of os.environ; a value of None removes that variable."""

    def _run(source: str, *, env: dict | None = None, cwd: Path | None = None, timeout=120):
        full_env = dict(os.environ)
        for key, value in (env or {}).items():
            if value is None:
                full_env.pop(key, None)
            else:
                full_env[key] = value
        return subprocess.run(
            [sys.executable, "-c", textwrap.dedent(source)],
            capture_output=True,
            text=True,
            env=full_env,
            cwd=str(cwd or tmp_path),
            timeout=timeout,
        )

    return _run


def cuda_available() -> bool:
    try:
        import torch
    except ImportError:
        return False
    return bool(torch.cuda.is_available())


requires_cuda = pytest.mark.skipif(not cuda_available(), reason="needs torch with a CUDA GPU")
