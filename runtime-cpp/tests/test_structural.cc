// StructuralEqual / StructuralHash / GetFirstMismatch and their globals.
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/container/shape.h>
#include <tvm/ffi/container/tensor.h>
#include <tvm/ffi/extra/structural_equal.h>
#include <tvm/ffi/extra/structural_hash.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/memory.h>
#include <tvm/ffi/reflection/access_path.h>
#include <tvm/ffi/reflection/registry.h>
#include <tvm/ffi/string.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

using namespace tvm::ffi;  // NOLINT(build/namespaces)
using tvm::ffi::reflection::AccessKind;
using tvm::ffi::reflection::AccessPath;
using tvm::ffi::reflection::AccessPathPair;
namespace refl = tvm::ffi::reflection;

// ---------------------------------------------------------------------------------------------
// Test object types (keys prefixed to stay clear of other test files).
// ---------------------------------------------------------------------------------------------

// A variable: free var kind, its name is ignored by structural comparison.
class SVarObj : public Object {
 public:
  String name;
  String dtype;
  SVarObj(String name, String dtype) : name(std::move(name)), dtype(std::move(dtype)) {}
  static constexpr TVMFFISEqHashKind _type_s_eq_hash_kind = kTVMFFISEqHashKindFreeVar;
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("extras.test.SVar", SVarObj, Object);
};
class SVar : public ObjectRef {
 public:
  explicit SVar(String name, String dtype = "int32")
      : ObjectRef(make_object<SVarObj>(std::move(name), std::move(dtype))) {}
  TVM_FFI_DEFINE_OBJECT_REF_METHODS_NOTNULLABLE(SVar, ObjectRef, SVarObj);
};

// A tree node with a value and an ignored comment.
class SNodeObj : public Object {
 public:
  Any value;
  String comment;
  SNodeObj(Any value, String comment) : value(std::move(value)), comment(std::move(comment)) {}
  static constexpr TVMFFISEqHashKind _type_s_eq_hash_kind = kTVMFFISEqHashKindTreeNode;
  TVM_FFI_DECLARE_OBJECT_INFO("extras.test.SNode", SNodeObj, Object);
};
Any Node(Any value, String comment = "") {
  return ObjectRef(make_object<SNodeObj>(std::move(value), std::move(comment)));
}

// A subclass adding one field (ancestor fields are compared first).
class SNode2Obj : public SNodeObj {
 public:
  int64_t extra;
  SNode2Obj(Any value, int64_t extra) : SNodeObj(std::move(value), ""), extra(extra) {}
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("extras.test.SNode2", SNode2Obj, SNodeObj);
};

// A function: params open a definition region.
class SFuncObj : public Object {
 public:
  Array<Any> params;
  Any body;
  SFuncObj(Array<Any> params, Any body) : params(std::move(params)), body(std::move(body)) {}
  static constexpr TVMFFISEqHashKind _type_s_eq_hash_kind = kTVMFFISEqHashKindTreeNode;
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("extras.test.SFunc", SFuncObj, Object);
};
Any Func(Array<Any> params, Any body) {
  return ObjectRef(make_object<SFuncObj>(std::move(params), std::move(body)));
}

// A DAG node.
class SDagObj : public Object {
 public:
  int64_t value;
  explicit SDagObj(int64_t value) : value(value) {}
  static constexpr TVMFFISEqHashKind _type_s_eq_hash_kind = kTVMFFISEqHashKindDAGNode;
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("extras.test.SDag", SDagObj, Object);
};
Any Dag(int64_t v) { return ObjectRef(make_object<SDagObj>(v)); }

// A unique instance.
class SUniqueObj : public Object {
 public:
  int64_t value;
  explicit SUniqueObj(int64_t value) : value(value) {}
  static constexpr TVMFFISEqHashKind _type_s_eq_hash_kind = kTVMFFISEqHashKindUniqueInstance;
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("extras.test.SUnique", SUniqueObj, Object);
};

// No structural kind (Unsupported): identity only.
class SPlainObj : public Object {
 public:
  int64_t value;
  explicit SPlainObj(int64_t value) : value(value) {}
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("extras.test.SPlain", SPlainObj, Object);
};

// Custom structural equality/hash that looks only at `key` (and reports it as "key").
class SCustomObj : public Object {
 public:
  Any key;
  Any noise;
  SCustomObj(Any key, Any noise) : key(std::move(key)), noise(std::move(noise)) {}
  bool SEqual(const SCustomObj* other,
              TypedFunction<bool(AnyView, AnyView, bool, AnyView)> equal) const {
    return equal(key, other->key, false, "key");
  }
  int64_t SHash(int64_t init_hash, TypedFunction<int64_t(AnyView, int64_t, bool)> hash) const {
    return hash(key, init_hash, false);
  }
  static constexpr TVMFFISEqHashKind _type_s_eq_hash_kind = kTVMFFISEqHashKindTreeNode;
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("extras.test.SCustom", SCustomObj, Object);
};
Any Custom(Any key, Any noise) {
  return ObjectRef(make_object<SCustomObj>(std::move(key), std::move(noise)));
}

TVM_FFI_STATIC_INIT_BLOCK() {
  refl::ObjectDef<SVarObj>()
      .def_ro("name", &SVarObj::name, refl::AttachFieldFlag::SEqHashIgnore())
      .def_ro("dtype", &SVarObj::dtype);
  refl::ObjectDef<SNodeObj>()
      .def_ro("value", &SNodeObj::value)
      .def_ro("comment", &SNodeObj::comment, refl::AttachFieldFlag::SEqHashIgnore());
  refl::ObjectDef<SNode2Obj>().def_ro("extra", &SNode2Obj::extra);
  refl::ObjectDef<SFuncObj>()
      .def_ro("params", &SFuncObj::params, refl::AttachFieldFlag::SEqHashDef())
      .def_ro("body", &SFuncObj::body);
  refl::ObjectDef<SDagObj>().def_ro("value", &SDagObj::value);
  refl::ObjectDef<SUniqueObj>().def_ro("value", &SUniqueObj::value);
  refl::ObjectDef<SPlainObj>().def_ro("value", &SPlainObj::value);
  refl::ObjectDef<SCustomObj>().def_ro("key", &SCustomObj::key).def_ro("noise", &SCustomObj::noise);
  refl::TypeAttrDef<SCustomObj>()
      .def("__s_equal__", &SCustomObj::SEqual)
      .def("__s_hash__", &SCustomObj::SHash);
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------
uint64_t H(const Any& v, bool map_free_vars = false) {
  return StructuralHash::Hash(v, map_free_vars);
}

void ExpectEqual(const Any& a, const Any& b, bool map_free_vars = false) {
  EXPECT_TRUE(StructuralEqual::Equal(a, b, map_free_vars));
  EXPECT_TRUE(StructuralEqual::Equal(b, a, map_free_vars));
  EXPECT_FALSE(StructuralEqual::GetFirstMismatch(a, b, map_free_vars).has_value());
  EXPECT_EQ(H(a, map_free_vars), H(b, map_free_vars));
}

void ExpectNotEqual(const Any& a, const Any& b, bool map_free_vars = false) {
  EXPECT_FALSE(StructuralEqual::Equal(a, b, map_free_vars));
  EXPECT_FALSE(StructuralEqual::Equal(b, a, map_free_vars));
  EXPECT_TRUE(StructuralEqual::GetFirstMismatch(a, b, map_free_vars).has_value());
}

// Render a path as e.g. `.body[1]{"k"}` (missing steps get a '!' suffix).
std::string PathStr(const AccessPath& path) {
  std::string out;
  for (const auto& step : path->ToSteps()) {
    switch (step->kind) {
      case AccessKind::kAttr:
      case AccessKind::kAttrMissing:
        out += "." + std::string(step->key.cast<String>());
        break;
      case AccessKind::kArrayItem:
      case AccessKind::kArrayItemMissing:
        out += "[" + std::to_string(step->key.cast<int64_t>()) + "]";
        break;
      case AccessKind::kMapItem:
      case AccessKind::kMapItemMissing:
        if (auto s = step->key.try_cast<String>()) {
          out += "{\"" + std::string(*s) + "\"}";
        } else if (auto i = step->key.try_cast<int64_t>()) {
          out += "{" + std::to_string(*i) + "}";
        } else {
          out += "{obj}";
        }
        break;
    }
    if (step->kind == AccessKind::kAttrMissing || step->kind == AccessKind::kArrayItemMissing ||
        step->kind == AccessKind::kMapItemMissing) {
      out += "!";
    }
  }
  return out;
}

void ExpectMismatch(const Any& a, const Any& b, const std::string& lhs_path,
                    const std::string& rhs_path, bool map_free_vars = false) {
  Optional<AccessPathPair> mismatch = StructuralEqual::GetFirstMismatch(a, b, map_free_vars);
  ASSERT_TRUE(mismatch.has_value());
  EXPECT_EQ(PathStr(mismatch.value().get<0>()), lhs_path);
  EXPECT_EQ(PathStr(mismatch.value().get<1>()), rhs_path);
  EXPECT_FALSE(StructuralEqual::Equal(a, b, map_free_vars));
}

// ---------------------------------------------------------------------------------------------
// POD and strings
// ---------------------------------------------------------------------------------------------
TEST(StructuralEqual, PODValues) {
  ExpectEqual(Any(nullptr), Any(nullptr));
  ExpectEqual(1, 1);
  ExpectNotEqual(1, 2);
  ExpectEqual(true, true);
  ExpectNotEqual(true, false);
  ExpectNotEqual(true, 1);  // bool and int are different types
  ExpectNotEqual(1, 1.0);   // int and float too
  ExpectEqual(2.5, 2.5);
  ExpectNotEqual(2.5, 2.25);
  ExpectEqual(0.0, -0.0);
  ExpectEqual(std::nan(""), -std::nan(""));
  ExpectNotEqual(std::nan(""), 1.0);
  ExpectNotEqual(Any(nullptr), 0);
  DLDataType f32{kDLFloat, 32, 1};
  DLDataType f16{kDLFloat, 16, 1};
  ExpectEqual(f32, f32);
  ExpectNotEqual(f32, f16);
  ExpectEqual(DLDevice{kDLCPU, 0}, DLDevice{kDLCPU, 0});
  ExpectNotEqual(DLDevice{kDLCPU, 0}, DLDevice{kDLCPU, 1});
  int a = 0, b = 0;
  ExpectEqual(static_cast<void*>(&a), static_cast<void*>(&a));
  ExpectNotEqual(static_cast<void*>(&a), static_cast<void*>(&b));
}

TEST(StructuralEqual, StringsAndBytes) {
  ExpectEqual(String("abc"), String("abc"));
  ExpectNotEqual(String("abc"), String("abd"));
  std::string long_text = "a string well beyond the inline form";
  ExpectEqual(String(long_text), String(long_text));
  ExpectNotEqual(String(long_text), String(long_text + "!"));
  ExpectEqual(Bytes("xy", 2), Bytes("xy", 2));
  ExpectNotEqual(String("xy"), Bytes("xy", 2));
  ExpectEqual(Bytes(long_text), Bytes(long_text));
  EXPECT_NE(H(String("abc")), H(String("abd")));
}

// ---------------------------------------------------------------------------------------------
// Containers
// ---------------------------------------------------------------------------------------------
TEST(StructuralEqual, NestedArrays) {
  Any a = Array<Any>{1, Array<Any>{2, 3}, String("s")};
  Any b = Array<Any>{1, Array<Any>{2, 3}, String("s")};
  ExpectEqual(a, b);
  Any c = Array<Any>{1, Array<Any>{2, 4}, String("s")};
  ExpectNotEqual(a, c);
  ExpectMismatch(a, c, "[1][1]", "[1][1]");
  EXPECT_NE(H(a), H(c));
  ExpectEqual(Array<Any>(), Array<Any>());
}

TEST(StructuralEqual, ArrayLengthMismatch) {
  Any a = Array<Any>{1, 2, 3};
  Any b = Array<Any>{1, 2};
  ExpectMismatch(a, b, "[2]", "[2]!");
  ExpectMismatch(b, a, "[2]!", "[2]");
  // An element difference before the end is reported first.
  ExpectMismatch(Array<Any>{1, 9, 3}, Array<Any>{1, 2}, "[1]", "[1]");
  ExpectMismatch(Array<Any>{Array<Any>{1}}, Array<Any>{Array<Any>{1, 2}}, "[0][1]!", "[0][1]");
}

TEST(StructuralEqual, MapsIgnoreInsertionOrder) {
  Map<Any, Any> a{{String("x"), 1}, {String("y"), Array<Any>{2}}, {3, String("three")}};
  Map<Any, Any> b{{3, String("three")}, {String("y"), Array<Any>{2}}, {String("x"), 1}};
  ExpectEqual(a, b);
  Map<Any, Any> c{{String("x"), 1}, {String("y"), Array<Any>{5}}, {3, String("three")}};
  ExpectMismatch(a, c, "{\"y\"}[0]", "{\"y\"}[0]");
  EXPECT_NE(H(a), H(c));
}

TEST(StructuralEqual, MapKeyMismatch) {
  Map<Any, Any> a{{String("x"), 1}, {String("y"), 2}};
  Map<Any, Any> b{{String("x"), 1}, {String("z"), 2}};
  ExpectMismatch(a, b, "{\"y\"}", "{\"y\"}!");
  Map<Any, Any> smaller{{String("x"), 1}};
  ExpectMismatch(a, smaller, "{\"y\"}", "{\"y\"}!");
  ExpectMismatch(smaller, a, "{\"y\"}!", "{\"y\"}");
  ExpectNotEqual(Map<Any, Any>{{1, 1}}, Map<Any, Any>{{true, 1}});
}

TEST(StructuralEqual, ShapeAndContainerKinds) {
  ExpectEqual(Shape({1, 2, 3}), Shape({1, 2, 3}));
  ExpectNotEqual(Shape({1, 2, 3}), Shape({1, 2, 4}));
  ExpectNotEqual(Shape({1, 2}), Shape({1, 2, 3}));
  ExpectNotEqual(Shape({1, 2}), Array<Any>{1, 2});
  ExpectNotEqual(Array<Any>(), Map<Any, Any>());
}

// ---------------------------------------------------------------------------------------------
// Tensors
// ---------------------------------------------------------------------------------------------
struct CPUAlloc {
  void AllocData(DLTensor* t) {
    size_t n = 1;
    for (int i = 0; i < t->ndim; ++i) n *= static_cast<size_t>(t->shape[i]);
    t->data = std::calloc(n, (t->dtype.bits * t->dtype.lanes + 7) / 8);
  }
  void FreeData(DLTensor* t) { std::free(t->data); }
};

Tensor MakeTensor(std::vector<float> values, std::vector<int64_t> shape) {
  Tensor t = Tensor::FromNDAlloc(CPUAlloc(), ShapeView(shape.data(), shape.size()),
                                 DLDataType{kDLFloat, 32, 1}, DLDevice{kDLCPU, 0});
  float* data = static_cast<float*>(t.data_ptr());
  for (size_t i = 0; i < values.size(); ++i) data[i] = values[i];
  return t;
}

TEST(StructuralEqual, Tensors) {
  Tensor a = MakeTensor({1, 2, 3, 4}, {2, 2});
  Tensor b = MakeTensor({1, 2, 3, 4}, {2, 2});
  Tensor c = MakeTensor({1, 2, 3, 5}, {2, 2});
  Tensor d = MakeTensor({1, 2, 3, 4}, {4});
  ExpectEqual(a, b);
  ExpectNotEqual(a, c);
  EXPECT_NE(H(a), H(c));
  EXPECT_TRUE(StructuralEqual::Equal(a, c, false, /*skip_tensor_content=*/true));
  EXPECT_EQ(StructuralHash::Hash(a, false, true), StructuralHash::Hash(c, false, true));
  EXPECT_TRUE(StructuralEqual()(a, c));  // the functor skips tensor content
  ExpectNotEqual(a, d);
  EXPECT_FALSE(StructuralEqual::Equal(a, d, false, true));
}

// ---------------------------------------------------------------------------------------------
// Reflected objects
// ---------------------------------------------------------------------------------------------
TEST(StructuralEqual, TreeNodesCompareFields) {
  ExpectEqual(Node(1, "first"), Node(1, "second"));  // comment is SEqHashIgnore
  ExpectNotEqual(Node(1), Node(2));
  ExpectMismatch(Node(Array<Any>{1, Node(2)}), Node(Array<Any>{1, Node(3)}), ".value[1].value",
                 ".value[1].value");
  ExpectEqual(Node(Node(Node(String("deep")))), Node(Node(Node(String("deep")))));
}

TEST(StructuralEqual, SubclassFieldsAndTypeMismatch) {
  Any a = ObjectRef(make_object<SNode2Obj>(1, 10));
  Any b = ObjectRef(make_object<SNode2Obj>(1, 10));
  Any c = ObjectRef(make_object<SNode2Obj>(1, 11));
  Any d = ObjectRef(make_object<SNode2Obj>(2, 10));
  ExpectEqual(a, b);
  ExpectMismatch(a, c, ".extra", ".extra");
  ExpectMismatch(a, d, ".value", ".value");
  // Same fields, different types.
  ExpectMismatch(Node(1), a, "", "");
  ExpectMismatch(Array<Any>{Node(1)}, Array<Any>{String("x")}, "[0]", "[0]");
}

TEST(StructuralEqual, UnsupportedAndUniqueUseIdentity) {
  Any p1 = ObjectRef(make_object<SPlainObj>(1));
  Any p2 = ObjectRef(make_object<SPlainObj>(1));
  ExpectEqual(p1, p1);
  ExpectNotEqual(p1, p2);
  Any u1 = ObjectRef(make_object<SUniqueObj>(1));
  Any u2 = ObjectRef(make_object<SUniqueObj>(1));
  ExpectEqual(Array<Any>{u1}, Array<Any>{u1});
  ExpectNotEqual(u1, u2);
  Function f = Function::FromTyped([]() {});
  Function g = Function::FromTyped([]() {});
  ExpectEqual(f, f);
  ExpectNotEqual(f, g);
}

TEST(StructuralEqual, ConstTreeNodeAccessPaths) {
  // AccessPath/AccessStep are ConstTreeNode objects: equal when their content is.
  AccessPath a = AccessPath::Root()->Attr("x")->ArrayItem(1);
  AccessPath b = AccessPath::Root()->Attr("x")->ArrayItem(1);
  AccessPath c = AccessPath::Root()->Attr("x")->ArrayItem(2);
  ExpectEqual(a, b);
  ExpectEqual(a, a);
  ExpectNotEqual(a, c);
}

TEST(StructuralEqual, FreeVariables) {
  SVar x("x"), y("y"), x_f32("x", "float32");
  ExpectEqual(x, x);
  ExpectNotEqual(x, y);  // free vars are not mapped by default
  ExpectEqual(x, y, /*map_free_vars=*/true);
  ExpectNotEqual(x, x_f32, true);  // mapping requires equal (non-ignored) fields
  // Consistent mapping both ways.
  ExpectEqual(Array<Any>{x, y, x}, Array<Any>{y, x, y}, true);
  ExpectNotEqual(Array<Any>{x, x}, Array<Any>{x, y}, true);
  ExpectNotEqual(Array<Any>{x, y}, Array<Any>{x, x}, true);
  ExpectMismatch(Array<Any>{x, x}, Array<Any>{y, x}, "[1]", "[1]", true);
}

TEST(StructuralEqual, DefinitionRegionsMapVariables) {
  SVar x("x"), y("y"), a("a"), b("b");
  // fn(x) { x }  ==  fn(a) { a }
  ExpectEqual(Func(Array<Any>{x}, x), Func(Array<Any>{a}, a));
  // fn(x, y) { [x, y] } == fn(a, b) { [a, b] }, but not fn(a, b) { [b, a] }
  Any f = Func(Array<Any>{x, y}, Array<Any>{x, y});
  ExpectEqual(f, Func(Array<Any>{a, b}, Array<Any>{a, b}));
  Any swapped = Func(Array<Any>{a, b}, Array<Any>{b, a});
  ExpectNotEqual(f, swapped);
  ExpectMismatch(f, swapped, ".body[0]", ".body[0]");
  // The body may not use a variable that is not the mapped one.
  ExpectMismatch(Func(Array<Any>{x}, x), Func(Array<Any>{a}, x), ".body", ".body");
  // Two params may not map to one.
  ExpectMismatch(Func(Array<Any>{x, y}, 0), Func(Array<Any>{a, a}, 0), ".params[1]", ".params[1]");
  // A free (unbound) variable in the body only equals itself.
  ExpectEqual(Func(Array<Any>{x}, Array<Any>{x, y}), Func(Array<Any>{a}, Array<Any>{a, y}));
  ExpectNotEqual(Func(Array<Any>{x}, Array<Any>{x, y}), Func(Array<Any>{a}, Array<Any>{a, b}));
  ExpectEqual(Func(Array<Any>{x}, Array<Any>{x, y}), Func(Array<Any>{a}, Array<Any>{a, b}),
              /*map_free_vars=*/true);
  // Alpha-equivalent nested functions hash the same.
  Any nested1 = Func(Array<Any>{x}, Func(Array<Any>{y}, Array<Any>{x, y}));
  Any nested2 = Func(Array<Any>{a}, Func(Array<Any>{b}, Array<Any>{a, b}));
  ExpectEqual(nested1, nested2);
  EXPECT_NE(H(nested1), H(Func(Array<Any>{a}, Func(Array<Any>{b}, Array<Any>{b, a}))));
}

TEST(StructuralEqual, MapsKeyedByMappedVariables) {
  SVar x("x"), a("a");
  Any lhs = Func(Array<Any>{x}, Map<Any, Any>{{x, 1}});
  Any rhs = Func(Array<Any>{a}, Map<Any, Any>{{a, 1}});
  ExpectEqual(lhs, rhs);
  Any rhs2 = Func(Array<Any>{a}, Map<Any, Any>{{x, 1}});
  ExpectNotEqual(lhs, rhs2);
}

TEST(StructuralEqual, DAGNodesRespectSharing) {
  Any d = Dag(1);
  Any d1 = Dag(1);
  Any d2 = Dag(1);
  ExpectEqual(Array<Any>{d, d}, Array<Any>{d1, d1});
  ExpectNotEqual(Array<Any>{d, d}, Array<Any>{d1, d2});
  ExpectMismatch(Array<Any>{d, d}, Array<Any>{d1, d2}, "[1]", "[1]");
  ExpectEqual(Array<Any>{d1, d2}, Array<Any>{d, Dag(1)});
  ExpectNotEqual(Dag(1), Dag(2));
  EXPECT_NE(H(Array<Any>{d, d}), H(Array<Any>{d1, d2}));
}

TEST(StructuralEqual, CustomEqualAndHash) {
  ExpectEqual(Custom(1, String("a")), Custom(1, String("b")));  // only `key` matters
  ExpectNotEqual(Custom(1, 0), Custom(2, 0));
  ExpectMismatch(Custom(Array<Any>{1, 2}, 0), Custom(Array<Any>{1, 3}, 0), ".key[1]", ".key[1]");
  EXPECT_NE(H(Custom(1, 0)), H(Custom(2, 0)));
  ExpectMismatch(Array<Any>{Custom(1, 0)}, Array<Any>{Custom(2, 0)}, "[0].key", "[0].key");
}

TEST(StructuralHash, EqualValuesHashEqual) {
  SVar x("x"), a("a");
  std::vector<std::pair<Any, Any>> pairs = {
      {Array<Any>{1, 2.5, String("s"), nullptr}, Array<Any>{1, 2.5, String("s"), nullptr}},
      {Map<Any, Any>{{String("k"), Node(1, "c1")}}, Map<Any, Any>{{String("k"), Node(1, "c2")}}},
      {Func(Array<Any>{x}, Node(x)), Func(Array<Any>{a}, Node(a))},
      {Shape({4, 5}), Shape({4, 5})},
  };
  for (const auto& p : pairs) {
    ASSERT_TRUE(StructuralEqual::Equal(p.first, p.second));
    EXPECT_EQ(H(p.first), H(p.second));
  }
  // Different structures give different hashes (these are not collisions by design).
  EXPECT_NE(H(Array<Any>{1, 2}), H(Array<Any>{2, 1}));
  EXPECT_NE(H(Array<Any>{1}), H(Array<Any>{Array<Any>{1}}));
  EXPECT_NE(H(Node(1)), H(1));
  EXPECT_NE(H(x), H(a));
  EXPECT_EQ(H(x, true), H(a, true));
  EXPECT_EQ(H(1), H(1));  // deterministic
}

TEST(StructuralHash, StringLengthIsPartOfTheHash) {
  // The byte hash of the string layout ignores trailing zero bytes, so "" and "\0" (and
  // "a" and "a\0") would collide without the length being mixed in.
  const std::vector<std::string> texts = {
      std::string(),         std::string(1, '\0'), std::string(2, '\0'), std::string("a"),
      std::string("a\0", 2), std::string(9, '\0'), std::string(8, '\0')};
  std::vector<uint64_t> str_hashes, bytes_hashes;
  for (const std::string& t : texts) {
    str_hashes.push_back(H(String(t)));
    bytes_hashes.push_back(H(Bytes(t)));
  }
  for (size_t i = 0; i < texts.size(); ++i) {
    for (size_t j = i + 1; j < texts.size(); ++j) {
      EXPECT_NE(str_hashes[i], str_hashes[j]) << i << " vs " << j;
      EXPECT_NE(bytes_hashes[i], bytes_hashes[j]) << i << " vs " << j;
    }
    EXPECT_NE(str_hashes[i], bytes_hashes[i]) << i;  // str and bytes are different kinds
  }
  // small and heap forms of the same content still agree
  const std::string long_text(40, 'z');
  EXPECT_EQ(H(String(long_text)), H(Any(String(long_text))));
}

TEST(StructuralHash, SmallStructuresDoNotCollide) {
  // Every structurally different value below must get its own hash: small ints, None and
  // short strings nested in short arrays are where a weak combine step collides first.
  std::vector<Any> leaves = {Any(nullptr),    Any(0),           Any(1),   Any(2),
                             Any(String("")), Any(String("a")), Any(0.0), Any(true)};
  std::vector<Any> level1;
  level1.push_back(Array<Any>{});
  for (const Any& a : leaves) {
    level1.push_back(Array<Any>{a});
    for (const Any& b : leaves) {
      level1.push_back(Array<Any>{a, b});
      for (const Any& c : leaves) level1.push_back(Array<Any>{a, b, c});
    }
  }
  std::vector<Any> all(leaves);
  all.insert(all.end(), level1.begin(), level1.end());
  for (size_t i = 0; i < 60; ++i) {
    for (size_t j = 0; j < 60; ++j)
      all.push_back(Array<Any>{level1[i * 7], leaves[j % 8], level1[j * 5]});
  }
  std::unordered_map<uint64_t, size_t> seen;
  for (size_t i = 0; i < all.size(); ++i) {
    auto it = seen.emplace(H(all[i]), i);
    if (!it.second) {
      // same hash: must be the same structure (the generator repeats a few)
      EXPECT_TRUE(StructuralEqual::Equal(all[it.first->second], all[i]))
          << "hash collision between #" << it.first->second << " and #" << i;
    }
  }
  EXPECT_GT(seen.size(), 3000u);
}

TEST(StructuralGlobals, HashAndMismatch) {
  Function hash = Function::GetGlobalRequired("ffi.StructuralHash");
  Function mismatch = Function::GetGlobalRequired("ffi.GetFirstStructuralMismatch");
  Any v = Array<Any>{1, String("x")};
  EXPECT_EQ(static_cast<uint64_t>(hash(v, false, false).cast<int64_t>()), H(v));
  EXPECT_EQ(mismatch(v, Array<Any>{1, String("x")}, false, false).type_index(), kTVMFFINone);
  Any r = mismatch(v, Array<Any>{1, String("y")}, false, false);
  AccessPathPair pair = r.cast<AccessPathPair>();
  EXPECT_EQ(PathStr(pair.get<0>()), "[1]");
  EXPECT_EQ(PathStr(pair.get<1>()), "[1]");
}

}  // namespace
