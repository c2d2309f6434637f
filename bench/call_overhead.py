"""Call-overhead benchmark: our tvm_ffi vs the PyPI peer apache-tvm-ffi, side by side.

Method (see ../shared/bench/README.md): every case is timed as nanoseconds per call, median of
REPEATS runs of a loop that takes at least MIN_SECONDS; the two implementations run in two
persistent worker processes and are ALTERNATED (ours, peer, ours, peer, ...) so that machine
noise hits both alike. The floor is a no-op METH_FASTCALL function of a plain C extension built
here. import_time is the median wall time of `python -c "import tvm_ffi"` over 10 fresh processes.
Only ratios from one run are meaningful; absolute numbers vary between runs and machines.

Usage:
    python bench/call_overhead.py [--peer-python PATH] [--repeats 5] [--min-seconds 0.2]
The peer interpreter defaults to a venv at build/bench-peer-venv, created on first use with
`apache-tvm-ffi` (newest 0.1.x), numpy and torch==2.13.0.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEER_SPEC = "apache-tvm-ffi>=0.1,<0.2"
CASES = [
    "nop0",
    "nop_int",
    "nop_3mixed",
    "echo_int",
    "echo_float",
    "echo_str",
    "echo_none",
    "echo_bytes",
    "echo_array",
    "apply_lambda",
    "py_global",
    "tensor_numpy_arg",
    "tensor_torch_arg",
    "tensor_ffi_arg",
    "convert_list4",
    "convert_dict2",
    "array_iter1000",
    "array_getitem",
    "get_global_func",
    "object_field",
    "floor_fastcall",
]

FLOOR_SOURCE = r"""
#define PY_SSIZE_T_CLEAN
#include <Python.h>
static PyObject* noop(PyObject* self, PyObject* const* args, Py_ssize_t nargs) { Py_RETURN_NONE; }
static PyMethodDef methods[] = {{"noop", (PyCFunction)(void(*)(void))noop, METH_FASTCALL, ""},
                                {NULL, NULL, 0, NULL}};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "_bench_floor", NULL, -1, methods};
PyMODINIT_FUNC PyInit__bench_floor(void) { return PyModule_Create(&mod); }
"""


def build_floor(python: str, out_dir: Path) -> Path:
    """Compile the no-op C extension for `python` into out_dir; return out_dir."""
    info = subprocess.check_output(
        [
            python,
            "-c",
            "import sysconfig;print(sysconfig.get_paths()['include']);"
            "print(sysconfig.get_config_var('EXT_SUFFIX'))",
        ],
        text=True,
    ).split()
    include, suffix = info[0], info[1]
    src = out_dir / "floor.c"
    src.write_text(FLOOR_SOURCE)
    cc = sysconfig.get_config_var("CC") or "cc"
    subprocess.check_call(
        cc.split()[:1]
        + [
            "-O2",
            "-shared",
            "-fPIC",
            f"-I{include}",
            str(src),
            "-o",
            str(out_dir / f"_bench_floor{suffix}"),
        ]
    )
    return out_dir


def ensure_peer(python_arg: str | None) -> str:
    if python_arg:
        return python_arg
    venv = ROOT / "build" / "bench-peer-venv"
    py = venv / "bin" / "python"
    if not py.exists():
        subprocess.check_call([sys.executable, "-m", "venv", str(venv)])
        subprocess.check_call(
            [str(py), "-m", "pip", "install", "-q", PEER_SPEC, "numpy", "torch==2.13.0"]
        )
    return str(py)


class Worker:
    def __init__(self, python: str, floor_dir: Path, env: dict):
        self.proc = subprocess.Popen(
            [python, str(Path(__file__).with_name("_worker.py")), str(floor_dir)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=tempfile.gettempdir(),
        )
        line = self.proc.stdout.readline().strip()
        if line != "ready":
            raise RuntimeError(f"worker {python} failed to start: {line!r}")

    def run(self, case: str, min_seconds: float) -> float:
        self.proc.stdin.write(f"{case} {min_seconds}\n")
        self.proc.stdin.flush()
        parts = self.proc.stdout.readline().split()
        return float(parts[1])

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def import_time(python: str, env: dict, runs: int = 10) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.check_call([python, "-c", "import tvm_ffi"], env=env, cwd=tempfile.gettempdir())
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ours-python", default=sys.executable)
    parser.add_argument("--peer-python", default=None)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--min-seconds", type=float, default=0.2)
    args = parser.parse_args()

    peer = ensure_peer(args.peer_python)
    env = dict(os.environ)
    tmp = Path(tempfile.mkdtemp(prefix="tvm_ffi_bench_"))
    (tmp / "ours").mkdir()
    (tmp / "peer").mkdir()
    ours_floor = build_floor(args.ours_python, tmp / "ours")
    peer_floor = build_floor(peer, tmp / "peer")
    ours = Worker(args.ours_python, ours_floor, env)
    theirs = Worker(peer, peer_floor, env)
    results = {}
    for case in CASES:
        a, b = [], []
        for _ in range(args.repeats):  # alternate A B A B ...
            a.append(ours.run(case, args.min_seconds))
            b.append(theirs.run(case, args.min_seconds))
        results[case] = (statistics.median(a), statistics.median(b))
    ours.close()
    theirs.close()
    results["import_time(ms)"] = (import_time(args.ours_python, env), import_time(peer, env))

    print(f"{'case':<18} {'ours (ns)':>10} {'peer (ns)':>10} {'ratio':>7}")
    for case, (x, y) in results.items():
        ratio = x / y if y == y and y > 0 else float("nan")
        print(f"{case:<18} {x:>10.1f} {y:>10.1f} {ratio:>7.2f}")


if __name__ == "__main__":
    main()
