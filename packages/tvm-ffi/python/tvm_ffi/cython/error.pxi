# Errors crossing the boundary (python_api.md section 5).

# kind name -> Python exception class, and the reverse map (filled by tvm_ffi.error.register_error)
ERROR_NAME_TO_TYPE = {}
ERROR_TYPE_TO_NAME = {}

# Python exceptions raised in callbacks (or converted with convert()) while C++ holds them,
# keyed by the address of the FFI Error object that carries them: when that error comes back to
# Python, the original exception object is raised again (same object: class, args, __cause__,
# __context__, traceback), however many C++ <-> Python hops lie in between. C++ code still sees
# the kind (the registered name, else the class name) and the message.
#
# An entry lives while the exception is in C++'s hands: it is taken out when the error comes
# back to Python (the exception then keeps ``__tvm_ffi_error__``, and goes in again if it is
# raised into C++ once more). Each entry holds a WEAK reference to its Error (the object
# header's weak count), so the address cannot be reused by another object while the entry
# exists, and an error that C++ drops without giving it back is noticed (its strong count falls
# to the references the exception's own ``__tvm_ffi_error__`` proxy holds): such entries are
# swept after every max(16, size / 4) insertions (amortised O(1) per insertion).
# Value: (exception, number of its traceback entries already in the error's backtrace text).
cdef dict _PY_EXC_IN_FLIGHT = {}
cdef Py_ssize_t _IN_FLIGHT_INSERTS = 0

cdef extern from *:
    """
    /* Weak references on an object header (the ABI's fixed count protocol; see c_api.h). */
    static inline void TVMFFIPyObjectWeakIncRef(void* h) {
      __atomic_fetch_add(&((TVMFFIObject*)h)->combined_ref_count, ((uint64_t)1) << 32,
                         __ATOMIC_RELAXED);
    }
    static inline void TVMFFIPyObjectWeakDecRef(void* h) {
      TVMFFIObject* obj = (TVMFFIObject*)h;
      uint64_t old = __atomic_fetch_sub(&obj->combined_ref_count, ((uint64_t)1) << 32,
                                        __ATOMIC_RELEASE);
      if (old == (((uint64_t)1) << 32)) {
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (obj->deleter != NULL) obj->deleter(obj, kTVMFFIObjectDeleterFlagBitMaskWeak);
      }
    }
    """
    void TVMFFIPyObjectWeakIncRef(void* h) nogil
    void TVMFFIPyObjectWeakDecRef(void* h) nogil


cdef bint _in_flight_dropped(size_t key, object exc):
    """Whether only the exception itself still references the error at ``key``."""
    cdef uint32_t own = 0
    try:
        proxy = getattr(exc, "__tvm_ffi_error__", None)
    except Exception:
        return False
    if isinstance(proxy, Error) and <size_t>(<Error>proxy).chandle == key:
        own = 1
    return TVMFFIPyObjectStrongCount(<void*>key) <= own


cdef void _in_flight_discard(size_t key):
    entry = _PY_EXC_IN_FLIGHT.pop(key, None)
    if entry is not None:
        TVMFFIPyObjectWeakDecRef(<void*>key)
    # dropping ``entry`` may run arbitrary code (frames, __del__): the table is consistent here


cdef void _in_flight_sweep():
    dead = [key for key, entry in list(_PY_EXC_IN_FLIGHT.items())
            if _in_flight_dropped(key, (<tuple>entry)[0])]
    for key in dead:
        _in_flight_discard(key)


cdef void _in_flight_record(Error err, object exc):
    """Remember that ``err`` carries the Python exception ``exc`` (GIL held)."""
    global _IN_FLIGHT_INSERTS
    cdef size_t key = <size_t>err.chandle
    entry = (exc, _traceback_length(exc.__traceback__))
    if key in _PY_EXC_IN_FLIGHT:
        _PY_EXC_IN_FLIGHT[key] = entry
        return
    _IN_FLIGHT_INSERTS += 1
    if _IN_FLIGHT_INSERTS >= max(16, len(_PY_EXC_IN_FLIGHT) // 4):
        _IN_FLIGHT_INSERTS = 0
        _in_flight_sweep()
    TVMFFIPyObjectWeakIncRef(err.chandle)
    _PY_EXC_IN_FLIGHT[key] = entry


cdef object _in_flight_lookup(void* handle):
    """(exception, recorded traceback length) carried by the error ``handle``, or None."""
    return _PY_EXC_IN_FLIGHT.get(<size_t>handle)


cdef object _in_flight_take(void* handle):
    """Take the entry of ``handle`` out of the table (the caller holds a strong reference)."""
    entry = _PY_EXC_IN_FLIGHT.pop(<size_t>handle, None)
    if entry is not None:
        TVMFFIPyObjectWeakDecRef(handle)
    return entry


# Hooks installed by tvm_ffi.error:
#   _WITH_APPEND_BACKTRACE(py_traceback, backtrace_str) -> traceback with the C++ frames appended
#   _TRACEBACK_TO_BACKTRACE_STR(py_traceback, limit) -> backtrace text (innermost frame first) of
#       the first `limit` entries (None: all)
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
        cdef const void* after_cell = <const void*>cell.cause_chain
        return cell.kind.data == NULL or after_cell != <const void*>cell.kind.data

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

    cdef void _append_backtrace(self, str text) except *:
        cdef TVMFFIErrorCell* cell = self._cell()
        cdef bytes btext = _c_str(text)
        cdef TVMFFIByteArray atext = _bytes_view(btext)
        cell.update_backtrace(self.chandle, &atext, kTVMFFIBacktraceUpdateModeAppend)

    def py_error(self):
        """The Python exception for this error, with the C++ frames in its traceback.

        An error that carries a Python exception (raised in a callback) gives back that very
        exception object, whose traceback already holds the Python frames it went through.
        """
        entry = _in_flight_take(self.chandle)
        if entry is not None:
            exc = (<tuple>entry)[0]
            try:
                exc.__tvm_ffi_error__ = self
                # this many (innermost) traceback entries are in the backtrace text already;
                # an int, so that the exception still pickles (see _convert_to_ffi_error)
                exc.__tvm_ffi_traceback_recorded__ = (<tuple>entry)[1]
            except Exception:
                pass
            return exc
        cls = ERROR_NAME_TO_TYPE.get(self.kind, RuntimeError)
        try:
            exc = cls(self.message)
        except Exception:
            exc = RuntimeError(self.message)
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


cdef Py_ssize_t _traceback_length(object tb):
    cdef Py_ssize_t n = 0
    while tb is not None:
        n += 1
        tb = tb.tb_next
    return n


cdef str _exception_message(object exc):
    try:
        return str(exc)
    except Exception:
        return "<exception str() failed>"


def _convert_to_ffi_error(exc):
    """Convert a Python exception to ``core.Error`` (reusing the original FFI error if any).

    The error remembers ``exc``, so that the exception itself comes back when the error
    returns to Python (see ``Error.py_error``).
    """
    existing = getattr(exc, "__tvm_ffi_error__", None)
    if not (isinstance(existing, Error) and (<Error>existing).chandle != NULL):
        existing = None
    limit = None
    if existing is not None:
        # the innermost `recorded` traceback entries are in the backtrace text already; frames
        # the exception passed through since then were added at the outer end of the chain
        entry = _in_flight_lookup((<Error>existing).chandle)
        if entry is not None and (<tuple>entry)[0] is exc:
            recorded = (<tuple>entry)[1]
        else:
            recorded = getattr(exc, "__tvm_ffi_traceback_recorded__", 0)
        if isinstance(recorded, int) and recorded > 0:
            limit = max(0, _traceback_length(exc.__traceback__) - recorded)
    py_bt = ""
    if _TRACEBACK_TO_BACKTRACE_STR is not None:
        try:
            py_bt = _TRACEBACK_TO_BACKTRACE_STR(exc.__traceback__, limit)
        except Exception:
            py_bt = ""
    if existing is not None:
        # innermost first: the original frames, then the Python frames around them (appended
        # in place: deep recursion appends once per level, so no copy of the whole text)
        if py_bt:
            (<Error>existing)._append_backtrace(py_bt)
        err = existing
    else:
        kind = ERROR_TYPE_TO_NAME.get(type(exc))
        if kind is None:
            # an unregistered exception type: C++ sees its class name as the kind
            kind = type(exc).__name__
        err = Error(kind, _exception_message(exc), py_bt)
    _in_flight_record(<Error>err, exc)
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
