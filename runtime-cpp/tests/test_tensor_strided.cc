/*!
 * \file test_tensor_strided.cc
 * \brief Tensor::as_strided (shared memory, lifetime, element offsets folded into data),
 *        TensorView::as_strided (borrowed arrays), Tensor::FromNDAllocStrided.
 */
#include <gtest/gtest.h>
#include <tvm/ffi/container/tensor.h>
#include <tvm/ffi/function.h>

#include <cstdlib>
#include <vector>

#include "test_utils.h"

namespace {

using namespace tvm::ffi;
using tvm_ffi_test::ExpectErrorContains;
using tvm_ffi_test::ExpectErrorExact;

constexpr DLDataType kF32{kDLFloat, 32, 1};
constexpr DLDevice kCPU{kDLCPU, 0};

struct Counters {
  int alloc = 0;
  int free = 0;
};

struct MallocAlloc {
  Counters* counters;
  void AllocData(DLTensor* tensor) {
    ++counters->alloc;
    tensor->data = std::malloc(GetDataSize(*tensor) + 64);
  }
  void FreeData(DLTensor* tensor) {
    ++counters->free;
    std::free(tensor->data);
  }
};

std::vector<int64_t> ToVector(ShapeView view) { return {view.begin(), view.end()}; }

TEST(TensorStrided, ViewSharesDataAndKeepsSourceAlive) {
  Counters counters;
  Tensor view;
  float* base = nullptr;
  {
    Tensor t = Tensor::FromNDAlloc(MallocAlloc{&counters}, {2, 3}, kF32, kCPU);
    base = static_cast<float*>(t.data_ptr());
    for (int i = 0; i < 6; ++i) base[i] = static_cast<float>(i);
    // Transpose: shape (3, 2), strides (1, 3).
    view = t.as_strided({3, 2}, {1, 3});
    EXPECT_EQ(view.data_ptr(), t.data_ptr());
    EXPECT_EQ(t.use_count(), 2);  // the view holds the source
  }
  // The source handle is gone; the memory lives on through the view.
  EXPECT_EQ(counters.free, 0);
  EXPECT_EQ(ToVector(view.shape()), (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(ToVector(view.strides()), (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(view.ndim(), 2);
  EXPECT_EQ(view.dtype().bits, 32);
  EXPECT_EQ(view.numel(), 6);
  EXPECT_FALSE(view.IsContiguous());
  float* data = static_cast<float*>(view.data_ptr());
  EXPECT_EQ(data[1 * view.stride(0) + 0 * view.stride(1)], 1.0f);
  EXPECT_EQ(data[0 * view.stride(0) + 1 * view.stride(1)], 3.0f);
  // Writes through the view are visible in the original memory.
  data[2] = 42.0f;
  EXPECT_EQ(base[2], 42.0f);
  // It crosses the FFI as an ordinary tensor.
  Function f = Function::FromTyped([](Tensor x) { return x.size(0) * 10 + x.size(1); });
  EXPECT_EQ(f(view).cast<int64_t>(), 32);
  view = Tensor();
  EXPECT_EQ(counters.free, 1);
}

TEST(TensorStrided, ShapeAndStridesAreCopied) {
  Counters counters;
  Tensor t = Tensor::FromNDAlloc(MallocAlloc{&counters}, {4}, kF32, kCPU);
  std::vector<int64_t> shape{2, 2};
  std::vector<int64_t> strides{2, 1};
  Tensor view = t.as_strided(ShapeView(shape.data(), 2), ShapeView(strides.data(), 2));
  shape[0] = 99;
  strides[0] = 77;
  EXPECT_EQ(view.size(0), 2);
  EXPECT_EQ(view.stride(0), 2);
  EXPECT_TRUE(view.IsContiguous());
  // Storage layout: shape right after the 80-byte object, strides after the shape.
  const char* obj = reinterpret_cast<const char*>(view.GetDLTensorPtr()) - 24;
  EXPECT_EQ(reinterpret_cast<const char*>(view.GetDLTensorPtr()->shape), obj + 80);
  EXPECT_EQ(reinterpret_cast<const char*>(view.GetDLTensorPtr()->strides), obj + 96);
}

TEST(TensorStrided, ElementOffset) {
  Counters counters;
  Tensor t = Tensor::FromNDAlloc(MallocAlloc{&counters}, {10}, kF32, kCPU);
  Tensor view = t.as_strided({3}, {2}, 4);
  // CPU is direct-address: the 16-byte offset is folded into data.
  EXPECT_EQ(static_cast<char*>(view.data_ptr()), static_cast<char*>(t.data_ptr()) + 16);
  EXPECT_EQ(view.byte_offset(), 0u);
  // A view of a view accumulates.
  Tensor view2 = view.as_strided({1}, {1}, 1);
  EXPECT_EQ(static_cast<char*>(view2.data_ptr()), static_cast<char*>(t.data_ptr()) + 20);
  // Offset 0 and no offset are the same.
  EXPECT_EQ(t.as_strided({10}, {1}, 0).data_ptr(), t.data_ptr());
  // Non-direct-address device: the offset stays in byte_offset.
  DLTensor dl{};
  int64_t shape[1] = {8};
  int64_t strides[1] = {1};
  dl.data = reinterpret_cast<void*>(0x1000);
  dl.device = DLDevice{kDLVulkan, 0};
  dl.ndim = 1;
  dl.dtype = kF32;
  dl.shape = shape;
  dl.strides = strides;
  TensorView dl_view(&dl);
  TensorView moved = dl_view.as_strided({2}, {1}, 3);
  EXPECT_EQ(moved.data_ptr(), reinterpret_cast<void*>(0x1000));
  EXPECT_EQ(moved.byte_offset(), 12u);
}

TEST(TensorStrided, Errors) {
  Counters counters;
  Tensor t = Tensor::FromNDAlloc(MallocAlloc{&counters}, {4}, kF32, kCPU);
  ExpectErrorContains([&] { t.as_strided({2}, {1}, -1); }, "InternalError", "Check failed");
  ExpectErrorContains([&] { t.as_strided({2, 2}, {1}); }, "ValueError",
                      "shape and strides must have the same size");
  Tensor null_tensor;
  ExpectErrorExact([&] { null_tensor.as_strided({1}, {1}); }, "RuntimeError",
                   "Cannot access the fields of an undefined (null) Tensor");
  Tensor view = t.as_strided({2, 2}, {2, 1});
  ExpectErrorExact([&] { view.size(2); }, "IndexError",
                   "Index 2 out of bounds for tensor with 2 dimensions");
  ExpectErrorExact([&] { view.stride(-3); }, "IndexError",
                   "Index -3 out of bounds for tensor with 2 dimensions");
  TensorView tv(t);
  ExpectErrorContains([&] { tv.as_strided({2, 2}, {1}); }, "InternalError", "Check failed");
}

TEST(TensorStrided, TensorViewBorrowsArrays) {
  Counters counters;
  Tensor t = Tensor::FromNDAlloc(MallocAlloc{&counters}, {6}, kF32, kCPU);
  TensorView tv(t);
  int64_t shape[2] = {2, 3};
  int64_t strides[2] = {3, 1};
  TensorView v = tv.as_strided(ShapeView(shape, 2), ShapeView(strides, 2), 0);
  EXPECT_EQ(v.data_ptr(), t.data_ptr());
  EXPECT_EQ(v.GetDLTensorPtr()->shape, shape);  // borrowed, not copied
  EXPECT_EQ(v.GetDLTensorPtr()->strides, strides);
  shape[1] = 1;
  EXPECT_EQ(v.size(1), 1);
  EXPECT_EQ(counters.free, 0);
}

TEST(TensorStrided, FromNDAllocStrided) {
  Counters counters;
  {
    Tensor t = Tensor::FromNDAllocStrided(MallocAlloc{&counters}, {2, 3}, {1, 2}, kF32, kCPU);
    EXPECT_EQ(counters.alloc, 1);
    EXPECT_EQ(ToVector(t.shape()), (std::vector<int64_t>{2, 3}));
    EXPECT_EQ(ToVector(t.strides()), (std::vector<int64_t>{1, 2}));
    EXPECT_FALSE(t.IsContiguous());
    EXPECT_NE(t.data_ptr(), nullptr);
    EXPECT_EQ(t.numel(), 6);
  }
  EXPECT_EQ(counters.free, 1);
  ExpectErrorExact(
      [&] { Tensor::FromNDAllocStrided(MallocAlloc{&counters}, {2, 3}, {1}, kF32, kCPU); },
      "ValueError", "shape and strides must have the same size.");
  EXPECT_EQ(counters.alloc, 1);
}

TEST(TensorStrided, GetDataSizePackedAndZeroDimContiguous) {
  EXPECT_EQ(GetDataSize(10, DLDataType{kDLUInt, 1, 1}), 2u);
  EXPECT_EQ(GetDataSize(10, DLDataType{kDLBool, 8, 1}), 10u);
  Counters counters;
  Tensor t = Tensor::FromNDAllocStrided(MallocAlloc{&counters}, {2, 0}, {5, 7}, kF32, kCPU);
  EXPECT_TRUE(t.IsContiguous());
}

}  // namespace
