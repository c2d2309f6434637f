/*!
 * \file test_tensor.cc
 * \brief Tensor, TensorView and the DLTensor helpers of tvm/ffi/container/tensor.h.
 */
#include <gtest/gtest.h>
#include <tvm/ffi/container/tensor.h>
#include <tvm/ffi/extra/c_env_api.h>
#include <tvm/ffi/function.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "test_utils.h"

namespace {

using tvm::ffi::Any;
using tvm::ffi::AnyView;
using tvm::ffi::Function;
using tvm::ffi::GetDataSize;
using tvm::ffi::Shape;
using tvm::ffi::ShapeView;
using tvm::ffi::Tensor;
using tvm::ffi::TensorObj;
using tvm::ffi::TensorView;
using tvm_ffi_test::ExpectErrorContains;
using tvm_ffi_test::ExpectErrorExact;

constexpr DLDataType kF32{kDLFloat, 32, 1};
constexpr DLDataType kI16{kDLInt, 16, 1};
constexpr DLDevice kCPU{kDLCPU, 0};

std::vector<int64_t> ToVector(ShapeView view) {
  return std::vector<int64_t>(view.begin(), view.end());
}

// ---------------------------------------------------------------------------------------------
// A counting allocator for FromNDAlloc
// ---------------------------------------------------------------------------------------------
struct AllocCounters {
  int alloc = 0;
  int free = 0;
  size_t last_size = 0;
  size_t last_alignment = 0;
};

struct CountingAlloc {
  AllocCounters* counters;
  void AllocData(DLTensor* tensor) { AllocData(tensor, 64); }
  void AllocData(DLTensor* tensor, size_t alignment) {
    ++counters->alloc;
    counters->last_size = GetDataSize(*tensor);
    counters->last_alignment = alignment;
    size_t bytes = (counters->last_size + alignment - 1) / alignment * alignment;
    tensor->data = std::aligned_alloc(alignment, bytes == 0 ? alignment : bytes);
  }
  void FreeData(DLTensor* tensor) {
    ++counters->free;
    std::free(tensor->data);
  }
};

struct ThrowingAlloc {
  AllocCounters* counters;
  void AllocData(DLTensor*) {
    ++counters->alloc;
    TVM_FFI_THROW(RuntimeError) << "device out of memory";
  }
  void FreeData(DLTensor*) { ++counters->free; }
};

// ---------------------------------------------------------------------------------------------
// A DLPack producer whose deleter calls are counted
// ---------------------------------------------------------------------------------------------
struct Producer {
  std::vector<int64_t> shape;
  std::vector<int64_t> strides;
  std::vector<char> buffer;
  int* deleter_calls;
};

template <typename TManaged>
void ProducerDeleter(TManaged* managed) {
  Producer* producer = static_cast<Producer*>(managed->manager_ctx);
  ++*producer->deleter_calls;
  delete producer;
  delete managed;
}

/*!
 * \brief Make a managed float32 tensor of `shape` (strides NULL when `strides` is empty),
 * its data `misalign` bytes past a 64-byte boundary.
 */
template <typename TManaged>
TManaged* MakeProduced(std::vector<int64_t> shape, std::vector<int64_t> strides, int* calls,
                       size_t misalign = 0) {
  Producer* producer = new Producer{std::move(shape), std::move(strides), {}, calls};
  int64_t numel = 1;
  for (int64_t d : producer->shape) numel *= d;
  producer->buffer.resize(static_cast<size_t>(numel) * 4 + 128);
  uintptr_t base = reinterpret_cast<uintptr_t>(producer->buffer.data());
  uintptr_t aligned = (base + 63) / 64 * 64 + misalign;
  TManaged* managed = new TManaged();
  managed->dl_tensor.data = reinterpret_cast<void*>(aligned);
  managed->dl_tensor.device = kCPU;
  managed->dl_tensor.ndim = static_cast<int32_t>(producer->shape.size());
  managed->dl_tensor.dtype = kF32;
  managed->dl_tensor.shape = producer->shape.data();
  managed->dl_tensor.strides = producer->strides.empty() ? nullptr : producer->strides.data();
  managed->dl_tensor.byte_offset = 0;
  managed->manager_ctx = producer;
  managed->deleter = ProducerDeleter<TManaged>;
  return managed;
}

uint32_t StrongCount(const Tensor& t) { return static_cast<uint32_t>(t.use_count()); }

// ---------------------------------------------------------------------------------------------
// Free helpers
// ---------------------------------------------------------------------------------------------

TEST(TensorHelpers, IsDirectAddressDevice) {
  for (DLDeviceType t : {kDLCPU, kDLCUDA, kDLCUDAHost, kDLCUDAManaged, kDLROCM, kDLROCMHost}) {
    EXPECT_TRUE(tvm::ffi::IsDirectAddressDevice(DLDevice{t, 0})) << t;
  }
  for (DLDeviceType t : {kDLOpenCL, kDLVulkan, kDLMetal, kDLVPI, kDLExtDev, kDLOneAPI, kDLWebGPU,
                         kDLHexagon, kDLMAIA, kDLTrn}) {
    EXPECT_FALSE(tvm::ffi::IsDirectAddressDevice(DLDevice{t, 0})) << t;
  }
}

TEST(TensorHelpers, IsContiguous) {
  int64_t shape[3] = {2, 3, 4};
  DLTensor t{};
  t.ndim = 3;
  t.shape = shape;
  t.strides = nullptr;
  EXPECT_TRUE(tvm::ffi::IsContiguous(t));  // NULL strides = compact
  int64_t compact[3] = {12, 4, 1};
  t.strides = compact;
  EXPECT_TRUE(tvm::ffi::IsContiguous(t));
  int64_t transposed[3] = {1, 2, 6};
  t.strides = transposed;
  EXPECT_FALSE(tvm::ffi::IsContiguous(t));
  int64_t padded[3] = {16, 4, 1};
  t.strides = padded;
  EXPECT_FALSE(tvm::ffi::IsContiguous(t));
  // strides of extent-1 dims are ignored
  int64_t unit_shape[3] = {1, 3, 1};
  int64_t odd_strides[3] = {999, 1, 77};
  t.shape = unit_shape;
  t.strides = odd_strides;
  EXPECT_TRUE(tvm::ffi::IsContiguous(t));
  odd_strides[1] = 2;
  EXPECT_FALSE(tvm::ffi::IsContiguous(t));
  // a zero-sized dimension makes any strides contiguous
  int64_t empty_shape[3] = {2, 0, 3};
  int64_t wild_strides[3] = {5, 7, 11};
  t.shape = empty_shape;
  t.strides = wild_strides;
  EXPECT_TRUE(tvm::ffi::IsContiguous(t));
  // scalars are contiguous
  t.ndim = 0;
  EXPECT_TRUE(tvm::ffi::IsContiguous(t));
}

TEST(TensorHelpers, IsAligned) {
  alignas(64) static char buffer[256];
  DLTensor t{};
  t.device = kCPU;
  t.data = buffer;
  t.byte_offset = 0;
  EXPECT_TRUE(tvm::ffi::IsAligned(t, 64));
  t.byte_offset = 16;
  EXPECT_TRUE(tvm::ffi::IsAligned(t, 16));
  EXPECT_FALSE(tvm::ffi::IsAligned(t, 32));
  t.byte_offset = 0;
  t.data = buffer + 1;
  EXPECT_FALSE(tvm::ffi::IsAligned(t, 2));
  EXPECT_TRUE(tvm::ffi::IsAligned(t, 1));
  EXPECT_TRUE(tvm::ffi::IsAligned(t, 0));  // no requirement, no division by zero
  // data+byte_offset is what counts on direct-address devices
  t.byte_offset = 63;
  EXPECT_TRUE(tvm::ffi::IsAligned(t, 64));
  // other devices: data is an opaque handle, only byte_offset is tested
  t.device = DLDevice{kDLVulkan, 0};
  t.data = reinterpret_cast<void*>(0x3);
  t.byte_offset = 128;
  EXPECT_TRUE(tvm::ffi::IsAligned(t, 64));
  t.byte_offset = 8;
  EXPECT_FALSE(tvm::ffi::IsAligned(t, 64));
}

TEST(TensorHelpers, GetDataSize) {
  EXPECT_EQ(GetDataSize(10, kF32), 40u);
  EXPECT_EQ(GetDataSize(0, kF32), 0u);
  EXPECT_EQ(GetDataSize(3, DLDataType{kDLFloat, 16, 4}), 24u);
  // uint1 is packed like every sub-byte type; the bool dtype takes one byte per element
  EXPECT_EQ(GetDataSize(10, DLDataType{kDLUInt, 1, 1}), 2u);
  EXPECT_EQ(GetDataSize(10, DLDataType{kDLBool, 8, 1}), 10u);
  // other sub-byte types are packed, rounded up
  EXPECT_EQ(GetDataSize(3, DLDataType{kDLInt, 4, 1}), 2u);
  EXPECT_EQ(GetDataSize(10, DLDataType{kDLUInt, 1, 8}), 10u);
  EXPECT_EQ(GetDataSize(5, DLDataType{kDLFloat4_e2m1fn, 4, 1}), 3u);
  EXPECT_EQ(GetDataSize(7, DLDataType{kDLBool, 8, 1}), 7u);

  int64_t shape[2] = {3, 5};
  DLTensor t{};
  t.ndim = 2;
  t.shape = shape;
  t.dtype = kI16;
  EXPECT_EQ(GetDataSize(t), 30u);
  t.ndim = 0;  // scalar
  EXPECT_EQ(GetDataSize(t), 2u);
}

// ---------------------------------------------------------------------------------------------
// FromNDAlloc and accessors
// ---------------------------------------------------------------------------------------------

TEST(Tensor, FromNDAllocBasics) {
  AllocCounters counters;
  {
    Tensor t = Tensor::FromNDAlloc(CountingAlloc{&counters}, {2, 3, 4}, kF32, kCPU);
    EXPECT_EQ(counters.alloc, 1);
    EXPECT_EQ(counters.free, 0);
    EXPECT_EQ(counters.last_size, 96u);  // shape/dtype were set before AllocData ran
    EXPECT_TRUE(t.defined());
    EXPECT_EQ(t.type_index(), kTVMFFITensor);
    EXPECT_EQ(t.GetTypeKey(), "ffi.Tensor");
    EXPECT_NE(t.data_ptr(), nullptr);
    EXPECT_EQ(t.ndim(), 3);
    EXPECT_EQ(t.dim(), 3);
    EXPECT_EQ(t.dtype(), kF32);
    EXPECT_EQ(t.device().device_type, kDLCPU);
    EXPECT_EQ(t.device().device_id, 0);
    EXPECT_EQ(ToVector(t.shape()), (std::vector<int64_t>{2, 3, 4}));
    EXPECT_EQ(ToVector(t.sizes()), (std::vector<int64_t>{2, 3, 4}));
    EXPECT_EQ(ToVector(t.strides()), (std::vector<int64_t>{12, 4, 1}));
    EXPECT_EQ(t.numel(), 24);
    EXPECT_EQ(t.byte_offset(), 0u);
    EXPECT_EQ(t.size(0), 2);
    EXPECT_EQ(t.size(2), 4);
    EXPECT_EQ(t.size(-1), 4);
    EXPECT_EQ(t.size(-3), 2);
    EXPECT_EQ(t.stride(0), 12);
    EXPECT_EQ(t.stride(-1), 1);
    EXPECT_TRUE(t.IsContiguous());
    EXPECT_TRUE(t.is_contiguous());
    EXPECT_TRUE(t.IsAligned(64));
    EXPECT_EQ(GetDataSize(t), 96u);
    // the DLTensor follows the 24-byte header; shape and strides live inside the object
    TVMFFIObject* handle = tvm::ffi::details::ObjectUnsafe::TVMFFIObjectPtrFromObjectRef(t);
    EXPECT_EQ(static_cast<const void*>(t.GetDLTensorPtr()),
              static_cast<const void*>(TVMFFITensorGetDLTensorPtr(handle)));
    const char* obj_begin = reinterpret_cast<const char*>(handle);
    const char* shape_ptr = reinterpret_cast<const char*>(t.shape().data());
    EXPECT_GE(shape_ptr, obj_begin + sizeof(TensorObj) + sizeof(CountingAlloc));
    EXPECT_EQ(reinterpret_cast<const char*>(t.strides().data()), shape_ptr + 3 * sizeof(int64_t));

    Tensor copy = t;
    EXPECT_EQ(StrongCount(t), 2u);
    copy = Tensor();
    EXPECT_EQ(StrongCount(t), 1u);
    EXPECT_EQ(counters.free, 0);
  }
  EXPECT_EQ(counters.alloc, 1);
  EXPECT_EQ(counters.free, 1);
}

TEST(Tensor, FromNDAllocShapeKinds) {
  AllocCounters counters;
  // from a Shape object, a ShapeView over a vector, and a scalar (empty shape)
  Tensor a = Tensor::FromNDAlloc(CountingAlloc{&counters}, Shape({5}), kI16, kCPU);
  EXPECT_EQ(ToVector(a.shape()), (std::vector<int64_t>{5}));
  EXPECT_EQ(GetDataSize(a), 10u);
  std::vector<int64_t> dims = {4, 1, 2};
  Tensor b = Tensor::FromNDAlloc(CountingAlloc{&counters}, ShapeView(dims.data(), dims.size()),
                                 kF32, kCPU);
  dims[0] = 100;  // the tensor keeps its own copy
  EXPECT_EQ(b.size(0), 4);
  EXPECT_EQ(ToVector(b.strides()), (std::vector<int64_t>{2, 2, 1}));
  Tensor s = Tensor::FromNDAlloc(CountingAlloc{&counters}, Shape(), kF32, kCPU);
  EXPECT_EQ(s.ndim(), 0);
  EXPECT_EQ(s.numel(), 1);
  EXPECT_EQ(s.shape().size(), 0u);
  EXPECT_EQ(s.strides().size(), 0u);
  EXPECT_EQ(GetDataSize(s), 4u);
  // zero-sized dimension
  Tensor z = Tensor::FromNDAlloc(CountingAlloc{&counters}, {3, 0}, kF32, kCPU);
  EXPECT_EQ(z.numel(), 0);
  EXPECT_EQ(GetDataSize(z), 0u);
  EXPECT_EQ(counters.alloc, 4);
}

TEST(Tensor, FromNDAllocExtraArgs) {
  AllocCounters counters;
  {
    Tensor t =
        Tensor::FromNDAlloc(CountingAlloc{&counters}, {8}, kF32, kCPU, static_cast<size_t>(256));
    EXPECT_EQ(counters.last_alignment, 256u);
    EXPECT_TRUE(t.IsAligned(256));
  }
  EXPECT_EQ(counters.free, 1);
}

TEST(Tensor, FromNDAllocErrors) {
  AllocCounters counters;
  // a failing AllocData propagates, and FreeData is not called for data never allocated
  ExpectErrorExact([&] { Tensor::FromNDAlloc(ThrowingAlloc{&counters}, {2}, kF32, kCPU); },
                   "RuntimeError", "device out of memory");
  EXPECT_EQ(counters.alloc, 1);
  EXPECT_EQ(counters.free, 0);
  // negative dimensions are rejected before anything is allocated
  ExpectErrorExact([&] { Tensor::FromNDAlloc(CountingAlloc{&counters}, {2, -1}, kF32, kCPU); },
                   "ValueError", "FromNDAlloc: dimension 1 of the shape is negative (-1)");
  EXPECT_EQ(counters.alloc, 1);
}

TEST(Tensor, AccessorErrors) {
  AllocCounters counters;
  Tensor t = Tensor::FromNDAlloc(CountingAlloc{&counters}, {2, 3}, kF32, kCPU);
  ExpectErrorExact([&] { t.size(2); }, "IndexError",
                   "Index 2 out of bounds for tensor with 2 dimensions");
  ExpectErrorExact([&] { t.size(-3); }, "IndexError",
                   "Index -3 out of bounds for tensor with 2 dimensions");
  ExpectErrorExact([&] { t.stride(5); }, "IndexError",
                   "Index 5 out of bounds for tensor with 2 dimensions");
  Tensor null_tensor;
  EXPECT_FALSE(null_tensor.defined());
  ExpectErrorExact([&] { null_tensor.data_ptr(); }, "RuntimeError",
                   "Cannot access the fields of an undefined (null) Tensor");
  ExpectErrorExact([&] { null_tensor.ToDLPack(); }, "RuntimeError",
                   "Cannot access the fields of an undefined (null) Tensor");
}

TEST(Tensor, AnyConversion) {
  AllocCounters counters;
  Tensor t = Tensor::FromNDAlloc(CountingAlloc{&counters}, {2}, kF32, kCPU);
  Any a = t;
  EXPECT_EQ(a.type_index(), kTVMFFITensor);
  EXPECT_EQ(StrongCount(t), 2u);
  ASSERT_NE(a.as<TensorObj>(), nullptr);
  EXPECT_EQ(a.as<TensorObj>()->ndim, 1);
  Tensor back = a.cast<Tensor>();
  EXPECT_TRUE(back.same_as(t));
  Tensor none = Any(nullptr).cast<Tensor>();
  EXPECT_FALSE(none.defined());
  ExpectErrorExact([] { Any(1).cast<Tensor>(); }, "TypeError",
                   "Cannot convert from type `int` to `ffi.Tensor`");
  EXPECT_EQ(tvm::ffi::TypeTraits<Tensor>::TypeStr(), "ffi.Tensor");
  EXPECT_EQ(tvm::ffi::TypeTraits<Tensor>::TypeSchema(), R"({"type":"ffi.Tensor"})");
}

// ---------------------------------------------------------------------------------------------
// DLPack import
// ---------------------------------------------------------------------------------------------

TEST(Tensor, FromDLPackLegacySynthesizesStrides) {
  int calls = 0;
  DLManagedTensor* managed = MakeProduced<DLManagedTensor>({10, 8, 4, 2}, {}, &calls);
  void* data = managed->dl_tensor.data;
  int64_t* producer_shape = managed->dl_tensor.shape;
  {
    Tensor t = Tensor::FromDLPack(managed);
    EXPECT_EQ(t.data_ptr(), data);
    EXPECT_EQ(t.shape().data(), producer_shape);  // shape stays with the producer
    EXPECT_EQ(ToVector(t.shape()), (std::vector<int64_t>{10, 8, 4, 2}));
    ASSERT_NE(t.strides().data(), nullptr);
    EXPECT_EQ(ToVector(t.strides()), (std::vector<int64_t>{64, 8, 2, 1}));
    EXPECT_EQ(t.dtype(), kF32);
    EXPECT_TRUE(t.IsContiguous());
    Tensor copy = t;
    t = Tensor();
    EXPECT_EQ(calls, 0);  // still alive through `copy`
  }
  EXPECT_EQ(calls, 1);
}

TEST(Tensor, FromDLPackVersionedKeepsStrides) {
  int calls = 0;
  DLManagedTensorVersioned* managed =
      MakeProduced<DLManagedTensorVersioned>({3, 4}, {1, 3}, &calls);
  managed->version = DLPackVersion{1, 0};
  managed->flags = DLPACK_FLAG_BITMASK_READ_ONLY | DLPACK_FLAG_BITMASK_IS_COPIED;  // ignored
  int64_t* producer_strides = managed->dl_tensor.strides;
  {
    Tensor t = Tensor::FromDLPackVersioned(managed);
    EXPECT_EQ(t.strides().data(), producer_strides);
    EXPECT_EQ(ToVector(t.strides()), (std::vector<int64_t>{1, 3}));
    EXPECT_FALSE(t.IsContiguous());
    EXPECT_EQ(calls, 0);
  }
  EXPECT_EQ(calls, 1);
}

TEST(Tensor, FromDLPackScalar) {
  int calls = 0;
  DLManagedTensor* managed = MakeProduced<DLManagedTensor>({}, {}, &calls);
  {
    Tensor t = Tensor::FromDLPack(managed, 64, true);
    EXPECT_EQ(t.ndim(), 0);
    EXPECT_EQ(t.numel(), 1);
    EXPECT_EQ(t.strides().size(), 0u);
  }
  EXPECT_EQ(calls, 1);
}

TEST(Tensor, FromDLPackMisalignedFails) {
  int calls = 0;
  DLManagedTensor* managed = MakeProduced<DLManagedTensor>({4}, {}, &calls, /*misalign=*/4);
  ExpectErrorExact([&] { Tensor::FromDLPack(managed, 64); }, "RuntimeError",
                   "FromDLPack: Data is not aligned to 64 bytes.");
  EXPECT_EQ(calls, 0);  // ownership stays with the caller
  // a weaker requirement passes, and then the tensor owns it
  {
    Tensor t = Tensor::FromDLPack(managed, 4);
  }
  EXPECT_EQ(calls, 1);

  DLManagedTensorVersioned* versioned =
      MakeProduced<DLManagedTensorVersioned>({4}, {}, &calls, /*misalign=*/8);
  ExpectErrorExact([&] { Tensor::FromDLPackVersioned(versioned, 16); }, "RuntimeError",
                   "FromDLPack: Data is not aligned to 16 bytes.");
  EXPECT_EQ(calls, 1);
  versioned->deleter(versioned);
  EXPECT_EQ(calls, 2);
}

TEST(Tensor, FromDLPackNonContiguousFails) {
  int calls = 0;
  DLManagedTensor* managed = MakeProduced<DLManagedTensor>({3, 4}, {1, 3}, &calls);
  ExpectErrorExact([&] { Tensor::FromDLPack(managed, 0, true); }, "RuntimeError",
                   "FromDLPack: Tensor is not contiguous.");
  EXPECT_EQ(calls, 0);
  // without the requirement it is accepted
  {
    Tensor t = Tensor::FromDLPack(managed, 0, false);
  }
  EXPECT_EQ(calls, 1);

  DLManagedTensorVersioned* versioned =
      MakeProduced<DLManagedTensorVersioned>({2, 2}, {4, 2}, &calls);
  ExpectErrorExact([&] { Tensor::FromDLPackVersioned(versioned, 0, true); }, "RuntimeError",
                   "FromDLPack: Tensor is not contiguous.");
  EXPECT_EQ(calls, 1);
  versioned->deleter(versioned);
  EXPECT_EQ(calls, 2);

  // unit dimensions with arbitrary strides still count as contiguous
  DLManagedTensor* unit = MakeProduced<DLManagedTensor>({1, 5}, {42, 1}, &calls);
  {
    Tensor t = Tensor::FromDLPack(unit, 0, true);
  }
  EXPECT_EQ(calls, 3);
}

TEST(Tensor, FromDLPackSubbytePaddedFails) {
  int calls = 0;
  DLManagedTensorVersioned* managed = MakeProduced<DLManagedTensorVersioned>({16}, {}, &calls);
  managed->dl_tensor.dtype = DLDataType{kDLInt, 4, 1};
  managed->flags = DLPACK_FLAG_BITMASK_IS_SUBBYTE_TYPE_PADDED;
  ExpectErrorExact([&] { Tensor::FromDLPackVersioned(managed); }, "RuntimeError",
                   "Subbyte type padded is not yet supported");
  EXPECT_EQ(calls, 0);
  managed->deleter(managed);
  EXPECT_EQ(calls, 1);
}

TEST(Tensor, FromDLPackInvalidInput) {
  ExpectErrorExact([] { Tensor::FromDLPack(nullptr); }, "ValueError",
                   "FromDLPack: the managed tensor must not be null");
  ExpectErrorExact([] { Tensor::FromDLPackVersioned(nullptr); }, "ValueError",
                   "FromDLPack: the managed tensor must not be null");
  int calls = 0;
  DLManagedTensor* managed = MakeProduced<DLManagedTensor>({2}, {}, &calls);
  managed->dl_tensor.shape = nullptr;
  ExpectErrorContains([&] { Tensor::FromDLPack(managed); }, "ValueError",
                      "FromDLPack: invalid DLTensor");
  EXPECT_EQ(calls, 0);
  managed->deleter(managed);
}

// ---------------------------------------------------------------------------------------------
// DLPack export and round trips
// ---------------------------------------------------------------------------------------------

TEST(Tensor, ToDLPackHoldsReference) {
  AllocCounters counters;
  Tensor t = Tensor::FromNDAlloc(CountingAlloc{&counters}, {2, 3}, kF32, kCPU);
  DLManagedTensor* legacy = t.ToDLPack();
  EXPECT_EQ(StrongCount(t), 2u);
  EXPECT_EQ(legacy->manager_ctx,
            static_cast<void*>(tvm::ffi::details::ObjectUnsafe::TVMFFIObjectPtrFromObjectRef(t)));
  EXPECT_EQ(legacy->dl_tensor.data, t.data_ptr());
  EXPECT_EQ(legacy->dl_tensor.shape, t.shape().data());
  EXPECT_EQ(legacy->dl_tensor.strides, t.strides().data());
  EXPECT_EQ(legacy->dl_tensor.ndim, 2);
  EXPECT_EQ(legacy->dl_tensor.dtype, kF32);
  ASSERT_NE(legacy->deleter, nullptr);

  DLManagedTensorVersioned* versioned = t.ToDLPackVersioned();
  EXPECT_EQ(StrongCount(t), 3u);
  EXPECT_EQ(versioned->version.major, 1u);
  EXPECT_EQ(versioned->version.minor, 3u);
  EXPECT_EQ(versioned->flags, 0u);
  EXPECT_EQ(versioned->dl_tensor.data, t.data_ptr());

  // the export keeps the tensor alive after the last Tensor reference is gone
  t = Tensor();
  EXPECT_EQ(counters.free, 0);
  legacy->deleter(legacy);
  EXPECT_EQ(counters.free, 0);
  versioned->deleter(versioned);
  EXPECT_EQ(counters.free, 1);
}

TEST(Tensor, DLPackRoundTripLegacy) {
  AllocCounters counters;
  Tensor t = Tensor::FromNDAlloc(CountingAlloc{&counters}, {4, 5}, kI16, kCPU);
  Tensor back = Tensor::FromDLPack(t.ToDLPack(), 64, true);
  EXPECT_FALSE(back.same_as(t));  // a new tensor object over the same data
  EXPECT_EQ(back.data_ptr(), t.data_ptr());
  EXPECT_EQ(ToVector(back.shape()), (std::vector<int64_t>{4, 5}));
  EXPECT_EQ(ToVector(back.strides()), (std::vector<int64_t>{5, 1}));
  EXPECT_EQ(back.dtype(), kI16);
  EXPECT_EQ(StrongCount(t), 2u);
  t = Tensor();
  EXPECT_EQ(counters.free, 0);
  back = Tensor();
  EXPECT_EQ(counters.free, 1);
}

TEST(Tensor, DLPackRoundTripVersioned) {
  AllocCounters counters;
  Tensor t = Tensor::FromNDAlloc(CountingAlloc{&counters}, {3}, kF32, kCPU);
  Tensor back = Tensor::FromDLPackVersioned(t.ToDLPackVersioned());
  EXPECT_EQ(back.data_ptr(), t.data_ptr());
  EXPECT_EQ(StrongCount(t), 2u);
  back = Tensor();
  EXPECT_EQ(StrongCount(t), 1u);
  EXPECT_EQ(counters.free, 0);
  t = Tensor();
  EXPECT_EQ(counters.free, 1);
}

TEST(Tensor, DLPackInteropWithCApi) {
  AllocCounters counters;
  Tensor t = Tensor::FromNDAlloc(CountingAlloc{&counters}, {2, 2}, kF32, kCPU);
  // header export -> runtime import
  TVMFFIObjectHandle imported = nullptr;
  ASSERT_EQ(TVMFFITensorFromDLPackVersioned(t.ToDLPackVersioned(), 0, 0, &imported), 0);
  EXPECT_EQ(TVMFFIObjectGetTypeIndex(imported), kTVMFFITensor);
  EXPECT_EQ(TVMFFITensorGetDLTensorPtr(imported)->data, t.data_ptr());
  EXPECT_EQ(StrongCount(t), 2u);
  TVMFFIObjectDecRef(imported);
  EXPECT_EQ(StrongCount(t), 1u);
  // runtime export -> header import
  DLManagedTensor* exported = nullptr;
  TVMFFIObject* handle = tvm::ffi::details::ObjectUnsafe::TVMFFIObjectPtrFromObjectRef(t);
  ASSERT_EQ(TVMFFITensorToDLPack(handle, &exported), 0);
  EXPECT_EQ(StrongCount(t), 2u);
  {
    Tensor back = Tensor::FromDLPack(exported);
    EXPECT_EQ(back.data_ptr(), t.data_ptr());
  }
  EXPECT_EQ(StrongCount(t), 1u);
  t = Tensor();
  EXPECT_EQ(counters.free, 1);
}

// ---------------------------------------------------------------------------------------------
// FromEnvAlloc
// ---------------------------------------------------------------------------------------------

int g_env_alloc_calls = 0;
int g_env_delete_calls = 0;

struct EnvAllocated {
  std::vector<int64_t> shape;
  void* data;
};

void EnvDeleter(DLManagedTensorVersioned* managed) {
  ++g_env_delete_calls;
  EnvAllocated* ctx = static_cast<EnvAllocated*>(managed->manager_ctx);
  std::free(ctx->data);
  delete ctx;
  delete managed;
}

int TestEnvAllocator(DLTensor* prototype, DLManagedTensorVersioned** out, void* error_ctx,
                     void (*set_error)(void* error_ctx, const char* kind, const char* message)) {
  ++g_env_alloc_calls;
  if (prototype->ndim > 0 && prototype->shape[0] == 666) {
    set_error(error_ctx, "MemoryError", "the test allocator refuses 666 rows");
    return -1;
  }
  EnvAllocated* ctx = new EnvAllocated();
  ctx->shape.assign(prototype->shape, prototype->shape + prototype->ndim);
  ctx->data = std::malloc(GetDataSize(*prototype) + 1);
  auto* managed = new DLManagedTensorVersioned();
  managed->version = DLPackVersion{1, 2};
  managed->manager_ctx = ctx;
  managed->deleter = EnvDeleter;
  managed->dl_tensor.data = ctx->data;
  managed->dl_tensor.device = prototype->device;
  managed->dl_tensor.ndim = prototype->ndim;
  managed->dl_tensor.dtype = prototype->dtype;
  managed->dl_tensor.shape = ctx->shape.data();
  managed->dl_tensor.strides = nullptr;
  managed->dl_tensor.byte_offset = 0;
  *out = managed;
  return 0;
}

/*! \brief Installs an allocator (thread-local and global) for the scope, then clears both. */
class ScopedEnvAllocator {
 public:
  explicit ScopedEnvAllocator(DLPackManagedTensorAllocator alloc) {
    EXPECT_EQ(TVMFFIEnvSetDLPackManagedTensorAllocator(alloc, 1, nullptr), 0);
  }
  ~ScopedEnvAllocator() { TVMFFIEnvSetDLPackManagedTensorAllocator(nullptr, 1, nullptr); }
};

TEST(Tensor, FromEnvAllocWithoutAllocator) {
  ScopedEnvAllocator none(nullptr);
  ASSERT_EQ(TVMFFIEnvGetDLPackManagedTensorAllocator(), nullptr);
  ExpectErrorExact([] { Tensor::FromEnvAlloc(TVMFFIEnvTensorAlloc, {2, 3}, kF32, kCPU); },
                   "RuntimeError",
                   "TVMFFIEnvTensorAlloc: allocator is nullptr, likely because "
                   "TVMFFIEnvSetDLPackManagedTensorAllocator has not been called.");
}

TEST(Tensor, FromEnvAllocWithAllocator) {
  ScopedEnvAllocator scoped(TestEnvAllocator);
  g_env_alloc_calls = 0;
  g_env_delete_calls = 0;
  {
    Tensor t = Tensor::FromEnvAlloc(TVMFFIEnvTensorAlloc, {3, 4}, kI16, kCPU);
    EXPECT_EQ(g_env_alloc_calls, 1);
    EXPECT_EQ(t.type_index(), kTVMFFITensor);
    EXPECT_NE(t.data_ptr(), nullptr);
    EXPECT_EQ(t.dtype(), kI16);
    EXPECT_EQ(ToVector(t.shape()), (std::vector<int64_t>{3, 4}));
    EXPECT_EQ(ToVector(t.strides()), (std::vector<int64_t>{4, 1}));  // filled by the runtime
    EXPECT_EQ(GetDataSize(t), 24u);
    Tensor copy = t;
    t = Tensor();
    EXPECT_EQ(g_env_delete_calls, 0);
  }
  EXPECT_EQ(g_env_delete_calls, 1);
  // the allocator's own error comes through with its kind and message
  ExpectErrorExact([] { Tensor::FromEnvAlloc(TVMFFIEnvTensorAlloc, {666}, kF32, kCPU); },
                   "MemoryError", "the test allocator refuses 666 rows");
  EXPECT_EQ(g_env_alloc_calls, 2);
  EXPECT_EQ(g_env_delete_calls, 1);
}

int FailingEnvAlloc(DLTensor*, TVMFFIObjectHandle*) {
  TVMFFIErrorSetRaisedFromCStr("ValueError", "custom env alloc failed");
  return -1;
}

int NullEnvAlloc(DLTensor*, TVMFFIObjectHandle* out) {
  *out = nullptr;
  return 0;
}

TEST(Tensor, FromEnvAllocCustomFunction) {
  ExpectErrorExact([] { Tensor::FromEnvAlloc(FailingEnvAlloc, {1}, kF32, kCPU); }, "ValueError",
                   "custom env alloc failed");
  ExpectErrorContains([] { Tensor::FromEnvAlloc(NullEnvAlloc, {1}, kF32, kCPU); }, "InternalError",
                      "returned no tensor");
  ExpectErrorExact([] { Tensor::FromEnvAlloc(nullptr, {1}, kF32, kCPU); }, "ValueError",
                   "FromEnvAlloc: env_alloc must not be null");
}

// ---------------------------------------------------------------------------------------------
// TensorView
// ---------------------------------------------------------------------------------------------

static_assert(std::is_constructible_v<TensorView, const Tensor&>);
static_assert(std::is_constructible_v<TensorView, Tensor&>);
static_assert(std::is_constructible_v<TensorView, const DLTensor*>);
static_assert(std::is_constructible_v<TensorView, DLTensor*>);
static_assert(!std::is_constructible_v<TensorView, Tensor&&>);
static_assert(!std::is_assignable_v<TensorView&, Tensor&&>);
static_assert(std::is_assignable_v<TensorView&, const Tensor&>);
static_assert(sizeof(TensorView) == sizeof(DLTensor));
static_assert(!tvm::ffi::TypeTraits<TensorView>::storage_enabled);
static_assert(tvm::ffi::TypeTraits<TensorView>::convert_enabled);
static_assert(tvm::ffi::TypeTraits<TensorView>::field_static_type_index == kTVMFFIDLTensorPtr);

TEST(TensorView, FromTensor) {
  AllocCounters counters;
  Tensor t = Tensor::FromNDAlloc(CountingAlloc{&counters}, {2, 3}, kF32, kCPU);
  TensorView v = t;
  EXPECT_EQ(StrongCount(t), 1u);  // a view holds no reference
  EXPECT_EQ(v.data_ptr(), t.data_ptr());
  EXPECT_EQ(v.ndim(), 2);
  EXPECT_EQ(v.dim(), 2);
  EXPECT_EQ(v.dtype(), kF32);
  EXPECT_EQ(v.device().device_type, kDLCPU);
  EXPECT_EQ(v.shape().data(), t.shape().data());
  EXPECT_EQ(ToVector(v.sizes()), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(ToVector(v.strides()), (std::vector<int64_t>{3, 1}));
  EXPECT_EQ(v.numel(), 6);
  EXPECT_EQ(v.size(-1), 3);
  EXPECT_EQ(v.stride(0), 3);
  EXPECT_EQ(v.byte_offset(), 0u);
  EXPECT_TRUE(v.IsContiguous());
  EXPECT_TRUE(v.is_contiguous());
  EXPECT_EQ(GetDataSize(v), 24u);
  ExpectErrorExact([&] { v.size(2); }, "IndexError",
                   "Index 2 out of bounds for tensor with 2 dimensions");

  Tensor other = Tensor::FromNDAlloc(CountingAlloc{&counters}, {7}, kI16, kCPU);
  v = other;
  EXPECT_EQ(v.ndim(), 1);
  EXPECT_EQ(v.data_ptr(), other.data_ptr());

  Tensor null_tensor;
  ExpectErrorContains(
      [&] {
        TensorView bad = null_tensor;
        (void)bad;
      },
      "InternalError", "Cannot create a TensorView from an undefined Tensor");
}

TEST(TensorView, FromDLTensorPtr) {
  float data[6] = {0};
  int64_t shape[2] = {3, 2};
  int64_t strides[2] = {1, 3};
  DLTensor dl{};
  dl.data = data;
  dl.device = kCPU;
  dl.ndim = 2;
  dl.dtype = kF32;
  dl.shape = shape;
  dl.strides = strides;
  TensorView v = &dl;
  EXPECT_EQ(v.data_ptr(), data);
  EXPECT_FALSE(v.IsContiguous());
  EXPECT_EQ(v.stride(1), 3);
  // a value copy: later changes to the DLTensor struct do not reach the view
  dl.ndim = 1;
  dl.data = nullptr;
  EXPECT_EQ(v.ndim(), 2);
  EXPECT_EQ(v.data_ptr(), data);
  // NULL strides on a producer's DLTensor are reported, not dereferenced
  DLTensor no_strides = dl;
  no_strides.ndim = 2;
  no_strides.strides = nullptr;
  TensorView w = &no_strides;
  EXPECT_TRUE(w.IsContiguous());
  ExpectErrorContains([&] { w.strides(); }, "InternalError", "Check failed");
  const DLTensor* null_ptr = nullptr;
  ExpectErrorContains(
      [&] {
        TensorView bad = null_ptr;
        (void)bad;
      },
      "InternalError", "Cannot create a TensorView from a null DLTensor*");
}

TEST(TensorView, AnyConversion) {
  AllocCounters counters;
  Tensor t = Tensor::FromNDAlloc(CountingAlloc{&counters}, {4}, kF32, kCPU);
  TensorView v = t;
  AnyView view = v;
  EXPECT_EQ(view.type_index(), kTVMFFIDLTensorPtr);
  EXPECT_EQ(view.cast<DLTensor*>(), v.GetDLTensorPtr());
  EXPECT_EQ(view.cast<TensorView>().data_ptr(), t.data_ptr());
  // a Tensor reads as a view of its embedded DLTensor
  Any owning = t;
  auto from_tensor = owning.try_cast<TensorView>();
  ASSERT_TRUE(from_tensor.has_value());
  EXPECT_EQ(from_tensor->data_ptr(), t.data_ptr());
  EXPECT_EQ(from_tensor->shape().data(), t.shape().data());
  // strict read only accepts the DLTensor* form
  EXPECT_FALSE(owning.as<TensorView>().has_value());
  EXPECT_TRUE(view.as<TensorView>().has_value());
  // other kinds are rejected
  ExpectErrorExact([] { Any(1).cast<TensorView>(); }, "TypeError",
                   "Cannot convert from type `int` to `DLTensor*`");
  // a view cannot be owned
  ExpectErrorContains([&] { Any held = v; }, "RuntimeError", "TensorView cannot be held in Any");
  EXPECT_EQ(tvm::ffi::TypeTraits<TensorView>::TypeStr(), "DLTensor*");
  EXPECT_EQ(tvm::ffi::TypeTraits<TensorView>::TypeSchema(), R"({"type":"DLTensor*"})");
}

// ---------------------------------------------------------------------------------------------
// Tensors as function arguments
// ---------------------------------------------------------------------------------------------

TEST(Tensor, FunctionArguments) {
  AllocCounters counters;
  Tensor t = Tensor::FromNDAlloc(CountingAlloc{&counters}, {2, 5}, kF32, kCPU);
  float* values = static_cast<float*>(t.data_ptr());
  for (int i = 0; i < 10; ++i) values[i] = static_cast<float>(i);

  // kernel-style: TensorView parameters
  Function sum_view = Function::FromTyped([](TensorView x) {
    TVM_FFI_ICHECK(x.dtype() == kF32) << "wrong dtype " << x.dtype();
    const float* p = static_cast<const float*>(x.data_ptr());
    double s = 0;
    for (int64_t i = 0; i < x.numel(); ++i) s += p[i];
    return s;
  });
  EXPECT_DOUBLE_EQ(sum_view(t).cast<double>(), 45.0);
  EXPECT_EQ(StrongCount(t), 1u);
  DLTensor* raw = const_cast<DLTensor*>(t.GetDLTensorPtr());
  EXPECT_DOUBLE_EQ(sum_view(raw).cast<double>(), 45.0);
  TensorView view = t;
  EXPECT_DOUBLE_EQ(sum_view(view).cast<double>(), 45.0);
  ExpectErrorContains([&] { sum_view(1); }, "TypeError", "Mismatched type on argument #0");
  ExpectErrorContains([&] { sum_view(1); }, "TypeError", "Expected `DLTensor*` but got `int`");
  // the kernel's own check
  Tensor ints = Tensor::FromNDAlloc(CountingAlloc{&counters}, {2}, kI16, kCPU);
  ExpectErrorContains([&] { sum_view(ints); }, "InternalError", "wrong dtype int16");

  // DLTensor* parameters
  Function ndim_ptr = Function::FromTyped([](DLTensor* x) { return x->ndim; });
  EXPECT_EQ(ndim_ptr(t).cast<int>(), 2);
  EXPECT_EQ(ndim_ptr(raw).cast<int>(), 2);

  // Tensor parameters take a reference; a borrowed DLTensor* cannot become a Tensor
  Function use_count = Function::FromTyped([](Tensor x) { return x.use_count(); });
  EXPECT_GE(use_count(t).cast<int>(), 2);
  EXPECT_EQ(StrongCount(t), 1u);
  ExpectErrorContains([&] { use_count(raw); }, "TypeError",
                      "Expected `ffi.Tensor` but got `DLTensor*`");

  // returning a Tensor hands out a reference
  Function identity = Function::FromTyped([](Tensor x) { return x; });
  Any returned = identity(t);
  EXPECT_EQ(returned.type_index(), kTVMFFITensor);
  EXPECT_TRUE(returned.cast<Tensor>().same_as(t));
  EXPECT_EQ(StrongCount(t), 2u);
  returned.reset();
  EXPECT_EQ(StrongCount(t), 1u);

  // returning a view cannot be owned by the result
  Function return_view = Function::FromTyped([](TensorView x) { return x; });
  ExpectErrorContains([&] { return_view(t); }, "RuntimeError", "TensorView cannot be held in Any");
}

}  // namespace
