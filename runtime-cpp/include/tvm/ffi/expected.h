/*!
 * \file tvm/ffi/expected.h
 * \brief Expected<T>: a T or an Error, without exceptions on the success path.
 *
 * Layout: one owning Any (16 bytes). The value is in error iff the cell holds an `ffi.Error`
 * object (type index kTVMFFIError). Across the FFI an Expected travels as that Any: a typed
 * function returning an Expected in the error state returns the Error object as its result
 * value (it is not raised); `Function::CallExpected` turns such a result back into an error.
 *
 * - `Unexpected<E>` wraps an error (E derives from Error) for returning from a function.
 * - `TVM_FFI_UNEXPECTED(Kind) << msg` builds an error convertible to any Expected<T>.
 * - `TVM_FFI_RET_CHECK*` / `TVM_FFI_RET_ICHECK*` return such an error from the enclosing
 *   function when the check fails, with the same texts as the throwing checks.
 */
#ifndef TVM_FFI_EXPECTED_H_
#define TVM_FFI_EXPECTED_H_

#include <tvm/ffi/any.h>
#include <tvm/ffi/error.h>

#include <sstream>
#include <string>
#include <type_traits>
#include <utility>

namespace tvm {
namespace ffi {

/*! \brief An error to be stored in an Expected. */
template <typename E = Error>
class Unexpected {
  static_assert(std::is_base_of_v<Error, E>, "Unexpected<E> requires E to derive from Error");

 public:
  explicit Unexpected(E error) : error_(std::move(error)) {}

  const E& error() const& noexcept { return error_; }
  E& error() & noexcept { return error_; }
  E&& error() && noexcept { return std::move(error_); }
  const E&& error() const&& noexcept { return std::move(error_); }

 private:
  E error_;
};

template <typename E>
Unexpected(E) -> Unexpected<E>;

template <typename T>
class Expected;

template <typename T>
inline constexpr bool is_expected_v = false;
template <typename T>
inline constexpr bool is_expected_v<Expected<T>> = true;
template <typename T>
inline constexpr bool is_unexpected_v = false;
template <typename E>
inline constexpr bool is_unexpected_v<Unexpected<E>> = true;

namespace details {

[[noreturn]] inline void ThrowBadExpectedAccess() {
  TVM_FFI_THROW(RuntimeError) << "Bad expected access: contains value, not error";
  TVM_FFI_UNREACHABLE();
}

/*!
 * \brief The state both Expected<T> and Expected<void> keep: one Any holding the value (None
 * for void) or an Error object, and the accessors that only look at which of the two it is.
 */
class ExpectedBase {
 public:
  int32_t type_index() const noexcept { return data_.type_index(); }
  bool is_ok() const noexcept { return data_.type_index() != kTVMFFIError; }
  bool is_err() const noexcept { return data_.type_index() == kTVMFFIError; }
  bool has_value() const noexcept { return is_ok(); }
  explicit operator bool() const noexcept { return is_ok(); }

  /*! \brief The error; RuntimeError when this holds a value. */
  Error error() const& {
    if (!is_err()) ThrowBadExpectedAccess();
    return AnyUnsafe::CopyFromAnyViewAfterCheck<Error>(data_);
  }
  Error error() && {
    if (!is_err()) ThrowBadExpectedAccess();
    return AnyUnsafe::MoveFromAnyAfterCheck<Error>(std::move(data_));
  }

 protected:
  ExpectedBase() = default;
  explicit ExpectedBase(Any data) : data_(std::move(data)) {}

  Any data_;
};

/*! \brief Unchecked access to the Any inside an Expected (call machinery uses it). */
class ExpectedUnsafe {
 public:
  template <typename T>
  static Expected<T> MoveFromTVMFFIAny(TVMFFIAny* data) {
    return Expected<T>(AnyUnsafe::MoveTVMFFIAnyToAny(data), 0);
  }
  template <typename T>
  static TVMFFIAny MoveToTVMFFIAny(Expected<T>&& value) {
    return AnyUnsafe::MoveAnyToTVMFFIAny(std::move(value.data_));
  }
  template <typename T>
  static const Any& GetData(const Expected<T>& value) {
    return value.data_;
  }
  template <typename U, typename T>
  static U ValueAs(const Expected<T>& value) {
    return AnyUnsafe::CopyFromAnyViewAfterCheck<U>(value.data_);
  }
};

}  // namespace details

/*!
 * \brief A T or an Error, stored in one Any.
 * \tparam T a storage-enabled type other than void (use Expected<void>) and Error.
 */
template <typename T>
class Expected : public details::ExpectedBase {
  static_assert(!std::is_same_v<T, Error>, "Expected<Error> is not allowed");
  static_assert(!is_expected_v<T> && !is_unexpected_v<T>, "Expected of Expected is not allowed");
  static_assert(std::is_same_v<T, Any> || TypeTraits<T>::storage_enabled,
                "Expected<T> requires a storage-enabled T");

 public:
  using value_type = T;

  Expected(T value) : ExpectedBase(Any(std::move(value))) {}  // NOLINT(*)
  /*! \brief From anything convertible to T (not Expected, Unexpected or Error). */
  template <typename U, typename = std::enable_if_t<
                            std::is_convertible_v<U, T> && !std::is_same_v<std::decay_t<U>, T> &&
                            !is_expected_v<std::decay_t<U>> && !is_unexpected_v<std::decay_t<U>> &&
                            !std::is_base_of_v<Error, std::decay_t<U>>>>
  Expected(U&& value) : ExpectedBase(Any(T(std::forward<U>(value)))) {}  // NOLINT(*)
  Expected(Error error) : ExpectedBase(Any(std::move(error))) {}         // NOLINT(*)
  template <typename E>
  Expected(Unexpected<E> unexpected)  // NOLINT(*)
      : ExpectedBase(Any(Error(std::move(unexpected).error()))) {}
  /*! \brief From an Expected of another type: the error passes through, the value converts. */
  template <typename U,
            typename = std::enable_if_t<!std::is_same_v<U, T> &&
                                        (std::is_same_v<T, Any> || std::is_convertible_v<U, T>)>>
  Expected(Expected<U> other) {  // NOLINT(*)
    if (other.is_err()) {
      data_ = std::move(other).error();
    } else if constexpr (std::is_same_v<T, Any>) {
      data_ = details::ExpectedUnsafe::GetData(other);
    } else {
      data_ = T(std::move(other).value());
    }
  }
  Expected(const Expected&) = default;
  Expected(Expected&&) noexcept = default;
  Expected& operator=(const Expected&) = default;
  Expected& operator=(Expected&&) noexcept = default;

  /*! \brief The value; throws the stored Error itself when in the error state. */
  T value() const& {
    if (is_err()) throw error();
    return details::AnyUnsafe::CopyFromAnyViewAfterCheck<T>(data_);
  }
  T value() && {
    if (is_err()) throw std::move(*this).error();
    return details::AnyUnsafe::MoveFromAnyAfterCheck<T>(std::move(data_));
  }
  template <typename U = T>
  T value_or(U&& default_value) const& {
    if (is_err()) return T(std::forward<U>(default_value));
    return details::AnyUnsafe::CopyFromAnyViewAfterCheck<T>(data_);
  }
  template <typename U = T>
  T value_or(U&& default_value) && {
    if (is_err()) return T(std::forward<U>(default_value));
    return details::AnyUnsafe::MoveFromAnyAfterCheck<T>(std::move(data_));
  }

  /*!
   * \brief Strict re-interpretation of the value as U; the error state passes through and a
   * value that is not already a U becomes a TypeError "Cannot treat type `X` as type `U`".
   */
  template <typename U>
  Expected<U> as_or_error() const& {
    if (is_err()) return Expected<U>(error());
    if (details::AnyUnsafe::CheckAnyStrict<U>(data_)) {
      return Expected<U>(details::AnyUnsafe::CopyFromAnyViewAfterCheck<U>(data_));
    }
    return Expected<U>(MismatchError<U>());
  }
  template <typename U>
  Expected<U> as_or_error() && {
    if (is_err()) return Expected<U>(std::move(*this).error());
    if (details::AnyUnsafe::CheckAnyStrict<U>(data_)) {
      return Expected<U>(details::AnyUnsafe::MoveFromAnyAfterCheck<U>(std::move(data_)));
    }
    return Expected<U>(MismatchError<U>());
  }

 private:
  /*! \brief Internal: adopt an Any as is (ExpectedUnsafe and TypeTraits). */
  Expected(Any data, int) : ExpectedBase(std::move(data)) {}

  template <typename U>
  Error MismatchError() const {
    std::string from;
    if constexpr (std::is_same_v<U, Any>) {
      from = data_.GetTypeKey();
    } else {
      from = details::AnyUnsafe::GetMismatchTypeInfo<U>(data_);
    }
    std::string to;
    if constexpr (std::is_same_v<U, Any>) {
      to = "Any";
    } else {
      to = TypeTraits<U>::TypeStr();
    }
    return Error("TypeError", "Cannot treat type `" + from + "` as type `" + to + "`", "");
  }

  template <typename>
  friend class Expected;
  template <typename, typename>
  friend struct TypeTraits;
  friend class details::ExpectedUnsafe;
};

/*! \brief Success without a value (None) or an Error. */
template <>
class Expected<void> : public details::ExpectedBase {
 public:
  using value_type = void;

  Expected() = default;
  Expected(Error error) : ExpectedBase(Any(std::move(error))) {}  // NOLINT(*)
  template <typename E>
  Expected(Unexpected<E> unexpected)  // NOLINT(*)
      : ExpectedBase(Any(Error(std::move(unexpected).error()))) {}
  Expected(const Expected&) = default;
  Expected(Expected&&) noexcept = default;
  Expected& operator=(const Expected&) = default;
  Expected& operator=(Expected&&) noexcept = default;

  /*! \brief Nothing on success; throws the stored Error otherwise. */
  void value() const {
    if (is_err()) throw error();
  }

 private:
  Expected(Any data, int) : ExpectedBase(std::move(data)) {}

  template <typename>
  friend class Expected;
  template <typename, typename>
  friend struct TypeTraits;
  friend class details::ExpectedUnsafe;
};

template <typename T>
inline constexpr bool use_default_type_traits_v<Expected<T>> = false;

/*! \brief Expected<T> in an Any: the value's cell, or the Error object. */
template <typename T>
struct TypeTraits<Expected<T>> : public TypeTraitsBase {
  TVM_FFI_INLINE static void CopyToAnyView(const Expected<T>& src, TVMFFIAny* result) {
    *result = *details::AnyUnsafe::TVMFFIAnyPtrFromAny(src.data_);
  }
  TVM_FFI_INLINE static void MoveToAny(Expected<T> src, TVMFFIAny* result) {
    *result = details::AnyUnsafe::MoveAnyToTVMFFIAny(std::move(src.data_));
  }
  TVM_FFI_INLINE static bool CheckAnyStrict(const TVMFFIAny* src) {
    if (src->type_index == kTVMFFIError) return true;
    if constexpr (std::is_void_v<T>) {
      return src->type_index == kTVMFFINone;
    } else if constexpr (std::is_same_v<T, Any>) {
      return true;
    } else {
      return TypeTraits<T>::CheckAnyStrict(src);
    }
  }
  TVM_FFI_INLINE static Expected<T> CopyFromAnyViewAfterCheck(const TVMFFIAny* src) {
    return Expected<T>(Any(AnyView::CopyFromTVMFFIAny(*src)), 0);
  }
  TVM_FFI_INLINE static Expected<T> MoveFromAnyAfterCheck(TVMFFIAny* src) {
    return Expected<T>(details::AnyUnsafe::MoveTVMFFIAnyToAny(src), 0);
  }
  static std::optional<Expected<T>> TryCastFromAnyView(const TVMFFIAny* src) {
    if (CheckAnyStrict(src)) return CopyFromAnyViewAfterCheck(src);
    if constexpr (!std::is_void_v<T> && !std::is_same_v<T, Any>) {
      if (std::optional<T> opt = TypeTraits<T>::TryCastFromAnyView(src)) {
        return Expected<T>(*std::move(opt));
      }
    }
    return std::nullopt;
  }
  static std::string GetMismatchTypeInfo(const TVMFFIAny* src) {
    if constexpr (std::is_void_v<T> || std::is_same_v<T, Any>) {
      return details::AnyTypeKey(src);
    } else {
      return TypeTraits<T>::GetMismatchTypeInfo(src);
    }
  }
  static std::string TypeStr() { return "Expected<" + ValueTypeStr() + ">"; }
  static std::string TypeSchema() {
    return R"({"type":"Expected","args":[)" + ValueTypeSchema() + R"(,{"type":"ffi.Error"}]})";
  }

 private:
  static std::string ValueTypeStr() {
    if constexpr (std::is_void_v<T>) {
      return "void";
    } else if constexpr (std::is_same_v<T, Any>) {
      return "Any";
    } else {
      return TypeTraits<T>::TypeStr();
    }
  }
  static std::string ValueTypeSchema() {
    if constexpr (std::is_void_v<T>) {
      return R"({"type":"None"})";
    } else if constexpr (std::is_same_v<T, Any>) {
      return R"({"type":"Any"})";
    } else {
      return TypeTraits<T>::TypeSchema();
    }
  }
};

namespace details {

/*!
 * \brief Collects a message through a stream; converts to Unexpected<Error> or any
 * Expected<T>. The error's backtrace is the single frame of the macro's location.
 */
class UnexpectedBuilder {
 public:
  UnexpectedBuilder(std::string kind, const char* file, int line, const char* func)
      : kind_(std::move(kind)) {
    std::ostringstream os;
    os << "  File \"" << file << "\", line " << line << ", in " << func << "\n";
    backtrace_ = os.str();
  }
  template <typename V>
  UnexpectedBuilder& operator<<(const V& value) {
    stream_ << value;
    return *this;
  }
  Error MakeError() const { return Error(kind_, stream_.str(), backtrace_); }
  operator Unexpected<Error>() const { return Unexpected<Error>(MakeError()); }  // NOLINT(*)
  template <typename T>
  operator Expected<T>() const {  // NOLINT(*)
    return Expected<T>(MakeError());
  }

 private:
  std::string kind_;
  std::string backtrace_;
  std::ostringstream stream_;
};

}  // namespace details
}  // namespace ffi
}  // namespace tvm

/*!
 * \brief An error of the given kind, convertible to Unexpected<Error> or any Expected<T>:
 * `return TVM_FFI_UNEXPECTED(ValueError) << "bad " << x;`
 */
#define TVM_FFI_UNEXPECTED(ErrorKind) \
  ::tvm::ffi::details::UnexpectedBuilder(#ErrorKind, __FILE__, __LINE__, __func__)

/*! \brief Return an error "Check failed: (cond) is false: " from the enclosing function. */
#define TVM_FFI_RET_CHECK(cond, ErrorKind) \
  if (!(cond)) return TVM_FFI_UNEXPECTED(ErrorKind) << "Check failed: (" #cond << ") is false: "

/*! \brief Return an error "Check failed: x op y (xv vs. yv) : " from the enclosing function. */
#define TVM_FFI_RET_CHECK_BINARY_OP(name, op, x, y, ErrorKind)              \
  if (auto __tvm_ffi_check_msg = ::tvm::ffi::details::LogCheck##name(x, y)) \
  return TVM_FFI_UNEXPECTED(ErrorKind)                                      \
         << "Check failed: " << #x " " #op " " #y << *__tvm_ffi_check_msg << ": "

#define TVM_FFI_RET_CHECK_LT(x, y, ErrorKind) TVM_FFI_RET_CHECK_BINARY_OP(_LT, <, x, y, ErrorKind)
#define TVM_FFI_RET_CHECK_GT(x, y, ErrorKind) TVM_FFI_RET_CHECK_BINARY_OP(_GT, >, x, y, ErrorKind)
#define TVM_FFI_RET_CHECK_LE(x, y, ErrorKind) TVM_FFI_RET_CHECK_BINARY_OP(_LE, <=, x, y, ErrorKind)
#define TVM_FFI_RET_CHECK_GE(x, y, ErrorKind) TVM_FFI_RET_CHECK_BINARY_OP(_GE, >=, x, y, ErrorKind)
#define TVM_FFI_RET_CHECK_EQ(x, y, ErrorKind) TVM_FFI_RET_CHECK_BINARY_OP(_EQ, ==, x, y, ErrorKind)
#define TVM_FFI_RET_CHECK_NE(x, y, ErrorKind) TVM_FFI_RET_CHECK_BINARY_OP(_NE, !=, x, y, ErrorKind)

#define TVM_FFI_RET_ICHECK(cond) TVM_FFI_RET_CHECK(cond, InternalError)
#define TVM_FFI_RET_ICHECK_LT(x, y) TVM_FFI_RET_CHECK_LT(x, y, InternalError)
#define TVM_FFI_RET_ICHECK_GT(x, y) TVM_FFI_RET_CHECK_GT(x, y, InternalError)
#define TVM_FFI_RET_ICHECK_LE(x, y) TVM_FFI_RET_CHECK_LE(x, y, InternalError)
#define TVM_FFI_RET_ICHECK_GE(x, y) TVM_FFI_RET_CHECK_GE(x, y, InternalError)
#define TVM_FFI_RET_ICHECK_EQ(x, y) TVM_FFI_RET_CHECK_EQ(x, y, InternalError)
#define TVM_FFI_RET_ICHECK_NE(x, y) TVM_FFI_RET_CHECK_NE(x, y, InternalError)

#endif  // TVM_FFI_EXPECTED_H_
