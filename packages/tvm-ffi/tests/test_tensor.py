"""tvm_ffi.Tensor, from_dlpack, Shape, and tensors as call arguments."""

import ctypes

import numpy as np
import pytest

import tvm_ffi
import tvm_ffi.testing  # noqa: F401

fecho = tvm_ffi.get_global_func("testing.echo")
fid_tensor = tvm_ffi.get_global_func("testing.schema_id_tensor")
fview_input = tvm_ffi.get_global_func("testing.schema_tensor_view_input")
use_count = tvm_ffi.get_global_func("testing.object_use_count")


# ---------------------------------------------------------------------------------------------
# numpy <-> Tensor


def test_from_dlpack_numpy_properties():
    x = np.zeros((10, 8, 4, 2), dtype="int16")
    t = tvm_ffi.from_dlpack(x)
    assert isinstance(t, tvm_ffi.Tensor)
    assert isinstance(t, tvm_ffi.Object)
    assert t.shape == (10, 8, 4, 2)
    assert isinstance(t.shape, tuple)
    assert t.strides == (64, 8, 2, 1)
    assert isinstance(t.dtype, tvm_ffi.dtype)
    assert t.dtype == tvm_ffi.dtype("int16")
    assert t.dtype == "int16"
    assert isinstance(t.device, tvm_ffi.Device)
    assert t.device == tvm_ffi.device("cpu", 0)
    assert str(t.device) == "cpu:0"
    assert t.__dlpack_device__() == (1, 0)


@pytest.mark.parametrize(
    "np_dtype, name",
    [
        ("float32", "float32"),
        ("float64", "float64"),
        ("float16", "float16"),
        ("int8", "int8"),
        ("int32", "int32"),
        ("int64", "int64"),
        ("uint8", "uint8"),
        ("uint64", "uint64"),
    ],
)
def test_from_dlpack_dtypes(np_dtype, name):
    t = tvm_ffi.from_dlpack(np.ones(3, dtype=np_dtype))
    assert t.dtype == tvm_ffi.dtype(name)
    back = np.from_dlpack(t)
    assert back.dtype == np.dtype(np_dtype)
    np.testing.assert_array_equal(back, np.ones(3, dtype=np_dtype))


def test_from_dlpack_zero_dim_and_empty():
    t = tvm_ffi.from_dlpack(np.array(3.5, dtype="float32"))
    assert t.shape == ()
    assert t.strides == ()
    assert float(np.from_dlpack(t)) == 3.5
    e = tvm_ffi.from_dlpack(np.zeros((0, 4), dtype="float32"))
    assert e.shape == (0, 4)
    assert np.from_dlpack(e).shape == (0, 4)


def test_numpy_round_trip_shares_memory():
    x = np.arange(12, dtype="float32").reshape(3, 4)
    t = tvm_ffi.from_dlpack(x)
    y = np.from_dlpack(t)
    assert np.shares_memory(x, y)
    np.testing.assert_array_equal(x, y)
    x[1, 2] = 100.0
    assert y[1, 2] == 100.0
    y[0, 0] = -1.0
    assert x[0, 0] == -1.0


def test_tensor_keeps_source_alive():
    x = np.arange(5, dtype="int32")
    t = tvm_ffi.from_dlpack(x)
    del x
    y = np.from_dlpack(t)
    del t
    np.testing.assert_array_equal(y, np.arange(5, dtype="int32"))


def test_non_contiguous_strides():
    x = np.arange(24, dtype="float32").reshape(4, 6)[:, ::2]
    t = tvm_ffi.from_dlpack(x)
    assert t.shape == (4, 3)
    assert t.strides == (6, 2)
    y = np.from_dlpack(t)
    np.testing.assert_array_equal(y, x)
    assert np.shares_memory(x, y)


def test_require_contiguous():
    x = np.arange(24, dtype="float32").reshape(4, 6)[:, ::2]
    with pytest.raises(RuntimeError, match="not contiguous"):
        tvm_ffi.from_dlpack(x, require_contiguous=True)
    ok = tvm_ffi.from_dlpack(np.ascontiguousarray(x), require_contiguous=True)
    assert ok.shape == (4, 3)


def test_require_alignment():
    base = np.zeros(65, dtype="float32")
    misaligned = base[1:]  # 4 bytes past an allocation that is at least 16-byte aligned
    assert misaligned.ctypes.data % 16 != 0
    with pytest.raises(RuntimeError, match="not aligned to 16 bytes"):
        tvm_ffi.from_dlpack(misaligned, require_alignment=16)
    t = tvm_ffi.from_dlpack(misaligned, require_alignment=4)
    assert t.shape == (64,)


def test_from_dlpack_bad_input():
    with pytest.raises(
        TypeError, match="Expect from_dlpack to take either a compatible tensor or PyCapsule"
    ):
        tvm_ffi.from_dlpack(1)
    with pytest.raises(TypeError):
        tvm_ffi.from_dlpack([1, 2, 3])


def test_from_dlpack_capsule_consumed_once():
    x = np.arange(3, dtype="float32")
    cap = x.__dlpack__()
    t = tvm_ffi.from_dlpack(cap)
    np.testing.assert_array_equal(np.from_dlpack(t), x)
    with pytest.raises(TypeError):
        tvm_ffi.from_dlpack(cap)


def test_tensor_dlpack_protocol():
    x = np.arange(6, dtype="float64")
    t = tvm_ffi.from_dlpack(x)
    legacy = t.__dlpack__()
    assert type(legacy).__name__ == "PyCapsule"
    versioned = t.__dlpack__(max_version=(1, 0))
    assert type(versioned).__name__ == "PyCapsule"
    # a capsule can be consumed by tvm_ffi itself
    t2 = tvm_ffi.from_dlpack(t.__dlpack__())
    np.testing.assert_array_equal(np.from_dlpack(t2), x)
    with pytest.raises(BufferError):
        t.__dlpack__(max_version=(1, 0), dl_device=(2, 0))
    with pytest.raises(BufferError):
        t.__dlpack__(max_version=(1, 0), copy=True)
    # the same device is fine
    assert type(t.__dlpack__(max_version=(1, 0), dl_device=(1, 0))).__name__ == "PyCapsule"
    # max_version older than 1.0 gives a legacy capsule
    assert type(t.__dlpack__(max_version=(0, 8))).__name__ == "PyCapsule"


def test_unconsumed_capsules_are_released():
    x = np.arange(4, dtype="float32")
    t = tvm_ffi.from_dlpack(x)
    before = use_count(t)
    for _ in range(100):
        t.__dlpack__()
        t.__dlpack__(max_version=(1, 0))
    assert use_count(t) == before


def test_tensor_subclass_via_set_class_tensor():
    class MyTensor(tvm_ffi.Tensor):
        pass

    old = tvm_ffi.core._CLASS_TENSOR
    tvm_ffi.core._set_class_tensor(MyTensor)
    try:
        t = tvm_ffi.from_dlpack(np.zeros(2, dtype="float32"))
        assert type(t) is MyTensor
        back = fecho(t)
        assert type(back) is MyTensor
        assert back.same_as(t)
    finally:
        tvm_ffi.core._set_class_tensor(old)
    assert type(tvm_ffi.from_dlpack(np.zeros(2, dtype="float32"))) is old


# ---------------------------------------------------------------------------------------------
# tensors as call arguments (no copy)


def test_echo_tensor_keeps_handle():
    t = tvm_ffi.from_dlpack(np.arange(3, dtype="int64"))
    back = fecho(t)
    assert isinstance(back, tvm_ffi.Tensor)
    assert back.same_as(t)
    assert back.__chandle__() == t.__chandle__()


def test_numpy_argument_no_copy():
    x = np.arange(8, dtype="float32")
    t = fecho(x)
    assert isinstance(t, tvm_ffi.Tensor)
    assert t.shape == (8,)
    y = np.from_dlpack(t)
    assert np.shares_memory(x, y)
    t2 = fid_tensor(x)
    assert isinstance(t2, tvm_ffi.Tensor)
    assert np.shares_memory(x, np.from_dlpack(t2))
    assert fview_input(x) is None


def test_numpy_argument_seen_by_cxx(add_one_mod):
    x = np.arange(10, dtype="float32")
    assert add_one_mod.tensor_data_ptr(x) == x.ctypes.data
    assert add_one_mod.tensor_ndim(np.zeros((2, 3, 4))) == 3
    view = x[3:]
    assert add_one_mod.tensor_data_ptr(view) == view.ctypes.data
    add_one_mod.fill_tensor(x, 7.0)
    np.testing.assert_array_equal(x, np.full(10, 7.0, dtype="float32"))


def test_tensor_argument_seen_by_cxx(add_one_mod):
    x = np.arange(4, dtype="float32")
    t = tvm_ffi.from_dlpack(x)
    assert add_one_mod.tensor_data_ptr(t) == x.ctypes.data
    y = np.empty_like(x)
    add_one_mod.add_one_cpu(t, y)
    np.testing.assert_array_equal(y, x + 1)


def test_tensor_argument_type_errors(add_one_mod):
    with pytest.raises(TypeError, match="argument #0"):
        add_one_mod.tensor_ndim(1)
    with pytest.raises(TypeError, match="argument #0"):
        fview_input("not a tensor")
    with pytest.raises(RuntimeError, match="x must be a float tensor"):
        add_one_mod.add_one_cpu(np.zeros(3, dtype="int32"), np.zeros(3, dtype="float32"))


# ---------------------------------------------------------------------------------------------
# Shape


def test_shape():
    s = tvm_ffi.Shape((10, 8))
    assert isinstance(s, tuple)
    assert isinstance(s, tvm_ffi.Shape)
    assert s == (10, 8)
    assert len(s) == 2 and s[0] == 10
    assert s._tvm_ffi_cached_object is not None
    with pytest.raises(ValueError, match="Shape must be a tuple of integers"):
        tvm_ffi.Shape((1, "a"))
    with pytest.raises(ValueError, match="Shape must be a tuple of integers"):
        tvm_ffi.Shape((1.5,))
    assert tvm_ffi.Shape(()) == ()


def test_shape_through_ffi():
    s = tvm_ffi.Shape((2, 3, 4))
    back = fecho(s)
    assert isinstance(back, tvm_ffi.Shape)
    assert back == (2, 3, 4)
    assert back._tvm_ffi_cached_object.same_as(s._tvm_ffi_cached_object)
    assert tvm_ffi.convert(s) is s


# ---------------------------------------------------------------------------------------------
# torch


def test_torch_from_dlpack_both_ways():
    torch = pytest.importorskip("torch")
    x = torch.arange(6, dtype=torch.float32).reshape(2, 3)
    t = tvm_ffi.from_dlpack(x)
    assert t.shape == (2, 3)
    assert t.dtype == "float32"
    assert t.device == tvm_ffi.device("cpu")
    y = torch.from_dlpack(t)
    assert y.data_ptr() == x.data_ptr()
    y[0, 0] = 42
    assert x[0, 0].item() == 42
    # numpy from a torch-backed tensor
    z = np.from_dlpack(t)
    assert z.ctypes.data == x.data_ptr()


@pytest.mark.parametrize(
    "torch_dtype, name, triple",
    [
        ("float32", "float32", (2, 32, 1)),
        ("float16", "float16", (2, 16, 1)),
        ("bfloat16", "bfloat16", (4, 16, 1)),
        ("int64", "int64", (0, 64, 1)),
        ("uint8", "uint8", (1, 8, 1)),
        ("bool", "bool", (6, 8, 1)),
    ],
)
def test_torch_tensor_dtypes(torch_dtype, name, triple):
    torch = pytest.importorskip("torch")
    x = torch.zeros(3, dtype=getattr(torch, torch_dtype))
    t = tvm_ffi.from_dlpack(x)
    assert str(t.dtype) == name
    assert (t.dtype.type_code, t.dtype.bits, t.dtype.lanes) == triple
    assert torch.from_dlpack(t).dtype == x.dtype


def test_torch_tensor_echo_returns_torch():
    torch = pytest.importorskip("torch")
    x = torch.arange(128)
    y = fecho(x)
    assert isinstance(y, torch.Tensor)
    assert y.data_ptr() == x.data_ptr()
    assert torch.equal(x, y)
    z = fid_tensor(x)
    assert isinstance(z, torch.Tensor)
    assert z.data_ptr() == x.data_ptr()


def test_torch_tensor_argument_no_copy(add_one_mod):
    torch = pytest.importorskip("torch")
    x = torch.arange(5, dtype=torch.float32)
    y = torch.empty_like(x)
    assert add_one_mod.tensor_data_ptr(x) == x.data_ptr()
    add_one_mod.add_one_cpu(x, y)
    torch.testing.assert_close(x + 1, y)
    sliced = x[2:]
    assert add_one_mod.tensor_data_ptr(sliced) == sliced.data_ptr()
    add_one_mod.fill_tensor(x, 3.0)
    assert torch.all(x == 3.0)


def test_torch_tensor_in_nested_container():
    torch = pytest.importorskip("torch")
    x = torch.arange(4)
    r = fecho([x, {"k": x}])
    assert isinstance(r, tvm_ffi.Array)

    def ptr(v):
        return v.data_ptr() if isinstance(v, torch.Tensor) else torch.from_dlpack(v).data_ptr()

    assert ptr(r[0]) == x.data_ptr()
    assert ptr(r[1]["k"]) == x.data_ptr()


def test_tensor_object_protocol():
    x = tvm_ffi.from_dlpack(np.arange(3, dtype="int32"))

    class Holder:
        def __tvm_ffi_object__(self):
            return x

    back = fecho(Holder())
    assert isinstance(back, tvm_ffi.Tensor)
    assert back.same_as(x)
    assert back.__chandle__() == x.__chandle__()
    assert isinstance(x.__ctypes_handle__(), ctypes.c_void_p)
    assert x.__ctypes_handle__().value == x.__chandle__()


def test_callback_receives_tensor_view_of_numpy():
    fapply = tvm_ffi.get_global_func("testing.apply")
    x = np.zeros(3, dtype="float32")
    seen = []

    def cb(t):
        seen.append((type(t), t.shape, t.dtype))
        np.from_dlpack(t)[:] = 5.0

    fapply(cb, x)
    assert seen == [(type(tvm_ffi.from_dlpack(x)), (3,), tvm_ffi.dtype("float32"))]
    np.testing.assert_array_equal(x, np.full(3, 5.0, dtype="float32"))


def test_torch_tensor_through_callback():
    torch = pytest.importorskip("torch")
    fapply = tvm_ffi.get_global_func("testing.apply")
    x = torch.zeros(3)
    got = []

    def cb(t):
        got.append(t)
        return t

    r = fapply(cb, x)
    assert isinstance(r, torch.Tensor)
    assert r.data_ptr() == x.data_ptr()
    arg = got[0]
    # the callback sees either a tvm_ffi.Tensor or a torch.Tensor, in both cases without a copy
    arg_ptr = arg.data_ptr() if isinstance(arg, torch.Tensor) else torch.from_dlpack(arg).data_ptr()
    assert arg_ptr == x.data_ptr()
