/*
 * The TVM_FFI_DLL override hook (abi.md §1.2): an includer that defines TVM_FFI_DLL before
 * including c_api.h also supplies TVM_FFI_DLL_EXPORT, and the header must define neither.
 * A redefinition with different tokens would be a diagnostic, which -Werror turns into a build
 * failure; the run-time part checks the macros still expand to the includer's text.
 * TVM_FFI_WEAK is not tied to the hook and must still be provided by the header.
 */
#define TVM_FFI_DLL
#define TVM_FFI_DLL_EXPORT

#include <tvm/ffi/extra/c_env_api.h>

#include <stdio.h>
#include <string.h>

#ifndef TVM_FFI_WEAK
#error "TVM_FFI_WEAK must be defined even when TVM_FFI_DLL is overridden"
#endif

#define ABI_HOOK_STR_(x) #x
#define ABI_HOOK_STR(x) ABI_HOOK_STR_(x)

/* With the override in place the declarations carry no attribute at all. */
TVM_FFI_DLL_EXPORT int abi_override_hook_exported(void);
TVM_FFI_DLL_EXPORT int abi_override_hook_exported(void) { return 1; }

int abi_override_hook_check(void);
int abi_override_hook_check(void) {
  const char* dll = ABI_HOOK_STR(TVM_FFI_DLL);
  const char* dll_export = ABI_HOOK_STR(TVM_FFI_DLL_EXPORT);
  int ok = dll[0] == '\0' && dll_export[0] == '\0' && abi_override_hook_exported() == 1;
  printf("[%s] TVM_FFI_DLL override hook keeps the includer's definitions\n", ok ? "PASS" : "FAIL");
  return ok ? 1 : 0;
}
