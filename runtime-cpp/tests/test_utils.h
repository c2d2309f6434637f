/*!
 * \file test_utils.h
 * \brief Helpers shared by every runtime test file: checks of thrown tvm::ffi::Error values
 *        (kind + exact message or message fragment), and small byte-level utilities.
 *
 * Header-only; the name does not match test_*.cc, so the test glob does not pick it up.
 *
 * Error checks, all of which record a failure when nothing (or no tvm::ffi::Error) is thrown:
 *   EXPECT_FFI_ERROR(kind, message, stmt...)            kind and the whole message match
 *   EXPECT_FFI_ERROR_CONTAINS(kind, fragment, stmt...)  kind matches, message has fragment
 *   CATCH_FFI_ERROR(stmt...)                            the thrown Error, for custom checks
 * and the function forms ExpectErrorExact / ExpectErrorContains / ExpectErrorKind / CatchError
 * taking a callable.
 */
#ifndef TVM_FFI_TESTS_TEST_UTILS_H_
#define TVM_FFI_TESTS_TEST_UTILS_H_

#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/string.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <utility>

namespace tvm_ffi_test {

// ------------------------------------------------------------------------------------------
// Thrown errors
// ------------------------------------------------------------------------------------------

/*! \brief Run body; the tvm::ffi::Error it throws, or nullopt (no failure recorded). */
template <typename F>
std::optional<tvm::ffi::Error> TryCatchError(F&& body) {
  try {
    std::forward<F>(body)();
  } catch (const tvm::ffi::Error& err) {
    return err;
  }
  return std::nullopt;
}

/*!
 * \brief Run body, which must throw a tvm::ffi::Error; return it. When nothing is thrown a
 *        failure naming `expected` is recorded and nullopt returned.
 */
template <typename F>
std::optional<tvm::ffi::Error> ExpectThrown(F&& body, const std::string& expected) {
  std::optional<tvm::ffi::Error> err = TryCatchError(std::forward<F>(body));
  if (!err.has_value()) ADD_FAILURE() << "expected tvm::ffi::Error " << expected;
  return err;
}

/*!
 * \brief Run body, which must throw a tvm::ffi::Error, and return it. When nothing is thrown
 *        a failure is recorded and an Error of kind "NoError" (empty message) comes back, so
 *        that the caller's own checks on it fail as well.
 */
template <typename F>
tvm::ffi::Error CatchError(F&& body, const char* file = __builtin_FILE(),
                           int line = __builtin_LINE()) {
  std::optional<tvm::ffi::Error> err = TryCatchError(std::forward<F>(body));
  if (err.has_value()) return *err;
  ADD_FAILURE_AT(file, line) << "expected a tvm::ffi::Error";
  return tvm::ffi::Error("NoError", "", "");
}

/*! \brief Run body, expect a tvm::ffi::Error of `kind` whose message equals `message`. */
template <typename F>
void ExpectErrorExact(F&& body, const std::string& kind, const std::string& message) {
  std::optional<tvm::ffi::Error> err = ExpectThrown(std::forward<F>(body), kind + ": " + message);
  if (!err.has_value()) return;
  EXPECT_EQ(err->kind(), kind) << err->message();
  EXPECT_EQ(err->message(), message);
}

/*! \brief Run body, expect a tvm::ffi::Error of `kind` whose message contains `fragment`. */
template <typename F>
void ExpectErrorContains(F&& body, const std::string& kind, const std::string& fragment) {
  std::optional<tvm::ffi::Error> err =
      ExpectThrown(std::forward<F>(body), kind + " containing: " + fragment);
  if (!err.has_value()) return;
  EXPECT_EQ(err->kind(), kind) << err->message();
  EXPECT_NE(err->message().find(fragment), std::string::npos)
      << "message: " << err->message() << "\nexpected to contain: " << fragment;
}

/*!
 * \brief Run body, expect a tvm::ffi::Error of `kind`; return its message ("" when nothing
 *        was thrown) for further checks.
 */
template <typename F>
std::string ExpectErrorKind(F&& body, const std::string& kind) {
  std::optional<tvm::ffi::Error> err = ExpectThrown(std::forward<F>(body), kind);
  if (!err.has_value()) return std::string();
  EXPECT_EQ(err->kind(), kind) << err->message();
  return err->message();
}

}  // namespace tvm_ffi_test

/*! \brief The statement(s) must throw a tvm::ffi::Error of `kind` with exactly `message`. */
#define EXPECT_FFI_ERROR(kind, message, ...)                                 \
  do {                                                                       \
    SCOPED_TRACE("EXPECT_FFI_ERROR: " #__VA_ARGS__);                         \
    ::tvm_ffi_test::ExpectErrorExact([&]() { __VA_ARGS__; }, kind, message); \
  } while (0)

/*! \brief The statement(s) must throw a tvm::ffi::Error of `kind` containing `fragment`. */
#define EXPECT_FFI_ERROR_CONTAINS(kind, fragment, ...)                           \
  do {                                                                           \
    SCOPED_TRACE("EXPECT_FFI_ERROR_CONTAINS: " #__VA_ARGS__);                    \
    ::tvm_ffi_test::ExpectErrorContains([&]() { __VA_ARGS__; }, kind, fragment); \
  } while (0)

/*! \brief The tvm::ffi::Error thrown by the statement(s) (a failure is recorded if none). */
#define CATCH_FFI_ERROR(...) ::tvm_ffi_test::CatchError([&]() { __VA_ARGS__; }, __FILE__, __LINE__)

namespace tvm_ffi_test {

// ------------------------------------------------------------------------------------------
// Text and bytes
// ------------------------------------------------------------------------------------------

inline bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

inline bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

/*! \brief A borrowed TVMFFIByteArray over `text` (which must outlive it). */
inline TVMFFIByteArray ByteArrayOf(const char* text) {
  return TVMFFIByteArray{text, std::strlen(text)};
}
inline TVMFFIByteArray ByteArrayOf(const std::string& text) {
  return TVMFFIByteArray{text.data(), text.size()};
}

/*! \brief Copy of the bytes a TVMFFIByteArray refers to (data may be null when empty). */
inline std::string ToStd(const TVMFFIByteArray& arr) {
  return arr.size == 0 ? std::string() : std::string(arr.data, arr.size);
}

/*! \brief Read a `T` at a byte offset (binary layout checks, no alignment needed). */
template <typename T>
T ReadAt(const void* base, size_t offset) {
  T value;
  std::memcpy(&value, static_cast<const char*>(base) + offset, sizeof(T));
  return value;
}

/*!
 * \brief Lowercase hex of `size` bytes in memory order; when `group` is non-zero a space
 *        separates every `group` bytes ("0b000000 02000000 ...").
 */
inline std::string HexBytes(const void* data, size_t size, size_t group = 0) {
  static const char* kDigits = "0123456789abcdef";
  const unsigned char* bytes = static_cast<const unsigned char*>(data);
  std::string out;
  for (size_t i = 0; i < size; ++i) {
    if (group != 0 && i != 0 && i % group == 0) out += ' ';
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 0xF];
  }
  return out;
}

// ------------------------------------------------------------------------------------------
// Reference counts (read straight from the object header)
// ------------------------------------------------------------------------------------------

/*! \brief The combined (weak << 32 | strong) count word of an object header. */
inline uint64_t RefCountWord(const void* object_header) {
  return __atomic_load_n(&static_cast<const TVMFFIObject*>(object_header)->combined_ref_count,
                         __ATOMIC_RELAXED);
}

/*! \brief The strong count of an object header. */
inline uint32_t StrongCount(const void* object_header) {
  return static_cast<uint32_t>(RefCountWord(object_header) & 0xFFFFFFFFu);
}

// ------------------------------------------------------------------------------------------
// AnyHash test vectors (shared by the Any and Map tests)
// ------------------------------------------------------------------------------------------

/*!
 * \brief Check the AnyHash values fixed by the spec: POD values, None, small and heap
 *        strings/bytes (the two forms of the same text hash alike), and StableHashBytes.
 *        Wrap the call in ASSERT_NO_FATAL_FAILURE: it stops at a wrong string form.
 */
inline void ExpectAnyHashSpecVectors() {
  using tvm::ffi::Any;
  tvm::ffi::AnyHash hash;
  EXPECT_EQ(hash(Any(0)), 0x9e3779f8ULL);
  EXPECT_EQ(hash(Any(1)), 0x9e3779fbULL);
  EXPECT_EQ(hash(Any(-1)), 0x9e3779f9ULL);
  EXPECT_EQ(hash(Any(true)), 0x9e377a38ULL);
  EXPECT_EQ(hash(Any(1.0)), 0x3ff000009e377a7aULL);
  EXPECT_EQ(hash(Any()), 0x9e3779b9ULL);
  EXPECT_EQ(hash(Any(tvm::ffi::String(""))), 0x9e378a48ULL);
  EXPECT_EQ(hash(Any(tvm::ffi::String("abc"))), 0x9e9aec2bULL);
  EXPECT_EQ(hash(Any(tvm::ffi::Bytes("abc", 3))), 0x9e9aece8ULL);
  EXPECT_EQ(hash(Any(tvm::ffi::String("abcdefgh"))), 0xd369b977ULL);
  EXPECT_EQ(hash(Any(tvm::ffi::String("hello world"))), 0xdef11395ULL);
  // the heap form of a short string / bytes hashes like the small form
  Any heap_abc = tvm::ffi::String(std::string("abc"));
  ASSERT_EQ(heap_abc.type_index(), kTVMFFIStr);
  EXPECT_EQ(hash(heap_abc), 0x9e9aec2bULL);
  Any heap_bytes_abc = tvm::ffi::Bytes(std::string("abc"));
  ASSERT_EQ(heap_bytes_abc.type_index(), kTVMFFIBytes);
  EXPECT_EQ(hash(heap_bytes_abc), 0x9e9aece8ULL);
  // the byte hashing step underneath
  EXPECT_EQ(tvm::ffi::details::StableHashBytes("abc", 3), 6513249u);
  EXPECT_EQ(tvm::ffi::details::StableHashBytes("hello world", 11), 1085901259u);
}

// ------------------------------------------------------------------------------------------
// DLDataType strings (shared by the C API and the C++ dtype tests)
// ------------------------------------------------------------------------------------------

/*! \brief A dtype string and the DLDataType fields it stands for. */
struct DTypeCase {
  const char* text;
  uint8_t code;
  uint8_t bits;
  uint16_t lanes;
};

/*! \brief Strings that parse to the given fields and print back unchanged. */
inline constexpr DTypeCase kDTypeRoundTrips[] = {
    {"int8", kDLInt, 8, 1},
    {"int16", kDLInt, 16, 1},
    {"int32", kDLInt, 32, 1},
    {"int64", kDLInt, 64, 1},
    {"uint8", kDLUInt, 8, 1},
    {"uint16", kDLUInt, 16, 1},
    {"uint32", kDLUInt, 32, 1},
    {"uint64", kDLUInt, 64, 1},
    {"float16", kDLFloat, 16, 1},
    {"float32", kDLFloat, 32, 1},
    {"float64", kDLFloat, 64, 1},
    {"bfloat16", kDLBfloat, 16, 1},
    {"handle", kDLOpaqueHandle, 64, 1},
    {"bool", kDLBool, 8, 1},
    {"boolx4", kDLBool, 8, 4},
    {"bool1", kDLBool, 1, 1},
    {"uint1", kDLUInt, 1, 1},
    {"", kDLOpaqueHandle, 0, 0},
    {"float8_e3m4", kDLFloat8_e3m4, 8, 1},
    {"float8_e4m3", kDLFloat8_e4m3, 8, 1},
    {"float8_e4m3b11fnuz", kDLFloat8_e4m3b11fnuz, 8, 1},
    {"float8_e4m3fn", kDLFloat8_e4m3fn, 8, 1},
    {"float8_e4m3fnuz", kDLFloat8_e4m3fnuz, 8, 1},
    {"float8_e5m2", kDLFloat8_e5m2, 8, 1},
    {"float8_e5m2fnuz", kDLFloat8_e5m2fnuz, 8, 1},
    {"float8_e8m0fnu", kDLFloat8_e8m0fnu, 8, 1},
    {"float6_e2m3fn", kDLFloat6_e2m3fn, 6, 1},
    {"float6_e3m2fn", kDLFloat6_e3m2fn, 6, 1},
    {"float4_e2m1fn", kDLFloat4_e2m1fn, 4, 1},
    {"float16x4", kDLFloat, 16, 4},
    {"float64x2", kDLFloat, 64, 2},
    {"int8x16", kDLInt, 8, 16},
    {"uint1x8", kDLUInt, 1, 8},
    {"bfloat16x2", kDLBfloat, 16, 2},
    {"float8_e4m3fnx2", kDLFloat8_e4m3fn, 8, 2},
    {"float4_e2m1fnx8", kDLFloat4_e2m1fn, 4, 8},
    {"float4_e2m1fnx64", kDLFloat4_e2m1fn, 4, 64},
    {"uint8xvscalex4", kDLUInt, 8, 65532},
    {"float32xvscalex2", kDLFloat, 32, 65534},
};

}  // namespace tvm_ffi_test

#endif  // TVM_FFI_TESTS_TEST_UTILS_H_
