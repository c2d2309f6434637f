// Compiles against tvm_ffi::header only: uses nothing that needs the runtime library.
#include <tvm/ffi/c_api.h>

#include <cstdio>

int main() {
  TVMFFIAny cell{};
  cell.type_index = kTVMFFIInt;
  cell.v_int64 = 42;
  static_assert(sizeof(TVMFFIAny) == 16, "TVMFFIAny must be 16 bytes");
  if (cell.v_int64 != 42 || TVM_FFI_VERSION_MINOR != 1) return 1;
  std::printf("consumer ok\n");
  return 0;
}
