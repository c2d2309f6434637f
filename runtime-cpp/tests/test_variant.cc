// Tests of Variant<V...>: both storage forms, strict/lenient reads, conversions from Any,
// upcasts, hashing of object variants and use in typed functions.
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/container/shape.h>
#include <tvm/ffi/container/variant.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/string.h>

#include <string>
#include <unordered_map>

#include "test_utils.h"

namespace {

using namespace tvm::ffi;

TEST(Variant, StorageForms) {
  static_assert(sizeof(Variant<int, String>) == 16, "mixed variants hold one Any");
  static_assert(sizeof(Variant<Shape, Array<int>>) == sizeof(void*),
                "object-only variants are one pointer");
  static_assert(std::is_base_of_v<ObjectRef, Variant<Shape, Array<int>>>);
  static_assert(!std::is_base_of_v<ObjectRef, Variant<int, String>>);
  static_assert(!std::is_default_constructible_v<Variant<int, String>>);
}

TEST(Variant, PODAlternatives) {
  Variant<int, String> v = 1;
  EXPECT_EQ(v.as<int>().value(), 1);
  EXPECT_FALSE(v.as<String>().has_value());
  EXPECT_EQ(v.get<int>(), 1);
  EXPECT_EQ(v.GetTypeKey(), "int");
  v = String("abc");
  EXPECT_EQ(v.get<String>(), "abc");
  EXPECT_FALSE(v.as<int>().has_value());
  EXPECT_FFI_ERROR_CONTAINS("TypeError", "int", v.get<int>());
  Variant<int, String> moved = std::move(v);
  EXPECT_EQ(std::move(moved).get<String>(), "abc");
}

TEST(Variant, ObjectAlternatives) {
  Shape shape({1, 2});
  Variant<Shape, Array<int>> v = shape;
  EXPECT_TRUE(v.same_as(shape));
  EXPECT_TRUE(v.as<Shape>().has_value());
  EXPECT_FALSE(v.as<Array<int>>().has_value());
  EXPECT_NE(v.as<ShapeObj>(), nullptr);
  EXPECT_EQ(v.as<ArrayObj>(), nullptr);
  EXPECT_EQ(v.get<Shape>()[1], 2);
  EXPECT_EQ(v.GetTypeKey(), "ffi.Shape");
  EXPECT_EQ(shape.use_count(), 2);
  v = Array<int>{4, 5};
  EXPECT_EQ(shape.use_count(), 1);
  EXPECT_EQ(v.get<Array<int>>()[1], 5);
}

TEST(Variant, AnyRoundTrip) {
  Variant<int, String> v = String("hello");
  Any any = v;
  EXPECT_EQ(any.type_index(), TypeIndex::kTVMFFISmallStr);
  EXPECT_EQ(any.cast<String>(), "hello");
  Variant<int, String> back = any.cast<Variant<int, String>>();
  EXPECT_EQ(back.get<String>(), "hello");
  // lenient: bool is not an int strictly, but converts via the first alternative that accepts
  Variant<int, String> from_bool = Any(true).cast<Variant<int, String>>();
  EXPECT_EQ(from_bool.as<int>().value(), 1);
  using IntOrStr = Variant<int, String>;
  EXPECT_FALSE(Any(1.5).try_cast<IntOrStr>().has_value());
  EXPECT_FFI_ERROR_CONTAINS("TypeError", "Variant<int, str>", Any(1.5).cast<IntOrStr>());
  // strict match keeps the value as is, even when an earlier alternative would convert it
  Variant<double, int> keep = Any(3).cast<Variant<double, int>>();
  EXPECT_TRUE(keep.as<int>().has_value());
  EXPECT_FALSE(keep.as<double>().has_value());
  Variant<double, String> convert = Any(3).cast<Variant<double, String>>();
  EXPECT_DOUBLE_EQ(convert.as<double>().value(), 3.0);
  // object variant: None is rejected unless an alternative accepts it
  using ShapeOrArr = Variant<Shape, Array<int>>;
  EXPECT_FALSE(Any().try_cast<ShapeOrArr>().has_value());
  Variant<Shape, Array<int>> obj = Any(Shape({7})).cast<Variant<Shape, Array<int>>>();
  EXPECT_EQ(obj.get<Shape>()[0], 7);
  // Shape's fallback conversion from an array of ints is used only when Array<int> is not an
  // alternative
  Variant<Shape, String> from_array = Any(Array<int>{3}).cast<Variant<Shape, String>>();
  EXPECT_EQ(from_array.get<Shape>()[0], 3);
  EXPECT_EQ((TypeTraits<Variant<int, String, Array<Any>>>::TypeSchema()),
            R"({"type":"Variant","args":[{"type":"int"},{"type":"ffi.String"},)"
            R"({"type":"ffi.Array","args":[{"type":"Any"}]}]})");
}

TEST(Variant, Upcast) {
  // a variant accepts values of types contained in an alternative
  Variant<String, Array<Any>> v = Array<int>{1, 2};
  EXPECT_EQ(v.get<Array<Any>>()[1].cast<int>(), 2);
  // containers of contained types upcast without copying
  Array<int> ints = {1, 2};
  Array<Variant<int, String>> vars = ints;
  EXPECT_EQ(vars.get(), ints.get());
  EXPECT_EQ(vars[1].get<int>(), 2);
  Map<String, Variant<int, String>> m = Map<String, int>{{"a", 1}};
  EXPECT_EQ(m.at("a").get<int>(), 1);
  // a variant converts to a wider variant
  Variant<int, String> narrow = 5;
  Variant<int, String, double> wide = narrow;
  EXPECT_EQ(wide.get<int>(), 5);
  static_assert(details::type_contains_v<Variant<int, String, double>, Variant<int, String>>);
  static_assert(!details::type_contains_v<Variant<int, String>, Variant<int, double>>);
  static_assert(!std::is_convertible_v<Variant<int, double>, Variant<int, String>>);
}

TEST(Variant, ObjectPtrHashAndEqual) {
  using V = Variant<Shape, Array<int>>;
  Shape s({1});
  V a = s;
  V b = s;
  V c = Shape({1});
  EXPECT_EQ(ObjectPtrHash()(a), ObjectPtrHash()(b));
  EXPECT_TRUE(ObjectPtrEqual()(a, b));
  EXPECT_FALSE(ObjectPtrEqual()(a, c));
  std::unordered_map<V, int, ObjectPtrHash, ObjectPtrEqual> table;
  table[a] = 1;
  table[c] = 2;
  EXPECT_EQ(table.size(), 2u);
  EXPECT_EQ(table.at(b), 1);
}

TEST(Variant, SameAsOnPODVariants) {
  Variant<int, String> a = 1;
  Variant<int, String> b = 1;
  Variant<int, String> c = 2;
  EXPECT_TRUE(a.same_as(b));
  EXPECT_FALSE(a.same_as(c));
  Variant<int, String> s1 = String("abc");
  Variant<int, String> s2 = String("abc");
  EXPECT_TRUE(s1.same_as(s2));  // small strings are compared by their bytes
}

TEST(Variant, TypedFunctions) {
  Function describe = Function::FromTyped([](Variant<int, String> v) -> String {
    if (auto i = v.as<int>()) return String("int:" + std::to_string(*i));
    return String("str:" + std::string(v.get<String>()));
  });
  EXPECT_EQ(describe(3).cast<String>(), "int:3");
  EXPECT_EQ(describe("x").cast<String>(), "str:x");
  EXPECT_EQ(describe(false).cast<String>(), "int:0");
  EXPECT_FFI_ERROR_CONTAINS("TypeError", "Variant<int, str>", describe(1.5));
  Function echo = Function::FromTyped([](Variant<Shape, Array<int>> v) { return v; });
  Shape s({2});
  Any out = echo(s);
  EXPECT_TRUE(out.same_as(s));
}

}  // namespace
