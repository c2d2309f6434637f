"""The FFI containers: ``Array`` and ``Map`` (immutable), ``List`` and ``Dict`` (mutable).

All four compare and hash structurally (element by element, type-sensitive); identity is
``same_as``. ``List`` and ``Dict`` are shared references: a mutation through any Python proxy
or C++ holder is seen by all of them.
"""

import collections.abc
import operator
from typing import TYPE_CHECKING, Any

from . import _ffi_api, _structural_ops, core
from .registry import register_object

__all__ = ["Array", "Dict", "List", "Map"]

# default of ``get`` inside ItemsView.__contains__: no FFI value is this object
_ABSENT = object()


def getitem_helper(obj, elem_getter, length, idx):
    """Index helper: negative indices, slices (-> list), range and type checks."""
    if isinstance(idx, slice):
        start, stop, step = idx.indices(length)
        return [elem_getter(obj, i) for i in range(start, stop, step)]
    return elem_getter(obj, _normalize_index(idx, length))


def _as_index(idx):
    if isinstance(idx, int):
        return idx
    if not hasattr(type(idx), "__index__"):
        raise TypeError("indices must be integers or slices, not " + type(idx).__name__)
    return operator.index(idx)


def _normalize_index(idx, length):
    """A Python-style index (negative counts from the end) as a position in [0, length)."""
    idx = _as_index(idx)
    pos = idx + length if idx < 0 else idx
    if pos < 0 or pos >= length:
        raise IndexError("Index out of range. size: %d, got index %d" % (length, idx))
    return pos


def _repr_print(value):
    """``ffi.ReprPrint`` text: ``[1, "a"]``, ``{"k": (1, 2)}``, ``...`` for a cycle."""
    if value.__chandle__() == 0:
        return type(value).__name__ + "(chandle=None)"
    return str(_ffi_api.ReprPrint(value))


def _same_family(self, other, base):
    """Whether ``other`` is a ``base`` whose class is ``type(self)``'s or related to it."""
    return isinstance(other, base) and (
        isinstance(other, type(self)) or isinstance(self, type(other))
    )


# the mixins below are completed by the classes that use them (type checkers see Any)
_MixinBase: Any = object
if TYPE_CHECKING:
    _MixinBase = Any


class _SequenceOps(_MixinBase):
    """Structural ``==``, ``hash``, ``in``, ``deepcopy``, ``bool`` and ``+`` of Array and List."""

    __slots__ = ()
    _family: type

    def _contains(self, value):
        return _structural_ops.array_contains(self, value)

    def __eq__(self, other):
        if _same_family(self, other, self._family):
            return _structural_ops.recursive_eq(self, other)
        if isinstance(other, (str, bytes, bytearray, collections.abc.Mapping)) or not isinstance(
            other, collections.abc.Sequence
        ):
            return NotImplemented
        try:
            converted = type(self)(other)
        except Exception:
            return NotImplemented
        return _structural_ops.recursive_eq(self, converted)

    def __ne__(self, other):
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self):
        return _structural_ops.recursive_hash(self)

    def __contains__(self, value):
        if self._contains(value):
            return True
        if isinstance(value, (str, bytes, bytearray)) or not isinstance(
            value, collections.abc.Sequence
        ):
            return False
        try:
            converted = type(self)(value)
        except Exception:
            return False
        return any(converted == item for item in self)

    def __bool__(self):
        return len(self) > 0

    def __deepcopy__(self, memo):
        return _structural_ops.deep_copy(self)

    def __add__(self, other):
        return type(self)(list(self) + list(other))

    def __radd__(self, other):
        return type(self)(list(other) + list(self))


@register_object("ffi.Array")
class Array(_SequenceOps, core.Object, collections.abc.Sequence):
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


Array._family = Array


@register_object("ffi.List")
class List(_SequenceOps, core.Object, collections.abc.MutableSequence):
    """A mutable FFI list with shared-reference semantics.

    ``convert(list)`` and list arguments still produce an ``Array``; build a ``List``
    explicitly. A ``List`` passed to a function that mutates it is mutated for the caller.

    Examples
    --------
    .. code-block:: python

        lst = tvm_ffi.List([1, 2])
        lst.append(3)
        lst[0:1] = [7, 8]
        assert list(lst) == [7, 8, 2, 3]
    """

    __slots__ = ()

    def _contains(self, value):
        return _structural_ops.list_contains(self, value)

    def __init__(self, input_list=()):
        self.__init_handle_by_constructor__(_ffi_api.List, *input_list)

    def __len__(self):
        return _ffi_api.ListSize(self)

    def __getitem__(self, idx):
        return getitem_helper(self, _ffi_api.ListGetItem, len(self), idx)

    def __iter__(self):
        # the length is read once: elements appended while iterating are not visited
        for i in range(len(self)):
            yield _ffi_api.ListGetItem(self, i)

    def __setitem__(self, idx, value):
        length = len(self)
        if not isinstance(idx, slice):
            _ffi_api.ListSetItem(self, _normalize_index(idx, length), value)
            return
        start, stop, step = idx.indices(length)
        if step == 1:
            _ffi_api.ListReplaceSlice(self, start, max(stop, start), list(value))
            return
        positions = range(start, stop, step)
        items = list(value)
        if len(items) != len(positions):
            raise ValueError(
                "attempt to assign sequence of size %d to extended slice of size %d"
                % (len(items), len(positions))
            )
        for pos, item in zip(positions, items):
            _ffi_api.ListSetItem(self, pos, item)

    def __delitem__(self, idx):
        length = len(self)
        if not isinstance(idx, slice):
            _ffi_api.ListErase(self, _normalize_index(idx, length))
            return
        start, stop, step = idx.indices(length)
        if step == 1:
            _ffi_api.ListEraseRange(self, start, max(stop, start))
            return
        for pos in sorted(range(start, stop, step), reverse=True):
            _ffi_api.ListErase(self, pos)

    def insert(self, index, value):
        """Insert ``value`` before ``index`` (clamped to the ends, like ``list.insert``)."""
        length = len(self)
        index = _as_index(index)
        if index < 0:
            index = max(0, index + length)
        _ffi_api.ListInsert(self, min(index, length), value)

    def append(self, value):
        """Append ``value`` at the end."""
        _ffi_api.ListAppend(self, value)

    def extend(self, values):
        """Append every element of the iterable ``values``."""
        end = len(self)
        self[end:end] = values

    def pop(self, index=-1):
        """Remove and return the element at ``index`` (default: the last one)."""
        length = len(self)
        if length == 0:
            raise IndexError("pop from empty list")
        return _ffi_api.ListPop(self, _normalize_index(index, length))

    def clear(self):
        """Remove every element."""
        _ffi_api.ListClear(self)

    def reverse(self):
        """Reverse the elements in place."""
        _ffi_api.ListReverse(self)

    def __repr__(self):
        return _repr_print(self)


List._family = List


class _MapView:
    """Shared part of the Map/Dict views: iteration through the map's forward-iterator functor.

    ``iter_functor_getter(mapping)`` returns a function of one command (0: current key,
    1: current value, 2: advance and say whether an entry remains); ``None`` means
    ``ffi.MapForwardIterFunctor``.
    """

    _mapping: collections.abc.Mapping

    def __init__(self, backend, iter_functor_getter=None):
        super().__init__(backend)  # type: ignore[call-arg]
        self._iter_functor_getter = (
            iter_functor_getter
            if iter_functor_getter is not None
            else _ffi_api.MapForwardIterFunctor
        )

    def _entries(self, project):
        # the size is read once; the functor reports the end when entries disappear meanwhile
        size = len(self._mapping)
        if size == 0:
            return
        functor = self._iter_functor_getter(self._mapping)
        for _ in range(size):
            yield project(functor)
            if not functor(2):
                return


class KeysView(_MapView, collections.abc.KeysView):
    """Keys of a ``Map`` or ``Dict`` in insertion order."""

    def __iter__(self):
        return self._entries(lambda f: f(0))


class ValuesView(_MapView, collections.abc.ValuesView):
    """Values of a ``Map`` or ``Dict`` in insertion order."""

    def __iter__(self):
        return self._entries(lambda f: f(1))


class ItemsView(_MapView, collections.abc.ItemsView):
    """(key, value) pairs of a ``Map`` or ``Dict`` in insertion order."""

    def __iter__(self):
        return self._entries(lambda f: (f(0), f(1)))

    def __contains__(self, item):
        try:
            key, value = item
        except (TypeError, ValueError):
            return False
        found = self._mapping.get(key, _ABSENT)
        return found is not _ABSENT and (found is value or found == value)


class _MappingOps(_MixinBase):
    """Structural ``==``/``hash``, ``deepcopy``, ``bool`` and views of Map and Dict."""

    __slots__ = ()
    _family: type

    @staticmethod
    def _iter_functor(backend):
        return _ffi_api.MapForwardIterFunctor(backend)

    def _get_or_missing(self, key):
        return _ffi_api.MapGetItemOrMissing(self, key)

    def __eq__(self, other):
        if not _same_family(self, other, self._family):
            return NotImplemented
        return _structural_ops.recursive_eq(self, other)

    def __ne__(self, other):
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self):
        return _structural_ops.recursive_hash(self)

    def __bool__(self):
        return len(self) > 0

    def __deepcopy__(self, memo):
        return _structural_ops.deep_copy(self)

    def __iter__(self):
        return iter(self.keys())

    def keys(self):
        return KeysView(self, self._iter_functor)

    def values(self):
        return ValuesView(self, self._iter_functor)

    def items(self):
        return ItemsView(self, self._iter_functor)

    def get(self, key, default=None):
        found = self._get_or_missing(key)
        if isinstance(found, core.Object) and found.same_as(_missing()):
            return default
        return found


_MISSING_HOLDER: list = []


def _missing():
    """The runtime's "missing" sentinel returned by the ``*GetItemOrMissing`` functions."""
    if not _MISSING_HOLDER:
        _MISSING_HOLDER.append(_ffi_api.GetInvalidObject())
    return _MISSING_HOLDER[0]


@register_object("ffi.Map")
class Map(_MappingOps, core.Object, collections.abc.Mapping):
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

    def __repr__(self):
        if self.__chandle__() == 0:
            return type(self).__name__ + "(chandle=None)"
        return "{" + ", ".join(["%r: %r" % (k, v) for k, v in self.items()]) + "}"


Map._family = Map


@register_object("ffi.Dict")
class Dict(_MappingOps, core.Object, collections.abc.MutableMapping):
    """A mutable FFI dict (insertion ordered) with shared-reference semantics.

    Examples
    --------
    .. code-block:: python

        d = tvm_ffi.Dict({"a": 1})
        d["b"] = 2
        assert list(d) == ["a", "b"] and d.pop("a") == 1
    """

    __slots__ = ()

    @staticmethod
    def _iter_functor(backend):
        return _ffi_api.DictForwardIterFunctor(backend)

    def _get_or_missing(self, key):
        return _ffi_api.DictGetItemOrMissing(self, key)

    def __init__(self, input_dict=None):
        list_kvs = []
        if input_dict is not None:
            for k, v in input_dict.items():
                list_kvs.append(k)
                list_kvs.append(v)
        self.__init_handle_by_constructor__(_ffi_api.Dict, *list_kvs)

    def __getitem__(self, k):
        return _ffi_api.DictGetItem(self, k)

    def __setitem__(self, k, v):
        _ffi_api.DictSetItem(self, k, v)

    def __delitem__(self, k):
        if _ffi_api.DictCount(self, k) == 0:
            raise KeyError(k)
        _ffi_api.DictErase(self, k)

    def __contains__(self, k):
        return _ffi_api.DictCount(self, k) != 0

    def __len__(self):
        return _ffi_api.DictSize(self)

    def pop(self, key, *default):
        """Remove ``key`` and return its value; ``default`` (if given) when it is absent."""
        if len(default) > 1:
            raise TypeError("pop expected at most 2 arguments, got %d" % (1 + len(default)))
        found = self.get(key, _ABSENT)
        if found is _ABSENT:
            if default:
                return default[0]
            raise KeyError(key)
        _ffi_api.DictErase(self, key)
        return found

    def clear(self):
        """Remove every entry."""
        _ffi_api.DictClear(self)

    def update(self, mapping):  # type: ignore[override]
        """Set every ``(key, value)`` of ``mapping.items()``."""
        for k, v in mapping.items():
            self[k] = v

    def __repr__(self):
        return _repr_print(self)


Dict._family = Dict
