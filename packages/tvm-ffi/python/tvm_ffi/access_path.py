"""Access paths into object graphs (``ffi.reflection.AccessPath``)."""

from enum import IntEnum
from typing import TYPE_CHECKING, Any

from . import core
from .registry import register_object

__all__ = ["AccessKind", "AccessPath", "AccessStep"]


class AccessKind(IntEnum):
    ATTR = 0
    ARRAY_ITEM = 1
    MAP_ITEM = 2
    ATTR_MISSING = 3
    ARRAY_ITEM_MISSING = 4
    MAP_ITEM_MISSING = 5


def _step_text(kind, key):
    """The text of one step in a rendered path (e.g. ``.name``, ``[3]``, ``['k']``)."""
    if kind == AccessKind.ATTR:
        return "." + str(key)
    if kind == AccessKind.ARRAY_ITEM:
        return "[%r]" % (key,)
    if kind == AccessKind.MAP_ITEM:
        return "[%r]" % (key,)
    if kind == AccessKind.ATTR_MISSING:
        return ".<missing %s>" % (key,)
    if kind == AccessKind.ARRAY_ITEM_MISSING:
        return "[<missing %r>]" % (key,)
    if kind == AccessKind.MAP_ITEM_MISSING:
        return "[<missing %r>]" % (key,)
    return "<unknown step %r %r>" % (kind, key)


@register_object("ffi.reflection.AccessStep")
class AccessStep(core.Object):
    """One step of a path: ``kind`` (an :class:`AccessKind` value) and ``key`` (field name,
    array index or map key)."""

    if TYPE_CHECKING:  # reflected fields of ffi.reflection.AccessStep
        kind: int
        key: Any

    def __repr__(self):
        if self.__chandle__() == 0:
            return "AccessStep(chandle=None)"
        try:
            kind = AccessKind(self.kind).name
        except ValueError:
            kind = str(self.kind)
        return "AccessStep(kind=%s, key=%r)" % (kind, self.key)


@register_object("ffi.reflection.AccessPath")
class AccessPath(core.Object):
    """A path from a root value through attributes, array items and map items.

    Paths are immutable: ``attr``, ``array_item``, ``map_item`` and the ``*_missing`` variants
    return a new, longer path whose ``parent`` is this one. ``str(path)`` renders it as
    ``<root>.field[0]['key']``; a missing element is rendered as ``.<missing name>`` or
    ``[<missing key>]``. ``==`` compares the steps (not identity).
    """

    if TYPE_CHECKING:  # reflected methods of ffi.reflection.AccessPath

        @staticmethod
        def _root() -> "AccessPath": ...
        def _path_equal(self, other: "AccessPath") -> bool: ...
        def _is_prefix_of(self, other: "AccessPath") -> bool: ...
        def _attr(self, attr_key: str) -> "AccessPath": ...
        def _attr_missing(self, attr_key: str) -> "AccessPath": ...
        def _array_item(self, index: int) -> "AccessPath": ...
        def _array_item_missing(self, index: int) -> "AccessPath": ...
        def _map_item(self, key: Any) -> "AccessPath": ...
        def _map_item_missing(self, key: Any) -> "AccessPath": ...
        def _to_steps(self) -> Any: ...

    def __init__(self):
        raise ValueError(
            "AccessPath can't be initialized directly. Use AccessPath.root() to create a path "
            "to the root object"
        )

    @staticmethod
    def root():
        """The empty path."""
        return AccessPath._root()

    def __eq__(self, other):
        if not isinstance(other, AccessPath):
            return False
        return self._path_equal(other)

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = core.Object.__hash__

    def is_prefix_of(self, other):
        """Whether this path is a prefix of ``other`` (a path is a prefix of itself)."""
        return self._is_prefix_of(other)

    def attr(self, attr_key):
        return self._attr(attr_key)

    def attr_missing(self, attr_key):
        return self._attr_missing(attr_key)

    def array_item(self, index):
        return self._array_item(index)

    def array_item_missing(self, index):
        return self._array_item_missing(index)

    def map_item(self, key):
        return self._map_item(key)

    def map_item_missing(self, key):
        return self._map_item_missing(key)

    def to_steps(self):
        """The steps from the root (root -> empty)."""
        return self._to_steps()

    def __str__(self):
        if self.__chandle__() == 0:
            return "AccessPath(chandle=None)"
        return "<root>" + "".join(_step_text(s.kind, s.key) for s in self.to_steps())

    def __repr__(self):
        if self.__chandle__() == 0:
            return "AccessPath(chandle=None)"
        return "AccessPath(%s)" % self.__str__()
