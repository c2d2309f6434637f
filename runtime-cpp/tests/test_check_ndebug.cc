/*!
 * \file test_check_ndebug.cc
 * \brief With NDEBUG defined the TVM_FFI_DCHECK family vanishes: operands are type-checked but
 *        never evaluated, and TVM_FFI_DCHECK_NOTNULL(x) is just x.
 */
#ifndef NDEBUG
#define NDEBUG
#endif
#include <gtest/gtest.h>
#include <tvm/ffi/check.h>

namespace {

TEST(CheckMacros, DCheckVanishesUnderNDEBUG) {
  int calls = 0;
  auto bump = [&calls]() { return ++calls; };
  TVM_FFI_DCHECK(bump() == 100) << "never";
  TVM_FFI_DCHECK_EQ(bump(), 100) << "never";
  TVM_FFI_DCHECK_LT(bump(), -1);
  TVM_FFI_DCHECK_GT(bump(), 100);
  TVM_FFI_DCHECK_LE(bump(), -1);
  TVM_FFI_DCHECK_GE(bump(), 100);
  TVM_FFI_DCHECK_NE(bump(), bump());
  EXPECT_EQ(calls, 0);
  int* q = nullptr;
  EXPECT_EQ(TVM_FFI_DCHECK_NOTNULL(q), nullptr);
}

}  // namespace
