"""Compile tests/cxx/smoke.cc against the installed headers and run it on the installed library:
the testing library must be usable from a C++ program that loads it (no Python involved)."""

import os
import shutil
import subprocess

import pytest

import tvm_ffi
from tvm_ffi import libinfo

SMOKE_SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cxx", "smoke.cc")


def _compiler():
    for name in (os.environ.get("CXX"), "c++", "g++", "clang++"):
        if name and shutil.which(name):
            return name
    return None


@pytest.fixture(scope="module")
def smoke_binary(tmp_path_factory):
    cxx = _compiler()
    if cxx is None:
        pytest.skip("no C++ compiler")
    out = tmp_path_factory.mktemp("smoke") / "tvm_ffi_testing_smoke"
    lib_dir = os.path.dirname(libinfo.find_libtvm_ffi())
    cmd = [cxx, "-std=c++17", "-O1", SMOKE_SOURCE, "-o", str(out)]
    cmd += ["-I" + path for path in libinfo.include_paths()]
    cmd += ["-L" + lib_dir, "-ltvm_ffi", "-ldl", "-Wl,-rpath," + lib_dir]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return str(out)


def _installed_library():
    return os.path.join(
        os.path.dirname(os.path.abspath(tvm_ffi.__file__)), "lib", "libtvm_ffi_testing.so"
    )


def test_cxx_smoke(smoke_binary):
    proc = subprocess.run(
        [smoke_binary, _installed_library()], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    last = proc.stdout.strip().splitlines()[-1]
    passed, failed = (int(part.split()[0]) for part in last.split(","))
    assert failed == 0 and passed > 20, proc.stdout


def test_cxx_dump_lists_every_global_and_type(smoke_binary):
    proc = subprocess.run(
        [smoke_binary, "--dump", _installed_library()], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    records = [line.split("\t") for line in proc.stdout.splitlines()]
    assert sum(1 for r in records if r[0] == "global") == 45
    types = [r for r in records if r[0] == "type"]
    assert len(types) == 10
    assert all(r[2] != "MISSING" for r in types)
    creators = {r[1]: r[3] for r in types}
    assert creators["testing.TestIntPair"] == "creator=1"
    assert creators["testing.TestObjectBase"] == "creator=1"
    assert creators["testing.TestObjectDerived"] == "creator=1"
    for key in [
        "testing.TestCxxClassBase",
        "testing.TestCxxClassDerived",
        "testing.TestCxxClassDerivedDerived",
        "testing.TestCxxInitSubset",
        "testing.TestUnregisteredBaseObject",
        "testing.TestUnregisteredObject",
        "testing.SchemaAllTypes",
    ]:
        assert creators[key] == "creator=0", key
