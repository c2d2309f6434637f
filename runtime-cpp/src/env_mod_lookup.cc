/*!
 * \file env_mod_lookup.cc
 * \brief TVMFFIEnvModLookupFromImports: function lookup for code running inside a module
 *        library.
 *
 * `library_ctx` is the token the loader stored in the library's `__tvm_ffi__library_ctx`
 * variable: the ModuleObj* of the library module (8 bytes before its object header, since
 * ModuleObj is polymorphic; not a valid object handle). The search covers the module's imports
 * in order (recursively), then the global registry; hits are cached in the module and the
 * returned handle is BORROWED from that cache.
 */
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/extra/c_env_api.h>
#include <tvm/ffi/extra/module.h>

#include "runtime_base.h"

int TVMFFIEnvModLookupFromImports(TVMFFIObjectHandle library_ctx, const char* func_name,
                                  TVMFFIObjectHandle* out) {
  TVM_FFI_SAFE_CALL_BEGIN();
  using tvm::ffi::ModuleObj;
  if (out == nullptr) {
    TVM_FFI_THROW(ValueError) << "TVMFFIEnvModLookupFromImports: out must not be NULL";
  }
  *out = nullptr;
  if (func_name == nullptr) {
    TVM_FFI_THROW(ValueError) << "TVMFFIEnvModLookupFromImports: func_name must not be NULL";
  }
  if (library_ctx == nullptr) {
    TVM_FFI_THROW(RuntimeError)
        << "TVMFFIEnvModLookupFromImports: library_ctx is NULL while looking up " << func_name
        << " (the library was not loaded as a module, so `__tvm_ffi__library_ctx` was never set)";
  }
  ModuleObj* module = static_cast<ModuleObj*>(library_ctx);
  *out = ModuleObj::InternalUnsafe::GetFunctionFromImports(module, func_name);
  TVM_FFI_SAFE_CALL_END();
}
