"""tvm_ffi.List: a mutable, shared-reference FFI sequence."""

import collections.abc
import copy
import pickle

import numpy as np
import pytest

import tvm_ffi
import tvm_ffi.testing  # noqa: F401
from tvm_ffi import _structural_ops

fecho = tvm_ffi.get_global_func("testing.echo")


def test_list_construct_and_read():
    lst = tvm_ffi.List([1, "a", 2.5, None])
    assert isinstance(lst, tvm_ffi.List) and isinstance(lst, tvm_ffi.Object)
    assert isinstance(lst, collections.abc.MutableSequence)
    assert not isinstance(lst, tvm_ffi.Array)
    assert len(lst) == 4
    assert list(lst) == [1, "a", 2.5, None]
    assert lst[0] == 1 and lst[-1] is None and lst[-4] == 1
    assert lst[np.int64(1)] == "a"
    assert lst[1:3] == ["a", 2.5] and type(lst[1:3]) is list
    assert lst[::-1] == [None, 2.5, "a", 1]
    assert lst[10:] == []
    empty = tvm_ffi.List()
    assert len(empty) == 0 and list(empty) == [] and not empty
    assert bool(lst)
    assert list(tvm_ffi.List(x * x for x in range(3))) == [0, 1, 4]
    # nested Python containers become Array / Map elements
    nested = tvm_ffi.List([[1, 2], {"k": 3}])
    assert isinstance(nested[0], tvm_ffi.Array) and isinstance(nested[1], tvm_ffi.Map)


def test_list_getitem_errors():
    lst = tvm_ffi.List([1, 2, 3])
    with pytest.raises(IndexError, match=r"^Index out of range\. size: 3, got index 3$"):
        lst[3]
    with pytest.raises(IndexError, match=r"^Index out of range\. size: 3, got index -4$"):
        lst[-4]
    with pytest.raises(TypeError, match="^indices must be integers or slices, not str$"):
        lst["a"]
    with pytest.raises(TypeError, match="^indices must be integers or slices, not float$"):
        lst[1.0]


def test_list_convert_and_arguments_stay_array():
    assert type(tvm_ffi.convert([1, 2])) is tvm_ffi.Array
    assert type(fecho([1, 2])) is tvm_ffi.Array
    lst = tvm_ffi.List([1])
    assert tvm_ffi.convert(lst).same_as(lst)


def test_list_returned_from_cxx_is_list_and_shares():
    lst = tvm_ffi.List([1, 2])
    back = fecho(lst)
    assert type(back) is tvm_ffi.List
    assert back.same_as(lst)
    back.append(3)
    assert list(lst) == [1, 2, 3]
    lst[0] = 10
    assert back[0] == 10
    # a List nested in an Array keeps its identity too
    outer = fecho([lst])
    assert type(outer[0]) is tvm_ffi.List and outer[0].same_as(lst)
    outer[0].pop()
    assert list(lst) == [10, 2]


def test_list_mutated_by_a_callee_is_mutated_for_the_caller():
    def mutate(x):
        x.append("from-callee")
        x[0] = 0

    tvm_ffi.register_global_func("testing_pycontainers.mutate_list", mutate, override=True)
    try:
        f = tvm_ffi.get_global_func("testing_pycontainers.mutate_list")
        lst = tvm_ffi.List([5, 6])
        f(lst)
        assert list(lst) == [0, 6, "from-callee"]
    finally:
        tvm_ffi.remove_global_func("testing_pycontainers.mutate_list")


def test_list_setitem():
    lst = tvm_ffi.List([1, 2, 3])
    lst[0] = "x"
    lst[-1] = [4]
    lst[np.int32(1)] = 2.5
    assert lst[0] == "x" and lst[1] == 2.5 and isinstance(lst[2], tvm_ffi.Array)
    with pytest.raises(IndexError, match=r"^Index out of range\. size: 3, got index 3$"):
        lst[3] = 1
    with pytest.raises(IndexError, match=r"^Index out of range\. size: 3, got index -4$"):
        lst[-4] = 1
    with pytest.raises(TypeError, match="^indices must be integers or slices, not str$"):
        lst["k"] = 1
    assert lst[0] == "x"


def test_list_slice_assignment_changes_length():
    lst = tvm_ffi.List([0, 1, 2, 3, 4])
    lst[1:3] = ["a", "b", "c", "d"]
    assert list(lst) == [0, "a", "b", "c", "d", 3, 4]
    lst[1:5] = []
    assert list(lst) == [0, 3, 4]
    lst[3:1] = ["x"]  # an empty range inserts at its start
    assert list(lst) == [0, 3, 4, "x"]
    lst[:] = (i for i in range(3))
    assert list(lst) == [0, 1, 2]
    lst[-1:] = lst  # the right side is read before the list changes
    assert list(lst) == [0, 1, 0, 1, 2]
    lst[100:] = [9]
    assert list(lst) == [0, 1, 0, 1, 2, 9]


def test_list_extended_slice_assignment():
    lst = tvm_ffi.List(range(6))
    lst[::2] = ["a", "b", "c"]
    assert list(lst) == ["a", 1, "b", 3, "c", 5]
    lst[::-2] = [50, 30, 10]
    assert list(lst) == ["a", 10, "b", 30, "c", 50]
    msg = r"^attempt to assign sequence of size 2 to extended slice of size 3$"
    with pytest.raises(ValueError, match=msg):
        lst[::2] = [1, 2]
    msg = r"^attempt to assign sequence of size 4 to extended slice of size 3$"
    with pytest.raises(ValueError, match=msg):
        lst[1::2] = [1, 2, 3, 4]
    assert list(lst) == ["a", 10, "b", 30, "c", 50]


def test_list_delete():
    lst = tvm_ffi.List(range(10))
    del lst[0]
    del lst[-1]
    assert list(lst) == [1, 2, 3, 4, 5, 6, 7, 8]
    del lst[1:3]
    assert list(lst) == [1, 4, 5, 6, 7, 8]
    del lst[::2]
    assert list(lst) == [4, 6, 8]
    del lst[::-2]
    assert list(lst) == [6]
    del lst[5:2]
    assert list(lst) == [6]
    with pytest.raises(IndexError, match=r"^Index out of range\. size: 1, got index 1$"):
        del lst[1]
    with pytest.raises(TypeError, match="^indices must be integers or slices, not NoneType$"):
        del lst[None]
    del lst[:]
    assert len(lst) == 0


def test_list_insert():
    lst = tvm_ffi.List([1, 2])
    lst.insert(0, "head")
    lst.insert(100, "tail")  # too large: appends
    lst.insert(-1, "before-tail")
    lst.insert(-100, "new-head")  # clamps to 0
    lst.insert(np.int64(2), "mid")
    assert list(lst) == ["new-head", "head", "mid", 1, 2, "before-tail", "tail"]
    empty = tvm_ffi.List()
    empty.insert(-5, 1)
    assert list(empty) == [1]
    with pytest.raises(TypeError, match="^indices must be integers or slices, not str$"):
        lst.insert("0", 1)


def test_list_append_extend_iadd_clear_reverse():
    lst = tvm_ffi.List()
    lst.append(1)
    lst.extend([2, 3])
    lst.extend(x for x in (4,))
    lst += [5]
    assert list(lst) == [1, 2, 3, 4, 5]
    lst.extend(lst)
    assert list(lst) == [1, 2, 3, 4, 5, 1, 2, 3, 4, 5]
    lst.reverse()
    assert list(lst) == [5, 4, 3, 2, 1, 5, 4, 3, 2, 1]
    assert list(reversed(lst)) == [1, 2, 3, 4, 5, 1, 2, 3, 4, 5]
    lst.clear()
    assert list(lst) == [] and len(lst) == 0
    alias = lst
    lst += [7]
    assert alias is lst and list(alias) == [7]


def test_list_pop():
    lst = tvm_ffi.List(["a", "b", "c", "d"])
    assert lst.pop() == "d"
    assert lst.pop(0) == "a"
    assert lst.pop(-1) == "c"
    assert list(lst) == ["b"]
    with pytest.raises(IndexError, match=r"^Index out of range\. size: 1, got index 1$"):
        lst.pop(1)
    assert lst.pop() == "b"
    with pytest.raises(IndexError, match="^pop from empty list$"):
        lst.pop()
    with pytest.raises(IndexError, match="^pop from empty list$"):
        lst.pop(0)


def test_list_remove_index_count_scalars():
    lst = tvm_ffi.List([1, "x", 1, 2])
    assert lst.index("x") == 1 and lst.count(1) == 2
    lst.remove(1)
    assert list(lst) == ["x", 1, 2]
    with pytest.raises(ValueError, match="^$"):
        lst.remove(99)
    with pytest.raises(ValueError):
        lst.index(99)


def test_list_absent_members():
    lst = tvm_ffi.List([2, 1])
    for name in ("sort", "copy", "__mul__"):
        assert not hasattr(lst, name)
    with pytest.raises(TypeError):
        lst * 2  # noqa: B018


def test_list_add():
    a = tvm_ffi.List([1, 2])
    b = a + [3]
    assert type(b) is tvm_ffi.List and list(b) == [1, 2, 3]
    c = (0,) + a
    assert type(c) is tvm_ffi.List and list(c) == [0, 1, 2]
    assert list(a) == [1, 2] and not b.same_as(a)


def test_list_iteration_while_mutating():
    lst = tvm_ffi.List([1, 2, 3])
    seen = []
    for x in lst:
        seen.append(x)
        lst.append(x * 10)  # appended elements are not visited
    assert seen == [1, 2, 3]
    assert list(lst) == [1, 2, 3, 10, 20, 30]
    # shrinking the list under a running iterator ends in an IndexError, never a crash
    lst = tvm_ffi.List([1, 2, 3])
    with pytest.raises(IndexError):
        for _ in lst:
            lst.pop()


def test_list_repr():
    assert repr(tvm_ffi.List([1, 2])) == "[1, 2]"
    assert str(tvm_ffi.List([1, 2])) == "[1, 2]"
    assert repr(tvm_ffi.List()) == "[]"
    assert repr(tvm_ffi.List([1, "a", [2], None, True])) == '[1, "a", (2,), None, True]'
    assert repr(tvm_ffi.List([tvm_ffi.List([])])) == "[[]]"
    assert repr(tvm_ffi.List.__new__(tvm_ffi.List)) == "List(chandle=None)"


def test_list_repr_of_cycle():
    lst = tvm_ffi.List([1])
    lst.append(lst)
    assert repr(lst) == "[1, ...]"
    d = tvm_ffi.Dict({"l": lst})
    lst.append(d)
    assert repr(lst) == '[1, ..., {"l": ...}]'
    lst.clear()  # break the cycle so the objects can be freed


def test_list_pickle_round_trip():
    lst = tvm_ffi.List([1, "a", [2, 3], {"k": 4}, tvm_ffi.List([5])])
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(lst, protocol))
        assert type(back) is tvm_ffi.List and not back.same_as(lst)
        assert back[0] == 1 and back[1] == "a"
        assert list(back[2]) == [2, 3] and back[3]["k"] == 4
        assert type(back[4]) is tvm_ffi.List and list(back[4]) == [5]
        back.append("new")
        assert len(lst) == 5
    assert tvm_ffi.serialization.to_json_graph_str(lst).count('"ffi.List"') == 2
    shallow = copy.copy(lst)
    assert type(shallow) is tvm_ffi.List and not shallow.same_as(lst) and len(shallow) == 5


def test_list_structural_ops_report_missing_runtime_function(monkeypatch):
    # without the runtime function the operation says which one is missing
    monkeypatch.setattr(_structural_ops, "_lookup", lambda name: None)
    lst = tvm_ffi.List([1])
    with pytest.raises(NotImplementedError, match="ffi.ListContains"):
        1 in lst  # noqa: B015
    with pytest.raises(NotImplementedError, match="ffi.RecursiveEq"):
        lst == tvm_ffi.List([1])  # noqa: B015
    with pytest.raises(NotImplementedError, match="ffi.RecursiveHash"):
        hash(lst)
    with pytest.raises(NotImplementedError, match="ffi.DeepCopy"):
        copy.deepcopy(lst)


# ---------------------------------------------------------------------------------------------
# structural behaviour (ffi.RecursiveEq / RecursiveHash / DeepCopy / ListContains)


def test_list_structural_equality():
    a = tvm_ffi.List([1, [2, "x"]])
    b = tvm_ffi.List([1, [2, "x"]])
    assert a == b and not (a != b) and not a.same_as(b)
    assert hash(a) == hash(b)
    assert len({a, b}) == 1
    assert a == [1, [2, "x"]] and a == (1, (2, "x"))
    assert tvm_ffi.List([1, 2]) == tvm_ffi.Array([1, 2])
    assert tvm_ffi.Array([1, 2]) == tvm_ffi.List([1, 2])
    assert tvm_ffi.List([1]) != tvm_ffi.List([1.0])
    assert tvm_ffi.List([1]) != tvm_ffi.List([True])
    assert tvm_ffi.List([1]) != [2]
    # str, bytes, mappings and non-sequences do not compare
    assert tvm_ffi.List(["a"]) != "a"
    assert tvm_ffi.List([]) != {}
    assert tvm_ffi.List([1]) != 1
    assert tvm_ffi.List([1]).__eq__("a") is NotImplemented
    assert tvm_ffi.List([1]).__ne__({1: 2}) is NotImplemented


def test_list_equality_sees_mutation():
    a = tvm_ffi.List([1])
    b = tvm_ffi.List([1])
    assert a == b
    b.append(2)
    assert a != b
    a.append(2)
    assert a == b and hash(a) == hash(b)


def test_list_contains_index_count_remove_structural():
    lst = tvm_ffi.List([[1], [2], tvm_ffi.List([3])])
    assert [1] in lst and (2,) in lst and [3] in lst
    assert 1 not in lst and [4] not in lst and "a" not in lst
    assert lst.index([2]) == 1
    assert tvm_ffi.List([[1], [1]]).count([1]) == 2
    lst.remove([2])
    assert len(lst) == 2 and lst.index([3]) == 1
    assert 1.0 not in tvm_ffi.List([1])
    assert float("nan") in tvm_ffi.List([float("nan")])


def test_list_deepcopy():
    p = tvm_ffi.List([1])
    lst = tvm_ffi.List([p, [p]])
    c = copy.deepcopy(lst)
    assert type(c) is tvm_ffi.List and c == lst and not c.same_as(lst)
    assert c[0].same_as(c[1][0]) and not c[0].same_as(p)
    c[0].append(2)
    assert list(p) == [1]
    with pytest.raises(RuntimeError, match="not copy-constructible"):
        copy.deepcopy(tvm_ffi.List([fecho]))


def test_list_cycle_equals_itself():
    lst = tvm_ffi.List([1])
    lst.append(lst)
    assert lst == lst
    lst.clear()
