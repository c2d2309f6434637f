"""Pickling: objects go through the JSON object graph (``ffi.ToJSONGraphString``); Device,
dtype, String, Bytes and Shape pickle as their Python values."""

import copy
import pickle

import numpy as np
import pytest

import tvm_ffi
import tvm_ffi.testing as ft
from tvm_ffi.core import Bytes, String
from tvm_ffi.structural import structural_equal

PROTOCOLS = list(range(pickle.HIGHEST_PROTOCOL + 1))


def round_trip(value, protocol=pickle.DEFAULT_PROTOCOL):
    return pickle.loads(pickle.dumps(value, protocol=protocol))


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_array(protocol):
    a = tvm_ffi.convert([1, 2.5, "s", None, True, b"b"])
    b = round_trip(a, protocol)
    assert type(b) is tvm_ffi.Array
    assert not b.same_as(a)
    assert repr(b) == repr(a)
    assert [type(x) for x in b] == [type(x) for x in a]
    assert type(round_trip(tvm_ffi.convert([]), protocol)) is tvm_ffi.Array


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_map(protocol):
    m = tvm_ffi.convert({"b": 1, "a": [1, 2], 3: "three"})
    m2 = round_trip(m, protocol)
    assert type(m2) is tvm_ffi.Map
    assert list(m2.items())[0] == ("b", 1)
    assert list(m2.keys()) == ["b", "a", 3]
    assert structural_equal(m, m2)


def test_nested_containers():
    value = tvm_ffi.convert({"x": [1, {"y": [2, [3, "deep " * 10]]}], "z": {}})
    back = round_trip(value)
    assert structural_equal(value, back)
    assert back["x"][1]["y"][1][1] == "deep " * 10


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_device(protocol):
    for d in (tvm_ffi.Device("cpu", 0), tvm_ffi.Device("cuda", 3), tvm_ffi.device("ext_dev:1")):
        d2 = round_trip(d, protocol)
        assert type(d2) is type(d)
        assert d2 == d and str(d2) == str(d)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_dtype(protocol):
    for s in ("float32", "int8", "bfloat16", "float32x4", "float8_e4m3fn", "bool", "uint1"):
        d = tvm_ffi.dtype(s)
        d2 = round_trip(d, protocol)
        assert type(d2) is tvm_ffi.dtype
        assert d2 == d
        assert (d2.type_code, d2.bits, d2.lanes) == (d.type_code, d.bits, d.lanes)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_string_and_bytes(protocol):
    # String and Bytes pickle as the plain Python value (the cached FFI object is dropped)
    for s in (String("short"), String("long string " * 20), tvm_ffi.convert("x" * 100)):
        s2 = round_trip(s, protocol)
        assert s2 == s and type(s2) is str
    echoed = tvm_ffi.get_global_func("testing.echo")("cached " * 10)
    assert echoed._tvm_ffi_cached_object is not None
    back = round_trip(echoed, protocol)
    assert back == "cached " * 10 and type(back) is str
    for b in (Bytes(b"\x00\x01"), tvm_ffi.convert(b"long bytes " * 10)):
        b2 = round_trip(b, protocol)
        assert type(b2) is bytes and b2 == b
    echoed_bytes = tvm_ffi.get_global_func("testing.echo")(b"cached " * 10)
    assert echoed_bytes._tvm_ffi_cached_object is not None
    back_bytes = round_trip(echoed_bytes, protocol)
    assert back_bytes == b"cached " * 10 and type(back_bytes) is bytes


def test_string_and_bytes_copy_to_plain_values():
    assert type(copy.copy(String("ab"))) is str and copy.copy(String("ab")) == "ab"
    assert type(copy.copy(Bytes(b"ab"))) is bytes and copy.copy(Bytes(b"ab")) == b"ab"
    assert type(copy.deepcopy(String("ab"))) is str


def test_shape():
    s = tvm_ffi.Shape((2, 3, 4))
    s2 = round_trip(s)
    assert type(s2) is tvm_ffi.Shape
    assert s2 == (2, 3, 4)
    assert s2._tvm_ffi_cached_object is not None
    inside = round_trip(tvm_ffi.convert([s, s]))
    assert tuple(inside[0]) == (2, 3, 4)


def test_values_inside_arrays_keep_their_kinds():
    value = tvm_ffi.convert(
        [tvm_ffi.dtype("float16"), tvm_ffi.Device("cuda", 1), tvm_ffi.Shape((5,)), b"\xff", 1.0]
    )
    back = round_trip(value)
    assert back[0] == tvm_ffi.dtype("float16")
    assert back[1] == tvm_ffi.Device("cuda", 1)
    assert isinstance(back[2], tvm_ffi.Shape) and back[2] == (5,)
    assert back[3] == b"\xff"
    assert type(back[4]) is float


# ---- reflected objects -------------------------------------------------------------------------


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_registered_testing_objects(protocol):
    p = round_trip(ft.TestIntPair(3, 4), protocol)
    assert type(p) is ft.TestIntPair
    assert (p.a, p.b, p.sum()) == (3, 4, 7)
    base = ft.create_object("testing.TestObjectBase", v_i64=5, v_f64=2.5, v_str="pickled")
    b2 = round_trip(base, protocol)
    assert type(b2) is ft.TestObjectBase
    assert (b2.v_i64, b2.v_f64, b2.v_str) == (5, 2.5, "pickled")
    derived = ft.create_object(
        "testing.TestObjectDerived", v_i64=7, v_map={"k": [1]}, v_array=[base, "x"]
    )
    d2 = round_trip(derived, protocol)
    assert type(d2) is ft.TestObjectDerived
    assert d2.v_i64 == 7 and d2.v_str == "hello"
    assert list(d2.v_map["k"]) == [1]
    assert type(d2.v_array[0]) is ft.TestObjectBase and d2.v_array[0].v_str == "pickled"


def test_structural_test_objects():
    x, y = ft.TestSVar("x"), ft.TestSVar("y")
    func = ft.TestSFunc([x, y], ft.TestSNode("add", None, [x, y, x], comment="c"), "doc")
    back = round_trip(func)
    assert type(back) is ft.TestSFunc
    assert structural_equal(func, back)
    assert back.comment == "doc" and back.body.comment == "c"  # ignored fields are kept too
    assert [v.name for v in back.params] == ["x", "y"]
    # every use of a variable is the same object as its definition
    assert back.body.children[0].same_as(back.params[0])
    assert back.body.children[2].same_as(back.params[0])
    assert back.body.children[1].same_as(back.params[1])


def test_sharing_is_preserved_inside_one_pickled_graph():
    leaf = ft.TestSDAGNode(1)
    inner = tvm_ffi.convert([leaf, "payload " * 5])
    graph = ft.TestSDAGNode(0, [leaf, leaf, inner, inner])
    back = round_trip(graph)
    c = back.children
    assert c[0].same_as(c[1])
    assert c[2].same_as(c[3])
    assert c[2][0].same_as(c[0])
    assert not c[0].same_as(leaf)
    assert structural_equal(graph, back)  # DAG nodes: the sharing must agree
    unshared = ft.TestSDAGNode(0, [ft.TestSDAGNode(1), ft.TestSDAGNode(1), inner, inner])
    assert not structural_equal(unshared, back)


def test_sharing_between_separately_pickled_objects():
    leaf = ft.TestSNode("leaf", 1)
    a = tvm_ffi.convert([leaf])
    # one pickle stream, the same Python proxy twice: pickle's memo keeps it shared
    a1, a2 = round_trip((a, a))
    assert a1 is a2
    # two different objects sharing a child are pickled as two graphs: the child is copied
    b = tvm_ffi.convert([leaf])
    a3, b3 = round_trip((a, b))
    assert structural_equal(a3[0], b3[0])
    assert not a3[0].same_as(b3[0])


def test_null_handle():
    null = ft.TestIntPair.__new__(ft.TestIntPair)
    back = round_trip(null)
    assert type(back) is ft.TestIntPair
    assert back.__chandle__() == 0


def test_pickle_errors_are_clear():
    # values that have no JSON form fail at dump time
    with pytest.raises(TypeError, match="ffi.Function"):
        pickle.dumps(tvm_ffi.convert([tvm_ffi.get_global_func("testing.echo")]))
    with pytest.raises(TypeError, match="ffi.Tensor"):
        pickle.dumps(tvm_ffi.from_dlpack(np.zeros(3, dtype="float32")))
    with pytest.raises(TypeError, match="ffi.OpaquePyObject"):
        pickle.dumps(tvm_ffi.convert([object()]))
    # types without a reflection creator cannot be rebuilt
    data = pickle.dumps(ft._TestCxxClassDerived(1, 2, 3.0))
    with pytest.raises(RuntimeError, match="does not support reflection creation"):
        pickle.loads(data)
    # a corrupted state is an error, not a crash
    state_bad = (tvm_ffi.core._new_object, (tvm_ffi.Array,), {"handle": "{not json"})
    with pytest.raises(ValueError):
        pickle.loads(pickle.dumps(_Reduce(state_bad)))


class _Reduce:
    """Pickles as the given ``__reduce__`` tuple (to feed a crafted state to __setstate__)."""

    def __init__(self, reduce_value):
        self.reduce_value = reduce_value

    def __reduce__(self):
        return self.reduce_value
