"""``Array`` and ``Map`` (python_api.md sections 3.6, 3.7)."""

import collections.abc
from typing import TYPE_CHECKING

from . import _ffi_api, core
from .registry import register_object

__all__ = ["Array", "Map"]


def getitem_helper(obj, elem_getter, length, idx):
    """Index helper: negative indices, slices (-> list), range and type checks."""
    if isinstance(idx, slice):
        start, stop, step = idx.indices(length)
        return [elem_getter(obj, i) for i in range(start, stop, step)]
    if not isinstance(idx, int) or isinstance(idx, bool):
        raise TypeError("indices must be integers or slices, not " + type(idx).__name__)
    orig = idx
    if idx < 0:
        idx += length
    if idx < 0 or idx >= length:
        raise IndexError("Index out of range. size: %d, got index %d" % (length, orig))
    return elem_getter(obj, idx)


@register_object("ffi.Array")
class Array(core.Object, collections.abc.Sequence):
    """An immutable FFI array; elements are converted to Python when read.

    Examples
    --------
    .. code-block:: python

        arr = tvm_ffi.Array([1, 2, 3])
        assert arr[-1] == 3 and len(arr) == 3
    """

    __slots__ = ()

    def __init__(self, input_list):
        self.__init_handle_by_constructor__(_ffi_api.Array, *input_list)

    __getitem__ = core._array_getitem
    __len__ = core._array_len
    __iter__ = core._array_iter

    def __repr__(self):
        if self.__chandle__() == 0:
            return type(self).__name__ + "(chandle=None)"
        return "[" + ", ".join([repr(x) for x in self]) + "]"

    def __add__(self, other):
        return type(self)(list(self) + list(other))

    def __radd__(self, other):
        return type(self)(list(other) + list(self))


def _map_entries(mapping, project):
    """Yield project(functor) for each entry of a Map, in insertion order."""
    if len(mapping) == 0:
        return
    functor = _ffi_api.MapForwardIterFunctor(mapping)
    while True:
        yield project(functor)
        if not functor(2):
            break


class KeysView(collections.abc.KeysView):
    """Keys of a ``Map`` in insertion order."""

    if TYPE_CHECKING:
        _mapping: "Map"  # set by the Mapping base class

    def __iter__(self):
        return _map_entries(self._mapping, lambda f: f(0))


class ValuesView(collections.abc.ValuesView):
    """Values of a ``Map`` in insertion order."""

    if TYPE_CHECKING:
        _mapping: "Map"  # set by the Mapping base class

    def __iter__(self):
        return _map_entries(self._mapping, lambda f: f(1))


class ItemsView(collections.abc.ItemsView):
    """(key, value) pairs of a ``Map`` in insertion order."""

    if TYPE_CHECKING:
        _mapping: "Map"  # set by the Mapping base class

    def __iter__(self):
        return _map_entries(self._mapping, lambda f: (f(0), f(1)))


@register_object("ffi.Map")
class Map(core.Object, collections.abc.Mapping):
    """An immutable FFI map (insertion ordered).

    Examples
    --------
    .. code-block:: python

        m = tvm_ffi.Map({"a": 1, "b": 2})
        assert m["a"] == 1 and "b" in m
    """

    __slots__ = ()

    def __init__(self, input_dict):
        list_kvs = []
        for k, v in input_dict.items():
            list_kvs.append(k)
            list_kvs.append(v)
        self.__init_handle_by_constructor__(_ffi_api.Map, *list_kvs)

    def __getitem__(self, k):
        return _ffi_api.MapGetItem(self, k)

    def __contains__(self, k):
        return _ffi_api.MapCount(self, k) != 0

    def __len__(self):
        return _ffi_api.MapSize(self)

    def __iter__(self):
        return iter(self.keys())

    def keys(self):
        return KeysView(self)

    def values(self):
        return ValuesView(self)

    def items(self):
        return ItemsView(self)

    def get(self, key, default=None):
        if key in self:
            return self[key]
        return default

    def __repr__(self):
        if self.__chandle__() == 0:
            return type(self).__name__ + "(chandle=None)"
        return "{" + ", ".join(["%r: %r" % (k, v) for k, v in self.items()]) + "}"
