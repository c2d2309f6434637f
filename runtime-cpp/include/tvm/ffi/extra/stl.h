/*!
 * \file tvm/ffi/extra/stl.h
 * \brief Standard library types as Function arguments and results.
 *
 * | C++ type                         | C++ -> Any                     | Any -> C++                     |
 * |----------------------------------|--------------------------------|--------------------------------|
 * | std::vector<T>                   | new ffi.Array                  | ffi.Array or ffi.List          |
 * | std::array<T, N> (N > 0)         | new ffi.Array                  | ffi.Array of exactly N items   |
 * | std::tuple<A...> (non-empty)     | new ffi.Array                  | ffi.Array of exactly that size |
 * | std::map / std::unordered_map    | new ffi.Map                    | ffi.Map (first of equal keys)  |
 * | std::optional<T>                 | None or the value              | None -> nullopt, else T        |
 * | std::variant<A...>               | the active alternative         | best alternative (see below)   |
 * | std::function<R(A...)>           | new ffi.Function               | an ffi.Function, called typed  |
 *
 * Every element converts with its own rules (a failing element fails the whole conversion).
 * A std::variant first looks for an alternative that holds the value exactly (an int goes to
 * an `int` alternative even when `double` comes first) and only then converts, trying the
 * alternatives in order.
 *
 * Conversions that build a new FFI object have no borrowed (AnyView) form: such a view could
 * never release the object. `Function::operator()`, `CallExpected` and `InvokeExternC` turn
 * these arguments into owning Any temporaries that are released when the call returns; an
 * AnyView (or `PackedArgs::Fill`) cannot be built from them directly. The STL types are not
 * storage types: they cannot be container elements, and `Any::as<std::vector<T>>()` does not
 * exist (use `cast` / `try_cast`).
 */
#ifndef TVM_FFI_EXTRA_STL_H_
#define TVM_FFI_EXTRA_STL_H_

#include <tvm/ffi/any.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/function.h>

#include <array>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

namespace tvm {
namespace ffi {
namespace details {

/*! \brief Whether TypeTraits<T> has a strict check (types with an exact Any form). */
template <typename T, typename = void>
inline constexpr bool has_strict_check_v = false;
template <typename T>
inline constexpr bool has_strict_check_v<T, std::void_t<decltype(TypeTraits<T>::CheckAnyStrict(
                                                static_cast<const TVMFFIAny*>(nullptr)))>> = true;

/*! \brief One element of an STL container as an owning Any. */
template <typename T, typename U>
Any StlElementToAny(U&& value) {
  if constexpr (std::is_same_v<T, Any>) {
    return Any(std::forward<U>(value));
  } else {
    return Any(T(std::forward<U>(value)));
  }
}

/*! \brief Lenient conversion of one cell to an STL element type. */
template <typename T>
std::optional<T> StlElementFromCell(const TVMFFIAny* cell) {
  if constexpr (std::is_same_v<T, Any>) {
    return Any(AnyView::CopyFromTVMFFIAny(*cell));
  } else {
    return TypeTraits<T>::TryCastFromAnyView(cell);
  }
}

/*! \brief The cells of an ffi.Array (and, when allowed, ffi.List) object, or nullptr. */
inline const TVMFFISeqCell* StlSequenceCell(const TVMFFIAny* src, bool allow_list) {
  if (src->type_index == kTVMFFIArray || (allow_list && src->type_index == kTVMFFIList)) {
    return reinterpret_cast<const TVMFFISeqCell*>(reinterpret_cast<const char*>(src->v_obj) +
                                                  sizeof(TVMFFIObject));
  }
  return nullptr;
}

inline const TVMFFIAny* StlSequenceData(const TVMFFISeqCell* cell) {
  return static_cast<const TVMFFIAny*>(cell->data);
}

/*! \brief Write a freshly built Array/Map/Function into a result cell (ownership moves). */
template <typename TRef>
void StlMoveRefToAny(TRef ref, TVMFFIAny* result) {
  *result = AnyUnsafe::MoveAnyToTVMFFIAny(Any(std::move(ref)));
}

/*! \brief Type names joined with ", ". */
template <typename... Ts>
std::string StlJoinTypeStr() {
  std::string out;
  ((out += (out.empty() ? "" : ", ") + Type2Str<Ts>::v()), ...);
  return out;
}
/*! \brief Type schemas joined with `sep`. */
template <typename... Ts>
std::string StlJoinTypeSchema(const char* sep) {
  std::string out;
  bool first = true;
  ((out += (first ? "" : sep) + TypeSchemaOf<Ts>(), first = false), ...);
  return out;
}

/*! \brief Shared by the traits of this header: convertible, never a storage type. */
struct StlTypeTraitsBase : public TypeTraitsBase {
  static constexpr bool storage_enabled = false;
};

/*! \brief Array-backed sequences: build an ffi.Array from any range of elements. */
template <typename T, typename Range>
void StlRangeToAny(Range&& range, TVMFFIAny* result) {
  std::vector<Any> items;
  items.reserve(std::size(range));
  for (auto&& item : range) {
    if constexpr (std::is_rvalue_reference_v<Range&&>) {
      items.push_back(StlElementToAny<T>(std::move(item)));
    } else {
      items.push_back(StlElementToAny<T>(item));
    }
  }
  StlMoveRefToAny(
      Array<Any>(std::make_move_iterator(items.begin()), std::make_move_iterator(items.end())),
      result);
}

template <typename K, typename V, typename TMap>
void StlMapToAny(TMap&& src, TVMFFIAny* result) {
  Map<Any, Any> map;
  for (auto&& kv : src) {
    map.Set(StlElementToAny<K>(kv.first), StlElementToAny<V>(kv.second));
  }
  StlMoveRefToAny(std::move(map), result);
}

/*! \brief Fill a std::map / std::unordered_map from an ffi.Map cell (first equal key wins). */
template <typename K, typename V, typename TMap>
std::optional<TMap> StlMapFromAny(const TVMFFIAny* src) {
  if (src->type_index != kTVMFFIMap) return std::nullopt;
  const MapObj* obj = reinterpret_cast<const MapObj*>(src->v_obj);
  TMap out;
  for (const auto& kv : *obj) {
    std::optional<K> key = StlElementFromCell<K>(AnyUnsafe::TVMFFIAnyPtrFromAny(kv.first));
    if (!key.has_value()) return std::nullopt;
    std::optional<V> value = StlElementFromCell<V>(AnyUnsafe::TVMFFIAnyPtrFromAny(kv.second));
    if (!value.has_value()) return std::nullopt;
    out.emplace(*std::move(key), *std::move(value));
  }
  return out;
}

}  // namespace details

// ---------------------------------------------------------------------------------------
// std::vector<T>
// ---------------------------------------------------------------------------------------
template <typename T, typename Alloc>
inline constexpr bool use_default_type_traits_v<std::vector<T, Alloc>> = false;

template <typename T>
struct TypeTraits<std::vector<T>> : public details::StlTypeTraitsBase {
  static void MoveToAny(std::vector<T> src, TVMFFIAny* result) {
    if constexpr (std::is_same_v<T, bool>) {
      details::StlRangeToAny<T>(src, result);  // vector<bool> has proxy elements
    } else {
      details::StlRangeToAny<T>(std::move(src), result);
    }
  }
  static std::optional<std::vector<T>> TryCastFromAnyView(const TVMFFIAny* src) {
    const TVMFFISeqCell* seq = details::StlSequenceCell(src, /*allow_list=*/true);
    if (seq == nullptr) return std::nullopt;
    std::vector<T> out;
    out.reserve(static_cast<size_t>(seq->size));
    const TVMFFIAny* cells = details::StlSequenceData(seq);
    for (int64_t i = 0; i < seq->size; ++i) {
      std::optional<T> item = details::StlElementFromCell<T>(cells + i);
      if (!item.has_value()) return std::nullopt;
      out.push_back(*std::move(item));
    }
    return out;
  }
  static std::string TypeStr() { return "std::vector<" + details::Type2Str<T>::v() + ">"; }
  static std::string TypeSchema() {
    return R"({"type":"std::vector","args":[)" + details::TypeSchemaOf<T>() + "]}";
  }
};

// ---------------------------------------------------------------------------------------
// std::array<T, N>
// ---------------------------------------------------------------------------------------
template <typename T, size_t N>
inline constexpr bool use_default_type_traits_v<std::array<T, N>> = false;

template <typename T, size_t N>
struct TypeTraits<std::array<T, N>> : public details::StlTypeTraitsBase {
  static_assert(N > 0, "std::array<T, 0> cannot cross the FFI");
  static void MoveToAny(std::array<T, N> src, TVMFFIAny* result) {
    details::StlRangeToAny<T>(std::move(src), result);
  }
  static std::optional<std::array<T, N>> TryCastFromAnyView(const TVMFFIAny* src) {
    const TVMFFISeqCell* seq = details::StlSequenceCell(src, /*allow_list=*/false);
    if (seq == nullptr || seq->size != static_cast<int64_t>(N)) return std::nullopt;
    const TVMFFIAny* cells = details::StlSequenceData(seq);
    return ConvertAll(cells, std::make_index_sequence<N>{});
  }
  static std::string TypeStr() {
    return "std::array<" + details::Type2Str<T>::v() + ", " + std::to_string(N) + ">";
  }
  static std::string TypeSchema() {
    return R"({"type":"std::array","args":[)" + details::TypeSchemaOf<T>() + "," +
           std::to_string(N) + "]}";
  }

 private:
  template <size_t... Is>
  static std::optional<std::array<T, N>> ConvertAll(const TVMFFIAny* cells,
                                                    std::index_sequence<Is...>) {
    std::array<std::optional<T>, N> items{details::StlElementFromCell<T>(cells + Is)...};
    for (const std::optional<T>& item : items) {
      if (!item.has_value()) return std::nullopt;
    }
    return std::array<T, N>{*std::move(items[Is])...};
  }
};

// ---------------------------------------------------------------------------------------
// std::tuple<A...>
// ---------------------------------------------------------------------------------------
template <typename... Ts>
inline constexpr bool use_default_type_traits_v<std::tuple<Ts...>> = false;

template <typename... Ts>
struct TypeTraits<std::tuple<Ts...>> : public details::StlTypeTraitsBase {
  static_assert(sizeof...(Ts) > 0, "std::tuple<> cannot cross the FFI");
  static void MoveToAny(std::tuple<Ts...> src, TVMFFIAny* result) {
    std::vector<Any> items;
    items.reserve(sizeof...(Ts));
    std::apply(
        [&items](auto&&... elems) {
          (items.push_back(details::StlElementToAny<Ts>(std::move(elems))), ...);
        },
        std::move(src));
    details::StlMoveRefToAny(
        Array<Any>(std::make_move_iterator(items.begin()), std::make_move_iterator(items.end())),
        result);
  }
  static std::optional<std::tuple<Ts...>> TryCastFromAnyView(const TVMFFIAny* src) {
    const TVMFFISeqCell* seq = details::StlSequenceCell(src, /*allow_list=*/false);
    if (seq == nullptr || seq->size != static_cast<int64_t>(sizeof...(Ts))) return std::nullopt;
    return ConvertAll(details::StlSequenceData(seq), std::index_sequence_for<Ts...>{});
  }
  static std::string TypeStr() { return "std::tuple<" + details::StlJoinTypeStr<Ts...>() + ">"; }
  static std::string TypeSchema() {
    return R"({"type":"std::tuple","args":[)" + details::StlJoinTypeSchema<Ts...>(", ") + "]}";
  }

 private:
  template <size_t... Is>
  static std::optional<std::tuple<Ts...>> ConvertAll(const TVMFFIAny* cells,
                                                     std::index_sequence<Is...>) {
    std::tuple<std::optional<Ts>...> items{details::StlElementFromCell<Ts>(cells + Is)...};
    if (!(std::get<Is>(items).has_value() && ...)) return std::nullopt;
    return std::tuple<Ts...>{*std::move(std::get<Is>(items))...};
  }
};

// ---------------------------------------------------------------------------------------
// std::map<K, V>, std::unordered_map<K, V>
// ---------------------------------------------------------------------------------------
template <typename K, typename V>
inline constexpr bool use_default_type_traits_v<std::map<K, V>> = false;
template <typename K, typename V>
inline constexpr bool use_default_type_traits_v<std::unordered_map<K, V>> = false;

template <typename K, typename V>
struct TypeTraits<std::map<K, V>> : public details::StlTypeTraitsBase {
  static void MoveToAny(std::map<K, V> src, TVMFFIAny* result) {
    details::StlMapToAny<K, V>(src, result);
  }
  static std::optional<std::map<K, V>> TryCastFromAnyView(const TVMFFIAny* src) {
    return details::StlMapFromAny<K, V, std::map<K, V>>(src);
  }
  static std::string TypeStr() { return "std::map<" + details::StlJoinTypeStr<K, V>() + ">"; }
  static std::string TypeSchema() {
    return R"({"type":"std::map","args":[)" + details::StlJoinTypeSchema<K, V>(",") + "]}";
  }
};

template <typename K, typename V>
struct TypeTraits<std::unordered_map<K, V>> : public details::StlTypeTraitsBase {
  static void MoveToAny(std::unordered_map<K, V> src, TVMFFIAny* result) {
    details::StlMapToAny<K, V>(src, result);
  }
  static std::optional<std::unordered_map<K, V>> TryCastFromAnyView(const TVMFFIAny* src) {
    return details::StlMapFromAny<K, V, std::unordered_map<K, V>>(src);
  }
  static std::string TypeStr() {
    return "std::unordered_map<" + details::StlJoinTypeStr<K, V>() + ">";
  }
  static std::string TypeSchema() {
    return R"({"type":"std::unordered_map","args":[)" + details::StlJoinTypeSchema<K, V>(",") +
           "]}";
  }
};

// ---------------------------------------------------------------------------------------
// std::optional<T>
// ---------------------------------------------------------------------------------------
namespace details {
/*! \brief Borrowed form of std::optional<T>, present only when T has one. */
template <typename T, bool kHasView = view_convertible_v<T>>
struct StlOptionalView {};
template <typename T>
struct StlOptionalView<T, true> {
  static void CopyToAnyView(const std::optional<T>& src, TVMFFIAny* result) {
    if (src.has_value()) {
      TypeTraits<T>::CopyToAnyView(*src, result);
    } else {
      WritePODHeader(kTVMFFINone, result);
    }
  }
};
/*! \brief Strict reading of std::optional<T>, present only when T is a storage type. */
template <typename T, bool kHasStrict = has_strict_check_v<T> && TypeTraits<T>::storage_enabled>
struct StlOptionalStrict {};
template <typename T>
struct StlOptionalStrict<T, true> {
  static bool CheckAnyStrict(const TVMFFIAny* src) {
    return src->type_index == kTVMFFINone || TypeTraits<T>::CheckAnyStrict(src);
  }
  static std::optional<T> CopyFromAnyViewAfterCheck(const TVMFFIAny* src) {
    if (src->type_index == kTVMFFINone) return std::nullopt;
    return TypeTraits<T>::CopyFromAnyViewAfterCheck(src);
  }
  static std::optional<T> MoveFromAnyAfterCheck(TVMFFIAny* src) {
    if (src->type_index == kTVMFFINone) return std::nullopt;
    return TypeTraits<T>::MoveFromAnyAfterCheck(src);
  }
};
}  // namespace details

template <typename T>
inline constexpr bool use_default_type_traits_v<std::optional<T>> = false;

template <typename T>
struct TypeTraits<std::optional<T>> : public TypeTraitsBase,
                                      public details::StlOptionalView<T>,
                                      public details::StlOptionalStrict<T> {
  static constexpr bool storage_enabled =
      TypeTraits<T>::storage_enabled && details::has_strict_check_v<T>;
  static void MoveToAny(std::optional<T> src, TVMFFIAny* result) {
    if (src.has_value()) {
      *result = details::AnyUnsafe::MoveAnyToTVMFFIAny(Any(*std::move(src)));
    } else {
      details::WritePODHeader(kTVMFFINone, result);
    }
  }
  static std::optional<std::optional<T>> TryCastFromAnyView(const TVMFFIAny* src) {
    if (src->type_index == kTVMFFINone) return std::optional<T>(std::nullopt);
    if (std::optional<T> value = details::StlElementFromCell<T>(src)) {
      return std::optional<T>(*std::move(value));
    }
    return std::nullopt;
  }
  static std::string GetMismatchTypeInfo(const TVMFFIAny* src) {
    if constexpr (std::is_same_v<T, Any>) {
      return details::AnyTypeKey(src);
    } else {
      return TypeTraits<T>::GetMismatchTypeInfo(src);
    }
  }
  static std::string TypeStr() { return "std::optional<" + details::Type2Str<T>::v() + ">"; }
  static std::string TypeSchema() {
    return R"({"type":"std::optional","args":[)" + details::TypeSchemaOf<T>() + "]}";
  }
};

// ---------------------------------------------------------------------------------------
// std::variant<A...>
// ---------------------------------------------------------------------------------------
namespace details {
template <bool kHasView, typename... Ts>
struct StlVariantView {};
template <typename... Ts>
struct StlVariantView<true, Ts...> {
  static void CopyToAnyView(const std::variant<Ts...>& src, TVMFFIAny* result) {
    std::visit(
        [result](const auto& value) {
          TypeTraits<std::decay_t<decltype(value)>>::CopyToAnyView(value, result);
        },
        src);
  }
};

/*! \brief The first alternative (in order) whose strict check accepts the cell. */
template <typename TVariant, size_t I, typename... Ts>
std::optional<TVariant> StlVariantStrict(const TVMFFIAny* src) {
  if constexpr (I == sizeof...(Ts)) {
    return std::nullopt;
  } else {
    using Alt = std::variant_alternative_t<I, std::variant<Ts...>>;
    if constexpr (has_strict_check_v<Alt>) {
      if (TypeTraits<Alt>::CheckAnyStrict(src)) {
        return TVariant(std::in_place_index<I>, TypeTraits<Alt>::CopyFromAnyViewAfterCheck(src));
      }
    }
    return StlVariantStrict<TVariant, I + 1, Ts...>(src);
  }
}

/*! \brief The first alternative (in order) that the cell converts to. */
template <typename TVariant, size_t I, typename... Ts>
std::optional<TVariant> StlVariantConvert(const TVMFFIAny* src) {
  if constexpr (I == sizeof...(Ts)) {
    return std::nullopt;
  } else {
    using Alt = std::variant_alternative_t<I, std::variant<Ts...>>;
    if (std::optional<Alt> value = StlElementFromCell<Alt>(src)) {
      return TVariant(std::in_place_index<I>, *std::move(value));
    }
    return StlVariantConvert<TVariant, I + 1, Ts...>(src);
  }
}
}  // namespace details

template <typename... Ts>
inline constexpr bool use_default_type_traits_v<std::variant<Ts...>> = false;

template <typename... Ts>
struct TypeTraits<std::variant<Ts...>>
    : public TypeTraitsBase,
      public details::StlVariantView<(details::view_convertible_v<Ts> && ...), Ts...> {
  static constexpr bool storage_enabled = false;
  static void MoveToAny(std::variant<Ts...> src, TVMFFIAny* result) {
    std::visit(
        [result](auto&& value) {
          *result = details::AnyUnsafe::MoveAnyToTVMFFIAny(Any(std::move(value)));
        },
        std::move(src));
  }
  /*! \brief An exact match wins over an earlier alternative that merely converts. */
  static std::optional<std::variant<Ts...>> TryCastFromAnyView(const TVMFFIAny* src) {
    using TVariant = std::variant<Ts...>;
    if (std::optional<TVariant> exact = details::StlVariantStrict<TVariant, 0, Ts...>(src)) {
      return exact;
    }
    return details::StlVariantConvert<TVariant, 0, Ts...>(src);
  }
  static std::string TypeStr() { return "std::variant<" + details::StlJoinTypeStr<Ts...>() + ">"; }
  static std::string TypeSchema() {
    return R"({"type":"std::variant","args":[)" + details::StlJoinTypeSchema<Ts...>(", ") + "]}";
  }
};

// ---------------------------------------------------------------------------------------
// std::function<R(A...)>
// ---------------------------------------------------------------------------------------
template <typename R, typename... Args>
inline constexpr bool use_default_type_traits_v<std::function<R(Args...)>> = false;

template <typename R, typename... Args>
struct TypeTraits<std::function<R(Args...)>> : public details::StlTypeTraitsBase {
  static void MoveToAny(std::function<R(Args...)> src, TVMFFIAny* result) {
    if (!src) {
      details::WritePODHeader(kTVMFFINone, result);
      return;
    }
    details::StlMoveRefToAny(Function::FromTyped(std::move(src)), result);
  }
  /*! \brief An ffi.Function, called with Args and its result converted to R. */
  static std::optional<std::function<R(Args...)>> TryCastFromAnyView(const TVMFFIAny* src) {
    if (src->type_index != kTVMFFIFunction) return std::nullopt;
    TypedFunction<R(Args...)> typed(TypeTraits<Function>::CopyFromAnyViewAfterCheck(src));
    return std::function<R(Args...)>(
        [typed = std::move(typed)](Args... args) -> R { return typed(std::move(args)...); });
  }
  static std::string TypeStr() {
    return "std::function<" + details::Type2Str<R>::v() + "(" + details::StlJoinTypeStr<Args...>() +
           ")>";
  }
  static std::string TypeSchema() { return details::FunctionInfo<R(Args...)>::TypeSchema(); }
};

}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_EXTRA_STL_H_
