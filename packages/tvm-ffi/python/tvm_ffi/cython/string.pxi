# String / Bytes: builtin-subclass proxies that can cache the FFI object they came from.

class String(str, PyNativeObject):
    """A ``str`` that may carry its ``ffi.String`` object (``_tvm_ffi_cached_object``)."""
    __slots__ = ["_tvm_ffi_cached_object"]

    def __new__(cls, value):
        val = str.__new__(cls, value)
        val._tvm_ffi_cached_object = None
        return val

    @staticmethod
    def __from_tvm_ffi_object__(cls, obj):
        """Build from an ``ffi.String`` object (kept as the cached object)."""
        cdef Object o = <Object>obj
        cdef TVMFFIByteArray* arr = <TVMFFIByteArray*>TVMFFIPyObjectCell(o.chandle)
        val = str.__new__(cls, PyUnicode_DecodeUTF8(arr.data, arr.size, "surrogateescape"))
        val._tvm_ffi_cached_object = obj
        return val

    def __reduce__(self):
        # pickles (and copies) as a plain str: the cached FFI object is not part of the value
        return (str, (str(self),))

    def __reduce_ex__(self, protocol):
        return (str, (str(self),))


class Bytes(bytes, PyNativeObject):
    """A ``bytes`` that may carry its ``ffi.Bytes`` object (``_tvm_ffi_cached_object``)."""

    def __new__(cls, value):
        val = bytes.__new__(cls, value)
        val._tvm_ffi_cached_object = None
        return val

    @staticmethod
    def __from_tvm_ffi_object__(cls, obj):
        """Build from an ``ffi.Bytes`` object (kept as the cached object)."""
        cdef Object o = <Object>obj
        cdef TVMFFIByteArray* arr = <TVMFFIByteArray*>TVMFFIPyObjectCell(o.chandle)
        val = bytes.__new__(cls, PyBytes_FromStringAndSize(arr.data, arr.size))
        val._tvm_ffi_cached_object = obj
        return val

    def __reduce__(self):
        # pickles (and copies) as plain bytes: the cached FFI object is not part of the value
        return (bytes, (bytes(self),))

    def __reduce_ex__(self, protocol):
        return (bytes, (bytes(self),))


cdef object _make_string(void* h):
    """Owned ``ffi.String`` handle -> ``String`` (takes the reference on success)."""
    cdef TVMFFIByteArray* arr = <TVMFFIByteArray*>TVMFFIPyObjectCell(h)
    val = str.__new__(String, PyUnicode_DecodeUTF8(arr.data, arr.size, "surrogateescape"))
    cdef Object cached = <Object>_new_instance(Object)
    cached.chandle = h
    val._tvm_ffi_cached_object = cached
    return val


cdef object _make_bytes(void* h):
    """Owned ``ffi.Bytes`` handle -> ``Bytes`` (takes the reference on success)."""
    cdef TVMFFIByteArray* arr = <TVMFFIByteArray*>TVMFFIPyObjectCell(h)
    val = bytes.__new__(Bytes, PyBytes_FromStringAndSize(arr.data, arr.size))
    cdef Object cached = <Object>_new_instance(Object)
    cached.chandle = h
    val._tvm_ffi_cached_object = cached
    return val
