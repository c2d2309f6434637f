/*!
 * \file test_repr_print.cc
 * \brief ReprPrint: the text form of values, containers and reflected objects.
 */
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/big_int.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/dict.h>
#include <tvm/ffi/container/list.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/container/shape.h>
#include <tvm/ffi/container/tensor.h>
#include <tvm/ffi/dtype.h>
#include <tvm/ffi/extra/repr_print.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/reflection/registry.h>
#include <tvm/ffi/string.h>

#include <optional>
#include <string>

namespace {

using namespace tvm::ffi;  // NOLINT(build/namespaces)

std::string Repr(const Any& value) { return std::string(ReprPrint(value)); }

class ReprNodeObj : public Object {
 public:
  int64_t value = 0;
  Any next;
  String hidden;
  static constexpr bool _type_mutable = true;
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("test.ReprNode", ReprNodeObj, Object);
};

class ReprEmptyObj : public Object {
 public:
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("test.ReprEmpty", ReprEmptyObj, Object);
};

TVM_FFI_STATIC_INIT_BLOCK() {
  namespace refl = tvm::ffi::reflection;
  refl::ObjectDef<ReprNodeObj>()
      .def_rw("value", &ReprNodeObj::value)
      .def_rw("next", &ReprNodeObj::next)
      .def_rw("hidden", &ReprNodeObj::hidden,
              refl::AttachFieldFlag(kTVMFFIFieldFlagBitMaskReprOff));
  refl::ObjectDef<ReprEmptyObj>();
}

TEST(ReprPrint, Scalars) {
  EXPECT_EQ(Repr(Any()), "None");
  EXPECT_EQ(Repr(true), "True");
  EXPECT_EQ(Repr(false), "False");
  EXPECT_EQ(Repr(-12), "-12");
  EXPECT_EQ(Repr(2.5), "2.5");
  EXPECT_EQ(Repr(DLDataType{kDLFloat, 32, 1}), "float32");
  EXPECT_EQ(Repr(DLDevice{kDLCUDA, 1}), "cuda:1");
  EXPECT_EQ(Repr(DLDevice{kDLCPU, 0}), "cpu:0");
  EXPECT_EQ(Repr(BigInt(1) << 70), "1180591620717411303424");
}

TEST(ReprPrint, StringsAndBytes) {
  EXPECT_EQ(Repr(String("s")), "\"s\"");
  EXPECT_EQ(Repr(String("a\"b\n\x01\xc3\xa9")), "\"a\\\"b\\n\\x01\\u00e9\"");
  EXPECT_EQ(Repr(Bytes(std::string("ab\n", 3))), "b\"ab\\x0a\"");
  EXPECT_EQ(Repr(Bytes(std::string("q\"\\", 3))), "b\"q\\x22\\x5c\"");
}

TEST(ReprPrint, Containers) {
  Map<Any, Any> nested{{String("a"), Array<Any>{1, 2.5, String("s"), Any(), true}}};
  EXPECT_EQ(Repr(nested), "{\"a\": (1, 2.5, \"s\", None, True)}");
  EXPECT_EQ(Repr(Array<Any>{1}), "(1,)");
  EXPECT_EQ(Repr(Array<Any>{}), "()");
  // before: a Dict printed as its bare type key `ffi.Dict`
  Dict<Any, Any> dict;
  dict.Set(String("k"), List<Any>{1, 2});
  dict.Set(2, Map<Any, Any>{{3, 4}});
  EXPECT_EQ(Repr(dict), "{\"k\": [1, 2], 2: {3: 4}}");
  EXPECT_EQ(Repr(Dict<Any, Any>()), "{}");
  dict.Set(String("self"), dict);
  EXPECT_EQ(Repr(dict), "{\"k\": [1, 2], 2: {3: 4}, \"self\": ...}");
  dict.erase(String("self"));  // break the reference cycle (it would leak)
  EXPECT_EQ(Repr(Shape({2, 3})), "Shape(2, 3)");
  Tensor t = Tensor::FromNDAlloc(
      [] {
        struct Alloc {
          void AllocData(DLTensor* t) { t->data = buffer; }
          void FreeData(DLTensor*) {}
          float buffer[6];
        };
        return Alloc();
      }(),
      Shape({2, 3}), DLDataType{kDLFloat, 32, 1}, DLDevice{kDLCPU, 0});
  EXPECT_EQ(Repr(t), "float32[2, 3]@cpu:0");
}

TEST(ReprPrint, SharedNodePrintsInFullEachTime) {
  Array<Any> outer{1};
  Array<Any> inner{outer};
  EXPECT_EQ(Repr(Array<Any>{inner, inner}), "(((1,),), ((1,),))");
}

TEST(ReprPrint, ReflectedObjectsAndCycles) {
  auto node = make_object<ReprNodeObj>();
  node->value = 7;
  node->hidden = String("not shown");
  EXPECT_EQ(Repr(ObjectRef(node)), "test.ReprNode(value=7, next=None)");
  node->next = ObjectRef(node);  // a cycle through a field
  EXPECT_EQ(Repr(ObjectRef(node)), "test.ReprNode(value=7, next=...)");
  node->next = Any();  // break the cycle so the node is freed
  EXPECT_EQ(Repr(ObjectRef(make_object<ReprEmptyObj>())), "test.ReprEmpty");
  Function f = Function::FromTyped([](int x) { return x; });
  EXPECT_EQ(Repr(f), "ffi.Function");
  // Through the registered global as well.
  std::optional<Function> global = Function::GetGlobal("ffi.ReprPrint");
  ASSERT_TRUE(global.has_value());
  EXPECT_EQ((*global)(Array<Any>{1, 2}).cast<String>(), "(1, 2)");
}

}  // namespace
