"""Test helpers backed by the C++ testing library ``libtvm_ffi_testing``.

Importing this module loads ``libtvm_ffi_testing`` (once per process), whose load registers
every ``testing.*`` global function and object type, then defines the Python classes for some
of those types. ``import tvm_ffi`` does not import it: the core imports it on demand, the first
time a ``testing.*`` global is looked up and missing, or when ``tvm_ffi.testing`` is accessed
(see ``tvm_ffi/_plugins/tvm_ffi_testing.txt``).

Contents:

* ``TestObjectBase``, ``TestObjectDerived``, ``TestIntPair``: ``register_object`` classes.
* ``_SchemaAllTypes``: a plain class registered for ``testing.SchemaAllTypes``.
* ``TestSVar``, ``TestSNode``, ``TestSFunc``, ``TestSDAGNode``: types with structural
  equality kinds (FreeVar, TreeNode with a definition field, DAGNode) for ``tvm_ffi.structural``.
* ``_TestCxxClassBase``, ``_TestCxxClassDerived``, ``_TestCxxClassDerivedDerived``,
  ``_TestCxxInitSubset``: ``tvm_ffi.dataclasses.c_class`` proxies (only when
  ``tvm_ffi.dataclasses`` is available).
* ``create_object``, ``make_unregistered_object``, ``add_one``: function helpers.

``testing.TestUnregisteredBaseObject`` and ``testing.TestUnregisteredObject`` deliberately get
no class here, so that the core's fallback classes are exercised.
"""

import ctypes
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Optional

from .. import libinfo
from ..core import Object
from ..registry import get_global_func, register_object

# ------------------------------------------------------------------------------------------------
# Loading the library
# ------------------------------------------------------------------------------------------------

_LIB_BASENAME = "tvm_ffi_testing"


def _library_file_names() -> list[str]:
    if sys.platform.startswith("win32"):
        return [f"{_LIB_BASENAME}.dll"]
    if sys.platform.startswith("darwin"):
        return [f"lib{_LIB_BASENAME}.dylib", f"lib{_LIB_BASENAME}.so"]
    return [f"lib{_LIB_BASENAME}.so"]


def _find_library() -> str:
    """Path of the testing library: the one installed with this module (``tvm_ffi/lib``), else
    wherever the core's search rules find it (build trees, library search paths)."""
    package_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for name in _library_file_names():
        candidate = os.path.join(package_dir, "lib", name)
        if os.path.isfile(candidate):
            return candidate
    return libinfo.find_library_by_basename(_LIB_BASENAME)


def _runtime_has_global(name: str) -> bool:
    """Whether the runtime already knows global ``name``, asked through the C API directly so
    that no plugin lookup (which would import this very module) is triggered."""
    try:
        runtime = ctypes.CDLL(libinfo.find_libtvm_ffi(), mode=ctypes.RTLD_GLOBAL)
    except (OSError, RuntimeError):
        return False

    class _ByteArray(ctypes.Structure):
        _fields_ = [("data", ctypes.c_char_p), ("size", ctypes.c_size_t)]

    encoded = name.encode("utf-8")
    handle = ctypes.c_void_p()
    get_global = runtime.TVMFFIFunctionGetGlobal
    get_global.argtypes = [ctypes.POINTER(_ByteArray), ctypes.POINTER(ctypes.c_void_p)]
    get_global.restype = ctypes.c_int
    if get_global(ctypes.byref(_ByteArray(encoded, len(encoded))), ctypes.byref(handle)) != 0:
        return False
    if handle.value is None:
        return False
    dec_ref = runtime.TVMFFIObjectDecRef
    dec_ref.argtypes = [ctypes.c_void_p]
    dec_ref.restype = ctypes.c_int
    dec_ref(handle)
    return True


def _load_library() -> Optional[ctypes.CDLL]:
    """Load libtvm_ffi_testing unless its globals are already registered in this process (for
    instance by a host program that linked it)."""
    if _runtime_has_global("testing.echo"):
        return None
    path = _find_library()
    lib = ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)
    registration_error = lib.TVMFFITestingRegistrationError
    registration_error.argtypes = []
    registration_error.restype = ctypes.c_char_p
    message = registration_error()
    if message is not None:
        raise RuntimeError(
            f"{path} failed to register the testing functions and types: "
            f"{message.decode('utf-8', errors='replace')}"
        )
    return lib


_LIB = _load_library()

# ------------------------------------------------------------------------------------------------
# Classes
# ------------------------------------------------------------------------------------------------


@register_object("testing.TestObjectBase")
class TestObjectBase(Object):
    """Python class of ``testing.TestObjectBase`` (fields ``v_i64``, ``v_f64``, ``v_str``;
    method ``add_i64``)."""

    if TYPE_CHECKING:
        v_i64: int
        v_f64: float
        v_str: str

        def add_i64(self, _1: int, /) -> int: ...


@register_object("testing.TestIntPair")
class TestIntPair(Object):
    """Python class of ``testing.TestIntPair``: an immutable pair of ints ``a`` and ``b``."""

    if TYPE_CHECKING:
        a: int
        b: int

        @staticmethod
        def __c_ffi_init__(_0: int, _1: int, /) -> Object: ...

        def sum(self) -> int: ...

    def __init__(self, a: int, b: int) -> None:
        self.__ffi_init__(a, b)


@register_object("testing.TestObjectDerived")
class TestObjectDerived(TestObjectBase):
    """Python class of ``testing.TestObjectDerived`` (adds ``v_map`` and ``v_array``)."""

    if TYPE_CHECKING:
        v_map: dict[Any, Any]
        v_array: list[Any]


@register_object("testing.SchemaAllTypes")
class _SchemaAllTypes:
    """Class of ``testing.SchemaAllTypes``, a type with one field per kind of type schema.

    It is deliberately a plain class (not an ``Object`` subclass in its source):
    ``register_object`` accepts any class.
    """


# Structural equality / serialization test types (src/testing_structural.cc).


@register_object("testing.TestSVar")
class TestSVar(Object):
    """A variable (structural kind FreeVar); its ``name`` is not compared."""

    if TYPE_CHECKING:
        name: str

    def __init__(self, name: str = "") -> None:
        self.__ffi_init__(name)


@register_object("testing.TestSNode")
class TestSNode(Object):
    """A tree node (kind TreeNode): ``tag``, ``value``, ``children``; ``comment`` is ignored."""

    if TYPE_CHECKING:
        tag: str
        value: Any
        children: Sequence[Any]
        comment: Optional[str]

    def __init__(
        self,
        tag: str,
        value: Any = None,
        children: Sequence[Any] = (),
        comment: Optional[str] = None,
    ) -> None:
        self.__ffi_init__(tag, value, list(children), comment)


@register_object("testing.TestSFunc")
class TestSFunc(Object):
    """A function (kind TreeNode) whose ``params`` bind the variables of its ``body``."""

    if TYPE_CHECKING:
        params: Sequence[TestSVar]
        body: Any
        comment: Optional[str]

    def __init__(
        self, params: Sequence[TestSVar], body: Any, comment: Optional[str] = None
    ) -> None:
        self.__ffi_init__(list(params), body, comment)


@register_object("testing.TestSDAGNode")
class TestSDAGNode(Object):
    """A graph node (kind DAGNode): sharing of nodes is part of the structure."""

    if TYPE_CHECKING:
        value: Any
        children: Sequence[Any]

    def __init__(self, value: Any = None, children: Sequence[Any] = ()) -> None:
        self.__ffi_init__(value, list(children))


# The c_class demo types need tvm_ffi.dataclasses; without it they are simply not defined.
try:
    from ..dataclasses import c_class, field
except ImportError:  # pragma: no cover - depends on the core package's version
    c_class = None  # type: ignore[assignment]

if c_class is not None:

    @c_class("testing.TestCxxClassBase")
    class _TestCxxClassBase:
        """``testing.TestCxxClassBase`` with a custom ``__init__`` that shifts both values."""

        v_i64: int
        v_i32: int
        not_field_1 = 1
        not_field_2: ClassVar[int] = 2

        def __init__(self, v_i64: int, v_i32: int) -> None:
            self.__ffi_init__(v_i64 + 1, v_i32 + 2)  # type: ignore[attr-defined]  # by c_class

    @c_class("testing.TestCxxClassDerived")
    class _TestCxxClassDerived(_TestCxxClassBase):
        """``testing.TestCxxClassDerived`` with a Python-side default for ``v_f32``."""

        v_f64: float
        v_f32: float = 8

    @c_class("testing.TestCxxClassDerivedDerived")
    class _TestCxxClassDerivedDerived(_TestCxxClassDerived):
        """``testing.TestCxxClassDerivedDerived`` with a ``default_factory`` for ``v_str``."""

        v_str: str = field(default_factory=lambda: "default")
        v_bool: bool  # type: ignore[misc]  # c_class puts required fields before defaulted ones

    @c_class("testing.TestCxxInitSubset")
    class _TestCxxInitSubset:
        """``testing.TestCxxInitSubset``: only ``required_field`` is an ``__init__`` parameter."""

        required_field: int
        optional_field: int = field(init=False)
        note: str = field(default_factory=lambda: "py-default", init=False)


# ------------------------------------------------------------------------------------------------
# Functions
# ------------------------------------------------------------------------------------------------


def create_object(type_key: str, **kwargs: Any) -> Object:
    """Create an object of ``type_key`` through reflection.

    Fields given as keyword arguments are set in that order; the others take their reflection
    defaults (a field without default and not given is a ``TypeError``).

    Parameters
    ----------
    type_key
        The type key, e.g. ``"testing.TestObjectBase"``.
    kwargs
        Field values by field name.

    Returns
    -------
    The new object.
    """
    args: list[Any] = [type_key]
    for key, value in kwargs.items():
        args.append(key)
        args.append(value)
    return get_global_func("ffi.MakeObjectFromPackedArgs")(*args)


def make_unregistered_object() -> Object:
    """Return a ``testing.TestUnregisteredObject`` (``v1 = 41``, ``v2 = 42``), a type for which
    no Python class is registered."""
    return get_global_func("testing.make_unregistered_object")()


def add_one(x: int) -> int:
    """Return ``x + 1``, computed by the typed C++ global ``testing.add_one``."""
    return get_global_func("testing.add_one")(x)
