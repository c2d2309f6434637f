"""core.String and core.Bytes (§3.11) and strings through the FFI."""

import pickle

import pytest

import tvm_ffi
import tvm_ffi.testing  # noqa: F401
from tvm_ffi import core

fecho = tvm_ffi.get_global_func("testing.echo")
use_count = tvm_ffi.get_global_func("testing.object_use_count")
schema_id_string = tvm_ffi.get_global_func("testing.schema_id_string")
schema_id_bytes = tvm_ffi.get_global_func("testing.schema_id_bytes")


def test_string_construct():
    s = core.String("hello")
    assert isinstance(s, str)
    assert s == "hello"
    assert s._tvm_ffi_cached_object is None
    assert s.upper() == "HELLO"


def test_bytes_construct():
    b = core.Bytes(b"hello")
    assert isinstance(b, bytes)
    assert b == b"hello"
    assert b._tvm_ffi_cached_object is None


@pytest.mark.parametrize(
    "value", ["", "a", "hello", "1234567", "12345678", "hello" * 100, "héllo ✓ 漢字", "a\x00b"]
)
def test_string_echo(value):
    r = fecho(value)
    assert isinstance(r, str)
    assert r == value
    assert len(r) == len(value)
    r2 = schema_id_string(value)
    assert r2 == value


@pytest.mark.parametrize(
    "value", [b"", b"a", b"1234567", b"12345678", b"\x00\xff" * 100, b"a\x00b"]
)
def test_bytes_echo(value):
    r = fecho(value)
    assert isinstance(r, bytes)
    assert r == value
    assert schema_id_bytes(value) == value
    assert schema_id_bytes(bytearray(value)) == value


def test_small_string_is_plain():
    r = fecho("hello")
    assert type(r) is str
    rb = fecho(b"hi")
    assert type(rb) is bytes


def test_large_string_has_cached_object():
    r = fecho("hello" * 100)
    assert isinstance(r, core.String)
    assert r._tvm_ffi_cached_object is not None
    assert use_count(r._tvm_ffi_cached_object) >= 1
    # passing it back reuses the same FFI object
    r2 = fecho(r)
    assert r2._tvm_ffi_cached_object.same_as(r._tvm_ffi_cached_object)


def test_large_bytes_has_cached_object():
    r = fecho(b"x" * 200)
    assert isinstance(r, core.Bytes)
    assert r._tvm_ffi_cached_object is not None
    r2 = fecho(r)
    assert r2._tvm_ffi_cached_object.same_as(r._tvm_ffi_cached_object)


def test_convert_str_bytes():
    s = tvm_ffi.convert("abc")
    assert isinstance(s, str) and s == "abc"
    b = tvm_ffi.convert(b"abc")
    assert isinstance(b, core.Bytes) and isinstance(b, bytes) and b == b"abc"
    ba = tvm_ffi.convert(bytearray(b"abc"))
    assert isinstance(ba, core.Bytes) and ba == b"abc"


def test_string_pickle():
    s = fecho("hello" * 100)
    s2 = pickle.loads(pickle.dumps(s))
    assert s2 == "hello" * 100
    assert type(s2) is str
    s3 = pickle.loads(pickle.dumps(core.String("short")))
    assert s3 == "short" and type(s3) is str


def test_bytes_pickle():
    b = fecho(b"y" * 100)
    b2 = pickle.loads(pickle.dumps(b))
    assert type(b2) is bytes
    assert b2 == b"y" * 100
    b3 = pickle.loads(pickle.dumps(core.Bytes(b"short")))
    assert type(b3) is bytes and b3 == b"short"


def test_string_type_errors():
    with pytest.raises(TypeError, match="argument #0"):
        schema_id_string(1)
    with pytest.raises(TypeError, match="argument #0"):
        schema_id_bytes(1.5)


def test_invalid_utf8_surrogate_rejected():
    # a lone surrogate cannot be encoded as UTF-8; the error is a Python exception, not a crash
    with pytest.raises(UnicodeEncodeError):
        fecho("\ud800")


def test_strings_in_containers():
    arr = tvm_ffi.convert(["a", "b" * 100, b"c"])
    assert arr[0] == "a"
    assert arr[1] == "b" * 100
    assert arr[2] == b"c"
    m = tvm_ffi.convert({"k" * 50: "v" * 50})
    assert m["k" * 50] == "v" * 50
    assert list(m.keys()) == ["k" * 50]
