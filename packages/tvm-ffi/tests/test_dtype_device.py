"""tvm_ffi.dtype / core.DataType (§3.10) and tvm_ffi.Device / DLDeviceType (§3.9)."""

import pickle

import numpy as np
import pytest

import tvm_ffi
import tvm_ffi.testing  # noqa: F401
from tvm_ffi import core

fecho = tvm_ffi.get_global_func("testing.echo")


# ---------------------------------------------------------------------------------------------
# dtype


def test_dtype_is_str():
    d = tvm_ffi.dtype("float32")
    assert isinstance(d, str)
    assert type(d) is tvm_ffi.dtype
    assert d == "float32"
    assert repr(d) == "dtype('float32')"
    assert str(d) == "float32"
    # usable as a numpy dtype
    assert np.zeros(2, dtype=tvm_ffi.dtype("float32")).dtype == np.float32
    assert np.dtype(tvm_ffi.dtype("int16")) == np.int16


@pytest.mark.parametrize(
    "s, code, bits, lanes, itemsize",
    [
        ("float32", 2, 32, 1, 4),
        ("float32x4", 2, 32, 4, 16),
        ("float8_e5m2x4", 12, 8, 4, 4),
        ("float6_e2m3fnx4", 15, 6, 4, 3),
        ("float4_e2m1fnx4", 17, 4, 4, 2),
        ("uint8", 1, 8, 1, 1),
        ("bool", 6, 8, 1, 1),
        ("uint1", 1, 1, 1, 1),
        ("int64", 0, 64, 1, 8),
        ("bfloat16", 4, 16, 1, 2),
        ("float16", 2, 16, 1, 2),
    ],
)
def test_dtype_properties(s, code, bits, lanes, itemsize):
    d = tvm_ffi.dtype(s)
    assert (d.type_code, d.bits, d.lanes) == (code, bits, lanes)
    assert d.itemsize == itemsize


def test_dtype_scalable_itemsize():
    d = tvm_ffi.dtype("int32xvscalex4")
    assert d.bits == 32
    assert d.lanes < 0
    with pytest.raises(ValueError, match="Cannot determine itemsize for scalable vector types"):
        _ = d.itemsize


@pytest.mark.parametrize("bad", ["xyz", "notadtype32", "float32_bad"])
def test_dtype_invalid(bad):
    with pytest.raises(ValueError):
        tvm_ffi.dtype(bad)


@pytest.mark.parametrize(
    "text, bits, lanes",
    [("int255", 255, 1), ("float32x32767", 32, 32767), ("int8xvscalex32768", 8, -32768)],
)
def test_dtype_widest_in_range(text, bits, lanes):
    d = tvm_ffi.dtype(text)
    assert (d.bits, d.lanes) == (bits, lanes)


@pytest.mark.parametrize(
    "text, what",
    [
        ("int256", "bit width out of range"),
        ("int99999999999", "bit width out of range"),
        ("float32x32768", "lane count out of range"),
        ("int8xvscalex32769", "lane count out of range"),
    ],
)
def test_dtype_out_of_range_is_not_wrapped(text, what):
    with pytest.raises(ValueError, match=what):
        tvm_ffi.dtype(text)


def test_dtype_with_lanes():
    d = tvm_ffi.dtype("float32").with_lanes(4)
    assert type(d) is tvm_ffi.dtype
    assert d == "float32x4"
    assert d.lanes == 4 and d.bits == 32 and d.type_code == 2
    assert tvm_ffi.dtype("int8x4").with_lanes(1) == "int8"


def test_dtype_pickle():
    for s in ("float32", "int8x4", "bool", "bfloat16"):
        d = tvm_ffi.dtype(s)
        d2 = pickle.loads(pickle.dumps(d))
        assert type(d2) is tvm_ffi.dtype
        assert d2 == d
        assert (d2.type_code, d2.bits, d2.lanes) == (d.type_code, d.bits, d.lanes)


def test_dtype_round_trip_through_ffi():
    for s in ("float32", "int8x4", "bool", "float8_e4m3fn", "bfloat16"):
        back = fecho(tvm_ffi.dtype(s))
        assert type(back) is tvm_ffi.dtype
        assert back == tvm_ffi.dtype(s)


def test_datatype_class():
    d = core.DataType("int8x2")
    assert (d.type_code, d.bits, d.lanes) == (0, 8, 2)
    assert d.itemsize == 2
    assert str(d) == "int8x2"
    assert d == core.DataType("int8x2")
    assert d != core.DataType("int8")
    d2 = pickle.loads(pickle.dumps(d))
    assert d2 == d and str(d2) == "int8x2"
    with pytest.raises(ValueError):
        core.DataType("not_a_dtype")


TORCH_TABLE = [
    ("int8", (0, 8, 1)),
    ("short", (0, 16, 1)),
    ("int16", (0, 16, 1)),
    ("int", (0, 32, 1)),
    ("int32", (0, 32, 1)),
    ("long", (0, 64, 1)),
    ("int64", (0, 64, 1)),
    ("uint8", (1, 8, 1)),
    ("uint16", (1, 16, 1)),
    ("uint32", (1, 32, 1)),
    ("uint64", (1, 64, 1)),
    ("half", (2, 16, 1)),
    ("float16", (2, 16, 1)),
    ("float", (2, 32, 1)),
    ("float32", (2, 32, 1)),
    ("double", (2, 64, 1)),
    ("float64", (2, 64, 1)),
    ("bfloat16", (4, 16, 1)),
    ("bool", (6, 8, 1)),
    ("float8_e4m3fn", (10, 8, 1)),
    ("float8_e4m3fnuz", (11, 8, 1)),
    ("float8_e5m2", (12, 8, 1)),
    ("float8_e5m2fnuz", (13, 8, 1)),
    ("float8_e8m0fnu", (14, 8, 1)),
    ("float4_e2m1fn_x2", (17, 4, 2)),
]


@pytest.mark.parametrize("name, triple", TORCH_TABLE, ids=[t[0] for t in TORCH_TABLE])
def test_torch_dtype_conversion(name, triple):
    torch = pytest.importorskip("torch")
    if not hasattr(torch, name):
        pytest.skip(f"torch has no {name}")
    tdt = getattr(torch, name)
    echoed = fecho(tdt)
    assert type(echoed) is tvm_ffi.dtype
    assert (echoed.type_code, echoed.bits, echoed.lanes) == triple
    converted = tvm_ffi.convert(tdt)
    assert isinstance(converted, core.DataType)
    assert (converted.type_code, converted.bits, converted.lanes) == triple


NUMPY_TABLE = [
    ("int8", (0, 8, 1)),
    ("int16", (0, 16, 1)),
    ("int32", (0, 32, 1)),
    ("int64", (0, 64, 1)),
    ("uint8", (1, 8, 1)),
    ("uint16", (1, 16, 1)),
    ("uint32", (1, 32, 1)),
    ("uint64", (1, 64, 1)),
    ("float16", (2, 16, 1)),
    ("float32", (2, 32, 1)),
    ("float64", (2, 64, 1)),
]


@pytest.mark.parametrize("name, triple", NUMPY_TABLE, ids=[t[0] for t in NUMPY_TABLE])
def test_numpy_dtype_conversion(name, triple):
    ndt = np.dtype(name)
    echoed = fecho(ndt)
    assert type(echoed) is tvm_ffi.dtype
    assert (echoed.type_code, echoed.bits, echoed.lanes) == triple
    assert echoed == name
    converted = tvm_ffi.convert(ndt)
    assert isinstance(converted, core.DataType)
    assert (converted.type_code, converted.bits, converted.lanes) == triple


def test_ml_dtypes_conversion():
    ml_dtypes = pytest.importorskip("ml_dtypes")
    table = {
        "bfloat16": (4, 16),
        "float8_e4m3fn": (10, 8),
        "float8_e5m2": (12, 8),
        "int4": (0, 4),
        "uint4": (1, 4),
    }
    for name, (code, bits) in table.items():
        converted = tvm_ffi.convert(np.dtype(getattr(ml_dtypes, name)))
        assert (converted.type_code, converted.bits, converted.lanes) == (code, bits, 1), name


# ---------------------------------------------------------------------------------------------
# Device


def test_dldevice_type_values():
    T = tvm_ffi.DLDeviceType
    assert T.kDLCPU == 1 and T.kDLCUDA == 2 and T.kDLCUDAHost == 3 and T.kDLOpenCL == 4
    assert T.kDLVulkan == 7 and T.kDLMetal == 8 and T.kDLVPI == 9 and T.kDLROCM == 10
    assert T.kDLROCMHost == 11 and T.kDLExtDev == 12 and T.kDLCUDAManaged == 13
    assert T.kDLOneAPI == 14 and T.kDLWebGPU == 15 and T.kDLHexagon == 16 and T.kDLTrn == 17


def test_device_basic():
    d = tvm_ffi.Device("cuda", 0)
    assert d.dlpack_device_type() == 2
    assert d.index == 0
    assert d.type == "cuda"
    assert str(d) == "cuda:0"
    assert repr(d) == "device(type='cuda', index=0)"
    assert d.__device_type_name__() == "cuda"
    assert tvm_ffi.device("cpu").index == 0
    assert str(tvm_ffi.device("ext_dev:0")) == "ext_dev:0"


@pytest.mark.parametrize(
    "spec, code, index",
    [
        ("llvm", 1, 0),
        ("cpu", 1, 0),
        ("c", 1, 0),
        ("test", 1, 0),
        ("cuda", 2, 0),
        ("nvptx", 2, 0),
        ("cl", 4, 0),
        ("opencl", 4, 0),
        ("vulkan", 7, 0),
        ("metal", 8, 0),
        ("vpi", 9, 0),
        ("rocm", 10, 0),
        ("ext_dev", 12, 0),
        ("hexagon", 16, 0),
        ("webgpu", 15, 0),
        ("trn", 17, 0),
        ("cuda:3", 2, 3),
        ("cpu:1", 1, 1),
        ("llvm -mcpu=skylake", 1, 0),
    ],
)
def test_device_string_parsing(spec, code, index):
    d = tvm_ffi.device(spec)
    assert d.dlpack_device_type() == code
    assert d.index == index


def test_device_index_argument():
    assert tvm_ffi.device("cuda", 2).index == 2
    # an index in the string overrides the argument
    assert tvm_ffi.device("cuda:1", 5).index == 1
    d = tvm_ffi.device(2, 1)
    assert str(d) == "cuda:1"
    assert tvm_ffi.device(tvm_ffi.DLDeviceType.kDLCPU, 0) == tvm_ffi.device("cpu")


@pytest.mark.parametrize(
    "type_code, name",
    [
        (1, "cpu"),
        (2, "cuda"),
        (3, "cuda_host"),
        (13, "cuda_managed"),
        (4, "opencl"),
        (7, "vulkan"),
        (8, "metal"),
        (9, "vpi"),
        (10, "rocm"),
        (11, "rocm_host"),
        (12, "ext_dev"),
        (14, "oneapi"),
        (15, "webgpu"),
        (16, "hexagon"),
        (17, "trn"),
    ],
)
def test_device_type_names(type_code, name):
    d = tvm_ffi.device(type_code, 4)
    assert d.type == name
    assert str(d) == f"{name}:4"
    assert repr(d) == f"device(type='{name}', index=4)"


def test_device_of_unknown_type_code():
    # e.g. from a foreign DLPack producer: repr still works, the name is a clear ValueError
    d = tvm_ffi.Device(99, 0)
    assert repr(d) == "device(type=99, index=0)"
    assert d.dlpack_device_type() == 99
    with pytest.raises(ValueError, match="unknown DLPack device type 99"):
        str(d)
    with pytest.raises(ValueError, match="unknown DLPack device type 99"):
        _ = d.type


def test_device_errors():
    with pytest.raises(ValueError, match="Unknown device: foo"):
        tvm_ffi.device("foo")
    with pytest.raises(ValueError, match=r"Invalid device index: \?"):
        tvm_ffi.device("cpu:?")
    with pytest.raises(ValueError, match="Invalid device index"):
        tvm_ffi.device("cpu:")
    with pytest.raises(ValueError, match="Invalid device: cpu:0:0"):
        tvm_ffi.device("cpu:0:0")
    with pytest.raises(TypeError, match=r"Invalid device index: \?"):
        tvm_ffi.device("cpu", "?")


def test_device_eq_hash():
    a = tvm_ffi.device("cuda", 1)
    b = tvm_ffi.device("cuda:1")
    c = tvm_ffi.device("cuda", 0)
    assert a == b and not (a != b)
    assert a != c
    assert hash(a) == hash(b)
    assert len({a, b, c}) == 2
    assert a != "cuda:1"
    assert a != (2, 1)


def test_device_pickle():
    d = tvm_ffi.device("rocm", 2)
    d2 = pickle.loads(pickle.dumps(d))
    assert type(d2) is type(d)
    assert d2 == d


def test_device_round_trip_through_ffi():
    for spec in ("cpu:0", "cuda:1", "ext_dev:0", "vulkan:3"):
        d = tvm_ffi.device(spec)
        back = fecho(d)
        assert isinstance(back, tvm_ffi.Device)
        assert back == d
        assert str(back) == spec


class MyDevice(tvm_ffi.Device):
    """Module level so that pickle can find it."""


def test_device_subclass():
    old = core._CLASS_DEVICE
    core._set_class_device(MyDevice)
    try:
        d = tvm_ffi.device("cuda", 1)
        assert type(d) is MyDevice
        back = fecho(d)
        assert type(back) is MyDevice
        assert back == d
        p = pickle.loads(pickle.dumps(d))
        assert type(p) is MyDevice
    finally:
        core._set_class_device(old)
    assert type(tvm_ffi.device("cpu")) is old


@pytest.mark.parametrize(
    "s", ["int32x", "float32x0", "floatx", "int8x", "uint8xvscalex0", "float8_e4m3fnx0", "boolx"]
)
def test_dtype_without_lanes_is_rejected(s):
    # a lane suffix must carry a positive count (before: parsed with 0 lanes)
    with pytest.raises(ValueError, match="Lanes must be a positive integer"):
        tvm_ffi.dtype(s)


@pytest.mark.parametrize(
    "s, triple",
    [
        ("uint1", (1, 1, 1)),
        ("uint1x4", (1, 1, 4)),
        ("bool", (6, 8, 1)),
        ("boolx4", (6, 8, 4)),
        ("bool8", (6, 8, 1)),
        ("bool1", (6, 1, 1)),
    ],
)
def test_bool_and_uint1_are_distinct_and_round_trip(s, triple):
    d = tvm_ffi.dtype(s)
    assert (d.type_code, d.bits, d.lanes) == triple
    back = tvm_ffi.get_global_func("testing.echo")(d)
    assert (back.type_code, back.bits, back.lanes) == triple
    canonical = {"bool8": "bool"}.get(s, s)
    assert str(back) == canonical
    assert back == tvm_ffi.dtype(canonical)
