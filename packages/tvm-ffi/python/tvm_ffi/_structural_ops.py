"""Structural operations of the containers, backed by the runtime's global functions.

``Array``/``List``/``Map``/``Dict`` compare, hash, deep-copy and test membership structurally
through these global functions of the runtime:

* ``ffi.RecursiveEq(a, b) -> bool`` (type-sensitive: ``1``, ``True`` and ``1.0`` differ;
  NaN equals NaN; maps compare independently of insertion order)
* ``ffi.RecursiveHash(a) -> int`` (consistent with ``ffi.RecursiveEq``)
* ``ffi.DeepCopy(a) -> Any`` (deep, keeps shared sub-objects shared)
* ``ffi.ArrayContains(arr, v) -> bool`` / ``ffi.ListContains(lst, v) -> bool``

Each function is looked up when first needed (and cached once found). A runtime that lacks
one raises ``NotImplementedError`` naming the missing global function.
"""

from typing import Any, Callable

from . import registry

_FOUND: dict[str, Callable[..., Any]] = {}


def is_available(name: str) -> bool:
    """Whether the runtime registers the global function ``name``."""
    return _lookup(name) is not None


def _lookup(name: str):
    func = _FOUND.get(name)
    if func is None:
        func = registry.get_global_func(name, allow_missing=True)
        if func is not None:
            _FOUND[name] = func
    return func


def _require(name: str, operation: str):
    func = _lookup(name)
    if func is None:
        raise NotImplementedError(
            "%s needs the global function %s, which this tvm_ffi runtime does not register"
            % (operation, name)
        )
    return func


def recursive_eq(lhs: Any, rhs: Any) -> bool:
    """Structural equality of two FFI values."""
    return bool(_require("ffi.RecursiveEq", "structural container equality")(lhs, rhs))


def recursive_hash(value: Any) -> int:
    """Structural hash of an FFI value."""
    return int(_require("ffi.RecursiveHash", "structural container hashing")(value))


def deep_copy(value: Any) -> Any:
    """A deep copy of an FFI value (shared sub-objects stay shared in the copy)."""
    return _require("ffi.DeepCopy", "deep copy of a container")(value)


def array_contains(arr: Any, value: Any) -> bool:
    """Whether an element of ``arr`` structurally equals ``value``."""
    return bool(_require("ffi.ArrayContains", "Array membership test")(arr, value))


def list_contains(lst: Any, value: Any) -> bool:
    """Whether an element of ``lst`` structurally equals ``value``."""
    return bool(_require("ffi.ListContains", "List membership test")(lst, value))
