"""Access paths into object graphs (``ffi.reflection.AccessPath``)."""
from enum import IntEnum

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


@register_object("ffi.reflection.AccessStep")
class AccessStep(core.Object):
    """One step of a path: ``kind`` and ``key``."""


@register_object("ffi.reflection.AccessPath")
class AccessPath(core.Object):
    """A path from a root value through attributes, array items and map items."""

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
