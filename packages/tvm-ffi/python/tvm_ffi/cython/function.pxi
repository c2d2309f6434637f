# The Python -> C++ call path. Everything a call does happens in this file:
#
#   Function.__call__ (vectorcall entry)  ->  _call_raw
#        _call_raw: marshal each argument into a stack TVMFFIAny (_set_arg), run the call
#                   (GIL released if asked), release the temporaries
#   -> _make_ret: convert the owned result back to Python
#
# Argument conversion (python_api.md section 2.2) is ONE table, _set_arg, used by every entry
# point: calls, constructors, field setters, callback return values and convert(). The exact
# Python types that dominate real calls (int, float, str, bool, None, Object subclasses) are
# tested first by pointer comparison; every other type is classified once by _classify_type
# (following the spec's order) and the decision is cached per type in _TYPE_DISPATCH.

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

# Kinds of the per-type dispatch cache (values stored in _TYPE_DISPATCH).
cdef enum:
    KIND_OBJECT = 1
    KIND_RVALUE = 2
    KIND_OBJ_PROTOCOL = 3
    KIND_EXCHANGE_API = 4
    KIND_CUDA_STREAM = 5
    KIND_TORCH = 6
    KIND_DLPACK = 7
    KIND_BOOL = 8
    KIND_INT = 9
    KIND_FLOAT = 10
    KIND_DTYPE = 11
    KIND_DEVICE = 12
    KIND_NATIVE_STR = 13
    KIND_NATIVE_BYTES = 14
    KIND_NATIVE_CACHED = 15
    KIND_STR = 16
    KIND_BYTES = 17
    KIND_BYTEARRAY = 18
    KIND_SEQ = 19
    KIND_DICT = 20
    KIND_CVOIDP = 21
    KIND_OPAQUE_PTR_PROTOCOL = 22
    KIND_CALLABLE = 23
    KIND_TORCH_DTYPE = 24
    KIND_NUMPY_DTYPE = 25
    KIND_EXCEPTION = 26
    KIND_CONVERTIBLE = 27
    KIND_OPAQUE = 28
    KIND_NONE = 29

# type -> dispatch word (int): kind in the low 5 bits; for KIND_EXCHANGE_API the address of the
# type's DLPackExchangeAPI in the bits above (one dict lookup per argument). The dict keeps
# every dispatched type alive, so type addresses are never reused.
cdef dict _TYPE_DISPATCH = {}
DEF _KIND_BITS = 5

# Handles of the container constructors (looked up once at import).
cdef void* _FFI_ARRAY_HANDLE = NULL
cdef void* _FFI_MAP_HANDLE = NULL

# Default of Function.release_gil (TVM_FFI_RELEASE_GIL_BY_DEFAULT, see README for the numbers).
cdef bint _RELEASE_GIL_BY_DEFAULT = True


cdef inline void _push_owned(CallCtx* ctx, void* handle) noexcept:
    ctx.owned[ctx.num_owned] = handle
    ctx.num_owned += 1


cdef inline void _release_owned(CallCtx* ctx) noexcept:
    cdef int32_t i
    for i in range(ctx.num_owned):
        TVMFFIObjectDecRef(ctx.owned[i])
    ctx.num_owned = 0


cdef inline void _any_release(TVMFFIAny* value) noexcept:
    if value.type_index >= kTVMFFIStaticObjectBegin and value.v_obj != NULL:
        TVMFFIObjectDecRef(value.v_obj)
    value.type_index = kTVMFFINone
    value.v_int64 = 0


# ------------------------------------------------------------------------------------------------
# Python -> Any (one argument)
# ------------------------------------------------------------------------------------------------
cdef inline int _set_int(object arg, TVMFFIAny* out) except -1:
    cdef int overflow = 0
    cdef long long v = PyLong_AsLongLongAndOverflow(arg, &overflow)
    if overflow != 0:
        raise OverflowError("Python int too large to convert to int64_t")
    out.type_index = kTVMFFIInt
    out.zero_padding = 0
    out.v_int64 = v
    return 0


cdef inline int _set_str_value(object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    cdef Py_ssize_t size = 0
    cdef const char* data = PyUnicode_AsUTF8AndSize(arg, &size)
    cdef TVMFFIByteArray arr
    if size <= 7:
        TVMFFIPySetSmallBytes(out, kTVMFFISmallStr, data, size)
        return 0
    arr.data = data
    arr.size = size
    if TVMFFIStringFromByteArray(&arr, out) != 0:
        _raise_last_ffi_error()
    if out.type_index >= kTVMFFIStaticObjectBegin:
        _push_owned(ctx, out.v_obj)
    return 0


cdef inline int _set_bytes_data(const char* data, Py_ssize_t size, TVMFFIAny* out,
                                CallCtx* ctx) except -1:
    cdef TVMFFIByteArray arr
    if size <= 7:
        TVMFFIPySetSmallBytes(out, kTVMFFISmallBytes, data, size)
        return 0
    arr.data = data
    arr.size = size
    if TVMFFIBytesFromByteArray(&arr, out) != 0:
        _raise_last_ffi_error()
    if out.type_index >= kTVMFFIStaticObjectBegin:
        _push_owned(ctx, out.v_obj)
    return 0


cdef inline int _set_object(Object obj, TVMFFIAny* out) except -1:
    cdef void* h = obj.chandle
    if h != NULL:
        out.type_index = TVMFFIPyObjectTypeIndex(h)
        out.zero_padding = 0
        out.v_obj = <TVMFFIObject*>h
    elif isinstance(obj, Tensor) and (<Tensor>obj).cdltensor != NULL:
        # a non-owning DLTensor view returned by C++
        out.type_index = kTVMFFIDLTensorPtr
        out.zero_padding = 0
        out.v_ptr = (<Tensor>obj).cdltensor
    else:
        out.type_index = kTVMFFINone
        out.zero_padding = 0
        out.v_int64 = 0
    return 0


cdef inline int _set_owned_object(Object obj, TVMFFIAny* out, CallCtx* ctx) except -1:
    """Pass an object whose Python proxy may die before the call ends (keep a reference)."""
    _set_object(obj, out)
    if obj.chandle != NULL:
        TVMFFIObjectIncRef(obj.chandle)
        _push_owned(ctx, obj.chandle)
    return 0


cdef inline int _set_arg(object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    cdef type t = type(arg)
    if t is int:
        return _set_int(arg, out)
    if t is float:
        out.type_index = kTVMFFIFloat
        out.zero_padding = 0
        out.v_float64 = PyFloat_AS_DOUBLE(arg)
        return 0
    if arg is None:
        out.type_index = kTVMFFINone
        out.zero_padding = 0
        out.v_int64 = 0
        return 0
    if t is str:
        return _set_str_value(arg, out, ctx)
    if t is bool:
        out.type_index = kTVMFFIBool
        out.zero_padding = 0
        out.v_int64 = 1 if arg is True else 0
        return 0
    if PyObject_TypeCheck(arg, <PyTypeObject*>Object):
        return _set_object(<Object>arg, out)
    if t is bytes:
        return _set_bytes_data(PyBytes_AS_STRING(arg), PyBytes_GET_SIZE(arg), out, ctx)
    return _set_arg_slow(arg, t, out, ctx)


cdef int _set_arg_slow(object arg, type t, TVMFFIAny* out, CallCtx* ctx) except -1:
    cdef PyObject* cached = PyDict_GetItem(_TYPE_DISPATCH, t)
    cdef unsigned long long word
    cdef int kind
    if cached == NULL:
        _classify_type(t)
        cached = PyDict_GetItem(_TYPE_DISPATCH, t)
    word = PyLong_AsUnsignedLongLong(<object>cached)
    kind = <int>(word & ((1 << _KIND_BITS) - 1))
    out.zero_padding = 0
    if kind == KIND_INT:
        return _set_int(_operator_index(arg), out)
    elif kind == KIND_FLOAT:
        out.type_index = kTVMFFIFloat
        out.v_float64 = PyFloat_AsDouble(arg)
        return 0
    elif kind == KIND_STR:
        return _set_str_value(arg, out, ctx)
    elif kind == KIND_NATIVE_STR:
        cobj = arg._tvm_ffi_cached_object
        if cobj is not None:
            return _set_object(<Object>cobj, out)
        return _set_str_value(arg, out, ctx)
    elif kind == KIND_BYTES or kind == KIND_NATIVE_BYTES:
        if kind == KIND_NATIVE_BYTES:
            cobj = arg._tvm_ffi_cached_object
            if cobj is not None:
                return _set_object(<Object>cobj, out)
        return _set_bytes_data(PyBytes_AS_STRING(arg), PyBytes_GET_SIZE(arg), out, ctx)
    elif kind == KIND_BYTEARRAY:
        return _set_bytes_data(PyByteArray_AS_STRING(arg), PyByteArray_GET_SIZE(arg), out, ctx)
    elif kind == KIND_NATIVE_CACHED:
        cobj = arg._tvm_ffi_cached_object
        if cobj is None:
            raise ValueError("_tvm_ffi_cached_object is None for " + str(type(arg)))
        return _set_object(<Object>cobj, out)
    elif kind == KIND_DTYPE:
        out.type_index = kTVMFFIDataType
        out.v_int64 = 0
        out.v_dtype = (<DataType>arg.__tvm_ffi_dtype__).cdtype
        return 0
    elif kind == KIND_DEVICE:
        out.type_index = kTVMFFIDevice
        out.v_device = (<Device>arg).cdevice
        return 0
    elif kind == KIND_SEQ:
        return _set_sequence(arg, out, ctx)
    elif kind == KIND_DICT:
        return _set_dict(arg, out, ctx)
    elif kind == KIND_RVALUE:
        ref_obj = arg.obj
        if not isinstance(ref_obj, Object):
            raise TypeError("ObjectRValueRef must wrap an Object")
        if (<Object>ref_obj).chandle == NULL:
            out.type_index = kTVMFFINone
            out.v_int64 = 0
        else:
            out.type_index = kTVMFFIObjectRValueRef
            out.v_ptr = &(<Object>ref_obj).chandle
        return 0
    elif kind == KIND_OBJ_PROTOCOL:
        ref_obj = arg.__tvm_ffi_object__()
        if not isinstance(ref_obj, Object):
            raise TypeError(
                "__tvm_ffi_object__() of " + t.__name__ + " must return a tvm_ffi.Object, got "
                + type(ref_obj).__name__)
        return _set_owned_object(<Object>ref_obj, out, ctx)
    elif kind == KIND_EXCHANGE_API:
        return _set_tensor_exchange_api(
            arg, t, <const DLPackExchangeAPI*><uintptr_t>(word >> _KIND_BITS), out, ctx)
    elif kind == KIND_CUDA_STREAM:
        stream_info = arg.__cuda_stream__()
        out.type_index = kTVMFFIOpaquePtr
        out.v_ptr = PyLong_AsVoidPtr(int(stream_info[1]))
        return 0
    elif kind == KIND_TORCH:
        return _set_tensor_torch_fallback(arg, out, ctx)
    elif kind == KIND_DLPACK:
        return _set_tensor_dlpack(arg, out, ctx)
    elif kind == KIND_CVOIDP:
        value = arg.value
        if value is None:
            raise TypeError("an integer is required")
        out.type_index = kTVMFFIOpaquePtr
        out.v_ptr = PyLong_AsVoidPtr(value)
        return 0
    elif kind == KIND_OPAQUE_PTR_PROTOCOL:
        out.type_index = kTVMFFIOpaquePtr
        out.v_ptr = PyLong_AsVoidPtr(int(arg.__tvm_ffi_opaque_ptr__()))
        return 0
    elif kind == KIND_CALLABLE:
        out.type_index = kTVMFFIFunction
        out.v_obj = <TVMFFIObject*>_make_function_handle(arg)
        _push_owned(ctx, out.v_obj)
        return 0
    elif kind == KIND_TORCH_DTYPE:
        out.type_index = kTVMFFIDataType
        out.v_int64 = 0
        out.v_dtype = (<DataType>_convert_torch_dtype_to_ffi_dtype(arg)).cdtype
        return 0
    elif kind == KIND_NUMPY_DTYPE:
        out.type_index = kTVMFFIDataType
        out.v_int64 = 0
        out.v_dtype = (<DataType>_convert_numpy_dtype_to_ffi_dtype(arg)).cdtype
        return 0
    elif kind == KIND_EXCEPTION:
        return _set_owned_object(<Object>_convert_to_ffi_error(arg), out, ctx)
    elif kind == KIND_CONVERTIBLE:
        converted = arg.asobject()
        if isinstance(converted, Object):
            return _set_owned_object(<Object>converted, out, ctx)
        return _set_arg(converted, out, ctx)
    elif kind == KIND_OBJECT:
        return _set_object(<Object>arg, out)
    elif kind == KIND_BOOL:
        out.type_index = kTVMFFIBool
        out.v_int64 = 1 if arg else 0
        return 0
    elif kind == KIND_NONE:
        out.type_index = kTVMFFINone
        out.v_int64 = 0
        return 0
    # KIND_OPAQUE: any other Python object travels as an OpaquePyObject
    out.type_index = kTVMFFIOpaquePyObject
    out.v_obj = <TVMFFIObject*>_make_opaque_handle(arg)
    _push_owned(ctx, out.v_obj)
    return 0


cdef int _classify_type(type t) except -1:
    """Decide (once per type) how values of type ``t`` are passed; python_api.md section 2.2."""
    cdef int kind
    cdef uintptr_t api_addr = 0
    if t is type(None):
        kind = KIND_NONE
    elif issubclass(t, Object):
        kind = KIND_OBJECT
    elif issubclass(t, ObjectRValueRef):
        kind = KIND_RVALUE
    elif hasattr(t, "__tvm_ffi_object__"):
        kind = KIND_OBJ_PROTOCOL
    elif _lookup_exchange_api(t, &api_addr) != 0:
        kind = KIND_EXCHANGE_API
    elif hasattr(t, "__cuda_stream__"):
        kind = KIND_CUDA_STREAM
    elif _is_torch_tensor_type(t):
        kind = KIND_TORCH
    elif hasattr(t, "__dlpack__"):
        kind = KIND_DLPACK
    elif issubclass(t, bool):
        kind = KIND_BOOL
    elif issubclass(t, _numbers.Integral):
        kind = KIND_INT
    elif issubclass(t, _numbers.Real):
        kind = KIND_FLOAT
    elif _c_class_dtype is not None and issubclass(t, _c_class_dtype):
        kind = KIND_DTYPE
    elif issubclass(t, Device):
        kind = KIND_DEVICE
    elif issubclass(t, PyNativeObject):
        if issubclass(t, str):
            kind = KIND_NATIVE_STR
        elif issubclass(t, bytes):
            kind = KIND_NATIVE_BYTES
        else:
            kind = KIND_NATIVE_CACHED
    elif issubclass(t, str):
        kind = KIND_STR
    elif issubclass(t, bytes):
        kind = KIND_BYTES
    elif issubclass(t, bytearray):
        kind = KIND_BYTEARRAY
    elif issubclass(t, (tuple, list)):
        kind = KIND_SEQ
    elif issubclass(t, dict):
        kind = KIND_DICT
    elif issubclass(t, _ctypes.c_void_p):
        kind = KIND_CVOIDP
    elif hasattr(t, "__tvm_ffi_opaque_ptr__"):
        kind = KIND_OPAQUE_PTR_PROTOCOL
    elif TVMFFIPyTypeInstancesCallable(<PyTypeObject*>t):
        kind = KIND_CALLABLE
    elif _is_torch_dtype_type(t):
        kind = KIND_TORCH_DTYPE
    elif _is_numpy_dtype_type(t):
        kind = KIND_NUMPY_DTYPE
    elif issubclass(t, BaseException):
        kind = KIND_EXCEPTION
    elif issubclass(t, ObjectConvertible):
        kind = KIND_CONVERTIBLE
    else:
        kind = KIND_OPAQUE
    _TYPE_DISPATCH[t] = (<unsigned long long>api_addr << _KIND_BITS) | <unsigned long long>kind
    return kind


cdef object _operator_index = __import__("operator").index


# ------------------------------------------------------------------------------------------------
# Containers built on the fly (tuple/list -> ffi.Array, dict -> ffi.Map)
# ------------------------------------------------------------------------------------------------
# Nesting depth of containers being converted (GIL held while marshalling). Nested lists and
# dicts recurse through C frames, so the depth is bounded well below the C stack size.
cdef int _CONTAINER_DEPTH = 0
DEF _MAX_CONTAINER_DEPTH = 512


cdef int _enter_container() except -1:
    global _CONTAINER_DEPTH
    if _CONTAINER_DEPTH >= _MAX_CONTAINER_DEPTH:
        raise RecursionError(
            "maximum nesting depth (%d) exceeded while converting a nested container"
            % _MAX_CONTAINER_DEPTH)
    _CONTAINER_DEPTH += 1
    return 0


cdef inline void _leave_container() noexcept:
    global _CONTAINER_DEPTH
    _CONTAINER_DEPTH -= 1


cdef int _set_sequence(object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    cdef tuple items = arg if type(arg) is tuple else tuple(arg)
    if _FFI_ARRAY_HANDLE == NULL:
        raise RuntimeError("global function ffi.Array is not available")
    # nested containers recurse through C: bound the depth like Python code
    _enter_container()
    try:
        _call_nested(_FFI_ARRAY_HANDLE, _tuple_items(items), len(items), out, ctx.env)
    finally:
        _leave_container()
    if out.type_index >= kTVMFFIStaticObjectBegin:
        _push_owned(ctx, out.v_obj)
    return 0


cdef int _set_dict(object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    cdef list flat = []
    for k, v in arg.items():
        flat.append(k)
        flat.append(v)
    cdef tuple items = tuple(flat)
    if _FFI_MAP_HANDLE == NULL:
        raise RuntimeError("global function ffi.Map is not available")
    _enter_container()
    try:
        _call_nested(_FFI_MAP_HANDLE, _tuple_items(items), len(items), out, ctx.env)
    finally:
        _leave_container()
    if out.type_index >= kTVMFFIStaticObjectBegin:
        _push_owned(ctx, out.v_obj)
    return 0


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
                   TVMFFIAny* result, EnvCtx* env, bint apply_env, int* out_ret) except -1:
    """Marshal ``args``, call ``fhandle``, release the temporaries.

    On success ``*out_ret`` is 0 and ``result`` holds the owned result; a failing callee leaves
    its safe-call code in ``*out_ret`` (the caller raises, see _ffi_call_exception) so that a
    C++ error shows one Python frame for the call, not one per helper. ``env`` collects
    device/stream/exchange-API information from tensor arguments (shared with nested container
    construction); only the outermost call (``apply_env``) installs it.
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
        if apply_env and (env.device_type != -1 or env.api != NULL):
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


cdef int _call_nested(void* fhandle, PyObject** args, Py_ssize_t nargs, TVMFFIAny* result,
                      EnvCtx* env) except -1:
    """A call made while marshalling (container constructors); raises on failure."""
    cdef int ret = 0
    _call_raw(fhandle, False, args, nargs, result, env, False, &ret)
    if ret != 0:
        raise _ffi_call_exception(ret)
    return 0


cdef int _call_tuple_to_any(Function f, tuple args, TVMFFIAny* result) except -1:
    cdef EnvCtx env
    cdef int ret = 0
    env.device_type = -1
    env.api = NULL
    _call_raw(f.chandle, f.c_release_gil, _tuple_items(args), len(args), result, &env, True, &ret)
    if ret != 0:
        raise _ffi_call_exception(ret)
    return 0


cdef inline object _function_call(Function f, PyObject** args, Py_ssize_t nargs):
    cdef TVMFFIAny result
    cdef EnvCtx env
    cdef int ret = 0
    env.device_type = -1
    env.api = NULL
    if f.chandle == NULL:
        raise ValueError("cannot call a Function with a NULL handle")
    if nargs == 0 and not f.c_release_gil:
        # nothing to marshal or release
        result.type_index = kTVMFFINone
        result.zero_padding = 0
        result.v_int64 = 0
        ret = _safe_call(f.chandle, NULL, 0, &result)
        if ret != 0:
            raise _ffi_call_exception(ret)
        if result.type_index == kTVMFFINone:
            return None
        return _make_ret(&result, NULL)
    _call_raw(f.chandle, f.c_release_gil, args, nargs, &result, &env, True, &ret)
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
    env.device_type = -1
    env.api = NULL
    ctx.env = &env
    ctx.owned = owned_stack
    ctx.num_owned = 0
    try:
        _set_arg(value, &view, &ctx)
        if view.type_index >= kTVMFFIStaticObjectBegin:
            if ctx.num_owned == 1 and ctx.owned[0] == <void*>view.v_obj:
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
