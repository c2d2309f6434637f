/*!
 * \file test_error_layout.cc
 * \brief Byte layout of error objects as seen by other binaries (found by the interop session,
 *        docs/interop.md).
 *
 * Readers of TVM FFI 0.1.0 use only the first 56 bytes of TVMFFIErrorCell at object + 24.
 * The 72-byte cell adds two object handles, `cause_chain` (object + 80) and `extra_context`
 * (object + 88), which newer readers take from every error object. Every error our headers or
 * our runtime create without a cause or context must hold NULL in both, whatever path created
 * it.
 */
#include <gtest/gtest.h>
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/error.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

namespace {

using tvm::ffi::Error;
using tvm::ffi::details::ObjectUnsafe;

// The two pointer-sized words that follow the 0.1.0 part of the cell.
void ExpectNullSlotsAfterCell(TVMFFIObjectHandle handle) {
  ASSERT_NE(handle, nullptr);
  ASSERT_EQ(static_cast<TVMFFIObject*>(handle)->type_index, kTVMFFIError);
  const char* base = static_cast<const char*>(handle);
  static_assert(offsetof(TVMFFIErrorCell, cause_chain) + sizeof(TVMFFIObject) == 80, "");
  static_assert(offsetof(TVMFFIErrorCell, extra_context) + sizeof(TVMFFIObject) == 88, "");
  void* cause_chain = reinterpret_cast<void*>(0x1);
  void* extra_context = reinterpret_cast<void*>(0x1);
  std::memcpy(&cause_chain, base + 80, sizeof(void*));
  std::memcpy(&extra_context, base + 88, sizeof(void*));
  EXPECT_EQ(cause_chain, nullptr) << "object + 80 (cause_chain of later releases)";
  EXPECT_EQ(extra_context, nullptr) << "object + 88 (extra_context of later releases)";
}

TEST(ErrorLayout, HeaderCreatedErrorHasNullSlotsAfterCell) {
  Error err("ValueError", "a message that is long enough to live on the heap", "bt");
  ExpectNullSlotsAfterCell(ObjectUnsafe::TVMFFIObjectPtrFromObjectRef(err));
  // The backtrace updater of the creating binary must not disturb them.
  TVMFFIByteArray more{"frame\n", 6};
  err.UpdateBacktrace(&more, kTVMFFIBacktraceUpdateModeAppend);
  ExpectNullSlotsAfterCell(ObjectUnsafe::TVMFFIObjectPtrFromObjectRef(err));
  EXPECT_EQ(err.backtrace(), "btframe\n");
}

TEST(ErrorLayout, ThrownErrorHasNullSlotsAfterCell) {
  try {
    TVM_FFI_THROW(RuntimeError) << "thrown";
    FAIL() << "TVM_FFI_THROW returned";
  } catch (const Error& err) {
    ExpectNullSlotsAfterCell(ObjectUnsafe::TVMFFIObjectPtrFromObjectRef(err));
  }
}

TEST(ErrorLayout, RuntimeCreatedErrorsHaveNullSlotsAfterCell) {
  TVMFFIByteArray kind{"TypeError", 9};
  TVMFFIByteArray message{"made by TVMFFIErrorCreate", 25};
  TVMFFIByteArray backtrace{"", 0};
  TVMFFIObjectHandle handle = nullptr;
  ASSERT_EQ(TVMFFIErrorCreate(&kind, &message, &backtrace, &handle), 0);
  ExpectNullSlotsAfterCell(handle);
  TVMFFIObjectDecRef(handle);

  TVMFFIErrorSetRaisedFromCStr("KeyError", "made by TVMFFIErrorSetRaisedFromCStr");
  handle = nullptr;
  TVMFFIErrorMoveFromRaised(&handle);
  ExpectNullSlotsAfterCell(handle);
  TVMFFIObjectDecRef(handle);

  const char* parts[] = {"made ", "from ", "parts"};
  TVMFFIErrorSetRaisedFromCStrParts("IndexError", parts, 3);
  handle = nullptr;
  TVMFFIErrorMoveFromRaised(&handle);
  ExpectNullSlotsAfterCell(handle);
  TVMFFIObjectDecRef(handle);
}

}  // namespace
