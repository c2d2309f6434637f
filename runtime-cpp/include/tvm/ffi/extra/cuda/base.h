/*!
 * \file tvm/ffi/extra/cuda/base.h
 * \brief Basics shared by the CUDA helpers: the CUDA runtime error check and `tvm::ffi::dim3`.
 *
 * Needs the CUDA toolkit headers (`cuda_runtime.h`) but no GPU: nothing here touches a device.
 */
#ifndef TVM_FFI_EXTRA_CUDA_BASE_H_
#define TVM_FFI_EXTRA_CUDA_BASE_H_

#include <cuda_runtime.h>
#include <tvm/ffi/error.h>

namespace tvm {
namespace ffi {

/*!
 * \brief Grid/block/cluster extents of a kernel launch; every extent defaults to 1.
 *
 * Named like CUDA's global `::dim3`: with `using namespace tvm::ffi` an unqualified `dim3` is
 * ambiguous, so spell it `tvm::ffi::dim3` (or `::dim3` for CUDA's).
 */
struct dim3 {
  unsigned int x;
  unsigned int y;
  unsigned int z;
  dim3() : x(1), y(1), z(1) {}
  explicit dim3(unsigned int x_) : x(x_), y(1), z(1) {}
  dim3(unsigned int x_, unsigned int y_) : x(x_), y(y_), z(1) {}
  dim3(unsigned int x_, unsigned int y_, unsigned int z_) : x(x_), y(y_), z(z_) {}
};

}  // namespace ffi
}  // namespace tvm

/*!
 * \brief Evaluate a CUDA runtime call; on any result but `cudaSuccess` throw RuntimeError
 *        "CUDA Runtime Error: <name> (<code>): <description>".
 */
#define TVM_FFI_CHECK_CUDA_ERROR(stmt)                                                \
  do {                                                                                \
    cudaError_t __tvm_ffi_cuda_err = (stmt);                                          \
    if (__tvm_ffi_cuda_err != cudaSuccess) {                                          \
      TVM_FFI_THROW(RuntimeError) << "CUDA Runtime Error: "                           \
                                  << cudaGetErrorName(__tvm_ffi_cuda_err) << " ("     \
                                  << static_cast<int>(__tvm_ffi_cuda_err)             \
                                  << "): " << cudaGetErrorString(__tvm_ffi_cuda_err); \
    }                                                                                 \
  } while (0)

#endif  // TVM_FFI_EXTRA_CUDA_BASE_H_
