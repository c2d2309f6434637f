// Uses the C++ API of an installed tvm_ffi through find_package().
#include <tvm/ffi/any.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/string.h>

#include <iostream>

int main() {
  namespace ffi = tvm::ffi;
  auto identity = ffi::Function::GetGlobal("ffi.String");
  if (!identity.has_value()) {
    std::cerr << "global function ffi.String is missing\n";
    return 1;
  }
  ffi::String result = (*identity)(ffi::String("hello from the consumer")).cast<ffi::String>();
  if (result != "hello from the consumer") {
    std::cerr << "unexpected result\n";
    return 1;
  }
  std::cout << "consumer ok" << std::endl;
  return 0;
}
