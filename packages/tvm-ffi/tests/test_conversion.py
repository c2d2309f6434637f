"""Python <-> FFI conversion rules.

``tvm_ffi.convert`` (python_api.md §2.1) and the per-argument marshaller of every call (§2.2)
check Python values in different orders; the results coming back follow §2.3. Each test names
the rows it covers. Values are sent through ``testing.echo`` (returns its argument) so both the
argument conversion and the return conversion are observed.
"""

import ctypes
import fractions
import gc

import numpy as np
import pytest

import tvm_ffi
import tvm_ffi.testing  # noqa: F401
from tvm_ffi import core

fecho = tvm_ffi.get_global_func("testing.echo")
fapply = tvm_ffi.get_global_func("testing.apply")
use_count = tvm_ffi.get_global_func("testing.object_use_count")


# ---------------------------------------------------------------------------------------------
# convert(): §2.1


def test_convert_numbers_and_objects_unchanged():
    assert tvm_ffi.convert(1) == 1 and type(tvm_ffi.convert(1)) is int
    assert tvm_ffi.convert(True) is True
    assert tvm_ffi.convert(2.5) == 2.5
    frac = fractions.Fraction(1, 3)
    assert tvm_ffi.convert(frac) is frac  # any numbers.Number is returned unchanged
    c = 1 + 2j
    assert tvm_ffi.convert(c) is c
    arr = tvm_ffi.convert([1])
    assert tvm_ffi.convert(arr) is arr
    s = tvm_ffi.Shape((1, 2))
    assert tvm_ffi.convert(s) is s
    big = fecho("x" * 100)
    assert isinstance(big, core.String)
    assert tvm_ffi.convert(big) is big


def test_convert_containers():
    assert isinstance(tvm_ffi.convert([1, 2]), tvm_ffi.Array)
    assert isinstance(tvm_ffi.convert((1, 2)), tvm_ffi.Array)
    assert isinstance(tvm_ffi.convert({"a": 1}), tvm_ffi.Map)
    nested = tvm_ffi.convert({"a": [1, (2, 3)]})
    assert isinstance(nested["a"], tvm_ffi.Array)
    assert isinstance(nested["a"][1], tvm_ffi.Array)


def test_convert_strings_and_bytes():
    s = tvm_ffi.convert("hello")
    assert isinstance(s, str) and isinstance(s, core.String)
    assert s == "hello"
    b = tvm_ffi.convert(b"\x00\x01")
    assert isinstance(b, bytes) and isinstance(b, core.Bytes)
    assert b == b"\x00\x01"
    ba = tvm_ffi.convert(bytearray(b"xy"))
    assert isinstance(ba, core.Bytes) and ba == b"xy"


def test_convert_dtype_is_a_string_but_call_passes_datatype():
    d = tvm_ffi.dtype("float32")
    converted = tvm_ffi.convert(d)
    # §2.1: a dtype is a str subclass, so convert() makes a String of it
    assert isinstance(converted, core.String)
    assert not isinstance(converted, tvm_ffi.dtype)
    assert converted == "float32"
    # §2.2 row 13: as a call argument it is a DataType (checked before str)
    echoed = fecho(d)
    assert type(echoed) is tvm_ffi.dtype
    assert echoed == "float32"
    schema_id_dtype = tvm_ffi.get_global_func("testing.schema_id_dtype")
    assert schema_id_dtype(d) == "float32"
    # a dtype argument is never passed as a string
    schema_id_string = tvm_ffi.get_global_func("testing.schema_id_string")
    with pytest.raises(TypeError):
        schema_id_string(d)


def test_convert_callable():
    f = tvm_ffi.convert(lambda a: a * 3)
    assert isinstance(f, tvm_ffi.Function)
    assert f(3) == 9
    assert fapply(f, 2) == 6


def test_convert_none():
    assert tvm_ffi.convert(None) is None


def test_convert_dlpack_and_dtypes():
    t = tvm_ffi.convert(np.arange(3, dtype="int32"))
    assert isinstance(t, tvm_ffi.Tensor)
    assert t.shape == (3,)
    dt = tvm_ffi.convert(np.dtype("float16"))
    assert isinstance(dt, core.DataType)
    assert (dt.type_code, dt.bits, dt.lanes) == (2, 16, 1)


def test_convert_exception():
    err = tvm_ffi.convert(ValueError("bad"))
    assert isinstance(err, core.Error)
    assert err.kind == "ValueError"
    assert err.message == "bad"


def test_convert_other_is_opaque():
    class Thing:
        pass

    t = Thing()
    w = tvm_ffi.convert(t)
    assert isinstance(w, core.OpaquePyObject)
    assert w.pyobject() is t


def test_convert_object_convertible_before_callable():
    target = tvm_ffi.convert([1, 2, 3])

    class CallableConvertible(tvm_ffi.ObjectConvertible):
        def asobject(self):
            return target

        def __call__(self):
            return "called"

    c = CallableConvertible()
    # convert(): ObjectConvertible (rule 6) wins over callable (rule 7)
    assert tvm_ffi.convert(c).same_as(target)
    # call argument: callable (row 23) wins over ObjectConvertible (row 27)
    f = fecho(c)
    assert isinstance(f, tvm_ffi.Function)
    assert f() == "called"


# ---------------------------------------------------------------------------------------------
# call arguments: §2.2 rows, results: §2.3


def test_row_none_bool_int_float():
    assert fecho(None) is None
    assert fecho(True) is True and fecho(False) is False
    assert type(fecho(1)) is int
    assert type(fecho(1.0)) is float


def test_row_bool_before_int():
    schema_id_bool = tvm_ffi.get_global_func("testing.schema_id_bool")
    assert schema_id_bool(True) is True
    assert schema_id_bool(False) is False
    # an int is not silently turned into a bool on the way back
    assert fecho(1) is not True and fecho(1) == 1


def test_row_integral_and_real_protocols():
    assert fecho(np.int32(7)) == 7 and type(fecho(np.int32(7))) is int
    assert fecho(np.uint8(255)) == 255
    assert fecho(np.float32(0.5)) == 0.5 and type(fecho(np.float32(0.5))) is float
    half = fecho(fractions.Fraction(1, 2))
    assert type(half) is float and half == 0.5  # Rational is numbers.Real -> Float


def test_row_int_overflow():
    with pytest.raises(OverflowError, match="Python int too large to convert to int64_t"):
        fecho(1 << 64)


def test_row_complex_is_opaque():
    c = 3 + 4j
    assert fecho(c) is c  # complex is a Number but not Real: falls to the opaque row


def test_row_device():
    d = tvm_ffi.device("cuda", 3)
    r = fecho(d)
    assert isinstance(r, tvm_ffi.Device)
    assert r == d
    assert r.dlpack_device_type() == 2 and r.index == 3
    schema_id_device = tvm_ffi.get_global_func("testing.schema_id_device")
    assert schema_id_device(d) == d


def test_row_string_types():
    small = fecho("hi")
    assert type(small) is str and small == "hi"
    large = fecho("y" * 64)
    assert isinstance(large, core.String)
    assert large._tvm_ffi_cached_object is not None
    # a returned String passed back keeps its FFI object
    again = fecho(large)
    assert again._tvm_ffi_cached_object.same_as(large._tvm_ffi_cached_object)
    # a String built in Python has no cached object but still converts
    assert fecho(core.String("zz")) == "zz"


def test_row_bytes_types():
    assert type(fecho(b"ab")) is bytes
    large = fecho(b"z" * 64)
    assert isinstance(large, core.Bytes)
    assert large._tvm_ffi_cached_object is not None
    assert fecho(bytearray(b"q" * 40)) == b"q" * 40
    assert fecho(core.Bytes(b"raw")) == b"raw"


def test_row_tuple_list_dict():
    assert isinstance(fecho((1, 2)), tvm_ffi.Array)
    assert isinstance(fecho([1, 2]), tvm_ffi.Array)
    m = fecho({"a": (1,)})
    assert isinstance(m, tvm_ffi.Map)
    assert isinstance(m["a"], tvm_ffi.Array)


def test_row_subclasses_of_builtin_containers():
    class MyList(list):
        pass

    class MyDict(dict):
        pass

    class MyStr(str):
        pass

    assert list(fecho(MyList([1, 2]))) == [1, 2]
    assert fecho(MyDict(a=1))["a"] == 1
    assert fecho(MyStr("sub")) == "sub"


def test_row_c_void_p():
    r = fecho(ctypes.c_void_p(0xDEAD))
    assert isinstance(r, ctypes.c_void_p)
    assert r.value == 0xDEAD


def test_row_opaque_ptr_protocol():
    class P:
        def __tvm_ffi_opaque_ptr__(self):
            return 0x4242

    r = fecho(P())
    assert isinstance(r, ctypes.c_void_p) and r.value == 0x4242


def test_row_cuda_stream_protocol_before_callable():
    class S:
        def __cuda_stream__(self):
            return (0, 0x777)

        def __call__(self):
            return None

    r = fecho(S())
    assert isinstance(r, ctypes.c_void_p) and r.value == 0x777


def test_row_object_protocol_before_dlpack():
    target = tvm_ffi.convert([9])

    class Both:
        def __tvm_ffi_object__(self):
            return target

        def __dlpack__(self, *args, **kwargs):
            raise AssertionError("must not be used")

        def __dlpack_device__(self):
            return (1, 0)

    r = fecho(Both())
    assert r.same_as(target)


def test_row_dlpack_object():
    x = np.arange(4, dtype="float64")
    r = fecho(x)
    assert isinstance(r, tvm_ffi.Tensor)
    assert np.shares_memory(np.from_dlpack(r), x)


def test_row_callable():
    r = fecho(lambda: 5)
    assert isinstance(r, tvm_ffi.Function)
    assert r() == 5


def test_row_numpy_dtype():
    r = fecho(np.dtype("int16"))
    assert type(r) is tvm_ffi.dtype
    assert r == "int16"
    with pytest.raises(ValueError):
        fecho(np.dtype("complex64"))


def test_row_torch_dtype():
    torch = pytest.importorskip("torch")
    r = fecho(torch.float32)
    assert type(r) is tvm_ffi.dtype and r == "float32"
    assert fecho(torch.bfloat16) == "bfloat16"
    with pytest.raises(ValueError):
        fecho(torch.complex64)


def test_row_exception():
    r = fecho(KeyError("k"))
    assert isinstance(r, core.Error)
    assert r.kind == "KeyError"


def test_row_object_convertible():
    class C(tvm_ffi.ObjectConvertible):
        def asobject(self):
            return tvm_ffi.convert({"x": 1})

    r = fecho(C())
    assert isinstance(r, tvm_ffi.Map) and r["x"] == 1


def test_row_anything_else_is_opaque_and_identical():
    class Other:
        pass

    o = Other()
    assert fecho(o) is o
    s = {1, 2}
    assert fecho(s) is s


def test_row_rvalue_ref():
    x = tvm_ffi.convert([1, 2, 3])
    y = fecho(x._move())
    assert x.__chandle__() == 0
    assert list(y) == [1, 2, 3]
    assert use_count(y) == 1


def test_dispatch_cache_with_transient_classes():
    # The per-type cache must not be fooled by a new class reusing the address of a dead one.
    for i in range(200):
        if i % 2 == 0:

            class Transient:
                def __tvm_ffi_opaque_ptr__(self):
                    return 0x10

            r = fecho(Transient())
            assert isinstance(r, ctypes.c_void_p) and r.value == 0x10
        else:

            class Transient:  # noqa: F811
                pass

            obj = Transient()
            assert fecho(obj) is obj
        del Transient
        # the young generations hold the class (a class is in a reference cycle with its
        # members); a full collection would also walk torch's heap, ~0.4 s each
        gc.collect(1)


def test_temporaries_released_after_call():
    inner = tvm_ffi.convert([1])
    for _ in range(10):
        fecho([inner, {"k": inner}])
    assert use_count(inner) == 1


# ---------------------------------------------------------------------------------------------
# §2.3 for callback arguments


def test_callback_receives_converted_values():
    received = {}

    def cb(i, b, f, s, by, n, d, dev, arr, m, ptr):
        received.update(i=i, b=b, f=f, s=s, by=by, n=n, d=d, dev=dev, arr=arr, m=m, ptr=ptr)

    fapply(
        cb,
        3,
        False,
        0.25,
        "str",
        b"by",
        None,
        tvm_ffi.dtype("int8"),
        tvm_ffi.device("cpu", 0),
        [1],
        {"k": 2},
        ctypes.c_void_p(16),
    )
    assert type(received["i"]) is int
    assert received["b"] is False
    assert type(received["f"]) is float
    assert received["s"] == "str" and isinstance(received["s"], str)
    assert received["by"] == b"by" and isinstance(received["by"], bytes)
    assert received["n"] is None
    assert type(received["d"]) is tvm_ffi.dtype and received["d"] == "int8"
    assert isinstance(received["dev"], tvm_ffi.Device)
    assert isinstance(received["arr"], tvm_ffi.Array)
    assert isinstance(received["m"], tvm_ffi.Map)
    assert isinstance(received["ptr"], ctypes.c_void_p) and received["ptr"].value == 16
