"""tvm_ffi.dataclasses: c_class and field (§4.6), through the proxies in tvm_ffi.testing."""

import inspect
import typing

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


# ---- repr, signature details and field options --------------------------------------------------


def test_generated_repr():
    obj = ft._TestCxxClassDerivedDerived(1, 2, 3.0, True)
    assert repr(obj) == (
        "_TestCxxClassDerivedDerived(v_i64=1, v_i32=2, v_f64=3.0, v_f32=8.0, "
        "v_str='default', v_bool=True)"
    )
    assert repr(ft._TestCxxClassBase(1, 2)) == "_TestCxxClassBase(v_i64=2, v_i32=4)"
    assert repr(ft._TestCxxInitSubset(5)) == (
        "_TestCxxInitSubset(required_field=5, optional_field=-1, note='py-default')"
    )
    null = ft._TestCxxClassBase.__new__(ft._TestCxxClassBase)
    assert repr(null) == "_TestCxxClassBase(chandle=None)"
    # equality stays identity, as for every Object
    assert ft._TestCxxClassBase(1, 2) != ft._TestCxxClassBase(1, 2)


def test_signature_shows_defaults_and_annotations():
    sig = inspect.signature(ft._TestCxxClassDerivedDerived.__init__)
    params = sig.parameters
    assert params["v_f32"].default == 8
    assert repr(params["v_str"].default) == "<factory>"
    assert params["v_i64"].default is inspect.Parameter.empty
    assert params["v_i64"].annotation is int and params["v_str"].annotation is str
    assert str(sig) == (
        "(self, v_i64: int, v_i32: int, v_f64: float, v_bool: bool, "
        "v_f32: float = 8, v_str: str = <factory>) -> None"
    )
    # keyword and positional forms agree; unknown or duplicate arguments are TypeErrors
    a = ft._TestCxxClassDerived(1, 2, v_f64=3.0)
    assert (a.v_i64, a.v_i32, a.v_f64, a.v_f32) == (1, 2, 3.0, 8.0)
    with pytest.raises(TypeError):
        ft._TestCxxClassDerived(1, 2, 3.0, no_such_field=1)
    with pytest.raises(TypeError):
        ft._TestCxxClassDerived(1, 2, 3.0, v_i64=5)
    with pytest.raises(TypeError):
        ft._TestCxxClassDerived(1, 2, 3.0, 4.0, 5.0)


def test_field_docs_and_types_from_cxx():
    # c_class fields are properties with C++ type checking on assignment
    assert isinstance(ft._TestCxxClassDerived.__dict__["v_f64"], property)
    obj = ft._TestCxxInitSubset(1)
    with pytest.raises(TypeError):
        obj.note = 5


@pytest.fixture
def restore_type():
    """c_class re-binds a type key to a new class; put the previous binding back afterwards."""
    from tvm_ffi import core

    saved = []

    def snapshot(type_key):
        info = core._lookup_or_register_type_info_from_type_key(type_key)
        saved.append(
            (info, info.type_cls, list(info.fields), [f.dataclass_field for f in info.fields])
        )
        return info

    yield snapshot
    for info, cls, fields, dataclass_fields in saved:
        info.fields = fields
        for f, d in zip(fields, dataclass_fields):
            f.dataclass_field = d
        core._set_type_cls(info, cls)


def test_field_options_on_a_new_c_class(restore_type):
    restore_type("testing.TestSDAGNode")
    calls = []

    @c_class("testing.TestSDAGNode")
    class Graph:
        value: typing.Any = field(default=None, repr=False)
        children: typing.List[typing.Any] = field(default_factory=lambda: calls.append(1) or [])

        def __post_init__(self):
            calls.append("post")

    assert str(inspect.signature(Graph.__init__)) == (
        "(self, value: Any = None, children: List[Any] = <factory>) -> None"
    )
    g = Graph()
    assert calls == [1, "post"]
    assert g.value is None and len(g.children) == 0
    assert repr(g) == "Graph(children=[])"
    h = Graph(7, [g])
    assert calls == [1, "post", "post"]  # the factory is not called when a value is given
    assert h.value == 7 and h.children[0].same_as(g)
    assert repr(h) == "Graph(children=[Graph(children=[])])"
    assert isinstance(h, tvm_ffi.Object)
    # returned objects of that type now come back as Graph
    echoed = tvm_ffi.get_global_func("testing.echo")(h)
    assert type(echoed) is Graph and echoed.same_as(h)


def test_user_defined_repr_and_repr_false(restore_type):
    restore_type("testing.TestSDAGNode")

    @c_class("testing.TestSDAGNode")
    class WithRepr:
        value: typing.Any
        children: typing.Any

        def __repr__(self):
            return "custom"

    assert repr(WithRepr(1, [])) == "custom"

    @c_class("testing.TestSDAGNode", repr=False)
    class NoRepr:
        value: typing.Any
        children: typing.Any

    r = repr(NoRepr(1, []))
    assert r.startswith("NoRepr(") and "value" not in r

    @c_class("testing.TestSDAGNode", init=False)
    class NoInit:
        value: typing.Any
        children: typing.Any

    assert "__init__" not in NoInit.__dict__  # no generated __init__: construct by hand
    n = NoInit.__new__(NoInit)
    n.__ffi_init__(3, [])
    assert n.value == 3


def test_c_class_declaration_errors(restore_type):
    restore_type("testing.TestSDAGNode")
    with pytest.raises(TypeError, match="type key"):
        c_class(5)
    with pytest.raises(ValueError, match="Cannot find object type index"):

        @c_class("testing.NoSuchType")
        class Unknown:
            pass

    with pytest.raises(ValueError, match="must have a parent type"):

        @c_class("ffi.Object")
        class Root:
            pass

    with pytest.raises(ValueError, match="Cannot recognize field"):

        @c_class("testing.TestSDAGNode")
        class BadDefault:
            value: typing.Any = [1]
            children: typing.Any

    with pytest.raises(TypeError, match="repr"):
        field(repr="yes")
    with pytest.raises(TypeError, match="default_factory"):
        field(default_factory=3)


def test_class_vars_and_init_vars_are_not_fields(restore_type):
    restore_type("testing.TestSDAGNode")

    @c_class("testing.TestSDAGNode")
    class WithExtras:
        value: typing.Any
        children: typing.Any
        counter: typing.ClassVar[int] = 0
        label: "ClassVar[str]" = "x"  # noqa: F821 (the string form is under test)

    params = list(inspect.signature(WithExtras.__init__).parameters)
    assert params == ["self", "value", "children"]
    assert WithExtras.counter == 0 and WithExtras.label == "x"
