"""Self-check of a sanitized run (ci/sanitize/run.sh): the sanitizers must be live, or a clean
run proves nothing.

    python canary.py --libs LIB...    every LIB imports ASan checks and non-recoverable UBSan
                                      handlers (nm -D)
    python canary.py --python         under the sanitized interpreter (run.sh's venv): a clean
                                      process exits 0 with no report; a deliberately leaked
                                      runtime object fails with a LeakSanitizer report naming
                                      our allocation; a double release fails with
                                      AddressSanitizer's heap-use-after-free

Exits non-zero, saying what is wrong, if any expectation fails.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

CLEAN = """
import tvm_ffi, tvm_ffi.testing
a = tvm_ffi.convert([1, 2, 3])
assert list(tvm_ffi.get_global_func("testing.echo")(a)) == [1, 2, 3]
"""

# One extra strong reference that nobody releases: the array must be reported as a leak.
LEAK = """
import ctypes, tvm_ffi
lib = ctypes.CDLL(tvm_ffi.libinfo.find_libtvm_ffi())
a = tvm_ffi.convert([1, 2, 3])
lib.TVMFFIObjectIncRef(ctypes.c_void_p(a.__chandle__()))
"""

# The Python wrapper's reference is released behind its back; its own release then touches
# freed memory.
USE_AFTER_FREE = """
import ctypes, tvm_ffi
lib = ctypes.CDLL(tvm_ffi.libinfo.find_libtvm_ffi())
a = tvm_ffi.convert([1, 2, 3])
lib.TVMFFIObjectDecRef(ctypes.c_void_p(a.__chandle__()))
del a
"""


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)


def check_python() -> list[str]:
    problems = []
    proc = _run(CLEAN)
    if proc.returncode != 0 or "Sanitizer" in proc.stderr:
        problems.append(f"clean process failed (rc={proc.returncode}):\n{proc.stderr[-3000:]}")
    maps = _run("print(open('/proc/self/maps').read())").stdout
    if "libasan" not in maps:
        problems.append("the interpreter does not have the ASan runtime loaded")
    proc = _run(LEAK)
    if (
        proc.returncode == 0
        or "ERROR: LeakSanitizer: detected memory leaks" not in proc.stderr
        or "ArrayObj" not in proc.stderr
    ):
        problems.append(
            f"a leaked runtime object was not reported (rc={proc.returncode}):\n"
            f"{proc.stderr[-3000:]}"
        )
    proc = _run(USE_AFTER_FREE)
    if proc.returncode == 0 or "heap-use-after-free" not in proc.stderr:
        problems.append(
            f"a use after free was not reported (rc={proc.returncode}):\n{proc.stderr[-3000:]}"
        )
    return problems


def check_libs(libs: list[str]) -> list[str]:
    problems = []
    for lib in libs:
        out = subprocess.run(
            ["nm", "-D", "--undefined-only", lib], capture_output=True, text=True, check=True
        ).stdout
        symbols = [line.split()[-1] for line in out.splitlines() if line.strip()]
        asan = [s for s in symbols if s.startswith("__asan_report_")]
        ubsan = [s for s in symbols if s.startswith("__ubsan_handle_")]
        recoverable = [
            s
            for s in ubsan
            if not s.endswith("_abort") and s != "__ubsan_handle_builtin_unreachable"
        ]
        if not asan:
            problems.append(f"{lib}: not instrumented by AddressSanitizer")
        if not ubsan:
            problems.append(f"{lib}: not instrumented by UndefinedBehaviorSanitizer")
        if recoverable:
            problems.append(f"{lib}: UBSan findings would not abort: {recoverable}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--libs", nargs="*", default=[])
    parser.add_argument("--python", action="store_true")
    args = parser.parse_args()
    problems = check_libs(args.libs)
    if args.python:
        problems += check_python()
    for problem in problems:
        print("SANITIZER CANARY:", problem)
    checked = len(args.libs) + (4 if args.python else 0)
    print(f"sanitizer canary: {checked} checks, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
