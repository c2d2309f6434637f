/*!
 * \file tvm/ffi/container/map.h
 * \brief The hash map container: MapObj (type index kTVMFFIMap) and Map<K, V>.
 *
 * A map object has one of two memory representations, told apart by bit 63 of `slots_`:
 *
 * - SMALL (bit set): a packed array of key/value pairs stored right after the object, in
 *   insertion order, searched linearly. Used for at most SmallMapObj::kMaxSize entries.
 * - DENSE (bit clear): an open-addressing hash table with Fibonacci hashing. Keys that hash
 *   to the same home slot form a chain; every chain starts at its home slot (the "head") and
 *   continues through slots reached by jumps from a fixed distance table. Each slot also
 *   carries `prev`/`next` links of a doubly linked list that records iteration order.
 *
 * Every algorithm in this file is shared, inline, by all binaries that exchange maps, so the
 * layouts, constants and the exact placement decisions below are part of the binary
 * contract (see the spec's layouts.md §2): a map built here must be readable and mutable by
 * the other side's inline code and vice versa.
 *
 * Keys are hashed with AnyHash and compared with AnyEqual (strings by content, with the small
 * and heap string forms treated as the same key; everything else by its 64-bit payload).
 */
#ifndef TVM_FFI_CONTAINER_MAP_H_
#define TVM_FFI_CONTAINER_MAP_H_

#include <tvm/ffi/any.h>
#include <tvm/ffi/container/container_details.h>
#include <tvm/ffi/memory.h>
#include <tvm/ffi/object.h>
#include <tvm/ffi/optional.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>

namespace tvm {
namespace ffi {

class SmallMapObj;
class DenseMapObj;

/*!
 * \brief The map object shared by every Map<K, V>. Keys and values are owning Any cells.
 *
 * The class itself only holds the common header; the concrete object is always a
 * SmallMapObj or a DenseMapObj, and every operation dispatches on IsSmallMap().
 */
class MapObj : public Object {
 public:
  using key_type = Any;
  using mapped_type = Any;
  /*! \brief One entry: key cell at +0, value cell at +16. */
  using KVType = std::pair<Any, Any>;
  class iterator;

  static_assert(sizeof(KVType) == 2 * sizeof(TVMFFIAny), "a KV entry is two Any cells");

  static constexpr int32_t _type_index = TypeIndex::kTVMFFIMap;
  static constexpr bool _type_final = true;
  TVM_FFI_DECLARE_OBJECT_INFO_STATIC(StaticTypeKey::kTVMFFIMap, MapObj, Object);

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
   * slot index (end = DenseMapObj::kInvalidIndex).
   */
  class iterator {
   public:
    using iterator_category = std::bidirectional_iterator_tag;
    using difference_type = int64_t;
    using value_type = KVType;
    using pointer = KVType*;
    using reference = KVType&;

    iterator() = default;
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
    iterator(uint64_t index, const MapObj* self) : index_(index), self_(self) {}

    /*! \brief Entry index (small) or slot index (dense). */
    uint64_t index_{0};
    /*! \brief The map being iterated. */
    const MapObj* self_{nullptr};

    friend class MapObj;
    friend class SmallMapObj;
    friend class DenseMapObj;
  };

 protected:
  /*! \brief Bit 63 of `slots_`: set for the small representation. */
  static constexpr uint64_t kSmallTagMask = static_cast<uint64_t>(1) << 63;

  /*! \return whether this object uses the small representation. */
  bool IsSmallMap() const { return (slots_ & kSmallTagMask) != 0; }
  /*! \return the capacity (small) or the slot count (dense). */
  uint64_t NumSlots() const { return slots_ & ~kSmallTagMask; }

  /*! \return a fresh empty small map of the default capacity. */
  static ObjectPtr<MapObj> Empty();
  /*! \return a copy of `from` (small: capacity = size; dense: slot-for-slot identical). */
  static ObjectPtr<MapObj> CopyFrom(MapObj* from);
  /*!
   * \brief Build a map from a range. make_kv turns `*it` into a KVType.
   *
   * n < 2 pairs: small map of capacity exactly n, filled without duplicate checks;
   * 2 <= n < 4: small map of capacity n, pairs inserted one by one (later duplicates win);
   * n >= 4: dense map sized for n, pairs inserted one by one.
   */
  template <typename IterType, typename MakeKV>
  static ObjectPtr<Object> CreateFromRange(IterType first, IterType last, MakeKV make_kv);
  /*! \brief CreateFromRange for ranges whose elements convert to KVType directly. */
  template <typename IterType>
  static ObjectPtr<Object> CreateFromRange(IterType first, IterType last) {
    return CreateFromRange(first, last, [](const auto& kv) { return KVType(kv); });
  }
  /*!
   * \brief Insert or update kv in *map, which must be unique. May replace *map with a new
   * object (small growth, small-to-dense switch, dense rehash).
   */
  static void InsertMaybeReAlloc(KVType&& kv, ObjectPtr<Object>* map);

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
  friend class SmallMapObj;
  friend class DenseMapObj;
  friend struct details::ContainerLayoutProbe;
};

/*!
 * \brief Small representation: entries packed in insertion order right after the object.
 *
 * Lookups scan linearly. Erase shifts the following entries down (bitwise). Growth happens
 * by copying into a new, larger small object (capacity 2 -> 4); a full map of capacity 4
 * switches to the dense representation (see MapObj::InsertMaybeReAlloc).
 */
class SmallMapObj : public MapObj, public details::InplaceArrayBase<SmallMapObj, MapObj::KVType> {
 public:
  /*! \brief Capacity of an empty Map<K, V>(). */
  static constexpr uint64_t kInitSize = 2;
  /*! \brief Largest capacity of the small representation. */
  static constexpr uint64_t kMaxSize = 4;

  SmallMapObj() = default;
  ~SmallMapObj() {
    KVType* entries = Entries();
    for (uint64_t i = 0; i < size_; ++i) {
      // key first, then value, entry by entry
      entries[i].first.~Any();
      entries[i].second.~Any();
    }
    if (data_ != nullptr && data_deleter_ != nullptr) data_deleter_(data_);
  }

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

  /*! \return a new empty small map with room for n entries. */
  static ObjectPtr<SmallMapObj> Empty(uint64_t n = kInitSize) {
    ObjectPtr<SmallMapObj> p = make_inplace_array_object<SmallMapObj, KVType>(n);
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

  /*! \return a small copy of from whose capacity equals its size. */
  static ObjectPtr<SmallMapObj> CopyFrom(SmallMapObj* from) {
    ObjectPtr<SmallMapObj> p = Empty(from->size_);
    KVType* src = from->Entries();
    for (uint64_t i = 0; i < from->size_; ++i) p->AppendUnchecked(KVType(src[i]));
    return p;
  }

  /*!
   * \brief Insert into a unique small map that is not (full at kMaxSize):
   * update in place, append, or grow to min(max(2 * capacity, 2), 4).
   */
  static void InsertMaybeReAlloc(KVType&& kv, ObjectPtr<Object>* map) {
    SmallMapObj* self = static_cast<SmallMapObj*>(map->get());
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
    ObjectPtr<SmallMapObj> grown = Empty(new_cap);
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

  friend class MapObj;
  friend class DenseMapObj;
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
class DenseMapObj : public MapObj {
 public:
  DenseMapObj() = default;
  ~DenseMapObj() { Reset(); }

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
  static ObjectPtr<DenseMapObj> Empty(uint32_t fib_shift, uint64_t n_slots) {
    TVM_FFI_ICHECK_GT(n_slots, SmallMapObj::kMaxSize);
    ObjectPtr<DenseMapObj> p = make_object<DenseMapObj>();
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
  static ObjectPtr<DenseMapObj> CopyFrom(DenseMapObj* from) {
    ObjectPtr<DenseMapObj> p = make_object<DenseMapObj>();
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
    DenseMapObj* self = static_cast<DenseMapObj*>(map->get());
    uint64_t slot;
    if (self->TryInsert(kv.first, &slot)) {
      self->ItemOf(slot).data.second = std::move(kv.second);
      self->IterListPushBack(slot);
      return;
    }
    // Rehash: a table with twice the slots, refilled in iteration order, then the new entry.
    ObjectPtr<Object> grown = Empty(self->fib_shift_ - 1, self->slots_ * 2);
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
  static ObjectPtr<Object> FromSmallMap(SmallMapObj* small) {
    uint32_t fib_shift;
    uint64_t n_slots;
    CalcTableSize(small->size_, &fib_shift, &n_slots);
    ObjectPtr<Object> p = Empty(fib_shift, n_slots);
    MapObj::KVType* entries = small->Entries();
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

  friend class MapObj;
  template <typename, typename, typename>
  friend class Map;
  friend struct details::ContainerLayoutProbe;
};

// ---------------------------------------------------------------------------------------
// MapObj: dispatch to the concrete representation
// ---------------------------------------------------------------------------------------

inline MapObj::iterator::reference MapObj::iterator::operator*() const {
  return *self_->DeRefItr(index_);
}

inline MapObj::iterator& MapObj::iterator::operator++() {
  index_ = self_->IncItr(index_);
  return *this;
}

inline MapObj::iterator& MapObj::iterator::operator--() {
  index_ = self_->DecItr(index_);
  return *this;
}

inline uint64_t MapObj::IncItr(uint64_t index) const {
  return IsSmallMap() ? static_cast<const SmallMapObj*>(this)->IncItr(index)
                      : static_cast<const DenseMapObj*>(this)->IncItr(index);
}

inline uint64_t MapObj::DecItr(uint64_t index) const {
  return IsSmallMap() ? static_cast<const SmallMapObj*>(this)->DecItr(index)
                      : static_cast<const DenseMapObj*>(this)->DecItr(index);
}

inline MapObj::KVType* MapObj::DeRefItr(uint64_t index) const {
  return IsSmallMap() ? static_cast<const SmallMapObj*>(this)->DeRefItr(index)
                      : static_cast<const DenseMapObj*>(this)->DeRefItr(index);
}

inline MapObj::iterator MapObj::begin() const {
  if (IsSmallMap()) return iterator(0, this);
  return iterator(static_cast<const DenseMapObj*>(this)->iter_list_head_, this);
}

inline MapObj::iterator MapObj::end() const {
  if (IsSmallMap()) return iterator(size_, this);
  return iterator(DenseMapObj::kInvalidIndex, this);
}

inline MapObj::iterator MapObj::find(const key_type& key) const {
  if (IsSmallMap()) {
    return iterator(static_cast<const SmallMapObj*>(this)->FindIndex(key), this);
  }
  return iterator(static_cast<const DenseMapObj*>(this)->Search(key), this);
}

inline size_t MapObj::count(const key_type& key) const { return find(key) != end() ? 1 : 0; }

inline const MapObj::mapped_type& MapObj::at(const key_type& key) const {
  iterator it = find(key);
  if (it == end()) {
    TVM_FFI_THROW(KeyError) << "key is not in Map";
  }
  return it->second;
}

inline MapObj::mapped_type& MapObj::at(const key_type& key) {
  iterator it = find(key);
  if (it == end()) {
    TVM_FFI_THROW(KeyError) << "key is not in Map";
  }
  return it->second;
}

inline void MapObj::erase(const iterator& position) {
  if (position.self_ != this || position == end()) return;
  if (IsSmallMap()) {
    static_cast<SmallMapObj*>(this)->Erase(position.index_);
  } else {
    static_cast<DenseMapObj*>(this)->Erase(position.index_);
  }
}

inline void MapObj::erase(const key_type& key) { erase(find(key)); }

inline ObjectPtr<MapObj> MapObj::Empty() { return SmallMapObj::Empty(SmallMapObj::kInitSize); }

inline ObjectPtr<MapObj> MapObj::CopyFrom(MapObj* from) {
  if (from->IsSmallMap()) return SmallMapObj::CopyFrom(static_cast<SmallMapObj*>(from));
  return DenseMapObj::CopyFrom(static_cast<DenseMapObj*>(from));
}

template <typename IterType, typename MakeKV>
inline ObjectPtr<Object> MapObj::CreateFromRange(IterType first, IterType last, MakeKV make_kv) {
  int64_t count = static_cast<int64_t>(std::distance(first, last));
  if (count < 0) return SmallMapObj::Empty();
  uint64_t n = static_cast<uint64_t>(count);
  if (n < 2) {
    ObjectPtr<SmallMapObj> p = SmallMapObj::Empty(n);
    for (; first != last; ++first) p->AppendUnchecked(make_kv(*first));
    return p;
  }
  if (n < SmallMapObj::kMaxSize) {
    ObjectPtr<Object> p = SmallMapObj::Empty(n);
    for (; first != last; ++first) SmallMapObj::InsertMaybeReAlloc(make_kv(*first), &p);
    return p;
  }
  uint32_t fib_shift;
  uint64_t n_slots;
  DenseMapObj::CalcTableSize(n, &fib_shift, &n_slots);
  ObjectPtr<Object> p = DenseMapObj::Empty(fib_shift, n_slots);
  for (; first != last; ++first) DenseMapObj::InsertMaybeReAlloc(make_kv(*first), &p);
  return p;
}

inline void MapObj::InsertMaybeReAlloc(KVType&& kv, ObjectPtr<Object>* map) {
  MapObj* base = static_cast<MapObj*>(map->get());
  if (!base->IsSmallMap()) {
    DenseMapObj::InsertMaybeReAlloc(std::move(kv), map);
    return;
  }
  SmallMapObj* small = static_cast<SmallMapObj*>(base);
  uint64_t capacity = small->NumSlots();
  if (capacity < SmallMapObj::kMaxSize || small->size_ < capacity) {
    SmallMapObj::InsertMaybeReAlloc(std::move(kv), map);
    return;
  }
  // A full small map at the largest small capacity always becomes dense, even when the key
  // is already present (the update then moves that key to the end of iteration order).
  ObjectPtr<Object> dense = DenseMapObj::FromSmallMap(small);
  DenseMapObj::InsertMaybeReAlloc(std::move(kv), &dense);
  *map = std::move(dense);
}

/*! \brief MapObj has no storage of its own: create maps through Map<K, V> or MapObj helpers. */
template <>
inline ObjectPtr<MapObj> make_object<MapObj>() = delete;

// ---------------------------------------------------------------------------------------
// Map<K, V>
// ---------------------------------------------------------------------------------------

/*!
 * \brief Copy-on-write hash map reference with typed keys and values.
 *
 * Iteration follows insertion order (an update of a key in a dense map moves it to the end).
 * Mutations copy the underlying object first unless this reference is its only owner.
 * Elements are stored as Any cells in the canonical form of K and V; typed reads trust that
 * form (it is checked when a Map<K, V> is produced from an Any).
 *
 * \tparam K key type (Any, or a storable type)
 * \tparam V value type (Any, or a storable type)
 */
template <typename K, typename V,
          typename =
              std::enable_if_t<details::storage_enabled_v<K> && details::storage_enabled_v<V>>>
class Map : public ObjectRef {
 public:
  using key_type = K;
  using mapped_type = V;
  class iterator;

  /*! \brief An empty map (a real object, not null). */
  Map() : ObjectRef(ObjectPtr<Object>(MapObj::Empty())) {}
  /*! \brief A null map (for internal and reflection use). */
  explicit Map(UnsafeInit tag) : ObjectRef(tag) {}
  Map(const Map& other) = default;
  Map(Map&& other) noexcept = default;
  Map& operator=(const Map& other) = default;
  Map& operator=(Map&& other) noexcept = default;

  /*! \brief Zero-copy upcast from a map whose keys/values are contained in K/V. */
  template <typename KU, typename VU,
            typename = std::enable_if_t<details::type_contains_v<K, KU> &&
                                        details::type_contains_v<V, VU>>>
  Map(const Map<KU, VU>& other)  // NOLINT(*)
      : ObjectRef(details::ObjectUnsafe::ObjectPtrFromObjectRef<Object>(other)) {}
  template <typename KU, typename VU,
            typename = std::enable_if_t<details::type_contains_v<K, KU> &&
                                        details::type_contains_v<V, VU>>>
  Map(Map<KU, VU>&& other)  // NOLINT(*)
      : ObjectRef(details::ObjectUnsafe::ObjectPtrFromObjectRef<Object>(std::move(other))) {}
  template <typename KU, typename VU,
            typename = std::enable_if_t<details::type_contains_v<K, KU> &&
                                        details::type_contains_v<V, VU>>>
  Map<K, V>& operator=(const Map<KU, VU>& other) {
    data_ = details::ObjectUnsafe::ObjectPtrFromObjectRef<Object>(other);
    return *this;
  }
  template <typename KU, typename VU,
            typename = std::enable_if_t<details::type_contains_v<K, KU> &&
                                        details::type_contains_v<V, VU>>>
  Map<K, V>& operator=(Map<KU, VU>&& other) {
    data_ = details::ObjectUnsafe::ObjectPtrFromObjectRef<Object>(std::move(other));
    return *this;
  }

  /*! \brief Adopt an existing map object (not type checked). */
  explicit Map(ObjectPtr<Object> n) : ObjectRef(std::move(n)) {}

  /*! \brief Build from a range of pairs; later duplicates overwrite earlier ones. */
  template <typename IterType>
  Map(IterType begin, IterType end) : ObjectRef(CreateFromPairs(begin, end)) {}
  /*! \brief Build from pairs; later duplicates overwrite earlier ones. */
  Map(std::initializer_list<std::pair<K, V>> init)
      : ObjectRef(CreateFromPairs(init.begin(), init.end())) {}
  /*! \brief Build from a std::unordered_map (in its iteration order). */
  template <typename Hash, typename Equal>
  Map(const std::unordered_map<K, V, Hash, Equal>& init)  // NOLINT(*)
      : ObjectRef(CreateFromPairs(init.begin(), init.end())) {}

  /*! \return the value of key; throws KeyError when absent. */
  const V at(const K& key) const {
    MapObj* n = GetMapObj();
    if (n == nullptr) {
      TVM_FFI_THROW(KeyError) << "key is not in Map";
    }
    return details::AnyUnsafe::CopyFromAnyViewAfterCheck<V>(n->at(Any(key)));
  }
  /*! \brief Read-only lookup, same as at(). */
  const V operator[](const K& key) const { return this->at(key); }
  /*! \return number of entries (0 for a null map). */
  size_t size() const {
    MapObj* n = GetMapObj();
    return n == nullptr ? 0 : n->size();
  }
  /*! \return 1 if key is present, else 0. */
  size_t count(const K& key) const {
    MapObj* n = GetMapObj();
    return n == nullptr ? 0 : n->count(Any(key));
  }
  /*! \return whether the map has no entry. */
  bool empty() const { return size() == 0; }
  /*! \brief Drop every entry (the reference switches to a fresh empty map). */
  void clear() {
    if (GetMapObj() != nullptr) data_ = ObjectPtr<Object>(MapObj::Empty());
  }
  /*! \brief Insert or overwrite key (copy-on-write). */
  void Set(const K& key, const V& value) {
    CopyOnWrite();
    MapObj::InsertMaybeReAlloc(
        MapObj::KVType(details::AnyAsStored<K>(key), details::AnyAsStored<V>(value)), &data_);
  }
  /*! \brief Remove key if present (copy-on-write). */
  void erase(const K& key) { CopyOnWrite()->erase(Any(key)); }

  iterator begin() const {
    MapObj* n = GetMapObj();
    return n == nullptr ? iterator() : iterator(n->begin());
  }
  iterator end() const {
    MapObj* n = GetMapObj();
    return n == nullptr ? iterator() : iterator(n->end());
  }
  iterator find(const K& key) const {
    MapObj* n = GetMapObj();
    return n == nullptr ? iterator() : iterator(n->find(Any(key)));
  }
  /*! \return the value of key, or nullopt when absent. */
  std::optional<V> Get(const K& key) const {
    MapObj* n = GetMapObj();
    if (n == nullptr) return std::nullopt;
    MapObj::iterator it = n->find(Any(key));
    if (it == n->end()) return std::nullopt;
    return details::AnyUnsafe::CopyFromAnyViewAfterCheck<V>(it->second);
  }

  /*!
   * \brief Make this reference the unique owner of its map (copying it when shared, creating
   * an empty one when null) and return the object for in-place mutation.
   */
  MapObj* CopyOnWrite() {
    if (data_.get() == nullptr) {
      data_ = ObjectPtr<Object>(MapObj::Empty());
    } else if (!data_.unique()) {
      data_ = ObjectPtr<Object>(MapObj::CopyFrom(GetMapObj()));
    }
    return GetMapObj();
  }

  /*! \brief Iterator yielding std::pair<K, V> by value. */
  class iterator {
   public:
    using iterator_category = std::bidirectional_iterator_tag;
    using difference_type = int64_t;
    using value_type = const std::pair<K, V>;
    using pointer = value_type*;
    using reference = value_type;

    iterator() = default;
    bool operator==(const iterator& other) const { return itr_ == other.itr_; }
    bool operator!=(const iterator& other) const { return itr_ != other.itr_; }
    pointer operator->() const = delete;
    reference operator*() const {
      const MapObj::KVType& kv = *itr_;
      return std::make_pair(details::AnyUnsafe::CopyFromAnyViewAfterCheck<K>(kv.first),
                            details::AnyUnsafe::CopyFromAnyViewAfterCheck<V>(kv.second));
    }
    iterator& operator++() {
      ++itr_;
      return *this;
    }
    iterator& operator--() {
      --itr_;
      return *this;
    }
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

   private:
    explicit iterator(const MapObj::iterator& itr) : itr_(itr) {}
    MapObj::iterator itr_;

    template <typename, typename, typename>
    friend class Map;
  };

  static constexpr bool _type_is_nullable = false;
  using ContainerType = MapObj;

 private:
  MapObj* GetMapObj() const { return static_cast<MapObj*>(data_.get()); }

  template <typename IterType>
  static ObjectPtr<Object> CreateFromPairs(IterType first, IterType last) {
    return MapObj::CreateFromRange(first, last, [](const auto& kv) {
      return MapObj::KVType(details::AnyAsStored<K>(kv.first), details::AnyAsStored<V>(kv.second));
    });
  }

  template <typename, typename, typename>
  friend class Map;
};

/*!
 * \brief Merge two maps: a map with all entries of lhs, overwritten/extended by rhs.
 */
template <typename K, typename V>
inline Map<K, V> Merge(Map<K, V> lhs, const Map<K, V>& rhs) {
  for (const auto& kv : rhs) {
    lhs.Set(kv.first, kv.second);
  }
  return lhs;
}

namespace details {
/*! \brief Map<K, V> contains Map<KU, VU> when K contains KU and V contains VU. */
template <typename K, typename V, typename KU, typename VU>
struct TypeContains<Map<K, V>, Map<KU, VU>> {
  static constexpr bool value = type_contains_v<K, KU> && type_contains_v<V, VU>;
};
}  // namespace details

template <typename K, typename V>
inline constexpr bool use_default_type_traits_v<Map<K, V>> = false;

/*!
 * \brief Any <-> Map<K, V>. A map object whose keys and values all pass the strict checks of
 * K and V is shared as is; otherwise a converted copy is built (TypeError if some entry does
 * not convert).
 */
template <typename K, typename V>
struct TypeTraits<Map<K, V>> : public ObjectRefTypeTraitsBase<Map<K, V>> {
  static constexpr int32_t field_static_type_index = TypeIndex::kTVMFFIMap;
  using ObjectRefTypeTraitsBase<Map<K, V>>::CopyFromAnyViewAfterCheck;

  TVM_FFI_INLINE static bool CheckAnyStrict(const TVMFFIAny* src) {
    if (src->type_index != TypeIndex::kTVMFFIMap) return false;
    if constexpr (std::is_same_v<K, Any> && std::is_same_v<V, Any>) {
      return true;
    } else {
      const MapObj* n = reinterpret_cast<const MapObj*>(src->v_obj);
      for (const auto& kv : *n) {
        if constexpr (!std::is_same_v<K, Any>) {
          if (!details::AnyUnsafe::CheckAnyStrict<K>(kv.first)) return false;
        }
        if constexpr (!std::is_same_v<V, Any>) {
          if (!details::AnyUnsafe::CheckAnyStrict<V>(kv.second)) return false;
        }
      }
      return true;
    }
  }

  TVM_FFI_INLINE static std::optional<Map<K, V>> TryCastFromAnyView(const TVMFFIAny* src) {
    if (src->type_index != TypeIndex::kTVMFFIMap) return std::nullopt;
    if (!CheckAnyStrict(src)) {
      const MapObj* n = reinterpret_cast<const MapObj*>(src->v_obj);
      Map<K, V> result;
      for (const auto& kv : *n) {
        std::optional<K> key = kv.first.template try_cast<K>();
        if (!key.has_value()) return std::nullopt;
        std::optional<V> value = kv.second.template try_cast<V>();
        if (!value.has_value()) return std::nullopt;
        result.Set(*std::move(key), *std::move(value));
      }
      return result;
    }
    return CopyFromAnyViewAfterCheck(src);
  }

  TVM_FFI_INLINE static std::string GetMismatchTypeInfo(const TVMFFIAny* src) {
    if (src->type_index != TypeIndex::kTVMFFIMap) return TypeTraitsBase::GetMismatchTypeInfo(src);
    if constexpr (!std::is_same_v<K, Any> || !std::is_same_v<V, Any>) {
      const MapObj* n = reinterpret_cast<const MapObj*>(src->v_obj);
      for (const auto& kv : *n) {
        if constexpr (!std::is_same_v<K, Any>) {
          if (!details::AnyUnsafe::CheckAnyStrict<K>(kv.first) &&
              !kv.first.template try_cast<K>().has_value()) {
            return "Map[some key is " + details::AnyUnsafe::GetMismatchTypeInfo<K>(kv.first) +
                   ", V]";
          }
        }
        if constexpr (!std::is_same_v<V, Any>) {
          if (!details::AnyUnsafe::CheckAnyStrict<V>(kv.second) &&
              !kv.second.template try_cast<V>().has_value()) {
            return "Map[K, some value is " + details::AnyUnsafe::GetMismatchTypeInfo<V>(kv.second) +
                   "]";
          }
        }
      }
    }
    return TypeTraitsBase::GetMismatchTypeInfo(src);
  }

  static std::string TypeStr() {
    return "Map<" + details::ElementTypeStr<K>() + ", " + details::ElementTypeStr<V>() + ">";
  }
  static std::string TypeSchema() {
    return R"({"type":")" + std::string(StaticTypeKey::kTVMFFIMap) + R"(","args":[)" +
           details::ElementTypeSchema<K>() + "," + details::ElementTypeSchema<V>() + "]}";
  }
};

}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_CONTAINER_MAP_H_
