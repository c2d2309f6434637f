// Tests of DictObj / Dict<K, V>: the shared map layout under type index 76, in-place
// switching of representations (the object address never changes), reference semantics,
// conversions with Map, the ffi.Dict* global functions, the per-type key hooks
// (__any_hash__ / __any_equal__) used by Map and Dict, and storage installed by "another
// binary" (simulated through the C layout: foreign deleters, a 0.1.0-style small map of
// capacity 1).
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/dict.h>
#include <tvm/ffi/container/list.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/extra/serialization.h>
#include <tvm/ffi/extra/structural_equal.h>
#include <tvm/ffi/extra/structural_hash.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/memory.h>
#include <tvm/ffi/object.h>
#include <tvm/ffi/string.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "test_utils.h"

namespace {

using namespace tvm::ffi;
using tvm_ffi_test::ReadAt;

constexpr uint64_t kSmallTag = uint64_t(1) << 63;

/*! \brief The map fields of an object, read and written through the C layout. */
struct MapFields {
  void* data;
  uint64_t size;
  uint64_t slots;
  void (*data_deleter)(void*);
};
MapFields* FieldsOf(const ObjectRef& ref) {
  return reinterpret_cast<MapFields*>(reinterpret_cast<char*>(const_cast<Object*>(ref.get())) +
                                      sizeof(TVMFFIObject));
}
bool IsSmall(const ObjectRef& ref) { return (FieldsOf(ref)->slots & kSmallTag) != 0; }
uint64_t Capacity(const ObjectRef& ref) { return FieldsOf(ref)->slots & ~kSmallTag; }

Function Global(const char* name) { return Function::GetGlobalRequired(name); }

String Key(int i) { return String("key" + std::to_string(i)); }

std::vector<int> Values(const Dict<String, int>& dict) {
  std::vector<int> out;
  for (const auto& kv : dict) out.push_back(kv.second);
  return out;
}

// ---- layout and registration ----

static_assert(sizeof(DictObj) == 56);
static_assert(sizeof(Dict<String, int>) == 8);
static_assert(DictObj::_type_index == 76 && DictObj::_type_final);

TEST(Dict, TypeRegistration) {
  int32_t index = -1;
  TVMFFIByteArray key{"ffi.Dict", 8};
  ASSERT_EQ(TVMFFITypeKeyToIndex(&key, &index), 0);
  EXPECT_EQ(index, 76);
  const TVMFFITypeInfo* info = TVMFFIGetTypeInfo(76);
  EXPECT_EQ(info->type_depth, 1);
  EXPECT_EQ(info->type_ancestors[0]->type_index, kTVMFFIObject);
  Dict<String, int> dict;
  EXPECT_EQ(dict->type_index(), kTVMFFIDict);
  EXPECT_EQ(Any(dict).GetTypeKey(), "ffi.Dict");
}

// ---- in-place switching ----

TEST(Dict, SwitchesRepresentationInPlace) {
  Dict<String, int> dict;
  Dict<String, int> alias = dict;
  const Object* addr = dict.get();
  Function set_item = Global("ffi.DictSetItem");
  for (int i = 0; i < 21; ++i) {
    // the header code and the runtime's global take turns
    if (i % 2 == 0) {
      dict.Set(Key(i), i);
    } else {
      set_item(dict, Key(i), i);
    }
    ASSERT_EQ(dict.get(), addr) << "a Dict never changes its object";
    size_t n = static_cast<size_t>(i + 1);
    EXPECT_EQ(alias.size(), n);
    MapFields* f = FieldsOf(dict);
    if (n <= 2) {
      EXPECT_TRUE(IsSmall(dict));
      EXPECT_EQ(Capacity(dict), 2u);
      EXPECT_EQ(f->data, reinterpret_cast<const char*>(addr) + 56) << "entries inline";
      EXPECT_EQ(f->data_deleter, nullptr);
    } else if (n <= 4) {
      EXPECT_TRUE(IsSmall(dict));
      EXPECT_EQ(Capacity(dict), 4u);
      EXPECT_NE(f->data, reinterpret_cast<const char*>(addr) + 56) << "entries in an owner";
      EXPECT_NE(f->data_deleter, nullptr) << "owner releaser";
    } else {
      EXPECT_FALSE(IsSmall(dict));
      uint64_t expected = n <= 7 ? 8 : n <= 15 ? 16 : 32;
      EXPECT_EQ(f->slots, expected) << "entries: " << n;
      EXPECT_EQ(ReadAt<uint32_t>(addr, 56), 64u - (expected == 8 ? 3 : expected == 16 ? 4 : 5));
    }
    std::vector<int> order = Values(alias);
    ASSERT_EQ(order.size(), n);
    for (size_t k = 0; k < n; ++k) EXPECT_EQ(order[k], static_cast<int>(k));
  }
  for (int i = 0; i < 21; ++i) EXPECT_EQ(alias.at(Key(i)), i);
}

TEST(Dict, EraseAndClearInPlace) {
  Dict<String, int> dict;
  for (int i = 0; i < 10; ++i) dict.Set(Key(i), i);
  Dict<String, int> alias = dict;
  dict.erase(Key(3));
  EXPECT_EQ(alias.count(Key(3)), 0u);
  EXPECT_EQ(alias.size(), 9u);
  uint64_t slots = FieldsOf(dict)->slots;
  dict.clear();
  EXPECT_EQ(alias.size(), 0u);
  EXPECT_EQ(FieldsOf(dict)->slots, slots) << "clear keeps the dense representation";
  EXPECT_TRUE(alias.begin() == alias.end());
  dict.Set(Key(1), 1);
  EXPECT_EQ(alias.at(Key(1)), 1);

  Dict<String, int> small{{"a", 1}};
  small.clear();
  EXPECT_TRUE(IsSmall(small));
  EXPECT_EQ(small.size(), 0u);
  EXPECT_FFI_ERROR("KeyError", "key is not in Map", small.at("a"));
  EXPECT_FALSE(small.Get("a").has_value());
}

TEST(Dict, CopiesAliasMapCopiesDoNot) {
  Dict<String, int> a;
  Dict<String, int> b = a;
  for (int i = 0; i < 12; ++i) b.Set(Key(i), i);  // crosses every switch
  EXPECT_EQ(a.size(), 12u);
  EXPECT_TRUE(a.same_as(b));
  Map<String, int> m;
  Map<String, int> n = m;
  n.Set("x", 1);
  EXPECT_EQ(m.size(), 0u);
}

TEST(Dict, ConversionsWithMap) {
  Dict<String, int> dict{{"a", 1}, {"b", 2}};
  Any any = dict;
  Map<String, int> map = any.cast<Map<String, int>>();
  EXPECT_EQ(map->type_index(), kTVMFFIMap);
  EXPECT_EQ(map.at("b"), 2);
  Dict<String, int> same = any.cast<Dict<String, int>>();
  EXPECT_TRUE(same.same_as(dict));
  Any any_map = Map<String, int>{{"x", 1}};
  Dict<String, int> copied = any_map.cast<Dict<String, int>>();
  EXPECT_EQ(copied->type_index(), kTVMFFIDict);
  copied.Set("y", 2);
  EXPECT_EQ((any_map.cast<Map<String, int>>().size()), 1u);
  Dict<Any, Any> mixed{{String("k"), String("v")}};
  EXPECT_FFI_ERROR_CONTAINS("TypeError", "Dict[K, some value is ffi.SmallStr]",
                            Any(mixed).cast<Dict<String, int>>());
  EXPECT_FFI_ERROR_CONTAINS("TypeError", "Map[K, some value is ffi.SmallStr]",
                            Any(mixed).cast<Map<String, int>>());
  EXPECT_EQ((TypeTraits<Dict<String, int>>::TypeStr()), "Dict<str, int>");
  // a Map given to a Dict parameter is a copy: the callee's change does not reach the caller
  Function set = Function::FromTyped([](Dict<String, int> d) { d.Set("z", 26); });
  Map<String, int> caller_map{{"a", 1}};
  set(caller_map);
  EXPECT_EQ(caller_map.size(), 1u);
  Dict<String, int> caller_dict{{"a", 1}};
  set(caller_dict);
  EXPECT_EQ(caller_dict.at("z"), 26);
}

TEST(Dict, GlobalFunctions) {
  Dict<Any, Any> dict = Global("ffi.Dict")(String("a"), 1, 2, String("b")).cast<Dict<Any, Any>>();
  EXPECT_EQ(Global("ffi.DictSize")(dict).cast<int64_t>(), 2);
  EXPECT_EQ(Global("ffi.DictGetItem")(dict, String("a")).cast<int>(), 1);
  EXPECT_EQ(Global("ffi.DictCount")(dict, 2).cast<int64_t>(), 1);
  Any missing = Global("ffi.GetInvalidObject")();
  Any got = Global("ffi.DictGetItemOrMissing")(dict, String("zz"));
  EXPECT_TRUE(got.same_as(missing));
  EXPECT_EQ(Global("ffi.DictGetItemOrMissing")(dict, 2).cast<String>(), "b");
  EXPECT_TRUE(Global("ffi.MapGetItemOrMissing")(Map<int, int>{{1, 2}}, 5).same_as(missing));
  Global("ffi.DictErase")(dict, String("a"));
  EXPECT_EQ(dict.size(), 1u);
  Function iter = Global("ffi.DictForwardIterFunctor")(dict).cast<Function>();
  EXPECT_EQ(iter(0).cast<int>(), 2);
  EXPECT_EQ(iter(1).cast<String>(), "b");
  EXPECT_FALSE(iter(2).cast<bool>());
  EXPECT_FFI_ERROR_CONTAINS("IndexError", "at the end", iter(0));
  Global("ffi.DictClear")(dict);
  EXPECT_EQ(dict.size(), 0u);
  EXPECT_FFI_ERROR("KeyError", "key is not in Map", Global("ffi.DictGetItem")(dict, 1));
  EXPECT_FFI_ERROR_CONTAINS("ValueError", "key/value pairs", Global("ffi.Dict")(1));
  // Map functions reject a Dict and Dict functions a Map (no silent copy to mutate)
  EXPECT_FFI_ERROR_CONTAINS("TypeError", "ffi.Map",
                            Global("ffi.DictSetItem")(Map<int, int>(), 1, 2));
  EXPECT_FFI_ERROR_CONTAINS("TypeError", "ffi.Dict", Global("ffi.MapSize")(Dict<int, int>()));
}

/*! \brief The cursor's current key, or None when it reports the end (IndexError). */
Any TryKey(const Function& iter) {
  try {
    return iter(0);
  } catch (const Error& err) {
    EXPECT_EQ(err.kind(), "IndexError");
    return Any();
  }
}

TEST(Dict, IteratorFunctorSurvivesInPlaceGrowth) {
  Dict<int, int> dict{{0, 0}};
  Function iter = Global("ffi.DictForwardIterFunctor")(dict).cast<Function>();
  for (int i = 1; i < 40; ++i) dict.Set(i, i);  // rehashes under the cursor
  // whatever the cursor points at now, it must be a live entry or the end, never garbage
  int steps = 0;
  while (steps < 100) {
    Any key = TryKey(iter);
    if (key == nullptr) break;
    EXPECT_EQ(dict.count(key.cast<int>()), 1u);
    if (!iter(2).cast<bool>()) break;
    ++steps;
  }
  EXPECT_LT(steps, 100);
}

TEST(Dict, SerializationAndStructural) {
  Dict<Any, Any> dict{{String("a"), List<Any>{1, 2}}, {3, 4.5}};
  Any back = FromJSONGraph(ToJSONGraph(dict));
  EXPECT_EQ(back.type_index(), kTVMFFIDict);
  EXPECT_TRUE(StructuralEqual::Equal(back, dict));
  EXPECT_EQ(StructuralHash::Hash(back), StructuralHash::Hash(dict));
  Map<Any, Any> as_map{{String("a"), List<Any>{1, 2}}, {3, 4.5}};
  EXPECT_FALSE(StructuralEqual::Equal(as_map, dict));
  Dict<Any, Any> self;
  self.Set(String("me"), self);
  EXPECT_FFI_ERROR("ValueError", "Cycle detected during serialization: a Dict contains itself",
                   ToJSONGraph(self));
  EXPECT_TRUE(StructuralEqual::Equal(self, self));
  StructuralHash::Hash(self);  // terminates
  self.clear();
}

// ---- storage installed by another binary ----

void (*g_saved_deleter)(void*) = nullptr;
int g_wrapped_deleter_calls = 0;
void WrappedDeleter(void* data) {
  ++g_wrapped_deleter_calls;
  g_saved_deleter(data);
}

TEST(Dict, RuntimeReleasesAForeignBlockDeleterOnRehash) {
  Dict<int, int> dict;
  for (int i = 0; i < 6; ++i) dict.Set(i, i);  // dense, 8 slots
  ASSERT_FALSE(IsSmall(dict));
  // the block array now "belongs to a module": its deleter is a foreign function
  g_saved_deleter = FieldsOf(dict)->data_deleter;
  g_wrapped_deleter_calls = 0;
  FieldsOf(dict)->data_deleter = WrappedDeleter;
  Function set_item = Global("ffi.DictSetItem");
  for (int i = 6; i < 12; ++i) set_item(dict, i, i);  // rehash to 16 slots
  EXPECT_EQ(g_wrapped_deleter_calls, 1) << "the old blocks go back through their own deleter";
  EXPECT_NE(FieldsOf(dict)->data_deleter, WrappedDeleter);
  for (int i = 0; i < 12; ++i) EXPECT_EQ(dict.at(i), i);
}

TEST(Dict, RuntimeReleasesAForeignOwnerReleaser) {
  Dict<int, int> dict{{0, 0}, {1, 1}, {2, 2}};  // small, capacity 4, entries in an owner
  ASSERT_TRUE(IsSmall(dict));
  ASSERT_EQ(Capacity(dict), 4u);
  g_saved_deleter = FieldsOf(dict)->data_deleter;
  g_wrapped_deleter_calls = 0;
  FieldsOf(dict)->data_deleter = WrappedDeleter;
  dict.Set(3, 3);
  EXPECT_EQ(g_wrapped_deleter_calls, 0) << "room left: no switch";
  dict.Set(4, 4);  // small -> dense
  EXPECT_EQ(g_wrapped_deleter_calls, 1);
  EXPECT_FALSE(IsSmall(dict));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(dict.at(i), i);
}

TEST(Dict, SmallAllocatedDictDestroyedWhileDense) {
  Array<int> payload{1};
  {
    Dict<int, Any> dict;  // small allocation
    for (int i = 0; i < 20; ++i) dict.Set(i, payload);
    EXPECT_FALSE(IsSmall(dict));
    EXPECT_EQ(payload.use_count(), 21);
  }
  EXPECT_EQ(payload.use_count(), 1) << "every value released by the dense destruction";
}

/*! \brief A 0.1.0-style small map of capacity 1 (88 bytes), built through the C layout. */
struct ForeignSmallMap {
  TVMFFIObject header;
  void* data;
  uint64_t size;
  uint64_t slots;
  void (*data_deleter)(void*);
  TVMFFIAny kv[2];
};
int g_foreign_map_frees = 0;
void ForeignSmallMapDeleter(void* self, int flags) {
  auto* m = static_cast<ForeignSmallMap*>(self);
  if (flags & kTVMFFIObjectDeleterFlagBitMaskStrong) {
    for (uint64_t i = 0; i < 2 * m->size; ++i) {
      if (m->kv[i].type_index >= kTVMFFIStaticObjectBegin) TVMFFIObjectDecRef(m->kv[i].v_obj);
    }
  }
  if (flags & kTVMFFIObjectDeleterFlagBitMaskWeak) {
    ++g_foreign_map_frees;
    std::free(m);
  }
}

TEST(Dict, ZeroPointOneZeroSmallMapOfCapacityOne) {
  g_foreign_map_frees = 0;
  auto* raw = static_cast<ForeignSmallMap*>(std::malloc(sizeof(ForeignSmallMap)));
  raw->header = TVMFFIObject{1 | (uint64_t(1) << 32), kTVMFFIMap, 0, {ForeignSmallMapDeleter}};
  raw->data = raw->kv;
  raw->size = 1;
  raw->slots = kSmallTag | 1;
  raw->data_deleter = nullptr;
  Any key = String("k");  // a small string: no reference to own
  raw->kv[0] = *details::AnyUnsafe::TVMFFIAnyPtrFromAny(key);
  raw->kv[1] = TVMFFIAny{kTVMFFIInt, {0}, {41}};
  {
    Map<String, int> map(details::ObjectUnsafe::ObjectPtrFromOwned<Object>(&raw->header));
    EXPECT_EQ(map.at("k"), 41);
    EXPECT_EQ(Global("ffi.MapSize")(map).cast<int64_t>(), 1);
    Dict<String, int> dict = Any(map).cast<Dict<String, int>>();  // a Dict is never the Map
    EXPECT_FALSE(dict.same_as(map));
    EXPECT_GE(Capacity(dict), 2u);
    dict.Set("j", 2);
    EXPECT_EQ(map.size(), 1u);
    Map<String, int> grown = map;
    grown.Set("j", 2);  // copy-on-write leaves the foreign object alone
    EXPECT_EQ(grown.size(), 2u);
    EXPECT_EQ(map.size(), 1u);
  }
  EXPECT_EQ(g_foreign_map_frees, 1);
}

// ---- per-type key hooks ----

/*! \brief A key type hashed and compared by value through native hooks. */
class KeyBoxObj : public Object {
 public:
  explicit KeyBoxObj(int64_t v) : value(v) {}
  int64_t value;
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("test.KeyBox", KeyBoxObj, Object);
};
/*! \brief A key type hashed and compared by value through Function hooks. */
class FnKeyObj : public Object {
 public:
  explicit FnKeyObj(int64_t v) : value(v) {}
  int64_t value;
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("test.FnKey", FnKeyObj, Object);
};
/*! \brief A key type whose hash hook fails. */
class BadKeyObj : public Object {
 public:
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("test.BadKey", BadKeyObj, Object);
};

TVMFFIAny KeyBoxHash(const Any& key) noexcept {
  // few distinct hashes, so dense maps get long chains
  return TVMFFIAny{kTVMFFIInt, {0}, {key.as<KeyBoxObj>()->value % 3}};
}
TVMFFIAny KeyBoxEqual(const Any& lhs, const Any& rhs) noexcept {
  bool eq = lhs.as<KeyBoxObj>()->value == rhs.as<KeyBoxObj>()->value;
  return TVMFFIAny{kTVMFFIBool, {0}, {eq ? 1 : 0}};
}

void RegisterAttr(int32_t type_index, const char* name, const Any& value) {
  TVMFFIByteArray attr{name, std::strlen(name)};
  ASSERT_EQ(
      TVMFFITypeRegisterAttr(type_index, &attr, details::AnyUnsafe::TVMFFIAnyPtrFromAny(value)), 0);
}

void RegisterKeyHooks() {
  static bool done = [] {
    RegisterAttr(KeyBoxObj::RuntimeTypeIndex(), "__any_hash__",
                 Any(reinterpret_cast<void*>(&KeyBoxHash)));
    RegisterAttr(KeyBoxObj::RuntimeTypeIndex(), "__any_equal__",
                 Any(reinterpret_cast<void*>(&KeyBoxEqual)));
    RegisterAttr(FnKeyObj::RuntimeTypeIndex(), "__any_hash__",
                 Function::FromTyped([](const Any& k) { return k.as<FnKeyObj>()->value * 7; }));
    RegisterAttr(FnKeyObj::RuntimeTypeIndex(), "__any_equal__",
                 Function::FromTyped([](const Any& a, const Any& b) {
                   return a.as<FnKeyObj>()->value == b.as<FnKeyObj>()->value;
                 }));
    RegisterAttr(BadKeyObj::RuntimeTypeIndex(), "__any_hash__",
                 Function::FromTyped([](const Any&) -> int64_t {
                   TVM_FFI_THROW(ValueError) << "no hash for you";
                 }));
    return true;
  }();
  (void)done;
}

TEST(AnyHashHooks, ColumnsExistAtStartup) {
  for (const char* name : {"__any_hash__", "__any_equal__"}) {
    TVMFFIByteArray attr{name, std::strlen(name)};
    EXPECT_NE(TVMFFIGetTypeAttrColumn(&attr), nullptr) << name;
  }
}

TEST(AnyHashHooks, NativeHooksMakeEqualKeysMeet) {
  RegisterKeyHooks();
  Any a = ObjectRef(make_object<KeyBoxObj>(5));
  Any b = ObjectRef(make_object<KeyBoxObj>(5));
  Any c = ObjectRef(make_object<KeyBoxObj>(6));
  EXPECT_EQ(AnyHash()(a), AnyHash()(b));
  EXPECT_EQ(AnyHash()(a), details::StableHashCombine(KeyBoxObj::RuntimeTypeIndex(), 5 % 3));
  EXPECT_TRUE(AnyEqual()(a, b));
  EXPECT_FALSE(AnyEqual()(a, c));
  // small and dense maps and dicts find fresh, equal keys
  for (int n : {2, 30}) {
    Map<Any, int> map;
    Dict<Any, int> dict;
    for (int i = 0; i < n; ++i) {
      map.Set(ObjectRef(make_object<KeyBoxObj>(i)), i);
      dict.Set(ObjectRef(make_object<KeyBoxObj>(i)), i);
    }
    for (int i = 0; i < n; ++i) {
      Any probe = ObjectRef(make_object<KeyBoxObj>(i));
      EXPECT_EQ(map.at(probe), i);
      EXPECT_EQ(dict.at(probe), i);
      EXPECT_EQ(Global("ffi.MapGetItem")(map, probe).cast<int>(), i);
    }
    map.Set(ObjectRef(make_object<KeyBoxObj>(0)), 100);  // an update, not a new key
    EXPECT_EQ(map.size(), static_cast<size_t>(n));
  }
}

TEST(AnyHashHooks, FunctionHooksAndFailures) {
  RegisterKeyHooks();
  Any a = ObjectRef(make_object<FnKeyObj>(3));
  Any b = ObjectRef(make_object<FnKeyObj>(3));
  EXPECT_EQ(AnyHash()(a), details::StableHashCombine(FnKeyObj::RuntimeTypeIndex(), 21));
  EXPECT_TRUE(AnyEqual()(a, b));
  Dict<Any, int> dict;
  for (int i = 0; i < 10; ++i) dict.Set(ObjectRef(make_object<FnKeyObj>(i)), i);
  EXPECT_EQ(dict.at(b), 3);
  // different types are never custom-compared
  EXPECT_FALSE(AnyEqual()(a, Any(ObjectRef(make_object<KeyBoxObj>(3)))));
  // a failing hook is an error, not a silent pointer hash
  Any bad = ObjectRef(make_object<BadKeyObj>());
  EXPECT_FFI_ERROR("ValueError", "no hash for you", AnyHash()(bad));
  Map<Any, int> map;
  EXPECT_FFI_ERROR("ValueError", "no hash for you", {
    for (int i = 0; i < 5; ++i) map.Set(ObjectRef(make_object<BadKeyObj>()), i);
  });
  // types without hooks keep identity semantics
  Any plain1 = Array<int>{1};
  Any plain2 = Array<int>{1};
  EXPECT_FALSE(AnyEqual()(plain1, plain2));
}

}  // namespace
