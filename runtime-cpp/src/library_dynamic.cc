/*!
 * \file library_dynamic.cc
 * \brief Shared libraries opened at run time as modules, and the loader global
 *        `ffi.Module.load_from_file.so`.
 */
#include <tvm/ffi/extra/module.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/reflection/registry.h>
#include <tvm/ffi/string.h>

#include <memory>
#include <string>
#include <utility>

#if defined(_WIN32)
#include <windows.h>
#else
#include <dlfcn.h>
#endif

#include "module_internal.h"
#include "runtime_base.h"

namespace tvm {
namespace ffi {
namespace runtime {
namespace {

/*! \brief A shared library opened with dlopen(RTLD_LAZY | RTLD_LOCAL) (LoadLibrary on Windows). */
class DynamicLibrary final : public Library {
 public:
  explicit DynamicLibrary(std::string path) : path_(std::move(path)) {
    if (path_.empty()) {
      TVM_FFI_THROW(InternalError) << "Failed to load dynamic shared library " << path_
                                   << " (empty path)";
    }
#if defined(_WIN32)
    handle_ = ::LoadLibraryA(path_.c_str());
    if (handle_ == nullptr) {
      TVM_FFI_THROW(InternalError) << "Failed to load dynamic shared library " << path_
                                   << " (error code " << ::GetLastError() << ")";
    }
#else
    handle_ = ::dlopen(path_.c_str(), RTLD_LAZY | RTLD_LOCAL);
    if (handle_ == nullptr) {
      const char* reason = ::dlerror();
      TVM_FFI_THROW(InternalError) << "Failed to load dynamic shared library " << path_ << " "
                                   << (reason != nullptr ? reason : "(no dlerror message)");
    }
#endif
  }

  // The library is deliberately never unloaded: objects, errors and functions it created carry
  // deleters and code that live in it, and they may outlive the module (an error kept by the
  // caller, an object stored in a container). Unloading would turn those into crashes.
  ~DynamicLibrary() override = default;

  DynamicLibrary(const DynamicLibrary&) = delete;
  DynamicLibrary& operator=(const DynamicLibrary&) = delete;

  void* GetSymbol(const std::string& name) final {
#if defined(_WIN32)
    return reinterpret_cast<void*>(::GetProcAddress(handle_, name.c_str()));
#else
    return ::dlsym(handle_, name.c_str());
#endif
  }

  void* GetFunctionSymbol(const std::string& name) final {
    return GetSymbol(symbol::tvm_ffi_symbol_prefix + name);
  }

  std::string Describe() const final { return path_; }

 private:
  std::string path_;
#if defined(_WIN32)
  HMODULE handle_{nullptr};
#else
  void* handle_{nullptr};
#endif
};

}  // namespace

TVM_FFI_STATIC_INIT_BLOCK() {
  reflection::GlobalDef().def("ffi.Module.load_from_file.so",
                              [](String path, String format) -> Module {
                                (void)format;
                                std::string path_str(path.data(), path.size());
                                return CreateLibraryModule(
                                    std::make_shared<DynamicLibrary>(std::move(path_str)));
                              });
}

}  // namespace runtime
}  // namespace ffi
}  // namespace tvm
