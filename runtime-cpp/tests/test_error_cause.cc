/*!
 * \file test_error_cause.cc
 * \brief Error objects that record the error that caused them and an extra context object.
 */
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/string.h>

#include <cstring>
#include <optional>
#include <string>

#include "test_utils.h"

namespace {

using namespace tvm::ffi;  // NOLINT(build/namespaces)

TEST(ErrorCause, ConstructorStoresCauseAndContextAndReleasesThem) {
  Error cause("ValueError", "root", "");
  Array<Any> context{1, 2, 3};
  const void* cause_handle = cause.get();
  {
    Error outer("RuntimeError", "outer", "", cause, context);
    std::optional<Error> got_cause = outer.cause_chain();
    ASSERT_TRUE(got_cause.has_value());
    EXPECT_EQ(static_cast<const void*>(got_cause->get()), cause_handle);
    EXPECT_EQ(got_cause->kind(), "ValueError");
    EXPECT_EQ(got_cause->message(), "root");
    std::optional<ObjectRef> got_context = outer.extra_context();
    ASSERT_TRUE(got_context.has_value());
    EXPECT_EQ(got_context->get(), context.get());
    // The cell holds the handles at object + 80 / + 88.
    const char* base = reinterpret_cast<const char*>(outer.get());
    void* at80 = nullptr;
    std::memcpy(&at80, base + 80, sizeof(void*));
    EXPECT_EQ(at80, cause_handle);
    // cause, got_cause, outer's own reference
    EXPECT_EQ(cause.use_count(), 3);
  }
  EXPECT_EQ(cause.use_count(), 1);
  EXPECT_EQ(context.use_count(), 1);
}

TEST(ErrorCause, PlainErrorsHaveNone) {
  Error plain("TypeError", "t", "");
  EXPECT_FALSE(plain.cause_chain().has_value());
  EXPECT_FALSE(plain.extra_context().has_value());
  Error thrown = [] {
    try {
      TVM_FFI_THROW(IndexError) << "i";
    } catch (const Error& err) {
      return err;
    }
    return Error("none", "", "");
  }();
  EXPECT_FALSE(thrown.cause_chain().has_value());
}

TEST(ErrorCause, CauseSurvivesTheCBoundary) {
  Function f = Function::FromTyped([]() {
    Error cause("KeyError", "missing", "");
    throw Error("RuntimeError", "lookup failed", "", cause, std::nullopt);
  });
  try {
    f();
    FAIL() << "no error";
  } catch (const Error& err) {
    EXPECT_EQ(err.kind(), "RuntimeError");
    ASSERT_TRUE(err.cause_chain().has_value());
    EXPECT_EQ(err.cause_chain()->kind(), "KeyError");
    EXPECT_FALSE(err.extra_context().has_value());
  }
}

// An error laid out like those of 0.1.0-era header code: the 56-byte cell followed by the kind
// string, whose first word is its data pointer (equal to the cell's kind.data).
struct LegacyLayoutObj : public Object {
  TVMFFIByteArray kind, message, backtrace;
  void (*update_backtrace)(TVMFFIObjectHandle, const TVMFFIByteArray*, int32_t);
  const char* kind_string_data;
  size_t kind_string_size;
  char buffer[16];
  static constexpr int32_t _type_index = kTVMFFIError;
  TVM_FFI_DECLARE_OBJECT_INFO_STATIC(StaticTypeKey::kTVMFFIError, LegacyLayoutObj, Object);
};

TEST(ErrorCause, LegacyLayoutReadsAsNone) {
  auto obj = make_object<LegacyLayoutObj>();
  std::strcpy(obj->buffer, "ValueError");
  obj->kind_string_data = obj->buffer;
  obj->kind_string_size = 10;
  obj->kind = TVMFFIByteArray{obj->buffer, 10};
  obj->message = TVMFFIByteArray{"", 0};
  obj->backtrace = TVMFFIByteArray{"", 0};
  obj->update_backtrace = nullptr;
  Any held = ObjectRef(obj);
  Error err = held.cast<Error>();
  EXPECT_EQ(err.kind(), "ValueError");
  EXPECT_FALSE(err.cause_chain().has_value());
  EXPECT_FALSE(err.extra_context().has_value());
}

}  // namespace
