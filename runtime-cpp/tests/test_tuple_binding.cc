/*!
 * \file test_tuple_binding.cc
 * \brief Tuple as a tuple-like type: structured bindings, free get<I>, the deduction guide,
 *        and get<I>() on an rvalue moving the element out of uniquely owned storage.
 */
#include <gtest/gtest.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/tuple.h>
#include <tvm/ffi/string.h>

#include <string>
#include <type_traits>

namespace {

using namespace tvm::ffi;

TEST(TupleBinding, StructuredBindings) {
  auto [a, b] = Tuple<int, String>(1, "x");
  EXPECT_EQ(a, 1);
  EXPECT_EQ(b, "x");
  const Tuple<double, Array<int>> t(2.5, Array<int>{1, 2});
  auto [d, arr] = t;
  EXPECT_EQ(d, 2.5);
  EXPECT_EQ(arr.size(), 2u);
  static_assert(std::tuple_size_v<Tuple<int, String, double>> == 3);
  static_assert(std::is_same_v<std::tuple_element_t<1, Tuple<int, String>>, String>);
  EXPECT_EQ(get<1>(t)[1], 2);
}

TEST(TupleBinding, DeductionGuide) {
  Tuple t(1, 2.0);
  static_assert(std::is_same_v<decltype(t), Tuple<int, double>>);
  EXPECT_EQ(t.get<0>(), 1);
  EXPECT_EQ(t.get<1>(), 2.0);
  Tuple copy(t);  // copy, not a tuple of a tuple
  static_assert(std::is_same_v<decltype(copy), Tuple<int, double>>);
}

TEST(TupleBinding, RvalueGetMovesOutOfUniqueStorage) {
  Array<int> payload{1, 2, 3};
  Tuple<Array<int>, int> unique_tuple(payload, 7);
  EXPECT_EQ(payload.use_count(), 2);
  Array<int> moved = std::move(unique_tuple).get<0>();
  EXPECT_EQ(payload.use_count(), 2);  // moved: the tuple's reference went to `moved`
  EXPECT_TRUE(moved.same_as(payload));

  Tuple<Array<int>, int> shared(payload, 7);
  Tuple<Array<int>, int> other = shared;
  Array<int> copied = std::move(shared).get<0>();
  EXPECT_EQ(payload.use_count(), 4);  // payload, moved, the shared storage, copied
  EXPECT_TRUE(other.get<0>().same_as(payload));
  EXPECT_EQ(get<1>(std::move(other)), 7);
}

}  // namespace
