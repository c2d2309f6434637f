/*!
 * \file tensor_view.cc
 * \brief Strided views of another object's memory.
 *
 * C function implemented here: TVMFFITensorCreateUnsafeView.
 */
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/container/tensor.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/memory.h>

#include <cstdint>

#include "runtime_base.h"

int TVMFFITensorCreateUnsafeView(TVMFFIObjectHandle source, const DLTensor* prototype,
                                 TVMFFIObjectHandle* out) {
  TVM_FFI_SAFE_CALL_BEGIN();
  using tvm::ffi::details::ObjectUnsafe;
  using tvm::ffi::details::TensorObjStridedView;
  if (prototype == nullptr) {
    TVM_FFI_THROW(InternalError) << "Check not null: prototype ";
  }
  if (prototype->strides == nullptr) {
    TVM_FFI_THROW(InternalError) << "Check not null: prototype.strides ";
  }
  if (prototype->ndim < 0) {
    TVM_FFI_THROW(ValueError) << "TVMFFITensorCreateUnsafeView: negative ndim " << prototype->ndim;
  }
  if (prototype->ndim > 0 && prototype->shape == nullptr) {
    TVM_FFI_THROW(ValueError) << "TVMFFITensorCreateUnsafeView: shape is NULL with ndim "
                              << prototype->ndim;
  }
  // the view holds a strong reference to source (none when source is NULL)
  auto view = tvm::ffi::make_inplace_array_object<TensorObjStridedView, int64_t>(
      2 * static_cast<size_t>(prototype->ndim),
      ObjectUnsafe::ObjectPtrFromUnowned<tvm::ffi::Object>(static_cast<TVMFFIObject*>(source)),
      *prototype);
  *out = ObjectUnsafe::MoveObjectPtrToTVMFFIObjectPtr(std::move(view));
  TVM_FFI_SAFE_CALL_END();
}
