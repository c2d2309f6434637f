/*!
 * \file handle_init.cc
 * \brief One-time initialisation and tear-down of process-wide handles.
 *
 * C functions implemented here: TVMFFIHandleInitOnce, TVMFFIHandleDeinitOnce.
 */
#include <tvm/ffi/c_api.h>

#include <atomic>
#include <mutex>

namespace {

/*!
 * \brief Serialises initialisers. Recursive, so that an initialiser may itself initialise
 *        another handle on the same thread (a plain mutex would deadlock there).
 */
std::recursive_mutex& InitMutex() {
  static std::recursive_mutex* mutex = new std::recursive_mutex();
  return *mutex;
}

std::atomic<void*>* AsAtomic(void** handle_addr) {
  static_assert(sizeof(std::atomic<void*>) == sizeof(void*), "atomic pointer is a plain pointer");
  return reinterpret_cast<std::atomic<void*>*>(handle_addr);
}

}  // namespace

int TVMFFIHandleInitOnce(void** handle_addr, int (*init_func)(void** result)) {
  std::atomic<void*>* slot = AsAtomic(handle_addr);
  if (slot->load(std::memory_order_acquire) != nullptr) return 0;
  std::lock_guard<std::recursive_mutex> lock(InitMutex());
  if (slot->load(std::memory_order_acquire) != nullptr) return 0;
  void* result = nullptr;
  int code = init_func(&result);
  if (code != 0) return code;
  if (result == nullptr) {
    TVMFFIErrorSetRaisedFromCStr("RuntimeError", "init_func must return a non-NULL handle");
    return -1;
  }
  slot->store(result, std::memory_order_release);
  return 0;
}

int TVMFFIHandleDeinitOnce(void** handle_addr, int (*deinit_func)(void* handle)) {
  void* old = AsAtomic(handle_addr)->exchange(nullptr, std::memory_order_acq_rel);
  if (old == nullptr) return 0;
  return deinit_func(old);
}
