# The conversion table: Python value -> FFI value, for EVERY entry point (call arguments,
# constructors, field setters, callback return values, container elements, tvm_ffi.convert).
#
# A Python type is classified ONCE (first call with a value of that type) by walking _ARG_TABLE
# in order; the result is an _ArgSetter cached per type in _TYPE_DISPATCH, and every entry point
# calls that same setter (_set_arg). The exact builtin types that dominate real calls (int, float,
# None, str, bool, Object subclasses, bytes) are tested by pointer comparison before the cache.
#
# Each row of _ARG_TABLE says, in one place:
#   name     the row's name (what tests and _ArgSetter.kind report)
#   test     type -> bool (or, for the exchange-API row, the table address / 0)
#   setter   the C function that writes the value into a TVMFFIAny (NULL: a convert()-only row)
#   convert  what tvm_ffi.convert() does with such a value:
#              _KEEP      return the value unchanged (ints, floats, Objects, pointers, ...)
#              _MARSHAL   pass it through the setter and return the FFI value built from it
#              _SKIP      this row does not apply to convert(); later rows decide
#              a callable f(value) -> result (String/Bytes proxies, OpaquePyObject wrappers, ...)
# The first row whose test matches (and that has a setter) decides how a value is passed; the
# first matching row whose convert is not _SKIP decides convert(). That is where the intended
# differences between passing a value and convert()-ing it live (a callable ObjectConvertible is
# passed as a Function but converted with asobject(); an int is passed as Int but converted to
# itself; ...), and tests/test_conversion_table.py pins the resulting FFI types.
#
# ADDING AN ARGUMENT PROTOCOL (e.g. a class attribute ``__my_protocol__``) IS ONE EDIT: write its
# setter function below and insert one _rule(...) line at its position in _ARG_TABLE.

cdef class _ArgSetter


ctypedef int (*_SetFn)(_ArgSetter s, object arg, TVMFFIAny* out, CallCtx* ctx) except -1


cdef object _KEEP = "keep"
cdef object _MARSHAL = "marshal"
cdef object _SKIP = "skip"


cdef class _ArgSetter:
    """How values of one Python type are passed (cached per type) or, as a table row, a rule."""
    cdef _SetFn fn
    # exchange-API row: the type's DLPackExchangeAPI
    cdef const DLPackExchangeAPI* api
    # the row that decides call arguments / convert()
    cdef readonly str kind
    cdef readonly str convert_kind
    cdef readonly object convert
    # table rows only: the type test
    cdef readonly object test

    def __repr__(self):
        return "<_ArgSetter %s (convert: %s)>" % (self.kind, self.convert_kind)


cdef _ArgSetter _rule(str name, object test, _SetFn fn, object convert):
    cdef _ArgSetter r = _ArgSetter.__new__(_ArgSetter)
    r.kind = name
    r.convert_kind = name
    r.test = test
    r.fn = fn
    r.convert = convert
    r.api = NULL
    return r


# ------------------------------------------------------------------------------------------------
# Setters (one per row)
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
    out.zero_padding = 0
    if h != NULL:
        out.type_index = TVMFFIPyObjectTypeIndex(h)
        out.v_obj = <TVMFFIObject*>h
    elif isinstance(obj, Tensor) and (<Tensor>obj).cdltensor != NULL:
        # a non-owning DLTensor view returned by C++
        out.type_index = kTVMFFIDLTensorPtr
        out.v_ptr = (<Tensor>obj).cdltensor
    else:
        out.type_index = kTVMFFINone
        out.v_int64 = 0
    return 0


cdef inline int _set_owned_object(Object obj, TVMFFIAny* out, CallCtx* ctx) except -1:
    """Pass an object whose Python proxy may die before the call ends (keep a reference)."""
    _set_object(obj, out)
    if obj.chandle != NULL:
        TVMFFIObjectIncRef(obj.chandle)
        _push_owned(ctx, obj.chandle)
    return 0


cdef int _s_none(_ArgSetter s, object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    out.type_index = kTVMFFINone
    out.v_int64 = 0
    return 0


cdef int _s_object(_ArgSetter s, object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    return _set_object(<Object>arg, out)


cdef int _s_rvalue(_ArgSetter s, object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
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


cdef int _s_object_protocol(_ArgSetter s, object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    ref_obj = arg.__tvm_ffi_object__()
    if not isinstance(ref_obj, Object):
        raise TypeError(
            "__tvm_ffi_object__() of " + type(arg).__name__ + " must return a tvm_ffi.Object, got "
            + type(ref_obj).__name__)
    return _set_owned_object(<Object>ref_obj, out, ctx)


cdef int _s_exchange_api(_ArgSetter s, object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    return _set_tensor_exchange_api(arg, s.api, out, ctx)


cdef int _s_cuda_stream(_ArgSetter s, object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    stream_info = arg.__cuda_stream__()
    out.type_index = kTVMFFIOpaquePtr
    out.v_ptr = PyLong_AsVoidPtr(int(stream_info[1]))
    return 0


cdef int _s_torch_fallback(_ArgSetter s, object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    return _set_tensor_torch_fallback(arg, out, ctx)


cdef int _s_dlpack(_ArgSetter s, object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    return _set_tensor_dlpack(arg, out, ctx)


cdef int _s_numpy(_ArgSetter s, object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    return _set_tensor_numpy(arg, out, ctx)


cdef int _s_bool(_ArgSetter s, object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    out.type_index = kTVMFFIBool
    out.v_int64 = 1 if arg else 0
    return 0


cdef int _s_integral(_ArgSetter s, object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    return _set_int(_operator_index(arg), out)


cdef int _s_real(_ArgSetter s, object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    out.type_index = kTVMFFIFloat
    out.v_float64 = PyFloat_AsDouble(arg)
    return 0


cdef int _s_dtype(_ArgSetter s, object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    out.type_index = kTVMFFIDataType
    out.v_int64 = 0
    out.v_dtype = (<DataType>arg.__tvm_ffi_dtype__).cdtype
    return 0


cdef int _s_device(_ArgSetter s, object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    out.type_index = kTVMFFIDevice
    out.v_device = (<Device>arg).cdevice
    return 0


cdef int _s_native_str(_ArgSetter s, object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    cobj = arg._tvm_ffi_cached_object
    if cobj is not None:
        return _set_object(<Object>cobj, out)
    return _set_str_value(arg, out, ctx)


cdef int _s_native_bytes(_ArgSetter s, object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    cobj = arg._tvm_ffi_cached_object
    if cobj is not None:
        return _set_object(<Object>cobj, out)
    return _set_bytes_data(PyBytes_AS_STRING(arg), PyBytes_GET_SIZE(arg), out, ctx)


cdef int _s_native_cached(_ArgSetter s, object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    cobj = arg._tvm_ffi_cached_object
    if cobj is None:
        raise ValueError("_tvm_ffi_cached_object is None for " + str(type(arg)))
    return _set_object(<Object>cobj, out)


cdef int _s_str(_ArgSetter s, object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    return _set_str_value(arg, out, ctx)


cdef int _s_bytes(_ArgSetter s, object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    return _set_bytes_data(PyBytes_AS_STRING(arg), PyBytes_GET_SIZE(arg), out, ctx)


cdef int _s_bytearray(_ArgSetter s, object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    return _set_bytes_data(PyByteArray_AS_STRING(arg), PyByteArray_GET_SIZE(arg), out, ctx)


cdef int _s_sequence(_ArgSetter s, object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    return _set_container(arg, out, ctx)


cdef int _s_dict(_ArgSetter s, object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    return _set_container(arg, out, ctx)


cdef int _s_c_void_p(_ArgSetter s, object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    value = arg.value
    out.type_index = kTVMFFIOpaquePtr
    out.v_ptr = NULL if value is None else PyLong_AsVoidPtr(value)
    return 0


cdef int _s_opaque_ptr_protocol(_ArgSetter s, object arg, TVMFFIAny* out,
                                CallCtx* ctx) except -1:
    out.type_index = kTVMFFIOpaquePtr
    out.v_ptr = PyLong_AsVoidPtr(int(arg.__tvm_ffi_opaque_ptr__()))
    return 0


cdef int _s_callable(_ArgSetter s, object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    out.type_index = kTVMFFIFunction
    out.v_obj = <TVMFFIObject*>_make_function_handle(arg)
    _push_owned(ctx, out.v_obj)
    return 0


cdef int _s_torch_dtype(_ArgSetter s, object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    out.type_index = kTVMFFIDataType
    out.v_int64 = 0
    out.v_dtype = (<DataType>_convert_torch_dtype_to_ffi_dtype(arg)).cdtype
    return 0


cdef int _s_numpy_dtype(_ArgSetter s, object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    out.type_index = kTVMFFIDataType
    out.v_int64 = 0
    out.v_dtype = (<DataType>_convert_numpy_dtype_to_ffi_dtype(arg)).cdtype
    return 0


cdef int _s_exception(_ArgSetter s, object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    return _set_owned_object(<Object>_convert_to_ffi_error(arg), out, ctx)


cdef int _s_convertible(_ArgSetter s, object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    converted = arg.asobject()
    if isinstance(converted, Object):
        return _set_owned_object(<Object>converted, out, ctx)
    return _set_arg(converted, out, ctx)


cdef int _s_opaque(_ArgSetter s, object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    out.type_index = kTVMFFIOpaquePyObject
    out.v_obj = <TVMFFIObject*>_make_opaque_handle(arg)
    _push_owned(ctx, out.v_obj)
    return 0


# ------------------------------------------------------------------------------------------------
# The table (order = python_api.md's argument classification order)
# ------------------------------------------------------------------------------------------------
cdef object _operator_index = __import__("operator").index


def _t_exchange_api(t):
    cdef uintptr_t addr = 0
    if _lookup_exchange_api(<type>t, &addr) != 0:
        return addr
    return 0


def _t_dtype_class(t):
    return _c_class_dtype is not None and issubclass(t, _c_class_dtype)


def _t_native(base):
    return lambda t: issubclass(t, PyNativeObject) and (base is None or issubclass(t, base))


def _convert_asobject(value):
    return value.asobject()


cdef list _ARG_TABLE = [
    _rule("none", lambda t: t is type(None), _s_none, _MARSHAL),
    _rule("object", lambda t: issubclass(t, Object), _s_object, _KEEP),
    _rule("rvalue_ref", lambda t: issubclass(t, ObjectRValueRef), _s_rvalue,
          _convert_to_opaque_object),
    _rule("tvm_ffi_object", lambda t: hasattr(t, "__tvm_ffi_object__"), _s_object_protocol,
          _MARSHAL),
    _rule("dlpack_exchange_api", _t_exchange_api, _s_exchange_api, _MARSHAL),
    _rule("cuda_stream", lambda t: hasattr(t, "__cuda_stream__"), _s_cuda_stream, _KEEP),
    _rule("torch_tensor", lambda t: _is_torch_tensor_type(<type>t), _s_torch_fallback, _MARSHAL),
    # numpy.ndarray (exact type): what its __dlpack__ describes, read without the capsule
    _rule("numpy_ndarray", lambda t: _is_numpy_ndarray_type(<type>t), _s_numpy, _MARSHAL),
    _rule("dlpack", lambda t: hasattr(t, "__dlpack__"), _s_dlpack, _MARSHAL),
    _rule("bool", lambda t: issubclass(t, bool), _s_bool, _KEEP),
    _rule("integral", lambda t: issubclass(t, _numbers.Integral), _s_integral, _KEEP),
    _rule("real", lambda t: issubclass(t, _numbers.Real), _s_real, _KEEP),
    # convert() keeps every number (complex too); as an argument a complex is opaque
    _rule("number", lambda t: issubclass(t, _numbers.Number), NULL, _KEEP),
    # convert() treats a dtype (a str subclass) as a string: it becomes a String
    _rule("dtype", _t_dtype_class, _s_dtype, String),
    # convert() wraps a Device as an OpaquePyObject (it is not in convert's keep-as-is list)
    _rule("device", lambda t: issubclass(t, Device), _s_device, _convert_to_opaque_object),
    _rule("native_str", _t_native(str), _s_native_str, _KEEP),
    _rule("native_bytes", _t_native(bytes), _s_native_bytes, _KEEP),
    _rule("native_object", _t_native(None), _s_native_cached, _KEEP),
    _rule("str", lambda t: issubclass(t, str), _s_str, String),
    _rule("bytes", lambda t: issubclass(t, bytes), _s_bytes, Bytes),
    _rule("bytearray", lambda t: issubclass(t, bytearray), _s_bytearray, Bytes),
    _rule("sequence", lambda t: issubclass(t, (tuple, list)), _s_sequence, _MARSHAL),
    _rule("dict", lambda t: issubclass(t, dict), _s_dict, _MARSHAL),
    _rule("c_void_p", lambda t: issubclass(t, _ctypes.c_void_p), _s_c_void_p, _KEEP),
    _rule("opaque_ptr", lambda t: hasattr(t, "__tvm_ffi_opaque_ptr__"), _s_opaque_ptr_protocol,
          _KEEP),
    # convert() asks an ObjectConvertible before treating it as a callable; arguments do not
    _rule("object_convertible_convert", lambda t: issubclass(t, ObjectConvertible), NULL,
          _convert_asobject),
    _rule("callable", lambda t: TVMFFIPyTypeInstancesCallable(<PyTypeObject*>t), _s_callable,
          _MARSHAL),
    _rule("torch_dtype", lambda t: _is_torch_dtype_type(<type>t), _s_torch_dtype,
          _convert_torch_dtype_to_ffi_dtype),
    _rule("numpy_dtype", lambda t: _is_numpy_dtype_type(<type>t), _s_numpy_dtype,
          _convert_numpy_dtype_to_ffi_dtype),
    _rule("exception", lambda t: issubclass(t, BaseException), _s_exception, _MARSHAL),
    _rule("object_convertible", lambda t: issubclass(t, ObjectConvertible), _s_convertible,
          _convert_asobject),
    _rule("opaque", lambda t: True, _s_opaque, _convert_to_opaque_object),
]

# type -> _ArgSetter. The dict keeps every classified type alive, so type addresses are never
# reused; it is cleared when a class the table tests for changes (e.g. the dtype class).
cdef dict _TYPE_DISPATCH = {}


cdef _ArgSetter _classify_type(type t):
    """Walk _ARG_TABLE once for ``t`` and cache the resulting setter."""
    cdef _ArgSetter row
    cdef _ArgSetter arg_row = None
    cdef _ArgSetter convert_row = None
    cdef uintptr_t api_addr = 0
    for row in _ARG_TABLE:
        need_arg = arg_row is None and row.fn != NULL
        need_convert = convert_row is None and row.convert is not _SKIP
        if not (need_arg or need_convert):
            continue
        hit = row.test(t)
        if not hit:
            continue
        if need_arg:
            arg_row = row
            if row.fn == _s_exchange_api:
                api_addr = <uintptr_t>hit
        if need_convert:
            convert_row = row
        if arg_row is not None and convert_row is not None:
            break
    cdef _ArgSetter s = _ArgSetter.__new__(_ArgSetter)
    s.fn = arg_row.fn
    s.api = <const DLPackExchangeAPI*>api_addr
    s.kind = arg_row.kind
    s.convert = convert_row.convert
    s.convert_kind = convert_row.kind
    _TYPE_DISPATCH[t] = s
    return s


cdef inline _ArgSetter _setter_for(type t):
    cdef PyObject* cached = PyDict_GetItem(_TYPE_DISPATCH, t)
    if cached != NULL:
        return <_ArgSetter>cached
    return _classify_type(t)


# ------------------------------------------------------------------------------------------------
# Entry points
# ------------------------------------------------------------------------------------------------
cdef inline int _set_arg(object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    """Python value -> TVMFFIAny view (temporaries recorded in ``ctx``)."""
    cdef type t = type(arg)
    cdef _ArgSetter s
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
    s = _setter_for(t)
    out.zero_padding = 0
    return s.fn(s, arg, out, ctx)


def _arg_kind(value):
    """Names of the table rows deciding how ``value`` is passed and converted (tests)."""
    cdef _ArgSetter s = _setter_for(type(value))
    return (s.kind, s.convert_kind)


def _convert_to_object(value):
    """``tvm_ffi.convert``: Python value -> FFI value (see the table above)."""
    cdef _ArgSetter s = _setter_for(type(value))
    action = s.convert
    if action is _KEEP:
        return value
    if action is _MARSHAL:
        return _marshal_to_py(value)
    return action(value)


cdef object _marshal_to_py(object value):
    """Pass ``value`` through the table and convert the result back (owned)."""
    cdef TVMFFIAny result
    result.type_index = kTVMFFINone
    result.v_int64 = 0
    _set_owned_ret(value, &result)
    return _make_ret(&result, NULL)


def _marshal_type_index(value):
    """Type index of the FFI value that ``value`` is passed as (tests and debugging)."""
    cdef TVMFFIAny view
    cdef void* owned_stack[1]
    cdef CallCtx ctx
    cdef EnvCtx env
    _ctx_init(&ctx, &env, owned_stack)
    try:
        _set_arg(value, &view, &ctx)
        return view.type_index
    finally:
        _release_owned(&ctx)
