#!/usr/bin/env python3
"""Install the wheels of dist/ into a FRESH venv and run the user-facing examples there.

1. A new venv (<build>/dist-work/check-venv, deleted first and left in place afterwards) gets
   the third-party packages from the package index: numpy, torch==2.13.0, pytest, ninja,
   typing-extensions, scikit-build-core (the last one builds the CMake downstream example).
   With --seed-from PYTHON, torch (and what it requires) is first hard-linked from that venv
   (ci/seed_venv.py), so pip does not unpack its ~1 GB wheel again.
2. Our three packages come from dist/ ONLY: `pip install --isolated --no-index --find-links dist
   --only-binary :all:` (--isolated: no pip configuration or PIP_* variable adds another source).
3. `pip check`, then a fresh interpreter checks that tvm_ffi, tvm_ffi.testing, tvm_ffi.cpp come
   from the venv's site-packages with the versions of the sources.
4. pytest, run by the venv's interpreter from outside the repository: the Python guide's examples
   (packages/tvm-ffi/tests/test_guide.py, packages/tvm-ffi-cpp-jit/tests/test_jit_guide.py), the
   version/ABI checks (test_version_check.py) and both downstream examples (examples/downstream-*).

Usage: python ci/test_dist.py [--build DIR] [--dist DIR] [--clean]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import check_versions  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
THIRD_PARTY = [
    "numpy",
    "torch==2.13.0",
    "pytest",
    "ninja",
    "typing-extensions>=4.5",
    "scikit-build-core>=0.10",
]  # torch: always this exact pin
OURS = ["tvm-ffi", "tvm-ffi-testing", "tvm-ffi-cpp-jit"]
TESTS = [
    "packages/tvm-ffi/tests/test_guide.py",
    "packages/tvm-ffi-cpp-jit/tests/test_jit_guide.py",
    "packages/tvm-ffi/tests/test_version_check.py",
    "examples/downstream-cmake",
    "examples/downstream-gxx",
]

_CHECK_INSTALL = r"""
import importlib.metadata as md, json, sys, sysconfig
from pathlib import Path
import tvm_ffi, tvm_ffi.testing, tvm_ffi.cpp, tvm_ffi_cpp_jit
site = Path(sysconfig.get_paths()["purelib"]).resolve()
mods = {"tvm_ffi": tvm_ffi, "tvm_ffi.testing": tvm_ffi.testing, "tvm_ffi_cpp_jit": tvm_ffi_cpp_jit}
for name, mod in mods.items():
    where = Path(mod.__file__).resolve()
    assert site in where.parents, f"{name} imported from {where}, not from {site}"
lib = Path(tvm_ffi.libinfo.find_libtvm_ffi()).resolve()
assert site in lib.parents, f"libtvm_ffi.so found at {lib}, not in {site}"
print(json.dumps({
    "dists": {d: md.version(d) for d in ("tvm-ffi", "tvm-ffi-testing", "tvm-ffi-cpp-jit")},
    "tvm_ffi.__version__": tvm_ffi.__version__,
    "tvm_ffi_cpp_jit.__version__": tvm_ffi_cpp_jit.__version__,
    "runtime": ".".join(map(str, tvm_ffi.core._runtime_version())),
    "abi": ".".join(map(str, tvm_ffi.core._BUILT_ABI_VERSION)),
    "echo": tvm_ffi.get_global_func("testing.echo")(42),
}))
"""


def log(msg: str) -> None:
    print(f"[test_dist] {msg}", flush=True)


def run(cmd, **kwargs):
    log("$ " + " ".join(str(c) for c in cmd))
    return subprocess.run([str(c) for c in cmd], check=True, **kwargs)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Install dist/ into a fresh venv and test it.")
    parser.add_argument(
        "--build", type=Path, default=Path(os.environ.get("TVM_FFI_NOX_BUILD", ROOT / "build"))
    )
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument(
        "--clean",
        action="store_true",
        help="delete the venv afterwards (it is always recreated at the start)",
    )
    parser.add_argument(
        "--seed-from",
        default=None,
        help="a venv's python whose torch is hard-linked into the fresh venv first",
    )
    args = parser.parse_args(argv)
    dist = args.dist.resolve()
    venv = args.build.resolve() / "dist-work" / "check-venv"
    python = venv / "bin" / "python"
    timings = []
    t_start = t0 = time.monotonic()

    wheels = sorted(dist.glob("*.whl"))
    if not wheels:
        log(f"no wheels in {dist}: run `nox -s build` (ci/build_dist.py) first")
        return 1
    log("wheels: " + ", ".join(w.name for w in wheels))

    if venv.exists():
        shutil.rmtree(venv)
    run([sys.executable, "-m", "venv", venv])
    if args.seed_from:
        seed = ROOT / "ci" / "seed_venv.py"
        run(
            [
                sys.executable,
                seed,
                "--source-python",
                args.seed_from,
                "--target-python",
                python,
                "torch",
            ]
        )
    run([python, "-m", "pip", "install", "-q", "--upgrade", "pip"])
    run([python, "-m", "pip", "install", "-q", *THIRD_PARTY])
    timings.append(("venv + third-party packages", time.monotonic() - t0))

    t0 = time.monotonic()
    run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--isolated",
            "--no-index",
            "--find-links",
            dist,
            "--only-binary",
            ":all:",
            *OURS,
        ]
    )
    run([python, "-m", "pip", "check"])
    timings.append(("install from dist/", time.monotonic() - t0))

    with tempfile.TemporaryDirectory(prefix="tvm-ffi-dist-check-") as cwd:
        t0 = time.monotonic()
        proc = run([python, "-c", _CHECK_INSTALL], cwd=cwd, capture_output=True, text=True)
        import json

        info = json.loads(proc.stdout)
        log("installed: " + json.dumps(info))
        versions = check_versions.collect(ROOT)
        expected = {name: str(versions[name]) for name in OURS}
        problems = []
        if info["dists"] != expected:
            problems.append(f"installed {info['dists']}, sources say {expected}")
        if info["tvm_ffi.__version__"] != expected["tvm-ffi"]:
            problems.append(f"tvm_ffi.__version__ {info['tvm_ffi.__version__']}")
        if info["tvm_ffi_cpp_jit.__version__"] != expected["tvm-ffi-cpp-jit"]:
            problems.append(f"tvm_ffi_cpp_jit.__version__ {info['tvm_ffi_cpp_jit.__version__']}")
        if info["runtime"] != str(versions["runtime-cpp"]):
            problems.append(
                f"runtime reports {info['runtime']}, runtime-cpp is {versions['runtime-cpp']}"
            )
        if info["abi"] != str(versions["abi"]):
            problems.append(f"extension built for ABI {info['abi']}, abi/ is {versions['abi']}")
        if info["echo"] != 42:
            problems.append(f"testing.echo(42) returned {info['echo']!r}")
        timings.append(("import check", time.monotonic() - t0))
        for problem in problems:
            log("ERROR " + problem)
        if problems:
            return 1

        t0 = time.monotonic()
        # From outside the repository, so nothing is imported from the source tree; no cache
        # folders are written into it either.
        env = dict(os.environ)
        env.setdefault("CMAKE_BUILD_PARALLEL_LEVEL", "2")
        env.pop("PYTHONPATH", None)
        rc = subprocess.run(
            [
                str(python),
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "--rootdir",
                str(ROOT),
                *[str(ROOT / t) for t in TESTS],
            ],
            cwd=cwd,
            env=env,
        ).returncode
        timings.append(("pytest (guide, versions, downstream)", time.monotonic() - t0))

    if args.clean:  # off by default: deleting a venv with torch takes minutes on a busy disk
        t0 = time.monotonic()
        shutil.rmtree(venv)
        timings.append(("remove venv", time.monotonic() - t0))
    timings.append(("total", time.monotonic() - t_start))
    log("wall times: " + ", ".join(f"{name} {secs:.0f}s" for name, secs in timings))
    return rc


if __name__ == "__main__":
    sys.exit(main())
