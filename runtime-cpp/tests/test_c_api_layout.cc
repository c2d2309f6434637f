// C API conformance: sizes, offsets and enum values seen by C++ code that includes
// c_api.h (abi.md §8 items 1-3). These are compile-time facts; the test exists so that a
// broken header fails this build, plus a few run-time spot checks.
#include <gtest/gtest.h>
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/extra/c_env_api.h>

#include <cstddef>
#include <type_traits>

namespace {

#define TVM_FFI_TEST_LAYOUT(T, size, align)                     \
  static_assert(sizeof(T) == (size), #T " has the wrong size"); \
  static_assert(alignof(T) == (align), #T " has the wrong alignment")

TVM_FFI_TEST_LAYOUT(TVMFFIObject, 24, 8);
TVM_FFI_TEST_LAYOUT(TVMFFIAny, 16, 8);
TVM_FFI_TEST_LAYOUT(TVMFFIByteArray, 16, 8);
TVM_FFI_TEST_LAYOUT(TVMFFIShapeCell, 16, 8);
TVM_FFI_TEST_LAYOUT(TVMFFIErrorCell, 72, 8);
TVM_FFI_TEST_LAYOUT(TVMFFISeqCell, 32, 8);
TVM_FFI_TEST_LAYOUT(TVMFFIObjectAllocHeader, 8, 8);
TVM_FFI_TEST_LAYOUT(TVMFFICustomAllocator, 16, 8);
TVM_FFI_TEST_LAYOUT(TVMFFIDefRegionKind, 4, 4);
TVM_FFI_TEST_LAYOUT(TVMFFIFunctionCell, 16, 8);
TVM_FFI_TEST_LAYOUT(TVMFFIOpaqueObjectCell, 8, 8);
TVM_FFI_TEST_LAYOUT(TVMFFIFieldInfo, 120, 8);
TVM_FFI_TEST_LAYOUT(TVMFFIMethodInfo, 72, 8);
TVM_FFI_TEST_LAYOUT(TVMFFITypeMetadata, 32, 8);
TVM_FFI_TEST_LAYOUT(TVMFFITypeAttrColumn, 16, 8);
TVM_FFI_TEST_LAYOUT(TVMFFITypeInfo, 72, 8);
TVM_FFI_TEST_LAYOUT(TVMFFIVersion, 12, 4);
TVM_FFI_TEST_LAYOUT(DLTensor, 48, 8);
TVM_FFI_TEST_LAYOUT(DLManagedTensor, 64, 8);
TVM_FFI_TEST_LAYOUT(DLManagedTensorVersioned, 80, 8);
TVM_FFI_TEST_LAYOUT(DLDevice, 8, 4);
TVM_FFI_TEST_LAYOUT(DLDataType, 4, 2);
static_assert(sizeof(DLPackExchangeAPI) == 56, "DLPackExchangeAPI size");
static_assert(sizeof(TVMFFITypeIndex) == 4 && sizeof(TVMFFIObjectDeleterFlagBitMask) == 4 &&
                  sizeof(TVMFFIBacktraceUpdateMode) == 4 && sizeof(TVMFFIFieldFlagBitMask) == 4 &&
                  sizeof(TVMFFISEqHashKind) == 4 && sizeof(TVMFFIDefRegionKind) == 4,
              "enums are 4 bytes");

static_assert(offsetof(TVMFFIObject, type_index) == 8, "");
static_assert(offsetof(TVMFFIObject, deleter) == 16, "");
static_assert(offsetof(TVMFFIAny, small_str_len) == 4, "");
static_assert(offsetof(TVMFFIAny, v_int64) == 8, "");
static_assert(offsetof(TVMFFIAny, v_bytes) == 8, "");
static_assert(offsetof(TVMFFIErrorCell, message) == 16, "");
static_assert(offsetof(TVMFFIErrorCell, backtrace) == 32, "");
static_assert(offsetof(TVMFFIErrorCell, update_backtrace) == 48, "");
static_assert(offsetof(TVMFFIErrorCell, cause_chain) == 56, "");
static_assert(offsetof(TVMFFIErrorCell, extra_context) == 64, "");
static_assert(offsetof(TVMFFISeqCell, size) == 8 && offsetof(TVMFFISeqCell, capacity) == 16 &&
                  offsetof(TVMFFISeqCell, data_deleter) == 24,
              "");
static_assert(offsetof(TVMFFITypeAttrColumn, size) == 8, "");
static_assert(offsetof(TVMFFITypeAttrColumn, begin_index) == 12, "");
static_assert(sizeof(TVMFFITypeAttrColumn::size) == 4 &&
                  sizeof(TVMFFITypeAttrColumn::begin_index) == 4,
              "");
static_assert(offsetof(TVMFFICustomAllocator, context) == 8, "");
static_assert(offsetof(TVMFFIFunctionCell, cpp_call) == 8, "");
static_assert(offsetof(TVMFFIFieldInfo, flags) == 48, "");
static_assert(offsetof(TVMFFIFieldInfo, offset) == 72, "");
static_assert(offsetof(TVMFFIFieldInfo, getter) == 80, "");
static_assert(offsetof(TVMFFIFieldInfo, setter) == 88, "");
static_assert(offsetof(TVMFFIFieldInfo, default_value_or_factory) == 96, "");
static_assert(offsetof(TVMFFIFieldInfo, default_value) == 96, "0.1.0 name of the same member");
static_assert(std::is_same_v<decltype(TVMFFIFieldInfo::setter), void*>, "setter is void*");
static_assert(offsetof(TVMFFIFieldInfo, field_static_type_index) == 112, "");
static_assert(offsetof(TVMFFIMethodInfo, flags) == 48, "");
static_assert(offsetof(TVMFFIMethodInfo, method) == 56, "");
static_assert(offsetof(TVMFFITypeMetadata, creator) == 16, "");
static_assert(offsetof(TVMFFITypeMetadata, total_size) == 24, "");
static_assert(offsetof(TVMFFITypeMetadata, structural_eq_hash_kind) == 28, "");
static_assert(offsetof(TVMFFITypeInfo, type_key) == 8, "");
static_assert(offsetof(TVMFFITypeInfo, type_ancestors) == 24, "");
static_assert(offsetof(TVMFFITypeInfo, type_key_hash) == 32, "");
static_assert(offsetof(TVMFFITypeInfo, num_fields) == 40, "");
static_assert(offsetof(TVMFFITypeInfo, num_methods) == 44, "");
static_assert(offsetof(TVMFFITypeInfo, fields) == 48, "");
static_assert(offsetof(TVMFFITypeInfo, methods) == 56, "");
static_assert(offsetof(TVMFFITypeInfo, metadata) == 64, "");
static_assert(offsetof(DLManagedTensorVersioned, manager_ctx) == 8, "");
static_assert(offsetof(DLManagedTensorVersioned, deleter) == 16, "");
static_assert(offsetof(DLManagedTensorVersioned, flags) == 24, "");
static_assert(offsetof(DLManagedTensorVersioned, dl_tensor) == 32, "");
static_assert(offsetof(DLManagedTensor, manager_ctx) == 48, "");

static_assert(kTVMFFIAny == -1 && kTVMFFINone == 0 && kTVMFFIInt == 1 && kTVMFFIBool == 2 &&
                  kTVMFFIFloat == 3 && kTVMFFIOpaquePtr == 4 && kTVMFFIDataType == 5 &&
                  kTVMFFIDevice == 6 && kTVMFFIDLTensorPtr == 7 && kTVMFFIRawStr == 8 &&
                  kTVMFFIByteArrayPtr == 9 && kTVMFFIObjectRValueRef == 10 &&
                  kTVMFFISmallStr == 11 && kTVMFFISmallBytes == 12,
              "POD type indices");
static_assert(kTVMFFIStaticObjectBegin == 64 && kTVMFFIObject == 64 && kTVMFFIStr == 65 &&
                  kTVMFFIBytes == 66 && kTVMFFIError == 67 && kTVMFFIFunction == 68 &&
                  kTVMFFIShape == 69 && kTVMFFITensor == 70 && kTVMFFIArray == 71 &&
                  kTVMFFIMap == 72 && kTVMFFIModule == 73 && kTVMFFIOpaquePyObject == 74 &&
                  kTVMFFIList == 75 && kTVMFFIDict == 76 && kTVMFFIVisitInterrupt == 77 &&
                  kTVMFFIBigInt == 78 && kTVMFFIStaticObjectEnd == 79 &&
                  kTVMFFIDynObjectBegin == 128,
              "object type indices");
static_assert(kTVMFFIObjectDeleterFlagBitMaskStrong == 1 &&
                  kTVMFFIObjectDeleterFlagBitMaskWeak == 2 &&
                  kTVMFFIObjectDeleterFlagBitMaskBoth == 3,
              "deleter flags");
static_assert(kTVMFFIBacktraceUpdateModeReplace == 0 && kTVMFFIBacktraceUpdateModeAppend == 1,
              "backtrace update modes");
static_assert(
    kTVMFFIFieldFlagBitMaskWritable == 1 && kTVMFFIFieldFlagBitMaskHasDefault == 2 &&
        kTVMFFIFieldFlagBitMaskIsStaticMethod == 4 && kTVMFFIFieldFlagBitMaskSEqHashIgnore == 8 &&
        kTVMFFIFieldFlagBitMaskSEqHashDef == 16 && kTVMFFIFieldFlagBitMaskSEqHashDefPattern == 16 &&
        kTVMFFIFieldFlagBitMaskDefaultFromFactory == 32 && kTVMFFIFieldFlagBitMaskReprOff == 64 &&
        kTVMFFIFieldFlagBitMaskCompareOff == 128 && kTVMFFIFieldFlagBitMaskHashOff == 256 &&
        kTVMFFIFieldFlagBitMaskInitOff == 512 && kTVMFFIFieldFlagBitMaskKwOnly == 1024 &&
        kTVMFFIFieldFlagBitSetterIsFunctionObj == 2048 &&
        kTVMFFIFieldFlagBitMaskSEqHashDefSimple == 4096,
    "field flags");
static_assert(kTVMFFIDefRegionKindNone == 0 && kTVMFFIDefRegionKindPattern == 1 &&
                  kTVMFFIDefRegionKindSimple == 2,
              "def region kinds");
static_assert(kTVMFFISEqHashKindUnsupported == 0 && kTVMFFISEqHashKindTreeNode == 1 &&
                  kTVMFFISEqHashKindFreeVar == 2 && kTVMFFISEqHashKindDAGNode == 3 &&
                  kTVMFFISEqHashKindConstTreeNode == 4 && kTVMFFISEqHashKindUniqueInstance == 5,
              "structural eq/hash kinds");
static_assert(TVM_FFI_VERSION_MAJOR == 0 && TVM_FFI_VERSION_MINOR == 1 &&
                  TVM_FFI_VERSION_PATCH == 16,
              "version macros");
static_assert(DLPACK_MAJOR_VERSION == 1 && DLPACK_MINOR_VERSION == 3, "bundled DLPack");

TEST(CAPILayout, InlineHelpersAreOffsetsFromTheHandle) {
  alignas(8) unsigned char block[128] = {};
  void* handle = block;
  EXPECT_EQ(reinterpret_cast<unsigned char*>(TVMFFIBytesGetByteArrayPtr(handle)), block + 24);
  EXPECT_EQ(reinterpret_cast<unsigned char*>(TVMFFIErrorGetCellPtr(handle)), block + 24);
  EXPECT_EQ(reinterpret_cast<unsigned char*>(TVMFFIFunctionGetCellPtr(handle)), block + 24);
  EXPECT_EQ(reinterpret_cast<unsigned char*>(TVMFFIOpaqueObjectGetCellPtr(handle)), block + 24);
  EXPECT_EQ(reinterpret_cast<unsigned char*>(TVMFFIShapeGetCellPtr(handle)), block + 24);
  EXPECT_EQ(reinterpret_cast<unsigned char*>(TVMFFITensorGetDLTensorPtr(handle)), block + 24);
  static_cast<TVMFFIObject*>(handle)->type_index = 1234;
  EXPECT_EQ(TVMFFIObjectGetTypeIndex(handle), 1234);
  DLDevice dev = TVMFFIDLDeviceFromIntPair(kDLCUDA, 3);
  EXPECT_EQ(dev.device_type, kDLCUDA);
  EXPECT_EQ(dev.device_id, 3);
}

}  // namespace
