/*
 * dlpack/dlpack.h -- DLPack 1.3 tensor-exchange declarations, as used by the TVM FFI ABI.
 *
 * This file is an independent rendering of the published DLPack 1.3 binary layout (names,
 * enumerator values and struct layouts are fixed by DLPack; everything else here is our own).
 * DLPack 1.3 has the same structs and enumerators as 1.2; only the version number differs.
 * Objects produced by any other DLPack 1.x implementation can be consumed through these
 * declarations and vice versa: consumers check `version.major == 1` only, so a 1.2 producer and
 * a 1.3 producer (e.g. an exchange-API table whose header says {1, 3}) are both accepted.
 *
 * Layout summary (x86_64, LP64):
 *   DLPackVersion               8 bytes, align 4
 *   DLDevice                    8 bytes, align 4
 *   DLDataType                  4 bytes, align 2
 *   DLTensor                   48 bytes, align 8
 *   DLManagedTensor            64 bytes, align 8
 *   DLManagedTensorVersioned   80 bytes, align 8
 *   DLPackExchangeAPIHeader    16 bytes, align 8
 *   DLPackExchangeAPI          56 bytes, align 8
 *
 * The header is valid C (C99 and later) and C++ (C++11 and later). In C++ every declaration has
 * C language linkage.
 */
/* The guard name is the conventional one for this file, so that projects that happen to see
 * another copy of a DLPack 1.x header do not get duplicate definitions. */
#ifndef DLPACK_DLPACK_H_
#define DLPACK_DLPACK_H_

/* ------------------------------------------------------------------------------------------ */
/* Linkage helpers                                                                              */
/* ------------------------------------------------------------------------------------------ */

/*!
 * \brief Expands to `extern "C"` when compiled as C++ and to nothing in C.
 *        Meant for prefixing individual declarations that must keep C linkage.
 */
#ifndef DLPACK_EXTERN_C
#ifdef __cplusplus
#define DLPACK_EXTERN_C extern "C"
#else
#define DLPACK_EXTERN_C
#endif
#endif

/*!
 * \brief Import/export decoration for functions implemented by a DLPack-providing DLL.
 *        On Windows it is `__declspec(dllexport)` while building that DLL (DLPACK_EXPORTS
 *        defined) and `__declspec(dllimport)` otherwise; elsewhere it expands to nothing.
 */
#ifndef DLPACK_DLL
#ifdef _WIN32
#ifdef DLPACK_EXPORTS
#define DLPACK_DLL __declspec(dllexport)
#else
#define DLPACK_DLL __declspec(dllimport)
#endif
#else
#define DLPACK_DLL
#endif
#endif

/* ------------------------------------------------------------------------------------------ */
/* Version                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/*! \brief Major DLPack version described by this header. A major bump breaks the ABI. */
#define DLPACK_MAJOR_VERSION 1

/*! \brief Minor DLPack version described by this header. Minor bumps only add to the ABI. */
#define DLPACK_MINOR_VERSION 3

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*!
 * \brief A (major, minor) DLPack version pair, stored inside versioned exchange objects.
 *
 * Size 8, align 4: `major` at offset 0, `minor` at offset 4.
 * A consumer must refuse a tensor whose `major` differs from the one it understands.
 */
typedef struct {
  /*! \brief Major version; equals DLPACK_MAJOR_VERSION for producers built with this header. */
  uint32_t major;
  /*! \brief Minor version; equals DLPACK_MINOR_VERSION for producers built with this header. */
  uint32_t minor;
} DLPackVersion;

/* ------------------------------------------------------------------------------------------ */
/* Devices                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/*!
 * \brief Kind of device (memory space) a tensor's data lives on.
 *
 * The values are fixed by DLPack and are part of the ABI; values 5 and 6 are unused.
 * In C++ the underlying type is pinned to int32_t; in C the enum is 4 bytes on every supported
 * compiler because all values fit in `int`.
 */
#ifdef __cplusplus
typedef enum : int32_t {
#else
typedef enum {
#endif
  /*! \brief Ordinary host memory. */
  kDLCPU = 1,
  /*! \brief NVIDIA CUDA device memory. */
  kDLCUDA = 2,
  /*! \brief Host memory pinned (page-locked) through the CUDA driver. */
  kDLCUDAHost = 3,
  /*! \brief OpenCL device memory. */
  kDLOpenCL = 4,
  /*! \brief Vulkan buffer memory. */
  kDLVulkan = 7,
  /*! \brief Apple Metal memory. */
  kDLMetal = 8,
  /*! \brief Verilog simulator (VPI) buffer. */
  kDLVPI = 9,
  /*! \brief AMD ROCm/HIP device memory. */
  kDLROCM = 10,
  /*! \brief Host memory pinned through ROCm/HIP. */
  kDLROCMHost = 11,
  /*! \brief Reserved for out-of-tree ("extension") devices. */
  kDLExtDev = 12,
  /*! \brief CUDA unified (managed) memory, addressable from host and device. */
  kDLCUDAManaged = 13,
  /*! \brief Unified shared memory via oneAPI (SYCL); the device id is the SYCL device index. */
  kDLOneAPI = 14,
  /*! \brief WebGPU buffer memory. */
  kDLWebGPU = 15,
  /*! \brief Qualcomm Hexagon DSP memory. */
  kDLHexagon = 16,
  /*! \brief Microsoft MAIA accelerator memory. */
  kDLMAIA = 17,
  /*! \brief AWS Trainium accelerator memory. */
  kDLTrn = 18,
} DLDeviceType;

/*!
 * \brief A concrete device: kind plus ordinal.
 *
 * Size 8, align 4: `device_type` at offset 0, `device_id` at offset 4.
 */
typedef struct {
  /*! \brief Kind of device (a DLDeviceType value, stored in 4 bytes). */
  DLDeviceType device_type;
  /*! \brief Ordinal of the device among devices of the same kind (0 for plain CPU). */
  int32_t device_id;
} DLDevice;

/* ------------------------------------------------------------------------------------------ */
/* Element types                                                                                */
/* ------------------------------------------------------------------------------------------ */

/*!
 * \brief Category of a tensor element; stored in the one-byte `DLDataType::code` field.
 *
 * Values 0..17 are fixed by DLPack (unchanged in 1.3). For the narrow floating point formats (codes 7..17) the
 * exact encoding is implied by the code itself; `bits` still carries the storage width.
 */
typedef enum {
  /*! \brief Two's complement signed integer. */
  kDLInt = 0,
  /*! \brief Unsigned integer. */
  kDLUInt = 1,
  /*! \brief IEEE 754 binary floating point. */
  kDLFloat = 2,
  /*! \brief Opaque pointer-sized handle; the element content is not interpreted. */
  kDLOpaqueHandle = 3,
  /*! \brief "brain" floating point: 8 exponent bits, truncated mantissa. */
  kDLBfloat = 4,
  /*! \brief Complex number made of two floats of half the total bit width each. */
  kDLComplex = 5,
  /*! \brief Boolean stored in `bits` bits (non-zero means true). */
  kDLBool = 6,
  /*! \brief 8-bit float, 3 exponent bits, 4 mantissa bits. */
  kDLFloat8_e3m4 = 7,
  /*! \brief 8-bit float, 4 exponent bits, 3 mantissa bits (IEEE-like, with infinities). */
  kDLFloat8_e4m3 = 8,
  /*! \brief 8-bit float e4m3 with exponent bias 11, finite-only, NaN encoded as negative zero. */
  kDLFloat8_e4m3b11fnuz = 9,
  /*! \brief 8-bit float e4m3, finite-only (no infinities). */
  kDLFloat8_e4m3fn = 10,
  /*! \brief 8-bit float e4m3, finite-only, unsigned zero (NaN encoded as negative zero). */
  kDLFloat8_e4m3fnuz = 11,
  /*! \brief 8-bit float, 5 exponent bits, 2 mantissa bits. */
  kDLFloat8_e5m2 = 12,
  /*! \brief 8-bit float e5m2, finite-only, unsigned zero. */
  kDLFloat8_e5m2fnuz = 13,
  /*! \brief 8-bit exponent-only float (scale format), finite-only, no sign bit. */
  kDLFloat8_e8m0fnu = 14,
  /*! \brief 6-bit float, 2 exponent bits, 3 mantissa bits, finite-only. */
  kDLFloat6_e2m3fn = 15,
  /*! \brief 6-bit float, 3 exponent bits, 2 mantissa bits, finite-only. */
  kDLFloat6_e3m2fn = 16,
  /*! \brief 4-bit float, 2 exponent bits, 1 mantissa bit, finite-only. */
  kDLFloat4_e2m1fn = 17,
} DLDataTypeCode;

/*!
 * \brief Element type of a tensor.
 *
 * Size 4, align 2: `code` at offset 0, `bits` at offset 1, `lanes` at offset 2.
 * Examples: float32 = {kDLFloat, 32, 1}; int8 vector of 4 = {kDLInt, 8, 4};
 * bool as stored by most frameworks = {kDLBool, 8, 1}.
 */
typedef struct {
  /*! \brief A DLDataTypeCode value (kept as one byte to fix the layout). */
  uint8_t code;
  /*! \brief Number of bits of one lane, e.g. 8, 16, 32. */
  uint8_t bits;
  /*! \brief Number of lanes for vector types (1 for scalars). */
  uint16_t lanes;
} DLDataType;

/* ------------------------------------------------------------------------------------------ */
/* Tensors                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/*!
 * \brief A non-owning description of an n-dimensional strided array.
 *
 * Size 48, align 8:
 *   0 data, 8 device, 16 ndim, 20 dtype, 24 shape, 32 strides, 40 byte_offset.
 *
 * The first element lives at `(char*)data + byte_offset`. Element (i0, i1, ...) lives
 * `sum(ik * strides[k])` elements further. When `strides` is NULL the array is compact and
 * row-major (last dimension varies fastest).
 */
typedef struct {
  /*!
   * \brief Base address of the allocation (device address for device memory; for some APIs
   *        such as OpenCL this is an opaque handle). Should be aligned to 256 bytes by producers
   *        that own the allocation; use `byte_offset` to address sub-regions.
   */
  void* data;
  /*! \brief Device on which `data` lives. */
  DLDevice device;
  /*! \brief Number of dimensions (0 for a scalar). */
  int32_t ndim;
  /*! \brief Element type. */
  DLDataType dtype;
  /*! \brief Array of `ndim` extents. */
  int64_t* shape;
  /*! \brief Array of `ndim` strides counted in elements, or NULL for compact row-major. */
  int64_t* strides;
  /*! \brief Offset in bytes from `data` to the first element. */
  uint64_t byte_offset;
} DLTensor;

/*!
 * \brief Legacy (unversioned) owning tensor handed from a producer to a consumer.
 *
 * Size 64, align 8: `dl_tensor` at 0, `manager_ctx` at 48, `deleter` at 56.
 * The consumer calls `deleter(self)` exactly once when it no longer needs the tensor.
 * New code should prefer DLManagedTensorVersioned.
 */
typedef struct DLManagedTensor {
  /*! \brief The tensor view being handed over. */
  DLTensor dl_tensor;
  /*! \brief Producer-private context (typically the producer's own tensor object). */
  void* manager_ctx;
  /*! \brief Releases the tensor; may be NULL when nothing has to be released. */
  void (*deleter)(struct DLManagedTensor* self);
} DLManagedTensor;

/*!
 * \brief Flag bit: the consumer must not write through `dl_tensor.data`.
 */
#define DLPACK_FLAG_BITMASK_READ_ONLY (1UL << 0UL)

/*!
 * \brief Flag bit: the producer made a fresh copy for this exchange, so the data is not shared
 *        with any other live tensor.
 */
#define DLPACK_FLAG_BITMASK_IS_COPIED (1UL << 1UL)

/*!
 * \brief Flag bit: elements of a sub-byte type (bits < 8) are each padded out to a whole byte
 *        instead of being packed.
 */
#define DLPACK_FLAG_BITMASK_IS_SUBBYTE_TYPE_PADDED (1UL << 2UL)

/*!
 * \brief Versioned owning tensor handed from a producer to a consumer (DLPack >= 1.0).
 *
 * Size 80, align 8:
 *   0 version, 8 manager_ctx, 16 deleter, 24 flags, 32 dl_tensor.
 * The consumer checks `version.major` first, then calls `deleter(self)` exactly once when done.
 * Fields after `flags` may grow in later minor versions, which is why `dl_tensor` is last.
 */
typedef struct DLManagedTensorVersioned {
  /*! \brief DLPack version the producer used to fill this struct. */
  DLPackVersion version;
  /*! \brief Producer-private context. */
  void* manager_ctx;
  /*! \brief Releases the tensor; may be NULL when nothing has to be released. */
  void (*deleter)(struct DLManagedTensorVersioned* self);
  /*! \brief Bitwise OR of DLPACK_FLAG_BITMASK_* values. */
  uint64_t flags;
  /*! \brief The tensor view being handed over. */
  DLTensor dl_tensor;
} DLManagedTensorVersioned;

/* ------------------------------------------------------------------------------------------ */
/* Exchange API (DLPack 1.2+): a table of C callbacks a framework publishes for fast exchange   */
/* ------------------------------------------------------------------------------------------ */

/*!
 * \brief Allocates a new owning tensor that matches a prototype.
 *
 * \param prototype Only `ndim`, `shape`, `dtype` and `device` are meaningful.
 * \param out Receives the new tensor on success (ownership passes to the caller).
 * \param error_ctx Opaque value to hand back to `SetError`.
 * \param SetError Callback used to report a failure as (kind, message), e.g.
 *        ("RuntimeError", "out of memory").
 * \return 0 on success; non-zero after `SetError` was called.
 */
typedef int (*DLPackManagedTensorAllocator)(DLTensor* prototype, DLManagedTensorVersioned** out,
                                            void* error_ctx,
                                            void (*SetError)(void* error_ctx, const char* kind,
                                                             const char* message));

/*!
 * \brief Exports a framework tensor (given as a host-language object pointer, e.g. PyObject*)
 *        as a new owning versioned tensor, without any stream synchronisation.
 * \return 0 on success; non-zero with a host-language error pending.
 */
typedef int (*DLPackManagedTensorFromPyObjectNoSync)(void* py_object,
                                                     DLManagedTensorVersioned** out);

/*!
 * \brief Wraps an owning versioned tensor into a new framework tensor object (ownership of
 *        `tensor` moves into the new object), without stream synchronisation.
 * \return 0 on success; non-zero with a host-language error pending.
 */
typedef int (*DLPackManagedTensorToPyObjectNoSync)(DLManagedTensorVersioned* tensor,
                                                   void** out_py_object);

/*!
 * \brief Fills a non-owning DLTensor view of a framework tensor object (valid while the object
 *        is alive), without stream synchronisation.
 * \return 0 on success; non-zero with a host-language error pending.
 */
typedef int (*DLPackDLTensorFromPyObjectNoSync)(void* py_object, DLTensor* out);

/*!
 * \brief Reports the framework's current work stream (e.g. cudaStream_t) for a device.
 * \return 0 on success; non-zero with a host-language error pending.
 */
typedef int (*DLPackCurrentWorkStream)(DLDeviceType device_type, int32_t device_id,
                                       void** out_current_stream);

/*!
 * \brief Common prefix of every exchange-API table version.
 *
 * Size 16, align 8: `version` at 0, `prev_api` at 8. `prev_api` chains to a table that
 * implements an older version (or is NULL), so consumers can fall back.
 */
typedef struct DLPackExchangeAPIHeader {
  /*! \brief DLPack version of the table that starts with this header. */
  DLPackVersion version;
  /*! \brief Table for an older version, or NULL. */
  struct DLPackExchangeAPIHeader* prev_api;
} DLPackExchangeAPIHeader;

/*!
 * \brief Exchange-API table of DLPack 1.2 and 1.3 (same layout).
 *
 * Size 56, align 8: header 0, managed_tensor_allocator 16,
 * managed_tensor_from_py_object_no_sync 24, managed_tensor_to_py_object_no_sync 32,
 * dltensor_from_py_object_no_sync 40, current_work_stream 48.
 */
typedef struct DLPackExchangeAPI {
  /*! \brief Version header; `header.version` is {1, 2} or {1, 3} for this layout. */
  DLPackExchangeAPIHeader header;
  /*! \brief Allocator producing framework-owned tensors. */
  DLPackManagedTensorAllocator managed_tensor_allocator;
  /*! \brief Framework object -> owning versioned tensor. */
  DLPackManagedTensorFromPyObjectNoSync managed_tensor_from_py_object_no_sync;
  /*! \brief Owning versioned tensor -> framework object. */
  DLPackManagedTensorToPyObjectNoSync managed_tensor_to_py_object_no_sync;
  /*! \brief Framework object -> borrowed DLTensor view. */
  DLPackDLTensorFromPyObjectNoSync dltensor_from_py_object_no_sync;
  /*! \brief Query of the framework's current stream. */
  DLPackCurrentWorkStream current_work_stream;
} DLPackExchangeAPI;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* DLPACK_DLPACK_H_ */
