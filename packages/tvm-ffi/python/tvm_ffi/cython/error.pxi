# Errors crossing the boundary (python_api.md section 5).

# kind name -> Python exception class, and the reverse map (filled by tvm_ffi.error.register_error)
ERROR_NAME_TO_TYPE = {}
ERROR_TYPE_TO_NAME = {}

# Python exceptions of UNREGISTERED types raised in callbacks, keyed by the address of the FFI
# Error object that carries them through C++: when that error comes back to Python, the original
# exception object is raised again (same type, same object), like pybind11 does. Entries are
# validated (kind and message) when used and the table is bounded, so a lost error cannot leak
# more than a few exceptions or be confused with a later error at the same address.
cdef dict _PY_EXC_IN_FLIGHT = {}
cdef Py_ssize_t _MAX_PY_EXC_IN_FLIGHT = 64

# Hooks installed by tvm_ffi.error:
#   _WITH_APPEND_BACKTRACE(py_traceback, backtrace_str) -> traceback with the C++ frames appended
#   _TRACEBACK_TO_BACKTRACE_STR(py_traceback) -> backtrace text (innermost frame first)
_WITH_APPEND_BACKTRACE = None
_TRACEBACK_TO_BACKTRACE_STR = None

cdef class Error(Object):
    """An FFI error object (``ffi.Error``): kind, message and backtrace.

    Do not raise it directly; ``py_error()`` builds the matching Python exception.
    """

    def __init__(self, kind, message, backtrace=""):
        cdef bytes bkind = _c_str(kind)
        cdef bytes bmsg = _c_str(message)
        cdef bytes bbt = _c_str(backtrace)
        cdef TVMFFIByteArray akind = _bytes_view(bkind)
        cdef TVMFFIByteArray amsg = _bytes_view(bmsg)
        cdef TVMFFIByteArray abt = _bytes_view(bbt)
        cdef void* out = NULL
        if TVMFFIErrorCreate(&akind, &amsg, &abt, &out) != 0:
            raise MemoryError("TVMFFIErrorCreate failed")
        if self.chandle != NULL:
            TVMFFIObjectDecRef(self.chandle)
        self.chandle = out

    cdef TVMFFIErrorCell* _cell(self) except NULL:
        if self.chandle == NULL:
            raise ValueError("Error has a NULL handle")
        return <TVMFFIErrorCell*>TVMFFIPyObjectCell(self.chandle)

    @property
    def kind(self):
        return _bytearray_to_str(&self._cell().kind)

    @property
    def message(self):
        return _bytearray_to_str(&self._cell().message)

    @property
    def backtrace(self):
        return _bytearray_to_str(&self._cell().backtrace)

    cdef bint _has_cause_and_context(self) except -1:
        # Errors made by 0.1.0-era code end after `update_backtrace`; the word after it is the
        # data pointer of their kind string, i.e. equal to kind.data.
        cdef TVMFFIErrorCell* cell = self._cell()
        if cell.kind.data == NULL:
            return True
        return <const void*>cell.cause_chain != <const void*>cell.kind.data

    @property
    def cause_chain(self):
        """The Error that caused this one, or None."""
        cdef TVMFFIErrorCell* cell = self._cell()
        if not self._has_cause_and_context() or cell.cause_chain == NULL:
            return None
        TVMFFIObjectIncRef(cell.cause_chain)
        return _make_ret_object(<TVMFFIObject*>cell.cause_chain, NULL)

    @property
    def extra_context(self):
        """The context object attached to this error, or None."""
        cdef TVMFFIErrorCell* cell = self._cell()
        if not self._has_cause_and_context() or cell.extra_context == NULL:
            return None
        TVMFFIObjectIncRef(cell.extra_context)
        return _make_ret_object(<TVMFFIObject*>cell.extra_context, NULL)

    def update_backtrace(self, backtrace):
        """Replace the stored backtrace text."""
        cdef TVMFFIErrorCell* cell = self._cell()
        cdef bytes bbt = _c_str(backtrace)
        cdef TVMFFIByteArray abt = _bytes_view(bbt)
        cell.update_backtrace(self.chandle, &abt, kTVMFFIBacktraceUpdateModeReplace)

    def py_error(self):
        """The Python exception for this error, with the C++ frames in its traceback."""
        kind = self.kind
        message = self.message
        exc = _PY_EXC_IN_FLIGHT.pop(<size_t>self.chandle, None)
        if exc is None or type(exc).__name__ != kind or str(exc) != message:
            cls = ERROR_NAME_TO_TYPE.get(kind, RuntimeError)
            try:
                exc = cls(message)
            except Exception:
                exc = RuntimeError(message)
        try:
            exc.__tvm_ffi_error__ = self
        except Exception:
            pass
        if _WITH_APPEND_BACKTRACE is not None:
            try:
                tb = _WITH_APPEND_BACKTRACE(exc.__traceback__, self.backtrace)
                exc = exc.with_traceback(tb)
            except Exception:
                pass
        return exc


cdef int _raise_last_ffi_error() except -1:
    """Raise the thread's last FFI error as a Python exception."""
    cdef void* h = NULL
    TVMFFIErrorMoveFromRaised(&h)
    if h == NULL:
        if PyErr_Occurred() != NULL:
            return -1
        raise RuntimeError("FFI call failed without setting an error")
    cdef Error err = <Error>_new_instance(Error)
    err.chandle = h
    raise err.py_error()


cdef extern from "Python.h":
    void PyErr_Fetch(PyObject** ptype, PyObject** pvalue, PyObject** ptb)
    void PyErr_NormalizeException(PyObject** ptype, PyObject** pvalue, PyObject** ptb)
    int PyException_SetTraceback(PyObject* ex, PyObject* tb)


cdef object _fetch_pending_exception():
    """Take the pending Python exception (with its traceback) out of the thread state."""
    cdef PyObject* ptype = NULL
    cdef PyObject* pvalue = NULL
    cdef PyObject* ptb = NULL
    PyErr_Fetch(&ptype, &pvalue, &ptb)
    if ptype == NULL:
        return None
    PyErr_NormalizeException(&ptype, &pvalue, &ptb)
    if ptb != NULL:
        PyException_SetTraceback(pvalue, ptb)
    exc = <object>pvalue
    Py_XDECREF(ptype)
    Py_XDECREF(pvalue)
    Py_XDECREF(ptb)
    return exc


cdef object _ffi_call_exception(int ret):
    """The exception to raise for a non-zero safe-call return code."""
    cdef void* h = NULL
    if ret == -2:
        # the callee saw a pending Python exception (e.g. KeyboardInterrupt): re-raise it.
        # TVMFFIEnvCheckSignals left an EnvErrorAlreadySet marker in the slot; drop it.
        TVMFFIErrorMoveFromRaised(&h)
        if h != NULL:
            TVMFFIObjectDecRef(h)
            h = NULL
        exc = _fetch_pending_exception()
        if exc is None and PyErr_CheckSignals() != 0:
            exc = _fetch_pending_exception()
        if exc is None:
            exc = RuntimeError("FFI call reported a pending Python error, but none is set")
        return exc
    TVMFFIErrorMoveFromRaised(&h)
    if h == NULL:
        exc = _fetch_pending_exception()
        if exc is None:
            exc = RuntimeError("FFI call failed (code %d) without setting an error" % ret)
        return exc
    cdef Error err = <Error>_new_instance(Error)
    err.chandle = h
    if err.kind == "EnvErrorAlreadySet":
        # newer callees report a pending Python exception this way (code -1)
        exc = _fetch_pending_exception()
        if exc is not None:
            return exc
    return err.py_error()


def _convert_to_ffi_error(exc):
    """Convert a Python exception to ``core.Error`` (reusing the original FFI error if any)."""
    py_bt = ""
    if _TRACEBACK_TO_BACKTRACE_STR is not None:
        try:
            py_bt = _TRACEBACK_TO_BACKTRACE_STR(exc.__traceback__)
        except Exception:
            py_bt = ""
    existing = getattr(exc, "__tvm_ffi_error__", None)
    if isinstance(existing, Error) and (<Error>existing).chandle != NULL:
        # innermost first: the original (C++) frames, then the Python frames around them
        existing.update_backtrace(existing.backtrace + py_bt)
        return existing
    kind = ERROR_TYPE_TO_NAME.get(type(exc))
    if kind is not None:
        return Error(kind, str(exc), py_bt)
    # an unregistered exception type: C++ sees its class name as the kind, and the exception
    # object itself is kept so that the Python caller gets it back unchanged
    err = Error(type(exc).__name__, str(exc), py_bt)
    if len(_PY_EXC_IN_FLIGHT) >= _MAX_PY_EXC_IN_FLIGHT:
        del _PY_EXC_IN_FLIGHT[next(iter(_PY_EXC_IN_FLIGHT))]
    _PY_EXC_IN_FLIGHT[<size_t>(<Error>err).chandle] = exc
    return err


cdef void _set_ffi_error_from_py(object exc) noexcept:
    """Store a Python exception as the thread's last FFI error (GIL held)."""
    try:
        err = _convert_to_ffi_error(exc)
        TVMFFIErrorSetRaised((<Error>err).chandle)
    except BaseException:
        TVMFFIErrorSetRaisedFromCStr(b"RuntimeError", b"failed to convert a Python exception")


def _default_error_registrations():
    for cls in (RuntimeError, ValueError, TypeError, AttributeError, KeyError, IndexError,
                AssertionError):
        ERROR_NAME_TO_TYPE[cls.__name__] = cls
        ERROR_TYPE_TO_NAME[cls] = cls.__name__


_default_error_registrations()


cdef extern from "Python.h":
    void PyErr_SetObject(object type, object value)


cdef int _reraise_pending() except -1:
    """Propagate an already-set Python error (no-op when none is set)."""
    if PyErr_Occurred() != NULL:
        return -1
    return 0


cdef void _keep_pending(object err) noexcept:
    """Leave ``err`` as the pending Python exception (C callbacks report failure that way)."""
    PyErr_SetObject(type(err), err)
