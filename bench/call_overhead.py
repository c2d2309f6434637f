"""Call-overhead benchmark: our tvm_ffi vs the PyPI peer apache-tvm-ffi, side by side.

Method: every case is timed as nanoseconds per call, median of REPEATS runs of a `timeit` loop
that takes at least MIN_SECONDS; the two implementations run in two persistent worker processes
and are ALTERNATED (ours, peer, ours, peer, ...) so that machine noise hits both alike. Two
floors are timed inside each worker process: a no-op METH_FASTCALL function of a plain C
extension, and a nanobind no-op (`nop()`, `nop2(a, b)`), both built here. import_time is the
median wall time of `python -c "import tvm_ffi"` over 10 fresh processes. Only ratios from one
run are meaningful; absolute numbers vary between runs and machines.

Usage:
    python bench/call_overhead.py [--peer-python PATH] [--repeats 5] [--min-seconds 0.2]
                                  [--svg docs/_static/bench_calls.svg]
The peer interpreter defaults to a venv at build/bench-peer-venv, created on first use with
apache-tvm-ffi 0.1.15.post2, numpy and torch==2.13.0. The chart (ns per call of the call cases:
ours / peer / nanobind no-op floor) is written to --svg.
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
PEER_SPEC = "apache-tvm-ffi==0.1.15.post2"
# call cases: the table of the README and of docs/performance.md (target: at most 0.5x the peer)
CALL_CASES = [
    "nop0",
    "int2",
    "tensor1_torch",
    "tensor3_torch",
    "tensor1_numpy",
    "tensor1_ffi",
    "py_callback",
    "array_arg",
    "return_tensor_ffi",
    "return_tensor_torch",
    "nop_3mixed",
    "echo_str",
    "echo_bytes",
    "echo_array",
    "apply_lambda",
]
OTHER_CASES = [
    "nop0_gil_held",
    "int2_gil_held",
    "convert_list4",
    "convert_dict2",
    "array_iter1000",
    "array_getitem",
    "get_global_func",
    "object_field",
    "floor_fastcall",
    "nanobind_nop0",
    "nanobind_int2",
]
CASES = CALL_CASES + OTHER_CASES

NANOBIND_SOURCE = r"""
#include <nanobind/nanobind.h>
NB_MODULE(_bench_nanobind, m) {
  m.def("nop", []() {});
  m.def("nop2", [](int, int) {});
}
"""


def build_nanobind(python: str, out_dir: Path) -> Path | None:
    """Compile the nanobind no-op module for `python` into out_dir (None if nanobind is absent)."""
    try:
        info = subprocess.check_output(
            [
                python,
                "-c",
                "import sysconfig, nanobind;print(sysconfig.get_paths()['include']);"
                "print(sysconfig.get_config_var('EXT_SUFFIX'));print(nanobind.include_dir());"
                "print(nanobind.source_dir())",
            ],
            text=True,
            stderr=subprocess.DEVNULL,
        ).split()
    except subprocess.CalledProcessError:
        return None
    include, suffix, nb_include, nb_source = info
    nb_root = Path(nb_source).parent
    src = out_dir / "nb_module.cpp"
    src.write_text(NANOBIND_SOURCE)
    cxx = os.environ.get("CXX", "c++")
    subprocess.check_call(
        [
            cxx,
            "-O2",
            "-std=c++17",
            "-shared",
            "-fPIC",
            "-fvisibility=hidden",
            "-DNDEBUG",
            f"-I{include}",
            f"-I{nb_include}",
            f"-I{nb_root / 'ext' / 'robin_map' / 'include'}",
            str(src),
            str(Path(nb_source) / "nb_combined.cpp"),
            "-o",
            str(out_dir / f"_bench_nanobind{suffix}"),
        ]
    )
    return out_dir


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
    def __init__(self, python: str, floor_dir: Path, nanobind_dir: Path | None, env: dict):
        self.proc = subprocess.Popen(
            [
                python,
                str(Path(__file__).with_name("_worker.py")),
                str(floor_dir),
                str(nanobind_dir or ""),
            ],
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


def write_svg(path: Path, results: dict, floor: float, title: str) -> None:
    """Grouped horizontal bars: ns per call of each call case, ours / peer / nanobind floor."""
    cases = [c for c in CALL_CASES if c in results and results[c][0] == results[c][0]]
    bar_h, gap, left, width = 9, 10, 150, 520
    colors = [("ours", "#1f77b4"), ("apache-tvm-ffi 0.1.15", "#ff7f0e"), ("nanobind no-op", "#999")]
    vmax = max(
        [max(results[c][0], results[c][1] if results[c][1] == results[c][1] else 0) for c in cases]
        + [floor if floor == floor else 0, 1.0]
    )
    height = 60 + len(cases) * (3 * bar_h + gap) + 30
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 90}" height="{height}"'
        ' font-family="sans-serif" font-size="11">',
        f'<text x="10" y="18" font-size="13" font-weight="bold">{title}</text>',
    ]
    for i, (name, color) in enumerate(colors):
        out.append(f'<rect x="{left + i * 170}" y="30" width="10" height="10" fill="{color}"/>')
        out.append(f'<text x="{left + i * 170 + 14}" y="39">{name}</text>')
    y = 55
    for case in cases:
        ours, peer = results[case]
        out.append(
            f'<text x="{left - 6}" y="{y + 1.5 * bar_h + 4}" text-anchor="end">{case}</text>'
        )
        for j, value in enumerate((ours, peer, floor)):
            if value != value:  # nan: not measured
                continue
            w = max(1.0, value / vmax * width)
            out.append(
                f'<rect x="{left}" y="{y + j * bar_h}" width="{w:.1f}" height="{bar_h - 1}"'
                f' fill="{colors[j][1]}"/>'
            )
            out.append(
                f'<text x="{left + w + 4:.1f}" y="{y + j * bar_h + bar_h - 1}">{value:.0f}</text>'
            )
        y += 3 * bar_h + gap
    out.append(
        f'<text x="{left}" y="{y + 14}">ns per call (median of repeats; lower is better)</text>'
    )
    out.append("</svg>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ours-python", default=sys.executable)
    parser.add_argument("--peer-python", default=None)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--min-seconds", type=float, default=0.2)
    parser.add_argument("--svg", default=str(ROOT / "docs" / "_static" / "bench_calls.svg"))
    args = parser.parse_args()

    peer = ensure_peer(args.peer_python)
    env = dict(os.environ)
    tmp = Path(tempfile.mkdtemp(prefix="tvm_ffi_bench_"))
    (tmp / "ours").mkdir()
    (tmp / "peer").mkdir()
    ours_floor = build_floor(args.ours_python, tmp / "ours")
    peer_floor = build_floor(peer, tmp / "peer")
    ours_nb = build_nanobind(args.ours_python, tmp / "ours")
    ours = Worker(args.ours_python, ours_floor, ours_nb, env)
    theirs = Worker(peer, peer_floor, None, env)
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

    floor = results.get("nanobind_nop0", (float("nan"), float("nan")))[0]
    print(f"{'case':<20} {'ours (ns)':>10} {'peer (ns)':>10} {'ratio':>7} {'x nanobind':>11}")
    for case, (x, y) in results.items():
        ratio = x / y if y == y and y > 0 else float("nan")
        nb = x / floor if floor == floor and floor > 0 else float("nan")
        mark = " <= 0.5" if case in CALL_CASES and ratio <= 0.5 else ""
        mark = " > 0.5" if case in CALL_CASES and ratio > 0.5 else mark
        print(f"{case:<20} {x:>10.1f} {y:>10.1f} {ratio:>7.2f} {nb:>11.2f}{mark}")
    title = f"Call overhead, ns per call ({os.uname().machine}, Python {sys.version.split()[0]})"
    write_svg(Path(args.svg), results, floor, title)
    print(f"chart: {args.svg}")


if __name__ == "__main__":
    main()
