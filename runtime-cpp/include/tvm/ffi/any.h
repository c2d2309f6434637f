/*!
 * \file tvm/ffi/any.h
 * \brief AnyView (borrowed) and Any (owning): the 16-byte value cell of the ABI in C++.
 */
#ifndef TVM_FFI_ANY_H_
#define TVM_FFI_ANY_H_

#include <tvm/ffi/c_api.h>
#include <tvm/ffi/check.h>
#include <tvm/ffi/string.h>
#include <tvm/ffi/type_traits.h>

#include <cstring>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

namespace tvm {
namespace ffi {

class Any;

namespace details {
class AnyUnsafe;

/*! \brief Throw the uniform "cannot convert" TypeError. */
[[noreturn]] inline void ThrowCastError(const std::string& from, const std::string& to) {
  TVM_FFI_THROW(TypeError) << "Cannot convert from type `" << from << "` to `" << to << "`";
  TVM_FFI_UNREACHABLE();
}

/*!
 * \brief Whether a T can be shown as a borrowed AnyView without allocating. Types whose
 * conversion builds a new object (the STL containers of extra/stl.h) have no
 * `CopyToAnyView`: a view could never release that object. They convert to an owning Any.
 */
template <typename T, typename = void>
inline constexpr bool view_convertible_v = false;
template <typename T>
inline constexpr bool
    view_convertible_v<T, std::void_t<decltype(TypeTraitsNoCR<T>::CopyToAnyView(
                              std::declval<const T&>(), static_cast<TVMFFIAny*>(nullptr)))>> =
        TypeTraitsNoCR<T>::convert_enabled;
}  // namespace details

/*! \brief A borrowed value: no reference is held; may carry view-only kinds. */
class AnyView {
 public:
  AnyView() { details::WritePODHeader(kTVMFFINone, &data_); }
  AnyView(const AnyView&) = default;
  AnyView& operator=(const AnyView&) = default;
  AnyView(AnyView&& other) noexcept : data_(other.data_) { other.reset(); }
  AnyView& operator=(AnyView&& other) noexcept {
    data_ = other.data_;
    other.reset();
    return *this;
  }
  template <typename T, typename = std::enable_if_t<details::view_convertible_v<T>>>
  AnyView(const T& other) {  // NOLINT(*)
    TypeTraitsNoCR<T>::CopyToAnyView(other, &data_);
  }
  template <typename T, typename = std::enable_if_t<details::view_convertible_v<T>>>
  AnyView& operator=(const T& other) {  // NOLINT(*)
    TypeTraitsNoCR<T>::CopyToAnyView(other, &data_);
    return *this;
  }

  void reset() { details::WritePODHeader(kTVMFFINone, &data_); }
  void swap(AnyView& other) noexcept { std::swap(data_, other.data_); }
  int32_t type_index() const noexcept { return data_.type_index; }

  /*! \brief Strict read: only when the cell already holds T's canonical form. */
  template <typename T, std::enable_if_t<TypeTraits<T>::convert_enabled, int> = 0>
  std::optional<T> as() const {
    if (TypeTraits<T>::CheckAnyStrict(&data_))
      return TypeTraits<T>::CopyFromAnyViewAfterCheck(&data_);
    return std::nullopt;
  }
  /*! \brief Typed object pointer when the cell holds an instance of T, else nullptr. */
  template <typename T, std::enable_if_t<std::is_base_of_v<Object, T>, int> = 0>
  const T* as() const {
    if (data_.type_index >= kTVMFFIStaticObjectBegin &&
        details::IsObjectInstance<T>(data_.type_index)) {
      return static_cast<const T*>(reinterpret_cast<Object*>(data_.v_obj));
    }
    return nullptr;
  }
  /*! \brief Lenient conversion; throws TypeError when impossible. */
  template <typename T, std::enable_if_t<TypeTraits<T>::convert_enabled, int> = 0>
  T cast() const {
    std::optional<T> opt = TypeTraits<T>::TryCastFromAnyView(&data_);
    if (!opt.has_value()) {
      details::ThrowCastError(TypeTraits<T>::GetMismatchTypeInfo(&data_), TypeTraits<T>::TypeStr());
    }
    return *std::move(opt);
  }
  template <typename T, std::enable_if_t<TypeTraits<T>::convert_enabled, int> = 0>
  std::optional<T> try_cast() const {
    return TypeTraits<T>::TryCastFromAnyView(&data_);
  }

  bool operator==(std::nullptr_t) const noexcept { return data_.type_index == kTVMFFINone; }
  bool operator!=(std::nullptr_t) const noexcept { return data_.type_index != kTVMFFINone; }
  std::string GetTypeKey() const { return TypeIndexToTypeKey(data_.type_index); }
  TVMFFIAny CopyToTVMFFIAny() const { return data_; }
  static AnyView CopyFromTVMFFIAny(TVMFFIAny data) {
    AnyView view;
    view.data_ = data;
    return view;
  }

 protected:
  TVMFFIAny data_;
  friend class Any;
  friend class details::AnyUnsafe;
};

/*! \brief An owning value: holds one strong reference when it contains an object. */
class Any {
 public:
  Any() { details::WritePODHeader(kTVMFFINone, &data_); }
  Any(const Any& other) : data_(other.data_) {
    if (data_.type_index >= kTVMFFIStaticObjectBegin) {
      details::ObjectUnsafe::IncRefObjectHandle(data_.v_obj);
    }
  }
  Any(Any&& other) noexcept : data_(other.data_) {
    details::WritePODHeader(kTVMFFINone, &other.data_);
  }
  Any& operator=(const Any& other) {
    Any(other).swap(*this);
    return *this;
  }
  Any& operator=(Any&& other) noexcept {
    Any(std::move(other)).swap(*this);
    return *this;
  }
  ~Any() { reset(); }

  /*! \brief Take ownership of a borrowed value, materialising view-only kinds. */
  Any(const AnyView& other) {  // NOLINT(*)
    const TVMFFIAny& src = other.data_;
    switch (src.type_index) {
      case kTVMFFIRawStr:
        if (src.v_c_str == nullptr) {
          TVM_FFI_THROW(ValueError) << "a raw string argument must not be null";
        }
        TypeTraits<String>::MoveToAny(String(src.v_c_str), &data_);
        break;
      case kTVMFFIByteArrayPtr:
        if (src.v_ptr == nullptr) {
          TVM_FFI_THROW(ValueError) << "a byte array argument must not be null";
        }
        TypeTraits<Bytes>::MoveToAny(Bytes(*static_cast<const TVMFFIByteArray*>(src.v_ptr)),
                                     &data_);
        break;
      case kTVMFFIObjectRValueRef: {
        TVMFFIObject** slot = static_cast<TVMFFIObject**>(src.v_ptr);
        if (*slot == nullptr) {
          TVM_FFI_THROW(InternalError) << "RValueRef already moved";
        }
        details::WriteObjectToAny(*slot, &data_);
        *slot = nullptr;
        break;
      }
      default:
        data_ = src;
        if (data_.type_index >= kTVMFFIStaticObjectBegin) {
          details::ObjectUnsafe::IncRefObjectHandle(data_.v_obj);
        }
    }
  }
  Any& operator=(const AnyView& other) {
    Any(other).swap(*this);
    return *this;
  }
  template <typename T, typename = std::enable_if_t<TypeTraitsNoCR<T>::convert_enabled>>
  Any(T other) {  // NOLINT(*)
    TypeTraitsNoCR<T>::MoveToAny(std::move(other), &data_);
  }
  template <typename T, typename = std::enable_if_t<TypeTraitsNoCR<T>::convert_enabled>>
  Any& operator=(T other) {  // NOLINT(*)
    Any(std::move(other)).swap(*this);
    return *this;
  }

  /*! \brief Zero-cost borrowed view. */
  operator AnyView() const { return AnyView::CopyFromTVMFFIAny(data_); }  // NOLINT(*)

  void reset() {
    if (data_.type_index >= kTVMFFIStaticObjectBegin) {
      details::ObjectUnsafe::DecRefObjectHandle(data_.v_obj);
    }
    details::WritePODHeader(kTVMFFINone, &data_);
  }
  void swap(Any& other) noexcept { std::swap(data_, other.data_); }
  int32_t type_index() const noexcept { return data_.type_index; }

  template <typename T,
            std::enable_if_t<TypeTraits<T>::convert_enabled || std::is_same_v<T, Any>, int> = 0>
  std::optional<T> as() const& {
    if constexpr (std::is_same_v<T, Any>) {
      return *this;
    } else {
      if (TypeTraits<T>::CheckAnyStrict(&data_)) {
        return TypeTraits<T>::CopyFromAnyViewAfterCheck(&data_);
      }
      return std::nullopt;
    }
  }
  template <typename T,
            std::enable_if_t<TypeTraits<T>::storage_enabled || std::is_same_v<T, Any>, int> = 0>
  std::optional<T> as() && {
    if constexpr (std::is_same_v<T, Any>) {
      return std::move(*this);
    } else {
      if (TypeTraits<T>::CheckAnyStrict(&data_))
        return TypeTraits<T>::MoveFromAnyAfterCheck(&data_);
      return std::nullopt;
    }
  }
  template <typename T, std::enable_if_t<std::is_base_of_v<Object, T>, int> = 0>
  const T* as() const& {
    if (data_.type_index >= kTVMFFIStaticObjectBegin &&
        details::IsObjectInstance<T>(data_.type_index)) {
      return static_cast<const T*>(reinterpret_cast<Object*>(data_.v_obj));
    }
    return nullptr;
  }
  template <typename T, std::enable_if_t<TypeTraits<T>::convert_enabled, int> = 0>
  T cast() const& {
    std::optional<T> opt = TypeTraits<T>::TryCastFromAnyView(&data_);
    if (!opt.has_value()) {
      details::ThrowCastError(TypeTraits<T>::GetMismatchTypeInfo(&data_), TypeTraits<T>::TypeStr());
    }
    return *std::move(opt);
  }
  template <typename T, std::enable_if_t<TypeTraits<T>::storage_enabled, int> = 0>
  T cast() && {
    if (TypeTraits<T>::CheckAnyStrict(&data_)) return TypeTraits<T>::MoveFromAnyAfterCheck(&data_);
    return static_cast<const Any&>(*this).cast<T>();
  }
  template <typename T,
            std::enable_if_t<TypeTraits<T>::convert_enabled || std::is_same_v<T, Any>, int> = 0>
  std::optional<T> try_cast() const {
    if constexpr (std::is_same_v<T, Any>) {
      return *this;
    } else {
      return TypeTraits<T>::TryCastFromAnyView(&data_);
    }
  }

  /*! \brief Bitwise identity of the two cells. */
  bool same_as(const Any& other) const noexcept {
    return data_.type_index == other.data_.type_index &&
           data_.zero_padding == other.data_.zero_padding && data_.v_int64 == other.data_.v_int64;
  }
  bool same_as(const ObjectRef& other) const noexcept {
    TVMFFIObject* obj = details::ObjectUnsafe::TVMFFIObjectPtrFromObjectRef(other);
    if (obj == nullptr) return data_.type_index == kTVMFFINone;
    return data_.type_index >= kTVMFFIStaticObjectBegin && data_.v_obj == obj;
  }
  bool operator==(std::nullptr_t) const noexcept { return data_.type_index == kTVMFFINone; }
  bool operator!=(std::nullptr_t) const noexcept { return data_.type_index != kTVMFFINone; }
  std::string GetTypeKey() const { return TypeIndexToTypeKey(data_.type_index); }

 protected:
  TVMFFIAny data_;
  friend class details::AnyUnsafe;
};

static_assert(sizeof(Any) == sizeof(TVMFFIAny), "Any must have the ABI layout");
static_assert(sizeof(AnyView) == sizeof(TVMFFIAny), "AnyView must have the ABI layout");

namespace details {

/*! \brief Unchecked access to Any internals (containers and call machinery use it). */
class AnyUnsafe : public ObjectUnsafe {
 public:
  static TVMFFIAny MoveAnyToTVMFFIAny(Any&& any) {
    TVMFFIAny result = any.data_;
    WritePODHeader(kTVMFFINone, &any.data_);
    return result;
  }
  static Any MoveTVMFFIAnyToAny(TVMFFIAny* data) {
    Any any;
    any.data_ = *data;
    WritePODHeader(kTVMFFINone, data);
    return any;
  }
  static Any MoveTVMFFIAnyToAny(TVMFFIAny&& data) {
    Any any;
    any.data_ = data;
    WritePODHeader(kTVMFFINone, &data);
    return any;
  }
  template <typename T>
  static bool CheckAnyStrict(const Any& ref) {
    if constexpr (std::is_same_v<T, Any>) {
      return true;
    } else {
      return TypeTraits<T>::CheckAnyStrict(&ref.data_);
    }
  }
  template <typename T>
  static T CopyFromAnyViewAfterCheck(const Any& ref) {
    if constexpr (std::is_same_v<T, Any>) {
      return ref;
    } else {
      return TypeTraits<T>::CopyFromAnyViewAfterCheck(&ref.data_);
    }
  }
  template <typename T>
  static T MoveFromAnyAfterCheck(Any&& ref) {
    if constexpr (std::is_same_v<T, Any>) {
      return std::move(ref);
    } else {
      return TypeTraits<T>::MoveFromAnyAfterCheck(&ref.data_);
    }
  }
  static Object* ObjectPtrFromAnyAfterCheck(const Any& ref) {
    return reinterpret_cast<Object*>(ref.data_.v_obj);
  }
  static const TVMFFIAny* TVMFFIAnyPtrFromAny(const Any& ref) { return &ref.data_; }
  static TVMFFIAny* TVMFFIAnyPtrFromAny(Any& ref) { return &ref.data_; }
  static const TVMFFIAny* TVMFFIAnyPtrFromAny(const AnyView& ref) { return &ref.data_; }
  template <typename T>
  static std::string GetMismatchTypeInfo(const Any& ref) {
    return TypeTraits<T>::GetMismatchTypeInfo(&ref.data_);
  }
};

/*! \brief Type name used in error messages. */
template <typename T>
struct Type2Str {
  static std::string v() { return TypeTraitsNoCR<T>::TypeStr(); }
};
template <>
struct Type2Str<Any> {
  static std::string v() { return "Any"; }
};
template <>
struct Type2Str<const Any&> {
  static std::string v() { return "Any"; }
};
template <>
struct Type2Str<AnyView> {
  static std::string v() { return "AnyView"; }
};
template <>
struct Type2Str<const AnyView&> {
  static std::string v() { return "AnyView"; }
};
template <>
struct Type2Str<void> {
  static std::string v() { return "void"; }
};

/*! \brief Content comparison of a string/bytes cell (small or heap). */
inline TVMFFIByteArray AnyBytesContent(const TVMFFIAny& a) {
  if (a.type_index < kTVMFFIStaticObjectBegin) return TVMFFIByteArray{a.v_bytes, a.small_str_len};
  return *TVMFFIBytesGetByteArrayPtr(a.v_obj);
}

/*!
 * \brief Per-type key hooks of Map/Dict keys: the type-attribute columns `__any_hash__` and
 * `__any_equal__`. Each column pointer is looked up once per binary and cached (the runtime
 * creates both columns at start-up, so the cached pointer is never a stale NULL).
 */
inline const TVMFFITypeAttrColumn* AnyHashHookColumn() {
  static const TVMFFITypeAttrColumn* column = [] {
    TVMFFIByteArray name{"__any_hash__", 12};
    return TVMFFIGetTypeAttrColumn(&name);
  }();
  return column;
}
inline const TVMFFITypeAttrColumn* AnyEqualHookColumn() {
  static const TVMFFITypeAttrColumn* column = [] {
    TVMFFIByteArray name{"__any_equal__", 13};
    return TVMFFIGetTypeAttrColumn(&name);
  }();
  return column;
}

/*! \return the hook registered for type_index in column, or NULL (absent or None). */
inline const TVMFFIAny* FindAnyHook(const TVMFFITypeAttrColumn* column, int32_t type_index) {
  if (column == nullptr || column->data == nullptr) return nullptr;
  // The column covers type indices [begin_index, begin_index + size).
  int64_t slot = static_cast<int64_t>(type_index) - column->begin_index;
  if (slot < 0 || slot >= static_cast<int64_t>(column->size)) return nullptr;
  const TVMFFIAny* hook = column->data + slot;
  return hook->type_index == kTVMFFINone ? nullptr : hook;
}

/*!
 * \brief Call a key hook with one or two arguments. A hook is an OpaquePtr to a native
 * `TVMFFIAny (*)(const Any&[, const Any&]) noexcept` of the registering binary, or a Function.
 * An Error result (or a failed call) is thrown.
 */
inline Any CallAnyHook(const TVMFFIAny* hook, const Any& lhs, const Any* rhs) {
  TVMFFIAny result;
  result.type_index = kTVMFFINone;
  result.zero_padding = 0;
  result.v_int64 = 0;
  if (hook->type_index == kTVMFFIOpaquePtr) {
    if (rhs == nullptr) {
      using F1 = TVMFFIAny (*)(const Any&) noexcept;
      result = reinterpret_cast<F1>(hook->v_ptr)(lhs);
    } else {
      using F2 = TVMFFIAny (*)(const Any&, const Any&) noexcept;
      result = reinterpret_cast<F2>(hook->v_ptr)(lhs, *rhs);
    }
  } else if (hook->type_index == kTVMFFIFunction) {
    TVMFFIAny args[2] = {*AnyUnsafe::TVMFFIAnyPtrFromAny(lhs), TVMFFIAny()};
    if (rhs != nullptr) args[1] = *AnyUnsafe::TVMFFIAnyPtrFromAny(*rhs);
    if (TVMFFIFunctionCall(hook->v_obj, args, rhs == nullptr ? 1 : 2, &result) != 0) {
      TVMFFIObjectHandle err = nullptr;
      TVMFFIErrorMoveFromRaised(&err);
      if (err == nullptr) {
        TVM_FFI_THROW(RuntimeError) << "a key hash/equality hook failed without an error";
      }
      throw ObjectUnsafe::ObjectRefFromObjectPtr<Error>(
          ObjectUnsafe::ObjectPtrFromOwned<Object>(static_cast<TVMFFIObject*>(err)));
    }
  } else {
    TVM_FFI_THROW(TypeError) << "key hash/equality hook must be an opaque pointer or a "
                             << "Function, got type index " << hook->type_index;
  }
  if (result.type_index == kTVMFFIError) {
    throw ObjectUnsafe::ObjectRefFromObjectPtr<Error>(
        ObjectUnsafe::ObjectPtrFromOwned<Object>(static_cast<TVMFFIObject*>(result.v_obj)));
  }
  return AnyUnsafe::MoveTVMFFIAnyToAny(&result);
}

}  // namespace details

/*!
 * \brief Hash used by Map keys (identical in every binary): strings and bytes by content
 * (small and heap forms agree); other objects through their type's `__any_hash__` hook when
 * one is registered (combined with the type index); everything else by type index and raw
 * 64-bit payload.
 */
struct AnyHash {
  uint64_t operator()(const Any& src) const {
    const TVMFFIAny& a = *details::AnyUnsafe::TVMFFIAnyPtrFromAny(src);
    if (a.type_index >= kTVMFFIStaticObjectBegin && a.type_index != kTVMFFIStr &&
        a.type_index != kTVMFFIBytes) {
      const TVMFFIAny* hook = details::FindAnyHook(details::AnyHashHookColumn(), a.type_index);
      if (hook != nullptr) {
        Any hashed = details::CallAnyHook(hook, src, nullptr);
        const TVMFFIAny& h = *details::AnyUnsafe::TVMFFIAnyPtrFromAny(hashed);
        if (h.type_index != kTVMFFIInt) {
          TVM_FFI_THROW(TypeError)
              << "__any_hash__ hook of type index " << a.type_index << " must return an int";
        }
        return details::StableHashCombine(static_cast<uint64_t>(a.type_index), h.v_uint64);
      }
    }
    switch (a.type_index) {
      case kTVMFFISmallStr:
        return details::StableHashCombine(kTVMFFIStr, a.v_uint64 % 2147483647ULL);
      case kTVMFFISmallBytes:
        return details::StableHashCombine(kTVMFFIBytes, a.v_uint64 % 2147483647ULL);
      case kTVMFFIStr:
      case kTVMFFIBytes: {
        const TVMFFIByteArray* arr = TVMFFIBytesGetByteArrayPtr(a.v_obj);
        return details::StableHashCombine(static_cast<uint64_t>(a.type_index),
                                          details::StableHashBytes(arr->data, arr->size));
      }
      default:
        return details::StableHashCombine(static_cast<uint64_t>(a.type_index), a.v_uint64);
    }
  }
};

/*!
 * \brief Equality used by Map keys: identical cells, equal string/bytes content across the
 * small and heap forms (never string vs bytes), or, for two objects of the same type with an
 * `__any_equal__` hook, the hook's answer.
 */
struct AnyEqual {
  bool operator()(const Any& lhs, const Any& rhs) const {
    const TVMFFIAny& a = *details::AnyUnsafe::TVMFFIAnyPtrFromAny(lhs);
    const TVMFFIAny& b = *details::AnyUnsafe::TVMFFIAnyPtrFromAny(rhs);
    if (a.type_index == b.type_index && a.zero_padding == b.zero_padding &&
        a.v_uint64 == b.v_uint64) {
      return true;
    }
    if (a.type_index == b.type_index && a.type_index >= kTVMFFIStaticObjectBegin &&
        a.type_index != kTVMFFIStr && a.type_index != kTVMFFIBytes) {
      const TVMFFIAny* hook = details::FindAnyHook(details::AnyEqualHookColumn(), a.type_index);
      if (hook != nullptr) {
        Any equal = details::CallAnyHook(hook, lhs, &rhs);
        const TVMFFIAny& e = *details::AnyUnsafe::TVMFFIAnyPtrFromAny(equal);
        if (e.type_index != kTVMFFIBool) {
          TVM_FFI_THROW(TypeError)
              << "__any_equal__ hook of type index " << a.type_index << " must return a bool";
        }
        return e.v_int64 != 0;
      }
    }
    auto is_str = [](int32_t i) { return i == kTVMFFIStr || i == kTVMFFISmallStr; };
    auto is_bytes = [](int32_t i) { return i == kTVMFFIBytes || i == kTVMFFISmallBytes; };
    if (a.type_index == b.type_index) {
      if (a.type_index != kTVMFFIStr && a.type_index != kTVMFFIBytes) return false;
    } else if (!((is_str(a.type_index) && is_str(b.type_index)) ||
                 (is_bytes(a.type_index) && is_bytes(b.type_index)))) {
      return false;
    }
    TVMFFIByteArray x = details::AnyBytesContent(a);
    TVMFFIByteArray y = details::AnyBytesContent(b);
    return x.size == y.size && (x.size == 0 || std::memcmp(x.data, y.data, x.size) == 0);
  }
};

}  // namespace ffi

using ffi::Any;
using ffi::AnyView;

}  // namespace tvm

#endif  // TVM_FFI_ANY_H_
