"""tvm_ffi.serialization (§1.8)."""

import json

import pytest

import tvm_ffi
from tvm_ffi.serialization import from_json_graph_str, to_json_graph_str


@pytest.mark.parametrize(
    "value",
    [
        1,
        2.5,
        True,
        None,
        "text",
        "long text " * 20,
        [1, "a", [2.5, None]],
        {"k": [1, 2], "j": {"x": 1}},
    ],
)
def test_round_trip(value):
    s = to_json_graph_str(tvm_ffi.convert(value) if isinstance(value, (list, dict)) else value)
    assert isinstance(s, str)
    parsed = json.loads(s)
    assert "root_index" in parsed and "nodes" in parsed
    back = from_json_graph_str(s)
    if isinstance(value, list):
        assert isinstance(back, tvm_ffi.Array)
        assert repr(back) == repr(tvm_ffi.convert(value))
    elif isinstance(value, dict):
        assert isinstance(back, tvm_ffi.Map)
        assert repr(back) == repr(tvm_ffi.convert(value))
    else:
        assert back == value


def test_shared_nodes_preserved():
    inner = tvm_ffi.convert([1, 2])
    outer = tvm_ffi.convert([inner, inner])
    back = from_json_graph_str(to_json_graph_str(outer))
    assert back[0].same_as(back[1])
    assert not back[0].same_as(inner)


def test_metadata():
    s = to_json_graph_str(tvm_ffi.convert([1]), {"version": "1"})
    assert json.loads(s)["metadata"] == {"version": "1"}
    assert "metadata" not in json.loads(to_json_graph_str(tvm_ffi.convert([1])))


def test_malformed_input():
    with pytest.raises(ValueError):
        from_json_graph_str("[]")
    with pytest.raises(ValueError):
        from_json_graph_str('{"nodes": []}')
    with pytest.raises(ValueError):
        from_json_graph_str("{not json")


# ---- every built-in kind, reflected objects and sharing ------------------------------------------

import math  # noqa: E402

import tvm_ffi.testing as ft  # noqa: E402
from tvm_ffi.structural import structural_equal  # noqa: E402


@pytest.mark.parametrize(
    "value",
    [
        2**63 - 1,
        -(2**63),
        -0.0,
        1e308,
        "",
        "ünïcödé ✓ \U0001f600",
        "\x00inside",
        b"",
        b"\x00\xff" * 20,
        tvm_ffi.dtype("float8_e4m3fn"),
        tvm_ffi.dtype("int32x4"),
        tvm_ffi.Device("cuda", 7),
        tvm_ffi.Shape(()),
        tvm_ffi.Shape((1, 2, 3)),
        [],
        {},
        {1: "int key", "s": 2, None: 3, 2.5: [b"x"]},
        [[], [[]], {"a": {}}],
    ],
)
def test_round_trip_builtin_kinds(value):
    back = from_json_graph_str(to_json_graph_str(value))
    assert structural_equal(value, back)
    if not isinstance(value, (list, dict)):
        assert back == value
        assert isinstance(back, type(value)) or isinstance(value, (str, bytes))


def test_non_finite_floats():
    for v in (math.inf, -math.inf):
        assert from_json_graph_str(to_json_graph_str(v)) == v
    assert math.isnan(from_json_graph_str(to_json_graph_str(math.nan)))
    # the document stays valid JSON (no bare NaN / Infinity tokens)
    json.loads(to_json_graph_str([math.nan, math.inf]), parse_constant=lambda c: 1 / 0)


def test_reflected_objects_round_trip():
    x = ft.TestSVar("x")
    func = ft.TestSFunc([x], ft.TestSNode("call", ft.TestIntPair(1, 2), [x, {"k": x}]), "c")
    back = from_json_graph_str(to_json_graph_str(func))
    assert type(back) is ft.TestSFunc
    assert back.comment == "c"
    assert (back.body.value.a, back.body.value.b) == (1, 2)
    assert back.body.children[0].same_as(back.params[0])
    assert back.body.children[1]["k"].same_as(back.params[0])
    # TestIntPair has no structural kind (identity), so the rebuilt pair differs there only
    from tvm_ffi.structural import get_first_structural_mismatch

    lhs_path, rhs_path = get_first_structural_mismatch(func, back)
    assert str(lhs_path) == str(rhs_path) == "<root>.body.value"
    derived = ft.create_object("testing.TestObjectDerived", v_map={"a": 1}, v_array=[1.5])
    d2 = from_json_graph_str(to_json_graph_str(derived))
    assert (d2.v_i64, d2.v_f64, d2.v_str, d2.v_map["a"], d2.v_array[0]) == (
        10,
        10.0,
        "hello",
        1,
        1.5,
    )


def test_document_shape():
    leaf = ft.TestSNode("leaf")
    doc = json.loads(to_json_graph_str([leaf, leaf, "s"]))
    nodes = doc["nodes"]
    root = nodes[doc["root_index"]]
    assert root["type"] == "ffi.Array"
    first, second, third = (nodes[i] for i in root["data"])
    assert root["data"][0] == root["data"][1]  # emitted once, referenced twice
    assert first["type"] == "testing.TestSNode"
    assert set(first["data"]) == {"tag", "value", "children", "comment"}
    assert third == {"type": "ffi.String", "data": "s"}
    assert sum(1 for n in nodes if n["type"] == "testing.TestSNode") == 1


def test_node_order_is_free_and_defaults_fill_missing_fields():
    doc = {
        "root_index": 0,
        "nodes": [
            {"type": "testing.TestSNode", "data": {"tag": 1, "children": 2}},
            {"type": "ffi.String", "data": "t"},
            {"type": "ffi.Array", "data": [3, 3]},
            {"type": "int", "data": 5},
        ],
    }
    back = from_json_graph_str(json.dumps(doc))
    assert back.tag == "t" and list(back.children) == [5, 5]
    assert back.value is None and back.comment is None  # reflection defaults


@pytest.mark.parametrize(
    "doc, exc",
    [
        ('{"root_index": 0}', ValueError),
        ('{"root_index": "0", "nodes": []}', ValueError),
        ('{"root_index": 3, "nodes": [{"type": "None"}]}', ValueError),
        ('{"root_index": 0, "nodes": [{"type": "ffi.Array", "data": [0]}]}', ValueError),
        ('{"root_index": 0, "nodes": [{"type": "int", "data": "x"}]}', (ValueError, TypeError)),
        (
            '{"root_index": 0, "nodes": [{"type": "no.such.Type", "data": {}}]}',
            (ValueError, TypeError, RuntimeError),
        ),
        (
            '{"root_index": 0, "nodes": [{"type": "ffi.Bytes", "data": "***"}]}',
            (ValueError, TypeError),
        ),
        (
            '{"root_index": 0, "nodes": [{"type": "testing.TestSNode", "data": {"nope": 0}}]}',
            (ValueError, TypeError),
        ),
        ("[1, 2]", ValueError),
        ('{"root_index": 0, "nodes": [', ValueError),
    ],
)
def test_malformed_graphs_are_errors(doc, exc):
    with pytest.raises(exc):
        from_json_graph_str(doc)


def test_unserializable_values_are_type_errors():
    with pytest.raises(TypeError, match="cannot serialize"):
        to_json_graph_str(tvm_ffi.get_global_func("testing.echo"))
    with pytest.raises(TypeError):
        from_json_graph_str(5)
