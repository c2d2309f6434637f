/*!
 * \file test_check.cc
 * \brief The TVM_FFI_CHECK_* family with a chosen error kind, TVM_FFI_CHECK_NOTNULL and the
 *        TVM_FFI_DCHECK family (active here because this file is compiled without NDEBUG
 *        when the build is a debug build; the release behaviour is tested in
 *        test_check_ndebug.cc).
 */
#include <gtest/gtest.h>
#include <tvm/ffi/check.h>
#include <tvm/ffi/error.h>

#include <string>

#include "test_utils.h"

namespace {

TEST(CheckMacros, BinaryWithKind) {
  EXPECT_FFI_ERROR("IndexError", "Check failed: 1 == 2 (1 vs. 2) : ctx",
                   TVM_FFI_CHECK_EQ(1, 2, IndexError) << "ctx");
  EXPECT_FFI_ERROR("ValueError",
                   "Check failed: 3 < 2 (3 vs. 2) : ", TVM_FFI_CHECK_LT(3, 2, ValueError));
  EXPECT_FFI_ERROR("TypeError",
                   "Check failed: 1 > 2 (1 vs. 2) : ", TVM_FFI_CHECK_GT(1, 2, TypeError));
  EXPECT_FFI_ERROR("KeyError",
                   "Check failed: 3 <= 2 (3 vs. 2) : ", TVM_FFI_CHECK_LE(3, 2, KeyError));
  EXPECT_FFI_ERROR("RuntimeError",
                   "Check failed: 1 >= 2 (1 vs. 2) : ", TVM_FFI_CHECK_GE(1, 2, RuntimeError));
  EXPECT_FFI_ERROR("ValueError",
                   "Check failed: 2 != 2 (2 vs. 2) : ", TVM_FFI_CHECK_NE(2, 2, ValueError));
  EXPECT_FFI_ERROR("ValueError", "Check failed: a < b (x vs. y) : ", {
    std::string a = "x", b = "y";
    TVM_FFI_CHECK_BINARY_OP(_LT, <, a, b, ValueError);  // passes
    TVM_FFI_CHECK_BINARY_OP(_GE, <, a, b, ValueError);
  });
  // Passing checks do nothing and evaluate each operand once.
  int evaluated = 0;
  TVM_FFI_CHECK_EQ(++evaluated, 1, ValueError) << "not reached";
  EXPECT_EQ(evaluated, 1);
}

TEST(CheckMacros, NotNull) {
  int value = 3;
  int* p = &value;
  EXPECT_EQ(TVM_FFI_CHECK_NOTNULL(p, ValueError), p);
  int* q = nullptr;
  EXPECT_FFI_ERROR("ValueError", "Check not null: q ", TVM_FFI_CHECK_NOTNULL(q, ValueError));
  EXPECT_FFI_ERROR("InternalError", "Check not null: q ", TVM_FFI_ICHECK_NOTNULL(q));
}

TEST(CheckMacros, PredictAndColdMacrosCompile) {
  int x = 1;
  if (TVM_FFI_PREDICT_FALSE(x == 2)) FAIL();
  if (!TVM_FFI_PREDICT_TRUE(x == 1)) FAIL();
  TVM_FFI_UNSAFE_ASSUME(x == 1);
  EXPECT_EQ(x, 1);
}

#ifndef NDEBUG
TEST(CheckMacros, DCheckActiveWithoutNDEBUG) {
  int calls = 0;
  auto bump = [&calls]() { return ++calls; };
  TVM_FFI_DCHECK(bump() == 1);
  TVM_FFI_DCHECK_EQ(bump(), 2);
  EXPECT_EQ(calls, 2);
  EXPECT_FFI_ERROR("InternalError", "Check failed: 1 == 2 (1 vs. 2) : m",
                   TVM_FFI_DCHECK_EQ(1, 2) << "m");
  int* q = nullptr;
  EXPECT_FFI_ERROR("InternalError", "Check not null: q ", TVM_FFI_DCHECK_NOTNULL(q));
}
#endif

}  // namespace
