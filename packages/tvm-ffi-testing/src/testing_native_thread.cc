/*!
 * \file testing_native_thread.cc
 * \brief Calls from a thread that C++ creates (not Python): the way an asynchronous kernel's
 *        completion hook or a logging sink calls back into the host language.
 *
 *   testing.call_from_native_thread(f, n) -> Array
 *       starts a std::thread that calls f(0), ..., f(n - 1), waits for it and returns the
 *       results. The caller waits inside the call (the Python binding releases the GIL around
 *       it by default, which the callbacks need).
 *   testing.start_native_thread(f, n) -> Function join
 *       the same thread, but returns at once; the caller keeps running (a Python caller keeps
 *       holding the GIL between its own switch intervals) and calls join() to wait for the
 *       results.
 * A call that raises stops the thread; waiting then rethrows that error in the waiting
 * thread (the same error object, so a Python caller gets its own exception back).
 * Dropping the join function without calling it lets the thread finish the call in flight and
 * stop (it is detached, never joined with the GIL held).
 */
#include <tvm/ffi/any.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/reflection/registry.h>

#include <atomic>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "testing_types.h"

namespace tvm {
namespace ffi {
namespace testing {
namespace {

/*! \brief What the native thread and the waiting side share. */
class NativeCalls {
 public:
  NativeCalls(Function f, int64_t n) : f_(std::move(f)), n_(n) {}

  /*! \brief Body of the native thread. */
  void Run() {
    for (int64_t i = 0; i < n_ && !abandoned_.load(std::memory_order_relaxed); ++i) {
      try {
        results_.push_back(f_(i));
      } catch (const Error& err) {
        error_ = err;
        break;
      } catch (const std::exception& err) {
        error_ = Error("RuntimeError", err.what(), "");
        break;
      }
    }
    // the callable is released here, in the native thread (a Python callable takes the GIL)
    f_ = Function();
  }

  /*! \brief Wait for the thread; the results, or the error of the call that failed. */
  Array<Any> Join() {
    std::lock_guard<std::mutex> lock(join_mutex_);
    if (thread_.joinable()) thread_.join();
    if (error_.has_value()) throw *error_;
    return results_;
  }

  /*! \brief Nobody will wait: stop after the call in flight and let the thread go. */
  void Abandon() {
    abandoned_.store(true, std::memory_order_relaxed);
    std::lock_guard<std::mutex> lock(join_mutex_);
    if (thread_.joinable()) thread_.detach();
  }

  static std::shared_ptr<NativeCalls> Start(Function f, int64_t n) {
    if (n < 0) {
      TVM_FFI_THROW(ValueError) << "the number of calls must be non-negative, got " << n;
    }
    if (f == nullptr) TVM_FFI_THROW(TypeError) << "expected a function, got None";
    auto calls = std::make_shared<NativeCalls>(std::move(f), n);
    calls->thread_ = std::thread([calls]() { calls->Run(); });
    return calls;
  }

 private:
  Function f_;
  int64_t n_;
  Array<Any> results_;
  std::optional<Error> error_;
  std::atomic<bool> abandoned_{false};
  std::mutex join_mutex_;
  std::thread thread_;
};

/*! \brief Owner held by the join function: abandons the thread when dropped unjoined. */
struct JoinHandle {
  std::shared_ptr<NativeCalls> calls;
  ~JoinHandle() {
    if (calls != nullptr) calls->Abandon();
  }
};

Array<Any> CallFromNativeThread(Function f, int64_t n) {
  return NativeCalls::Start(std::move(f), n)->Join();
}

Function StartNativeThread(Function f, int64_t n) {
  auto handle = std::make_shared<JoinHandle>();
  handle->calls = NativeCalls::Start(std::move(f), n);
  return Function::FromTyped([handle]() -> Array<Any> { return handle->calls->Join(); });
}

}  // namespace

void RegisterNativeThreadFunctions() {
  reflection::GlobalDef()
      .def("testing.call_from_native_thread", CallFromNativeThread)
      .def("testing.start_native_thread", StartNativeThread);
}

}  // namespace testing
}  // namespace ffi
}  // namespace tvm
