/*!
 * \file function_internal.h
 * \brief Private access to the global function registry.
 */
#ifndef TVM_FFI_RUNTIME_SRC_FUNCTION_INTERNAL_H_
#define TVM_FFI_RUNTIME_SRC_FUNCTION_INTERNAL_H_

#include <string>
#include <vector>

namespace tvm {
namespace ffi {
namespace runtime {

/*! \brief Remove a global function; returns whether it existed. */
bool RemoveGlobalFunction(const std::string& name);

/*! \brief Snapshot of the registered global function names. */
std::vector<std::string> ListGlobalFunctionNames();

/*!
 * \brief Metadata JSON of a registered global (empty for entries registered without method
 *        info). Returns false when the name is not registered.
 */
bool GetGlobalFunctionMetadata(const std::string& name, std::string* metadata);

/*! \brief Docstring of a registered global (may be empty); false when not registered. */
bool GetGlobalFunctionDoc(const std::string& name, std::string* doc);

}  // namespace runtime
}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_RUNTIME_SRC_FUNCTION_INTERNAL_H_
