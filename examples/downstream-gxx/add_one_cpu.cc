// The guide's add_one_cpu kernel, compiled with plain g++ against an installed tvm-ffi (build.sh).
#include <tvm/ffi/container/tensor.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/function.h>

#include <cstdint>

namespace {

void AddOneCpu(tvm::ffi::TensorView x, tvm::ffi::TensorView y) {
  DLDataType f32{kDLFloat, 32, 1};
  TVM_FFI_ICHECK(x.ndim() == 1) << "x must be a 1D tensor";
  TVM_FFI_ICHECK(x.dtype() == f32) << "x must be a float tensor";
  TVM_FFI_ICHECK(y.ndim() == 1) << "y must be a 1D tensor";
  TVM_FFI_ICHECK(y.dtype() == f32) << "y must be a float tensor";
  TVM_FFI_ICHECK(x.size(0) == y.size(0)) << "x and y must have the same shape";
  const float* src =
      reinterpret_cast<const float*>(static_cast<const char*>(x.data_ptr()) + x.byte_offset());
  float* dst = reinterpret_cast<float*>(static_cast<char*>(y.data_ptr()) + y.byte_offset());
  for (int64_t i = 0; i < x.size(0); ++i) {
    dst[i] = src[i] + 1.0f;
  }
}

}  // namespace

// Exported as the C symbol __tvm_ffi_add_one_cpu; tvm_ffi.load_module finds it by that name.
TVM_FFI_DLL_EXPORT_TYPED_FUNC(add_one_cpu, AddOneCpu);
