/*!
 * \file testing_functions.cc
 * \brief The general-purpose `testing.*` global functions and the plain C symbols of the
 *        testing library.
 */
#include <tvm/ffi/any.h>
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/extra/c_env_api.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/object.h>
#include <tvm/ffi/reflection/registry.h>
#include <tvm/ffi/string.h>

#include <chrono>
#include <cstdint>
#include <iostream>
#include <string>
#include <thread>

#include "testing_types.h"

// ---------------------------------------------------------------------------------------------
// Plain C entry points (exported; everything else in the library is hidden)
// ---------------------------------------------------------------------------------------------

extern "C" {

/*!
 * \brief add-one with the standard safe-call signature; `self` is ignored.
 *        args[0] must convert to int; the result is args[0] + 1 as an int.
 */
TVM_FFI_DLL_EXPORT int TVMFFITestingAddOneSafeCall(void* self, const TVMFFIAny* args,
                                                   int32_t num_args, TVMFFIAny* result) {
  TVM_FFI_SAFE_CALL_BEGIN();
  (void)self;
  if (num_args < 1) {
    TVM_FFI_THROW(TypeError) << "add_one expects 1 argument but got " << num_args;
  }
  int x = tvm::ffi::AnyView::CopyFromTVMFFIAny(args[0]).cast<int>();
  tvm::ffi::Any out(static_cast<int64_t>(x) + 1);
  *result = tvm::ffi::details::AnyUnsafe::MoveAnyToTVMFFIAny(std::move(out));
  TVM_FFI_SAFE_CALL_END();
}

/*!
 * \brief The same add-one following the MLIR "packed" convention: packed_args[0..3] point to
 *        the safe-call arguments (self, args, num_args, result) and packed_args[4] points to
 *        the int receiving the return code.
 */
TVM_FFI_DLL_EXPORT void TVMFFITestingMLIRAddOnePacked(void** packed_args) {
  void* self = *static_cast<void**>(packed_args[0]);
  const TVMFFIAny* args = *static_cast<const TVMFFIAny**>(packed_args[1]);
  int32_t num_args = *static_cast<int32_t*>(packed_args[2]);
  TVMFFIAny* result = *static_cast<TVMFFIAny**>(packed_args[3]);
  *static_cast<int*>(packed_args[4]) = TVMFFITestingAddOneSafeCall(self, args, num_args, result);
}

}  // extern "C"

namespace tvm {
namespace ffi {
namespace testing {

namespace refl = ::tvm::ffi::reflection;

/*!
 * \brief Throws an error of `kind` with exactly `msg`.
 *
 * The innermost backtrace frame is built from this function's own signature, so it names
 * `TestRaiseError` exactly once whatever the debug information. The function is hidden (not in
 * the dynamic symbol table), so the stack walker never adds a second frame with that name.
 */
TVM_FFI_NO_INLINE void TestRaiseError(String kind, String msg) {
  throw Error(std::string(kind), std::string(msg),
              TVMFFIBacktrace(__FILE__, __LINE__, TVM_FFI_FUNC_SIG, 0));
}

/*!
 * \brief testing.apply: calls args[0] (converted to a Function) with args[1:].
 *        Exported and never inlined so that a backtrace through it can show `TestApply`.
 */
__attribute__((visibility("default"))) TVM_FFI_NO_INLINE void TestApply(PackedArgs args, Any* ret) {
  if (args.size() < 1) {
    TVM_FFI_THROW(TypeError) << "testing.apply expects at least 1 argument (the function), "
                                "but got 0";
  }
  Function f = args[0].cast<Function>();
  f.CallPacked(args.Slice(1), ret);
}

namespace {

void Echo(PackedArgs args, Any* ret) {
  if (args.size() < 1) {
    TVM_FFI_THROW(TypeError) << "testing.echo expects at least 1 argument, but got 0";
  }
  *ret = args[0];
}

void Nop(PackedArgs, Any*) {}

void RunCheckSignal(int nsec) {
  for (int i = 0; i < nsec; ++i) {
    if (TVMFFIEnvCheckSignals() != 0) {
      // The frontend (e.g. Python) holds the pending exception: return code -2.
      throw EnvErrorAlreadySet();
    }
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  std::cout << "Function finished without catching signal" << std::endl;
}

/*! \brief Strong count of a borrowed object (the borrowed pointer adds no reference). */
uint64_t ObjectUseCount(const Object* obj) { return obj->use_count(); }

ObjectRef MakeUnregisteredObject() {
  return ObjectRef(make_object<TestUnregisteredObjectObj>(41, 42));
}

int64_t GetAddOneCSymbol() { return reinterpret_cast<int64_t>(&TVMFFITestingAddOneSafeCall); }

int64_t GetMLIRAddOneCSymbol() { return reinterpret_cast<int64_t>(&TVMFFITestingMLIRAddOnePacked); }

}  // namespace

void RegisterTestingFunctions() {
  refl::GlobalDef()
      .def("testing.test_raise_error", TestRaiseError)
      .def("testing.add_one", [](int x) -> int { return x + 1; })
      .def_packed("testing.nop", Nop)
      .def_packed("testing.echo", Echo)
      .def_packed("testing.apply", TestApply)
      .def("testing.run_check_signal", RunCheckSignal)
      .def("testing.object_use_count", ObjectUseCount)
      .def("testing.make_unregistered_object", MakeUnregisteredObject)
      .def("testing.get_add_one_c_symbol", GetAddOneCSymbol)
      .def("testing.get_mlir_add_one_c_symbol", GetMLIRAddOneCSymbol)
      .def_method("testing.TestIntPairSum", &TestIntPair::Sum, "Get sum of the pair");
}

}  // namespace testing
}  // namespace ffi
}  // namespace tvm
