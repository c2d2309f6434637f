/*!
 * \file structural_internal.h
 * \brief Helpers shared by structural_equal.cc and structural_hash.cc.
 */
#ifndef TVM_FFI_RUNTIME_SRC_STRUCTURAL_INTERNAL_H_
#define TVM_FFI_RUNTIME_SRC_STRUCTURAL_INTERNAL_H_

#include <dlpack/dlpack.h>
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/object.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace tvm {
namespace ffi {
namespace structural {

/*! \brief Names of the custom structural equality / hash type attributes. */
constexpr const char* kSEqualAttr = "__s_equal__";
constexpr const char* kSHashAttr = "__s_hash__";

/*! \return the structural kind of an object type (Unsupported when not registered). */
inline TVMFFISEqHashKind KindOf(const TVMFFITypeInfo* info) {
  if (info->metadata == nullptr) return kTVMFFISEqHashKindUnsupported;
  return static_cast<TVMFFISEqHashKind>(info->metadata->structural_eq_hash_kind);
}

/*! \return whether a device's memory can be read directly by the host. */
inline bool IsHostReadable(const DLDevice& device) {
  return device.device_type == kDLCPU || device.device_type == kDLCUDAHost ||
         device.device_type == kDLROCMHost || device.device_type == kDLCUDAManaged;
}

/*! \return bytes per tensor element (sub-byte types round up to one byte). */
inline size_t ElementBytes(const DLDataType& dtype) {
  size_t bits = static_cast<size_t>(dtype.bits) * static_cast<size_t>(dtype.lanes);
  return bits == 0 ? 0 : (bits + 7) / 8;
}

/*!
 * \brief Copy the elements of a host-readable tensor into a row-major byte string
 * (honouring strides and byte_offset). Throws ValueError for tensors the host cannot read.
 */
inline std::string TensorContentBytes(const DLTensor* t) {
  if (!IsHostReadable(t->device)) {
    TVM_FFI_THROW(ValueError) << "Cannot read the content of a tensor on device type "
                              << static_cast<int>(t->device.device_type)
                              << " for structural comparison/hashing; use skip_tensor_content";
  }
  const size_t elem = ElementBytes(t->dtype);
  int64_t numel = 1;
  for (int i = 0; i < t->ndim; ++i) numel *= t->shape[i];
  std::string out;
  if (numel <= 0 || elem == 0) return out;
  out.resize(static_cast<size_t>(numel) * elem);
  const char* base = static_cast<const char*>(t->data) + t->byte_offset;
  bool compact = true;
  if (t->strides != nullptr) {
    int64_t expected = 1;
    for (int i = t->ndim - 1; i >= 0; --i) {
      if (t->shape[i] != 1 && t->strides[i] != expected) compact = false;
      expected *= t->shape[i];
    }
  }
  if (compact) {
    std::memcpy(&out[0], base, out.size());
    return out;
  }
  std::vector<int64_t> index(static_cast<size_t>(t->ndim), 0);
  for (int64_t k = 0; k < numel; ++k) {
    int64_t offset = 0;
    for (int i = 0; i < t->ndim; ++i) offset += index[i] * t->strides[i];
    std::memcpy(&out[static_cast<size_t>(k) * elem], base + offset * static_cast<int64_t>(elem),
                elem);
    for (int i = t->ndim - 1; i >= 0; --i) {
      if (++index[i] < t->shape[i]) break;
      index[i] = 0;
    }
  }
  return out;
}

/*!
 * \brief Marks a definition region for the lifetime of the scope: when `enter` is set the
 *        flag becomes true; its previous value comes back when the scope ends.
 */
class DefRegionScope {
 public:
  DefRegionScope(bool* in_def_region, bool enter) : flag_(in_def_region), saved_(*in_def_region) {
    if (enter) *flag_ = true;
  }
  ~DefRegionScope() { *flag_ = saved_; }
  DefRegionScope(const DefRegionScope&) = delete;
  DefRegionScope& operator=(const DefRegionScope&) = delete;

 private:
  bool* flag_;
  bool saved_;
};

}  // namespace structural
}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_RUNTIME_SRC_STRUCTURAL_INTERNAL_H_
