// Tests of Tuple<Types...>: construction, get/Set with copy-on-write, the array object
// underneath, conversions from Any, upcasts and use in typed functions.
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/list.h>
#include <tvm/ffi/container/shape.h>
#include <tvm/ffi/container/tuple.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/string.h>

#include <string>
#include <type_traits>
#include <vector>

#include "test_utils.h"

namespace {

using namespace tvm::ffi;

TEST(Tuple, DefaultConstruction) {
  Tuple<int, String, double> t;
  EXPECT_EQ(t.get<0>(), 0);
  EXPECT_EQ(t.get<1>(), "");
  EXPECT_EQ(t.get<2>(), 0.0);
  const ArrayObj* arr = static_cast<const ArrayObj*>(t.get());
  EXPECT_EQ(arr->type_index(), TypeIndex::kTVMFFIArray);
  EXPECT_EQ(arr->size(), 3u);
  EXPECT_EQ(arr->capacity(), 3u);
}

TEST(Tuple, ValueConstructionConvertsToElementTypes) {
  Tuple<int, String, double> t(1, "hello", 2);
  EXPECT_EQ(t.get<0>(), 1);
  EXPECT_EQ(t.get<1>(), "hello");
  EXPECT_DOUBLE_EQ(t.get<2>(), 2.0);
  const ArrayObj* arr = static_cast<const ArrayObj*>(t.get());
  EXPECT_EQ((*arr)[2].type_index(), TypeIndex::kTVMFFIFloat);
  Tuple<Shape, Array<int>> objs(Shape({1, 2}), Array<int>{3});
  EXPECT_EQ(objs.get<0>()[1], 2);
  EXPECT_EQ(objs.get<1>()[0], 3);
  static_assert(sizeof(Tuple<int, String>) == sizeof(void*));
}

TEST(Tuple, SetIsCopyOnWrite) {
  Tuple<int, String> t(1, "a");
  const Object* before = t.get();
  t.Set<0>(2);  // unique: in place
  EXPECT_EQ(t.get(), before);
  EXPECT_EQ(t.get<0>(), 2);
  Tuple<int, String> shared = t;
  shared.Set<1>("b");
  EXPECT_NE(shared.get(), t.get());
  EXPECT_EQ(t.get<1>(), "a");
  EXPECT_EQ(shared.get<1>(), "b");
  EXPECT_EQ(shared.get<0>(), 2);
  EXPECT_EQ(static_cast<const ArrayObj*>(shared.get())->capacity(), 2u);
}

TEST(Tuple, ConversionFromAny) {
  Tuple<int, String> t(1, "x");
  Any any = t;
  EXPECT_EQ(any.type_index(), TypeIndex::kTVMFFIArray);
  Tuple<int, String> back = any.cast<Tuple<int, String>>();
  EXPECT_EQ(back.get(), t.get());
  // a tuple is an array and an array of the right shape is a tuple
  Array<Any> as_array = any.cast<Array<Any>>();
  EXPECT_EQ(as_array.get(), t.get());
  Array<Any> arr = {2, String("y")};
  Tuple<int, String> from_array = Any(arr).cast<Tuple<int, String>>();
  EXPECT_EQ(from_array.get(), arr.get());
  EXPECT_EQ(from_array.get<1>(), "y");
  // element conversion builds a new array
  Array<Any> convertible = {true, String("z")};
  Tuple<int, String> converted = Any(convertible).cast<Tuple<int, String>>();
  EXPECT_NE(converted.get(), convertible.get());
  EXPECT_EQ(converted.get<0>(), 1);
  EXPECT_EQ(static_cast<const ArrayObj*>(converted.get())->begin()[0].type_index(),
            TypeIndex::kTVMFFIInt);
  // wrong size or wrong element type
  using IntStr = Tuple<int, String>;
  EXPECT_FALSE(Any(Array<Any>{1}).try_cast<IntStr>().has_value());
  EXPECT_FFI_ERROR_CONTAINS("TypeError", "size=1", Any(Array<Any>{1}).cast<IntStr>());
  EXPECT_FFI_ERROR_CONTAINS("TypeError", "index 1", Any(Array<Any>{1, 2}).cast<IntStr>());
  EXPECT_FALSE(Any(1).try_cast<Tuple<int>>().has_value());
  EXPECT_EQ((TypeTraits<Tuple<int, String>>::TypeStr()), "Tuple<int, str>");
  EXPECT_EQ((TypeTraits<Tuple<int, Any>>::TypeSchema()),
            R"({"type":"Tuple","args":[{"type":"int"},{"type":"Any"}]})");
}

TEST(Tuple, Upcast) {
  Tuple<Shape, int> t(Shape({4}), 5);
  Tuple<ObjectRef, Any> up = t;
  EXPECT_EQ(up.get(), t.get());
  static_assert(details::type_contains_v<Tuple<Any, Any>, Tuple<int, String>>);
  static_assert(!details::type_contains_v<Tuple<Any>, Tuple<int, String>>);
  static_assert(!details::type_contains_v<Tuple<int, int>, Tuple<int, String>>);
  Array<Tuple<Any, Any>> arr = Array<Tuple<int, String>>{Tuple<int, String>(1, "a")};
  EXPECT_EQ(arr[0].get<0>().cast<int>(), 1);
}

TEST(Tuple, ArrayIteratorForwarding) {
  Tuple<int, int> t0(1, 2);
  Tuple<int, int> t1(3, 4);
  Array<Tuple<int, int>> arr0 = {t0, t1};
  std::vector<Tuple<int, int>> vec0 = {t0, t1};
  Array<Tuple<int, int>> arr1(arr0.begin(), arr0.end());
  Array<Tuple<int, int>> arr2(vec0.begin(), vec0.end());
  EXPECT_TRUE(arr1[0].same_as(t0));
  EXPECT_TRUE(arr2[1].same_as(t1));
  EXPECT_EQ(arr1[1].get<1>(), 4);
}

TEST(Tuple, TypedFunctions) {
  Function swap = Function::FromTyped(
      [](Tuple<int, String> in) { return Tuple<String, int>(in.get<1>(), in.get<0>()); });
  Tuple<String, int> out = swap(Tuple<int, String>(7, "s")).cast<Tuple<String, int>>();
  EXPECT_EQ(out.get<0>(), "s");
  EXPECT_EQ(out.get<1>(), 7);
  // an Array argument converts
  Tuple<String, int> out2 = swap(Array<Any>{8, String("t")}).cast<Tuple<String, int>>();
  EXPECT_EQ(out2.get<1>(), 8);
  EXPECT_FFI_ERROR_CONTAINS("TypeError", "Tuple<int, str>", swap(Array<Any>{8}));
}

TEST(Tuple, StructuredBindingsDeductionAndGet) {
  auto [a, b] = Tuple<int, String>(1, "x");
  EXPECT_EQ(a, 1);
  EXPECT_EQ(b, "x");
  Tuple deduced(1, 2.0);
  static_assert(std::is_same_v<decltype(deduced), Tuple<int, double>>);
  EXPECT_EQ(get<1>(deduced), 2.0);
  // get<I>() && moves out of a uniquely owned tuple and copies out of a shared one
  Array<int> payload{1, 2};
  Tuple<Array<int>, int> unique(payload, 3);
  EXPECT_EQ(payload.use_count(), 2);
  Array<int> moved = get<0>(std::move(unique));
  EXPECT_EQ(payload.use_count(), 2) << "the reference moved from the tuple to `moved`";
  Tuple<Array<int>, int> shared(payload, 3);
  Tuple<Array<int>, int> other = shared;
  Array<int> copied = std::move(shared).get<0>();
  EXPECT_EQ(other.get<0>().size(), 2) << "a shared tuple keeps its element";
  // a List is not a Tuple: only an Array of the exact arity converts
  EXPECT_FFI_ERROR_CONTAINS("TypeError", "ffi.List",
                            (Any(List<int>{1, 2}).cast<Tuple<int, int>>()));
}

}  // namespace
