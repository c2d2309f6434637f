"""tvm-ffi-cpp-jit: compile C++/CUDA sources into cached TVM FFI modules (``tvm_ffi.cpp``)."""

from ._build import BuildError, build, build_inline, load, load_inline

__version__ = "0.1.0"
__all__ = ["BuildError", "build", "build_inline", "load", "load_inline"]
