/*!
 * \file tvm/ffi/extra/structural_hash.h
 * \brief Structural hash of FFI values, consistent with StructuralEqual (implemented in
 * libtvm_ffi): structurally equal values (with the same flags) hash equal.
 */
#ifndef TVM_FFI_EXTRA_STRUCTURAL_HASH_H_
#define TVM_FFI_EXTRA_STRUCTURAL_HASH_H_

#include <tvm/ffi/any.h>
#include <tvm/ffi/extra/base.h>

#include <cstdint>

namespace tvm {
namespace ffi {

/*! \brief Structural hash function. */
class StructuralHash {
 public:
  /*!
   * \brief Hash a value structurally.
   * \param value the value.
   * \param map_free_vars hash free variables by their order of appearance (as StructuralEqual
   *        maps them) instead of by identity.
   * \param skip_tensor_content hash tensors by dtype/shape/device only.
   * \return the hash.
   */
  TVM_FFI_EXTRA_CXX_API static uint64_t Hash(const Any& value, bool map_free_vars = false,
                                             bool skip_tensor_content = false);

  /*! \brief Functor form: Hash(value, false, false). */
  TVM_FFI_INLINE uint64_t operator()(const Any& value) const { return Hash(value); }
};

}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_EXTRA_STRUCTURAL_HASH_H_
