/*!
 * \file error.cc
 * \brief The thread-local "last raised error" slot and error object creation.
 *
 * C functions implemented here: TVMFFIErrorMoveFromRaised, TVMFFIErrorSetRaised,
 * TVMFFIErrorSetRaisedFromCStr, TVMFFIErrorSetRaisedFromCStrParts, TVMFFIErrorCreate.
 *
 * Error objects are created through tvm::ffi::Error (error.h): they own copies of kind,
 * message and backtrace and carry an update_backtrace that replaces or appends.
 */
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/error.h>

#include <cstdio>
#include <new>
#include <string>

#include "runtime_base.h"

namespace tvm {
namespace ffi {
namespace runtime {
namespace {

/*! \brief Holds at most one strong reference to an error object. */
class RaisedErrorSlot {
 public:
  ~RaisedErrorSlot() { Reset(nullptr); }

  /*! \brief Take ownership of `error` (already +1) and release the previous one. */
  void Reset(TVMFFIObjectHandle error) {
    TVMFFIObjectHandle previous = error_;
    error_ = error;
    if (previous != nullptr) details::ObjectUnsafe::DecRefObjectHandle(previous);
  }

  TVMFFIObjectHandle Release() {
    TVMFFIObjectHandle error = error_;
    error_ = nullptr;
    return error;
  }

  static RaisedErrorSlot* ThreadLocal() {
    static thread_local RaisedErrorSlot slot;
    return &slot;
  }

 private:
  TVMFFIObjectHandle error_ = nullptr;
};

/*! \brief Create an error with a backtrace captured here and store it in the slot. */
void SetRaisedNewError(const char* kind, std::string message) {
  const TVMFFIByteArray* backtrace = TVMFFIBacktrace(nullptr, 0, nullptr, 0);
  Error error(kind != nullptr ? kind : "", std::move(message), backtrace);
  RaisedErrorSlot::ThreadLocal()->Reset(
      details::ObjectUnsafe::MoveObjectRefToTVMFFIObjectPtr(std::move(error)));
}

void ReportSetRaisedFailure(const char* what) {
  std::fprintf(stderr, "TVMFFIErrorSetRaisedFromCStr: failed to create the error object: %s\n",
               what);
}

}  // namespace
}  // namespace runtime
}  // namespace ffi
}  // namespace tvm

using tvm::ffi::runtime::RaisedErrorSlot;

void TVMFFIErrorMoveFromRaised(TVMFFIObjectHandle* result) {
  *result = RaisedErrorSlot::ThreadLocal()->Release();
}

void TVMFFIErrorSetRaised(TVMFFIObjectHandle error) {
  if (error != nullptr) tvm::ffi::details::ObjectUnsafe::IncRefObjectHandle(error);
  RaisedErrorSlot::ThreadLocal()->Reset(error);
}

void TVMFFIErrorSetRaisedFromCStr(const char* kind, const char* message) {
  try {
    tvm::ffi::runtime::SetRaisedNewError(kind, message != nullptr ? message : "");
  } catch (const std::exception& err) {
    tvm::ffi::runtime::ReportSetRaisedFailure(err.what());
  } catch (...) {
    tvm::ffi::runtime::ReportSetRaisedFailure("unknown exception");
  }
}

void TVMFFIErrorSetRaisedFromCStrParts(const char* kind, const char** message_parts,
                                       int32_t num_parts) {
  try {
    std::string message;
    for (int32_t i = 0; i < num_parts; ++i) {
      if (message_parts[i] != nullptr) message += message_parts[i];
    }
    tvm::ffi::runtime::SetRaisedNewError(kind, std::move(message));
  } catch (const std::exception& err) {
    tvm::ffi::runtime::ReportSetRaisedFailure(err.what());
  } catch (...) {
    tvm::ffi::runtime::ReportSetRaisedFailure("unknown exception");
  }
}

int TVMFFIErrorCreate(const TVMFFIByteArray* kind, const TVMFFIByteArray* message,
                      const TVMFFIByteArray* backtrace, TVMFFIObjectHandle* out) {
  using tvm::ffi::runtime::ToStringView;
  try {
    tvm::ffi::Error error(std::string(ToStringView(kind)), std::string(ToStringView(message)),
                          std::string(ToStringView(backtrace)));
    *out = tvm::ffi::details::ObjectUnsafe::MoveObjectRefToTVMFFIObjectPtr(std::move(error));
    return 0;
  } catch (const std::bad_alloc&) {
    // Reporting through the raised slot would need yet another error object.
    return -1;
  } catch (const std::exception& err) {
    tvm::ffi::runtime::FatalExit("TVMFFIErrorCreate", err.what());
  } catch (...) {
    tvm::ffi::runtime::FatalExit("TVMFFIErrorCreate", "unknown exception");
  }
}
