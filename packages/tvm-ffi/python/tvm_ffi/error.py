"""Error translation between Python exceptions and FFI errors (python_api.md section 5)."""

import re
import sys
import types

from . import core

__all__ = ["register_error"]

_BACKTRACE_LINE = re.compile(r'File "(.+?)", line (\d+), in (.+)')


def _parse_backtrace(backtrace):
    """Frames ``(filename, lineno, func)`` of a backtrace text, in text order."""
    frames = []
    for line in backtrace.splitlines():
        m = _BACKTRACE_LINE.search(line.strip())
        if m is None:
            continue
        frames.append((m.group(1), int(m.group(2)), m.group(3).strip()))
    return frames


class TracebackManager:
    """Builds synthetic Python traceback entries for C++ frames (code objects are cached)."""

    def __init__(self):
        self._code_cache = {}
        # ids of the synthetic code objects, so their frames are skipped when converting a
        # Python traceback back to text (they are already part of the FFI backtrace)
        self.synthetic_codes = set()

    def _get_frame(self, filename, lineno, func):
        key = (filename, lineno, func)
        code = self._code_cache.get(key)
        if code is None:
            line = max(int(lineno), 1)
            code = compile("\n" * (line - 1) + "raise _SyntheticFrame__", filename, "exec")
            try:
                code = code.replace(co_name=func)
            except (AttributeError, ValueError):
                pass
            self._code_cache[key] = code
            self.synthetic_codes.add(code)
        try:
            exec(code, {"_SyntheticFrame__": _SyntheticFrame})
        except _SyntheticFrame:
            tb = sys.exc_info()[2]
        assert tb is not None  # exec() raised _SyntheticFrame
        # the traceback's last entry is the frame of the synthetic code object
        while tb.tb_next is not None:
            tb = tb.tb_next
        return tb.tb_frame

    def append_traceback(self, tb, filename, lineno, func):
        """A traceback entry for (filename, lineno, func) whose tb_next is ``tb``."""
        frame = self._get_frame(filename, lineno, func)
        return types.TracebackType(tb, frame, frame.f_lasti, int(lineno))


class _SyntheticFrame(Exception):
    pass


_TRACEBACK_MANAGER = TracebackManager()


def _with_append_backtrace(py_traceback, backtrace):
    """``py_traceback`` followed by the frames of the FFI ``backtrace`` (outermost first)."""
    frames = _parse_backtrace(backtrace)
    if not frames:
        return py_traceback
    # the backtrace text is innermost-first; build the chain from the innermost frame out
    cxx_tb = None
    for filename, lineno, func in frames:
        cxx_tb = _TRACEBACK_MANAGER.append_traceback(cxx_tb, filename, lineno, func)
    if py_traceback is None:
        return cxx_tb
    # append after the last entry of the Python traceback
    entries = []
    tb = py_traceback
    while tb is not None:
        entries.append(tb)
        tb = tb.tb_next
    new_tb = cxx_tb
    for entry in reversed(entries):
        new_tb = types.TracebackType(new_tb, entry.tb_frame, entry.tb_lasti, entry.tb_lineno)
    return new_tb


def _traceback_to_backtrace_str(tb, limit=None):
    """Backtrace text (innermost frame first) of a Python traceback, without synthetic frames.

    ``limit``: convert only the first ``limit`` entries (the outermost ones; the others are in
    the backtrace text already); None converts all.
    """
    lines = []
    while tb is not None and (limit is None or limit > 0):
        if limit is not None:
            limit -= 1
        code = tb.tb_frame.f_code
        if code not in _TRACEBACK_MANAGER.synthetic_codes:
            lines.append(
                '  File "%s", line %d, in %s\n' % (code.co_filename, tb.tb_lineno, code.co_name)
            )
        tb = tb.tb_next
    return "".join(reversed(lines))


core._WITH_APPEND_BACKTRACE = _with_append_backtrace
core._TRACEBACK_TO_BACKTRACE_STR = _traceback_to_backtrace_str


def _check_exception_class(cls):
    if not (isinstance(cls, type) and issubclass(cls, BaseException)):
        raise TypeError(
            "register_error() expects an exception class (a subclass of BaseException), got %r"
            % (cls,)
        )


def register_error(name_or_cls=None, cls=None):
    """Register a Python exception class for an FFI error kind.

    Forms: ``@register_error`` (name = class name), ``@register_error("Name")``,
    ``register_error("Name", cls)``. Later registrations override earlier ones.
    """
    if isinstance(name_or_cls, type) and cls is None:
        cls = name_or_cls
        name_or_cls = cls.__name__
    elif name_or_cls is not None and not isinstance(name_or_cls, str):
        raise TypeError(
            "register_error() expects an exception class or a kind name (str), got %r"
            % (name_or_cls,)
        )
    if cls is not None:
        _check_exception_class(cls)

    def register(mycls):
        _check_exception_class(mycls)
        name = name_or_cls if name_or_cls is not None else mycls.__name__
        core.ERROR_NAME_TO_TYPE[name] = mycls
        core.ERROR_TYPE_TO_NAME[mycls] = name
        return mycls

    if cls is not None:
        return register(cls)
    return register


for _cls in (
    RuntimeError,
    ValueError,
    TypeError,
    AttributeError,
    KeyError,
    IndexError,
    AssertionError,
):
    register_error(_cls)
