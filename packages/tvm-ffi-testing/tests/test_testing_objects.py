"""The testing.* object types: fields, docs, defaults, mutability, methods, constructors."""

import inspect
import json

import pytest

import tvm_ffi
import tvm_ffi.testing
from tvm_ffi.core import TypeSchema

# Aliases: pytest would try to collect classes whose names start with "Test".
from tvm_ffi.testing import TestIntPair as IntPair
from tvm_ffi.testing import TestObjectBase as ObjectBase
from tvm_ffi.testing import TestObjectDerived as ObjectDerived
from tvm_ffi.testing import _SchemaAllTypes, create_object


def _info(type_key):
    return tvm_ffi.core._lookup_or_register_type_info_from_type_key(type_key)


def _field(info, name):
    matches = [f for f in info.fields if f.name == name]
    assert len(matches) == 1, name
    return matches[0]


def _method(info, name):
    matches = [m for m in info.methods if m.name == name]
    assert len(matches) == 1, name
    return matches[0]


def _schema(metadata):
    return str(TypeSchema.from_json_str(metadata["type_schema"]))


# ---------------------------------------------------------------------------------------------
# testing.TestIntPair
# ---------------------------------------------------------------------------------------------


def test_int_pair_init_fields_and_method():
    pair = IntPair(1, 2)
    assert isinstance(pair, IntPair)
    assert isinstance(pair, tvm_ffi.Object)
    assert pair.a == 1
    assert pair.b == 2
    assert pair.sum() == 3
    assert IntPair(-4, 10).sum() == 6


def test_int_pair_docs():
    assert IntPair.a.__doc__ == "Field `a`"
    assert IntPair.b.__doc__ == "Field `b`"
    assert IntPair.sum.__doc__ == "Method to compute sum of a and b"


def test_int_pair_is_immutable():
    pair = IntPair(1, 2)
    with pytest.raises(AttributeError):
        pair.a = 5
    assert pair.a == 1


def test_int_pair_init_type_errors():
    with pytest.raises(TypeError):
        IntPair("a", 2)
    with pytest.raises(TypeError):
        IntPair(1)


def test_int_pair_reflection_info():
    info = IntPair.__tvm_ffi_type_info__
    assert info.type_key == "testing.TestIntPair"
    assert [f.name for f in info.fields] == ["a", "b"]
    assert all(f.frozen for f in info.fields)
    init = _method(info, "__ffi_init__")
    assert init.is_static
    assert _schema(init.metadata) == "Callable[[int, int], Object]"
    sum_method = _method(info, "sum")
    assert not sum_method.is_static
    assert _schema(sum_method.metadata) == "Callable[[testing.TestIntPair], int]"


def test_int_pair_has_reflection_creator():
    pair = create_object("testing.TestIntPair", a=5, b=6)
    assert type(pair).__tvm_ffi_type_info__.type_key == "testing.TestIntPair"
    assert (pair.a, pair.b) == (5, 6)
    with pytest.raises(TypeError, match="Required field `a` not set in type `testing.TestIntPair`"):
        create_object("testing.TestIntPair")


def test_int_pair_is_final():
    info = _info("testing.TestIntPair")
    assert info.parent_type_info.type_key == "ffi.Object"


# ---------------------------------------------------------------------------------------------
# testing.TestObjectBase / testing.TestObjectDerived
# ---------------------------------------------------------------------------------------------


def test_object_base_defaults():
    obj = create_object("testing.TestObjectBase")
    assert isinstance(obj, ObjectBase)
    assert type(obj).__tvm_ffi_type_info__.type_key == "testing.TestObjectBase"
    assert obj.v_i64 == 10
    assert obj.v_f64 == 10.0
    assert isinstance(obj.v_f64, float)
    assert obj.v_str == "hello"


def test_object_base_kwargs_including_read_only_field():
    obj = create_object("testing.TestObjectBase", v_i64=12, v_f64=1.5, v_str="s")
    assert (obj.v_i64, obj.v_f64, obj.v_str) == (12, 1.5, "s")
    assert obj.add_i64(1) == 13


def test_object_base_setters():
    obj = create_object("testing.TestObjectBase")
    obj.v_i64 = 11
    obj.v_str = "world"
    assert obj.v_i64 == 11
    assert obj.v_str == "world"
    with pytest.raises(TypeError):
        obj.v_str = 1
    with pytest.raises(TypeError):
        obj.v_i64 = "hello"
    with pytest.raises(AttributeError):
        obj.v_f64 = 2.0
    assert obj.v_f64 == 10.0


def test_object_base_docs():
    assert ObjectBase.v_i64.__doc__ == "i64 field"
    assert ObjectBase.v_f64.__doc__ is None
    assert ObjectBase.v_str.__doc__ is None
    obj = create_object("testing.TestObjectBase")
    assert type(obj).add_i64.__doc__ == "add_i64 method"


def test_object_base_method_type_error():
    obj = create_object("testing.TestObjectBase")
    with pytest.raises(TypeError):
        obj.add_i64("x")


def test_object_base_unknown_field():
    with pytest.raises(TypeError, match="Type `testing.TestObjectBase` does not have field `nope`"):
        create_object("testing.TestObjectBase", nope=1)


def test_object_base_field_info():
    info = ObjectBase.__tvm_ffi_type_info__
    assert [f.name for f in info.fields] == ["v_i64", "v_f64", "v_str"]
    assert [f.frozen for f in info.fields] == [False, True, False]
    assert [_schema(f.metadata) for f in info.fields] == ["int", "float", "str"]
    assert [m.name for m in info.methods] == ["add_i64"]
    assert _schema(info.methods[0].metadata) == "Callable[[testing.TestObjectBase, int], int]"


def test_object_derived_requires_container_fields():
    with pytest.raises(
        TypeError, match="Required field `v_map` not set in type `testing.TestObjectDerived`"
    ):
        create_object("testing.TestObjectDerived")


def test_object_derived_creation():
    v_map = tvm_ffi.convert({"a": 1})
    v_array = tvm_ffi.convert([1, 2, 3])
    obj = create_object("testing.TestObjectDerived", v_i64=20, v_map=v_map, v_array=v_array)
    assert isinstance(obj, ObjectDerived)
    assert isinstance(obj, ObjectBase)
    assert obj.v_map.same_as(v_map)
    assert obj.v_array.same_as(v_array)
    assert obj.v_i64 == 20
    assert obj.v_f64 == 10.0
    assert obj.v_str == "hello"
    obj.v_i64 = 21
    assert obj.v_i64 == 21
    assert obj.add_i64(1) == 22
    with pytest.raises(AttributeError):
        obj.v_map = {}


def test_object_derived_hierarchy():
    info = ObjectDerived.__tvm_ffi_type_info__
    assert info.parent_type_info.type_key == "testing.TestObjectBase"
    assert [f.name for f in info.fields] == ["v_map", "v_array"]


# ---------------------------------------------------------------------------------------------
# Types without reflection creator
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "type_key",
    [
        "testing.TestCxxClassBase",
        "testing.TestCxxClassDerived",
        "testing.TestCxxClassDerivedDerived",
        "testing.TestCxxInitSubset",
        "testing.TestUnregisteredBaseObject",
        "testing.TestUnregisteredObject",
        "testing.SchemaAllTypes",
    ],
)
def test_no_reflection_creation(type_key):
    with pytest.raises(
        RuntimeError, match=f"Type `{type_key}` does not support reflection creation"
    ):
        create_object(type_key)


def test_create_object_unknown_type():
    with pytest.raises(Exception, match="testing.NoSuchType"):
        create_object("testing.NoSuchType")


# ---------------------------------------------------------------------------------------------
# c_class types (need tvm_ffi.dataclasses)
# ---------------------------------------------------------------------------------------------

needs_c_class = pytest.mark.skipif(
    not hasattr(tvm_ffi.testing, "_TestCxxClassBase"),
    reason="tvm_ffi.dataclasses is not available in this tvm_ffi",
)


@needs_c_class
def test_cxx_class_base_custom_init():
    obj = tvm_ffi.testing._TestCxxClassBase(v_i64=123, v_i32=456)
    assert obj.v_i64 == 124
    assert obj.v_i32 == 458
    assert tvm_ffi.testing._TestCxxClassBase.not_field_1 == 1
    assert tvm_ffi.testing._TestCxxClassBase.not_field_2 == 2
    obj.v_i32 = 1
    assert obj.v_i32 == 1


@needs_c_class
def test_cxx_class_derived_defaults():
    cls = tvm_ffi.testing._TestCxxClassDerived
    obj = cls(v_i64=123, v_i32=456, v_f64=4.0)
    assert (obj.v_i64, obj.v_i32, obj.v_f64) == (123, 456, 4.0)
    assert obj.v_f32 == 8.0
    assert isinstance(obj.v_f32, float)
    obj = cls(v_i64=1, v_i32=2, v_f64=3.0, v_f32=4.5)
    assert obj.v_f32 == 4.5


@needs_c_class
def test_cxx_class_derived_derived():
    cls = tvm_ffi.testing._TestCxxClassDerivedDerived
    obj = cls(v_i64=1, v_i32=2, v_f64=3.0, v_f32=4.0, v_str="x", v_bool=False)
    assert (obj.v_i64, obj.v_i32, obj.v_f64, obj.v_f32, obj.v_str, obj.v_bool) == (
        1,
        2,
        3.0,
        4.0,
        "x",
        False,
    )
    obj = cls(123, 456, 4, True)
    assert obj.v_i64 == 123
    assert obj.v_i32 == 456
    assert obj.v_f64 == 4.0 and isinstance(obj.v_f64, float)
    assert obj.v_f32 == 8.0
    assert obj.v_str == "default"
    assert obj.v_bool is True


@needs_c_class
def test_cxx_init_subset():
    cls = tvm_ffi.testing._TestCxxInitSubset
    assert list(inspect.signature(cls.__init__).parameters) == ["self", "required_field"]
    obj = cls(7)
    assert obj.required_field == 7
    assert obj.optional_field == -1
    assert obj.note == "py-default"
    obj.optional_field = 11
    assert obj.optional_field == 11
    obj.note = "changed"
    assert obj.note == "changed"


def test_cxx_class_init_schemas():
    expected = {
        "testing.TestCxxClassBase": "Callable[[int, int], Object]",
        "testing.TestCxxClassDerived": "Callable[[int, int, float, float], Object]",
        "testing.TestCxxClassDerivedDerived": "Callable[[int, int, float, float, str, bool],"
        " Object]",
        "testing.TestCxxInitSubset": "Callable[[int, str], Object]",
    }
    for key, rendering in expected.items():
        info = _info(key)
        init = _method(info, "__ffi_init__")
        assert init.is_static
        assert _schema(init.metadata) == rendering
        assert all(not f.frozen for f in info.fields)


def test_cxx_class_field_order():
    assert [f.name for f in _info("testing.TestCxxClassBase").fields] == ["v_i64", "v_i32"]
    assert [f.name for f in _info("testing.TestCxxClassDerived").fields] == ["v_f64", "v_f32"]
    assert [f.name for f in _info("testing.TestCxxClassDerivedDerived").fields] == [
        "v_str",
        "v_bool",
    ]
    assert [f.name for f in _info("testing.TestCxxInitSubset").fields] == [
        "required_field",
        "optional_field",
        "note",
    ]


# ---------------------------------------------------------------------------------------------
# Unregistered types (fallback classes)
# ---------------------------------------------------------------------------------------------


def test_unregistered_types_have_no_python_class_in_module():
    assert not hasattr(tvm_ffi.testing, "TestUnregisteredObject")
    assert not hasattr(tvm_ffi.testing, "TestUnregisteredBaseObject")


def test_unregistered_object_fallback_hierarchy():
    x = tvm_ffi.testing.make_unregistered_object()
    base_cls = type(x).__mro__[1]
    assert base_cls.__tvm_ffi_type_info__.type_key == "testing.TestUnregisteredBaseObject"
    assert base_cls.__name__ == "TestUnregisteredBaseObject"
    info = type(x).__tvm_ffi_type_info__
    assert [f.name for f in info.fields] == ["v1", "v2"]
    init = _method(info, "__ffi_init__")
    assert init.doc == "Constructor of TestUnregisteredObject"
    base_init = _method(base_cls.__tvm_ffi_type_info__, "__ffi_init__")
    assert base_init.doc == "Constructor of TestUnregisteredBaseObject"
    with pytest.raises(AttributeError):
        x.v1 = 1


# ---------------------------------------------------------------------------------------------
# testing.SchemaAllTypes
# ---------------------------------------------------------------------------------------------

SCHEMA_FIELDS = [
    ("v_bool", "bool field", "bool", False),
    ("v_int", "int field", "int", True),
    ("v_float", "float field", "float", True),
    ("v_device", "device field", "Device", False),
    ("v_dtype", "dtype field", "dtype", False),
    ("v_string", "string field", "str", True),
    ("v_bytes", "bytes field", "bytes", False),
    ("v_opt_int", "optional int", "int | None", False),
    ("v_opt_str", "optional str", "str | None", False),
    ("v_arr_int", "array<int>", "list[int]", False),
    ("v_arr_str", "array<str>", "list[str]", False),
    ("v_map_str_int", "map<str,int>", "dict[str, int]", False),
    ("v_map_str_arr_int", "map<str,array<int>>", "dict[str, list[int]]", False),
    (
        "v_variant",
        "variant<str,array<int>,map<str,int>>",
        "str | list[int] | dict[str, int]",
        False,
    ),
    ("v_opt_arr_variant", "optional<array<variant<int,str>>>", "list[int | str] | None", False),
]


@pytest.fixture
def schema_cls():
    """An ``Object`` subclass registered for ``testing.SchemaAllTypes`` for the duration of a test.

    ``tvm_ffi.testing._SchemaAllTypes`` is a plain class (not an ``Object`` subclass), so objects
    of that type cannot be materialised through it; the module's registration is restored after.
    """

    @tvm_ffi.register_object("testing.SchemaAllTypes")
    class SchemaAllTypesObject(tvm_ffi.Object):
        pass

    yield SchemaAllTypesObject
    tvm_ffi.register_object("testing.SchemaAllTypes")(_SchemaAllTypes)
    assert _SchemaAllTypes.__tvm_ffi_type_info__.type_key == "testing.SchemaAllTypes"


def test_schema_all_types_registered_plain_class():
    assert _SchemaAllTypes.__tvm_ffi_type_info__.type_key == "testing.SchemaAllTypes"
    assert callable(_SchemaAllTypes.make_with)
    assert callable(_SchemaAllTypes.add_int)


def test_schema_all_types_fields():
    info = _SchemaAllTypes.__tvm_ffi_type_info__
    assert [f.name for f in info.fields] == [row[0] for row in SCHEMA_FIELDS]
    for field, (name, doc, rendering, _has_default) in zip(info.fields, SCHEMA_FIELDS):
        assert field.doc == doc, name
        assert not field.frozen, name
        assert _schema(field.metadata) == rendering, name


def test_schema_all_types_field_metadata():
    info = _SchemaAllTypes.__tvm_ffi_type_info__
    v_bool = _field(info, "v_bool")
    assert len(v_bool.metadata) == 4
    assert v_bool.metadata["bool_attr"] is True
    assert v_bool.metadata["int_attr"] == 1
    assert v_bool.metadata["str_attr"] == "hello"
    assert list(_field(info, "v_int").metadata) == ["type_schema"]


def test_schema_all_types_methods():
    info = _SchemaAllTypes.__tvm_ffi_type_info__
    expected = [
        ("add_int", False, "add int method", "Callable[[testing.SchemaAllTypes, int], int]"),
        (
            "append_int",
            False,
            "append int to array",
            "Callable[[testing.SchemaAllTypes, list[int], int], list[int]]",
        ),
        (
            "maybe_concat",
            False,
            "optional concat",
            "Callable[[testing.SchemaAllTypes, str | None, str | None], str | None]",
        ),
        (
            "merge_map",
            False,
            "merge maps",
            "Callable[[testing.SchemaAllTypes, dict[str, list[int]], dict[str, list[int]]], "
            "dict[str, list[int]]]",
        ),
        (
            "make_with",
            True,
            "Constructor with subset of fields",
            "Callable[[int, float, str], testing.SchemaAllTypes]",
        ),
    ]
    assert [m.name for m in info.methods] == [row[0] for row in expected]
    for method, (name, is_static, doc, rendering) in zip(info.methods, expected):
        assert method.is_static == is_static, name
        assert method.doc == doc, name
        assert _schema(method.metadata) == rendering, name
    add_int = _method(info, "add_int")
    assert len(add_int.metadata) == 4
    assert add_int.metadata["bool_attr"] is True
    assert add_int.metadata["int_attr"] == 1
    assert add_int.metadata["str_attr"] == "hello"


def test_schema_all_types_make_with_defaults(schema_cls):
    obj = schema_cls.make_with(3, 1.5, "abc")
    assert obj.v_int == 3
    assert obj.v_float == 1.5
    assert obj.v_string == "abc"
    assert obj.v_bool is True
    assert str(obj.v_device) == "cpu:0"
    assert obj.v_dtype == "float32"
    assert obj.v_variant == "v"
    assert obj.v_bytes == b""
    assert obj.v_opt_int is None
    assert obj.v_opt_str is None
    assert obj.v_opt_arr_variant is None
    assert len(obj.v_arr_int) == 0
    assert len(obj.v_arr_str) == 0
    assert len(obj.v_map_str_int) == 0
    assert len(obj.v_map_str_arr_int) == 0


def test_schema_all_types_methods_behaviour(schema_cls):
    obj = schema_cls.make_with(10, 0.0, "")
    assert obj.add_int(5) == 15
    xs = tvm_ffi.convert([1, 2])
    out = obj.append_int(xs, 3)
    assert list(out) == [1, 2, 3]
    assert list(xs) == [1, 2]
    assert obj.maybe_concat("a", "b") == "ab"
    assert obj.maybe_concat("a", None) == "a"
    assert obj.maybe_concat(None, "b") == "b"
    assert obj.maybe_concat(None, None) is None
    lhs = tvm_ffi.convert({"x": [1], "y": [2]})
    merged = obj.merge_map(lhs, {"y": [3, 4], "z": [5]})
    assert {k: list(v) for k, v in merged.items()} == {"x": [1], "y": [2, 3, 4], "z": [5]}
    assert {k: list(v) for k, v in lhs.items()} == {"x": [1], "y": [2]}


def test_schema_all_types_setters(schema_cls):
    obj = schema_cls.make_with(0, 0.0, "")
    obj.v_bool = False
    assert obj.v_bool is False
    obj.v_int = 7
    obj.v_float = 2
    assert obj.v_float == 2.0 and isinstance(obj.v_float, float)
    obj.v_device = tvm_ffi.device("cuda", 1)
    assert str(obj.v_device) == "cuda:1"
    obj.v_dtype = tvm_ffi.dtype("int8")
    assert obj.v_dtype == "int8"
    obj.v_bytes = b"raw"
    assert obj.v_bytes == b"raw"
    obj.v_opt_int = 3
    assert obj.v_opt_int == 3
    obj.v_opt_int = None
    assert obj.v_opt_int is None
    obj.v_arr_str = ["a", "b"]
    assert list(obj.v_arr_str) == ["a", "b"]
    obj.v_map_str_arr_int = {"k": [1, 2]}
    assert list(obj.v_map_str_arr_int["k"]) == [1, 2]
    obj.v_variant = [1, 2]
    assert list(obj.v_variant) == [1, 2]
    obj.v_variant = {"a": 1}
    assert obj.v_variant["a"] == 1
    obj.v_opt_arr_variant = [1, "two"]
    assert list(obj.v_opt_arr_variant) == [1, "two"]


@pytest.mark.parametrize(
    "name, bad",
    [
        ("v_int", "x"),
        ("v_string", 1),
        ("v_bytes", 1),
        ("v_opt_int", "x"),
        ("v_arr_int", ["x"]),
        ("v_map_str_int", {"a": "b"}),
        ("v_variant", 1.5),
        ("v_opt_arr_variant", [1.5]),
    ],
)
def test_schema_all_types_setter_type_errors(schema_cls, name, bad):
    obj = schema_cls.make_with(0, 0.0, "")
    with pytest.raises(TypeError):
        setattr(obj, name, bad)


def test_schema_all_types_make_with_type_error(schema_cls):
    with pytest.raises(TypeError):
        schema_cls.make_with("x", 1.0, "s")


def test_field_metadata_json_is_valid():
    for key in [
        "testing.TestIntPair",
        "testing.TestObjectBase",
        "testing.TestObjectDerived",
        "testing.SchemaAllTypes",
    ]:
        for field in _info(key).fields:
            assert "type_schema" in field.metadata
            json.loads(field.metadata["type_schema"])
