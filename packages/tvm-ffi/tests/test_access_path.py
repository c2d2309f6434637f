"""tvm_ffi.access_path (§1.6)."""

import pytest

import tvm_ffi
from tvm_ffi.access_path import AccessKind, AccessPath, AccessStep


def test_access_kind_values():
    assert [int(k) for k in AccessKind] == [0, 1, 2, 3, 4, 5]
    assert AccessKind.ATTR == 0 and AccessKind.MAP_ITEM_MISSING == 5


def test_direct_construction_rejected():
    with pytest.raises(ValueError, match="AccessPath.root"):
        AccessPath()


def test_root():
    root = AccessPath.root()
    assert isinstance(root, AccessPath)
    assert isinstance(root, tvm_ffi.Object)
    assert root.depth == 0
    assert root.parent is None
    assert root.step is None
    assert len(root.to_steps()) == 0


def test_build_paths_and_steps():
    root = AccessPath.root()
    p = root.attr("foo").array_item(3).map_item("k").attr_missing("bar")
    assert p.depth == 4
    steps = p.to_steps()
    assert [s.kind for s in steps] == [
        AccessKind.ATTR,
        AccessKind.ARRAY_ITEM,
        AccessKind.MAP_ITEM,
        AccessKind.ATTR_MISSING,
    ]
    assert [s.key for s in steps] == ["foo", 3, "k", "bar"]
    assert all(isinstance(s, AccessStep) for s in steps)
    q = root.array_item_missing(7).map_item_missing(1)
    assert [(s.kind, s.key) for s in q.to_steps()] == [
        (AccessKind.ARRAY_ITEM_MISSING, 7),
        (AccessKind.MAP_ITEM_MISSING, 1),
    ]
    # parent chain
    assert p.parent.parent.parent.parent == root
    assert p.parent.step.kind == AccessKind.MAP_ITEM
    # extending does not modify the original
    a = root.attr("x")
    b = a.attr("y")
    assert a.depth == 1 and b.depth == 2


def test_prefix_and_equality():
    root = AccessPath.root()
    a = root.attr("a")
    ab = a.array_item(0)
    assert root.is_prefix_of(ab)
    assert a.is_prefix_of(ab)
    assert ab.is_prefix_of(ab)
    assert not ab.is_prefix_of(a)
    assert not root.attr("b").is_prefix_of(ab)
    # structural equality, not identity
    again = AccessPath.root().attr("a").array_item(0)
    assert again == ab and not (again != ab)
    assert not again.same_as(ab)
    assert root.attr("a") != root.attr("b")
    assert root.attr("a") != root.attr_missing("a")
    assert root.array_item(1) != root.array_item(2)
    assert (root == "root") is False
    assert root != 1


def test_repr_and_str():
    root = AccessPath.root()
    assert str(root) == "<root>"
    assert repr(root) == "AccessPath(<root>)"
    p = root.attr("body").array_item(2).map_item("k").map_item(7)
    assert str(p) == "<root>.body[2]['k'][7]"
    assert repr(p) == "AccessPath(<root>.body[2]['k'][7])"
    q = root.attr_missing("x").array_item_missing(3).map_item_missing("m")
    assert str(q) == "<root>.<missing x>[<missing 3>][<missing 'm'>]"
    step = p.step
    assert repr(step) == "AccessStep(kind=MAP_ITEM, key=7)"
    assert repr(root.attr("a").step) == "AccessStep(kind=ATTR, key='a')"
    # a NULL proxy does not crash repr
    assert repr(AccessPath.__new__(AccessPath)) == "AccessPath(chandle=None)"


def test_parent_chain_walks_back_to_root():
    p = AccessPath.root().attr("a").array_item_missing(1).map_item(None)
    chain = []
    while p is not None:
        chain.append(str(p))
        p = p.parent
    assert chain == ["<root>.a[<missing 1>][None]", "<root>.a[<missing 1>]", "<root>.a", "<root>"]


def test_hash_is_identity_based():
    a = AccessPath.root().attr("x")
    b = AccessPath.root().attr("x")
    assert a == b
    assert hash(a) == hash(a)
    assert len({a, a}) == 1
    # equal paths are distinct objects: the handle-based hash keeps them apart in a set
    assert len({a, b}) == 2


def test_map_keys_of_any_kind():
    root = AccessPath.root()
    assert root.map_item(1) != root.map_item("1")
    assert root.map_item(1.5) == root.map_item(1.5)
    assert root.map_item(None) == root.map_item(None)
    assert root.map_item_missing(None).step.kind == AccessKind.MAP_ITEM_MISSING


def test_prefix_with_missing_steps():
    root = AccessPath.root()
    a = root.attr("a")
    assert a.is_prefix_of(a.array_item_missing(0))
    assert not a.attr_missing("b").is_prefix_of(a.attr("b"))
    assert not root.attr("a").is_prefix_of(root)


def test_bad_keys_are_type_errors():
    root = AccessPath.root()
    with pytest.raises(TypeError):
        root.attr(1)
    with pytest.raises(TypeError):
        root.array_item("x")
    with pytest.raises(TypeError):
        root.is_prefix_of("not a path")
