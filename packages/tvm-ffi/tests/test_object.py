"""tvm_ffi.Object, reflection-generated classes and register_object."""

import sys

import pytest

import tvm_ffi
import tvm_ffi.testing
from tvm_ffi import core, registry
from tvm_ffi.testing import create_object

# (not imported by name: pytest would try to collect classes whose names start with "Test")
IntPair = tvm_ffi.testing.TestIntPair
ObjBase = tvm_ffi.testing.TestObjectBase
ObjDerived = tvm_ffi.testing.TestObjectDerived

fecho = tvm_ffi.get_global_func("testing.echo")
use_count = tvm_ffi.get_global_func("testing.object_use_count")


def test_create_object_defaults():
    obj = create_object("testing.TestObjectBase")
    assert type(obj) is ObjBase
    assert isinstance(obj, tvm_ffi.Object)
    assert obj.v_i64 == 10
    assert obj.v_f64 == 10.0 and type(obj.v_f64) is float
    assert obj.v_str == "hello"


def test_create_object_with_values():
    obj = create_object("testing.TestObjectBase", v_i64=12, v_f64=1.5, v_str="abc")
    assert obj.v_i64 == 12
    assert obj.v_f64 == 1.5  # read-only fields may still be set at creation
    assert obj.v_str == "abc"
    assert obj.add_i64(1) == 13


def test_create_object_errors():
    with pytest.raises(TypeError, match="does not have field `no_such_field`"):
        create_object("testing.TestObjectBase", no_such_field=1)
    with pytest.raises(TypeError):
        create_object("testing.TestObjectBase", v_i64="not an int")
    with pytest.raises(RuntimeError, match="does not support reflection creation"):
        create_object("testing.TestCxxClassBase")


def test_field_setters():
    obj = create_object("testing.TestObjectBase")
    obj.v_i64 = 11
    assert obj.v_i64 == 11
    obj.v_str = "world"
    assert obj.v_str == "world"
    with pytest.raises(TypeError):
        obj.v_str = 1
    with pytest.raises(TypeError):
        obj.v_i64 = "hello"
    assert obj.v_i64 == 11 and obj.v_str == "world"
    # v_f64 is read-only
    with pytest.raises(AttributeError):
        obj.v_f64 = 2.0
    assert obj.v_f64 == 10.0
    # changes are visible through another handle to the same object
    other = fecho(obj)
    assert other.v_i64 == 11


def test_field_and_method_docs():
    assert ObjBase.v_i64.__doc__ == "i64 field"
    assert ObjBase.v_f64.__doc__ is None
    assert ObjBase.v_str.__doc__ is None
    assert ObjBase.add_i64.__doc__ == "add_i64 method"
    assert IntPair.a.__doc__ == "Field `a`"
    assert IntPair.b.__doc__ == "Field `b`"
    assert isinstance(ObjBase.v_i64, property)


def test_int_pair_ffi_init():
    p = IntPair(1, 2)
    assert p.a == 1 and p.b == 2
    assert p.sum() == 3
    assert tvm_ffi.get_global_func("testing.TestIntPairSum")(p) == 3
    # read-only fields
    with pytest.raises(AttributeError):
        p.a = 5
    assert p.a == 1
    # wrong constructor arguments
    with pytest.raises(TypeError):
        IntPair(1)
    with pytest.raises(TypeError):
        IntPair("a", 2)
    # __c_ffi_init__ is the static C++ constructor
    assert callable(IntPair.__c_ffi_init__)


def test_failed_init_leaves_safe_object():
    class Boom(IntPair):
        def __init__(self):
            raise RuntimeError("no init")

    # (the registered class for the type is unchanged by defining a Python subclass)
    with pytest.raises(RuntimeError):
        Boom()
    obj = Boom.__new__(Boom)
    assert obj.__chandle__() == 0
    assert obj.__ctypes_handle__().value is None
    assert repr(obj) == "Boom(chandle=None)"


def test_derived_object():
    with pytest.raises(TypeError, match="v_map"):
        create_object("testing.TestObjectDerived")
    v_map = tvm_ffi.convert({"a": 1})
    v_array = tvm_ffi.convert([1, 2, 3])
    obj = create_object("testing.TestObjectDerived", v_i64=20, v_map=v_map, v_array=v_array)
    assert type(obj) is ObjDerived
    assert isinstance(obj, ObjBase)
    assert isinstance(obj, tvm_ffi.Object)
    assert obj.v_i64 == 20
    assert obj.v_f64 == 10.0
    assert obj.v_str == "hello"
    assert obj.v_map.same_as(v_map)
    assert obj.v_array.same_as(v_array)
    obj.v_i64 = 21
    assert obj.v_i64 == 21
    # inherited method works on the derived object
    assert obj.add_i64(1) == 22
    # own fields are read-only
    with pytest.raises(AttributeError):
        obj.v_map = {"b": 2}


def test_isinstance_hierarchy_from_cxx():
    base = create_object("testing.TestObjectBase")
    derived = create_object("testing.TestObjectDerived", v_map={}, v_array=[])
    echoed = fecho(derived)
    assert type(echoed) is ObjDerived
    assert isinstance(echoed, ObjBase)
    assert not isinstance(base, ObjDerived)
    assert not isinstance(base, IntPair)


def test_type_info():
    info = ObjBase.__tvm_ffi_type_info__
    assert info.type_key == "testing.TestObjectBase"
    assert info.type_cls is ObjBase
    assert [f.name for f in info.fields] == ["v_i64", "v_f64", "v_str"]
    frozen = {f.name: f.frozen for f in info.fields}
    assert frozen == {"v_i64": False, "v_f64": True, "v_str": False}
    assert [m.name for m in info.methods] == ["add_i64"]
    dinfo = ObjDerived.__tvm_ffi_type_info__
    assert dinfo.parent_type_info.type_key == "testing.TestObjectBase"
    assert dinfo.parent_type_info.type_index == info.type_index
    assert info.type_index in dinfo.type_ancestors
    assert core._object_type_key_to_index("testing.TestObjectBase") == info.type_index
    assert core._object_type_key_to_index("testing.NoSuchTypeKey") is None


def test_schema_all_types_is_registered_plain_class():
    cls = tvm_ffi.testing._SchemaAllTypes
    info = cls.__tvm_ffi_type_info__
    assert info.type_key == "testing.SchemaAllTypes"
    names = [f.name for f in info.fields]
    assert names[:3] == ["v_bool", "v_int", "v_float"]
    obj = cls.make_with(3, 2.5, "s")
    assert obj.v_int == 3 and obj.v_float == 2.5 and obj.v_string == "s"
    assert obj.add_int(4) == 7
    assert list(obj.append_int([1, 2], 3)) == [1, 2, 3]
    assert obj.maybe_concat("a", None) == "a"
    assert obj.maybe_concat(None, None) is None


def test_same_as_eq_hash():
    a = IntPair(1, 2)
    b = IntPair(1, 2)
    a2 = fecho(a)
    assert a2 is not a
    assert a2.same_as(a) and a2 == a and not (a2 != a)
    assert hash(a2) == hash(a)
    assert not a.same_as(b) and a != b
    assert a != 1
    assert not (a == None)  # noqa: E711
    assert len({a, a2, b}) == 2


def test_repr():
    p = IntPair(3, 4)
    assert repr(p) == f"TestIntPair({p.__chandle__()})"
    null = IntPair.__new__(IntPair)
    assert repr(null) == "TestIntPair(chandle=None)"


def test_register_object_errors():
    with pytest.raises(TypeError, match="type_key must be a string, type, or None"):
        tvm_ffi.register_object(123)
    with pytest.raises(ValueError, match="Cannot find object type index for testing.NoSuchTypeKey"):

        @tvm_ffi.register_object("testing.NoSuchTypeKey")
        class Nope(tvm_ffi.Object):
            pass


def test_register_object_skip_unknown(monkeypatch):
    monkeypatch.setattr(registry, "_SKIP_UNKNOWN_OBJECTS", True)

    class Nope(tvm_ffi.Object):
        pass

    assert tvm_ffi.register_object("testing.NoSuchTypeKey2")(Nope) is Nope
    assert not hasattr(Nope, "__tvm_ffi_type_info__")


def test_register_object_user_attributes_win():
    @tvm_ffi.register_object("testing.TestObjectBase")
    class MyBase(tvm_ffi.Object):
        def add_i64(self, x):
            return "python-defined"

    try:
        obj = create_object("testing.TestObjectBase")
        assert type(obj) is MyBase
        assert obj.add_i64(1) == "python-defined"
        assert obj.v_i64 == 10  # reflected field still attached
    finally:
        tvm_ffi.register_object("testing.TestObjectBase")(ObjBase)
    assert type(create_object("testing.TestObjectBase")) is ObjBase


def test_unregistered_object_fallback():
    classes = set()
    for _ in range(6):
        x = tvm_ffi.testing.make_unregistered_object()
        cls = type(x)
        classes.add(cls)
        assert isinstance(x, tvm_ffi.Object)
        assert cls.__tvm_ffi_type_info__.type_key == "testing.TestUnregisteredObject"
        assert x.v1 == 41
        assert x.v2 == 42
        assert x.get_v1_plus_one() == 42
        assert x.get_v2_plus_two() == 44
        assert cls.__name__ == "TestUnregisteredObject"
        assert cls.__module__ == "testing"
        assert cls.__qualname__ == "testing.TestUnregisteredObject"
        assert "Auto-generated fallback class" in cls.__doc__
        assert "Get (v2 + 2) from TestUnregisteredObject" in cls.get_v2_plus_two.__doc__
        assert "Get (v1 + 1) from TestUnregisteredBaseObject" in cls.get_v1_plus_one.__doc__
        base = cls.__mro__[1]
        assert base.__name__ == "TestUnregisteredBaseObject"
        assert isinstance(x, base)
    assert len(classes) == 1


def test_opaque_object():
    class Payload:
        pass

    p = Payload()
    base = sys.getrefcount(p)
    wrapped = tvm_ffi.convert(p)
    assert isinstance(wrapped, core.OpaquePyObject)
    assert isinstance(wrapped, tvm_ffi.Object)
    assert wrapped.pyobject() is p
    assert sys.getrefcount(p) == base + 1
    assert use_count(wrapped) == 1
    assert fecho(wrapped) is p
    del wrapped
    assert sys.getrefcount(p) == base


def test_opaque_object_type_error():
    class Payload:
        pass

    with pytest.raises(TypeError) as e:
        tvm_ffi.testing.add_one(Payload())
    assert (
        "Mismatched type on argument #0 when calling: `testing.add_one(0: int) -> int`. "
        "Expected `int` but got `ffi.OpaquePyObject`"
    ) in str(e.value)
    assert tvm_ffi.testing.add_one(1) == 2


def test_object_protocol():
    inner = IntPair(5, 6)

    class Wrapper:
        def __tvm_ffi_object__(self):
            return inner

    back = fecho(Wrapper())
    assert type(back) is IntPair
    assert back.__chandle__() == inner.__chandle__()
    assert tvm_ffi.get_global_func("testing.TestIntPairSum")(Wrapper()) == 11


def test_object_convertible():
    class MyConv(tvm_ffi.ObjectConvertible):
        def asobject(self):
            return IntPair(7, 8)

    c = tvm_ffi.convert(MyConv())
    assert type(c) is IntPair and c.a == 7
    assert fecho(MyConv()).b == 8
    with pytest.raises(NotImplementedError):
        tvm_ffi.ObjectConvertible().asobject()


def test_move_handle_from():
    a = IntPair(1, 2)
    h = a.__chandle__()
    b = IntPair.__new__(IntPair)
    b.__move_handle_from__(a)
    assert a.__chandle__() == 0
    assert b.__chandle__() == h
    assert b.a == 1
    assert use_count(b) == 1


def test_python_subclass_multiple_inheritance_and_slots():
    class Mixin:
        def describe(self):
            return f"pair({self.a}, {self.b})"

    class Slotted(IntPair):
        __slots__ = ()

    class Mixed(IntPair, Mixin):
        pass

    s = Slotted(1, 2)
    m = Mixed(3, 4)
    assert s.sum() == 3
    assert m.describe() == "pair(3, 4)"
    assert isinstance(m, IntPair)


def test_object_lifetime_with_python_refs():
    obj = create_object("testing.TestObjectBase")
    assert use_count(obj) == 1
    others = [fecho(obj) for _ in range(5)]
    assert use_count(obj) == 6
    del others
    assert use_count(obj) == 1


def test_pickle_registered_objects():
    import pickle

    p = pickle.loads(pickle.dumps(IntPair(1, 2)))
    assert type(p) is IntPair
    assert (p.a, p.b) == (1, 2)
    o = create_object("testing.TestObjectBase", v_i64=5, v_str="pickled")
    q = pickle.loads(pickle.dumps(o))
    assert type(q) is ObjBase
    assert (q.v_i64, q.v_f64, q.v_str) == (5, 10.0, "pickled")
    assert not q.same_as(o)
    null = pickle.loads(pickle.dumps(IntPair.__new__(IntPair)))
    assert null.__chandle__() == 0
