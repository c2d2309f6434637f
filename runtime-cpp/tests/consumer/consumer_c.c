/* Calls into libtvm_ffi through the C ABI only. */
#include <stdio.h>
#include <string.h>
#include <tvm/ffi/c_api.h>

int main(void) {
  TVMFFIVersion version;
  TVMFFIAny out;
  TVMFFIByteArray text;
  TVMFFIVersion expected = {TVM_FFI_VERSION_MAJOR, TVM_FFI_VERSION_MINOR, TVM_FFI_VERSION_PATCH};
  TVMFFIGetVersion(&version);
  if (version.major != expected.major || version.minor != expected.minor ||
      version.patch != expected.patch) {
    fprintf(stderr, "unexpected version %u.%u.%u\n", version.major, version.minor, version.patch);
    return 1;
  }
  text.data = "a string longer than seven bytes";
  text.size = strlen(text.data);
  if (TVMFFIStringFromByteArray(&text, &out) != 0 || out.type_index != kTVMFFIStr) {
    fprintf(stderr, "TVMFFIStringFromByteArray failed\n");
    return 1;
  }
  if (TVMFFIObjectDecRef(out.v_obj) != 0) return 1;
  printf("consumer ok\n");
  return 0;
}
