/*!
 * \file tvm/ffi/extra/cuda/internal/unified_api.h
 * \brief `tvm::ffi::cuda_api`: one set of names over the CUDA driver API and the CUDA runtime's
 *        library-management API, used by `cubin_launcher.h`.
 *
 * Mode: `TVM_FFI_CUBIN_LAUNCHER_USE_DRIVER_API` 1 selects the driver API (`cu*`), 0 the runtime
 * API (`cuda*`, needs CUDA 12.8 or newer). Default: 0 when `CUDART_VERSION >= 12080`, else 1.
 *
 * Driver mode does not link `libcuda`: the driver library (`libcuda.so.1`, `nvcuda.dll`) is
 * opened on the first call that needs it, and a missing driver raises RuntimeError naming it.
 * Runtime mode links `libcudart`, which itself opens the driver on first use. Either way,
 * including this header or loading a library built with it never needs a driver or a GPU.
 *
 * The mode-specific names live in an inline namespace named after the mode, so translation
 * units built in different modes can share one binary without clashing definitions.
 */
#ifndef TVM_FFI_EXTRA_CUDA_INTERNAL_UNIFIED_API_H_
#define TVM_FFI_EXTRA_CUDA_INTERNAL_UNIFIED_API_H_

#include <cuda.h>
#include <cuda_runtime.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/extra/cuda/base.h>

#include <cstdint>
#include <string>

#ifndef TVM_FFI_CUBIN_LAUNCHER_USE_DRIVER_API
#if CUDART_VERSION >= 12080
#define TVM_FFI_CUBIN_LAUNCHER_USE_DRIVER_API 0
#else
#define TVM_FFI_CUBIN_LAUNCHER_USE_DRIVER_API 1
#endif
#endif

static_assert(TVM_FFI_CUBIN_LAUNCHER_USE_DRIVER_API || CUDART_VERSION >= 12080,
              "TVM_FFI_CUBIN_LAUNCHER_USE_DRIVER_API=0 needs the CUDA runtime library API of "
              "CUDA 12.8 or newer; use the driver API (=1) with this toolkit");

#if TVM_FFI_CUBIN_LAUNCHER_USE_DRIVER_API
#ifdef _WIN32
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#else
#include <dlfcn.h>
#endif
#endif

// Stringify after macro expansion, so that a driver entry point that cuda.h maps to a
// versioned or per-thread-stream name (e.g. cuLaunchKernel_ptsz) is looked up by that name.
#define TVM_FFI_CUDA_API_STR_(x) #x
#define TVM_FFI_CUDA_API_STR(x) TVM_FFI_CUDA_API_STR_(x)

namespace tvm {
namespace ffi {
namespace cuda_api {

#if TVM_FFI_CUBIN_LAUNCHER_USE_DRIVER_API
inline namespace driver_api {

using ResultType = CUresult;
using LibraryHandle = CUlibrary;
using KernelHandle = CUkernel;
using StreamHandle = CUstream;
using DeviceHandle = CUdevice;
using LaunchConfig = CUlaunchConfig;
using LaunchAttribute = CUlaunchAttribute;
using DeviceAttribute = CUdevice_attribute;
constexpr ResultType kSuccess = CUDA_SUCCESS;
constexpr DeviceAttribute kMaxSharedMemoryPerBlockOptin =
    CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN;

/*! \brief The driver entry points, resolved from the driver library on first use. */
struct DriverTable {
  /*! \brief Empty when the driver was opened and initialized; otherwise why not. */
  std::string error;
  decltype(&::cuInit) Init = nullptr;
  decltype(&::cuGetErrorName) GetErrorName = nullptr;
  decltype(&::cuGetErrorString) GetErrorString = nullptr;
  decltype(&::cuLibraryLoadData) LibraryLoadData = nullptr;
  decltype(&::cuLibraryUnload) LibraryUnload = nullptr;
  decltype(&::cuLibraryGetKernel) LibraryGetKernel = nullptr;
  decltype(&::cuLaunchKernel) LaunchKernel = nullptr;
  decltype(&::cuLaunchKernelEx) LaunchKernelEx = nullptr;
  decltype(&::cuKernelGetAttribute) KernelGetAttribute = nullptr;
  decltype(&::cuKernelSetAttribute) KernelSetAttribute = nullptr;
  decltype(&::cuDeviceGetCount) DeviceGetCount = nullptr;
  decltype(&::cuDeviceGet) DeviceGet = nullptr;
  decltype(&::cuDeviceGetAttribute) DeviceGetAttribute = nullptr;
};

#ifdef _WIN32
constexpr const char* kDriverLibraryName = "nvcuda.dll";
#else
constexpr const char* kDriverLibraryName = "libcuda.so.1";
#endif

/*! \brief Open the driver library, resolve every entry point and run cuInit(0). */
inline DriverTable OpenDriver() {
  DriverTable t;
#ifdef _WIN32
  HMODULE lib = LoadLibraryA(kDriverLibraryName);
  if (lib == nullptr) {
    t.error = std::string("the CUDA driver library ") + kDriverLibraryName +
              " could not be loaded (Windows error " + std::to_string(GetLastError()) +
              "); is an NVIDIA driver installed?";
    return t;
  }
  auto sym = [lib](const char* name) { return reinterpret_cast<void*>(GetProcAddress(lib, name)); };
#else
  void* lib = dlopen(kDriverLibraryName, RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) lib = dlopen("libcuda.so", RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    const char* why = dlerror();
    t.error = std::string("the CUDA driver library ") + kDriverLibraryName +
              " could not be loaded (" + (why ? why : "unknown reason") +
              "); is an NVIDIA driver installed?";
    return t;
  }
  auto sym = [lib](const char* name) { return dlsym(lib, name); };
#endif
  bool ok = true;
  auto resolve = [&](auto& fn, const char* name) {
    fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(sym(name));
    if (fn == nullptr && ok) {
      ok = false;
      t.error = std::string("the CUDA driver library ") + kDriverLibraryName + " lacks " + name +
                " (driver too old for CUDA 12 library management?)";
    }
  };
  resolve(t.Init, TVM_FFI_CUDA_API_STR(cuInit));
  resolve(t.GetErrorName, TVM_FFI_CUDA_API_STR(cuGetErrorName));
  resolve(t.GetErrorString, TVM_FFI_CUDA_API_STR(cuGetErrorString));
  resolve(t.LibraryLoadData, TVM_FFI_CUDA_API_STR(cuLibraryLoadData));
  resolve(t.LibraryUnload, TVM_FFI_CUDA_API_STR(cuLibraryUnload));
  resolve(t.LibraryGetKernel, TVM_FFI_CUDA_API_STR(cuLibraryGetKernel));
  resolve(t.LaunchKernel, TVM_FFI_CUDA_API_STR(cuLaunchKernel));
  resolve(t.LaunchKernelEx, TVM_FFI_CUDA_API_STR(cuLaunchKernelEx));
  resolve(t.KernelGetAttribute, TVM_FFI_CUDA_API_STR(cuKernelGetAttribute));
  resolve(t.KernelSetAttribute, TVM_FFI_CUDA_API_STR(cuKernelSetAttribute));
  resolve(t.DeviceGetCount, TVM_FFI_CUDA_API_STR(cuDeviceGetCount));
  resolve(t.DeviceGet, TVM_FFI_CUDA_API_STR(cuDeviceGet));
  resolve(t.DeviceGetAttribute, TVM_FFI_CUDA_API_STR(cuDeviceGetAttribute));
  if (!ok) return t;
  CUresult init = t.Init(0);
  if (init != CUDA_SUCCESS) {
    const char* name = nullptr;
    const char* text = nullptr;
    t.GetErrorName(init, &name);
    t.GetErrorString(init, &text);
    t.error = std::string("cuInit failed: ") + (name ? name : "unknown") + " (" +
              std::to_string(static_cast<int>(init)) + "): " + (text ? text : "");
  }
  return t;
}

/*! \brief The driver table, opened once (thread-safe) on first use; check its `error`. */
inline const DriverTable& DriverTableOnce() {
  static const DriverTable table = OpenDriver();
  return table;
}

/*!
 * \brief The usable driver table.
 * \throws RuntimeError naming the driver library when it is missing or unusable.
 */
inline const DriverTable& Driver() {
  const DriverTable& table = DriverTableOnce();
  if (!table.error.empty()) {
    TVM_FFI_THROW(RuntimeError) << "CUDA driver unavailable: " << table.error;
  }
  return table;
}

/*! \brief "<name> (<code>): <description>" of a driver result; never throws. */
inline std::string ErrorText(ResultType result) {
  const DriverTable& t = DriverTableOnce();
  if (!t.error.empty()) {
    return "CUresult " + std::to_string(static_cast<int>(result)) +
           " (CUDA driver unavailable: " + t.error + ")";
  }
  const char* name = nullptr;
  const char* text = nullptr;
  t.GetErrorName(result, &name);
  t.GetErrorString(result, &text);
  return std::string(name ? name : "CUDA_ERROR_UNKNOWN") + " (" +
         std::to_string(static_cast<int>(result)) + "): " + (text ? text : "unknown error");
}

inline ResultType LoadLibrary(LibraryHandle* library, const void* image) {
  return Driver().LibraryLoadData(library, image, nullptr, nullptr, 0, nullptr, nullptr, 0);
}
inline ResultType UnloadLibrary(LibraryHandle library) { return Driver().LibraryUnload(library); }
inline ResultType GetKernel(KernelHandle* kernel, LibraryHandle library, const char* name) {
  return Driver().LibraryGetKernel(kernel, library, name);
}
inline ResultType LaunchKernel(KernelHandle kernel, dim3 grid, dim3 block, uint32_t dyn_smem,
                               StreamHandle stream, void** args) {
  return Driver().LaunchKernel(reinterpret_cast<CUfunction>(kernel), grid.x, grid.y, grid.z,
                               block.x, block.y, block.z, dyn_smem, stream, args, nullptr);
}
inline ResultType LaunchKernelEx(KernelHandle kernel, void** args, const LaunchConfig& config) {
  return Driver().LaunchKernelEx(&config, reinterpret_cast<CUfunction>(kernel), args, nullptr);
}
/*! \brief Static shared memory (bytes) the kernel uses on `device`. */
inline ResultType GetKernelSharedMem(KernelHandle kernel, int device, int* bytes) {
  const DriverTable& t = Driver();
  CUdevice dev;
  ResultType r = t.DeviceGet(&dev, device);
  if (r != kSuccess) return r;
  return t.KernelGetAttribute(bytes, CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES, kernel, dev);
}
inline ResultType SetKernelMaxDynamicSharedMem(KernelHandle kernel, int bytes, int device) {
  const DriverTable& t = Driver();
  CUdevice dev;
  ResultType r = t.DeviceGet(&dev, device);
  if (r != kSuccess) return r;
  return t.KernelSetAttribute(CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, bytes, kernel, dev);
}
inline ResultType GetDeviceCount(int* count) { return Driver().DeviceGetCount(count); }
inline ResultType GetDeviceAttribute(int* value, DeviceAttribute attr, int device) {
  const DriverTable& t = Driver();
  CUdevice dev;
  ResultType r = t.DeviceGet(&dev, device);
  if (r != kSuccess) return r;
  return t.DeviceGetAttribute(value, attr, dev);
}

/*!
 * \brief Fill `config` for launching `kernel`; a cluster attribute (`cluster_dim` x 1 x 1) is
 *        attached only when `cluster_dim > 1`. `attr` must outlive `config`.
 */
inline void ConstructLaunchConfig(KernelHandle kernel, StreamHandle stream, uint32_t dyn_smem,
                                  dim3 grid, dim3 block, int cluster_dim, LaunchConfig& config,
                                  LaunchAttribute& attr) {
  (void)kernel;
  config = LaunchConfig{};
  config.gridDimX = grid.x;
  config.gridDimY = grid.y;
  config.gridDimZ = grid.z;
  config.blockDimX = block.x;
  config.blockDimY = block.y;
  config.blockDimZ = block.z;
  config.sharedMemBytes = dyn_smem;
  config.hStream = stream;
  config.attrs = nullptr;
  config.numAttrs = 0;
  if (cluster_dim > 1) {
    attr = LaunchAttribute{};
    attr.id = CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION;
    attr.value.clusterDim.x = static_cast<unsigned int>(cluster_dim);
    attr.value.clusterDim.y = 1;
    attr.value.clusterDim.z = 1;
    config.attrs = &attr;
    config.numAttrs = 1;
  }
}

}  // namespace driver_api
#else
inline namespace runtime_api {

using ResultType = cudaError_t;
using LibraryHandle = cudaLibrary_t;
using KernelHandle = cudaKernel_t;
using StreamHandle = cudaStream_t;
using DeviceHandle = int;
using LaunchConfig = cudaLaunchConfig_t;
using LaunchAttribute = cudaLaunchAttribute;
using DeviceAttribute = cudaDeviceAttr;
constexpr ResultType kSuccess = cudaSuccess;
constexpr DeviceAttribute kMaxSharedMemoryPerBlockOptin = cudaDevAttrMaxSharedMemoryPerBlockOptin;

/*! \brief "<name> (<code>): <description>" of a runtime result. */
inline std::string ErrorText(ResultType result) {
  return std::string(cudaGetErrorName(result)) + " (" + std::to_string(static_cast<int>(result)) +
         "): " + cudaGetErrorString(result);
}

inline ResultType LoadLibrary(LibraryHandle* library, const void* image) {
  return cudaLibraryLoadData(library, image, nullptr, nullptr, 0, nullptr, nullptr, 0);
}
inline ResultType UnloadLibrary(LibraryHandle library) { return cudaLibraryUnload(library); }
inline ResultType GetKernel(KernelHandle* kernel, LibraryHandle library, const char* name) {
  return cudaLibraryGetKernel(kernel, library, name);
}
inline ResultType LaunchKernel(KernelHandle kernel, dim3 grid, dim3 block, uint32_t dyn_smem,
                               StreamHandle stream, void** args) {
  return cudaLaunchKernel(reinterpret_cast<const void*>(kernel), ::dim3(grid.x, grid.y, grid.z),
                          ::dim3(block.x, block.y, block.z), args, dyn_smem, stream);
}
inline ResultType LaunchKernelEx(KernelHandle kernel, void** args, const LaunchConfig& config) {
  return cudaLaunchKernelExC(&config, reinterpret_cast<const void*>(kernel), args);
}
/*! \brief Static shared memory (bytes) the kernel uses on `device`. */
inline ResultType GetKernelSharedMem(KernelHandle kernel, int device, int* bytes) {
  int previous = 0;
  ResultType r = cudaGetDevice(&previous);
  if (r != kSuccess) return r;
  if (previous != device && (r = cudaSetDevice(device)) != kSuccess) return r;
  cudaFuncAttributes attrs{};
  r = cudaFuncGetAttributes(&attrs, reinterpret_cast<const void*>(kernel));
  if (previous != device) cudaSetDevice(previous);
  if (r == kSuccess) *bytes = static_cast<int>(attrs.sharedSizeBytes);
  return r;
}
inline ResultType SetKernelMaxDynamicSharedMem(KernelHandle kernel, int bytes, int device) {
  return cudaKernelSetAttributeForDevice(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, bytes,
                                         device);
}
inline ResultType GetDeviceCount(int* count) { return cudaGetDeviceCount(count); }
inline ResultType GetDeviceAttribute(int* value, DeviceAttribute attr, int device) {
  return cudaDeviceGetAttribute(value, attr, device);
}

/*!
 * \brief Fill `config` for launching `kernel`; a cluster attribute (`cluster_dim` x 1 x 1) is
 *        attached only when `cluster_dim > 1`. `attr` must outlive `config`.
 */
inline void ConstructLaunchConfig(KernelHandle kernel, StreamHandle stream, uint32_t dyn_smem,
                                  dim3 grid, dim3 block, int cluster_dim, LaunchConfig& config,
                                  LaunchAttribute& attr) {
  (void)kernel;
  config = LaunchConfig{};
  config.gridDim = ::dim3(grid.x, grid.y, grid.z);
  config.blockDim = ::dim3(block.x, block.y, block.z);
  config.dynamicSmemBytes = dyn_smem;
  config.stream = stream;
  config.attrs = nullptr;
  config.numAttrs = 0;
  if (cluster_dim > 1) {
    attr = LaunchAttribute{};
    attr.id = cudaLaunchAttributeClusterDimension;
    attr.val.clusterDim.x = static_cast<unsigned int>(cluster_dim);
    attr.val.clusterDim.y = 1;
    attr.val.clusterDim.z = 1;
    config.attrs = &attr;
    config.numAttrs = 1;
  }
}

}  // namespace runtime_api
#endif

}  // namespace cuda_api
}  // namespace ffi
}  // namespace tvm

/*!
 * \brief Evaluate a `cuda_api` call; on failure throw RuntimeError
 *        "CUDA Error: <name> (<code>): <description>".
 */
#define TVM_FFI_CHECK_CUBIN_LAUNCHER_CUDA_ERROR(stmt)                                      \
  do {                                                                                     \
    ::tvm::ffi::cuda_api::ResultType __tvm_ffi_cubin_err = (stmt);                         \
    if (__tvm_ffi_cubin_err != ::tvm::ffi::cuda_api::kSuccess) {                           \
      TVM_FFI_THROW(RuntimeError) << "CUDA Error: "                                        \
                                  << ::tvm::ffi::cuda_api::ErrorText(__tvm_ffi_cubin_err); \
    }                                                                                      \
  } while (0)

#endif  // TVM_FFI_EXTRA_CUDA_INTERNAL_UNIFIED_API_H_
