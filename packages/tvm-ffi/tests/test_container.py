"""tvm_ffi.Array and tvm_ffi.Map."""

import collections.abc
import copy
import math
import pickle

import pytest

import tvm_ffi
import tvm_ffi.testing  # noqa: F401
from tvm_ffi import _structural_ops
from tvm_ffi.container import ItemsView, KeysView, ValuesView

fecho = tvm_ffi.get_global_func("testing.echo")
use_count = tvm_ffi.get_global_func("testing.object_use_count")


# ---------------------------------------------------------------------------------------------
# Array


def test_array_construct_and_basic_api():
    a = tvm_ffi.Array([1, 2, 3])
    assert isinstance(a, tvm_ffi.Array)
    assert isinstance(a, tvm_ffi.Object)
    assert isinstance(a, collections.abc.Sequence)
    assert len(a) == 3
    assert a[0] == 1 and a[2] == 3
    assert a[-1] == 3 and a[-3] == 1
    assert list(a) == [1, 2, 3]
    assert a.index(3) == 2
    assert a.count(2) == 1
    assert list(reversed(a)) == [3, 2, 1]
    with pytest.raises(ValueError):
        a.index(42)


def test_array_from_tuple_and_generator():
    assert list(tvm_ffi.Array((4, 5))) == [4, 5]
    assert list(tvm_ffi.Array(x * x for x in range(4))) == [0, 1, 4, 9]
    empty = tvm_ffi.Array([])
    assert len(empty) == 0
    assert list(empty) == []
    assert repr(empty) == "[]"


def test_array_index_errors():
    a = tvm_ffi.Array([1, 2, 3])
    with pytest.raises(IndexError, match=r"Index out of range\. size: 3, got index 3"):
        a[3]
    with pytest.raises(IndexError, match=r"Index out of range\. size: 3, got index -4"):
        a[-4]
    with pytest.raises(TypeError, match="indices must be integers or slices, not str"):
        a["0"]
    with pytest.raises(TypeError, match="indices must be integers or slices, not float"):
        a[1.0]


def test_array_slice_returns_list():
    a = tvm_ffi.Array([0, 1, 2, 3, 4, 5])
    s = a[1:4]
    assert type(s) is list
    assert s == [1, 2, 3]
    assert a[::2] == [0, 2, 4]
    assert a[::-1] == [5, 4, 3, 2, 1, 0]
    assert a[10:] == []


def test_array_non_iterable():
    with pytest.raises(TypeError):
        tvm_ffi.Array(1)


def test_array_repr_and_str():
    assert repr(tvm_ffi.Array([1, 2, 3])) == "[1, 2, 3]"
    assert str(tvm_ffi.Array([1, 2, 3])) == "[1, 2, 3]"
    nested = tvm_ffi.convert([1, [2, "x"], {"k": 1.5}])
    assert repr(nested) == "[1, [2, 'x'], {'k': 1.5}]"
    assert repr(tvm_ffi.Array.__new__(tvm_ffi.Array)) == "Array(chandle=None)"


def test_array_concat():
    a = tvm_ffi.Array([1, 2])
    b = tvm_ffi.Array([3])
    for res, expected in [
        (a + b, [1, 2, 3]),
        (a + [3, 4], [1, 2, 3, 4]),
        (a + (5,), [1, 2, 5]),
        ([0] + a, [0, 1, 2]),
        ((9, 8) + a, [9, 8, 1, 2]),
        (a + [], [1, 2]),
        ([] + a, [1, 2]),
        (tvm_ffi.Array([]) + tvm_ffi.Array([]), []),
    ]:
        assert isinstance(res, tvm_ffi.Array), type(res)
        assert list(res) == expected
    # the operands are untouched
    assert list(a) == [1, 2] and list(b) == [3]


def test_array_equality_is_structural():
    a = tvm_ffi.convert([1, 2])
    b = tvm_ffi.convert([1, 2])
    assert a == b and not (a != b)
    assert not a.same_as(b)  # identity stays available
    assert a == a
    assert fecho(a) == a
    assert hash(fecho(a)) == hash(a) == hash(b)
    assert len({a, fecho(a), b}) == 1
    assert a != tvm_ffi.convert([2, 1])
    assert a != tvm_ffi.convert([1, 2, 3])


def test_array_nested_conversion():
    a = tvm_ffi.convert([1, (2, 3), {"k": [4, 5]}, "s", None, 2.5])
    assert isinstance(a, tvm_ffi.Array)
    assert isinstance(a[1], tvm_ffi.Array)
    assert list(a[1]) == [2, 3]
    assert isinstance(a[2], tvm_ffi.Map)
    assert isinstance(a[2]["k"], tvm_ffi.Array)
    assert list(a[2]["k"]) == [4, 5]
    assert a[3] == "s" and a[4] is None and a[5] == 2.5


def test_array_of_objects_shares_elements():
    inner = tvm_ffi.convert([1])
    outer = tvm_ffi.convert([inner, inner])
    assert outer[0].same_as(inner)
    assert outer[1].same_as(inner)
    assert use_count(inner) == 3


def test_array_iteration_yields_converted_elements():
    a = tvm_ffi.convert(["a", b"b", 1, 1.5, True, None])
    items = list(a)
    assert items == ["a", b"b", 1, 1.5, True, None]
    assert items[4] is True


def test_array_opaque_objects_round_trip():
    class Thing:
        pass

    t1, t2 = Thing(), Thing()
    a = tvm_ffi.convert([t1, t2, t1])
    assert a[0] is t1
    assert a[1] is t2
    assert a[2] is t1


def test_array_pickle():
    a = tvm_ffi.Array([1, 2, 3])
    b = pickle.loads(pickle.dumps(a))
    assert isinstance(b, tvm_ffi.Array)
    assert repr(b) == "[1, 2, 3]"
    assert not b.same_as(a)
    nested = pickle.loads(pickle.dumps(tvm_ffi.convert([1, ["a", 2.5], {"k": 3}])))
    assert repr(nested) == "[1, ['a', 2.5], {'k': 3}]"


# ---------------------------------------------------------------------------------------------
# Map


def test_map_basic_api():
    m = tvm_ffi.Map({"a": 1, "b": 2})
    assert isinstance(m, tvm_ffi.Map)
    assert isinstance(m, collections.abc.Mapping)
    assert len(m) == 2
    assert m["a"] == 1 and m["b"] == 2
    assert "a" in m and "c" not in m
    assert m.get("a") == 1
    assert m.get("c") is None
    assert m.get("c", 42) == 42
    assert list(m) == ["a", "b"]


def test_map_missing_key():
    m = tvm_ffi.convert({"a": 1})
    with pytest.raises(KeyError):
        m["b"]
    with pytest.raises(KeyError):
        m[1]


def test_map_int_keys_and_views():
    m = tvm_ffi.convert({3: 2, 4: 3})
    assert 3 in m and 5 not in m
    assert len(m) == 2
    keys, values, items = m.keys(), m.values(), m.items()
    assert isinstance(keys, KeysView) and isinstance(keys, collections.abc.KeysView)
    assert isinstance(values, ValuesView) and isinstance(values, collections.abc.ValuesView)
    assert isinstance(items, ItemsView) and isinstance(items, collections.abc.ItemsView)
    assert tuple(keys) == (3, 4)
    assert tuple(values) == (2, 3)
    assert tuple(items) == ((3, 2), (4, 3))
    assert (3, 2) in items
    assert (3, 3) not in items
    assert (5, 2) not in items
    assert len(keys) == len(values) == len(items) == 2


def test_map_insertion_order():
    keys = [f"a{i}" for i in range(9, -1, -1)]
    m = tvm_ffi.convert({k: i for i, k in enumerate(keys)})
    assert list(m.keys()) == keys
    assert list(m.values()) == list(range(10))
    assert [k for k, _ in m.items()] == keys


def test_map_non_mapping():
    with pytest.raises(AttributeError):
        tvm_ffi.Map(1)


def test_map_repr():
    assert repr(tvm_ffi.convert({3: 2, 4: 3})) == "{3: 2, 4: 3}"
    assert repr(tvm_ffi.convert({"a": 1, "b": 2})) == "{'a': 1, 'b': 2}"
    assert str(tvm_ffi.convert({"a": [1, 2]})) == "{'a': [1, 2]}"
    assert repr(tvm_ffi.Map.__new__(tvm_ffi.Map)) == "Map(chandle=None)"
    assert repr(tvm_ffi.Map({})) == "{}"


def test_map_empty():
    m = tvm_ffi.Map({})
    assert len(m) == 0
    assert list(m.items()) == []
    assert list(m.keys()) == []
    assert "a" not in m
    assert m.get("a", 1) == 1


def test_map_object_keys_by_identity():
    k1 = tvm_ffi.convert([1])
    k2 = tvm_ffi.convert([1])
    m = tvm_ffi.convert({k1: "one"})
    assert m[k1] == "one"
    assert k2 not in m


def test_map_opaque_values_identity():
    class Thing:
        pass

    t = Thing()
    m = tvm_ffi.convert({"t": t})
    assert m["t"] is t
    assert list(m.values())[0] is t


def test_map_pickle():
    m = tvm_ffi.convert({"a": 1, "b": [2, 3]})
    m2 = pickle.loads(pickle.dumps(m))
    assert isinstance(m2, tvm_ffi.Map)
    assert m2["a"] == 1
    assert list(m2["b"]) == [2, 3]
    assert list(m2.keys()) == ["a", "b"]


# ---------------------------------------------------------------------------------------------
# use counts through calls


def test_nested_container_use_counts():
    obj = tvm_ffi.convert((1, 2))
    assert use_count(obj) == 1
    y = fecho([obj, {"a": 1, "b": obj}])
    assert isinstance(y, tvm_ffi.Array)
    assert isinstance(y[1], tvm_ffi.Map)
    assert use_count(y) == 1
    assert use_count(obj) == 3
    assert use_count(y[1]) == 2
    assert y[0].same_as(obj)
    assert y[1]["b"].same_as(obj)
    del y
    assert use_count(obj) == 1


def test_returned_containers_from_cxx():
    f = tvm_ffi.get_global_func("testing.schema_id_arr_int")
    r = f([1, 2, 3])
    assert isinstance(r, tvm_ffi.Array)
    assert list(r) == [1, 2, 3]
    g = tvm_ffi.get_global_func("testing.schema_id_map_str_int")
    r = g({"x": 1})
    assert isinstance(r, tvm_ffi.Map)
    assert dict(r.items()) == {"x": 1}
    # typed containers reject elements of the wrong type
    with pytest.raises(TypeError):
        f([1, "two"])
    with pytest.raises(TypeError):
        g({1: 1})


def test_shared_map_not_mutated_by_cxx():
    f = tvm_ffi.get_global_func("testing.schema_arr_map_opt")
    m = tvm_ffi.convert({"x": [1]})
    r = f([5, None, 6], m, "k")
    assert "k" in r and list(r["k"]) == [5, 6]
    assert "k" not in m
    assert len(m) == 1
    assert f([1], m, None).same_as(m)


# ---------------------------------------------------------------------------------------------
# Array and Map: truthiness, views, and what needs no structural runtime function


def test_array_and_map_bool():
    assert not tvm_ffi.Array([]) and tvm_ffi.Array([0])
    assert not tvm_ffi.Map({}) and tvm_ffi.Map({"a": None})
    assert tvm_ffi.Array([]).__bool__() is False
    assert tvm_ffi.Map({0: 0}).__bool__() is True


def test_map_views_take_an_iter_functor_getter():
    m = tvm_ffi.Map({"a": 1, "b": 2})
    calls = []

    def getter(backend):
        calls.append(backend)
        return tvm_ffi._ffi_api.MapForwardIterFunctor(backend)

    assert list(KeysView(m, getter)) == ["a", "b"]
    assert list(ValuesView(m, getter)) == [1, 2]
    assert list(ItemsView(m, getter)) == [("a", 1), ("b", 2)]
    assert len(calls) == 3 and all(c.same_as(m) for c in calls)
    # the default getter is ffi.MapForwardIterFunctor
    assert list(ItemsView(m)) == [("a", 1), ("b", 2)]
    assert list(KeysView(tvm_ffi.Map({}))) == []


def test_map_view_repr():
    m = tvm_ffi.Map({"a": 1})
    assert repr(m.keys()) == "KeysView({'a': 1})"
    assert repr(m.values()) == "ValuesView({'a': 1})"
    assert repr(m.items()) == "ItemsView({'a': 1})"


def test_map_items_view_contains():
    m = tvm_ffi.Map({"a": 1, "n": None})
    items = m.items()
    assert ("a", 1) in items and ("n", None) in items
    assert ("a", 2) not in items and ("z", None) not in items
    assert "a" not in items and ("a",) not in items and 5 not in items


def test_map_get_uses_the_missing_sentinel():
    m = tvm_ffi.Map({"a": 1, "n": None, "o": tvm_ffi.Array([])})
    assert m.get("n", 5) is None
    assert m.get("z", 5) == 5
    assert isinstance(m.get("o"), tvm_ffi.Array)
    assert m.get(("no", "such", "key")) is None


def test_array_map_structural_ops_report_missing_runtime_function(monkeypatch):
    monkeypatch.setattr(_structural_ops, "_lookup", lambda name: None)
    a = tvm_ffi.Array([1])
    m = tvm_ffi.Map({"a": 1})
    with pytest.raises(NotImplementedError, match="ffi.ArrayContains"):
        1 in a  # noqa: B015
    with pytest.raises(NotImplementedError, match="ffi.RecursiveEq"):
        a == [1]  # noqa: B015
    with pytest.raises(NotImplementedError, match="ffi.RecursiveHash"):
        hash(m)
    with pytest.raises(NotImplementedError, match="ffi.DeepCopy"):
        copy.deepcopy(a)
    # comparisons that need no runtime function still answer
    assert (a == "1") is False and (m == {"a": 1}) is False
    assert a.__eq__(1) is NotImplemented and m.__eq__({"a": 1}) is NotImplemented


# ---------------------------------------------------------------------------------------------
# Array and Map: structural equality, hashing, membership, deep copy


def test_array_eq_against_sequences():
    a = tvm_ffi.Array([1, 2])
    assert a == [1, 2] and a == (1, 2) and [1, 2] == a and (1, 2) == a
    assert a != [1, 2, 3] and a != [2, 1]
    assert not (a == [1.0, 2.0])
    assert tvm_ffi.Array([1]) != tvm_ffi.Array([1.0])
    assert tvm_ffi.Array([1]) != tvm_ffi.Array([True])
    assert hash(tvm_ffi.Array([1])) != hash(tvm_ffi.Array([1.0]))
    assert hash(tvm_ffi.Array([1])) != hash(tvm_ffi.Array([True]))
    # str, bytes, mappings and non-sequences are not compared
    assert tvm_ffi.Array(["a"]) != "a" and tvm_ffi.Array([]) != b""
    assert tvm_ffi.Array([]) != {} and tvm_ffi.Array([1]) != 1
    assert a.__eq__("12") is NotImplemented and a.__ne__({1: 2}) is NotImplemented
    assert a.__eq__(None) is NotImplemented
    # a sequence that cannot be converted to an Array is not compared
    with pytest.raises(OverflowError):
        tvm_ffi.Array([2**100])
    assert a.__eq__([2**100]) is NotImplemented and a != [2**100]


def test_array_structural_hash_and_sets():
    assert len({tvm_ffi.Array([1]), tvm_ffi.Array([1])}) == 1
    assert {tvm_ffi.Array([1]): 5}[tvm_ffi.Array([1])] == 5
    nested = tvm_ffi.convert([[1, "a"], {"k": 2.5}])
    again = tvm_ffi.convert([[1, "a"], {"k": 2.5}])
    assert nested == again and hash(nested) == hash(again) and not nested.same_as(again)
    assert tvm_ffi.Array([math.nan]) == tvm_ffi.Array([math.nan])


def test_array_contains_index_count():
    a = tvm_ffi.Array([[1], [2]])
    assert [1] in a and (2,) in a and [3] not in a
    assert (1,) in tvm_ffi.Array([[1]])
    assert a.index([2]) == 1
    assert tvm_ffi.Array([[1], [1]]).count([1]) == 2
    with pytest.raises(ValueError, match="^$"):
        a.index([3])
    b = tvm_ffi.Array([1, 2, 3])
    assert 2 in b and 5 not in b and "2" not in b
    assert 1.0 not in tvm_ffi.Array([1]) and True not in tvm_ffi.Array([1])
    # a list element equal to a List value is found through the conversion retry
    assert [1] in tvm_ffi.Array([tvm_ffi.List([1])])


def test_map_structural_equality():
    assert tvm_ffi.Map({"a": 1}) == tvm_ffi.Map({"a": 1})
    a = tvm_ffi.Map({"a": 1, "b": 2})
    b = tvm_ffi.Map({"b": 2, "a": 1})
    assert a == b and hash(a) == hash(b) and not a.same_as(b)
    assert tvm_ffi.Map({"a": 1}) != tvm_ffi.Map({"a": 1.0})
    assert tvm_ffi.Map({"a": 1}) != tvm_ffi.Map({"a": 1, "b": 2})
    # only Maps compare with Maps
    assert not (tvm_ffi.Map({"a": 1}) == {"a": 1})
    assert tvm_ffi.Map({"a": 1}) != {"a": 1}
    assert tvm_ffi.Map({}) != []
    assert tvm_ffi.Map({"a": 1}).__eq__({"a": 1}) is NotImplemented
    assert len({tvm_ffi.Map({"x": [1]}), tvm_ffi.Map({"x": [1]})}) == 1


def test_array_deepcopy_keeps_sharing():
    p = tvm_ffi.Array([7])
    a = tvm_ffi.Array([p, [p]])
    c = copy.deepcopy(a)
    assert type(c) is tvm_ffi.Array and c == a and not c.same_as(a)
    assert c[0].same_as(c[1][0]) and not c[0].same_as(p)
    with pytest.raises(RuntimeError, match="not copy-constructible"):
        copy.deepcopy(tvm_ffi.Array([fecho]))


def test_map_deepcopy():
    m = tvm_ffi.Map({"a": [1, 2]})
    c = copy.deepcopy(m)
    assert type(c) is tvm_ffi.Map and c == m and not c.same_as(m)
    assert not c["a"].same_as(m["a"])
