/*!
 * \file test_module_metadata.cc
 * \brief Per-function metadata/doc symbols of library modules (shared and system libraries)
 *        and the ffi.ModuleGlobalsAdd / ffi.ModuleGlobalsRemove keep-alive registry.
 */
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/extra/c_env_api.h>
#include <tvm/ffi/extra/module.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/string.h>

#include <cstring>
#include <string>

#include "test_utils.h"

namespace {

using namespace tvm::ffi;      // NOLINT(*)
using namespace tvm_ffi_test;  // NOLINT(*)

std::string FixturePath(const std::string& stem) {
  return std::string(TVM_FFI_TEST_FIXTURE_DIR) + "/fixture_" + stem + ".so";
}

int SysDocText(void*, const TVMFFIAny*, int32_t, TVMFFIAny* result) {
  const char* text = "system doc";
  TVMFFIByteArray bytes{text, std::strlen(text)};
  return TVMFFIStringFromByteArray(&bytes, result);
}

int SysMetaNotText(void*, const TVMFFIAny*, int32_t, TVMFFIAny* result) {
  result->type_index = kTVMFFIInt;
  result->zero_padding = 0;
  result->v_int64 = 5;
  return 0;
}

TEST(ModuleMetadata, LibraryDocAndMetadataSymbols) {
  Module mod = Module::LoadFromFile(FixturePath("metadata_lib"));
  EXPECT_EQ(mod->GetFunction("documented").value()(40).cast<int>(), 42);

  Optional<String> doc = mod->GetFunctionDoc("documented");
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(std::string(*doc), "Adds two to x.");
  Optional<String> meta = mod->GetFunctionMetadata("documented");
  ASSERT_TRUE(meta.has_value());
  EXPECT_EQ(std::string(*meta).rfind("{\"type_schema\": ", 0), 0u) << std::string(*meta);

  // A function without the optional symbols, and a missing function, have neither.
  EXPECT_FALSE(mod->GetFunctionDoc("bare").has_value());
  EXPECT_FALSE(mod->GetFunctionMetadata("bare").has_value());
  EXPECT_FALSE(mod->GetFunctionDoc("missing").has_value());

  // The text symbols are never functions themselves.
  EXPECT_FALSE(mod->GetFunction("_doc_documented").has_value());
  EXPECT_FALSE(mod->GetFunction("_metadata_documented").has_value());
  EXPECT_FALSE(mod->ImplementsFunction("_doc_documented"));

  // Through the globals and through imports.
  Function get_doc = Function::GetGlobalRequired("ffi.ModuleGetFunctionDoc");
  EXPECT_EQ(get_doc(mod, "documented", false).cast<String>(), "Adds two to x.");
  EXPECT_EQ(get_doc(mod, "bare", false).type_index(), kTVMFFINone);
  Module outer = Module::LoadFromFile(FixturePath("add_one_lib"));
  outer->ImportModule(mod);
  EXPECT_FALSE(outer->GetFunctionDoc("documented", false).has_value());
  EXPECT_EQ(std::string(outer->GetFunctionDoc("documented", true).value()), "Adds two to x.");
  EXPECT_TRUE(outer->GetFunctionMetadata("documented", true).has_value());
}

TEST(ModuleMetadata, TextOutlivesTheModule) {
  String doc;
  {
    Module mod = Module::LoadFromFile(FixturePath("metadata_lib"));
    doc = mod->GetFunctionDoc("documented").value();
  }
  EXPECT_EQ(std::string(doc), "Adds two to x.");
}

TEST(ModuleMetadata, SystemLibraryUsesPlainSymbolLookup) {
  ASSERT_EQ(TVMFFIEnvModRegisterSystemLibSymbol("__tvm_ffi__doc_metatest_fn",
                                                reinterpret_cast<void*>(&SysDocText)),
            0);
  ASSERT_EQ(TVMFFIEnvModRegisterSystemLibSymbol("metatestpfx___tvm_ffi__metadata_fn",
                                                reinterpret_cast<void*>(&SysMetaNotText)),
            0);
  Function system_lib = Function::GetGlobalRequired("ffi.SystemLib");
  Module lib = system_lib().cast<Module>();
  EXPECT_EQ(std::string(lib->GetFunctionDoc("metatest_fn").value()), "system doc");
  EXPECT_FALSE(lib->GetFunctionMetadata("metatest_fn").has_value());

  // With a prefix: `<prefix>__tvm_ffi__metadata_<name>` first, then the unprefixed symbol.
  Module prefixed = system_lib("metatestpfx_").cast<Module>();
  EXPECT_EQ(std::string(prefixed->GetFunctionDoc("metatest_fn").value()), "system doc");
  // A text symbol that returns something else than a string is a TypeError, not a crash.
  ExpectErrorKind([&] { prefixed->GetFunctionMetadata("fn"); }, "TypeError");
}

TEST(ModuleMetadata, GlobalsKeepModulesAlive) {
  Function add = Function::GetGlobalRequired("ffi.ModuleGlobalsAdd");
  Function remove = Function::GetGlobalRequired("ffi.ModuleGlobalsRemove");
  Module mod = Module::LoadFromFile(FixturePath("metadata_lib"));
  int base = mod.use_count();
  add(mod);
  EXPECT_EQ(mod.use_count(), base + 1);
  add(mod);
  EXPECT_EQ(mod.use_count(), base + 2);
  remove(mod);
  EXPECT_EQ(mod.use_count(), base + 1);
  remove(mod);
  EXPECT_EQ(mod.use_count(), base);
  remove(mod);  // not registered: no-op
  EXPECT_EQ(mod.use_count(), base);

  // A registered module outlives every reference of the caller: a function fetched from
  // it keeps working, and the registry holds the only other reference.
  Function fn;
  {
    Module kept = Module::LoadFromFile(FixturePath("metadata_lib"));
    add(kept);
    fn = kept->GetFunction("documented").value();
  }
  EXPECT_EQ(fn(1).cast<int>(), 3);

  ExpectErrorKind([&] { add(1); }, "TypeError");
  ExpectErrorKind([&] { remove("x"); }, "TypeError");
}

}  // namespace
