# Native helpers for containers (Array element access reads the ABI-fixed ArrayObj layout:
# data_ at +24, size_ at +32, see layouts.md section 1), Shape and convert().

cdef inline TVMFFIAny* _array_data(void* h) noexcept:
    return (<TVMFFIAny**>(<char*>h + sizeof(TVMFFIObject)))[0]


cdef inline int64_t _array_size_of(void* h) noexcept:
    return (<int64_t*>(<char*>h + sizeof(TVMFFIObject) + sizeof(void*)))[0]


cdef inline void* _array_handle(object arr) except NULL:
    if not isinstance(arr, Object):
        raise TypeError("expect a tvm_ffi.Array, got " + type(arr).__name__)
    cdef void* h = (<Object>arr).chandle
    if h == NULL:
        raise ValueError("Array has a NULL handle")
    if TVMFFIPyObjectTypeIndex(h) != kTVMFFIArray:
        raise TypeError("expect an ffi.Array object")
    return h


cdef inline object _array_cell_to_py(const TVMFFIAny* cell):
    cdef TVMFFIAny owned = cell[0]
    if owned.type_index >= kTVMFFIStaticObjectBegin:
        TVMFFIObjectIncRef(owned.v_obj)
    return _make_ret(&owned, NULL)


def _array_len(arr):
    """Number of elements of an ``ffi.Array``."""
    return _array_size_of(_array_handle(arr))


def _array_getitem(arr, idx):
    """``arr[idx]``: int index (negative allowed) or slice (returns a list)."""
    cdef void* h = _array_handle(arr)
    cdef int64_t size = _array_size_of(h)
    cdef int64_t i
    cdef TVMFFIAny* data = _array_data(h)
    if isinstance(idx, slice):
        start, stop, step = idx.indices(size)
        return [_array_cell_to_py(&data[j]) for j in range(start, stop, step)]
    if isinstance(idx, bool) or not isinstance(idx, int):
        if hasattr(type(idx), "__index__") and not isinstance(idx, bool):
            idx = _operator_index(idx)
        else:
            raise TypeError("indices must be integers or slices, not " + type(idx).__name__)
    i = idx
    if i < 0:
        i += size
    if i < 0 or i >= size:
        raise IndexError("Index out of range. size: %d, got index %d" % (size, idx))
    return _array_cell_to_py(&data[i])


def _array_iter(arr):
    """Iterator over the converted elements of an ``ffi.Array``."""
    cdef void* h = _array_handle(arr)
    cdef int64_t size = _array_size_of(h)
    cdef TVMFFIAny* data = _array_data(h)
    cdef int64_t i
    return iter([_array_cell_to_py(&data[i]) for i in range(size)])


def _shape_obj_get_py_tuple(obj):
    """The dimensions of an ``ffi.Shape`` object as a tuple of ints."""
    if not isinstance(obj, Object) or (<Object>obj).chandle == NULL:
        raise TypeError("expect an ffi.Shape object")
    cdef void* h = (<Object>obj).chandle
    if TVMFFIPyObjectTypeIndex(h) != kTVMFFIShape:
        raise TypeError("expect an ffi.Shape object")
    cdef TVMFFIShapeCell* cell = <TVMFFIShapeCell*>TVMFFIPyObjectCell(h)
    cdef size_t i
    return tuple([cell.data[i] for i in range(cell.size)])


cdef object _marshal_to_py(object value):
    """Pass ``value`` through the argument table and convert the result back (owned)."""
    cdef TVMFFIAny result
    result.type_index = kTVMFFINone
    result.v_int64 = 0
    _set_owned_ret(value, &result)
    return _make_ret(&result, NULL)


def _convert_to_object(value):
    """``tvm_ffi.convert``: Python value -> FFI value (python_api.md section 2.1)."""
    if isinstance(value, (Object, PyNativeObject, bool, _numbers.Number)):
        return value
    if isinstance(value, (tuple, list, dict)):
        return _marshal_to_py(value)
    if isinstance(value, str):
        return String(value)
    if isinstance(value, (bytes, bytearray)):
        return Bytes(value)
    if isinstance(value, ObjectConvertible):
        return value.asobject()
    if callable(value):
        return _convert_to_ffi_func(value)
    if value is None:
        return None
    if hasattr(value, "__dlpack__"):
        return from_dlpack(value)
    cdef type t = type(value)
    if _is_torch_dtype_type(t):
        return _convert_torch_dtype_to_ffi_dtype(value)
    if _is_numpy_dtype_type(t):
        return _convert_numpy_dtype_to_ffi_dtype(value)
    if isinstance(value, Exception):
        return _convert_to_ffi_error(value)
    return _convert_to_opaque_object(value)


def _print_debug_info():
    """Print internal dispatch statistics."""
    print("tvm_ffi.core: %d Python types in the argument dispatch cache" % len(_TYPE_DISPATCH))
