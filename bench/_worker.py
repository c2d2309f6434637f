"""Benchmark worker: runs inside ONE interpreter (ours or the peer's) and times cases on request.

Protocol (line based, on stdin/stdout): the driver sends `<case> <min_seconds>`; the worker
answers `<case> <ns_per_call>` (or `<case> nan <reason>` if the case cannot run here).
Every case is set up once (outside the timed loop) and timed as a `timeit` statement (no extra
Python call per iteration), in a loop long enough to take at least `min_seconds`.
"""

from __future__ import annotations

import sys
import timeit


def _make_cases(floor_module):
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

    add("nop0", "f()", f=nop)
    add("nop_int", "f(1)", f=nop)
    add("nop_3mixed", "f(1, 2.5, 'hello')", f=nop)
    add("echo_int", "f(1)", f=echo)
    add("echo_float", "f(2.5)", f=echo)
    add("echo_str", "f('hello')", f=echo)
    add("echo_none", "f(None)", f=echo)
    add("echo_bytes", "f(b'hello')", f=echo)
    add("echo_array", "f(x)", f=echo, x=tvm_ffi.convert([1, 2, 3, 4]))
    add("apply_lambda", "f(g, 1)", f=apply, g=lambda x: x + 1)

    def py_identity(x):
        return x

    tvm_ffi.register_global_func("bench.py_identity", py_identity, override=True)
    add("py_global", "f(1)", f=tvm_ffi.get_global_func("bench.py_identity"))

    tview = tvm_ffi.get_global_func("testing.schema_tensor_view_input", allow_missing=True)
    if tview is not None:
        import numpy as np

        np_arr = np.zeros((1,), dtype="float32")
        add("tensor_numpy_arg", "f(x)", f=tview, x=np_arr)
        add("tensor_ffi_arg", "f(x)", f=tview, x=tvm_ffi.from_dlpack(np_arr))
        try:
            import torch

            add("tensor_torch_arg", "f(x)", f=tview, x=torch.zeros((1,), dtype=torch.float32))
        except ImportError:
            pass

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
    if floor_module is not None:
        add("floor_fastcall", "f()", f=floor_module.noop)
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
    if len(sys.argv) > 1 and sys.argv[1]:
        sys.path.insert(0, sys.argv[1])
        import _bench_floor as floor_module  # type: ignore
    cases = _make_cases(floor_module)
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
