/*!
 * \file test_error.cc
 * \brief Error: TVM_FFI_THROW kinds and messages, what() layout, backtrace order and updates,
 *        the ICHECK family, TVM_FFI_CHECK, and errors carried as values in Any.
 */
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/function.h>

#include <cstring>
#include <exception>
#include <string>
#include <utility>

#include "test_utils.h"

namespace {

using namespace tvm::ffi;
using tvm_ffi_test::ByteArrayOf;
using tvm_ffi_test::Contains;

// ------------------------------------------------------------------------------------------
// TVM_FFI_THROW
// ------------------------------------------------------------------------------------------

TEST(CoreError, ThrowKindsAndMessages) {
  for (const char* kind : {"ValueError", "TypeError", "RuntimeError", "InternalError", "IndexError",
                           "KeyError", "AttributeError"}) {
    Error err = CATCH_FFI_ERROR({
      if (std::strcmp(kind, "ValueError") == 0) TVM_FFI_THROW(ValueError) << "m " << 1;
      if (std::strcmp(kind, "TypeError") == 0) TVM_FFI_THROW(TypeError) << "m " << 1;
      if (std::strcmp(kind, "RuntimeError") == 0) TVM_FFI_THROW(RuntimeError) << "m " << 1;
      if (std::strcmp(kind, "InternalError") == 0) TVM_FFI_THROW(InternalError) << "m " << 1;
      if (std::strcmp(kind, "IndexError") == 0) TVM_FFI_THROW(IndexError) << "m " << 1;
      if (std::strcmp(kind, "KeyError") == 0) TVM_FFI_THROW(KeyError) << "m " << 1;
      if (std::strcmp(kind, "AttributeError") == 0) TVM_FFI_THROW(AttributeError) << "m " << 1;
    });
    EXPECT_EQ(err.kind(), kind);
    EXPECT_EQ(err.message(), "m 1");
    EXPECT_EQ(err.type_index(), kTVMFFIError);
  }
}

TEST(CoreError, ThrowRecordsLocationInBacktrace) {
  int line = 0;
  Error err = CATCH_FFI_ERROR({
    // clang-format off: __LINE__ must be the line of the throw
    line = __LINE__; TVM_FFI_THROW(ValueError) << "located";
    // clang-format on
  });
  std::string bt = err.backtrace();
  // the innermost frame is the throw site
  EXPECT_EQ(bt.rfind("  File \"", 0), 0u) << bt;
  std::string first_line = bt.substr(0, bt.find('\n'));
  EXPECT_TRUE(Contains(first_line, __FILE__)) << first_line;
  EXPECT_TRUE(Contains(first_line, ", line " + std::to_string(line) + ", in ")) << first_line;
  // and, in most-recent-call-last order, it is the last line
  std::string tb = err.TracebackMostRecentCallLast();
  ASSERT_FALSE(tb.empty());
  EXPECT_EQ(tb.back(), '\n');
  std::string last_line = tb.substr(tb.rfind('\n', tb.size() - 2) + 1);
  EXPECT_EQ(last_line, first_line + "\n");
}

TEST(CoreError, MessageStreamsValues) {
  Error err =
      CATCH_FFI_ERROR(TVM_FFI_THROW(RuntimeError) << "int " << 3 << " double " << 1.5 << " str "
                                                  << String("s") << " std " << std::string("t"));
  EXPECT_EQ(err.message(), "int 3 double 1.5 str s std t");
  Error empty = CATCH_FFI_ERROR(TVM_FFI_THROW(RuntimeError));
  EXPECT_EQ(empty.message(), "");
}

TEST(CoreError, LogAndThrow) {
  testing::internal::CaptureStderr();
  Error err = CATCH_FFI_ERROR(TVM_FFI_LOG_AND_THROW(KeyError) << "logged");
  std::string logged = testing::internal::GetCapturedStderr();
  EXPECT_EQ(err.kind(), "KeyError");
  EXPECT_EQ(err.message(), "logged");
  EXPECT_TRUE(Contains(logged, "KeyError: logged")) << logged;
}

// ------------------------------------------------------------------------------------------
// what() and backtraces
// ------------------------------------------------------------------------------------------

TEST(CoreError, WhatIsTheMessageAndFullMessageTheTraceback) {
  Error err("ValueError", "bad value",
            "  File \"a.cc\", line 1, in inner\n"
            "  File \"b.cc\", line 2, in outer\n");
  EXPECT_STREQ(err.what(), "bad value");
  EXPECT_EQ(err.FullMessage(),
            "Traceback (most recent call last):\n"
            "  File \"b.cc\", line 2, in outer\n"
            "  File \"a.cc\", line 1, in inner\n"
            "ValueError: bad value\n");
  // what() points into the error object's own storage: the same for every copy
  try {
    throw err;
  } catch (const std::exception& ex) {
    EXPECT_EQ(ex.what(), err.what());
  }
  Error no_bt("RuntimeError", "plain", "");
  EXPECT_EQ(no_bt.FullMessage(), "Traceback (most recent call last):\nRuntimeError: plain\n");
  Error empty("RuntimeError", "", "");
  ASSERT_NE(empty.what(), nullptr);
  EXPECT_STREQ(empty.what(), "");
  Error null_bt("RuntimeError", "null", static_cast<const TVMFFIByteArray*>(nullptr));
  EXPECT_EQ(null_bt.backtrace(), "");

  // FullMessage() of a thrown error combines all parts
  Error thrown = CATCH_FFI_ERROR(TVM_FFI_THROW(IndexError) << "out of range");
  EXPECT_STREQ(thrown.what(), "out of range");
  std::string what = thrown.FullMessage();
  EXPECT_EQ(what.rfind("Traceback (most recent call last):\n", 0), 0u) << what;
  EXPECT_TRUE(Contains(what, __FILE__)) << what;
  const std::string tail = "IndexError: out of range\n";
  ASSERT_GE(what.size(), tail.size());
  EXPECT_EQ(what.substr(what.size() - tail.size()), tail);
}

TEST(CoreError, TracebackMostRecentCallLastReversesLines) {
  Error err("E", "m", "line1\nline2\nline3\n");
  EXPECT_EQ(err.TracebackMostRecentCallLast(), "line3\nline2\nline1\n");
  Error no_trailing("E", "m", "first\nsecond");
  EXPECT_EQ(no_trailing.TracebackMostRecentCallLast(), "second\nfirst\n");
  Error single("E", "m", "only");
  EXPECT_EQ(single.TracebackMostRecentCallLast(), "only\n");
  Error none("E", "m", "");
  EXPECT_EQ(none.TracebackMostRecentCallLast(), "");
  // the stored backtrace itself is not reordered
  EXPECT_EQ(err.backtrace(), "line1\nline2\nline3\n");
}

TEST(CoreError, UpdateBacktrace) {
  Error err("ValueError", "v", "frame0\n");
  std::string extra = "frame1\n";
  TVMFFIByteArray extra_arr = ByteArrayOf(extra);
  err.UpdateBacktrace(&extra_arr, kTVMFFIBacktraceUpdateModeAppend);
  EXPECT_EQ(err.backtrace(), "frame0\nframe1\n");
  EXPECT_EQ(err.TracebackMostRecentCallLast(), "frame1\nframe0\n");
  std::string replacement = "only\n";
  TVMFFIByteArray repl_arr = ByteArrayOf(replacement);
  err.UpdateBacktrace(&repl_arr, kTVMFFIBacktraceUpdateModeReplace);
  EXPECT_EQ(err.backtrace(), "only\n");
  EXPECT_EQ(err.FullMessage(), "Traceback (most recent call last):\nonly\nValueError: v\n");
  // kind and message are untouched
  EXPECT_EQ(err.kind(), "ValueError");
  EXPECT_EQ(err.message(), "v");

  // copies share the object, so they see the update
  Error copy = err;
  EXPECT_EQ(copy.get(), err.get());
  err.UpdateBacktrace(&extra_arr, kTVMFFIBacktraceUpdateModeAppend);
  EXPECT_EQ(copy.backtrace(), "only\nframe1\n");
}

TEST(CoreError, UpdateBacktraceOnRuntimeCreatedError) {
  std::string kind = "RuntimeError";
  std::string message = "made by the runtime";
  std::string bt = "rt0\n";
  TVMFFIByteArray k = ByteArrayOf(kind), m = ByteArrayOf(message), b = ByteArrayOf(bt);
  TVMFFIObjectHandle handle = nullptr;
  ASSERT_EQ(TVMFFIErrorCreate(&k, &m, &b, &handle), 0);
  ASSERT_NE(handle, nullptr);
  Error err = details::ObjectUnsafe::ObjectRefFromObjectPtr<Error>(
      details::ObjectUnsafe::ObjectPtrFromOwned<Object>(static_cast<TVMFFIObject*>(handle)));
  EXPECT_EQ(err.kind(), kind);
  EXPECT_EQ(err.message(), message);
  EXPECT_EQ(err.backtrace(), bt);
  std::string more = "rt1\n";
  TVMFFIByteArray more_arr = ByteArrayOf(more);
  err.UpdateBacktrace(&more_arr, kTVMFFIBacktraceUpdateModeAppend);
  EXPECT_EQ(err.backtrace(), "rt0\nrt1\n");
  err.UpdateBacktrace(&more_arr, kTVMFFIBacktraceUpdateModeReplace);
  EXPECT_EQ(err.backtrace(), "rt1\n");
}

TEST(CoreError, ErrorLayoutAndIdentity) {
  static_assert(sizeof(Error) == 16, "Error is a vptr plus one object pointer");
  static_assert(std::is_base_of_v<std::exception, Error>);
  static_assert(std::is_base_of_v<ObjectRef, Error>);
  Error err("K", "M", "");
  EXPECT_EQ(err.use_count(), 1);
  EXPECT_EQ(err->type_index(), kTVMFFIError);
  const ErrorObj* obj = err.get();
  EXPECT_EQ(std::string(obj->kind.data, obj->kind.size), "K");
  EXPECT_EQ(std::string(obj->message.data, obj->message.size), "M");
  EXPECT_NE(obj->update_backtrace, nullptr);
  EXPECT_EQ(err.GetTypeKey(), "ffi.Error");
}

// ------------------------------------------------------------------------------------------
// checks
// ------------------------------------------------------------------------------------------

TEST(CoreError, ICheck) {
  int x = 1;
  Error err = CATCH_FFI_ERROR(TVM_FFI_ICHECK(x > 5));
  EXPECT_EQ(err.kind(), "InternalError");
  EXPECT_EQ(err.message(), "Check failed: (x > 5) is false: ");
  Error with_ctx = CATCH_FFI_ERROR(TVM_FFI_ICHECK(x == 2) << "context " << x);
  EXPECT_EQ(with_ctx.message(), "Check failed: (x == 2) is false: context 1");
  EXPECT_NO_THROW(TVM_FFI_ICHECK(x == 1) << "never evaluated");
  // the condition is evaluated exactly once
  int evaluations = 0;
  EXPECT_NO_THROW(TVM_FFI_ICHECK(++evaluations == 1));
  EXPECT_EQ(evaluations, 1);
}

TEST(CoreError, ICheckBinaryOps) {
  int a = 1;
  int b = 2;
  EXPECT_EQ(CATCH_FFI_ERROR(TVM_FFI_ICHECK_EQ(a, b)).message(),
            "Check failed: a == b (1 vs. 2) : ");
  EXPECT_EQ(CATCH_FFI_ERROR(TVM_FFI_ICHECK_NE(a, a)).message(),
            "Check failed: a != a (1 vs. 1) : ");
  EXPECT_EQ(CATCH_FFI_ERROR(TVM_FFI_ICHECK_LT(b, a)).message(), "Check failed: b < a (2 vs. 1) : ");
  EXPECT_EQ(CATCH_FFI_ERROR(TVM_FFI_ICHECK_GT(a, b)).message(), "Check failed: a > b (1 vs. 2) : ");
  EXPECT_EQ(CATCH_FFI_ERROR(TVM_FFI_ICHECK_LE(b, a)).message(),
            "Check failed: b <= a (2 vs. 1) : ");
  EXPECT_EQ(CATCH_FFI_ERROR(TVM_FFI_ICHECK_GE(a, b)).message(),
            "Check failed: a >= b (1 vs. 2) : ");
  Error err = CATCH_FFI_ERROR(TVM_FFI_ICHECK_EQ(a, b) << "extra " << 9);
  EXPECT_EQ(err.kind(), "InternalError");
  EXPECT_EQ(err.message(), "Check failed: a == b (1 vs. 2) : extra 9");
  // mixed operand types and streamable values
  size_t n = 3;
  EXPECT_EQ(CATCH_FFI_ERROR(TVM_FFI_ICHECK_EQ(n, 4)).message(),
            "Check failed: n == 4 (3 vs. 4) : ");
  std::string s = "abc";
  EXPECT_EQ(CATCH_FFI_ERROR(TVM_FFI_ICHECK_EQ(s, std::string("abd"))).message(),
            "Check failed: s == std::string(\"abd\") (abc vs. abd) : ");

  EXPECT_NO_THROW(TVM_FFI_ICHECK_EQ(a, 1));
  EXPECT_NO_THROW(TVM_FFI_ICHECK_NE(a, b));
  EXPECT_NO_THROW(TVM_FFI_ICHECK_LT(a, b));
  EXPECT_NO_THROW(TVM_FFI_ICHECK_GT(b, a));
  EXPECT_NO_THROW(TVM_FFI_ICHECK_LE(a, a));
  EXPECT_NO_THROW(TVM_FFI_ICHECK_GE(a, a));
  EXPECT_NO_THROW(TVM_FFI_ICHECK_GE(n, 0));  // unsigned vs int literal compiles
}

TEST(CoreError, ICheckNotNull) {
  int value = 3;
  int* ptr = &value;
  EXPECT_EQ(TVM_FFI_ICHECK_NOTNULL(ptr), ptr);
  EXPECT_EQ(*TVM_FFI_ICHECK_NOTNULL(ptr), 3);
  int* null_ptr = nullptr;
  Error err = CATCH_FFI_ERROR(TVM_FFI_ICHECK_NOTNULL(null_ptr));
  EXPECT_EQ(err.kind(), "InternalError");
  EXPECT_EQ(err.message(), "Check not null: null_ptr ");
  // the expression form is usable inside larger expressions
  int* chained = TVM_FFI_ICHECK_NOTNULL(ptr) + 0;
  EXPECT_EQ(chained, ptr);
}

TEST(CoreError, CheckWithKind) {
  int v = -1;
  Error err = CATCH_FFI_ERROR(TVM_FFI_CHECK(v >= 0, ValueError) << "v=" << v);
  EXPECT_EQ(err.kind(), "ValueError");
  EXPECT_EQ(err.message(), "Check failed: (v >= 0) is false: v=-1");
  Error idx = CATCH_FFI_ERROR(TVM_FFI_CHECK(v > 10, IndexError));
  EXPECT_EQ(idx.kind(), "IndexError");
  EXPECT_EQ(idx.message(), "Check failed: (v > 10) is false: ");
  EXPECT_NO_THROW(TVM_FFI_CHECK(v < 0, ValueError) << "fine");
}

// ------------------------------------------------------------------------------------------
// errors as values
// ------------------------------------------------------------------------------------------

TEST(CoreError, ErrorThroughAny) {
  Error err("ValueError", "carried", "bt\n");
  Any a = err;
  EXPECT_EQ(a.type_index(), kTVMFFIError);
  EXPECT_EQ(a.GetTypeKey(), "ffi.Error");
  EXPECT_EQ(err.use_count(), 2);
  Error back = a.cast<Error>();
  EXPECT_EQ(back.get(), err.get());
  EXPECT_EQ(back.kind(), "ValueError");
  EXPECT_EQ(back.message(), "carried");
  const ErrorObj* obj = a.as<ErrorObj>();
  ASSERT_NE(obj, nullptr);
  EXPECT_EQ(obj, err.get());
  EXPECT_TRUE(a.as<Error>().has_value());
  // Error is not nullable
  EXPECT_FALSE(Any().as<Error>().has_value());
  Error none_err = CATCH_FFI_ERROR(Any().cast<Error>());
  EXPECT_EQ(none_err.kind(), "TypeError");
  EXPECT_EQ(none_err.message(), "Cannot convert from type `None` to `ffi.Error`");
  Error wrong = CATCH_FFI_ERROR(Any(1).cast<Error>());
  EXPECT_EQ(wrong.message(), "Cannot convert from type `int` to `ffi.Error`");

  // a function may return an error as a value, which is not thrown
  Function make = Function::FromTyped([](String msg) { return Error("KeyError", msg, ""); });
  Any result = make("as value");
  EXPECT_EQ(result.type_index(), kTVMFFIError);
  EXPECT_EQ(result.cast<Error>().message(), "as value");
  // and take one as an argument
  Function kind_of = Function::FromTyped([](Error e) { return e.kind(); });
  EXPECT_EQ(kind_of(err).cast<std::string>(), "ValueError");
}

}  // namespace
