"""The guide's "Inline Module" snippet, verbatim, plus the same module with numpy."""
import numpy as np
from jit_fixtures import jit_cache  # noqa: F401  (autouse: a fresh TVM_FFI_CACHE_DIR per test)


def test_guide_inline_module():
    import torch
    from tvm_ffi import Module
    import tvm_ffi.cpp

    # define the cpp source code
    cpp_source = '''
         void add_one_cpu(tvm::ffi::TensorView x, tvm::ffi::TensorView y) {
           // implementation of a library function
           TVM_FFI_ICHECK(x.ndim() == 1) << "x must be a 1D tensor";
           DLDataType f32_dtype{kDLFloat, 32, 1};
           TVM_FFI_ICHECK(x.dtype() == f32_dtype) << "x must be a float tensor";
           TVM_FFI_ICHECK(y.ndim() == 1) << "y must be a 1D tensor";
           TVM_FFI_ICHECK(y.dtype() == f32_dtype) << "y must be a float tensor";
           TVM_FFI_ICHECK(x.size(0) == y.size(0)) << "x and y must have the same shape";
           for (int i = 0; i < x.size(0); ++i) {
             static_cast<float*>(y.data_ptr())[i] = static_cast<float*>(x.data_ptr())[i] + 1;
           }
         }
    '''

    # compile the cpp source code and load the module
    mod: Module = tvm_ffi.cpp.load_inline(
        name='hello', cpp_sources=cpp_source, functions='add_one_cpu'
    )

    # use the function from the loaded module to perform
    x = torch.tensor([1, 2, 3, 4, 5], dtype=torch.float32)
    y = torch.empty_like(x)
    mod.add_one_cpu(x, y)
    torch.testing.assert_close(x + 1, y)

    # the same module with numpy arrays; and its checks surface as Python errors
    xn = np.array([1, 2, 3, 4, 5], dtype="float32")
    yn = np.empty_like(xn)
    mod.add_one_cpu(xn, yn)
    np.testing.assert_array_equal(yn, xn + 1)
    import pytest

    with pytest.raises(RuntimeError, match="x must be a float tensor"):
        mod.add_one_cpu(np.zeros(5, dtype="int32"), yn)
    with pytest.raises(RuntimeError, match="x and y must have the same shape"):
        mod.add_one_cpu(xn, np.zeros(3, dtype="float32"))
