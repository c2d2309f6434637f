"""Text of ``List`` and ``Dict`` values: ``[1, "a"]``, ``{"k": (1, 2)}``.

Arrays print as tuples ``(1,)``, Lists as ``[1]``, Maps and Dicts as ``{k: v}``; every other value
prints with ``ffi.ReprPrint`` (strings double-quoted, objects with their reflected fields). A
container met again inside itself prints as ``...``.
"""

from typing import Any, Callable, Optional

from . import _ffi_api, core

# kind(value) -> "(" (Array), "[" (List), "{" (Map, Dict) or None (any other value)
KindFn = Callable[[Any], Optional[str]]


def container_text(value: Any, kind: KindFn) -> str:
    """The text of ``value``."""
    return _text(value, kind, set())


def _text(value: Any, kind: KindFn, active: set[int]) -> str:
    opener = kind(value) if isinstance(value, core.Object) else None
    if opener is None:
        return str(_ffi_api.ReprPrint(value))
    handle = value.__chandle__()
    if handle == 0:
        return type(value).__name__ + "(chandle=None)"
    if handle in active:
        return "..."
    active.add(handle)
    try:
        if opener == "{":
            items = [
                _text(k, kind, active) + ": " + _text(v, kind, active) for k, v in value.items()
            ]
            return "{" + ", ".join(items) + "}"
        parts = [_text(v, kind, active) for v in value]
        if opener == "(":
            return "(" + ", ".join(parts) + (",)" if len(parts) == 1 else ")")
        return "[" + ", ".join(parts) + "]"
    finally:
        active.discard(handle)
