// Tests of ShapeView / ShapeObj / Shape: storage forms, accessors, strides, conversions and
// the ffi.Shape global function.
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/shape.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/function.h>

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "test_utils.h"

namespace {

using namespace tvm::ffi;

const char* InlineDims(const Shape& shape) {
  return reinterpret_cast<const char*>(shape.get()) + 40;
}

TEST(Shape, DefaultIsEmptyInplaceShape) {
  Shape shape;
  ASSERT_TRUE(shape.defined());
  EXPECT_EQ(shape.size(), 0u);
  EXPECT_TRUE(shape.empty());
  EXPECT_EQ(shape.Product(), 1);
  EXPECT_EQ(reinterpret_cast<const char*>(shape.data()), InlineDims(shape));
  EXPECT_EQ(shape.get()->type_index(), TypeIndex::kTVMFFIShape);
}

TEST(Shape, ConstructorsAndAccessors) {
  Shape s = {2, 3, 4};
  EXPECT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0], 2);
  EXPECT_EQ(s.at(2), 4);
  EXPECT_EQ(s.front(), 2);
  EXPECT_EQ(s.back(), 4);
  EXPECT_EQ(s.Product(), 24);
  EXPECT_EQ(reinterpret_cast<const char*>(s.data()), InlineDims(s));
  EXPECT_EQ(std::vector<int64_t>(s.begin(), s.end()), (std::vector<int64_t>{2, 3, 4}));
  EXPECT_FFI_ERROR_CONTAINS("IndexError", "indexing 3 on a Shape of size 3", s.at(3));

  std::vector<int64_t> dims = {5, 6};
  Shape from_iter(dims.begin(), dims.end());
  EXPECT_EQ(from_iter[1], 6);
  Shape from_array(Array<int64_t>{7, 8, 9});
  EXPECT_EQ(from_array.size(), 3u);
  EXPECT_EQ(from_array[2], 9);
  // the vector form keeps the vector's buffer (data does not point right after the object)
  Shape from_vector(std::vector<int64_t>{1, 2, 3, 4});
  EXPECT_EQ(from_vector.size(), 4u);
  EXPECT_EQ(from_vector[3], 4);
  EXPECT_NE(reinterpret_cast<const char*>(from_vector.data()), InlineDims(from_vector));
  EXPECT_EQ(from_vector.get()->type_index(), TypeIndex::kTVMFFIShape);
  Shape from_view(ShapeView(dims.data(), dims.size()));
  EXPECT_NE(from_view.data(), dims.data());  // copied
  EXPECT_EQ(from_view[0], 5);

  std::ostringstream os;
  os << s;
  EXPECT_EQ(os.str(), "[2, 3, 4]");
  std::ostringstream empty_os;
  empty_os << Shape();
  EXPECT_EQ(empty_os.str(), "[]");
}

TEST(Shape, ShapeView) {
  ShapeView empty;
  EXPECT_EQ(empty.data(), nullptr);
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty.Product(), 1);
  int64_t dims[] = {3, 5};
  ShapeView view(dims, 2);
  EXPECT_EQ(view.Product(), 15);
  EXPECT_EQ(view[1], 5);
  EXPECT_EQ(view.front(), 3);
  EXPECT_EQ(view.back(), 5);
  EXPECT_FFI_ERROR_CONTAINS("IndexError", "indexing 2 on a Shape of size 2", view.at(2));
  EXPECT_EQ(ShapeView({4, 5, 6}).Product(), 120);
  Shape shape = {1, 2};
  ShapeView from_shape = shape;
  EXPECT_EQ(from_shape.data(), shape.data());
  EXPECT_EQ(from_shape.size(), 2u);
  static_assert(sizeof(ShapeView) == 16);
}

TEST(Shape, Strides) {
  Shape strides = Shape::StridesFromShape({2, 3, 4});
  EXPECT_EQ(std::vector<int64_t>(strides.begin(), strides.end()), (std::vector<int64_t>{12, 4, 1}));
  EXPECT_EQ(reinterpret_cast<const char*>(strides.data()), InlineDims(strides));
  int64_t out[3];
  details::FillStridesFromShape(ShapeView({5, 1, 7}), out);
  EXPECT_EQ(out[0], 7);
  EXPECT_EQ(out[1], 7);
  EXPECT_EQ(out[2], 1);
  EXPECT_EQ(Shape::StridesFromShape(ShapeView()).size(), 0u);
  int64_t dims[] = {2, 2};
  Shape from_ptr(details::MakeStridesFromShape(dims, 2));
  EXPECT_EQ(from_ptr[0], 2);
  int64_t* fill = nullptr;
  Shape made(details::MakeEmptyShape(2, &fill));
  EXPECT_EQ(made[0], 0);
  fill[0] = 9;
  EXPECT_EQ(made[0], 9);
}

TEST(Shape, ConversionFromAny) {
  Shape shape = {1, 2};
  Any any = shape;
  EXPECT_EQ(any.type_index(), TypeIndex::kTVMFFIShape);
  Shape back = any.cast<Shape>();
  EXPECT_TRUE(back.same_as(shape));
  // an array of integers converts into a new shape
  Shape from_array = Any(Array<int64_t>{3, 4}).cast<Shape>();
  EXPECT_EQ(from_array.size(), 2u);
  EXPECT_EQ(from_array[1], 4);
  Shape from_mixed = Any(Array<Any>{5, true}).cast<Shape>();
  EXPECT_EQ(from_mixed[1], 1);
  EXPECT_FALSE(Any(Array<Any>{1, String("x")}).try_cast<Shape>().has_value());
  EXPECT_FALSE(Any().try_cast<Shape>().has_value());  // Shape is not nullable
  EXPECT_FFI_ERROR_CONTAINS("TypeError", "ffi.Shape", Any(1).cast<Shape>());
  Function first = Function::FromTyped([](Shape s) { return s[0]; });
  EXPECT_EQ(first(Array<int>{42, 1}).cast<int64_t>(), 42);
  EXPECT_EQ(first(shape).cast<int64_t>(), 1);
}

TEST(Shape, GlobalFunction) {
  Function make = Function::GetGlobalRequired("ffi.Shape");
  Shape shape = make(2, 3, true).cast<Shape>();
  EXPECT_EQ(std::vector<int64_t>(shape.begin(), shape.end()), (std::vector<int64_t>{2, 3, 1}));
  EXPECT_EQ(reinterpret_cast<const char*>(shape.data()), InlineDims(shape));
  Shape empty = make().cast<Shape>();
  EXPECT_EQ(empty.size(), 0u);
  const char* kNotInts = "Expect shape to take list of int arguments";
  EXPECT_FFI_ERROR_CONTAINS("ValueError", kNotInts, make(1, "x"));
  EXPECT_FFI_ERROR_CONTAINS("ValueError", kNotInts, make(1.5));
}

}  // namespace
