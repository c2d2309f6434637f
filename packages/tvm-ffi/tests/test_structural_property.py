"""Property tests of structural equality / hashing over random trees (hypothesis).

A tree is described by a plain Python "spec" (nested tuples) and built twice into independent
FFI values (Arrays, Maps, ``testing.TestSNode`` / ``testing.TestSDAGNode`` objects and
primitive leaves). For each of the 1000 random trees:

* the two builds are structurally equal, in both directions, and hash equal;
* changing the ignored ``comment`` field keeps equality and the hash;
* changing one leaf makes them unequal, the reported first mismatch is exactly that leaf's
  path on both sides, and the hash changes;
* across all trees and mutants seen, two structurally different trees never share a hash.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tvm_ffi
import tvm_ffi.testing as ft
from tvm_ffi.structural import get_first_structural_mismatch, structural_equal, structural_hash

INT64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)
LEAVES = (
    st.just(("none",))
    | st.tuples(st.just("bool"), st.booleans())
    | st.tuples(st.just("int"), INT64)
    | st.tuples(st.just("float"), st.floats(allow_nan=False, allow_infinity=False))
    | st.tuples(st.just("str"), st.text(max_size=12))
    | st.tuples(st.just("bytes"), st.binary(max_size=10))
)
MAP_KEYS = st.text(max_size=6) | st.integers(min_value=-50, max_value=50)
COMMENTS = st.none() | st.text(max_size=5)


def _extend(children):
    return (
        st.tuples(st.just("array"), st.lists(children, max_size=4))
        | st.tuples(
            st.just("map"),
            st.dictionaries(MAP_KEYS, children, max_size=3).map(lambda d: tuple(d.items())),
        )
        | st.tuples(
            st.just("node"), st.text(max_size=4), children, st.lists(children, max_size=3), COMMENTS
        )
        | st.tuples(st.just("dag"), children, st.lists(children, max_size=3))
    )


TREES = st.recursive(LEAVES, _extend, max_leaves=20)


def build(spec, comment_suffix=""):
    """A fresh FFI value for ``spec`` (no sharing between or within builds)."""
    kind = spec[0]
    if kind == "none":
        return None
    if kind in ("bool", "int", "float", "str", "bytes"):
        return spec[1]
    if kind == "array":
        return tvm_ffi.Array([build(c, comment_suffix) for c in spec[1]])
    if kind == "map":
        return tvm_ffi.Map({k: build(v, comment_suffix) for k, v in spec[1]})
    if kind == "node":
        _, tag, value, children, comment = spec
        if comment_suffix:
            comment = (comment or "") + comment_suffix
        return ft.TestSNode(
            tag, build(value, comment_suffix), [build(c, comment_suffix) for c in children], comment
        )
    if kind == "dag":
        return ft.TestSDAGNode(
            build(spec[1], comment_suffix), [build(c, comment_suffix) for c in spec[2]]
        )
    raise AssertionError(kind)


def canonical(spec):
    """A hashable key equal for exactly the structurally equal specs."""
    kind = spec[0]
    if kind == "float":
        return ("float", 0.0 if spec[1] == 0 else spec[1])  # 0.0 equals -0.0
    if kind in ("none", "bool", "int", "str", "bytes"):
        return spec
    if kind == "array":
        return ("array", tuple(canonical(c) for c in spec[1]))
    if kind == "map":  # insertion order does not matter
        return (
            "map",
            frozenset((k if isinstance(k, str) else ("i", k), canonical(v)) for k, v in spec[1]),
        )
    if kind == "node":  # the comment is ignored
        _, tag, value, children, _ = spec
        return ("node", tag, canonical(value), tuple(canonical(c) for c in children))
    return ("dag", canonical(spec[1]), tuple(canonical(c) for c in spec[2]))


def leaf_positions(spec, path="<root>"):
    """(rendered access path, route) of every leaf, tags included; a route is a list of
    (container position) steps understood by ``mutate``."""
    kind = spec[0]
    if kind == "array":
        for i, c in enumerate(spec[1]):
            for p, route in leaf_positions(c, "%s[%d]" % (path, i)):
                yield p, [("array", i)] + route
    elif kind == "map":
        for i, (k, v) in enumerate(spec[1]):
            for p, route in leaf_positions(v, "%s[%r]" % (path, k)):
                yield p, [("map", i)] + route
    elif kind == "node":
        yield path + ".tag", [("tag",)]
        for p, route in leaf_positions(spec[2], path + ".value"):
            yield p, [("value",)] + route
        for i, c in enumerate(spec[3]):
            for p, route in leaf_positions(c, "%s.children[%d]" % (path, i)):
                yield p, [("children", i)] + route
    elif kind == "dag":
        for p, route in leaf_positions(spec[1], path + ".value"):
            yield p, [("value",)] + route
        for i, c in enumerate(spec[2]):
            for p, route in leaf_positions(c, "%s.children[%d]" % (path, i)):
                yield p, [("children", i)] + route
    else:
        yield path, []


def changed_leaf(leaf):
    """A leaf of the same kind with a different value (None becomes an int)."""
    kind = leaf[0]
    if kind == "none":
        return ("int", 0)
    if kind == "bool":
        return ("bool", not leaf[1])
    if kind == "int":
        return ("int", leaf[1] ^ 1)
    if kind == "float":
        f = leaf[1]
        for candidate in (f + 1.0, f * 2.0, 1.0):
            if candidate != f:
                return ("float", candidate)
    if kind == "str":
        return ("str", leaf[1] + "x")
    return ("bytes", leaf[1] + b"x")


def mutate(spec, route):
    if not route:
        return changed_leaf(spec)
    step, rest = route[0], route[1:]
    kind = spec[0]
    if kind == "array":
        items = list(spec[1])
        items[step[1]] = mutate(items[step[1]], rest)
        return ("array", items)
    if kind == "map":
        items = list(spec[1])
        k, v = items[step[1]]
        items[step[1]] = (k, mutate(v, rest))
        return ("map", tuple(items))
    if kind == "node":
        _, tag, value, children, comment = spec
        if step[0] == "tag":
            return ("node", tag + "x", value, children, comment)
        if step[0] == "value":
            return ("node", tag, mutate(value, rest), children, comment)
        children = list(children)
        children[step[1]] = mutate(children[step[1]], rest)
        return ("node", tag, value, children, comment)
    _, value, children = spec
    if step[0] == "value":
        return ("dag", mutate(value, rest), children)
    children = list(children)
    children[step[1]] = mutate(children[step[1]], rest)
    return ("dag", value, children)


# structural hash -> canonical form of every tree hashed so far (collision detection)
_SEEN_HASHES = {}


def record_hash(h, spec):
    key = canonical(spec)
    previous = _SEEN_HASHES.setdefault(h, key)
    assert previous == key, "hash collision between %r and %r" % (previous, key)


@settings(
    max_examples=1000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(TREES, st.data())
def _check_random_tree(spec, data):
    lhs = build(spec)
    rhs = build(spec)
    assert structural_equal(lhs, rhs)
    assert structural_equal(rhs, lhs)
    h = structural_hash(lhs)
    assert structural_hash(rhs) == h
    record_hash(h, spec)

    recommented = build(spec, comment_suffix="!")
    assert structural_equal(lhs, recommented)
    assert structural_hash(recommented) == h

    positions = list(leaf_positions(spec))
    if not positions:  # only empty containers: nothing to change
        return
    path, route = positions[data.draw(st.integers(0, len(positions) - 1), label="leaf")]
    mutant_spec = mutate(spec, route)
    assert canonical(mutant_spec) != canonical(spec)
    mutant = build(mutant_spec)
    assert not structural_equal(lhs, mutant)
    assert not structural_equal(mutant, lhs)
    mismatch = get_first_structural_mismatch(lhs, mutant)
    assert mismatch is not None
    assert (str(mismatch[0]), str(mismatch[1])) == (path, path)
    mh = structural_hash(mutant)
    assert mh != h
    record_hash(mh, mutant_spec)


def test_random_trees():
    _SEEN_HASHES.clear()
    _check_random_tree()  # runs the 1000 hypothesis examples
    # the collision check covered many distinct trees (random trees + their mutants)
    assert len(_SEEN_HASHES) >= 1000, len(_SEEN_HASHES)
