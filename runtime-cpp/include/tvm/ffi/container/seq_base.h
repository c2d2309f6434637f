/*!
 * \file tvm/ffi/container/seq_base.h
 * \brief SeqBaseObj: the part shared by ArrayObj and ListObj.
 *
 * Both sequences are an object header followed by one TVMFFISeqCell {data, size, capacity,
 * data_deleter} (obj+24 .. obj+56). Cells [0, size) at `data` are live owning Any values,
 * cells [size, capacity) are raw memory. Storage is described only by the cell, never by the
 * object's address: an array keeps its cells inline right after the object (`data_deleter`
 * NULL), a list keeps them in a separate buffer released through `data_deleter`.
 *
 * The element operations here work in place and never allocate: callers (Array<T>, List<T>)
 * first make sure the object may be mutated and has room.
 */
#ifndef TVM_FFI_CONTAINER_SEQ_BASE_H_
#define TVM_FFI_CONTAINER_SEQ_BASE_H_

#include <tvm/ffi/any.h>
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/container/container_details.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/object.h>

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

namespace tvm {
namespace ffi {

/*! \brief Object header + TVMFFISeqCell, with the element operations both sequences share. */
class SeqBaseObj : public Object {
 public:
  SeqBaseObj() { cell_ = TVMFFISeqCell{nullptr, 0, 0, nullptr}; }
  SeqBaseObj(const SeqBaseObj&) = delete;
  SeqBaseObj& operator=(const SeqBaseObj&) = delete;
  /*! \brief Destroy the live cells in increasing order, then release a separate buffer. */
  ~SeqBaseObj() {
    Any* cells = MutableBegin();
    for (int64_t i = 0; i < cell_.size; ++i) cells[i].Any::~Any();
    if (cell_.data_deleter != nullptr && cell_.data != nullptr) cell_.data_deleter(cell_.data);
  }

  /*! \return number of elements. */
  size_t size() const { return static_cast<size_t>(cell_.size); }
  /*! \return number of cells available before the sequence must grow. */
  size_t capacity() const { return static_cast<size_t>(cell_.capacity); }
  /*! \return whether there is no element. */
  bool empty() const { return cell_.size == 0; }
  /*! \return element i; throws IndexError when out of range (negative included). */
  const Any& at(int64_t i) const { return this->operator[](i); }
  /*! \return element i; throws IndexError when out of range (negative included). */
  const Any& operator[](int64_t i) const {
    CheckIndex(i);
    return begin()[i];
  }
  /*! \return the first element; throws IndexError when empty. */
  const Any& front() const {
    if (cell_.size == 0) {
      TVM_FFI_THROW(IndexError) << "front() on empty sequence";
    }
    return begin()[0];
  }
  /*! \return the last element; throws IndexError when empty. */
  const Any& back() const {
    if (cell_.size == 0) {
      TVM_FFI_THROW(IndexError) << "back() on empty sequence";
    }
    return begin()[cell_.size - 1];
  }
  const Any* begin() const { return static_cast<const Any*>(cell_.data); }
  const Any* end() const { return begin() + cell_.size; }

  /*! \brief Destroy all elements, from the end (capacity is kept). */
  void clear() { ShrinkBy(cell_.size); }
  /*! \brief Overwrite element i; throws IndexError when out of range. */
  void SetItem(int64_t i, Any item) {
    CheckIndex(i);
    MutableBegin()[i] = std::move(item);
  }
  /*! \brief Remove the last element; throws IndexError when empty. */
  void pop_back() {
    if (cell_.size == 0) {
      TVM_FFI_THROW(IndexError) << "pop_back on empty sequence";
    }
    ShrinkBy(1);
  }
  /*! \brief Remove element i (later elements move down one place). */
  void erase(int64_t i) {
    CheckIndex(i);
    MoveElementsLeft(i, i + 1, cell_.size);
    ShrinkBy(1);
  }
  /*! \brief Remove the elements [first, last). */
  void erase(int64_t first, int64_t last) {
    if (first == last) return;
    if (first < 0 || first > last || last > cell_.size) {
      TVM_FFI_THROW(IndexError) << "Erase range [" << first << ", " << last << ") out of bounds "
                                << cell_.size;
    }
    MoveElementsLeft(first, last, cell_.size);
    ShrinkBy(last - first);
  }
  /*! \brief Insert item before position i (0 <= i <= size); needs one free cell. */
  void insert(int64_t i, Any item) {
    CheckInsertPosition(i);
    CheckRoom(1);
    int64_t size = cell_.size;
    EnlargeBy(1);
    MoveElementsRight(i + 1, i, size);
    MutableBegin()[i] = std::move(item);
  }
  /*!
   * \brief Insert the values of [first, last) before position i; needs last - first free
   * cells. The values must not live in this sequence (copy them out first).
   */
  template <typename Iter>
  void insert(int64_t i, Iter first, Iter last) {
    CheckInsertPosition(i);
    int64_t numel = static_cast<int64_t>(std::distance(first, last));
    if (numel == 0) return;
    CheckRoom(numel);
    int64_t size = cell_.size;
    EnlargeBy(numel);
    MoveElementsRight(i + numel, i, size);
    Any* cells = MutableBegin() + i;
    for (; first != last; ++first) *cells++ = Any(*first);
  }
  /*! \brief Reverse the elements in place. */
  void Reverse() {
    Any* cells = MutableBegin();
    for (int64_t i = 0, j = cell_.size - 1; i < j; ++i, --j) std::swap(cells[i], cells[j]);
  }
  /*! \brief Grow with None cells (room must exist) or shrink from the end to n elements. */
  void resize(int64_t n) {
    if (n < 0) {
      TVM_FFI_THROW(ValueError) << "Cannot resize a sequence to negative size " << n;
    }
    if (n > cell_.size) {
      CheckRoom(n - cell_.size);
      EnlargeBy(n - cell_.size);
    } else {
      ShrinkBy(cell_.size - n);
    }
  }
  /*!
   * \brief Append from's elements converted to T's stored form (room for all must exist).
   * \return false when an element does not convert (the ones appended before it stay).
   */
  template <typename T>
  bool AppendConverted(const SeqBaseObj& from) {
    for (const Any& cell : from) {
      if constexpr (std::is_same_v<T, Any>) {
        new (MutableEnd()) Any(cell);
      } else {
        std::optional<T> value = cell.try_cast<T>();
        if (!value.has_value()) return false;
        new (MutableEnd()) Any(details::AnyAsStored<T>(*std::move(value)));
      }
      ++cell_.size;
    }
    return true;
  }

 protected:
  Any* MutableBegin() const { return static_cast<Any*>(cell_.data); }
  Any* MutableEnd() const { return MutableBegin() + cell_.size; }

  void CheckIndex(int64_t i) const {
    if (i < 0 || i >= cell_.size) {
      TVM_FFI_THROW(IndexError) << "Index " << i << " out of bounds " << cell_.size;
    }
  }
  void CheckInsertPosition(int64_t i) const {
    if (i < 0 || i > cell_.size) {
      TVM_FFI_THROW(IndexError) << "Insert position " << i << " out of bounds " << cell_.size;
    }
  }
  void CheckRoom(int64_t extra) const {
    if (cell_.capacity - cell_.size < extra) {
      TVM_FFI_THROW(InternalError) << "sequence has room for " << cell_.capacity - cell_.size
                                   << " more elements, " << extra << " needed";
    }
  }
  /*! \brief Append delta copies of val (room must exist). */
  void EnlargeBy(int64_t delta, const Any& val = Any()) {
    Any* cells = MutableBegin();
    for (; delta > 0; --delta) {
      new (cells + cell_.size) Any(val);
      ++cell_.size;
    }
  }
  /*! \brief Destroy the last delta elements, from the end. */
  void ShrinkBy(int64_t delta) {
    Any* cells = MutableBegin();
    for (; delta > 0; --delta) {
      --cell_.size;
      cells[cell_.size].Any::~Any();
    }
  }
  /*! \brief Move-assign [src_begin, src_end) to dst (dst <= src_begin), front to back. */
  void MoveElementsLeft(int64_t dst, int64_t src_begin, int64_t src_end) {
    Any* cells = MutableBegin();
    while (src_begin < src_end) cells[dst++] = std::move(cells[src_begin++]);
  }
  /*! \brief Move-assign [src_begin, src_end) to dst (dst >= src_begin), back to front. */
  void MoveElementsRight(int64_t dst, int64_t src_begin, int64_t src_end) {
    Any* cells = MutableBegin();
    int64_t to = dst + (src_end - src_begin);
    while (src_end > src_begin) cells[--to] = std::move(cells[--src_end]);
  }

  // ---- binary layout (obj+24 .. obj+56) ----
  /*! \brief {data, size, capacity, data_deleter}. */
  TVMFFISeqCell cell_;

  friend struct details::ContainerLayoutProbe;
};

static_assert(sizeof(SeqBaseObj) == sizeof(TVMFFIObject) + sizeof(TVMFFISeqCell),
              "SeqBaseObj is the object header followed by one TVMFFISeqCell");

namespace details {
/*!
 * \brief Why the Array or List in src is not a `kind`<T>: "kind[index i: <cell mismatch>]"
 * for the first element that neither is nor converts to a T; empty when src is no sequence or
 * every element fits.
 */
template <typename T>
std::string SeqElementMismatch(const char* kind, const TVMFFIAny* src) {
  if constexpr (!std::is_same_v<T, Any>) {
    if (src->type_index == TypeIndex::kTVMFFIArray || src->type_index == TypeIndex::kTVMFFIList) {
      const SeqBaseObj* n = reinterpret_cast<const SeqBaseObj*>(src->v_obj);
      for (size_t i = 0; i < n->size(); ++i) {
        const Any& cell = n->begin()[i];
        if (AnyUnsafe::CheckAnyStrict<T>(cell) || cell.try_cast<T>().has_value()) continue;
        return std::string(kind) + "[index " + std::to_string(i) + ": " +
               AnyUnsafe::GetMismatchTypeInfo<T>(cell) + "]";
      }
    }
  }
  return std::string();
}

/*!
 * \brief Any <-> a sequence reference (Array<T> with ArrayObj, List<T> with ListObj): an object
 * of that type whose elements all pass T's strict check is shared as is (aliased); one with
 * convertible elements, and any sequence of the other type, become a new object of converted
 * elements (nullopt / a TypeError naming the first bad index otherwise).
 */
template <typename Ref, typename T, typename SeqObj>
struct SeqRefTypeTraits : public ObjectRefTypeTraitsBase<Ref> {
  static constexpr int32_t field_static_type_index = SeqObj::_type_index;
  static constexpr const char* kKind =
      SeqObj::_type_index == TypeIndex::kTVMFFIArray ? "Array" : "List";
  using ObjectRefTypeTraitsBase<Ref>::CopyFromAnyViewAfterCheck;

  TVM_FFI_INLINE static bool CheckAnyStrict(const TVMFFIAny* src) {
    if (src->type_index != SeqObj::_type_index) return false;
    if constexpr (!std::is_same_v<T, Any>) {
      for (const Any& cell : *reinterpret_cast<const SeqBaseObj*>(src->v_obj)) {
        if (!AnyUnsafe::CheckAnyStrict<T>(cell)) return false;
      }
    }
    return true;
  }

  TVM_FFI_INLINE static std::optional<Ref> TryCastFromAnyView(const TVMFFIAny* src) {
    if (CheckAnyStrict(src)) return CopyFromAnyViewAfterCheck(src);
    if (src->type_index != TypeIndex::kTVMFFIArray && src->type_index != TypeIndex::kTVMFFIList) {
      return std::nullopt;
    }
    const SeqBaseObj* n = reinterpret_cast<const SeqBaseObj*>(src->v_obj);
    ObjectPtr<SeqObj> result = SeqObj::Empty(static_cast<int64_t>(n->size()));
    if (!result->template AppendConverted<T>(*n)) return std::nullopt;
    return Ref(ObjectPtr<Object>(std::move(result)));
  }

  TVM_FFI_INLINE static std::string GetMismatchTypeInfo(const TVMFFIAny* src) {
    std::string element = SeqElementMismatch<T>(kKind, src);
    return element.empty() ? TypeTraitsBase::GetMismatchTypeInfo(src) : element;
  }

  static std::string TypeStr() { return std::string(kKind) + "<" + ElementTypeStr<T>() + ">"; }
  static std::string TypeSchema() {
    return R"({"type":")" + std::string(SeqObj::_type_key) + R"(","args":[)" +
           ElementTypeSchema<T>() + "]}";
  }
};
}  // namespace details

}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_CONTAINER_SEQ_BASE_H_
