"""``tvm_ffi.cpp``: JIT-compile C++/CUDA into modules.

Provided by the ``tvm-ffi-cpp-jit`` distribution.
"""

try:
    from tvm_ffi_cpp_jit import BuildError, build, build_inline, load, load_inline
except ModuleNotFoundError as _err:
    if _err.name != "tvm_ffi_cpp_jit":
        raise
    raise ImportError(
        "tvm_ffi.cpp needs the tvm-ffi-cpp-jit distribution: pip install tvm-ffi-cpp-jit"
    ) from None

__all__ = ["BuildError", "build", "build_inline", "load", "load_inline"]
