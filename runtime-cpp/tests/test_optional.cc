/*!
 * \file test_optional.cc
 * \brief Optional<T>: the three representations (std::optional, String/Bytes cell, object
 *        pointer), access errors, comparisons, Any round trips and the sizes of layouts.md §8.3.
 */
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/memory.h>
#include <tvm/ffi/object.h>
#include <tvm/ffi/optional.h>
#include <tvm/ffi/string.h>

#if __has_include(<tvm/ffi/container/array.h>)
#include <tvm/ffi/container/array.h>
#define CORETESTS_HAVE_ARRAY 1
#else
#define CORETESTS_HAVE_ARRAY 0
#endif

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "test_utils.h"

namespace {

using namespace tvm::ffi;

class CoreOptBoxObj : public Object {
 public:
  explicit CoreOptBoxObj(int v) : value(v) {}
  int value;
  TVM_FFI_DECLARE_OBJECT_INFO("coretests.optional.Box", CoreOptBoxObj, Object);
};

class CoreOptBox : public ObjectRef {
 public:
  explicit CoreOptBox(int v) : ObjectRef(UnsafeInit{}) { data_ = make_object<CoreOptBoxObj>(v); }
  TVM_FFI_DEFINE_OBJECT_REF_METHODS_NOTNULLABLE(CoreOptBox, ObjectRef, CoreOptBoxObj);
};

// ------------------------------------------------------------------------------------------
// sizes (layouts.md §8.3)
// ------------------------------------------------------------------------------------------

TEST(CoreOptional, Sizes) {
  EXPECT_EQ(sizeof(Optional<ObjectRef>), 8u);
  EXPECT_EQ(sizeof(Optional<Function>), 8u);
  EXPECT_EQ(sizeof(Optional<CoreOptBox>), 8u);
  EXPECT_EQ(sizeof(Optional<String>), 16u);
  EXPECT_EQ(sizeof(Optional<Bytes>), 16u);
  EXPECT_EQ(sizeof(Optional<int>), 8u);
  EXPECT_EQ(sizeof(Optional<int64_t>), 16u);
  EXPECT_EQ(sizeof(Optional<double>), 16u);
  EXPECT_EQ(sizeof(Optional<bool>), 2u);
  EXPECT_EQ(sizeof(Optional<DLDevice>), 12u);
  EXPECT_EQ(sizeof(Optional<Optional<int>>), sizeof(std::optional<std::optional<int>>));
#if CORETESTS_HAVE_ARRAY
  EXPECT_EQ(sizeof(Optional<Array<int>>), 8u);
#endif
  static_assert(is_optional_type_v<Optional<int>>);
  static_assert(!is_optional_type_v<int>);
  static_assert(std::is_base_of_v<ObjectRef, Optional<Function>>);
}

// ------------------------------------------------------------------------------------------
// generic (std::optional based)
// ------------------------------------------------------------------------------------------

TEST(CoreOptional, IntBasics) {
  Optional<int> empty;
  EXPECT_FALSE(empty.has_value());
  EXPECT_FALSE(static_cast<bool>(empty));
  EXPECT_EQ(empty.value_or(5), 5);
  EXPECT_FFI_ERROR("RuntimeError", "Back optional access", empty.value());
  EXPECT_FFI_ERROR("RuntimeError", "Back optional access", std::move(empty).value());

  Optional<int> three = 3;
  EXPECT_TRUE(three.has_value());
  EXPECT_TRUE(static_cast<bool>(three));
  EXPECT_EQ(three.value(), 3);
  EXPECT_EQ(*three, 3);
  EXPECT_EQ(three.value_or(5), 3);

  Optional<int> from_std(std::optional<int>(4));
  EXPECT_EQ(from_std.value(), 4);
  Optional<int> from_nullopt(std::nullopt);
  EXPECT_FALSE(from_nullopt.has_value());

  Optional<int> assigned;
  assigned = 7;
  EXPECT_EQ(assigned.value(), 7);
  assigned = std::nullopt;
  EXPECT_FALSE(assigned.has_value());
  assigned = three;
  EXPECT_EQ(assigned.value(), 3);
}

TEST(CoreOptional, IntComparisons) {
  Optional<int> empty;
  Optional<int> one = 1;
  Optional<int> other_one = 1;
  Optional<int> two = 2;
  EXPECT_TRUE(one == other_one);
  EXPECT_FALSE(one != other_one);
  EXPECT_TRUE(one != two);
  EXPECT_TRUE(one != empty);
  EXPECT_TRUE(empty == Optional<int>());
  EXPECT_TRUE(one == 1);
  EXPECT_TRUE(one != 2);
  EXPECT_FALSE(empty == 1);
  EXPECT_TRUE(empty == std::nullopt);
  EXPECT_TRUE(one != std::nullopt);
}

TEST(CoreOptional, DoubleAndBool) {
  Optional<double> d = 2.5;
  EXPECT_EQ(d.value(), 2.5);
  EXPECT_EQ(Optional<double>().value_or(1.5), 1.5);
  EXPECT_FFI_ERROR("RuntimeError", "Back optional access", Optional<double>().value());

  Optional<bool> f = false;
  EXPECT_TRUE(f.has_value());  // a present false is not empty
  EXPECT_FALSE(f.value());
  EXPECT_TRUE(f == false);
}

TEST(CoreOptional, Nested) {
  Optional<Optional<int>> outer_empty;
  EXPECT_FALSE(outer_empty.has_value());
  Optional<Optional<int>> inner_empty = Optional<int>();
  EXPECT_TRUE(inner_empty.has_value());
  EXPECT_FALSE(inner_empty.value().has_value());
  Optional<Optional<int>> full = Optional<int>(3);
  EXPECT_EQ(full.value().value(), 3);
  EXPECT_FFI_ERROR("RuntimeError", "Back optional access", inner_empty.value().value());
}

// ------------------------------------------------------------------------------------------
// String / Bytes
// ------------------------------------------------------------------------------------------

TEST(CoreOptional, StringBasics) {
  Optional<String> empty;
  EXPECT_FALSE(empty.has_value());
  EXPECT_FFI_ERROR("RuntimeError", "Back optional access", empty.value());
  EXPECT_EQ(empty.value_or("dflt"), "dflt");
  // the empty state is a None cell
  EXPECT_EQ(AnyView(empty).type_index(), kTVMFFINone);

  Optional<String> small = String("abc");
  EXPECT_TRUE(small.has_value());
  EXPECT_EQ(small.value(), "abc");
  EXPECT_EQ(*small, "abc");
  EXPECT_EQ(AnyView(small).type_index(), kTVMFFISmallStr);
  // a present empty string is not "no value"
  Optional<String> empty_string = String("");
  EXPECT_TRUE(empty_string.has_value());
  EXPECT_EQ(empty_string.value().size(), 0u);

  Optional<String> heap = String("a string on the heap");
  EXPECT_EQ(AnyView(heap).type_index(), kTVMFFIStr);
  EXPECT_EQ(heap.value_or("x"), "a string on the heap");
  Optional<String> from_literal = "literal";
  EXPECT_EQ(from_literal.value(), "literal");
  Optional<String> from_std = std::string("std");
  EXPECT_EQ(from_std.value(), "std");

  Optional<String> moved_to = std::move(heap);
  EXPECT_EQ(moved_to.value(), "a string on the heap");
  String taken = std::move(moved_to).value();
  EXPECT_EQ(taken, "a string on the heap");

  Optional<String> assigned;
  assigned = String("v");
  EXPECT_EQ(assigned.value(), "v");
  assigned = std::nullopt;
  EXPECT_FALSE(assigned.has_value());
  EXPECT_EQ(AnyView(assigned).type_index(), kTVMFFINone);
}

TEST(CoreOptional, StringComparisons) {
  Optional<String> empty;
  Optional<String> abc = String("abc");
  Optional<String> heap_abc = String(std::string("abc"));
  EXPECT_TRUE(abc == heap_abc);
  EXPECT_FALSE(abc != heap_abc);
  EXPECT_TRUE(abc != empty);
  EXPECT_TRUE(empty == Optional<String>());
  EXPECT_TRUE(empty == std::nullopt);
  EXPECT_FALSE(abc == std::nullopt);
  EXPECT_TRUE(abc != std::nullopt);
  EXPECT_TRUE(abc == String("abc"));
  EXPECT_TRUE(abc == "abc");
  EXPECT_TRUE(abc != "abd");
  EXPECT_FALSE(empty == "abc");
  EXPECT_TRUE(abc == std::string("abc"));
}

TEST(CoreOptional, BytesBasics) {
  Optional<Bytes> empty;
  EXPECT_FALSE(empty.has_value());
  EXPECT_EQ(AnyView(empty).type_index(), kTVMFFINone);
  EXPECT_FFI_ERROR("RuntimeError", "Back optional access", empty.value());
  Optional<Bytes> b = Bytes("x\0y", 3);
  EXPECT_TRUE(b.has_value());
  EXPECT_EQ(b.value().size(), 3u);
  EXPECT_EQ(AnyView(b).type_index(), kTVMFFISmallBytes);
  Optional<Bytes> same = Bytes(std::string("x\0y", 3));
  EXPECT_TRUE(b == same);
  EXPECT_TRUE(b != empty);
  EXPECT_EQ(std::string(empty.value_or(Bytes("d", 1))), "d");
}

// ------------------------------------------------------------------------------------------
// object references
// ------------------------------------------------------------------------------------------

TEST(CoreOptional, ObjectRefBasics) {
  Optional<CoreOptBox> empty;
  EXPECT_FALSE(empty.has_value());
  EXPECT_TRUE(empty == nullptr);
  EXPECT_TRUE(empty == std::nullopt);
  EXPECT_EQ(empty.get(), nullptr);
  EXPECT_FFI_ERROR("RuntimeError", "Back optional access", empty.value());
  EXPECT_FFI_ERROR("RuntimeError", "Back optional access", Optional<CoreOptBox>().value());

  CoreOptBox box(5);
  Optional<CoreOptBox> full = box;
  EXPECT_TRUE(full.has_value());
  EXPECT_TRUE(full != nullptr);
  EXPECT_EQ(box.use_count(), 2);
  EXPECT_EQ(full.value()->value, 5);
  EXPECT_EQ((*full)->value, 5);
  EXPECT_EQ(full.get()->value, 5);
  EXPECT_TRUE(full == box);
  EXPECT_TRUE(full != CoreOptBox(5));  // identity, not content
  EXPECT_EQ(empty.value_or(box)->value, 5);
  EXPECT_EQ(full.value_or(CoreOptBox(9))->value, 5);

  Optional<CoreOptBox> copy = full;
  EXPECT_TRUE(copy == full);
  EXPECT_EQ(box.use_count(), 3);
  CoreOptBox moved_out = std::move(copy).value();
  EXPECT_EQ(box.use_count(), 3);
  EXPECT_TRUE(moved_out.same_as(box));

  full = std::nullopt;
  EXPECT_FALSE(full.has_value());
  full = box;
  full = nullptr;
  EXPECT_FALSE(full.has_value());

  Optional<CoreOptBox> from_std = std::optional<CoreOptBox>(box);
  EXPECT_TRUE(from_std == box);
  EXPECT_TRUE(from_std == std::optional<CoreOptBox>(box));
  EXPECT_TRUE(empty == std::optional<CoreOptBox>());

  // an Optional of a base reference accepts a derived reference
  Function f = Function::FromTyped([]() { return 1; });
  Optional<ObjectRef> base = f;
  EXPECT_TRUE(base.has_value());
  EXPECT_EQ(base.value().get(), f.get());
  Optional<Function> fn = f;
  EXPECT_EQ(fn.value()().cast<int>(), 1);
}

// ------------------------------------------------------------------------------------------
// Any round trips
// ------------------------------------------------------------------------------------------

TEST(CoreOptional, AnyRoundTrips) {
  // empty <-> None
  EXPECT_EQ(Any(Optional<int>()).type_index(), kTVMFFINone);
  EXPECT_EQ(Any(Optional<String>()).type_index(), kTVMFFINone);
  EXPECT_EQ(Any(Optional<Bytes>()).type_index(), kTVMFFINone);
  EXPECT_EQ(Any(Optional<CoreOptBox>()).type_index(), kTVMFFINone);
  EXPECT_FALSE(Any().cast<Optional<int>>().has_value());
  EXPECT_FALSE(Any().cast<Optional<String>>().has_value());
  EXPECT_FALSE(Any().cast<Optional<CoreOptBox>>().has_value());
  EXPECT_TRUE(Any().as<Optional<int>>().has_value());    // strict read succeeds ...
  EXPECT_FALSE(Any().as<Optional<int>>()->has_value());  // ... with an empty value
  // value <-> value
  EXPECT_EQ(Any(Optional<int>(3)).cast<int>(), 3);
  EXPECT_EQ(Any(3).cast<Optional<int>>().value(), 3);
  EXPECT_EQ(Any(3).cast<Optional<double>>().value(), 3.0);  // lenient int -> double
  EXPECT_FALSE(Any(3).as<Optional<double>>().has_value());  // but not strictly
  EXPECT_EQ(Any(Optional<String>(String("s"))).cast<String>(), "s");
  EXPECT_EQ(AnyView("raw").cast<Optional<String>>().value(), "raw");
  EXPECT_EQ(Any(String("a longer heap string")).cast<Optional<String>>().value(),
            "a longer heap string");
  EXPECT_EQ(std::string(Any(Bytes("b", 1)).cast<Optional<Bytes>>().value()), "b");

  CoreOptBox box(8);
  Any held = Optional<CoreOptBox>(box);
  EXPECT_EQ(box.use_count(), 2);
  EXPECT_EQ(held.cast<Optional<CoreOptBox>>().value()->value, 8);
  // the non-nullable reference rejects None, its Optional accepts it
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `None` to `coretests.optional.Box`",
                   Any().cast<CoreOptBox>());
  // moving out of an rvalue Any steals the reference
  Optional<CoreOptBox> stolen = std::move(held).cast<Optional<CoreOptBox>>();
  EXPECT_TRUE(held == nullptr);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(box.use_count(), 2);

  // mismatches name the optional type
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `ffi.SmallStr` to `Optional<int>`",
                   Any(String("x")).cast<Optional<int>>());
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `int` to `Optional<str>`",
                   Any(1).cast<Optional<String>>());
  EXPECT_FFI_ERROR("TypeError",
                   "Cannot convert from type `int` to `Optional<coretests.optional.Box>`",
                   Any(1).cast<Optional<CoreOptBox>>());
  // nested: None is the outer "no value"
  EXPECT_FALSE(Any().cast<Optional<Optional<int>>>().has_value());
  EXPECT_EQ(Any(2).cast<Optional<Optional<int>>>().value().value(), 2);
}

TEST(CoreOptional, AsFunctionParameterAndResult) {
  Function f = Function::FromTyped(
      [](Optional<int> a, Optional<String> b, Optional<CoreOptBox> c) -> Optional<int> {
        if (!a.has_value()) return std::nullopt;
        return a.value() + static_cast<int>(b.value_or("").size()) +
               (c.has_value() ? c.value()->value : 0);
      },
      "opt_fn");
  EXPECT_TRUE(f(nullptr, nullptr, nullptr) == nullptr);
  EXPECT_EQ(f(1, nullptr, nullptr).cast<int>(), 1);
  EXPECT_EQ(f(1, "abc", CoreOptBox(10)).cast<int>(), 14);
  EXPECT_EQ(f(1, Optional<String>(), Optional<CoreOptBox>()).cast<int>(), 1);
  EXPECT_FFI_ERROR("TypeError",
                   "Mismatched type on argument #1 when calling: `opt_fn(0: Optional<int>, 1: "
                   "Optional<str>, 2: Optional<coretests.optional.Box>) -> Optional<int>`. "
                   "Expected `Optional<str>` but got `int`",
                   f(1, 2, nullptr));
}

#if CORETESTS_HAVE_ARRAY
TEST(CoreOptional, OptionalArray) {
  Optional<Array<int>> empty;
  EXPECT_FALSE(empty.has_value());
  EXPECT_FFI_ERROR("RuntimeError", "Back optional access", empty.value());
  Optional<Array<int>> arr = Array<int>({1, 2, 3});
  EXPECT_TRUE(arr.has_value());
  EXPECT_EQ(static_cast<int64_t>(arr.value().size()), 3);
  EXPECT_EQ(arr.value()[2], 3);
  Any a = arr;
  EXPECT_EQ(a.type_index(), kTVMFFIArray);
  EXPECT_EQ(static_cast<int64_t>(a.cast<Optional<Array<int>>>().value().size()), 3);
  EXPECT_FALSE(Any().cast<Optional<Array<int>>>().has_value());
}
#endif

}  // namespace
