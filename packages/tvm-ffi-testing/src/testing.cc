/*!
 * \file testing.cc
 * \brief Load-time entry of libtvm_ffi_testing: registers every `testing.*` type and global
 *        function exactly once, and exports the library's plain C symbols.
 *
 * A registration failure (for instance a second copy of this library loaded from another path,
 * whose names are already taken) must not abort the host process from a static initializer.
 * It is recorded instead and reported by TVMFFITestingRegistrationError(), which the Python
 * loader checks right after loading the library.
 */
#include <tvm/ffi/base_details.h>
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/error.h>

#include <exception>
#include <string>

#include "testing_types.h"

namespace {

std::string& RegistrationError() {
  static std::string error;
  return error;
}

bool& RegistrationDone() {
  static bool done = false;
  return done;
}

void RegisterEverything() {
  if (RegistrationDone()) return;
  RegistrationDone() = true;
  try {
    tvm::ffi::testing::RegisterTestingTypes();
    tvm::ffi::testing::RegisterTestingFunctions();
    tvm::ffi::testing::RegisterSchemaFunctions();
    tvm::ffi::testing::RegisterStructuralTypes();
    tvm::ffi::testing::RegisterNativeThreadFunctions();
  } catch (const tvm::ffi::Error& err) {
    RegistrationError() = err.kind() + ": " + err.message();
  } catch (const std::exception& err) {
    RegistrationError() = err.what();
  } catch (...) {
    RegistrationError() = "unknown error while registering the testing library";
  }
}

}  // namespace

TVM_FFI_STATIC_INIT_BLOCK() { RegisterEverything(); }

extern "C" {

/*!
 * \brief Does nothing and returns 0. Linking against / calling it keeps a dependency on the
 *        testing library (whose load registers the `testing.*` globals and types).
 */
TVM_FFI_DLL_EXPORT int TVMFFITestingDummyTarget(void) { return 0; }

/*!
 * \brief NULL when every `testing.*` registration succeeded at load time, else a description
 *        of the failure (valid for the lifetime of the library).
 */
TVM_FFI_DLL_EXPORT const char* TVMFFITestingRegistrationError(void) {
  const std::string& error = RegistrationError();
  return error.empty() ? nullptr : error.c_str();
}

}  // extern "C"
