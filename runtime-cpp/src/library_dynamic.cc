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
#if defined(__linux__)
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#endif

#include "module_internal.h"
#include "runtime_base.h"

namespace tvm {
namespace ffi {
namespace runtime {
namespace {

#if defined(__linux__)
/*! \brief Closes a file descriptor on scope exit. */
struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) ::close(fd);
  }
};

bool ReadAt(int fd, void* out, uint64_t size, uint64_t offset) {
  return ::pread(fd, out, size, static_cast<off_t>(offset)) == static_cast<ssize_t>(size);
}

/*!
 * \brief Reject the files dlopen would hang or crash on, before calling it:
 *  - not a regular file (opening a FIFO blocks forever);
 *  - an ELF file of another class or machine (named clearly instead of dlopen's message);
 *  - an ELF file whose loadable segments extend past its end (a truncated library: touching
 *    the mapped pages past the end of the file raises SIGBUS inside dlopen).
 * Files dlopen rejects cleanly by itself (missing, too short, not ELF) are left to it.
 */
void CheckLibraryFile(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return;
  if (!S_ISREG(st.st_mode)) {
    TVM_FFI_THROW(RuntimeError) << "Failed to load dynamic shared library " << path
                                << ": not a regular file";
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  FdCloser closer{fd};
  const uint64_t file_size = static_cast<uint64_t>(st.st_size);
  ElfW(Ehdr) ehdr;
  if (!ReadAt(fd, &ehdr, sizeof(ehdr), 0) ||
      std::char_traits<char>::compare(reinterpret_cast<const char*>(ehdr.e_ident), ELFMAG,
                                      SELFMAG) != 0) {
    return;
  }
  // The host's own class and machine: those of the ELF image this code is running from.
  Dl_info self;
  if (::dladdr(reinterpret_cast<void*>(&CheckLibraryFile), &self) != 0 &&
      self.dli_fbase != nullptr) {
    const auto* host = static_cast<const ElfW(Ehdr)*>(self.dli_fbase);
    if (ehdr.e_ident[EI_CLASS] != host->e_ident[EI_CLASS]) {
      TVM_FFI_THROW(RuntimeError) << "Failed to load dynamic shared library " << path
                                  << ": it is a "
                                  << (ehdr.e_ident[EI_CLASS] == ELFCLASS32 ? "32" : "64")
                                  << "-bit ELF file, this process is "
                                  << (host->e_ident[EI_CLASS] == ELFCLASS32 ? "32" : "64")
                                  << "-bit";
    }
    if (ehdr.e_machine != host->e_machine) {
      TVM_FFI_THROW(RuntimeError) << "Failed to load dynamic shared library " << path
                                  << ": it is built for another architecture (ELF machine "
                                  << ehdr.e_machine << ", this process: " << host->e_machine << ")";
    }
  }
  if (ehdr.e_ident[EI_CLASS] != (sizeof(void*) == 8 ? ELFCLASS64 : ELFCLASS32)) return;
  if (ehdr.e_phentsize != sizeof(ElfW(Phdr)) || ehdr.e_phoff > file_size ||
      static_cast<uint64_t>(ehdr.e_phnum) * sizeof(ElfW(Phdr)) > file_size - ehdr.e_phoff) {
    TVM_FFI_THROW(RuntimeError) << "Failed to load dynamic shared library " << path
                                << ": truncated or corrupt ELF file (program headers lie "
                                   "outside the file's "
                                << file_size << " bytes)";
  }
  for (uint64_t i = 0; i < ehdr.e_phnum; ++i) {
    ElfW(Phdr) phdr;
    if (!ReadAt(fd, &phdr, sizeof(phdr), ehdr.e_phoff + i * sizeof(ElfW(Phdr)))) return;
    if (phdr.p_type != PT_LOAD) continue;
    if (phdr.p_offset > file_size || phdr.p_filesz > file_size - phdr.p_offset) {
      TVM_FFI_THROW(RuntimeError) << "Failed to load dynamic shared library " << path
                                  << ": truncated ELF file (a loadable segment ends at byte "
                                  << (static_cast<uint64_t>(phdr.p_offset) + phdr.p_filesz)
                                  << ", the file has " << file_size << " bytes)";
    }
  }
}
#endif  // __linux__

#if defined(__GLIBC__)
/*! \brief The dynamic symbol starting exactly at `addr`, or nullptr when unknown. */
const ElfW(Sym) * SymbolAt(void* addr) {
  Dl_info info;
  void* extra = nullptr;
  if (::dladdr1(addr, &info, &extra, RTLD_DL_SYMENT) == 0) return nullptr;
  if (extra == nullptr || info.dli_saddr != addr) return nullptr;
  return static_cast<const ElfW(Sym)*>(extra);
}

/*! \brief The ELF type (STT_*) of the symbol starting at `addr`, or -1 when unknown. */
int SymbolTypeAt(void* addr) {
  const ElfW(Sym)* sym = addr != nullptr ? SymbolAt(addr) : nullptr;
  return sym != nullptr ? static_cast<int>(sym->st_info & 0xf) : -1;  // ELF*_ST_TYPE
}

struct SegmentQuery {
  uintptr_t addr;
  int flags;  // -1: not inside any loaded object; else PF_* of the segment (PF_W off in RELRO)
};

int FindSegment(struct dl_phdr_info* info, size_t, void* data) {
  auto* query = static_cast<SegmentQuery*>(data);
  bool in_load = false, relro = false;
  int flags = 0;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr) & ph = info->dlpi_phdr[i];
    uintptr_t start = static_cast<uintptr_t>(info->dlpi_addr + ph.p_vaddr);
    if (query->addr < start || query->addr - start >= ph.p_memsz) continue;
    if (ph.p_type == PT_LOAD) {
      in_load = true;
      flags = static_cast<int>(ph.p_flags);
    } else if (ph.p_type == PT_GNU_RELRO) {
      relro = true;
    }
  }
  if (!in_load) return 0;
  query->flags = relro ? (flags & ~static_cast<int>(PF_W)) : flags;
  return 1;
}

/*! \brief Segment flags (PF_R/PF_W/PF_X) of the memory at `addr`, -1 when unknown. */
int SegmentFlagsAt(void* addr) {
  SegmentQuery query{reinterpret_cast<uintptr_t>(addr), -1};
  ::dl_iterate_phdr(FindSegment, &query);
  return query.flags;
}
#endif  // __GLIBC__

/*! \brief A shared library opened with dlopen(RTLD_NOW | RTLD_LOCAL) (LoadLibrary on Windows). */
class DynamicLibrary final : public Library {
 public:
  explicit DynamicLibrary(std::string path) : path_(std::move(path)) {
    if (path_.empty()) {
      TVM_FFI_THROW(InternalError)
          << "Failed to load dynamic shared library " << path_ << " (empty path)";
    }
#if defined(_WIN32)
    handle_ = ::LoadLibraryA(path_.c_str());
    if (handle_ == nullptr) {
      TVM_FFI_THROW(InternalError) << "Failed to load dynamic shared library " << path_
                                   << " (error code " << ::GetLastError() << ")";
    }
#else
    if (path_.find('\0') != std::string::npos) {
      TVM_FFI_THROW(ValueError) << "Failed to load dynamic shared library: the path contains a "
                                   "NUL character";
    }
#if defined(__linux__)
    if (path_.find('/') != std::string::npos) CheckLibraryFile(path_);
#endif
    // RTLD_NOW: every undefined symbol is resolved here, so a library with a missing symbol
    // fails to load with dlerror's "undefined symbol: <name>" instead of killing the process
    // ("symbol lookup error", exit 127) at the first call that needs it.
    handle_ = ::dlopen(path_.c_str(), RTLD_NOW | RTLD_LOCAL);
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
    void* addr = RawSymbol(name);
#if defined(__GLIBC__)
    // the loader reads or writes data symbols: a function of that name is an error, not data
    int type = SymbolTypeAt(addr);
    if (type == STT_FUNC || type == STT_GNU_IFUNC) {
      TVM_FFI_THROW(TypeError) << "Symbol `" << name << "` in " << path_
                               << " is a function, but a data object was expected";
    }
#endif
    return addr;
  }

  void* GetFunctionSymbol(const std::string& name) final {
    std::string full_name = symbol::tvm_ffi_symbol_prefix + name;
    void* addr = RawSymbol(full_name);
#if defined(__GLIBC__)
    // calling a data symbol would jump into data: refuse it with a clear error instead
    int type = SymbolTypeAt(addr);
    if (type == STT_OBJECT || type == STT_TLS || type == STT_COMMON) {
      TVM_FFI_THROW(TypeError) << "Symbol `" << full_name << "` in " << path_
                               << " is a data object, not a function";
    }
    // (a thread-local variable resolves to memory outside every loaded image: flags -1)
    int flags = addr != nullptr ? SegmentFlagsAt(addr) : static_cast<int>(PF_X);
    if (flags < 0 || (flags & PF_X) == 0) {
      TVM_FFI_THROW(TypeError) << "Symbol `" << full_name << "` in " << path_
                               << " does not point to executable code";
    }
#endif
    return addr;
  }

  void* GetTextFunctionSymbol(const std::string& symbol_name) final {
    // Text symbols are functions under the `__tvm_ffi_` prefix: look them up (and check that
    // they point to code) as functions.
    const std::string prefix = symbol::tvm_ffi_symbol_prefix;
    if (symbol_name.compare(0, prefix.size(), prefix) != 0) return nullptr;
    return GetFunctionSymbol(symbol_name.substr(prefix.size()));
  }

  uint64_t DataSymbolSize(void* addr) final {
#if defined(__GLIBC__)
    if (const ElfW(Sym)* sym = SymbolAt(addr)) return static_cast<uint64_t>(sym->st_size);
#endif
    (void)addr;
    return 0;
  }

  bool DataSymbolWritable(void* addr) final {
#if defined(__GLIBC__)
    int flags = SegmentFlagsAt(addr);
    return flags < 0 || (flags & PF_W) != 0;
#else
    (void)addr;
    return true;
#endif
  }

  std::string Describe() const final { return path_; }

 private:
  void* RawSymbol(const std::string& name) {
#if defined(_WIN32)
    return reinterpret_cast<void*>(::GetProcAddress(handle_, name.c_str()));
#else
    return ::dlsym(handle_, name.c_str());
#endif
  }

  std::string path_;
#if defined(_WIN32)
  HMODULE handle_{nullptr};
#else
  void* handle_{nullptr};
#endif
};

}  // namespace

TVM_FFI_STATIC_INIT_BLOCK() {
  reflection::GlobalDef().def(
      "ffi.Module.load_from_file.so", [](String path, String format) -> Module {
        (void)format;
        std::string path_str(path.data(), path.size());
        return CreateLibraryModule(std::make_shared<DynamicLibrary>(std::move(path_str)));
      });
}

}  // namespace runtime
}  // namespace ffi
}  // namespace tvm
