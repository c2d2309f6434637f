/*!
 * \file env_internal.h
 * \brief Private access to the process-global tables filled by TVMFFIEnvModRegister*.
 *
 * Used by the module loader: context symbols are written into every library loaded as a
 * module; system-library symbols back `ffi.SystemLib`.
 */
#ifndef TVM_FFI_RUNTIME_SRC_ENV_INTERNAL_H_
#define TVM_FFI_RUNTIME_SRC_ENV_INTERNAL_H_

#include <string>
#include <utility>
#include <vector>

namespace tvm {
namespace ffi {
namespace runtime {

/*!
 * \brief Snapshot of the (name, pointer) pairs registered through
 *        TVMFFIEnvModRegisterContextSymbol, in registration order.
 */
std::vector<std::pair<std::string, void*>> GetEnvContextSymbols();

/*!
 * \brief Pointer registered through TVMFFIEnvModRegisterSystemLibSymbol under exactly
 *        `name`, or nullptr.
 */
void* LookupEnvSystemLibSymbol(const std::string& name);

/*! \brief Snapshot of every registered system-library symbol name. */
std::vector<std::string> ListEnvSystemLibSymbolNames();

}  // namespace runtime
}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_RUNTIME_SRC_ENV_INTERNAL_H_
