// Test fixture library for packages/tvm-ffi/tests.
//
// Built by tests/conftest.py into <tmp>/build/add_one_cpu.so against the installed tvm_ffi
// package (headers and libtvm_ffi.so found through tvm_ffi.libinfo), then loaded with
// tvm_ffi.load_module. Exported functions (as __tvm_ffi_<name> safe-call symbols):
//
//   add_one_cpu(x, y)            y[i] = x[i] + 1 for 1-D float32 tensors (the guide's example)
//   tensor_data_ptr(x) -> int    address of the first element that C++ sees
//   tensor_ndim(x) -> int        number of dimensions C++ sees
//   fill_tensor(x, v)            writes v into every element of a contiguous float32 tensor
//   env_stream(type, id) -> int  TVMFFIEnvGetStream(type, id) as an integer
//   tensor_env_stream(x) -> int  TVMFFIEnvGetStream for the device of x
//   raise_value_error(msg)       throws a ValueError from C++ with the given message
#include <tvm/ffi/container/tensor.h>
#include <tvm/ffi/dtype.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/extra/c_env_api.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/string.h>

#include <cstdint>
#include <string>

namespace {

using tvm::ffi::String;
using tvm::ffi::TensorView;

bool IsFloat32(const TensorView& t) {
  DLDataType dt = t.dtype();
  return dt.code == kDLFloat && dt.bits == 32 && dt.lanes == 1;
}

void AddOneCpu(TensorView x, TensorView y) {
  TVM_FFI_ICHECK(x.ndim() == 1) << "x must be a 1D tensor";
  TVM_FFI_ICHECK(IsFloat32(x)) << "x must be a float tensor";
  TVM_FFI_ICHECK(y.ndim() == 1) << "y must be a 1D tensor";
  TVM_FFI_ICHECK(IsFloat32(y)) << "y must be a float tensor";
  TVM_FFI_ICHECK(x.size(0) == y.size(0)) << "x and y must have the same shape";
  const float* src =
      reinterpret_cast<const float*>(static_cast<const char*>(x.data_ptr()) + x.byte_offset());
  float* dst = reinterpret_cast<float*>(static_cast<char*>(y.data_ptr()) + y.byte_offset());
  for (int64_t i = 0; i < x.size(0); ++i) {
    dst[i] = src[i] + 1.0f;
  }
}

int64_t TensorDataPtr(TensorView x) {
  return static_cast<int64_t>(reinterpret_cast<intptr_t>(x.data_ptr()) +
                              static_cast<intptr_t>(x.byte_offset()));
}

int64_t TensorNdim(TensorView x) { return x.ndim(); }

void FillTensor(TensorView x, double value) {
  TVM_FFI_ICHECK(IsFloat32(x)) << "x must be a float tensor";
  float* dst = reinterpret_cast<float*>(static_cast<char*>(x.data_ptr()) + x.byte_offset());
  for (int64_t i = 0; i < x.numel(); ++i) {
    dst[i] = static_cast<float>(value);
  }
}

int64_t EnvStream(int64_t device_type, int64_t device_id) {
  return static_cast<int64_t>(reinterpret_cast<intptr_t>(
      TVMFFIEnvGetStream(static_cast<int32_t>(device_type), static_cast<int32_t>(device_id))));
}

int64_t TensorEnvStream(TensorView x) {
  DLDevice dev = x.device();
  return static_cast<int64_t>(
      reinterpret_cast<intptr_t>(TVMFFIEnvGetStream(dev.device_type, dev.device_id)));
}

void RaiseValueError(String msg) {
  TVM_FFI_THROW(ValueError) << std::string(msg.data(), msg.size());
}

}  // namespace

TVM_FFI_DLL_EXPORT_TYPED_FUNC(add_one_cpu, AddOneCpu);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(tensor_data_ptr, TensorDataPtr);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(tensor_ndim, TensorNdim);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(fill_tensor, FillTensor);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(env_stream, EnvStream);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(tensor_env_stream, TensorEnvStream);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(raise_value_error, RaiseValueError);
