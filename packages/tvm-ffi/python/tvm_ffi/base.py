"""Load the shared library libtvm_ffi (process-global, RTLD_GLOBAL) before tvm_ffi.core."""

from . import libinfo

# The ctypes.CDLL of libtvm_ffi, also exported as ``tvm_ffi.LIB``.
_LIB = libinfo.load_lib_ctypes("apache-tvm-ffi", "tvm_ffi", "RTLD_GLOBAL")
_LIB_PATH = _LIB._name
