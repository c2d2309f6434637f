/*!
 * \file smoke.cc
 * \brief C++ smoke test of libtvm_ffi_testing: loads the library with dlopen (path given as
 *        argv[1], else TVM_FFI_TESTING_LIB_PATH) and checks the registered globals and types
 *        through the public C++ API only.
 */
#include <dlfcn.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/string.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <set>
#include <string>
#include <vector>

namespace {

using namespace tvm::ffi;

int g_passed = 0;
int g_failed = 0;

void Check(bool cond, const std::string& what) {
  if (cond) {
    ++g_passed;
  } else {
    ++g_failed;
    std::fprintf(stderr, "FAILED: %s\n", what.c_str());
  }
}

/*! \brief Runs f and returns the Error it throws (kind "" when it does not throw). */
std::pair<std::string, std::string> Catch(const std::function<void()>& f,
                                          std::string* bt = nullptr) {
  try {
    f();
  } catch (const Error& err) {
    if (bt != nullptr) *bt = err.backtrace();
    return {err.kind(), err.message()};
  }
  return {"", ""};
}

std::string Metadata(const std::string& name) {
  return std::string(Function::GetGlobalRequired("ffi.GetGlobalFuncMetadata")(name).cast<String>());
}

std::string Str(const TVMFFIByteArray& arr) {
  return arr.size == 0 ? std::string() : std::string(arr.data, arr.size);
}

/*!
 * \brief Prints, one record per line (tab separated), every `testing.*` global with its doc and
 *        metadata and every `testing.*` type with its flags, fields and methods, so that a script
 *        can compare them with the specification.
 */
void Dump() {
  std::set<std::string> names;
  for (const String& name : Function::ListGlobalNames()) {
    std::string n(name);
    if (n.rfind("testing.", 0) == 0) names.insert(n);
  }
  for (const std::string& n : names)
    std::printf("global\t%s\t%s\n", n.c_str(), Metadata(n).c_str());
  for (const char* key : {"testing.TestIntPair", "testing.TestObjectBase",
                          "testing.TestObjectDerived", "testing.TestCxxClassBase",
                          "testing.TestCxxClassDerived", "testing.TestCxxClassDerivedDerived",
                          "testing.TestCxxInitSubset", "testing.TestUnregisteredBaseObject",
                          "testing.TestUnregisteredObject", "testing.SchemaAllTypes"}) {
    TVMFFIByteArray key_arr{key, std::char_traits<char>::length(key)};
    int32_t index = -1;
    if (TVMFFITypeKeyToIndex(&key_arr, &index) != 0) {
      std::printf("type\t%s\tMISSING\n", key);
      continue;
    }
    const TVMFFITypeInfo* info = TVMFFIGetTypeInfo(index);
    std::string parent =
        info->type_depth > 0 ? Str(info->type_ancestors[info->type_depth - 1]->type_key) : "";
    std::printf("type\t%s\tparent=%s\tcreator=%d\n", key, parent.c_str(),
                info->metadata != nullptr && info->metadata->creator != nullptr);
    for (int i = 0; i < info->num_fields; ++i) {
      const TVMFFIFieldInfo& f = info->fields[i];
      std::printf("field\t%s\t%s\twritable=%d\tdefault=%d\tdoc=%s\t%s\n", key, Str(f.name).c_str(),
                  (f.flags & kTVMFFIFieldFlagBitMaskWritable) != 0,
                  (f.flags & kTVMFFIFieldFlagBitMaskHasDefault) != 0, Str(f.doc).c_str(),
                  Str(f.metadata).c_str());
    }
    for (int i = 0; i < info->num_methods; ++i) {
      const TVMFFIMethodInfo& m = info->methods[i];
      std::printf("method\t%s\t%s\tstatic=%d\tdoc=%s\t%s\n", key, Str(m.name).c_str(),
                  (m.flags & kTVMFFIFieldFlagBitMaskIsStaticMethod) != 0, Str(m.doc).c_str(),
                  Str(m.metadata).c_str());
    }
  }
}

size_t Count(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t pos = text.find(part); pos != std::string::npos; pos = text.find(part, pos + 1)) ++n;
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  bool dump = argc > 1 && std::string(argv[1]) == "--dump";
  int path_arg = dump ? 2 : 1;
#ifdef TVM_FFI_TESTING_LIB_PATH
  const char* path = argc > path_arg ? argv[path_arg] : TVM_FFI_TESTING_LIB_PATH;
#else
  if (argc <= path_arg) {
    std::fprintf(stderr, "usage: %s [--dump] <path to libtvm_ffi_testing.so>\n", argv[0]);
    return 2;
  }
  const char* path = argv[path_arg];
#endif
  void* lib = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
  if (lib == nullptr) {
    std::fprintf(stderr, "dlopen failed: %s\n", dlerror());
    return 2;
  }
  if (dump) {
    Dump();
    return 0;
  }
  auto* reg_error =
      reinterpret_cast<const char* (*)()>(dlsym(lib, "TVMFFITestingRegistrationError"));
  auto* dummy = reinterpret_cast<int (*)()>(dlsym(lib, "TVMFFITestingDummyTarget"));
  Check(reg_error != nullptr && reg_error() == nullptr,
        std::string("registration error: ") + (reg_error && reg_error() ? reg_error() : ""));
  Check(dummy != nullptr && dummy() == 0, "TVMFFITestingDummyTarget() == 0");

  // Every function of the spec, and nothing that must stay unregistered.
  std::set<std::string> testing_names;
  for (const String& name : Function::ListGlobalNames()) {
    std::string n(name);
    if (n.rfind("testing.", 0) == 0) testing_names.insert(n);
  }
  Check(testing_names.size() == 45,
        "45 testing.* globals, got " + std::to_string(testing_names.size()));
  for (const char* forbidden :
       {"testing.add1", "testing.Int_GetValue", "testing.not_existing_func"}) {
    Check(testing_names.count(forbidden) == 0, std::string(forbidden) + " must not be registered");
  }

  Function add_one = Function::GetGlobalRequired("testing.add_one");
  Check(add_one(1).cast<int>() == 2, "add_one(1) == 2");
  auto err = Catch([&] { add_one(String("x")); });
  Check(err.first == "TypeError", "add_one(str) raises TypeError");
  Check(err.second.find(
            "Mismatched type on argument #0 when calling: `testing.add_one(0: int) -> int`") !=
            std::string::npos,
        "add_one mismatch message: " + err.second);

  Function echo = Function::GetGlobalRequired("testing.echo");
  Check(echo(7, 8).cast<int>() == 7, "echo returns first argument");
  Check(Catch([&] { echo(); }).first == "TypeError", "echo() raises TypeError");

  Function apply = Function::GetGlobalRequired("testing.apply");
  Check(apply(add_one, 3).cast<int>() == 4, "apply(add_one, 3) == 4");
  Check(Catch([&] { apply(1, 2); }).first == "TypeError", "apply(non-function) raises TypeError");

  std::string bt;
  err = Catch(
      [] { Function::GetGlobalRequired("testing.test_raise_error")("ValueError", "message"); },
      &bt);
  Check(err.first == "ValueError" && err.second == "message", "test_raise_error kind/message");
  Check(Count(bt, "TestRaiseError") == 1, "backtrace names TestRaiseError once:\n" + bt);

  Function use_count = Function::GetGlobalRequired("testing.object_use_count");
  Array<int64_t> arr{1, 2, 3};
  Check(use_count(arr).cast<int64_t>() == 1, "object_use_count of a singly-held array == 1");
  Check(Catch([&] { use_count(nullptr); }).first == "TypeError",
        "object_use_count(None) raises TypeError");

  // C symbols.
  using SafeCall = int (*)(void*, const TVMFFIAny*, int32_t, TVMFFIAny*);
  auto add_one_c = reinterpret_cast<SafeCall>(
      Function::GetGlobalRequired("testing.get_add_one_c_symbol")().cast<int64_t>());
  Function from_c = Function::FromExternC(nullptr, add_one_c, nullptr);
  Check(from_c(1).cast<int>() == 2 && from_c(2).cast<int>() == 3, "add-one C symbol");
  Check(Catch([&] { from_c(nullptr); }).first == "TypeError", "add-one C symbol with None");

  auto mlir = reinterpret_cast<void (*)(void**)>(
      Function::GetGlobalRequired("testing.get_mlir_add_one_c_symbol")().cast<int64_t>());
  {
    AnyView args[1] = {AnyView(41)};
    Any result;
    void* self = nullptr;
    const TVMFFIAny* args_ptr = reinterpret_cast<const TVMFFIAny*>(args);
    int32_t num_args = 1;
    TVMFFIAny* result_ptr = reinterpret_cast<TVMFFIAny*>(&result);
    int ret_code = 99;
    void* packed[5] = {&self, &args_ptr, &num_args, &result_ptr, &ret_code};
    mlir(packed);
    Check(ret_code == 0 && result.cast<int>() == 42, "MLIR packed add-one");
  }

  // Metadata.
  std::string md = Metadata("testing.schema_id_int");
  Check(
      md ==
          R"({"type_schema":"{\"type\":\"ffi.Function\",\"args\":[{\"type\":\"int\"},{\"type\":\"int\"}]}","bool_attr":true,"int_attr":1,"str_attr":"hello"})",
      "schema_id_int metadata: " + md);
  Check(Metadata("testing.echo") == R"({"type_schema":"{\"type\":\"ffi.Function\"}"})",
        "echo metadata: " + Metadata("testing.echo"));
  md = Metadata("testing.schema_id_arr");
  Check(md.find(R"({\"type\":\"ffi.Array\"},{\"type\":\"ffi.Array\"})") != std::string::npos,
        "schema_id_arr metadata: " + md);

  // Objects through reflection.
  Function make = Function::GetGlobalRequired("ffi.MakeObjectFromPackedArgs");
  Any base = make("testing.TestObjectBase");
  Check(base.GetTypeKey() == "testing.TestObjectBase", "create TestObjectBase");
  err = Catch([&] { make("testing.TestObjectDerived"); });
  Check(err.first == "TypeError" &&
            err.second == "Required field `v_map` not set in type `testing.TestObjectDerived`",
        "TestObjectDerived without v_map: " + err.first + ": " + err.second);
  err = Catch([&] { make("testing.TestCxxClassBase"); });
  Check(err.second.find("does not support reflection creation") != std::string::npos,
        "TestCxxClassBase has no creator: " + err.second);
  Any unreg = Function::GetGlobalRequired("testing.make_unregistered_object")();
  Check(unreg.GetTypeKey() == "testing.TestUnregisteredObject",
        "make_unregistered_object type key");

  Map<String, Array<int64_t>> mp{{"a", Array<int64_t>{1}}};
  Array<Optional<int64_t>> opt_arr{Optional<int64_t>(1), Optional<int64_t>(), Optional<int64_t>(3)};
  Function arr_map_opt = Function::GetGlobalRequired("testing.schema_arr_map_opt");
  auto out = arr_map_opt(opt_arr, mp, String("k")).cast<Map<String, Array<int64_t>>>();
  Check(out.size() == 2 && out["k"].size() == 2 && out["k"][1] == 3 && mp.size() == 1,
        "schema_arr_map_opt sets key k and leaves the caller's map alone");

  std::printf("%d passed, %d failed\n", g_passed, g_failed);
  return g_failed == 0 ? 0 : 1;
}
