"""tvm_ffi.Dict: a mutable, insertion-ordered, shared-reference FFI map."""

import collections.abc
import copy
import pickle

import pytest

import tvm_ffi
import tvm_ffi.testing  # noqa: F401
from tvm_ffi import _structural_ops
from tvm_ffi.container import ItemsView, KeysView, ValuesView

fecho = tvm_ffi.get_global_func("testing.echo")


def test_dict_construct_and_read():
    d = tvm_ffi.Dict({"a": 1, "b": [2, 3], 4: None})
    assert isinstance(d, tvm_ffi.Dict) and isinstance(d, tvm_ffi.Object)
    assert isinstance(d, collections.abc.MutableMapping)
    assert not isinstance(d, tvm_ffi.Map)
    assert len(d) == 3 and bool(d)
    assert d["a"] == 1 and isinstance(d["b"], tvm_ffi.Array) and d[4] is None
    assert "a" in d and 4 in d and "z" not in d
    assert list(d) == ["a", "b", 4]
    empty = tvm_ffi.Dict()
    assert len(empty) == 0 and not empty and list(empty) == []
    assert len(tvm_ffi.Dict(None)) == 0
    # from any Mapping
    assert dict(tvm_ffi.Dict(tvm_ffi.Map({"m": 1})).items()) == {"m": 1}
    assert dict(tvm_ffi.Dict(collections.OrderedDict(x=1)).items()) == {"x": 1}


def test_dict_constructor_rejects_non_mappings_and_keywords():
    with pytest.raises(AttributeError):
        tvm_ffi.Dict([("a", 1)])
    with pytest.raises(TypeError):
        tvm_ffi.Dict(a=1)


def test_dict_missing_key():
    d = tvm_ffi.Dict({"a": 1})
    with pytest.raises(KeyError) as info:
        d["missing"]
    assert str(info.value) == "'key is not in Map'"


def test_dict_set_and_delete():
    d = tvm_ffi.Dict()
    d["a"] = 1
    d["b"] = 2
    d["a"] = "one"  # overwriting keeps the position
    assert list(d.items()) == [("a", "one"), ("b", 2)]
    del d["a"]
    assert list(d) == ["b"]
    with pytest.raises(KeyError) as info:
        del d["a"]
    assert info.value.args == ("a",)
    with pytest.raises(KeyError) as info:
        del d[42]
    assert info.value.args == (42,)
    assert list(d) == ["b"]


def test_dict_get():
    d = tvm_ffi.Dict({"a": 1, "n": None})
    assert d.get("a") == 1
    assert d.get("z") is None
    assert d.get("z", 5) == 5
    assert d.get("n", 5) is None


def test_dict_pop():
    d = tvm_ffi.Dict({"a": 1, "b": 2})
    assert d.pop("a") == 1
    assert "a" not in d
    assert d.pop("a", "dflt") == "dflt"
    assert d.pop("a", None) is None
    with pytest.raises(KeyError) as info:
        d.pop("a")
    assert info.value.args == ("a",)
    with pytest.raises(TypeError, match="^pop expected at most 2 arguments, got 3$"):
        d.pop("b", 1, 2)
    assert d.pop("b") == 2 and len(d) == 0


def test_dict_update():
    d = tvm_ffi.Dict({"a": 1})
    d.update({"b": 2, "a": 3})
    d.update(tvm_ffi.Map({"c": 4}))
    assert list(d.items()) == [("a", 3), ("b", 2), ("c", 4)]
    with pytest.raises(TypeError):
        d.update(x=1)
    with pytest.raises(AttributeError):
        d.update([("x", 1)])
    assert "x" not in d


def test_dict_setdefault_popitem_clear():
    d = tvm_ffi.Dict({"a": 1})
    assert d.setdefault("a", 5) == 1
    assert d.setdefault("b", 7) == 7
    assert d.setdefault("c") is None
    assert list(d.items()) == [("a", 1), ("b", 7), ("c", None)]
    assert d.popitem() == ("a", 1)
    assert list(d) == ["b", "c"]
    d.clear()
    assert len(d) == 0
    with pytest.raises(KeyError):
        d.popitem()


def test_dict_insertion_order():
    d = tvm_ffi.Dict()
    keys = [7, "x", 3, "a", 1.5, None]
    for i, k in enumerate(keys):
        d[k] = i
    assert list(d.keys()) == keys
    assert list(d.values()) == list(range(len(keys)))
    assert [k for k, _ in d.items()] == keys


def test_dict_views():
    d = tvm_ffi.Dict({"a": 1, "b": 2})
    keys, values, items = d.keys(), d.values(), d.items()
    assert isinstance(keys, KeysView) and isinstance(values, ValuesView)
    assert isinstance(items, ItemsView)
    assert len(keys) == len(values) == len(items) == 2
    assert "a" in keys and "z" not in keys
    assert 2 in values and 3 not in values
    assert ("a", 1) in items and ("a", 2) not in items and ("z", 1) not in items
    assert "a" not in items and ("a", 1, 2) not in items
    # views are live
    d["c"] = 3
    assert list(keys) == ["a", "b", "c"] and len(items) == 3
    assert repr(keys) == 'KeysView({"a": 1, "b": 2, "c": 3})'
    assert repr(values) == 'ValuesView({"a": 1, "b": 2, "c": 3})'
    assert repr(items) == 'ItemsView({"a": 1, "b": 2, "c": 3})'
    assert keys & {"a", "z"} == {"a"}


def test_dict_shared_through_cxx():
    d = tvm_ffi.Dict({"a": 1})
    back = fecho(d)
    assert type(back) is tvm_ffi.Dict and back.same_as(d)
    back["b"] = 2
    assert d["b"] == 2
    del d["a"]
    assert "a" not in back
    outer = fecho({"inner": d})
    assert isinstance(outer, tvm_ffi.Map)
    assert type(outer["inner"]) is tvm_ffi.Dict and outer["inner"].same_as(d)


def test_dict_mutated_by_a_callee_is_mutated_for_the_caller():
    def mutate(x):
        x["added"] = True
        del x["gone"]

    tvm_ffi.register_global_func("testing_pycontainers.mutate_dict", mutate, override=True)
    try:
        f = tvm_ffi.get_global_func("testing_pycontainers.mutate_dict")
        d = tvm_ffi.Dict({"gone": 1, "kept": 2})
        f(d)
        assert dict(d.items()) == {"kept": 2, "added": True}
    finally:
        tvm_ffi.remove_global_func("testing_pycontainers.mutate_dict")


def test_dict_convert_keeps_dict_as_map():
    assert type(tvm_ffi.convert({"a": 1})) is tvm_ffi.Map
    assert type(fecho({"a": 1})) is tvm_ffi.Map


def test_dict_iteration_while_mutating():
    d = tvm_ffi.Dict({"a": 1, "b": 2})
    seen = []
    for k in d:  # the size is read once: no RuntimeError, new keys are not visited
        seen.append(k)
        d[k + k] = 0
    assert seen == ["a", "b"]
    assert list(d) == ["a", "b", "aa", "bb"]
    d = tvm_ffi.Dict({"a": 1, "b": 2, "c": 3})
    seen = []
    for k in d:  # deleting the remaining entries ends the iteration
        seen.append(k)
        if k == "a":
            del d["b"]
            del d["c"]
    assert seen == ["a"]


def test_dict_repr():
    assert repr(tvm_ffi.Dict({"a": 1})) == '{"a": 1}'
    assert str(tvm_ffi.Dict({"a": 1})) == '{"a": 1}'
    assert repr(tvm_ffi.Dict()) == "{}"
    text = repr(tvm_ffi.Dict({1: [1, 2], "s": tvm_ffi.List([None]), "m": {"k": 2.5}}))
    assert text == '{1: (1, 2), "s": [None], "m": {"k": 2.5}}'
    assert repr(tvm_ffi.Dict.__new__(tvm_ffi.Dict)) == "Dict(chandle=None)"


def test_dict_repr_of_cycle():
    d = tvm_ffi.Dict()
    d["self"] = d
    assert repr(d) == '{"self": ...}'
    d.clear()


def test_dict_pickle_round_trip():
    d = tvm_ffi.Dict({"a": 1, "b": [2, 3], "c": tvm_ffi.Dict({"x": "y"})})
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(d, protocol))
        assert type(back) is tvm_ffi.Dict and not back.same_as(d)
        assert list(back) == ["a", "b", "c"]
        assert list(back["b"]) == [2, 3]
        assert type(back["c"]) is tvm_ffi.Dict and back["c"]["x"] == "y"
        back["new"] = 1
        assert "new" not in d
    assert tvm_ffi.serialization.to_json_graph_str(d).count('"ffi.Dict"') == 2


def test_dict_structural_ops_report_missing_runtime_function(monkeypatch):
    monkeypatch.setattr(_structural_ops, "_lookup", lambda name: None)
    d = tvm_ffi.Dict({"a": 1})
    with pytest.raises(NotImplementedError, match="ffi.RecursiveEq"):
        d == tvm_ffi.Dict({"a": 1})  # noqa: B015
    with pytest.raises(NotImplementedError, match="ffi.RecursiveHash"):
        hash(d)
    with pytest.raises(NotImplementedError, match="ffi.DeepCopy"):
        copy.deepcopy(d)
    # membership and lookups do not need them
    assert "a" in d and d.get("a") == 1


# ---------------------------------------------------------------------------------------------
# structural behaviour (ffi.RecursiveEq / RecursiveHash / DeepCopy)


def test_dict_structural_equality():
    a = tvm_ffi.Dict({"a": 1, "b": [2]})
    b = tvm_ffi.Dict({"b": [2], "a": 1})
    assert a == b and not (a != b) and not a.same_as(b)
    assert hash(a) == hash(b)
    assert len({a, b}) == 1
    assert tvm_ffi.Dict({"a": 1}) != tvm_ffi.Dict({"a": 1.0})
    assert tvm_ffi.Dict({"a": 1}) != tvm_ffi.Dict({"a": 2})
    # only Dicts compare with Dicts
    assert not (tvm_ffi.Dict({"a": 1}) == {"a": 1})
    assert tvm_ffi.Dict({"a": 1}) != {"a": 1}
    assert not (tvm_ffi.Dict({"a": 1}) == tvm_ffi.Map({"a": 1}))
    assert not (tvm_ffi.Map({"a": 1}) == tvm_ffi.Dict({"a": 1}))
    assert tvm_ffi.Dict({"a": 1}).__eq__({"a": 1}) is NotImplemented
    assert tvm_ffi.Dict({"a": 1}).__ne__(tvm_ffi.Map({"a": 1})) is NotImplemented


def test_dict_equality_sees_mutation():
    a = tvm_ffi.Dict({"a": 1})
    b = tvm_ffi.Dict({"a": 1})
    b["c"] = 3
    assert a != b
    a["c"] = 3
    assert a == b and hash(a) == hash(b)


def test_dict_cycle_equals_itself():
    d = tvm_ffi.Dict()
    d["self"] = d
    assert d == d
    d.clear()


def test_dict_deepcopy():
    shared = tvm_ffi.Dict({"v": 1})
    d = tvm_ffi.Dict({"x": shared, "y": [shared]})
    c = copy.deepcopy(d)
    assert type(c) is tvm_ffi.Dict and c == d and not c.same_as(d)
    assert c["x"].same_as(c["y"][0]) and not c["x"].same_as(shared)
    c["x"]["v"] = 2
    assert shared["v"] == 1
    with pytest.raises(RuntimeError, match="not copy-constructible"):
        copy.deepcopy(tvm_ffi.Dict({"f": fecho}))
