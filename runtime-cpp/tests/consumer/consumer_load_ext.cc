// Loads consumer_ext (built with tvm_ffi_configure_target) and calls its exported function.
#include <tvm/ffi/any.h>
#include <tvm/ffi/function.h>

#include <iostream>

int main() {
  namespace ffi = tvm::ffi;
  ffi::Function load = ffi::Function::GetGlobalRequired("ffi.ModuleLoadFromFile");
  ffi::Function get = ffi::Function::GetGlobalRequired("ffi.ModuleGetFunction");
  ffi::Any mod = load(ffi::String(CONSUMER_EXT_PATH));
  ffi::Function add_one = get(mod, ffi::String("add_one"), true).cast<ffi::Function>();
  if (add_one(41).cast<int>() != 42) {
    std::cerr << "add_one from the extension gave a wrong result\n";
    return 1;
  }
  std::cout << "consumer ok" << std::endl;
  return 0;
}
