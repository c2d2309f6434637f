/*!
 * \file tvm/ffi/extra/dataclass.h
 * \brief Dataclass operations over any FFI value: recursive equality, hashing and ordering,
 *        deep copy, and (through extra/repr_print.h) ReprPrint.
 *
 * All of them walk values with an explicit stack (arbitrarily deep nesting is fine) and are
 * safe on cyclic values.
 */
#ifndef TVM_FFI_EXTRA_DATACLASS_H_
#define TVM_FFI_EXTRA_DATACLASS_H_

#include <tvm/ffi/any.h>
#include <tvm/ffi/extra/base.h>
#include <tvm/ffi/extra/repr_print.h>

#include <cstdint>

namespace tvm {
namespace ffi {

/*!
 * \brief Copy a value graph.
 *
 * POD values, String, Bytes, Shape, BigInt and enum singletons come back as they are; Array
 * and Map are rebuilt, List and Dict copied, other objects copied through their
 * `__ffi_shallow_copy__` type attribute and then given deep copies of their reflected fields.
 * A node reached several times is copied once, so sharing and cycles are preserved.
 * An object whose type has no `__ffi_shallow_copy__` raises RuntimeError
 * `Cannot deep copy object of type "<key>" because it is not copy-constructible`.
 */
TVM_FFI_EXTRA_CXX_API Any DeepCopy(const Any& value);

/*!
 * \brief Hash consistent with RecursiveEq: equal values hash equal.
 *
 * Floats are normalised (every NaN alike, -0.0 as 0.0); map entries combine independently of
 * their order; a node met again inside itself contributes its type key hash; objects without
 * reflected fields hash by type key; fields with kTVMFFIFieldFlagBitMaskHashOff or
 * kTVMFFIFieldFlagBitMaskCompareOff are skipped; a `__ffi_hash__(self, fn_hash) -> int` type
 * attribute replaces the field walk. A type defining `__ffi_eq__` or `__ffi_compare__` but not
 * `__ffi_hash__` raises ValueError.
 */
TVM_FFI_EXTRA_CXX_API int64_t RecursiveHash(const Any& value);

/*!
 * \brief Content equality.
 *
 * Different type indices are unequal (`1` vs `true`, Array vs List), except that the small
 * and heap forms of str and bytes compare by content and int vs BigInt by value; NaN equals
 * NaN; sequences elementwise; Map/Dict by size and per-key value, in any order; Tensor,
 * Function, Error, OpaquePyObject, Module and objects without reflected fields by identity;
 * other objects by type and then their fields (ancestors first, skipping
 * kTVMFFIFieldFlagBitMaskCompareOff), or through the `__ffi_eq__(lhs, rhs, fn_eq) -> bool`
 * type attribute, else `__ffi_compare__(lhs, rhs, fn_cmp) -> int` == 0. A pair met again
 * while it is being compared counts as equal.
 */
TVM_FFI_EXTRA_CXX_API bool RecursiveEq(const Any& lhs, const Any& rhs);

/*!
 * \brief Lexicographic ordering: lhs < rhs.
 *
 * None is smallest; str/bytes bytewise; bool, int, float, DataType (code, bits, lanes), Device
 * (type, id) by value, int vs BigInt numerically; sequences and Shape elementwise, then the
 * shorter first; objects field by field or through `__ffi_compare__`. TypeError for values of
 * different types, Map/Dict, NaN, other POD and objects that have no order; ValueError for a
 * cycle.
 */
TVM_FFI_EXTRA_CXX_API bool RecursiveLt(const Any& lhs, const Any& rhs);
/*! \brief lhs <= rhs under the ordering of RecursiveLt. */
TVM_FFI_EXTRA_CXX_API bool RecursiveLe(const Any& lhs, const Any& rhs);
/*! \brief lhs > rhs under the ordering of RecursiveLt. */
TVM_FFI_EXTRA_CXX_API bool RecursiveGt(const Any& lhs, const Any& rhs);
/*! \brief lhs >= rhs under the ordering of RecursiveLt. */
TVM_FFI_EXTRA_CXX_API bool RecursiveGe(const Any& lhs, const Any& rhs);

}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_EXTRA_DATACLASS_H_
