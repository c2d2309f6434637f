/*!
 * \file test_compat_010.cc
 * \brief Behaviours of the 0.1.0 C++ API that code written for it relies on: assigning plain
 *        values to Optional<String>/Optional<Bytes>, AnyView/Any from a non-const pointer to an
 *        immutable object type, and RValueRef argument errors naming the element mismatch.
 */
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/optional.h>
#include <tvm/ffi/rvalue_ref.h>
#include <tvm/ffi/string.h>

#include <string>

#include "test_utils.h"
#include "testing_object.h"

namespace {

using namespace tvm::ffi;
using tvm_ffi_test::TInt;
using tvm_ffi_test::TIntObj;

TEST(Compat010, OptionalStringAssignFromLiteralAndStd) {
  Optional<String> s;
  EXPECT_FALSE(s.has_value());
  s = "hello";
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s.value(), "hello");
  s = std::string("world, a string long enough for the heap form");
  EXPECT_EQ(s.value(), "world, a string long enough for the heap form");
  const char* text = "ptr";
  s = text;
  EXPECT_EQ(*s, "ptr");
  s = std::nullopt;
  EXPECT_FALSE(s.has_value());

  Optional<Bytes> b;
  b = std::string("raw\0bytes", 9);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b.value().size(), 9u);
  EXPECT_EQ(std::string(b.value().data(), b.value().size()), std::string("raw\0bytes", 9));
  std::string lvalue = "lvalue";
  b = lvalue;
  EXPECT_EQ(std::string(b.value()), "lvalue");
}

TEST(Compat010, AnyFromNonConstPointerToImmutableObject) {
  static_assert(!TIntObj::_type_mutable, "the fixture type must be immutable");
  TInt value(7);
  TIntObj* ptr = const_cast<TIntObj*>(value.get());
  AnyView view = ptr;
  EXPECT_EQ(view.type_index(), TIntObj::RuntimeTypeIndex());
  Any owned = ptr;
  EXPECT_EQ(value.use_count(), 2);
  EXPECT_EQ(owned.cast<TInt>()->value, 7);
  // Reading back needs a const pointer for an immutable type.
  EXPECT_EQ(owned.cast<const TIntObj*>(), ptr);
  Function f = Function::FromTyped([](TInt x) { return x->value; });
  EXPECT_EQ(f(ptr).cast<int64_t>(), 7);
}

TEST(Compat010, RValueRefMismatchNamesTheElement) {
  Function f = Function::FromTyped(
      [](RValueRef<Array<int>> arr) { return (*std::move(arr)).size(); }, "take");
  Array<Any> mixed{1, 2.5};
  EXPECT_FFI_ERROR("TypeError",
                   "Mismatched type on argument #0 when calling: "
                   "`take(0: RValueRef<Array<int>>) -> int`. Expected `RValueRef<Array<int>>` but "
                   "got `RValueRef<Array[index 1: float]>`",
                   f(RValueRef<Array<Any>>(std::move(mixed))));
  // An rvalue Array<Any> whose elements all convert is accepted as a converted copy.
  Array<Any> ints{1, 2, 3};
  Array<Any> keep = ints;
  EXPECT_EQ(f(RValueRef<Array<Any>>(std::move(ints))).cast<int64_t>(), 3);
  EXPECT_EQ(keep.size(), 3u);
}

}  // namespace
