"""Load the shared library libtvm_ffi (process-global, RTLD_GLOBAL) before tvm_ffi.core."""

import ctypes
import os
import sys

from . import libinfo


def _load_lib():
    path = libinfo.find_libtvm_ffi()
    if sys.platform.startswith("win32"):
        for d in libinfo.get_dll_directories():
            os.add_dll_directory(d)
    return ctypes.CDLL(path, ctypes.RTLD_GLOBAL), path


_LIB, _LIB_PATH = _load_lib()
