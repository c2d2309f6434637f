// An extension module configured with tvm_ffi_configure_target.
#include <tvm/ffi/function.h>

extern "C" int consumer_static_helper(int x);

namespace {
int AddOne(int x) { return consumer_static_helper(x); }
}  // namespace

TVM_FFI_DLL_EXPORT_TYPED_FUNC(add_one, AddOne);
