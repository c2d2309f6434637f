/*!
 * \file tvm/ffi/container/map_base.h
 * \brief MapBaseObj: the hash-map storage shared by MapObj ("ffi.Map") and DictObj ("ffi.Dict").
 *
 * A map object has one of two memory representations, told apart by bit 63 of `slots_`:
 *
 * - SMALL (bit set): a packed array of key/value pairs in insertion order, searched linearly.
 *   Used for at most SmallMapBaseObj::kMaxSize entries. Every small map created here has a
 *   capacity of at least 2, so that its allocation (>= 120 bytes) can later hold the 80-byte
 *   dense fields when a Dict switches representation in place. Readers accept any capacity.
 * - DENSE (bit clear): an open-addressing hash table with Fibonacci hashing. Keys that hash
 *   to the same home slot form a chain; every chain starts at its home slot (the "head") and
 *   continues through slots reached by jumps from a fixed distance table. Each slot also
 *   carries `prev`/`next` links of a doubly linked list that records iteration order.
 *
 * Storage is described only by `data_`/`size_`/`slots_`/`data_deleter_` (plus the dense
 * fields); `data_` of a small map need not point just after the object.
 *
 * Every algorithm in this file is shared, inline, by all binaries that exchange maps, so the
 * layouts, constants and the exact placement decisions below are part of the binary
 * contract: a map built here must be readable and mutable by the other side's inline code
 * and vice versa.
 *
 * Map mutates copy-on-write and replaces its object whenever an insertion needs a new
 * container; Dict keeps its object and switches the new container's storage into it
 * (MapBaseObj::InsertInPlace).
 *
 * Keys are hashed with AnyHash and compared with AnyEqual.
 */
#ifndef TVM_FFI_CONTAINER_MAP_BASE_H_
#define TVM_FFI_CONTAINER_MAP_BASE_H_

#include <tvm/ffi/any.h>
#include <tvm/ffi/container/container_details.h>
#include <tvm/ffi/memory.h>
#include <tvm/ffi/object.h>
#include <tvm/ffi/optional.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <utility>

namespace tvm {
namespace ffi {

class SmallMapBaseObj;
class DenseMapBaseObj;

/*!
 * \brief The storage shared by MapObj and DictObj. Keys and values are owning Any cells.
 *
 * The class itself only holds the common header; the concrete allocation is always a
 * SmallMapBaseObj or a DenseMapBaseObj, and every operation dispatches on IsSmallMap().
 * The allocation helpers stamp the requested type index (ffi.Map or ffi.Dict) into the header.
 */
class MapBaseObj : public Object {
 public:
  using key_type = Any;
  using mapped_type = Any;
  /*! \brief One entry: key cell at +0, value cell at +16. */
  using KVType = std::pair<Any, Any>;
  class iterator;

  static_assert(sizeof(KVType) == 2 * sizeof(TVMFFIAny), "a KV entry is two Any cells");

  /*! \return number of entries. */
  size_t size() const { return static_cast<size_t>(size_); }
  /*! \return 1 if key is present, else 0. */
  size_t count(const key_type& key) const;
  /*! \return the value of key; throws KeyError when absent. */
  const mapped_type& at(const key_type& key) const;
  /*! \return the value of key; throws KeyError when absent. */
  mapped_type& at(const key_type& key);
  /*! \return iterator to the first entry in iteration (insertion) order. */
  iterator begin() const;
  /*! \return the past-the-end iterator. */
  iterator end() const;
  /*! \return iterator to key's entry, or end(). */
  iterator find(const key_type& key) const;
  /*! \brief Remove the entry at position (no-op for end()). The map must be unique. */
  void erase(const iterator& position);
  /*! \brief Remove key if present. The map must be unique. */
  void erase(const key_type& key);

  /*!
   * \brief Bidirectional iterator over the entries in iteration order.
   *
   * For a small map the position is the entry index (end = size); for a dense map it is the
   * slot index (end = DenseMapBaseObj::kInvalidIndex).
   */
  class iterator {
   public:
    using iterator_category = std::bidirectional_iterator_tag;
    using difference_type = int64_t;
    using value_type = KVType;
    using pointer = KVType*;
    using reference = KVType&;

    iterator() = default;
    /*! \brief Entry index (small) or slot index (dense) of the position. */
    uint64_t index() const { return index_; }
    bool operator==(const iterator& other) const {
      return index_ == other.index_ && self_ == other.self_;
    }
    bool operator!=(const iterator& other) const { return !(*this == other); }
    reference operator*() const;
    pointer operator->() const { return &(operator*()); }
    iterator& operator++();
    iterator& operator--();
    iterator operator++(int) {
      iterator copy = *this;
      ++(*this);
      return copy;
    }
    iterator operator--(int) {
      iterator copy = *this;
      --(*this);
      return copy;
    }

   protected:
    iterator(uint64_t index, const MapBaseObj* self) : index_(index), self_(self) {}

    /*! \brief Entry index (small) or slot index (dense). */
    uint64_t index_{0};
    /*! \brief The map being iterated. */
    const MapBaseObj* self_{nullptr};

    friend class MapBaseObj;
    friend class SmallMapBaseObj;
    friend class DenseMapBaseObj;
  };

 public:
  /*! \brief Bit 63 of `slots_`: set for the small representation. */
  static constexpr uint64_t kSmallTagMask = static_cast<uint64_t>(1) << 63;

  /*!
   * \return whether `index` (an iterator position taken earlier) still names a live entry;
   * a mutation in between may have moved or removed it.
   */
  bool IsLiveIndex(uint64_t index) const;
  /*! \return whether this object uses the small representation. */
  bool IsSmallMap() const { return (slots_ & kSmallTagMask) != 0; }
  /*! \return the capacity (small) or the slot count (dense). */
  uint64_t NumSlots() const { return slots_ & ~kSmallTagMask; }

  /*! \return a fresh empty small map of the default capacity with the given type index. */
  static ObjectPtr<Object> Empty(int32_t type_index);
  /*!
   * \return a copy of `from` with the given type index (small: capacity max(size, 2);
   * dense: slot-for-slot identical).
   */
  static ObjectPtr<Object> CopyFrom(const MapBaseObj* from, int32_t type_index);
  /*!
   * \brief Build a map from a range. make_kv turns `*it` into a KVType.
   *
   * n < 2 pairs: small map of capacity 2, filled without duplicate checks;
   * 2 <= n < 4: small map of capacity n, pairs inserted one by one (later duplicates win);
   * n >= 4: dense map sized for n, pairs inserted one by one.
   */
  template <typename IterType, typename MakeKV>
  static ObjectPtr<Object> CreateFromRange(IterType first, IterType last, MakeKV make_kv,
                                           int32_t type_index);

  /*!
   * \brief Insert or update kv in `self` without ever replacing the object (Dict discipline):
   * when the insertion needs a new container, its contents are switched into `self`.
   */
  static void InsertInPlace(KVType&& kv, MapBaseObj* self);
  /*! \brief Remove every entry in place, keeping the representation. */
  void ClearInPlace();
  /*!
   * \brief Take over the storage of `other` (a fresh container built to replace this one):
   * this object's own entries and storage are released first; `other` is left empty.
   */
  void InplaceSwitchTo(ObjectPtr<Object> other);
  /*! \brief Destroy the live entries/items and release the storage (fields cleared). */
  void ReleaseStorage();
  /*!
   * \brief The data_deleter installed by InplaceSwitchTo when the entries live inline in a
   * hidden small map: releases one strong reference of the object 56 bytes before `data`.
   */
  static void ReleaseOwner(void* data);
  /*!
   * \brief Insert or update kv in *map, which must be unique. May replace *map with a new
   * object (small growth, small-to-dense switch, dense rehash).
   */
  static void InsertMaybeReAlloc(KVType&& kv, ObjectPtr<Object>* map);

 protected:
  // Iterator plumbing, dispatched to the concrete representation.
  uint64_t IncItr(uint64_t index) const;
  uint64_t DecItr(uint64_t index) const;
  KVType* DeRefItr(uint64_t index) const;

  // ---- binary layout (obj+24 .. obj+56) ----
  /*! \brief Small: the entry array. Dense: the block array. */
  void* data_{nullptr};
  /*! \brief Number of entries. */
  uint64_t size_{0};
  /*! \brief Small: capacity | kSmallTagMask. Dense: number of slots (a power of two). */
  uint64_t slots_{0};
  /*! \brief Releases data_ when non-null (always set for dense block arrays). */
  void (*data_deleter_)(void*) = nullptr;

  template <typename, typename, typename>
  friend class Map;
  template <typename, typename, typename>
  friend class Dict;
  template <typename, typename>
  friend struct TypeTraits;
  friend class SmallMapBaseObj;
  friend class DenseMapBaseObj;
  friend class MapObj;
  friend class DictObj;
  friend struct details::ContainerLayoutProbe;
};

namespace details {
/*! \brief Overwrite the type index written by make_object (Map and Dict share classes). */
inline void StampTypeIndex(Object* obj, int32_t type_index) {
  ObjectUnsafe::GetHeader(obj)->type_index = type_index;
}
}  // namespace details

/*!
 * \brief Small representation: entries packed in insertion order right after the object.
 *
 * Lookups scan linearly. Erase shifts the following entries down (bitwise). Growth happens
 * by copying into a new, larger small object (capacity 2 -> 4); a full map of capacity 4
 * switches to the dense representation (see MapBaseObj::InsertMaybeReAlloc).
 */
class SmallMapBaseObj : public MapBaseObj,
                        public details::InplaceArrayBase<SmallMapBaseObj, MapBaseObj::KVType> {
 public:
  /*! \brief Capacity of an empty Map<K, V>(). */
  static constexpr uint64_t kInitSize = 2;
  /*! \brief Largest capacity of the small representation. */
  static constexpr uint64_t kMaxSize = 4;

  SmallMapBaseObj() = default;
  /*!
   * \brief Checks the representation at destruction time: a Dict allocated small may have
   * been switched to dense in place, and is then destroyed as a dense map.
   */
  ~SmallMapBaseObj() { ReleaseStorage(); }

 private:
  KVType* Entries() const { return static_cast<KVType*>(data_); }

  /*! \return index of the entry whose key equals key, or size_ when absent. */
  uint64_t FindIndex(const Any& key) const {
    KVType* entries = Entries();
    for (uint64_t i = 0; i < size_; ++i) {
      if (AnyEqual()(entries[i].first, key)) return i;
    }
    return size_;
  }

  /*! \brief Destroy the live entries (key then value), then release a foreign buffer. */
  void ReleaseSmallStorage() {
    KVType* entries = Entries();
    for (uint64_t i = 0; i < size_; ++i) {
      entries[i].first.~Any();
      entries[i].second.~Any();
    }
    if (data_ != nullptr && data_deleter_ != nullptr) data_deleter_(data_);
    size_ = 0;
    data_ = nullptr;
    data_deleter_ = nullptr;
  }

  /*! \return a new empty small map with room for n entries (n is raised to at least 2). */
  static ObjectPtr<SmallMapBaseObj> Empty(uint64_t n, int32_t type_index) {
    n = std::max(n, kInitSize);
    ObjectPtr<SmallMapBaseObj> p = make_inplace_array_object<SmallMapBaseObj, KVType>(n);
    details::StampTypeIndex(p.get(), type_index);
    p->data_ = p->AddressOf(0);
    p->size_ = 0;
    p->slots_ = n | kSmallTagMask;
    p->data_deleter_ = nullptr;
    return p;
  }

  /*! \brief Append kv at the end without any duplicate check (room must exist). */
  void AppendUnchecked(KVType&& kv) {
    new (Entries() + size_) KVType(std::move(kv));
    ++size_;
  }

  /*! \return a small copy of from whose capacity is max(size, 2). */
  static ObjectPtr<SmallMapBaseObj> CopyFrom(const SmallMapBaseObj* from, int32_t type_index) {
    ObjectPtr<SmallMapBaseObj> p = Empty(from->size_, type_index);
    KVType* src = from->Entries();
    for (uint64_t i = 0; i < from->size_; ++i) p->AppendUnchecked(KVType(src[i]));
    return p;
  }

  /*!
   * \brief Insert into a unique small map that is not (full at kMaxSize):
   * update in place, append, or grow to min(max(2 * capacity, 2), 4).
   */
  static void InsertMaybeReAlloc(KVType&& kv, ObjectPtr<Object>* map) {
    SmallMapBaseObj* self = static_cast<SmallMapBaseObj*>(map->get());
    uint64_t index = self->FindIndex(kv.first);
    if (index < self->size_) {
      self->Entries()[index].second = std::move(kv.second);
      return;
    }
    if (self->size_ < self->NumSlots()) {
      self->AppendUnchecked(std::move(kv));
      return;
    }
    uint64_t new_cap = std::min(std::max(self->NumSlots() * 2, kInitSize), kMaxSize);
    TVM_FFI_ICHECK_GT(new_cap, self->NumSlots());
    ObjectPtr<SmallMapBaseObj> grown = Empty(new_cap, self->type_index());
    KVType* src = self->Entries();
    for (uint64_t i = 0; i < self->size_; ++i) grown->AppendUnchecked(std::move(src[i]));
    grown->AppendUnchecked(std::move(kv));
    *map = std::move(grown);
  }

  /*! \brief Remove entry index: destroy it and slide the rest down one position. */
  void Erase(uint64_t index) {
    if (index >= size_) return;
    KVType* entries = Entries();
    entries[index].first.~Any();
    entries[index].second.~Any();
    std::memmove(static_cast<void*>(entries + index), static_cast<void*>(entries + index + 1),
                 (size_ - index - 1) * sizeof(KVType));
    size_ -= 1;
  }

  uint64_t IncItr(uint64_t index) const { return index + 1 < size_ ? index + 1 : size_; }
  uint64_t DecItr(uint64_t index) const { return index > 0 ? index - 1 : size_; }
  KVType* DeRefItr(uint64_t index) const { return Entries() + index; }

  friend class MapBaseObj;
  friend class DenseMapBaseObj;
  template <typename, typename, typename>
  friend class Map;
};

/*!
 * \brief Dense representation: open-addressing hash table in separately allocated blocks.
 *
 * Slot s lives in block s / 16 at position s % 16. A block holds 16 metadata bytes followed
 * by 16 items of 48 bytes (key, value, prev, next). A metadata byte is
 *   0xFF            empty slot (item memory is raw),
 *   0xFE            "protected": transiently reserved during one insertion,
 *   0b0jjjjjjj      chain head (the slot is its key's home slot), jump index j,
 *   0b1jjjjjjj      non-head chain element, jump index j,
 * where the next chain element is at (s + NextProbe(j)) mod slots and j == 0 ends the chain.
 *
 * The home slot of a hash h is (h * 0x9E3779B97F4A7C15) >> fib_shift_ (Fibonacci hashing),
 * fib_shift_ = 64 - log2(slots). Iteration follows the items' prev/next slot links from
 * iter_list_head_ to iter_list_tail_; a successful insert or update appends the slot to the
 * list's end.
 */
class DenseMapBaseObj : public MapBaseObj {
 public:
  DenseMapBaseObj() = default;
  ~DenseMapBaseObj() { Reset(); }

 private:
  /*! \brief Slots per block. */
  static constexpr uint64_t kBlockCap = 16;
  /*! \brief A map is "full" when one more entry would exceed slots * kMaxLoadFactor. */
  static constexpr double kMaxLoadFactor = 0.99;
  static constexpr uint8_t kEmptySlot = 0xFF;
  static constexpr uint8_t kProtectedSlot = 0xFE;
  /*! \brief Bit 7 of a metadata byte: set for non-head chain elements (and empty/protected). */
  static constexpr uint8_t kTailBit = 0x80;
  /*! \brief Bits 0..6 of a metadata byte: the jump index. */
  static constexpr uint8_t kJumpMask = 0x7F;
  /*! \brief Number of entries of the jump distance table. */
  static constexpr int kNumJumpDists = 126;
  /*! \brief "No slot": list ends and the end iterator. */
  static constexpr uint64_t kInvalidIndex = std::numeric_limits<uint64_t>::max();
  /*! \brief 2^64 divided by the golden ratio. */
  static constexpr uint64_t kFibonacciMultiplier = 11400714819323198485ULL;

  /*! \brief One slot's item: the entry plus the iteration-list links (48 bytes). */
  struct ItemType {
    KVType data;
    uint64_t prev = kInvalidIndex;
    uint64_t next = kInvalidIndex;

    explicit ItemType(KVType kv) : data(std::move(kv)) {}
    ItemType(const ItemType& other) = default;
    ItemType(ItemType&& other) = default;
  };

  /*! \brief 16 metadata bytes, then 16 items; trivially destructible on purpose. */
  struct Block {
    uint8_t bytes[kBlockCap + kBlockCap * sizeof(ItemType)];
  };

  static_assert(sizeof(ItemType) == 48, "dense map item must be 48 bytes");
  static_assert(sizeof(Block) == 784, "dense map block must be 784 bytes");
  static_assert(std::is_trivially_destructible_v<Block>, "blocks are freed without destructors");

  /*!
   * \brief Distance of jump index j (0 <= j < 126):
   * 0..15 for j < 16, then the triangular numbers n(n+1)/2 for n = 6..72, then a fixed list
   * of fast-growing distances.
   */
  static uint64_t NextProbe(int j) {
    // the spec's table, several numbers a line
    // clang-format off
    static constexpr uint64_t kFarJumps[kNumJumpDists - 83] = {
        8515ULL, 19110ULL, 42778ULL, 96141ULL, 216153ULL, 486591ULL, 1092981ULL, 2458653ULL,
        5532801ULL, 12442566ULL, 27993903ULL, 62983476ULL, 141717030ULL, 318844378ULL,
        717352503ULL, 1614057336ULL, 3631522476ULL, 8170957530ULL, 18384510628ULL, 41364789378ULL,
        93070452520ULL, 209408356380ULL, 471168559170ULL, 1060128894105ULL, 2385289465695ULL,
        5366898840628ULL, 12075518705635ULL, 27169915244790ULL, 61132312065111ULL,
        137547689707000ULL, 309482283181501ULL, 696335127828753ULL, 1566753995631385ULL,
        3525196511162271ULL, 7931691992677701ULL, 17846306936293605ULL, 40154190677507445ULL,
        90346928918121501ULL, 203280589587557251ULL, 457381325854679626ULL,
        1029107982097042876ULL, 2315492959180353330ULL, 5209859154120846435ULL,
    };
    // clang-format on
    if (j < 16) return static_cast<uint64_t>(j);
    if (j < 83) {
      uint64_t n = static_cast<uint64_t>(j) - 10;  // j = 16 -> n = 6
      return n * (n + 1) / 2;
    }
    return kFarJumps[j - 83];
  }

  // ---- slot access ----
  Block* Blocks() const { return static_cast<Block*>(data_); }
  static uint64_t NumBlocks(uint64_t n_slots) { return (n_slots + kBlockCap - 1) / kBlockCap; }
  uint8_t& MetaOf(uint64_t slot) const {
    return Blocks()[slot / kBlockCap].bytes[slot % kBlockCap];
  }
  ItemType& ItemOf(uint64_t slot) const {
    uint8_t* base = Blocks()[slot / kBlockCap].bytes + kBlockCap;
    return *reinterpret_cast<ItemType*>(base + (slot % kBlockCap) * sizeof(ItemType));
  }
  bool IsEmptySlot(uint64_t slot) const { return MetaOf(slot) == kEmptySlot; }
  /*! \brief Heads have bit 7 clear; empty and protected slots are never heads. */
  bool IsHeadSlot(uint64_t slot) const { return (MetaOf(slot) & kTailBit) == 0; }
  void SetJump(uint64_t slot, uint8_t jump) {
    MetaOf(slot) = static_cast<uint8_t>((MetaOf(slot) & kTailBit) | jump);
  }
  /*! \brief Follow the jump encoded in meta from slot; false at the end of the chain. */
  bool FollowJump(uint64_t slot, uint8_t meta, uint64_t* next) const {
    int jump = meta & kJumpMask;
    if (jump == 0) return false;
    *next = (slot + NextProbe(jump)) & (slots_ - 1);
    return true;
  }
  bool NextInChain(uint64_t slot, uint64_t* next) const {
    return FollowJump(slot, MetaOf(slot), next);
  }
  /*! \return the home slot of a key hash. */
  uint64_t HomeSlot(uint64_t hash) const { return (hash * kFibonacciMultiplier) >> fib_shift_; }
  /*! \return whether one more entry would exceed the load factor. */
  bool IsFull() const {
    return static_cast<double>(size_ + 1) > static_cast<double>(slots_) * kMaxLoadFactor;
  }

  /*!
   * \brief Probe from slot with jumps 1..125 and report the first empty slot found.
   * \return false when no empty slot is reachable.
   */
  bool FindEmptyFrom(uint64_t slot, uint8_t* jump, uint64_t* result) const {
    for (int j = 1; j < kNumJumpDists; ++j) {
      uint64_t candidate = (slot + NextProbe(j)) & (slots_ - 1);
      if (IsEmptySlot(candidate)) {
        *jump = static_cast<uint8_t>(j);
        *result = candidate;
        return true;
      }
    }
    return false;
  }

  /*! \return the chain predecessor of a non-head slot (walks from the key's home slot). */
  uint64_t FindPrev(uint64_t slot) const {
    uint64_t prev = HomeSlot(AnyHash()(ItemOf(slot).data.first));
    uint64_t cur = prev;
    NextInChain(cur, &cur);
    while (cur != slot) {
      prev = cur;
      if (!NextInChain(cur, &cur)) break;
    }
    return prev;
  }

  /*! \return the slot holding key, or kInvalidIndex. */
  uint64_t Search(const Any& key) const {
    if (size_ == 0) return kInvalidIndex;
    uint64_t slot = HomeSlot(AnyHash()(key));
    if (!IsHeadSlot(slot)) return kInvalidIndex;
    while (true) {
      if (AnyEqual()(key, ItemOf(slot).data.first)) return slot;
      if (!NextInChain(slot, &slot)) return kInvalidIndex;
    }
  }

  // ---- iteration list ----
  /*! \brief Append slot at the end of the iteration order. */
  void IterListPushBack(uint64_t slot) {
    ItemType& item = ItemOf(slot);
    item.prev = iter_list_tail_;
    item.next = kInvalidIndex;
    if (iter_list_tail_ != kInvalidIndex) ItemOf(iter_list_tail_).next = slot;
    if (iter_list_head_ == kInvalidIndex) iter_list_head_ = slot;
    iter_list_tail_ = slot;
  }
  /*! \brief Take slot out of the iteration order (its own links become stale). */
  void IterListUnlink(uint64_t slot) {
    ItemType& item = ItemOf(slot);
    if (item.prev == kInvalidIndex) {
      iter_list_head_ = item.next;
    } else {
      ItemOf(item.prev).next = item.next;
    }
    if (item.next == kInvalidIndex) {
      iter_list_tail_ = item.prev;
    } else {
      ItemOf(item.next).prev = item.prev;
    }
  }
  /*!
   * \brief Slot dst has taken over the prev/next links of another slot; point the
   * neighbours (or the list ends) at dst.
   */
  void IterListAdoptLinks(uint64_t dst) {
    ItemType& item = ItemOf(dst);
    if (item.prev == kInvalidIndex) {
      iter_list_head_ = dst;
    } else {
      ItemOf(item.prev).next = dst;
    }
    if (item.next == kInvalidIndex) {
      iter_list_tail_ = dst;
    } else {
      ItemOf(item.next).prev = dst;
    }
  }

  // ---- construction / destruction ----
  static void DeleteBlocks(void* blocks) { delete[] static_cast<Block*>(blocks); }

  /*! \brief Fibonacci shift and slot count for a table meant to hold `count` entries. */
  static void CalcTableSize(uint64_t count, uint32_t* fib_shift, uint64_t* n_slots) {
    uint32_t shift = 64;
    uint64_t slots = 1;
    for (uint64_t c = count; c != 0; c >>= 1) {
      shift -= 1;
      slots <<= 1;
    }
    if (slots < count * 2) {
      *fib_shift = shift - 1;
      *n_slots = slots << 1;
    } else {
      *fib_shift = shift;
      *n_slots = slots;
    }
  }

  /*! \return an empty dense map with n_slots slots (a power of two above kMaxSize). */
  static ObjectPtr<DenseMapBaseObj> Empty(uint32_t fib_shift, uint64_t n_slots,
                                          int32_t type_index) {
    TVM_FFI_ICHECK_GT(n_slots, SmallMapBaseObj::kMaxSize);
    ObjectPtr<DenseMapBaseObj> p = make_object<DenseMapBaseObj>();
    details::StampTypeIndex(p.get(), type_index);
    uint64_t n_blocks = NumBlocks(n_slots);
    Block* blocks = new Block[n_blocks];
    for (uint64_t b = 0; b < n_blocks; ++b) {
      std::memset(blocks[b].bytes, kEmptySlot, kBlockCap);
    }
    p->data_ = blocks;
    p->data_deleter_ = DeleteBlocks;
    p->slots_ = n_slots;
    p->size_ = 0;
    p->fib_shift_ = fib_shift;
    p->iter_list_head_ = kInvalidIndex;
    p->iter_list_tail_ = kInvalidIndex;
    return p;
  }

  /*! \return a slot-for-slot copy of from (same metadata, items and list links). */
  static ObjectPtr<DenseMapBaseObj> CopyFrom(const DenseMapBaseObj* from, int32_t type_index) {
    ObjectPtr<DenseMapBaseObj> p = make_object<DenseMapBaseObj>();
    details::StampTypeIndex(p.get(), type_index);
    uint64_t n_blocks = NumBlocks(from->slots_);
    Block* blocks = new Block[n_blocks];
    for (uint64_t b = 0; b < n_blocks; ++b) {
      std::memset(blocks[b].bytes, kEmptySlot, kBlockCap);
    }
    p->data_ = blocks;
    p->data_deleter_ = DeleteBlocks;
    p->slots_ = from->slots_;
    p->fib_shift_ = from->fib_shift_;
    for (uint64_t b = 0; b < n_blocks; ++b) {
      for (uint64_t j = 0; j < kBlockCap; ++j) {
        uint64_t slot = b * kBlockCap + j;
        uint8_t meta = from->Blocks()[b].bytes[j];
        TVM_FFI_ICHECK(meta != kProtectedSlot) << "cannot copy a map in the middle of an insert";
        if (meta != kEmptySlot && slot < from->slots_) {
          new (&p->ItemOf(slot)) ItemType(from->ItemOf(slot));
        }
        blocks[b].bytes[j] = meta;
      }
    }
    p->size_ = from->size_;
    p->iter_list_head_ = from->iter_list_head_;
    p->iter_list_tail_ = from->iter_list_tail_;
    return p;
  }

  /*!
   * \brief Destroy every item, release the blocks and leave an inert object
   * (no data, 0 slots, 0 entries, shift 63).
   */
  void Reset() {
    if (data_ != nullptr) {
      for (uint64_t slot = 0; slot < slots_; ++slot) {
        uint8_t& meta = MetaOf(slot);
        if (meta != kEmptySlot && meta != kProtectedSlot) {
          ItemOf(slot).~ItemType();
          meta = kEmptySlot;
        }
      }
      if (data_deleter_ != nullptr) data_deleter_(data_);
    }
    data_ = nullptr;
    data_deleter_ = nullptr;
    slots_ = 0;
    size_ = 0;
    fib_shift_ = 63;
  }

  // ---- insertion ----
  /*!
   * \brief Find or create the slot of key (a new slot holds (key, None)).
   *
   * An existing slot is unlinked from the iteration list; the caller re-appends it.
   * \return false when the table cannot take the key (full or no reachable empty slot);
   * the caller then rehashes.
   */
  bool TryInsert(const Any& key, uint64_t* result) {
    if (slots_ == 0) return false;
    uint64_t home = HomeSlot(AnyHash()(key));
    // (1) home slot empty: start a new chain there
    if (IsEmptySlot(home)) {
      MetaOf(home) = 0x00;
      new (&ItemOf(home)) ItemType(KVType(key, Any()));
      size_ += 1;
      *result = home;
      return true;
    }
    // (2) home slot borrowed by another chain: evict that chain's tail part
    if (!IsHeadSlot(home)) {
      if (IsFull()) return false;
      return TrySpareListHead(home, key, result);
    }
    // (3) home slot heads the key's chain: look for the key along the chain
    uint64_t cur = home;
    uint64_t last = home;
    do {
      if (AnyEqual()(key, ItemOf(cur).data.first)) {
        IterListUnlink(cur);
        *result = cur;
        return true;
      }
      last = cur;
    } while (NextInChain(cur, &cur));
    // not found: hang a new element after the chain's last element
    if (IsFull()) return false;
    uint8_t jump;
    uint64_t empty;
    if (!FindEmptyFrom(last, &jump, &empty)) return false;
    MetaOf(empty) = kTailBit;
    new (&ItemOf(empty)) ItemType(KVType(key, Any()));
    SetJump(last, jump);
    size_ += 1;
    *result = empty;
    return true;
  }

  /*!
   * \brief Free slot `target` (currently a non-head element of a foreign chain) and make it
   * the head of a new chain holding (key, None).
   *
   * The element in target and every later element of its chain are moved, one by one, to
   * empty slots found by probing from the previous element of the moved chain (the
   * predecessor of target for the first one). The first vacated slot (target) is marked
   * protected so the probing cannot hand it out; later vacated slots become empty and may
   * be reused. Each moved element keeps its place in the iteration order.
   */
  bool TrySpareListHead(uint64_t target, const Any& key, uint64_t* result) {
    uint64_t read = target;
    uint64_t write = FindPrev(target);
    bool is_first = true;
    while (true) {
      uint8_t jump;
      uint64_t empty;
      if (!FindEmptyFrom(write, &jump, &empty)) return false;
      uint8_t read_meta = MetaOf(read);
      // move the element into its new slot as a non-head element, links included
      MetaOf(empty) = kTailBit;
      new (&ItemOf(empty)) ItemType(std::move(ItemOf(read)));
      IterListAdoptLinks(empty);
      ItemOf(read).~ItemType();
      MetaOf(read) = is_first ? kProtectedSlot : kEmptySlot;
      is_first = false;
      SetJump(write, jump);
      write = empty;
      // advance along the old chain using the metadata saved before the slot was cleared
      if (!FollowJump(read, read_meta, &read)) break;
    }
    MetaOf(target) = 0x00;
    new (&ItemOf(target)) ItemType(KVType(key, Any()));
    size_ += 1;
    *result = target;
    return true;
  }

  /*!
   * \brief Insert or update kv in a unique dense map; rehash into twice the slots when the
   * table cannot take the key.
   */
  static void InsertMaybeReAlloc(KVType&& kv, ObjectPtr<Object>* map) {
    DenseMapBaseObj* self = static_cast<DenseMapBaseObj*>(map->get());
    uint64_t slot;
    if (self->TryInsert(kv.first, &slot)) {
      self->ItemOf(slot).data.second = std::move(kv.second);
      self->IterListPushBack(slot);
      return;
    }
    // Rehash: a table with twice the slots, refilled in iteration order, then the new entry.
    ObjectPtr<Object> grown = Empty(self->fib_shift_ - 1, self->slots_ * 2, self->type_index());
    for (uint64_t cur = self->iter_list_head_; cur != kInvalidIndex;) {
      ItemType& item = self->ItemOf(cur);
      uint64_t next = item.next;
      InsertMaybeReAlloc(std::move(item.data), &grown);
      cur = next;
    }
    InsertMaybeReAlloc(std::move(kv), &grown);
    // the old object keeps no storage; it is dropped when *map is replaced
    self->Reset();
    *map = std::move(grown);
  }

  /*! \brief Build a dense map from the entries of a full small map (moving them). */
  static ObjectPtr<Object> FromSmallMap(SmallMapBaseObj* small) {
    uint32_t fib_shift;
    uint64_t n_slots;
    CalcTableSize(small->size_, &fib_shift, &n_slots);
    ObjectPtr<Object> p = Empty(fib_shift, n_slots, small->type_index());
    MapBaseObj::KVType* entries = small->Entries();
    for (uint64_t i = 0; i < small->size_; ++i) {
      InsertMaybeReAlloc(std::move(entries[i]), &p);
    }
    return p;
  }

  // ---- erase ----
  /*!
   * \brief Remove the entry in slot. If the slot has chain successors, the chain's last
   * element moves into it (taking its place in iteration order) so the chain stays
   * contiguous; the vacated last slot becomes empty.
   */
  void Erase(uint64_t slot) {
    size_ -= 1;
    uint64_t next;
    if (!NextInChain(slot, &next)) {
      if (!IsHeadSlot(slot)) SetJump(FindPrev(slot), 0);
      IterListUnlink(slot);
      ItemOf(slot).~ItemType();
      MetaOf(slot) = kEmptySlot;
      return;
    }
    uint64_t prev = slot;
    uint64_t last = next;
    while (NextInChain(last, &next)) {
      prev = last;
      last = next;
    }
    IterListUnlink(slot);
    ItemType& dst = ItemOf(slot);
    ItemType& src = ItemOf(last);
    dst.data = std::move(src.data);
    dst.prev = src.prev;
    dst.next = src.next;
    IterListAdoptLinks(slot);
    src.~ItemType();
    MetaOf(last) = kEmptySlot;
    SetJump(prev, 0);
  }

  // ---- iteration ----
  uint64_t IncItr(uint64_t index) const {
    return index == kInvalidIndex ? kInvalidIndex : ItemOf(index).next;
  }
  uint64_t DecItr(uint64_t index) const {
    return index == kInvalidIndex ? iter_list_tail_ : ItemOf(index).prev;
  }
  KVType* DeRefItr(uint64_t index) const { return &ItemOf(index).data; }

  // ---- binary layout (obj+56 .. obj+80) ----
  /*! \brief 64 - log2(slots). */
  uint32_t fib_shift_{63};
  /*! \brief First slot in iteration order. */
  uint64_t iter_list_head_{kInvalidIndex};
  /*! \brief Last slot in iteration order. */
  uint64_t iter_list_tail_{kInvalidIndex};

  friend class MapBaseObj;
  template <typename, typename, typename>
  friend class Map;
  friend struct details::ContainerLayoutProbe;
};

// ---------------------------------------------------------------------------------------
// MapBaseObj: dispatch to the concrete representation
// ---------------------------------------------------------------------------------------

inline MapBaseObj::iterator::reference MapBaseObj::iterator::operator*() const {
  return *self_->DeRefItr(index_);
}

inline MapBaseObj::iterator& MapBaseObj::iterator::operator++() {
  index_ = self_->IncItr(index_);
  return *this;
}

inline MapBaseObj::iterator& MapBaseObj::iterator::operator--() {
  index_ = self_->DecItr(index_);
  return *this;
}

inline uint64_t MapBaseObj::IncItr(uint64_t index) const {
  return IsSmallMap() ? static_cast<const SmallMapBaseObj*>(this)->IncItr(index)
                      : static_cast<const DenseMapBaseObj*>(this)->IncItr(index);
}

inline uint64_t MapBaseObj::DecItr(uint64_t index) const {
  return IsSmallMap() ? static_cast<const SmallMapBaseObj*>(this)->DecItr(index)
                      : static_cast<const DenseMapBaseObj*>(this)->DecItr(index);
}

inline MapBaseObj::KVType* MapBaseObj::DeRefItr(uint64_t index) const {
  return IsSmallMap() ? static_cast<const SmallMapBaseObj*>(this)->DeRefItr(index)
                      : static_cast<const DenseMapBaseObj*>(this)->DeRefItr(index);
}

inline MapBaseObj::iterator MapBaseObj::begin() const {
  if (IsSmallMap()) return iterator(0, this);
  return iterator(static_cast<const DenseMapBaseObj*>(this)->iter_list_head_, this);
}

inline MapBaseObj::iterator MapBaseObj::end() const {
  if (IsSmallMap()) return iterator(size_, this);
  return iterator(DenseMapBaseObj::kInvalidIndex, this);
}

inline MapBaseObj::iterator MapBaseObj::find(const key_type& key) const {
  if (IsSmallMap()) {
    return iterator(static_cast<const SmallMapBaseObj*>(this)->FindIndex(key), this);
  }
  return iterator(static_cast<const DenseMapBaseObj*>(this)->Search(key), this);
}

inline size_t MapBaseObj::count(const key_type& key) const { return find(key) != end() ? 1 : 0; }

inline const MapBaseObj::mapped_type& MapBaseObj::at(const key_type& key) const {
  iterator it = find(key);
  if (it == end()) {
    TVM_FFI_THROW(KeyError) << "key is not in Map";
  }
  return it->second;
}

inline MapBaseObj::mapped_type& MapBaseObj::at(const key_type& key) {
  iterator it = find(key);
  if (it == end()) {
    TVM_FFI_THROW(KeyError) << "key is not in Map";
  }
  return it->second;
}

inline void MapBaseObj::erase(const iterator& position) {
  if (position.self_ != this || position == end()) return;
  if (IsSmallMap()) {
    static_cast<SmallMapBaseObj*>(this)->Erase(position.index_);
  } else {
    static_cast<DenseMapBaseObj*>(this)->Erase(position.index_);
  }
}

inline void MapBaseObj::erase(const key_type& key) { erase(find(key)); }

inline ObjectPtr<Object> MapBaseObj::Empty(int32_t type_index) {
  return SmallMapBaseObj::Empty(SmallMapBaseObj::kInitSize, type_index);
}

inline ObjectPtr<Object> MapBaseObj::CopyFrom(const MapBaseObj* from, int32_t type_index) {
  if (from->IsSmallMap()) {
    return SmallMapBaseObj::CopyFrom(static_cast<const SmallMapBaseObj*>(from), type_index);
  }
  return DenseMapBaseObj::CopyFrom(static_cast<const DenseMapBaseObj*>(from), type_index);
}

template <typename IterType, typename MakeKV>
inline ObjectPtr<Object> MapBaseObj::CreateFromRange(IterType first, IterType last, MakeKV make_kv,
                                                     int32_t type_index) {
  int64_t count = static_cast<int64_t>(std::distance(first, last));
  if (count < 0) return SmallMapBaseObj::Empty(SmallMapBaseObj::kInitSize, type_index);
  uint64_t n = static_cast<uint64_t>(count);
  if (n < 2) {
    ObjectPtr<SmallMapBaseObj> p = SmallMapBaseObj::Empty(n, type_index);
    for (; first != last; ++first) p->AppendUnchecked(make_kv(*first));
    return p;
  }
  if (n < SmallMapBaseObj::kMaxSize) {
    ObjectPtr<Object> p = SmallMapBaseObj::Empty(n, type_index);
    for (; first != last; ++first) SmallMapBaseObj::InsertMaybeReAlloc(make_kv(*first), &p);
    return p;
  }
  uint32_t fib_shift;
  uint64_t n_slots;
  DenseMapBaseObj::CalcTableSize(n, &fib_shift, &n_slots);
  ObjectPtr<Object> p = DenseMapBaseObj::Empty(fib_shift, n_slots, type_index);
  for (; first != last; ++first) DenseMapBaseObj::InsertMaybeReAlloc(make_kv(*first), &p);
  return p;
}

inline void MapBaseObj::InsertMaybeReAlloc(KVType&& kv, ObjectPtr<Object>* map) {
  MapBaseObj* base = static_cast<MapBaseObj*>(map->get());
  if (!base->IsSmallMap()) {
    DenseMapBaseObj::InsertMaybeReAlloc(std::move(kv), map);
    return;
  }
  SmallMapBaseObj* small = static_cast<SmallMapBaseObj*>(base);
  uint64_t capacity = small->NumSlots();
  if (capacity < SmallMapBaseObj::kMaxSize || small->size_ < capacity) {
    SmallMapBaseObj::InsertMaybeReAlloc(std::move(kv), map);
    return;
  }
  // A full small map at the largest small capacity always becomes dense, even when the key
  // is already present (the update then moves that key to the end of iteration order).
  ObjectPtr<Object> dense = DenseMapBaseObj::FromSmallMap(small);
  DenseMapBaseObj::InsertMaybeReAlloc(std::move(kv), &dense);
  *map = std::move(dense);
}

// ---------------------------------------------------------------------------------------
// In-place discipline (Dict): the object never changes address
// ---------------------------------------------------------------------------------------

inline void MapBaseObj::ReleaseStorage() {
  if (IsSmallMap()) {
    static_cast<SmallMapBaseObj*>(this)->ReleaseSmallStorage();
  } else {
    // dense: a dense allocation, or a small allocation switched to dense in place
    static_cast<DenseMapBaseObj*>(this)->Reset();
  }
}

inline bool MapBaseObj::IsLiveIndex(uint64_t index) const {
  if (IsSmallMap()) return index < size_;
  if (index >= slots_ || data_ == nullptr) return false;
  uint8_t meta = static_cast<const DenseMapBaseObj*>(this)->MetaOf(index);
  return meta != DenseMapBaseObj::kEmptySlot && meta != DenseMapBaseObj::kProtectedSlot;
}

inline void MapBaseObj::ReleaseOwner(void* data) {
  TVMFFIObjectDecRef(static_cast<char*>(data) - sizeof(MapBaseObj));
}

inline void MapBaseObj::InplaceSwitchTo(ObjectPtr<Object> other) {
  MapBaseObj* from = static_cast<MapBaseObj*>(other.get());
  if (from->IsSmallMap() && !IsSmallMap()) {
    TVM_FFI_THROW(InternalError) << "a dense map never switches back to the small representation";
  }
  // step 1: drop this object's own entries and storage
  ReleaseStorage();
  if (from->IsSmallMap()) {
    size_ = from->size_;
    slots_ = from->slots_;
    data_ = from->data_;
    if (from->data_deleter_ != nullptr) {
      // the entries live in a buffer of their own: take over its deleter
      data_deleter_ = from->data_deleter_;
      from->data_ = nullptr;
      from->data_deleter_ = nullptr;
      from->size_ = 0;
    } else {
      // the entries live inline in `from`: keep it alive, released through ReleaseOwner
      from->size_ = 0;
      data_deleter_ = ReleaseOwner;
      details::ObjectUnsafe::MoveObjectPtrToTVMFFIObjectPtr(std::move(other));
    }
    return;
  }
  // dense: all dense fields, also over a small allocation (which is at least 80 bytes)
  DenseMapBaseObj* dst = static_cast<DenseMapBaseObj*>(this);
  DenseMapBaseObj* src = static_cast<DenseMapBaseObj*>(from);
  dst->size_ = src->size_;
  dst->slots_ = src->slots_;
  dst->data_ = src->data_;
  dst->data_deleter_ = src->data_deleter_;
  dst->fib_shift_ = src->fib_shift_;
  dst->iter_list_head_ = src->iter_list_head_;
  dst->iter_list_tail_ = src->iter_list_tail_;
  src->data_ = nullptr;
  src->data_deleter_ = nullptr;
  src->size_ = 0;
  src->slots_ = 0;
}

inline void MapBaseObj::InsertInPlace(KVType&& kv, MapBaseObj* self) {
  ObjectPtr<Object> holder = details::ObjectUnsafe::ObjectPtrFromUnowned<Object>(self);
  InsertMaybeReAlloc(std::move(kv), &holder);
  if (holder.get() != self) self->InplaceSwitchTo(std::move(holder));
}

inline void MapBaseObj::ClearInPlace() {
  if (IsSmallMap()) {
    KVType* entries = static_cast<KVType*>(data_);
    for (uint64_t i = 0; i < size_; ++i) {
      entries[i].first.~Any();
      entries[i].second.~Any();
    }
    size_ = 0;
    return;
  }
  DenseMapBaseObj* dense = static_cast<DenseMapBaseObj*>(this);
  for (uint64_t slot = 0; slot < slots_; ++slot) {
    uint8_t& meta = dense->MetaOf(slot);
    if (meta != DenseMapBaseObj::kEmptySlot) {
      if (meta != DenseMapBaseObj::kProtectedSlot) dense->ItemOf(slot).~ItemType();
      meta = DenseMapBaseObj::kEmptySlot;
    }
  }
  size_ = 0;
  dense->iter_list_head_ = DenseMapBaseObj::kInvalidIndex;
  dense->iter_list_tail_ = DenseMapBaseObj::kInvalidIndex;
}

}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_CONTAINER_MAP_BASE_H_
