// C API conformance: extra/c_env_api.h (abi.md §4.10, §8 item 23).
#include <gtest/gtest.h>
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/extra/c_env_api.h>

#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "c_api_test_helpers.h"

namespace {

using namespace tvm_ffi_c_api_test;  // NOLINT(build/namespaces)

TEST(CAPIEnvStream, PerThreadPerDevice) {
  const int32_t dev_type = kDLExtDev;
  const int32_t dev_id = 77;
  EXPECT_EQ(TVMFFIEnvGetStream(dev_type, dev_id), nullptr);
  void* s1 = reinterpret_cast<void*>(0x1000);
  void* s2 = reinterpret_cast<void*>(0x2000);
  TVMFFIStreamHandle previous = reinterpret_cast<void*>(0xdead);
  ASSERT_EQ(TVMFFIEnvSetStream(dev_type, dev_id, s1, &previous), 0);
  EXPECT_EQ(previous, nullptr);
  EXPECT_EQ(TVMFFIEnvGetStream(dev_type, dev_id), s1);
  EXPECT_EQ(TVMFFIEnvGetStream(dev_type, dev_id + 1), nullptr);
  EXPECT_EQ(TVMFFIEnvGetStream(kDLCUDA, dev_id), nullptr);
  ASSERT_EQ(TVMFFIEnvSetStream(dev_type, dev_id, s2, &previous), 0);
  EXPECT_EQ(previous, s1);
  ASSERT_EQ(TVMFFIEnvSetStream(dev_type, dev_id, s2, nullptr), 0);

  void* seen_in_thread = reinterpret_cast<void*>(0x1);
  void* set_in_thread_prev = reinterpret_cast<void*>(0x1);
  std::thread worker([&]() {
    seen_in_thread = TVMFFIEnvGetStream(dev_type, dev_id);
    TVMFFIEnvSetStream(dev_type, dev_id, reinterpret_cast<void*>(0x3000), &set_in_thread_prev);
  });
  worker.join();
  EXPECT_EQ(seen_in_thread, nullptr);
  EXPECT_EQ(set_in_thread_prev, nullptr);
  EXPECT_EQ(TVMFFIEnvGetStream(dev_type, dev_id), s2);
  ASSERT_EQ(TVMFFIEnvSetStream(dev_type, dev_id, nullptr, nullptr), 0);
}

// ---------------------------------------------------------------------------------------------
// DLPack allocator
// ---------------------------------------------------------------------------------------------
struct AllocatedTensor {
  DLManagedTensorVersioned managed;
  std::vector<int64_t> shape;
  std::vector<float> data;
};
int g_alloc_deleted = 0;

int TestAllocator(DLTensor* prototype, DLManagedTensorVersioned** out, void* error_ctx,
                  void (*set_error)(void*, const char*, const char*)) {
  if (prototype->ndim < 0) {
    set_error(error_ctx, "ValueError", "negative ndim");
    return -1;
  }
  auto* holder = new AllocatedTensor();
  std::memset(&holder->managed, 0, sizeof(holder->managed));
  holder->shape.assign(prototype->shape, prototype->shape + prototype->ndim);
  int64_t numel = 1;
  for (int64_t d : holder->shape) numel *= d;
  holder->data.resize(static_cast<size_t>(numel));
  holder->managed.version = DLPackVersion{1, 2};
  holder->managed.manager_ctx = holder;
  holder->managed.deleter = [](DLManagedTensorVersioned* self) {
    ++g_alloc_deleted;
    delete static_cast<AllocatedTensor*>(self->manager_ctx);
  };
  DLTensor& t = holder->managed.dl_tensor;
  t.data = holder->data.data();
  t.device = prototype->device;
  t.ndim = prototype->ndim;
  t.dtype = prototype->dtype;
  t.shape = holder->shape.data();
  t.strides = nullptr;
  *out = &holder->managed;
  return 0;
}

int g_alloc_calls_other = 0;
int OtherAllocator(DLTensor* prototype, DLManagedTensorVersioned** out, void* error_ctx,
                   void (*set_error)(void*, const char*, const char*)) {
  ++g_alloc_calls_other;
  return TestAllocator(prototype, out, error_ctx, set_error);
}

/*! \brief A zeroed float32 CPU DLTensor over `shape` (no data), as an allocation request. */
DLTensor Float32CpuPrototype(int32_t ndim, int64_t* shape) {
  DLTensor prototype;
  std::memset(&prototype, 0, sizeof(prototype));
  prototype.ndim = ndim;
  prototype.shape = shape;
  prototype.dtype = DLDataType{kDLFloat, 32, 1};
  prototype.device = DLDevice{kDLCPU, 0};
  return prototype;
}

class CAPIEnvAllocator : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(TVMFFIEnvSetDLPackManagedTensorAllocator(nullptr, 1, nullptr), 0);
  }
  void TearDown() override { TVMFFIEnvSetDLPackManagedTensorAllocator(nullptr, 1, nullptr); }
};

TEST_F(CAPIEnvAllocator, TensorAllocWithoutAllocatorFails) {
  EXPECT_EQ(TVMFFIEnvGetDLPackManagedTensorAllocator(), nullptr);
  int64_t shape[1] = {4};
  DLTensor prototype = Float32CpuPrototype(1, shape);
  TVMFFIObjectHandle out = nullptr;
  EXPECT_EQ(TVMFFIEnvTensorAlloc(&prototype, &out), -1);
  EXPECT_EQ(out, nullptr);
  RaisedError err = TakeRaisedError();
  EXPECT_EQ(err.kind, "RuntimeError");
  EXPECT_EQ(err.message,
            "TVMFFIEnvTensorAlloc: allocator is nullptr, likely because "
            "TVMFFIEnvSetDLPackManagedTensorAllocator has not been called.");
}

TEST_F(CAPIEnvAllocator, TensorAllocWrapsTheAllocatedTensor) {
  DLPackManagedTensorAllocator previous = OtherAllocator;
  ASSERT_EQ(TVMFFIEnvSetDLPackManagedTensorAllocator(TestAllocator, 0, &previous), 0);
  EXPECT_EQ(previous, nullptr);  // the previous thread-local allocator
  EXPECT_EQ(TVMFFIEnvGetDLPackManagedTensorAllocator(), &TestAllocator);

  int64_t shape[2] = {2, 5};
  DLTensor prototype = Float32CpuPrototype(2, shape);
  g_alloc_deleted = 0;
  TVMFFIObjectHandle tensor = nullptr;
  ASSERT_EQ(TVMFFIEnvTensorAlloc(&prototype, &tensor), 0);
  EXPECT_EQ(TVMFFIObjectGetTypeIndex(tensor), kTVMFFITensor);
  const DLTensor* dl = TVMFFITensorGetDLTensorPtr(tensor);
  EXPECT_EQ(dl->ndim, 2);
  EXPECT_EQ(dl->shape[0], 2);
  EXPECT_EQ(dl->shape[1], 5);
  ASSERT_NE(dl->strides, nullptr);
  EXPECT_EQ(dl->strides[0], 5);
  EXPECT_EQ(dl->strides[1], 1);
  TVMFFIObjectDecRef(tensor);
  EXPECT_EQ(g_alloc_deleted, 1);

  // The allocator's own error is reported (return code checked before the output).
  prototype.ndim = -1;
  EXPECT_EQ(TVMFFIEnvTensorAlloc(&prototype, &tensor), -1);
  RaisedError err = TakeRaisedError();
  EXPECT_EQ(err.kind, "ValueError");
  EXPECT_EQ(err.message, "negative ndim");

  ASSERT_EQ(TVMFFIEnvSetDLPackManagedTensorAllocator(OtherAllocator, 0, &previous), 0);
  EXPECT_EQ(previous, &TestAllocator);
}

TEST_F(CAPIEnvAllocator, ThreadLocalOverridesGlobal) {
  ASSERT_EQ(TVMFFIEnvSetDLPackManagedTensorAllocator(OtherAllocator, 1, nullptr), 0);
  DLPackManagedTensorAllocator seen_in_thread = nullptr;
  std::thread worker([&]() { seen_in_thread = TVMFFIEnvGetDLPackManagedTensorAllocator(); });
  worker.join();
  EXPECT_EQ(seen_in_thread, &OtherAllocator);  // falls back to the global one
  ASSERT_EQ(TVMFFIEnvSetDLPackManagedTensorAllocator(TestAllocator, 0, nullptr), 0);
  EXPECT_EQ(TVMFFIEnvGetDLPackManagedTensorAllocator(), &TestAllocator);
  std::thread worker2([&]() { seen_in_thread = TVMFFIEnvGetDLPackManagedTensorAllocator(); });
  worker2.join();
  EXPECT_EQ(seen_in_thread, &OtherAllocator);
}

// ---------------------------------------------------------------------------------------------
// Host C API hooks and signals
// ---------------------------------------------------------------------------------------------
std::vector<std::string> g_hook_calls;
int g_signal_result = 0;
int FakeCheckSignals() {
  g_hook_calls.push_back("check");
  return g_signal_result;
}
void* FakeEnsure() {
  g_hook_calls.push_back("ensure");
  return reinterpret_cast<void*>(0x42);
}
void FakeRelease(void* state) {
  g_hook_calls.push_back(state == reinterpret_cast<void*>(0x42) ? "release" : "release-bad");
}

TEST(CAPIEnvSignals, HooksAreUsedWhenRegistered) {
  g_hook_calls.clear();
  EXPECT_EQ(TVMFFIEnvCheckSignals(), 0);
  EXPECT_TRUE(g_hook_calls.empty());
  ASSERT_EQ(TVMFFIEnvRegisterCAPI("PyGILState_Ensure", reinterpret_cast<void*>(FakeEnsure)), 0);
  ASSERT_EQ(TVMFFIEnvRegisterCAPI("PyGILState_Release", reinterpret_cast<void*>(FakeRelease)), 0);
  ASSERT_EQ(TVMFFIEnvRegisterCAPI("PyErr_CheckSignals", reinterpret_cast<void*>(FakeCheckSignals)),
            0);
  g_signal_result = 0;
  EXPECT_EQ(TVMFFIEnvCheckSignals(), 0);
  g_signal_result = 1;
  EXPECT_EQ(TVMFFIEnvCheckSignals(), -1);
  // The host keeps its own pending error; the slot gets an EnvErrorAlreadySet marker so that
  // callers expecting an error after a failed call find one.
  RaisedError marker = TakeRaisedError();
  EXPECT_TRUE(marker.present);
  EXPECT_EQ(marker.kind, "EnvErrorAlreadySet");
  std::vector<std::string> expected = {"ensure", "check", "release", "ensure", "check", "release"};
  EXPECT_EQ(g_hook_calls, expected);
  // Re-registration overwrites; NULL removes the hook again.
  ASSERT_EQ(TVMFFIEnvRegisterCAPI("PyErr_CheckSignals", nullptr), 0);
  EXPECT_EQ(TVMFFIEnvCheckSignals(), 0);
  ASSERT_EQ(TVMFFIEnvRegisterCAPI("PyGILState_Ensure", nullptr), 0);
  ASSERT_EQ(TVMFFIEnvRegisterCAPI("PyGILState_Release", nullptr), 0);
}

TEST(CAPIEnvSignals, UnknownCAPIName) {
  EXPECT_EQ(TVMFFIEnvRegisterCAPI("Foo", reinterpret_cast<void*>(FakeEnsure)), -1);
  RaisedError err = TakeRaisedError();
  EXPECT_EQ(err.kind, "ValueError");
  EXPECT_EQ(err.message, "Unknown env API Foo");
}

int g_context_target = 0;
TEST(CAPIEnvModuleSymbols, RegistrationsSucceed) {
  EXPECT_EQ(TVMFFIEnvModRegisterContextSymbol("__test_context_symbol", &g_context_target), 0);
  EXPECT_EQ(TVMFFIEnvModRegisterSystemLibSymbol("__tvm_ffi_test_syslib_fn", &g_context_target), 0);
  // Re-registering the same pointer is silent and still succeeds.
  EXPECT_EQ(TVMFFIEnvModRegisterSystemLibSymbol("__tvm_ffi_test_syslib_fn", &g_context_target), 0);
}

}  // namespace
