// C API conformance: Function objects, calls and the global registry
// (abi.md §8 items 7, 9, 10, 18, 19; testing_registry.md §5.1).
#include <gtest/gtest.h>
#include <tvm/ffi/c_api.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "c_api_test_helpers.h"

namespace {

using namespace tvm_ffi_c_api_test;  // NOLINT(build/namespaces)

// Records the first argument the callback received and returns it as an opaque pointer.
void* g_last_handle = nullptr;
int RecordHandle(void* handle, const TVMFFIAny*, int32_t num_args, TVMFFIAny* result) {
  g_last_handle = handle;
  result->type_index = kTVMFFIInt;
  result->zero_padding = 0;
  result->v_int64 = num_args;
  return 0;
}

int g_deleter_calls = 0;
void CountingDeleter(void*) { ++g_deleter_calls; }

TEST(CAPIFunction, DirectModeReceivesTheFunctionHandle) {
  TVMFFIObjectHandle func = nullptr;
  ASSERT_EQ(TVMFFIFunctionCreate(nullptr, RecordHandle, nullptr, &func), 0);
  EXPECT_EQ(TVMFFIObjectGetTypeIndex(func), kTVMFFIFunction);
  EXPECT_EQ(RefCountWord(func), 0x100000001ull);
  const TVMFFIFunctionCell* cell = TVMFFIFunctionGetCellPtr(func);
  EXPECT_EQ(cell->safe_call, &RecordHandle);
  EXPECT_EQ(cell->cpp_call, nullptr);
  TVMFFIAny args[2] = {IntAny(1), IntAny(2)};
  TVMFFIAny result = NoneAny();
  g_last_handle = nullptr;
  ASSERT_EQ(TVMFFIFunctionCall(func, args, 2, &result), 0);
  EXPECT_EQ(g_last_handle, func);
  EXPECT_EQ(result.type_index, kTVMFFIInt);
  EXPECT_EQ(result.v_int64, 2);
  TVMFFIObjectIncRef(func);
  EXPECT_EQ(RefCountWord(func), 0x100000002ull);
  TVMFFIObjectDecRef(func);
  TVMFFIObjectDecRef(func);
}

TEST(CAPIFunction, SelfModeForwardsSelfAndRunsDeleterOnce) {
  int state = 0;
  g_deleter_calls = 0;
  TVMFFIObjectHandle func = nullptr;
  ASSERT_EQ(TVMFFIFunctionCreate(&state, RecordHandle, CountingDeleter, &func), 0);
  const TVMFFIFunctionCell* cell = TVMFFIFunctionGetCellPtr(func);
  EXPECT_NE(cell->safe_call, &RecordHandle);  // a trampoline
  EXPECT_EQ(cell->cpp_call, nullptr);
  TVMFFIAny result = NoneAny();
  g_last_handle = nullptr;
  ASSERT_EQ(TVMFFIFunctionCall(func, nullptr, 0, &result), 0);
  EXPECT_EQ(g_last_handle, &state);
  EXPECT_EQ(result.v_int64, 0);
  TVMFFIObjectIncRef(func);
  TVMFFIObjectDecRef(func);
  EXPECT_EQ(g_deleter_calls, 0);
  TVMFFIObjectDecRef(func);
  EXPECT_EQ(g_deleter_calls, 1);
}

TEST(CAPIFunction, DeleterWithoutSelfStillUsesTheTrampoline) {
  g_deleter_calls = 0;
  TVMFFIObjectHandle func = nullptr;
  ASSERT_EQ(TVMFFIFunctionCreate(nullptr, RecordHandle, CountingDeleter, &func), 0);
  TVMFFIAny result = NoneAny();
  g_last_handle = reinterpret_cast<void*>(0x1);
  ASSERT_EQ(TVMFFIFunctionCall(func, nullptr, 0, &result), 0);
  EXPECT_EQ(g_last_handle, nullptr);
  TVMFFIObjectDecRef(func);
  EXPECT_EQ(g_deleter_calls, 1);
}

int ReturnMinusOne(void*, const TVMFFIAny*, int32_t, TVMFFIAny*) {
  TVMFFIErrorSetRaisedFromCStr("ValueError", "callee failed");
  return -1;
}
int ReturnMinusTwo(void*, const TVMFFIAny*, int32_t, TVMFFIAny*) { return -2; }

TEST(CAPIFunction, CallForwardsReturnCodesUnchanged) {
  TVMFFIObjectHandle ok = nullptr, fail = nullptr, env = nullptr;
  ASSERT_EQ(TVMFFIFunctionCreate(nullptr, RecordHandle, nullptr, &ok), 0);
  ASSERT_EQ(TVMFFIFunctionCreate(nullptr, ReturnMinusOne, nullptr, &fail), 0);
  ASSERT_EQ(TVMFFIFunctionCreate(nullptr, ReturnMinusTwo, nullptr, &env), 0);
  TVMFFIAny result = NoneAny();
  EXPECT_EQ(TVMFFIFunctionCall(ok, nullptr, 0, &result), 0);
  EXPECT_EQ(TVMFFIFunctionCall(fail, nullptr, 0, &result), -1);
  RaisedError err = TakeRaisedError();
  EXPECT_EQ(err.kind, "ValueError");
  EXPECT_EQ(err.message, "callee failed");
  EXPECT_EQ(TVMFFIFunctionCall(env, nullptr, 0, &result), -2);
  EXPECT_FALSE(TakeRaisedError().present);
  TVMFFIObjectDecRef(ok);
  TVMFFIObjectDecRef(fail);
  TVMFFIObjectDecRef(env);
}

// ---------------------------------------------------------------------------------------------
// Global registry
// ---------------------------------------------------------------------------------------------
TEST(CAPIGlobalRegistry, MissIsNotAnError) {
  std::string name = UniqueName("test.not_registered");
  TVMFFIByteArray name_bytes = ByteArrayOf(name);
  TVMFFIObjectHandle out = reinterpret_cast<TVMFFIObjectHandle>(0x1);
  EXPECT_EQ(TVMFFIFunctionGetGlobal(&name_bytes, &out), 0);
  EXPECT_EQ(out, nullptr);
  EXPECT_FALSE(TakeRaisedError().present);
}

TEST(CAPIGlobalRegistry, SetGetOverrideAndRemove) {
  std::string name = UniqueName("test.registry_entry");
  TVMFFIByteArray name_bytes = ByteArrayOf(name);
  TVMFFIObjectHandle f1 = nullptr, f2 = nullptr;
  ASSERT_EQ(TVMFFIFunctionCreate(nullptr, RecordHandle, nullptr, &f1), 0);
  ASSERT_EQ(TVMFFIFunctionCreate(nullptr, RecordHandle, nullptr, &f2), 0);

  ASSERT_EQ(TVMFFIFunctionSetGlobal(&name_bytes, f1, 0), 0);
  EXPECT_EQ(StrongCount(f1), 2u);  // the registry holds its own reference; ours is intact

  TVMFFIObjectHandle got = nullptr;
  ASSERT_EQ(TVMFFIFunctionGetGlobal(&name_bytes, &got), 0);
  EXPECT_EQ(got, f1);
  EXPECT_EQ(StrongCount(f1), 3u);  // +1 for the caller
  TVMFFIObjectDecRef(got);

  EXPECT_EQ(TVMFFIFunctionSetGlobal(&name_bytes, f2, 0), -1);
  RaisedError err = TakeRaisedError();
  EXPECT_EQ(err.kind, "RuntimeError");
  EXPECT_EQ(err.message, "Global Function `" + name + "` is already registered");
  EXPECT_EQ(StrongCount(f2), 1u);

  ASSERT_EQ(TVMFFIFunctionSetGlobal(&name_bytes, f2, 1), 0);
  EXPECT_EQ(StrongCount(f1), 1u);  // the registry released the replaced function
  EXPECT_EQ(StrongCount(f2), 2u);
  ASSERT_EQ(TVMFFIFunctionGetGlobal(&name_bytes, &got), 0);
  EXPECT_EQ(got, f2);
  TVMFFIObjectDecRef(got);

  TVMFFIAny arg = RawStrAny(name.c_str());
  TVMFFIAny result = NoneAny();
  ASSERT_EQ(CallGlobal("ffi.FunctionRemoveGlobal", &arg, 1, &result), 0);
  EXPECT_EQ(result.type_index, kTVMFFIBool);
  EXPECT_EQ(result.v_int64, 1);
  EXPECT_EQ(StrongCount(f2), 1u);
  ASSERT_EQ(CallGlobal("ffi.FunctionRemoveGlobal", &arg, 1, &result), 0);
  EXPECT_EQ(result.v_int64, 0);
  ASSERT_EQ(TVMFFIFunctionGetGlobal(&name_bytes, &got), 0);
  EXPECT_EQ(got, nullptr);

  TVMFFIObjectDecRef(f1);
  TVMFFIObjectDecRef(f2);
}

TEST(CAPIGlobalRegistry, SetGlobalRejectsNonFunctions) {
  std::string name = UniqueName("test.not_a_function");
  TVMFFIByteArray name_bytes = ByteArrayOf(name);
  TVMFFIObjectHandle opaque = nullptr;
  ASSERT_EQ(TVMFFIObjectCreateOpaque(nullptr, kTVMFFIOpaquePyObject, nullptr, &opaque), 0);
  EXPECT_EQ(TVMFFIFunctionSetGlobal(&name_bytes, opaque, 0), -1);
  EXPECT_EQ(TakeRaisedError().kind, "TypeError");
  TVMFFIObjectDecRef(opaque);
}

TEST(CAPIGlobalRegistry, MethodInfoRegistrationKeepsMetadata) {
  std::string name = UniqueName("test.with_metadata");
  TVMFFIObjectHandle func = nullptr;
  ASSERT_EQ(TVMFFIFunctionCreate(nullptr, RecordHandle, nullptr, &func), 0);
  std::string metadata = R"({"type_schema":"{\"type\":\"ffi.Function\"}","extra":1})";
  TVMFFIMethodInfo info;
  std::memset(&info, 0, sizeof(info));
  info.name = ByteArrayOf(name);
  info.doc = ByteArrayOf("documented");
  info.metadata = ByteArrayOf(metadata);
  info.flags = 0;
  info.method = ObjectAny(func);
  ASSERT_EQ(TVMFFIFunctionSetGlobalFromMethodInfo(&info, 0), 0);
  EXPECT_EQ(StrongCount(func), 2u);

  TVMFFIAny arg = RawStrAny(name.c_str());
  TVMFFIAny result = NoneAny();
  ASSERT_EQ(CallGlobal("ffi.GetGlobalFuncMetadata", &arg, 1, &result), 0);
  EXPECT_EQ(StrContent(result), metadata);
  ReleaseAny(&result);

  EXPECT_EQ(TVMFFIFunctionSetGlobalFromMethodInfo(&info, 0), -1);
  RaisedError err = TakeRaisedError();
  EXPECT_EQ(err.kind, "RuntimeError");
  EXPECT_EQ(err.message.rfind("Global Function `" + name + "` is already registered", 0), 0u)
      << err.message;
  EXPECT_EQ(TVMFFIFunctionSetGlobalFromMethodInfo(&info, 1), 0);

  // The method must hold a Function.
  TVMFFIMethodInfo bad = info;
  bad.method = IntAny(3);
  EXPECT_EQ(TVMFFIFunctionSetGlobalFromMethodInfo(&bad, 1), -1);
  EXPECT_EQ(TakeRaisedError().kind, "TypeError");

  ASSERT_EQ(CallGlobal("ffi.FunctionRemoveGlobal", &arg, 1, &result), 0);
  TVMFFIObjectDecRef(func);
}

/*! \brief Create a RecordHandle function and register it as `name`; `*func` is our reference. */
void RegisterRecordHandle(const std::string& name, TVMFFIObjectHandle* func) {
  TVMFFIByteArray name_bytes = ByteArrayOf(name);
  ASSERT_EQ(TVMFFIFunctionCreate(nullptr, RecordHandle, nullptr, func), 0);
  ASSERT_EQ(TVMFFIFunctionSetGlobal(&name_bytes, *func, 0), 0);
}

TEST(CAPIGlobalRegistry, MetadataOfPlainEntriesAndMissingNames) {
  std::string name = UniqueName("test.plain_entry");
  TVMFFIObjectHandle func = nullptr;
  ASSERT_NO_FATAL_FAILURE(RegisterRecordHandle(name, &func));
  TVMFFIAny arg = RawStrAny(name.c_str());
  TVMFFIAny result = NoneAny();
  ASSERT_EQ(CallGlobal("ffi.GetGlobalFuncMetadata", &arg, 1, &result), 0);
  EXPECT_EQ(StrContent(result), "");
  ASSERT_EQ(CallGlobal("ffi.FunctionRemoveGlobal", &arg, 1, &result), 0);

  std::string missing = UniqueName("test.missing_entry");
  TVMFFIAny missing_arg = RawStrAny(missing.c_str());
  EXPECT_EQ(CallGlobal("ffi.GetGlobalFuncMetadata", &missing_arg, 1, &result), -1);
  RaisedError err = TakeRaisedError();
  EXPECT_EQ(err.kind, "RuntimeError");
  EXPECT_EQ(err.message, "Global Function is not found: " + missing);
  TVMFFIObjectDecRef(func);
}

TEST(CAPIGlobalRegistry, ListGlobalNamesFunctor) {
  std::string name = UniqueName("test.listed_entry");
  TVMFFIObjectHandle func = nullptr;
  ASSERT_NO_FATAL_FAILURE(RegisterRecordHandle(name, &func));

  TVMFFIAny functor = NoneAny();
  ASSERT_EQ(CallGlobal("ffi.FunctionListGlobalNamesFunctor", nullptr, 0, &functor), 0);
  ASSERT_EQ(functor.type_index, kTVMFFIFunction);
  TVMFFIAny index = IntAny(-1);
  TVMFFIAny count = NoneAny();
  ASSERT_EQ(TVMFFIFunctionCall(functor.v_obj, &index, 1, &count), 0);
  ASSERT_EQ(count.type_index, kTVMFFIInt);
  std::vector<std::string> names;
  for (int64_t i = 0; i < count.v_int64; ++i) {
    TVMFFIAny arg = IntAny(i);
    TVMFFIAny item = NoneAny();
    ASSERT_EQ(TVMFFIFunctionCall(functor.v_obj, &arg, 1, &item), 0);
    names.push_back(StrContent(item));
    ReleaseAny(&item);
  }
  auto contains = [&](const std::string& n) {
    return std::find(names.begin(), names.end(), n) != names.end();
  };
  EXPECT_TRUE(contains(name));
  for (const char* builtin : {"ffi.FunctionRemoveGlobal", "ffi.FunctionListGlobalNamesFunctor",
                              "ffi.String", "ffi.Bytes", "ffi.GetGlobalFuncMetadata"}) {
    EXPECT_TRUE(contains(builtin)) << builtin;
  }
  ReleaseAny(&functor);
  TVMFFIAny arg = RawStrAny(name.c_str());
  TVMFFIAny result = NoneAny();
  ASSERT_EQ(CallGlobal("ffi.FunctionRemoveGlobal", &arg, 1, &result), 0);
  TVMFFIObjectDecRef(func);
}

TEST(CAPIGlobalRegistry, BuiltinIdentityFunctionsAndTheirSchemas) {
  TVMFFIAny arg = RawStrAny("hello, identity function");
  TVMFFIAny result = NoneAny();
  ASSERT_EQ(CallGlobal("ffi.String", &arg, 1, &result), 0);
  EXPECT_EQ(result.type_index, kTVMFFIStr);
  EXPECT_EQ(StrContent(result), "hello, identity function");
  ReleaseAny(&result);

  TVMFFIByteArray raw{"\x00\x01\x02", 3};
  TVMFFIAny bytes_arg = NoneAny();
  bytes_arg.type_index = kTVMFFIByteArrayPtr;
  bytes_arg.v_ptr = &raw;
  ASSERT_EQ(CallGlobal("ffi.Bytes", &bytes_arg, 1, &result), 0);
  EXPECT_EQ(result.type_index, kTVMFFISmallBytes);
  EXPECT_EQ(StrContent(result), std::string("\x00\x01\x02", 3));

  // String does not accept bytes.
  EXPECT_EQ(CallGlobal("ffi.String", &bytes_arg, 1, &result), -1);
  EXPECT_EQ(TakeRaisedError().kind, "TypeError");

  for (const char* name : {"ffi.FunctionRemoveGlobal", "ffi.FunctionListGlobalNamesFunctor",
                           "ffi.String", "ffi.Bytes", "ffi.GetGlobalFuncMetadata"}) {
    TVMFFIAny name_arg = RawStrAny(name);
    ASSERT_EQ(CallGlobal("ffi.GetGlobalFuncMetadata", &name_arg, 1, &result), 0) << name;
    std::string metadata = StrContent(result);
    EXPECT_EQ(metadata.rfind("{\"type_schema\":\"{\\\"type\\\":\\\"ffi.Function\\\"", 0), 0u)
        << name << ": " << metadata;
    ReleaseAny(&result);
  }
  TVMFFIAny name_arg = RawStrAny("ffi.String");
  ASSERT_EQ(CallGlobal("ffi.GetGlobalFuncMetadata", &name_arg, 1, &result), 0);
  EXPECT_EQ(
      StrContent(result),
      R"({"type_schema":"{\"type\":\"ffi.Function\",\"args\":[{\"type\":\"ffi.String\"},{\"type\":\"ffi.String\"}]}"})");
  ReleaseAny(&result);
}

}  // namespace
