"""The call path: borrowed tensor arguments and their ownership, framework tensors coming back,
deep and self-containing containers, and Array indexing like a Python list.
"""

from __future__ import annotations

import gc
import sys
import threading
import weakref

import numpy as np
import pytest

import tvm_ffi
import tvm_ffi.testing
from tvm_ffi import core

torch = pytest.importorskip("torch")

fecho = tvm_ffi.get_global_func("testing.echo")
fnop = tvm_ffi.get_global_func("testing.nop")
fapply = tvm_ffi.get_global_func("testing.apply")


# ---------------------------------------------------------------------------------------------
# tensors passed to a callee that only borrows them


def test_torch_argument_borrowed_leaves_no_reference():
    x = torch.arange(6, dtype=torch.float32).reshape(2, 3)
    base = sys.getrefcount(x)
    for _ in range(100):
        fnop(x)
        fnop(x, x, x)
    assert sys.getrefcount(x) == base


def test_numpy_argument_borrowed_leaves_no_reference():
    a = np.arange(6, dtype="float32").reshape(2, 3)
    base = sys.getrefcount(a)
    for _ in range(100):
        fnop(a)
    assert sys.getrefcount(a) == base


def test_borrowed_tensor_reads_the_framework_memory():
    x = torch.arange(12, dtype=torch.float32).reshape(3, 4)[:, 1:]  # strided view
    seen = []
    fapply(lambda t: seen.append((t.shape, t.strides, t.dtype, t.data_ptr)), x)
    assert seen == [((3, 3), (4, 1), tvm_ffi.dtype("float32"), x.data_ptr())]


NUMPY_DTYPES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64"]
NUMPY_DTYPES += ["float16", "float32", "float64"]


@pytest.mark.parametrize("dtype", NUMPY_DTYPES)
def test_numpy_argument_is_what_dlpack_describes(dtype):
    # numpy.ndarray arguments are read through the buffer protocol: the tensor the callee sees
    # must be the one the array's own __dlpack__ describes (also for strided views)
    a = np.zeros((3, 4), dtype=dtype)[:, ::2]
    ref = tvm_ffi.from_dlpack(a)
    seen = []
    fapply(lambda t: seen.append((t.shape, t.strides, str(t.dtype), t.data_ptr)), a)
    assert seen == [(ref.shape, ref.strides, str(ref.dtype), ref.data_ptr)]


def test_numpy_argument_the_buffer_protocol_cannot_describe_takes_dlpack():
    ro = np.arange(4.0)
    ro.flags.writeable = False
    with pytest.raises(BufferError):  # what __dlpack__ says about a read-only array
        fnop(ro)
    be = np.arange(4, dtype=">i4")  # big-endian: __dlpack__ decides
    with pytest.raises(BufferError):
        fnop(be)
    obj = np.array([object()])
    with pytest.raises(BufferError):
        fnop(obj)


# ---------------------------------------------------------------------------------------------
# ... and to a callee that keeps them: the owner lives until the last holder lets go


def _keep_in_callback(value):
    kept = []
    fapply(lambda t: kept.append(t), value)
    return kept


@pytest.mark.parametrize("framework", ["torch", "numpy"])
def test_kept_tensor_keeps_owner_alive_until_last_holder(framework):
    if framework == "torch":
        x = torch.arange(4, dtype=torch.float32)
        ref = weakref.ref(x)
    else:
        x = np.arange(4, dtype="float32")
        ref = weakref.ref(x)
    kept = _keep_in_callback(x)
    in_array = fecho([x])  # an ffi.Array holding the same borrowed tensor
    ptr = kept[0].data_ptr
    del x
    gc.collect()
    assert ref() is not None  # two holders: the Python Tensor and the Array
    for _ in range(50):  # the shell pool is reused meanwhile; the kept tensor must not be
        fnop(torch.zeros(7), np.ones(3))
    assert kept[0].data_ptr == ptr and kept[0].shape == (4,)
    assert in_array[0].data_ptr == ptr
    del kept[:]
    gc.collect()
    assert ref() is not None  # the Array still holds it
    del in_array
    gc.collect()
    assert ref() is None  # released once, after the last holder


@pytest.mark.parametrize("framework", ["torch", "numpy"])
def test_kept_tensor_released_by_another_thread(framework):
    x = torch.arange(4, dtype=torch.float32) if framework == "torch" else np.arange(4.0)
    ref = weakref.ref(x)
    base = sys.getrefcount(x)
    holder = {"arr": fecho([x, x])}  # one Array, two references to one tensor
    assert sys.getrefcount(x) > base
    started = threading.Event()

    def drop():
        started.set()
        holder.pop("arr")  # the last holder lets go in this thread

    t = threading.Thread(target=drop)
    t.start()
    t.join()
    gc.collect()
    assert started.is_set()
    assert sys.getrefcount(x) == base  # the owner reference was dropped exactly once
    del x
    gc.collect()
    assert ref() is None


def test_kept_tensor_threads_hammer():
    # many threads keep and drop borrowed tensors concurrently; the reference count of the
    # source returns to its start value (each owner reference released exactly once)
    x = torch.arange(8, dtype=torch.float32)
    base = sys.getrefcount(x)
    kept = []
    lock = threading.Lock()

    def worker():
        for i in range(300):
            arr = fecho([x])
            fnop(x, x)
            if i % 3 == 0:
                with lock:
                    kept.append(arr)
            if i % 5 == 0:
                with lock:
                    if kept:
                        kept.pop()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    kept.clear()
    gc.collect()
    assert sys.getrefcount(x) == base


def test_exchange_api_wrapper_kept_by_callee():
    inner = tvm_ffi.from_dlpack(np.arange(3, dtype="int32"))
    w = core.DLTensorTestWrapper(inner)
    base = sys.getrefcount(w)
    kept = _keep_in_callback(w)
    assert sys.getrefcount(w) == base + 1
    assert kept[0].shape == (3,)
    kept.clear()
    gc.collect()
    assert sys.getrefcount(w) == base


def test_many_dimensions_take_the_allocating_path():
    x = torch.zeros((1,) * 12)
    assert fecho(x).shape == (1,) * 12
    kept = _keep_in_callback(x)
    assert kept[0].ndim == 12


# ---------------------------------------------------------------------------------------------
# returns


def test_returned_tensor_is_torch_when_arguments_were_torch():
    x = torch.arange(4, dtype=torch.float32)
    y = fecho(x)
    assert isinstance(y, torch.Tensor)
    assert y.data_ptr() == x.data_ptr() and torch.equal(x, y)
    arr = np.arange(4.0)
    assert isinstance(fecho(arr), tvm_ffi.Tensor)  # numpy has no exchange API: ffi.Tensor
    base = sys.getrefcount(x)
    for _ in range(50):
        fecho(x)
    assert sys.getrefcount(x) == base


# ---------------------------------------------------------------------------------------------
# containers: deep, self-containing, converted from several threads


def _nest(depth, kind="list"):
    v = 1
    for _ in range(depth):
        v = {"k": v} if kind == "dict" else [v]
    return v


@pytest.mark.parametrize("kind", ["list", "dict"])
def test_deep_nesting_converts(kind):
    depth = 10_000
    r = fecho(_nest(depth, kind))
    for _ in range(depth):
        r = r["k"] if kind == "dict" else r[0]
    assert r == 1


def test_deep_nesting_in_a_thread():
    out = []
    t = threading.Thread(target=lambda: out.append(len(tvm_ffi.convert(_nest(10_000)))))
    t.start()
    t.join()
    assert out == [1]


def test_nesting_beyond_the_limit_is_a_recursion_error():
    with pytest.raises(RecursionError, match="depth"):
        fecho(_nest(30_000))


def test_self_containing_containers_raise_recursion_error():
    a = [1]
    a.append(a)
    with pytest.raises(RecursionError, match="contains itself"):
        fecho(a)
    d = {}
    d["self"] = [d]
    with pytest.raises(RecursionError, match="contains itself"):
        tvm_ffi.convert(d)
    shared = [1, 2]
    assert len(fecho([shared, shared, [shared]])) == 3  # sharing is not a cycle


def test_list_subclass_nesting_in_threads_has_no_false_recursion_error():
    # the nesting depth is per conversion: Python code running in the middle of one (a list
    # subclass's __iter__) lets other threads convert without adding to its depth
    class Seq(list):
        def __iter__(self):
            yield from list.__iter__(self)

    x = Seq([1])
    for _ in range(300):
        x = Seq([x])
    fails = []
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:

        def run():
            for _ in range(100):
                try:
                    fecho(x)
                except RecursionError:
                    fails.append(1)

        threads = [threading.Thread(target=run) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(old)
    assert not fails


# ---------------------------------------------------------------------------------------------
# Array indexing follows Python list indexing


def test_array_index_out_of_int64_is_index_error():
    arr = tvm_ffi.convert([10, 20, 30])
    for idx in (2**63, -(2**63) - 5, 2**100, 3, -4):
        with pytest.raises(IndexError):
            arr[idx]
        with pytest.raises(IndexError):
            [10, 20, 30][idx]


def test_array_index_accepts_bool_and_index_protocol():
    arr = tvm_ffi.convert([10, 20, 30])
    assert arr[True] == 20 and arr[False] == 10
    assert arr[np.int64(2)] == 30 and arr[-1] == 30
    with pytest.raises(TypeError):
        arr["1"]
    with pytest.raises(TypeError):
        arr[1.0]


def test_list_resized_by_an_element_during_conversion():
    victim = [1, 2, 3, 4, 5, 6, 7, 8]

    class Shrinker(tvm_ffi.ObjectConvertible):
        def asobject(self):
            del victim[2:]  # runs in the middle of converting `victim`
            return tvm_ffi.convert(0)

    victim[1] = Shrinker()
    with pytest.raises(RuntimeError, match="changed size"):
        fecho(victim)
    grown = [1, 2]

    class Grower(tvm_ffi.ObjectConvertible):
        def asobject(self):
            grown.extend(range(100))
            return tvm_ffi.convert(0)

    grown[0] = Grower()
    with pytest.raises(RuntimeError, match="changed size"):
        fecho(grown)
