/*!
 * \file tvm/ffi/base_detail.h
 * \brief Second include path of <tvm/ffi/base_details.h> (the name 0.1.15-era code
 * uses); both paths give the same declarations.
 */
#ifndef TVM_FFI_BASE_DETAIL_H_
#define TVM_FFI_BASE_DETAIL_H_

#include <tvm/ffi/base_details.h>

#endif  // TVM_FFI_BASE_DETAIL_H_
