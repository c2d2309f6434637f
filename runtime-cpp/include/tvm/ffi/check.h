/*!
 * \file tvm/ffi/check.h
 * \brief The check macros with a chosen error kind, and the debug-only checks.
 *
 * - `TVM_FFI_CHECK_{LT,GT,LE,GE,EQ,NE}(x, y, Kind) << msg;` throws `Kind` with the text
 *   "Check failed: x op y (xv vs. yv) : msg" when the comparison is false.
 * - `TVM_FFI_CHECK_NOTNULL(x, Kind)` is an expression: it yields `x`, or throws `Kind` with the
 *   text "Check not null: x " (trailing space) when `x` is null.
 * - `TVM_FFI_DCHECK*` are the InternalError checks when `NDEBUG` is not defined; with `NDEBUG`
 *   the operands are still type-checked but never evaluated (`TVM_FFI_DCHECK_NOTNULL(x)` then
 *   is just `(x)`).
 *
 * `TVM_FFI_CHECK(cond, Kind)` and the `TVM_FFI_ICHECK*` family live in error.h.
 */
#ifndef TVM_FFI_CHECK_H_
#define TVM_FFI_CHECK_H_

#include <tvm/ffi/base_details.h>
#include <tvm/ffi/error.h>

#include <string>

/*! \brief Branch hints: `if (TVM_FFI_PREDICT_FALSE(err)) ...`. */
#if defined(__GNUC__) || defined(__clang__)
#ifndef TVM_FFI_PREDICT_FALSE
#define TVM_FFI_PREDICT_FALSE(cond) (__builtin_expect(static_cast<bool>(cond), 0))
#endif
#ifndef TVM_FFI_PREDICT_TRUE
#define TVM_FFI_PREDICT_TRUE(cond) (__builtin_expect(static_cast<bool>(cond), 1))
#endif
#ifndef TVM_FFI_COLD_CODE
#define TVM_FFI_COLD_CODE [[gnu::cold]]
#endif
#else
#ifndef TVM_FFI_PREDICT_FALSE
#define TVM_FFI_PREDICT_FALSE(cond) (cond)
#endif
#ifndef TVM_FFI_PREDICT_TRUE
#define TVM_FFI_PREDICT_TRUE(cond) (cond)
#endif
#ifndef TVM_FFI_COLD_CODE
#define TVM_FFI_COLD_CODE
#endif
#endif

/*! \brief Tell the optimiser that `cond` holds (undefined behaviour when it does not). */
#ifndef TVM_FFI_UNSAFE_ASSUME
#if defined(__clang__)
#define TVM_FFI_UNSAFE_ASSUME(cond) __builtin_assume(cond)
#elif defined(__GNUC__)
#define TVM_FFI_UNSAFE_ASSUME(cond)       \
  do {                                    \
    if (!(cond)) __builtin_unreachable(); \
  } while (false)
#elif defined(_MSC_VER)
#define TVM_FFI_UNSAFE_ASSUME(cond) __assume(cond)
#else
#define TVM_FFI_UNSAFE_ASSUME(cond) ((void)0)
#endif
#endif

namespace tvm {
namespace ffi {
namespace details {

/*! \brief Expression form of the not-null check with a chosen error kind. */
template <typename T>
inline T CheckNotNullWithKind(T ptr, const char* kind, const char* expr, const char* file, int line,
                              const char* func) {
  if (TVM_FFI_PREDICT_FALSE(ptr == nullptr)) {
    ErrorBuilder(kind, TVMFFIBacktrace(file, line, func, 0), TVM_FFI_ALWAYS_LOG_BEFORE_THROW)
            .stream()
        << "Check not null: " << expr << ' ';
  }
  return ptr;
}

}  // namespace details
}  // namespace ffi
}  // namespace tvm

/*!
 * \brief Throw `ErrorKind` when `x op y` is false: "Check failed: x op y (xv vs. yv) : ".
 * `name` is one of _LT, _GT, _LE, _GE, _EQ, _NE.
 */
#define TVM_FFI_CHECK_BINARY_OP(name, op, x, y, ErrorKind)                  \
  if (auto __tvm_ffi_check_msg = ::tvm::ffi::details::LogCheck##name(x, y)) \
  TVM_FFI_THROW(ErrorKind) << "Check failed: " << #x " " #op " " #y << *__tvm_ffi_check_msg << ": "

#define TVM_FFI_CHECK_LT(x, y, ErrorKind) TVM_FFI_CHECK_BINARY_OP(_LT, <, x, y, ErrorKind)
#define TVM_FFI_CHECK_GT(x, y, ErrorKind) TVM_FFI_CHECK_BINARY_OP(_GT, >, x, y, ErrorKind)
#define TVM_FFI_CHECK_LE(x, y, ErrorKind) TVM_FFI_CHECK_BINARY_OP(_LE, <=, x, y, ErrorKind)
#define TVM_FFI_CHECK_GE(x, y, ErrorKind) TVM_FFI_CHECK_BINARY_OP(_GE, >=, x, y, ErrorKind)
#define TVM_FFI_CHECK_EQ(x, y, ErrorKind) TVM_FFI_CHECK_BINARY_OP(_EQ, ==, x, y, ErrorKind)
#define TVM_FFI_CHECK_NE(x, y, ErrorKind) TVM_FFI_CHECK_BINARY_OP(_NE, !=, x, y, ErrorKind)

/*! \brief Yield `x`, or throw `ErrorKind` "Check not null: x " when it is null. */
#define TVM_FFI_CHECK_NOTNULL(x, ErrorKind)                                          \
  ::tvm::ffi::details::CheckNotNullWithKind((x), #ErrorKind, #x, __FILE__, __LINE__, \
                                            TVM_FFI_FUNC_SIG)

#ifndef NDEBUG
#define TVM_FFI_DCHECK(x) TVM_FFI_ICHECK(x)
#define TVM_FFI_DCHECK_LT(x, y) TVM_FFI_ICHECK_LT(x, y)
#define TVM_FFI_DCHECK_GT(x, y) TVM_FFI_ICHECK_GT(x, y)
#define TVM_FFI_DCHECK_LE(x, y) TVM_FFI_ICHECK_LE(x, y)
#define TVM_FFI_DCHECK_GE(x, y) TVM_FFI_ICHECK_GE(x, y)
#define TVM_FFI_DCHECK_EQ(x, y) TVM_FFI_ICHECK_EQ(x, y)
#define TVM_FFI_DCHECK_NE(x, y) TVM_FFI_ICHECK_NE(x, y)
#define TVM_FFI_DCHECK_NOTNULL(x) TVM_FFI_ICHECK_NOTNULL(x)
#else
// `while (false)` keeps the operands type-checked (and the `<< msg` tail valid) without ever
// evaluating them.
#define TVM_FFI_DCHECK(x) \
  while (false) TVM_FFI_ICHECK(x)
#define TVM_FFI_DCHECK_LT(x, y) \
  while (false) TVM_FFI_ICHECK_LT(x, y)
#define TVM_FFI_DCHECK_GT(x, y) \
  while (false) TVM_FFI_ICHECK_GT(x, y)
#define TVM_FFI_DCHECK_LE(x, y) \
  while (false) TVM_FFI_ICHECK_LE(x, y)
#define TVM_FFI_DCHECK_GE(x, y) \
  while (false) TVM_FFI_ICHECK_GE(x, y)
#define TVM_FFI_DCHECK_EQ(x, y) \
  while (false) TVM_FFI_ICHECK_EQ(x, y)
#define TVM_FFI_DCHECK_NE(x, y) \
  while (false) TVM_FFI_ICHECK_NE(x, y)
#define TVM_FFI_DCHECK_NOTNULL(x) (x)
#endif

#endif  // TVM_FFI_CHECK_H_
