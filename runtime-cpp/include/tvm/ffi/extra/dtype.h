/*!
 * \file tvm/ffi/extra/dtype.h
 * \brief dtype_trait<T>::value: the DLDataType of a C++ element type.
 *
 * Signed and unsigned char/short/int/long/long long (sizeof(T) * 8 bits), float, double, bool
 * (`{kDLBool, 8, 1}`), and the CUDA/HIP low-precision types, which are only declared here (the
 * CUDA/HIP headers define them): __half, __nv_bfloat16, __nv_fp8_e4m3 (float8_e4m3fn),
 * __nv_fp8_e5m2, __nv_fp8_e8m0 (float8_e8m0fnu), __nv_fp4_e2m1, __nv_fp4x2_e2m1 (2 lanes),
 * __hip_bfloat16, __hip_fp8_e4m3_fnuz, __hip_fp8_e5m2_fnuz, __hip_fp8_e4m3, __hip_fp8_e5m2.
 * Plain `char` has no trait (its signedness is implementation-defined).
 */
#ifndef TVM_FFI_EXTRA_DTYPE_H_
#define TVM_FFI_EXTRA_DTYPE_H_

#include <tvm/ffi/c_api.h>

#include <cstdint>

// Forward declarations of the device element types (defined by the CUDA / HIP headers).
struct __half;
struct __nv_bfloat16;
struct __nv_fp8_e4m3;
struct __nv_fp8_e5m2;
struct __nv_fp8_e8m0;
struct __nv_fp4_e2m1;
struct __nv_fp4x2_e2m1;
struct __hip_bfloat16;
struct __hip_fp8_e4m3_fnuz;
struct __hip_fp8_e5m2_fnuz;
struct __hip_fp8_e4m3;
struct __hip_fp8_e5m2;

namespace tvm {
namespace ffi {

/*! \brief No trait for types without a DLPack data type. */
template <typename T>
struct dtype_trait;

namespace details {
template <uint8_t kCode, uint8_t kBits, uint16_t kLanes = 1>
struct DTypeTraitOf {
  static constexpr DLDataType value = {kCode, kBits, kLanes};
};
template <typename T, uint8_t kCode>
struct DTypeTraitOfSize : DTypeTraitOf<kCode, static_cast<uint8_t>(sizeof(T) * 8)> {};
}  // namespace details

template <>
struct dtype_trait<signed char> : details::DTypeTraitOfSize<signed char, kDLInt> {};
template <>
struct dtype_trait<unsigned char> : details::DTypeTraitOfSize<unsigned char, kDLUInt> {};
template <>
struct dtype_trait<short> : details::DTypeTraitOfSize<short, kDLInt> {};  // NOLINT(runtime/int)
template <>
struct dtype_trait<unsigned short>                            // NOLINT(runtime/int)
    : details::DTypeTraitOfSize<unsigned short, kDLUInt> {};  // NOLINT(runtime/int)
template <>
struct dtype_trait<int> : details::DTypeTraitOfSize<int, kDLInt> {};
template <>
struct dtype_trait<unsigned int> : details::DTypeTraitOfSize<unsigned int, kDLUInt> {};
template <>
struct dtype_trait<long> : details::DTypeTraitOfSize<long, kDLInt> {};  // NOLINT(runtime/int)
template <>
struct dtype_trait<unsigned long>                            // NOLINT(runtime/int)
    : details::DTypeTraitOfSize<unsigned long, kDLUInt> {};  // NOLINT(runtime/int)
template <>
struct dtype_trait<long long>                           // NOLINT(runtime/int)
    : details::DTypeTraitOfSize<long long, kDLInt> {};  // NOLINT(runtime/int)
template <>
struct dtype_trait<unsigned long long>                            // NOLINT(runtime/int)
    : details::DTypeTraitOfSize<unsigned long long, kDLUInt> {};  // NOLINT(runtime/int)
template <>
struct dtype_trait<float> : details::DTypeTraitOf<kDLFloat, 32> {};
template <>
struct dtype_trait<double> : details::DTypeTraitOf<kDLFloat, 64> {};
template <>
struct dtype_trait<bool> : details::DTypeTraitOf<kDLBool, 8> {};

template <>
struct dtype_trait<__half> : details::DTypeTraitOf<kDLFloat, 16> {};
template <>
struct dtype_trait<__nv_bfloat16> : details::DTypeTraitOf<kDLBfloat, 16> {};
template <>
struct dtype_trait<__nv_fp8_e4m3> : details::DTypeTraitOf<kDLFloat8_e4m3fn, 8> {};
template <>
struct dtype_trait<__nv_fp8_e5m2> : details::DTypeTraitOf<kDLFloat8_e5m2, 8> {};
template <>
struct dtype_trait<__nv_fp8_e8m0> : details::DTypeTraitOf<kDLFloat8_e8m0fnu, 8> {};
template <>
struct dtype_trait<__nv_fp4_e2m1> : details::DTypeTraitOf<kDLFloat4_e2m1fn, 4> {};
template <>
struct dtype_trait<__nv_fp4x2_e2m1> : details::DTypeTraitOf<kDLFloat4_e2m1fn, 4, 2> {};
template <>
struct dtype_trait<__hip_bfloat16> : details::DTypeTraitOf<kDLBfloat, 16> {};
template <>
struct dtype_trait<__hip_fp8_e4m3_fnuz> : details::DTypeTraitOf<kDLFloat8_e4m3fnuz, 8> {};
template <>
struct dtype_trait<__hip_fp8_e5m2_fnuz> : details::DTypeTraitOf<kDLFloat8_e5m2fnuz, 8> {};
template <>
struct dtype_trait<__hip_fp8_e4m3> : details::DTypeTraitOf<kDLFloat8_e4m3fn, 8> {};
template <>
struct dtype_trait<__hip_fp8_e5m2> : details::DTypeTraitOf<kDLFloat8_e5m2, 8> {};

}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_EXTRA_DTYPE_H_
