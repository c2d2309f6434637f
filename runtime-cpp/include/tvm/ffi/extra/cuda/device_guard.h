/*!
 * \file tvm/ffi/extra/cuda/device_guard.h
 * \brief `CUDADeviceGuard`: make a CUDA device current for a scope, restore the previous one.
 */
#ifndef TVM_FFI_EXTRA_CUDA_DEVICE_GUARD_H_
#define TVM_FFI_EXTRA_CUDA_DEVICE_GUARD_H_

#include <tvm/ffi/extra/cuda/base.h>

namespace tvm {
namespace ffi {

/*!
 * \brief Scope guard over the calling thread's current CUDA device.
 *
 * The constructor records the current device (`cudaGetDevice`) and switches to `device` only
 * when it differs; the destructor switches back in that case. Failures throw RuntimeError
 * (`TVM_FFI_CHECK_CUDA_ERROR`), the destructor included, which is why it is `noexcept(false)`.
 * Without a usable driver or device the constructor throws and nothing is changed.
 */
class CUDADeviceGuard {
 public:
  CUDADeviceGuard() = delete;
  explicit CUDADeviceGuard(int device) : target_device_(device) {
    TVM_FFI_CHECK_CUDA_ERROR(cudaGetDevice(&original_device_));
    if (original_device_ != target_device_) {
      TVM_FFI_CHECK_CUDA_ERROR(cudaSetDevice(target_device_));
    }
  }
  CUDADeviceGuard(const CUDADeviceGuard&) = delete;
  CUDADeviceGuard& operator=(const CUDADeviceGuard&) = delete;
  ~CUDADeviceGuard() noexcept(false) {
    if (original_device_ != target_device_) {
      TVM_FFI_CHECK_CUDA_ERROR(cudaSetDevice(original_device_));
    }
  }

 private:
  int original_device_ = -1;
  int target_device_;
};

}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_EXTRA_CUDA_DEVICE_GUARD_H_
