/*!
 * \file library_module.cc
 * \brief The "library" module: functions exported by a Library as `__tvm_ffi_<name>`
 *        safe-call symbols, plus the set-up done when a library becomes a module
 *        (context symbols, `__tvm_ffi__library_bin` import tree, `__tvm_ffi__library_ctx`).
 */
#include <tvm/ffi/any.h>
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/cast.h>
#include <tvm/ffi/extra/module.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/memory.h>
#include <tvm/ffi/string.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "env_internal.h"
#include "module_internal.h"
#include "runtime_base.h"

namespace tvm {
namespace ffi {
namespace runtime {
namespace {

/*!
 * \brief A function backed by a library symbol. It keeps the module (and therefore the
 *        library) alive and calls the symbol with handle NULL, passing return codes through.
 */
class LibraryFunctionObj : public FunctionObj {
 public:
  LibraryFunctionObj(TVMFFISafeCallType symbol, ObjectPtr<Object> module)
      : symbol_(symbol), module_(std::move(module)) {
    this->safe_call = SafeCall;
  }

 private:
  static int SafeCall(void* handle, const TVMFFIAny* args, int32_t num_args, TVMFFIAny* result) {
    auto* self = static_cast<LibraryFunctionObj*>(reinterpret_cast<Object*>(handle));
    return self->symbol_(nullptr, args, num_args, result);
  }

  TVMFFISafeCallType symbol_;
  ObjectPtr<Object> module_;
};

/*!
 * \brief Names that map onto the reserved `__tvm_ffi__*` data symbols; they never denote
 *        functions (calling a data symbol would crash).
 */
bool IsReservedFunctionName(const std::string& name) {
  static const std::string kCtx =
      std::string(symbol::tvm_ffi_library_ctx)
          .substr(std::char_traits<char>::length(symbol::tvm_ffi_symbol_prefix));
  static const std::string kBin =
      std::string(symbol::tvm_ffi_library_bin)
          .substr(std::char_traits<char>::length(symbol::tvm_ffi_symbol_prefix));
  static const std::string kMeta =
      std::string(symbol::tvm_ffi_metadata_prefix)
          .substr(std::char_traits<char>::length(symbol::tvm_ffi_symbol_prefix));
  static const std::string kDoc =
      std::string(symbol::tvm_ffi_doc_prefix)
          .substr(std::char_traits<char>::length(symbol::tvm_ffi_symbol_prefix));
  return name == kCtx || name == kBin || name.compare(0, kMeta.size(), kMeta) == 0 ||
         name.compare(0, kDoc.size(), kDoc) == 0;
}

/*! \brief Module over a Library: kind "library", binary-serialisable and runnable. */
class LibraryModuleObj final : public ModuleObj {
 public:
  explicit LibraryModuleObj(std::shared_ptr<Library> lib) : lib_(std::move(lib)) {}

  using ModuleObj::GetFunction;
  using ModuleObj::ImplementsFunction;

  const char* kind() const final { return "library"; }

  int GetPropertyMask() const final { return Module::kBinarySerializable | Module::kRunnable; }

  Optional<Function> GetFunction(const String& name) final {
    TVMFFISafeCallType symbol = Lookup(name);
    if (symbol == nullptr) return std::nullopt;
    return Function(make_object<LibraryFunctionObj>(symbol, GetObjectPtr<Object>(this)));
  }

  bool ImplementsFunction(const String& name) final { return Lookup(name) != nullptr; }

  Optional<String> GetFunctionDoc(const String& name) final {
    return CallTextSymbol(symbol::tvm_ffi_doc_prefix, name);
  }

  Optional<String> GetFunctionMetadata(const String& name) final {
    return CallTextSymbol(symbol::tvm_ffi_metadata_prefix, name);
  }

 private:
  /*!
   * \brief Calls the optional zero-argument safe-call symbol `<prefix><name>` (looked up
   *        with the library's plain symbol rules) and returns its String result; nullopt
   *        when the library has no such symbol.
   */
  Optional<String> CallTextSymbol(const char* prefix, const String& name) const {
    std::string symbol_name = std::string(prefix) + std::string(name.data(), name.size());
    auto entry = reinterpret_cast<TVMFFISafeCallType>(lib_->GetTextFunctionSymbol(symbol_name));
    if (entry == nullptr) return std::nullopt;
    Any result;
    TVM_FFI_CHECK_SAFE_CALL(
        entry(nullptr, nullptr, 0, details::AnyUnsafe::TVMFFIAnyPtrFromAny(result)));
    return result.cast<String>();
  }

  TVMFFISafeCallType Lookup(const String& name) const {
    std::string name_str(name.data(), name.size());
    if (IsReservedFunctionName(name_str)) return nullptr;
    return reinterpret_cast<TVMFFISafeCallType>(lib_->GetFunctionSymbol(name_str));
  }

  std::shared_ptr<Library> lib_;
};

/*!
 * \brief Reader of the `__tvm_ffi__library_bin` payload (little endian):
 *        uint64 values, vectors (uint64 count + elements) and strings (uint64 length + bytes).
 */
class LibraryBinReader {
 public:
  LibraryBinReader(const char* data, uint64_t size, std::string where)
      : data_(data), size_(size), where_(std::move(where)) {}

  uint64_t ReadU64(const char* what) {
    Require(8, what);
    uint64_t value = 0;
    for (int i = 7; i >= 0; --i) {
      value = (value << 8) | static_cast<unsigned char>(data_[pos_ + static_cast<uint64_t>(i)]);
    }
    pos_ += 8;
    return value;
  }

  std::vector<uint64_t> ReadU64Vector(const char* what) {
    uint64_t count = ReadU64(what);
    if (count > (size_ - pos_) / 8) Fail(std::string(what) + " has more elements than bytes left");
    std::vector<uint64_t> values;
    values.reserve(static_cast<size_t>(count));
    for (uint64_t i = 0; i < count; ++i) values.push_back(ReadU64(what));
    return values;
  }

  std::string ReadString(const char* what) {
    uint64_t length = ReadU64(what);
    Require(length, what);
    std::string value(data_ + pos_, static_cast<size_t>(length));
    pos_ += length;
    return value;
  }

  [[noreturn]] void Fail(const std::string& detail) const {
    TVM_FFI_THROW(RuntimeError) << "Invalid " << symbol::tvm_ffi_library_bin << " in " << where_
                                << ": " << detail;
    TVM_FFI_UNREACHABLE();
  }

 private:
  void Require(uint64_t nbytes, const char* what) const {
    if (nbytes > size_ - pos_) {
      Fail(std::string("truncated while reading ") + what);
    }
  }

  const char* data_;
  uint64_t size_;
  uint64_t pos_{0};
  std::string where_;
};

/*! \brief Build the module tree described by a library blob; returns its root (module 0). */
Module ProcessLibraryBin(const char* blob, uint64_t blob_size,
                         const ObjectPtr<ModuleObj>& lib_module, const std::string& where) {
  uint64_t payload_size = 0;
  {
    // blob_size is the symbol's recorded size (0: unknown): never read past a known end
    LibraryBinReader header(blob, blob_size != 0 ? blob_size : 8, where);
    payload_size = header.ReadU64("payload size");
  }
  if (blob_size != 0 && payload_size > blob_size - 8) {
    LibraryBinReader(blob, blob_size, where)
        .Fail("payload size " + std::to_string(payload_size) + " exceeds the symbol's " +
              std::to_string(blob_size) + " bytes");
  }
  LibraryBinReader reader(blob + 8, payload_size, where);
  std::vector<uint64_t> indptr = reader.ReadU64Vector("import_tree_indptr");
  std::vector<uint64_t> children = reader.ReadU64Vector("import_tree_child_indices");
  if (indptr.size() < 2) {
    reader.Fail("import_tree_indptr must describe at least one module");
  }
  const uint64_t num_modules = indptr.size() - 1;
  if (indptr[0] != 0 || indptr.back() != children.size()) {
    reader.Fail("import_tree_indptr does not match import_tree_child_indices");
  }
  for (uint64_t i = 0; i < num_modules; ++i) {
    if (indptr[i] > indptr[i + 1]) reader.Fail("import_tree_indptr is not increasing");
  }
  for (uint64_t child : children) {
    if (child >= num_modules) {
      reader.Fail("import child index " + std::to_string(child) + " out of range (" +
                  std::to_string(num_modules) + " modules)");
    }
  }

  std::vector<Module> modules;
  modules.reserve(static_cast<size_t>(num_modules));
  bool seen_lib = false;
  for (uint64_t i = 0; i < num_modules; ++i) {
    std::string kind = reader.ReadString("module kind");
    if (kind == "_lib") {
      if (seen_lib) reader.Fail("more than one `_lib` entry");
      seen_lib = true;
      modules.emplace_back(lib_module);
      continue;
    }
    std::string bytes = reader.ReadString("module bytes");
    std::string loader_name = "ffi.Module.load_from_bytes." + kind;
    std::optional<Function> loader = Function::GetGlobal(loader_name);
    if (!loader.has_value()) {
      TVM_FFI_THROW(RuntimeError) << "Cannot load the embedded module of kind `" << kind << "` in "
                                  << where << ": loader " << loader_name << " is not registered";
    }
    modules.push_back((*loader)(Bytes(std::move(bytes))).cast<Module>());
  }
  if (!seen_lib) reader.Fail("no `_lib` entry for the library itself");

  for (uint64_t i = 0; i < num_modules; ++i) {
    for (uint64_t j = indptr[i]; j < indptr[i + 1]; ++j) {
      modules[i]->ImportModule(modules[children[j]]);
    }
  }
  return modules[0];
}

}  // namespace

Module CreateLibraryModule(std::shared_ptr<Library> lib) {
  std::string where = lib->Describe();
  // 1. Context symbols: hand the library the pointers registered by the host.
  // Slots the loader writes must be writable pointer-sized variables (a `const` one would
  // make the write crash).
  auto checked_slot = [&lib, &where](const std::string& name) -> void** {
    void* slot = lib->GetSymbol(name);
    if (slot == nullptr) return nullptr;
    uint64_t size = lib->DataSymbolSize(slot);
    if ((size != 0 && size < sizeof(void*)) || !lib->DataSymbolWritable(slot)) {
      TVM_FFI_THROW(TypeError) << "Symbol `" << name << "` in " << where
                               << " must be a writable pointer variable";
    }
    return static_cast<void**>(slot);
  };
  for (const std::pair<std::string, void*>& entry : GetEnvContextSymbols()) {
    if (void** slot = checked_slot(entry.first)) *slot = entry.second;
  }
  void** ctx_symbol = checked_slot(symbol::tvm_ffi_library_ctx);
  const char* bin_symbol = static_cast<const char*>(lib->GetSymbol(symbol::tvm_ffi_library_bin));
  const uint64_t bin_size =
      bin_symbol != nullptr ? lib->DataSymbolSize(const_cast<char*>(bin_symbol)) : 0;

  ObjectPtr<ModuleObj> lib_module = make_object<LibraryModuleObj>(std::move(lib));
  // 2. The import tree embedded in the library, if any.
  Module root = (bin_symbol != nullptr) ? ProcessLibraryBin(bin_symbol, bin_size, lib_module, where)
                                        : Module(lib_module);
  // 3. The token generated code passes to TVMFFIEnvModLookupFromImports (no reference held).
  if (ctx_symbol != nullptr) {
    *ctx_symbol = static_cast<void*>(lib_module.get());
  }
  return root;
}

}  // namespace runtime
}  // namespace ffi
}  // namespace tvm
