"""tvm_ffi.structural: structural equality / hashing and first-mismatch access paths.

Objects come from the testing library: ``TestSNode`` (tree node with an ignored ``comment``),
``TestSFunc`` (its ``params`` field is a definition point), ``TestSVar`` (free variable),
``TestSDAGNode`` (graph node: sharing matters) and ``TestIntPair`` (no structural kind, so
compared by identity).
"""

import numpy as np
import pytest

import tvm_ffi
import tvm_ffi.testing as ft
from tvm_ffi.access_path import AccessKind, AccessPath
from tvm_ffi.structural import get_first_structural_mismatch, structural_equal, structural_hash

Node = ft.TestSNode
Var = ft.TestSVar
Func = ft.TestSFunc
DAG = ft.TestSDAGNode


def paths(lhs, rhs, **kwargs):
    """The mismatch as a pair of rendered paths (None when equal)."""
    ret = get_first_structural_mismatch(lhs, rhs, **kwargs)
    if ret is None:
        return None
    assert all(isinstance(p, AccessPath) for p in ret)
    return (str(ret[0]), str(ret[1]))


def check_equal(lhs, rhs, **kwargs):
    assert structural_equal(lhs, rhs, **kwargs)
    assert structural_equal(rhs, lhs, **kwargs)
    assert get_first_structural_mismatch(lhs, rhs, **kwargs) is None
    assert structural_hash(lhs, **kwargs) == structural_hash(rhs, **kwargs)


def check_unequal(lhs, rhs, expected_paths, **kwargs):
    assert not structural_equal(lhs, rhs, **kwargs)
    assert not structural_equal(rhs, lhs, **kwargs)
    assert paths(lhs, rhs, **kwargs) == expected_paths
    # the reverse comparison reports the same place with the sides swapped
    assert paths(rhs, lhs, **kwargs) == (expected_paths[1], expected_paths[0])


# ---- plain values and containers ---------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        False,
        0,
        -7,
        2**63 - 1,
        1.5,
        float("inf"),
        "",
        "short",
        "long string " * 10,
        b"",
        b"\x00\x01",
        b"long bytes " * 10,
        tvm_ffi.dtype("float32"),
        tvm_ffi.Device("cuda", 1),
        tvm_ffi.Shape((2, 3)),
    ],
)
def test_values_equal_to_a_fresh_copy(value):
    check_equal(value, value)
    rebuilt = tvm_ffi.serialization.from_json_graph_str(
        tvm_ffi.serialization.to_json_graph_str(value)
    )
    check_equal(value, rebuilt)


@pytest.mark.parametrize(
    "lhs, rhs",
    [
        (1, 2),
        (1, 1.0),  # int and float are different kinds
        (True, 1),
        (None, 0),
        ("a", "b"),
        ("a", b"a"),
        ("long string " * 10, "long string " * 9 + "long strinG "),
        (1.0, 1.0000001),
        (tvm_ffi.dtype("float32"), tvm_ffi.dtype("float16")),
        (tvm_ffi.Device("cpu", 0), tvm_ffi.Device("cpu", 1)),
        (tvm_ffi.Shape((1, 2)), tvm_ffi.Shape((1, 2, 3))),
    ],
)
def test_values_unequal_at_root(lhs, rhs):
    check_unequal(lhs, rhs, ("<root>", "<root>"))


def test_float_special_values():
    check_equal(float("nan"), float("nan"))
    check_equal(0.0, -0.0)
    check_unequal(float("inf"), float("-inf"), ("<root>", "<root>"))


def test_small_and_heap_strings_compare_by_content():
    short = tvm_ffi.convert("abc")
    echoed = tvm_ffi.get_global_func("testing.echo")("abc" * 30)
    check_equal(short, "abc")
    check_equal(echoed, "abc" * 30)


def test_nested_arrays():
    check_equal([1, [2, [3, "x"]]], [1, [2, [3, "x"]]])
    check_equal(tvm_ffi.convert([1, [2]]), [1, [2]])  # Array vs list converted at the call
    check_unequal([1, [2, [3, "x"]]], [1, [2, [3, "y"]]], ("<root>[1][1][1]", "<root>[1][1][1]"))
    check_unequal([1, [2, 3]], [1, [2, 3.0]], ("<root>[1][1]", "<root>[1][1]"))


def test_array_length_mismatch_reports_missing_item():
    check_unequal([1, 2], [1, 2, 3], ("<root>[<missing 2>]", "<root>[2]"))
    check_unequal([[1], []], [[1], [5]], ("<root>[1][<missing 0>]", "<root>[1][0]"))
    steps = get_first_structural_mismatch([1], [1, 2])[0].to_steps()
    assert [(s.kind, s.key) for s in steps] == [(AccessKind.ARRAY_ITEM_MISSING, 1)]


def test_maps_ignore_insertion_order():
    check_equal({"a": 1, "b": [1, 2]}, {"b": [1, 2], "a": 1})
    check_equal({1: "x", 2: "y"}, {2: "y", 1: "x"})


def test_map_value_mismatch():
    check_unequal(
        {"a": 1, "b": {"c": [1, 2]}},
        {"a": 1, "b": {"c": [1, 3]}},
        ("<root>['b']['c'][1]", "<root>['b']['c'][1]"),
    )
    check_unequal({1: "x"}, {1: "y"}, ("<root>[1]", "<root>[1]"))


def test_map_key_mismatch_reports_missing_item():
    ret = get_first_structural_mismatch({"a": 1}, {"b": 1})
    assert ret is not None
    lhs_steps = ret[0].to_steps()
    rhs_steps = ret[1].to_steps()
    assert [(s.kind, s.key) for s in lhs_steps] == [(AccessKind.MAP_ITEM, "a")]
    assert [(s.kind, s.key) for s in rhs_steps] == [(AccessKind.MAP_ITEM_MISSING, "a")]
    assert not structural_equal({"a": 1}, {"a": 1, "b": 2})


def test_array_and_map_are_different_kinds():
    check_unequal([], {}, ("<root>", "<root>"))
    check_unequal([1], tvm_ffi.Shape((1,)), ("<root>", "<root>"))


# ---- objects -----------------------------------------------------------------------------------


def test_tree_nodes_compare_fields_not_identity():
    a = Node("add", 1, [Node("leaf", "x"), [1, 2]])
    b = Node("add", 1, [Node("leaf", "x"), [1, 2]])
    assert not a.same_as(b) and a != b  # == is identity
    check_equal(a, b)
    check_unequal(
        a,
        Node("add", 1, [Node("leaf", "y"), [1, 2]]),
        ("<root>.children[0].value", "<root>.children[0].value"),
    )
    check_unequal(a, Node("sub", 1, [Node("leaf", "x"), [1, 2]]), ("<root>.tag", "<root>.tag"))
    check_unequal(
        a,
        Node("add", 1, [Node("leaf", "x")]),
        ("<root>.children[1]", "<root>.children[<missing 1>]"),
    )


def test_ignored_field_is_skipped_by_equality_and_hash():
    a = Node("n", 1, [2], comment="first")
    b = Node("n", 1, [2], comment="second")
    c = Node("n", 1, [2])
    check_equal(a, b)
    check_equal(a, c)
    assert structural_hash(a) == structural_hash(b) == structural_hash(c)


def test_objects_inside_containers():
    lhs = {"body": [Node("a", 1), Node("b", 2)], "n": 3}
    rhs = {"body": [Node("a", 1), Node("b", 3)], "n": 3}
    check_unequal(lhs, rhs, ("<root>['body'][1].value", "<root>['body'][1].value"))


def test_different_types_are_unequal():
    check_unequal(Node("a", 1), DAG(1), ("<root>", "<root>"))
    check_unequal(Node("a", 1), 1, ("<root>", "<root>"))


def test_types_without_structural_kind_compare_by_identity():
    p = ft.TestIntPair(1, 2)
    check_equal(p, p)
    check_equal([p, 1], [p, 1])
    check_unequal(p, ft.TestIntPair(1, 2), ("<root>", "<root>"))
    check_unequal(Node("n", p), Node("n", ft.TestIntPair(1, 2)), ("<root>.value", "<root>.value"))


def test_functions_compare_by_identity():
    f = tvm_ffi.get_global_func("testing.echo")
    check_equal([f], [f])
    g = tvm_ffi.convert(lambda x: x)
    assert not structural_equal(f, g)


# ---- variables: free vs bound (definition position) --------------------------------------------


def test_free_variables_equal_only_to_themselves():
    x, y = Var("x"), Var("y")
    check_equal(x, x)
    check_equal(Node("n", x, [x]), Node("n", x, [x]))
    check_unequal(x, Var("x"), ("<root>", "<root>"))  # same name, different variable
    check_unequal(Node("n", x), Node("n", y), ("<root>.value", "<root>.value"))


def test_map_free_vars_pairs_free_variables():
    x, y, z = Var("x"), Var("y"), Var("z")
    check_equal(Node("n", x, [x]), Node("n", y, [y]), map_free_vars=True)
    # once x is paired with y it cannot be paired with z
    assert not structural_equal(Node("n", x, [x]), Node("n", y, [z]), map_free_vars=True)
    assert paths(Node("n", x, [x]), Node("n", y, [z]), map_free_vars=True) == (
        "<root>.children[0]",
        "<root>.children[0]",
    )


def test_bound_variables_are_mapped_by_definition_position():
    x, y = Var("x"), Var("y")
    a, b = Var("a"), Var("b")
    # alpha-equivalent functions: names do not matter, positions do
    fx = Func([x], Node("add", None, [x, 1]))
    fa = Func([a], Node("add", None, [a, 1]))
    check_equal(fx, fa)
    assert structural_hash(fx) == structural_hash(fa)
    # f(x, y) = x  vs  f(a, b) = b
    check_unequal(Func([x, y], x), Func([a, b], b), ("<root>.body", "<root>.body"))
    # the same parameter used twice vs two different parameters
    check_unequal(Func([x, y], [x, x]), Func([a, b], [a, b]), ("<root>.body[1]", "<root>.body[1]"))
    # different arity
    check_unequal(Func([x], x), Func([a, b], a), ("<root>.params[<missing 1>]", "<root>.params[1]"))
    # the comment of a function is ignored
    check_equal(Func([x], x, "one"), Func([a], a, "two"))


def test_bound_variable_vs_free_variable():
    x, a, free = Var("x"), Var("a"), Var("free")
    # body uses a free variable on one side and the bound parameter on the other
    check_unequal(
        Func([x], Node("n", free)),
        Func([a], Node("n", a)),
        ("<root>.body.value", "<root>.body.value"),
    )
    # the same free variable used under two alpha-equivalent functions
    check_equal(Func([x], [x, free]), Func([a], [a, free]))


def test_nested_functions_shadowing():
    x, y, a, b = Var("x"), Var("y"), Var("a"), Var("b")
    inner_x = Func([y], [x, y])
    inner_a = Func([b], [a, b])
    check_equal(Func([x], inner_x), Func([a], inner_a))
    # inner function refers to the outer parameter on one side, its own on the other
    check_unequal(
        Func([x], Func([y], x)), Func([a], Func([b], b)), ("<root>.body.body", "<root>.body.body")
    )


# ---- tree nodes vs graph (DAG) nodes -----------------------------------------------------------


def test_tree_nodes_ignore_sharing():
    shared = Node("leaf", 1)
    check_equal(
        Node("n", None, [shared, shared]), Node("n", None, [Node("leaf", 1), Node("leaf", 1)])
    )


def test_dag_nodes_require_the_same_sharing():
    shared = DAG(1)
    lhs = DAG(0, [shared, shared])
    rhs_shared_too = DAG(0, [DAG(1)] * 2)
    rhs_unshared = DAG(0, [DAG(1), DAG(1)])
    check_equal(lhs, rhs_shared_too)
    assert not structural_equal(lhs, rhs_unshared)
    assert paths(lhs, rhs_unshared) == ("<root>.children[1]", "<root>.children[1]")
    assert not structural_equal(rhs_unshared, lhs)


# ---- tensors -----------------------------------------------------------------------------------


def test_tensors():
    a = tvm_ffi.from_dlpack(np.arange(6, dtype="float32").reshape(2, 3))
    b = tvm_ffi.from_dlpack(np.arange(6, dtype="float32").reshape(2, 3))
    c = tvm_ffi.from_dlpack(np.array([[0, 1, 2], [3, 4, 9]], dtype="float32"))
    d = tvm_ffi.from_dlpack(np.arange(6, dtype="int32").reshape(2, 3))
    check_equal(a, b)
    check_unequal(a, c, ("<root>", "<root>"))
    check_equal(a, c, skip_tensor_content=True)
    assert not structural_equal(a, d, skip_tensor_content=True)  # dtype differs
    assert structural_hash(a) != structural_hash(c)
    # strided views compare by logical content
    base = np.arange(12, dtype="float32").reshape(3, 4)
    strided = tvm_ffi.from_dlpack(base[:, ::2])
    compact = tvm_ffi.from_dlpack(np.ascontiguousarray(base[:, ::2]))
    check_equal(strided, compact)


# ---- hashing -----------------------------------------------------------------------------------


def test_hash_is_an_int_and_deterministic():
    value = {"a": [1, 2.5, "s", None, True], "b": Node("n", 1)}
    h = structural_hash(value)
    assert isinstance(h, int)
    assert -(2**63) <= h < 2**63
    assert structural_hash(value) == h
    assert structural_hash({"b": Node("n", 1), "a": [1, 2.5, "s", None, True]}) == h


def test_hash_distinguishes_simple_values():
    values = [
        None,
        0,
        1,
        -1,
        0.5,
        True,
        False,
        "",
        "0",
        "a",
        b"a",
        [],
        [0],
        [[]],
        {},
        {"a": 0},
        {0: "a"},
        Node("a"),
        Node("b"),
        DAG(None),
    ]
    hashes = [structural_hash(v) for v in values]
    assert len(set(hashes)) == len(values)


def test_hash_options_and_free_vars():
    x, y = Var("x"), Var("y")
    assert structural_hash(Node("n", x), map_free_vars=True) == structural_hash(
        Node("n", y), map_free_vars=True
    )


# ---- API surface and errors --------------------------------------------------------------------


def test_top_level_aliases():
    assert tvm_ffi.structural_equal is structural_equal
    assert tvm_ffi.structural_hash is structural_hash
    assert tvm_ffi.get_first_structural_mismatch is get_first_structural_mismatch
    assert "structural_equal" not in tvm_ffi.__all__  # the 0.1.0 __all__ is unchanged


@pytest.mark.parametrize("bad", [1, None, "yes"])
def test_flags_must_be_bool(bad):
    with pytest.raises(TypeError, match="map_free_vars"):
        structural_equal(1, 1, map_free_vars=bad)
    with pytest.raises(TypeError, match="skip_tensor_content"):
        structural_hash(1, skip_tensor_content=bad)
