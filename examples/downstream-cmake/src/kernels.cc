// A tiny kernel library built against an installed tvm-ffi (see ../CMakeLists.txt).
//
// Module functions (exported as C symbols, found by tvm_ffi.load_module):
//   add_one(x, y)          y[i] = x[i] + 1           x, y: contiguous float32 tensors, same shape
//   scale(x, y, factor)    y[i] = x[i] * factor
// Global function (registered in the process-wide registry when the library is loaded):
//   downstream_kernels.dot(a, b) -> float    sum of a[i] * b[i] over two lists of numbers
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/tensor.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/reflection/registry.h>

#include <cstdint>

namespace {

using tvm::ffi::Array;
using tvm::ffi::TensorView;

// Checks shared by the element-wise kernels: float32, contiguous, same shape.
void CheckElementwise(const TensorView& x, const TensorView& y) {
  DLDataType f32{kDLFloat, 32, 1};
  TVM_FFI_CHECK(x.dtype() == f32, TypeError) << "x must be a float32 tensor";
  TVM_FFI_CHECK(y.dtype() == f32, TypeError) << "y must be a float32 tensor";
  TVM_FFI_CHECK(x.IsContiguous() && y.IsContiguous(), ValueError) << "x and y must be contiguous";
  bool same_shape = x.ndim() == y.ndim();
  for (int32_t i = 0; same_shape && i < x.ndim(); ++i) same_shape = x.size(i) == y.size(i);
  TVM_FFI_CHECK(same_shape, ValueError) << "x and y must have the same shape";
}

const float* Data(const TensorView& t) {
  return reinterpret_cast<const float*>(static_cast<const char*>(t.data_ptr()) + t.byte_offset());
}

float* MutableData(const TensorView& t) {
  return reinterpret_cast<float*>(static_cast<char*>(t.data_ptr()) + t.byte_offset());
}

void AddOne(TensorView x, TensorView y) {
  CheckElementwise(x, y);
  const float* src = Data(x);
  float* dst = MutableData(y);
  for (int64_t i = 0; i < x.numel(); ++i) dst[i] = src[i] + 1.0f;
}

void Scale(TensorView x, TensorView y, double factor) {
  CheckElementwise(x, y);
  const float* src = Data(x);
  float* dst = MutableData(y);
  for (int64_t i = 0; i < x.numel(); ++i) dst[i] = static_cast<float>(src[i] * factor);
}

double Dot(Array<double> a, Array<double> b) {
  TVM_FFI_CHECK(a.size() == b.size(), ValueError)
      << "dot: the lists have different lengths (" << a.size() << " and " << b.size() << ")";
  double sum = 0.0;
  for (size_t i = 0; i < a.size(); ++i) sum += a[i] * b[i];
  return sum;
}

}  // namespace

TVM_FFI_DLL_EXPORT_TYPED_FUNC(add_one, AddOne);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(scale, Scale);

TVM_FFI_STATIC_INIT_BLOCK() {
  tvm::ffi::reflection::GlobalDef().def("downstream_kernels.dot", Dot);
}
