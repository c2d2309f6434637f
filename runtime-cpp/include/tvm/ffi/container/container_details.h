/*!
 * \file tvm/ffi/container/container_details.h
 * \brief Building blocks shared by the container headers (Array, Map, Tuple, Variant, Shape).
 *
 * Nothing here is user API; it lives in namespace `details`:
 * - InplaceArrayBase: addressing of elements stored in the same allocation, right after an
 *   object (the "inplace" layout used by ArrayObj, SmallMapObj and ShapeObj);
 * - IterAdapter / ReverseIterAdapter: wrap a raw iterator and convert on dereference;
 * - storage_enabled_v / type_contains_v / all_object_ref_v: compile-time predicates that
 *   decide which element types a container accepts and which conversions between
 *   containers are zero-copy;
 * - AnyAsStored<T>: build the owning Any cell that a container of T stores for a value.
 */
#ifndef TVM_FFI_CONTAINER_CONTAINER_DETAILS_H_
#define TVM_FFI_CONTAINER_CONTAINER_DETAILS_H_

#include <tvm/ffi/any.h>
#include <tvm/ffi/memory.h>
#include <tvm/ffi/object.h>

#include <cstddef>
#include <iterator>
#include <new>
#include <string>
#include <type_traits>
#include <utility>

namespace tvm {
namespace ffi {
namespace details {

/*!
 * \brief Test hook: befriended by the container objects so that layout tests can check the
 * offsets of their private fields with offsetof. Never defined by the library.
 */
struct ContainerLayoutProbe;

/*!
 * \brief Element addressing for objects whose elements live in the same allocation directly
 * after the object (see make_inplace_array_object).
 *
 * The derived class (CRTP parameter ArrayType) owns the element lifetime: this base neither
 * constructs nor destroys anything on its own, it only computes addresses. Element i lives at
 * `(char*)object + sizeof(ArrayType) + i * sizeof(ElemType)`.
 *
 * \tparam ArrayType The object class (derives from this base).
 * \tparam ElemType The element type stored after the object.
 */
template <typename ArrayType, typename ElemType>
class InplaceArrayBase {
 protected:
  /*! \return address of the idx-th trailing element slot (constructed or not). */
  void* AddressOf(size_t idx) const {
    static_assert(alignof(ArrayType) % alignof(ElemType) == 0,
                  "element alignment must divide the object alignment");
    static_assert(sizeof(ArrayType) % alignof(ElemType) == 0,
                  "trailing elements must be aligned right after the object");
    const ArrayType* self = static_cast<const ArrayType*>(this);
    const char* first = reinterpret_cast<const char*>(self) + sizeof(ArrayType);
    return const_cast<char*>(first + idx * sizeof(ElemType));
  }

  /*! \brief Placement-construct element idx from args (the slot must be raw memory). */
  template <typename... Args>
  void EmplaceInit(size_t idx, Args&&... args) {
    new (AddressOf(idx)) ElemType(std::forward<Args>(args)...);
  }
};

/*!
 * \brief Iterator wrapper that converts every dereferenced element with Converter.
 *
 * \tparam Converter Provides `using ResultType` and `static ResultType convert(const X&)`.
 * \tparam TIter The wrapped iterator.
 */
template <typename Converter, typename TIter>
class IterAdapter {
 public:
  using difference_type = typename std::iterator_traits<TIter>::difference_type;
  using value_type = typename Converter::ResultType;
  using pointer = typename Converter::ResultType*;
  using reference = typename Converter::ResultType&;
  using iterator_category = typename std::iterator_traits<TIter>::iterator_category;

  IterAdapter() = default;
  explicit IterAdapter(TIter iter) : iter_(iter) {}

  IterAdapter& operator++() {
    ++iter_;
    return *this;
  }
  IterAdapter& operator--() {
    --iter_;
    return *this;
  }
  IterAdapter operator++(int) {
    IterAdapter copy = *this;
    ++iter_;
    return copy;
  }
  IterAdapter operator--(int) {
    IterAdapter copy = *this;
    --iter_;
    return copy;
  }
  IterAdapter operator+(difference_type offset) const { return IterAdapter(iter_ + offset); }
  IterAdapter operator-(difference_type offset) const { return IterAdapter(iter_ - offset); }
  IterAdapter& operator+=(difference_type offset) {
    iter_ += offset;
    return *this;
  }
  IterAdapter& operator-=(difference_type offset) {
    iter_ -= offset;
    return *this;
  }
  template <typename T = IterAdapter>
  std::enable_if_t<std::is_same_v<iterator_category, std::random_access_iterator_tag>,
                   typename T::difference_type>
  operator-(const IterAdapter& rhs) const {
    return iter_ - rhs.iter_;
  }
  bool operator==(const IterAdapter& other) const { return iter_ == other.iter_; }
  bool operator!=(const IterAdapter& other) const { return iter_ != other.iter_; }
  bool operator<(const IterAdapter& other) const { return iter_ < other.iter_; }
  const value_type operator*() const { return Converter::convert(*iter_); }
  const value_type operator[](difference_type offset) const {
    return Converter::convert(iter_[offset]);
  }

 private:
  TIter iter_{};
};

/*!
 * \brief Like IterAdapter, walking the wrapped iterator backwards (std::reverse_iterator
 * semantics: constructed from the position one past the element it yields).
 */
template <typename Converter, typename TIter>
using ReverseIterAdapter = IterAdapter<Converter, std::reverse_iterator<TIter>>;

/*!
 * \brief Whether T may be an element of a container: Any itself, or a type that an owning
 * Any can hold (so not views such as `const char*`, `DLTensor*` or TensorView).
 */
template <typename T>
inline constexpr bool storage_enabled_v = std::is_same_v<T, Any> || TypeTraits<T>::storage_enabled;

/*! \brief storage_enabled_v for every type of a pack. */
template <typename... T>
inline constexpr bool all_storage_enabled_v = (storage_enabled_v<T> && ...);

/*! \brief Whether every type of a pack is an ObjectRef (sub)class. */
template <typename... T>
inline constexpr bool all_object_ref_v = (std::is_base_of_v<ObjectRef, T> && ...);

/*!
 * \brief TypeContains<Base, Derived>::value says that every value stored for Derived is
 * already a valid stored value of Base, so a container of Derived can be reinterpreted as a
 * container of Base without touching the elements.
 *
 * The primary template covers: identical types, Base = Any, and ObjectRef subclasses in a
 * class hierarchy. array.h, map.h, tuple.h and variant.h add the recursive cases.
 */
template <typename Base, typename Derived>
struct TypeContains {
  static constexpr bool value =
      std::is_same_v<Base, Derived> || std::is_same_v<Base, Any> ||
      (std::is_base_of_v<ObjectRef, Base> && std::is_base_of_v<Base, Derived>);
};

template <typename Base, typename Derived>
inline constexpr bool type_contains_v = TypeContains<Base, Derived>::value;

/*!
 * \brief The owning cell a container of T stores for `value`.
 *
 * When the value's type differs from T it is first converted to T, so the cell holds T's
 * canonical storage form (e.g. an int stored into a container of double becomes a Float
 * cell) and typed reads can trust the cell.
 */
template <typename T, typename U>
TVM_FFI_INLINE Any AnyAsStored(U&& value) {
  using RawU = std::remove_cv_t<std::remove_reference_t<U>>;
  if constexpr (!std::is_same_v<T, Any> &&
                (std::is_same_v<RawU, Any> || std::is_same_v<RawU, AnyView>)) {
    // a type-erased value: convert it (throws TypeError when it is not a T)
    return Any(AnyView(value).template cast<T>());
  } else if constexpr (std::is_same_v<T, Any> || std::is_same_v<RawU, T> ||
                       !std::is_constructible_v<T, U&&>) {
    return Any(std::forward<U>(value));
  } else {
    return Any(T(std::forward<U>(value)));
  }
}

/*! \brief Type name of a container element for TypeStr() ("Any" for Any). */
template <typename T>
inline std::string ElementTypeStr() {
  if constexpr (std::is_same_v<T, Any>) {
    return "Any";
  } else {
    return TypeTraits<T>::TypeStr();
  }
}

/*! \brief JSON type schema of a container element ({"type":"Any"} for Any). */
template <typename T>
inline std::string ElementTypeSchema() {
  if constexpr (std::is_same_v<T, Any>) {
    return R"({"type":"Any"})";
  } else {
    return TypeTraits<T>::TypeSchema();
  }
}

}  // namespace details
}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_CONTAINER_CONTAINER_DETAILS_H_
