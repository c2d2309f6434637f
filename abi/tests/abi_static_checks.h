/*
 * Compile-time checks of the TVM FFI C ABI (abi.md §2, §3, §8 items 1-3).
 *
 * Included by exactly one C11 translation unit and one C++17 translation unit. Before including,
 * the including file defines:
 *   ABI_STATIC_ASSERT(cond, msg)   -> _Static_assert / static_assert
 *   ABI_ALIGNOF(T)                 -> _Alignof / alignof
 *   ABI_SAME_TYPE(expr, T)         -> integer constant, 1 iff `expr` has exactly type T
 *                                     (C: _Generic; C++: std::is_same<decltype(expr), T>)
 *
 * All numbers are the x86_64 (LP64) layout facts of the ABI.
 */
#ifndef TVM_FFI_ABI_TESTS_ABI_STATIC_CHECKS_H_
#define TVM_FFI_ABI_TESTS_ABI_STATIC_CHECKS_H_

#include <dlpack/dlpack.h>
#include <stddef.h>
#include <stdint.h>
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/extra/c_env_api.h>

#if UINTPTR_MAX != 0xFFFFFFFFFFFFFFFFu
#error "the ABI layout tests describe 64-bit (LP64) targets only"
#endif

/* sizeof / alignof of a type */
#define ABI_CHECK_SIZE_ALIGN(T, size, align)                          \
  ABI_STATIC_ASSERT(sizeof(T) == (size), "sizeof(" #T ") != " #size); \
  ABI_STATIC_ASSERT(ABI_ALIGNOF(T) == (align), "alignof(" #T ") != " #align)

/* offset, size and exact C type of a struct member */
#define ABI_CHECK_FIELD(S, field, off, size, T)                                                \
  ABI_STATIC_ASSERT(offsetof(S, field) == (off), "offsetof(" #S ", " #field ") != " #off);     \
  ABI_STATIC_ASSERT(sizeof(((S*)0)->field) == (size), "sizeof(" #S "::" #field ") != " #size); \
  ABI_STATIC_ASSERT(ABI_SAME_TYPE(((S*)0)->field, T), "type of " #S "::" #field " is not " #T)

/* offset and size only (array members, whose type C's _Generic cannot see undecayed) */
#define ABI_CHECK_FIELD_NOTYPE(S, field, off, size)                                        \
  ABI_STATIC_ASSERT(offsetof(S, field) == (off), "offsetof(" #S ", " #field ") != " #off); \
  ABI_STATIC_ASSERT(sizeof(((S*)0)->field) == (size), "sizeof(" #S "::" #field ") != " #size)

/* exact type of a declared function (the function is named only in an unevaluated context) */
#define ABI_CHECK_FUNCTION(fn, FnPtrType) \
  ABI_STATIC_ASSERT(ABI_SAME_TYPE(&fn, FnPtrType), "signature of " #fn)

#define ABI_CHECK_VALUE(name, value) ABI_STATIC_ASSERT((name) == (value), #name " != " #value)

/* ---------------------------------------------------------------------------------------- */
/* Version macros (abi.md §1.1, §6)                                                          */
/* ---------------------------------------------------------------------------------------- */
#if !defined(TVM_FFI_VERSION_MAJOR) || TVM_FFI_VERSION_MAJOR != 0
#error "TVM_FFI_VERSION_MAJOR must be 0"
#endif
#if !defined(TVM_FFI_VERSION_MINOR) || TVM_FFI_VERSION_MINOR != 1
#error "TVM_FFI_VERSION_MINOR must be 1"
#endif
#if !defined(TVM_FFI_VERSION_PATCH) || TVM_FFI_VERSION_PATCH != 16
#error "TVM_FFI_VERSION_PATCH must be 16"
#endif
#if !defined(TVM_FFI_ATTRIBUTE_PURE)
#error "TVM_FFI_ATTRIBUTE_PURE must be defined by c_api.h"
#endif
#if !defined(DLPACK_MAJOR_VERSION) || DLPACK_MAJOR_VERSION != 1
#error "DLPACK_MAJOR_VERSION must be 1"
#endif
#if !defined(DLPACK_MINOR_VERSION) || DLPACK_MINOR_VERSION != 3
#error "DLPACK_MINOR_VERSION must be 3"
#endif
#if !defined(TVM_FFI_DLL) || !defined(TVM_FFI_DLL_EXPORT) || !defined(TVM_FFI_WEAK)
#error "TVM_FFI_DLL, TVM_FFI_DLL_EXPORT and TVM_FFI_WEAK must be defined by c_api.h"
#endif
#if !defined(DLPACK_EXTERN_C) || !defined(DLPACK_DLL)
#error "DLPACK_EXTERN_C and DLPACK_DLL must be defined by dlpack.h"
#endif

/* ---------------------------------------------------------------------------------------- */
/* §2.1 TVMFFITypeIndex                                                                      */
/* ---------------------------------------------------------------------------------------- */
ABI_CHECK_VALUE(kTVMFFIAny, -1);
ABI_CHECK_VALUE(kTVMFFINone, 0);
ABI_CHECK_VALUE(kTVMFFIInt, 1);
ABI_CHECK_VALUE(kTVMFFIBool, 2);
ABI_CHECK_VALUE(kTVMFFIFloat, 3);
ABI_CHECK_VALUE(kTVMFFIOpaquePtr, 4);
ABI_CHECK_VALUE(kTVMFFIDataType, 5);
ABI_CHECK_VALUE(kTVMFFIDevice, 6);
ABI_CHECK_VALUE(kTVMFFIDLTensorPtr, 7);
ABI_CHECK_VALUE(kTVMFFIRawStr, 8);
ABI_CHECK_VALUE(kTVMFFIByteArrayPtr, 9);
ABI_CHECK_VALUE(kTVMFFIObjectRValueRef, 10);
ABI_CHECK_VALUE(kTVMFFISmallStr, 11);
ABI_CHECK_VALUE(kTVMFFISmallBytes, 12);
ABI_CHECK_VALUE(kTVMFFIUnchanged, 13);
ABI_CHECK_VALUE(kTVMFFIStaticObjectBegin, 64);
ABI_CHECK_VALUE(kTVMFFIObject, 64);
ABI_CHECK_VALUE(kTVMFFIStr, 65);
ABI_CHECK_VALUE(kTVMFFIBytes, 66);
ABI_CHECK_VALUE(kTVMFFIError, 67);
ABI_CHECK_VALUE(kTVMFFIFunction, 68);
ABI_CHECK_VALUE(kTVMFFIShape, 69);
ABI_CHECK_VALUE(kTVMFFITensor, 70);
ABI_CHECK_VALUE(kTVMFFIArray, 71);
ABI_CHECK_VALUE(kTVMFFIMap, 72);
ABI_CHECK_VALUE(kTVMFFIModule, 73);
ABI_CHECK_VALUE(kTVMFFIOpaquePyObject, 74);
ABI_CHECK_VALUE(kTVMFFIList, 75);
ABI_CHECK_VALUE(kTVMFFIDict, 76);
ABI_CHECK_VALUE(kTVMFFIVisitInterrupt, 77);
ABI_CHECK_VALUE(kTVMFFIBigInt, 78);
ABI_CHECK_VALUE(kTVMFFIStaticObjectEnd, 79);
ABI_CHECK_VALUE(kTVMFFIDynObjectBegin, 128);

/* §2.2 - §2.5 */
ABI_CHECK_VALUE(kTVMFFIObjectDeleterFlagBitMaskStrong, 1);
ABI_CHECK_VALUE(kTVMFFIObjectDeleterFlagBitMaskWeak, 2);
ABI_CHECK_VALUE(kTVMFFIObjectDeleterFlagBitMaskBoth, 3);
ABI_CHECK_VALUE(kTVMFFIBacktraceUpdateModeReplace, 0);
ABI_CHECK_VALUE(kTVMFFIBacktraceUpdateModeAppend, 1);
ABI_CHECK_VALUE(kTVMFFIFieldFlagBitMaskWritable, 1);
ABI_CHECK_VALUE(kTVMFFIFieldFlagBitMaskHasDefault, 2);
ABI_CHECK_VALUE(kTVMFFIFieldFlagBitMaskIsStaticMethod, 4);
ABI_CHECK_VALUE(kTVMFFIFieldFlagBitMaskSEqHashIgnore, 8);
ABI_CHECK_VALUE(kTVMFFIFieldFlagBitMaskSEqHashDef, 16);
ABI_CHECK_VALUE(kTVMFFIFieldFlagBitMaskSEqHashDefPattern, 16);
ABI_CHECK_VALUE(kTVMFFIFieldFlagBitMaskDefaultFromFactory, 32);
ABI_CHECK_VALUE(kTVMFFIFieldFlagBitMaskReprOff, 64);
ABI_CHECK_VALUE(kTVMFFIFieldFlagBitMaskCompareOff, 128);
ABI_CHECK_VALUE(kTVMFFIFieldFlagBitMaskHashOff, 256);
ABI_CHECK_VALUE(kTVMFFIFieldFlagBitMaskInitOff, 512);
ABI_CHECK_VALUE(kTVMFFIFieldFlagBitMaskKwOnly, 1024);
ABI_CHECK_VALUE(kTVMFFIFieldFlagBitSetterIsFunctionObj, 2048);
ABI_CHECK_VALUE(kTVMFFIFieldFlagBitMaskSEqHashDefSimple, 4096);
ABI_CHECK_VALUE(kTVMFFIDefRegionKindNone, 0);
ABI_CHECK_VALUE(kTVMFFIDefRegionKindPattern, 1);
ABI_CHECK_VALUE(kTVMFFIDefRegionKindSimple, 2);
ABI_CHECK_VALUE(kTVMFFISEqHashKindUnsupported, 0);
ABI_CHECK_VALUE(kTVMFFISEqHashKindTreeNode, 1);
ABI_CHECK_VALUE(kTVMFFISEqHashKindFreeVar, 2);
ABI_CHECK_VALUE(kTVMFFISEqHashKindDAGNode, 3);
ABI_CHECK_VALUE(kTVMFFISEqHashKindConstTreeNode, 4);
ABI_CHECK_VALUE(kTVMFFISEqHashKindUniqueInstance, 5);

/* §2.6 DLPack enums and flags */
ABI_CHECK_VALUE(kDLCPU, 1);
ABI_CHECK_VALUE(kDLCUDA, 2);
ABI_CHECK_VALUE(kDLCUDAHost, 3);
ABI_CHECK_VALUE(kDLOpenCL, 4);
ABI_CHECK_VALUE(kDLVulkan, 7);
ABI_CHECK_VALUE(kDLMetal, 8);
ABI_CHECK_VALUE(kDLVPI, 9);
ABI_CHECK_VALUE(kDLROCM, 10);
ABI_CHECK_VALUE(kDLROCMHost, 11);
ABI_CHECK_VALUE(kDLExtDev, 12);
ABI_CHECK_VALUE(kDLCUDAManaged, 13);
ABI_CHECK_VALUE(kDLOneAPI, 14);
ABI_CHECK_VALUE(kDLWebGPU, 15);
ABI_CHECK_VALUE(kDLHexagon, 16);
ABI_CHECK_VALUE(kDLMAIA, 17);
ABI_CHECK_VALUE(kDLTrn, 18);

ABI_CHECK_VALUE(kDLInt, 0);
ABI_CHECK_VALUE(kDLUInt, 1);
ABI_CHECK_VALUE(kDLFloat, 2);
ABI_CHECK_VALUE(kDLOpaqueHandle, 3);
ABI_CHECK_VALUE(kDLBfloat, 4);
ABI_CHECK_VALUE(kDLComplex, 5);
ABI_CHECK_VALUE(kDLBool, 6);
ABI_CHECK_VALUE(kDLFloat8_e3m4, 7);
ABI_CHECK_VALUE(kDLFloat8_e4m3, 8);
ABI_CHECK_VALUE(kDLFloat8_e4m3b11fnuz, 9);
ABI_CHECK_VALUE(kDLFloat8_e4m3fn, 10);
ABI_CHECK_VALUE(kDLFloat8_e4m3fnuz, 11);
ABI_CHECK_VALUE(kDLFloat8_e5m2, 12);
ABI_CHECK_VALUE(kDLFloat8_e5m2fnuz, 13);
ABI_CHECK_VALUE(kDLFloat8_e8m0fnu, 14);
ABI_CHECK_VALUE(kDLFloat6_e2m3fn, 15);
ABI_CHECK_VALUE(kDLFloat6_e3m2fn, 16);
ABI_CHECK_VALUE(kDLFloat4_e2m1fn, 17);

ABI_CHECK_VALUE(DLPACK_FLAG_BITMASK_READ_ONLY, 1);
ABI_CHECK_VALUE(DLPACK_FLAG_BITMASK_IS_COPIED, 2);
ABI_CHECK_VALUE(DLPACK_FLAG_BITMASK_IS_SUBBYTE_TYPE_PADDED, 4);

/* Every enumeration is 4 bytes (§1.3, §8 item 1). */
ABI_CHECK_SIZE_ALIGN(TVMFFITypeIndex, 4, 4);
ABI_CHECK_SIZE_ALIGN(TVMFFIObjectDeleterFlagBitMask, 4, 4);
ABI_CHECK_SIZE_ALIGN(TVMFFIBacktraceUpdateMode, 4, 4);
ABI_CHECK_SIZE_ALIGN(TVMFFIFieldFlagBitMask, 4, 4);
ABI_CHECK_SIZE_ALIGN(TVMFFISEqHashKind, 4, 4);
ABI_CHECK_SIZE_ALIGN(DLDeviceType, 4, 4);
ABI_CHECK_SIZE_ALIGN(DLDataTypeCode, 4, 4);

/* ---------------------------------------------------------------------------------------- */
/* §3 structs: sizeof / alignof (§8 item 1)                                                  */
/* ---------------------------------------------------------------------------------------- */
ABI_CHECK_SIZE_ALIGN(TVMFFIObject, 24, 8);
ABI_CHECK_SIZE_ALIGN(TVMFFIAny, 16, 8);
ABI_CHECK_SIZE_ALIGN(TVMFFIByteArray, 16, 8);
ABI_CHECK_SIZE_ALIGN(TVMFFIVersion, 12, 4);
ABI_CHECK_SIZE_ALIGN(TVMFFIShapeCell, 16, 8);
ABI_CHECK_SIZE_ALIGN(TVMFFISeqCell, 32, 8);
ABI_CHECK_SIZE_ALIGN(TVMFFIErrorCell, 72, 8);
ABI_CHECK_SIZE_ALIGN(TVMFFIFunctionCell, 16, 8);
ABI_CHECK_SIZE_ALIGN(TVMFFIOpaqueObjectCell, 8, 8);
ABI_CHECK_SIZE_ALIGN(TVMFFIFieldInfo, 120, 8);
ABI_CHECK_SIZE_ALIGN(TVMFFIMethodInfo, 72, 8);
ABI_CHECK_SIZE_ALIGN(TVMFFITypeMetadata, 32, 8);
ABI_CHECK_SIZE_ALIGN(TVMFFITypeAttrColumn, 16, 8);
ABI_CHECK_SIZE_ALIGN(TVMFFIObjectAllocHeader, 8, 8);
ABI_CHECK_SIZE_ALIGN(TVMFFICustomAllocator, 16, 8);
ABI_CHECK_SIZE_ALIGN(TVMFFIDefRegionKind, 4, 4);
ABI_CHECK_SIZE_ALIGN(TVMFFITypeInfo, 72, 8);
ABI_CHECK_SIZE_ALIGN(struct TVMFFITypeInfo, 72, 8);
ABI_CHECK_SIZE_ALIGN(TVMFFIObjectHandle, 8, 8);
ABI_CHECK_SIZE_ALIGN(TVMFFIStreamHandle, 8, 8);
ABI_CHECK_SIZE_ALIGN(TVMFFISafeCallType, 8, 8);
ABI_CHECK_SIZE_ALIGN(TVMFFIFieldGetter, 8, 8);
ABI_CHECK_SIZE_ALIGN(TVMFFIFieldSetter, 8, 8);
ABI_CHECK_SIZE_ALIGN(TVMFFIObjectCreator, 8, 8);

/* DLPack (§3.14) */
ABI_CHECK_SIZE_ALIGN(DLPackVersion, 8, 4);
ABI_CHECK_SIZE_ALIGN(DLDevice, 8, 4);
ABI_CHECK_SIZE_ALIGN(DLDataType, 4, 2);
ABI_CHECK_SIZE_ALIGN(DLTensor, 48, 8);
ABI_CHECK_SIZE_ALIGN(DLManagedTensor, 64, 8);
ABI_CHECK_SIZE_ALIGN(DLManagedTensorVersioned, 80, 8);
ABI_CHECK_SIZE_ALIGN(DLPackExchangeAPIHeader, 16, 8);
ABI_CHECK_SIZE_ALIGN(DLPackExchangeAPI, 56, 8);
ABI_CHECK_SIZE_ALIGN(DLPackManagedTensorAllocator, 8, 8);
ABI_CHECK_SIZE_ALIGN(DLPackManagedTensorFromPyObjectNoSync, 8, 8);
ABI_CHECK_SIZE_ALIGN(DLPackManagedTensorToPyObjectNoSync, 8, 8);
ABI_CHECK_SIZE_ALIGN(DLPackDLTensorFromPyObjectNoSync, 8, 8);
ABI_CHECK_SIZE_ALIGN(DLPackCurrentWorkStream, 8, 8);

/* ---------------------------------------------------------------------------------------- */
/* §3 structs: every field (§8 item 2)                                                       */
/* ---------------------------------------------------------------------------------------- */

/* §3.1 TVMFFIObject */
ABI_CHECK_FIELD(TVMFFIObject, combined_ref_count, 0, 8, uint64_t);
ABI_CHECK_FIELD(TVMFFIObject, type_index, 8, 4, int32_t);
ABI_CHECK_FIELD(TVMFFIObject, __padding, 12, 4, uint32_t);
ABI_CHECK_FIELD(TVMFFIObject, deleter, 16, 8, void (*)(void*, int));
ABI_CHECK_FIELD(TVMFFIObject, __ensure_align, 16, 8, int64_t);

/* §3.2 TVMFFIAny */
ABI_CHECK_FIELD(TVMFFIAny, type_index, 0, 4, int32_t);
ABI_CHECK_FIELD(TVMFFIAny, zero_padding, 4, 4, uint32_t);
ABI_CHECK_FIELD(TVMFFIAny, small_str_len, 4, 4, uint32_t);
ABI_CHECK_FIELD(TVMFFIAny, v_int64, 8, 8, int64_t);
ABI_CHECK_FIELD(TVMFFIAny, v_float64, 8, 8, double);
ABI_CHECK_FIELD(TVMFFIAny, v_ptr, 8, 8, void*);
ABI_CHECK_FIELD(TVMFFIAny, v_c_str, 8, 8, const char*);
ABI_CHECK_FIELD(TVMFFIAny, v_obj, 8, 8, TVMFFIObject*);
ABI_CHECK_FIELD(TVMFFIAny, v_dtype, 8, 4, DLDataType);
ABI_CHECK_FIELD(TVMFFIAny, v_device, 8, 8, DLDevice);
ABI_CHECK_FIELD_NOTYPE(TVMFFIAny, v_bytes, 8, 8);
ABI_CHECK_FIELD(TVMFFIAny, v_uint64, 8, 8, uint64_t);

/* §3.3 TVMFFIByteArray */
ABI_CHECK_FIELD(TVMFFIByteArray, data, 0, 8, const char*);
ABI_CHECK_FIELD(TVMFFIByteArray, size, 8, 8, size_t);

/* §3.4 TVMFFIVersion */
ABI_CHECK_FIELD(TVMFFIVersion, major, 0, 4, uint32_t);
ABI_CHECK_FIELD(TVMFFIVersion, minor, 4, 4, uint32_t);
ABI_CHECK_FIELD(TVMFFIVersion, patch, 8, 4, uint32_t);

/* §3.6 TVMFFIErrorCell */
ABI_CHECK_FIELD(TVMFFIErrorCell, kind, 0, 16, TVMFFIByteArray);
ABI_CHECK_FIELD(TVMFFIErrorCell, message, 16, 16, TVMFFIByteArray);
ABI_CHECK_FIELD(TVMFFIErrorCell, backtrace, 32, 16, TVMFFIByteArray);
ABI_CHECK_FIELD(TVMFFIErrorCell, update_backtrace, 48, 8,
                void (*)(TVMFFIObjectHandle, const TVMFFIByteArray*, int32_t));
ABI_CHECK_FIELD(TVMFFIErrorCell, cause_chain, 56, 8, TVMFFIObjectHandle);
ABI_CHECK_FIELD(TVMFFIErrorCell, extra_context, 64, 8, TVMFFIObjectHandle);

/* §3.7 TVMFFIFunctionCell */
ABI_CHECK_FIELD(TVMFFIFunctionCell, safe_call, 0, 8, TVMFFISafeCallType);
ABI_CHECK_FIELD(TVMFFIFunctionCell, cpp_call, 8, 8, void*);
ABI_STATIC_ASSERT(ABI_SAME_TYPE(((TVMFFIFunctionCell*)0)->safe_call,
                                int (*)(void*, const TVMFFIAny*, int32_t, TVMFFIAny*)),
                  "TVMFFISafeCallType signature");

/* TVMFFISeqCell (Array and List payload) */
ABI_CHECK_FIELD(TVMFFISeqCell, data, 0, 8, void*);
ABI_CHECK_FIELD(TVMFFISeqCell, size, 8, 8, int64_t);
ABI_CHECK_FIELD(TVMFFISeqCell, capacity, 16, 8, int64_t);
ABI_CHECK_FIELD(TVMFFISeqCell, data_deleter, 24, 8, void (*)(void*));

/* §3.8 TVMFFIShapeCell */
ABI_CHECK_FIELD(TVMFFIShapeCell, data, 0, 8, const int64_t*);
ABI_CHECK_FIELD(TVMFFIShapeCell, size, 8, 8, size_t);

/* §3.10 TVMFFIOpaqueObjectCell */
ABI_CHECK_FIELD(TVMFFIOpaqueObjectCell, handle, 0, 8, void*);

/* §3.11 reflection */
ABI_CHECK_FIELD(TVMFFIFieldInfo, name, 0, 16, TVMFFIByteArray);
ABI_CHECK_FIELD(TVMFFIFieldInfo, doc, 16, 16, TVMFFIByteArray);
ABI_CHECK_FIELD(TVMFFIFieldInfo, metadata, 32, 16, TVMFFIByteArray);
ABI_CHECK_FIELD(TVMFFIFieldInfo, flags, 48, 8, int64_t);
ABI_CHECK_FIELD(TVMFFIFieldInfo, size, 56, 8, int64_t);
ABI_CHECK_FIELD(TVMFFIFieldInfo, alignment, 64, 8, int64_t);
ABI_CHECK_FIELD(TVMFFIFieldInfo, offset, 72, 8, int64_t);
ABI_CHECK_FIELD(TVMFFIFieldInfo, getter, 80, 8, TVMFFIFieldGetter);
ABI_CHECK_FIELD(TVMFFIFieldInfo, setter, 88, 8, void*);
ABI_CHECK_FIELD(TVMFFIFieldInfo, default_value_or_factory, 96, 16, TVMFFIAny);
ABI_CHECK_FIELD(TVMFFIFieldInfo, default_value, 96, 16, TVMFFIAny); /* 0.1.0 name, same member */
ABI_CHECK_FIELD(TVMFFIFieldInfo, field_static_type_index, 112, 4, int32_t);
ABI_STATIC_ASSERT(ABI_SAME_TYPE(((TVMFFIFieldInfo*)0)->getter, int (*)(void*, TVMFFIAny*)),
                  "TVMFFIFieldGetter signature");
ABI_STATIC_ASSERT(ABI_SAME_TYPE((TVMFFIFieldSetter)0, int (*)(void*, const TVMFFIAny*)),
                  "TVMFFIFieldSetter signature");

ABI_CHECK_FIELD(TVMFFIMethodInfo, name, 0, 16, TVMFFIByteArray);
ABI_CHECK_FIELD(TVMFFIMethodInfo, doc, 16, 16, TVMFFIByteArray);
ABI_CHECK_FIELD(TVMFFIMethodInfo, metadata, 32, 16, TVMFFIByteArray);
ABI_CHECK_FIELD(TVMFFIMethodInfo, flags, 48, 8, int64_t);
ABI_CHECK_FIELD(TVMFFIMethodInfo, method, 56, 16, TVMFFIAny);

ABI_CHECK_FIELD(TVMFFITypeMetadata, doc, 0, 16, TVMFFIByteArray);
ABI_CHECK_FIELD(TVMFFITypeMetadata, creator, 16, 8, TVMFFIObjectCreator);
ABI_CHECK_FIELD(TVMFFITypeMetadata, total_size, 24, 4, int32_t);
ABI_CHECK_FIELD(TVMFFITypeMetadata, structural_eq_hash_kind, 28, 4, TVMFFISEqHashKind);
ABI_STATIC_ASSERT(ABI_SAME_TYPE(((TVMFFITypeMetadata*)0)->creator, int (*)(TVMFFIObjectHandle*)),
                  "TVMFFIObjectCreator signature");

ABI_CHECK_FIELD(TVMFFITypeAttrColumn, data, 0, 8, const TVMFFIAny*);
ABI_CHECK_FIELD(TVMFFITypeAttrColumn, size, 8, 4, int32_t);
ABI_CHECK_FIELD(TVMFFITypeAttrColumn, begin_index, 12, 4, int32_t);

ABI_CHECK_FIELD(TVMFFIObjectAllocHeader, delete_space, 0, 8, void (*)(void*));
ABI_CHECK_FIELD(TVMFFICustomAllocator, allocate, 0, 8, void* (*)(size_t, size_t, int32_t, void*));
ABI_CHECK_FIELD(TVMFFICustomAllocator, context, 8, 8, void*);

ABI_CHECK_FIELD(TVMFFITypeInfo, type_index, 0, 4, int32_t);
ABI_CHECK_FIELD(TVMFFITypeInfo, type_depth, 4, 4, int32_t);
ABI_CHECK_FIELD(TVMFFITypeInfo, type_key, 8, 16, TVMFFIByteArray);
ABI_CHECK_FIELD(TVMFFITypeInfo, type_ancestors, 24, 8, const struct TVMFFITypeInfo**);
ABI_CHECK_FIELD(TVMFFITypeInfo, type_key_hash, 32, 8, uint64_t);
ABI_CHECK_FIELD(TVMFFITypeInfo, num_fields, 40, 4, int32_t);
ABI_CHECK_FIELD(TVMFFITypeInfo, num_methods, 44, 4, int32_t);
ABI_CHECK_FIELD(TVMFFITypeInfo, fields, 48, 8, const TVMFFIFieldInfo*);
ABI_CHECK_FIELD(TVMFFITypeInfo, methods, 56, 8, const TVMFFIMethodInfo*);
ABI_CHECK_FIELD(TVMFFITypeInfo, metadata, 64, 8, const TVMFFITypeMetadata*);

/* §3.14 DLPack */
ABI_CHECK_FIELD(DLPackVersion, major, 0, 4, uint32_t);
ABI_CHECK_FIELD(DLPackVersion, minor, 4, 4, uint32_t);
ABI_CHECK_FIELD(DLDevice, device_type, 0, 4, DLDeviceType);
ABI_CHECK_FIELD(DLDevice, device_id, 4, 4, int32_t);
ABI_CHECK_FIELD(DLDataType, code, 0, 1, uint8_t);
ABI_CHECK_FIELD(DLDataType, bits, 1, 1, uint8_t);
ABI_CHECK_FIELD(DLDataType, lanes, 2, 2, uint16_t);
ABI_CHECK_FIELD(DLTensor, data, 0, 8, void*);
ABI_CHECK_FIELD(DLTensor, device, 8, 8, DLDevice);
ABI_CHECK_FIELD(DLTensor, ndim, 16, 4, int32_t);
ABI_CHECK_FIELD(DLTensor, dtype, 20, 4, DLDataType);
ABI_CHECK_FIELD(DLTensor, shape, 24, 8, int64_t*);
ABI_CHECK_FIELD(DLTensor, strides, 32, 8, int64_t*);
ABI_CHECK_FIELD(DLTensor, byte_offset, 40, 8, uint64_t);
ABI_CHECK_FIELD(DLManagedTensor, dl_tensor, 0, 48, DLTensor);
ABI_CHECK_FIELD(DLManagedTensor, manager_ctx, 48, 8, void*);
ABI_CHECK_FIELD(DLManagedTensor, deleter, 56, 8, void (*)(struct DLManagedTensor*));
ABI_CHECK_FIELD(DLManagedTensorVersioned, version, 0, 8, DLPackVersion);
ABI_CHECK_FIELD(DLManagedTensorVersioned, manager_ctx, 8, 8, void*);
ABI_CHECK_FIELD(DLManagedTensorVersioned, deleter, 16, 8,
                void (*)(struct DLManagedTensorVersioned*));
ABI_CHECK_FIELD(DLManagedTensorVersioned, flags, 24, 8, uint64_t);
ABI_CHECK_FIELD(DLManagedTensorVersioned, dl_tensor, 32, 48, DLTensor);
ABI_CHECK_FIELD(DLPackExchangeAPIHeader, version, 0, 8, DLPackVersion);
ABI_CHECK_FIELD(DLPackExchangeAPIHeader, prev_api, 8, 8, struct DLPackExchangeAPIHeader*);
ABI_CHECK_FIELD(DLPackExchangeAPI, header, 0, 16, DLPackExchangeAPIHeader);
ABI_CHECK_FIELD(DLPackExchangeAPI, managed_tensor_allocator, 16, 8, DLPackManagedTensorAllocator);
ABI_CHECK_FIELD(DLPackExchangeAPI, managed_tensor_from_py_object_no_sync, 24, 8,
                DLPackManagedTensorFromPyObjectNoSync);
ABI_CHECK_FIELD(DLPackExchangeAPI, managed_tensor_to_py_object_no_sync, 32, 8,
                DLPackManagedTensorToPyObjectNoSync);
ABI_CHECK_FIELD(DLPackExchangeAPI, dltensor_from_py_object_no_sync, 40, 8,
                DLPackDLTensorFromPyObjectNoSync);
ABI_CHECK_FIELD(DLPackExchangeAPI, current_work_stream, 48, 8, DLPackCurrentWorkStream);

/* §6 signatures of the DLPack exchange typedefs */
ABI_STATIC_ASSERT(ABI_SAME_TYPE(((DLPackExchangeAPI*)0)->managed_tensor_allocator,
                                int (*)(DLTensor*, DLManagedTensorVersioned**, void*,
                                        void (*)(void*, const char*, const char*))),
                  "DLPackManagedTensorAllocator signature");
ABI_STATIC_ASSERT(ABI_SAME_TYPE(((DLPackExchangeAPI*)0)->managed_tensor_from_py_object_no_sync,
                                int (*)(void*, DLManagedTensorVersioned**)),
                  "DLPackManagedTensorFromPyObjectNoSync signature");
ABI_STATIC_ASSERT(ABI_SAME_TYPE(((DLPackExchangeAPI*)0)->managed_tensor_to_py_object_no_sync,
                                int (*)(DLManagedTensorVersioned*, void**)),
                  "DLPackManagedTensorToPyObjectNoSync signature");
ABI_STATIC_ASSERT(ABI_SAME_TYPE(((DLPackExchangeAPI*)0)->dltensor_from_py_object_no_sync,
                                int (*)(void*, DLTensor*)),
                  "DLPackDLTensorFromPyObjectNoSync signature");
ABI_STATIC_ASSERT(ABI_SAME_TYPE(((DLPackExchangeAPI*)0)->current_work_stream,
                                int (*)(DLDeviceType, int32_t, void**)),
                  "DLPackCurrentWorkStream signature");

/* ---------------------------------------------------------------------------------------- */
/* Object layouts built from the header + cell (§3.5 - §3.10, "offset in object" columns)    */
/* ---------------------------------------------------------------------------------------- */
typedef struct {
  TVMFFIObject header;
  TVMFFIByteArray bytes;
} AbiTestStringObj;
typedef struct {
  TVMFFIObject header;
  TVMFFIErrorCell cell;
} AbiTestErrorObj;
typedef struct {
  TVMFFIObject header;
  TVMFFIFunctionCell cell;
} AbiTestFunctionObj;
typedef struct {
  TVMFFIObject header;
  TVMFFIShapeCell cell;
} AbiTestShapeObj;
typedef struct {
  TVMFFIObject header;
  DLTensor tensor;
} AbiTestTensorObj;
typedef struct {
  TVMFFIObject header;
  TVMFFIOpaqueObjectCell cell;
} AbiTestOpaqueObj;

ABI_STATIC_ASSERT(offsetof(AbiTestStringObj, bytes) == 24, "string/bytes payload at obj+24");
ABI_STATIC_ASSERT(offsetof(AbiTestStringObj, bytes.data) == 24, "string data at obj+24");
ABI_STATIC_ASSERT(offsetof(AbiTestStringObj, bytes.size) == 32, "string size at obj+32");
ABI_STATIC_ASSERT(sizeof(AbiTestStringObj) == 40, "string object part is 40 bytes");
ABI_STATIC_ASSERT(offsetof(AbiTestErrorObj, cell.kind) == 24, "error kind at obj+24");
ABI_STATIC_ASSERT(offsetof(AbiTestErrorObj, cell.message) == 40, "error message at obj+40");
ABI_STATIC_ASSERT(offsetof(AbiTestErrorObj, cell.backtrace) == 56, "error backtrace at obj+56");
ABI_STATIC_ASSERT(offsetof(AbiTestErrorObj, cell.update_backtrace) == 72,
                  "error update_backtrace at obj+72");
ABI_STATIC_ASSERT(offsetof(AbiTestErrorObj, cell.cause_chain) == 80, "cause_chain at obj+80");
ABI_STATIC_ASSERT(offsetof(AbiTestErrorObj, cell.extra_context) == 88, "extra_context at obj+88");
ABI_STATIC_ASSERT(sizeof(AbiTestErrorObj) == 96, "error object is 96 bytes");
ABI_STATIC_ASSERT(offsetof(AbiTestFunctionObj, cell.safe_call) == 24, "safe_call at obj+24");
ABI_STATIC_ASSERT(offsetof(AbiTestFunctionObj, cell.cpp_call) == 32, "cpp_call at obj+32");
ABI_STATIC_ASSERT(sizeof(AbiTestFunctionObj) == 40, "function object is 40 bytes");
ABI_STATIC_ASSERT(offsetof(AbiTestShapeObj, cell.data) == 24, "shape data at obj+24");
ABI_STATIC_ASSERT(offsetof(AbiTestShapeObj, cell.size) == 32, "shape size at obj+32");
ABI_STATIC_ASSERT(sizeof(AbiTestShapeObj) == 40, "shape object is 40 bytes");
ABI_STATIC_ASSERT(offsetof(AbiTestTensorObj, tensor) == 24, "DLTensor at obj+24");
ABI_STATIC_ASSERT(sizeof(AbiTestTensorObj) == 72, "tensor public part is 72 bytes");
ABI_STATIC_ASSERT(offsetof(AbiTestOpaqueObj, cell.handle) == 24, "opaque handle at obj+24");
ABI_STATIC_ASSERT(sizeof(AbiTestOpaqueObj) == 32, "opaque object is 32 bytes");

/* ---------------------------------------------------------------------------------------- */
/* §4.1: exact signatures of the 50 exported functions (checked without referencing them)   */
/* ---------------------------------------------------------------------------------------- */
ABI_CHECK_FUNCTION(TVMFFIGetVersion, void (*)(TVMFFIVersion*));
ABI_CHECK_FUNCTION(TVMFFIObjectIncRef, int (*)(TVMFFIObjectHandle));
ABI_CHECK_FUNCTION(TVMFFIObjectDecRef, int (*)(TVMFFIObjectHandle));
ABI_CHECK_FUNCTION(TVMFFIObjectCreateOpaque,
                   int (*)(void*, int32_t, void (*)(void*), TVMFFIObjectHandle*));
ABI_CHECK_FUNCTION(TVMFFITypeKeyToIndex, int (*)(const TVMFFIByteArray*, int32_t*));
ABI_CHECK_FUNCTION(TVMFFIFunctionCreate,
                   int (*)(void*, TVMFFISafeCallType, void (*)(void*), TVMFFIObjectHandle*));
ABI_CHECK_FUNCTION(TVMFFIFunctionGetGlobal, int (*)(const TVMFFIByteArray*, TVMFFIObjectHandle*));
ABI_CHECK_FUNCTION(TVMFFIAnyViewToOwnedAny, int (*)(const TVMFFIAny*, TVMFFIAny*));
ABI_CHECK_FUNCTION(TVMFFIFunctionCall,
                   int (*)(TVMFFIObjectHandle, TVMFFIAny*, int32_t, TVMFFIAny*));
ABI_CHECK_FUNCTION(TVMFFIErrorMoveFromRaised, void (*)(TVMFFIObjectHandle*));
ABI_CHECK_FUNCTION(TVMFFIErrorSetRaised, void (*)(TVMFFIObjectHandle));
ABI_CHECK_FUNCTION(TVMFFIErrorSetRaisedFromCStr, void (*)(const char*, const char*));
ABI_CHECK_FUNCTION(TVMFFIErrorSetRaisedFromCStrParts, void (*)(const char*, const char**, int32_t));
ABI_CHECK_FUNCTION(TVMFFIErrorCreate, int (*)(const TVMFFIByteArray*, const TVMFFIByteArray*,
                                              const TVMFFIByteArray*, TVMFFIObjectHandle*));
ABI_CHECK_FUNCTION(TVMFFITensorFromDLPack,
                   int (*)(DLManagedTensor*, int32_t, int32_t, TVMFFIObjectHandle*));
ABI_CHECK_FUNCTION(TVMFFITensorToDLPack, int (*)(TVMFFIObjectHandle, DLManagedTensor**));
ABI_CHECK_FUNCTION(TVMFFITensorFromDLPackVersioned,
                   int (*)(DLManagedTensorVersioned*, int32_t, int32_t, TVMFFIObjectHandle*));
ABI_CHECK_FUNCTION(TVMFFITensorToDLPackVersioned,
                   int (*)(TVMFFIObjectHandle, DLManagedTensorVersioned**));
ABI_CHECK_FUNCTION(TVMFFIStringFromByteArray, int (*)(const TVMFFIByteArray*, TVMFFIAny*));
ABI_CHECK_FUNCTION(TVMFFIBytesFromByteArray, int (*)(const TVMFFIByteArray*, TVMFFIAny*));
ABI_CHECK_FUNCTION(TVMFFIDataTypeFromString, int (*)(const TVMFFIByteArray*, DLDataType*));
ABI_CHECK_FUNCTION(TVMFFIDataTypeToString, int (*)(const DLDataType*, TVMFFIAny*));
ABI_CHECK_FUNCTION(TVMFFIFunctionSetGlobal,
                   int (*)(const TVMFFIByteArray*, TVMFFIObjectHandle, int));
ABI_CHECK_FUNCTION(TVMFFIFunctionSetGlobalFromMethodInfo, int (*)(const TVMFFIMethodInfo*, int));
ABI_CHECK_FUNCTION(TVMFFITypeRegisterField, int (*)(int32_t, const TVMFFIFieldInfo*));
ABI_CHECK_FUNCTION(TVMFFITypeRegisterMethod, int (*)(int32_t, const TVMFFIMethodInfo*));
ABI_CHECK_FUNCTION(TVMFFITypeRegisterMetadata, int (*)(int32_t, const TVMFFITypeMetadata*));
ABI_CHECK_FUNCTION(TVMFFITypeRegisterAttr,
                   int (*)(int32_t, const TVMFFIByteArray*, const TVMFFIAny*));
ABI_CHECK_FUNCTION(TVMFFIGetTypeAttrColumn,
                   const TVMFFITypeAttrColumn* (*)(const TVMFFIByteArray*));
ABI_CHECK_FUNCTION(TVMFFIBacktrace, const TVMFFIByteArray* (*)(const char*, int, const char*, int));
ABI_CHECK_FUNCTION(TVMFFITypeGetOrAllocIndex, int32_t (*)(const TVMFFIByteArray*, int32_t, int32_t,
                                                          int32_t, int32_t, int32_t));
ABI_CHECK_FUNCTION(TVMFFIGetTypeInfo, const TVMFFITypeInfo* (*)(int32_t));
ABI_CHECK_FUNCTION(TVMFFIBigIntFromByteArray, int (*)(const TVMFFIByteArray*, TVMFFIAny*));
ABI_CHECK_FUNCTION(TVMFFIBigIntGetContentByteArray, TVMFFIByteArray (*)(const TVMFFIAny*));
ABI_CHECK_FUNCTION(TVMFFIErrorCreateWithCauseAndExtraContext,
                   int (*)(const TVMFFIByteArray*, const TVMFFIByteArray*, const TVMFFIByteArray*,
                           TVMFFIObjectHandle, TVMFFIObjectHandle, TVMFFIObjectHandle*));
ABI_CHECK_FUNCTION(TVMFFIGetCustomAllocator, TVMFFICustomAllocator* (*)(void));
ABI_CHECK_FUNCTION(TVMFFISetCustomAllocator, int (*)(TVMFFICustomAllocator*));
ABI_CHECK_FUNCTION(TVMFFIHandleInitOnce, int (*)(void**, int (*)(void**)));
ABI_CHECK_FUNCTION(TVMFFIHandleDeinitOnce, int (*)(void**, int (*)(void*)));
ABI_CHECK_FUNCTION(TVMFFITensorCreateUnsafeView,
                   int (*)(TVMFFIObjectHandle, const DLTensor*, TVMFFIObjectHandle*));
ABI_CHECK_FUNCTION(TVMFFIEnvSetStream,
                   int (*)(int32_t, int32_t, TVMFFIStreamHandle, TVMFFIStreamHandle*));
ABI_CHECK_FUNCTION(TVMFFIEnvGetStream, TVMFFIStreamHandle (*)(int32_t, int32_t));
ABI_CHECK_FUNCTION(TVMFFIEnvSetDLPackManagedTensorAllocator,
                   int (*)(DLPackManagedTensorAllocator, int, DLPackManagedTensorAllocator*));
ABI_CHECK_FUNCTION(TVMFFIEnvGetDLPackManagedTensorAllocator,
                   DLPackManagedTensorAllocator (*)(void));
ABI_CHECK_FUNCTION(TVMFFIEnvTensorAlloc, int (*)(DLTensor*, TVMFFIObjectHandle*));
ABI_CHECK_FUNCTION(TVMFFIEnvCheckSignals, int (*)(void));
ABI_CHECK_FUNCTION(TVMFFIEnvRegisterCAPI, int (*)(const char*, void*));
ABI_CHECK_FUNCTION(TVMFFIEnvModLookupFromImports,
                   int (*)(TVMFFIObjectHandle, const char*, TVMFFIObjectHandle*));
ABI_CHECK_FUNCTION(TVMFFIEnvModRegisterContextSymbol, int (*)(const char*, void*));
ABI_CHECK_FUNCTION(TVMFFIEnvModRegisterSystemLibSymbol, int (*)(const char*, void*));

#endif /* TVM_FFI_ABI_TESTS_ABI_STATIC_CHECKS_H_ */
