/*!
 * \file module.cc
 * \brief The exported parts of ModuleObj / Module and the `ffi.Module*` global functions.
 *
 * Exported C++ functions implemented here: ModuleObj::GetFunction / ImplementsFunction /
 * GetFunctionDoc / GetFunctionMetadata (the query_imports overloads), ModuleObj::ImportModule,
 * ModuleObj::ClearImports (their definition here also anchors ModuleObj's vtable and
 * typeinfo in libtvm_ffi), Module::LoadFromFile and Module::VisitContextSymbols.
 *
 * Global functions registered here: ffi.ModuleLoadFromFile, ffi.ModuleImplementsFunction,
 * ffi.ModuleGetFunction, ffi.ModuleGetFunctionMetadata, ffi.ModuleGetFunctionDoc,
 * ffi.ModuleGetPropertyMask, ffi.ModuleInspectSource, ffi.ModuleGetKind,
 * ffi.ModuleGetWriteFormats, ffi.ModuleWriteToFile, ffi.ModuleImportModule,
 * ffi.ModuleClearImports, ffi.ModuleGlobalsAdd, ffi.ModuleGlobalsRemove (a process-lifetime
 * keep-alive registry of modules).
 */
#include <tvm/ffi/any.h>
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/extra/module.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/reflection/registry.h>
#include <tvm/ffi/string.h>

#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "env_internal.h"
#include "module_internal.h"
#include "runtime_base.h"

namespace tvm {
namespace ffi {

// -------------------------------------------------------------------------------------------
// ModuleObj
// -------------------------------------------------------------------------------------------
namespace {

/*! \brief The module held by one element of an imports array (TypeError if it is not one). */
Module ImportAt(const Any& item) { return item.cast<Module>(); }

/*!
 * \brief The shared logic of the `query_imports` overloads: `own()` answers for the module
 *        itself; when it gives nothing and `query_imports` is set, `from_import(module)` asks
 *        each import in order (recursively, through the same overload) and the first answer
 *        wins. Returns R() (nullopt / false) when nobody answers. The imports are iterated
 *        over a snapshot so that a callee that changes them cannot break the loop.
 */
template <typename R, typename Own, typename FromImport>
R AskSelfThenImports(const Array<Any>& imports, bool query_imports, Own own,
                     FromImport from_import) {
  if (R found = own()) return found;
  if (query_imports) {
    Array<Any> snapshot = imports;
    for (Any item : snapshot) {
      if (R found = from_import(ImportAt(item))) return found;
    }
  }
  return R();
}

}  // namespace

Optional<Function> ModuleObj::GetFunction(const String& name, bool query_imports) {
  return AskSelfThenImports<Optional<Function>>(
      imports_, query_imports, [&]() { return this->GetFunction(name); },
      [&](const Module& import) { return import->GetFunction(name, true); });
}

bool ModuleObj::ImplementsFunction(const String& name, bool query_imports) {
  return AskSelfThenImports<bool>(
      imports_, query_imports, [&]() { return this->ImplementsFunction(name); },
      [&](const Module& import) { return import->ImplementsFunction(name, true); });
}

Optional<String> ModuleObj::GetFunctionDoc(const String& name, bool query_imports) {
  return AskSelfThenImports<Optional<String>>(
      imports_, query_imports, [&]() { return this->GetFunctionDoc(name); },
      [&](const Module& import) { return import->GetFunctionDoc(name, true); });
}

Optional<String> ModuleObj::GetFunctionMetadata(const String& name, bool query_imports) {
  return AskSelfThenImports<Optional<String>>(
      imports_, query_imports, [&]() { return this->GetFunctionMetadata(name); },
      [&](const Module& import) { return import->GetFunctionMetadata(name, true); });
}

void ModuleObj::ImportModule(const Module& other) {
  if (!other.defined()) {
    TVM_FFI_THROW(ValueError) << "ImportModule: cannot import a null module";
  }
  // The import is a cycle exactly when this module is reachable from `other` (other itself
  // included). Walk other's import graph once.
  std::unordered_set<const ModuleObj*> visited;
  std::vector<Module> pending{other};
  while (!pending.empty()) {
    Module current = std::move(pending.back());
    pending.pop_back();
    const ModuleObj* node = current.get();
    if (node == this) {
      TVM_FFI_THROW(RuntimeError) << "Cyclic dependency detected during import";
    }
    if (!visited.insert(node).second) continue;
    for (Any item : node->imports()) pending.push_back(ImportAt(item));
  }
  imports_.push_back(other);
}

void ModuleObj::ClearImports() {
  // The lookup cache is kept on purpose: TVMFFIEnvModLookupFromImports hands out borrowed
  // handles owned by it, which must stay valid while this module lives.
  imports_.clear();
}

// -------------------------------------------------------------------------------------------
// Module statics
// -------------------------------------------------------------------------------------------
Module Module::LoadFromFile(const String& file_name) {
  return runtime::LoadModuleFromFile(file_name);
}

void Module::VisitContextSymbols(const ffi::TypedFunction<void(String, void*)>& callback) {
  for (const std::pair<std::string, void*>& entry : runtime::GetEnvContextSymbols()) {
    callback(String(entry.first), entry.second);
  }
}

namespace runtime {

Module LoadModuleFromFile(const String& path) {
  std::string path_str(path.data(), path.size());
  // The format is the extension of the file name (a dot inside a directory name does not count).
  size_t name_begin = path_str.find_last_of("/\\");
  name_begin = (name_begin == std::string::npos) ? 0 : name_begin + 1;
  size_t dot = path_str.find_last_of('.');
  if (dot == std::string::npos || dot < name_begin || dot + 1 == path_str.size()) {
    TVM_FFI_THROW(RuntimeError) << "Failed to get file format from " << path_str;
  }
  std::string format = path_str.substr(dot + 1);
  if (format == "dll" || format == "dylib" || format == "dso") format = "so";
  std::string loader_name = "ffi.Module.load_from_file." + format;
  std::optional<Function> loader = Function::GetGlobal(loader_name);
  if (!loader.has_value()) {
    TVM_FFI_THROW(RuntimeError) << "Loader for `." << format
                                << "` files is not registered, resolved to (" << loader_name << ")";
  }
  return (*loader)(path, String(format)).cast<Module>();
}

namespace {

/*!
 * \brief The process-lifetime keep-alive registry behind ffi.ModuleGlobalsAdd/Remove. It is
 *        deliberately leaked: the modules it holds (and therefore their libraries) stay
 *        loaded through static destruction, so functions and deleters they registered stay
 *        valid until the process ends.
 */
class ModuleGlobals {
 public:
  static ModuleGlobals* Global() {
    static ModuleGlobals* inst = new ModuleGlobals();
    return inst;
  }

  void Add(Module mod) {
    std::lock_guard<std::mutex> lock(mutex_);
    modules_.push_back(std::move(mod));
  }

  /*! \brief Drops one registration of `mod` (identity); no-op when it is not registered. */
  void Remove(const Module& mod) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = modules_.begin(); it != modules_.end(); ++it) {
      if (it->same_as(mod)) {
        modules_.erase(it);
        return;
      }
    }
  }

 private:
  std::mutex mutex_;
  std::vector<Module> modules_;
};

/*! \brief Names ModuleObj's protected fields for reflection (pointers to members of ModuleObj). */
struct ModuleObjFields : public ModuleObj {
  static Array<Any> ModuleObj::* Imports() { return &ModuleObjFields::imports_; }
};

}  // namespace

TVM_FFI_STATIC_INIT_BLOCK() {
  namespace refl = ::tvm::ffi::reflection;
  refl::ObjectDef<ModuleObj>().def_ro("imports_", ModuleObjFields::Imports());
  refl::GlobalDef()
      .def("ffi.ModuleLoadFromFile", [](String path) -> Module { return LoadModuleFromFile(path); })
      .def("ffi.ModuleImplementsFunction",
           [](Module mod, String name, bool query_imports) -> bool {
             return mod->ImplementsFunction(name, query_imports);
           })
      .def("ffi.ModuleGetFunction",
           [](Module mod, String name, bool query_imports) -> Optional<Function> {
             return mod->GetFunction(name, query_imports);
           })
      .def("ffi.ModuleGetFunctionMetadata",
           [](Module mod, String name, bool query_imports) -> Optional<String> {
             return mod->GetFunctionMetadata(name, query_imports);
           })
      .def("ffi.ModuleGetFunctionDoc",
           [](Module mod, String name, bool query_imports) -> Optional<String> {
             return mod->GetFunctionDoc(name, query_imports);
           })
      .def("ffi.ModuleGetPropertyMask", [](Module mod) -> int { return mod->GetPropertyMask(); })
      .def("ffi.ModuleInspectSource",
           [](Module mod, String format) -> String { return mod->InspectSource(format); })
      .def("ffi.ModuleGetKind", [](Module mod) -> String { return String(mod->kind()); })
      .def("ffi.ModuleGetWriteFormats",
           [](Module mod) -> Array<String> { return mod->GetWriteFormats(); })
      .def("ffi.ModuleWriteToFile",
           [](Module mod, String file_name, String format) -> void {
             mod->WriteToFile(file_name, format);
           })
      .def("ffi.ModuleImportModule",
           [](Module mod, Module other) -> void { mod->ImportModule(other); })
      .def("ffi.ModuleClearImports", [](Module mod) -> void { mod->ClearImports(); })
      .def("ffi.ModuleGlobalsAdd", [](Module mod) -> void { ModuleGlobals::Global()->Add(mod); })
      .def("ffi.ModuleGlobalsRemove",
           [](Module mod) -> void { ModuleGlobals::Global()->Remove(mod); });
}

}  // namespace runtime
}  // namespace ffi
}  // namespace tvm
