/*!
 * \file tvm/ffi/optional.h
 * \brief Optional<T>: "a T or nothing", with no extra space where the ABI already has a
 * "none" state (object references use the null pointer, String/Bytes a None cell).
 *
 * In an Any cell an Optional is simply its value or None.
 */
#ifndef TVM_FFI_OPTIONAL_H_
#define TVM_FFI_OPTIONAL_H_

#include <tvm/ffi/error.h>
#include <tvm/ffi/object.h>
#include <tvm/ffi/string.h>

#include <optional>
#include <string>
#include <type_traits>
#include <utility>

namespace tvm {
namespace ffi {

template <typename T>
inline constexpr bool is_optional_type_v = false;
template <typename T>
inline constexpr bool is_optional_type_v<Optional<T>> = true;

/*! \brief Optional<T> is pointer-sized when T is an object reference. */
template <typename T>
inline constexpr bool use_ptr_based_optional_v =
    std::is_base_of_v<ObjectRef, T> && !is_optional_type_v<T>;

namespace details {
template <typename T>
inline constexpr bool is_bytes_like_v = std::is_same_v<T, String> || std::is_same_v<T, Bytes>;

[[noreturn]] inline void ThrowBadOptionalAccess() {
  TVM_FFI_THROW(RuntimeError) << "Back optional access";
  TVM_FFI_UNREACHABLE();
}
}  // namespace details

/*! \brief Generic form: a std::optional<T>. */
template <typename T>
class Optional<T, std::enable_if_t<!use_ptr_based_optional_v<T> && !details::is_bytes_like_v<T>>> {
 public:
  Optional() = default;
  Optional(const Optional& other) = default;
  Optional(Optional&& other) = default;
  Optional(std::optional<T> other) : data_(std::move(other)) {}  // NOLINT(*)
  Optional(std::nullopt_t) {}                                    // NOLINT(*)
  Optional(T other) : data_(std::move(other)) {}                 // NOLINT(*)
  Optional& operator=(const Optional& other) = default;
  Optional& operator=(Optional&& other) = default;
  Optional<T>& operator=(T other) {
    data_ = std::move(other);
    return *this;
  }
  Optional<T>& operator=(std::nullopt_t) {
    data_ = std::nullopt;
    return *this;
  }

  const T& value() const& {
    if (!data_.has_value()) details::ThrowBadOptionalAccess();
    return *data_;
  }
  T&& value() && {
    if (!data_.has_value()) details::ThrowBadOptionalAccess();
    return *std::move(data_);
  }
  template <typename U = std::remove_cv_t<T>>
  T value_or(U&& default_value) const {
    return data_.value_or(std::forward<U>(default_value));
  }
  explicit operator bool() const noexcept { return data_.has_value(); }
  bool has_value() const noexcept { return data_.has_value(); }
  const T& operator*() const& noexcept { return *data_; }
  T&& operator*() && noexcept { return *std::move(data_); }

  bool operator==(const Optional<T>& other) const { return data_ == other.data_; }
  bool operator!=(const Optional<T>& other) const { return data_ != other.data_; }
  template <typename U>
  bool operator==(const U& other) const {
    return data_ == other;
  }
  template <typename U>
  bool operator!=(const U& other) const {
    return data_ != other;
  }

 private:
  std::optional<T> data_;
};

/*! \brief String/Bytes form: the value's own cell, with type index None meaning "empty". */
template <typename T>
class Optional<T, std::enable_if_t<details::is_bytes_like_v<T>>> {
 public:
  Optional() { SetEmpty(); }
  Optional(const Optional& other) = default;
  Optional(Optional&& other) noexcept : data_(std::move(other.data_)) {
    // The moved-from T is an empty (but present) value: restore "empty" explicitly.
    other.SetEmpty();
  }
  Optional(std::nullopt_t) { SetEmpty(); }        // NOLINT(*)
  Optional(T other) : data_(std::move(other)) {}  // NOLINT(*)
  template <typename U, typename = std::enable_if_t<
                            std::is_constructible_v<T, U> && !std::is_same_v<std::decay_t<U>, T> &&
                            !std::is_same_v<std::decay_t<U>, Optional<T>> &&
                            !std::is_same_v<std::decay_t<U>, std::nullopt_t>>>
  Optional(U&& other) : data_(std::forward<U>(other)) {}  // NOLINT(*)
  Optional& operator=(const Optional& other) = default;
  Optional& operator=(Optional&& other) noexcept {
    data_ = std::move(other.data_);
    other.SetEmpty();
    return *this;
  }
  Optional<T>& operator=(T other) {
    data_ = std::move(other);
    return *this;
  }
  /*! \brief Assign anything T can be built from (`s = "text"`, `b = std::string(...)`). */
  template <typename U, typename = std::enable_if_t<
                            std::is_constructible_v<T, U> && !std::is_same_v<std::decay_t<U>, T> &&
                            !std::is_same_v<std::decay_t<U>, Optional<T>> &&
                            !std::is_same_v<std::decay_t<U>, std::nullopt_t>>>
  Optional<T>& operator=(U&& other) {
    data_ = T(std::forward<U>(other));
    return *this;
  }
  Optional<T>& operator=(std::nullopt_t) {
    data_ = T();
    SetEmpty();
    return *this;
  }

  const T& value() const& {
    if (!has_value()) details::ThrowBadOptionalAccess();
    return data_;
  }
  T&& value() && {
    if (!has_value()) details::ThrowBadOptionalAccess();
    return std::move(data_);
  }
  template <typename U = T>
  T value_or(U&& default_value) const {
    return has_value() ? data_ : T(std::forward<U>(default_value));
  }
  explicit operator bool() const noexcept { return has_value(); }
  bool has_value() const noexcept { return data_.cell_.cell()->type_index != kTVMFFINone; }
  const T& operator*() const& noexcept { return data_; }
  T&& operator*() && noexcept { return std::move(data_); }

  bool operator==(const Optional<T>& other) const {
    if (!has_value() || !other.has_value()) return has_value() == other.has_value();
    return Equal(data_, other.data_);
  }
  bool operator!=(const Optional<T>& other) const { return !(*this == other); }
  bool operator==(std::nullopt_t) const { return !has_value(); }
  bool operator!=(std::nullopt_t) const { return has_value(); }
  template <typename U, typename = std::enable_if_t<!std::is_same_v<U, std::nullopt_t> &&
                                                    !std::is_same_v<U, Optional<T>>>>
  bool operator==(const U& other) const {
    return has_value() && Equal(data_, T(other));
  }
  template <typename U, typename = std::enable_if_t<!std::is_same_v<U, std::nullopt_t> &&
                                                    !std::is_same_v<U, Optional<T>>>>
  bool operator!=(const U& other) const {
    return !(*this == other);
  }

 private:
  static bool Equal(const T& a, const T& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size()) == 0;
  }
  void SetEmpty() {
    TVMFFIAny* cell = data_.cell_.cell();
    if (cell->type_index >= kTVMFFIStaticObjectBegin) {
      details::ObjectUnsafe::DecRefObjectHandle(cell->v_obj);
    }
    details::WritePODHeader(kTVMFFINone, cell);
  }
  T data_;
  template <typename, typename>
  friend struct TypeTraits;
};

/*! \brief Object-reference form: an ObjectRef whose null pointer means "empty". */
template <typename T>
class Optional<T, std::enable_if_t<use_ptr_based_optional_v<T>>> : public ObjectRef {
 public:
  using ContainerType = typename T::ContainerType;
  static constexpr bool _type_is_nullable = true;

  Optional() = default;
  Optional(const Optional& other) = default;
  Optional(Optional&& other) noexcept = default;
  Optional& operator=(const Optional& other) = default;
  Optional& operator=(Optional&& other) noexcept = default;
  explicit Optional(UnsafeInit tag) : ObjectRef(tag) {}
  Optional(std::nullopt_t) {}         // NOLINT(*)
  Optional(std::optional<T> other) {  // NOLINT(*)
    if (other.has_value()) Assign(*std::move(other));
  }
  Optional(T other) { Assign(std::move(other)); }  // NOLINT(*)
  template <typename U,
            typename = std::enable_if_t<std::is_base_of_v<T, U> && !std::is_same_v<T, U>>>
  Optional(U other) {  // NOLINT(*)
    Assign(T(std::move(other)));
  }
  Optional<T>& operator=(T other) {
    Assign(std::move(other));
    return *this;
  }
  Optional<T>& operator=(std::nullptr_t) {
    data_.reset();
    return *this;
  }
  Optional<T>& operator=(std::nullopt_t) {
    data_.reset();
    return *this;
  }

  T value() const& {
    if (data_ == nullptr) details::ThrowBadOptionalAccess();
    return details::ObjectUnsafe::ObjectRefFromObjectPtr<T>(data_);
  }
  T value() && {
    if (data_ == nullptr) details::ThrowBadOptionalAccess();
    return details::ObjectUnsafe::ObjectRefFromObjectPtr<T>(std::move(data_));
  }
  template <typename U = T>
  T value_or(U&& default_value) const {
    return data_ != nullptr ? details::ObjectUnsafe::ObjectRefFromObjectPtr<T>(data_)
                            : T(std::forward<U>(default_value));
  }
  explicit operator bool() const noexcept { return data_ != nullptr; }
  bool has_value() const noexcept { return data_ != nullptr; }
  T operator*() const& { return details::ObjectUnsafe::ObjectRefFromObjectPtr<T>(data_); }
  T operator*() && { return details::ObjectUnsafe::ObjectRefFromObjectPtr<T>(std::move(data_)); }
  const ContainerType* get() const { return static_cast<const ContainerType*>(data_.get()); }

  bool operator==(std::nullptr_t) const noexcept { return data_ == nullptr; }
  bool operator!=(std::nullptr_t) const noexcept { return data_ != nullptr; }
  bool operator==(std::nullopt_t) const noexcept { return data_ == nullptr; }
  bool operator!=(std::nullopt_t) const noexcept { return data_ != nullptr; }
  bool operator==(const Optional<T>& other) const {
    if (!has_value() || !other.has_value()) return has_value() == other.has_value();
    return value() == other.value();
  }
  bool operator!=(const Optional<T>& other) const { return !(*this == other); }
  bool operator==(const T& other) const { return has_value() && value() == other; }
  bool operator!=(const T& other) const { return !(*this == other); }
  bool operator==(const std::optional<T>& other) const {
    return other.has_value() ? *this == *other : !has_value();
  }
  bool operator!=(const std::optional<T>& other) const { return !(*this == other); }

 private:
  void Assign(T&& other) {
    data_ = details::ObjectUnsafe::ObjectPtrFromObjectRef<Object>(std::move(other));
  }
};

template <typename T>
inline constexpr bool use_default_type_traits_v<Optional<T>> = false;

/*! \brief Optional<T> in an Any: None or T's rules. */
template <typename T>
struct TypeTraits<Optional<T>> : public TypeTraitsBase {
  static constexpr bool storage_enabled = TypeTraits<T>::storage_enabled;
  static constexpr int32_t field_static_type_index = TypeTraits<T>::field_static_type_index;

  TVM_FFI_INLINE static void CopyToAnyView(const Optional<T>& src, TVMFFIAny* result) {
    if constexpr (use_ptr_based_optional_v<T>) {
      details::WriteObjectToAny(details::ObjectUnsafe::TVMFFIObjectPtrFromObjectRef(src), result);
    } else {
      if (src.has_value()) {
        TypeTraits<T>::CopyToAnyView(*src, result);
      } else {
        details::WritePODHeader(kTVMFFINone, result);
      }
    }
  }
  TVM_FFI_INLINE static void MoveToAny(Optional<T> src, TVMFFIAny* result) {
    if (src.has_value()) {
      TypeTraits<T>::MoveToAny(*std::move(src), result);
    } else {
      details::WritePODHeader(kTVMFFINone, result);
    }
  }
  TVM_FFI_INLINE static bool CheckAnyStrict(const TVMFFIAny* src) {
    return src->type_index == kTVMFFINone || TypeTraits<T>::CheckAnyStrict(src);
  }
  TVM_FFI_INLINE static Optional<T> CopyFromAnyViewAfterCheck(const TVMFFIAny* src) {
    if (src->type_index == kTVMFFINone) return Optional<T>(std::nullopt);
    return TypeTraits<T>::CopyFromAnyViewAfterCheck(src);
  }
  TVM_FFI_INLINE static Optional<T> MoveFromAnyAfterCheck(TVMFFIAny* src) {
    if (src->type_index == kTVMFFINone) return Optional<T>(std::nullopt);
    return TypeTraits<T>::MoveFromAnyAfterCheck(src);
  }
  TVM_FFI_INLINE static std::optional<Optional<T>> TryCastFromAnyView(const TVMFFIAny* src) {
    if (src->type_index == kTVMFFINone) return Optional<T>(std::nullopt);
    if (std::optional<T> opt = TypeTraits<T>::TryCastFromAnyView(src)) {
      return Optional<T>(*std::move(opt));
    }
    return std::nullopt;
  }
  static std::string GetMismatchTypeInfo(const TVMFFIAny* src) {
    return TypeTraits<T>::GetMismatchTypeInfo(src);
  }
  static std::string TypeStr() { return "Optional<" + TypeTraits<T>::TypeStr() + ">"; }
  static std::string TypeSchema() {
    return R"({"type":"Optional","args":[)" + TypeTraits<T>::TypeSchema() + "]}";
  }
};

}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_OPTIONAL_H_
