/*!
 * \file tvm/ffi/extra/structural_equal.h
 * \brief Structural equality of FFI values, driven by reflection (implemented in libtvm_ffi).
 *
 * Rules (see structural_equal.cc for the full description):
 * - POD values by value (floats by value, NaN equal to NaN), strings/bytes by content;
 * - Array element-wise, Map by key (keys matched by Any equality, or through the
 *   free-variable/DAG mapping established so far), then values;
 * - Shape by dims, Tensor by dtype/shape/device and (unless skip_tensor_content) content;
 * - reflected objects by the type's `structural_eq_hash_kind`: TreeNode/ConstTreeNode/DAGNode
 *   compare their fields (fields flagged SEqHashIgnore are skipped, fields flagged SEqHashDef
 *   open a definition region), FreeVar nodes are equal when consistently mapped (mapping
 *   allowed inside a definition region or with map_free_vars), UniqueInstance and types
 *   without structural support compare by identity; a `__s_equal__` type attribute replaces
 *   the field-wise comparison.
 */
#ifndef TVM_FFI_EXTRA_STRUCTURAL_EQUAL_H_
#define TVM_FFI_EXTRA_STRUCTURAL_EQUAL_H_

#include <tvm/ffi/any.h>
#include <tvm/ffi/extra/base.h>
#include <tvm/ffi/optional.h>
#include <tvm/ffi/reflection/access_path.h>

namespace tvm {
namespace ffi {

/*! \brief Structural equality checker. */
class StructuralEqual {
 public:
  /*!
   * \brief Compare two values structurally.
   * \param lhs left-hand side.
   * \param rhs right-hand side.
   * \param map_free_vars allow free variables to be mapped to each other everywhere (not only
   *        inside definition regions).
   * \param skip_tensor_content compare tensors by dtype/shape/device only.
   * \return whether the values are structurally equal.
   */
  TVM_FFI_EXTRA_CXX_API static bool Equal(const Any& lhs, const Any& rhs,
                                          bool map_free_vars = false,
                                          bool skip_tensor_content = false);
  /*!
   * \brief Like Equal, but report where the values first differ.
   * \return None when equal; otherwise the access paths (from lhs and from rhs) of the first
   *         mismatch in traversal order.
   */
  TVM_FFI_EXTRA_CXX_API static Optional<reflection::AccessPathPair> GetFirstMismatch(
      const Any& lhs, const Any& rhs, bool map_free_vars = false, bool skip_tensor_content = false);

  /*! \brief Functor form: Equal(lhs, rhs, false, true). */
  TVM_FFI_INLINE bool operator()(const Any& lhs, const Any& rhs) const {
    return Equal(lhs, rhs, false, true);
  }
};

}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_EXTRA_STRUCTURAL_EQUAL_H_
