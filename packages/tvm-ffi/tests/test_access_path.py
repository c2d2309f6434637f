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
