"""The plain-g++ downstream path: build.sh compiles add_one_cpu.cc with the flags of
`tvm-ffi-config --cxxflags --ldflags --libs` (the tvm-ffi installed in the running interpreter),
then run.py and this test load and call the library."""

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import numpy as np
import pytest

import tvm_ffi

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A copy of this example, built by its build.sh; returns the copy's folder."""
    if shutil.which(os.environ.get("CXX", "g++")) is None:
        pytest.skip("no C++ compiler")
    work = tmp_path_factory.mktemp("downstream_gxx")
    for name in ("add_one_cpu.cc", "build.sh", "run.py"):
        shutil.copy2(HERE / name, work / name)
    # The tvm-ffi-config of THIS interpreter comes first on PATH.
    scripts = sysconfig.get_path("scripts")
    env = dict(os.environ, PATH=scripts + os.pathsep + os.environ.get("PATH", ""))
    config = shutil.which("tvm-ffi-config", path=env["PATH"])
    assert config is not None, "tvm-ffi-config is not installed next to " + sys.executable
    assert Path(config).parent.resolve() == Path(scripts).resolve()
    proc = subprocess.run(["bash", str(work / "build.sh")], env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (work / "build" / "add_one_cpu.so").is_file()
    return work


def test_links_the_installed_runtime(built):
    readelf = shutil.which("readelf")
    if readelf is None:
        pytest.skip("no readelf")
    out = subprocess.run(
        [readelf, "-d", str(built / "build" / "add_one_cpu.so")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "[libtvm_ffi.so]" in out  # NEEDED entry from -ltvm_ffi
    symbols = subprocess.run(
        [readelf, "--dyn-syms", "-W", str(built / "build" / "add_one_cpu.so")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "__tvm_ffi_add_one_cpu" in symbols


def test_run_py(built):
    proc = subprocess.run(
        [sys.executable, "run.py"], cwd=str(built), capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "add_one_cpu: [1.0, 2.0, 3.0, 4.0, 5.0] -> [2.0, 3.0, 4.0, 5.0, 6.0]" in proc.stdout


def test_call_in_process(built):
    mod = tvm_ffi.load_module(str(built / "build" / "add_one_cpu.so"))
    x = np.linspace(-2.0, 3.0, 11, dtype=np.float32)
    y = np.zeros_like(x)
    mod.add_one_cpu(x, y)
    np.testing.assert_array_equal(y, x + np.float32(1))
    # the kernel's checks surface as Python exceptions naming the problem
    with pytest.raises(RuntimeError, match="x must be a float tensor"):
        mod.add_one_cpu(x.astype(np.int32), y)
    with pytest.raises(RuntimeError, match="x and y must have the same shape"):
        mod.add_one_cpu(x, np.zeros(3, dtype=np.float32))
