/*!
 * \file runtime_base.h
 * \brief Private helpers shared by the runtime's translation units (not installed).
 */
#ifndef TVM_FFI_RUNTIME_SRC_RUNTIME_BASE_H_
#define TVM_FFI_RUNTIME_SRC_RUNTIME_BASE_H_

#include <tvm/ffi/c_api.h>
#include <tvm/ffi/error.h>
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

/*! \brief Store an error in the calling thread's raised slot (the slot takes its own ref). */
inline void SetRaised(const Error& err) {
  TVMFFIErrorSetRaised(details::ObjectUnsafe::TVMFFIObjectPtrFromObjectRef(err));
}

/*! \brief Store a new InternalError with the given message in the raised slot. */
inline void SetRaisedInternalError(const char* message) {
  TVMFFIErrorSetRaisedFromCStr("InternalError", message);
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

/*!
 * \brief Body wrapper of the runtime's safe C functions: every exception becomes a return
 * code (-1 with the error in the raised slot, -2 for EnvErrorAlreadySet).
 */
#define TVM_FFI_RUNTIME_SAFE_BEGIN() try {
#define TVM_FFI_RUNTIME_SAFE_END()                                          \
  }                                                                         \
  catch (const ::tvm::ffi::Error& err) {                                    \
    ::tvm::ffi::runtime::SetRaised(err);                                    \
    return -1;                                                              \
  }                                                                         \
  catch (const ::tvm::ffi::EnvErrorAlreadySet&) {                           \
    return -2;                                                              \
  }                                                                         \
  catch (const std::exception& err) {                                       \
    ::tvm::ffi::runtime::SetRaisedInternalError(err.what());                \
    return -1;                                                              \
  }                                                                         \
  catch (...) {                                                             \
    ::tvm::ffi::runtime::SetRaisedInternalError("unknown C++ exception");   \
    return -1;                                                              \
  }                                                                         \
  return 0

/*! \brief Body wrapper of the "log-and-abort" C functions. */
#define TVM_FFI_RUNTIME_FATAL_BEGIN() try {
#define TVM_FFI_RUNTIME_FATAL_END(Name)                            \
  }                                                                \
  catch (const std::exception& err) {                              \
    ::tvm::ffi::runtime::FatalExit(#Name, err.what());             \
  }                                                                \
  catch (...) {                                                    \
    ::tvm::ffi::runtime::FatalExit(#Name, "unknown C++ exception"); \
  }

#endif  // TVM_FFI_RUNTIME_SRC_RUNTIME_BASE_H_
