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
