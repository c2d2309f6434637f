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
    """``arr[idx]``: an index (anything with ``__index__``, bools included, as for a list;
    negative counts from the end) or a slice (returns a list)."""
    cdef void* h = _array_handle(arr)
    cdef int64_t size = _array_size_of(h)
    cdef TVMFFIAny* data = _array_data(h)
    if isinstance(idx, slice):
        start, stop, step = idx.indices(size)
        return [_array_cell_to_py(&data[j]) for j in range(start, stop, step)]
    if type(idx) is not int:
        if not hasattr(type(idx), "__index__"):
            raise TypeError("indices must be integers or slices, not " + type(idx).__name__)
        idx = _operator_index(idx)
    # compare as Python ints: an index beyond int64 is out of range, not an overflow
    pos = idx + size if idx < 0 else idx
    if pos < 0 or pos >= size:
        raise IndexError("Index out of range. size: %d, got index %d" % (size, idx))
    return _array_cell_to_py(&data[<int64_t>pos])


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


def _print_debug_info():
    """Print internal dispatch statistics."""
    print("tvm_ffi.core: %d Python types in the argument dispatch cache" % len(_TYPE_DISPATCH))
