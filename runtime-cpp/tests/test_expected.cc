/*!
 * \file test_expected.cc
 * \brief Expected<T> / Expected<void> / Unexpected<E>, TVM_FFI_UNEXPECTED, the TVM_FFI_RET_CHECK
 *        family and Function::CallExpected.
 */
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/expected.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/string.h>

#include <string>
#include <type_traits>

#include "test_utils.h"

namespace {

using namespace tvm::ffi;

static_assert(sizeof(Expected<int>) == 16, "Expected<T> is one Any");
static_assert(sizeof(Expected<void>) == 16, "Expected<void> is one Any");
static_assert(std::is_same_v<decltype(Unexpected(Error("ValueError", "m", ""))), Unexpected<Error>>,
              "deduction guide");

TEST(Expected, ValueState) {
  Expected<int> e = 3;
  EXPECT_TRUE(e.is_ok());
  EXPECT_FALSE(e.is_err());
  EXPECT_TRUE(e.has_value());
  EXPECT_EQ(e.type_index(), kTVMFFIInt);
  EXPECT_EQ(e.value(), 3);
  EXPECT_EQ(e.value_or(7), 3);
  EXPECT_FFI_ERROR("RuntimeError", "Bad expected access: contains value, not error", e.error());
  // Conversion from a value convertible to T.
  Expected<double> d = 2;
  EXPECT_DOUBLE_EQ(d.value(), 2.0);
  Expected<String> s = "hello";
  EXPECT_EQ(s.value(), "hello");
}

TEST(Expected, ErrorState) {
  Expected<int> e = Unexpected(Error("ValueError", "bad input", ""));
  EXPECT_TRUE(e.is_err());
  EXPECT_FALSE(e.is_ok());
  EXPECT_EQ(e.type_index(), kTVMFFIError);
  EXPECT_EQ(e.error().kind(), "ValueError");
  EXPECT_EQ(e.error().message(), "bad input");
  EXPECT_EQ(e.value_or(7), 7);
  // value() throws the stored error itself.
  EXPECT_FFI_ERROR("ValueError", "bad input", e.value());
  Expected<int> from_error = Error("IndexError", "oops", "");
  EXPECT_EQ(std::move(from_error).error().kind(), "IndexError");
}

TEST(Expected, Void) {
  Expected<void> ok;
  EXPECT_TRUE(ok.is_ok());
  EXPECT_EQ(ok.type_index(), kTVMFFINone);
  ok.value();  // does not throw
  EXPECT_FFI_ERROR("RuntimeError", "Bad expected access: contains value, not error", ok.error());
  Expected<void> bad = Unexpected(Error("TypeError", "no", ""));
  EXPECT_TRUE(bad.is_err());
  EXPECT_FFI_ERROR("TypeError", "no", bad.value());
}

TEST(Expected, AsOrError) {
  Expected<Any> e = Any(1);
  EXPECT_EQ(e.as_or_error<int>().value(), 1);
  Expected<double> mismatch = e.as_or_error<double>();
  EXPECT_TRUE(mismatch.is_err());
  EXPECT_EQ(mismatch.error().kind(), "TypeError");
  EXPECT_EQ(mismatch.error().message(), "Cannot treat type `int` as type `float`");
  Expected<Any> err = Unexpected(Error("KeyError", "k", ""));
  EXPECT_EQ(err.as_or_error<int>().error().kind(), "KeyError");
  // Expected<U> -> Expected<T>: value converts, error passes through.
  Expected<int> i = 5;
  Expected<Any> widened = i;
  EXPECT_EQ(widened.value().cast<int>(), 5);
}

Expected<int> ParsePositive(int x) {
  if (x < 0) return TVM_FFI_UNEXPECTED(ValueError) << "negative: " << x;
  return x * 2;
}

Expected<int> RetCheck(int x) {
  TVM_FFI_RET_CHECK(x != 0, ValueError) << "x must be non-zero";
  TVM_FFI_RET_CHECK_LT(x, 10, IndexError) << "too big";
  TVM_FFI_RET_ICHECK_NE(x, 5);
  return x;
}

Expected<void> RetCheckVoid(bool ok) {
  TVM_FFI_RET_CHECK(ok, RuntimeError);
  return {};
}

TEST(Expected, UnexpectedMacro) {
  EXPECT_EQ(ParsePositive(2).value(), 4);
  Expected<int> e = ParsePositive(-3);
  ASSERT_TRUE(e.is_err());
  EXPECT_EQ(e.error().kind(), "ValueError");
  EXPECT_EQ(e.error().message(), "negative: -3");
  // The backtrace is the single frame of the macro's location.
  std::string bt = e.error().backtrace();
  EXPECT_NE(bt.find("test_expected.cc\", line "), std::string::npos) << bt;
  EXPECT_NE(bt.find("ParsePositive"), std::string::npos) << bt;
  Unexpected<Error> u = TVM_FFI_UNEXPECTED(TypeError) << "m";
  EXPECT_EQ(u.error().kind(), "TypeError");
  EXPECT_EQ(u.error().message(), "m");
}

TEST(Expected, RetCheckMacros) {
  EXPECT_EQ(RetCheck(3).value(), 3);
  Expected<int> zero = RetCheck(0);
  EXPECT_EQ(zero.error().kind(), "ValueError");
  EXPECT_EQ(zero.error().message(), "Check failed: (x != 0) is false: x must be non-zero");
  Expected<int> big = RetCheck(11);
  EXPECT_EQ(big.error().kind(), "IndexError");
  EXPECT_EQ(big.error().message(), "Check failed: x < 10 (11 vs. 10) : too big");
  Expected<int> five = RetCheck(5);
  EXPECT_EQ(five.error().kind(), "InternalError");
  EXPECT_EQ(five.error().message(), "Check failed: x != 5 (5 vs. 5) : ");
  EXPECT_TRUE(RetCheckVoid(true).is_ok());
  EXPECT_EQ(RetCheckVoid(false).error().message(), "Check failed: (ok) is false: ");
}

TEST(Expected, AnyRoundTrip) {
  Expected<int> ok = 4;
  Any a = ok;
  EXPECT_EQ(a.cast<int>(), 4);
  Expected<int> back = a.cast<Expected<int>>();
  EXPECT_EQ(back.value(), 4);
  Any err = Expected<int>(Error("ValueError", "v", ""));
  EXPECT_EQ(err.type_index(), kTVMFFIError);
  EXPECT_TRUE(err.cast<Expected<int>>().is_err());
  EXPECT_FFI_ERROR_CONTAINS("TypeError", "Expected<int>", Any(String("x")).cast<Expected<int>>());
  EXPECT_EQ(TypeTraits<Expected<int>>::TypeStr(), "Expected<int>");
  EXPECT_EQ(TypeTraits<Expected<void>>::TypeStr(), "Expected<void>");
  EXPECT_EQ(TypeTraits<Expected<int>>::TypeSchema(),
            R"({"type":"Expected","args":[{"type":"int"},{"type":"ffi.Error"}]})");
  EXPECT_EQ(TypeTraits<Expected<void>>::TypeSchema(),
            R"({"type":"Expected","args":[{"type":"None"},{"type":"ffi.Error"}]})");
}

TEST(CallExpected, Success) {
  Function add = Function::FromTyped([](int a, int b) { return a + b; });
  Expected<int> r = add.CallExpected<int>(1, 2);
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r.value(), 3);
  Expected<Any> any = add.CallExpected(1, 2);
  EXPECT_EQ(any.value().cast<int>(), 3);
  Function nothing = Function::FromTyped([]() {});
  EXPECT_TRUE(nothing.CallExpected<void>().is_ok());
}

TEST(CallExpected, ThrownErrorKeepsKind) {
  Function f = Function::FromTyped([](int x) -> int {
    TVM_FFI_THROW(IndexError) << "index " << x;
    return x;
  });
  Expected<int> r = f.CallExpected<int>(7);
  ASSERT_TRUE(r.is_err());
  EXPECT_EQ(r.error().kind(), "IndexError");
  EXPECT_EQ(r.error().message(), "index 7");
  // Argument conversion errors come back the same way.
  Expected<int> bad_arg = f.CallExpected<int>("str");
  ASSERT_TRUE(bad_arg.is_err());
  EXPECT_EQ(bad_arg.error().kind(), "TypeError");
}

TEST(CallExpected, ResultMismatch) {
  Function f = Function::FromTyped([](int x) { return x; });
  Expected<String> r = f.CallExpected<String>(1);
  ASSERT_TRUE(r.is_err());
  EXPECT_EQ(r.error().kind(), "TypeError");
  EXPECT_EQ(r.error().message(), "CallExpected: result type mismatch, expected str, but got int");
  Expected<void> v = f.CallExpected<void>(1);
  ASSERT_TRUE(v.is_err());
  EXPECT_EQ(v.error().message(), "CallExpected: result type mismatch, expected void, but got int");
  Expected<int> null_call = Function(nullptr).CallExpected<int>();
  EXPECT_EQ(null_call.error().kind(), "RuntimeError");
}

TEST(CallExpected, FunctionReturningExpectedError) {
  Function f = Function::FromTyped([](int x) -> Expected<int> {
    if (x < 0) return TVM_FFI_UNEXPECTED(ValueError) << "negative";
    return x + 1;
  });
  // The error is the result value, not raised.
  Any plain = f(-1);
  EXPECT_EQ(plain.type_index(), kTVMFFIError);
  EXPECT_EQ(plain.GetTypeKey(), "ffi.Error");
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `ffi.Error` to `int`", plain.cast<int>());
  EXPECT_EQ(f(1).cast<int>(), 2);
  Expected<int> r = f.CallExpected<int>(-1);
  ASSERT_TRUE(r.is_err());
  EXPECT_EQ(r.error().kind(), "ValueError");
  EXPECT_EQ(r.error().message(), "negative");
  EXPECT_EQ(f.CallExpected<int>(4).value(), 5);
  // Typed function accepting an Expected argument.
  Function g = Function::FromTyped([](Expected<int> e) { return e.is_ok() ? e.value() : -1; });
  EXPECT_EQ(g(3).cast<int>(), 3);
  EXPECT_EQ(g(Error("ValueError", "x", "")).cast<int>(), -1);
}

}  // namespace
