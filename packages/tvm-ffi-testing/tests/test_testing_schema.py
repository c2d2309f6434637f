"""Type schemas and metadata of every testing.* global, and the schema functions' behaviour."""

import json

import pytest

import tvm_ffi
import tvm_ffi.testing
from tvm_ffi.core import TypeSchema

# (name, exact type_schema JSON, Python rendering)
GLOBAL_SCHEMAS = [
    (
        "testing.test_raise_error",
        '{"type":"ffi.Function","args":[{"type":"None"},{"type":"ffi.String"},{"type":"ffi.String"}]}',
        "Callable[[str, str], None]",
    ),
    (
        "testing.add_one",
        '{"type":"ffi.Function","args":[{"type":"int"},{"type":"int"}]}',
        "Callable[[int], int]",
    ),
    (
        "testing.nop",
        '{"type":"ffi.Function"}',
        "Callable[..., Any]",
    ),
    (
        "testing.echo",
        '{"type":"ffi.Function"}',
        "Callable[..., Any]",
    ),
    (
        "testing.apply",
        '{"type":"ffi.Function"}',
        "Callable[..., Any]",
    ),
    (
        "testing.run_check_signal",
        '{"type":"ffi.Function","args":[{"type":"None"},{"type":"int"}]}',
        "Callable[[int], None]",
    ),
    (
        "testing.call_from_native_thread",
        '{"type":"ffi.Function","args":[{"type":"ffi.Array","args":[{"type":"Any"}]},'
        '{"type":"ffi.Function"},{"type":"int"}]}',
        "Callable[[Callable[..., Any], int], list[Any]]",
    ),
    (
        "testing.start_native_thread",
        '{"type":"ffi.Function","args":[{"type":"ffi.Function"},{"type":"ffi.Function"},'
        '{"type":"int"}]}',
        "Callable[[Callable[..., Any], int], Callable[..., Any]]",
    ),
    (
        "testing.object_use_count",
        '{"type":"ffi.Function","args":[{"type":"int"},{"type":"ffi.Object"}]}',
        "Callable[[Object], int]",
    ),
    (
        "testing.make_unregistered_object",
        '{"type":"ffi.Function","args":[{"type":"ffi.Object"}]}',
        "Callable[[], Object]",
    ),
    (
        "testing.get_add_one_c_symbol",
        '{"type":"ffi.Function","args":[{"type":"int"}]}',
        "Callable[[], int]",
    ),
    (
        "testing.get_mlir_add_one_c_symbol",
        '{"type":"ffi.Function","args":[{"type":"int"}]}',
        "Callable[[], int]",
    ),
    (
        "testing.TestIntPairSum",
        '{"type":"ffi.Function","args":[{"type":"int"},{"type":"testing.TestIntPair"}]}',
        "Callable[[testing.TestIntPair], int]",
    ),
    (
        "testing.schema_id_int",
        '{"type":"ffi.Function","args":[{"type":"int"},{"type":"int"}]}',
        "Callable[[int], int]",
    ),
    (
        "testing.schema_id_float",
        '{"type":"ffi.Function","args":[{"type":"float"},{"type":"float"}]}',
        "Callable[[float], float]",
    ),
    (
        "testing.schema_id_bool",
        '{"type":"ffi.Function","args":[{"type":"bool"},{"type":"bool"}]}',
        "Callable[[bool], bool]",
    ),
    (
        "testing.schema_id_device",
        '{"type":"ffi.Function","args":[{"type":"Device"},{"type":"Device"}]}',
        "Callable[[Device], Device]",
    ),
    (
        "testing.schema_id_dtype",
        '{"type":"ffi.Function","args":[{"type":"DataType"},{"type":"DataType"}]}',
        "Callable[[dtype], dtype]",
    ),
    (
        "testing.schema_id_string",
        '{"type":"ffi.Function","args":[{"type":"ffi.String"},{"type":"ffi.String"}]}',
        "Callable[[str], str]",
    ),
    (
        "testing.schema_id_bytes",
        '{"type":"ffi.Function","args":[{"type":"ffi.Bytes"},{"type":"ffi.Bytes"}]}',
        "Callable[[bytes], bytes]",
    ),
    (
        "testing.schema_id_func",
        '{"type":"ffi.Function","args":[{"type":"ffi.Function"},{"type":"ffi.Function"}]}',
        "Callable[[Callable[..., Any]], Callable[..., Any]]",
    ),
    (
        "testing.schema_id_func_typed",
        '{"type":"ffi.Function","args":['
        '{"type":"ffi.Function","args":[{"type":"None"},{"type":"int"},{"type":"float"},'
        '{"type":"ffi.Function"}]},'
        '{"type":"ffi.Function","args":[{"type":"None"},{"type":"int"},{"type":"float"},'
        '{"type":"ffi.Function"}]}]}',
        "Callable[[Callable[[int, float, Callable[..., Any]], None]],"
        " Callable[[int, float, Callable[..., Any]], None]]",
    ),
    (
        "testing.schema_id_any",
        '{"type":"ffi.Function","args":[{"type":"Any"},{"type":"Any"}]}',
        "Callable[[Any], Any]",
    ),
    (
        "testing.schema_id_object",
        '{"type":"ffi.Function","args":[{"type":"ffi.Object"},{"type":"ffi.Object"}]}',
        "Callable[[Object], Object]",
    ),
    (
        "testing.schema_id_dltensor",
        '{"type":"ffi.Function","args":[{"type":"DLTensor*"},{"type":"DLTensor*"}]}',
        "Callable[[Tensor], Tensor]",
    ),
    (
        "testing.schema_id_tensor",
        '{"type":"ffi.Function","args":[{"type":"ffi.Tensor"},{"type":"ffi.Tensor"}]}',
        "Callable[[Tensor], Tensor]",
    ),
    (
        "testing.schema_tensor_view_input",
        '{"type":"ffi.Function","args":[{"type":"None"},{"type":"DLTensor*"}]}',
        "Callable[[Tensor], None]",
    ),
    (
        "testing.schema_id_opt_int",
        '{"type":"ffi.Function","args":[{"type":"Optional","args":[{"type":"int"}]},{"type":"Optional","args":[{"type":"int"}]}]}',
        "Callable[[int | None], int | None]",
    ),
    (
        "testing.schema_id_opt_str",
        '{"type":"ffi.Function","args":[{"type":"Optional","args":[{"type":"ffi.String"}]},{"type":"Optional","args":[{"type":"ffi.String"}]}]}',
        "Callable[[str | None], str | None]",
    ),
    (
        "testing.schema_id_opt_obj",
        '{"type":"ffi.Function","args":[{"type":"Optional","args":[{"type":"ffi.Object"}]},{"type":"Optional","args":[{"type":"ffi.Object"}]}]}',
        "Callable[[Object | None], Object | None]",
    ),
    (
        "testing.schema_id_arr_int",
        '{"type":"ffi.Function","args":[{"type":"ffi.Array","args":[{"type":"int"}]},{"type":"ffi.Array","args":[{"type":"int"}]}]}',
        "Callable[[list[int]], list[int]]",
    ),
    (
        "testing.schema_id_arr_str",
        '{"type":"ffi.Function","args":[{"type":"ffi.Array","args":[{"type":"ffi.String"}]},{"type":"ffi.Array","args":[{"type":"ffi.String"}]}]}',
        "Callable[[list[str]], list[str]]",
    ),
    (
        "testing.schema_id_arr_obj",
        '{"type":"ffi.Function","args":[{"type":"ffi.Array","args":[{"type":"ffi.Object"}]},{"type":"ffi.Array","args":[{"type":"ffi.Object"}]}]}',
        "Callable[[list[Object]], list[Object]]",
    ),
    (
        "testing.schema_id_arr",
        '{"type":"ffi.Function","args":[{"type":"ffi.Array"},{"type":"ffi.Array"}]}',
        "Callable[[list[Any]], list[Any]]",
    ),
    (
        "testing.schema_id_map_str_int",
        '{"type":"ffi.Function","args":[{"type":"ffi.Map","args":[{"type":"ffi.String"},{"type":"int"}]},{"type":"ffi.Map","args":[{"type":"ffi.String"},{"type":"int"}]}]}',
        "Callable[[dict[str, int]], dict[str, int]]",
    ),
    (
        "testing.schema_id_map_str_str",
        '{"type":"ffi.Function","args":[{"type":"ffi.Map","args":[{"type":"ffi.String"},{"type":"ffi.String"}]},{"type":"ffi.Map","args":[{"type":"ffi.String"},{"type":"ffi.String"}]}]}',
        "Callable[[dict[str, str]], dict[str, str]]",
    ),
    (
        "testing.schema_id_map_str_obj",
        '{"type":"ffi.Function","args":[{"type":"ffi.Map","args":[{"type":"ffi.String"},{"type":"ffi.Object"}]},{"type":"ffi.Map","args":[{"type":"ffi.String"},{"type":"ffi.Object"}]}]}',
        "Callable[[dict[str, Object]], dict[str, Object]]",
    ),
    (
        "testing.schema_id_map",
        '{"type":"ffi.Function","args":[{"type":"ffi.Map"},{"type":"ffi.Map"}]}',
        "Callable[[dict[Any, Any]], dict[Any, Any]]",
    ),
    (
        "testing.schema_id_variant_int_str",
        '{"type":"ffi.Function","args":[{"type":"Variant","args":[{"type":"int"},{"type":"ffi.String"}]},{"type":"Variant","args":[{"type":"int"},{"type":"ffi.String"}]}]}',
        "Callable[[int | str], int | str]",
    ),
    (
        "testing.schema_packed",
        '{"type":"ffi.Function"}',
        "Callable[..., Any]",
    ),
    (
        "testing.schema_arr_map_opt",
        '{"type":"ffi.Function","args":[{"type":"ffi.Map","args":[{"type":"ffi.String"},{"type":"ffi.Array","args":[{"type":"int"}]}]},{"type":"ffi.Array","args":[{"type":"Optional","args":[{"type":"int"}]}]},{"type":"ffi.Map","args":[{"type":"ffi.String"},{"type":"ffi.Array","args":[{"type":"int"}]}]},{"type":"Optional","args":[{"type":"ffi.String"}]}]}',
        "Callable[[list[int | None], dict[str, list[int]], str | None], dict[str, list[int]]]",
    ),
    (
        "testing.schema_variant_mix",
        '{"type":"ffi.Function","args":[{"type":"Variant","args":[{"type":"int"},{"type":"ffi.String"},{"type":"ffi.Array","args":[{"type":"int"}]}]},{"type":"Variant","args":[{"type":"int"},{"type":"ffi.String"},{"type":"ffi.Array","args":[{"type":"int"}]}]}]}',
        "Callable[[int | str | list[int]], int | str | list[int]]",
    ),
    (
        "testing.schema_no_args",
        '{"type":"ffi.Function","args":[{"type":"int"}]}',
        "Callable[[], int]",
    ),
    (
        "testing.schema_no_return",
        '{"type":"ffi.Function","args":[{"type":"None"},{"type":"int"}]}',
        "Callable[[int], None]",
    ),
    (
        "testing.schema_no_args_no_return",
        '{"type":"ffi.Function","args":[{"type":"None"}]}',
        "Callable[[], None]",
    ),
]


def _sequence_mapping(origin):
    return {"list": "Sequence", "dict": "Mapping"}.get(origin, origin)


def test_table_covers_all_globals():
    assert len(GLOBAL_SCHEMAS) == 45
    assert len({row[0] for row in GLOBAL_SCHEMAS}) == 45


@pytest.mark.parametrize("name, schema_json, rendering", GLOBAL_SCHEMAS)
def test_global_type_schema(name, schema_json, rendering):
    metadata = tvm_ffi.get_global_func_metadata(name)
    assert list(metadata)[0] == "type_schema"
    assert metadata["type_schema"] == schema_json
    schema = TypeSchema.from_json_str(metadata["type_schema"])
    assert str(schema) == rendering
    mapped = rendering.replace("list[", "Sequence[").replace("dict[", "Mapping[")
    assert schema.repr(_sequence_mapping) == mapped


@pytest.mark.parametrize("name, schema_json, rendering", GLOBAL_SCHEMAS)
def test_global_metadata_has_only_type_schema(name, schema_json, rendering):
    metadata = tvm_ffi.get_global_func_metadata(name)
    if name == "testing.schema_id_int":
        return
    assert list(metadata) == ["type_schema"]


def test_schema_id_int_user_metadata():
    metadata = tvm_ffi.get_global_func_metadata("testing.schema_id_int")
    assert list(metadata) == ["type_schema", "bool_attr", "int_attr", "str_attr"]
    assert metadata["bool_attr"] is True
    assert metadata["int_attr"] == 1
    assert metadata["str_attr"] == "hello"


def test_raw_metadata_json_of_schema_id_int():
    raw = tvm_ffi.get_global_func("ffi.GetGlobalFuncMetadata")("testing.schema_id_int")
    assert raw.endswith(',"bool_attr":true,"int_attr":1,"str_attr":"hello"}')
    assert json.loads(raw)["bool_attr"] is True


def test_metadata_of_unknown_name():
    with pytest.raises(RuntimeError, match="testing.not_existing_func"):
        tvm_ffi.get_global_func_metadata("testing.not_existing_func")


# ---------------------------------------------------------------------------------------------
# Behaviour of the schema functions
# ---------------------------------------------------------------------------------------------


def _f(name):
    return tvm_ffi.get_global_func(name)


@pytest.mark.parametrize(
    "name, value",
    [
        ("testing.schema_id_int", 7),
        ("testing.schema_id_int", -(2**40)),
        ("testing.schema_id_float", 2.5),
        ("testing.schema_id_bool", True),
        ("testing.schema_id_bool", False),
        ("testing.schema_id_string", "hello"),
        ("testing.schema_id_bytes", b"bytes"),
        ("testing.schema_id_any", 3),
        ("testing.schema_id_any", "any"),
        ("testing.schema_id_any", None),
        ("testing.schema_id_opt_int", 5),
        ("testing.schema_id_opt_int", None),
        ("testing.schema_id_opt_str", "s"),
        ("testing.schema_id_opt_str", None),
        ("testing.schema_id_opt_obj", None),
        ("testing.schema_id_variant_int_str", 1),
        ("testing.schema_id_variant_int_str", "one"),
        ("testing.schema_variant_mix", 2),
        ("testing.schema_variant_mix", "two"),
    ],
)
def test_identity_values(name, value):
    out = _f(name)(value)
    assert out == value
    if isinstance(value, bool) or value is None:
        assert out is value


def test_identity_float_accepts_int():
    out = _f("testing.schema_id_float")(3)
    assert out == 3.0
    assert isinstance(out, float)


def test_identity_device_and_dtype():
    dev = _f("testing.schema_id_device")(tvm_ffi.device("cpu", 0))
    assert str(dev) == "cpu:0"
    assert _f("testing.schema_id_dtype")(tvm_ffi.dtype("int8")) == "int8"


def test_identity_objects_keep_identity():
    arr = tvm_ffi.convert([1, 2, 3])
    mp = tvm_ffi.convert({"a": 1})
    pair = tvm_ffi.testing.TestIntPair(1, 2)
    assert _f("testing.schema_id_object")(pair).same_as(pair)
    assert _f("testing.schema_id_opt_obj")(pair).same_as(pair)
    assert _f("testing.schema_id_arr")(arr).same_as(arr)
    assert _f("testing.schema_id_arr_int")(arr).same_as(arr)
    assert _f("testing.schema_id_map")(mp).same_as(mp)
    assert _f("testing.schema_id_map_str_int")(mp).same_as(mp)
    assert _f("testing.schema_id_any")(pair).same_as(pair)


def test_identity_containers_convert_python_values():
    assert list(_f("testing.schema_id_arr_int")([1, 2])) == [1, 2]
    assert list(_f("testing.schema_id_arr_str")(["a", "b"])) == ["a", "b"]
    objs = [tvm_ffi.testing.TestIntPair(1, 2)]
    assert _f("testing.schema_id_arr_obj")(objs)[0].same_as(objs[0])
    assert dict(_f("testing.schema_id_map_str_str")({"k": "v"}).items()) == {"k": "v"}
    pair = tvm_ffi.testing.TestIntPair(1, 2)
    assert _f("testing.schema_id_map_str_obj")({"p": pair})["p"].same_as(pair)
    assert list(_f("testing.schema_variant_mix")([1, 2])) == [1, 2]


@pytest.mark.parametrize(
    "name, bad",
    [
        ("testing.schema_id_int", "x"),
        ("testing.schema_id_bool", "x"),
        ("testing.schema_id_string", 1),
        ("testing.schema_id_bytes", 1),
        ("testing.schema_id_func", 1),
        ("testing.schema_id_object", 1),
        ("testing.schema_id_tensor", 1),
        ("testing.schema_id_dltensor", 1),
        ("testing.schema_tensor_view_input", 1),
        ("testing.schema_id_opt_int", "x"),
        ("testing.schema_id_arr_int", ["a"]),
        ("testing.schema_id_arr", 1),
        ("testing.schema_id_map_str_int", {"a": "b"}),
        ("testing.schema_id_map", [1]),
        ("testing.schema_id_variant_int_str", 1.5),
        ("testing.schema_variant_mix", ["x"]),
    ],
)
def test_identity_rejects_wrong_types(name, bad):
    with pytest.raises(TypeError):
        _f(name)(bad)


def test_identity_functions():
    add_one = _f("testing.add_one")
    assert _f("testing.schema_id_func")(add_one).same_as(add_one)
    typed = _f("testing.schema_id_func_typed")(add_one)
    assert typed.same_as(add_one)
    # a Python callable is converted to a Function
    assert _f("testing.schema_id_func")(lambda x: x * 2)(4) == 8


def test_identity_tensors():
    np = pytest.importorskip("numpy")
    x = tvm_ffi.from_dlpack(np.arange(6, dtype="float32"))
    y = _f("testing.schema_id_tensor")(x)
    assert y.same_as(x)
    assert _f("testing.schema_tensor_view_input")(x) is None
    assert _f("testing.schema_tensor_view_input")(np.zeros(3, dtype="int32")) is None


def test_packed_and_no_args_functions():
    assert _f("testing.schema_packed")() is None
    assert _f("testing.schema_packed")(1, "a", None) is None
    assert _f("testing.schema_no_args")() == 1
    assert _f("testing.schema_no_return")(123) is None
    assert _f("testing.schema_no_args_no_return")() is None
    with pytest.raises(TypeError):
        _f("testing.schema_no_args")(1)
    with pytest.raises(TypeError):
        _f("testing.schema_no_return")()


def test_schema_arr_map_opt_sets_key():
    mp = tvm_ffi.convert({"a": [1]})
    out = _f("testing.schema_arr_map_opt")([1, None, 3], mp, "k")
    assert sorted(out.keys()) == ["a", "k"]
    assert list(out["k"]) == [1, 3]
    assert list(out["a"]) == [1]
    # the caller's map is shared, so it is not observably modified (copy-on-write)
    assert list(mp.keys()) == ["a"]


def test_schema_arr_map_opt_replaces_key():
    out = _f("testing.schema_arr_map_opt")([None, 7], {"k": [1, 2, 3]}, "k")
    assert list(out["k"]) == [7]


def test_schema_arr_map_opt_without_key_returns_map():
    mp = tvm_ffi.convert({"a": [1]})
    out = _f("testing.schema_arr_map_opt")([1, 2], mp, None)
    assert out.same_as(mp)


def test_schema_arr_map_opt_type_errors():
    f = _f("testing.schema_arr_map_opt")
    with pytest.raises(TypeError):
        f(["x"], {}, None)
    with pytest.raises(TypeError):
        f([1], {"a": 1}, None)
    with pytest.raises(TypeError):
        f([1], {}, 3)
