/*!
 * \file test_umbrella.cc
 * \brief <tvm/ffi/tvm_ffi.h> alone is enough for a program using the core API (Any, Array,
 *        Map, Tuple, Variant, Optional, Expected, Tensor, Shape, Function, reflection, checks).
 */
#include <tvm/ffi/tvm_ffi.h>

#include <gtest/gtest.h>

#include <cstdlib>

namespace {

namespace ffi = tvm::ffi;

class UmbrellaObj : public ffi::Object {
 public:
  int64_t value = 0;
  explicit UmbrellaObj(int64_t v) : value(v) {}
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("test.umbrella.Obj", UmbrellaObj, ffi::Object);
};

TVM_FFI_STATIC_INIT_BLOCK() {
  ffi::reflection::ObjectDef<UmbrellaObj>().def_ro("value", &UmbrellaObj::value);
}

struct CpuAlloc {
  void AllocData(DLTensor* t) { t->data = std::malloc(ffi::GetDataSize(*t)); }
  void FreeData(DLTensor* t) { std::free(t->data); }
};

ffi::Expected<int> Half(int x) {
  TVM_FFI_RET_CHECK_EQ(x % 2, 0, ValueError) << "odd";
  return x / 2;
}

TEST(Umbrella, CoreApiFromOneHeader) {
  ffi::Any any = 1;
  ffi::Array<int> arr{1, 2};
  ffi::Map<ffi::String, int> map{{"a", 1}};
  ffi::Tuple<int, ffi::String> tup(1, "x");
  ffi::Variant<int, ffi::String> var = 3;
  ffi::Optional<ffi::String> opt = ffi::String("o");
  ffi::Shape shape({2, 3});
  ffi::Tensor t = ffi::Tensor::FromNDAlloc(CpuAlloc{}, shape, {kDLFloat, 32, 1}, {kDLCPU, 0});
  ffi::Function f = ffi::Function::FromTyped([](int a, int b) { return a + b; });
  EXPECT_EQ(f(any, arr[1]).cast<int>(), 3);
  EXPECT_EQ(map["a"], 1);
  EXPECT_EQ(tup.get<1>(), "x");
  EXPECT_EQ(var.get<int>(), 3);
  EXPECT_TRUE(opt.has_value());
  EXPECT_EQ(t.numel(), 6);
  EXPECT_EQ(Half(4).value(), 2);
  EXPECT_TRUE(Half(3).is_err());
  EXPECT_EQ(ffi::reflection::GetFieldInfo("test.umbrella.Obj", "value")->name.size, 5u);
  EXPECT_THROW(TVM_FFI_CHECK_EQ(1, 2, ValueError), ffi::Error);
}

}  // namespace
