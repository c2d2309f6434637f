/*!
 * \file env.cc
 * \brief Environment hooks of extra/c_env_api.h: per-thread streams, the DLPack allocator,
 *        host signal checking, and the module symbol tables.
 *
 * C functions implemented here: TVMFFIEnvSetStream, TVMFFIEnvGetStream,
 * TVMFFIEnvSetDLPackManagedTensorAllocator, TVMFFIEnvGetDLPackManagedTensorAllocator,
 * TVMFFIEnvTensorAlloc, TVMFFIEnvCheckSignals, TVMFFIEnvRegisterCAPI,
 * TVMFFIEnvModRegisterContextSymbol, TVMFFIEnvModRegisterSystemLibSymbol.
 * (TVMFFIEnvModLookupFromImports lives with the module code.)
 */
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/extra/c_env_api.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "env_internal.h"
#include "runtime_base.h"
#include "tensor_internal.h"

namespace tvm {
namespace ffi {
namespace runtime {
namespace {

// ---------------------------------------------------------------------------------------------
// Streams: one table per thread, keyed by (device_type, device_id).
// ---------------------------------------------------------------------------------------------
class ThreadStreams {
 public:
  static ThreadStreams* ThreadLocal() {
    static thread_local ThreadStreams streams;
    return &streams;
  }

  TVMFFIStreamHandle Get(int32_t device_type, int32_t device_id) const {
    auto it = table_.find(Key(device_type, device_id));
    return it == table_.end() ? nullptr : it->second;
  }

  TVMFFIStreamHandle Exchange(int32_t device_type, int32_t device_id, TVMFFIStreamHandle stream) {
    TVMFFIStreamHandle& slot = table_[Key(device_type, device_id)];
    TVMFFIStreamHandle previous = slot;
    slot = stream;
    return previous;
  }

 private:
  static uint64_t Key(int32_t device_type, int32_t device_id) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(device_type)) << 32) |
           static_cast<uint32_t>(device_id);
  }
  std::unordered_map<uint64_t, TVMFFIStreamHandle> table_;
};

// ---------------------------------------------------------------------------------------------
// DLPack allocator: thread-local override on top of a process-wide default.
// ---------------------------------------------------------------------------------------------
std::atomic<DLPackManagedTensorAllocator> g_global_allocator{nullptr};
thread_local DLPackManagedTensorAllocator t_thread_allocator = nullptr;

void AllocatorSetError(void* /*error_ctx*/, const char* kind, const char* message) {
  TVMFFIErrorSetRaisedFromCStr(kind, message);
}

// ---------------------------------------------------------------------------------------------
// Host (Python) C API hooks used by TVMFFIEnvCheckSignals.
// ---------------------------------------------------------------------------------------------
using FCheckSignals = int (*)();
using FGILEnsure = void* (*)();
using FGILRelease = void (*)(void*);

std::atomic<FCheckSignals> g_check_signals{nullptr};
std::atomic<FGILEnsure> g_gil_ensure{nullptr};
std::atomic<FGILRelease> g_gil_release{nullptr};

// ---------------------------------------------------------------------------------------------
// Module symbol tables (process-global, leaked).
// ---------------------------------------------------------------------------------------------
class ModuleSymbolTables {
 public:
  static ModuleSymbolTables* Global() {
    static ModuleSymbolTables* tables = new ModuleSymbolTables();
    return tables;
  }

  void AddContextSymbol(std::string name, void* symbol) {
    std::lock_guard<std::mutex> lock(mutex_);
    context_symbols_.emplace_back(std::move(name), symbol);
  }

  std::vector<std::pair<std::string, void*>> ContextSymbols() {
    std::lock_guard<std::mutex> lock(mutex_);
    return context_symbols_;
  }

  void SetSystemLibSymbol(const std::string& name, void* symbol) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = system_lib_symbols_.find(name);
    if (it != system_lib_symbols_.end() && it->second != symbol) {
      std::fprintf(stderr,
                   "Warning: system library symbol `%s` is registered again with a different "
                   "address; the new address overrides the old one\n",
                   name.c_str());
    }
    if (it == system_lib_symbols_.end()) system_lib_order_.push_back(name);
    system_lib_symbols_[name] = symbol;
  }

  void* FindSystemLibSymbol(const std::string& name) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = system_lib_symbols_.find(name);
    return it == system_lib_symbols_.end() ? nullptr : it->second;
  }

  std::vector<std::string> SystemLibSymbolNames() {
    std::lock_guard<std::mutex> lock(mutex_);
    return system_lib_order_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::pair<std::string, void*>> context_symbols_;
  std::unordered_map<std::string, void*> system_lib_symbols_;
  std::vector<std::string> system_lib_order_;
};

}  // namespace

std::vector<std::pair<std::string, void*>> GetEnvContextSymbols() {
  return ModuleSymbolTables::Global()->ContextSymbols();
}

void* LookupEnvSystemLibSymbol(const std::string& name) {
  return ModuleSymbolTables::Global()->FindSystemLibSymbol(name);
}

std::vector<std::string> ListEnvSystemLibSymbolNames() {
  return ModuleSymbolTables::Global()->SystemLibSymbolNames();
}

}  // namespace runtime
}  // namespace ffi
}  // namespace tvm

using namespace tvm::ffi::runtime;  // NOLINT(build/namespaces)

int TVMFFIEnvSetStream(int32_t device_type, int32_t device_id, TVMFFIStreamHandle stream,
                       TVMFFIStreamHandle* opt_out_original_stream) {
  TVM_FFI_SAFE_CALL_BEGIN();
  TVMFFIStreamHandle previous =
      ThreadStreams::ThreadLocal()->Exchange(device_type, device_id, stream);
  if (opt_out_original_stream != nullptr) *opt_out_original_stream = previous;
  TVM_FFI_SAFE_CALL_END();
}

TVMFFIStreamHandle TVMFFIEnvGetStream(int32_t device_type, int32_t device_id) {
  TVM_FFI_LOG_EXCEPTION_CALL_BEGIN();
  return ThreadStreams::ThreadLocal()->Get(device_type, device_id);
  TVM_FFI_LOG_EXCEPTION_CALL_END(TVMFFIEnvGetStream);
  return nullptr;
}

int TVMFFIEnvSetDLPackManagedTensorAllocator(
    DLPackManagedTensorAllocator allocator, int write_to_global_context,
    DLPackManagedTensorAllocator* opt_out_original_allocator) {
  TVM_FFI_SAFE_CALL_BEGIN();
  // The documented intent: report the allocator that was in effect for this thread before.
  DLPackManagedTensorAllocator previous = t_thread_allocator;
  t_thread_allocator = allocator;
  if (write_to_global_context != 0) {
    g_global_allocator.store(allocator, std::memory_order_release);
  }
  if (opt_out_original_allocator != nullptr) *opt_out_original_allocator = previous;
  TVM_FFI_SAFE_CALL_END();
}

DLPackManagedTensorAllocator TVMFFIEnvGetDLPackManagedTensorAllocator(void) {
  if (t_thread_allocator != nullptr) return t_thread_allocator;
  return g_global_allocator.load(std::memory_order_acquire);
}

int TVMFFIEnvTensorAlloc(DLTensor* prototype, TVMFFIObjectHandle* out) {
  TVM_FFI_SAFE_CALL_BEGIN();
  DLPackManagedTensorAllocator allocator = TVMFFIEnvGetDLPackManagedTensorAllocator();
  if (allocator == nullptr) {
    TVM_FFI_THROW(RuntimeError) << "TVMFFIEnvTensorAlloc: allocator is nullptr, likely because "
                                   "TVMFFIEnvSetDLPackManagedTensorAllocator has not been called.";
  }
  DLManagedTensorVersioned* managed = nullptr;
  int rc = allocator(prototype, &managed, nullptr, AllocatorSetError);
  // The allocator's own error (recorded through AllocatorSetError) wins over any check below.
  if (rc != 0) return rc;
  if (managed == nullptr) {
    TVM_FFI_THROW(RuntimeError)
        << "TVMFFIEnvTensorAlloc: failed to allocate a tensor from the allocator";
  }
  try {
    *out = TensorFromDLPackVersioned(managed, 0, 0);
  } catch (...) {
    // The tensor was never handed out: give it back to its producer.
    if (managed->deleter != nullptr) managed->deleter(managed);
    throw;
  }
  TVM_FFI_SAFE_CALL_END();
}

int TVMFFIEnvCheckSignals(void) {
  FCheckSignals check = g_check_signals.load(std::memory_order_acquire);
  if (check == nullptr) return 0;
  FGILEnsure ensure = g_gil_ensure.load(std::memory_order_acquire);
  FGILRelease release = g_gil_release.load(std::memory_order_acquire);
  int rc;
  if (ensure != nullptr && release != nullptr) {
    void* state = ensure();
    rc = check();
    release(state);
  } else {
    rc = check();
  }
  if (rc == 0) return 0;
  // The host now holds an error. Callers built against older headers report it with -2 and an
  // empty error slot; callers built against newer ones move the slot's error and throw it. Put an
  // EnvErrorAlreadySet error there so that both find a real error (code that raises its own
  // error afterwards simply replaces it).
  TVMFFIErrorSetRaisedFromCStr("EnvErrorAlreadySet", "");
  return -1;
}

int TVMFFIEnvRegisterCAPI(const char* name, void* symbol) {
  TVM_FFI_SAFE_CALL_BEGIN();
  std::string_view key(name != nullptr ? name : "");
  if (key == "PyErr_CheckSignals") {
    g_check_signals.store(reinterpret_cast<FCheckSignals>(symbol), std::memory_order_release);
  } else if (key == "PyGILState_Ensure") {
    g_gil_ensure.store(reinterpret_cast<FGILEnsure>(symbol), std::memory_order_release);
  } else if (key == "PyGILState_Release") {
    g_gil_release.store(reinterpret_cast<FGILRelease>(symbol), std::memory_order_release);
  } else {
    TVM_FFI_THROW(ValueError) << "Unknown env API " << key;
  }
  TVM_FFI_SAFE_CALL_END();
}

int TVMFFIEnvModRegisterContextSymbol(const char* name, void* symbol) {
  TVM_FFI_SAFE_CALL_BEGIN();
  ModuleSymbolTables::Global()->AddContextSymbol(std::string(name != nullptr ? name : ""), symbol);
  TVM_FFI_SAFE_CALL_END();
}

int TVMFFIEnvModRegisterSystemLibSymbol(const char* name, void* symbol) {
  try {
    ModuleSymbolTables::Global()->SetSystemLibSymbol(std::string(name != nullptr ? name : ""),
                                                     symbol);
  } catch (const std::exception& err) {
    std::fprintf(stderr, "TVMFFIEnvModRegisterSystemLibSymbol: %s\n", err.what());
  }
  return 0;
}
