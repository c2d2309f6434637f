"""Structural equality and hashing of FFI values.

Two values are *structurally* equal when they have the same shape and content, compared
recursively through containers and the reflected fields of objects, instead of by identity
(which is what ``==`` on :class:`tvm_ffi.Object` does). How an object type takes part is
declared in C++ by its ``_type_s_eq_hash_kind`` and by field flags:

* tree nodes compare field by field (sharing is ignored); graph (DAG) nodes additionally
  require the sharing structure to agree; "unique instance" and unsupported types (including
  types without reflection, such as functions) compare by identity;
* free variables are equal only to themselves, unless they are bound at a *definition*
  field (``AttachFieldFlag::SEqHashDef``), where variables are paired by position, or
  ``map_free_vars=True``;
* fields flagged ``SEqHashIgnore`` are skipped by both equality and hashing.

Python lists/tuples/dicts are converted to ``Array``/``Map`` first. The functions are thin
wrappers over the global functions ``ffi.StructuralHash`` and
``ffi.GetFirstStructuralMismatch`` of the runtime.
"""

from . import _ffi_api

__all__ = ["get_first_structural_mismatch", "structural_equal", "structural_hash"]


def _check_flags(map_free_vars, skip_tensor_content):
    if not isinstance(map_free_vars, bool):
        raise TypeError("map_free_vars must be a bool, got " + type(map_free_vars).__name__)
    if not isinstance(skip_tensor_content, bool):
        raise TypeError(
            "skip_tensor_content must be a bool, got " + type(skip_tensor_content).__name__
        )


def get_first_structural_mismatch(lhs, rhs, map_free_vars=False, skip_tensor_content=False):
    """Where ``lhs`` and ``rhs`` first differ structurally.

    Parameters
    ----------
    lhs, rhs
        The values to compare.
    map_free_vars
        Pair free variables (variables not bound at a definition field) with each other.
    skip_tensor_content
        Compare tensors by dtype, shape and device only.

    Returns
    -------
    ``None`` when the values are structurally equal, else a pair
    ``(lhs_path, rhs_path)`` of :class:`tvm_ffi.access_path.AccessPath` leading to the first
    difference found (depth first, fields in reflection order). A missing element is reported
    with an ``*_MISSING`` step on the side that lacks it.
    """
    _check_flags(map_free_vars, skip_tensor_content)
    ret = _ffi_api.GetFirstStructuralMismatch(lhs, rhs, map_free_vars, skip_tensor_content)
    if ret is None:
        return None
    return (ret[0], ret[1])


def structural_equal(lhs, rhs, map_free_vars=False, skip_tensor_content=False):
    """Whether ``lhs`` and ``rhs`` are structurally equal (see the module documentation)."""
    return get_first_structural_mismatch(lhs, rhs, map_free_vars, skip_tensor_content) is None


def structural_hash(value, map_free_vars=False, skip_tensor_content=False):
    """A 64-bit hash consistent with :func:`structural_equal`, as an ``int`` that can be
    negative (the unsigned value travels as a signed 64-bit integer).

    Structurally equal values (under the same options) hash equal; ignored fields and the
    names of bound variables do not contribute.
    """
    _check_flags(map_free_vars, skip_tensor_content)
    return _ffi_api.StructuralHash(value, map_free_vars, skip_tensor_content)
