/*!
 * \file tvm/ffi/container/array.h
 * \brief The array container: ArrayObj (type index kTVMFFIArray) and Array<T>.
 *
 * An ArrayObj is a growable vector of owning Any cells. Objects created by this header keep
 * their cells in the same allocation, right after the 56-byte object (`data_ == obj + 56`),
 * but every access goes through `data_` so arrays whose cells live elsewhere (described by
 * `data_`, `capacity_` and released by `data_deleter_`) work as well.
 *
 * Array<T> is a copy-on-write reference: a mutation writes in place only when the reference
 * is the unique owner of the object, otherwise it first copies the cells into a fresh object.
 * Growth doubles the capacity (starting at 4). These rules are shared, inline, with every
 * binary that exchanges arrays (layouts.md §1).
 */
#ifndef TVM_FFI_CONTAINER_ARRAY_H_
#define TVM_FFI_CONTAINER_ARRAY_H_

#include <tvm/ffi/any.h>
#include <tvm/ffi/container/container_details.h>
#include <tvm/ffi/container/seq_base.h>
#include <tvm/ffi/memory.h>
#include <tvm/ffi/object.h>
#include <tvm/ffi/optional.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace tvm {
namespace ffi {

/*!
 * \brief The array object: header + TVMFFISeqCell (56 bytes), followed by the inline cells
 * when created here (`data == obj + 56`, `data_deleter` NULL).
 */
class ArrayObj : public SeqBaseObj, public details::InplaceArrayBase<ArrayObj, TVMFFIAny> {
 public:
  ArrayObj() = default;

  /*! \return a new array of capacity cap holding copies of from's elements. */
  static ObjectPtr<ArrayObj> CopyFrom(int64_t cap, SeqBaseObj* from) {
    int64_t size = static_cast<int64_t>(from->size());
    TVM_FFI_ICHECK_GE(cap, size) << "ValueError: not enough capacity to copy the array";
    ObjectPtr<ArrayObj> p = Empty(cap);
    p->AppendConverted<Any>(*from);
    return p;
  }

  /*!
   * \return a new array of capacity cap holding from's elements, moved out; from keeps its
   * storage but ends up with size 0.
   */
  static ObjectPtr<ArrayObj> MoveFrom(int64_t cap, ArrayObj* from) {
    int64_t size = from->cell_.size;
    TVM_FFI_ICHECK_GE(cap, size) << "ValueError: not enough capacity to move the array";
    ObjectPtr<ArrayObj> p = Empty(cap);
    Any* src = from->MutableBegin();
    Any* dst = p->MutableBegin();
    for (int64_t& i = p->cell_.size = 0; i < size; ++i) new (dst + i) Any(std::move(src[i]));
    // the moved-from cells are None: dropping them from the count destroys nothing
    from->cell_.size = 0;
    return p;
  }

  /*! \return a new array of n copies of val (capacity n). */
  static ObjectPtr<ArrayObj> CreateRepeated(int64_t n, const Any& val) {
    ObjectPtr<ArrayObj> p = Empty(n);
    p->EnlargeBy(n, val);
    return p;
  }

  /*! \return a new empty array with room for n elements. */
  static ObjectPtr<ArrayObj> Empty(int64_t n = kInitSize) {
    TVM_FFI_ICHECK_GE(n, 0) << "ValueError: cannot allocate an array of negative capacity";
    ObjectPtr<ArrayObj> p = make_inplace_array_object<ArrayObj, TVMFFIAny>(static_cast<size_t>(n));
    p->cell_.data = p->AddressOf(0);
    p->cell_.size = 0;
    p->cell_.capacity = n;
    p->cell_.data_deleter = nullptr;
    return p;
  }

  static constexpr int32_t _type_index = TypeIndex::kTVMFFIArray;
  static constexpr bool _type_final = true;
  TVM_FFI_DECLARE_OBJECT_INFO_STATIC(StaticTypeKey::kTVMFFIArray, ArrayObj, Object);

 private:
  /*! \brief Capacity of a default-constructed array. */
  static constexpr int64_t kInitSize = 4;
  /*! \brief Growth factor of the capacity. */
  static constexpr int64_t kIncFactor = 2;

  template <typename, typename>
  friend class Array;
  template <typename, typename>
  friend class List;
  template <typename... Types>
  friend class Tuple;
  template <typename, typename>
  friend struct TypeTraits;
  friend struct details::ContainerLayoutProbe;
};

/*! \brief make_object<ArrayObj>() gives an empty array with the default capacity. */
template <>
inline ObjectPtr<ArrayObj> make_object<ArrayObj>() {
  return ArrayObj::Empty();
}

/*!
 * \brief Whether IterType yields values convertible to T (used to enable range overloads).
 */
template <typename IterType, typename T, typename = void>
struct IsValidIterator : std::false_type {};
template <typename IterType, typename T>
struct IsValidIterator<IterType, T,
                       std::void_t<typename std::iterator_traits<IterType>::value_type>>
    : std::bool_constant<
          std::is_same_v<T, Any> ||
          std::is_convertible_v<typename std::iterator_traits<IterType>::value_type, T> ||
          std::is_constructible_v<T, typename std::iterator_traits<IterType>::value_type>> {};
template <typename IterType, typename T>
inline constexpr bool is_valid_iterator_v = IsValidIterator<IterType, T>::value;

/*!
 * \brief Copy-on-write array reference with typed elements.
 *
 * \tparam T element type: Any, or a type an owning Any can store.
 */
template <typename T, typename = std::enable_if_t<details::storage_enabled_v<T>>>
class Array : public ObjectRef {
 public:
  using value_type = T;

  /*! \brief Converts a stored cell to T (cells are trusted to hold T's storage form). */
  struct ValueConverter {
    using ResultType = T;
    static T convert(const Any& cell) {
      return details::AnyUnsafe::CopyFromAnyViewAfterCheck<T>(cell);
    }
  };
  using iterator = details::IterAdapter<ValueConverter, const Any*>;
  using reverse_iterator = details::ReverseIterAdapter<ValueConverter, const Any*>;
  using ContainerType = ArrayObj;
  static constexpr bool _type_is_nullable = false;

  /*! \brief An empty array (a real object with capacity 4, not null). */
  Array() : ObjectRef(ObjectPtr<Object>(ArrayObj::Empty())) {}
  /*! \brief A null array (internal and reflection use). */
  explicit Array(UnsafeInit tag) : ObjectRef(tag) {}
  Array(const Array& other) = default;
  Array(Array&& other) noexcept = default;
  Array& operator=(const Array& other) = default;
  Array& operator=(Array&& other) noexcept = default;

  /*! \brief Zero-copy upcast from an array whose elements are contained in T. */
  template <typename U, typename = std::enable_if_t<details::type_contains_v<T, U>>>
  Array(const Array<U>& other)  // NOLINT(*)
      : ObjectRef(details::ObjectUnsafe::ObjectPtrFromObjectRef<Object>(other)) {}
  template <typename U, typename = std::enable_if_t<details::type_contains_v<T, U>>>
  Array(Array<U>&& other)  // NOLINT(*)
      : ObjectRef(details::ObjectUnsafe::ObjectPtrFromObjectRef<Object>(std::move(other))) {}
  template <typename U, typename = std::enable_if_t<details::type_contains_v<T, U>>>
  Array<T>& operator=(const Array<U>& other) {
    data_ = details::ObjectUnsafe::ObjectPtrFromObjectRef<Object>(other);
    return *this;
  }
  template <typename U, typename = std::enable_if_t<details::type_contains_v<T, U>>>
  Array<T>& operator=(Array<U>&& other) {
    data_ = details::ObjectUnsafe::ObjectPtrFromObjectRef<Object>(std::move(other));
    return *this;
  }

  /*! \brief Adopt an existing array object (not type checked). */
  explicit Array(ObjectPtr<Object> n) : ObjectRef(std::move(n)) {}

  /*! \brief Elements of a range (capacity = number of elements). */
  template <typename IterType, typename = std::enable_if_t<is_valid_iterator_v<IterType, T>>>
  Array(IterType first, IterType last) : ObjectRef(UnsafeInit{}) {
    Assign(first, last);
  }
  Array(std::initializer_list<T> init) : ObjectRef(UnsafeInit{}) {  // NOLINT(*)
    Assign(init.begin(), init.end());
  }
  Array(const std::vector<T>& init) : ObjectRef(UnsafeInit{}) {  // NOLINT(*)
    Assign(init.begin(), init.end());
  }
  /*! \brief n copies of val. */
  explicit Array(const size_t n, const T& val)
      : ObjectRef(ObjectPtr<Object>(
            ArrayObj::CreateRepeated(static_cast<int64_t>(n), details::AnyAsStored<T>(val)))) {}

  // ---- element access ----
  iterator begin() const { return iterator(RawBegin()); }
  iterator end() const { return iterator(RawBegin() + size()); }
  reverse_iterator rbegin() const {
    return reverse_iterator(std::reverse_iterator<const Any*>(RawBegin() + size()));
  }
  reverse_iterator rend() const {
    return reverse_iterator(std::reverse_iterator<const Any*>(RawBegin()));
  }

  /*! \return element i; throws IndexError when out of range or null. */
  const T operator[](int64_t i) const {
    ArrayObj* p = GetArrayObj();
    if (p == nullptr) {
      TVM_FFI_THROW(IndexError) << "cannot index a null array";
    }
    if (i < 0 || i >= p->cell_.size) {
      TVM_FFI_THROW(IndexError) << "Index " << i << " out of bounds " << p->cell_.size;
    }
    return details::AnyUnsafe::CopyFromAnyViewAfterCheck<T>(p->begin()[i]);
  }
  /*! \return number of elements (0 for a null array). */
  int64_t size() const {
    ArrayObj* p = GetArrayObj();
    return p == nullptr ? 0 : p->cell_.size;
  }
  /*! \return capacity (0 for a null array). */
  int64_t capacity() const {
    ArrayObj* p = GetArrayObj();
    return p == nullptr ? 0 : p->cell_.capacity;
  }
  bool empty() const { return size() == 0; }
  /*! \return the first element; throws IndexError when empty. */
  const T front() const {
    ArrayObj* p = GetArrayObj();
    if (p == nullptr || p->cell_.size == 0) {
      TVM_FFI_THROW(IndexError) << "front() on empty sequence";
    }
    return details::AnyUnsafe::CopyFromAnyViewAfterCheck<T>(p->begin()[0]);
  }
  /*! \return the last element; throws IndexError when empty. */
  const T back() const {
    ArrayObj* p = GetArrayObj();
    if (p == nullptr || p->cell_.size == 0) {
      TVM_FFI_THROW(IndexError) << "back() on empty sequence";
    }
    return details::AnyUnsafe::CopyFromAnyViewAfterCheck<T>(p->begin()[p->cell_.size - 1]);
  }

  // ---- mutation (all copy-on-write) ----
  /*! \brief Append item. */
  void push_back(const T& item) {
    ArrayObj* p = CopyOnWrite(1);
    new (p->MutableEnd()) Any(details::AnyAsStored<T>(item));
    ++p->cell_.size;
  }
  /*! \brief Append an element constructed from args. */
  template <typename... Args>
  void emplace_back(Args&&... args) {
    ArrayObj* p = CopyOnWrite(1);
    if constexpr (std::is_same_v<T, Any>) {
      new (p->MutableEnd()) Any(std::forward<Args>(args)...);
    } else {
      new (p->MutableEnd()) Any(T(std::forward<Args>(args)...));
    }
    ++p->cell_.size;
  }
  /*! \brief Insert val before position. */
  void insert(iterator position, const T& val) {
    if (data_ == nullptr) {
      TVM_FFI_THROW(ValueError) << "cannot insert into a null array";
    }
    int64_t index = std::distance(begin(), position);
    int64_t size = GetArrayObj()->cell_.size;
    if (index < 0 || index > size) {
      TVM_FFI_THROW(IndexError) << "cannot insert at index " << index << ", array size is " << size;
    }
    Any cell = details::AnyAsStored<T>(val);
    ArrayObj* p = CopyOnWrite(1);
    p->EnlargeBy(1);
    p->MoveElementsRight(index + 1, index, size);
    p->MutableBegin()[index] = std::move(cell);
  }
  /*! \brief Insert the elements of [first, last) before position. */
  template <typename IterType, typename = std::enable_if_t<is_valid_iterator_v<IterType, T>>>
  void insert(iterator position, IterType first, IterType last) {
    if (first == last) return;
    if (data_ == nullptr) {
      TVM_FFI_THROW(ValueError) << "cannot insert into a null array";
    }
    int64_t index = std::distance(begin(), position);
    int64_t size = GetArrayObj()->cell_.size;
    int64_t numel = std::distance(first, last);
    if (index < 0 || index > size) {
      TVM_FFI_THROW(IndexError) << "cannot insert at index " << index << ", array size is " << size;
    }
    // convert first: the range may alias this array's own cells
    std::vector<Any> staged;
    staged.reserve(static_cast<size_t>(numel));
    for (; first != last; ++first) staged.push_back(details::AnyAsStored<T>(*first));
    ArrayObj* p = CopyOnWrite(numel);
    p->EnlargeBy(numel);
    p->MoveElementsRight(index + numel, index, size);
    Any* cells = p->MutableBegin() + index;
    for (Any& cell : staged) *cells++ = std::move(cell);
  }
  /*! \brief Remove the last element; throws IndexError when empty. */
  void pop_back() {
    if (data_ == nullptr) {
      TVM_FFI_THROW(RuntimeError) << "cannot pop_back a null array";
    }
    if (GetArrayObj()->cell_.size == 0) {
      TVM_FFI_THROW(IndexError) << "pop_back on empty sequence";
    }
    CopyOnWrite()->ShrinkBy(1);
  }
  /*! \brief Remove the element at position. */
  void erase(iterator position) {
    if (data_ == nullptr) {
      TVM_FFI_THROW(ValueError) << "cannot erase from a null array";
    }
    int64_t index = std::distance(begin(), position);
    int64_t size = GetArrayObj()->cell_.size;
    if (index < 0 || index >= size) {
      TVM_FFI_THROW(IndexError) << "cannot erase at index " << index << ", array size is " << size;
    }
    ArrayObj* p = CopyOnWrite();
    p->MoveElementsLeft(index, index + 1, size);
    p->ShrinkBy(1);
  }
  /*! \brief Remove the elements of [first, last). */
  void erase(iterator first, iterator last) {
    if (first == last) return;
    if (data_ == nullptr) {
      TVM_FFI_THROW(ValueError) << "cannot erase from a null array";
    }
    int64_t size = GetArrayObj()->cell_.size;
    int64_t st = std::distance(begin(), first);
    int64_t ed = std::distance(begin(), last);
    if (st < 0 || st > ed || ed > size) {
      TVM_FFI_THROW(IndexError) << "cannot erase range [" << st << ", " << ed << "), array size is "
                                << size;
    }
    ArrayObj* p = CopyOnWrite();
    p->MoveElementsLeft(st, ed, size);
    p->ShrinkBy(ed - st);
  }
  /*! \brief Grow with None cells or shrink from the end to n elements. */
  void resize(int64_t n) {
    if (n < 0) {
      TVM_FFI_THROW(ValueError) << "cannot resize an Array to negative size";
    }
    if (data_ == nullptr) {
      SwitchContainer(n)->EnlargeBy(n);
      return;
    }
    int64_t size = GetArrayObj()->cell_.size;
    if (size < n) {
      CopyOnWrite(n - size)->EnlargeBy(n - size);
    } else if (size > n) {
      CopyOnWrite()->ShrinkBy(size - n);
    }
  }
  /*! \brief Make room for n elements. */
  void reserve(int64_t n) {
    if (data_ == nullptr || n > GetArrayObj()->cell_.capacity) SwitchContainer(n);
  }
  /*! \brief Remove every element. */
  void clear() {
    if (data_ != nullptr) CopyOnWrite()->clear();
  }
  /*! \brief Overwrite element i; throws IndexError when out of range. */
  void Set(int64_t i, T value) {
    int64_t size = this->size();
    if (i < 0 || i >= size) {
      TVM_FFI_THROW(IndexError) << "Index " << i << " out of bounds " << size;
    }
    this->CopyOnWrite()->MutableBegin()[i] = details::AnyAsStored<T>(std::move(value));
  }
  /*! \brief Replace the content with the elements of [first, last). */
  template <typename IterType>
  void Assign(IterType first, IterType last) {
    int64_t cap = std::distance(first, last);
    if (cap < 0) {
      TVM_FFI_THROW(ValueError) << "cannot construct an Array of negative size";
    }
    ArrayObj* p = GetArrayObj();
    if (p != nullptr && data_.unique() && p->cell_.capacity >= cap) {
      // reuse the object; convert first since the range may alias its cells
      std::vector<Any> staged;
      staged.reserve(static_cast<size_t>(cap));
      for (; first != last; ++first) staged.push_back(details::AnyAsStored<T>(*first));
      p->clear();
      for (Any& cell : staged) {
        new (p->MutableEnd()) Any(std::move(cell));
        ++p->cell_.size;
      }
      return;
    }
    data_ = ObjectPtr<Object>(ArrayObj::Empty(cap));
    p = GetArrayObj();
    for (; first != last; ++first) {
      new (p->MutableEnd()) Any(details::AnyAsStored<T>(*first));
      ++p->cell_.size;
    }
  }

  /*!
   * \brief Ensure this reference uniquely owns its object (copying it with the same
   * capacity when shared; creating one when null) and return it for in-place mutation.
   */
  ArrayObj* CopyOnWrite() {
    if (data_ == nullptr) return SwitchContainer(ArrayObj::kInitSize);
    if (!data_.unique()) return SwitchContainer(capacity());
    return GetArrayObj();
  }
  /*! \return the underlying object (null for a null array). */
  ArrayObj* GetArrayObj() const { return static_cast<ArrayObj*>(data_.get()); }

  // ---- functional helpers ----
  /*!
   * \brief Array of fmap applied to every element. When fmap returns every element
   * unchanged, the result shares this array's object.
   */
  template <typename F, typename U = std::invoke_result_t<F, T>>
  Array<U> Map(F fmap) const {
    return Array<U>(MapHelper<F, U>(data_, fmap));
  }
  /*! \brief Replace every element x by fmutate(x); in place when this array is unique. */
  template <typename F, typename = std::enable_if_t<std::is_same_v<T, std::invoke_result_t<F, T>>>>
  void MutateByApply(F fmutate) {
    data_ = MapHelper<F, T>(std::move(data_), fmutate);
  }
  /*! \brief Concatenate values and arrays of T into one array (upstream's spelling). */
  template <typename... Args>
  static Array<T> Agregate(Args... args) {
    Array<T> result;
    (AgregateOne(&result, std::move(args)), ...);
    return result;
  }

 private:
  const Any* RawBegin() const {
    ArrayObj* p = GetArrayObj();
    return p == nullptr ? nullptr : p->begin();
  }

  /*!
   * \brief CopyOnWrite that also guarantees room for reserve_extra more elements, growing
   * the capacity to max(2 * capacity, size + reserve_extra) when needed.
   */
  ArrayObj* CopyOnWrite(int64_t reserve_extra) {
    ArrayObj* p = GetArrayObj();
    if (p == nullptr) {
      return SwitchContainer(std::max(ArrayObj::kInitSize, reserve_extra));
    }
    if (p->cell_.capacity >= p->cell_.size + reserve_extra) return CopyOnWrite();
    int64_t cap = std::max(p->cell_.capacity * ArrayObj::kIncFactor, p->cell_.size + reserve_extra);
    return SwitchContainer(cap);
  }

  /*!
   * \brief Replace the object with one of the given capacity: elements are moved out of a
   * unique object and copied out of a shared one.
   */
  ArrayObj* SwitchContainer(int64_t capacity) {
    if (data_ == nullptr) {
      data_ = ObjectPtr<Object>(ArrayObj::Empty(capacity));
    } else if (data_.unique()) {
      data_ = ObjectPtr<Object>(ArrayObj::MoveFrom(capacity, GetArrayObj()));
    } else {
      data_ = ObjectPtr<Object>(ArrayObj::CopyFrom(capacity, GetArrayObj()));
    }
    return GetArrayObj();
  }

  static void AgregateOne(Array<T>* result, T value) { result->push_back(std::move(value)); }
  static void AgregateOne(Array<T>* result, Array<T> values) {
    for (const T& value : values) result->push_back(value);
  }

  /*!
   * \brief Core of Map / MutateByApply. Maps in place when the object is unique and the
   * element type is unchanged; otherwise returns the input object when every element maps
   * to an identical cell, else a new array.
   */
  template <typename F, typename U>
  static ObjectPtr<Object> MapHelper(ObjectPtr<Object> data, F& fmap) {
    if (data == nullptr) return nullptr;
    ArrayObj* arr = static_cast<ArrayObj*>(data.get());
    int64_t size = arr->cell_.size;
    if constexpr (std::is_same_v<T, U>) {
      if (data.unique()) {
        Any* cells = arr->MutableBegin();
        for (int64_t i = 0; i < size; ++i) {
          T value = details::AnyUnsafe::MoveFromAnyAfterCheck<T>(std::move(cells[i]));
          cells[i] = details::AnyAsStored<U>(fmap(std::move(value)));
        }
        return data;
      }
    }
    const Any* cells = arr->begin();
    int64_t i = 0;
    Any mapped;
    if constexpr (std::is_same_v<T, U> || details::type_contains_v<U, T>) {
      // look for the first element that changes; share the input if there is none
      for (; i < size; ++i) {
        mapped = details::AnyAsStored<U>(
            fmap(details::AnyUnsafe::CopyFromAnyViewAfterCheck<T>(cells[i])));
        if (!mapped.same_as(cells[i])) break;
      }
      if (i == size) return data;
    }
    ObjectPtr<ArrayObj> output = ArrayObj::Empty(size);
    Any* out = output->MutableBegin();
    for (int64_t j = 0; j < i; ++j) {
      new (out + j) Any(cells[j]);
      ++output->cell_.size;
    }
    if (i < size) {
      if constexpr (std::is_same_v<T, U> || details::type_contains_v<U, T>) {
        new (out + i) Any(std::move(mapped));
      } else {
        new (out + i) Any(details::AnyAsStored<U>(
            fmap(details::AnyUnsafe::CopyFromAnyViewAfterCheck<T>(cells[i]))));
      }
      ++output->cell_.size;
      for (int64_t j = i + 1; j < size; ++j) {
        new (out + j) Any(details::AnyAsStored<U>(
            fmap(details::AnyUnsafe::CopyFromAnyViewAfterCheck<T>(cells[j]))));
        ++output->cell_.size;
      }
    }
    return output;
  }

  template <typename, typename>
  friend class Array;
};

/*! \brief lhs followed by the elements of rhs. */
template <typename T, typename = std::enable_if_t<details::storage_enabled_v<T>>>
inline Array<T> Concat(Array<T> lhs, const Array<T>& rhs) {
  lhs.insert(lhs.end(), rhs.begin(), rhs.end());
  return lhs;
}

namespace details {
/*! \brief Array<T> contains Array<U> when T contains U. */
template <typename T, typename U>
struct TypeContains<Array<T>, Array<U>> {
  static constexpr bool value = type_contains_v<T, U>;
};
}  // namespace details

template <typename T>
inline constexpr bool use_default_type_traits_v<Array<T>> = false;

/*! \brief Any <-> Array<T> (see details::SeqRefTypeTraits). */
template <typename T>
struct TypeTraits<Array<T>> : public details::SeqRefTypeTraits<Array<T>, T, ArrayObj> {};

}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_CONTAINER_ARRAY_H_
