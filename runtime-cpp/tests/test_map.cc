// Tests of MapObj / Map<K, V>: small and dense representations checked down to the bytes
// (the layout and placement rules are shared with other binaries), key hashing/equality,
// copy-on-write, conversions and the ffi.Map* global functions.
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/container/shape.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/string.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "test_utils.h"

namespace {

using namespace tvm::ffi;
using tvm_ffi_test::ReadAt;

constexpr uint64_t kSmallTag = uint64_t(1) << 63;
constexpr uint64_t kNoSlot = ~uint64_t(0);

/*!
 * \brief Byte-level view of a map object, written from the spec's layout tables only
 * (independent of the header's internal helpers).
 */
struct RawMap {
  explicit RawMap(const ObjectRef& ref) : obj(ref.get()) {}

  const char* data() const { return ReadAt<const char*>(obj, 24); }
  uint64_t size() const { return ReadAt<uint64_t>(obj, 32); }
  uint64_t slots() const { return ReadAt<uint64_t>(obj, 40); }
  void* deleter() const { return ReadAt<void*>(obj, 48); }
  bool small() const { return (slots() & kSmallTag) != 0; }
  uint64_t capacity() const { return slots() & ~kSmallTag; }
  // dense only
  uint32_t fib_shift() const { return ReadAt<uint32_t>(obj, 56); }
  uint64_t head() const { return ReadAt<uint64_t>(obj, 64); }
  uint64_t tail() const { return ReadAt<uint64_t>(obj, 72); }
  uint8_t meta(uint64_t slot) const {
    return static_cast<uint8_t>(data()[(slot / 16) * 784 + slot % 16]);
  }
  const char* item(uint64_t slot) const {
    return data() + (slot / 16) * 784 + 16 + (slot % 16) * 48;
  }
  TVMFFIAny key_cell(uint64_t slot) const { return ReadAt<TVMFFIAny>(item(slot), 0); }
  uint64_t prev(uint64_t slot) const { return ReadAt<uint64_t>(item(slot), 32); }
  uint64_t next(uint64_t slot) const { return ReadAt<uint64_t>(item(slot), 40); }
  // small only
  TVMFFIAny small_key(uint64_t i) const { return ReadAt<TVMFFIAny>(data() + 32 * i, 0); }

  const Object* obj;
};

/*! \brief NextProbe table, from the spec. */
uint64_t Probe(int j) {
  // the spec's table, several numbers a line
  // clang-format off
  static const uint64_t kFar[] = {
      8515ULL, 19110ULL, 42778ULL, 96141ULL, 216153ULL, 486591ULL, 1092981ULL, 2458653ULL,
      5532801ULL, 12442566ULL, 27993903ULL, 62983476ULL, 141717030ULL, 318844378ULL,
      717352503ULL, 1614057336ULL, 3631522476ULL, 8170957530ULL, 18384510628ULL,
      41364789378ULL, 93070452520ULL, 209408356380ULL, 471168559170ULL, 1060128894105ULL,
      2385289465695ULL, 5366898840628ULL, 12075518705635ULL, 27169915244790ULL,
      61132312065111ULL, 137547689707000ULL, 309482283181501ULL, 696335127828753ULL,
      1566753995631385ULL, 3525196511162271ULL, 7931691992677701ULL, 17846306936293605ULL,
      40154190677507445ULL, 90346928918121501ULL, 203280589587557251ULL,
      457381325854679626ULL, 1029107982097042876ULL, 2315492959180353330ULL,
      5209859154120846435ULL};
  // clang-format on
  if (j < 16) return j;
  if (j < 83) {
    uint64_t n = j - 10;
    return n * (n + 1) / 2;
  }
  return kFar[j - 83];
}

uint64_t HashCell(const TVMFFIAny& cell) {
  return AnyHash()(Any(AnyView::CopyFromTVMFFIAny(cell)));
}

/*!
 * \brief Check every structural invariant of a dense map from its bytes: metadata, chains
 * rooted at home slots, and the iteration list. Returns the slots in iteration order.
 */
std::vector<uint64_t> ValidateDense(const RawMap& m) {
  std::vector<uint64_t> order;
  EXPECT_FALSE(m.small());
  uint64_t slots = m.slots();
  EXPECT_GE(slots, 8u);
  EXPECT_EQ(slots & (slots - 1), 0u) << "slot count must be a power of two";
  uint32_t log2 = 0;
  while ((uint64_t(1) << log2) < slots) ++log2;
  EXPECT_EQ(m.fib_shift(), 64 - log2);
  EXPECT_NE(m.deleter(), nullptr);
  uint64_t live = 0;
  for (uint64_t s = 0; s < slots; ++s) {
    EXPECT_NE(m.meta(s), 0xFE) << "protected slot left behind";
    if (m.meta(s) != 0xFF) ++live;
  }
  EXPECT_EQ(live, m.size());
  // every live slot belongs to exactly one chain, rooted at its key's home slot
  std::vector<int> seen(slots, 0);
  uint64_t chained = 0;
  for (uint64_t s = 0; s < slots; ++s) {
    uint8_t meta = m.meta(s);
    if (meta == 0xFF || (meta & 0x80) != 0) continue;
    uint64_t cur = s;
    while (true) {
      ++seen[cur];
      ++chained;
      uint64_t home = (HashCell(m.key_cell(cur)) * 0x9E3779B97F4A7C15ULL) >> m.fib_shift();
      EXPECT_EQ(home, s) << "element " << cur << " is chained from a foreign home";
      if (cur != s) {
        EXPECT_NE(m.meta(cur) & 0x80, 0) << "non-head element marked as head";
      }
      int jump = m.meta(cur) & 0x7F;
      if (jump == 0) break;
      cur = (cur + Probe(jump)) & (slots - 1);
      EXPECT_NE(m.meta(cur), 0xFF) << "chain jumps into an empty slot";
      if (chained > slots) break;
    }
  }
  EXPECT_EQ(chained, m.size());
  for (uint64_t s = 0; s < slots; ++s) {
    if (m.meta(s) != 0xFF) {
      EXPECT_EQ(seen[s], 1) << "slot " << s;
    }
  }
  // the iteration list visits every live slot once
  uint64_t prev = kNoSlot;
  for (uint64_t cur = m.head(); cur != kNoSlot; cur = m.next(cur)) {
    EXPECT_NE(m.meta(cur), 0xFF);
    EXPECT_EQ(m.prev(cur), prev);
    order.push_back(cur);
    prev = cur;
    if (order.size() > m.size()) break;
  }
  EXPECT_EQ(order.size(), m.size());
  EXPECT_EQ(m.tail(), prev);
  return order;
}

template <typename K, typename V>
std::vector<K> KeysInOrder(const Map<K, V>& map) {
  std::vector<K> keys;
  for (auto kv : map) keys.push_back(kv.first);
  return keys;
}

std::vector<String> Names(std::initializer_list<const char*> names) {
  std::vector<String> out;
  for (const char* n : names) out.push_back(String(n));
  return out;
}

TEST(Map, EmptyMapIsSmallWithCapacityTwo) {
  Map<String, int> map;
  ASSERT_TRUE(map.defined());
  EXPECT_EQ(map.get()->type_index(), TypeIndex::kTVMFFIMap);
  RawMap raw(map);
  EXPECT_EQ(raw.slots(), 0x8000000000000002ULL);
  EXPECT_EQ(raw.size(), 0u);
  EXPECT_EQ(raw.data(), reinterpret_cast<const char*>(map.get()) + 56);
  EXPECT_EQ(raw.deleter(), nullptr);
  EXPECT_TRUE(map.empty());
  EXPECT_TRUE(map.begin() == map.end());
}

TEST(Map, InsertUpdateErase) {
  Map<String, int> map;
  map.Set("a", 1);
  map.Set("b", 2);
  EXPECT_EQ(map.size(), 2u);
  EXPECT_EQ(map.at("a"), 1);
  EXPECT_EQ(map["b"], 2);
  map.Set("a", 10);
  EXPECT_EQ(map.size(), 2u);
  EXPECT_EQ(map.at("a"), 10);
  EXPECT_EQ(map.count("a"), 1u);
  EXPECT_EQ(map.count("z"), 0u);
  EXPECT_EQ(map.Get("b").value(), 2);
  EXPECT_FALSE(map.Get("z").has_value());
  EXPECT_TRUE(map.find("z") == map.end());
  EXPECT_EQ((*map.find("b")).second, 2);
  map.erase("a");
  EXPECT_EQ(map.size(), 1u);
  EXPECT_EQ(map.count("a"), 0u);
  map.erase("not-there");
  EXPECT_EQ(map.size(), 1u);
  EXPECT_FFI_ERROR_CONTAINS("KeyError", "key is not in Map", map.at("a"));
  map.clear();
  EXPECT_TRUE(map.empty());
  EXPECT_EQ(RawMap(map).slots(), 0x8000000000000002ULL);
}

TEST(Map, SmallGrowthAndInsertionOrder) {
  Map<String, int> map;
  map.Set("k0", 0);
  map.Set("k1", 1);
  EXPECT_EQ(RawMap(map).slots(), kSmallTag | 2);
  map.Set("k2", 2);  // grows 2 -> 4
  EXPECT_EQ(RawMap(map).slots(), kSmallTag | 4);
  map.Set("k3", 3);
  EXPECT_EQ(RawMap(map).slots(), kSmallTag | 4);
  EXPECT_EQ(KeysInOrder(map), Names({"k0", "k1", "k2", "k3"}));
  // the entries are packed right after the object: key cell at +0, value cell at +16
  RawMap packed(map);
  EXPECT_EQ(packed.data(), reinterpret_cast<const char*>(map.get()) + 56);
  EXPECT_EQ(AnyView::CopyFromTVMFFIAny(packed.small_key(3)).cast<String>(), "k3");
  EXPECT_EQ(ReadAt<TVMFFIAny>(packed.data(), 32 * 2 + 16).v_int64, 2);

  Map<String, int> small;
  small.Set("k0", 0);
  small.Set("k1", 1);
  small.Set("k2", 2);
  small.Set("k1", 11);  // capacity 4, size 3: update in place
  EXPECT_TRUE(RawMap(small).small());
  EXPECT_EQ(KeysInOrder(small), Names({"k0", "k1", "k2"}));
  small.erase("k0");  // erase shifts entries down, order kept
  EXPECT_EQ(KeysInOrder(small), Names({"k1", "k2"}));
  RawMap raw(small);
  EXPECT_EQ(String(AnyView::CopyFromTVMFFIAny(raw.small_key(0)).cast<String>()), "k1");
  // decrementing end() reaches the last entry
  auto it = small.end();
  --it;
  EXPECT_EQ((*it).first, "k2");
}

TEST(Map, UpdateInFullSmallMapSwitchesToDense) {
  Map<String, int> map;
  for (const char* k : {"k0", "k1", "k2", "k3"}) map.Set(k, 0);
  ASSERT_TRUE(RawMap(map).small());
  ASSERT_EQ(RawMap(map).capacity(), 4u);
  map.Set("k1", 1);
  RawMap raw(map);
  EXPECT_FALSE(raw.small());
  EXPECT_EQ(raw.slots(), 8u);
  EXPECT_EQ(raw.fib_shift(), 61u);
  EXPECT_EQ(raw.size(), 4u);
  EXPECT_EQ(KeysInOrder(map), Names({"k0", "k2", "k3", "k1"}));
  EXPECT_EQ(map.at("k1"), 1);
  ValidateDense(raw);
}

TEST(Map, FifthKeySwitchesToDense) {
  Map<int, int> map;
  for (int i = 0; i < 4; ++i) map.Set(i, i);
  EXPECT_TRUE(RawMap(map).small());
  map.Set(4, 4);
  RawMap raw(map);
  EXPECT_FALSE(raw.small());
  EXPECT_EQ(raw.slots(), 8u);
  EXPECT_EQ(raw.fib_shift(), 61u);
  EXPECT_EQ(KeysInOrder(map), (std::vector<int>{0, 1, 2, 3, 4}));
  ValidateDense(raw);
  // an 8-slot table rehashes to 16 when the 8th entry arrives
  map.Set(5, 5);
  map.Set(6, 6);
  EXPECT_EQ(RawMap(map).slots(), 8u);
  map.Set(7, 7);
  EXPECT_EQ(RawMap(map).slots(), 16u);
  EXPECT_EQ(RawMap(map).fib_shift(), 60u);
  EXPECT_EQ(KeysInOrder(map), (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}));
  ValidateDense(RawMap(map));
}

TEST(Map, LoadFactorBoundary) {
  // "full" means size + 1 > slots * 0.99; an insert into an empty home slot never checks it
  Map<int64_t, int64_t> map;
  uint64_t most_in_128 = 0;
  for (int64_t i = 0; RawMap(map).slots() <= 128 || RawMap(map).small(); ++i) {
    map.Set(i, i);
    if (RawMap(map).slots() == 128) most_in_128 = std::max(most_in_128, RawMap(map).size());
  }
  EXPECT_GE(most_in_128, 126u);
  EXPECT_EQ(RawMap(map).slots(), 256u);
  ValidateDense(RawMap(map));
}

TEST(Map, DenseUpdateMovesKeyLast) {
  Map<String, int> map;
  for (int i = 0; i < 9; ++i) map.Set("k" + std::to_string(i), i);
  ASSERT_FALSE(RawMap(map).small());
  map.Set("k2", 20);
  EXPECT_EQ(KeysInOrder(map), Names({"k0", "k1", "k3", "k4", "k5", "k6", "k7", "k8", "k2"}));
  EXPECT_EQ(map.at("k2"), 20);
  map.erase("k5");
  EXPECT_EQ(KeysInOrder(map), Names({"k0", "k1", "k3", "k4", "k6", "k7", "k8", "k2"}));
  // reverse iteration follows the prev links
  std::vector<String> reversed;
  auto it = map.end();
  while (it != map.begin()) {
    --it;
    reversed.push_back((*it).first);
  }
  EXPECT_EQ(reversed, Names({"k2", "k8", "k7", "k6", "k4", "k3", "k1", "k0"}));
  ValidateDense(RawMap(map));
}

TEST(Map, AnyHashTestVectors) {
  // the key hash the map relies on (also checked with the Any tests)
  ASSERT_NO_FATAL_FAILURE(tvm_ffi_test::ExpectAnyHashSpecVectors());
}

/*! \brief The key-identity rules, for a map grown into either representation. */
void CheckMixedKeys(int padding) {
  Map<Any, int> map;
  for (int i = 0; i < padding; ++i) map.Set(String("pad" + std::to_string(i)), -1);
  Any small_abc = String("abc");
  Any heap_abc = String(std::string("abc"));
  ASSERT_EQ(small_abc.type_index(), TypeIndex::kTVMFFISmallStr);
  ASSERT_EQ(heap_abc.type_index(), TypeIndex::kTVMFFIStr);
  Function func = Function::FromTyped([]() {});
  map.Set(1, 1);
  map.Set(true, 2);
  map.Set(1.0, 3);
  map.Set(small_abc, 4);
  map.Set(heap_abc, 5);  // same key as the small string
  map.Set(Bytes("abc", 3), 6);
  map.Set(func, 7);
  map.Set(nullptr, 8);
  map.Set(0.0, 9);
  map.Set(-0.0, 10);  // a different bit pattern: a different key
  EXPECT_EQ(map.size(), static_cast<size_t>(padding) + 9);
  EXPECT_EQ(map.at(1), 1);
  EXPECT_EQ(map.at(true), 2);
  EXPECT_EQ(map.at(1.0), 3);
  EXPECT_EQ(map.at(small_abc), 5);
  EXPECT_EQ(map.at(heap_abc), 5);
  EXPECT_EQ(map.at(String(std::string("abc"))), 5);
  EXPECT_EQ(map.at(Bytes(std::string("abc"))), 6);
  EXPECT_EQ(map.at(func), 7);
  EXPECT_EQ(map.count(Function::FromTyped([]() {})), 0u);
  EXPECT_EQ(map.at(nullptr), 8);
  EXPECT_EQ(map.at(0.0), 9);
  EXPECT_EQ(map.at(-0.0), 10);
  EXPECT_EQ(map.count(2), 0u);
  EXPECT_EQ(map.count(false), 0u);
  // the first spelling of the key is the one kept
  for (auto kv : map) {
    if (kv.second == 5) {
      EXPECT_EQ(kv.first.type_index(), TypeIndex::kTVMFFISmallStr);
    }
  }
  map.erase(heap_abc);
  EXPECT_EQ(map.count(small_abc), 0u);
  ValidateDense(RawMap(map));
}

TEST(Map, KeyIdentitySmall) {
  // a map of size <= 4 stays small; 9 keys force dense, so check both
  Map<Any, int> map;
  Any small_abc = String("abc");
  Any heap_abc = String(std::string("abc"));
  map.Set(small_abc, 1);
  map.Set(heap_abc, 2);
  map.Set(Bytes("abc", 3), 3);
  EXPECT_TRUE(RawMap(map).small());
  EXPECT_EQ(map.size(), 2u);
  EXPECT_EQ(map.at(small_abc), 2);
  Map<Any, int> nums;
  nums.Set(1, 1);
  nums.Set(true, 2);
  nums.Set(1.0, 3);
  EXPECT_TRUE(RawMap(nums).small());
  EXPECT_EQ(nums.size(), 3u);
}

TEST(Map, KeyIdentityDense) {
  CheckMixedKeys(0);
  CheckMixedKeys(20);
  CheckMixedKeys(200);
}

TEST(Map, ObjectKeysByIdentity) {
  Shape a({1, 2});
  Shape b({1, 2});
  Map<Shape, int> map;
  map.Set(a, 1);
  map.Set(b, 2);
  EXPECT_EQ(map.size(), 2u);
  EXPECT_EQ(map.at(a), 1);
  EXPECT_EQ(map.at(b), 2);
  EXPECT_EQ(a.use_count(), 2);
  map.erase(a);
  EXPECT_EQ(a.use_count(), 1);
  map = Map<Shape, int>();
  EXPECT_EQ(b.use_count(), 1);
}

TEST(Map, HundredIncrementalSets) {
  Map<String, int> map;
  for (int i = 0; i < 100; ++i) map.Set("key_" + std::to_string(i), i);
  RawMap raw(map);
  EXPECT_EQ(raw.slots(), 128u);
  EXPECT_EQ(raw.fib_shift(), 57u);
  std::vector<String> expected;
  for (int i = 0; i < 100; ++i) expected.push_back("key_" + std::to_string(i));
  EXPECT_EQ(KeysInOrder(map), expected);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(map.at("key_" + std::to_string(i)), i);
    EXPECT_EQ(map.count("missing_" + std::to_string(i)), 0u);
  }
  ValidateDense(raw);
}

TEST(Map, RangeConstructionSizing) {
  std::vector<std::pair<String, int>> pairs;
  for (int i = 0; i < 100; ++i) pairs.emplace_back("key_" + std::to_string(i), i);
  Map<String, int> map(pairs.begin(), pairs.end());
  RawMap raw(map);
  EXPECT_EQ(raw.slots(), 256u);
  EXPECT_EQ(raw.fib_shift(), 56u);
  EXPECT_EQ(map.size(), 100u);
  EXPECT_EQ(map.at("key_42"), 42);
  EXPECT_EQ((*map.begin()).first, "key_0");
  ValidateDense(raw);

  // table sizing for a known count c
  auto sized = [](int count) {
    std::vector<std::pair<int, int>> items;
    for (int i = 0; i < count; ++i) items.emplace_back(i, i);
    Map<int, int> m(items.begin(), items.end());
    return std::make_pair(RawMap(m).slots(), RawMap(m).fib_shift());
  };
  EXPECT_EQ(sized(4), std::make_pair(uint64_t(8), uint32_t(61)));
  EXPECT_EQ(sized(5), std::make_pair(uint64_t(16), uint32_t(60)));
  EXPECT_EQ(sized(7), std::make_pair(uint64_t(16), uint32_t(60)));
  EXPECT_EQ(sized(8), std::make_pair(uint64_t(16), uint32_t(60)));
  EXPECT_EQ(sized(9), std::make_pair(uint64_t(32), uint32_t(59)));

  // small range constructions: every small map has capacity >= 2 (0 or 1 pairs -> 2)
  std::vector<std::pair<int, int>> none;
  EXPECT_EQ(RawMap(Map<int, int>(none.begin(), none.end())).slots(), kSmallTag | 2);
  Map<int, int> one = {{1, 1}};
  EXPECT_EQ(RawMap(one).slots(), kSmallTag | 2);
  Map<String, int> dup = {{"a", 1}, {"b", 2}, {"a", 3}};
  EXPECT_EQ(RawMap(dup).slots(), kSmallTag | 3);
  EXPECT_EQ(dup.size(), 2u);
  EXPECT_EQ(dup.at("a"), 3);
  EXPECT_EQ(KeysInOrder(dup), Names({"a", "b"}));
  Map<String, int> dup4 = {{"a", 1}, {"a", 2}, {"a", 3}, {"a", 4}};
  EXPECT_FALSE(RawMap(dup4).small());
  EXPECT_EQ(dup4.size(), 1u);
  EXPECT_EQ(dup4.at("a"), 4);
  // a capacity-0 map grows to 2
  Map<int, int> zero(none.begin(), none.end());
  zero.Set(1, 1);
  EXPECT_EQ(RawMap(zero).slots(), kSmallTag | 2);
}

TEST(Map, SmallCopyOnWrite) {
  Map<String, int> a = {{"x", 1}, {"y", 2}};
  a.Set("z", 3);  // capacity 2 -> 4
  ASSERT_EQ(RawMap(a).slots(), kSmallTag | 4);
  Map<String, int> b = a;
  b.Set("x", 10);
  EXPECT_NE(a.get(), b.get());
  EXPECT_EQ(a.at("x"), 1);
  EXPECT_EQ(b.at("x"), 10);
  // the copy has capacity == size, but never below 2
  EXPECT_EQ(RawMap(b).slots(), kSmallTag | 3);
  Map<String, int> single = {{"s", 1}};
  Map<String, int> single_copy = single;
  single_copy.erase("t");  // copy-on-write of a one-entry map
  EXPECT_NE(single_copy.get(), single.get());
  EXPECT_EQ(RawMap(single_copy).slots(), kSmallTag | 2);
  Map<String, int> c = a;
  c.erase("y");
  EXPECT_EQ(a.size(), 3u);
  EXPECT_EQ(c.size(), 2u);
  // unique maps are mutated in place
  const Object* before = c.get();
  c.Set("x", 5);
  EXPECT_EQ(c.get(), before);
}

TEST(Map, DenseCopyOnWriteIsSlotIdentical) {
  Map<String, int> a;
  for (int i = 0; i < 40; ++i) a.Set("key_" + std::to_string(i), i);
  a.erase("key_3");
  a.Set("key_7", 70);
  Map<String, int> b = a;
  b.erase("absent");  // forces the copy without changing anything
  ASSERT_NE(a.get(), b.get());
  RawMap ra(a), rb(b);
  EXPECT_EQ(rb.slots(), ra.slots());
  EXPECT_EQ(rb.size(), ra.size());
  EXPECT_EQ(rb.fib_shift(), ra.fib_shift());
  EXPECT_EQ(rb.head(), ra.head());
  EXPECT_EQ(rb.tail(), ra.tail());
  EXPECT_NE(rb.data(), ra.data());
  for (uint64_t s = 0; s < ra.slots(); ++s) {
    ASSERT_EQ(rb.meta(s), ra.meta(s)) << "slot " << s;
    if (ra.meta(s) != 0xFF) {
      EXPECT_EQ(std::memcmp(ra.item(s), rb.item(s), 48), 0) << "slot " << s;
    }
  }
  // a real change on the copy leaves the original untouched
  std::vector<uint8_t> meta_before;
  for (uint64_t s = 0; s < ra.slots(); ++s) meta_before.push_back(ra.meta(s));
  Map<String, int> c = a;
  c.Set("new_key", 1);
  c.Set("key_0", 100);
  EXPECT_EQ(a.count("new_key"), 0u);
  EXPECT_EQ(a.at("key_0"), 0);
  for (uint64_t s = 0; s < ra.slots(); ++s) EXPECT_EQ(ra.meta(s), meta_before[s]);
  ValidateDense(RawMap(a));
  ValidateDense(RawMap(c));
}

TEST(Map, LargeMapInsertLookupErase) {
  constexpr int64_t kN = 100000;
  Map<int64_t, int64_t> map;
  for (int64_t i = 0; i < kN; ++i) map.Set(i * 7919, i);
  EXPECT_EQ(map.size(), static_cast<size_t>(kN));
  for (int64_t i = 0; i < kN; ++i) ASSERT_EQ(map.at(i * 7919), i);
  EXPECT_EQ(map.count(1), 0u);
  for (int64_t i = 0; i < kN; i += 2) map.erase(i * 7919);
  EXPECT_EQ(map.size(), static_cast<size_t>(kN / 2));
  for (int64_t i = 0; i < kN; ++i) ASSERT_EQ(map.count(i * 7919), static_cast<size_t>(i % 2));
  int64_t expected = 1;
  for (auto kv : map) {
    ASSERT_EQ(kv.second, expected);
    expected += 2;
  }
  ValidateDense(RawMap(map));

  Map<String, int64_t> strings;
  for (int64_t i = 0; i < kN; ++i) strings.Set("s" + std::to_string(i), i);
  for (int64_t i = 0; i < kN; ++i) ASSERT_EQ(strings.at("s" + std::to_string(i)), i);
  for (int64_t i = 0; i < kN; i += 3) strings.erase("s" + std::to_string(i));
  for (int64_t i = 0; i < kN; ++i) {
    ASSERT_EQ(strings.count("s" + std::to_string(i)), i % 3 == 0 ? 0u : 1u);
  }
  ValidateDense(RawMap(strings));
}

/*! \brief Key number i as an Any: ints, short (small) strings and long (heap) strings. */
Any KeyOf(int64_t i) {
  switch (i % 3) {
    case 0:
      return Any(i);
    case 1:
      return Any(String("k" + std::to_string(i)));
    default:
      return Any(String("a_long_string_key_" + std::to_string(i)));
  }
}

TEST(Map, RandomizedAgainstReferenceModel) {
  std::mt19937_64 rng(20240601);
  for (int round = 0; round < 12; ++round) {
    int64_t key_space = round < 4 ? 8 : (round < 8 ? 64 : 600);
    Map<Any, int64_t> map;
    std::unordered_map<int64_t, int64_t> ref;
    std::vector<int64_t> order;
    std::vector<Map<Any, int64_t>> snapshots;
    std::vector<std::vector<int64_t>> snapshot_orders;
    for (int step = 0; step < 3000; ++step) {
      int64_t key = static_cast<int64_t>(rng() % key_space);
      int op = static_cast<int>(rng() % 10);
      if (op < 6) {
        int64_t value = static_cast<int64_t>(rng() % 1000);
        RawMap raw(map);
        // an existing key keeps its position only in a small map that does not switch
        bool keeps_position = raw.small() && raw.size() < 4;
        auto it = ref.find(key);
        if (it == ref.end()) {
          order.push_back(key);
        } else if (!keeps_position) {
          order.erase(std::find(order.begin(), order.end(), key));
          order.push_back(key);
        }
        ref[key] = value;
        map.Set(KeyOf(key), value);
      } else if (op < 9) {
        if (ref.erase(key)) order.erase(std::find(order.begin(), order.end(), key));
        map.erase(KeyOf(key));
      } else if (snapshots.size() < 8) {
        snapshots.push_back(map);  // later mutations must copy
        snapshot_orders.push_back(order);
      }
      if (step % 97 == 0 || step == 2999) {
        ASSERT_EQ(map.size(), ref.size());
        std::vector<Any> keys;
        for (auto kv : map) keys.push_back(kv.first);
        ASSERT_EQ(keys.size(), order.size());
        for (size_t i = 0; i < order.size(); ++i) {
          ASSERT_TRUE(AnyEqual()(keys[i], KeyOf(order[i])))
              << "round " << round << " step " << step << " position " << i;
          ASSERT_EQ(map.at(KeyOf(order[i])), ref[order[i]]);
        }
        if (!RawMap(map).small()) ValidateDense(RawMap(map));
      }
    }
    // snapshots were never modified by the later mutations
    for (size_t i = 0; i < snapshots.size(); ++i) {
      std::vector<int64_t>& expected = snapshot_orders[i];
      ASSERT_EQ(snapshots[i].size(), expected.size());
      size_t pos = 0;
      for (auto kv : snapshots[i]) {
        ASSERT_TRUE(AnyEqual()(kv.first, KeyOf(expected[pos++])));
      }
    }
  }
}

TEST(Map, ConversionFromAny) {
  Map<String, int> typed = {{"a", 1}, {"b", 2}};
  Any any = typed;
  EXPECT_EQ(any.type_index(), TypeIndex::kTVMFFIMap);
  Map<String, int> back = any.cast<Map<String, int>>();
  EXPECT_EQ(back.get(), typed.get());
  Map<Any, Any> untyped = any.cast<Map<Any, Any>>();
  EXPECT_EQ(untyped.get(), typed.get());
  // converting values builds a new map
  Map<String, double> doubles = any.cast<Map<String, double>>();
  EXPECT_NE(doubles.get(), typed.get());
  EXPECT_DOUBLE_EQ(doubles.at("b"), 2.0);
  EXPECT_EQ(KeysInOrder(doubles), Names({"a", "b"}));
  Map<Any, Any> bad_value;
  bad_value.Set(String("a"), String("x"));
  using StrIntMap = Map<String, int>;
  EXPECT_FFI_ERROR_CONTAINS("TypeError", "some value", Any(bad_value).cast<StrIntMap>());
  Map<Any, Any> bad_key;
  bad_key.Set(1, 1);
  EXPECT_FFI_ERROR_CONTAINS("TypeError", "some key", Any(bad_key).cast<StrIntMap>());
  EXPECT_FALSE(Any(1).try_cast<StrIntMap>().has_value());
  EXPECT_FALSE(Any().try_cast<StrIntMap>().has_value());
  EXPECT_FALSE(Any(Array<int>{1}).try_cast<StrIntMap>().has_value());
  EXPECT_EQ((TypeTraits<Map<String, Array<int>>>::TypeStr()), "Map<str, Array<int>>");
  EXPECT_EQ((TypeTraits<Map<String, Any>>::TypeSchema()),
            R"({"type":"ffi.Map","args":[{"type":"ffi.String"},{"type":"Any"}]})");
}

TEST(Map, UpcastAndMerge) {
  Map<String, Array<int>> m = {{"a", Array<int>{1}}};
  Map<String, Array<Any>> up = m;
  Map<Any, Any> any_map = m;
  EXPECT_EQ(up.get(), m.get());
  EXPECT_EQ(any_map.get(), m.get());
  static_assert(!std::is_convertible_v<Map<Any, Any>, Map<String, int>>);

  Map<String, int> lhs = {{"a", 1}, {"b", 2}};
  Map<String, int> rhs = {{"b", 20}, {"c", 30}};
  Map<String, int> merged = Merge(lhs, rhs);
  EXPECT_EQ(merged.size(), 3u);
  EXPECT_EQ(merged.at("b"), 20);
  EXPECT_EQ(lhs.at("b"), 2);
  EXPECT_EQ(KeysInOrder(merged), Names({"a", "b", "c"}));

  std::unordered_map<std::string, int> std_map = {{"q", 1}};
  Map<String, int> from_std(std_map.begin(), std_map.end());
  EXPECT_EQ(from_std.at("q"), 1);
}

TEST(Map, GlobalFunctions) {
  Function make = Function::GetGlobalRequired("ffi.Map");
  Function size = Function::GetGlobalRequired("ffi.MapSize");
  Function get_item = Function::GetGlobalRequired("ffi.MapGetItem");
  Function count = Function::GetGlobalRequired("ffi.MapCount");
  Function iter = Function::GetGlobalRequired("ffi.MapForwardIterFunctor");
  Map<Any, Any> map = make("a", 1, "b", 2, "a", 3).cast<Map<Any, Any>>();
  EXPECT_EQ(map.size(), 2u);
  EXPECT_EQ(size(map).cast<int64_t>(), 2);
  EXPECT_EQ(get_item(map, "a").cast<int>(), 3);
  EXPECT_EQ(count(map, "b").cast<int64_t>(), 1);
  EXPECT_EQ(count(map, "zz").cast<int64_t>(), 0);
  EXPECT_FFI_ERROR_CONTAINS("KeyError", "key is not in Map", get_item(map, "zz"));
  EXPECT_FFI_ERROR_CONTAINS("InternalError", "", make("a"));

  // 100 incremental sets through the global: same layout as in C++
  std::vector<AnyView> args;
  std::vector<std::string> names;
  for (int i = 0; i < 100; ++i) names.push_back("key_" + std::to_string(i));
  for (int i = 0; i < 100; ++i) {
    args.push_back(AnyView(names[i]));
    args.push_back(AnyView(i));
  }
  Any big;
  make.CallPacked(args.data(), static_cast<int32_t>(args.size()), &big);
  Map<String, int> big_map = big.cast<Map<String, int>>();
  EXPECT_EQ(RawMap(big_map).slots(), 128u);
  EXPECT_EQ(RawMap(big_map).fib_shift(), 57u);

  Function functor = iter(big_map).cast<Function>();
  std::vector<std::string> keys;
  std::vector<int> values;
  do {
    keys.push_back(functor(0).cast<String>());
    values.push_back(functor(1).cast<int>());
  } while (functor(2).cast<bool>());
  EXPECT_EQ(keys, names);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(values[i], i);
}

}  // namespace
