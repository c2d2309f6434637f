"""Binary interoperability with the PyPI peer `apache-tvm-ffi` 0.1.x (nox -s interop).

For every peer release in PEER_VERSIONS this script
  1. creates (once) an isolated venv <build>/interop-peer-<version> with
     `apache-tvm-ffi==<version>`, numpy, torch==2.13.0 and pytest (never into our venv);
  2. builds tests/interop/interop_module.cc against the peer's headers and library, using the
     peer's own `tvm-ffi-config --cxxflags/--ldflags/--libs`, and against OURS (our venv's
     `tvm-ffi-config`);
  3. runs the one driver tests/interop/test_interop.py in both directions:
        ours <- peer   our python loads the module built against the peer,
        peer <- ours   the peer's python loads the module built against our headers;
     each process maps exactly one libtvm_ffi.so (the host's; the driver checks it);
  4. builds examples/c-abi-only (with `cc` and abi/include only): the C library is loaded by both
     drivers, the C host program runs against our libtvm_ffi.so and the peer's;
  5. compares the exported `TVMFFI*` symbols: ours must include every one of peer 0.1.0 and
     every one that a module built against any peer release imports; the extra exports of newer
     releases are listed.
A summary table is printed at the end; the exit status is non-zero if anything failed.

Usage: python ci/interop.py --ours-python <venv>/bin/python [--build-dir DIR] [--peer VERSION ...]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shlex
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULE_SRC = ROOT / "tests" / "interop" / "interop_module.cc"
DRIVER = ROOT / "tests" / "interop" / "test_interop.py"
C_EXAMPLE = ROOT / "examples" / "c-abi-only"
ABI_INCLUDE = ROOT / "abi" / "include"

# The release our ABI targets, and the newest 0.1.x release. The newest is pinned (not looked up
# on the index) so that CI runs are reproducible; bump it when a new 0.1.x release appears (or
# set TVM_FFI_INTEROP_PEER_NEWEST for a one-off run).
PEER_BASE = "0.1.0"
PEER_NEWEST = os.environ.get("TVM_FFI_INTEROP_PEER_NEWEST", "0.1.15.post2")
PEER_VENV_DEPS = ["numpy", "pytest", "torch==2.13.0"]  # torch: always this exact pin
CXX = os.environ.get("CXX", "c++")
CC = os.environ.get("CC", "cc")
CXXFLAGS = ["-O2", "-g", "-fPIC", "-shared"]  # -g: the driver checks C++ frames (file names)


def log(msg: str) -> None:
    print(f"[interop] {msg}", flush=True)


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    log("$ " + shlex.join(str(c) for c in cmd))
    return subprocess.run([str(c) for c in cmd], check=True, **kwargs)


def capture(cmd: list[str]) -> str:
    return subprocess.run(
        [str(c) for c in cmd], check=True, capture_output=True, text=True
    ).stdout.strip()


# ------------------------------------------------------------------------------------------
# Peer venvs and build flags
# ------------------------------------------------------------------------------------------
def ensure_peer_venv(build: Path, version: str, seed_from: str) -> Path:
    """<build>/interop-peer-<version>/bin/python with the peer installed (reused when ready).

    A new venv is first seeded with hard links of our venv's numpy, pytest and torch (and what
    they require; ci/seed_venv.py), so pip does not unpack those wheels again.
    """
    venv = build / f"interop-peer-{version}"
    python = venv / "bin" / "python"
    stamp = venv / ".interop-ready"
    spec = " ".join([f"apache-tvm-ffi=={version}", *PEER_VENV_DEPS])
    if stamp.exists() and stamp.read_text() == spec and python.exists():
        return python
    if not python.exists():
        run([sys.executable, "-m", "venv", venv])
        run(
            [
                sys.executable,
                ROOT / "ci" / "seed_venv.py",
                "--source-python",
                seed_from,
                "--target-python",
                python,
                "numpy",
                "pytest",
                "torch",
            ]
        )
    # --no-compile: byte-compiling all of torch at install time takes minutes on 2 cores; the
    # few modules a test run imports are compiled on first import instead.
    run(
        [
            python,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-compile",
            f"apache-tvm-ffi=={version}",
            *PEER_VENV_DEPS,
        ]
    )
    installed = capture(
        [python, "-c", "import importlib.metadata as m; print(m.version('apache-tvm-ffi'))"]
    )
    if installed != version:
        raise RuntimeError(f"{venv}: expected apache-tvm-ffi {version}, found {installed}")
    stamp.write_text(spec)
    return python


def ffi_config(python: Path, flag: str) -> str:
    """One `tvm-ffi-config` answer of the tvm_ffi installed for `python`."""
    return capture([python, "-m", "tvm_ffi.config", flag])


def build_flags(python: Path) -> tuple[list[str], list[str], str]:
    """(cxxflags, link flags, path of libtvm_ffi.so) of the tvm_ffi installed for `python`."""
    cxxflags = shlex.split(ffi_config(python, "--cxxflags"))
    ldflags = shlex.split(ffi_config(python, "--ldflags")) + shlex.split(
        ffi_config(python, "--libs")
    )
    return cxxflags, ldflags, ffi_config(python, "--libfiles")


def build_cached(out: Path, cmd: list[str], sources: list[Path]) -> Path:
    """Runs `cmd` (which writes `out`) unless `out` exists and its inputs (every file in
    `sources`, headers included) and the command are unchanged."""
    digest = hashlib.sha256(shlex.join(str(c) for c in cmd).encode())
    for src in sources:
        digest.update(src.read_bytes())
    stamp = out.with_suffix(out.suffix + ".sha256")
    if out.exists() and stamp.exists() and stamp.read_text() == digest.hexdigest():
        log(f"up to date: {out}")
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    run(cmd)
    stamp.write_text(digest.hexdigest())
    return out


def build_module(python: Path, out: Path) -> Path:
    """interop_module.cc compiled and linked against the tvm_ffi of `python` (no rpath)."""
    cxxflags, ldflags, _ = build_flags(python)
    cmd = [CXX, *CXXFLAGS, *cxxflags, MODULE_SRC, "-o", out, *ldflags]
    headers = sorted(Path(ffi_config(python, "--includedir")).rglob("*.h"))
    return build_cached(out, cmd, [MODULE_SRC, *headers])


def build_c_example(out_dir: Path) -> tuple[Path, Path]:
    """examples/c-abi-only with plain cc and abi/include only (strict C11)."""
    strict = ["-std=c11", "-O2", "-Wall", "-Wextra", "-pedantic", "-Werror", f"-I{ABI_INCLUDE}"]
    lib_src, host_src = C_EXAMPLE / "c_abi_lib.c", C_EXAMPLE / "c_host.c"
    abi_headers = sorted(ABI_INCLUDE.rglob("*.h"))
    lib = build_cached(
        out_dir / "libc_abi_lib.so",
        [CC, *strict, "-fPIC", "-shared", lib_src, "-o", out_dir / "libc_abi_lib.so"],
        [lib_src, *abi_headers],
    )
    host = build_cached(
        out_dir / "c_host",
        [CC, *strict, host_src, "-o", out_dir / "c_host", "-ldl"],
        [host_src, *abi_headers],
    )
    return lib, host


# ------------------------------------------------------------------------------------------
# Running the driver
# ------------------------------------------------------------------------------------------
class Result:
    def __init__(self, name: str, ok: bool, counts: dict, seconds: float, note: str = ""):
        self.name, self.ok, self.counts, self.seconds, self.note = name, ok, counts, seconds, note


def run_driver(
    name: str, python: Path, module: Path, c_lib: Path, host: str, built: str, work: Path
) -> Result:
    work.mkdir(parents=True, exist_ok=True)
    junit = work / f"junit-{host}-from-{built}.xml"
    env = dict(os.environ)
    env.pop("LD_LIBRARY_PATH", None)  # the module must bind to the host's loaded runtime
    env.pop("PYTHONPATH", None)
    env.update(
        TVM_FFI_INTEROP_MODULE=str(module),
        TVM_FFI_INTEROP_C_LIB=str(c_lib),
        TVM_FFI_INTEROP_HOST=host,
        TVM_FFI_INTEROP_BUILT=built,
        # peer 0.1.0 JIT-builds a torch extension named "c_dlpack" at import: keep it in
        # our build tree (built once, reused, never shared with other torch users)
        TORCH_EXTENSIONS_DIR=str(work / "torch-extensions" / host),
    )
    log(f"--- {name}: {host} runtime loads a module built against {built} ---")
    start = time.perf_counter()
    proc = subprocess.run(
        [
            str(python),
            "-m",
            "pytest",
            "-q",
            "-rfEsxX",
            "-p",
            "no:cacheprovider",
            f"--rootdir={DRIVER.parent}",
            f"--junitxml={junit}",
            str(DRIVER),
        ],
        cwd=work,
        env=env,
    )
    seconds = time.perf_counter() - start
    counts = {"passed": 0, "failed": 0, "xfailed": 0, "skipped": 0}
    if junit.exists():
        for case in ET.parse(junit).getroot().iter("testcase"):
            if case.find("failure") is not None or case.find("error") is not None:
                counts["failed"] += 1
            elif (skip := case.find("skipped")) is not None:
                key = "xfailed" if skip.get("type") == "pytest.xfail" else "skipped"
                counts[key] += 1
            else:
                counts["passed"] += 1
    ok = proc.returncode == 0 and counts["failed"] == 0 and counts["passed"] > 0
    return Result(name, ok, counts, seconds)


def run_c_host(name: str, host_exe: Path, lib: Path, c_lib: Path) -> Result:
    log(f"--- {name}: C host program against {lib} ---")
    start = time.perf_counter()
    proc = subprocess.run([str(host_exe), lib, str(c_lib)])
    return Result(name, proc.returncode == 0, {}, time.perf_counter() - start)


# ------------------------------------------------------------------------------------------
# Exported symbols
# ------------------------------------------------------------------------------------------
def tvmffi_symbols(lib: str) -> set[str]:
    out = capture(["nm", "-D", "--defined-only", lib])
    names = {line.split()[-1] for line in out.splitlines() if line.split()}
    return {n for n in names if n.startswith("TVMFFI")}


def check_module_imports(ours_lib: str, modules: dict[str, Path]) -> list[Result]:
    """Every TVMFFI* symbol a peer-built module imports must be exported by our runtime."""
    ours = tvmffi_symbols(ours_lib)
    results = []
    for version, module in modules.items():
        out = capture(["nm", "-D", "--undefined-only", module])
        wanted = {line.split()[-1] for line in out.splitlines() if line.split()}
        wanted = {n for n in wanted if n.startswith("TVMFFI")}
        missing = sorted(wanted - ours)
        for sym in missing:
            log(f"  MISSING in ours (imported by the module built against {version}): {sym}")
        results.append(
            Result(
                f"imports of {version} module",
                not missing,
                {},
                0.0,
                f"{len(wanted)} TVMFFI* imports, {len(missing)} missing",
            )
        )
    return results


def check_symbols(ours_lib: str, peers: dict[str, str]) -> list[Result]:
    ours = tvmffi_symbols(ours_lib)
    results = []
    for version, lib in peers.items():
        theirs = tvmffi_symbols(lib)
        missing = sorted(theirs - ours)
        extra_ours = sorted(ours - theirs)
        name = f"symbols vs {version}"
        log(f"{name}: peer exports {len(theirs)} TVMFFI* symbols, ours {len(ours)}")
        if version == PEER_BASE:
            for sym in missing:
                log(f"  MISSING in ours (exported by peer {version}): {sym}")
            results.append(
                Result(
                    name,
                    not missing,
                    {"peer": len(theirs), "ours": len(ours)},
                    0.0,
                    f"{len(missing)} missing",
                )
            )
        else:  # newer releases: list, do not fail
            for sym in missing:
                log(f"  only in peer {version}: {sym}")
            results.append(
                Result(
                    name,
                    True,
                    {"peer": len(theirs), "ours": len(ours)},
                    0.0,
                    f"{len(missing)} only in the peer (listed, not required)",
                )
            )
        for sym in extra_ours:
            log(f"  only in ours (not in peer {version}): {sym}")
    return results


# ------------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ours-python", required=True, help="python of the venv with OUR tvm_ffi")
    parser.add_argument(
        "--build-dir",
        default=str(ROOT / "build"),
        help="peer venvs go to <dir>/interop-peer-<v>, binaries to <dir>/interop",
    )
    parser.add_argument(
        "--peer",
        action="append",
        default=None,
        help=f"peer versions (default: {PEER_BASE} and {PEER_NEWEST})",
    )
    args = parser.parse_args()

    wall_start = time.perf_counter()
    build = Path(args.build_dir).resolve()
    out = build / "interop"
    ours_python = Path(args.ours_python).absolute()  # not resolve(): keep the venv symlink
    versions = args.peer or [PEER_BASE, PEER_NEWEST]
    if PEER_BASE not in versions:
        log(f"note: the symbol superset check needs peer {PEER_BASE}; it is not in --peer")

    ours_module = build_module(ours_python, out / "ours" / "interop_module.so")
    ours_lib = build_flags(ours_python)[2]
    c_lib, c_host = build_c_example(out / "c-abi-only")

    results: list[Result] = []
    peer_libs: dict[str, str] = {}
    peer_modules: dict[str, Path] = {}
    for version in versions:
        peer_python = ensure_peer_venv(build, version, str(ours_python))
        peer_module = build_module(peer_python, out / f"peer-{version}" / "interop_module.so")
        peer_libs[version] = build_flags(peer_python)[2]
        peer_modules[version] = peer_module
        tag = f"peer-{version}"
        results.append(
            run_driver(
                f"ours <- {version}", ours_python, peer_module, c_lib, "ours", tag, out / "runs"
            )
        )
        results.append(
            run_driver(
                f"{version} <- ours", peer_python, ours_module, c_lib, tag, "ours", out / "runs"
            )
        )
        results.append(run_c_host(f"c_host on {version}", c_host, peer_libs[version], c_lib))
    results.append(run_c_host("c_host on ours", c_host, ours_lib, c_lib))
    results.extend(check_symbols(ours_lib, peer_libs))
    results.extend(check_module_imports(ours_lib, peer_modules))

    print("\n" + "=" * 78)
    print(
        f"{'interop check':<30} {'result':<7} {'pass':>5} {'fail':>5} {'xfail':>6} {'skip':>5}"
        f" {'sec':>6}  note"
    )
    for r in results:
        c = r.counts
        print(
            f"{r.name:<30} {'ok' if r.ok else 'FAILED':<7} {c.get('passed', ''):>5} "
            f"{c.get('failed', ''):>5} {c.get('xfailed', ''):>6} {c.get('skipped', ''):>5} "
            f"{r.seconds:>6.1f}  {r.note}"
        )
    print(f"total wall time: {time.perf_counter() - wall_start:.0f} s")
    failed = [r.name for r in results if not r.ok]
    if failed:
        print("FAILED: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
