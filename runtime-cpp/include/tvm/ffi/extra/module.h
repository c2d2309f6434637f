/*!
 * \file tvm/ffi/extra/module.h
 * \brief Modules: named collections of functions, typically backed by a shared library.
 *
 * `ModuleObj` is a polymorphic object: its vptr sits in front of the object header, so the
 * object handle (header address) is 8 bytes after the start of the C++ object. The order of
 * its virtual functions is part of the ABI (modules implemented in other binaries are called
 * through their vtables), and so are the offsets of `imports_` and `import_lookup_cache_`.
 * The non-virtual members declared TVM_FFI_EXTRA_CXX_API live in libtvm_ffi.
 */
#ifndef TVM_FFI_EXTRA_MODULE_H_
#define TVM_FFI_EXTRA_MODULE_H_

#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/extra/base.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/optional.h>
#include <tvm/ffi/string.h>

#include <mutex>
#include <optional>
#include <utility>

namespace tvm {
namespace ffi {

class Module;

/*!
 * \brief Base class of every module implementation.
 *
 * Every subclass shares the type index kTVMFFIModule (the class is "final" for the type
 * system, not for C++). A subclass implements at least `kind()` and `GetFunction(name)`.
 */
class TVM_FFI_EXTRA_CXX_API ModuleObj : public Object {
 public:
  // ---- virtual interface; the declaration order below is the vtable layout (ABI) ----
  /*! \return a short string naming the kind of module (e.g. "library"). */
  virtual const char* kind() const = 0;
  /*! \return a combination of Module::ModulePropertyMask bits. */
  virtual int GetPropertyMask() const { return 0b000; }
  /*! \return the function called `name` defined by this module itself, or nothing. */
  virtual Optional<Function> GetFunction(const String& name) = 0;
  /*! \return whether this module itself defines `name`. */
  virtual bool ImplementsFunction(const String& name) { return GetFunction(name).has_value(); }
  /*! \return the documentation of function `name`, if the module has any. */
  virtual Optional<String> GetFunctionDoc(const String& /*name*/) { return std::nullopt; }
  /*! \return the metadata (JSON text) of function `name`, if the module has any. */
  virtual Optional<String> GetFunctionMetadata(const String& /*name*/) { return std::nullopt; }
  /*! \brief Write the module to `file_name` in `format`; unsupported by default. */
  virtual void WriteToFile(const String& /*file_name*/, const String& /*format*/) const {
    TVM_FFI_THROW(RuntimeError) << "Module[" << kind() << "] does not support WriteToFile";
  }
  /*! \return the formats accepted by WriteToFile. */
  virtual Array<String> GetWriteFormats() const { return Array<String>(); }
  /*! \return the module serialised to bytes; unsupported by default. */
  virtual Bytes SaveToBytes() const {
    TVM_FFI_THROW(RuntimeError) << "Module[" << kind() << "] does not support SaveToBytes";
    TVM_FFI_UNREACHABLE();
  }
  /*! \return source text of the module in `format` (empty when there is none). */
  virtual String InspectSource(const String& /*format*/) const { return String(); }
  /*!
   * \brief Append `other` to the imports. Throws RuntimeError when this module is reachable
   * from `other` (the import would create a cycle).
   */
  virtual void ImportModule(const Module& other);
  /*! \brief Drop every import. */
  virtual void ClearImports();

  // ---- lookups that can also search the imports (implemented in libtvm_ffi) ----
  /*!
   * \brief Look `name` up in this module, then (when query_imports) in each import in
   * order, depth first.
   */
  Optional<Function> GetFunction(const String& name, bool query_imports);
  /*! \brief Whether this module (or, when query_imports, any import) defines `name`. */
  bool ImplementsFunction(const String& name, bool query_imports);
  /*! \brief First documentation found for `name`, same search order as GetFunction. */
  Optional<String> GetFunctionDoc(const String& name, bool query_imports);
  /*! \brief First metadata found for `name`, same search order as GetFunction. */
  Optional<String> GetFunctionMetadata(const String& name, bool query_imports);
  /*! \return the imported modules (each element holds a Module). */
  const Array<Any>& imports() const { return imports_; }

  /*! \brief Privileged helpers of the runtime (not a public API). */
  struct InternalUnsafe;

  static constexpr int32_t _type_index = kTVMFFIModule;
  static constexpr bool _type_mutable = true;
  static constexpr bool _type_final = true;
  TVM_FFI_DECLARE_OBJECT_INFO_STATIC(StaticTypeKey::kTVMFFIModule, ModuleObj, Object);

 protected:
  friend struct InternalUnsafe;
  /*! \brief Imported modules, searched after this module's own functions. */
  Array<Any> imports_;
  /*! \brief Functions found for TVMFFIEnvModLookupFromImports, keyed by name. */
  Map<String, Function> import_lookup_cache_;
};

/*! \brief Reference to a module (never null). */
class Module : public ObjectRef {
 public:
  /*! \brief Property bits reported by ModuleObj::GetPropertyMask. */
  enum ModulePropertyMask : int {
    /*! \brief The module can be serialised with SaveToBytes. */
    kBinarySerializable = 0b001,
    /*! \brief The module's functions can be called in this process. */
    kRunnable = 0b010,
    /*! \brief The module can be exported (WriteToFile) and compiled into a library. */
    kCompilationExportable = 0b100,
  };

  explicit Module(const ObjectPtr<ModuleObj>& ptr) : ObjectRef(ptr) {
    TVM_FFI_ICHECK(ptr != nullptr);
  }

  /*!
   * \brief Load a module from a file. The loader is chosen by the file extension
   * (global function `ffi.Module.load_from_file.<ext>`; so/dll/dylib/dso all use `so`).
   */
  TVM_FFI_EXTRA_CXX_API static Module LoadFromFile(const String& file_name);
  /*!
   * \brief Call `callback(name, pointer)` for every symbol registered with
   * TVMFFIEnvModRegisterContextSymbol, in registration order.
   */
  TVM_FFI_EXTRA_CXX_API static void VisitContextSymbols(
      const ffi::TypedFunction<void(String, void*)>& callback);

  TVM_FFI_DEFINE_OBJECT_REF_METHODS_NOTNULLABLE(Module, ObjectRef, ModuleObj);
};

/*! \brief Runtime-only access to a module's internals. */
struct ModuleObj::InternalUnsafe {
  static Array<Any>* GetImports(ModuleObj* self) { return &(self->imports_); }
  static Map<String, Function>* GetImportLookupCache(ModuleObj* self) {
    return &(self->import_lookup_cache_);
  }

  /*!
   * \brief Resolve `name` for code inside a module library: the imports (recursively, in
   * order), then the global registry. Hits are cached in the module.
   * \return a BORROWED function handle owned by the module's cache.
   */
  static TVMFFIObjectHandle GetFunctionFromImports(ModuleObj* self, const char* name) {
    // One lock for every module: it only guards the cache and the snapshot of the imports.
    static std::mutex mutex_;
    String key(name);
    Array<Any> imports{UnsafeInit{}};
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (std::optional<Function> hit = self->import_lookup_cache_.Get(key)) {
        return details::ObjectUnsafe::TVMFFIObjectPtrFromObjectRef(*hit);
      }
      imports = self->imports_;
    }
    // Search without holding the lock: imported modules may call back into this function.
    Optional<Function> found;
    if (imports.defined()) {
      for (Any item : imports) {
        found = item.cast<Module>()->GetFunction(key, true);
        if (found.has_value()) break;
      }
    }
    if (!found.has_value()) {
      if (std::optional<Function> global = Function::GetGlobal(key)) found = *std::move(global);
    }
    if (!found.has_value()) {
      TVM_FFI_THROW(RuntimeError) << "Cannot find function " << name
                                  << " in the imported modules or global registry.";
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (std::optional<Function> hit = self->import_lookup_cache_.Get(key)) {
      return details::ObjectUnsafe::TVMFFIObjectPtrFromObjectRef(*hit);
    }
    Function func = *std::move(found);
    self->import_lookup_cache_.Set(key, func);
    // The cache keeps the function alive after `func` goes out of scope.
    return details::ObjectUnsafe::TVMFFIObjectPtrFromObjectRef(func);
  }
};

/*! \brief Names of the symbols a module library may define. */
namespace symbol {
/*! \brief Prefix of every function exported by a module library. */
constexpr const char* tvm_ffi_symbol_prefix = "__tvm_ffi_";
/*! \brief Conventional entry function of a module. */
constexpr const char* tvm_ffi_main = "__tvm_ffi_main";
/*! \brief `void*` variable that receives the module token used by TVMFFIEnvModLookupFromImports. */
constexpr const char* tvm_ffi_library_ctx = "__tvm_ffi__library_ctx";
/*! \brief Blob describing the modules embedded in (and imported by) a library. */
constexpr const char* tvm_ffi_library_bin = "__tvm_ffi__library_bin";
/*! \brief Reserved prefix of per-function metadata symbols. */
constexpr const char* tvm_ffi_metadata_prefix = "__tvm_ffi__metadata_";
/*! \brief Reserved prefix of per-function documentation symbols. */
constexpr const char* tvm_ffi_doc_prefix = "__tvm_ffi__doc_";
}  // namespace symbol

}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_EXTRA_MODULE_H_
