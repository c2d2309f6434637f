/*!
 * \file object_internal.h
 * \brief Private type-table helpers shared by the runtime's translation units.
 */
#ifndef TVM_FFI_RUNTIME_SRC_OBJECT_INTERNAL_H_
#define TVM_FFI_RUNTIME_SRC_OBJECT_INTERNAL_H_

#include <tvm/ffi/c_api.h>

#include <string>

namespace tvm {
namespace ffi {
namespace runtime {

/*!
 * \brief Type key of an index for messages; never fails (unknown indices are rendered as
 *        `type_index=<i>`).
 */
std::string TypeKeyOf(int32_t type_index);

}  // namespace runtime
}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_RUNTIME_SRC_OBJECT_INTERNAL_H_
