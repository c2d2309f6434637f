/*!
 * \file tvm/ffi/extra/cuda/cubin_launcher.h
 * \brief Load CUDA binaries (cubin, fatbin, PTX) from memory and launch their kernels.
 *
 * - `CubinModule`: move-only owner of a loaded CUDA library; `GetKernel(name)` /
 *   `module[name]` / `GetKernelWithMaxDynamicSharedMemory(name, max)` give `CubinKernel`s.
 * - `CubinKernel`: move-only kernel handle; `Launch` / `LaunchEx` return the raw CUDA result.
 * - `TVM_FFI_EMBED_CUBIN(name)`: use a binary embedded in the same shared library as the symbols
 *   `__tvm_ffi__cubin_<name>` .. `__tvm_ffi__cubin_<name>_end` (the CMake function
 *   `tvm_ffi_embed_bin_into` creates them); `TVM_FFI_EMBED_CUBIN_GET_KERNEL(name, "kernel")`.
 *
 * Which CUDA API does the work is chosen by `TVM_FFI_CUBIN_LAUNCHER_USE_DRIVER_API` (see
 * `internal/unified_api.h`). Nothing runs at static-initialization time: the CUDA library of an
 * embedded binary is loaded on the first kernel lookup, and the driver is needed only then.
 */
#ifndef TVM_FFI_EXTRA_CUDA_CUBIN_LAUNCHER_H_
#define TVM_FFI_EXTRA_CUDA_CUBIN_LAUNCHER_H_

#include <tvm/ffi/error.h>
#include <tvm/ffi/extra/cuda/base.h>
#include <tvm/ffi/extra/cuda/internal/unified_api.h>
#include <tvm/ffi/string.h>

#include <cstdint>
#include <utility>

namespace tvm {
namespace ffi {
// The classes depend on the API mode; keep each mode's definitions apart (see unified_api.h).
#if TVM_FFI_CUBIN_LAUNCHER_USE_DRIVER_API
inline namespace cubin_driver_api {
#else
inline namespace cubin_runtime_api {
#endif

/*! \brief A kernel of a `CubinModule`; valid while that module is alive. */
class CubinKernel {
 public:
  CubinKernel() = default;
  explicit CubinKernel(cuda_api::KernelHandle handle) : handle_(handle) {}
  CubinKernel(const CubinKernel&) = delete;
  CubinKernel& operator=(const CubinKernel&) = delete;
  CubinKernel(CubinKernel&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  CubinKernel& operator=(CubinKernel&& other) noexcept {
    handle_ = std::exchange(other.handle_, nullptr);
    return *this;
  }

  /*!
   * \brief Launch on `stream` with `args` (an array of pointers to each argument's value).
   * \return the CUDA result code; nothing is thrown.
   */
  cuda_api::ResultType Launch(void** args, dim3 grid, dim3 block, cuda_api::StreamHandle stream,
                              uint32_t dyn_smem = 0) const {
    return cuda_api::LaunchKernel(handle_, grid, block, dyn_smem, stream, args);
  }

  /*!
   * \brief Launch with a full launch configuration (clusters and other attributes), e.g. one
   *        made by `cuda_api::ConstructLaunchConfig`.
   * \return the CUDA result code; nothing is thrown.
   */
  cuda_api::ResultType LaunchEx(void** args, const cuda_api::LaunchConfig& config) const {
    return cuda_api::LaunchKernelEx(handle_, args, config);
  }

  /*! \brief The underlying CUDA kernel handle (null for a default-constructed kernel). */
  cuda_api::KernelHandle GetHandle() const { return handle_; }

 private:
  cuda_api::KernelHandle handle_ = nullptr;
};

/*! \brief Owner of one CUDA library loaded from an in-memory cubin/fatbin/PTX image. */
class CubinModule {
 public:
  /*! \brief Load from the bytes of a cubin/fatbin (or NUL-terminated PTX). */
  explicit CubinModule(const Bytes& image) {
    if (image.size() == 0) TVM_FFI_THROW(ValueError) << "CubinModule: empty image";
    Load(image.data());
  }
  /*! \brief Load from an image in memory; it must stay valid only during the constructor. */
  explicit CubinModule(const char* image) { Load(image); }
  explicit CubinModule(const unsigned char* image) { Load(reinterpret_cast<const char*>(image)); }
  CubinModule(const CubinModule&) = delete;
  CubinModule& operator=(const CubinModule&) = delete;
  CubinModule(CubinModule&& other) noexcept : library_(std::exchange(other.library_, nullptr)) {}
  CubinModule& operator=(CubinModule&& other) noexcept {
    if (this != &other) {
      Reset();
      library_ = std::exchange(other.library_, nullptr);
    }
    return *this;
  }
  ~CubinModule() { Reset(); }

  /*! \brief The kernel called `name`; RuntimeError naming it when the module has none. */
  CubinKernel GetKernel(const char* name) const {
    if (name == nullptr) TVM_FFI_THROW(ValueError) << "CubinModule::GetKernel: null kernel name";
    cuda_api::KernelHandle kernel = nullptr;
    cuda_api::ResultType r = cuda_api::GetKernel(&kernel, library_, name);
    if (r != cuda_api::kSuccess) {
      TVM_FFI_THROW(RuntimeError) << "CubinModule: cannot get kernel `" << name
                                  << "`: CUDA Error: " << cuda_api::ErrorText(r);
    }
    return CubinKernel(kernel);
  }
  CubinKernel operator[](const char* name) const { return GetKernel(name); }

  /*!
   * \brief `GetKernel(name)`, after allowing it `max_dynamic_smem` bytes of dynamic shared
   *        memory on every device (-1: each device's opt-in maximum minus the kernel's static
   *        shared memory). Devices where that fails are skipped; RuntimeError "Failed to set
   *        dynamic shared memory attribute for any device" when all fail. With no device
   *        reported, the kernel is returned unchanged.
   */
  CubinKernel GetKernelWithMaxDynamicSharedMemory(const char* name,
                                                  int64_t max_dynamic_smem = -1) const {
    CubinKernel kernel = GetKernel(name);
    int count = 0;
    if (cuda_api::GetDeviceCount(&count) != cuda_api::kSuccess || count <= 0) return kernel;
    bool any = false;
    for (int device = 0; device < count; ++device) {
      int64_t bytes = max_dynamic_smem;
      if (bytes < 0) {
        int optin = 0;
        int static_smem = 0;
        if (cuda_api::GetDeviceAttribute(&optin, cuda_api::kMaxSharedMemoryPerBlockOptin, device) !=
                cuda_api::kSuccess ||
            cuda_api::GetKernelSharedMem(kernel.GetHandle(), device, &static_smem) !=
                cuda_api::kSuccess) {
          continue;
        }
        bytes = static_cast<int64_t>(optin) - static_smem;
      }
      if (cuda_api::SetKernelMaxDynamicSharedMem(kernel.GetHandle(), static_cast<int>(bytes),
                                                 device) == cuda_api::kSuccess) {
        any = true;
      }
    }
    if (!any) {
      TVM_FFI_THROW(RuntimeError) << "Failed to set dynamic shared memory attribute for any device"
                                  << " (kernel `" << name << "`)";
    }
    return kernel;
  }

  /*! \brief The underlying CUDA library handle. */
  cuda_api::LibraryHandle GetHandle() const { return library_; }

 private:
  void Load(const char* image) {
    if (image == nullptr) TVM_FFI_THROW(ValueError) << "CubinModule: null image";
    cuda_api::ResultType r = cuda_api::LoadLibrary(&library_, image);
    if (r != cuda_api::kSuccess) {
      library_ = nullptr;
      TVM_FFI_THROW(RuntimeError) << "Failed to load CUBIN module: CUDA Error: "
                                  << cuda_api::ErrorText(r);
    }
  }
  void Reset() noexcept {
    if (library_ != nullptr) {
      // Errors (e.g. the driver already torn down at process exit) are ignored on purpose.
      (void)cuda_api::UnloadLibrary(library_);
      library_ = nullptr;
    }
  }

  cuda_api::LibraryHandle library_ = nullptr;
};

}  // inline namespace cubin_*_api
}  // namespace ffi
}  // namespace tvm

/*!
 * \brief Declare the binary embedded as `__tvm_ffi__cubin_<name>` (up to `..._end`) and a module
 *        for it, created on first use. Use at namespace scope, once per name and file.
 */
#define TVM_FFI_EMBED_CUBIN(name)                                     \
  extern "C" const char __tvm_ffi__cubin_##name[];                    \
  extern "C" const char __tvm_ffi__cubin_##name##_end[];              \
  namespace {                                                         \
  struct TVMFFIEmbeddedCubin_##name {                                 \
    static ::tvm::ffi::CubinModule& Get() {                           \
      static ::tvm::ffi::CubinModule module(__tvm_ffi__cubin_##name); \
      return module;                                                  \
    }                                                                 \
  };                                                                  \
  }                                                                   \
  static_assert(true, "")

/*!
 * \brief Like `TVM_FFI_EMBED_CUBIN`, but the image is `bytes`, any expression a `CubinModule`
 *        can be built from (evaluated on first use).
 */
#define TVM_FFI_EMBED_CUBIN_FROM_BYTES(name, bytes) \
  namespace {                                       \
  struct TVMFFIEmbeddedCubin_##name {               \
    static ::tvm::ffi::CubinModule& Get() {         \
      static ::tvm::ffi::CubinModule module(bytes); \
      return module;                                \
    }                                               \
  };                                                \
  }                                                 \
  static_assert(true, "")

/*! \brief The `CubinKernel` called `kernel` (a string) of the embedded binary `name`. */
#define TVM_FFI_EMBED_CUBIN_GET_KERNEL(name, kernel) \
  (TVMFFIEmbeddedCubin_##name::Get().GetKernel(kernel))

#endif  // TVM_FFI_EXTRA_CUDA_CUBIN_LAUNCHER_H_
