// C functions added to the ABI after 0.1.0 (BigInt, errors with cause and context, the custom
// object allocator, one-time handle initialisation, unsafe tensor views) and the changed
// behaviours of existing ones (type attribute columns, field registration, -2 handling).
#include <gtest/gtest.h>
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/extra/c_env_api.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "c_api_test_helpers.h"

namespace {

using namespace tvm_ffi_c_api_test;  // NOLINT(build/namespaces)

// ---------------------------------------------------------------------------------------------
// BigInt
// ---------------------------------------------------------------------------------------------
TVMFFIAny BigIntFromWords(const std::vector<int64_t>& words, int* code) {
  TVMFFIByteArray bytes{reinterpret_cast<const char*>(words.data()), words.size() * 8};
  TVMFFIAny out = IntAny(12345);  // must be reset by the callee
  *code = TVMFFIBigIntFromByteArray(&bytes, &out);
  return out;
}

TEST(CAPIBigInt, SmallValuesAreCanonicalInts) {
  int code = -1;
  TVMFFIAny zero = BigIntFromWords({}, &code);
  ASSERT_EQ(code, 0);
  EXPECT_EQ(zero.type_index, kTVMFFIInt);
  EXPECT_EQ(zero.v_int64, 0);
  TVMFFIAny one_word = BigIntFromWords({-42}, &code);
  ASSERT_EQ(code, 0);
  EXPECT_EQ(one_word.type_index, kTVMFFIInt);
  EXPECT_EQ(one_word.v_int64, -42);
  // Redundant sign-extension words are stripped.
  TVMFFIAny five = BigIntFromWords({5, 0}, &code);
  ASSERT_EQ(code, 0);
  EXPECT_EQ(five.type_index, kTVMFFIInt);
  EXPECT_EQ(five.v_int64, 5);
  TVMFFIAny minus_one = BigIntFromWords({-1, -1, -1}, &code);
  ASSERT_EQ(code, 0);
  EXPECT_EQ(minus_one.type_index, kTVMFFIInt);
  EXPECT_EQ(minus_one.v_int64, -1);
  // The top word is kept when it is needed as sign guard: 2^63 is {INT64_MIN, 0}.
  TVMFFIAny two_pow_63 = BigIntFromWords({INT64_MIN, 0}, &code);
  ASSERT_EQ(code, 0);
  EXPECT_EQ(two_pow_63.type_index, kTVMFFIBigInt);
  ReleaseAny(&two_pow_63);
}

TEST(CAPIBigInt, LargeValuesRoundTrip) {
  int code = -1;
  // 2^70 = {0, 0x40}
  TVMFFIAny big = BigIntFromWords({0, 0x40, 0, 0}, &code);
  ASSERT_EQ(code, 0);
  ASSERT_EQ(big.type_index, kTVMFFIBigInt);
  EXPECT_EQ(StrongCount(big.v_obj), 1u);
  // Object layout: word count at +24, words at +32.
  const char* obj = reinterpret_cast<const char*>(big.v_obj);
  uint64_t count = 0;
  std::memcpy(&count, obj + 24, 8);
  EXPECT_EQ(count, 2u);
  TVMFFIByteArray content = TVMFFIBigIntGetContentByteArray(&big);
  ASSERT_EQ(content.size, 16u);
  EXPECT_EQ(content.data, obj + 32);
  int64_t words[2];
  std::memcpy(words, content.data, 16);
  EXPECT_EQ(words[0], 0);
  EXPECT_EQ(words[1], 0x40);
  EXPECT_EQ(TVMFFIGetTypeInfo(kTVMFFIBigInt)->type_index, kTVMFFIBigInt);
  ReleaseAny(&big);
}

TEST(CAPIBigInt, IntContentPointsIntoTheCell) {
  TVMFFIAny value = IntAny(7);
  TVMFFIByteArray content = TVMFFIBigIntGetContentByteArray(&value);
  EXPECT_EQ(content.data, reinterpret_cast<const char*>(&value.v_int64));
  EXPECT_EQ(content.size, 8u);
  TVMFFIAny text = RawStrAny("not an int");
  TVMFFIByteArray none = TVMFFIBigIntGetContentByteArray(&text);
  EXPECT_EQ(none.data, nullptr);
  EXPECT_EQ(none.size, 0u);
}

TEST(CAPIBigInt, PartialWordIsValueError) {
  char bytes[12] = {};
  TVMFFIByteArray input{bytes, 12};
  TVMFFIAny out = IntAny(3);
  EXPECT_EQ(TVMFFIBigIntFromByteArray(&input, &out), -1);
  EXPECT_EQ(out.type_index, kTVMFFINone);
  RaisedError err = TakeRaisedError();
  EXPECT_EQ(err.kind, "ValueError");
  EXPECT_EQ(err.message, "BigInt content must contain whole 64-bit words");
}

// ---------------------------------------------------------------------------------------------
// Errors with cause chain and extra context
// ---------------------------------------------------------------------------------------------
TVMFFIObjectHandle MakeError(const char* kind, const char* message) {
  TVMFFIByteArray k = ByteArrayOf(kind), m = ByteArrayOf(message), bt{"", 0};
  TVMFFIObjectHandle out = nullptr;
  EXPECT_EQ(TVMFFIErrorCreate(&k, &m, &bt, &out), 0);
  return out;
}

TEST(CAPIErrorCause, CreateStoresAndReleasesCauseAndContext) {
  TVMFFIObjectHandle cause = MakeError("ValueError", "root cause");
  TVMFFIAny context_any = NoneAny();
  TVMFFIByteArray context_text = ByteArrayOf("a context object longer than seven bytes");
  ASSERT_EQ(TVMFFIStringFromByteArray(&context_text, &context_any), 0);
  TVMFFIObjectHandle context = context_any.v_obj;
  ASSERT_EQ(StrongCount(cause), 1u);
  ASSERT_EQ(StrongCount(context), 1u);

  TVMFFIByteArray kind = ByteArrayOf("RuntimeError"), message = ByteArrayOf("outer"), bt{"", 0};
  TVMFFIObjectHandle error = nullptr;
  ASSERT_EQ(TVMFFIErrorCreateWithCauseAndExtraContext(&kind, &message, &bt, cause, context, &error),
            0);
  EXPECT_EQ(StrongCount(cause), 2u);
  EXPECT_EQ(StrongCount(context), 2u);
  void* at80 = nullptr;
  void* at88 = nullptr;
  std::memcpy(&at80, static_cast<char*>(error) + 80, 8);
  std::memcpy(&at88, static_cast<char*>(error) + 88, 8);
  EXPECT_EQ(at80, cause);
  EXPECT_EQ(at88, context);
  EXPECT_EQ(TVMFFIErrorGetCellPtr(error)->cause_chain, cause);
  EXPECT_EQ(ToStd(TVMFFIErrorGetCellPtr(error)->message), "outer");
  TVMFFIObjectDecRef(error);
  EXPECT_EQ(StrongCount(cause), 1u);
  EXPECT_EQ(StrongCount(context), 1u);
  TVMFFIObjectDecRef(cause);
  TVMFFIObjectDecRef(context);
}

TEST(CAPIErrorCause, NullCauseAndContextAndPlainCreate) {
  TVMFFIByteArray kind = ByteArrayOf("TypeError"), message = ByteArrayOf(""), bt{"", 0};
  TVMFFIObjectHandle error = nullptr;
  ASSERT_EQ(
      TVMFFIErrorCreateWithCauseAndExtraContext(&kind, &message, &bt, nullptr, nullptr, &error), 0);
  EXPECT_EQ(TVMFFIErrorGetCellPtr(error)->cause_chain, nullptr);
  EXPECT_EQ(TVMFFIErrorGetCellPtr(error)->extra_context, nullptr);
  // An empty message still has NUL-terminated storage (C++ what() hands it out).
  ASSERT_NE(TVMFFIErrorGetCellPtr(error)->message.data, nullptr);
  EXPECT_EQ(TVMFFIErrorGetCellPtr(error)->message.data[0], '\0');
  TVMFFIObjectDecRef(error);
  TVMFFIObjectHandle plain = MakeError("KeyError", "k");
  EXPECT_EQ(TVMFFIErrorGetCellPtr(plain)->cause_chain, nullptr);
  EXPECT_EQ(TVMFFIErrorGetCellPtr(plain)->extra_context, nullptr);
  TVMFFIObjectDecRef(plain);
}

TEST(CAPIErrorCause, NonErrorCauseIsRejected) {
  TVMFFIAny text = NoneAny();
  TVMFFIByteArray content = ByteArrayOf("not an error, just a long string");
  ASSERT_EQ(TVMFFIStringFromByteArray(&content, &text), 0);
  TVMFFIByteArray kind = ByteArrayOf("TypeError"), message = ByteArrayOf("m"), bt{"", 0};
  TVMFFIObjectHandle error = nullptr;
  EXPECT_EQ(
      TVMFFIErrorCreateWithCauseAndExtraContext(&kind, &message, &bt, text.v_obj, nullptr, &error),
      -1);
  EXPECT_EQ(error, nullptr);
  EXPECT_EQ(StrongCount(text.v_obj), 1u);
  ReleaseAny(&text);
}

// A 0.1.0-layout error: 56-byte cell followed by std::string-like storage whose first word is
// the data pointer the cell's kind points at.
struct LegacyErrorObj {
  TVMFFIObject header;
  TVMFFIByteArray kind, message, backtrace;
  void (*update_backtrace)(TVMFFIObjectHandle, const TVMFFIByteArray*, int32_t);
  const char* kind_string_data;  // object + 80
  size_t kind_string_size;       // object + 88
  char kind_buffer[16];
};

void LegacyUpdateBacktrace(TVMFFIObjectHandle, const TVMFFIByteArray*, int32_t) {}
void LegacyDeleter(void*, int) {}

TEST(CAPIErrorCause, LegacyLayoutErrorIsCopiedWhenRaised) {
  LegacyErrorObj legacy;
  std::memset(&legacy, 0, sizeof(legacy));
  legacy.header.combined_ref_count = (uint64_t(1) << 32) | 1;
  legacy.header.type_index = kTVMFFIError;
  legacy.header.deleter = LegacyDeleter;
  std::strcpy(legacy.kind_buffer, "ValueError");
  legacy.kind_string_data = legacy.kind_buffer;
  legacy.kind_string_size = 10;
  legacy.kind = TVMFFIByteArray{legacy.kind_buffer, 10};
  legacy.message = ByteArrayOf("from a 0.1.0 module");
  legacy.backtrace = ByteArrayOf("frame\n");
  legacy.update_backtrace = LegacyUpdateBacktrace;

  TVMFFIErrorSetRaised(&legacy);
  TVMFFIObjectHandle raised = nullptr;
  TVMFFIErrorMoveFromRaised(&raised);
  ASSERT_NE(raised, nullptr);
  EXPECT_NE(raised, static_cast<void*>(&legacy));
  EXPECT_EQ(legacy.header.combined_ref_count, (uint64_t(1) << 32) | 1);  // not retained
  const TVMFFIErrorCell* cell = TVMFFIErrorGetCellPtr(raised);
  EXPECT_EQ(ToStd(cell->kind), "ValueError");
  EXPECT_EQ(ToStd(cell->message), "from a 0.1.0 module");
  EXPECT_EQ(ToStd(cell->backtrace), "frame\n");
  EXPECT_EQ(cell->cause_chain, nullptr);
  EXPECT_EQ(cell->extra_context, nullptr);
  TVMFFIObjectDecRef(raised);

  // A 72-byte-cell error is stored as is.
  TVMFFIObjectHandle modern = MakeError("KeyError", "kept");
  TVMFFIErrorSetRaised(modern);
  TVMFFIObjectHandle same = nullptr;
  TVMFFIErrorMoveFromRaised(&same);
  EXPECT_EQ(same, modern);
  TVMFFIObjectDecRef(same);
  TVMFFIObjectDecRef(modern);
}

// ---------------------------------------------------------------------------------------------
// -2 path: a pending host error leaves a real error in the slot
// ---------------------------------------------------------------------------------------------
int PendingHostError() { return 1; }

TEST(CAPIEnvSignals, PendingHostErrorLeavesEnvErrorAlreadySetInTheSlot) {
  ASSERT_EQ(TVMFFIEnvRegisterCAPI("PyErr_CheckSignals", reinterpret_cast<void*>(PendingHostError)),
            0);
  EXPECT_EQ(TVMFFIEnvCheckSignals(), -1);
  RaisedError err = TakeRaisedError();
  EXPECT_TRUE(err.present);
  EXPECT_EQ(err.kind, "EnvErrorAlreadySet");
  EXPECT_EQ(err.message, "");
  ASSERT_EQ(TVMFFIEnvRegisterCAPI("PyErr_CheckSignals", nullptr), 0);
  EXPECT_EQ(TVMFFIEnvCheckSignals(), 0);
  EXPECT_FALSE(TakeRaisedError().present);
}

// ---------------------------------------------------------------------------------------------
// Environment tensor allocator: return codes and the previous allocator
// ---------------------------------------------------------------------------------------------
int NullTensorAllocator(DLTensor*, DLManagedTensorVersioned** out, void*,
                        void (*)(void*, const char*, const char*)) {
  *out = nullptr;
  return 0;
}
int FailingTensorAllocator(DLTensor*, DLManagedTensorVersioned**, void* ctx,
                           void (*set_error)(void*, const char*, const char*)) {
  set_error(ctx, "MemoryError", "no room");
  return 3;
}

TEST(CAPIEnvTensorAlloc, ReturnCodesAndPreviousAllocator) {
  DLPackManagedTensorAllocator before = nullptr;
  ASSERT_EQ(TVMFFIEnvSetDLPackManagedTensorAllocator(NullTensorAllocator, 0, &before), 0);
  DLPackManagedTensorAllocator previous = nullptr;
  ASSERT_EQ(TVMFFIEnvSetDLPackManagedTensorAllocator(FailingTensorAllocator, 0, &previous), 0);
  EXPECT_EQ(previous, NullTensorAllocator);  // the previous thread-local allocator

  int64_t shape[1] = {4};
  DLTensor prototype;
  std::memset(&prototype, 0, sizeof(prototype));
  prototype.ndim = 1;
  prototype.shape = shape;
  prototype.dtype = DLDataType{kDLFloat, 32, 1};
  prototype.device = DLDevice{kDLCPU, 0};
  TVMFFIObjectHandle out = nullptr;
  EXPECT_EQ(TVMFFIEnvTensorAlloc(&prototype, &out), 3);  // forwarded unchanged
  RaisedError err = TakeRaisedError();
  EXPECT_EQ(err.kind, "MemoryError");
  EXPECT_EQ(err.message, "no room");

  ASSERT_EQ(TVMFFIEnvSetDLPackManagedTensorAllocator(NullTensorAllocator, 0, nullptr), 0);
  EXPECT_EQ(TVMFFIEnvTensorAlloc(&prototype, &out), -1);
  err = TakeRaisedError();
  EXPECT_EQ(err.kind, "RuntimeError");
  EXPECT_EQ(err.message, "TVMFFIEnvTensorAlloc: failed to allocate a tensor from the allocator");
  EXPECT_EQ(out, nullptr);
  ASSERT_EQ(TVMFFIEnvSetDLPackManagedTensorAllocator(before, 0, nullptr), 0);
}

// ---------------------------------------------------------------------------------------------
// Custom object allocator
// ---------------------------------------------------------------------------------------------
int g_custom_calls = 0;
void* CountingAllocate(size_t size, size_t alignment, int32_t type_index, void* context) {
  ++g_custom_calls;
  EXPECT_EQ(context, &g_custom_calls);
  EXPECT_LE(alignment, 16u);
  EXPECT_EQ(type_index, 0);
  // Same header convention as the built-in allocator.
  char* body = static_cast<char*>(std::malloc(16 + size)) + 16;
  reinterpret_cast<TVMFFIObjectAllocHeader*>(body - 8)->delete_space = [](void* b) {
    std::free(static_cast<char*>(b) - 16);
  };
  return body;
}

TEST(CAPICustomAllocator, BuiltinAllocatesWithDeleteSpaceBeforeTheBody) {
  TVMFFICustomAllocator* builtin = TVMFFIGetCustomAllocator();
  ASSERT_NE(builtin, nullptr);
  ASSERT_NE(builtin->allocate, nullptr);
  EXPECT_EQ(builtin->context, nullptr);
  for (size_t alignment : {size_t(8), size_t(16), size_t(64)}) {
    void* body = builtin->allocate(40, alignment, kTVMFFIDynObjectBegin, builtin->context);
    ASSERT_NE(body, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(body) % alignment, 0u) << alignment;
    std::memset(body, 0xAB, 40);  // the whole body is usable (ASan checks the bounds)
    auto* header = reinterpret_cast<TVMFFIObjectAllocHeader*>(static_cast<char*>(body) - 8);
    ASSERT_NE(header->delete_space, nullptr);
    header->delete_space(body);  // frees the block (ASan: no leak, no bad free)
  }
  void* bad = builtin->allocate(8, 24, 0, nullptr);
  EXPECT_EQ(bad, nullptr);
  EXPECT_EQ(TakeRaisedError().kind, "ValueError");
}

TEST(CAPICustomAllocator, SetInstallsAndNullRestoresTheBuiltin) {
  TVMFFICustomAllocator* builtin = TVMFFIGetCustomAllocator();
  static TVMFFICustomAllocator custom = {CountingAllocate, &g_custom_calls};
  EXPECT_EQ(TVMFFISetCustomAllocator(&custom), 0);
  EXPECT_EQ(TVMFFIGetCustomAllocator(), &custom);
  void* body = TVMFFIGetCustomAllocator()->allocate(24, 8, 0, TVMFFIGetCustomAllocator()->context);
  EXPECT_EQ(g_custom_calls, 1);
  reinterpret_cast<TVMFFIObjectAllocHeader*>(static_cast<char*>(body) - 8)->delete_space(body);
  EXPECT_EQ(TVMFFISetCustomAllocator(nullptr), 0);
  EXPECT_EQ(TVMFFIGetCustomAllocator(), builtin);
}

// ---------------------------------------------------------------------------------------------
// One-time handle initialisation
// ---------------------------------------------------------------------------------------------
std::atomic<int> g_init_calls{0};
int g_handle_target = 0;
int CountingInit(void** result) {
  g_init_calls.fetch_add(1);
  std::this_thread::yield();
  *result = &g_handle_target;
  return 0;
}
int NullInit(void** result) {
  *result = nullptr;
  return 0;
}
int FailingInit(void**) {
  TVMFFIErrorSetRaisedFromCStr("ValueError", "init failed");
  return 7;
}
std::atomic<int> g_deinit_calls{0};
int CountingDeinit(void* handle) {
  EXPECT_EQ(handle, &g_handle_target);
  g_deinit_calls.fetch_add(1);
  return 3;
}

TEST(CAPIHandleInitOnce, InitRunsOnceAcrossRacingThreads) {
  static void* handle = nullptr;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&failures] {
      if (TVMFFIHandleInitOnce(&handle, CountingInit) != 0) failures.fetch_add(1);
      if (__atomic_load_n(&handle, __ATOMIC_ACQUIRE) != &g_handle_target) failures.fetch_add(1);
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(g_init_calls.load(), 1);
  // Already set: init is not called again.
  EXPECT_EQ(TVMFFIHandleInitOnce(&handle, CountingInit), 0);
  EXPECT_EQ(g_init_calls.load(), 1);

  EXPECT_EQ(TVMFFIHandleDeinitOnce(&handle, CountingDeinit), 3);  // deinit's code
  EXPECT_EQ(handle, nullptr);
  EXPECT_EQ(g_deinit_calls.load(), 1);
  EXPECT_EQ(TVMFFIHandleDeinitOnce(&handle, CountingDeinit), 0);
  EXPECT_EQ(g_deinit_calls.load(), 1);
}

TEST(CAPIHandleInitOnce, NullResultAndFailingInit) {
  void* handle = nullptr;
  EXPECT_EQ(TVMFFIHandleInitOnce(&handle, NullInit), -1);
  RaisedError err = TakeRaisedError();
  EXPECT_EQ(err.kind, "RuntimeError");
  EXPECT_EQ(err.message, "init_func must return a non-NULL handle");
  EXPECT_EQ(handle, nullptr);
  EXPECT_EQ(TVMFFIHandleInitOnce(&handle, FailingInit), 7);
  err = TakeRaisedError();
  EXPECT_EQ(err.kind, "ValueError");
  EXPECT_EQ(err.message, "init failed");
  EXPECT_EQ(handle, nullptr);
}

void* g_inner_handle = nullptr;
int NestedInit(void** result) {
  // An initialiser that initialises another handle does not deadlock.
  if (TVMFFIHandleInitOnce(&g_inner_handle, CountingInit) != 0) return -1;
  *result = g_inner_handle;
  return 0;
}

TEST(CAPIHandleInitOnce, NestedInitialisation) {
  void* outer = nullptr;
  EXPECT_EQ(TVMFFIHandleInitOnce(&outer, NestedInit), 0);
  EXPECT_EQ(outer, &g_handle_target);
  EXPECT_EQ(g_inner_handle, &g_handle_target);
}

// ---------------------------------------------------------------------------------------------
// Unsafe tensor views
// ---------------------------------------------------------------------------------------------
TEST(CAPITensorView, ViewCopiesShapeAndStridesAndKeepsTheSourceAlive) {
  TVMFFIObjectHandle source = MakeError("ValueError", "any object can be the source");
  float data[6] = {0, 1, 2, 3, 4, 5};
  int64_t shape[2] = {2, 2};
  int64_t strides[2] = {3, 1};
  DLTensor prototype;
  std::memset(&prototype, 0, sizeof(prototype));
  prototype.data = data + 1;
  prototype.device = DLDevice{kDLCPU, 0};
  prototype.ndim = 2;
  prototype.dtype = DLDataType{kDLFloat, 32, 1};
  prototype.shape = shape;
  prototype.strides = strides;
  prototype.byte_offset = 4;
  ASSERT_EQ(RefCountWord(source), (uint64_t(1) << 32) | 1);
  TVMFFIObjectHandle view = nullptr;
  ASSERT_EQ(TVMFFITensorCreateUnsafeView(source, &prototype, &view), 0);
  EXPECT_EQ(TVMFFIObjectGetTypeIndex(view), kTVMFFITensor);
  EXPECT_EQ(RefCountWord(source), (uint64_t(1) << 32) | 2);
  DLTensor* t = TVMFFITensorGetDLTensorPtr(view);
  EXPECT_EQ(t->data, data + 1);
  EXPECT_EQ(t->byte_offset, 4u);
  EXPECT_EQ(t->ndim, 2);
  EXPECT_EQ(t->dtype.bits, 32);
  EXPECT_NE(t->shape, shape);
  EXPECT_NE(t->strides, strides);
  shape[0] = 99;
  strides[0] = 99;
  EXPECT_EQ(t->shape[0], 2);
  EXPECT_EQ(t->shape[1], 2);
  EXPECT_EQ(t->strides[0], 3);
  EXPECT_EQ(t->strides[1], 1);
  // Shape right after the 80-byte object part, strides after the shape.
  EXPECT_EQ(reinterpret_cast<char*>(t->shape), static_cast<char*>(view) + 80);
  EXPECT_EQ(reinterpret_cast<char*>(t->strides), static_cast<char*>(view) + 96);
  TVMFFIObjectDecRef(source);  // the view still holds it
  EXPECT_EQ(StrongCount(source), 1u);
  EXPECT_EQ(ToStd(TVMFFIErrorGetCellPtr(source)->message), "any object can be the source");
  TVMFFIObjectDecRef(view);  // releases the source too (ASan: no leak)
}

TEST(CAPITensorView, NullStridesIsAnInternalError) {
  int64_t shape[1] = {3};
  DLTensor prototype;
  std::memset(&prototype, 0, sizeof(prototype));
  prototype.ndim = 1;
  prototype.shape = shape;
  prototype.dtype = DLDataType{kDLInt, 8, 1};
  TVMFFIObjectHandle view = nullptr;
  EXPECT_EQ(TVMFFITensorCreateUnsafeView(nullptr, &prototype, &view), -1);
  EXPECT_EQ(view, nullptr);
  RaisedError err = TakeRaisedError();
  EXPECT_EQ(err.kind, "InternalError");
  EXPECT_EQ(err.message.rfind("Check not null: prototype.strides", 0), 0u) << err.message;
}

// ---------------------------------------------------------------------------------------------
// Type attribute columns and field registration
// ---------------------------------------------------------------------------------------------
int32_t NewType(const std::string& prefix) {
  std::string key = UniqueName(prefix);
  TVMFFIByteArray bytes = ByteArrayOf(key);
  return TVMFFITypeGetOrAllocIndex(&bytes, -1, 1, 0, 1, kTVMFFIObject);
}

TEST(CAPITypeAttrColumn, BeginIndexIsZeroAndTheOldSizeReadAgrees) {
  std::string attr = UniqueName("__test_column_split__");
  TVMFFIByteArray name = ByteArrayOf(attr);
  int32_t index = 200;
  TVMFFIAny value = IntAny(1);
  ASSERT_EQ(TVMFFITypeRegisterAttr(index, &name, &value), 0);
  const TVMFFITypeAttrColumn* column = TVMFFIGetTypeAttrColumn(&name);
  ASSERT_NE(column, nullptr);
  EXPECT_GE(column->size, 201);
  EXPECT_EQ(column->begin_index, 0);
  // A 0.1.0 reader takes bytes 8..15 as one size_t.
  size_t old_size = 0;
  std::memcpy(&old_size, reinterpret_cast<const char*>(column) + 8, sizeof(old_size));
  EXPECT_EQ(old_size, static_cast<size_t>(column->size));
}

TEST(CAPITypeAttrColumn, StartupColumnsExist) {
  for (const char* name : {"__s_visit__", "__s_mutate__", "__s_maybe_inplace_mutate__",
                           "__ffi_shallow_copy__", "__ffi_enum__", "__ffi_repr__", "__ffi_hash__",
                           "__ffi_eq__", "__ffi_compare__", "__ffi_new__", "__ffi_init__",
                           "__s_hash__", "__s_equal__", "__data_to_json__", "__data_from_json__"}) {
    TVMFFIByteArray bytes = ByteArrayOf(name);
    const TVMFFITypeAttrColumn* column = TVMFFIGetTypeAttrColumn(&bytes);
    ASSERT_NE(column, nullptr) << name;
    EXPECT_EQ(column->begin_index, 0) << name;
  }
}

int g_setter_calls = 0;
int FieldValueSetter(void*, const TVMFFIAny* args, int32_t num_args, TVMFFIAny* result) {
  // Called as a Function: (OpaquePtr field address, value).
  EXPECT_EQ(num_args, 2);
  EXPECT_EQ(args[0].type_index, kTVMFFIOpaquePtr);
  *static_cast<int64_t*>(args[0].v_ptr) = args[1].v_int64;
  ++g_setter_calls;
  return 0;
}

TVMFFIFieldInfo BaseFieldInfo(const char* name) {
  TVMFFIFieldInfo info;
  std::memset(&info, 0, sizeof(info));
  info.name = ByteArrayOf(name);
  info.size = 8;
  info.alignment = 8;
  info.offset = 24;
  info.field_static_type_index = kTVMFFIInt;
  info.default_value_or_factory = NoneAny();
  return info;
}

TEST(CAPIFieldRegistration, DuplicateNameIsAnInternalError) {
  int32_t index = NewType("test.DupField");
  TVMFFIFieldInfo info = BaseFieldInfo("x");
  ASSERT_EQ(TVMFFITypeRegisterField(index, &info), 0);
  EXPECT_EQ(TVMFFITypeRegisterField(index, &info), -1);
  RaisedError err = TakeRaisedError();
  EXPECT_EQ(err.kind, "InternalError");
  std::string key = ToStd(TVMFFIGetTypeInfo(index)->type_key);
  EXPECT_NE(err.message.find("Duplicate field name \"x\" in type \"" + key + "\""),
            std::string::npos)
      << err.message;
  EXPECT_EQ(TVMFFIGetTypeInfo(index)->num_fields, 1);
  // "xy" is a different name.
  TVMFFIFieldInfo other = BaseFieldInfo("xy");
  EXPECT_EQ(TVMFFITypeRegisterField(index, &other), 0);
}

TEST(CAPIFieldRegistration, FunctionObjectSetterIsRetainedAndCallable) {
  int32_t index = NewType("test.FuncSetter");
  TVMFFIObjectHandle setter = nullptr;
  ASSERT_EQ(TVMFFIFunctionCreate(nullptr, FieldValueSetter, nullptr, &setter), 0);
  TVMFFIFieldInfo info = BaseFieldInfo("value");
  info.flags = kTVMFFIFieldFlagBitMaskWritable | kTVMFFIFieldFlagBitSetterIsFunctionObj;
  info.setter = setter;
  ASSERT_EQ(TVMFFITypeRegisterField(index, &info), 0);
  EXPECT_EQ(StrongCount(setter), 2u);  // the runtime keeps its own reference
  TVMFFIObjectDecRef(setter);
  const TVMFFIFieldInfo& stored = TVMFFIGetTypeInfo(index)->fields[0];
  ASSERT_NE(stored.flags & kTVMFFIFieldFlagBitSetterIsFunctionObj, 0);
  int64_t slot = 0;
  TVMFFIAny args[2];
  args[0] = NoneAny();
  args[0].type_index = kTVMFFIOpaquePtr;
  args[0].v_ptr = &slot;
  args[1] = IntAny(42);
  TVMFFIAny result = NoneAny();
  ASSERT_EQ(TVMFFIFunctionCall(stored.setter, args, 2, &result), 0);
  EXPECT_EQ(slot, 42);
  EXPECT_EQ(g_setter_calls, 1);
}

}  // namespace
