"""Function and type metadata from Python: type schemas of globals, fields and methods
(``get_global_func_metadata``, ``TypeInfo``, ``TypeSchema``) and docstrings."""

import json

import pytest

import tvm_ffi
import tvm_ffi.testing as ft
from tvm_ffi import registry
from tvm_ffi.core import TypeSchema, _lookup_or_register_type_info_from_type_key


def schema_of(name):
    return TypeSchema.from_json_str(tvm_ffi.get_global_func_metadata(name)["type_schema"])


@pytest.mark.parametrize(
    "name, rendered",
    [
        ("ffi.StructuralHash", "Callable[[Any, bool, bool], int]"),
        (
            "ffi.GetFirstStructuralMismatch",
            "Callable[[Any, Any, bool, bool], "
            "tuple[ffi.reflection.AccessPath, ffi.reflection.AccessPath] | None]",
        ),
        ("ffi.ToJSONGraphString", "Callable[[Any, Any], str]"),
        ("ffi.FromJSONGraphString", "Callable[[str], Any]"),
        ("ffi.json.Parse", "Callable[[str], Any]"),
        ("ffi.json.Stringify", "Callable[[Any, int | None], str]"),
        ("ffi.GetGlobalFuncMetadata", "Callable[[str], str]"),
        ("ffi.GetGlobalFuncDoc", "Callable[[str], str]"),
        ("ffi.Array", "Callable[..., Any]"),
        ("testing.TestIntPairSum", "Callable[[testing.TestIntPair], int]"),
    ],
)
def test_global_function_schemas(name, rendered):
    assert str(schema_of(name)) == rendered


def test_every_ffi_global_has_a_valid_schema():
    names = [n for n in registry.list_global_func_names() if n.startswith("ffi.")]
    assert len(names) > 30
    for name in names:
        metadata = tvm_ffi.get_global_func_metadata(name)
        assert list(metadata)[0] == "type_schema", name
        schema = TypeSchema.from_json_str(metadata["type_schema"])
        assert schema.origin == "Callable", name


def test_metadata_errors():
    with pytest.raises(RuntimeError, match="Global Function is not found: no.such.function"):
        tvm_ffi.get_global_func_metadata("no.such.function")

    @tvm_ffi.register_global_func("reflect_test.py_func_no_metadata", override=True)
    def _f(x):
        return x

    try:
        # registered from Python: no method info, so the metadata text is empty
        assert (
            tvm_ffi.get_global_func("ffi.GetGlobalFuncMetadata")("reflect_test.py_func_no_metadata")
            == ""
        )
        with pytest.raises(json.JSONDecodeError):
            tvm_ffi.get_global_func_metadata("reflect_test.py_func_no_metadata")
        assert registry.get_global_func_doc("reflect_test.py_func_no_metadata") is None
    finally:
        tvm_ffi.remove_global_func("reflect_test.py_func_no_metadata")


def test_global_function_docstrings():
    assert registry.get_global_func_doc("testing.TestIntPairSum") == "Get sum of the pair"
    assert registry.get_global_func_doc("testing.schema_variant_mix") == "variant passthrough"
    assert registry.get_global_func_doc("testing.echo") is None
    with pytest.raises(RuntimeError, match="not found"):
        registry.get_global_func_doc("no.such.function")
    with pytest.raises(TypeError):
        registry.get_global_func_doc(1)


def test_field_and_method_docstrings():
    assert ft.TestIntPair.a.__doc__ == "Field `a`"
    assert ft.TestIntPair.sum.__doc__ == "Method to compute sum of a and b"
    assert ft.TestObjectBase.v_i64.__doc__ == "i64 field"
    assert ft.TestObjectBase.v_f64.__doc__ is None
    assert ft.TestSNode.tag.__doc__ == "node tag"
    assert ft.TestSNode.comment.__doc__ == "free text (not compared)"
    assert ft.TestSFunc.params.__doc__ == "parameters (definition point)"
    assert ft.TestSVar.__c_ffi_init__.__doc__ == "Create a variable with a display name"
    # fallback classes get the C++ docs too
    obj = ft.make_unregistered_object()
    assert type(obj).get_v2_plus_two.__doc__ == "Get (v2 + 2) from TestUnregisteredObject"


def test_type_info_of_a_reflected_type():
    info = _lookup_or_register_type_info_from_type_key("testing.TestSFunc")
    assert info.type_key == "testing.TestSFunc"
    assert info.type_cls is ft.TestSFunc
    assert ft.TestSFunc.__tvm_ffi_type_info__ is info
    assert info.parent_type_info.type_key == "ffi.Object"
    assert [f.name for f in info.fields] == ["params", "body", "comment"]
    assert all(f.frozen for f in info.fields)
    rendered = {
        f.name: str(TypeSchema.from_json_str(f.metadata["type_schema"])) for f in info.fields
    }
    assert rendered == {"params": "list[testing.TestSVar]", "body": "Any", "comment": "str | None"}
    (init,) = [m for m in info.methods if m.name == "__ffi_init__"]
    assert init.is_static
    assert str(TypeSchema.from_json_str(init.metadata["type_schema"])) == (
        "Callable[[list[testing.TestSVar], Any, str | None], Object]"
    )


def test_method_schema_has_self_type():
    info = _lookup_or_register_type_info_from_type_key("testing.SchemaAllTypes")
    methods = {m.name: m for m in info.methods}
    schema = TypeSchema.from_json_str(methods["add_int"].metadata["type_schema"])
    assert str(schema) == "Callable[[testing.SchemaAllTypes, int], int]"
    assert methods["add_int"].metadata["bool_attr"] is True
    seq = schema.repr(lambda name: {"list": "Sequence", "dict": "Mapping"}.get(name, name))
    assert seq == "Callable[[testing.SchemaAllTypes, int], int]"
    merge = TypeSchema.from_json_str(methods["merge_map"].metadata["type_schema"])
    assert merge.repr(lambda n: {"list": "Sequence", "dict": "Mapping"}.get(n, n)).startswith(
        "Callable[[testing.SchemaAllTypes, Mapping[str, Sequence[int]]"
    )


def test_c_class_field_records():
    info = ft._TestCxxClassDerivedDerived.__tvm_ffi_type_info__
    fields = {f.name: f for f in info.fields}
    assert set(fields) == {"v_str", "v_bool"}
    assert fields["v_str"].dataclass_field.default_factory() == "default"
    assert fields["v_str"].dataclass_field.type is str
    assert not fields["v_bool"].frozen
    assert str(TypeSchema.from_json_str(fields["v_bool"].metadata["type_schema"])) == "bool"


@pytest.mark.parametrize(
    "json_text, message",
    [
        ('{"type": "Variant", "args": [{"type": "int"}]}', "Union must have at least two"),
        ('{"type": "Optional"}', "Optional must have exactly one"),
        ('{"type": "ffi.Map", "args": [{"type": "int"}]}', "dict must have 0 or 2"),
        ('{"args": []}', "type"),
    ],
)
def test_type_schema_validation(json_text, message):
    with pytest.raises(AssertionError, match=message):
        TypeSchema.from_json_str(json_text)


def test_type_schema_defaults_and_equality():
    assert str(TypeSchema.from_json_str('{"type": "ffi.Array"}')) == "list[Any]"
    assert str(TypeSchema.from_json_str('{"type": "ffi.Map"}')) == "dict[Any, Any]"
    assert str(TypeSchema.from_json_str('{"type": "ffi.Function"}')) == "Callable[..., Any]"
    a = TypeSchema.from_json_str('{"type":"Optional","args":[{"type":"ffi.String"}]}')
    b = TypeSchema("Optional", [TypeSchema("str")])
    assert a == b and hash(a) == hash(b)
    assert a.repr() == "str | None"
