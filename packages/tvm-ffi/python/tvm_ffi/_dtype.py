"""``tvm_ffi.dtype``: a str subclass naming a data type (python_api.md section 3.10)."""

from enum import IntEnum

from . import core


class DataTypeCode(IntEnum):
    """Type codes of DLDataType."""

    INT = 0
    UINT = 1
    FLOAT = 2
    HANDLE = 3
    BFLOAT = 4
    Float8E3M4 = 7
    Float8E4M3 = 8
    Float8E4M3B11FNUZ = 9
    Float8E4M3FN = 10
    Float8E4M3FNUZ = 11
    Float8E5M2 = 12
    Float8E5M2FNUZ = 13
    Float8E8M0FNU = 14
    Float6E2M3FN = 15
    Float6E3M2FN = 16
    Float4E2M1FN = 17


class _NumpyDtypeTable(dict):
    """numpy/ml_dtypes dtype -> canonical name; filled on first use so that importing tvm_ffi
    does not import numpy."""

    _filled = False

    def _ensure(self):
        if not self._filled:
            self._filled = True
            _init_numpy_table(self)

    def __getitem__(self, key):
        self._ensure()
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        self._ensure()
        return dict.get(self, key, default)

    def __contains__(self, key):
        self._ensure()
        return dict.__contains__(self, key)

    def __iter__(self):
        self._ensure()
        return dict.__iter__(self)

    def __len__(self):
        self._ensure()
        return dict.__len__(self)

    def keys(self):
        self._ensure()
        return dict.keys(self)

    def values(self):
        self._ensure()
        return dict.values(self)

    def items(self):
        self._ensure()
        return dict.items(self)

    def __repr__(self):
        self._ensure()
        return dict.__repr__(self)


class dtype(str):
    """A data type, e.g. ``tvm_ffi.dtype("float32")``; the instance is the string itself.

    Properties ``type_code``, ``bits``, ``lanes`` and ``itemsize`` describe the DLDataType.
    """

    __slots__ = ["__tvm_ffi_dtype__"]
    __tvm_ffi_dtype__: core.DataType

    _NUMPY_DTYPE_TO_STR = _NumpyDtypeTable()

    def __new__(cls, content):
        if not isinstance(content, str):
            content = cls._NUMPY_DTYPE_TO_STR.get(_numpy_key(content), content)
        text = str(content)
        val = str.__new__(cls, text)
        val.__tvm_ffi_dtype__ = core.DataType(text)
        return val

    def __repr__(self):
        return "dtype('" + str(self) + "')"

    def __reduce__(self):
        d = self.__tvm_ffi_dtype__
        return (_restore_dtype, (type(self), str(self), d.type_code, d.bits, d.lanes))

    @property
    def type_code(self):
        return self.__tvm_ffi_dtype__.type_code

    @property
    def bits(self):
        return self.__tvm_ffi_dtype__.bits

    @property
    def lanes(self):
        return self.__tvm_ffi_dtype__.lanes

    @property
    def itemsize(self):
        return self.__tvm_ffi_dtype__.itemsize

    def with_lanes(self, lanes):
        """The same type code and bits with ``lanes`` lanes."""
        d = self.__tvm_ffi_dtype__
        return core._create_dtype_from_tuple(type(self), d.type_code, d.bits, lanes)


def _restore_dtype(cls, text, code, bits, lanes):
    val = str.__new__(cls, text)
    val.__tvm_ffi_dtype__ = core._create_dtype_from_tuple(core.DataType, code, bits, lanes)
    return val


def _numpy_key(content):
    """numpy dtypes (and scalar types) are looked up in _NUMPY_DTYPE_TO_STR."""
    if isinstance(content, str):
        return None
    try:
        hash(content)
    except TypeError:
        return None
    return content


def _init_numpy_table(table):
    try:
        import numpy as np
    except ImportError:
        return
    for name in [
        "bool",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "float16",
        "float32",
        "float64",
    ]:
        dict.__setitem__(table, np.dtype(name), name)
        dict.__setitem__(table, getattr(np, name) if name != "bool" else np.bool_, name)
    try:
        import ml_dtypes
    except ImportError:
        return
    for name in [
        "bfloat16",
        "float8_e3m4",
        "float8_e4m3",
        "float8_e4m3b11fnuz",
        "float8_e4m3fn",
        "float8_e4m3fnuz",
        "float8_e5m2",
        "float8_e5m2fnuz",
        "float8_e8m0fnu",
        "float6_e2m3fn",
        "float6_e3m2fn",
        "float4_e2m1fn",
        "int2",
        "int4",
        "uint2",
        "uint4",
    ]:
        t = getattr(ml_dtypes, name, None)
        if t is not None:
            dict.__setitem__(table, np.dtype(t), name)
            dict.__setitem__(table, t, name)


core._set_class_dtype(dtype)
