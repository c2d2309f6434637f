// Binary layout of the container objects (layouts.md §0-§2, §8.1): sizes and offsets checked
// at compile time, and the bytes of live objects and their Any cells checked at run time.
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/container/shape.h>
#include <tvm/ffi/container/tuple.h>
#include <tvm/ffi/container/variant.h>
#include <tvm/ffi/dtype.h>
#include <tvm/ffi/string.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "test_utils.h"

#if defined(__GNUC__) || defined(__clang__)
// offsetof on classes with several bases is conditionally supported; GCC and Clang support it.
#pragma GCC diagnostic ignored "-Winvalid-offsetof"
#endif

namespace tvm {
namespace ffi {
namespace details {

/*! \brief Befriended by the container objects: exposes their private layout to this test. */
struct ContainerLayoutProbe {
  static constexpr size_t kArrayData = offsetof(ArrayObj, cell_) + offsetof(TVMFFISeqCell, data);
  static constexpr size_t kArraySize = offsetof(ArrayObj, cell_) + offsetof(TVMFFISeqCell, size);
  static constexpr size_t kArrayCapacity =
      offsetof(ArrayObj, cell_) + offsetof(TVMFFISeqCell, capacity);
  static constexpr size_t kArrayDeleter =
      offsetof(ArrayObj, cell_) + offsetof(TVMFFISeqCell, data_deleter);

  static constexpr size_t kMapData = offsetof(MapObj, data_);
  static constexpr size_t kMapSize = offsetof(MapObj, size_);
  static constexpr size_t kMapSlots = offsetof(MapObj, slots_);
  static constexpr size_t kMapDeleter = offsetof(MapObj, data_deleter_);

  static constexpr size_t kDenseFibShift = offsetof(DenseMapObj, fib_shift_);
  static constexpr size_t kDenseHead = offsetof(DenseMapObj, iter_list_head_);
  static constexpr size_t kDenseTail = offsetof(DenseMapObj, iter_list_tail_);

  using Item = DenseMapObj::ItemType;
  using Block = DenseMapObj::Block;
  static constexpr size_t kItemSize = sizeof(Item);
  static constexpr size_t kItemKey = offsetof(Item, data) + offsetof(MapObj::KVType, first);
  static constexpr size_t kItemValue = offsetof(Item, data) + offsetof(MapObj::KVType, second);
  static constexpr size_t kItemPrev = offsetof(Item, prev);
  static constexpr size_t kItemNext = offsetof(Item, next);
  static constexpr size_t kBlockSize = sizeof(Block);
  static constexpr uint8_t kEmptySlot = DenseMapObj::kEmptySlot;
  static constexpr uint8_t kProtectedSlot = DenseMapObj::kProtectedSlot;
  static constexpr uint64_t kInvalidIndex = DenseMapObj::kInvalidIndex;
  static constexpr uint64_t kSmallInitSize = SmallMapObj::kInitSize;
  static constexpr uint64_t kSmallMaxSize = SmallMapObj::kMaxSize;
  static constexpr int64_t kArrayInitSize = ArrayObj::kInitSize;
  static constexpr int64_t kArrayIncFactor = ArrayObj::kIncFactor;
};

}  // namespace details
}  // namespace ffi
}  // namespace tvm

namespace {

using namespace tvm::ffi;
using Probe = details::ContainerLayoutProbe;

// ---- §0: reference types are one pointer, cells are one TVMFFIAny ----
static_assert(sizeof(Array<int>) == 8);
static_assert(sizeof(Array<Any>) == 8);
static_assert(sizeof(Map<String, int>) == 8);
static_assert(sizeof(Tuple<int, String>) == 8);
static_assert(sizeof(Shape) == 8);
static_assert(sizeof(Variant<Shape, Array<int>>) == 8);
static_assert(sizeof(Variant<int, String>) == 16);
static_assert(sizeof(ShapeView) == 16);
static_assert(sizeof(MapObj::KVType) == 32);

// ---- §1.1 ArrayObj ----
static_assert(sizeof(ArrayObj) == 56);
static_assert(alignof(ArrayObj) == 8);
static_assert(Probe::kArrayData == 24);
static_assert(Probe::kArraySize == 32);
static_assert(Probe::kArrayCapacity == 40);
static_assert(Probe::kArrayDeleter == 48);
static_assert(Probe::kArrayInitSize == 4);
static_assert(Probe::kArrayIncFactor == 2);
static_assert(ArrayObj::_type_index == 71 && ArrayObj::_type_final);

// ---- §1.5 ShapeObj ----
static_assert(sizeof(ShapeObj) == 40);
static_assert(offsetof(ShapeObj, data) == 24);
static_assert(offsetof(ShapeObj, size) == 32);
static_assert(sizeof(details::ShapeObjStdImpl) == 64);
static_assert(ShapeObj::_type_index == 69 && !ShapeObj::_type_final);

// ---- §2 MapObj, SmallMapObj, DenseMapObj ----
static_assert(sizeof(MapObj) == 56);
static_assert(Probe::kMapData == 24);
static_assert(Probe::kMapSize == 32);
static_assert(Probe::kMapSlots == 40);
static_assert(Probe::kMapDeleter == 48);
static_assert(sizeof(SmallMapObj) == 56);
static_assert(sizeof(DenseMapObj) == 80);
static_assert(Probe::kDenseFibShift == 56);
static_assert(Probe::kDenseHead == 64);
static_assert(Probe::kDenseTail == 72);
static_assert(Probe::kItemSize == 48);
static_assert(Probe::kItemKey == 0);
static_assert(Probe::kItemValue == 16);
static_assert(Probe::kItemPrev == 32);
static_assert(Probe::kItemNext == 40);
static_assert(Probe::kBlockSize == 784);
static_assert(Probe::kEmptySlot == 0xFF);
static_assert(Probe::kProtectedSlot == 0xFE);
static_assert(Probe::kInvalidIndex == UINT64_MAX);
static_assert(Probe::kSmallInitSize == 2);
static_assert(Probe::kSmallMaxSize == 4);
static_assert(MapObj::_type_index == 72 && MapObj::_type_final);

using tvm_ffi_test::ReadAt;

/*! \brief The 16 bytes of an Any cell as lowercase hex, 4-byte groups separated by spaces. */
std::string CellHex(const void* cell) { return tvm_ffi_test::HexBytes(cell, 16, 4); }

TEST(ContainerLayout, ArrayObjectBytes) {
  Array<Any> arr = {
      1, true, 2.0, String("ab"), nullptr, DLDataType{2, 32, 1}, DLDevice{kDLCUDA, 3}, Shape({1})};
  const char* obj = reinterpret_cast<const char*>(arr.get());
  const TVMFFIObject* header = reinterpret_cast<const TVMFFIObject*>(obj);
  EXPECT_EQ(header->type_index, 71);
  EXPECT_EQ(header->__padding, 0u);
  EXPECT_EQ(header->combined_ref_count, 0x100000001ULL);
  EXPECT_NE(header->deleter, nullptr);
  const char* cells = ReadAt<const char*>(obj, 24);
  EXPECT_EQ(cells, obj + 56);
  EXPECT_EQ(ReadAt<int64_t>(obj, 32), 8);
  EXPECT_EQ(ReadAt<int64_t>(obj, 40), 8);
  EXPECT_EQ(ReadAt<void*>(obj, 48), nullptr);
  // §8.1 byte images of the stored cells
  EXPECT_EQ(CellHex(cells + 0 * 16), "01000000 00000000 01000000 00000000");
  EXPECT_EQ(CellHex(cells + 1 * 16), "02000000 00000000 01000000 00000000");
  EXPECT_EQ(CellHex(cells + 2 * 16), "03000000 00000000 00000000 00000040");
  EXPECT_EQ(CellHex(cells + 3 * 16), "0b000000 02000000 61620000 00000000");
  EXPECT_EQ(CellHex(cells + 4 * 16), "00000000 00000000 00000000 00000000");
  EXPECT_EQ(CellHex(cells + 5 * 16), "05000000 00000000 02200100 00000000");
  EXPECT_EQ(CellHex(cells + 6 * 16), "06000000 00000000 02000000 03000000");
  TVMFFIAny shape_cell = ReadAt<TVMFFIAny>(cells, 7 * 16);
  EXPECT_EQ(shape_cell.type_index, 69);
  EXPECT_EQ(shape_cell.zero_padding, 0u);
  EXPECT_EQ(shape_cell.v_obj, reinterpret_cast<const TVMFFIObject*>(arr[7].as<ShapeObj>()));
}

TEST(ContainerLayout, ShapeObjectBytes) {
  Shape shape = {4, 5, 6};
  const char* obj = reinterpret_cast<const char*>(shape.get());
  EXPECT_EQ(ReadAt<int32_t>(obj, 8), 69);
  EXPECT_EQ(ReadAt<const char*>(obj, 24), obj + 40);
  EXPECT_EQ(ReadAt<uint64_t>(obj, 32), 3u);
  EXPECT_EQ(ReadAt<int64_t>(obj, 40), 4);
  EXPECT_EQ(ReadAt<int64_t>(obj, 56), 6);
  // the C helper sees the same cell
  const TVMFFIShapeCell* cell = TVMFFIShapeGetCellPtr(const_cast<char*>(obj));
  EXPECT_EQ(cell->size, 3u);
  EXPECT_EQ(cell->data[1], 5);
}

TEST(ContainerLayout, SmallMapObjectBytes) {
  Map<String, int> map;
  map.Set("ab", 7);
  const char* obj = reinterpret_cast<const char*>(map.get());
  EXPECT_EQ(ReadAt<int32_t>(obj, 8), 72);
  EXPECT_EQ(ReadAt<const char*>(obj, 24), obj + 56);
  EXPECT_EQ(ReadAt<uint64_t>(obj, 32), 1u);
  EXPECT_EQ(ReadAt<uint64_t>(obj, 40), 0x8000000000000002ULL);
  EXPECT_EQ(ReadAt<void*>(obj, 48), nullptr);
  EXPECT_EQ(CellHex(obj + 56), "0b000000 02000000 61620000 00000000");
  EXPECT_EQ(CellHex(obj + 72), "01000000 00000000 07000000 00000000");
}

TEST(ContainerLayout, DenseMapObjectBytes) {
  Map<int, int> map;
  for (int i = 0; i < 5; ++i) map.Set(i, i * 10);
  const char* obj = reinterpret_cast<const char*>(map.get());
  EXPECT_EQ(ReadAt<int32_t>(obj, 8), 72);
  EXPECT_EQ(ReadAt<uint64_t>(obj, 32), 5u);
  EXPECT_EQ(ReadAt<uint64_t>(obj, 40), 8u);
  EXPECT_NE(ReadAt<void*>(obj, 48), nullptr);
  EXPECT_EQ(ReadAt<uint32_t>(obj, 56), 61u);
  EXPECT_EQ(ReadAt<uint32_t>(obj, 60), 0u);
  const char* block = ReadAt<const char*>(obj, 24);
  uint64_t head = ReadAt<uint64_t>(obj, 64);
  uint64_t tail = ReadAt<uint64_t>(obj, 72);
  // every key is in its home slot here or chained; walk the list and read the items
  int expected_key = 0;
  uint64_t prev = UINT64_MAX;
  for (uint64_t slot = head; slot != UINT64_MAX;) {
    ASSERT_LT(slot, 8u);
    uint8_t meta = static_cast<uint8_t>(block[slot]);
    EXPECT_NE(meta, 0xFF);
    const char* item = block + 16 + 48 * slot;
    EXPECT_EQ(ReadAt<TVMFFIAny>(item, 0).v_int64, expected_key);
    EXPECT_EQ(ReadAt<TVMFFIAny>(item, 16).v_int64, expected_key * 10);
    EXPECT_EQ(ReadAt<uint64_t>(item, 32), prev);
    prev = slot;
    slot = ReadAt<uint64_t>(item, 40);
    ++expected_key;
  }
  EXPECT_EQ(expected_key, 5);
  EXPECT_EQ(tail, prev);
  // the 8 unused metadata bytes of the single block are empty markers
  for (int j = 8; j < 16; ++j) EXPECT_EQ(static_cast<uint8_t>(block[j]), 0xFF);
  int empty = 0;
  for (int j = 0; j < 8; ++j) empty += static_cast<uint8_t>(block[j]) == 0xFF;
  EXPECT_EQ(empty, 3);
  // home slot of key 0: Fibonacci hash of AnyHash(0) = 0x9e3779f8
  uint64_t home0 = (0x9e3779f8ULL * 0x9E3779B97F4A7C15ULL) >> 61;
  EXPECT_EQ(head, home0);
}

}  // namespace
