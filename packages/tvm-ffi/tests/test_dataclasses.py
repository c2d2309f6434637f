"""tvm_ffi.dataclasses: c_class and field (§4.6), through the proxies in tvm_ffi.testing."""

import inspect

import pytest

import tvm_ffi
import tvm_ffi.testing as ft
from tvm_ffi.dataclasses import MISSING, c_class, field


def test_custom_init():
    obj = ft._TestCxxClassBase(v_i64=123, v_i32=456)
    assert obj.v_i64 == 124
    assert obj.v_i32 == 458
    assert isinstance(obj, tvm_ffi.Object)
    # plain class attributes are not fields
    assert ft._TestCxxClassBase.not_field_1 == 1
    assert ft._TestCxxClassBase.not_field_2 == 2


def test_generated_init_with_default():
    obj = ft._TestCxxClassDerived(v_i64=123, v_i32=456, v_f64=4.0)
    assert obj.v_i64 == 123 and obj.v_i32 == 456
    assert obj.v_f64 == 4.0
    assert obj.v_f32 == 8.0 and type(obj.v_f32) is float
    obj2 = ft._TestCxxClassDerived(1, 2, 3.0, 5.0)
    assert (obj2.v_i64, obj2.v_i32, obj2.v_f64, obj2.v_f32) == (1, 2, 3.0, 5.0)
    assert isinstance(obj, ft._TestCxxClassBase)


def test_generated_init_positional_and_factory():
    obj = ft._TestCxxClassDerivedDerived(123, 456, 4, True)
    assert obj.v_i64 == 123 and obj.v_i32 == 456
    assert obj.v_f64 == 4.0 and type(obj.v_f64) is float
    assert obj.v_f32 == 8.0
    assert obj.v_str == "default"
    assert obj.v_bool is True
    full = ft._TestCxxClassDerivedDerived(
        v_i64=1, v_i32=2, v_f64=3.0, v_f32=4.0, v_str="s", v_bool=False
    )
    assert (full.v_str, full.v_bool, full.v_f32) == ("s", False, 4.0)


def test_generated_init_signature_and_errors():
    params = list(inspect.signature(ft._TestCxxClassDerivedDerived.__init__).parameters)
    assert params[0] == "self"
    assert params[1:5] == ["v_i64", "v_i32", "v_f64", "v_bool"]
    assert set(params[5:]) == {"v_f32", "v_str"}
    with pytest.raises(TypeError):
        ft._TestCxxClassDerivedDerived(1, 2)  # missing required arguments


def test_init_subset():
    params = list(inspect.signature(ft._TestCxxInitSubset.__init__).parameters)
    assert params == ["self", "required_field"]
    obj = ft._TestCxxInitSubset(7)
    assert obj.required_field == 7
    assert obj.optional_field == -1
    assert obj.note == "py-default"
    obj.optional_field = 11
    assert obj.optional_field == 11
    obj.note = "changed"
    assert obj.note == "changed"


def test_field_setters_type_checked():
    obj = ft._TestCxxClassDerived(1, 2, 3.0)
    obj.v_f64 = 10
    assert obj.v_f64 == 10.0
    with pytest.raises(TypeError):
        obj.v_i64 = "nope"


def test_field_spec_errors():
    with pytest.raises(ValueError, match="Cannot specify both"):
        field(default=1, default_factory=lambda: 2)
    with pytest.raises(TypeError):
        field(init="yes")
    f = field(default=3)
    assert f.default_factory() == 3
    assert field().default_factory is MISSING


def test_c_class_field_mismatch():
    with pytest.raises(ValueError, match="Extraneous field"):

        @c_class("testing.TestCxxClassBase")
        class Extra:
            v_i64: int
            v_i32: int
            v_other: int

    with pytest.raises(ValueError, match="Missing fields"):

        @c_class("testing.TestCxxClassBase")
        class Missing:
            v_i64: int
