/*!
 * \file tvm/ffi/endian.h
 * \brief Byte-order detection for code that hashes or serialises raw bytes.
 *
 * TVM_FFI_LITTLE_ENDIAN is 1 on little-endian hosts. CMake may force the value through
 * TVM_FFI_CMAKE_LITTLE_ENDIAN. TVM_FFI_IO_NO_ENDIAN_SWAP is 1 when the host byte order equals
 * the on-disk order chosen by TVM_FFI_IO_USE_LITTLE_ENDIAN (default: little endian).
 */
#ifndef TVM_FFI_ENDIAN_H_
#define TVM_FFI_ENDIAN_H_

#include <cstdint>

#ifndef TVM_FFI_IO_USE_LITTLE_ENDIAN
#define TVM_FFI_IO_USE_LITTLE_ENDIAN 1
#endif

#ifdef TVM_FFI_CMAKE_LITTLE_ENDIAN
#define TVM_FFI_LITTLE_ENDIAN TVM_FFI_CMAKE_LITTLE_ENDIAN
#elif defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__)
#define TVM_FFI_LITTLE_ENDIAN (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)
#elif defined(_WIN32) || defined(__x86_64__) || defined(__i386__) || defined(__aarch64__)
#define TVM_FFI_LITTLE_ENDIAN 1
#else
#error "cannot detect byte order; define TVM_FFI_CMAKE_LITTLE_ENDIAN"
#endif

#define TVM_FFI_IO_NO_ENDIAN_SWAP (TVM_FFI_LITTLE_ENDIAN == TVM_FFI_IO_USE_LITTLE_ENDIAN)

#endif  // TVM_FFI_ENDIAN_H_
