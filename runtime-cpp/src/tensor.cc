/*!
 * \file tensor.cc
 * \brief DLPack import/export of Tensor objects.
 *
 * C functions implemented here: TVMFFITensorFromDLPack, TVMFFITensorFromDLPackVersioned,
 * TVMFFITensorToDLPack, TVMFFITensorToDLPackVersioned.
 */
#include <tvm/ffi/c_api.h>

#include <cstdint>
#include <cstring>

#include "object_internal.h"
#include "runtime_base.h"
#include "tensor_internal.h"

namespace tvm {
namespace ffi {
namespace runtime {
namespace {

/*!
 * \brief Tensor imported from a DLPack managed tensor.
 *
 * Layout: header (24) + DLTensor (48) at +24 + managed-tensor pointer at +72, followed by
 * `ndim` int64 strides when the producer provided none.
 */
template <typename TManaged>
class DLPackTensorObj : public Object, public DLTensor {
 public:
  static constexpr int32_t RuntimeTypeIndex() { return kTVMFFITensor; }

  explicit DLPackTensorObj(TManaged* managed) : managed_(managed) {
    *static_cast<DLTensor*>(this) = managed->dl_tensor;
  }
  ~DLPackTensorObj() {
    if (managed_->deleter != nullptr) managed_->deleter(managed_);
  }

  /*! \brief Inline stride storage right after the object (allocated by the caller). */
  int64_t* InlineStrides() {
    return reinterpret_cast<int64_t*>(reinterpret_cast<char*>(this) + sizeof(*this));
  }

 private:
  TManaged* managed_;
};

static_assert(sizeof(DLPackTensorObj<DLManagedTensor>) == 80, "unexpected tensor layout");

bool IsDirectAddressDevice(const DLDevice& device) {
  return device.device_type <= kDLCUDAHost || device.device_type == kDLCUDAManaged ||
         device.device_type == kDLROCM || device.device_type == kDLROCMHost;
}

bool IsAligned(const DLTensor& tensor, int64_t alignment) {
  if (IsDirectAddressDevice(tensor.device)) {
    uint64_t address = reinterpret_cast<uintptr_t>(tensor.data) + tensor.byte_offset;
    return address % static_cast<uint64_t>(alignment) == 0;
  }
  return tensor.byte_offset % static_cast<uint64_t>(alignment) == 0;
}

/*! \brief Compact row-major check; dimensions of extent 1 do not constrain their stride. */
bool IsContiguous(const DLTensor& tensor) {
  if (tensor.strides == nullptr) return true;
  int64_t expected = 1;
  for (int32_t i = tensor.ndim - 1; i >= 0; --i) {
    if (tensor.shape[i] == 1) continue;
    if (tensor.strides[i] != expected) return false;
    expected *= tensor.shape[i];
  }
  return true;
}

template <typename TManaged>
void CheckImport(const TManaged* from, int32_t require_alignment, int32_t require_contiguous) {
  if (from == nullptr) {
    TVM_FFI_THROW(ValueError) << "FromDLPack: the managed tensor is NULL";
  }
  const DLTensor& tensor = from->dl_tensor;
  // A producer's fields are untrusted: reject what would be read out of bounds or silently
  // give a different tensor (shape and strides are read below and by every consumer).
  if (tensor.ndim < 0) {
    TVM_FFI_THROW(ValueError) << "FromDLPack: invalid ndim " << tensor.ndim;
  }
  if (tensor.ndim > 0 && tensor.shape == nullptr) {
    TVM_FFI_THROW(ValueError) << "FromDLPack: shape is NULL for a tensor of ndim " << tensor.ndim;
  }
  for (int32_t i = 0; i < tensor.ndim; ++i) {
    if (tensor.shape[i] < 0) {
      TVM_FFI_THROW(ValueError) << "FromDLPack: negative extent " << tensor.shape[i]
                                << " in dimension " << i;
    }
  }
  if (require_alignment != 0 && !IsAligned(tensor, require_alignment)) {
    TVM_FFI_THROW(RuntimeError) << "FromDLPack: Data is not aligned to " << require_alignment
                                << " bytes.";
  }
  if (require_contiguous != 0 && !IsContiguous(tensor)) {
    TVM_FFI_THROW(RuntimeError) << "FromDLPack: Tensor is not contiguous.";
  }
}

template <typename TManaged>
TVMFFIObjectHandle WrapManaged(TManaged* from) {
  const DLTensor& src = from->dl_tensor;
  const bool fill_strides = src.strides == nullptr && src.ndim > 0;
  const size_t num_strides = fill_strides ? static_cast<size_t>(src.ndim) : 0;
  ObjectPtr<DLPackTensorObj<TManaged>> ptr =
      make_inplace_array_object<DLPackTensorObj<TManaged>, int64_t>(num_strides, from);
  if (fill_strides) {
    int64_t* strides = ptr->InlineStrides();
    int64_t stride = 1;
    for (int32_t i = src.ndim - 1; i >= 0; --i) {
      strides[i] = stride;
      stride *= src.shape[i];
    }
    ptr->strides = strides;
  }
  return details::ObjectUnsafe::MoveObjectPtrToTVMFFIObjectPtr(std::move(ptr));
}

DLTensor* CheckedTensorPtr(TVMFFIObjectHandle from) {
  if (from == nullptr || TVMFFIObjectGetTypeIndex(from) != kTVMFFITensor) {
    TVM_FFI_THROW(TypeError) << "ToDLPack: expected a Tensor, but got `"
                             << (from == nullptr ? std::string("None")
                                                 : TypeKeyOf(TVMFFIObjectGetTypeIndex(from)))
                             << "`";
  }
  return TVMFFITensorGetDLTensorPtr(from);
}

template <typename TManaged>
void ReleaseExported(TManaged* self) {
  TVMFFIObjectDecRef(self->manager_ctx);
  delete self;
}

/*!
 * \brief A new zeroed DLPack record (legacy or versioned) viewing the tensor `from`; it holds
 *        a reference to `from` until the consumer calls its deleter.
 */
template <typename TManaged>
TManaged* ExportManaged(TVMFFIObjectHandle from) {
  DLTensor* tensor = CheckedTensorPtr(from);
  TManaged* managed = new TManaged();
  std::memset(managed, 0, sizeof(*managed));
  managed->dl_tensor = *tensor;
  managed->manager_ctx = from;
  managed->deleter = ReleaseExported<TManaged>;
  TVMFFIObjectIncRef(from);
  return managed;
}

}  // namespace

TVMFFIObjectHandle TensorFromDLPackVersioned(DLManagedTensorVersioned* from,
                                             int32_t require_alignment,
                                             int32_t require_contiguous) {
  if (from != nullptr && from->version.major > DLPACK_MAJOR_VERSION) {
    // a newer major version may lay the record out differently: do not read further
    // (0 is accepted: zero-initialised records from producers that never set it)
    TVM_FFI_THROW(ValueError) << "FromDLPack: unsupported DLPack major version "
                              << from->version.major << " (this runtime supports "
                              << DLPACK_MAJOR_VERSION << ")";
  }
  CheckImport(from, require_alignment, require_contiguous);
  if (from->flags & DLPACK_FLAG_BITMASK_IS_SUBBYTE_TYPE_PADDED) {
    TVM_FFI_THROW(RuntimeError) << "Subbyte type padded is not yet supported";
  }
  return WrapManaged(from);
}

}  // namespace runtime
}  // namespace ffi
}  // namespace tvm

int TVMFFITensorFromDLPack(DLManagedTensor* from, int32_t require_alignment,
                           int32_t require_contiguous, TVMFFIObjectHandle* out) {
  TVM_FFI_SAFE_CALL_BEGIN();
  using namespace tvm::ffi::runtime;
  CheckImport(from, require_alignment, require_contiguous);
  *out = WrapManaged(from);
  TVM_FFI_SAFE_CALL_END();
}

int TVMFFITensorFromDLPackVersioned(DLManagedTensorVersioned* from, int32_t require_alignment,
                                    int32_t require_contiguous, TVMFFIObjectHandle* out) {
  TVM_FFI_SAFE_CALL_BEGIN();
  *out = tvm::ffi::runtime::TensorFromDLPackVersioned(from, require_alignment, require_contiguous);
  TVM_FFI_SAFE_CALL_END();
}

int TVMFFITensorToDLPack(TVMFFIObjectHandle from, DLManagedTensor** out) {
  TVM_FFI_SAFE_CALL_BEGIN();
  *out = tvm::ffi::runtime::ExportManaged<DLManagedTensor>(from);
  TVM_FFI_SAFE_CALL_END();
}

int TVMFFITensorToDLPackVersioned(TVMFFIObjectHandle from, DLManagedTensorVersioned** out) {
  TVM_FFI_SAFE_CALL_BEGIN();
  DLManagedTensorVersioned* managed =
      tvm::ffi::runtime::ExportManaged<DLManagedTensorVersioned>(from);
  managed->version.major = DLPACK_MAJOR_VERSION;
  managed->version.minor = DLPACK_MINOR_VERSION;
  // flags stay 0: read-write, not copied, no sub-byte padding
  *out = managed;
  TVM_FFI_SAFE_CALL_END();
}
