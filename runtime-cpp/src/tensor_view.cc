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

namespace tvm {
namespace ffi {
namespace runtime {
namespace {

/*!
 * \brief A Tensor whose DLTensor is a copy of a prototype and whose memory belongs to another
 *        object, kept alive by a strong reference.
 *
 * Layout: header (24) + DLTensor (48) at +24, the source handle at +72, then `ndim` int64 shape
 * extents at +80 followed by `ndim` int64 strides.
 */
class TensorViewObj : public Object, public DLTensor {
 public:
  static constexpr int32_t RuntimeTypeIndex() { return kTVMFFITensor; }

  TensorViewObj(TVMFFIObjectHandle source, const DLTensor& prototype) : source_(source) {
    *static_cast<DLTensor*>(this) = prototype;
    int64_t* shape_storage = TailStorage();
    int64_t* strides_storage = shape_storage + prototype.ndim;
    for (int32_t i = 0; i < prototype.ndim; ++i) {
      shape_storage[i] = prototype.shape[i];
      strides_storage[i] = prototype.strides[i];
    }
    this->shape = shape_storage;
    this->strides = strides_storage;
    if (source_ != nullptr) details::ObjectUnsafe::IncRefObjectHandle(source_);
  }
  ~TensorViewObj() {
    if (source_ != nullptr) details::ObjectUnsafe::DecRefObjectHandle(source_);
  }

 private:
  int64_t* TailStorage() {
    return reinterpret_cast<int64_t*>(reinterpret_cast<char*>(this) + sizeof(*this));
  }

  TVMFFIObjectHandle source_;
};

static_assert(sizeof(TensorViewObj) == 80, "the view's shape starts at object + 80");

}  // namespace
}  // namespace runtime
}  // namespace ffi
}  // namespace tvm

int TVMFFITensorCreateUnsafeView(TVMFFIObjectHandle source, const DLTensor* prototype,
                                 TVMFFIObjectHandle* out) {
  TVM_FFI_SAFE_CALL_BEGIN();
  using tvm::ffi::runtime::TensorViewObj;
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
  auto view = tvm::ffi::make_inplace_array_object<TensorViewObj, int64_t>(
      2 * static_cast<size_t>(prototype->ndim), source, *prototype);
  *out = tvm::ffi::details::ObjectUnsafe::MoveObjectPtrToTVMFFIObjectPtr(std::move(view));
  TVM_FFI_SAFE_CALL_END();
}
