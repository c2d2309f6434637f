/*!
 * \file tvm/ffi/container/tuple.h
 * \brief Tuple<Types...>: a fixed-size, typed view of an ArrayObj.
 *
 * A tuple is an ordinary array object (type index kTVMFFIArray) whose size equals the number
 * of element types; tuples built here have size == capacity == sizeof...(Types). Because the
 * type index is the array's, an Array of the right length and element types converts to a
 * Tuple and back without copying.
 */
#ifndef TVM_FFI_CONTAINER_TUPLE_H_
#define TVM_FFI_CONTAINER_TUPLE_H_

#include <tvm/ffi/container/array.h>

#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

namespace tvm {
namespace ffi {

template <typename... Types>
class Tuple;

namespace details {
/*! \brief Whether T is some Tuple<...>. */
template <typename T>
inline constexpr bool is_tuple_v = false;
template <typename... Types>
inline constexpr bool is_tuple_v<Tuple<Types...>> = true;

/*! \brief Element-wise TypeContains of two equally long type lists (false otherwise). */
template <typename BaseList, typename DerivedList, typename = void>
struct AllTypeContains : std::false_type {};
template <typename... Base, typename... Derived>
struct AllTypeContains<std::tuple<Base...>, std::tuple<Derived...>,
                       std::enable_if_t<sizeof...(Base) == sizeof...(Derived)>>
    : std::bool_constant<(type_contains_v<Base, Derived> && ...)> {};

/*! \brief Tuple<T...> contains Tuple<U...> when the lengths match and each T contains U. */
template <typename... Base, typename... Derived>
struct TypeContains<Tuple<Base...>, Tuple<Derived...>> {
  static constexpr bool value = AllTypeContains<std::tuple<Base...>, std::tuple<Derived...>>::value;
};
}  // namespace details

/*!
 * \brief Fixed-size heterogeneous tuple stored as an array object (copy-on-write).
 * \tparam Types element types (each Any or a storable type)
 */
template <typename... Types>
class Tuple : public ObjectRef {
 public:
  static_assert(details::all_storage_enabled_v<Types...>,
                "every Tuple element type must be storable in Any");

  using ContainerType = ArrayObj;
  static constexpr bool _type_is_nullable = false;

  /*! \brief ObjectRef::get() stays visible next to the element accessor get<I>(). */
  using ObjectRef::get;

  /*! \brief Every element default-constructed. */
  Tuple() : ObjectRef(MakeTupleNode(Types()...)) {}
  /*! \brief A null tuple (internal and reflection use). */
  explicit Tuple(UnsafeInit tag) : ObjectRef(tag) {}
  Tuple(const Tuple<Types...>& other) = default;
  Tuple(Tuple<Types...>&& other) noexcept = default;
  Tuple<Types...>& operator=(const Tuple<Types...>& other) = default;
  Tuple<Types...>& operator=(Tuple<Types...>&& other) noexcept = default;

  /*! \brief Zero-copy upcast from a tuple whose element types are contained in Types. */
  template <typename... UTypes, typename = std::enable_if_t<
                                    details::type_contains_v<Tuple<Types...>, Tuple<UTypes...>>>>
  Tuple(const Tuple<UTypes...>& other)  // NOLINT(*)
      : ObjectRef(details::ObjectUnsafe::ObjectPtrFromObjectRef<Object>(other)) {}
  template <typename... UTypes, typename = std::enable_if_t<
                                    details::type_contains_v<Tuple<Types...>, Tuple<UTypes...>>>>
  Tuple(Tuple<UTypes...>&& other)  // NOLINT(*)
      : ObjectRef(details::ObjectUnsafe::ObjectPtrFromObjectRef<Object>(std::move(other))) {}
  template <typename... UTypes, typename = std::enable_if_t<
                                    details::type_contains_v<Tuple<Types...>, Tuple<UTypes...>>>>
  Tuple<Types...>& operator=(const Tuple<UTypes...>& other) {
    data_ = details::ObjectUnsafe::ObjectPtrFromObjectRef<Object>(other);
    return *this;
  }
  template <typename... UTypes, typename = std::enable_if_t<
                                    details::type_contains_v<Tuple<Types...>, Tuple<UTypes...>>>>
  Tuple<Types...>& operator=(Tuple<UTypes...>&& other) {
    data_ = details::ObjectUnsafe::ObjectPtrFromObjectRef<Object>(std::move(other));
    return *this;
  }

  /*!
   * \brief Build from one value per element (each converted to its element type). A single
   * Tuple argument selects the copy/upcast constructors instead.
   */
  template <typename... UTypes,
            typename = std::enable_if_t<
                sizeof...(Types) == sizeof...(UTypes) &&
                !(sizeof...(UTypes) == 1 &&
                  (details::is_tuple_v<std::remove_cv_t<std::remove_reference_t<UTypes>>> && ...))>>
  explicit Tuple(UTypes&&... args) : ObjectRef(MakeTupleNode(std::forward<UTypes>(args)...)) {}

  /*! \return element I as its declared type. */
  template <size_t I>
  auto get() const& {
    static_assert(I < sizeof...(Types), "Tuple index out of range");
    using ElemType = std::tuple_element_t<I, std::tuple<Types...>>;
    const ArrayObj* arr = static_cast<const ArrayObj*>(data_.get());
    return details::AnyUnsafe::CopyFromAnyViewAfterCheck<ElemType>(arr->begin()[I]);
  }
  /*! \return element I, moved out when this tuple is the only owner of its storage. */
  template <size_t I>
  auto get() && {
    static_assert(I < sizeof...(Types), "Tuple index out of range");
    using ElemType = std::tuple_element_t<I, std::tuple<Types...>>;
    if (data_.unique()) {
      Any& cell = static_cast<ArrayObj*>(data_.get())->MutableBegin()[I];
      return details::AnyUnsafe::MoveFromAnyAfterCheck<ElemType>(std::move(cell));
    }
    return static_cast<const Tuple&>(*this).template get<I>();
  }

  /*! \brief Overwrite element I (the array is copied first when shared). */
  template <size_t I, typename U>
  void Set(U&& item) {
    static_assert(I < sizeof...(Types), "Tuple index out of range");
    using ElemType = std::tuple_element_t<I, std::tuple<Types...>>;
    Any cell = details::AnyAsStored<ElemType>(std::forward<U>(item));
    CopyIfNotUnique();
    static_cast<ArrayObj*>(data_.get())->MutableBegin()[I] = std::move(cell);
  }

 private:
  /*! \brief Give this reference its own copy of the array (same capacity) when shared. */
  void CopyIfNotUnique() {
    if (!data_.unique()) {
      ArrayObj* arr = static_cast<ArrayObj*>(data_.get());
      data_ = ObjectPtr<Object>(ArrayObj::CopyFrom(arr->capacity_, arr));
    }
  }

  template <typename... UTypes>
  static ObjectPtr<Object> MakeTupleNode(UTypes&&... args) {
    ObjectPtr<ArrayObj> arr = ArrayObj::Empty(static_cast<int64_t>(sizeof...(Types)));
    Any* cells = arr->MutableBegin();
    // elements are constructed left to right; size_ counts the constructed ones
    ((new (cells + arr->size_) Any(details::AnyAsStored<Types>(std::forward<UTypes>(args))),
      ++arr->size_),
     ...);
    return arr;
  }

  template <typename...>
  friend class Tuple;
  template <typename, typename>
  friend struct TypeTraits;
};

template <typename... Types>
inline constexpr bool use_default_type_traits_v<Tuple<Types...>> = false;

/*!
 * \brief Any <-> Tuple<Types...>: an array object of exactly sizeof...(Types) elements; it is
 * shared when every element passes its strict check, otherwise converted element-wise into a
 * new array.
 */
template <typename... Types>
struct TypeTraits<Tuple<Types...>> : public ObjectRefTypeTraitsBase<Tuple<Types...>> {
  static constexpr int32_t field_static_type_index = TypeIndex::kTVMFFIArray;
  using ObjectRefTypeTraitsBase<Tuple<Types...>>::CopyFromAnyViewAfterCheck;

  TVM_FFI_INLINE static bool CheckAnyStrict(const TVMFFIAny* src) {
    if (src->type_index != TypeIndex::kTVMFFIArray) return false;
    const ArrayObj* arr = reinterpret_cast<const ArrayObj*>(src->v_obj);
    if (arr->size() != sizeof...(Types)) return false;
    return CheckElements(arr->begin(), std::index_sequence_for<Types...>{});
  }

  TVM_FFI_INLINE static std::optional<Tuple<Types...>> TryCastFromAnyView(const TVMFFIAny* src) {
    if (src->type_index != TypeIndex::kTVMFFIArray) return std::nullopt;
    const ArrayObj* arr = reinterpret_cast<const ArrayObj*>(src->v_obj);
    if (arr->size() != sizeof...(Types)) return std::nullopt;
    if (CheckElements(arr->begin(), std::index_sequence_for<Types...>{})) {
      return CopyFromAnyViewAfterCheck(src);
    }
    ObjectPtr<ArrayObj> result = ArrayObj::Empty(static_cast<int64_t>(sizeof...(Types)));
    if (!ConvertElements(arr->begin(), result.get(), std::index_sequence_for<Types...>{})) {
      return std::nullopt;
    }
    return details::ObjectUnsafe::ObjectRefFromObjectPtr<Tuple<Types...>>(
        ObjectPtr<Object>(std::move(result)));
  }

  TVM_FFI_INLINE static std::string GetMismatchTypeInfo(const TVMFFIAny* src) {
    if (src->type_index != TypeIndex::kTVMFFIArray) {
      return TypeTraitsBase::GetMismatchTypeInfo(src);
    }
    const ArrayObj* arr = reinterpret_cast<const ArrayObj*>(src->v_obj);
    if (arr->size() != sizeof...(Types)) {
      return "Array[size=" + std::to_string(arr->size()) + "]";
    }
    std::string result;
    MismatchInfo(arr->begin(), &result, std::index_sequence_for<Types...>{});
    return result.empty() ? TypeTraitsBase::GetMismatchTypeInfo(src) : result;
  }

  static std::string TypeStr() {
    std::string result = "Tuple<";
    size_t index = 0;
    ((result += (index++ == 0 ? "" : ", ") + details::ElementTypeStr<Types>()), ...);
    return result + ">";
  }
  static std::string TypeSchema() {
    std::string result = R"({"type":"Tuple","args":[)";
    size_t index = 0;
    ((result += (index++ == 0 ? "" : ",") + details::ElementTypeSchema<Types>()), ...);
    return result + "]}";
  }

 private:
  template <size_t... I>
  static bool CheckElements(const Any* cells, std::index_sequence<I...>) {
    return (details::AnyUnsafe::CheckAnyStrict<Types>(cells[I]) && ...);
  }

  template <size_t I, typename T>
  static bool ConvertElement(const Any* cells, ArrayObj* out) {
    std::optional<T> value = cells[I].try_cast<T>();
    if (!value.has_value()) return false;
    new (out->MutableEnd()) Any(*std::move(value));
    ++out->size_;
    return true;
  }
  template <size_t... I>
  static bool ConvertElements(const Any* cells, ArrayObj* out, std::index_sequence<I...>) {
    return (ConvertElement<I, Types>(cells, out) && ...);
  }

  template <size_t I, typename T>
  static void MismatchOne(const Any* cells, std::string* result) {
    if constexpr (!std::is_same_v<T, Any>) {
      if (!result->empty()) return;
      if (details::AnyUnsafe::CheckAnyStrict<T>(cells[I])) return;
      if (cells[I].try_cast<T>().has_value()) return;
      *result = "Array[index " + std::to_string(I) + ": " +
                details::AnyUnsafe::GetMismatchTypeInfo<T>(cells[I]) + "]";
    }
  }
  template <size_t... I>
  static void MismatchInfo(const Any* cells, std::string* result, std::index_sequence<I...>) {
    (MismatchOne<I, Types>(cells, result), ...);
  }
};

/*! \brief `Tuple(1, 2.0)` is a `Tuple<int, double>`. */
template <typename... UTypes>
Tuple(UTypes...) -> Tuple<UTypes...>;

/*! \brief Element I of a tuple (free form, as for std::tuple). */
template <size_t I, typename... Types>
auto get(const Tuple<Types...>& tuple) {
  return tuple.template get<I>();
}
template <size_t I, typename... Types>
auto get(Tuple<Types...>&& tuple) {
  return std::move(tuple).template get<I>();
}

}  // namespace ffi
}  // namespace tvm

namespace std {
/*! \brief Tuple is tuple-like: `auto [a, b] = Tuple<int, String>(1, "x");`. */
template <typename... Types>
struct tuple_size<::tvm::ffi::Tuple<Types...>>
    : public integral_constant<size_t, sizeof...(Types)> {};
template <size_t I, typename... Types>
struct tuple_element<I, ::tvm::ffi::Tuple<Types...>> {
  using type = tuple_element_t<I, tuple<Types...>>;
};
}  // namespace std

#endif  // TVM_FFI_CONTAINER_TUPLE_H_
