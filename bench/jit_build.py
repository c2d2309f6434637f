"""JIT build benchmark: cold build and warm (cached) load of the guide's add-one module.

Compares, each in a FRESH process (so import and cache-lookup costs are included):
  ours   tvm_ffi.cpp.load_inline            (this repo's tvm-ffi-cpp-jit)
  peer   tvm_ffi.cpp.load_inline            (PyPI apache-tvm-ffi, own venv: build/bench-peer-venv)
  torch  torch.utils.cpp_extension.load_inline (a comparable add-one function)
cold = empty cache directory; warm = the same call again with the cache filled. Reported: median
wall time of REPEATS fresh processes, in milliseconds. Not a test.

Usage: python bench/jit_build.py [--repeats 3] [--peer-python PATH]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from call_overhead import ensure_peer  # noqa: E402  (same peer venv as the call benchmark)

FFI_SCRIPT = textwrap.dedent('''
    import tvm_ffi.cpp
    cpp_source = """
    void add_one_cpu(tvm::ffi::TensorView x, tvm::ffi::TensorView y) {
      for (int i = 0; i < x.size(0); ++i) {
        static_cast<float*>(y.data_ptr())[i] = static_cast<float*>(x.data_ptr())[i] + 1;
      }
    }
    """
    mod = tvm_ffi.cpp.load_inline(name="hello", cpp_sources=cpp_source, functions="add_one_cpu")
''')

TORCH_SCRIPT = textwrap.dedent('''
    import torch.utils.cpp_extension as ext
    cpp_source = """
    #include <torch/extension.h>
    void add_one_cpu(torch::Tensor x, torch::Tensor y) {
      auto* xp = x.data_ptr<float>(); auto* yp = y.data_ptr<float>();
      for (int64_t i = 0; i < x.size(0); ++i) yp[i] = xp[i] + 1;
    }
    """
    mod = ext.load_inline(name="hello_torch", cpp_sources=cpp_source, functions="add_one_cpu")
''')


def run_once(python: str, script: str, env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(
        [python, "-c", script],
        env=env,
        check=True,
        cwd=tempfile.gettempdir(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return (time.perf_counter() - start) * 1e3


def measure(python: str, script: str, cache_var: str, repeats: int) -> tuple[float, float]:
    cold, warm = [], []
    for _ in range(repeats):
        cache = tempfile.mkdtemp(prefix="jit_bench_")
        env = dict(os.environ, **{cache_var: cache})
        cold.append(run_once(python, script, env))
        warm.append(run_once(python, script, env))
    return statistics.median(cold), statistics.median(warm)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--peer-python", default=None)
    parser.add_argument("--skip-torch", action="store_true")
    args = parser.parse_args()
    peer = ensure_peer(args.peer_python)
    subprocess.check_call([peer, "-m", "pip", "install", "-q", "ninja"])
    rows = {
        "ours": measure(sys.executable, FFI_SCRIPT, "TVM_FFI_CACHE_DIR", args.repeats),
        "peer": measure(peer, FFI_SCRIPT, "TVM_FFI_CACHE_DIR", args.repeats),
    }
    if not args.skip_torch:
        rows["torch"] = measure(sys.executable, TORCH_SCRIPT, "TORCH_EXTENSIONS_DIR", args.repeats)
    print(f"{'impl':<6} {'cold (ms)':>10} {'warm (ms)':>10}")
    for name, (cold, warm) in rows.items():
        print(f"{name:<6} {cold:>10.0f} {warm:>10.0f}")
    ours, peer_row = rows["ours"], rows["peer"]
    print(f"ratio ours/peer: cold {ours[0] / peer_row[0]:.2f}, warm {ours[1] / peer_row[1]:.2f}")


if __name__ == "__main__":
    main()
