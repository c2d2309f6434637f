// CUDA helpers that need no GPU to test: the bytes embedded by tvm_ffi_embed_bin_into, the
// cubin/fatbin copies made by add_tvm_ffi_cubin/fatbin, tvm::ffi::dim3, TVM_FFI_CHECK_CUDA_ERROR;
// plus CUDADeviceGuard, which is checked with a GPU and for its error without one.
#include <tvm/ffi/extra/cuda/base.h>
#include <tvm/ffi/extra/cuda/cubin_launcher.h>
#include <tvm/ffi/extra/cuda/device_guard.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "../test_utils.h"
#include "cuda_test_utils.h"

TVM_FFI_EMBED_CUBIN(test_kernels_cubin);
TVM_FFI_EMBED_CUBIN(test_kernels_fatbin);

namespace {

using tvm_ffi_cuda_test::ReadFile;

std::string EmbeddedCubin() {
  return std::string(__tvm_ffi__cubin_test_kernels_cubin,
                     __tvm_ffi__cubin_test_kernels_cubin_end - __tvm_ffi__cubin_test_kernels_cubin);
}
std::string EmbeddedFatbin() {
  return std::string(
      __tvm_ffi__cubin_test_kernels_fatbin,
      __tvm_ffi__cubin_test_kernels_fatbin_end - __tvm_ffi__cubin_test_kernels_fatbin);
}

// <dir>/<stem>.cu.o -> <dir>/<stem>.<ext>, the name ObjectCopyUtil.cmake gives the copy.
std::string CopyName(std::string object, const std::string& ext) {
  const std::string suffix = ".cu.o";
  EXPECT_GT(object.size(), suffix.size());
  EXPECT_EQ(object.substr(object.size() - suffix.size()), suffix);
  return object.substr(0, object.size() - suffix.size()) + "." + ext;
}

TEST(CudaEmbed, CubinBytesEqualTheFileNvccWrote) {
  std::string file = ReadFile(TVM_FFI_TEST_CUBIN_FILE);
  ASSERT_GT(file.size(), 64u) << TVM_FFI_TEST_CUBIN_FILE;
  std::string embedded = EmbeddedCubin();
  ASSERT_EQ(embedded.size(), file.size());
  EXPECT_TRUE(embedded == file);
  // A cubin is an ELF file whose e_machine (offset 18, little endian) is EM_CUDA = 190.
  EXPECT_EQ(embedded.substr(0, 4), std::string("\x7f"
                                               "ELF"));
  EXPECT_EQ(static_cast<unsigned char>(embedded[18]), 190u);
  // The byte after the end symbol is the terminating NUL the embedding appends.
  EXPECT_EQ(__tvm_ffi__cubin_test_kernels_cubin_end[0], '\0');
  // The kernels' names are in the image.
  EXPECT_NE(embedded.find("add_one"), std::string::npos);
  EXPECT_NE(embedded.find("cluster_rank"), std::string::npos);
}

TEST(CudaEmbed, FatbinBytesEqualTheFileNvccWrote) {
  std::string file = ReadFile(TVM_FFI_TEST_FATBIN_FILE);
  ASSERT_GT(file.size(), 16u) << TVM_FFI_TEST_FATBIN_FILE;
  std::string embedded = EmbeddedFatbin();
  ASSERT_EQ(embedded.size(), file.size());
  EXPECT_TRUE(embedded == file);
  uint32_t magic = 0;
  std::memcpy(&magic, embedded.data(), sizeof(magic));
  EXPECT_EQ(magic, 0xBA55ED50u);  // fatbin container magic
  EXPECT_EQ(__tvm_ffi__cubin_test_kernels_fatbin_end[0], '\0');
}

TEST(CudaEmbed, EmbeddedImagesAreAligned) {
  EXPECT_EQ(reinterpret_cast<uintptr_t>(__tvm_ffi__cubin_test_kernels_cubin) % 64, 0u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(__tvm_ffi__cubin_test_kernels_fatbin) % 64, 0u);
}

TEST(CudaEmbed, BinTargetsCopyObjectsToCubinAndFatbinNames) {
  std::string cubin_copy = CopyName(TVM_FFI_TEST_CUBIN_FILE, "cubin");
  std::string fatbin_copy = CopyName(TVM_FFI_TEST_FATBIN_FILE, "fatbin");
  std::string cubin = ReadFile(cubin_copy);
  std::string fatbin = ReadFile(fatbin_copy);
  ASSERT_FALSE(cubin.empty()) << cubin_copy;
  ASSERT_FALSE(fatbin.empty()) << fatbin_copy;
  EXPECT_TRUE(cubin == ReadFile(TVM_FFI_TEST_CUBIN_FILE));
  EXPECT_TRUE(fatbin == ReadFile(TVM_FFI_TEST_FATBIN_FILE));
}

TEST(CudaBase, Dim3DefaultsToOne) {
  tvm::ffi::dim3 d0;
  EXPECT_EQ(d0.x, 1u);
  EXPECT_EQ(d0.y, 1u);
  EXPECT_EQ(d0.z, 1u);
  tvm::ffi::dim3 d1(7);
  EXPECT_EQ(d1.x, 7u);
  EXPECT_EQ(d1.y, 1u);
  EXPECT_EQ(d1.z, 1u);
  tvm::ffi::dim3 d2(7, 8);
  EXPECT_EQ(d2.y, 8u);
  EXPECT_EQ(d2.z, 1u);
  tvm::ffi::dim3 d3(7, 8, 9);
  EXPECT_EQ(d3.x, 7u);
  EXPECT_EQ(d3.y, 8u);
  EXPECT_EQ(d3.z, 9u);
}

TEST(CudaBase, CheckCudaErrorThrowsRuntimeErrorNamingTheError) {
  EXPECT_FFI_ERROR("RuntimeError",
                   "CUDA Runtime Error: cudaErrorInvalidValue (1): invalid argument",
                   TVM_FFI_CHECK_CUDA_ERROR(cudaErrorInvalidValue));
  EXPECT_FFI_ERROR("RuntimeError",
                   "CUDA Runtime Error: cudaErrorMemoryAllocation (2): out of memory",
                   TVM_FFI_CHECK_CUDA_ERROR(cudaErrorMemoryAllocation));
  int evaluated = 0;
  TVM_FFI_CHECK_CUDA_ERROR((++evaluated, cudaSuccess));  // success: no throw, evaluated once
  EXPECT_EQ(evaluated, 1);
}

TEST(CudaDeviceGuard, WithoutGpuTheConstructorThrows) {
  if (tvm_ffi_cuda_test::CudaDeviceCount() > 0) GTEST_SKIP() << "a GPU is present";
  EXPECT_FFI_ERROR_CONTAINS("RuntimeError", "CUDA Runtime Error: cuda",
                            tvm::ffi::CUDADeviceGuard guard(0));
}

TEST(CudaDeviceGuard, SwitchesAndRestoresTheCurrentDevice) {
  TVM_FFI_SKIP_WITHOUT_GPU();
  int count = tvm_ffi_cuda_test::CudaDeviceCount();
  ASSERT_EQ(cudaSetDevice(0), cudaSuccess);
  {
    tvm::ffi::CUDADeviceGuard same(0);
    int current = -1;
    ASSERT_EQ(cudaGetDevice(&current), cudaSuccess);
    EXPECT_EQ(current, 0);
  }
  int current = -1;
  ASSERT_EQ(cudaGetDevice(&current), cudaSuccess);
  EXPECT_EQ(current, 0);
  // An invalid device is refused with the CUDA error, and the current device is unchanged.
  EXPECT_FFI_ERROR_CONTAINS("RuntimeError", "cudaErrorInvalidDevice",
                            tvm::ffi::CUDADeviceGuard bad(count));
  ASSERT_EQ(cudaGetDevice(&current), cudaSuccess);
  EXPECT_EQ(current, 0);
  if (count < 2) GTEST_SKIP() << "switching to another device needs 2 GPUs";
  {
    tvm::ffi::CUDADeviceGuard other(1);
    ASSERT_EQ(cudaGetDevice(&current), cudaSuccess);
    EXPECT_EQ(current, 1);
  }
  ASSERT_EQ(cudaGetDevice(&current), cudaSuccess);
  EXPECT_EQ(current, 0);
}

}  // namespace
