/*!
 * \file tvm/ffi/extra/base.h
 * \brief Linkage macro of the "extra" C++ API: the few C++ functions and classes that
 *        libtvm_ffi exports with their mangled names (modules, JSON, serialization,
 *        structural equality and hashing).
 */
#ifndef TVM_FFI_EXTRA_BASE_H_
#define TVM_FFI_EXTRA_BASE_H_

#include <tvm/ffi/c_api.h>

/*!
 * \brief Export/import attribute of the extra C++ API. It follows TVM_FFI_DLL unless the
 *        includer defines it first (for example to build the extra API into another binary).
 */
#ifndef TVM_FFI_EXTRA_CXX_API
#define TVM_FFI_EXTRA_CXX_API TVM_FFI_DLL
#endif

#endif  // TVM_FFI_EXTRA_BASE_H_
