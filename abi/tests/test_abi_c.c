/*
 * C11 conformance test of the TVM FFI C ABI headers (abi.md §8 items 1-3).
 *
 * Compile-time: every layout, enum value and declaration signature (abi_static_checks.h).
 * Run time: where TVMFFIAny payloads land in memory. Links nothing but libc.
 */
#include <stdalign.h>
#include <stdio.h>
#include <string.h>

#define ABI_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#define ABI_ALIGNOF(T) _Alignof(T)
#define ABI_SAME_TYPE(expr, T) _Generic((expr), T: 1, default: 0)

#include "abi_static_checks.h"

#if defined(__STDC_VERSION__) && __STDC_VERSION__ < 201112L
#error "this test must be compiled as C11 or later"
#endif

/* Arrays decay inside _Generic, so check the element type of v_bytes separately. */
_Static_assert(_Generic(((TVMFFIAny*)0)->v_bytes, char*: 1, default: 0), "v_bytes is char[8]");

/* TVM_FFI_WEAK must be usable on a C definition. */
TVM_FFI_WEAK int abi_test_weak_value = 42;

static int g_failures = 0;

#define EXPECT(cond)                                                              \
  do {                                                                            \
    if (!(cond)) {                                                                \
      fprintf(stderr, "  check failed (%s:%d): %s\n", __FILE__, __LINE__, #cond); \
      ++g_failures;                                                               \
    }                                                                             \
  } while (0)

static void report(const char* group, int failures_before) {
  printf("[%s] %s\n", g_failures == failures_before ? "PASS" : "FAIL", group);
}

static void check_any_bytes(void) {
  int before = g_failures;
  TVMFFIAny any;
  unsigned char raw[16];

  /* DataType: code/bits/lanes at bytes 8/9/10-11, bytes 12..15 zero */
  memset(&any, 0, sizeof(any));
  any.type_index = kTVMFFIDataType;
  any.v_dtype.code = kDLFloat;
  any.v_dtype.bits = 16;
  any.v_dtype.lanes = 0x0104;
  memcpy(raw, &any, sizeof(raw));
  EXPECT(raw[0] == 5 && raw[1] == 0 && raw[2] == 0 && raw[3] == 0);
  EXPECT(raw[4] == 0 && raw[5] == 0 && raw[6] == 0 && raw[7] == 0);
  EXPECT(raw[8] == 2 && raw[9] == 16 && raw[10] == 0x04 && raw[11] == 0x01);
  EXPECT(raw[12] == 0 && raw[13] == 0 && raw[14] == 0 && raw[15] == 0);
  EXPECT(any.v_uint64 == 0x01041002ull);

  /* Device: device_type at 8..11, device_id at 12..15 */
  memset(&any, 0, sizeof(any));
  any.type_index = kTVMFFIDevice;
  any.v_device.device_type = kDLCUDA;
  any.v_device.device_id = 3;
  memcpy(raw, &any, sizeof(raw));
  EXPECT(raw[0] == 6);
  EXPECT(raw[8] == 2 && raw[9] == 0 && raw[10] == 0 && raw[11] == 0);
  EXPECT(raw[12] == 3 && raw[13] == 0 && raw[14] == 0 && raw[15] == 0);
  EXPECT(any.v_uint64 == ((uint64_t)3 << 32 | 2u));

  /* Small string: length at 4..7, content at 8.., NUL after it */
  memset(&any, 0, sizeof(any));
  any.type_index = kTVMFFISmallStr;
  any.small_str_len = 5;
  memcpy(any.v_bytes, "hello", 6);
  memcpy(raw, &any, sizeof(raw));
  EXPECT(raw[0] == 11);
  EXPECT(raw[4] == 5 && raw[5] == 0 && raw[6] == 0 && raw[7] == 0);
  EXPECT(memcmp(raw + 8, "hello", 5) == 0 && raw[13] == 0);
  EXPECT(any.zero_padding == 5);

  /* 7-byte small bytes use all but the terminator byte */
  memset(&any, 0, sizeof(any));
  any.type_index = kTVMFFISmallBytes;
  any.small_str_len = 7;
  memcpy(any.v_bytes, "1234567", 8);
  memcpy(raw, &any, sizeof(raw));
  EXPECT(raw[0] == 12 && raw[4] == 7 && memcmp(raw + 8, "1234567", 8) == 0);

  /* Int / Float / pointer payloads start at byte 8 */
  memset(&any, 0, sizeof(any));
  any.type_index = kTVMFFIInt;
  any.v_int64 = -2;
  memcpy(raw, &any, sizeof(raw));
  EXPECT(raw[8] == 0xFE && raw[15] == 0xFF);
  any.type_index = kTVMFFIFloat;
  any.v_float64 = 1.0;
  EXPECT(any.v_uint64 == 0x3FF0000000000000ull);
  any.type_index = kTVMFFIOpaquePtr;
  any.v_ptr = &any;
  EXPECT((void*)any.v_obj == (void*)&any && (const void*)any.v_c_str == (void*)&any);
  report("C11 TVMFFIAny payload byte positions", before);
}

static void check_object_header(void) {
  int before = g_failures;
  TVMFFIObject obj;
  unsigned char raw[24];
  memset(&obj, 0, sizeof(obj));
  obj.combined_ref_count = ((uint64_t)1 << 32) | 1u;
  obj.type_index = kTVMFFIFunction;
  obj.__ensure_align = -1;
  memcpy(raw, &obj, sizeof(raw));
  EXPECT(raw[0] == 1 && raw[4] == 1 && raw[8] == 68 && raw[12] == 0);
  EXPECT(raw[16] == 0xFF && raw[23] == 0xFF);
  obj.deleter = NULL;
  EXPECT(obj.__ensure_align == 0);
  report("C11 TVMFFIObject header byte positions", before);
}

static void check_misc(void) {
  int before = g_failures;
  EXPECT(abi_test_weak_value == 42);
  EXPECT(TVM_FFI_VERSION_MAJOR == 0 && TVM_FFI_VERSION_MINOR == 1 && TVM_FFI_VERSION_PATCH == 16);
  EXPECT(DLPACK_MAJOR_VERSION == 1 && DLPACK_MINOR_VERSION == 3);
  report("C11 macros (version, TVM_FFI_WEAK)", before);
}

int main(void) {
  printf("[PASS] C11 compile-time layout/enum/signature checks (%d bytes TVMFFIFieldInfo)\n",
         (int)sizeof(TVMFFIFieldInfo));
  check_any_bytes();
  check_object_header();
  check_misc();
  if (g_failures != 0) {
    printf("%d check(s) failed\n", g_failures);
    return 1;
  }
  printf("all C11 checks passed\n");
  return 0;
}
