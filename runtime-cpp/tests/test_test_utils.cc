// The shared test helpers of test_utils.h must fail when they should: a missing throw, a
// wrong kind, a wrong message or a missing fragment is each reported as a failure.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <tvm/ffi/error.h>

#include <cstdint>
#include <string>

#include "test_utils.h"

namespace {

void ThrowValueError() { TVM_FFI_THROW(ValueError) << "bad value 42"; }
void DoNothing() {}

TEST(TestUtils, ExactMatchPassesOnlyForKindAndWholeMessage) {
  EXPECT_FFI_ERROR("ValueError", "bad value 42", ThrowValueError());
  EXPECT_NONFATAL_FAILURE(EXPECT_FFI_ERROR("ValueError", "bad value 42", DoNothing()),
                          "expected tvm::ffi::Error ValueError: bad value 42");
  EXPECT_NONFATAL_FAILURE(EXPECT_FFI_ERROR("TypeError", "bad value 42", ThrowValueError()),
                          "TypeError");
  EXPECT_NONFATAL_FAILURE(EXPECT_FFI_ERROR("ValueError", "bad value", ThrowValueError()),
                          "bad value 42");
}

TEST(TestUtils, FragmentMatchNeedsKindAndFragment) {
  EXPECT_FFI_ERROR_CONTAINS("ValueError", "value 4", ThrowValueError());
  EXPECT_NONFATAL_FAILURE(EXPECT_FFI_ERROR_CONTAINS("ValueError", "value", DoNothing()),
                          "expected tvm::ffi::Error ValueError containing: value");
  EXPECT_NONFATAL_FAILURE(EXPECT_FFI_ERROR_CONTAINS("KeyError", "value", ThrowValueError()),
                          "KeyError");
  EXPECT_NONFATAL_FAILURE(EXPECT_FFI_ERROR_CONTAINS("ValueError", "value 43", ThrowValueError()),
                          "expected to contain: value 43");
}

TEST(TestUtils, KindOnlyCheckReturnsTheMessage) {
  EXPECT_EQ(tvm_ffi_test::ExpectErrorKind(ThrowValueError, "ValueError"), "bad value 42");
  EXPECT_NONFATAL_FAILURE(tvm_ffi_test::ExpectErrorKind(ThrowValueError, "IndexError"),
                          "IndexError");
  EXPECT_NONFATAL_FAILURE(tvm_ffi_test::ExpectErrorKind(DoNothing, "IndexError"),
                          "expected tvm::ffi::Error IndexError");
}

TEST(TestUtils, CatchReturnsTheErrorOrRecordsAFailure) {
  tvm::ffi::Error err = CATCH_FFI_ERROR(ThrowValueError());
  EXPECT_EQ(err.kind(), "ValueError");
  EXPECT_EQ(err.message(), "bad value 42");
  EXPECT_NONFATAL_FAILURE(CATCH_FFI_ERROR(DoNothing()), "expected a tvm::ffi::Error");
  EXPECT_FALSE(tvm_ffi_test::TryCatchError(DoNothing).has_value());
}

TEST(TestUtils, ByteHelpers) {
  const unsigned char bytes[6] = {0x0b, 0x00, 0xa0, 0xff, 0x12, 0x34};
  EXPECT_EQ(tvm_ffi_test::HexBytes(bytes, 6), "0b00a0ff1234");
  EXPECT_EQ(tvm_ffi_test::HexBytes(bytes, 6, 4), "0b00a0ff 1234");
  EXPECT_EQ(tvm_ffi_test::ReadAt<uint16_t>(bytes, 4), 0x3412);  // little endian
  std::string text("a\0b", 3);
  TVMFFIByteArray arr = tvm_ffi_test::ByteArrayOf(text);
  EXPECT_EQ(arr.size, 3u);
  EXPECT_EQ(tvm_ffi_test::ToStd(arr), text);
  EXPECT_EQ(tvm_ffi_test::ToStd(TVMFFIByteArray{nullptr, 0}), "");
  EXPECT_TRUE(tvm_ffi_test::Contains("haystack", "st"));
  EXPECT_FALSE(tvm_ffi_test::StartsWith("haystack", "st"));
}

}  // namespace
