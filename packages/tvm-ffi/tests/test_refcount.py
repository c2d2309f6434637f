"""Reference counts stay flat over many calls (no leaks, no over-release).

Both sides are watched: the FFI strong count (``testing.object_use_count``) and the Python
reference count (``sys.getrefcount``). Every scenario makes N = 10**4 calls.
"""

import gc
import sys

import numpy as np
import pytest

import tvm_ffi
import tvm_ffi.testing  # noqa: F401

N = 10**4

fecho = tvm_ffi.get_global_func("testing.echo")
fapply = tvm_ffi.get_global_func("testing.apply")
fnop = tvm_ffi.get_global_func("testing.nop")
fadd_one = tvm_ffi.get_global_func("testing.add_one")
use_count = tvm_ffi.get_global_func("testing.object_use_count")


def _settle():
    gc.collect()


def test_object_argument_counts_flat():
    obj = tvm_ffi.convert([1, 2, 3])
    _settle()
    ffi_before, py_before = use_count(obj), sys.getrefcount(obj)
    for _ in range(N):
        fnop(obj)
        r = fecho(obj)
        del r
    _settle()
    assert use_count(obj) == ffi_before == 1
    assert sys.getrefcount(obj) == py_before


def test_object_returned_counts_flat():
    obj = tvm_ffi.testing.TestIntPair(1, 2)
    keep = []
    for i in range(N):
        r = fecho(obj)
        if i % 1000 == 0:
            keep.append(r)
        del r
    assert use_count(obj) == 1 + len(keep)
    del keep
    _settle()
    assert use_count(obj) == 1


def test_object_in_containers_counts_flat():
    obj = tvm_ffi.convert((1,))
    for _ in range(N // 10):
        fecho([obj, {"k": obj}, (obj,)])
    _settle()
    assert use_count(obj) == 1


def test_str_and_bytes_counts_flat():
    small, large = "small", "large" * 40
    bsmall, blarge = b"b", b"B" * 200
    values = [small, large, bsmall, blarge]
    _settle()
    before = [sys.getrefcount(v) for v in values]
    for _ in range(N):
        for v in values:
            fecho(v)
    del v
    _settle()
    assert [sys.getrefcount(v) for v in values] == before


def test_returned_string_objects_released():
    s = fecho("payload" * 30)
    cached = s._tvm_ffi_cached_object
    assert use_count(cached) == 1
    for _ in range(N):
        r = fecho(s)
        del r
    _settle()
    assert use_count(cached) == 1


def test_callback_counts_flat():
    def cb(x):
        return x

    f = tvm_ffi.convert(cb)
    _settle()
    py_cb, py_f, ffi_f = sys.getrefcount(cb), sys.getrefcount(f), use_count(f)
    for i in range(N):
        assert fapply(cb, i) == i
        fapply(f, i)
    _settle()
    assert sys.getrefcount(cb) == py_cb
    assert sys.getrefcount(f) == py_f
    assert use_count(f) == ffi_f == 1


def test_callback_arguments_counts_flat():
    obj = tvm_ffi.convert([1])
    payload = object()
    seen = []

    def cb(a, b):
        seen.append(1)
        return None

    _settle()
    py_payload = sys.getrefcount(payload)
    for _ in range(N):
        fapply(cb, obj, payload)
    _settle()
    assert len(seen) == N
    assert use_count(obj) == 1
    assert sys.getrefcount(payload) == py_payload


def test_callback_exception_counts_flat():
    payload = object()

    def cb(p):
        raise ValueError("x")

    _settle()
    before = sys.getrefcount(payload)
    for _ in range(N // 10):
        with pytest.raises(ValueError):
            fapply(cb, payload)
    _settle()
    assert sys.getrefcount(payload) == before


def test_failed_typed_call_counts_flat():
    payload = object()
    obj = tvm_ffi.convert([1])
    _settle()
    before = sys.getrefcount(payload)
    for _ in range(N // 10):
        with pytest.raises(TypeError):
            fadd_one(payload)
        with pytest.raises(TypeError):
            fadd_one(obj)
    _settle()
    assert sys.getrefcount(payload) == before
    assert use_count(obj) == 1


def test_opaque_object_counts_flat():
    payload = object()
    _settle()
    before = sys.getrefcount(payload)
    for _ in range(N):
        r = fecho(payload)
        assert r is payload
        del r
    _settle()
    assert sys.getrefcount(payload) == before


def test_numpy_tensor_argument_counts_flat():
    x = np.arange(16, dtype="float32")
    _settle()
    before = sys.getrefcount(x)
    for _ in range(N):
        fnop(x)
        t = fecho(x)
        del t
    _settle()
    assert sys.getrefcount(x) == before


def test_ffi_tensor_counts_flat():
    t = tvm_ffi.from_dlpack(np.arange(16, dtype="float32"))
    _settle()
    ffi_before, py_before = use_count(t), sys.getrefcount(t)
    for _ in range(N):
        fnop(t)
        r = fecho(t)
        del r
    _settle()
    assert use_count(t) == ffi_before == 1
    assert sys.getrefcount(t) == py_before


def test_from_dlpack_releases_source():
    x = np.arange(16, dtype="float32")
    _settle()
    before = sys.getrefcount(x)
    for _ in range(N // 10):
        t = tvm_ffi.from_dlpack(x)
        y = np.from_dlpack(t)
        del t, y
    _settle()
    assert sys.getrefcount(x) == before


def test_torch_tensor_argument_counts_flat():
    torch = pytest.importorskip("torch")
    x = torch.arange(16, dtype=torch.float32)
    _settle()
    before = sys.getrefcount(x)
    for _ in range(N):
        fnop(x)
        r = fecho(x)
        del r
    _settle()
    assert sys.getrefcount(x) == before


def test_function_handles_counts_flat():
    f = tvm_ffi.get_global_func("testing.echo")
    _settle()
    before = use_count(f)
    for _ in range(N):
        tvm_ffi.get_global_func("testing.echo")
    _settle()
    assert use_count(f) == before
