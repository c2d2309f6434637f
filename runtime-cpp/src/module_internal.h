/*!
 * \file module_internal.h
 * \brief Private pieces of the module loader shared by module.cc, library_module.cc,
 *        library_dynamic.cc and library_system.cc.
 */
#ifndef TVM_FFI_RUNTIME_SRC_MODULE_INTERNAL_H_
#define TVM_FFI_RUNTIME_SRC_MODULE_INTERNAL_H_

#include <tvm/ffi/extra/module.h>
#include <tvm/ffi/string.h>

#include <cstdint>
#include <memory>
#include <string>

namespace tvm {
namespace ffi {
namespace runtime {

/*!
 * \brief A source of symbols backing a library module: a dlopen'ed shared library or the
 *        process-wide system-library table.
 */
class Library {
 public:
  virtual ~Library() = default;
  /*! \return the address of the symbol spelled exactly `name`, or nullptr. */
  virtual void* GetSymbol(const std::string& name) = 0;
  /*!
   * \return the safe-call entry of exported function `name` (symbol `__tvm_ffi_<name>`,
   *         subject to the library's prefix rules), or nullptr.
   */
  virtual void* GetFunctionSymbol(const std::string& name) = 0;
  /*!
   * \return the entry of the optional zero-argument safe-call function `symbol_name` (spelled
   *         in full, e.g. `__tvm_ffi__doc_<name>`) that returns a function's doc or metadata
   *         text, found with the plain symbol rules of GetSymbol, or nullptr.
   */
  virtual void* GetTextFunctionSymbol(const std::string& symbol_name) {
    return GetSymbol(symbol_name);
  }
  /*!
   * \return the size in bytes the library records for the data symbol at `addr` (from
   *         GetSymbol), or 0 when unknown. Bounds the reading of `__tvm_ffi__library_bin`.
   */
  virtual uint64_t DataSymbolSize(void* addr) {
    (void)addr;
    return 0;
  }
  /*!
   * \return false when the data symbol at `addr` is known to live in read-only memory (a
   *         `const` variable): the loader writes pointers into such slots and must not crash.
   */
  virtual bool DataSymbolWritable(void* addr) {
    (void)addr;
    return true;
  }
  /*! \return a human readable description used in error messages (e.g. the path). */
  virtual std::string Describe() const = 0;
};

/*!
 * \brief Turn a library into a module tree:
 *  1. every symbol registered with TVMFFIEnvModRegisterContextSymbol that the library
 *     defines receives the registered pointer;
 *  2. if the library defines `__tvm_ffi__library_bin`, the embedded module tree is built
 *     (the `_lib` entry is the library module itself) and its root is returned; otherwise
 *     the library module is the root;
 *  3. the library module's token (its ModuleObj*) is stored in `__tvm_ffi__library_ctx`
 *     when the library defines that variable.
 */
Module CreateLibraryModule(std::shared_ptr<Library> lib);

/*!
 * \brief Load a module from a file: the format is the extension of the file name
 *        (`dll`, `dylib` and `dso` become `so`), the loader is the global function
 *        `ffi.Module.load_from_file.<format>` called with (path, format).
 */
Module LoadModuleFromFile(const String& path);

}  // namespace runtime
}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_RUNTIME_SRC_MODULE_INTERNAL_H_
