/*!
 * \file tvm/ffi/base_details.h
 * \brief Compiler helpers and small building blocks shared by every public header.
 *
 * Everything in namespace `details` is internal unless a public macro needs it.
 */
#ifndef TVM_FFI_BASE_DETAILS_H_
#define TVM_FFI_BASE_DETAILS_H_

#include <tvm/ffi/c_api.h>
#include <tvm/ffi/endian.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <utility>

#if defined(_MSC_VER)
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
#ifdef ERROR
#undef ERROR
#endif
#endif

#if defined(_MSC_VER)
#define TVM_FFI_INLINE [[msvc::forceinline]] inline
#define TVM_FFI_NO_INLINE __declspec(noinline)
#define TVM_FFI_UNREACHABLE() __assume(false)
#define TVM_FFI_FUNC_SIG __FUNCSIG__
#else
#define TVM_FFI_INLINE inline __attribute__((always_inline))
#define TVM_FFI_NO_INLINE __attribute__((noinline))
#define TVM_FFI_UNREACHABLE() __builtin_unreachable()
#define TVM_FFI_FUNC_SIG __PRETTY_FUNCTION__
#endif

/*! \brief Paste two tokens after macro expansion. */
#define TVM_FFI_STR_CONCAT_(a, b) a##b
#define TVM_FFI_STR_CONCAT(a, b) TVM_FFI_STR_CONCAT_(a, b)

/*!
 * \brief Declare a block of code that runs once when the enclosing binary is loaded.
 *
 * Usage: `TVM_FFI_STATIC_INIT_BLOCK() { register things; }` at namespace scope.
 */
#if defined(__GNUC__) || defined(__clang__)
#define TVM_FFI_STATIC_INIT_BLOCK_DEF_(FnName) __attribute__((constructor)) static void FnName()
#define TVM_FFI_STATIC_INIT_BLOCK() \
  TVM_FFI_STATIC_INIT_BLOCK_DEF_(TVM_FFI_STR_CONCAT(__TVMFFIStaticInitFunc, __COUNTER__))
#else
#define TVM_FFI_STATIC_INIT_BLOCK_DEF_(FnName, RegVar)       \
  static void FnName();                                      \
  [[maybe_unused]] static inline int RegVar = (FnName(), 0); \
  static void FnName()
#define TVM_FFI_STATIC_INIT_BLOCK()                                                       \
  TVM_FFI_STATIC_INIT_BLOCK_DEF_(TVM_FFI_STR_CONCAT(__TVMFFIStaticInitFunc, __COUNTER__), \
                                 TVM_FFI_STR_CONCAT(__TVMFFIStaticInitReg, __COUNTER__))
#endif

/*! \brief Defaulted copy/move construction and assignment (moves are noexcept). */
#define TVM_FFI_DEFINE_DEFAULT_COPY_MOVE_AND_ASSIGN(TypeName) \
  TypeName(const TypeName& other) = default;                  \
  TypeName(TypeName&& other) noexcept = default;              \
  TypeName& operator=(const TypeName& other) = default;       \
  TypeName& operator=(TypeName&& other) noexcept = default;

/*!
 * \brief Run a block; any exception escaping it is printed and terminates the process.
 * Used for the few C entry points whose contract is "log and abort".
 */
#define TVM_FFI_LOG_EXCEPTION_CALL_BEGIN() try {
#define TVM_FFI_LOG_EXCEPTION_CALL_END(Name)                                             \
  }                                                                                      \
  catch (const std::exception& err) {                                                    \
    std::fprintf(stderr, "Exception caught during %s:\n%s\n", #Name, err.what());        \
    std::fflush(stderr);                                                                 \
    std::exit(-1);                                                                       \
  }                                                                                      \
  catch (...) {                                                                          \
    std::fprintf(stderr, "Exception caught during %s:\nunknown C++ exception\n", #Name); \
    std::fflush(stderr);                                                                 \
    std::exit(-1);                                                                       \
  }

/*! \brief Zero the whole payload before a pointer is stored (matters on 32-bit targets). */
#if UINTPTR_MAX == UINT64_MAX
#define TVM_FFI_CLEAR_PTR_PADDING_IN_FFI_ANY(result)
#else
#define TVM_FFI_CLEAR_PTR_PADDING_IN_FFI_ANY(result) (result)->v_int64 = 0
#endif

namespace tvm {
namespace ffi {
namespace details {

/*! \brief Call f(index, arg) for every argument, in order. */
template <typename F, typename... Args>
TVM_FFI_INLINE void for_each(const F& f, Args&&... args) {
  size_t index = 0;
  (f(index++, std::forward<Args>(args)), ...);
  (void)index;
}

/*!
 * \brief Mix a value into a running hash (stable across binaries and runs).
 * combine(key, value) = key ^ (value + 0x9e3779b9 + (key << 6) + (key >> 2)).
 */
TVM_FFI_INLINE uint64_t StableHashCombine(uint64_t key, uint64_t value) {
  return key ^ (value + 0x9e3779b9ULL + (key << 6) + (key >> 2));
}

/*!
 * \brief Stable hash of a byte range, shared by every binary that hashes map keys.
 *
 * The bytes are consumed as little-endian 64-bit words (a short tail is zero-extended);
 * each word updates r = (r * 1099511628211 + word) mod 2147483647 with wrapping
 * arithmetic before the modulo.
 */
TVM_FFI_INLINE uint64_t StableHashBytes(const void* data, size_t size) {
  constexpr uint64_t kMultiplier = 1099511628211ULL;
  constexpr uint64_t kModulo = 2147483647ULL;
  const unsigned char* bytes = static_cast<const unsigned char*>(data);
  uint64_t result = 0;
  size_t pos = 0;
  for (; pos + 8 <= size; pos += 8) {
    uint64_t word = 0;
#if TVM_FFI_LITTLE_ENDIAN
    std::memcpy(&word, bytes + pos, 8);
#else
    for (int i = 7; i >= 0; --i) word = (word << 8) | bytes[pos + i];
#endif
    result = (result * kMultiplier + word) % kModulo;
  }
  if (pos < size) {
    uint64_t word = 0;
    for (size_t i = size; i > pos; --i) word = (word << 8) | bytes[i - 1];
    result = (result * kMultiplier + word) % kModulo;
  }
  return result;
}

/*! \brief Forward declaration: JSON type schema of a C++ type (see type_traits.h). */
template <typename T, typename = void>
struct TypeSchemaImpl;

}  // namespace details
}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_BASE_DETAILS_H_
