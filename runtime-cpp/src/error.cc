/*!
 * \file error.cc
 * \brief The thread-local "last raised error" slot and error object creation.
 *
 * C functions implemented here: TVMFFIErrorMoveFromRaised, TVMFFIErrorSetRaised,
 * TVMFFIErrorSetRaisedFromCStr, TVMFFIErrorSetRaisedFromCStrParts, TVMFFIErrorCreate,
 * TVMFFIErrorCreateWithCauseAndExtraContext.
 *
 * Error objects are created through tvm::ffi::Error (error.h): they own copies of kind,
 * message and backtrace, carry an update_backtrace that replaces or appends, and have the
 * 72-byte cell (cause_chain and extra_context NULL unless given).
 *
 * Errors built by 0.1.0-era header code have a 56-byte cell followed by other data. When such
 * an error is raised, the slot receives a fresh copy with the full cell instead, so that readers
 * of cause_chain / extra_context downstream never read past the old cell.
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

/*!
 * \brief A new (+1) error with copies of kind, message and backtrace of a 56-byte-cell error;
 *        NULL when it cannot be created.
 */
TVMFFIObjectHandle CopyLegacyError(TVMFFIObjectHandle legacy) {
  const TVMFFIErrorCell* cell = TVMFFIErrorGetCellPtr(legacy);
  TVMFFIObjectHandle copy = nullptr;
  if (TVMFFIErrorCreate(&cell->kind, &cell->message, &cell->backtrace, &copy) != 0) return nullptr;
  return copy;
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
  using tvm::ffi::ErrorObj;
  using tvm::ffi::details::ObjectUnsafe;
  if (error != nullptr && static_cast<TVMFFIObject*>(error)->type_index == kTVMFFIError &&
      !tvm::ffi::details::ErrorHasCauseAndContext(
          ObjectUnsafe::RawObjectPtrFromUnowned<ErrorObj>(static_cast<TVMFFIObject*>(error)))) {
    TVMFFIObjectHandle copy = tvm::ffi::runtime::CopyLegacyError(error);
    if (copy != nullptr) {
      RaisedErrorSlot::ThreadLocal()->Reset(copy);
      return;
    }
  }
  if (error != nullptr) ObjectUnsafe::IncRefObjectHandle(error);
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

int TVMFFIErrorCreateWithCauseAndExtraContext(
    const TVMFFIByteArray* kind, const TVMFFIByteArray* message, const TVMFFIByteArray* backtrace,
    TVMFFIObjectHandle cause_chain, TVMFFIObjectHandle extra_context, TVMFFIObjectHandle* out) {
  // The cause must be an Error: readers follow the chain as errors.
  if (cause_chain != nullptr &&
      static_cast<const TVMFFIObject*>(cause_chain)->type_index != kTVMFFIError) {
    return -1;
  }
  TVMFFIObjectHandle error = nullptr;
  int code = TVMFFIErrorCreate(kind, message, backtrace, &error);
  if (code != 0) return code;
  TVMFFIErrorCell* cell = TVMFFIErrorGetCellPtr(error);
  if (cause_chain != nullptr) {
    tvm::ffi::details::ObjectUnsafe::IncRefObjectHandle(cause_chain);
    cell->cause_chain = cause_chain;
  }
  if (extra_context != nullptr) {
    tvm::ffi::details::ObjectUnsafe::IncRefObjectHandle(extra_context);
    cell->extra_context = extra_context;
  }
  *out = error;
  return 0;
}
