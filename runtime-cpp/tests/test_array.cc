// Tests of ArrayObj / Array<T>: copy-on-write, growth, mutation API, iteration, conversions
// and the ffi.Array* global functions.
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/shape.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/string.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "test_utils.h"

namespace {

using namespace tvm::ffi;
using tvm_ffi_test::ReadAt;

TEST(Array, DefaultIsEmptyObjectWithInitialCapacity) {
  Array<int> arr;
  ASSERT_TRUE(arr.defined());
  EXPECT_EQ(arr.size(), 0);
  EXPECT_EQ(arr.capacity(), 4);
  EXPECT_TRUE(arr.empty());
  EXPECT_EQ(arr.get()->type_index(), TypeIndex::kTVMFFIArray);
  // elements live right after the 56-byte object
  EXPECT_EQ(ReadAt<const char*>(arr.get(), 24), reinterpret_cast<const char*>(arr.get()) + 56);
  EXPECT_EQ(ReadAt<void*>(arr.get(), 48), nullptr);
}

TEST(Array, GrowthCapacities) {
  Array<int> arr;
  std::vector<int64_t> capacities;
  for (int i = 0; i < 10; ++i) {
    arr.push_back(i);
    capacities.push_back(arr.capacity());
  }
  EXPECT_EQ(capacities, (std::vector<int64_t>{4, 4, 4, 4, 8, 8, 8, 8, 16, 16}));
  for (int i = 0; i < 10; ++i) EXPECT_EQ(arr[i], i);
  // the data pointer always describes the inline storage of the current object
  EXPECT_EQ(ReadAt<const char*>(arr.get(), 24), reinterpret_cast<const char*>(arr.get()) + 56);
  EXPECT_EQ(ReadAt<int64_t>(arr.get(), 32), 10);
  EXPECT_EQ(ReadAt<int64_t>(arr.get(), 40), 16);
}

TEST(Array, InPlaceMutationWhenUnique) {
  Array<int> arr = {1, 2, 3};
  const Object* before = arr.get();
  EXPECT_EQ(arr.capacity(), 3);
  arr.Set(0, 10);
  EXPECT_EQ(arr.get(), before);
  arr.pop_back();
  EXPECT_EQ(arr.get(), before);
  arr.push_back(4);  // fits again in capacity 3
  EXPECT_EQ(arr.get(), before);
  EXPECT_EQ(arr[0], 10);
  EXPECT_EQ(arr[2], 4);
  arr.push_back(5);  // grows: new object of capacity 6
  EXPECT_NE(arr.get(), before);
  EXPECT_EQ(arr.capacity(), 6);
}

TEST(Array, CopyOnWriteWhenShared) {
  Array<int> a = {1, 2, 3};
  Array<int> b = a;
  EXPECT_EQ(a.get(), b.get());
  EXPECT_EQ(a.use_count(), 2);
  b.Set(1, 20);
  EXPECT_NE(a.get(), b.get());
  EXPECT_EQ(a[1], 2);
  EXPECT_EQ(b[1], 20);
  // a shared copy keeps the same capacity
  Array<int> c;
  c.push_back(1);
  Array<int> d = c;
  d.Set(0, 2);
  EXPECT_EQ(d.capacity(), 4);
  EXPECT_EQ(c[0], 1);
  // growth of a shared array copies too
  Array<int> e = a;
  e.push_back(4);
  EXPECT_EQ(a.size(), 3);
  EXPECT_EQ(e.size(), 4);
  EXPECT_EQ(e.capacity(), 6);
}

TEST(Array, GrowthMovesFromUniqueAndCopiesFromShared) {
  Shape elem({1, 2});
  Array<Shape> arr;
  for (int i = 0; i < 4; ++i) arr.push_back(elem);
  EXPECT_EQ(elem.use_count(), 5);
  arr.push_back(elem);  // unique: elements are moved into the new storage
  EXPECT_EQ(elem.use_count(), 6);
  Array<Shape> other = arr;
  other.push_back(elem);  // shared: elements are copied
  EXPECT_EQ(elem.use_count(), 6 + 6);
  other = Array<Shape>();
  arr = Array<Shape>();
  EXPECT_EQ(elem.use_count(), 1);
}

TEST(Array, NullArrayBehaviour) {
  Array<int> arr{UnsafeInit{}};
  EXPECT_FALSE(arr.defined());
  EXPECT_EQ(arr.size(), 0);
  EXPECT_EQ(arr.capacity(), 0);
  EXPECT_TRUE(arr.begin() == arr.end());
  EXPECT_FFI_ERROR_CONTAINS("IndexError", "null", arr[0]);
  arr.push_back(1);
  EXPECT_EQ(arr.capacity(), 4);
  Array<int> other{UnsafeInit{}};
  other.resize(3);
  EXPECT_EQ(other.size(), 3);
}

TEST(Array, InsertAndErase) {
  Array<int> arr = {1, 2, 3};
  arr.insert(arr.begin(), 0);
  arr.insert(arr.end(), 4);
  arr.insert(arr.begin() + 2, 10);
  EXPECT_EQ(std::vector<int>(arr.begin(), arr.end()), (std::vector<int>{0, 1, 10, 2, 3, 4}));
  std::vector<int> extra = {7, 8};
  arr.insert(arr.begin() + 1, extra.begin(), extra.end());
  EXPECT_EQ(std::vector<int>(arr.begin(), arr.end()), (std::vector<int>{0, 7, 8, 1, 10, 2, 3, 4}));
  arr.erase(arr.begin());
  EXPECT_EQ(std::vector<int>(arr.begin(), arr.end()), (std::vector<int>{7, 8, 1, 10, 2, 3, 4}));
  arr.erase(arr.begin() + 1, arr.begin() + 3);
  EXPECT_EQ(std::vector<int>(arr.begin(), arr.end()), (std::vector<int>{7, 10, 2, 3, 4}));
  arr.erase(arr.end() - 1);
  EXPECT_EQ(std::vector<int>(arr.begin(), arr.end()), (std::vector<int>{7, 10, 2, 3}));

  // insert/erase on a shared array leaves the original untouched
  Array<int> shared = arr;
  shared.erase(shared.begin());
  shared.insert(shared.begin(), 100);
  EXPECT_EQ(std::vector<int>(arr.begin(), arr.end()), (std::vector<int>{7, 10, 2, 3}));
  EXPECT_EQ(std::vector<int>(shared.begin(), shared.end()), (std::vector<int>{100, 10, 2, 3}));

  // a range aliasing the array itself
  Array<int> self_insert = {1, 2};
  self_insert.insert(self_insert.end(), self_insert.begin(), self_insert.end());
  EXPECT_EQ(std::vector<int>(self_insert.begin(), self_insert.end()),
            (std::vector<int>{1, 2, 1, 2}));
  self_insert.Assign(self_insert.begin() + 1, self_insert.begin() + 3);
  EXPECT_EQ(std::vector<int>(self_insert.begin(), self_insert.end()), (std::vector<int>{2, 1}));

  EXPECT_FFI_ERROR_CONTAINS("IndexError", "erase", arr.erase(arr.end()));
  Array<int> null_arr{UnsafeInit{}};
  EXPECT_FFI_ERROR_CONTAINS("ValueError", "null", null_arr.insert(null_arr.begin(), 1));
}

TEST(Array, ErasedSlotsAreReleased) {
  Shape elem({3});
  Array<Any> arr = {elem, 1, elem};
  EXPECT_EQ(elem.use_count(), 3);
  arr.erase(arr.begin());
  EXPECT_EQ(elem.use_count(), 2);
  arr.pop_back();
  EXPECT_EQ(elem.use_count(), 1);
  EXPECT_EQ(arr.size(), 1);
}

TEST(Array, ResizeReserveClear) {
  Array<Any> arr = {1, 2};
  arr.resize(4);
  EXPECT_EQ(arr.size(), 4);
  EXPECT_EQ(arr[3], nullptr);
  arr.resize(1);
  EXPECT_EQ(arr.size(), 1);
  EXPECT_EQ(arr[0].cast<int>(), 1);
  EXPECT_FFI_ERROR_CONTAINS("ValueError", "negative", arr.resize(-1));

  Array<int> b;
  b.reserve(2);  // no shrink
  EXPECT_EQ(b.capacity(), 4);
  b.reserve(9);
  EXPECT_EQ(b.capacity(), 9);
  b.push_back(1);
  b.push_back(2);
  const Object* before = b.get();
  b.clear();
  EXPECT_EQ(b.size(), 0);
  EXPECT_EQ(b.get(), before);
  EXPECT_EQ(b.capacity(), 9);

  Array<int> c = {1, 2, 3};
  Array<int> c_shared = c;
  c_shared.clear();
  EXPECT_EQ(c.size(), 3);
  EXPECT_EQ(c_shared.size(), 0);
}

TEST(Array, AccessErrors) {
  Array<int> arr = {1, 2, 3};
  EXPECT_FFI_ERROR_CONTAINS("IndexError", "3", arr[3]);
  EXPECT_FFI_ERROR_CONTAINS("IndexError", "-1", arr[-1]);
  EXPECT_FFI_ERROR_CONTAINS("IndexError", "5", arr.Set(5, 1));
  EXPECT_EQ(arr.front(), 1);
  EXPECT_EQ(arr.back(), 3);
  Array<int> empty;
  EXPECT_FFI_ERROR("IndexError", "front() on empty sequence", empty.front());
  EXPECT_FFI_ERROR("IndexError", "back() on empty sequence", empty.back());
  EXPECT_FFI_ERROR("IndexError", "pop_back on empty sequence", empty.pop_back());
  EXPECT_FFI_ERROR("IndexError", "Index -1 out of bounds 3", arr[-1]);
  EXPECT_FFI_ERROR("IndexError", "Index 3 out of bounds 3", arr[3]);
  Array<int> null_arr{UnsafeInit{}};
  EXPECT_FFI_ERROR_CONTAINS("RuntimeError", "null", null_arr.pop_back());
  EXPECT_FFI_ERROR_CONTAINS("IndexError", "Index 7 out of bounds 3", arr.GetArrayObj()->at(7));
}

TEST(Array, Iteration) {
  Array<int> arr = {1, 2, 3, 4};
  int sum = 0;
  for (int v : arr) sum += v;
  EXPECT_EQ(sum, 10);
  std::vector<int> reversed(arr.rbegin(), arr.rend());
  EXPECT_EQ(reversed, (std::vector<int>{4, 3, 2, 1}));
  EXPECT_EQ(arr.end() - arr.begin(), 4);
  EXPECT_EQ(*(arr.begin() + 2), 3);
  EXPECT_EQ(std::distance(arr.begin(), arr.end()), 4);
  // raw object iteration yields the Any cells
  int64_t raw_sum = 0;
  for (const Any& cell : *arr.GetArrayObj()) raw_sum += cell.cast<int64_t>();
  EXPECT_EQ(raw_sum, 10);
}

TEST(Array, Constructors) {
  Array<int> repeated(3, 7);
  EXPECT_EQ(repeated.size(), 3);
  EXPECT_EQ(repeated.capacity(), 3);
  for (int v : repeated) EXPECT_EQ(v, 7);
  std::vector<int> vec = {4, 5};
  Array<int> from_vec(vec);
  EXPECT_EQ(from_vec.capacity(), 2);
  EXPECT_EQ(from_vec[1], 5);
  Array<double> from_ints(vec.begin(), vec.end());
  // elements are stored in the canonical form of the element type
  EXPECT_EQ(from_ints.GetArrayObj()->at(0).type_index(), TypeIndex::kTVMFFIFloat);
  EXPECT_DOUBLE_EQ(from_ints[1], 5.0);
  Array<String> strs = {"a", "bb"};
  EXPECT_EQ(strs[1], "bb");
  Array<String> copy(strs.begin(), strs.end());
  EXPECT_EQ(copy[0], "a");
  EXPECT_NE(copy.get(), strs.get());
  Array<int> assigned = {9, 9, 9, 9};
  const Object* before = assigned.get();
  assigned.Assign(vec.begin(), vec.end());  // unique with enough capacity: reused
  EXPECT_EQ(assigned.get(), before);
  EXPECT_EQ(assigned.size(), 2);
}

TEST(Array, UpcastSharesObject) {
  Array<Shape> shapes = {Shape({1}), Shape({2, 3})};
  Array<ObjectRef> refs = shapes;
  Array<Any> anys = shapes;
  EXPECT_EQ(refs.get(), shapes.get());
  EXPECT_EQ(anys.get(), shapes.get());
  Array<Array<int>> nested = {Array<int>{1}, Array<int>{2, 3}};
  Array<Array<Any>> nested_any = nested;
  EXPECT_EQ(nested_any.get(), nested.get());
  EXPECT_EQ(nested_any[1][1].cast<int>(), 3);
  static_assert(details::type_contains_v<Array<Any>, Array<int>>);
  static_assert(!details::type_contains_v<Array<int>, Array<Any>>);
  static_assert(!std::is_convertible_v<Array<Any>, Array<int>>);
}

TEST(Array, ConversionFromAny) {
  Array<int> ints = {1, 2, 3};
  Any any_ints = ints;
  EXPECT_EQ(any_ints.type_index(), TypeIndex::kTVMFFIArray);
  // strict match: shares the object
  Array<int> back = any_ints.cast<Array<int>>();
  EXPECT_EQ(back.get(), ints.get());
  EXPECT_TRUE(any_ints.as<Array<int>>().has_value());
  EXPECT_FALSE(any_ints.as<Array<double>>().has_value());
  // element conversion: builds a new array in the target's canonical form
  Array<double> doubles = any_ints.cast<Array<double>>();
  EXPECT_NE(doubles.get(), ints.get());
  EXPECT_EQ(doubles.GetArrayObj()->at(2).type_index(), TypeIndex::kTVMFFIFloat);
  EXPECT_DOUBLE_EQ(doubles[2], 3.0);
  Array<Any> mixed = {1, true, 2};
  Array<int64_t> converted = Any(mixed).cast<Array<int64_t>>();
  EXPECT_NE(converted.get(), mixed.get());
  EXPECT_EQ(converted.GetArrayObj()->at(1).type_index(), TypeIndex::kTVMFFIInt);
  EXPECT_EQ(converted[1], 1);
  // failure names the first bad index
  Array<Any> bad = {1, 2, String("x"), 4};
  EXPECT_FALSE(Any(bad).try_cast<Array<int>>().has_value());
  EXPECT_FFI_ERROR_CONTAINS("TypeError", "index 2", Any(bad).cast<Array<int>>());
  EXPECT_FFI_ERROR_CONTAINS("TypeError", "Array<int>", Any(bad).cast<Array<int>>());
  // not an array at all / None (Array is not nullable)
  EXPECT_FFI_ERROR_CONTAINS("TypeError", "Array<int>", Any(1).cast<Array<int>>());
  EXPECT_FALSE(Any().try_cast<Array<int>>().has_value());
  // nested conversion
  Array<Any> nested = {Array<Any>{1, 2}, Array<Any>{3}};
  Array<Array<double>> nested_d = Any(nested).cast<Array<Array<double>>>();
  EXPECT_DOUBLE_EQ(nested_d[0][1], 2.0);
  EXPECT_EQ(TypeTraits<Array<Array<double>>>::TypeStr(), "Array<Array<float>>");
  EXPECT_EQ(TypeTraits<Array<Any>>::TypeStr(), "Array<Any>");
  EXPECT_EQ(TypeTraits<Array<int>>::TypeSchema(),
            R"({"type":"ffi.Array","args":[{"type":"int"}]})");
  EXPECT_EQ(TypeTraits<Array<Any>>::TypeSchema(),
            R"({"type":"ffi.Array","args":[{"type":"Any"}]})");
}

TEST(Array, MapAndMutateByApply) {
  Array<int> arr = {1, 2, 3};
  Array<int> same = arr.Map([](int x) { return x; });
  EXPECT_EQ(same.get(), arr.get());  // nothing changed: shared
  Array<int> doubled = arr.Map([](int x) { return x * 2; });
  EXPECT_NE(doubled.get(), arr.get());
  EXPECT_EQ(std::vector<int>(doubled.begin(), doubled.end()), (std::vector<int>{2, 4, 6}));
  Array<String> strs = arr.Map([](int x) { return String(std::to_string(x)); });
  EXPECT_EQ(strs[2], "3");
  const Object* before = doubled.get();
  doubled.MutateByApply([](int x) { return x + 1; });  // unique: in place
  EXPECT_EQ(doubled.get(), before);
  EXPECT_EQ(doubled[0], 3);
  Array<int> shared = doubled;
  shared.MutateByApply([](int x) { return x - 1; });
  EXPECT_NE(shared.get(), doubled.get());
  EXPECT_EQ(doubled[0], 3);
  EXPECT_EQ(shared[0], 2);
}

TEST(Array, ConcatAndAgregate) {
  Array<int> a = {1, 2};
  Array<int> b = {3};
  Array<int> c = Concat(a, b);
  EXPECT_EQ(std::vector<int>(c.begin(), c.end()), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(a.size(), 2);
  Array<int> agg = Array<int>::Agregate(0, a, 9, b);
  EXPECT_EQ(std::vector<int>(agg.begin(), agg.end()), (std::vector<int>{0, 1, 2, 9, 3}));
}

TEST(Array, EmplaceBackAndCells) {
  Array<String> arr;
  arr.emplace_back("hello");
  arr.emplace_back(std::string("a long string value"));
  EXPECT_EQ(arr[0], "hello");
  EXPECT_EQ(arr.GetArrayObj()->at(0).type_index(), TypeIndex::kTVMFFISmallStr);
  EXPECT_EQ(arr.GetArrayObj()->at(1).type_index(), TypeIndex::kTVMFFIStr);
  Array<Any> anys;
  anys.emplace_back(1.5);
  anys.emplace_back(nullptr);
  EXPECT_EQ(anys[0].type_index(), TypeIndex::kTVMFFIFloat);
  EXPECT_EQ(anys[1].type_index(), TypeIndex::kTVMFFINone);
}

TEST(Array, GlobalFunctions) {
  Function make = Function::GetGlobalRequired("ffi.Array");
  Function get_item = Function::GetGlobalRequired("ffi.ArrayGetItem");
  Function size = Function::GetGlobalRequired("ffi.ArraySize");
  Array<Any> arr = make(1, "abc", 2.5, nullptr).cast<Array<Any>>();
  ASSERT_EQ(arr.size(), 4);
  EXPECT_EQ(arr.capacity(), 4);
  EXPECT_EQ(arr[0].cast<int>(), 1);
  // a borrowed C string argument is materialised as an owned String
  EXPECT_EQ(arr[1].type_index(), TypeIndex::kTVMFFISmallStr);
  EXPECT_EQ(arr[1].cast<String>(), "abc");
  EXPECT_EQ(size(arr).cast<int64_t>(), 4);
  EXPECT_DOUBLE_EQ(get_item(arr, 2).cast<double>(), 2.5);
  EXPECT_FFI_ERROR_CONTAINS("IndexError", "Index 4 out of bounds 4", get_item(arr, 4));
  EXPECT_FFI_ERROR_CONTAINS("IndexError", "Index -1 out of bounds 4", get_item(arr, -1));
  Array<Any> empty = make().cast<Array<Any>>();
  EXPECT_EQ(empty.size(), 0);
}

}  // namespace
