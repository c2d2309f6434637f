"""The CMake downstream path: this example project (CMake + scikit-build-core) is built into a
wheel against the tvm-ffi installed in the running interpreter -- find_package(tvm_ffi CONFIG)
through `tvm-ffi-config --cmakedir` --, installed into a fresh folder and called from Python."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import tvm_ffi
import tvm_ffi.libinfo

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def build_log_and_site(tmp_path_factory):
    pytest.importorskip("scikit_build_core")
    work = tmp_path_factory.mktemp("downstream_cmake")
    wheel_dir, site = work / "wheel", work / "site"
    # --no-build-isolation: build against THIS interpreter's tvm-ffi (an isolated build would
    # fetch tvm-ffi from an index). The build tree is scikit-build-core's temporary folder.
    env = dict(os.environ)
    env.setdefault("CMAKE_BUILD_PARALLEL_LEVEL", "2")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-v",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheel_dir),
            str(HERE),
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log
    wheels = sorted(wheel_dir.glob("downstream_kernels-0.1.0-*.whl"))
    assert len(wheels) == 1, sorted(p.name for p in wheel_dir.iterdir())
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "--target",
            str(site),
            str(wheels[0]),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return log, site


@pytest.fixture(scope="module")
def kernels(build_log_and_site):
    _, site = build_log_and_site
    sys.path.insert(0, str(site))
    try:
        import downstream_kernels
    finally:
        sys.path.remove(str(site))
    where = Path(downstream_kernels.__file__).resolve().parent
    assert where == (site / "downstream_kernels").resolve()
    return downstream_kernels


def test_found_the_installed_tvm_ffi(build_log_and_site):
    log, _ = build_log_and_site
    cmakedir = Path(tvm_ffi.libinfo.find_cmake_path()).resolve()
    found = [line for line in log.splitlines() if "found tvm_ffi " in line]
    assert found, log
    version, _, where = found[-1].split("found tvm_ffi ", 1)[1].partition(" at ")
    assert Path(where.strip()).resolve() == cmakedir
    assert version == ".".join(str(v) for v in tvm_ffi.core._runtime_version())
    # the folder came from the tvm-ffi-config script installed next to this interpreter
    scripts = {Path(sys.executable).parent, Path(sys.executable).resolve().parent}
    assert any(f"tvm-ffi-config: {d / 'tvm-ffi-config'}" in log for d in scripts), log


def test_wheel_layout(build_log_and_site):
    _, site = build_log_and_site
    pkg = site / "downstream_kernels"
    assert sorted(p.name for p in pkg.iterdir() if p.name != "__pycache__") == [
        "__init__.py",
        "libdownstream_kernels.so",
    ]
    readelf = shutil.which("readelf")
    if readelf:
        out = subprocess.run(
            [readelf, "-d", str(pkg / "libdownstream_kernels.so")],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "[libtvm_ffi.so]" in out


def test_kernels(kernels):
    x = np.arange(12, dtype=np.float32).reshape(3, 4) / 4
    y = np.empty_like(x)
    kernels.add_one(x, y)
    np.testing.assert_array_equal(y, x + np.float32(1))
    kernels.scale(x, y, -2.5)
    np.testing.assert_allclose(y, x * np.float32(-2.5), rtol=1e-6)
    assert kernels.dot([1, 2, 3], [4.5, 5, 6]) == pytest.approx(32.5)
    assert kernels.dot([], []) == 0.0


def test_kernels_with_torch(kernels):
    torch = pytest.importorskip("torch")
    x = torch.linspace(0, 1, 7, dtype=torch.float32)
    y = torch.empty_like(x)
    kernels.scale(x, y, 3.0)
    torch.testing.assert_close(y, x * 3)


def test_kernel_errors(kernels):
    x = np.ones(4, dtype=np.float32)
    with pytest.raises(TypeError, match="x must be a float32 tensor"):
        kernels.add_one(x.astype(np.float64), x)
    with pytest.raises(ValueError, match="same shape"):
        kernels.add_one(x, np.ones(5, dtype=np.float32))
    with pytest.raises(ValueError, match="must be contiguous"):
        strided = np.ones((4, 4), dtype=np.float32)[:, ::2]
        kernels.scale(strided, np.ones((4, 2), dtype=np.float32), 1.0)
    with pytest.raises(ValueError, match=r"different lengths \(2 and 1\)"):
        kernels.dot([1, 2], [3])
    with pytest.raises(TypeError):
        kernels.scale(x, x, "two")
