/*!
 * \file tvm/ffi/container/list.h
 * \brief The mutable list container: ListObj (type index kTVMFFIList, key "ffi.List") and
 * List<T>.
 *
 * A List has reference semantics: every copy of a List<T> refers to the same object and every
 * mutation acts in place on it, whatever its reference count (no copy-on-write).
 *
 * Storage contract, shared by every binary that creates or grows lists: the cells live in a
 * separate buffer of `capacity` Any cells (NULL when the capacity is 0) allocated with the
 * global `::operator new(16 * capacity)`; `data_deleter` is a function of the creating binary
 * that releases such a buffer with the global `::operator delete`, and it is set even while
 * `data` is NULL. Growing ("reserve n", n > capacity) allocates the new buffer the same way,
 * moves the live cells over, destroys the old cells and releases the old buffer with the
 * object's own `data_deleter`, which is never replaced. Because any binary may grow a list
 * another one created, every buffer must come from, and go back to, the global operators.
 *
 * Growth when k more cells are needed: nothing if capacity >= size + k, else the capacity
 * becomes max(2 * capacity, size + k). Repeated push_back on List<int>() gives the capacities
 * 1, 2, 4, 4, 8, 8, 8, 8, 16, 16.
 */
#ifndef TVM_FFI_CONTAINER_LIST_H_
#define TVM_FFI_CONTAINER_LIST_H_

#include <tvm/ffi/any.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/container_details.h>
#include <tvm/ffi/container/seq_base.h>
#include <tvm/ffi/memory.h>
#include <tvm/ffi/object.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <new>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace tvm {
namespace ffi {

/*! \brief The list object: header + TVMFFISeqCell describing a separate buffer (56 bytes). */
class ListObj : public SeqBaseObj {
 public:
  ListObj() = default;

  /*! \return a new empty list with room for n elements (no buffer when n is 0). */
  static ObjectPtr<ListObj> Empty(int64_t n = 0) {
    if (n < 0) {
      TVM_FFI_THROW(ValueError) << "cannot allocate a List of negative capacity " << n;
    }
    ObjectPtr<ListObj> p = make_object<ListObj>();
    p->cell_.data_deleter = DeleteBuffer;
    if (n > 0) p->cell_.data = NewBuffer(n);
    p->cell_.capacity = n;
    return p;
  }

  /*! \return a new list of capacity n holding copies of from's elements (n >= size). */
  static ObjectPtr<ListObj> CopyFrom(int64_t n, const SeqBaseObj* from) {
    ObjectPtr<ListObj> p = Empty(std::max<int64_t>(n, static_cast<int64_t>(from->size())));
    p->AppendConverted<Any>(*from);
    return p;
  }

  /*!
   * \brief Make room for n cells: when n exceeds the capacity, move the elements into a new
   * buffer of exactly n cells and release the old one with the object's data_deleter.
   */
  void Reserve(int64_t n) {
    if (n <= cell_.capacity) return;
    Any* old = MutableBegin();
    if (old != nullptr && cell_.data_deleter == nullptr) {
      // storage this binary cannot release: refuse rather than leak or free it wrongly
      TVM_FFI_THROW(RuntimeError) << "cannot grow an ffi.List whose buffer has no data_deleter";
    }
    Any* fresh = static_cast<Any*>(NewBuffer(n));
    for (int64_t i = 0; i < cell_.size; ++i) {
      new (fresh + i) Any(std::move(old[i]));
      old[i].Any::~Any();
    }
    if (old != nullptr) cell_.data_deleter(old);
    cell_.data = fresh;
    cell_.capacity = n;
    if (cell_.data_deleter == nullptr) cell_.data_deleter = DeleteBuffer;
  }

  /*! \brief Make room for k more cells following the growth rule of this file. */
  void EnsureExtra(int64_t k) {
    if (cell_.capacity >= cell_.size + k) return;
    Reserve(std::max(cell_.capacity * kIncFactor, cell_.size + k));
  }

  /*! \brief Append item, growing when full. */
  void push_back(Any item) {
    EnsureExtra(1);
    new (MutableEnd()) Any(std::move(item));
    ++cell_.size;
  }

  /*! \brief Insert item before position i, growing when full. */
  void Insert(int64_t i, Any item) {
    CheckInsertPosition(i);
    EnsureExtra(1);
    SeqBaseObj::insert(i, std::move(item));
  }

  /*! \brief Grow with None cells or shrink to n elements, growing the buffer when needed. */
  void Resize(int64_t n) {
    if (n < 0) {
      TVM_FFI_THROW(ValueError) << "Cannot resize a sequence to negative size " << n;
    }
    if (n > cell_.size) EnsureExtra(n - cell_.size);
    SeqBaseObj::resize(n);
  }

  /*! \brief Capacity of a list that a null List<T> handle is replaced with. */
  static constexpr int64_t kInitSize = 4;
  /*! \brief Growth factor of the capacity. */
  static constexpr int64_t kIncFactor = 2;

  static constexpr int32_t _type_index = TypeIndex::kTVMFFIList;
  static constexpr bool _type_final = true;
  /*! \brief Mutable through object pointers (e.g. `ListObj*` function parameters). */
  static constexpr bool _type_mutable = true;
  TVM_FFI_DECLARE_OBJECT_INFO_STATIC(StaticTypeKey::kTVMFFIList, ListObj, Object);

 private:
  /*! \brief A buffer of n raw cells from the global operator new. */
  static void* NewBuffer(int64_t n) {
    return ::operator new(static_cast<size_t>(n) * sizeof(TVMFFIAny));
  }
  /*! \brief The data_deleter this binary installs: global operator delete. */
  static void DeleteBuffer(void* data) { ::operator delete(data); }

  template <typename, typename>
  friend class List;
  template <typename, typename>
  friend class Array;
  template <typename, typename>
  friend struct TypeTraits;
  friend struct details::ContainerLayoutProbe;
};

/*!
 * \brief Mutable, shared list reference with typed elements.
 *
 * All copies alias the same object. Elements are stored in T's canonical Any form; typed
 * reads trust that form (it is checked when a List<T> is produced from an Any).
 *
 * \tparam T element type: Any, or a type an owning Any can store.
 */
template <typename T, typename = std::enable_if_t<details::storage_enabled_v<T>>>
class List : public ObjectRef {
 public:
  using value_type = T;

  /*! \brief Converts a stored cell to T. */
  struct ValueConverter {
    using ResultType = T;
    static T convert(const Any& cell) {
      return details::AnyUnsafe::CopyFromAnyViewAfterCheck<T>(cell);
    }
  };
  using iterator = details::IterAdapter<ValueConverter, const Any*>;
  using reverse_iterator = details::ReverseIterAdapter<ValueConverter, const Any*>;
  using ContainerType = ListObj;
  static constexpr bool _type_is_nullable = false;

  /*! \brief An empty list (a real object of capacity 0). */
  List() : ObjectRef(ObjectPtr<Object>(ListObj::Empty(0))) {}
  /*! \brief A null list (internal and reflection use). */
  explicit List(UnsafeInit tag) : ObjectRef(tag) {}
  List(const List& other) = default;
  List(List&& other) noexcept = default;
  List& operator=(const List& other) = default;
  List& operator=(List&& other) noexcept = default;

  /*!
   * \brief Zero-copy upcast from a list whose elements are contained in T. Both references
   * alias one object: writing through the wider view can break the narrower view's invariant.
   */
  template <typename U, typename = std::enable_if_t<details::type_contains_v<T, U>>>
  List(const List<U>& other)  // NOLINT(*)
      : ObjectRef(details::ObjectUnsafe::ObjectPtrFromObjectRef<Object>(other)) {}
  template <typename U, typename = std::enable_if_t<details::type_contains_v<T, U>>>
  List(List<U>&& other)  // NOLINT(*)
      : ObjectRef(details::ObjectUnsafe::ObjectPtrFromObjectRef<Object>(std::move(other))) {}
  template <typename U, typename = std::enable_if_t<details::type_contains_v<T, U>>>
  List<T>& operator=(const List<U>& other) {
    data_ = details::ObjectUnsafe::ObjectPtrFromObjectRef<Object>(other);
    return *this;
  }

  /*! \brief Adopt an existing list object (not type checked). */
  explicit List(ObjectPtr<Object> n) : ObjectRef(std::move(n)) {}

  /*! \brief Elements of a range (capacity = number of elements). */
  template <typename IterType, typename = std::enable_if_t<is_valid_iterator_v<IterType, T>>>
  List(IterType first, IterType last) : ObjectRef(UnsafeInit{}) {
    Assign(first, last);
  }
  List(std::initializer_list<T> init) : ObjectRef(UnsafeInit{}) {  // NOLINT(*)
    Assign(init.begin(), init.end());
  }
  List(const std::vector<T>& init) : ObjectRef(UnsafeInit{}) {  // NOLINT(*)
    Assign(init.begin(), init.end());
  }
  /*! \brief n copies of val. */
  explicit List(size_t n, const T& val) : ObjectRef(UnsafeInit{}) {
    ObjectPtr<ListObj> p = ListObj::Empty(static_cast<int64_t>(n));
    p->EnlargeBy(static_cast<int64_t>(n), details::AnyAsStored<T>(val));
    data_ = std::move(p);
  }

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
    ListObj* p = GetListObj();
    if (p == nullptr) {
      TVM_FFI_THROW(IndexError) << "cannot index a null list";
    }
    return details::AnyUnsafe::CopyFromAnyViewAfterCheck<T>((*p)[i]);
  }
  /*! \return number of elements (0 for a null list). */
  int64_t size() const {
    ListObj* p = GetListObj();
    return p == nullptr ? 0 : p->cell_.size;
  }
  /*! \return capacity (0 for a null list). */
  int64_t capacity() const {
    ListObj* p = GetListObj();
    return p == nullptr ? 0 : p->cell_.capacity;
  }
  bool empty() const { return size() == 0; }
  /*! \return the first element; throws IndexError when empty. */
  const T front() const {
    ListObj* p = GetListObj();
    if (p == nullptr) {
      TVM_FFI_THROW(IndexError) << "front() on empty sequence";
    }
    return details::AnyUnsafe::CopyFromAnyViewAfterCheck<T>(p->front());
  }
  /*! \return the last element; throws IndexError when empty. */
  const T back() const {
    ListObj* p = GetListObj();
    if (p == nullptr) {
      TVM_FFI_THROW(IndexError) << "back() on empty sequence";
    }
    return details::AnyUnsafe::CopyFromAnyViewAfterCheck<T>(p->back());
  }

  // ---- mutation (in place, visible through every copy) ----
  /*! \brief Append item. */
  void push_back(const T& item) { EnsureObj()->push_back(details::AnyAsStored<T>(item)); }
  /*! \brief Append an element constructed from args. */
  template <typename... Args>
  void emplace_back(Args&&... args) {
    if constexpr (std::is_same_v<T, Any>) {
      EnsureObj()->push_back(Any(std::forward<Args>(args)...));
    } else {
      EnsureObj()->push_back(details::AnyAsStored<T>(T(std::forward<Args>(args)...)));
    }
  }
  /*! \brief Insert val before position. */
  void insert(iterator position, const T& val) {
    ListObj* p = GetListObj();
    if (p == nullptr) {
      TVM_FFI_THROW(RuntimeError) << "cannot insert to a null list";
    }
    int64_t index = std::distance(begin(), position);
    p->Insert(index, details::AnyAsStored<T>(val));
  }
  /*! \brief Insert the elements of [first, last) before position. */
  template <typename IterType, typename = std::enable_if_t<is_valid_iterator_v<IterType, T>>>
  void insert(iterator position, IterType first, IterType last) {
    ListObj* p = GetListObj();
    if (p == nullptr) {
      TVM_FFI_THROW(RuntimeError) << "cannot insert to a null list";
    }
    int64_t index = std::distance(begin(), position);
    if (index < 0 || index > p->cell_.size) {
      TVM_FFI_THROW(IndexError) << "Insert position " << index << " out of bounds "
                                << p->cell_.size;
    }
    // convert first: the range may alias this list's own cells
    std::vector<Any> staged;
    for (; first != last; ++first) staged.push_back(details::AnyAsStored<T>(*first));
    p->EnsureExtra(static_cast<int64_t>(staged.size()));
    p->SeqBaseObj::insert(index, std::make_move_iterator(staged.begin()),
                          std::make_move_iterator(staged.end()));
  }
  /*! \brief Remove the last element; throws IndexError when empty. */
  void pop_back() {
    ListObj* p = GetListObj();
    if (p == nullptr) {
      TVM_FFI_THROW(RuntimeError) << "cannot pop_back a null list";
    }
    p->pop_back();
  }
  /*! \brief Remove the element at position. */
  void erase(iterator position) {
    ListObj* p = GetListObj();
    if (p == nullptr) {
      TVM_FFI_THROW(RuntimeError) << "cannot erase a null list";
    }
    p->SeqBaseObj::erase(static_cast<int64_t>(std::distance(begin(), position)));
  }
  /*! \brief Remove the elements of [first, last). */
  void erase(iterator first, iterator last) {
    ListObj* p = GetListObj();
    if (p == nullptr) {
      TVM_FFI_THROW(RuntimeError) << "cannot erase a null list";
    }
    p->SeqBaseObj::erase(static_cast<int64_t>(std::distance(begin(), first)),
                         static_cast<int64_t>(std::distance(begin(), last)));
  }
  /*! \brief Grow with None cells or shrink from the end to n elements. */
  void resize(int64_t n) { EnsureObj()->Resize(n); }
  /*! \brief Make room for n elements. */
  void reserve(int64_t n) { EnsureObj()->Reserve(n); }
  /*! \brief Remove every element (capacity is kept). */
  void clear() {
    if (ListObj* p = GetListObj()) p->clear();
  }
  /*! \brief Overwrite element i; throws IndexError when out of range. */
  void Set(int64_t i, T value) {
    EnsureObj()->SetItem(i, details::AnyAsStored<T>(std::move(value)));
  }
  /*! \brief Replace the content with the elements of [first, last), in place. */
  template <typename IterType>
  void Assign(IterType first, IterType last) {
    std::vector<Any> staged;
    for (; first != last; ++first) staged.push_back(details::AnyAsStored<T>(*first));
    int64_t n = static_cast<int64_t>(staged.size());
    ListObj* p = GetListObj();
    if (p == nullptr) {
      data_ = ObjectPtr<Object>(ListObj::Empty(n));
      p = GetListObj();
    }
    p->clear();
    p->Reserve(n);
    for (Any& cell : staged) {
      new (p->MutableEnd()) Any(std::move(cell));
      ++p->cell_.size;
    }
  }

  /*! \return the underlying object (null for a null list). */
  ListObj* GetListObj() const { return static_cast<ListObj*>(data_.get()); }

 private:
  const Any* RawBegin() const {
    ListObj* p = GetListObj();
    return p == nullptr ? nullptr : p->begin();
  }
  /*! \brief The list object; a null handle is first replaced by a new list of capacity 4. */
  ListObj* EnsureObj() {
    if (data_ == nullptr) data_ = ObjectPtr<Object>(ListObj::Empty(ListObj::kInitSize));
    return GetListObj();
  }

  template <typename, typename>
  friend class List;
};

namespace details {
/*! \brief List<T> contains List<U> when T contains U. */
template <typename T, typename U>
struct TypeContains<List<T>, List<U>> {
  static constexpr bool value = type_contains_v<T, U>;
};
}  // namespace details

template <typename T>
inline constexpr bool use_default_type_traits_v<List<T>> = false;

/*! \brief Any <-> List<T> (see details::SeqRefTypeTraits). */
template <typename T>
struct TypeTraits<List<T>> : public details::SeqRefTypeTraits<List<T>, T, ListObj> {};

}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_CONTAINER_LIST_H_
