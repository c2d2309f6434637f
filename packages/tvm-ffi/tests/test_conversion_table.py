"""The one conversion table, pinned: value kind x entry point -> resulting FFI value.

Every entry point (call argument, container element, field setter, callback return value and
``tvm_ffi.convert``) goes through the same per-type setter (``core._arg_kind`` names the table
rows deciding a type). The intended differences are all in the ``convert`` column: convert()
returns numbers, objects, pointers and ``PyNativeObject`` proxies unchanged, wraps strings (a
``dtype`` too: it is a ``str``) as ``String``/``Bytes``, framework dtypes as ``DataType`` and a
``Device`` or an rvalue reference as ``OpaquePyObject``, and asks an ``ObjectConvertible``
before treating it as a callable.
"""

from __future__ import annotations

import ctypes
import fractions

import numpy as np
import pytest

import tvm_ffi
import tvm_ffi.testing
from tvm_ffi import core

torch = pytest.importorskip("torch")

fecho = tvm_ffi.get_global_func("testing.echo")
fapply = tvm_ffi.get_global_func("testing.apply")

# type indices of the C ABI (tvm/ffi/c_api.h)
NAMES = {
    0: "None", 1: "Int", 2: "Bool", 3: "Float", 4: "OpaquePtr", 5: "DataType", 6: "Device",
    7: "DLTensorPtr", 10: "ObjectRValueRef", 11: "SmallStr", 12: "SmallBytes", 64: "Object",
    65: "Str", 66: "Bytes", 67: "Error", 68: "Function", 69: "Shape", 70: "Tensor",
    71: "Array", 72: "Map", 74: "OpaquePyObject",
}  # fmt: skip


class WithObject:
    def __init__(self, obj):
        self.obj = obj

    def __tvm_ffi_object__(self):
        return self.obj


class WithOpaquePtr:
    def __tvm_ffi_opaque_ptr__(self):
        return 0x1234


class WithCudaStream:
    def __cuda_stream__(self):
        return (0, 0x5678)


class Convertible(tvm_ffi.ObjectConvertible):
    def asobject(self):
        return tvm_ffi.convert([7])


class CallableConvertible(tvm_ffi.ObjectConvertible):
    def __call__(self):
        return 1

    def asobject(self):
        return tvm_ffi.convert([8])


class ListSub(list):
    pass


class Plain:
    pass


ARR = tvm_ffi.convert([1, 2])
NP = np.zeros((2,), dtype="float32")

KEEP = "keep"  # convert() returns the value itself

# kind, value factory, (arg row, convert row), FFI type passed, convert(): KEEP or result type
TABLE = [
    ("None", lambda: None, ("none", "none"), "None", type(None)),
    ("bool", lambda: True, ("bool", "bool"), "Bool", KEEP),
    ("int", lambda: 5, ("integral", "integral"), "Int", KEEP),
    ("numpy int64", lambda: np.int64(5), ("integral", "integral"), "Int", KEEP),
    ("float", lambda: 2.5, ("real", "real"), "Float", KEEP),
    ("Fraction", lambda: fractions.Fraction(1, 2), ("real", "real"), "Float", KEEP),
    ("complex", lambda: 1 + 2j, ("opaque", "number"), "OpaquePyObject", KEEP),
    ("short str", lambda: "abc", ("str", "str"), "SmallStr", tvm_ffi.core.String),
    ("long str", lambda: "a" * 20, ("str", "str"), "Str", tvm_ffi.core.String),
    ("String", lambda: tvm_ffi.convert("a" * 20), ("native_str", "native_str"), "Str", KEEP),
    ("bytes", lambda: b"xy", ("bytes", "bytes"), "SmallBytes", tvm_ffi.core.Bytes),
    (
        "bytearray",
        lambda: bytearray(b"x" * 9),
        ("bytearray", "bytearray"),
        "Bytes",
        tvm_ffi.core.Bytes,
    ),
    ("list", lambda: [1, 2], ("sequence", "sequence"), "Array", tvm_ffi.Array),
    ("tuple", lambda: (1, 2), ("sequence", "sequence"), "Array", tvm_ffi.Array),
    ("list subclass", lambda: ListSub([1]), ("sequence", "sequence"), "Array", tvm_ffi.Array),
    ("dict", lambda: {"a": 1}, ("dict", "dict"), "Map", tvm_ffi.Map),
    ("Array", lambda: ARR, ("object", "object"), "Array", KEEP),
    ("Shape", lambda: tvm_ffi.Shape((1, 2)), ("native_object", "native_object"), "Shape", KEEP),
    ("Function", lambda: fecho, ("object", "object"), "Function", KEEP),
    (
        "Device",
        lambda: tvm_ffi.device("cpu", 0),
        ("device", "device"),
        "Device",
        tvm_ffi.core.OpaquePyObject,
    ),
    (
        "dtype",
        lambda: tvm_ffi.dtype("float32"),
        ("dtype", "dtype"),
        "DataType",
        tvm_ffi.core.String,
    ),
    (
        "torch dtype",
        lambda: torch.float16,
        ("torch_dtype", "torch_dtype"),
        "DataType",
        core.DataType,
    ),
    (
        "numpy dtype",
        lambda: np.dtype("int8"),
        ("numpy_dtype", "numpy_dtype"),
        "DataType",
        core.DataType,
    ),
    ("c_void_p", lambda: ctypes.c_void_p(16), ("c_void_p", "c_void_p"), "OpaquePtr", KEEP),
    ("c_void_p(None)", lambda: ctypes.c_void_p(None), ("c_void_p", "c_void_p"), "OpaquePtr", KEEP),
    ("opaque ptr protocol", WithOpaquePtr, ("opaque_ptr", "opaque_ptr"), "OpaquePtr", KEEP),
    ("cuda stream protocol", WithCudaStream, ("cuda_stream", "cuda_stream"), "OpaquePtr", KEEP),
    (
        "ObjectRValueRef",
        lambda: tvm_ffi.core.ObjectRValueRef(tvm_ffi.convert([1])),
        ("rvalue_ref", "rvalue_ref"),
        "ObjectRValueRef",
        tvm_ffi.core.OpaquePyObject,
    ),
    (
        "__tvm_ffi_object__",
        lambda: WithObject(ARR),
        ("tvm_ffi_object", "tvm_ffi_object"),
        "Array",
        tvm_ffi.Array,
    ),
    ("Exception", lambda: ValueError("x"), ("exception", "exception"), "Error", tvm_ffi.core.Error),
    ("lambda", lambda: lambda: 1, ("callable", "callable"), "Function", tvm_ffi.Function),
    (
        "ObjectConvertible",
        Convertible,
        ("object_convertible", "object_convertible_convert"),
        "Array",
        tvm_ffi.Array,
    ),
    (
        "callable ObjectConvertible",
        CallableConvertible,
        ("callable", "object_convertible_convert"),
        "Function",
        tvm_ffi.Array,
    ),
    ("numpy array", lambda: NP, ("numpy_ndarray", "numpy_ndarray"), "Tensor", tvm_ffi.Tensor),
    (
        "torch tensor",
        lambda: torch.zeros(2),
        ("dlpack_exchange_api", "dlpack_exchange_api"),
        "Tensor",
        tvm_ffi.Tensor,
    ),
    (
        "exchange-API wrapper",
        lambda: core.DLTensorTestWrapper(tvm_ffi.from_dlpack(NP)),
        ("dlpack_exchange_api", "dlpack_exchange_api"),
        "Tensor",
        tvm_ffi.Tensor,
    ),
    ("plain object", Plain, ("opaque", "opaque"), "OpaquePyObject", tvm_ffi.core.OpaquePyObject),
]
IDS = [row[0] for row in TABLE]


@pytest.mark.parametrize("kind,make,rows,ffi_type,converted", TABLE, ids=IDS)
def test_table_rows(kind, make, rows, ffi_type, converted):
    value = make()
    assert core._arg_kind(value) == rows
    assert NAMES[core._marshal_type_index(value)] == ffi_type


@pytest.mark.parametrize("kind,make,rows,ffi_type,converted", TABLE, ids=IDS)
def test_convert_column(kind, make, rows, ffi_type, converted):
    value = make()
    result = tvm_ffi.convert(value)
    if converted is KEEP:
        assert result is value
    else:
        assert isinstance(result, converted), (kind, type(result))


def _same_kind(a, b):
    """Results of two entry points for the same value agree (type, and value where comparable).

    A tensor is a tensor: a call whose arguments were torch tensors returns torch tensors, an
    Array built from them holds ffi.Tensors (containers are not tagged with the exchange API).
    """
    if isinstance(a, (torch.Tensor, tvm_ffi.Tensor)):
        return isinstance(b, (torch.Tensor, tvm_ffi.Tensor))
    if isinstance(a, (tvm_ffi.Array, tvm_ffi.Map, tvm_ffi.Tensor, tvm_ffi.Function)):
        return type(a) is type(b)
    if isinstance(a, ctypes.c_void_p):
        return type(b) is ctypes.c_void_p and a.value == b.value
    if isinstance(a, tvm_ffi.core.Error):
        return type(a) is type(b)
    return type(a) is type(b) and (a == b or a is b)


@pytest.mark.parametrize("kind,make,rows,ffi_type,converted", TABLE, ids=IDS)
def test_every_entry_point_passes_the_same_way(kind, make, rows, ffi_type, converted):
    value = make()
    if ffi_type == "ObjectRValueRef":  # moved on the first use: one entry point per value
        assert fecho(value) is not None
        return
    as_arg = fecho(value)
    as_element = fecho([value])[0]
    as_callback_return = fapply(lambda: value)
    assert _same_kind(as_arg, as_element), (kind, as_arg, as_element)
    assert _same_kind(as_arg, as_callback_return), (kind, as_arg, as_callback_return)
    if ffi_type == "Map":
        as_map_value = fecho({"k": value})["k"]
        assert _same_kind(as_arg, as_map_value)


def test_field_setter_uses_the_table():
    obj = tvm_ffi.testing.create_object("testing.TestObjectBase")
    for value in (np.int64(12), True, 13):
        obj.v_i64 = value
        assert obj.v_i64 == int(value)
    obj.v_str = tvm_ffi.convert("x" * 20)
    assert obj.v_str == "x" * 20
    with pytest.raises(TypeError):
        obj.v_i64 = Plain()  # an OpaquePyObject is not an int


def test_c_void_p_none_is_null():
    assert fecho(ctypes.c_void_p(None)).value is None
    assert fecho(ctypes.c_void_p(64)).value == 64


def test_classification_is_cached_per_type():
    class Fresh:
        pass

    before = core._arg_kind(Fresh())
    Fresh.__tvm_ffi_opaque_ptr__ = lambda self: 1  # too late: the type was classified
    assert core._arg_kind(Fresh()) == before == ("opaque", "opaque")
