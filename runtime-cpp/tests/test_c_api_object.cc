// C API conformance: version, reference counting, opaque objects, the type table,
// reflection registration and type attributes (abi.md §8 items 6, 7, 14-17).
#include <gtest/gtest.h>
#include <tvm/ffi/c_api.h>

#include <atomic>
#include <functional>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "c_api_test_helpers.h"

namespace {

using namespace tvm_ffi_c_api_test;  // NOLINT(build/namespaces)

TEST(CAPIVersion, ReportsZeroOneSixteen) {
  TVMFFIVersion version{99, 99, 99};
  TVMFFIGetVersion(&version);
  EXPECT_EQ(version.major, 0u);
  EXPECT_EQ(version.minor, 1u);
  EXPECT_EQ(version.patch, 16u);
  EXPECT_EQ(version.major, static_cast<uint32_t>(TVM_FFI_VERSION_MAJOR));
  EXPECT_EQ(version.minor, static_cast<uint32_t>(TVM_FFI_VERSION_MINOR));
  EXPECT_EQ(version.patch, static_cast<uint32_t>(TVM_FFI_VERSION_PATCH));
}

// ---------------------------------------------------------------------------------------------
// Reference counting with a hand-made object and a recording deleter.
// ---------------------------------------------------------------------------------------------
struct HandMadeObject {
  TVMFFIObject header;
  std::vector<int>* deleter_calls;
};

void RecordingDeleter(void* self, int flags) {
  auto* obj = reinterpret_cast<HandMadeObject*>(static_cast<TVMFFIObject*>(self));
  obj->deleter_calls->push_back(flags);
}

void InitHandMade(HandMadeObject* obj, std::vector<int>* calls) {
  std::memset(obj, 0, sizeof(*obj));
  obj->header.combined_ref_count = (uint64_t(1) << 32) | 1;
  obj->header.type_index = kTVMFFIObject;
  obj->header.deleter = RecordingDeleter;
  obj->deleter_calls = calls;
}

TEST(CAPIRefCount, IncRefDecRefFollowTheCombinedCountProtocol) {
  std::vector<int> calls;
  HandMadeObject obj;
  InitHandMade(&obj, &calls);
  EXPECT_EQ(TVMFFIObjectIncRef(&obj.header), 0);
  EXPECT_EQ(obj.header.combined_ref_count, 0x100000002ull);
  EXPECT_EQ(TVMFFIObjectDecRef(&obj.header), 0);
  EXPECT_EQ(obj.header.combined_ref_count, 0x100000001ull);
  EXPECT_TRUE(calls.empty());
  EXPECT_EQ(TVMFFIObjectDecRef(&obj.header), 0);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0], kTVMFFIObjectDeleterFlagBitMaskBoth);
}

TEST(CAPIRefCount, ExtraWeakReferenceSplitsTheDeleterCalls) {
  std::vector<int> calls;
  HandMadeObject obj;
  InitHandMade(&obj, &calls);
  // A weak reference taken the way header code does it (relaxed add of 1 << 32).
  __atomic_fetch_add(&obj.header.combined_ref_count, uint64_t(1) << 32, __ATOMIC_RELAXED);
  EXPECT_EQ(TVMFFIObjectDecRef(&obj.header), 0);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0], kTVMFFIObjectDeleterFlagBitMaskStrong);
  EXPECT_EQ(obj.header.combined_ref_count, uint64_t(1) << 32);
  // Weak release (inline protocol): the previous value 1 << 32 means "free now".
  uint64_t old =
      __atomic_fetch_sub(&obj.header.combined_ref_count, uint64_t(1) << 32, __ATOMIC_RELEASE);
  if (old == (uint64_t(1) << 32))
    RecordingDeleter(&obj.header, kTVMFFIObjectDeleterFlagBitMaskWeak);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1], kTVMFFIObjectDeleterFlagBitMaskWeak);
}

TEST(CAPIRefCount, NullDeleterIsNeverCalled) {
  HandMadeObject obj;
  std::vector<int> calls;
  InitHandMade(&obj, &calls);
  obj.header.deleter = nullptr;
  EXPECT_EQ(TVMFFIObjectDecRef(&obj.header), 0);
  // Only the strong half is subtracted on the "both" path; nothing is freed.
  EXPECT_EQ(obj.header.combined_ref_count, uint64_t(1) << 32);
}

// ---------------------------------------------------------------------------------------------
// Opaque objects
// ---------------------------------------------------------------------------------------------
std::vector<void*> g_opaque_deleted;
void OpaqueDeleter(void* handle) { g_opaque_deleted.push_back(handle); }

TEST(CAPIOpaque, CreatesOpaquePyObjectAndCallsDeleterOnce) {
  g_opaque_deleted.clear();
  int payload = 7;
  TVMFFIObjectHandle obj = nullptr;
  ASSERT_EQ(TVMFFIObjectCreateOpaque(&payload, kTVMFFIOpaquePyObject, OpaqueDeleter, &obj), 0);
  ASSERT_NE(obj, nullptr);
  EXPECT_EQ(TVMFFIObjectGetTypeIndex(obj), kTVMFFIOpaquePyObject);
  EXPECT_EQ(RefCountWord(obj), 0x100000001ull);
  EXPECT_EQ(TVMFFIOpaqueObjectGetCellPtr(obj)->handle, &payload);
  TVMFFIObjectIncRef(obj);
  TVMFFIObjectDecRef(obj);
  EXPECT_TRUE(g_opaque_deleted.empty());
  TVMFFIObjectDecRef(obj);
  ASSERT_EQ(g_opaque_deleted.size(), 1u);
  EXPECT_EQ(g_opaque_deleted[0], &payload);
}

TEST(CAPIOpaque, NullDeleterIsAllowed) {
  TVMFFIObjectHandle obj = nullptr;
  ASSERT_EQ(TVMFFIObjectCreateOpaque(nullptr, kTVMFFIOpaquePyObject, nullptr, &obj), 0);
  EXPECT_EQ(TVMFFIOpaqueObjectGetCellPtr(obj)->handle, nullptr);
  TVMFFIObjectDecRef(obj);
}

TEST(CAPIOpaque, RejectsOtherTypeIndices) {
  TVMFFIObjectHandle obj = reinterpret_cast<TVMFFIObjectHandle>(0x1234);
  EXPECT_EQ(TVMFFIObjectCreateOpaque(nullptr, kTVMFFIObject, nullptr, &obj), -1);
  EXPECT_EQ(obj, reinterpret_cast<TVMFFIObjectHandle>(0x1234));
  RaisedError err = TakeRaisedError();
  ASSERT_TRUE(err.present);
  EXPECT_EQ(err.kind, "RuntimeError");
  EXPECT_EQ(err.message, "Only kTVMFFIOpaquePyObject is supported for now");
}

// ---------------------------------------------------------------------------------------------
// Type table: keys, indices, info
// ---------------------------------------------------------------------------------------------
struct StaticKey {
  int32_t index;
  const char* key;
};

const StaticKey kPodKeys[] = {
    {0, "None"},
    {1, "int"},
    {2, "bool"},
    {3, "float"},
    {4, "void*"},
    {5, "DataType"},
    {6, "Device"},
    {7, "DLTensor*"},
    {8, "const char*"},
    {9, "TVMFFIByteArray*"},
    {10, "ObjectRValueRef"},
    {11, "ffi.SmallStr"},
    {12, "ffi.SmallBytes"},
    {13, "ffi.Unchanged"},
};

const StaticKey kObjectKeys[] = {
    {64, "ffi.Object"}, {65, "ffi.String"},         {66, "ffi.Bytes"},
    {67, "ffi.Error"},  {68, "ffi.Function"},       {69, "ffi.Shape"},
    {70, "ffi.Tensor"}, {71, "ffi.Array"},          {72, "ffi.Map"},
    {73, "ffi.Module"}, {74, "ffi.OpaquePyObject"}, {77, "ffi.VisitInterrupt"},
    {78, "ffi.BigInt"},
};

TEST(CAPITypeTable, StaticKeysResolveToTheirIndices) {
  auto check = [](const StaticKey& entry) {
    TVMFFIByteArray key = ByteArrayOf(entry.key);
    int32_t index = -100;
    ASSERT_EQ(TVMFFITypeKeyToIndex(&key, &index), 0) << entry.key;
    EXPECT_EQ(index, entry.index) << entry.key;
  };
  for (const StaticKey& entry : kPodKeys) check(entry);
  for (const StaticKey& entry : kObjectKeys) check(entry);
  TVMFFIByteArray array_key = ByteArrayOf("ffi.Array");
  int32_t index = -1;
  ASSERT_EQ(TVMFFITypeKeyToIndex(&array_key, &index), 0);
  EXPECT_EQ(index, 71);
}

TEST(CAPITypeTable, UnknownKeyIsAnInternalErrorAndLeavesOutputAlone) {
  std::string key_text = UniqueName("no.such.Type");
  TVMFFIByteArray key = ByteArrayOf(key_text);
  int32_t index = -77;
  EXPECT_EQ(TVMFFITypeKeyToIndex(&key, &index), -1);
  EXPECT_EQ(index, -77);
  RaisedError err = TakeRaisedError();
  ASSERT_TRUE(err.present);
  EXPECT_EQ(err.type_index, kTVMFFIError);
  EXPECT_EQ(err.kind, "InternalError");
  EXPECT_NE(err.message.find("Cannot find type `" + key_text + "`"), std::string::npos)
      << err.message;
}

TEST(CAPITypeTable, StaticTypeInfoEntries) {
  for (const StaticKey& entry : kPodKeys) {
    const TVMFFITypeInfo* info = TVMFFIGetTypeInfo(entry.index);
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->type_index, entry.index);
    EXPECT_EQ(ToStd(info->type_key), entry.key);
    EXPECT_EQ(info->type_depth, 0);
  }
  const TVMFFITypeInfo* object_info = TVMFFIGetTypeInfo(kTVMFFIObject);
  EXPECT_EQ(object_info->type_depth, 0);
  ASSERT_NE(object_info->metadata, nullptr);
  EXPECT_EQ(object_info->metadata->total_size, 24);
  EXPECT_EQ(object_info->metadata->creator, nullptr);
  EXPECT_EQ(object_info->metadata->doc.size, 0u);
  for (const StaticKey& entry : kObjectKeys) {
    const TVMFFITypeInfo* info = TVMFFIGetTypeInfo(entry.index);
    EXPECT_EQ(info->type_index, entry.index);
    EXPECT_EQ(ToStd(info->type_key), entry.key);
    if (entry.index == kTVMFFIObject) continue;
    ASSERT_EQ(info->type_depth, 1) << entry.key;
    EXPECT_EQ(info->type_ancestors[0], object_info) << entry.key;
    EXPECT_EQ(info->type_ancestors[0]->type_index, kTVMFFIObject);
  }
}

TEST(CAPITypeTable, TypeKeyHashIsTheLibstdcxxStringHash) {
  TVMFFIByteArray key = ByteArrayOf("my.Test");
  int32_t index = TVMFFITypeGetOrAllocIndex(&key, -1, 1, 0, 1, kTVMFFIObject);
  const TVMFFITypeInfo* info = TVMFFIGetTypeInfo(index);
  EXPECT_EQ(info->type_key_hash, 0x3754055f5d6c0d50ull);
  // Static entries are hashed the same way.
  const TVMFFITypeInfo* array_info = TVMFFIGetTypeInfo(kTVMFFIArray);
  EXPECT_EQ(array_info->type_key_hash,
            static_cast<uint64_t>(std::hash<std::string_view>()("ffi.Array")));
}

TEST(CAPITypeTable, StaticRegistrationIsIdempotent) {
  TVMFFIByteArray key = ByteArrayOf("ffi.Array");
  EXPECT_EQ(TVMFFITypeGetOrAllocIndex(&key, kTVMFFIArray, 1, 0, 0, kTVMFFIObject), kTVMFFIArray);
  EXPECT_EQ(TVMFFITypeGetOrAllocIndex(&key, kTVMFFIArray, 1, 0, 0, kTVMFFIObject), kTVMFFIArray);
}

TEST(CAPITypeTable, ParentMinusTwoOnlyQueries) {
  TVMFFIByteArray array_key = ByteArrayOf("ffi.Array");
  EXPECT_EQ(TVMFFITypeGetOrAllocIndex(&array_key, -1, 1, 0, 1, -2), kTVMFFIArray);
  std::string key_text = UniqueName("test.NeverRegistered");
  TVMFFIByteArray key = ByteArrayOf(key_text);
  EXPECT_EQ(TVMFFITypeGetOrAllocIndex(&key, -1, 1, 0, 1, -2), -2);
  // Still unknown afterwards.
  int32_t index = -77;
  EXPECT_EQ(TVMFFITypeKeyToIndex(&key, &index), -1);
  EXPECT_EQ(index, -77);
  EXPECT_EQ(TakeRaisedError().kind, "InternalError");
}

TEST(CAPITypeTable, NewStaticEntriesHaveUpstreamParentsAndSlots) {
  // 0.1.15 headers compute instance checks from compile-time depth / parent.
  for (int32_t index : {kTVMFFIDLTensorPtr, kTVMFFIUnchanged}) {
    const TVMFFITypeInfo* info = TVMFFIGetTypeInfo(index);
    EXPECT_EQ(info->type_depth, 0) << index;
    EXPECT_EQ(info->type_ancestors, nullptr) << index;
  }
  for (int32_t index : {kTVMFFIVisitInterrupt, kTVMFFIBigInt}) {
    const TVMFFITypeInfo* info = TVMFFIGetTypeInfo(index);
    ASSERT_EQ(info->type_depth, 1) << index;
    EXPECT_EQ(info->type_ancestors[0]->type_index, kTVMFFIObject) << index;
    // No child slots and no overflow: a would-be child cannot be registered under it.
  }
  // The same pointer every time (TVMFFIGetTypeInfo is declared pure).
  EXPECT_EQ(TVMFFIGetTypeInfo(kTVMFFIBigInt), TVMFFIGetTypeInfo(kTVMFFIBigInt));
}

TEST(CAPITypeTableDeathTest, NewFinalStaticTypesTakeNoChildren) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  std::string key_text = UniqueName("test.BigIntChild");
  TVMFFIByteArray key = ByteArrayOf(key_text);
  EXPECT_EXIT(TVMFFITypeGetOrAllocIndex(&key, -1, 2, 0, 1, kTVMFFIBigInt),
              testing::ExitedWithCode(255), "Reach maximum number of sub-classes for ffi.BigInt");
}

TEST(CAPITypeTable, DynamicIndicesAndChildSlots) {
  std::string key_a = UniqueName("test.SlotA");
  std::string key_b = UniqueName("test.SlotB");
  std::string key_c = UniqueName("test.SlotC");
  TVMFFIByteArray a = ByteArrayOf(key_a), b = ByteArrayOf(key_b), c = ByteArrayOf(key_c);
  int32_t index_a = TVMFFITypeGetOrAllocIndex(&a, -1, 1, 0, 1, kTVMFFIObject);
  int32_t index_b = TVMFFITypeGetOrAllocIndex(&b, -1, 1, 3, 1, kTVMFFIObject);
  int32_t index_c = TVMFFITypeGetOrAllocIndex(&c, -1, 1, 0, 1, kTVMFFIObject);
  EXPECT_GE(index_a, kTVMFFIDynObjectBegin);
  // ffi.Object reserves no child slots: every child comes from the global counter, and B's
  // three reserved slots push C four indices further.
  EXPECT_EQ(index_b, index_a + 1);
  EXPECT_EQ(index_c, index_b + 4);
  // Repeated registration returns the same index whatever the other arguments say.
  EXPECT_EQ(TVMFFITypeGetOrAllocIndex(&b, -1, 1, 7, 0, kTVMFFIObject), index_b);

  // Children of B fill B's reserved range first.
  std::string key_d = UniqueName("test.SlotD");
  std::string key_e = UniqueName("test.SlotE");
  std::string key_f = UniqueName("test.SlotF");
  TVMFFIByteArray d = ByteArrayOf(key_d), e = ByteArrayOf(key_e), f = ByteArrayOf(key_f);
  int32_t index_d = TVMFFITypeGetOrAllocIndex(&d, -1, 2, 0, 1, index_b);
  int32_t index_e = TVMFFITypeGetOrAllocIndex(&e, -1, 2, 1, 1, index_b);
  EXPECT_EQ(index_d, index_b + 1);
  EXPECT_EQ(index_e, index_b + 2);
  // B's range [b, b+3] is full now; B allows overflow so F comes from the global counter.
  int32_t index_f = TVMFFITypeGetOrAllocIndex(&f, -1, 2, 0, 1, index_b);
  EXPECT_GT(index_f, index_c);

  const TVMFFITypeInfo* info_d = TVMFFIGetTypeInfo(index_d);
  EXPECT_EQ(info_d->type_depth, 2);
  EXPECT_EQ(info_d->type_ancestors[0]->type_index, kTVMFFIObject);
  EXPECT_EQ(info_d->type_ancestors[1]->type_index, index_b);
  EXPECT_EQ(ToStd(info_d->type_key), key_d);
  EXPECT_EQ(info_d->num_fields, 0);
  EXPECT_EQ(info_d->num_methods, 0);
  EXPECT_EQ(info_d->metadata, nullptr);

  int32_t looked_up = -1;
  ASSERT_EQ(TVMFFITypeKeyToIndex(&e, &looked_up), 0);
  EXPECT_EQ(looked_up, index_e);
}

// TVMFFIGetTypeInfo is declared pure: a call whose result is unused may be dropped, so the
// death tests use the result.
int32_t UseTypeInfo(int32_t index) {
  volatile int32_t seen = TVMFFIGetTypeInfo(index)->type_index;
  return seen;
}

TEST(CAPITypeTableDeathTest, UnknownTypeInfoIsFatal) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(UseTypeInfo(14), testing::ExitedWithCode(255),
              "Cannot find type info for type_index=14");
  EXPECT_EXIT(UseTypeInfo(100), testing::ExitedWithCode(255),
              "Cannot find type info for type_index=100");
  EXPECT_EXIT(UseTypeInfo(-3), testing::ExitedWithCode(255),
              "Cannot find type info for type_index=-3");
}

TEST(CAPITypeTableDeathTest, NonOverflowingParentRunsOutOfSlots) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  std::string key_p = UniqueName("test.Closed");
  TVMFFIByteArray p = ByteArrayOf(key_p);
  int32_t index_p = TVMFFITypeGetOrAllocIndex(&p, -1, 1, 1, 0, kTVMFFIObject);
  std::string key_q = UniqueName("test.ClosedChild");
  TVMFFIByteArray q = ByteArrayOf(key_q);
  EXPECT_EQ(TVMFFITypeGetOrAllocIndex(&q, -1, 2, 0, 1, index_p), index_p + 1);
  std::string key_r = UniqueName("test.ClosedChild2");
  TVMFFIByteArray r = ByteArrayOf(key_r);
  EXPECT_EXIT(TVMFFITypeGetOrAllocIndex(&r, -1, 2, 0, 1, index_p), testing::ExitedWithCode(255),
              "Reach maximum number of sub-classes for " + key_p);
  // The child of a non-overflowing parent cannot overflow either, even though it asked to.
  std::string key_s = UniqueName("test.ClosedGrandChild");
  TVMFFIByteArray s = ByteArrayOf(key_s);
  EXPECT_EXIT(TVMFFITypeGetOrAllocIndex(&s, -1, 3, 0, 1, index_p + 1), testing::ExitedWithCode(255),
              "Reach maximum number of sub-classes for " + key_q);
}

TEST(CAPITypeTableDeathTest, ConflictingStaticIndexIsFatal) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  std::string key = UniqueName("test.Conflict");
  TVMFFIByteArray k = ByteArrayOf(key);
  EXPECT_EXIT(TVMFFITypeGetOrAllocIndex(&k, kTVMFFIArray, 1, 0, 0, kTVMFFIObject),
              testing::ExitedWithCode(255), "Conflicting static index");
}

// ---------------------------------------------------------------------------------------------
// Reflection registration
// ---------------------------------------------------------------------------------------------
int DummyGetter(void*, TVMFFIAny* result) {
  *result = IntAny(1);
  return 0;
}
int DummySetter(void*, const TVMFFIAny*) { return 0; }
int DummyMethod(void*, const TVMFFIAny*, int32_t, TVMFFIAny* result) {
  *result = IntAny(42);
  return 0;
}

int32_t FreshType(const char* prefix) {
  std::string key = UniqueName(prefix);
  TVMFFIByteArray k = ByteArrayOf(key);
  return TVMFFITypeGetOrAllocIndex(&k, -1, 1, 0, 1, kTVMFFIObject);
}

TEST(CAPIReflection, RegisterFieldCopiesStringsAndKeepsDefault) {
  int32_t index = FreshType("test.FieldHolder");
  std::string name = "value";
  std::string doc = "the value";
  TVMFFIFieldInfo info;
  std::memset(&info, 0, sizeof(info));
  info.name = ByteArrayOf(name);
  info.doc = ByteArrayOf(doc);
  info.metadata = TVMFFIByteArray{nullptr, 0};
  info.flags = kTVMFFIFieldFlagBitMaskHasDefault | kTVMFFIFieldFlagBitMaskWritable;
  info.size = 8;
  info.alignment = 8;
  info.offset = 24;
  info.getter = DummyGetter;
  info.setter = reinterpret_cast<void*>(&DummySetter);
  info.default_value_or_factory = RawStrAny("a default longer than seven");
  info.field_static_type_index = kTVMFFIStr;
  ASSERT_EQ(TVMFFITypeRegisterField(index, &info), 0);

  // A second field without a default.
  std::string name2 = "other";
  TVMFFIFieldInfo info2 = info;
  info2.name = ByteArrayOf(name2);
  info2.doc = TVMFFIByteArray{nullptr, 0};
  info2.flags = 0;
  info2.default_value_or_factory = IntAny(5);
  ASSERT_EQ(TVMFFITypeRegisterField(index, &info2), 0);

  name = "XXXXX";  // the runtime must have copied the bytes
  const TVMFFITypeInfo* type_info = TVMFFIGetTypeInfo(index);
  ASSERT_EQ(type_info->num_fields, 2);
  const TVMFFIFieldInfo& f0 = type_info->fields[0];
  EXPECT_EQ(ToStd(f0.name), "value");
  EXPECT_NE(f0.name.data, name.data());
  EXPECT_EQ(ToStd(f0.doc), "the value");
  EXPECT_EQ(f0.metadata.data, nullptr);
  EXPECT_EQ(f0.metadata.size, 0u);
  EXPECT_EQ(f0.offset, 24);
  EXPECT_EQ(f0.getter, &DummyGetter);
  EXPECT_EQ(f0.setter, reinterpret_cast<void*>(&DummySetter));
  EXPECT_EQ(f0.field_static_type_index, kTVMFFIStr);
  // The RawStr view was materialised into an owned String kept alive by the runtime.
  EXPECT_EQ(f0.default_value_or_factory.type_index, kTVMFFIStr);
  EXPECT_EQ(StrContent(f0.default_value_or_factory), "a default longer than seven");
  const TVMFFIFieldInfo& f1 = type_info->fields[1];
  EXPECT_EQ(ToStd(f1.name), "other");
  EXPECT_EQ(f1.doc.data, nullptr);
  EXPECT_EQ(f1.default_value_or_factory.type_index, kTVMFFINone);
}

TEST(CAPIReflection, RegisterFieldOnUnknownTypeFails) {
  TVMFFIFieldInfo info;
  std::memset(&info, 0, sizeof(info));
  info.name = ByteArrayOf("x");
  EXPECT_EQ(TVMFFITypeRegisterField(100, &info), -1);
  RaisedError err = TakeRaisedError();
  EXPECT_EQ(err.kind, "InternalError");
}

TEST(CAPIReflection, RegisterMethodRetainsTheFunction) {
  int32_t index = FreshType("test.MethodHolder");
  TVMFFIObjectHandle func = nullptr;
  ASSERT_EQ(TVMFFIFunctionCreate(nullptr, DummyMethod, nullptr, &func), 0);
  TVMFFIMethodInfo info;
  std::memset(&info, 0, sizeof(info));
  info.name = ByteArrayOf("compute");
  info.doc = ByteArrayOf("computes");
  info.metadata = ByteArrayOf("{\"k\":1}");
  info.flags = kTVMFFIFieldFlagBitMaskIsStaticMethod;
  info.method = ObjectAny(func);
  ASSERT_EQ(TVMFFITypeRegisterMethod(index, &info), 0);
  EXPECT_EQ(StrongCount(func), 2u);
  const TVMFFITypeInfo* type_info = TVMFFIGetTypeInfo(index);
  ASSERT_EQ(type_info->num_methods, 1);
  EXPECT_EQ(ToStd(type_info->methods[0].name), "compute");
  EXPECT_EQ(ToStd(type_info->methods[0].doc), "computes");
  EXPECT_EQ(ToStd(type_info->methods[0].metadata), "{\"k\":1}");
  EXPECT_EQ(type_info->methods[0].flags, kTVMFFIFieldFlagBitMaskIsStaticMethod);
  EXPECT_EQ(type_info->methods[0].method.v_obj, func);
  TVMFFIObjectDecRef(func);
  EXPECT_EQ(StrongCount(type_info->methods[0].method.v_obj), 1u);
}

int DummyCreator(TVMFFIObjectHandle* result) {
  *result = nullptr;
  return 0;
}

TEST(CAPIReflection, MetadataCanBeRegisteredOnce) {
  int32_t index = FreshType("test.MetaHolder");
  EXPECT_EQ(TVMFFIGetTypeInfo(index)->metadata, nullptr);
  std::string doc = "documented type";
  TVMFFITypeMetadata md;
  std::memset(&md, 0, sizeof(md));
  md.doc = ByteArrayOf(doc);
  md.creator = DummyCreator;
  md.total_size = 48;
  md.structural_eq_hash_kind = kTVMFFISEqHashKindTreeNode;
  ASSERT_EQ(TVMFFITypeRegisterMetadata(index, &md), 0);
  doc = "XXXXXXXXXXXXXXX";
  const TVMFFITypeMetadata* stored = TVMFFIGetTypeInfo(index)->metadata;
  ASSERT_NE(stored, nullptr);
  EXPECT_EQ(ToStd(stored->doc), "documented type");
  EXPECT_EQ(stored->creator, &DummyCreator);
  EXPECT_EQ(stored->total_size, 48);
  EXPECT_EQ(stored->structural_eq_hash_kind, kTVMFFISEqHashKindTreeNode);

  EXPECT_EQ(TVMFFITypeRegisterMetadata(index, &md), -1);
  RaisedError err = TakeRaisedError();
  EXPECT_EQ(err.kind, "RuntimeError");
  std::string key = ToStd(TVMFFIGetTypeInfo(index)->type_key);
  EXPECT_EQ(err.message.rfind("Overriding " + key, 0), 0u) << err.message;
}

// ---------------------------------------------------------------------------------------------
// Type attributes
// ---------------------------------------------------------------------------------------------
TEST(CAPITypeAttr, SetOnceGrowAndLookup) {
  std::string attr = UniqueName("__test_attr__");
  TVMFFIByteArray attr_name = ByteArrayOf(attr);
  EXPECT_EQ(TVMFFIGetTypeAttrColumn(&attr_name), nullptr);

  int32_t index = FreshType("test.AttrHolder");
  TVMFFIAny value = IntAny(11);
  ASSERT_EQ(TVMFFITypeRegisterAttr(index, &attr_name, &value), 0);
  const TVMFFITypeAttrColumn* column = TVMFFIGetTypeAttrColumn(&attr_name);
  ASSERT_NE(column, nullptr);
  EXPECT_GT(column->size, index);
  EXPECT_EQ(column->begin_index, 0);
  EXPECT_EQ(column->data[index].type_index, kTVMFFIInt);
  EXPECT_EQ(column->data[index].v_int64, 11);
  for (size_t i = 0; i < static_cast<size_t>(index); ++i) {
    EXPECT_EQ(column->data[i].type_index, kTVMFFINone) << i;
  }

  TVMFFIAny other = IntAny(12);
  EXPECT_EQ(TVMFFITypeRegisterAttr(index, &attr_name, &other), -1);
  RaisedError err = TakeRaisedError();
  EXPECT_EQ(err.kind, "RuntimeError");
  EXPECT_EQ(err.message.rfind("TypeAttr `" + attr + "` is already registered for type index " +
                                  std::to_string(index) + ". ",
                              0),
            0u)
      << err.message;
  EXPECT_EQ(TVMFFIGetTypeAttrColumn(&attr_name)->data[index].v_int64, 11);

  // A view-only value is stored as an owned copy.
  TVMFFIAny text = RawStrAny("attribute text value");
  ASSERT_EQ(TVMFFITypeRegisterAttr(kTVMFFIArray, &attr_name, &text), 0);
  column = TVMFFIGetTypeAttrColumn(&attr_name);
  EXPECT_EQ(column->data[kTVMFFIArray].type_index, kTVMFFIStr);
  EXPECT_EQ(StrContent(column->data[kTVMFFIArray]), "attribute text value");
}

TEST(CAPITypeAttr, NoneIndexOnlyCreatesTheColumn) {
  std::string attr = UniqueName("__test_empty_attr__");
  TVMFFIByteArray attr_name = ByteArrayOf(attr);
  TVMFFIAny value = IntAny(1);
  ASSERT_EQ(TVMFFITypeRegisterAttr(kTVMFFINone, &attr_name, &value), 0);
  const TVMFFITypeAttrColumn* column = TVMFFIGetTypeAttrColumn(&attr_name);
  ASSERT_NE(column, nullptr);
  EXPECT_EQ(column->size, 0);
  // Registering again with None is still fine.
  ASSERT_EQ(TVMFFITypeRegisterAttr(kTVMFFINone, &attr_name, &value), 0);
}

}  // namespace
