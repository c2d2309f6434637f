/*!
 * \file tvm/ffi/function_detail.h
 * \brief Second include path of <tvm/ffi/function_details.h> (the name 0.1.15-era code
 * uses); both paths give the same declarations.
 */
#ifndef TVM_FFI_FUNCTION_DETAIL_H_
#define TVM_FFI_FUNCTION_DETAIL_H_

#include <tvm/ffi/function_details.h>

#endif  // TVM_FFI_FUNCTION_DETAIL_H_
