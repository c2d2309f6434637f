# Data types: core.DataType (a DLDataType) and the glue for tvm_ffi.dtype (a str subclass).

# current Python dtype class (tvm_ffi.dtype, installed by tvm_ffi._dtype)
cdef object _c_class_dtype = None
_CLASS_DTYPE = None
# packed (code, bits, lanes) -> canonical string / returned dtype instance
cdef dict _DTYPE_STR_CACHE = {}
cdef dict _DTYPE_RET_CACHE = {}


cdef inline uint32_t _dtype_key(DLDataType d) noexcept:
    return (<uint32_t>d.code) | ((<uint32_t>d.bits) << 8) | ((<uint32_t>d.lanes) << 16)


cdef str _dtype_to_str(DLDataType d):
    cdef uint32_t key = _dtype_key(d)
    cached = _DTYPE_STR_CACHE.get(key)
    if cached is not None:
        return cached
    cdef TVMFFIAny out
    out.type_index = kTVMFFINone
    out.v_int64 = 0
    if TVMFFIDataTypeToString(&d, &out) != 0:
        _raise_last_ffi_error()
    s = _make_ret(&out, NULL)
    s = str(s)
    _DTYPE_STR_CACHE[key] = s
    return s


cdef DLDataType _str_to_dtype(object s) except *:
    cdef bytes b = _c_str(s)
    cdef TVMFFIByteArray arr = _bytes_view(b)
    cdef DLDataType out
    if TVMFFIDataTypeFromString(&arr, &out) != 0:
        _raise_last_ffi_error()
    return out


cdef class DataType:
    """A DLPack data type (type code, bits, lanes)."""
    cdef DLDataType cdtype

    def __init__(self, dtype_str):
        self.cdtype = _str_to_dtype(str(dtype_str))

    def __reduce__(self):
        return (_create_dtype_from_tuple,
                (type(self), self.cdtype.code, self.cdtype.bits, self.cdtype.lanes))

    def __eq__(self, other):
        if not isinstance(other, DataType):
            return False
        return _dtype_key(self.cdtype) == _dtype_key((<DataType>other).cdtype)

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(_dtype_key(self.cdtype))

    @property
    def type_code(self):
        return self.cdtype.code

    @property
    def bits(self):
        return self.cdtype.bits

    @property
    def lanes(self):
        return <int16_t>self.cdtype.lanes

    @property
    def itemsize(self):
        cdef int lanes = <int16_t>self.cdtype.lanes
        if lanes < 0:
            raise ValueError("Cannot determine itemsize for scalable vector types")
        return (self.cdtype.bits * lanes + 7) // 8

    def __str__(self):
        return _dtype_to_str(self.cdtype)

    def __repr__(self):
        return "dtype('" + _dtype_to_str(self.cdtype) + "')"


cdef DataType _new_datatype(uint8_t code, uint8_t bits, uint16_t lanes):
    cdef DataType d = <DataType>_new_instance(DataType)
    d.cdtype.code = code
    d.cdtype.bits = bits
    d.cdtype.lanes = lanes
    return d


def _create_dtype_from_tuple(cls, code, bits, lanes):
    """Build ``cls`` (DataType or a dtype str class) from a (code, bits, lanes) triple."""
    cdef DataType d = _new_datatype(<uint8_t>code, <uint8_t>bits, <uint16_t>(<int>lanes & 0xFFFF))
    if isinstance(cls, type) and issubclass(cls, DataType):
        if cls is DataType:
            return d
        obj = _new_instance(cls)
        (<DataType>obj).cdtype = d.cdtype
        return obj
    val = str.__new__(cls, _dtype_to_str(d.cdtype))
    val.__tvm_ffi_dtype__ = d
    return val


cdef object _make_dtype_ret(DLDataType d):
    cdef uint32_t key = _dtype_key(d)
    cached = _DTYPE_RET_CACHE.get(key)
    if cached is not None:
        return cached
    if _c_class_dtype is None:
        ret = _new_datatype(d.code, d.bits, d.lanes)
    else:
        ret = _create_dtype_from_tuple(_c_class_dtype, d.code, d.bits, d.lanes)
    _DTYPE_RET_CACHE[key] = ret
    return ret


def _set_class_dtype(cls):
    """Install the Python dtype class used for returned data types."""
    global _c_class_dtype, _CLASS_DTYPE
    _c_class_dtype = cls
    _CLASS_DTYPE = cls
    _DTYPE_RET_CACHE.clear()
    _TYPE_DISPATCH.clear()


# ---- framework dtypes --------------------------------------------------------------------------
cdef dict _TORCH_DTYPE_TABLE = None
cdef dict _NUMPY_DTYPE_TABLE = None


cdef dict _build_torch_dtype_table():
    import torch
    table = {}
    entries = [
        ("int8", 0, 8, 1), ("short", 0, 16, 1), ("int16", 0, 16, 1), ("int", 0, 32, 1),
        ("int32", 0, 32, 1), ("long", 0, 64, 1), ("int64", 0, 64, 1),
        ("uint8", 1, 8, 1), ("uint16", 1, 16, 1), ("uint32", 1, 32, 1), ("uint64", 1, 64, 1),
        ("half", 2, 16, 1), ("float16", 2, 16, 1), ("float", 2, 32, 1), ("float32", 2, 32, 1),
        ("double", 2, 64, 1), ("float64", 2, 64, 1), ("bfloat16", 4, 16, 1), ("bool", 6, 8, 1),
        ("float8_e4m3fn", 10, 8, 1), ("float8_e4m3fnuz", 11, 8, 1), ("float8_e5m2", 12, 8, 1),
        ("float8_e5m2fnuz", 13, 8, 1), ("float8_e8m0fnu", 14, 8, 1), ("float4_e2m1fn_x2", 17, 4, 2),
    ]
    for name, code, bits, lanes in entries:
        dt = getattr(torch, name, None)
        if dt is not None:
            table[dt] = _new_datatype(code, bits, lanes)
    return table


cdef dict _build_numpy_dtype_table():
    import numpy as np
    table = {}
    for name, code, bits in [
        ("int8", 0, 8), ("int16", 0, 16), ("int32", 0, 32), ("int64", 0, 64),
        ("uint8", 1, 8), ("uint16", 1, 16), ("uint32", 1, 32), ("uint64", 1, 64),
        ("float16", 2, 16), ("float32", 2, 32), ("float64", 2, 64),
    ]:
        table[np.dtype(name)] = _new_datatype(code, bits, 1)
    try:
        import ml_dtypes
        for name, code, bits in [
            ("int2", 0, 2), ("int4", 0, 4), ("uint2", 1, 2), ("uint4", 1, 4), ("bfloat16", 4, 16),
            ("float8_e3m4", 7, 8), ("float8_e4m3", 8, 8), ("float8_e4m3b11fnuz", 9, 8),
            ("float8_e4m3fn", 10, 8), ("float8_e4m3fnuz", 11, 8), ("float8_e5m2", 12, 8),
            ("float8_e5m2fnuz", 13, 8), ("float8_e8m0fnu", 14, 8), ("float6_e2m3fn", 15, 6),
            ("float6_e3m2fn", 16, 6), ("float4_e2m1fn", 17, 4),
        ]:
            t = getattr(ml_dtypes, name, None)
            if t is not None:
                table[np.dtype(t)] = _new_datatype(code, bits, 1)
    except ImportError:
        pass
    return table


def _convert_torch_dtype_to_ffi_dtype(t):
    """``torch.dtype`` -> ``DataType``; unsupported dtypes raise ValueError."""
    global _TORCH_DTYPE_TABLE
    if _TORCH_DTYPE_TABLE is None:
        _TORCH_DTYPE_TABLE = _build_torch_dtype_table()
    ret = _TORCH_DTYPE_TABLE.get(t)
    if ret is None:
        raise ValueError("Unsupported torch dtype: " + str(t))
    return ret


def _convert_numpy_dtype_to_ffi_dtype(d):
    """``numpy.dtype`` -> ``DataType``; unsupported dtypes raise ValueError."""
    global _NUMPY_DTYPE_TABLE
    if _NUMPY_DTYPE_TABLE is None:
        _NUMPY_DTYPE_TABLE = _build_numpy_dtype_table()
    ret = _NUMPY_DTYPE_TABLE.get(d)
    if ret is None:
        raise ValueError("Unsupported numpy dtype: " + str(d))
    return ret


cdef bint _is_torch_dtype_type(type t):
    torch = _sys.modules.get("torch")
    return torch is not None and issubclass(t, torch.dtype)


cdef bint _is_numpy_dtype_type(type t):
    np = _sys.modules.get("numpy")
    return np is not None and issubclass(t, np.dtype)


cdef bint _is_torch_tensor_type(type t):
    torch = _sys.modules.get("torch")
    return torch is not None and issubclass(t, torch.Tensor)
