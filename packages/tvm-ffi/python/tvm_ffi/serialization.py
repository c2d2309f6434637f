"""Object graphs to and from JSON text."""

from . import _ffi_api

__all__ = ["from_json_graph_str", "to_json_graph_str"]


def to_json_graph_str(obj, metadata=None):
    """Dump ``obj`` (shared nodes preserved) to a JSON graph string."""
    return _ffi_api.ToJSONGraphString(obj, metadata)


def from_json_graph_str(json_str):
    """Load a value from a JSON graph string."""
    return _ffi_api.FromJSONGraphString(json_str)
