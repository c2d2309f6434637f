/*!
 * \file test_module.cc
 * \brief Modules: ModuleObj layout and vtable dispatch, library modules loaded from the
 *        fixtures, imports, the system library, TVMFFIEnvModLookupFromImports and the
 *        `ffi.Module*` globals.
 */
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/extra/c_env_api.h>
#include <tvm/ffi/extra/module.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/memory.h>
#include <tvm/ffi/string.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "test_utils.h"

namespace {

using namespace tvm::ffi;      // NOLINT(*)
using namespace tvm_ffi_test;  // NOLINT(*)

std::string FixturePath(const std::string& stem) {
  return std::string(TVM_FFI_TEST_FIXTURE_DIR) + "/fixture_" + stem + ".so";
}

/*! \brief A scratch directory removed (with its files) at the end of the test. */
class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/tvm_ffi_module_test_XXXXXX";
    char* made = mkdtemp(pattern);
    EXPECT_NE(made, nullptr);
    path_ = made != nullptr ? made : "/tmp";
  }
  ~TempDir() {
    for (const std::string& file : files_) std::remove(file.c_str());
    rmdir(path_.c_str());
  }
  std::string WriteText(const std::string& name, const std::string& text) {
    std::string file = Track(name);
    FILE* fp = std::fopen(file.c_str(), "w");
    EXPECT_NE(fp, nullptr);
    if (fp != nullptr) {
      std::fputs(text.c_str(), fp);
      std::fclose(fp);
    }
    return file;
  }
  std::string Symlink(const std::string& name, const std::string& target) {
    std::string file = Track(name);
    EXPECT_EQ(symlink(target.c_str(), file.c_str()), 0);
    return file;
  }
  const std::string& path() const { return path_; }

 private:
  std::string Track(const std::string& name) {
    files_.push_back(path_ + "/" + name);
    return files_.back();
  }
  std::string path_;
  std::vector<std::string> files_;
};

/*! \brief Call counters observed by the tests. */
struct Counters {
  int destroyed = 0;
  int property_mask = 0;
  int get_function = 0;
  int implements = 0;
  int import_module = 0;
  int clear_imports = 0;
};

/*!
 * \brief A module implemented in this binary that overrides every virtual function, so calls
 *        made by libtvm_ffi (exported non-virtual functions, globals) must reach these bodies.
 */
class TestModuleObj : public ModuleObj {
 public:
  TestModuleObj(std::string name, std::map<std::string, Function> functions,
                Counters* counters = nullptr)
      : name_(std::move(name)), functions_(std::move(functions)), counters_(counters) {}
  ~TestModuleObj() {
    if (counters_ != nullptr) ++counters_->destroyed;
  }

  using ModuleObj::GetFunction;
  using ModuleObj::GetFunctionDoc;
  using ModuleObj::GetFunctionMetadata;
  using ModuleObj::ImplementsFunction;

  const char* kind() const final { return "test_module"; }
  int GetPropertyMask() const final {
    if (counters_ != nullptr) ++counters_->property_mask;
    return Module::kRunnable | Module::kCompilationExportable;
  }
  Optional<Function> GetFunction(const String& name) final {
    if (counters_ != nullptr) ++counters_->get_function;
    auto it = functions_.find(std::string(name));
    if (it == functions_.end()) return std::nullopt;
    return it->second;
  }
  bool ImplementsFunction(const String& name) final {
    if (counters_ != nullptr) ++counters_->implements;
    return functions_.count(std::string(name)) != 0;
  }
  Optional<String> GetFunctionDoc(const String& name) final {
    if (functions_.count(std::string(name)) == 0) return std::nullopt;
    return String("doc:" + name_ + "." + std::string(name));
  }
  Optional<String> GetFunctionMetadata(const String& name) final {
    if (functions_.count(std::string(name)) == 0) return std::nullopt;
    return String("{\"module\":\"" + name_ + "\"}");
  }
  void WriteToFile(const String& file_name, const String& format) const final {
    last_write_ = std::string(file_name) + "|" + std::string(format);
  }
  Array<String> GetWriteFormats() const final { return Array<String>{"txt", "bin"}; }
  Bytes SaveToBytes() const final { return Bytes("bytes:" + name_); }
  String InspectSource(const String& format) const final {
    return String("source[" + std::string(format) + "] of " + name_);
  }
  void ImportModule(const Module& other) final {
    if (counters_ != nullptr) ++counters_->import_module;
    ModuleObj::ImportModule(other);
  }
  void ClearImports() final {
    if (counters_ != nullptr) ++counters_->clear_imports;
    ModuleObj::ClearImports();
  }

  /*! \brief Byte offsets from the start of the C++ object. */
  int64_t HeaderOffset() const { return Offset(details::ObjectUnsafe::GetHeader(this)); }
  int64_t ImportsOffset() const { return Offset(&imports_); }
  int64_t CacheOffset() const { return Offset(&import_lookup_cache_); }
  const Map<String, Function>& cache() const { return import_lookup_cache_; }

  mutable std::string last_write_;

 private:
  int64_t Offset(const void* member) const {
    return static_cast<const char*>(member) -
           reinterpret_cast<const char*>(static_cast<const ModuleObj*>(this));
  }
  std::string name_;
  std::map<std::string, Function> functions_;
  Counters* counters_;
};

/*! \brief A module relying on every default of ModuleObj. */
class MinimalModuleObj : public ModuleObj {
 public:
  using ModuleObj::GetFunction;
  const char* kind() const final { return "minimal"; }
  Optional<Function> GetFunction(const String& name) final {
    if (std::string(name) != "only") return std::nullopt;
    return Function::FromTyped([]() -> int64_t { return 1; });
  }
};

Module MakeTestModule(const std::string& name, std::map<std::string, Function> functions,
                      Counters* counters = nullptr) {
  return Module(make_object<TestModuleObj>(name, std::move(functions), counters));
}

/*! \brief A function returning a fixed string (identifies which module answered). */
Function Tag(const std::string& text) {
  return Function::FromTyped([text]() -> String { return String(text); });
}

TestModuleObj* AsTest(const Module& mod) { return static_cast<TestModuleObj*>(mod.get()); }

// Functions handed to the system-library table (their symbols are also exported from the
// test executable, which is harmless).
int64_t SysAddTwo(int64_t x) { return x + 2; }
int64_t SysScale(int64_t x) { return x * 10; }
int64_t SysLate() { return 7; }

}  // namespace

TVM_FFI_DLL_EXPORT_TYPED_FUNC(modtest_sys_add_two, SysAddTwo);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(modtestpfx_scale, SysScale);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(modtest_sys_late, SysLate);

namespace {

// -------------------------------------------------------------------------------------------
// Layout and type
// -------------------------------------------------------------------------------------------
TEST(ModuleObjLayout, SizeOffsetsAndTypeIndex) {
  static_assert(sizeof(ModuleObj) == 48, "ModuleObj must be 48 bytes");
  static_assert(sizeof(Module) == 8, "Module is one pointer");
  static_assert(ModuleObj::_type_final && ModuleObj::_type_mutable);
  EXPECT_EQ(ModuleObj::RuntimeTypeIndex(), kTVMFFIModule);
  EXPECT_EQ(ModuleObj::_GetOrAllocRuntimeTypeIndex(), kTVMFFIModule);
  EXPECT_EQ(TypeKeyToIndex("ffi.Module"), kTVMFFIModule);

  Module mod = MakeTestModule("T", {});
  TestModuleObj* obj = AsTest(mod);
  EXPECT_EQ(obj->HeaderOffset(), 8);
  EXPECT_EQ(obj->ImportsOffset(), 32);
  EXPECT_EQ(obj->CacheOffset(), 40);
  EXPECT_EQ(mod->type_index(), kTVMFFIModule);
  EXPECT_EQ(mod.GetTypeKey(), "ffi.Module");
  // The handle stored in an Any is the header, 8 bytes after the C++ object.
  Any any = mod;
  const TVMFFIAny* cell = details::AnyUnsafe::TVMFFIAnyPtrFromAny(any);
  EXPECT_EQ(cell->type_index, kTVMFFIModule);
  EXPECT_EQ(reinterpret_cast<char*>(cell->v_obj), reinterpret_cast<char*>(obj) + 8);
  Module back = any.cast<Module>();
  EXPECT_EQ(back.get(), obj);
  // Fresh modules start with real (empty) imports and cache objects.
  EXPECT_TRUE(mod->imports().defined());
  EXPECT_EQ(mod->imports().size(), 0);
  EXPECT_TRUE(obj->cache().defined());
}

#if (defined(__GNUC__) || defined(__clang__)) && !defined(_WIN32)
/*!
 * \brief Vtable slot of a virtual member function (Itanium ABI: a pointer to a virtual member
 *        stores 1 + the slot's byte offset in the vtable).
 */
template <typename MemberFn>
int64_t VtableSlot(MemberFn fn) {
  static_assert(sizeof(MemberFn) == 2 * sizeof(void*));
  uintptr_t words[2];
  std::memcpy(words, &fn, sizeof(words));
  if ((words[0] & 1) == 0) return -1;  // not virtual
  return static_cast<int64_t>((words[0] - 1) / sizeof(void*));
}

TEST(ModuleObjLayout, VirtualFunctionOrderIsTheAbiOrder) {
  using GetFunctionFn = Optional<Function> (ModuleObj::*)(const String&);
  using ImplementsFn = bool (ModuleObj::*)(const String&);
  using DocFn = Optional<String> (ModuleObj::*)(const String&);
  EXPECT_EQ(VtableSlot(&ModuleObj::kind), 0);
  EXPECT_EQ(VtableSlot(&ModuleObj::GetPropertyMask), 1);
  EXPECT_EQ(VtableSlot(static_cast<GetFunctionFn>(&ModuleObj::GetFunction)), 2);
  EXPECT_EQ(VtableSlot(static_cast<ImplementsFn>(&ModuleObj::ImplementsFunction)), 3);
  EXPECT_EQ(VtableSlot(static_cast<DocFn>(&ModuleObj::GetFunctionDoc)), 4);
  EXPECT_EQ(VtableSlot(static_cast<DocFn>(&ModuleObj::GetFunctionMetadata)), 5);
  EXPECT_EQ(VtableSlot(&ModuleObj::WriteToFile), 6);
  EXPECT_EQ(VtableSlot(&ModuleObj::GetWriteFormats), 7);
  EXPECT_EQ(VtableSlot(&ModuleObj::SaveToBytes), 8);
  EXPECT_EQ(VtableSlot(&ModuleObj::InspectSource), 9);
  EXPECT_EQ(VtableSlot(&ModuleObj::ImportModule), 10);
  EXPECT_EQ(VtableSlot(&ModuleObj::ClearImports), 11);
  // The query_imports overloads are not virtual.
  using GetFunctionQueryFn = Optional<Function> (ModuleObj::*)(const String&, bool);
  EXPECT_EQ(VtableSlot(static_cast<GetFunctionQueryFn>(&ModuleObj::GetFunction)), -1);
}
#endif

TEST(ModuleObjLayout, DeleterRunsDestructorOnce) {
  Counters counters;
  {
    Module mod = MakeTestModule("T", {}, &counters);
    Any any = mod;
    Module copy = any.cast<Module>();
    mod = MakeTestModule("U", {}, &counters);
    EXPECT_EQ(counters.destroyed, 0);
  }
  EXPECT_EQ(counters.destroyed, 2);
  // Strong then weak release (deleter flags 1 then 2) through the header address.
  {
    ObjectPtr<TestModuleObj> ptr =
        make_object<TestModuleObj>("W", std::map<std::string, Function>{}, &counters);
    WeakObjectPtr<TestModuleObj> weak(ptr);
    ptr.reset();
    EXPECT_EQ(counters.destroyed, 3);
    EXPECT_TRUE(weak.expired());
  }
  // An imported module lives as long as its importer.
  {
    Module importer = MakeTestModule("I", {}, &counters);
    {
      Module imported = MakeTestModule("J", {}, &counters);
      importer->ImportModule(imported);
    }
    EXPECT_EQ(counters.destroyed, 3);
  }
  EXPECT_EQ(counters.destroyed, 5);
}

// -------------------------------------------------------------------------------------------
// Virtual dispatch through the exported functions and the ffi.Module* globals
// -------------------------------------------------------------------------------------------
TEST(ModuleSubclass, VirtualDispatchThroughRuntime) {
  Counters counters;
  Module mod = MakeTestModule("T", {{"f", Tag("T.f")}}, &counters);

  // Exported non-virtual overloads call our overrides.
  Optional<Function> f = mod->GetFunction("f", false);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ((*f)().cast<String>(), "T.f");
  EXPECT_EQ(counters.get_function, 1);
  EXPECT_FALSE(mod->GetFunction("g", true).has_value());
  EXPECT_TRUE(mod->ImplementsFunction("f", false));
  EXPECT_FALSE(mod->ImplementsFunction("g", true));
  EXPECT_EQ(counters.implements, 2);
  EXPECT_EQ(mod->GetFunctionDoc("f", false).value(), "doc:T.f");
  EXPECT_FALSE(mod->GetFunctionDoc("g", false).has_value());
  EXPECT_EQ(mod->GetFunctionMetadata("f", true).value(), "{\"module\":\"T\"}");
  EXPECT_EQ(mod->SaveToBytes().operator std::string(), "bytes:T");

  // Globals (typed conversions of Module included).
  auto global = [](const char* name) { return Function::GetGlobalRequired(name); };
  EXPECT_EQ(global("ffi.ModuleGetKind")(mod).cast<String>(), "test_module");
  EXPECT_EQ(global("ffi.ModuleGetPropertyMask")(mod).cast<int>(),
            Module::kRunnable | Module::kCompilationExportable);
  EXPECT_EQ(counters.property_mask, 1);
  EXPECT_TRUE(global("ffi.ModuleImplementsFunction")(mod, "f", false).cast<bool>());
  EXPECT_FALSE(global("ffi.ModuleImplementsFunction")(mod, "g", false).cast<bool>());
  Any got = global("ffi.ModuleGetFunction")(mod, "f", false);
  EXPECT_EQ(got.cast<Function>()().cast<String>(), "T.f");
  EXPECT_EQ(global("ffi.ModuleGetFunction")(mod, "g", true).type_index(), kTVMFFINone);
  EXPECT_EQ(global("ffi.ModuleGetFunctionDoc")(mod, "f", false).cast<String>(), "doc:T.f");
  EXPECT_EQ(global("ffi.ModuleGetFunctionDoc")(mod, "g", false).type_index(), kTVMFFINone);
  EXPECT_EQ(global("ffi.ModuleGetFunctionMetadata")(mod, "f", false).cast<String>(),
            "{\"module\":\"T\"}");
  EXPECT_EQ(global("ffi.ModuleInspectSource")(mod, "cuda").cast<String>(), "source[cuda] of T");
  Array<String> formats = global("ffi.ModuleGetWriteFormats")(mod).cast<Array<String>>();
  ASSERT_EQ(formats.size(), 2);
  EXPECT_EQ(formats[0], "txt");
  EXPECT_EQ(formats[1], "bin");
  global("ffi.ModuleWriteToFile")(mod, "out.txt", "txt");
  EXPECT_EQ(AsTest(mod)->last_write_, "out.txt|txt");

  Module other = MakeTestModule("O", {{"o", Tag("O.o")}});
  global("ffi.ModuleImportModule")(mod, other);
  EXPECT_EQ(counters.import_module, 1);
  EXPECT_EQ(mod->imports().size(), 1);
  EXPECT_TRUE(global("ffi.ModuleImplementsFunction")(mod, "o", true).cast<bool>());
  global("ffi.ModuleClearImports")(mod);
  EXPECT_EQ(counters.clear_imports, 1);
  EXPECT_EQ(mod->imports().size(), 0);

  // A non-module argument is rejected by the typed globals.
  std::string msg = ExpectErrorKind([&] { global("ffi.ModuleGetKind")(1); }, "TypeError");
  EXPECT_TRUE(Contains(msg, "ffi.Module")) << msg;
  ExpectErrorKind([&] { global("ffi.ModuleGetKind")(nullptr); }, "TypeError");
}

TEST(ModuleSubclass, DefaultVirtuals) {
  Module mod(make_object<MinimalModuleObj>());
  EXPECT_STREQ(mod->kind(), "minimal");
  EXPECT_EQ(mod->GetPropertyMask(), 0);
  EXPECT_TRUE(mod->ImplementsFunction("only"));  // default: GetFunction(name).has_value()
  EXPECT_FALSE(mod->ImplementsFunction("other"));
  EXPECT_FALSE(mod->GetFunctionDoc("only").has_value());
  EXPECT_FALSE(mod->GetFunctionMetadata("only").has_value());
  EXPECT_EQ(mod->GetWriteFormats().size(), 0);
  EXPECT_EQ(mod->InspectSource("asm"), "");
  EXPECT_EQ(ExpectErrorKind([&] { mod->WriteToFile("a", "b"); }, "RuntimeError"),
            "Module[minimal] does not support WriteToFile");
  EXPECT_EQ(ExpectErrorKind([&] { mod->SaveToBytes(); }, "RuntimeError"),
            "Module[minimal] does not support SaveToBytes");
  EXPECT_EQ(
      ExpectErrorKind([&] { Function::GetGlobalRequired("ffi.ModuleWriteToFile")(mod, "a", "b"); },
                      "RuntimeError"),
      "Module[minimal] does not support WriteToFile");
  EXPECT_EQ(Function::GetGlobalRequired("ffi.ModuleGetPropertyMask")(mod).cast<int>(), 0);
}

// -------------------------------------------------------------------------------------------
// Imports
// -------------------------------------------------------------------------------------------
TEST(ModuleImports, QueryImportsOrderAndCycles) {
  Module a = MakeTestModule("A", {{"a_fn", Tag("A")}});
  Module b = MakeTestModule("B", {{"b_fn", Tag("B")}, {"dup", Tag("B.dup")}});
  Module c = MakeTestModule("C", {{"c_fn", Tag("C")}, {"deep", Tag("C.deep")}});
  Module d = MakeTestModule("D", {{"dup", Tag("D.dup")}, {"deep", Tag("D.deep")}});
  a->ImportModule(b);
  a->ImportModule(d);
  b->ImportModule(c);
  ASSERT_EQ(a->imports().size(), 2);
  EXPECT_TRUE(a->imports()[0].cast<Module>().same_as(b));

  EXPECT_FALSE(a->GetFunction("c_fn", false).has_value());
  ASSERT_TRUE(a->GetFunction("c_fn", true).has_value());
  EXPECT_EQ(a->GetFunction("c_fn", true).value()().cast<String>(), "C");
  EXPECT_FALSE(a->ImplementsFunction("c_fn", false));
  EXPECT_TRUE(a->ImplementsFunction("c_fn", true));
  EXPECT_FALSE(a->GetFunctionDoc("c_fn", false).has_value());
  EXPECT_EQ(a->GetFunctionDoc("c_fn", true).value(), "doc:C.c_fn");
  EXPECT_EQ(a->GetFunctionMetadata("c_fn", true).value(), "{\"module\":\"C\"}");
  // Own functions first, then imports in order, depth first.
  EXPECT_EQ(a->GetFunction("a_fn", true).value()().cast<String>(), "A");
  EXPECT_EQ(a->GetFunction("dup", true).value()().cast<String>(), "B.dup");
  EXPECT_EQ(a->GetFunction("deep", true).value()().cast<String>(), "C.deep");
  EXPECT_EQ(a->GetFunctionDoc("deep", true).value(), "doc:C.deep");
  EXPECT_FALSE(a->GetFunction("nowhere", true).has_value());

  // Cycles: importing a module that (transitively) imports us, or ourselves.
  EXPECT_EQ(ExpectErrorKind([&] { c->ImportModule(a); }, "RuntimeError"),
            "Cyclic dependency detected during import");
  EXPECT_EQ(ExpectErrorKind([&] { a->ImportModule(a); }, "RuntimeError"),
            "Cyclic dependency detected during import");
  EXPECT_EQ(ExpectErrorKind([&] { Function::GetGlobalRequired("ffi.ModuleImportModule")(d, a); },
                            "RuntimeError"),
            "Cyclic dependency detected during import");
  EXPECT_EQ(c->imports().size(), 0);
  EXPECT_EQ(a->imports().size(), 2);
  // A diamond is not a cycle.
  a->ImportModule(c);
  EXPECT_EQ(a->imports().size(), 3);

  a->ClearImports();
  EXPECT_EQ(a->imports().size(), 0);
  EXPECT_FALSE(a->GetFunction("c_fn", true).has_value());
  EXPECT_EQ(b->imports().size(), 1);
}

// -------------------------------------------------------------------------------------------
// TVMFFIEnvModLookupFromImports with a module defined here
// -------------------------------------------------------------------------------------------
TEST(ModuleEnvLookup, TokenLookupCachesAndBorrows) {
  Module mod = MakeTestModule("M", {});
  Function imported = Tag("I.fn");
  mod->ImportModule(MakeTestModule("I", {{"modtest_env_fn", imported}}));
  void* token = static_cast<void*>(mod.get());

  TVMFFIObjectHandle out = nullptr;
  ASSERT_EQ(TVMFFIEnvModLookupFromImports(token, "modtest_env_fn", &out), 0);
  EXPECT_EQ(out, details::ObjectUnsafe::TVMFFIObjectPtrFromObjectRef(imported));
  const int count_after_first = imported.use_count();
  TVMFFIObjectHandle again = nullptr;
  ASSERT_EQ(TVMFFIEnvModLookupFromImports(token, "modtest_env_fn", &again), 0);
  EXPECT_EQ(again, out);
  EXPECT_EQ(imported.use_count(), count_after_first);  // borrowed, not a new reference
  EXPECT_EQ(AsTest(mod)->cache().size(), 1);

  // Miss: RuntimeError with the documented message.
  EXPECT_EQ(TVMFFIEnvModLookupFromImports(token, "modtest_env_missing", &out), -1);
  Error err = details::MoveFromSafeCallRaised();
  EXPECT_EQ(err.kind(), "RuntimeError");
  EXPECT_EQ(err.message(),
            "Cannot find function modtest_env_missing in the imported modules or global registry.");

  // Bad arguments give errors, not crashes.
  EXPECT_EQ(TVMFFIEnvModLookupFromImports(nullptr, "x", &out), -1);
  EXPECT_EQ(details::MoveFromSafeCallRaised().kind(), "RuntimeError");
  EXPECT_EQ(TVMFFIEnvModLookupFromImports(token, nullptr, &out), -1);
  EXPECT_EQ(details::MoveFromSafeCallRaised().kind(), "ValueError");
  EXPECT_EQ(TVMFFIEnvModLookupFromImports(token, "x", nullptr), -1);
  EXPECT_EQ(details::MoveFromSafeCallRaised().kind(), "ValueError");
}

// -------------------------------------------------------------------------------------------
// Library modules (fixture_add_one_lib.so)
// -------------------------------------------------------------------------------------------
TEST(ModuleLibrary, LoadAndCall) {
  Module mod = Module::LoadFromFile(FixturePath("add_one_lib"));
  EXPECT_STREQ(mod->kind(), "library");
  EXPECT_EQ(mod->GetPropertyMask(), Module::kBinarySerializable | Module::kRunnable);
  EXPECT_EQ(mod->type_index(), kTVMFFIModule);

  Optional<Function> add_one = mod->GetFunction("add_one");
  ASSERT_TRUE(add_one.has_value());
  EXPECT_EQ((*add_one)(41).cast<int>(), 42);
  EXPECT_EQ(mod->GetFunction("add_ints").value()(int64_t{1} << 40, 2).cast<int64_t>(),
            (int64_t{1} << 40) + 2);
  EXPECT_TRUE(mod->ImplementsFunction("add_one"));
  EXPECT_TRUE(mod->ImplementsFunction("add_one", true));

  // Missing functions are absent, not errors; reserved data symbols are never functions.
  EXPECT_FALSE(mod->GetFunction("no_such_function").has_value());
  EXPECT_FALSE(mod->GetFunction("no_such_function", true).has_value());
  EXPECT_FALSE(mod->ImplementsFunction("no_such_function"));
  EXPECT_FALSE(mod->GetFunction("_library_ctx").has_value());
  EXPECT_FALSE(mod->ImplementsFunction("_library_ctx"));
  EXPECT_EQ(
      Function::GetGlobalRequired("ffi.ModuleGetFunction")(mod, "missing", false).type_index(),
      kTVMFFINone);

  // Argument conversion errors come from the library's typed wrapper.
  std::string msg = ExpectErrorKind([&] { (*add_one)("not an int"); }, "TypeError");
  EXPECT_TRUE(Contains(msg, "add_one")) << msg;
  ExpectErrorKind([&] { (*add_one)(); }, "TypeError");

  // The function keeps the module (and the library) alive.
  Function keep = *add_one;
  add_one = std::nullopt;
  mod = Module(make_object<MinimalModuleObj>());
  EXPECT_EQ(keep(1).cast<int>(), 2);
}

TEST(ModuleLibrary, ErrorsPropagateWithKindAndMessage) {
  Module mod = Module::LoadFromFile(FixturePath("add_one_lib"));
  Function raise = mod->GetFunction("raise_value_error").value();
  EXPECT_FFI_ERROR("ValueError", "bad value from the library", raise("bad value from the library"));
  // Also through the C entry point: return code -1 and the error in the raised slot.
  TVMFFIAny arg = AnyView("via C").CopyToTVMFFIAny();
  TVMFFIAny result;
  std::memset(&result, 0, sizeof(result));
  EXPECT_EQ(TVMFFIFunctionCall(details::ObjectUnsafe::TVMFFIObjectPtrFromObjectRef(raise), &arg, 1,
                               &result),
            -1);
  Error err = details::MoveFromSafeCallRaised();
  EXPECT_EQ(err.kind(), "ValueError");
  EXPECT_EQ(err.message(), "via C");
}

TEST(ModuleLibrary, LibraryCtxTokenAndLookups) {
  const char* kGlobal = "testing.module_test.global_plus_ten";
  const char* kShadowed = "testing.module_test.shadowed";
  Function::SetGlobal(kGlobal, Function::FromTyped([](int64_t x) { return x + 10; }), true);
  Function::SetGlobal(kShadowed, Function::FromTyped([](int64_t x) { return -x; }), true);

  Module mod = Module::LoadFromFile(FixturePath("add_one_lib"));
  // The token is the ModuleObj* of the library module: 8 bytes before the object header.
  void* token = mod->GetFunction("library_ctx").value()().cast<void*>();
  ASSERT_NE(token, nullptr);
  EXPECT_EQ(token, static_cast<void*>(mod.get()));
  EXPECT_EQ(static_cast<char*>(token) + 8,
            reinterpret_cast<char*>(details::ObjectUnsafe::TVMFFIObjectPtrFromObjectRef(mod)));

  mod->ImportModule(MakeTestModule(
      "I", {{"imported_times_three", Function::FromTyped([](int64_t x) { return x * 3; })},
            {kShadowed, Function::FromTyped([](int64_t x) { return x * 100; })}}));

  Function call = mod->GetFunction("call_from_imports").value();
  // Hit in the imports, hit in the global registry, imports before globals.
  EXPECT_EQ(call("imported_times_three", 4).cast<int64_t>(), 12);
  EXPECT_EQ(call(kGlobal, 5).cast<int64_t>(), 15);
  EXPECT_EQ(call(kShadowed, 2).cast<int64_t>(), 200);
  // Cached: the same borrowed handle every time, equal to the global function object.
  Function lookup = mod->GetFunction("lookup_handle").value();
  void* first = lookup(kGlobal).cast<void*>();
  EXPECT_EQ(first, lookup(kGlobal).cast<void*>());
  EXPECT_EQ(first, details::ObjectUnsafe::TVMFFIObjectPtrFromObjectRef(
                       Function::GetGlobalRequired(kGlobal)));
  // Miss.
  EXPECT_EQ(
      ExpectErrorKind([&] { call("testing.module_test.no_such_function", 1); }, "RuntimeError"),
      "Cannot find function testing.module_test.no_such_function in the imported modules "
      "or global registry.");

  Function::RemoveGlobal(kGlobal);
  Function::RemoveGlobal(kShadowed);
}

TEST(ModuleLibrary, ContextSymbolsAndVisit) {
  static int target = 0;
  ASSERT_EQ(TVMFFIEnvModRegisterContextSymbol("fixture_add_one_context_slot", &target), 0);

  bool seen = false;
  std::vector<std::string> names;
  Module::VisitContextSymbols([&](String name, void* ptr) {
    names.push_back(std::string(name));
    if (std::string(name) == "fixture_add_one_context_slot" && ptr == &target) seen = true;
  });
  EXPECT_TRUE(seen);

  Module mod = Module::LoadFromFile(FixturePath("add_one_lib"));
  EXPECT_EQ(mod->GetFunction("context_slot").value()().cast<void*>(), static_cast<void*>(&target));
}

TEST(ModuleLibrary, MissingFileGivesClearError) {
  const std::string path = "/nonexistent_tvm_ffi_module_dir/libmissing.so";
  std::string msg = ExpectErrorKind([&] { Module::LoadFromFile(path); }, "InternalError");
  EXPECT_TRUE(StartsWith(msg, "Failed to load dynamic shared library " + path)) << msg;
  EXPECT_GT(msg.size(), std::string("Failed to load dynamic shared library " + path).size());
  // Same through the global.
  msg = ExpectErrorKind([&] { Function::GetGlobalRequired("ffi.ModuleLoadFromFile")(path); },
                        "InternalError");
  EXPECT_TRUE(Contains(msg, path)) << msg;
}

TEST(ModuleLibrary, NonLibraryFileGivesClearError) {
  TempDir dir;
  std::string path = dir.WriteText("not_a_library.so", "this is plain text, not an ELF file\n");
  std::string msg = ExpectErrorKind([&] { Module::LoadFromFile(path); }, "InternalError");
  EXPECT_TRUE(StartsWith(msg, "Failed to load dynamic shared library " + path)) << msg;
  std::string empty = dir.WriteText("empty.so", "");
  msg = ExpectErrorKind([&] { Module::LoadFromFile(empty); }, "InternalError");
  EXPECT_TRUE(Contains(msg, empty)) << msg;
}

// -------------------------------------------------------------------------------------------
// ffi.ModuleLoadFromFile: format detection and dispatch
// -------------------------------------------------------------------------------------------
TEST(ModuleLoadFromFile, FormatDispatchAndErrors) {
  Function load = Function::GetGlobalRequired("ffi.ModuleLoadFromFile");
  EXPECT_EQ(ExpectErrorKind([&] { load("/tmp/no_extension"); }, "RuntimeError"),
            "Failed to get file format from /tmp/no_extension");
  EXPECT_EQ(
      ExpectErrorKind([&] { Module::LoadFromFile("/tmp/dir.with.dots/noext"); }, "RuntimeError"),
      "Failed to get file format from /tmp/dir.with.dots/noext");
  std::string msg = ExpectErrorKind([&] { load("/tmp/lib.unknownfmt"); }, "RuntimeError");
  EXPECT_TRUE(StartsWith(msg, "Loader for `.unknownfmt` files is not registered")) << msg;
  ExpectErrorKind([&] { load(1); }, "TypeError");

  // A loader registered for a new format receives (path, format).
  std::string seen_path, seen_format;
  Function::SetGlobal("ffi.Module.load_from_file.modtestfmt",
                      Function::FromTyped([&](String path, String format) -> Module {
                        seen_path = std::string(path);
                        seen_format = std::string(format);
                        return MakeTestModule("loaded", {});
                      }),
                      true);
  Module custom = Module::LoadFromFile("/some/where/file.modtestfmt");
  EXPECT_STREQ(custom->kind(), "test_module");
  EXPECT_EQ(seen_path, "/some/where/file.modtestfmt");
  EXPECT_EQ(seen_format, "modtestfmt");
  Function::RemoveGlobal("ffi.Module.load_from_file.modtestfmt");

  // dll / dylib / dso are shared libraries too.
  TempDir dir;
  for (const char* ext : {"dso", "dll", "dylib"}) {
    std::string link = dir.Symlink(std::string("linked.") + ext, FixturePath("add_one_lib"));
    Module mod = load(link).cast<Module>();
    EXPECT_STREQ(mod->kind(), "library") << ext;
    EXPECT_EQ(mod->GetFunction("add_one").value()(1).cast<int>(), 2) << ext;
  }
  // The `so` loader itself.
  Module direct =
      Function::GetGlobalRequired("ffi.Module.load_from_file.so")(FixturePath("add_one_lib"), "so")
          .cast<Module>();
  EXPECT_TRUE(direct->ImplementsFunction("add_one"));
}

// -------------------------------------------------------------------------------------------
// Embedded module trees (__tvm_ffi__library_bin)
// -------------------------------------------------------------------------------------------
const char* kBytesLoader = "ffi.Module.load_from_bytes.testbin";

void RegisterTestBinLoader() {
  Function::SetGlobal(kBytesLoader, Function::FromTyped([](Bytes bytes) -> Module {
                        std::string name = bytes;
                        return MakeTestModule(name, {{name + "_fn", Tag(name)}});
                      }),
                      true);
}

TEST(ModuleLibraryBin, EmbeddedImportTree) {
  RegisterTestBinLoader();
  Module root = Module::LoadFromFile(FixturePath("library_bin_lib"));
  // Module 0 ("testbin" root) is returned; it imports the library, which imports the leaf.
  EXPECT_STREQ(root->kind(), "test_module");
  EXPECT_EQ(root->GetFunction("root_fn").value()().cast<String>(), "root");
  ASSERT_EQ(root->imports().size(), 1);
  Module lib = root->imports()[0].cast<Module>();
  EXPECT_STREQ(lib->kind(), "library");
  ASSERT_EQ(lib->imports().size(), 1);
  Module leaf = lib->imports()[0].cast<Module>();
  EXPECT_STREQ(leaf->kind(), "test_module");
  EXPECT_EQ(leaf->imports().size(), 0);

  EXPECT_FALSE(root->GetFunction("lib_answer", false).has_value());
  EXPECT_EQ(root->GetFunction("lib_answer", true).value()().cast<int>(), 42);
  EXPECT_EQ(root->GetFunction("leaf_fn", true).value()().cast<String>(), "leaf");

  // The token belongs to the library module, so lookups see the leaf but not the root.
  Function ctx = lib->GetFunction("library_ctx").value();
  EXPECT_EQ(ctx().cast<void*>(), static_cast<void*>(lib.get()));
  Function call = lib->GetFunction("call_from_imports").value();
  EXPECT_EQ(call("leaf_fn").cast<String>(), "leaf");
  EXPECT_EQ(ExpectErrorKind([&] { call("root_fn"); }, "RuntimeError"),
            "Cannot find function root_fn in the imported modules or global registry.");
  Function::RemoveGlobal(kBytesLoader);
}

TEST(ModuleLibraryBin, MissingBytesLoader) {
  Function::RemoveGlobal(kBytesLoader);
  std::string msg = ExpectErrorKind([&] { Module::LoadFromFile(FixturePath("library_bin_lib")); },
                                    "RuntimeError");
  EXPECT_TRUE(Contains(msg, kBytesLoader)) << msg;
  EXPECT_TRUE(Contains(msg, "testbin")) << msg;
}

TEST(ModuleLibraryBin, MalformedBlob) {
  std::string path = FixturePath("library_bin_bad");
  // Keep our own handle to inspect the token variable after the failed load.
  void* handle = dlopen(path.c_str(), RTLD_LAZY | RTLD_LOCAL);
  ASSERT_NE(handle, nullptr) << dlerror();
  std::string msg = ExpectErrorKind([&] { Module::LoadFromFile(path); }, "RuntimeError");
  EXPECT_TRUE(StartsWith(msg, "Invalid __tvm_ffi__library_bin in " + path)) << msg;
  EXPECT_TRUE(Contains(msg, "import child index 5 out of range")) << msg;
  void** ctx = static_cast<void**>(dlsym(handle, "__tvm_ffi__library_ctx"));
  ASSERT_NE(ctx, nullptr);
  EXPECT_EQ(*ctx, nullptr);
  dlclose(handle);
}

// -------------------------------------------------------------------------------------------
// System library
// -------------------------------------------------------------------------------------------
TEST(ModuleSystemLib, RegisteredSymbolsAndPrefixes) {
  ASSERT_EQ(
      TVMFFIEnvModRegisterSystemLibSymbol("__tvm_ffi_modtest_sys_add_two",
                                          reinterpret_cast<void*>(&__tvm_ffi_modtest_sys_add_two)),
      0);
  ASSERT_EQ(TVMFFIEnvModRegisterSystemLibSymbol(
                "__tvm_ffi_modtestpfx_scale", reinterpret_cast<void*>(&__tvm_ffi_modtestpfx_scale)),
            0);
  static void* ctx_slot = nullptr;
  ASSERT_EQ(TVMFFIEnvModRegisterSystemLibSymbol("modtestctx___tvm_ffi__library_ctx", &ctx_slot), 0);

  Function system_lib = Function::GetGlobalRequired("ffi.SystemLib");
  Module lib = system_lib().cast<Module>();
  EXPECT_TRUE(lib.same_as(system_lib().cast<Module>()));
  EXPECT_TRUE(lib.same_as(system_lib("").cast<Module>()));
  EXPECT_STREQ(lib->kind(), "library");
  EXPECT_EQ(lib->GetPropertyMask(), 3);
  EXPECT_EQ(lib->GetFunction("modtest_sys_add_two").value()(40).cast<int64_t>(), 42);
  EXPECT_FALSE(lib->GetFunction("modtest_not_registered").has_value());
  EXPECT_FALSE(lib->GetFunction("scale").has_value());

  // Symbols registered after the module was created are found too.
  EXPECT_FALSE(lib->GetFunction("modtest_sys_late").has_value());
  ASSERT_EQ(TVMFFIEnvModRegisterSystemLibSymbol(
                "__tvm_ffi_modtest_sys_late", reinterpret_cast<void*>(&__tvm_ffi_modtest_sys_late)),
            0);
  EXPECT_EQ(lib->GetFunction("modtest_sys_late").value()().cast<int64_t>(), 7);

  // Prefix: `__tvm_ffi_<prefix><name>` first, then `__tvm_ffi_<name>`.
  Module prefixed = system_lib("modtestpfx_").cast<Module>();
  EXPECT_FALSE(prefixed.same_as(lib));
  EXPECT_TRUE(prefixed.same_as(system_lib("modtestpfx_").cast<Module>()));
  EXPECT_EQ(prefixed->GetFunction("scale").value()(3).cast<int64_t>(), 30);
  EXPECT_EQ(prefixed->GetFunction("modtest_sys_add_two").value()(1).cast<int64_t>(), 3);

  // Context symbols use `<prefix><symbol>`: the token of this system library lands in ctx_slot.
  Module with_ctx = system_lib("modtestctx_").cast<Module>();
  EXPECT_EQ(ctx_slot, static_cast<void*>(with_ctx.get()));
  TVMFFIObjectHandle out = nullptr;
  EXPECT_EQ(TVMFFIEnvModLookupFromImports(ctx_slot, "ffi.ModuleGetKind", &out), 0);
  EXPECT_NE(out, nullptr);

  ExpectErrorKind([&] { system_lib(1); }, "TypeError");
  ExpectErrorKind([&] { system_lib("a", "b"); }, "TypeError");
}

// -------------------------------------------------------------------------------------------
// Registration of the globals and of the type
// -------------------------------------------------------------------------------------------
TEST(ModuleGlobals, RegisteredWithTypeSchema) {
  const char* names[] = {"ffi.ModuleLoadFromFile",
                         "ffi.Module.load_from_file.so",
                         "ffi.SystemLib",
                         "ffi.ModuleImplementsFunction",
                         "ffi.ModuleGetFunction",
                         "ffi.ModuleGetFunctionMetadata",
                         "ffi.ModuleGetFunctionDoc",
                         "ffi.ModuleGetPropertyMask",
                         "ffi.ModuleInspectSource",
                         "ffi.ModuleGetKind",
                         "ffi.ModuleGetWriteFormats",
                         "ffi.ModuleWriteToFile",
                         "ffi.ModuleImportModule",
                         "ffi.ModuleClearImports",
                         "ffi.ModuleGlobalsAdd",
                         "ffi.ModuleGlobalsRemove"};
  Function get_metadata = Function::GetGlobalRequired("ffi.GetGlobalFuncMetadata");
  for (const char* name : names) {
    ASSERT_TRUE(Function::GetGlobal(name).has_value()) << name;
    std::string metadata = get_metadata(name).cast<String>();
    EXPECT_TRUE(StartsWith(metadata, "{\"type_schema\":")) << name << ": " << metadata;
  }
  std::string schema = get_metadata("ffi.ModuleGetFunction").cast<String>();
  EXPECT_TRUE(Contains(schema, "ffi.Module")) << schema;
  EXPECT_TRUE(Contains(schema, "Optional")) << schema;
  EXPECT_TRUE(Contains(get_metadata("ffi.SystemLib").cast<String>(), "ffi.Function"));
}

TEST(ModuleGlobals, ImportsFieldIsReflected) {
  const TVMFFITypeInfo* info = TVMFFIGetTypeInfo(kTVMFFIModule);
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(std::string(info->type_key.data, info->type_key.size), "ffi.Module");
  const TVMFFIFieldInfo* field = nullptr;
  for (int32_t i = 0; i < info->num_fields; ++i) {
    if (std::string(info->fields[i].name.data, info->fields[i].name.size) == "imports_") {
      field = &info->fields[i];
    }
  }
  ASSERT_NE(field, nullptr);
  EXPECT_EQ(field->offset, 24);  // from the header: 32 - 8

  Module mod = MakeTestModule("M", {});
  mod->ImportModule(MakeTestModule("N", {}));
  char* header = reinterpret_cast<char*>(details::ObjectUnsafe::TVMFFIObjectPtrFromObjectRef(mod));
  TVMFFIAny result;
  std::memset(&result, 0, sizeof(result));
  ASSERT_EQ(field->getter(header + field->offset, &result), 0);
  Any value = details::AnyUnsafe::MoveTVMFFIAnyToAny(std::move(result));
  Array<Any> imports = value.cast<Array<Any>>();
  ASSERT_EQ(imports.size(), 1);
  EXPECT_TRUE(imports[0].cast<Module>().same_as(mod->imports()[0].cast<Module>()));
}

}  // namespace

namespace {

// A library stays loaded after its module dies, so an error object created inside the library
// (its deleter and backtrace updater live in the library's code) can outlive the module.
TEST(Module, ErrorCreatedByLibraryOutlivesModule) {
  std::optional<tvm::ffi::Error> kept;
  {
    tvm::ffi::Module mod = tvm::ffi::Module::LoadFromFile(FixturePath("add_one_lib"));
    tvm::ffi::Function raise = mod->GetFunction("raise_value_error").value();
    try {
      raise("kept past the module");
    } catch (const tvm::ffi::Error& err) {
      kept = err;
    }
  }
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->kind(), "ValueError");
  EXPECT_EQ(kept->message(), "kept past the module");
  const char* extra_text = "  File \"x.cc\", line 1, in f\n";
  TVMFFIByteArray extra{extra_text, std::strlen(extra_text)};
  kept->UpdateBacktrace(&extra, kTVMFFIBacktraceUpdateModeAppend);
  EXPECT_NE(kept->backtrace().find("x.cc"), std::string::npos);
  kept.reset();  // runs the library's deleter
}

}  // namespace

namespace {

// Code of a library (a closure's call and deleter) stays valid after its module dies.
TEST(Module, FunctionCreatedByLibraryOutlivesModule) {
  tvm::ffi::Function adder(nullptr);
  {
    tvm::ffi::Module mod = tvm::ffi::Module::LoadFromFile(FixturePath("c_style_closure_lib"));
    adder = mod->GetFunction("make_adder").value()(40).cast<tvm::ffi::Function>();
  }
  EXPECT_EQ(adder(2).cast<int64_t>(), 42);
  adder = tvm::ffi::Function(nullptr);  // runs the library's deleter
}

}  // namespace
