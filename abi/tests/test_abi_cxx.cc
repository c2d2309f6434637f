/*
 * C++17 conformance test of the TVM FFI C ABI headers (abi.md §3.12, §8 items 1-3).
 *
 * Compile-time: the same layout / enum / signature checks as the C test, plus the fixed
 * int32_t underlying types of the C++ enumerations.
 * Run time: the §3.12 inline helpers and TVMFFIAny payload positions. Links nothing.
 */
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <type_traits>

#define ABI_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#define ABI_ALIGNOF(T) alignof(T)
#define ABI_SAME_TYPE(expr, T) (std::is_same<decltype(expr), T>::value)

#include "abi_static_checks.h"

#if __cplusplus < 201703L
#error "this test must be compiled as C++17 or later"
#endif

// Array member: decltype sees the undecayed type in C++.
static_assert(std::is_same<decltype(TVMFFIAny::v_bytes), char[8]>::value, "v_bytes is char[8]");

// In C++ every ABI enumeration has a fixed 32-bit signed underlying type.
static_assert(std::is_same<std::underlying_type<TVMFFITypeIndex>::type, int32_t>::value, "");
static_assert(
    std::is_same<std::underlying_type<TVMFFIObjectDeleterFlagBitMask>::type, int32_t>::value, "");
static_assert(std::is_same<std::underlying_type<TVMFFIBacktraceUpdateMode>::type, int32_t>::value,
              "");
static_assert(std::is_same<std::underlying_type<TVMFFIFieldFlagBitMask>::type, int32_t>::value, "");
static_assert(std::is_same<std::underlying_type<TVMFFISEqHashKind>::type, int32_t>::value, "");
static_assert(std::is_same<std::underlying_type<DLDeviceType>::type, int32_t>::value, "");

// The ABI structs are plain C data.
static_assert(std::is_standard_layout<TVMFFIObject>::value && std::is_trivial<TVMFFIObject>::value,
              "");
static_assert(std::is_standard_layout<TVMFFIAny>::value && std::is_trivial<TVMFFIAny>::value, "");
static_assert(std::is_standard_layout<TVMFFITypeInfo>::value, "");
static_assert(std::is_standard_layout<DLManagedTensorVersioned>::value, "");

// Signatures of the §3.12 helpers.
static_assert(
    std::is_same<decltype(&TVMFFIObjectGetTypeIndex), int32_t (*)(TVMFFIObjectHandle)>::value, "");
static_assert(std::is_same<decltype(&TVMFFISmallBytesGetContentByteArray),
                           TVMFFIByteArray (*)(const TVMFFIAny*)>::value,
              "");
static_assert(std::is_same<decltype(&TVMFFIBytesGetByteArrayPtr),
                           TVMFFIByteArray* (*)(TVMFFIObjectHandle)>::value,
              "");
static_assert(
    std::is_same<decltype(&TVMFFIErrorGetCellPtr), TVMFFIErrorCell* (*)(TVMFFIObjectHandle)>::value,
    "");
static_assert(std::is_same<decltype(&TVMFFIFunctionGetCellPtr),
                           TVMFFIFunctionCell* (*)(TVMFFIObjectHandle)>::value,
              "");
static_assert(std::is_same<decltype(&TVMFFIOpaqueObjectGetCellPtr),
                           TVMFFIOpaqueObjectCell* (*)(TVMFFIObjectHandle)>::value,
              "");
static_assert(
    std::is_same<decltype(&TVMFFIShapeGetCellPtr), TVMFFIShapeCell* (*)(TVMFFIObjectHandle)>::value,
    "");
static_assert(
    std::is_same<decltype(&TVMFFITensorGetDLTensorPtr), DLTensor* (*)(TVMFFIObjectHandle)>::value,
    "");
static_assert(
    std::is_same<decltype(&TVMFFIDLDeviceFromIntPair), DLDevice (*)(int32_t, int32_t)>::value, "");

// TVM_FFI_WEAK must be usable on a C++ definition.
TVM_FFI_WEAK int abi_test_weak_value_cxx = 7;

namespace {

int g_failures = 0;

#define EXPECT(cond)                                                                   \
  do {                                                                                 \
    if (!(cond)) {                                                                     \
      std::fprintf(stderr, "  check failed (%s:%d): %s\n", __FILE__, __LINE__, #cond); \
      ++g_failures;                                                                    \
    }                                                                                  \
  } while (0)

void Report(const char* group, int failures_before) {
  std::printf("[%s] %s\n", g_failures == failures_before ? "PASS" : "FAIL", group);
}

void CheckInlineHelpers() {
  int before = g_failures;
  // A fake object: header followed by room for the largest cell.
  alignas(8) unsigned char storage[128];
  std::memset(storage, 0, sizeof(storage));
  TVMFFIObject header;
  std::memset(&header, 0, sizeof(header));
  header.combined_ref_count = (uint64_t{1} << 32) | 1u;
  header.type_index = kTVMFFITensor;
  std::memcpy(storage, &header, sizeof(header));
  TVMFFIObjectHandle obj = storage;
  unsigned char* const cell = storage + 24;

  EXPECT(TVMFFIObjectGetTypeIndex(obj) == kTVMFFITensor);
  EXPECT(static_cast<void*>(TVMFFIBytesGetByteArrayPtr(obj)) == cell);
  EXPECT(static_cast<void*>(TVMFFIErrorGetCellPtr(obj)) == cell);
  EXPECT(static_cast<void*>(TVMFFIFunctionGetCellPtr(obj)) == cell);
  EXPECT(static_cast<void*>(TVMFFIOpaqueObjectGetCellPtr(obj)) == cell);
  EXPECT(static_cast<void*>(TVMFFIShapeGetCellPtr(obj)) == cell);
  EXPECT(static_cast<void*>(TVMFFITensorGetDLTensorPtr(obj)) == cell);

  // Writes through the helpers land at obj+24...
  TVMFFIShapeGetCellPtr(obj)->size = 3;
  uint64_t size_at_32 = 0;
  std::memcpy(&size_at_32, storage + 32, sizeof(size_at_32));
  EXPECT(size_at_32 == 3);
  TVMFFITensorGetDLTensorPtr(obj)->ndim = 4;
  int32_t ndim_at_40 = 0;
  std::memcpy(&ndim_at_40, storage + 24 + 16, sizeof(ndim_at_40));
  EXPECT(ndim_at_40 == 4);
  TVMFFIErrorGetCellPtr(obj)->message.size = 11;
  uint64_t msg_size_at_48 = 0;
  std::memcpy(&msg_size_at_48, storage + 48, sizeof(msg_size_at_48));
  EXPECT(msg_size_at_48 == 11);

  // ... and the header's type index is read from obj+8.
  int32_t tindex = kTVMFFIStr;
  std::memcpy(storage + 8, &tindex, sizeof(tindex));
  EXPECT(TVMFFIObjectGetTypeIndex(obj) == kTVMFFIStr);

  // Small bytes view.
  TVMFFIAny any;
  std::memset(&any, 0, sizeof(any));
  any.type_index = kTVMFFISmallStr;
  any.small_str_len = 3;
  std::memcpy(any.v_bytes, "abc", 4);
  TVMFFIByteArray content = TVMFFISmallBytesGetContentByteArray(&any);
  EXPECT(content.data == any.v_bytes);
  EXPECT(reinterpret_cast<const unsigned char*>(content.data) ==
         reinterpret_cast<const unsigned char*>(&any) + 8);
  EXPECT(content.size == 3);

  // Device from an int pair.
  DLDevice dev = TVMFFIDLDeviceFromIntPair(2, 5);
  EXPECT(dev.device_type == kDLCUDA && dev.device_id == 5);
  Report("C++17 inline helpers (obj+24 cells, type index, small bytes, device pair)", before);
}

void CheckAnyBytes() {
  int before = g_failures;
  TVMFFIAny any;
  unsigned char raw[16];

  std::memset(&any, 0, sizeof(any));
  any.type_index = kTVMFFIDataType;
  any.v_dtype.code = kDLBfloat;
  any.v_dtype.bits = 16;
  any.v_dtype.lanes = 1;
  std::memcpy(raw, &any, sizeof(raw));
  EXPECT(raw[0] == 5 && raw[8] == 4 && raw[9] == 16 && raw[10] == 1 && raw[11] == 0);
  EXPECT(raw[12] == 0 && raw[13] == 0 && raw[14] == 0 && raw[15] == 0);

  std::memset(&any, 0, sizeof(any));
  any.type_index = kTVMFFIDevice;
  any.v_device = TVMFFIDLDeviceFromIntPair(kDLROCM, 1);
  std::memcpy(raw, &any, sizeof(raw));
  EXPECT(raw[0] == 6 && raw[8] == 10 && raw[12] == 1);
  EXPECT(any.v_uint64 == ((uint64_t{1} << 32) | 10u));

  std::memset(&any, 0, sizeof(any));
  any.type_index = kTVMFFISmallStr;
  any.small_str_len = 7;
  std::memcpy(any.v_bytes, "abcdefg", 8);
  std::memcpy(raw, &any, sizeof(raw));
  EXPECT(raw[0] == 11 && raw[4] == 7 && std::memcmp(raw + 8, "abcdefg", 8) == 0);
  Report("C++17 TVMFFIAny payload byte positions", before);
}

void CheckMisc() {
  int before = g_failures;
  EXPECT(abi_test_weak_value_cxx == 7);
  EXPECT(sizeof(TVMFFITypeIndex) == 4 && sizeof(DLDeviceType) == 4);
  Report("C++17 macros (TVM_FFI_WEAK) and enum sizes", before);
}

}  // namespace

int main() {
  std::printf("[PASS] C++17 compile-time layout/enum/signature checks\n");
  CheckInlineHelpers();
  CheckAnyBytes();
  CheckMisc();
  if (g_failures != 0) {
    std::printf("%d check(s) failed\n", g_failures);
    return 1;
  }
  std::printf("all C++17 checks passed\n");
  return 0;
}
