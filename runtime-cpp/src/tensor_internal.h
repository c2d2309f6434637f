/*!
 * \file tensor_internal.h
 * \brief Private tensor construction shared by tensor.cc and env.cc.
 */
#ifndef TVM_FFI_RUNTIME_SRC_TENSOR_INTERNAL_H_
#define TVM_FFI_RUNTIME_SRC_TENSOR_INTERNAL_H_

#include <tvm/ffi/c_api.h>

namespace tvm {
namespace ffi {
namespace runtime {

/*!
 * \brief Wrap a versioned managed tensor as a Tensor object (+1 handle), taking ownership on
 *        success only. Applies the alignment / contiguity / sub-byte checks of
 *        TVMFFITensorFromDLPackVersioned and throws tvm::ffi::Error when one fails.
 */
TVMFFIObjectHandle TensorFromDLPackVersioned(DLManagedTensorVersioned* from,
                                             int32_t require_alignment, int32_t require_contiguous);

}  // namespace runtime
}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_RUNTIME_SRC_TENSOR_INTERNAL_H_
