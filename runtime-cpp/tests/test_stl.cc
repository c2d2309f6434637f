/*!
 * \file test_stl.cc
 * \brief extra/stl.h: std::vector, std::array, std::tuple, std::map, std::unordered_map,
 *        std::optional, std::variant and std::function as Function arguments and results;
 *        conversion errors; no leak of the temporaries built for arguments.
 */
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/extra/stl.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/memory.h>
#include <tvm/ffi/string.h>

#include <array>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <variant>
#include <vector>

#include "test_utils.h"

namespace {

using namespace tvm::ffi;

TEST(Stl, VectorArgumentAndResult) {
  Function sum = Function::FromTyped([](std::vector<int> v) {
    int total = 0;
    for (int x : v) total += x;
    return total;
  });
  EXPECT_EQ(sum(std::vector<int>{1, 2, 3}).cast<int>(), 6);
  EXPECT_EQ(sum(Array<Any>{4, 5}).cast<int>(), 9);
  Function make = Function::FromTyped([](int n) { return std::vector<String>(n, String("x")); });
  Any result = make(3);
  EXPECT_EQ(result.GetTypeKey(), "ffi.Array");
  Array<String> arr = result.cast<Array<String>>();
  EXPECT_EQ(arr.size(), 3u);
  EXPECT_EQ(arr[2], "x");
  std::vector<String> back = result.cast<std::vector<String>>();
  EXPECT_EQ(back.size(), 3u);
  // Nested and bool vectors.
  Function nested = Function::FromTyped([](std::vector<std::vector<int>> v) {
    return static_cast<int>(v.size() * 10 + v[1].size());
  });
  EXPECT_EQ(nested(std::vector<std::vector<int>>{{1}, {2, 3}}).cast<int>(), 22);
  Any bools = std::vector<bool>{true, false};
  EXPECT_EQ(bools.cast<std::vector<bool>>(), (std::vector<bool>{true, false}));
  // Element conversion failure names the whole type.
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `ffi.Array` to `std::vector<int>`",
                   Any(Array<Any>{1, String("s")}).cast<std::vector<int>>());
  EXPECT_FFI_ERROR_CONTAINS("TypeError", "Expected `std::vector<int>` but got `int`", sum(1));
}

TEST(Stl, VectorFromList) {
  // An ffi.List (built through the runtime's global) converts like an Array.
  std::optional<Function> make_list = Function::GetGlobal("ffi.List");
  if (!make_list.has_value()) GTEST_SKIP() << "ffi.List is not registered by this runtime";
  Any list = (*make_list)(1, 2, 3);
  EXPECT_EQ(list.cast<std::vector<int64_t>>(), (std::vector<int64_t>{1, 2, 3}));
  // std::array and std::tuple take Arrays only.
  EXPECT_FALSE((list.try_cast<std::array<int64_t, 3>>().has_value()));
}

TEST(Stl, StdArray) {
  Function f = Function::FromTyped([](std::array<double, 2> a) { return a[0] + a[1]; });
  EXPECT_DOUBLE_EQ(f(std::array<double, 2>{1.5, 2}).cast<double>(), 3.5);
  EXPECT_DOUBLE_EQ(f(Array<Any>{1, 2}).cast<double>(), 3.0);
  EXPECT_FFI_ERROR_CONTAINS("TypeError", "Expected `std::array<float, 2>` but got `ffi.Array`",
                            f(Array<Any>{1, 2, 3}));
  Any a = std::array<int, 3>{7, 8, 9};
  EXPECT_EQ(a.cast<Array<int>>()[1], 8);
  EXPECT_EQ((TypeTraits<std::array<int, 3>>::TypeSchema()),
            R"({"type":"std::array","args":[{"type":"int"},3]})");
}

TEST(Stl, Tuple) {
  Function f = Function::FromTyped([](std::tuple<int, String, double> t) {
    return std::make_tuple(std::get<1>(t), std::get<0>(t) * 2, std::get<2>(t));
  });
  Any r = f(std::make_tuple(3, String("s"), 0.5));
  auto t = r.cast<std::tuple<String, int, double>>();
  EXPECT_EQ(std::get<0>(t), "s");
  EXPECT_EQ(std::get<1>(t), 6);
  EXPECT_EQ(std::get<2>(t), 0.5);
  EXPECT_FFI_ERROR_CONTAINS("TypeError", "std::tuple<int, str, float>", f(Array<Any>{1, 2}));
  EXPECT_EQ((TypeTraits<std::tuple<int, String>>::TypeStr()), "std::tuple<int, str>");
  EXPECT_EQ((TypeTraits<std::tuple<int, String>>::TypeSchema()),
            R"({"type":"std::tuple","args":[{"type":"int"}, {"type":"ffi.String"}]})");
}

TEST(Stl, Maps) {
  Function f = Function::FromTyped([](std::map<String, int> m) {
    std::unordered_map<int, String> out;
    for (const auto& kv : m) out[kv.second] = kv.first;
    return out;
  });
  Any r = f(std::map<String, int>{{"a", 1}, {"b", 2}});
  EXPECT_EQ(r.GetTypeKey(), "ffi.Map");
  auto back = r.cast<std::unordered_map<int, String>>();
  EXPECT_EQ(back.size(), 2u);
  EXPECT_EQ(back.at(2), "b");
  Map<Any, Any> ffi_map{{String("z"), 26}};
  EXPECT_EQ((f(ffi_map).cast<std::map<int, String>>().at(26)), "z");
  EXPECT_FFI_ERROR_CONTAINS("TypeError", "Expected `std::map<str, int>` but got `ffi.Array`",
                            f(Array<Any>{}));
  // Keys that become equal after conversion: the first one wins.
  Map<Any, Any> dup{{1, String("one")}, {true, String("true")}};
  std::map<int, String> merged = Any(dup).cast<std::map<int, String>>();
  EXPECT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged.at(1), "one");
  EXPECT_EQ((TypeTraits<std::unordered_map<String, int>>::TypeStr()),
            "std::unordered_map<str, int>");
}

TEST(Stl, Optional) {
  Function f = Function::FromTyped([](std::optional<int> x) -> std::optional<String> {
    if (!x.has_value()) return std::nullopt;
    return String(std::to_string(*x));
  });
  EXPECT_EQ(f(std::optional<int>(5)).cast<String>(), "5");
  EXPECT_EQ(f(nullptr).type_index(), kTVMFFINone);
  EXPECT_EQ(f(std::optional<int>()).type_index(), kTVMFFINone);
  EXPECT_FFI_ERROR_CONTAINS("TypeError", "Expected `std::optional<int>` but got `const char*`",
                            f("x"));
  // Strict reading works for storage element types.
  Any seven = 7;
  EXPECT_EQ(seven.as<std::optional<int>>().value(), std::optional<int>(7));
  // Borrowed form for viewable element types: no allocation, no owner needed.
  std::optional<int> opt = 3;
  AnyView view = opt;
  EXPECT_EQ(view.cast<int>(), 3);
  // An optional vector goes through an owning temporary.
  Function g = Function::FromTyped(
      [](std::optional<std::vector<int>> v) { return v.has_value() ? v->size() : size_t(99); });
  EXPECT_EQ(g(std::optional<std::vector<int>>(std::vector<int>{1, 2})).cast<int64_t>(), 2);
  EXPECT_EQ(g(std::optional<std::vector<int>>()).cast<int64_t>(), 99);
}

TEST(Stl, VariantPrefersTheExactAlternative) {
  // An int goes to the int alternative although double comes first and would convert.
  using V = std::variant<double, int>;
  V from_int = Any(3).cast<V>();
  EXPECT_EQ(from_int.index(), 1u);
  EXPECT_EQ(std::get<int>(from_int), 3);
  V from_float = Any(2.5).cast<V>();
  EXPECT_EQ(from_float.index(), 0u);
  // No exact match: the first alternative that converts (bool -> double here).
  V from_bool = Any(true).cast<V>();
  EXPECT_EQ(from_bool.index(), 0u);
  // Strings against a vector-or-string variant; vectors have no strict form.
  using W = std::variant<std::vector<int>, String>;
  EXPECT_EQ(Any(String("s")).cast<W>().index(), 1u);
  EXPECT_EQ(Any(Array<Any>{1}).cast<W>().index(), 0u);
  EXPECT_FFI_ERROR("TypeError",
                   "Cannot convert from type `None` to `std::variant<std::vector<int>, str>`",
                   Any(nullptr).cast<W>());
  Function f = Function::FromTyped([](std::variant<int, String> v) -> std::variant<int, String> {
    if (v.index() == 0) return std::get<int>(v) + 1;
    return String(std::string(std::get<String>(v)) + "!");
  });
  EXPECT_EQ(f(std::variant<int, String>(1)).cast<int>(), 2);
  EXPECT_EQ(f("a").cast<String>(), "a!");
  EXPECT_EQ((TypeTraits<std::variant<int, String>>::TypeSchema()),
            R"({"type":"std::variant","args":[{"type":"int"}, {"type":"ffi.String"}]})");
}

TEST(Stl, Function) {
  Function apply =
      Function::FromTyped([](std::function<int(int, int)> fn, int x) { return fn(x, 10); });
  std::function<int(int, int)> add = [](int a, int b) { return a + b; };
  EXPECT_EQ(apply(add, 5).cast<int>(), 15);
  // An ffi.Function converts to std::function; results convert to R.
  Function mul = Function::FromTyped([](int a, int b) { return a * b; });
  EXPECT_EQ(apply(mul, 5).cast<int>(), 50);
  std::function<double(int, int)> as_std = Any(mul).cast<std::function<double(int, int)>>();
  EXPECT_DOUBLE_EQ(as_std(3, 4), 12.0);
  // Returning a std::function gives an ffi.Function.
  Function maker = Function::FromTyped(
      [](int k) { return std::function<int(int)>([k](int v) { return v * k; }); });
  Function made = maker(3).cast<Function>();
  EXPECT_EQ(made(7).cast<int>(), 21);
  EXPECT_EQ((TypeTraits<std::function<int(int, String)>>::TypeStr()),
            "std::function<int(int, str)>");
  EXPECT_FFI_ERROR_CONTAINS("TypeError", "Expected `std::function<int(int, int)>` but got `int`",
                            apply(1, 2));
}

class StlProbeObj : public Object {
 public:
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("test.stl.Probe", StlProbeObj, Object);
};
class StlProbe : public ObjectRef {
 public:
  StlProbe() : ObjectRef(make_object<StlProbeObj>()) {}
  TVM_FFI_DEFINE_OBJECT_REF_METHODS_NOTNULLABLE(StlProbe, ObjectRef, StlProbeObj);
};

TEST(Stl, ArgumentTemporariesAreReleased) {
  // The Array built for a std::vector argument dies when the call returns: a weak reference
  // taken inside the callee expires afterwards, and the elements' counts drop back.
  StlProbe probe;
  std::optional<WeakObjectPtr<Object>> seen;
  Function peek = Function::FromTyped([&seen](Array<Any> arr) {
    seen = WeakObjectPtr<Object>(details::ObjectUnsafe::ObjectPtrFromObjectRef<Object>(arr));
    return static_cast<int64_t>(arr.size());
  });
  std::vector<StlProbe> items{probe, probe};
  EXPECT_EQ(probe.use_count(), 3);
  EXPECT_EQ(peek(items).cast<int64_t>(), 2);
  ASSERT_TRUE(seen.has_value());
  EXPECT_TRUE(seen->expired());
  EXPECT_EQ(probe.use_count(), 3);
  // The same through CallExpected and InvokeExternC-style packing of maps and tuples.
  Function count = Function::FromTyped([](Map<Any, Any> m) { return m.size(); });
  EXPECT_EQ(count.CallExpected<int64_t>(std::map<int, StlProbe>{{1, probe}}).value(), 1);
  EXPECT_EQ(probe.use_count(), 3);
  Function first = Function::FromTyped([](Array<Any> a) { return a[0]; });
  EXPECT_TRUE(first(std::make_tuple(probe, 1)).cast<StlProbe>().same_as(probe));
  EXPECT_EQ(probe.use_count(), 3);
}

}  // namespace
