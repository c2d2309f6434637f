/*!
 * \file c_api_test_helpers.h
 * \brief Small helpers for the C API conformance tests (test_c_api_*.cc).
 *
 * Everything here goes through the C ABI only, so the tests exercise exactly what a C
 * consumer sees. The generic byte / reference-count helpers come from test_utils.h (they
 * read the C structs only); the C++ error helpers there are not used by these tests.
 */
#ifndef TVM_FFI_TESTS_C_API_TEST_HELPERS_H_
#define TVM_FFI_TESTS_C_API_TEST_HELPERS_H_

#include <tvm/ffi/c_api.h>

#include <atomic>
#include <cstring>
#include <string>

#include "test_utils.h"

namespace tvm_ffi_c_api_test {

// Byte and reference-count helpers shared with the C++ tests (they read the C structs only).
using tvm_ffi_test::ByteArrayOf;
using tvm_ffi_test::DTypeCase;
using tvm_ffi_test::kDTypeRoundTrips;
using tvm_ffi_test::RefCountWord;
using tvm_ffi_test::StrongCount;
using tvm_ffi_test::ToStd;

inline TVMFFIAny NoneAny() {
  TVMFFIAny value;
  std::memset(&value, 0, sizeof(value));
  value.type_index = kTVMFFINone;
  return value;
}

inline TVMFFIAny IntAny(int64_t v) {
  TVMFFIAny value = NoneAny();
  value.type_index = kTVMFFIInt;
  value.v_int64 = v;
  return value;
}

inline TVMFFIAny RawStrAny(const char* text) {
  TVMFFIAny value = NoneAny();
  value.type_index = kTVMFFIRawStr;
  value.v_c_str = text;
  return value;
}

inline TVMFFIAny ObjectAny(TVMFFIObjectHandle handle) {
  TVMFFIAny value = NoneAny();
  value.type_index = TVMFFIObjectGetTypeIndex(handle);
  value.v_obj = static_cast<TVMFFIObject*>(handle);
  return value;
}

/*! \brief Release an owning cell. */
inline void ReleaseAny(TVMFFIAny* value) {
  if (value->type_index >= kTVMFFIStaticObjectBegin) TVMFFIObjectDecRef(value->v_obj);
  *value = NoneAny();
}

/*! \brief Text of an owning String/Bytes cell (small or object form). */
inline std::string StrContent(const TVMFFIAny& value) {
  if (value.type_index == kTVMFFISmallStr || value.type_index == kTVMFFISmallBytes) {
    return std::string(value.v_bytes, value.small_str_len);
  }
  if (value.type_index == kTVMFFIStr || value.type_index == kTVMFFIBytes) {
    return ToStd(*TVMFFIBytesGetByteArrayPtr(value.v_obj));
  }
  return "<not a string: type_index=" + std::to_string(value.type_index) + ">";
}

/*! \brief Contents of the error taken out of the raised slot. */
struct RaisedError {
  bool present = false;
  int32_t type_index = -1;
  uint64_t ref_count_word = 0;
  std::string kind;
  std::string message;
  std::string backtrace;
};

/*! \brief Take the raised error (if any), record what it holds and release it. */
inline RaisedError TakeRaisedError() {
  RaisedError result;
  TVMFFIObjectHandle handle = nullptr;
  TVMFFIErrorMoveFromRaised(&handle);
  if (handle == nullptr) return result;
  result.present = true;
  result.type_index = TVMFFIObjectGetTypeIndex(handle);
  result.ref_count_word = RefCountWord(handle);
  if (result.type_index == kTVMFFIError) {
    const TVMFFIErrorCell* cell = TVMFFIErrorGetCellPtr(handle);
    result.kind = ToStd(cell->kind);
    result.message = ToStd(cell->message);
    result.backtrace = ToStd(cell->backtrace);
  }
  TVMFFIObjectDecRef(handle);
  return result;
}

/*! \brief Look up a global function; NULL when missing. Returns a +1 handle. */
inline TVMFFIObjectHandle GetGlobal(const char* name) {
  TVMFFIByteArray name_bytes = ByteArrayOf(name);
  TVMFFIObjectHandle handle = nullptr;
  if (TVMFFIFunctionGetGlobal(&name_bytes, &handle) != 0) return nullptr;
  return handle;
}

/*! \brief Call a registered global; returns the safe-call code, result is owning. */
inline int CallGlobal(const char* name, TVMFFIAny* args, int32_t num_args, TVMFFIAny* result) {
  TVMFFIObjectHandle func = GetGlobal(name);
  if (func == nullptr) return -100;
  *result = NoneAny();
  int rc = TVMFFIFunctionCall(func, args, num_args, result);
  TVMFFIObjectDecRef(func);
  return rc;
}

/*! \brief A process-unique suffix so that keys/names never collide between tests. */
inline std::string UniqueName(const std::string& prefix) {
  static std::atomic<int> counter{0};
  // Deterministic (death tests re-run the test body in a child process and must see the
  // same names), unique within one process.
  return prefix + "_" + std::to_string(counter.fetch_add(1));
}

}  // namespace tvm_ffi_c_api_test

#endif  // TVM_FFI_TESTS_C_API_TEST_HELPERS_H_
