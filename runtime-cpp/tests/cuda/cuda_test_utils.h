/*!
 * \file cuda_test_utils.h
 * \brief Helpers of the CUDA helper tests: GPU/driver detection for clean skips, file reading.
 */
#ifndef TVM_FFI_TESTS_CUDA_CUDA_TEST_UTILS_H_
#define TVM_FFI_TESTS_CUDA_CUDA_TEST_UTILS_H_

#include <cuda_runtime.h>
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

namespace tvm_ffi_cuda_test {

/*! \brief Number of usable CUDA devices; 0 when the driver or the GPU is missing. */
inline int CudaDeviceCount() {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess) return 0;
  return count;
}

/*! \brief Whether the CUDA driver library can be opened at all. */
inline bool DriverLibraryPresent() {
  void* handle = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (handle != nullptr) dlclose(handle);
  return handle != nullptr;
}

/*! \brief Compute capability major of device 0 (0 when unknown). */
inline int ComputeCapabilityMajor() {
  int major = 0;
  if (cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, 0) != cudaSuccess) return 0;
  return major;
}

/*! \brief Whole file as bytes; empty when unreadable (the caller asserts). */
inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace tvm_ffi_cuda_test

/*! \brief Skip the current test, saying why, when no GPU is usable. */
#define TVM_FFI_SKIP_WITHOUT_GPU()                                                           \
  do {                                                                                       \
    if (::tvm_ffi_cuda_test::CudaDeviceCount() == 0) {                                       \
      GTEST_SKIP() << "needs a CUDA GPU and driver (none usable: cudaGetDeviceCount failed " \
                      "or reported 0 devices)";                                              \
    }                                                                                        \
  } while (0)

#endif  // TVM_FFI_TESTS_CUDA_CUDA_TEST_UTILS_H_
