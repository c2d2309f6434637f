/*!
 * \file test_function.cc
 * \brief Function: packed and typed wrappers, argument conversion and its error texts, the
 *        global registry, TypedFunction, extern C functions, the safe-call macros, exported
 *        typed functions and errors crossing the C boundary.
 */
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/memory.h>
#include <tvm/ffi/optional.h>
#include <tvm/ffi/string.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "test_utils.h"

namespace {

using namespace tvm::ffi;

/*! \brief Take the error out of the thread-local slot (empty Error kind "" if none). */
std::optional<Error> TakeRaised() {
  TVMFFIObjectHandle handle = nullptr;
  TVMFFIErrorMoveFromRaised(&handle);
  if (handle == nullptr) return std::nullopt;
  return details::ObjectUnsafe::ObjectRefFromObjectPtr<Error>(
      details::ObjectUnsafe::ObjectPtrFromOwned<Object>(static_cast<TVMFFIObject*>(handle)));
}

/*! \brief A typed function exported with the C symbol __tvm_ffi_coretests_add_one. */
int CoreTestsAddOne(int x) { return x + 1; }

/*! \brief Throws from inside an exported function. */
String CoreTestsFailing(String what) {
  TVM_FFI_THROW(ValueError) << "exported failure: " << what;
  TVM_FFI_UNREACHABLE();
}

}  // namespace

TVM_FFI_DLL_EXPORT_TYPED_FUNC(coretests_add_one, CoreTestsAddOne);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(coretests_failing, CoreTestsFailing);

// the export macro also works inside a namespace, with a lambda object
namespace coretests_export_ns {
const auto kConcat = [](tvm::ffi::String a, int b) { return a + std::to_string(b); };
TVM_FFI_DLL_EXPORT_TYPED_FUNC(coretests_concat, kConcat);
}  // namespace coretests_export_ns

namespace {

// ------------------------------------------------------------------------------------------
// FromPacked / PackedArgs
// ------------------------------------------------------------------------------------------

TEST(CoreFunction, FromPackedPointerSignature) {
  Function sum = Function::FromPacked([](const AnyView* args, int32_t n, Any* rv) {
    int64_t total = 0;
    for (int32_t i = 0; i < n; ++i) total += args[i].cast<int64_t>();
    *rv = total;
  });
  EXPECT_EQ(sum(1, 2, 3).cast<int64_t>(), 6);
  EXPECT_EQ(sum().cast<int64_t>(), 0);
  EXPECT_EQ(sum(true, 4).cast<int64_t>(), 5);
  EXPECT_EQ(sum.get()->type_index(), kTVMFFIFunction);
  EXPECT_EQ(sum.GetTypeKey(), "ffi.Function");
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `float` to `int`", sum(1, 2.5));
}

TEST(CoreFunction, FromPackedArgsSignature) {
  Function f = Function::FromPacked([](PackedArgs args, Any* rv) {
    *rv = String("n=" + std::to_string(args.size()) +
                 " first=" + (args.size() > 0 ? args[0].cast<std::string>() : std::string("-")));
  });
  EXPECT_EQ(f("a", 2).cast<String>(), "n=2 first=a");
  EXPECT_EQ(f().cast<String>(), "n=0 first=-");
  // the explicit constructor is the same as FromPacked
  Function g([](PackedArgs args, Any* rv) { *rv = args.size(); });
  EXPECT_EQ(g(1, 2, 3, 4).cast<int>(), 4);
  Function h([](const AnyView*, int32_t n, Any* rv) { *rv = n * 10; });
  EXPECT_EQ(h(nullptr).cast<int>(), 10);
  // a packed function that returns nothing leaves None
  Function nothing = Function::FromPacked([](PackedArgs, Any*) {});
  EXPECT_TRUE(nothing(1) == nullptr);
}

TEST(CoreFunction, PackedArgsSlice) {
  AnyView storage[4];
  PackedArgs::Fill(storage, 10, "two", 3.5, true);
  PackedArgs args(storage, 4);
  EXPECT_EQ(args.size(), 4);
  EXPECT_EQ(args.data(), storage);
  EXPECT_EQ(args[0].cast<int>(), 10);
  EXPECT_EQ(args[1].type_index(), kTVMFFIRawStr);
  EXPECT_EQ(args[2].cast<double>(), 3.5);
  EXPECT_EQ(args[3].type_index(), kTVMFFIBool);

  PackedArgs tail = args.Slice(1);
  EXPECT_EQ(tail.size(), 3);
  EXPECT_EQ(tail.data(), storage + 1);
  EXPECT_EQ(tail[0].cast<std::string>(), "two");
  PackedArgs mid = args.Slice(1, 3);
  EXPECT_EQ(mid.size(), 2);
  EXPECT_EQ(mid[1].cast<double>(), 3.5);
  EXPECT_EQ(args.Slice(4).size(), 0);
  EXPECT_EQ(args.Slice(2, 2).size(), 0);

  // a packed function forwarding a slice to another one
  Function inner = Function::FromTyped([](int a, double b) { return a + b; });
  Function outer =
      Function::FromPacked([inner](PackedArgs a, Any* rv) { inner.CallPacked(a.Slice(1), rv); });
  EXPECT_EQ(outer("ignored", 1, 0.5).cast<double>(), 1.5);
}

// ------------------------------------------------------------------------------------------
// FromTyped
// ------------------------------------------------------------------------------------------

TEST(CoreFunction, FromTypedScalarParams) {
  Function add = Function::FromTyped([](int a, double b) -> double { return a + b; });
  EXPECT_EQ(add(1, 2.5).cast<double>(), 3.5);
  EXPECT_EQ(add(true, 2).cast<double>(), 3.0);  // bool -> int, int -> double
  EXPECT_EQ(add(1, 2).type_index(), kTVMFFIFloat);

  Function ret_void = Function::FromTyped([](int) {});
  EXPECT_TRUE(ret_void(1) == nullptr);
  Function ret_bool = Function::FromTyped([](bool b) { return !b; });
  EXPECT_EQ(ret_bool(0).type_index(), kTVMFFIBool);
  EXPECT_TRUE(ret_bool(0).cast<bool>());
  Function ret_int64 = Function::FromTyped([](int64_t x) { return x; });
  EXPECT_EQ(ret_int64(int64_t{1} << 40).cast<int64_t>(), int64_t{1} << 40);
  Function with_void_ptr = Function::FromTyped([](void* p) { return p == nullptr; });
  EXPECT_TRUE(with_void_ptr(nullptr).cast<bool>());
  int x = 0;
  EXPECT_FALSE(with_void_ptr(static_cast<void*>(&x)).cast<bool>());
  Function with_device = Function::FromTyped([](DLDevice d) { return d.device_id; });
  EXPECT_EQ(with_device(DLDevice{kDLCUDA, 7}).cast<int>(), 7);
}

TEST(CoreFunction, FromTypedStringParams) {
  Function concat = Function::FromTyped(
      [](String a, std::string b, const String& c) -> String { return a + b + c; });
  EXPECT_EQ(concat("x", "y", "z").cast<String>(), "xyz");
  std::string s = "std";
  EXPECT_EQ(concat(String("S"), s, String("a long heap string")).cast<String>(),
            "Sstda long heap string");
  // std::string parameters also accept Bytes
  Function len = Function::FromTyped([](const std::string& v) { return v.size(); });
  EXPECT_EQ(len(Bytes("a\0b", 3)).cast<int64_t>(), 3);
  Function ret_std = Function::FromTyped([]() { return std::string("made"); });
  Any r = ret_std();
  EXPECT_EQ(r.type_index(), kTVMFFIStr);
  EXPECT_EQ(r.cast<String>(), "made");
  Function ret_cstr = Function::FromTyped([]() -> const char* { return "lit"; });
  Any rc = ret_cstr();
  EXPECT_EQ(rc.type_index(), kTVMFFISmallStr);  // stored as an owned String, never RawStr
  EXPECT_EQ(rc.cast<String>(), "lit");
}

TEST(CoreFunction, FromTypedOptionalAnyAndObjects) {
  Function opt = Function::FromTyped([](Optional<int> v) { return v.has_value() ? *v : -1; });
  EXPECT_EQ(opt(nullptr).cast<int>(), -1);
  EXPECT_EQ(opt(5).cast<int>(), 5);
  EXPECT_EQ(opt(Optional<int>()).cast<int>(), -1);

  // Any parameters own their value: a RawStr argument becomes a String
  Function any_kind = Function::FromTyped([](Any v) { return v.type_index(); });
  EXPECT_EQ(any_kind("abc").cast<int>(), kTVMFFISmallStr);
  EXPECT_EQ(any_kind("abcdefghijk").cast<int>(), kTVMFFIStr);
  EXPECT_EQ(any_kind(1.5).cast<int>(), kTVMFFIFloat);
  // AnyView parameters see the argument as passed
  Function view_kind = Function::FromTyped([](AnyView v) { return v.type_index(); });
  EXPECT_EQ(view_kind("abc").cast<int>(), kTVMFFIRawStr);
  Function const_ref_any = Function::FromTyped([](const Any& v) { return v; });
  EXPECT_EQ(const_ref_any(7).cast<int>(), 7);
  // returning Any passes through
  Function echo = Function::FromTyped([](Any v) -> Any { return v; });
  EXPECT_TRUE(echo(nullptr) == nullptr);
  EXPECT_EQ(echo(String("e")).cast<String>(), "e");
  // Any and AnyView arguments are passed through as views
  Any held = String("a heap allocated argument");
  AnyView held_view = held;
  EXPECT_TRUE(echo(held).same_as(held));
  EXPECT_TRUE(echo(held_view).same_as(held));
  EXPECT_EQ(view_kind(held).cast<int>(), kTVMFFIStr);

  Function inner = Function::FromTyped([](int v) { return v + 100; });
  Function obj_arg = Function::FromTyped([](ObjectRef o) { return o.type_index(); });
  EXPECT_EQ(obj_arg(inner).cast<int>(), kTVMFFIFunction);
  EXPECT_EQ(obj_arg(nullptr).cast<int>(), kTVMFFINone);
  Function call_it = Function::FromTyped([](Function f, int v) { return f(v).cast<int>(); });
  EXPECT_EQ(call_it(inner, 1).cast<int>(), 101);
  Function call_typed =
      Function::FromTyped([](TypedFunction<int(int)> f, int v) { return f(v) * 2; });
  EXPECT_EQ(call_typed(inner, 1).cast<int>(), 202);
  // a function returning a function
  Function make_adder = Function::FromTyped(
      [](int base) { return Function::FromTyped([base](int v) { return base + v; }); });
  EXPECT_EQ(make_adder(10).cast<Function>()(5).cast<int>(), 15);
  EXPECT_EQ(make_adder(1).type_index(), kTVMFFIFunction);
}

TEST(CoreFunction, FunctionPointersAndFunctors) {
  struct Doubler {
    int operator()(int v) const { return v * 2; }
  };
  Function from_functor = Function::FromTyped(Doubler());
  EXPECT_EQ(from_functor(21).cast<int>(), 42);
  int (*fptr)(int) = [](int v) { return v - 1; };
  Function from_ptr = Function::FromTyped(fptr);
  EXPECT_EQ(from_ptr(1).cast<int>(), 0);
  // captured state lives in the function object
  auto shared = std::make_shared<int>(0);
  Function counter = Function::FromTyped([shared]() { return ++*shared; });
  EXPECT_EQ(counter().cast<int>(), 1);
  EXPECT_EQ(counter().cast<int>(), 2);
  EXPECT_EQ(shared.use_count(), 2);
  counter = Function(nullptr);
  EXPECT_EQ(shared.use_count(), 1);  // the callable is destroyed with the last reference
}

class CoreFuncBoxObj : public Object {
 public:
  explicit CoreFuncBoxObj(int v) : value(v) {}
  int Get(int extra) const { return value + extra; }
  int value;
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("coretests.function.Box", CoreFuncBoxObj, Object);
};

class CoreFuncBox : public ObjectRef {
 public:
  explicit CoreFuncBox(int v) { data_ = make_object<CoreFuncBoxObj>(v); }
  int Twice() const { return get()->value * 2; }
  TVM_FFI_DEFINE_OBJECT_REF_METHODS_NULLABLE(CoreFuncBox, ObjectRef, CoreFuncBoxObj);
};

TEST(CoreFunction, MemberFunctionPointers) {
  CoreFuncBox box(20);
  // a const method of an object class: the object pointer is the first argument
  Function get = Function::FromTyped(&CoreFuncBoxObj::Get, "Box.Get");
  EXPECT_EQ(get(box, 1).cast<int>(), 21);
  EXPECT_FFI_ERROR("TypeError",
                   "Mismatched type on argument #0 when calling: "
                   "`Box.Get(0: coretests.function.Box, 1: int) -> int`. Expected "
                   "`coretests.function.Box` but got `int`",
                   get(1, 1));
  // a method of the reference class: the reference is the first argument
  Function twice = Function::FromTyped(&CoreFuncBox::Twice);
  EXPECT_EQ(twice(box).cast<int>(), 40);
}

TEST(CoreFunction, ReturnKinds) {
  Function ret_opt = Function::FromTyped([](bool has) -> Optional<String> {
    if (has) return String("value");
    return std::nullopt;
  });
  EXPECT_TRUE(ret_opt(false) == nullptr);
  EXPECT_EQ(ret_opt(true).cast<String>(), "value");
  // returning a view converts it to an owned value
  Function ret_view = Function::FromTyped([](AnyView v) -> AnyView { return v; });
  Any r = ret_view("a raw string");
  EXPECT_EQ(r.type_index(), kTVMFFIStr);
  EXPECT_EQ(r.cast<String>(), "a raw string");
  // returning an object keeps exactly one extra reference in the result
  CoreFuncBox box(1);
  Function ret_obj = Function::FromTyped([box]() { return box; });
  EXPECT_EQ(box.use_count(), 2);
  {
    Any held = ret_obj();
    EXPECT_EQ(box.use_count(), 3);
  }
  EXPECT_EQ(box.use_count(), 2);
}

TEST(CoreFunction, ArgumentCountMismatch) {
  Function named = Function::FromTyped([](int a, double b) -> int { return a + int(b); }, "name");
  EXPECT_FFI_ERROR("TypeError",
                   "Mismatched number of arguments when calling: "
                   "`name(0: int, 1: float) -> int`. Expected 2 but got 1 arguments",
                   named(1));
  EXPECT_FFI_ERROR("TypeError",
                   "Mismatched number of arguments when calling: "
                   "`name(0: int, 1: float) -> int`. Expected 2 but got 3 arguments",
                   named(1, 2, 3));
  Function unnamed = Function::FromTyped([](int a, double b) -> int { return a + int(b); });
  EXPECT_FFI_ERROR("TypeError",
                   "Mismatched number of arguments when calling: "
                   "`(0: int, 1: float) -> int`. Expected 2 but got 0 arguments",
                   unnamed());
  Function nullary = Function::FromTyped([]() {}, "nullary");
  EXPECT_FFI_ERROR("TypeError",
                   "Mismatched number of arguments when calling: "
                   "`nullary() -> void`. Expected 0 but got 1 arguments",
                   nullary(1));
}

TEST(CoreFunction, ArgumentTypeMismatch) {
  Function named = Function::FromTyped([](int a, double b) -> int { return a + int(b); }, "name");
  EXPECT_FFI_ERROR("TypeError",
                   "Mismatched type on argument #1 when calling: "
                   "`name(0: int, 1: float) -> int`. Expected `float` but got `const char*`",
                   named(1, "x"));
  EXPECT_FFI_ERROR("TypeError",
                   "Mismatched type on argument #1 when calling: "
                   "`name(0: int, 1: float) -> int`. Expected `float` but got `ffi.SmallStr`",
                   named(1, String("x")));
  EXPECT_FFI_ERROR("TypeError",
                   "Mismatched type on argument #0 when calling: "
                   "`name(0: int, 1: float) -> int`. Expected `int` but got `float`",
                   named(1.5, 1.0));
  EXPECT_FFI_ERROR("TypeError",
                   "Mismatched type on argument #0 when calling: "
                   "`name(0: int, 1: float) -> int`. Expected `int` but got `None`",
                   named(nullptr, 1.0));
  Function takes_str = Function::FromTyped([](String s) { return s; }, "takes_str");
  EXPECT_FFI_ERROR("TypeError",
                   "Mismatched type on argument #0 when calling: "
                   "`takes_str(0: str) -> str`. Expected `str` but got `int`",
                   takes_str(1));
  Function takes_fn = Function::FromTyped([](Function f) { return f; }, "takes_fn");
  EXPECT_FFI_ERROR("TypeError",
                   "Mismatched type on argument #0 when calling: "
                   "`takes_fn(0: ffi.Function) -> ffi.Function`. Expected `ffi.Function` but "
                   "got `ffi.String`",
                   takes_fn(String("not a function at all")));
  Function takes_opt = Function::FromTyped([](Optional<int> v) { return v.has_value(); }, "o");
  EXPECT_FFI_ERROR("TypeError",
                   "Mismatched type on argument #0 when calling: "
                   "`o(0: Optional<int>) -> bool`. Expected `Optional<int>` but got `float`",
                   takes_opt(2.5));
}

TEST(CoreFunction, SignatureTypeNames) {
  Function many = Function::FromTyped(
      [](int, double, String, std::string, Optional<int>, Any, AnyView, ObjectRef, Function,
         TypedFunction<int(int)>, const Bytes&, bool, void*, DLDevice) {},
      "many");
  EXPECT_FFI_ERROR("TypeError",
                   "Mismatched number of arguments when calling: `many(0: int, 1: float, 2: "
                   "str, 3: std::string, 4: Optional<int>, 5: Any, 6: AnyView, 7: ffi.Object, "
                   "8: ffi.Function, 9: (0: int) -> int, 10: bytes, 11: bool, 12: void*, 13: "
                   "Device) -> void`. Expected 14 but got 0 arguments",
                   many());
  Function ret_any = Function::FromTyped([]() -> Any { return 1; }, "ret_any");
  EXPECT_FFI_ERROR("TypeError",
                   "Mismatched number of arguments when calling: `ret_any() -> Any`. Expected 0 "
                   "but got 2 arguments",
                   ret_any(1, 2));
}

// ------------------------------------------------------------------------------------------
// global registry
// ------------------------------------------------------------------------------------------

bool HasName(const std::vector<String>& names, const std::string& name) {
  return std::any_of(names.begin(), names.end(), [&](const String& s) { return s == name; });
}

TEST(CoreFunction, GlobalRegistry) {
  const std::string name = "coretests.function.add";
  Function add = Function::FromTyped([](int a, int b) { return a + b; });
  EXPECT_FALSE(Function::GetGlobal(name).has_value());
  Function::SetGlobal(name, add);
  EXPECT_EQ(add.use_count(), 2);  // the registry holds its own reference

  std::optional<Function> got = Function::GetGlobal(name);
  ASSERT_TRUE(got.has_value());
  EXPECT_TRUE(got->same_as(add));
  EXPECT_EQ((*got)(2, 3).cast<int>(), 5);
  EXPECT_TRUE(Function::GetGlobal(String(name)).has_value());
  EXPECT_TRUE(Function::GetGlobal(name.c_str()).has_value());
  EXPECT_TRUE(Function::GetGlobal(std::string_view(name)).has_value());
  EXPECT_EQ(Function::GetGlobalRequired(name)(1, 1).cast<int>(), 2);
  EXPECT_TRUE(HasName(Function::ListGlobalNames(), name));

  // registering again without override fails and keeps the old function
  Function sub = Function::FromTyped([](int a, int b) { return a - b; });
  EXPECT_FFI_ERROR("RuntimeError", "Global Function `coretests.function.add` is already registered",
                   Function::SetGlobal(name, sub));
  EXPECT_EQ(Function::GetGlobalRequired(name)(5, 3).cast<int>(), 8);
  // with override the new function replaces it (and the registry drops the old one)
  got.reset();
  EXPECT_EQ(add.use_count(), 2);
  Function::SetGlobal(name, sub, true);
  EXPECT_EQ(Function::GetGlobalRequired(name)(5, 3).cast<int>(), 2);
  EXPECT_EQ(add.use_count(), 1);

  Function::RemoveGlobal(name);
  EXPECT_FALSE(Function::GetGlobal(name).has_value());
  EXPECT_FALSE(HasName(Function::ListGlobalNames(), name));
  EXPECT_EQ(sub.use_count(), 1);
  EXPECT_FFI_ERROR("ValueError", "Function coretests.function.add not found",
                   Function::GetGlobalRequired(name));
  EXPECT_FFI_ERROR("ValueError", "Function coretests.missing not found",
                   Function::GetGlobalRequired("coretests.missing"));
  EXPECT_FFI_ERROR("ValueError", "Function coretests.missing2 not found",
                   Function::GetGlobalRequired(String("coretests.missing2")));
  // the runtime's own helpers are listed
  std::vector<String> names = Function::ListGlobalNames();
  EXPECT_TRUE(HasName(names, "ffi.FunctionRemoveGlobal"));
  EXPECT_TRUE(HasName(names, "ffi.FunctionListGlobalNamesFunctor"));
}

TEST(CoreFunction, GlobalRegistryBadInput) {
  // registering a null function is rejected with a TypeError, nothing is registered
  tvm_ffi_test::ExpectErrorKind(
      [] { Function::SetGlobal("coretests.function.null", Function(nullptr)); }, "TypeError");
  EXPECT_FALSE(Function::GetGlobal("coretests.function.null").has_value());
  // removing an unknown name is harmless
  EXPECT_NO_THROW(Function::RemoveGlobal("coretests.function.never_registered"));
}

TEST(CoreFunction, TypeKeyToIndex) {
  EXPECT_EQ(TypeKeyToIndex("ffi.Function"), kTVMFFIFunction);
  EXPECT_EQ(TypeKeyToIndex("ffi.String"), kTVMFFIStr);
  EXPECT_EQ(TypeKeyToIndex(std::string("ffi.Error")), kTVMFFIError);
  EXPECT_THROW(TypeKeyToIndex("coretests.no.such.type"), Error);
}

TEST(CoreFunction, GlobalErrorsKeepKind) {
  const std::string name = "coretests.function.raises";
  Function::SetGlobal(name, Function::FromTyped([](int v) -> int {
                        if (v < 0) TVM_FFI_THROW(IndexError) << "negative " << v;
                        return v;
                      }),
                      true);
  Function f = Function::GetGlobalRequired(name);
  EXPECT_EQ(f(3).cast<int>(), 3);
  EXPECT_FFI_ERROR("IndexError", "negative -4", f(-4));
  Function::RemoveGlobal(name);
}

// ------------------------------------------------------------------------------------------
// TypedFunction
// ------------------------------------------------------------------------------------------

TEST(CoreFunction, TypedFunction) {
  TypedFunction<int(int, int)> add = [](int a, int b) { return a + b; };
  EXPECT_EQ(add(2, 3), 5);
  EXPECT_TRUE(add != nullptr);
  Function packed = add;
  EXPECT_EQ(packed(4, 5).cast<int>(), 9);
  EXPECT_TRUE(add.packed().same_as(packed));

  TypedFunction<int(int, int)> from_packed(packed);
  EXPECT_EQ(from_packed(1, 1), 2);
  TypedFunction<int(int, int)> empty;
  EXPECT_TRUE(empty == nullptr);
  empty = [](int a, int b) { return a * b; };
  EXPECT_EQ(empty(3, 4), 12);
  empty = packed;
  EXPECT_EQ(empty(3, 4), 7);

  TypedFunction<void(int)> sink = [](int) {};
  sink(1);
  TypedFunction<String(String)> upper = [](String s) { return s + "!"; };
  EXPECT_EQ(upper("hi"), "hi!");
  TypedFunction<Any(int)> ret_any = [](int v) -> Any { return v; };
  EXPECT_EQ(ret_any(3).cast<int>(), 3);

  // the result is converted to R; a mismatch is a TypeError
  TypedFunction<int()> bad(Function::FromTyped([]() { return String("no"); }));
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `ffi.SmallStr` to `int`", bad());
  // named typed functions report their name
  TypedFunction<int(int)> named([](int v) { return v; }, "typed_named");
  Function raw = named;
  EXPECT_FFI_ERROR("TypeError",
                   "Mismatched type on argument #0 when calling: `typed_named(0: int) -> int`. "
                   "Expected `int` but got `const char*`",
                   raw("x"));

  // TypedFunction through Any and as an argument
  Any as_any = add;
  EXPECT_EQ(as_any.type_index(), kTVMFFIFunction);
  EXPECT_EQ(as_any.cast<TypedFunction<int(int, int)>>()(7, 8), 15);
  TypedFunction<int(TypedFunction<int(int, int)>)> apply = [](TypedFunction<int(int, int)> f) {
    return f(10, 20);
  };
  EXPECT_EQ(apply(add), 30);
  EXPECT_EQ(TypedFunction<int(int)>::TypeSchema(),
            R"({"type":"ffi.Function","args":[{"type":"int"},{"type":"int"}]})");
  EXPECT_EQ(TypeTraits<TypedFunction<int(double, String)>>::TypeStr(), "(0: float, 1: str) -> int");
}

// ------------------------------------------------------------------------------------------
// extern C functions
// ------------------------------------------------------------------------------------------

std::atomic<int> g_deleter_calls{0};
void* g_last_self = nullptr;

int EchoHandleSafeCall(void* handle, const TVMFFIAny* args, int32_t num_args, TVMFFIAny* result) {
  (void)args;
  result->type_index = kTVMFFIOpaquePtr;
  result->zero_padding = 0;
  result->v_int64 = 0;
  result->v_ptr = handle;
  return num_args == 0 ? 0 : -1;
}

int SumWithSelfSafeCall(void* self, const TVMFFIAny* args, int32_t num_args, TVMFFIAny* result) {
  g_last_self = self;
  int64_t total = *static_cast<int64_t*>(self);
  for (int32_t i = 0; i < num_args; ++i) {
    if (args[i].type_index != kTVMFFIInt) {
      TVMFFIErrorSetRaisedFromCStr("TypeError", "only ints please");
      return -1;
    }
    total += args[i].v_int64;
  }
  result->type_index = kTVMFFIInt;
  result->zero_padding = 0;
  result->v_int64 = total;
  return 0;
}

void CountingDeleter(void* self) {
  ++g_deleter_calls;
  delete static_cast<int64_t*>(self);
}

int EnvErrorSafeCall(void*, const TVMFFIAny*, int32_t, TVMFFIAny*) { return -2; }

TEST(CoreFunction, FromExternCWithoutSelf) {
  Function f = Function::FromExternC(nullptr, EchoHandleSafeCall, nullptr);
  Any r = f();
  EXPECT_EQ(r.type_index(), kTVMFFIOpaquePtr);
  // with self == NULL and deleter == NULL the callee receives the function handle itself
  EXPECT_EQ(r.cast<void*>(),
            static_cast<void*>(details::ObjectUnsafe::TVMFFIObjectPtrFromObjectRef(f)));
  // -1 without a raised error still becomes an Error
  EXPECT_FALSE(CATCH_FFI_ERROR(f(1)).kind().empty());
}

TEST(CoreFunction, FromExternCWithSelfAndDeleter) {
  g_deleter_calls = 0;
  {
    int64_t* state = new int64_t(100);
    Function f = Function::FromExternC(state, SumWithSelfSafeCall, CountingDeleter);
    EXPECT_EQ(f(1, 2).cast<int64_t>(), 103);
    EXPECT_EQ(g_last_self, state);
    EXPECT_FFI_ERROR("TypeError", "only ints please", f(1, "x"));
    Function copy = f;
    Any held = f;
    f = Function(nullptr);
    copy = Function(nullptr);
    EXPECT_EQ(g_deleter_calls.load(), 0);
    EXPECT_EQ(held.cast<Function>()(5).cast<int64_t>(), 105);
  }
  EXPECT_EQ(g_deleter_calls.load(), 1);

  // self without a deleter: nothing is released, self is still passed through
  int64_t local = 7;
  {
    Function f = Function::FromExternC(&local, SumWithSelfSafeCall, nullptr);
    EXPECT_EQ(f(1).cast<int64_t>(), 8);
    EXPECT_EQ(g_last_self, &local);
  }
  EXPECT_EQ(g_deleter_calls.load(), 1);

  // -2 from the callee means "the environment already holds the error"
  Function env = Function::FromExternC(nullptr, EnvErrorSafeCall, nullptr);
  EXPECT_FFI_ERROR("EnvErrorAlreadySet", "", env());
}

TEST(CoreFunction, InvokeExternC) {
  int64_t base = 1000;
  EXPECT_EQ(Function::InvokeExternC(&base, SumWithSelfSafeCall, 1, 2, 3).cast<int64_t>(), 1006);
  EXPECT_EQ(Function::InvokeExternC(&base, SumWithSelfSafeCall).cast<int64_t>(), 1000);
  EXPECT_FFI_ERROR("TypeError", "only ints please",
                   Function::InvokeExternC(&base, SumWithSelfSafeCall, 1.5));
  EXPECT_FFI_ERROR("EnvErrorAlreadySet", "", Function::InvokeExternC(nullptr, EnvErrorSafeCall, 1));
  // the raised slot is empty after the error was rethrown
  EXPECT_FALSE(TakeRaised().has_value());
}

// ------------------------------------------------------------------------------------------
// safe-call macros
// ------------------------------------------------------------------------------------------

int SafeCallBody(int mode) {
  TVM_FFI_SAFE_CALL_BEGIN();
  switch (mode) {
    case 1:
      TVM_FFI_THROW(ValueError) << "value " << 42;
      break;
    case 2:
      throw std::runtime_error("plain runtime error");
    case 3:
      throw EnvErrorAlreadySet();
    case 4:
      throw Error("CustomKind", "custom message", "custom backtrace\n");
    default:
      break;
  }
  TVM_FFI_SAFE_CALL_END();
}

TEST(CoreFunction, SafeCallMacros) {
  ASSERT_FALSE(TakeRaised().has_value());
  EXPECT_EQ(SafeCallBody(0), 0);
  EXPECT_FALSE(TakeRaised().has_value());

  EXPECT_EQ(SafeCallBody(1), -1);
  std::optional<Error> err = TakeRaised();
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->kind(), "ValueError");
  EXPECT_EQ(err->message(), "value 42");
  EXPECT_EQ(err->use_count(), 1);
  EXPECT_FALSE(TakeRaised().has_value());  // a second take is empty

  EXPECT_EQ(SafeCallBody(2), -1);
  err = TakeRaised();
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->kind(), "InternalError");
  EXPECT_EQ(err->message(), "plain runtime error");

  // No -2 any more: the marker error crosses like any other.
  EXPECT_EQ(SafeCallBody(3), -1);
  err = TakeRaised();
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->kind(), "EnvErrorAlreadySet");
  EXPECT_EQ(err->message(), "");

  EXPECT_EQ(SafeCallBody(4), -1);
  err = TakeRaised();
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->kind(), "CustomKind");
  EXPECT_EQ(err->backtrace(), "custom backtrace\n");
}

TEST(CoreFunction, CheckSafeCallReraises) {
  EXPECT_NO_THROW(TVM_FFI_CHECK_SAFE_CALL(SafeCallBody(0)));
  EXPECT_FFI_ERROR("ValueError", "value 42", TVM_FFI_CHECK_SAFE_CALL(SafeCallBody(1)));
  EXPECT_FFI_ERROR("InternalError", "plain runtime error",
                   TVM_FFI_CHECK_SAFE_CALL(SafeCallBody(2)));
  EXPECT_FFI_ERROR("EnvErrorAlreadySet", "", TVM_FFI_CHECK_SAFE_CALL(SafeCallBody(3)));
  // A callee built against older headers returns -2 and stores nothing (or the runtime's
  // marker): the caller still gets a real error, and the slot is left empty.
  EXPECT_FFI_ERROR("EnvErrorAlreadySet", "",
                   TVM_FFI_CHECK_SAFE_CALL(EnvErrorSafeCall(nullptr, nullptr, 0, nullptr)));
  TVMFFIErrorSetRaisedFromCStr("EnvErrorAlreadySet", "");
  EXPECT_FFI_ERROR("EnvErrorAlreadySet", "",
                   TVM_FFI_CHECK_SAFE_CALL(EnvErrorSafeCall(nullptr, nullptr, 0, nullptr)));
  EXPECT_FALSE(TakeRaised().has_value());
  EXPECT_FFI_ERROR("CustomKind", "custom message", TVM_FFI_CHECK_SAFE_CALL(SafeCallBody(4)));
}

// ------------------------------------------------------------------------------------------
// exported typed functions
// ------------------------------------------------------------------------------------------

TEST(CoreFunction, DllExportTypedFunc) {
  TVMFFIAny args[1];
  std::memset(args, 0, sizeof(args));
  args[0].type_index = kTVMFFIInt;
  args[0].v_int64 = 41;
  TVMFFIAny result;
  std::memset(&result, 0, sizeof(result));
  ASSERT_EQ(__tvm_ffi_coretests_add_one(nullptr, args, 1, &result), 0);
  EXPECT_EQ(result.type_index, kTVMFFIInt);
  EXPECT_EQ(result.v_int64, 42);

  // wrong count
  std::memset(&result, 0, sizeof(result));
  EXPECT_EQ(__tvm_ffi_coretests_add_one(nullptr, args, 0, &result), -1);
  std::optional<Error> err = TakeRaised();
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->kind(), "TypeError");
  EXPECT_EQ(err->message(),
            "Mismatched number of arguments when calling: `coretests_add_one(0: int) -> int`. "
            "Expected 1 but got 0 arguments");

  // through the C++ helpers and as a Function object
  EXPECT_EQ(Function::InvokeExternC(nullptr, __tvm_ffi_coretests_add_one, 1).cast<int>(), 2);
  Function f = Function::FromExternC(nullptr, __tvm_ffi_coretests_add_one, nullptr);
  EXPECT_EQ(f(9).cast<int>(), 10);
  EXPECT_FFI_ERROR("TypeError",
                   "Mismatched type on argument #0 when calling: "
                   "`coretests_add_one(0: int) -> int`. Expected `int` but got `const char*`",
                   f("x"));
  // exported from inside a namespace: still an unmangled C symbol
  Function concat =
      Function::FromExternC(nullptr, coretests_export_ns::__tvm_ffi_coretests_concat, nullptr);
  EXPECT_EQ(concat("n", 7).cast<String>(), "n7");
  EXPECT_FFI_ERROR("TypeError",
                   "Mismatched type on argument #1 when calling: "
                   "`coretests_concat(0: str, 1: int) -> str`. Expected `int` but got `float`",
                   concat("n", 1.5));

  Error error =
      CATCH_FFI_ERROR(Function::InvokeExternC(nullptr, __tvm_ffi_coretests_failing, "ok?"));
  EXPECT_EQ(error.kind(), "ValueError");
  EXPECT_EQ(error.message(), "exported failure: ok?");
  EXPECT_NE(error.backtrace().find("test_function.cc"), std::string::npos) << error.backtrace();
}

// ------------------------------------------------------------------------------------------
// errors crossing the C boundary
// ------------------------------------------------------------------------------------------

TEST(CoreFunction, ErrorCrossesBoundaryWithKindMessageBacktrace) {
  Function f = Function::FromTyped([](int v) -> int {
    TVM_FFI_THROW(ValueError) << "inner failure " << v;
    TVM_FFI_UNREACHABLE();
  });
  Error err = CATCH_FFI_ERROR(f(7));
  EXPECT_EQ(err.kind(), "ValueError");
  EXPECT_EQ(err.message(), "inner failure 7");
  EXPECT_NE(err.backtrace().find("test_function.cc"), std::string::npos) << err.backtrace();
  EXPECT_STREQ(err.what(), "inner failure 7");
  std::string what = err.FullMessage();
  EXPECT_EQ(what.rfind("Traceback (most recent call last):\n", 0), 0u) << what;
  EXPECT_NE(what.find("ValueError: inner failure 7\n"), std::string::npos) << what;
  // nothing is left behind in the raised slot
  EXPECT_FALSE(TakeRaised().has_value());
}

TEST(CoreFunction, ErrorObjectIdentityIsPreserved) {
  const Object* thrown = nullptr;
  Function inner = Function::FromTyped([&thrown]() {
    Error err("KeyError", "identity", "  File \"x.cc\", line 1, in f\n");
    thrown = err.get();
    throw err;
  });
  // an outer function that does not catch: the same object travels through both boundaries
  Function outer = Function::FromTyped([inner]() { inner(); });
  Error err = CATCH_FFI_ERROR(outer());
  EXPECT_EQ(err.get(), thrown);
  EXPECT_EQ(err.kind(), "KeyError");
  EXPECT_EQ(err.message(), "identity");
}

TEST(CoreFunction, EnvErrorAlreadySetCrossesAsMinusOne) {
  Function f = Function::FromTyped([]() { throw EnvErrorAlreadySet(); });
  EXPECT_FFI_ERROR("EnvErrorAlreadySet", "", f());
  TVMFFIAny result = AnyView().CopyToTVMFFIAny();
  EXPECT_EQ(TVMFFIFunctionCall(details::ObjectUnsafe::TVMFFIObjectPtrFromObjectRef(f), nullptr, 0,
                               &result),
            -1);
  std::optional<Error> err = TakeRaised();
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->kind(), "EnvErrorAlreadySet");
}

TEST(CoreFunction, StdExceptionBecomesInternalError) {
  Function f = Function::FromTyped([]() -> int { throw std::out_of_range("std failure"); });
  EXPECT_FFI_ERROR("InternalError", "std failure", f());
}

TEST(CoreFunction, CallThroughCApi) {
  Function f = Function::FromTyped([](int v) -> int {
    if (v == 0) TVM_FFI_THROW(ZeroDivisionError) << "division by zero";
    return 100 / v;
  });
  TVMFFIObjectHandle handle = details::ObjectUnsafe::TVMFFIObjectPtrFromObjectRef(f);
  TVMFFIAny args[1] = {AnyView(4).CopyToTVMFFIAny()};
  TVMFFIAny result = AnyView().CopyToTVMFFIAny();
  ASSERT_EQ(TVMFFIFunctionCall(handle, args, 1, &result), 0);
  EXPECT_EQ(result.type_index, kTVMFFIInt);
  EXPECT_EQ(result.v_int64, 25);

  args[0] = AnyView(0).CopyToTVMFFIAny();
  result = AnyView().CopyToTVMFFIAny();
  ASSERT_EQ(TVMFFIFunctionCall(handle, args, 1, &result), -1);
  std::optional<Error> err = TakeRaised();
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->type_index(), kTVMFFIError);
  EXPECT_EQ(err->kind(), "ZeroDivisionError");
  EXPECT_EQ(err->message(), "division by zero");
  EXPECT_NE(err->backtrace().find("test_function.cc"), std::string::npos);
}

TEST(CoreFunction, ErrorSetRaisedFromCStr) {
  TVMFFIErrorSetRaisedFromCStr("TypeError", "from c string");
  TVMFFIObjectHandle handle = nullptr;
  TVMFFIErrorMoveFromRaised(&handle);
  ASSERT_NE(handle, nullptr);
  EXPECT_EQ(TVMFFIObjectGetTypeIndex(handle), kTVMFFIError);
  EXPECT_EQ(static_cast<TVMFFIObject*>(handle)->combined_ref_count, 0x100000001ULL);
  Error err = details::ObjectUnsafe::ObjectRefFromObjectPtr<Error>(
      details::ObjectUnsafe::ObjectPtrFromOwned<Object>(static_cast<TVMFFIObject*>(handle)));
  EXPECT_EQ(err.kind(), "TypeError");
  EXPECT_EQ(err.message(), "from c string");
  TVMFFIObjectHandle again = nullptr;
  TVMFFIErrorMoveFromRaised(&again);
  EXPECT_EQ(again, nullptr);

  const char* parts[] = {"a", nullptr, "bc"};
  TVMFFIErrorSetRaisedFromCStrParts("ValueError", parts, 3);
  std::optional<Error> joined = TakeRaised();
  ASSERT_TRUE(joined.has_value());
  EXPECT_EQ(joined->kind(), "ValueError");
  EXPECT_EQ(joined->message(), "abc");

  TVMFFIErrorSetRaisedFromCStrParts("RuntimeError", parts, 0);
  std::optional<Error> empty = TakeRaised();
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->message(), "");

  // a newer error replaces an older one that nobody took
  TVMFFIErrorSetRaisedFromCStr("First", "1");
  TVMFFIErrorSetRaisedFromCStr("Second", "2");
  std::optional<Error> latest = TakeRaised();
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->kind(), "Second");
  EXPECT_FALSE(TakeRaised().has_value());

  // an error raised from C inside a Function reaches the C++ caller
  Function f = Function::FromPacked([](PackedArgs, Any*) {
    TVMFFIErrorSetRaisedFromCStr("AttributeError", "raised in C");
    throw details::MoveFromSafeCallRaised();
  });
  EXPECT_FFI_ERROR("AttributeError", "raised in C", f());
}

TEST(CoreFunction, SetRaisedDoesNotSteal) {
  Error err("RuntimeError", "kept", "");
  EXPECT_EQ(err.use_count(), 1);
  TVMFFIErrorSetRaised(details::ObjectUnsafe::TVMFFIObjectPtrFromObjectRef(err));
  EXPECT_EQ(err.use_count(), 2);
  std::optional<Error> back = TakeRaised();
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->get(), err.get());
  back.reset();
  EXPECT_EQ(err.use_count(), 1);
}

}  // namespace
