"""Benchmark worker: runs inside ONE interpreter (ours or the peer's) and times cases on request.

Protocol (line based, on stdin/stdout): the driver sends `<case> <min_seconds>`; the worker
answers `<case> <ns_per_call>` (or `<case> nan <reason>` if the case cannot run here).
Every case is set up once (outside the timed loop) and timed as a `timeit` statement (no extra
Python call per iteration), in a loop long enough to take at least `min_seconds`.
"""

from __future__ import annotations

import sys
import timeit


def _make_cases(floor_module, nanobind_module):
    import tvm_ffi

    try:  # the peer needs an explicit import of its testing module; ours loads it lazily
        import tvm_ffi.testing  # noqa: F401
    except ImportError:
        pass

    cases = {}  # name -> (statement, namespace, items per statement)
    nop = tvm_ffi.get_global_func("testing.nop")
    echo = tvm_ffi.get_global_func("testing.echo")
    apply = tvm_ffi.get_global_func("testing.apply")

    def add(name, stmt, items=1, **namespace):
        cases[name] = (stmt, namespace, items)

    # --- call cases (the table of the README / docs performance page) ---
    add("nop0", "f()", f=nop)
    add("int2", "f(1, 2)", f=nop)
    nop_gil_held = tvm_ffi.get_global_func("testing.nop")
    try:
        nop_gil_held.release_gil = False
        add("nop0_gil_held", "f()", f=nop_gil_held)
        add("int2_gil_held", "f(1, 2)", f=nop_gil_held)
    except AttributeError:  # no per-function GIL switch
        pass
    import numpy as np

    np_arr = np.zeros((4, 4), dtype="float32")
    add("tensor1_numpy", "f(x)", f=nop, x=np_arr)
    ffi_tensor = tvm_ffi.from_dlpack(np_arr)
    add("tensor1_ffi", "f(x)", f=nop, x=ffi_tensor)
    try:
        import torch

        t0 = torch.zeros((4, 4), dtype=torch.float32)
        t1 = torch.zeros((4, 4), dtype=torch.float32)
        t2 = torch.zeros((4, 4), dtype=torch.float32)
        add("tensor1_torch", "f(x)", f=nop, x=t0)
        add("tensor3_torch", "f(x, y, z)", f=nop, x=t0, y=t1, z=t2)
        add("return_tensor_torch", "f(x)", f=echo, x=t0)
    except ImportError:
        pass
    add("return_tensor_ffi", "f(x)", f=echo, x=ffi_tensor)

    def py_identity(x):
        return x

    tvm_ffi.register_global_func("bench.py_identity", py_identity, override=True)
    add("py_callback", "f(1)", f=tvm_ffi.get_global_func("bench.py_identity"))
    add("apply_lambda", "f(g, 1)", f=apply, g=lambda x: x + 1)
    add("array_arg", "f(x)", f=nop, x=list(range(16)))
    add("nop_3mixed", "f(1, 2.5, 'hello')", f=nop)
    add("echo_str", "f('hello')", f=echo)
    add("echo_bytes", "f(b'hello')", f=echo)
    add("echo_array", "f(x)", f=echo, x=tvm_ffi.convert([1, 2, 3, 4]))

    # --- other operations ---
    add("convert_list4", "c([1, 2, 3, 4])", c=tvm_ffi.convert)
    add("convert_dict2", "c({'a': 1, 'b': 2})", c=tvm_ffi.convert)
    arr1000 = tvm_ffi.convert(list(range(1000)))
    add("array_iter1000", "for _ in a: pass", items=1000, a=arr1000)
    add("array_getitem", "a[500]", a=arr1000)
    add("get_global_func", "g('testing.echo')", g=tvm_ffi.get_global_func)

    try:
        from tvm_ffi.testing import TestIntPair
    except ImportError:

        @tvm_ffi.register_object("testing.TestIntPair")
        class TestIntPair(tvm_ffi.Object):
            def __init__(self, a, b):
                self.__ffi_init__(a, b)

    add("object_field", "p.a", p=TestIntPair(1, 2))

    # --- floors, timed in this same process ---
    if floor_module is not None:
        add("floor_fastcall", "f()", f=floor_module.noop)
    if nanobind_module is not None:
        add("nanobind_nop0", "f()", f=nanobind_module.nop)
        add("nanobind_int2", "f(1, 2)", f=nanobind_module.nop2)
    return cases


def _time_case(stmt, namespace, items, min_seconds):
    """ns per item: one timeit loop of the statement (no Python-level wrapper per call)."""
    timer = timeit.Timer(stmt, globals=namespace)
    number, _ = timer.autorange()
    while True:
        elapsed = timer.timeit(number)
        if elapsed >= min_seconds:
            break
        number = max(number * 2, int(number * min_seconds / max(elapsed, 1e-9) * 1.1))
    return elapsed / (number * items) * 1e9


def main():
    floor_module = None
    nanobind_module = None
    if len(sys.argv) > 1 and sys.argv[1]:
        sys.path.insert(0, sys.argv[1])
        import _bench_floor as floor_module  # type: ignore
    if len(sys.argv) > 2 and sys.argv[2]:
        sys.path.insert(0, sys.argv[2])
        import _bench_nanobind as nanobind_module  # type: ignore
    cases = _make_cases(floor_module, nanobind_module)
    print("ready", flush=True)
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        name, min_seconds = parts[0], float(parts[1])
        if name not in cases:
            print(f"{name} nan missing", flush=True)
            continue
        stmt, namespace, items = cases[name]
        print(f"{name} {_time_case(stmt, namespace, items, min_seconds):.3f}", flush=True)


if __name__ == "__main__":
    main()
