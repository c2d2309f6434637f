/*!
 * \file test_dtype_delta.cc
 * \brief DTypeIsFloat / DTypeIsInt / DTypeIsBool, DTypeAbbrev and extra/dtype.h's dtype_trait.
 */
#include <gtest/gtest.h>
#include <tvm/ffi/dtype.h>
#include <tvm/ffi/extra/dtype.h>

#include "test_utils.h"

namespace {

using namespace tvm::ffi;

constexpr DLDataType DT(uint8_t code, uint8_t bits, uint16_t lanes = 1) {
  return DLDataType{code, bits, lanes};
}

TEST(DTypeDelta, Predicates) {
  for (uint8_t code : {kDLFloat, kDLBfloat, kDLFloat8_e3m4, kDLFloat8_e4m3fn, kDLFloat8_e8m0fnu,
                       kDLFloat6_e2m3fn, kDLFloat4_e2m1fn}) {
    EXPECT_TRUE(DTypeIsFloat(DT(code, 8))) << static_cast<int>(code);
    EXPECT_FALSE(DTypeIsInt(DT(code, 8)));
  }
  EXPECT_TRUE(DTypeIsInt(DT(kDLInt, 32)));
  EXPECT_TRUE(DTypeIsInt(DT(kDLUInt, 8)));
  EXPECT_FALSE(DTypeIsFloat(DT(kDLInt, 32)));
  EXPECT_TRUE(DTypeIsBool(DT(kDLBool, 8)));
  EXPECT_FALSE(DTypeIsBool(DT(kDLUInt, 1)));
  EXPECT_FALSE(DTypeIsFloat(DT(kDLOpaqueHandle, 64)));
  EXPECT_FALSE(DTypeIsInt(DT(kDLComplex, 64)));
}

TEST(DTypeDelta, Abbrev) {
  EXPECT_EQ(DTypeAbbrev(DT(kDLFloat, 32)), "f32");
  EXPECT_EQ(DTypeAbbrev(DT(kDLInt, 8, 4)), "i8x4");
  EXPECT_EQ(DTypeAbbrev(DT(kDLUInt, 16)), "u16");
  EXPECT_EQ(DTypeAbbrev(DT(kDLBfloat, 16)), "bf16");
  EXPECT_EQ(DTypeAbbrev(DT(kDLBool, 8)), "bool");
  EXPECT_EQ(DTypeAbbrev(DT(kDLBool, 1)), "bool1");
  EXPECT_EQ(DTypeAbbrev(DT(kDLFloat8_e4m3fn, 8)), "f8_e4m3fn");
  EXPECT_EQ(DTypeAbbrev(DT(kDLFloat6_e2m3fn, 6)), "f6_e2m3fn");
  EXPECT_EQ(DTypeAbbrev(DT(kDLFloat4_e2m1fn, 4, 2)), "f4_e2m1fnx2");
  EXPECT_EQ(DTypeAbbrev(DT(kDLOpaqueHandle, 0, 0)), "void");
  EXPECT_EQ(DTypeAbbrev(DT(kDLOpaqueHandle, 64)), "handle");
  EXPECT_EQ(DTypeAbbrev(DT(kDLFloat, 32, static_cast<uint16_t>(-4))), "f32xvscalex4");
  EXPECT_FFI_ERROR_CONTAINS("ValueError", "unknown dtype code 5", DTypeAbbrev(DT(kDLComplex, 64)));
}

TEST(DTypeDelta, DTypeTrait) {
  static_assert(dtype_trait<float>::value.code == kDLFloat && dtype_trait<float>::value.bits == 32);
  static_assert(dtype_trait<double>::value.bits == 64);
  static_assert(dtype_trait<int>::value.code == kDLInt && dtype_trait<int>::value.bits == 32);
  static_assert(dtype_trait<unsigned char>::value.code == kDLUInt);
  static_assert(dtype_trait<signed char>::value.bits == 8);
  static_assert(dtype_trait<long long>::value.bits == 64);  // NOLINT(runtime/int)
  static_assert(dtype_trait<bool>::value.code == kDLBool && dtype_trait<bool>::value.bits == 8);
  static_assert(dtype_trait<__nv_fp4x2_e2m1>::value.lanes == 2);
  static_assert(dtype_trait<__nv_fp8_e4m3>::value.code == kDLFloat8_e4m3fn);
  static_assert(dtype_trait<__half>::value.bits == 16);
  EXPECT_EQ(DTypeAbbrev(dtype_trait<unsigned short>::value), "u16");  // NOLINT(runtime/int)
}

}  // namespace
