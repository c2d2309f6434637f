"""The structural-equality test types of the testing library (src/testing_structural.cc):
registration, reflection records, creators, constructors and their Python classes."""

import pytest

import tvm_ffi
import tvm_ffi.testing as ft
from tvm_ffi.core import TypeSchema, _lookup_or_register_type_info_from_type_key
from tvm_ffi.registry import list_global_func_names
from tvm_ffi.structural import structural_equal, structural_hash

TYPES = {
    # type key: (Python class, [(field, schema, doc)])
    "testing.TestSVar": (ft.TestSVar, [("name", "str", "display name (not compared)")]),
    "testing.TestSNode": (
        ft.TestSNode,
        [
            ("tag", "str", "node tag"),
            ("value", "Any", "payload"),
            ("children", "list[Any]", "child values"),
            ("comment", "str | None", "free text (not compared)"),
        ],
    ),
    "testing.TestSFunc": (
        ft.TestSFunc,
        [
            ("params", "list[testing.TestSVar]", "parameters (definition point)"),
            ("body", "Any", "body"),
            ("comment", "str | None", "free text (not compared)"),
        ],
    ),
    "testing.TestSDAGNode": (
        ft.TestSDAGNode,
        [
            ("value", "Any", "payload"),
            ("children", "list[Any]", "child values"),
        ],
    ),
}


@pytest.mark.parametrize("type_key", sorted(TYPES))
def test_reflection_records(type_key):
    cls, expected = TYPES[type_key]
    info = _lookup_or_register_type_info_from_type_key(type_key)
    assert info.type_cls is cls
    assert info.parent_type_info.type_key == "ffi.Object"
    got = [
        (f.name, str(TypeSchema.from_json_str(f.metadata["type_schema"])), f.doc)
        for f in info.fields
    ]
    assert got == expected
    assert all(f.frozen for f in info.fields)  # read-only from Python
    (init,) = [m for m in info.methods if m.name == "__ffi_init__"]
    assert init.is_static
    params = TypeSchema.from_json_str(init.metadata["type_schema"]).args[1:]
    assert [str(p) for p in params] == [schema for _, schema, _ in expected]


@pytest.mark.parametrize("type_key", sorted(TYPES))
def test_reflection_creation_with_defaults(type_key):
    obj = ft.create_object(type_key)
    cls, expected = TYPES[type_key]
    assert type(obj) is cls
    for name, _, _ in expected:
        value = getattr(obj, name)
        assert value in ("", None) or len(value) == 0


def test_python_constructors():
    x = ft.TestSVar("x")
    assert x.name == "x" and ft.TestSVar().name == ""
    node = ft.TestSNode("t", 1, [x, "s"], comment="c")
    assert (node.tag, node.value, node.comment) == ("t", 1, "c")
    assert node.children[0].same_as(x) and node.children[1] == "s"
    assert isinstance(node.children, tvm_ffi.Array)
    func = ft.TestSFunc([x], node)
    assert func.params[0].same_as(x) and func.body.same_as(node) and func.comment is None
    dag = ft.TestSDAGNode(None, (node, node))
    assert dag.children[0].same_as(dag.children[1])


def test_fields_are_read_only_and_typed():
    node = ft.TestSNode("t")
    with pytest.raises(AttributeError):
        node.tag = "u"
    with pytest.raises(TypeError):
        ft.TestSNode(1)  # tag must be a str
    with pytest.raises(TypeError):
        ft.TestSFunc([1], None)  # params must be variables
    with pytest.raises(TypeError):
        ft.TestSNode("t", None, 5)  # children must be iterable


def test_structural_kinds_through_behaviour():
    # FreeVar: a variable equals only itself, unless free variables may be mapped
    assert not structural_equal(ft.TestSVar("a"), ft.TestSVar("a"))
    assert structural_equal(ft.TestSVar("a"), ft.TestSVar("b"), map_free_vars=True)
    # TreeNode with an ignored field
    assert structural_equal(ft.TestSNode("t", comment="1"), ft.TestSNode("t", comment="2"))
    # definition field: parameters are mapped by position
    a, b = ft.TestSVar("a"), ft.TestSVar("b")
    assert structural_equal(ft.TestSFunc([a], a), ft.TestSFunc([b], b))
    assert structural_hash(ft.TestSFunc([a], a)) == structural_hash(ft.TestSFunc([b], b))
    # DAGNode: sharing matters
    leaf = ft.TestSDAGNode(1)
    assert not structural_equal(
        ft.TestSDAGNode(0, [leaf, leaf]),
        ft.TestSDAGNode(0, [ft.TestSDAGNode(1), ft.TestSDAGNode(1)]),
    )


def test_no_new_global_functions():
    # the structural test types register no `testing.*` global (the set is fixed at 45)
    names = [n for n in list_global_func_names() if n.startswith("testing.")]
    assert len(names) == 45
    assert not any("TestS" in n and n != "testing.TestIntPairSum" for n in names)
