"""Leaks and reference counts: every kind of value that crosses the boundary, 10**4 round trips.

One round trip = ``testing.echo(v)`` (Python -> C++ -> Python) plus
``testing.apply(identity, v)`` (Python -> C++ -> Python callback -> C++ -> Python, with the
callable itself converted to a Function on every call). After the round trips these are back
where they started:

* ``sys.getrefcount`` of the value (and of what it holds),
* ``testing.object_use_count`` of FFI objects,
* DLPack deleter counts (a hand-built producer counts its deleter calls),
* memory: ``tracemalloc`` (Python allocations) and glibc ``mallinfo2`` (every malloc, so C++
  allocations too). Both are sampled after two halves of the loop; a leak grows both halves,
  a one-time cache grows neither after the warm-up.

``test_refcount.py`` checks the single-direction counts for the common kinds; this file adds
the callback direction, the memory meters, the remaining kinds and deleter counts.
"""

from __future__ import annotations

import ctypes
import gc
import math
import sys
import tracemalloc

import numpy as np
import pytest

import tvm_ffi
import tvm_ffi.testing

from hardening_util import DLPackProducer, malloc_in_use

N = 10**4
WARMUP = 500
# growth allowed per half (N/2 round trips): a leak of one 32-byte block per round trip
# would be 160 KB per half
TRACEMALLOC_LIMIT = 48 * 1024
MALLOC_LIMIT = 96 * 1024

fecho = tvm_ffi.get_global_func("testing.echo")
fapply = tvm_ffi.get_global_func("testing.apply")
use_count = tvm_ffi.get_global_func("testing.object_use_count")


def _identity(x):
    return x


def _eq(expected):
    def check(r):
        assert r == expected, (r, expected)
        assert isinstance(r, type(expected)) or isinstance(expected, str), (r, expected)

    return check


def _is(expected):
    def check(r):
        assert r is expected

    return check


def _same_handle(expected):
    def check(r):
        assert r.same_as(expected)

    return check


def _refcount(value):
    return lambda: sys.getrefcount(value)


def _uses(obj):
    return lambda: use_count(obj)


# ------------------------------------------------------------------------------------------
# The cases: name -> () -> (value, check(result), {counter name: () -> int})
# ------------------------------------------------------------------------------------------
def _pod_cases():
    big = 2**62 + 12345  # not a cached small int: its refcount is observable
    low = -(2**63)
    flt = 1.0e300
    nan = float("nan")
    dt = tvm_ffi.dtype("float32")
    dev = tvm_ffi.device("cuda", 1)
    ptr = ctypes.c_void_p(0xDEAD0)
    return {
        "none": lambda: (None, _is(None), {}),
        "bool": lambda: (True, _is(True), {}),
        "int64_max_ish": lambda: (big, _eq(big), {"refcount": _refcount(big)}),
        "int64_min": lambda: (low, _eq(low), {"refcount": _refcount(low)}),
        "float": lambda: (flt, _eq(flt), {"refcount": _refcount(flt)}),
        "float_nan": lambda: (nan, lambda r: math.isnan(r), {"refcount": _refcount(nan)}),
        "dtype": lambda: (dt, _eq(dt), {"refcount": _refcount(dt)}),
        "device": lambda: (dev, lambda r: str(r) == "cuda:1", {"refcount": _refcount(dev)}),
        "opaque_ptr": lambda: (ptr, lambda r: r.value == 0xDEAD0, {"refcount": _refcount(ptr)}),
    }


def _string_cases():
    def make(v):
        return lambda: (v, _eq(v), {"refcount": _refcount(v)})

    def ffi_string():
        s = fecho("a returned string object" * 3)  # core.String backed by an FFI object
        obj = s._tvm_ffi_cached_object
        return s, _eq(str(s)), {"refcount": _refcount(s), "use_count": _uses(obj)}

    def ffi_bytes():
        b = fecho(b"returned bytes object " * 4)
        obj = b._tvm_ffi_cached_object
        return b, _eq(bytes(b)), {"refcount": _refcount(b), "use_count": _uses(obj)}

    return {
        "str_small": make("abc"),
        "str_large": make("large unicode ✓ " * 20),
        "str_ffi": ffi_string,
        "bytes_small": make(b"\x00\xff"),
        "bytes_large_non_utf8": make(bytes(range(256)) * 2),
        "bytes_ffi": ffi_bytes,
    }


def _container_cases():
    def array_obj():
        inner = tvm_ffi.testing.TestIntPair(1, 2)
        arr = tvm_ffi.convert([1, "two", 3.0, inner])
        return arr, _same_handle(arr), {"use_count": _uses(arr), "inner": _uses(inner)}

    def list_value():
        inner = tvm_ffi.testing.TestIntPair(1, 2)
        payload = object()  # travels as an OpaquePyObject inside the Array
        value = [1, [2, "three"], inner, payload]

        def check(r):
            assert len(r) == 4 and r[0] == 1 and list(r[1]) == [2, "three"]
            assert r[2].same_as(inner) and r[3] is payload

        return value, check, {"inner": _uses(inner), "payload": _refcount(payload)}

    def map_obj():
        m = tvm_ffi.convert({"a": 1, "b": [1, 2]})
        return m, _same_handle(m), {"use_count": _uses(m)}

    def dict_value():
        payload = object()
        value = {"k": payload, 7: {"nested": 1.5}}

        def check(r):
            assert r["k"] is payload and r[7]["nested"] == 1.5

        return value, check, {"payload": _refcount(payload)}

    def shape():
        s = tvm_ffi.Shape((2, 3, 4))
        return (
            s,
            _eq((2, 3, 4)),
            {"refcount": _refcount(s), "use_count": _uses(s._tvm_ffi_cached_object)},
        )

    return {
        "array_obj": array_obj,
        "list": list_value,
        "map_obj": map_obj,
        "dict": dict_value,
        "shape": shape,
    }


def _object_cases():
    def obj():
        p = tvm_ffi.testing.TestIntPair(3, 4)
        return p, _same_handle(p), {"use_count": _uses(p), "refcount": _refcount(p)}

    def py_callable():
        def f(x):
            return x * 3

        return f, lambda r: r(2) == 6, {"refcount": _refcount(f)}

    def ffi_function():
        def g(x):
            return x - 1

        fn = tvm_ffi.convert(g)
        return fn, _same_handle(fn), {"use_count": _uses(fn), "py_refcount": _refcount(g)}

    def opaque():
        payload = object()
        return payload, _is(payload), {"refcount": _refcount(payload)}

    def error_obj():
        try:
            tvm_ffi.get_global_func("testing.test_raise_error")("ValueError", "boom")
        except ValueError as e:
            err = e.__tvm_ffi_error__
        return err, _same_handle(err), {"use_count": _uses(err)}

    def py_exception():
        exc = KeyError("python side")

        def check(r):
            assert isinstance(r, tvm_ffi.core.Error) and r.kind == "KeyError"

        return exc, check, {"refcount": _refcount(exc)}

    return {
        "object": obj,
        "py_callable": py_callable,
        "ffi_function": ffi_function,
        "opaque_py_object": opaque,
        "error_obj": error_obj,
        "py_exception": py_exception,
    }


def _tensor_cases():
    def numpy_array():
        a = np.arange(12, dtype="float32").reshape(3, 4)

        def check(r):
            assert r.shape == (3, 4) and r.data_ptr == a.ctypes.data

        return a, check, {"refcount": _refcount(a)}

    def ffi_tensor():
        t = tvm_ffi.from_dlpack(np.arange(8, dtype="int64"))
        return t, _same_handle(t), {"use_count": _uses(t), "refcount": _refcount(t)}

    def counting_producer():
        producer = DLPackProducer()

        class Source:  # a fresh capsule (and a fresh import) on every conversion
            def __dlpack__(self, *args, **kwargs):
                return producer.make_capsule((5, 2), dtype=(0, 32, 1))

            def __dlpack_device__(self):
                return (1, 0)

        def check(r):
            assert r.shape == (5, 2) and r.dtype == "int32"

        return (
            Source(),
            check,
            {
                "pending_deleters": producer.pending,
                "double_deletes": lambda: producer.double_deletes,
            },
        )

    return {"numpy": numpy_array, "ffi_tensor": ffi_tensor, "dlpack_deleter": counting_producer}


def _torch_cases():
    def torch_tensor():
        torch = pytest.importorskip("torch")
        t = torch.arange(6, dtype=torch.float32)

        def check(r):
            assert isinstance(r, torch.Tensor) and r.data_ptr() == t.data_ptr()

        return t, check, {"refcount": _refcount(t)}

    return {"torch": torch_tensor}


CASES = {
    **_pod_cases(),
    **_string_cases(),
    **_container_cases(),
    **_object_cases(),
    **_tensor_cases(),
    **_torch_cases(),
}


def _round_trips(value, check, n):
    for i in range(n):
        r1 = fecho(value)
        r2 = fapply(_identity, value)
        if i % 997 == 0:
            check(r1)
            check(r2)
        del r1, r2


def _sample():
    gc.collect()
    return tracemalloc.get_traced_memory()[0], malloc_in_use()


def _leak_report(value, check, counters, round_trips=_round_trips):
    """Run WARMUP + N round trips; return the list of problems found (empty: no leak)."""
    round_trips(value, check, WARMUP)
    gc.collect()
    before = {key: f() for key, f in counters.items()}
    tracemalloc.start()
    try:
        t0, m0 = _sample()
        round_trips(value, check, N // 2)
        t1, m1 = _sample()
        round_trips(value, check, N // 2)
        t2, m2 = _sample()
    finally:
        tracemalloc.stop()
    gc.collect()
    after = {key: f() for key, f in counters.items()}
    problems = []
    if after != before:
        problems.append(f"counts moved: {before} -> {after}")
    growth = (t1 - t0, t2 - t1)
    if min(growth) >= TRACEMALLOC_LIMIT:
        problems.append(f"tracemalloc grew by {growth} bytes per half")
    if m0 is not None:
        mgrowth = (m1 - m0, m2 - m1)
        if min(mgrowth) >= MALLOC_LIMIT:
            problems.append(f"malloc heap grew by {mgrowth} bytes per half")
    return problems


@pytest.mark.parametrize("name", list(CASES))
def test_round_trips_leave_counts_and_memory_flat(name):
    value, check, counters = CASES[name]()
    assert _leak_report(value, check, counters) == []


def test_leak_meters_detect_leaks():
    """Each meter flags a deliberate leak of its kind (so the test above can fail)."""
    payload = object()
    kept = []
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]

    def leak_refcount(value, check, n):
        _round_trips(value, check, n)
        for _ in range(n):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(value))

    def leak_python_memory(value, check, n):
        _round_trips(value, check, n)
        kept.extend(fecho(f"kept string number {i}") for i in range(n))

    def leak_c_memory(value, check, n):
        _round_trips(value, check, n)
        for _ in range(n):
            libc.malloc(64)  # never freed (a few hundred KB in total)

    counters = {"refcount": _refcount(payload)}
    report = _leak_report(payload, _is(payload), counters, leak_refcount)
    assert any("counts moved" in p for p in report), report
    # undo the deliberate references so the object can be collected
    for _ in range(WARMUP + N):
        ctypes.pythonapi.Py_DecRef(ctypes.py_object(payload))
    report = _leak_report(payload, _is(payload), counters, leak_python_memory)
    assert any("tracemalloc" in p for p in report), report
    kept.clear()
    if malloc_in_use() is not None:
        report = _leak_report(payload, _is(payload), counters, leak_c_memory)
        assert any("malloc heap" in p for p in report), report


def test_dlpack_deleter_called_exactly_once_per_import():
    producer = DLPackProducer()
    keep = []
    for i in range(2000):
        t = tvm_ffi.from_dlpack(producer.make_capsule((i % 7 + 1,), dtype=(2, 32, 1)))
        r = fecho(t)
        if i % 100 == 0:
            keep.append(r)  # still alive: its deleter must not have run yet
        del t, r
    gc.collect()
    assert producer.created == 2000
    assert producer.deleted == 2000 - len(keep)
    assert producer.pending() == len(keep)
    assert [k.shape for k in keep] == [((i % 7) + 1,) for i in range(0, 2000, 100)]
    del keep
    gc.collect()
    assert producer.deleted == 2000 and producer.double_deletes == 0


def test_dlpack_deleter_runs_on_failed_import_path():
    # a capsule that fails to import (require_contiguous) is not consumed: its owner keeps it
    producer = DLPackProducer()
    for _ in range(200):
        cap = producer.make_capsule((4, 4), strides=(1, 4))
        with pytest.raises(RuntimeError, match="contiguous"):
            tvm_ffi.from_dlpack(cap, require_contiguous=True)
        # not consumed: the import may be retried and then succeeds
        t = tvm_ffi.from_dlpack(cap)
        del t
    gc.collect()
    assert producer.created == producer.deleted == 200
    assert producer.double_deletes == 0


def test_exported_capsules_released_by_consumers():
    # FFI Tensor -> numpy (and torch) -> dropped: the FFI tensor's use count returns to 1
    t = tvm_ffi.from_dlpack(np.arange(10, dtype="float32"))
    for _ in range(N // 10):
        a = np.from_dlpack(t)
        assert a.shape == (10,)
        del a
    gc.collect()
    assert use_count(t) == 1
    torch = pytest.importorskip("torch")
    for _ in range(N // 10):
        x = torch.from_dlpack(t)
        del x
    gc.collect()
    assert use_count(t) == 1
