/*!
 * \file tvm/ffi/container/variant.h
 * \brief Variant<V...>: a value that is one of several FFI types.
 *
 * When every alternative is an object reference the variant IS an ObjectRef (one pointer);
 * otherwise it holds one owning Any. Either way, in an Any cell a variant is just its
 * current value: there is no separate encoding, and which alternative is "active" is
 * decided by the value's type when it is read.
 */
#ifndef TVM_FFI_CONTAINER_VARIANT_H_
#define TVM_FFI_CONTAINER_VARIANT_H_

#include <tvm/ffi/any.h>
#include <tvm/ffi/container/container_details.h>
#include <tvm/ffi/optional.h>

#include <optional>
#include <string>
#include <type_traits>
#include <utility>

namespace tvm {
namespace ffi {
namespace details {

/*! \brief Tag of the unchecked "adopt this value" constructor used by TypeTraits. */
struct VariantFromAnyTag {};

/*! \brief Storage of a variant with at least one non-object alternative: one Any. */
template <bool all_object_ref>
class VariantBase {
 public:
  /*! \brief Bitwise identity of the held values. */
  bool same_as(const VariantBase<all_object_ref>& other) const {
    return data_.same_as(other.data_);
  }

 protected:
  template <typename T>
  explicit VariantBase(T other) : data_(std::move(other)) {}
  VariantBase(VariantFromAnyTag, Any value) : data_(std::move(value)) {}

  AnyView ToAnyView() const { return AnyView(data_); }
  Any MoveToAny() && { return std::move(data_); }

  Any data_;
};

/*! \brief Storage of a variant of object references only: the ObjectRef pointer itself. */
template <>
class VariantBase<true> : public ObjectRef {
 protected:
  template <typename T>
  explicit VariantBase(T other) : ObjectRef(std::move(other)) {}
  VariantBase(VariantFromAnyTag, Any value) : ObjectRef(std::move(value).cast<ObjectRef>()) {}

  AnyView ToAnyView() const { return AnyView(static_cast<const ObjectRef&>(*this)); }
  Any MoveToAny() && { return Any(static_cast<ObjectRef&&>(*this)); }
};

}  // namespace details

/*!
 * \brief One of V... (no default constructor: a variant always holds a value).
 *
 * Accepts any value whose type is contained in one of the alternatives (so a
 * Variant<String, Array<Any>> takes an Array<int>).
 */
template <typename... V>
class Variant : public details::VariantBase<details::all_object_ref_v<V...>> {
 public:
  static_assert(details::all_storage_enabled_v<V...>,
                "every Variant alternative must be storable in Any");
  using TParent = details::VariantBase<details::all_object_ref_v<V...>>;

  /*! \brief Whether a value of type T can be held as is. */
  template <typename T>
  static constexpr bool variant_contains_v = (details::type_contains_v<V, T> || ...);

  Variant(const Variant<V...>& other) = default;
  Variant(Variant<V...>&& other) noexcept = default;
  Variant<V...>& operator=(const Variant<V...>& other) = default;
  Variant<V...>& operator=(Variant<V...>&& other) noexcept = default;

  template <typename T, typename = std::enable_if_t<variant_contains_v<T>>>
  Variant(T other) : TParent(std::move(other)) {}  // NOLINT(*)

  template <typename T, typename = std::enable_if_t<variant_contains_v<T>>>
  Variant<V...>& operator=(T other) {
    return operator=(Variant<V...>(std::move(other)));
  }

  /*! \brief Upcast from a variant whose alternatives are all contained in this one. */
  template <typename... U,
            typename = std::enable_if_t<!variant_contains_v<Variant<U...>> &&
                                        (variant_contains_v<U> && ...)>>
  Variant(Variant<U...> other)  // NOLINT(*)
      : TParent(details::VariantFromAnyTag{}, std::move(other).MoveToAny()) {}

  /*! \return the value as T when it is held in T's exact storage form (no conversion). */
  template <typename T, typename = std::enable_if_t<variant_contains_v<T>>>
  std::optional<T> as() const {
    return this->ToAnyView().template as<T>();
  }
  /*! \return the held object as a T pointer when it is one, else nullptr. */
  template <typename T, std::enable_if_t<std::is_base_of_v<Object, T>, int> = 0>
  const T* as() const {
    return this->ToAnyView().template as<T>();
  }
  /*! \return the value converted to T; throws TypeError when impossible. */
  template <typename T, typename = std::enable_if_t<variant_contains_v<T>>>
  T get() const& {
    return this->ToAnyView().template cast<T>();
  }
  template <typename T, typename = std::enable_if_t<variant_contains_v<T>>>
  T get() && {
    return std::move(*this).MoveToAny().template cast<T>();
  }
  /*! \return the type key of the held value. */
  std::string GetTypeKey() const { return this->ToAnyView().GetTypeKey(); }

 private:
  /*! \brief Adopt a value known (or required) to be valid for one alternative. */
  Variant(details::VariantFromAnyTag tag, Any value) : TParent(tag, std::move(value)) {}

  template <typename...>
  friend class Variant;
  friend struct TypeTraits<Variant<V...>>;
};

template <typename... V>
inline size_t ObjectPtrHash::operator()(const Variant<V...>& a) const {
  static_assert(details::all_object_ref_v<V...>,
                "ObjectPtrHash applies only to variants of object references");
  return operator()(static_cast<const ObjectRef&>(a));
}

template <typename... V>
inline bool ObjectPtrEqual::operator()(const Variant<V...>& a, const Variant<V...>& b) const {
  static_assert(details::all_object_ref_v<V...>,
                "ObjectPtrEqual applies only to variants of object references");
  return a.same_as(b);
}

namespace details {
/*! \brief A variant contains T when one of its alternatives contains T. */
template <typename... V, typename T>
struct TypeContains<Variant<V...>, T> {
  static constexpr bool value = (type_contains_v<V, T> || ...);
};
/*! \brief A variant contains another variant when it contains each of its alternatives. */
template <typename... V, typename... U>
struct TypeContains<Variant<V...>, Variant<U...>> {
  static constexpr bool value = (TypeContains<Variant<V...>, U>::value && ...);
};
}  // namespace details

template <typename... V>
inline constexpr bool use_default_type_traits_v<Variant<V...>> = false;

/*!
 * \brief Any <-> Variant<V...>: a value that strictly matches an alternative is kept as is;
 * otherwise the first alternative (in order) whose lenient conversion succeeds wins.
 */
template <typename... V>
struct TypeTraits<Variant<V...>> : public TypeTraitsBase {
  static constexpr int32_t field_static_type_index = TypeIndex::kTVMFFIAny;

  TVM_FFI_INLINE static void CopyToAnyView(const Variant<V...>& src, TVMFFIAny* result) {
    *result = src.ToAnyView().CopyToTVMFFIAny();
  }
  TVM_FFI_INLINE static void MoveToAny(Variant<V...> src, TVMFFIAny* result) {
    *result = details::AnyUnsafe::MoveAnyToTVMFFIAny(std::move(src).MoveToAny());
  }
  TVM_FFI_INLINE static bool CheckAnyStrict(const TVMFFIAny* src) {
    return (StrictMatch<V>(src) || ...);
  }
  TVM_FFI_INLINE static Variant<V...> CopyFromAnyViewAfterCheck(const TVMFFIAny* src) {
    return Variant<V...>(details::VariantFromAnyTag{}, Any(AnyView::CopyFromTVMFFIAny(*src)));
  }
  TVM_FFI_INLINE static Variant<V...> MoveFromAnyAfterCheck(TVMFFIAny* src) {
    return Variant<V...>(details::VariantFromAnyTag{}, details::AnyUnsafe::MoveTVMFFIAnyToAny(src));
  }
  TVM_FFI_INLINE static std::optional<Variant<V...>> TryCastFromAnyView(const TVMFFIAny* src) {
    if (CheckAnyStrict(src)) return CopyFromAnyViewAfterCheck(src);
    return TryAlternatives<V...>(src);
  }
  static std::string TypeStr() {
    std::string result = "Variant<";
    size_t index = 0;
    ((result += (index++ == 0 ? "" : ", ") + details::ElementTypeStr<V>()), ...);
    return result + ">";
  }
  static std::string TypeSchema() {
    std::string result = R"({"type":"Variant","args":[)";
    size_t index = 0;
    ((result += (index++ == 0 ? "" : ",") + details::ElementTypeSchema<V>()), ...);
    return result + "]}";
  }

 private:
  template <typename T>
  static bool StrictMatch(const TVMFFIAny* src) {
    if constexpr (std::is_same_v<T, Any>) {
      return true;
    } else {
      return TypeTraits<T>::CheckAnyStrict(src);
    }
  }

  template <typename First, typename... Rest>
  static std::optional<Variant<V...>> TryAlternatives(const TVMFFIAny* src) {
    if constexpr (std::is_same_v<First, Any>) {
      return CopyFromAnyViewAfterCheck(src);
    } else {
      if (std::optional<First> value = AnyView::CopyFromTVMFFIAny(*src).try_cast<First>()) {
        return Variant<V...>(*std::move(value));
      }
    }
    if constexpr (sizeof...(Rest) > 0) {
      return TryAlternatives<Rest...>(src);
    } else {
      return std::nullopt;
    }
  }
};

}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_CONTAINER_VARIANT_H_
