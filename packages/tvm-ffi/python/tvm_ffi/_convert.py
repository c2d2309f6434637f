"""``tvm_ffi.convert``: explicit Python -> FFI conversion."""

from . import core


def convert(value):
    """Convert a Python value to its FFI counterpart.

    Objects, String/Bytes/Shape, bools and numbers are returned unchanged; lists/tuples become
    ``Array``, dicts become ``Map``, str/bytes become ``core.String``/``core.Bytes``, callables
    become ``Function``, DLPack producers become ``Tensor``, torch/numpy dtypes become
    ``core.DataType``, exceptions become ``core.Error`` and anything else is wrapped as
    ``core.OpaquePyObject``.

    Examples
    --------
    .. code-block:: python

        arr = tvm_ffi.convert([1, 2, 3])
        assert isinstance(arr, tvm_ffi.Array)
        m = tvm_ffi.convert({"a": 1})
        assert isinstance(m, tvm_ffi.Map)
    """
    return core._convert_to_object(value)
