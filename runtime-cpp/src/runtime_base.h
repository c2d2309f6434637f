/*!
 * \file runtime_base.h
 * \brief Private helpers shared by the runtime's translation units (not installed).
 */
#ifndef TVM_FFI_RUNTIME_SRC_RUNTIME_BASE_H_
#define TVM_FFI_RUNTIME_SRC_RUNTIME_BASE_H_

#include <tvm/ffi/c_api.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/memory.h>
#include <tvm/ffi/object.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

namespace tvm {
namespace ffi {
namespace runtime {

/*! \brief View a byte array as a string_view (NULL data allowed when size is 0). */
inline std::string_view ToStringView(const TVMFFIByteArray* arr) {
  if (arr == nullptr || arr->size == 0) return std::string_view();
  return std::string_view(arr->data, arr->size);
}

/*! \brief Print a fatal message to stderr and terminate (the log-and-abort contract). */
[[noreturn]] inline void FatalExit(const char* where, const char* message) {
  std::fprintf(stderr, "Exception caught during %s:\n%s\n", where, message);
  std::fflush(stderr);
  std::exit(-1);
}

}  // namespace runtime
}  // namespace ffi
}  // namespace tvm

// Safe C entry points use TVM_FFI_SAFE_CALL_BEGIN/END (function.h); log-and-abort ones use
// TVM_FFI_LOG_EXCEPTION_CALL_BEGIN/END (base_details.h).

#endif  // TVM_FFI_RUNTIME_SRC_RUNTIME_BASE_H_
