/*!
 * \file test_object.cc
 * \brief The C++ object system: ObjectPtr / ObjectRef reference counting, WeakObjectPtr and
 *        the two-phase deleter protocol, ObjectRef::as, GetRef / GetObjectPtr, opaque objects
 *        and type key / index queries.
 */
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/cast.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/memory.h>
#include <tvm/ffi/object.h>

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "test_utils.h"
#include "testing_object.h"

namespace {

using namespace tvm::ffi;
using namespace tvm_ffi_test;

uint64_t RefWord(const Object* obj) { return RefCountWord(details::ObjectUnsafe::GetHeader(obj)); }

// ------------------------------------------------------------------------------------------
// An object whose destruction and deleter calls are observable.
// ------------------------------------------------------------------------------------------

struct Observed {
  static int destructed;
  static int64_t last_payload;
  static std::vector<int> deleter_flags;
  static FObjectDeleter original_deleter;
  static void Reset() {
    destructed = 0;
    last_payload = 0;
    deleter_flags.clear();
  }
};
int Observed::destructed = 0;
int64_t Observed::last_payload = 0;
std::vector<int> Observed::deleter_flags;
FObjectDeleter Observed::original_deleter = nullptr;

class TCountedObj : public Object {
 public:
  int64_t payload;
  explicit TCountedObj(int64_t p) : payload(p) {}
  ~TCountedObj() {
    ++Observed::destructed;
    Observed::last_payload = payload;
  }
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("test.object.Counted", TCountedObj, Object);
};

class TCounted : public ObjectRef {
 public:
  TVM_FFI_DEFINE_OBJECT_REF_METHODS_NULLABLE(TCounted, ObjectRef, TCountedObj);
};

/*! \brief Records the flags, then forwards to make_object's own deleter. */
void RecordingDeleter(void* header, int flags) {
  Observed::deleter_flags.push_back(flags);
  Observed::original_deleter(header, flags);
}

ObjectPtr<TCountedObj> MakeObserved(int64_t payload) {
  ObjectPtr<TCountedObj> ptr = make_object<TCountedObj>(payload);
  TVMFFIObject* header = details::ObjectUnsafe::GetHeader(ptr.get());
  Observed::original_deleter = header->deleter;
  header->deleter = RecordingDeleter;
  return ptr;
}

class ObjectLifetime : public ::testing::Test {
 protected:
  void SetUp() override { Observed::Reset(); }
};

// ------------------------------------------------------------------------------------------
// Strong references
// ------------------------------------------------------------------------------------------

TEST_F(ObjectLifetime, FreshObjectHasOneStrongAndOneWeak) {
  ObjectPtr<TCountedObj> p = MakeObserved(1);
  EXPECT_EQ(RefWord(p.get()), 0x100000001ULL);
  EXPECT_EQ(p->type_index(), TCountedObj::RuntimeTypeIndex());
  EXPECT_EQ(p.use_count(), 1);
  EXPECT_TRUE(p.unique());
  EXPECT_TRUE(p->unique());
}

TEST_F(ObjectLifetime, ObjectPtrCopyMoveAndReset) {
  ObjectPtr<TCountedObj> a = MakeObserved(7);
  {
    ObjectPtr<TCountedObj> b = a;
    EXPECT_EQ(a.use_count(), 2);
    EXPECT_FALSE(a.unique());
    EXPECT_EQ(RefWord(a.get()), 0x100000002ULL);
    EXPECT_TRUE(a == b);
    ObjectPtr<TCountedObj> c = std::move(b);
    EXPECT_EQ(b, nullptr);
    EXPECT_EQ(b.use_count(), 0);
    EXPECT_EQ(c.use_count(), 2);
    ObjectPtr<Object> up = c;  // converting copy
    EXPECT_EQ(a.use_count(), 3);
    up = nullptr;
    EXPECT_EQ(a.use_count(), 2);
    ObjectPtr<TCountedObj> d;
    d = c;
    EXPECT_EQ(a.use_count(), 3);
    d = std::move(c);
    EXPECT_EQ(a.use_count(), 2);
  }
  EXPECT_EQ(a.use_count(), 1);
  EXPECT_EQ(Observed::destructed, 0);
  EXPECT_TRUE(Observed::deleter_flags.empty());
  a.reset();
  EXPECT_EQ(a, nullptr);
  EXPECT_EQ(Observed::destructed, 1);
  EXPECT_EQ(Observed::last_payload, 7);
  EXPECT_EQ(Observed::deleter_flags, std::vector<int>{kTVMFFIObjectDeleterFlagBitMaskBoth});
}

TEST_F(ObjectLifetime, ObjectRefCopyMoveAndScope) {
  {
    TCounted a(MakeObserved(3));
    EXPECT_EQ(a.use_count(), 1);
    EXPECT_TRUE(a.unique());
    TCounted b = a;
    EXPECT_EQ(a.use_count(), 2);
    EXPECT_TRUE(a.same_as(b));
    EXPECT_TRUE(a == b);
    ObjectRef base = b;
    EXPECT_EQ(a.use_count(), 3);
    TCounted c = std::move(b);
    EXPECT_FALSE(b.defined());
    EXPECT_EQ(a.use_count(), 3);
    EXPECT_EQ(c->payload, 3);
    Any held = c;
    EXPECT_EQ(a.use_count(), 4);
    AnyView view = c;  // views do not count
    EXPECT_EQ(a.use_count(), 4);
    (void)view;
    EXPECT_EQ(Observed::destructed, 0);
  }
  EXPECT_EQ(Observed::destructed, 1);
  EXPECT_EQ(Observed::deleter_flags, std::vector<int>{kTVMFFIObjectDeleterFlagBitMaskBoth});
}

TEST_F(ObjectLifetime, CopyConstructedObjectIsFresh) {
  ObjectPtr<TIntObj> a = make_object<TIntObj>(5);
  ObjectPtr<TIntObj> b = make_object<TIntObj>(*a);
  EXPECT_NE(a.get(), b.get());
  EXPECT_EQ(b->value, 5);
  EXPECT_EQ(a.use_count(), 1);
  EXPECT_EQ(b.use_count(), 1);
  EXPECT_EQ(RefWord(b.get()), 0x100000001ULL);
  EXPECT_EQ(b->type_index(), TIntObj::RuntimeTypeIndex());
}

// ------------------------------------------------------------------------------------------
// Weak references
// ------------------------------------------------------------------------------------------

TEST_F(ObjectLifetime, WeakLockWhileAlive) {
  ObjectPtr<TCountedObj> strong = MakeObserved(11);
  WeakObjectPtr<TCountedObj> weak = strong;
  EXPECT_EQ(RefWord(strong.get()), 0x200000001ULL);
  EXPECT_FALSE(weak.expired());
  EXPECT_EQ(weak.use_count(), 1);
  {
    ObjectPtr<TCountedObj> locked = weak.lock();
    ASSERT_NE(locked, nullptr);
    EXPECT_EQ(locked.get(), strong.get());
    EXPECT_EQ(strong.use_count(), 2);
  }
  EXPECT_EQ(strong.use_count(), 1);
  WeakObjectPtr<TCountedObj> weak2 = weak;
  EXPECT_EQ(RefWord(strong.get()), 0x300000001ULL);
  WeakObjectPtr<Object> weak_base = weak2;
  EXPECT_EQ(RefWord(strong.get()), 0x400000001ULL);
  weak_base.reset();
  weak2 = WeakObjectPtr<TCountedObj>();
  EXPECT_EQ(RefWord(strong.get()), 0x200000001ULL);
  EXPECT_TRUE(Observed::deleter_flags.empty());
}

TEST_F(ObjectLifetime, WeakRefSplitsDeleterIntoStrongThenWeakPhase) {
  WeakObjectPtr<TCountedObj> weak;
  {
    ObjectPtr<TCountedObj> strong = MakeObserved(21);
    weak = strong;
  }
  // Strong phase: destructor ran, memory kept for the weak reference.
  EXPECT_EQ(Observed::destructed, 1);
  EXPECT_EQ(Observed::last_payload, 21);
  EXPECT_EQ(Observed::deleter_flags, std::vector<int>{kTVMFFIObjectDeleterFlagBitMaskStrong});
  EXPECT_TRUE(weak.expired());
  EXPECT_EQ(weak.use_count(), 0);
  EXPECT_EQ(weak.lock(), nullptr);
  EXPECT_EQ(Observed::deleter_flags.size(), 1u);  // a failed lock changes nothing
  // Weak phase: the memory is released; the destructor does not run again.
  weak.reset();
  EXPECT_EQ(Observed::destructed, 1);
  EXPECT_EQ(Observed::deleter_flags, (std::vector<int>{kTVMFFIObjectDeleterFlagBitMaskStrong,
                                                       kTVMFFIObjectDeleterFlagBitMaskWeak}));
}

TEST_F(ObjectLifetime, WeakReleasedFirstGivesSingleBothCall) {
  ObjectPtr<TCountedObj> strong = MakeObserved(5);
  {
    WeakObjectPtr<TCountedObj> weak = strong;
    EXPECT_FALSE(weak.expired());
  }
  EXPECT_TRUE(Observed::deleter_flags.empty());
  strong.reset();
  EXPECT_EQ(Observed::destructed, 1);
  EXPECT_EQ(Observed::deleter_flags, std::vector<int>{kTVMFFIObjectDeleterFlagBitMaskBoth});
}

TEST_F(ObjectLifetime, EmptyWeakPointer) {
  WeakObjectPtr<TCountedObj> weak;
  EXPECT_TRUE(weak.expired());
  EXPECT_EQ(weak.lock(), nullptr);
  EXPECT_EQ(weak.use_count(), 0);
  weak.reset();
}

// ------------------------------------------------------------------------------------------
// ObjectRef::as, GetRef, GetObjectPtr
// ------------------------------------------------------------------------------------------

TEST(ObjectAs, PointerAndReferenceForms) {
  ObjectRef ref = TInt(4);
  const TIntObj* as_int = ref.as<TIntObj>();
  ASSERT_NE(as_int, nullptr);
  EXPECT_EQ(as_int->value, 4);
  EXPECT_EQ(static_cast<const Object*>(as_int), ref.get());
  EXPECT_NE(ref.as<TNumberObj>(), nullptr);
  EXPECT_EQ(ref.as<TFloatObj>(), nullptr);
  EXPECT_EQ(ref.as<TMutableObj>(), nullptr);
  EXPECT_EQ(ref.as<Object>(), ref.get());

  std::optional<TInt> as_ref = ref.as<TInt>();
  ASSERT_TRUE(as_ref.has_value());
  EXPECT_TRUE(as_ref->same_as(ref));
  EXPECT_EQ(ref.use_count(), 2);
  EXPECT_EQ((*as_ref)->value, 4);
  EXPECT_TRUE(ref.as<TNumber>().has_value());
  EXPECT_FALSE(ref.as<TFloat>().has_value());
  EXPECT_FALSE(ref.as<TMutable>().has_value());
  EXPECT_EQ(ref.use_count(), 2);

  ObjectRef null_ref;
  EXPECT_EQ(null_ref.as<TIntObj>(), nullptr);
  EXPECT_FALSE(null_ref.as<TInt>().has_value());
  EXPECT_FALSE(null_ref.as<ObjectRef>().has_value());
}

TEST(ObjectGetRef, FromRawPointers) {
  TInt x(8);
  const TIntObj* raw = x.get();
  {
    TInt y = GetRef<TInt>(raw);
    EXPECT_TRUE(y.same_as(x));
    EXPECT_EQ(x.use_count(), 2);
    TNumber up = GetRef<TNumber>(raw);
    EXPECT_TRUE(up.same_as(x));
    EXPECT_EQ(x.use_count(), 3);
    ObjectRef any_ref = GetRef<ObjectRef>(raw);
    EXPECT_EQ(any_ref.get(), static_cast<const Object*>(raw));
    EXPECT_EQ(x.use_count(), 4);
  }
  EXPECT_EQ(x.use_count(), 1);
  {
    ObjectPtr<Object> p = GetObjectPtr<Object>(const_cast<TIntObj*>(raw));
    EXPECT_EQ(p.get(), static_cast<const Object*>(raw));
    ObjectPtr<TNumberObj> q = GetObjectPtr<TNumberObj>(raw);
    EXPECT_EQ(q.get(), static_cast<const TNumberObj*>(raw));
    EXPECT_EQ(x.use_count(), 3);
  }
  EXPECT_EQ(x.use_count(), 1);
  // Null pointers: a null nullable reference; a non-nullable reference refuses.
  TInt null_int = GetRef<TInt>(static_cast<const TIntObj*>(nullptr));
  EXPECT_FALSE(null_int.defined());
  ExpectErrorContains([] { GetRef<TFloat>(static_cast<const TFloatObj*>(nullptr)); },
                      "InternalError", "Check not null");
}

// ------------------------------------------------------------------------------------------
// Opaque objects
// ------------------------------------------------------------------------------------------

std::vector<void*> g_opaque_deleted;
void OpaqueDeleter(void* handle) { g_opaque_deleted.push_back(handle); }

TEST(ObjectOpaque, CreateWrapsAForeignHandle) {
  g_opaque_deleted.clear();
  int token = 0;
  TVMFFIObjectHandle handle = nullptr;
  ASSERT_EQ(TVMFFIObjectCreateOpaque(&token, kTVMFFIOpaquePyObject, OpaqueDeleter, &handle), 0);
  ASSERT_NE(handle, nullptr);
  {
    ObjectRef ref(
        details::ObjectUnsafe::ObjectPtrFromOwned<Object>(static_cast<TVMFFIObject*>(handle)));
    EXPECT_EQ(ref.type_index(), kTVMFFIOpaquePyObject);
    EXPECT_EQ(ref.GetTypeKey(), "ffi.OpaquePyObject");
    EXPECT_EQ(ref.use_count(), 1);
    EXPECT_EQ(TVMFFIOpaqueObjectGetCellPtr(handle)->handle, &token);
    Any held = ref;
    EXPECT_EQ(held.type_index(), kTVMFFIOpaquePyObject);
    EXPECT_EQ(ref.use_count(), 2);
    EXPECT_TRUE(g_opaque_deleted.empty());
  }
  EXPECT_EQ(g_opaque_deleted, std::vector<void*>{&token});
}

TEST(ObjectOpaque, OtherTypeIndicesAreRejected) {
  TVMFFIObjectHandle handle = nullptr;
  EXPECT_EQ(TVMFFIObjectCreateOpaque(nullptr, kTVMFFITensor, nullptr, &handle), -1);
  EXPECT_EQ(handle, nullptr);
  Error err = details::MoveFromSafeCallRaised();
  EXPECT_EQ(err.kind(), "RuntimeError");
  EXPECT_EQ(err.message(), "Only kTVMFFIOpaquePyObject is supported for now");
}

// ------------------------------------------------------------------------------------------
// Type keys and indices
// ------------------------------------------------------------------------------------------

TEST(ObjectTypeQueries, KeysIndicesAndInfo) {
  int32_t int_index = TIntObj::RuntimeTypeIndex();
  EXPECT_GE(int_index, kTVMFFIDynObjectBegin);
  EXPECT_EQ(TIntObj::RuntimeTypeIndex(), int_index);  // stable
  EXPECT_EQ(TypeKeyToIndex("test.Int"), int_index);
  TInt x(1);
  EXPECT_EQ(x->type_index(), int_index);
  EXPECT_EQ(x.type_index(), int_index);
  EXPECT_EQ(x->GetTypeKey(), "test.Int");
  EXPECT_EQ(x.GetTypeKey(), "test.Int");
  EXPECT_EQ(Object::TypeIndex2Key(int_index), "test.Int");
  EXPECT_EQ(x->GetTypeKeyHash(), TVMFFIGetTypeInfo(int_index)->type_key_hash);
  EXPECT_NE(x->GetTypeKeyHash(), TFloat(1.0)->GetTypeKeyHash());

  const TVMFFITypeInfo* info = TVMFFIGetTypeInfo(int_index);
  EXPECT_EQ(std::string(info->type_key.data, info->type_key.size), "test.Int");
  EXPECT_EQ(info->type_depth, 2);
  EXPECT_EQ(info->type_ancestors[0]->type_index, kTVMFFIObject);
  EXPECT_EQ(info->type_ancestors[1]->type_index, TNumberObj::RuntimeTypeIndex());
  EXPECT_EQ(TNumberObj::_type_depth, 1);
  EXPECT_EQ(TIntObj::_type_depth, 2);

  EXPECT_EQ(TypeIndexToTypeKey(kTVMFFIInt), "int");
  EXPECT_EQ(TypeIndexToTypeKey(kTVMFFIAny), "Any");
  EXPECT_EQ(TypeIndexToTypeKey(kTVMFFIArray), "ffi.Array");
  EXPECT_EQ(TypeIndexToTypeKey(kTVMFFIFunction), "ffi.Function");
  EXPECT_EQ(TypeKeyToIndex("ffi.Function"), kTVMFFIFunction);
  EXPECT_EQ(TypeKeyToIndex("None"), kTVMFFINone);
  ExpectErrorContains([] { TypeKeyToIndex("test.NoSuchTypeKey"); }, "InternalError",
                      "Cannot find type `test.NoSuchTypeKey`");
}

TEST(ObjectTypeQueries, NullReference) {
  ObjectRef null_ref;
  EXPECT_FALSE(null_ref.defined());
  EXPECT_EQ(null_ref.get(), nullptr);
  EXPECT_EQ(null_ref.type_index(), kTVMFFINone);
  EXPECT_EQ(null_ref.GetTypeKey(), "None");
  EXPECT_EQ(null_ref.use_count(), 0);
  EXPECT_FALSE(null_ref.unique());
  TInt null_int;
  EXPECT_FALSE(null_int.defined());
  EXPECT_TRUE(null_int.same_as(null_ref));
  TInt unsafe(UnsafeInit{});
  EXPECT_FALSE(unsafe.defined());
}

TEST(ObjectTypeQueries, ChildSlotRanges) {
  int32_t number = TNumberObj::RuntimeTypeIndex();
  int32_t int_index = TIntObj::RuntimeTypeIndex();
  int32_t float_index = TFloatObj::RuntimeTypeIndex();
  // Each final child has exactly its own index; the parent covers its slots plus overflow.
  EXPECT_TRUE(details::IsObjectInstance<TIntObj>(int_index));
  EXPECT_FALSE(details::IsObjectInstance<TIntObj>(float_index));
  EXPECT_TRUE(details::IsObjectInstance<TNumberObj>(number));
  EXPECT_TRUE(details::IsObjectInstance<TNumberObj>(int_index));
  EXPECT_TRUE(details::IsObjectInstance<TNumberObj>(TComplexObj::RuntimeTypeIndex()));
  EXPECT_FALSE(details::IsObjectInstance<TNumberObj>(TMutableObj::RuntimeTypeIndex()));
  EXPECT_FALSE(details::IsObjectInstance<TNumberObj>(kTVMFFIArray));
  EXPECT_TRUE(details::IsObjectInstance<Object>(kTVMFFIArray));
}

}  // namespace
