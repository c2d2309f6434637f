// Prints the bytes linked in by tvm_ffi_embed_bin_into(... SYMBOL payload ...), in hex.
#include <cstdio>

extern "C" const char __tvm_ffi__cubin_payload[];
extern "C" const char __tvm_ffi__cubin_payload_end[];

int main() {
  for (const char* p = __tvm_ffi__cubin_payload; p != __tvm_ffi__cubin_payload_end; ++p) {
    std::printf("%02x", static_cast<unsigned char>(*p));
  }
  std::printf("\n");
  return 0;
}
