// Test library for Module.get_function_doc / get_function_metadata: exports `documented`
// (int -> int, adds 2) with the optional `__tvm_ffi__doc_documented` and
// `__tvm_ffi__metadata_documented` text symbols, `empty_doc` with an empty docstring, and
// `bare` without either.
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/function.h>

#include <cstring>

namespace {

int AddTwo(int x) { return x + 2; }

int Identity(int x) { return x; }

int ReturnText(const char* text, TVMFFIAny* result) {
  TVMFFIByteArray bytes{text, std::strlen(text)};
  return TVMFFIStringFromByteArray(&bytes, result);
}

}  // namespace

TVM_FFI_DLL_EXPORT_TYPED_FUNC(documented, AddTwo);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(empty_doc, Identity);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(bare, Identity);

extern "C" {

TVM_FFI_DLL_EXPORT int __tvm_ffi__metadata_documented(void*, const TVMFFIAny*, int32_t,
                                                      TVMFFIAny* result) {
  return ReturnText(
      "{\"type_schema\": "
      "\"{\\\"type\\\":\\\"ffi.Function\\\",\\\"args\\\":[{\\\"type\\\":\\\"int\\\"}]}\"}",
      result);
}

TVM_FFI_DLL_EXPORT int __tvm_ffi__doc_documented(void*, const TVMFFIAny*, int32_t,
                                                 TVMFFIAny* result) {
  return ReturnText("Adds two to x.", result);
}

TVM_FFI_DLL_EXPORT int __tvm_ffi__doc_empty_doc(void*, const TVMFFIAny*, int32_t,
                                                TVMFFIAny* result) {
  return ReturnText("", result);
}

}  // extern "C"
