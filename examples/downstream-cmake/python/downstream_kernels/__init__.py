"""downstream_kernels: kernels compiled with CMake against the installed tvm-ffi.

``add_one(x, y)`` and ``scale(x, y, factor)`` take any DLPack tensors (NumPy, PyTorch, ...);
``dot(a, b)`` is the global function ``downstream_kernels.dot`` registered by the library.
"""

import os

import tvm_ffi

_HERE = os.path.dirname(os.path.abspath(__file__))
_NAMES = ("libdownstream_kernels.so", "libdownstream_kernels.dylib", "downstream_kernels.dll")
_LIB_PATH = next(
    (os.path.join(_HERE, n) for n in _NAMES if os.path.isfile(os.path.join(_HERE, n))), None
)
if _LIB_PATH is None:
    raise ImportError(
        "downstream_kernels: none of %s next to %s; was the package built with CMake?"
        % (", ".join(_NAMES), __file__)
    )

# Loading the library runs its static initialisers, which register downstream_kernels.dot.
_MODULE = tvm_ffi.load_module(_LIB_PATH)

add_one = _MODULE.add_one
scale = _MODULE.scale
dot = tvm_ffi.get_global_func("downstream_kernels.dot")

__all__ = ["add_one", "dot", "scale"]
