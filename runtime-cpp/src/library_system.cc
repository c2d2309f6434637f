/*!
 * \file library_system.cc
 * \brief The system library: a library module over the symbols registered with
 *        TVMFFIEnvModRegisterSystemLibSymbol (statically linked modules), and the global
 *        `ffi.SystemLib([prefix])`.
 *
 * Lookup rules for a module created with symbol prefix P:
 *   function `name`           -> `__tvm_ffi_<P><name>`, falling back to `__tvm_ffi_<name>`;
 *   any other symbol `sym`    -> `<P><sym>`, falling back to `<sym>`.
 */
#include <tvm/ffi/any.h>
#include <tvm/ffi/extra/module.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/reflection/registry.h>
#include <tvm/ffi/string.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "env_internal.h"
#include "module_internal.h"
#include "runtime_base.h"

namespace tvm {
namespace ffi {
namespace runtime {
namespace {

/*! \brief Symbols of the process-wide system-library table, seen through a prefix. */
class SystemLibrary final : public Library {
 public:
  explicit SystemLibrary(std::string prefix) : prefix_(std::move(prefix)) {}

  void* GetSymbol(const std::string& name) final {
    if (!prefix_.empty()) {
      if (void* found = LookupEnvSystemLibSymbol(prefix_ + name)) return found;
    }
    return LookupEnvSystemLibSymbol(name);
  }

  void* GetFunctionSymbol(const std::string& name) final {
    const std::string base = symbol::tvm_ffi_symbol_prefix;
    if (!prefix_.empty()) {
      if (void* found = LookupEnvSystemLibSymbol(base + prefix_ + name)) return found;
    }
    return LookupEnvSystemLibSymbol(base + name);
  }

  std::string Describe() const final { return "system library (prefix \"" + prefix_ + "\")"; }

 private:
  std::string prefix_;
};

/*! \brief One module per prefix, created on first request and kept for the process. */
class SystemLibCache {
 public:
  static SystemLibCache* Global() {
    // Leaked: modules may be used by static destructors of other libraries.
    static SystemLibCache* cache = new SystemLibCache();
    return cache;
  }

  Module Get(const std::string& prefix) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = modules_.find(prefix);
    if (it != modules_.end()) return it->second;
    Module mod = CreateLibraryModule(std::make_shared<SystemLibrary>(prefix));
    modules_.emplace(prefix, mod);
    return mod;
  }

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, Module> modules_;
};

}  // namespace

TVM_FFI_STATIC_INIT_BLOCK() {
  reflection::GlobalDef().def_packed("ffi.SystemLib", [](PackedArgs args, Any* rv) {
    if (args.size() > 1) {
      TVM_FFI_THROW(TypeError) << "ffi.SystemLib expects at most 1 argument (the symbol prefix), "
                               << "but got " << args.size();
    }
    std::string prefix;
    if (args.size() == 1) {
      std::optional<String> opt = args[0].try_cast<String>();
      if (!opt.has_value()) {
        TVM_FFI_THROW(TypeError) << "ffi.SystemLib expects the symbol prefix to be a str, but got "
                                 << args[0].GetTypeKey();
      }
      prefix = std::string(opt->data(), opt->size());
    }
    *rv = SystemLibCache::Global()->Get(prefix);
  });
}

}  // namespace runtime
}  // namespace ffi
}  // namespace tvm
