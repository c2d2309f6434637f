# The Python -> C++ call path:
#
#   Function.__call__ (vectorcall entry)  ->  _call_raw
#        _call_raw: marshal each argument into a stack TVMFFIAny (_set_arg), run the call
#                   (GIL released if asked), release the temporaries
#   -> _make_ret: convert the owned result back to Python
#
# Argument conversion is ONE table (arg_table.pxi) used by every entry point: calls,
# constructors, field setters, callback return values, container elements and convert().
# Every entry point sets up its per-call state with _ctx_init.

# ------------------------------------------------------------------------------------------------
# Per-call state
# ------------------------------------------------------------------------------------------------
cdef struct EnvCtx:
    # device/stream recorded from tensor arguments (device_type -1: none)
    int32_t device_type
    int32_t device_id
    void* stream
    # DLPack exchange API of the first framework tensor argument (or NULL)
    const DLPackExchangeAPI* api


cdef struct CallCtx:
    EnvCtx* env
    # object references created while marshalling; released after the call
    void** owned
    int32_t num_owned


DEF _STACK_ARGS = 8

# Handles of the container constructors (looked up once at import).
cdef void* _FFI_ARRAY_HANDLE = NULL
cdef void* _FFI_MAP_HANDLE = NULL

# Default of Function.release_gil (TVM_FFI_RELEASE_GIL_BY_DEFAULT, see README for the numbers).
cdef bint _RELEASE_GIL_BY_DEFAULT = True


cdef inline void _push_owned(CallCtx* ctx, void* handle) noexcept:
    ctx.owned[ctx.num_owned] = handle
    ctx.num_owned += 1


cdef inline void _ctx_init(CallCtx* ctx, EnvCtx* env, void** owned) noexcept:
    """Set up the per-call state: no device/stream/API recorded, no temporaries yet."""
    env.device_type = -1
    env.device_id = 0
    env.stream = NULL
    env.api = NULL
    ctx.env = env
    ctx.owned = owned
    ctx.num_owned = 0


cdef inline void _release_owned(CallCtx* ctx) noexcept:
    """Drop the call's references to its temporaries (borrowed-tensor shells may be reused)."""
    cdef int32_t i
    for i in range(ctx.num_owned):
        TVMFFIPyReleaseTemporary(ctx.owned[i])
    ctx.num_owned = 0


cdef inline void _any_release(TVMFFIAny* value) noexcept:
    if value.type_index >= kTVMFFIStaticObjectBegin and value.v_obj != NULL:
        TVMFFIObjectDecRef(value.v_obj)
    value.type_index = kTVMFFINone
    value.v_int64 = 0


cdef extern from "Python.h":
    PyObject** PySequence_Fast_ITEMS(object o)


cdef inline PyObject** _tuple_items(tuple t):
    return PySequence_Fast_ITEMS(t)


# ------------------------------------------------------------------------------------------------
# The call
# ------------------------------------------------------------------------------------------------
cdef inline int _safe_call(void* fhandle, TVMFFIAny* packed, int32_t nargs,
                           TVMFFIAny* result) noexcept nogil:
    # same as TVMFFIFunctionCall, one indirection less
    return (<TVMFFIFunctionCell*>TVMFFIPyObjectCell(fhandle)).safe_call(
        fhandle, packed, nargs, result)


cdef int _call_raw(void* fhandle, bint release_gil, PyObject** args, Py_ssize_t nargs,
                   TVMFFIAny* result, EnvCtx* env, int* out_ret) except -1:
    """Marshal ``args``, call ``fhandle``, release the temporaries.

    On success ``*out_ret`` is 0 and ``result`` holds the owned result; a failing callee leaves
    its safe-call code in ``*out_ret`` (the caller raises, see _ffi_call_exception) so that a
    C++ error shows one Python frame for the call, not one per helper. ``env`` (initialised by
    the caller with _ctx_init) collects device/stream/exchange-API information from tensor
    arguments, also those inside nested containers, and is installed around the call.
    """
    cdef TVMFFIAny stack_args[_STACK_ARGS]
    cdef void* stack_owned[_STACK_ARGS]
    cdef TVMFFIAny* packed = stack_args
    cdef CallCtx ctx
    cdef Py_ssize_t i
    cdef int ret
    ctx.env = env
    ctx.owned = stack_owned
    ctx.num_owned = 0
    if nargs > _STACK_ARGS:
        packed = <TVMFFIAny*>PyMem_Malloc(nargs * (sizeof(TVMFFIAny) + sizeof(void*)))
        if packed == NULL:
            raise MemoryError()
        ctx.owned = <void**>(packed + nargs)
    try:
        for i in range(nargs):
            _set_arg(<object>args[i], &packed[i], &ctx)
        result.type_index = kTVMFFINone
        result.zero_padding = 0
        result.v_int64 = 0
        if env.device_type != -1 or env.api != NULL:
            _call_with_env(fhandle, release_gil, packed, <int32_t>nargs, result, env, &ret)
        elif release_gil:
            with nogil:
                ret = _safe_call(fhandle, packed, <int32_t>nargs, result)
        else:
            ret = _safe_call(fhandle, packed, <int32_t>nargs, result)
        out_ret[0] = ret
    finally:
        if ctx.num_owned != 0:
            _release_owned(&ctx)
        if packed != stack_args:
            PyMem_Free(packed)
    return 0


cdef int _call_with_env(void* fhandle, bint release_gil, TVMFFIAny* packed, int32_t nargs,
                        TVMFFIAny* result, EnvCtx* env, int* out_ret) except -1:
    """Install the recorded stream / tensor allocator around the call, then restore them."""
    cdef void* prev_stream = NULL
    cdef DLPackManagedTensorAllocator prev_alloc = NULL
    cdef bint set_stream = env.device_type != -1
    cdef bint set_alloc = env.api != NULL and env.api.managed_tensor_allocator != NULL
    cdef int ret
    if set_stream:
        if TVMFFIEnvSetStream(env.device_type, env.device_id, env.stream, &prev_stream) != 0:
            _raise_last_ffi_error()
    if set_alloc:
        TVMFFIEnvSetDLPackManagedTensorAllocator(env.api.managed_tensor_allocator, 0, &prev_alloc)
    if release_gil:
        with nogil:
            ret = _safe_call(fhandle, packed, nargs, result)
    else:
        ret = _safe_call(fhandle, packed, nargs, result)
    if set_alloc:
        TVMFFIEnvSetDLPackManagedTensorAllocator(prev_alloc, 0, NULL)
    if set_stream:
        if TVMFFIEnvSetStream(env.device_type, env.device_id, prev_stream, NULL) != 0:
            if ret == 0:
                _any_release(result)
            raise RuntimeError("Failed to recover stream")
    out_ret[0] = ret
    return 0


cdef int _call_tuple_to_any(Function f, tuple args, TVMFFIAny* result) except -1:
    cdef EnvCtx env
    cdef CallCtx unused
    cdef int ret = 0
    _ctx_init(&unused, &env, NULL)
    _call_raw(f.chandle, f.c_release_gil, _tuple_items(args), len(args), result, &env, &ret)
    if ret != 0:
        raise _ffi_call_exception(ret)
    return 0


cdef inline object _function_call(Function f, PyObject** args, Py_ssize_t nargs):
    cdef TVMFFIAny result
    cdef EnvCtx env
    cdef CallCtx unused
    cdef int ret = 0
    cdef bint release_gil = f.c_release_gil
    if f.chandle == NULL:
        raise ValueError("cannot call a Function with a NULL handle")
    if nargs == 0:
        # nothing to marshal or release
        result.type_index = kTVMFFINone
        result.zero_padding = 0
        result.v_int64 = 0
        if release_gil:
            with nogil:
                ret = _safe_call(f.chandle, NULL, 0, &result)
        else:
            ret = _safe_call(f.chandle, NULL, 0, &result)
        if ret != 0:
            raise _ffi_call_exception(ret)
        if result.type_index == kTVMFFINone:
            return None
        return _make_ret(&result, NULL)
    _ctx_init(&unused, &env, NULL)
    _call_raw(f.chandle, release_gil, args, nargs, &result, &env, &ret)
    if ret != 0:
        raise _ffi_call_exception(ret)
    return _make_ret(&result, env.api)


# vectorcall entry of Function (installed in _init_function_type)
cdef object Function__call__(object self, PyObject** args, size_t nargsf, PyObject* kwnames):
    if kwnames != NULL and len(<object>kwnames) != 0:
        raise TypeError("tvm_ffi.Function does not accept keyword arguments")
    return _function_call(<Function>self, args, TVMFFIPyVectorcallNArgs(nargsf))


# ------------------------------------------------------------------------------------------------
# Any -> Python
# ------------------------------------------------------------------------------------------------
cdef object _make_ret(TVMFFIAny* r, const DLPackExchangeAPI* api):
    """Convert an OWNED value to Python (the reference moves into the Python proxy)."""
    cdef int32_t ti = r.type_index
    if ti == kTVMFFINone:
        return None
    if ti == kTVMFFIInt:
        return PyLong_FromLongLong(r.v_int64)
    if ti >= kTVMFFIStaticObjectBegin:
        return _make_ret_object(r.v_obj, api)
    if ti == kTVMFFISmallStr:
        return PyUnicode_DecodeUTF8(r.v_bytes, r.small_str_len, "surrogateescape")
    if ti == kTVMFFIBool:
        return True if r.v_int64 != 0 else False
    if ti == kTVMFFIFloat:
        return PyFloat_FromDouble(r.v_float64)
    if ti == kTVMFFISmallBytes:
        return PyBytes_FromStringAndSize(r.v_bytes, r.small_str_len)
    if ti == kTVMFFIOpaquePtr:
        return _ctypes.c_void_p(<uintptr_t>r.v_ptr if r.v_ptr != NULL else None)
    if ti == kTVMFFIDataType:
        return _make_dtype_ret(r.v_dtype)
    if ti == kTVMFFIDevice:
        return _make_device(_c_class_device, r.v_device.device_type, r.v_device.device_id)
    if ti == kTVMFFIDLTensorPtr:
        return _make_tensor_view(<DLTensor*>r.v_ptr)
    if ti == kTVMFFIRawStr:
        raise ValueError("Return value cannot be RawStr")
    if ti == kTVMFFIByteArrayPtr:
        raise ValueError("Return value cannot be ByteArrayPtr")
    if ti == kTVMFFIObjectRValueRef:
        raise ValueError("Return value cannot be ObjectRValueRef")
    raise ValueError("Unhandled type index %d" % ti)


cdef object _make_ret_object(TVMFFIObject* h, const DLPackExchangeAPI* api):
    """Wrap an owned object reference ``h`` into its Python proxy (takes the reference)."""
    cdef int32_t ti = h.type_index
    cdef PyObject* p
    cdef Object obj
    cls = None
    if ti < PyList_GET_SIZE(_TYPE_INDEX_TO_CLS):
        cls = <object>PyList_GET_ITEM(_TYPE_INDEX_TO_CLS, ti)
    if (cls is None or type(cls) is tuple or ti == kTVMFFIOpaquePyObject
            or (ti == kTVMFFITensor and api != NULL)):
        return _make_ret_object_special(h, api, ti)
    # common case: a registered Object subclass; no try block on this path
    p = TVMFFIPyNewInstance(<PyObject*>cls)
    if p == NULL:
        TVMFFIObjectDecRef(h)
        _reraise_pending()
        raise RuntimeError("failed to create a " + str(cls) + " instance")
    obj = <Object>p
    Py_DECREF(obj)  # <Object>p took a second reference
    obj.chandle = h
    if ti == kTVMFFITensor:
        (<Tensor>obj).cdltensor = <DLTensor*>TVMFFIPyObjectCell(h)
    return obj


cdef object _make_ret_object_special(TVMFFIObject* h, const DLPackExchangeAPI* api, int32_t ti):
    """Strings, bytes, opaque Python objects, framework tensors, native proxies, fallbacks."""
    cdef Object obj
    cdef object cls
    if ti == kTVMFFIOpaquePyObject:
        pyobj = <object><PyObject*>(<TVMFFIOpaqueObjectCell*>TVMFFIPyObjectCell(h)).handle
        TVMFFIObjectDecRef(h)
        return pyobj
    try:
        if ti == kTVMFFIStr:
            return _make_string(<void*>h)
        if ti == kTVMFFIBytes:
            return _make_bytes(<void*>h)
        if ti == kTVMFFITensor and api != NULL and api.managed_tensor_to_py_object_no_sync != NULL:
            return _tensor_to_framework(<void*>h, api)
        cls = _class_for_type_index(ti)
        if cls is None:
            raise ValueError("Unhandled type index %d" % ti)
        if type(cls) is tuple:
            # PyNativeObject proxy (e.g. Shape): built from a plain Object holding the handle
            obj = <Object>_new_instance(Object)
            obj.chandle = h
            h = NULL
            return (<tuple>cls)[0].__from_tvm_ffi_object__((<tuple>cls)[0], obj)
        obj = <Object>_new_instance(cls)
        obj.chandle = h
        h = NULL
        if ti == kTVMFFITensor:
            _on_handle_adopted(obj)
        return obj
    except BaseException:
        if h != NULL:
            TVMFFIObjectDecRef(h)
        raise


cdef inline object _class_for_type_index(int32_t ti):
    """Class used for returned objects of type ``ti`` (a tuple ``(cls,)`` for native proxies)."""
    if ti < len(_TYPE_INDEX_TO_CLS):
        cls = <object>PyList_GET_ITEM(_TYPE_INDEX_TO_CLS, ti)
        if cls is not None:
            return cls
    return _resolve_class_for_type_index(ti)


# ------------------------------------------------------------------------------------------------
# Python callables as FFI functions (callbacks)
# ------------------------------------------------------------------------------------------------
cdef object _make_arg_from_view(const TVMFFIAny* view):
    """Convert a borrowed view (callback argument) to Python."""
    cdef TVMFFIAny owned
    cdef int32_t ti = view.type_index
    if ti >= kTVMFFIStaticObjectBegin:
        TVMFFIObjectIncRef(view.v_obj)
        owned = view[0]
        return _make_ret(&owned, NULL)
    if ti == kTVMFFIRawStr or ti == kTVMFFIByteArrayPtr or ti == kTVMFFIObjectRValueRef:
        if TVMFFIAnyViewToOwnedAny(view, &owned) != 0:
            _raise_last_ffi_error()
        return _make_ret(&owned, NULL)
    owned = view[0]
    return _make_ret(&owned, NULL)


cdef int _set_owned_ret(object value, TVMFFIAny* result) except -1:
    """Convert a Python value to an OWNED Any (callback return values, convert())."""
    cdef TVMFFIAny view
    cdef void* owned_stack[1]
    cdef CallCtx ctx
    cdef EnvCtx env
    _ctx_init(&ctx, &env, owned_stack)
    try:
        _set_arg(value, &view, &ctx)
        if view.type_index >= kTVMFFIStaticObjectBegin:
            if (ctx.num_owned == 1 and ctx.owned[0] == <void*>view.v_obj
                    and not TVMFFIPyIsTensorShell(ctx.owned[0])):
                ctx.num_owned = 0  # hand the temporary over instead of IncRef + DecRef
            else:
                TVMFFIObjectIncRef(view.v_obj)
            result[0] = view
        elif view.type_index == kTVMFFIObjectRValueRef:
            if TVMFFIAnyViewToOwnedAny(&view, result) != 0:
                _raise_last_ffi_error()
        else:
            result[0] = view
    finally:
        if ctx.num_owned != 0:
            _release_owned(&ctx)
    return 0


cdef extern from "Python.h":
    object PyObject_Vectorcall(object callable, PyObject** args, size_t nargsf, PyObject* kwnames)


cdef extern from "tvm_ffi_python_stack_guard.h":
    int TVMFFIPyCallbackEnter() nogil
    void TVMFFIPyCallbackLeave() nogil


cdef int _pyfunc_call_impl(void* self, const TVMFFIAny* args, int32_t nargs,
                           TVMFFIAny* result) except -1:
    """Body of a Python callback (GIL held; see TVMFFIPyCallbackSafeCall).

    C++ -> Python -> C++ recursion uses native stack on every hop, which Python's recursion
    limit does not bound: the callback refuses to start with RecursionError when the thread's
    native stack is nearly used up (tvm_ffi_python_stack_guard.h).
    """
    if TVMFFIPyCallbackEnter() != 0:
        raise RecursionError(
            "maximum recursion depth exceeded in a Python callback called from C++ (the native "
            "stack of this thread is nearly exhausted)")
    try:
        _pyfunc_call_body(self, args, nargs, result)
    finally:
        TVMFFIPyCallbackLeave()
    return 0


cdef int _pyfunc_call_body(void* self, const TVMFFIAny* args, int32_t nargs,
                           TVMFFIAny* result) except -1:
    cdef PyObject* stack_items[_STACK_ARGS]
    cdef PyObject** items = stack_items
    cdef int32_t i
    cdef int32_t done = 0
    if nargs > _STACK_ARGS:
        items = <PyObject**>PyMem_Malloc(nargs * sizeof(PyObject*))
        if items == NULL:
            raise MemoryError()
    try:
        for i in range(nargs):
            item = _make_arg_from_view(&args[i])
            Py_INCREF(item)
            items[i] = <PyObject*>item
            done += 1
        rv = PyObject_Vectorcall(<object><PyObject*>self, items, nargs, NULL)
    finally:
        for i in range(done):
            Py_XDECREF(items[i])
        if items != stack_items:
            PyMem_Free(items)
    _set_owned_ret(rv, result)
    return 0


cdef void _set_ffi_error_from_pending() noexcept:
    """Move the pending Python exception into the thread's FFI error slot (GIL held)."""
    exc = _fetch_pending_exception()
    if exc is None:
        TVMFFIErrorSetRaisedFromCStr(b"RuntimeError", b"Python callback failed")
    else:
        _set_ffi_error_from_py(exc)


cdef void* _make_function_handle(object pyfunc) except NULL:
    cdef void* out = NULL
    if isinstance(pyfunc, Function):
        if (<Function>pyfunc).chandle == NULL:
            raise ValueError("cannot convert a Function with a NULL handle")
        TVMFFIObjectIncRef((<Function>pyfunc).chandle)
        return (<Function>pyfunc).chandle
    if not callable(pyfunc):
        raise TypeError("expect a callable, got " + type(pyfunc).__name__)
    Py_INCREF(pyfunc)
    if TVMFFIFunctionCreate(<void*><PyObject*>pyfunc, TVMFFIPyCallbackSafeCall,
                            TVMFFIPyDecRefDeleter, &out) != 0:
        Py_DECREF(pyfunc)
        _raise_last_ffi_error()
    return out


def _convert_to_ffi_func(pyfunc):
    """Wrap a Python callable as a ``Function`` (identity for a Function)."""
    if isinstance(pyfunc, Function):
        return pyfunc
    cdef Function f = <Function>_new_instance(Function)
    f.chandle = _make_function_handle(pyfunc)
    return f


# ------------------------------------------------------------------------------------------------
# Function
# ------------------------------------------------------------------------------------------------
cdef class Function(Object):
    """A callable FFI function (``ffi.Function``)."""
    cdef TVMFFIPyVectorcallFunc _vectorcall
    cdef bint c_release_gil
    cdef dict __dict__

    def __cinit__(self):
        self._vectorcall = <TVMFFIPyVectorcallFunc><void*>Function__call__
        self.c_release_gil = _RELEASE_GIL_BY_DEFAULT

    def __call__(self, *args, **kwargs):
        if kwargs:
            raise TypeError("tvm_ffi.Function does not accept keyword arguments")
        return _function_call(self, _tuple_items(args), len(args))

    @property
    def release_gil(self):
        """Whether the GIL is released while the C function runs."""
        return bool(self.c_release_gil)

    @release_gil.setter
    def release_gil(self, value):
        self.c_release_gil = bool(value)

    @staticmethod
    def __from_extern_c__(c_symbol, *, keep_alive_object=None):
        """Wrap the address of a C safe-call function ``int(void*, const TVMFFIAny*, int32_t,
        TVMFFIAny*)`` (which must ignore its first argument)."""
        if not isinstance(c_symbol, int) or isinstance(c_symbol, bool):
            raise TypeError("c_symbol must be an int address, got " + type(c_symbol).__name__)
        cdef void* fptr = PyLong_AsVoidPtr(c_symbol)
        if fptr == NULL:
            raise ValueError("c_symbol must not be NULL")
        cdef void* out = NULL
        cdef int ret
        if keep_alive_object is None:
            ret = TVMFFIFunctionCreate(NULL, <TVMFFISafeCallType>fptr, NULL, &out)
        else:
            Py_INCREF(keep_alive_object)
            ret = TVMFFIFunctionCreate(<void*><PyObject*>keep_alive_object,
                                       <TVMFFISafeCallType>fptr, TVMFFIPyDecRefDeleter, &out)
            if ret != 0:
                Py_DECREF(keep_alive_object)
        if ret != 0:
            _raise_last_ffi_error()
        cdef Function f = <Function>_new_instance(Function)
        f.chandle = out
        return f

    @staticmethod
    def __from_mlir_packed_safe_call__(mlir_packed_symbol, *, keep_alive_object=None):
        """Wrap the address of an MLIR packed function ``void(void** args)`` implementing the
        safe-call convention (args point to handle, args, num_args, result, return code)."""
        if not isinstance(mlir_packed_symbol, int) or isinstance(mlir_packed_symbol, bool):
            raise TypeError(
                "mlir_packed_symbol must be an int address, got "
                + type(mlir_packed_symbol).__name__)
        cdef void* fptr = PyLong_AsVoidPtr(mlir_packed_symbol)
        if fptr == NULL:
            raise ValueError("mlir_packed_symbol must not be NULL")
        cdef void* out = NULL
        cdef TVMFFIPyMLIRCtx* mctx = TVMFFIPyMLIRCtxNew(
            fptr, <PyObject*>keep_alive_object if keep_alive_object is not None else NULL)
        if mctx == NULL:
            raise MemoryError()
        if TVMFFIFunctionCreate(<void*>mctx, <TVMFFISafeCallType>TVMFFIPyMLIRSafeCall,
                                TVMFFIPyMLIRCtxDeleter, &out) != 0:
            TVMFFIPyMLIRCtxDeleter(mctx)
            _raise_last_ffi_error()
        cdef Function f = <Function>_new_instance(Function)
        f.chandle = out
        return f


cdef void _init_function_type():
    cdef Function probe = <Function>_new_instance(Function)
    TVMFFIPyTypeEnableVectorcall(
        <PyTypeObject*>Function,
        TVMFFIPyOffsetOf(<void*><PyObject*>probe, <void*>&probe._vectorcall))


# ------------------------------------------------------------------------------------------------
# Global registry
# ------------------------------------------------------------------------------------------------
# called with the name of a missing global function; returns True if it loaded something
_GLOBAL_FUNC_MISS_HOOK = None


def _set_global_func_miss_hook(hook):
    global _GLOBAL_FUNC_MISS_HOOK
    _GLOBAL_FUNC_MISS_HOOK = hook


cdef object _get_global_func_or_none(object name):
    cdef Py_ssize_t size = 0
    cdef TVMFFIByteArray arr
    arr.data = PyUnicode_AsUTF8AndSize(name, &size)
    arr.size = size
    cdef void* out = NULL
    if TVMFFIFunctionGetGlobal(&arr, &out) != 0:
        _raise_last_ffi_error()
    if out == NULL:
        return None
    cdef Function f = <Function>_new_instance(Function)
    f.chandle = out
    return f


def _get_global_func(name, allow_missing=False):
    """The global function ``name``.

    A missing name raises ``ValueError("Cannot find global function <name>")``, or returns
    None when ``allow_missing`` is true. Names under a plugin prefix (e.g. ``testing.``) load
    the plugin on first use.
    """
    if not isinstance(name, str):
        raise TypeError("global function name must be a str, got " + type(name).__name__)
    f = _get_global_func_or_none(name)
    if f is None and _GLOBAL_FUNC_MISS_HOOK is not None:
        if _GLOBAL_FUNC_MISS_HOOK(name):
            f = _get_global_func_or_none(name)
    if f is None and not allow_missing:
        raise ValueError("Cannot find global function " + name)
    return f


def _register_global_func(name, pyfunc, override):
    """Register ``pyfunc`` (callable or Function) as global function ``name``."""
    if not isinstance(name, str):
        raise ValueError("expect string function name")
    func = _convert_to_ffi_func(pyfunc)
    cdef bytes bname = name.encode("utf-8")
    cdef TVMFFIByteArray arr = _bytes_view(bname)
    if TVMFFIFunctionSetGlobal(&arr, (<Function>func).chandle, 1 if override else 0) != 0:
        _raise_last_ffi_error()
    return func
