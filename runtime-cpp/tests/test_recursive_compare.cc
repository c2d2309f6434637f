/*!
 * \file test_recursive_compare.cc
 * \brief RecursiveEq / RecursiveHash / RecursiveLt..Ge (tvm/ffi/extra/dataclass.h), the globals
 *        `ffi.Recursive*`, `ffi.ArrayContains`, `ffi.ListContains`, and the exported symbols.
 */
#include <dlfcn.h>
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
#include <tvm/ffi/error.h>
#include <tvm/ffi/extra/dataclass.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/reflection/registry.h>
#include <tvm/ffi/string.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "test_utils.h"

namespace {

using namespace tvm::ffi;  // NOLINT(build/namespaces)
using tvm_ffi_test::ExpectErrorContains;
using tvm_ffi_test::ExpectErrorExact;

// A reflected type with a field excluded from comparison and one excluded from hashing.
class RcPairObj : public Object {
 public:
  Any a;
  Any b;
  Any note;     // compare(false): ignored by eq, ordering and hash
  int64_t tag;  // hash(false): compared, but not hashed
  RcPairObj(Any a, Any b, Any note = Any(), int64_t tag = 0)
      : a(std::move(a)), b(std::move(b)), note(std::move(note)), tag(tag) {}
  static constexpr bool _type_mutable = true;
  static constexpr uint32_t _type_child_slots = 1;
  TVM_FFI_DECLARE_OBJECT_INFO("test.rc.Pair", RcPairObj, Object);
};

class RcPairChildObj : public RcPairObj {
 public:
  Any c;
  RcPairChildObj(Any a, Any b, Any c) : RcPairObj(std::move(a), std::move(b)), c(std::move(c)) {}
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("test.rc.PairChild", RcPairChildObj, RcPairObj);
};

class RcEmptyObj : public Object {
 public:
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("test.rc.Empty", RcEmptyObj, Object);
};

// Keyed types: the hooks look at `key` only.
class RcKeyedObj : public Object {
 public:
  int64_t key;
  String label;
  RcKeyedObj(int64_t key, String label) : key(key), label(std::move(label)) {}
  static constexpr uint32_t _type_child_slots = 4;
  TVM_FFI_DECLARE_OBJECT_INFO("test.rc.Keyed", RcKeyedObj, Object);
};

#define RC_KEYED_SUBTYPE(Name, Key)                           \
  class Name : public RcKeyedObj {                            \
   public:                                                    \
    using RcKeyedObj::RcKeyedObj;                             \
    TVM_FFI_DECLARE_OBJECT_INFO_FINAL(Key, Name, RcKeyedObj); \
  }

RC_KEYED_SUBTYPE(RcCustomHashObj, "test.rc.CustomHash");        // __ffi_hash__ only
RC_KEYED_SUBTYPE(RcCustomCompareObj, "test.rc.CustomCompare");  // hash + eq + compare
RC_KEYED_SUBTYPE(RcEqNoHashObj, "test.rc.EqNoHash");            // __ffi_eq__ only
RC_KEYED_SUBTYPE(RcCompareOnlyObj, "test.rc.CompareOnly");      // hash + compare

int64_t KeyOf(const ObjectRef& obj) { return static_cast<const RcKeyedObj*>(obj.get())->key; }

TVM_FFI_STATIC_INIT_BLOCK() {
  namespace refl = tvm::ffi::reflection;
  refl::ObjectDef<RcPairObj>()
      .def_rw("a", &RcPairObj::a)
      .def_rw("b", &RcPairObj::b)
      .def_rw("note", &RcPairObj::note, refl::AttachFieldFlag(kTVMFFIFieldFlagBitMaskCompareOff))
      .def_rw("tag", &RcPairObj::tag, refl::AttachFieldFlag(kTVMFFIFieldFlagBitMaskHashOff));
  refl::ObjectDef<RcPairChildObj>().def_rw("c", &RcPairChildObj::c);
  refl::ObjectDef<RcEmptyObj>();
  refl::ObjectDef<RcKeyedObj>().def_ro("key", &RcKeyedObj::key).def_ro("label", &RcKeyedObj::label);
  refl::ObjectDef<RcCustomHashObj>();
  refl::ObjectDef<RcCustomCompareObj>();
  refl::ObjectDef<RcEqNoHashObj>();
  refl::ObjectDef<RcCompareOnlyObj>();
  auto hash_key = [](const ObjectRef& self, const Function& fn_hash) -> int64_t {
    return fn_hash(KeyOf(self)).cast<int64_t>();
  };
  auto eq_key = [](const ObjectRef& a, const ObjectRef& b, const Function& fn_eq) -> bool {
    return fn_eq(KeyOf(a), KeyOf(b)).cast<bool>();
  };
  auto cmp_key = [](const ObjectRef& a, const ObjectRef& b, const Function& fn_cmp) -> int64_t {
    return fn_cmp(KeyOf(a), KeyOf(b)).cast<int64_t>();
  };
  refl::TypeAttrDef<RcCustomHashObj>().def("__ffi_hash__", hash_key);
  refl::TypeAttrDef<RcCustomCompareObj>()
      .def("__ffi_hash__", hash_key)
      .def("__ffi_eq__", eq_key)
      .def("__ffi_compare__", cmp_key);
  refl::TypeAttrDef<RcEqNoHashObj>().def("__ffi_eq__", eq_key);
  refl::TypeAttrDef<RcCompareOnlyObj>()
      .def("__ffi_hash__", hash_key)
      .def("__ffi_compare__", cmp_key);
}

template <typename T, typename... Args>
ObjectRef Make(Args&&... args) {
  return ObjectRef(make_object<T>(std::forward<Args>(args)...));
}

ObjectRef Pair(Any a, Any b, Any note = Any(), int64_t tag = 0) {
  return Make<RcPairObj>(std::move(a), std::move(b), std::move(note), tag);
}

/*! \brief Eq both ways, and equal values hash equal. */
void ExpectEqual(const Any& a, const Any& b) {
  EXPECT_TRUE(RecursiveEq(a, b));
  EXPECT_TRUE(RecursiveEq(b, a));
  EXPECT_EQ(RecursiveHash(a), RecursiveHash(b));
}

void ExpectUnequal(const Any& a, const Any& b) {
  EXPECT_FALSE(RecursiveEq(a, b));
  EXPECT_FALSE(RecursiveEq(b, a));
}

/*! \brief Strict order a < b seen through all four functions, both ways. */
void ExpectLess(const Any& a, const Any& b) {
  EXPECT_TRUE(RecursiveLt(a, b));
  EXPECT_TRUE(RecursiveLe(a, b));
  EXPECT_FALSE(RecursiveGt(a, b));
  EXPECT_FALSE(RecursiveGe(a, b));
  EXPECT_FALSE(RecursiveLt(b, a));
  EXPECT_TRUE(RecursiveGt(b, a));
  EXPECT_TRUE(RecursiveGe(b, a));
}

void ExpectSameOrder(const Any& a, const Any& b) {
  EXPECT_FALSE(RecursiveLt(a, b));
  EXPECT_TRUE(RecursiveLe(a, b));
  EXPECT_FALSE(RecursiveGt(a, b));
  EXPECT_TRUE(RecursiveGe(a, b));
}

TEST(RecursiveCompare, Scalars) {
  ExpectEqual(Any(), Any());
  ExpectUnequal(Any(), 0);
  ExpectUnequal(Any(), false);
  ExpectEqual(1, 1);
  ExpectUnequal(1, 2);
  ExpectUnequal(1, true);  // different type indices
  ExpectUnequal(1, 1.0);
  EXPECT_NE(RecursiveHash(1), RecursiveHash(true));
  ExpectEqual(true, true);
  ExpectEqual(2.5, 2.5);
  ExpectUnequal(2.5, 2.25);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  ExpectEqual(nan, -nan);
  ExpectEqual(0.0, -0.0);  // and -0.0 hashes like 0.0
  ExpectEqual(DLDataType{kDLFloat, 32, 1}, DLDataType{kDLFloat, 32, 1});
  ExpectUnequal(DLDataType{kDLFloat, 32, 1}, DLDataType{kDLFloat, 32, 4});
  ExpectEqual(DLDevice{kDLCUDA, 1}, DLDevice{kDLCUDA, 1});
  ExpectUnequal(DLDevice{kDLCUDA, 1}, DLDevice{kDLCUDA, 0});
  int x = 0, y = 0;
  ExpectEqual(static_cast<void*>(&x), static_cast<void*>(&x));
  ExpectUnequal(static_cast<void*>(&x), static_cast<void*>(&y));
}

TEST(RecursiveCompare, StringsAndBytesAcrossSmallAndHeapForms) {
  Any small = "ab";
  Any heap = std::string("ab");  // an rvalue std::string is always a heap object
  ASSERT_EQ(small.type_index(), kTVMFFISmallStr);
  ASSERT_EQ(heap.type_index(), kTVMFFIStr);
  ExpectEqual(small, heap);
  ExpectUnequal(small, String("abc"));
  ExpectEqual(String("a longer text"), String(std::string("a longer text")));
  ExpectSameOrder(small, heap);
  ExpectLess(String("ab"), String("abc"));
  ExpectLess(String("ab"), String("b"));
  ExpectLess(String(std::string("a\x7f")), String(std::string("a\xc3\xa9")));  // bytewise

  Any small_bytes = Bytes(std::string("ab\0", 3));
  Bytes long_bytes(std::string("0123456789abcdef"));
  ExpectEqual(small_bytes, Bytes(std::string("ab\0", 3)));
  ExpectUnequal(small_bytes, Bytes(std::string("ab")));
  ExpectEqual(long_bytes, Bytes(std::string("0123456789abcdef")));
  ExpectUnequal(String("ab"), Bytes(std::string("ab")));  // str vs bytes
  ExpectLess(Bytes(std::string("ab")), Bytes(std::string("ab\0", 3)));
}

TEST(RecursiveCompare, BigIntAndIntByValue) {
  BigInt big = BigInt(1) << 70;
  ExpectEqual(big, BigInt(1) << 70);
  ExpectUnequal(big, (BigInt(1) << 70) + BigInt(1));
  ExpectLess(5, big);
  ExpectLess(-big, -5);
  ExpectLess(big, big + BigInt(1));
  ExpectSameOrder(big, BigInt(1) << 70);
  // A BigInt holding a small value is stored as an int and equals it.
  ExpectEqual(BigInt(7), 7);
}

TEST(RecursiveCompare, Sequences) {
  ExpectEqual(Array<Any>{1, String("s"), Any()}, Array<Any>{1, String("s"), Any()});
  ExpectUnequal(Array<Any>{1, 2}, Array<Any>{1, 2, 3});
  ExpectUnequal(Array<Any>{1}, Array<Any>{1.0});
  ExpectUnequal(Array<Any>{1}, Array<Any>{true});
  ExpectEqual(List<Any>{1, 2}, List<Any>{1, 2});
  ExpectUnequal(Array<Any>{1, 2}, List<Any>{1, 2});  // different containers
  EXPECT_NE(RecursiveHash(Array<Any>{1, 2}), RecursiveHash(List<Any>{1, 2}));
  EXPECT_NE(RecursiveHash(Array<Any>{1, 2}), RecursiveHash(Array<Any>{2, 1}));
  ExpectEqual(Array<Any>{Array<Any>{1}, List<Any>{2}}, Array<Any>{Array<Any>{1}, List<Any>{2}});

  ExpectLess(Array<Any>{1, 2}, Array<Any>{1, 3});
  ExpectLess(Array<Any>{1, 2}, Array<Any>{1, 2, 0});  // shorter first
  ExpectLess(Array<Any>{1, 9, 9}, Array<Any>{2});     // first difference decides
  ExpectLess(Array<Any>{}, Array<Any>{Any()});
  ExpectSameOrder(List<Any>{1, String("x")}, List<Any>{1, String("x")});
  ExpectLess(Array<Any>{Any()}, Array<Any>{-100});  // None is smallest
  ExpectLess(Any(), 0);
}

TEST(RecursiveCompare, ShapesAndPod) {
  ExpectEqual(Shape({2, 3}), Shape({2, 3}));
  ExpectUnequal(Shape({2, 3}), Shape({3, 2}));
  ExpectUnequal(Shape({2, 3}), Array<Any>{2, 3});
  ExpectLess(Shape({2, 3}), Shape({2, 4}));
  ExpectLess(Shape({2}), Shape({2, 0}));
  ExpectLess(false, true);
  ExpectLess(-1.5, 2.0);
  ExpectLess(DLDataType{kDLInt, 32, 1}, DLDataType{kDLFloat, 16, 1});  // code first
  ExpectLess(DLDataType{kDLFloat, 16, 4}, DLDataType{kDLFloat, 32, 1});
  ExpectLess(DLDataType{kDLFloat, 32, 1}, DLDataType{kDLFloat, 32, 2});
  ExpectLess(DLDevice{kDLCPU, 3}, DLDevice{kDLCUDA, 0});
  ExpectLess(DLDevice{kDLCUDA, 0}, DLDevice{kDLCUDA, 1});
}

TEST(RecursiveCompare, MapsAndDictsIgnoreOrder) {
  Map<Any, Any> m1{{String("a"), 1}, {String("b"), Array<Any>{2}}};
  Map<Any, Any> m2{{String("b"), Array<Any>{2}}, {String("a"), 1}};
  ExpectEqual(m1, m2);
  ExpectUnequal(m1, Map<Any, Any>{{String("a"), 1}});
  ExpectUnequal(m1, Map<Any, Any>{{String("a"), 1}, {String("c"), Array<Any>{2}}});
  ExpectUnequal(m1, Map<Any, Any>{{String("a"), 1}, {String("b"), Array<Any>{3}}});
  Dict<Any, Any> d1{{1, String("x")}, {2, String("y")}};
  Dict<Any, Any> d2{{2, String("y")}, {1, String("x")}};
  ExpectEqual(d1, d2);
  ExpectUnequal(d1, Map<Any, Any>{{1, String("x")}, {2, String("y")}});
  // Many entries (the dense representation) in opposite insertion orders.
  Map<Any, Any> big1, big2;
  for (int i = 0; i < 40; ++i) big1.Set(i, i * i);
  for (int i = 39; i >= 0; --i) big2.Set(i, i * i);
  ExpectEqual(big1, big2);

  EXPECT_FFI_ERROR("TypeError", "Cannot order Map/Dict values", RecursiveLt(m1, m2));
  EXPECT_FFI_ERROR("TypeError", "Cannot order Map/Dict values",
                   RecursiveLt(Array<Any>{d1}, Array<Any>{d2}));
  ExpectSameOrder(m1, m1);  // the same map is not consulted
}

TEST(RecursiveCompare, ObjectsWithoutFieldsByIdentityHashedByTypeKey) {
  Function f1 = Function::FromTyped([](int64_t x) { return x; });
  Function f2 = Function::FromTyped([](int64_t x) { return x; });
  ExpectEqual(f1, f1);
  ExpectUnequal(f1, f2);
  EXPECT_EQ(RecursiveHash(f1), RecursiveHash(f2));
  ExpectUnequal(Array<Any>{f1}, Array<Any>{f2});
  Error e1("ValueError", "same", "");
  Error e2("ValueError", "same", "");
  ExpectEqual(e1, e1);
  ExpectUnequal(e1, e2);
  struct StaticAlloc {
    void AllocData(DLTensor* t) {
      static float buffer[6];
      t->data = buffer;
    }
    void FreeData(DLTensor*) {}
  };
  Tensor t1 = Tensor::FromNDAlloc(StaticAlloc(), Shape({2, 3}), DLDataType{kDLFloat, 32, 1},
                                  DLDevice{kDLCPU, 0});
  Tensor t2 = Tensor::FromNDAlloc(StaticAlloc(), Shape({2, 3}), DLDataType{kDLFloat, 32, 1},
                                  DLDevice{kDLCPU, 0});
  ExpectEqual(t1, t1);
  ExpectUnequal(t1, t2);  // same shape, dtype, device and data: still two tensors
  EXPECT_EQ(RecursiveHash(t1), RecursiveHash(t2));
  EXPECT_FFI_ERROR("TypeError", "Cannot order values of type ffi.Tensor", RecursiveLt(t1, t2));
  ObjectRef x = Make<RcEmptyObj>();
  ObjectRef y = Make<RcEmptyObj>();
  ExpectEqual(x, x);
  ExpectUnequal(x, y);
  EXPECT_EQ(RecursiveHash(x), RecursiveHash(y));
  EXPECT_NE(RecursiveHash(x), RecursiveHash(f1));
  ExpectSameOrder(x, x);
  EXPECT_FFI_ERROR("TypeError", "Cannot order values of type test.rc.Empty", RecursiveLt(x, y));
  EXPECT_FFI_ERROR("TypeError", "Cannot order values of type ffi.Function", RecursiveLe(f1, f2));
}

TEST(RecursiveCompare, ReflectedFieldsAndFlags) {
  ExpectEqual(Pair(1, String("s")), Pair(1, String("s")));
  ExpectUnequal(Pair(1, String("s")), Pair(1, String("t")));
  // compare(false): ignored everywhere.
  ExpectEqual(Pair(1, 2, String("n1")), Pair(1, 2, String("n2")));
  ExpectSameOrder(Pair(1, 2, String("n1")), Pair(1, 2, String("n2")));
  // hash(false): compared, but not part of the hash.
  ExpectUnequal(Pair(1, 2, Any(), 1), Pair(1, 2, Any(), 2));
  EXPECT_EQ(RecursiveHash(Pair(1, 2, Any(), 1)), RecursiveHash(Pair(1, 2, Any(), 2)));
  ExpectLess(Pair(1, 2, Any(), 1), Pair(1, 2, Any(), 2));
  // Fields in order, the first difference decides.
  ExpectLess(Pair(1, 9), Pair(2, 0));
  ExpectLess(Pair(1, 0), Pair(1, 9));
  // Ancestor fields first, then the type's own.
  ObjectRef c1 = Make<RcPairChildObj>(1, 2, 3);
  ObjectRef c2 = Make<RcPairChildObj>(1, 2, 3);
  ObjectRef c3 = Make<RcPairChildObj>(1, 2, 4);
  ExpectEqual(c1, c2);
  ExpectUnequal(c1, c3);
  ExpectLess(c1, c3);
  ExpectLess(Make<RcPairChildObj>(0, 9, 9), c1);
  // Different types (even parent/child with equal common fields) are unequal.
  ExpectUnequal(Pair(1, 2), Make<RcPairChildObj>(1, 2, Any()));
  EXPECT_FFI_ERROR("TypeError",
                   "Cannot compare objects of different types: test.rc.Pair vs "
                   "test.rc.PairChild",
                   RecursiveLt(Pair(1, 2), Make<RcPairChildObj>(1, 2, 3)));
  EXPECT_NE(RecursiveHash(Pair(1, 2)), RecursiveHash(Pair(2, 1)));
}

TEST(RecursiveCompare, OrderingErrors) {
  EXPECT_FFI_ERROR("TypeError", "Cannot compare values of different types: int vs float",
                   RecursiveLt(1, 2.0));
  EXPECT_FFI_ERROR("TypeError", "Cannot compare values of different types: ffi.String vs int",
                   RecursiveLt(String("a"), 1));
  EXPECT_FFI_ERROR("TypeError", "Cannot compare objects of different types: ffi.Array vs ffi.List",
                   RecursiveGe(Array<Any>{1}, List<Any>{1}));
  EXPECT_FFI_ERROR("TypeError", "Cannot order NaN values", RecursiveLt(std::nan(""), 1.0));
  EXPECT_FFI_ERROR("TypeError", "Cannot order NaN values",
                   RecursiveLt(Array<Any>{1, std::nan("")}, Array<Any>{1, 0.0}));
  int x = 0;
  EXPECT_FFI_ERROR("TypeError", "Cannot order values of type void*",
                   RecursiveLt(static_cast<void*>(&x), static_cast<void*>(&x)));
  // The first difference decides before a later error is reached.
  EXPECT_TRUE(RecursiveLt(Array<Any>{1, 2.0}, Array<Any>{2, String("x")}));
}

TEST(RecursiveCompare, HooksReplaceTheFieldWalk) {
  // __ffi_hash__ only: equality still walks the fields, hashing uses the key.
  ObjectRef h1 = Make<RcCustomHashObj>(1, String("x"));
  ObjectRef h2 = Make<RcCustomHashObj>(1, String("y"));
  ExpectUnequal(h1, h2);
  EXPECT_EQ(RecursiveHash(h1), RecursiveHash(h2));
  EXPECT_EQ(RecursiveHash(h1), RecursiveHash(Make<RcCustomHashObj>(1, String("x"))));
  EXPECT_TRUE(RecursiveEq(h1, Make<RcCustomHashObj>(1, String("x"))));
  EXPECT_EQ(RecursiveHash(h1), RecursiveHash(1));  // the hook returned fn_hash(1)

  // __ffi_eq__ / __ffi_compare__ on the key: the label does not matter.
  ObjectRef c1 = Make<RcCustomCompareObj>(1, String("x"));
  ObjectRef c2 = Make<RcCustomCompareObj>(1, String("y"));
  ObjectRef c3 = Make<RcCustomCompareObj>(2, String("a"));
  ExpectEqual(c1, c2);
  ExpectUnequal(c1, c3);
  ExpectSameOrder(c1, c2);
  ExpectLess(c2, c3);

  // __ffi_compare__ without __ffi_eq__: equality is compare == 0.
  ExpectEqual(Make<RcCompareOnlyObj>(5, String("p")), Make<RcCompareOnlyObj>(5, String("q")));
  ExpectUnequal(Make<RcCompareOnlyObj>(5, String("p")), Make<RcCompareOnlyObj>(6, String("p")));

  // __ffi_eq__ without __ffi_hash__: hashing is an error.
  ObjectRef e1 = Make<RcEqNoHashObj>(3, String("p"));
  EXPECT_TRUE(RecursiveEq(Array<Any>{1, e1}, Array<Any>{1, Make<RcEqNoHashObj>(3, String("q"))}));
  ExpectErrorContains([&] { RecursiveHash(e1); }, "ValueError",
                      "RecursiveHash: type 'test.rc.EqNoHash' defines __ffi_eq__ or "
                      "__ffi_compare__ but not __ffi_hash__.");
  ExpectErrorContains([&] { RecursiveHash(Array<Any>{e1}); }, "ValueError", "but not __ffi_hash__");
}

TEST(RecursiveCompare, CyclesThroughListsDictsAndObjects) {
  List<Any> l1, l2;
  l1.push_back(l1);
  l2.push_back(l2);
  ExpectEqual(l1, l2);
  ExpectEqual(l1, l1);
  EXPECT_FFI_ERROR("ValueError", "RecursiveCompare: cyclic reference detected in ordering",
                   RecursiveLt(l1, l2));
  ExpectSameOrder(l1, l1);  // the same object is not walked
  List<Any> l3;
  l3.push_back(l3);
  l3.push_back(1);
  ExpectUnequal(l1, l3);
  EXPECT_NE(RecursiveHash(l1), RecursiveHash(l3));

  Dict<Any, Any> d1, d2;
  d1.Set(String("self"), d1);
  d2.Set(String("self"), d2);
  ExpectEqual(d1, d2);
  Dict<Any, Any> d3;
  d3.Set(String("self"), d1);
  // The same infinite unrolling: equal. (Hashes of cyclic values agree only when the cycles
  // close at the same depth, as for d1 and d2.)
  EXPECT_TRUE(RecursiveEq(d1, d3));

  ObjectRef p1 = Pair(1, Any());
  ObjectRef p2 = Pair(1, Any());
  static_cast<RcPairObj*>(const_cast<Object*>(p1.get()))->b = p1;
  static_cast<RcPairObj*>(const_cast<Object*>(p2.get()))->b = p2;
  ExpectEqual(p1, p2);
  EXPECT_FFI_ERROR("ValueError", "RecursiveCompare: cyclic reference detected in ordering",
                   RecursiveGe(p1, p2));
  // Break the cycles so the test does not leak.
  l1.Set(0, Any());
  l2.Set(0, Any());
  l3.Set(0, Any());
  d1.Set(String("self"), Any());
  d2.Set(String("self"), Any());
  static_cast<RcPairObj*>(const_cast<Object*>(p1.get()))->b = Any();
  static_cast<RcPairObj*>(const_cast<Object*>(p2.get()))->b = Any();
}

TEST(RecursiveCompare, SharedSubgraphsAreCheap) {
  // 60 levels of [x, x]: 2^60 paths, each node visited once.
  Any a = 1, b = 1;
  for (int i = 0; i < 60; ++i) {
    a = Array<Any>{a, a};
    b = Array<Any>{b, b};
  }
  ExpectEqual(a, b);
  ExpectSameOrder(a, b);
}

/*! \brief A chain of `depth` one-element Arrays around `leaf`, and its safe teardown. */
class DeepArray {
 public:
  DeepArray(int depth, Any leaf) {
    levels_.push_back(std::move(leaf));
    for (int i = 0; i < depth; ++i) levels_.push_back(Array<Any>{levels_.back()});
  }
  ~DeepArray() {
    while (!levels_.empty()) levels_.pop_back();  // outermost first: no recursive frees
  }
  const Any& root() const { return levels_.back(); }

 private:
  std::vector<Any> levels_;
};

TEST(RecursiveCompare, DeepNestingUsesNoNativeRecursion) {
  constexpr int kDepth = 100000;
  DeepArray a(kDepth, 1), b(kDepth, 1), c(kDepth, 2);
  EXPECT_TRUE(RecursiveEq(a.root(), b.root()));
  EXPECT_FALSE(RecursiveEq(a.root(), c.root()));
  EXPECT_EQ(RecursiveHash(a.root()), RecursiveHash(b.root()));
  EXPECT_NE(RecursiveHash(a.root()), RecursiveHash(c.root()));
  EXPECT_TRUE(RecursiveLt(a.root(), c.root()));
  EXPECT_TRUE(RecursiveGe(a.root(), b.root()));
  Function contains = Function::GetGlobalRequired("ffi.ArrayContains");
  EXPECT_TRUE(contains(Array<Any>{0, a.root()}, b.root()).cast<bool>());
}

TEST(RecursiveCompare, Globals) {
  auto call = [](const char* name, auto... args) {
    return Function::GetGlobalRequired(name)(args...);
  };
  EXPECT_TRUE(call("ffi.RecursiveEq", Array<Any>{1}, Array<Any>{1}).cast<bool>());
  EXPECT_FALSE(call("ffi.RecursiveEq", Array<Any>{1}, Array<Any>{1.0}).cast<bool>());
  EXPECT_TRUE(call("ffi.RecursiveLt", 1, 2).cast<bool>());
  EXPECT_TRUE(call("ffi.RecursiveLe", 2, 2).cast<bool>());
  EXPECT_FALSE(call("ffi.RecursiveGt", 2, 2).cast<bool>());
  EXPECT_TRUE(call("ffi.RecursiveGe", 3, 2).cast<bool>());
  EXPECT_EQ(call("ffi.RecursiveHash", Array<Any>{1, 2}).cast<int64_t>(),
            RecursiveHash(Array<Any>{1, 2}));
  EXPECT_FFI_ERROR("TypeError", "Cannot order NaN values",
                   call("ffi.RecursiveLt", std::nan(""), 1.0));

  Array<Any> arr{1, Array<Any>{2}, String("s")};
  EXPECT_TRUE(call("ffi.ArrayContains", arr, Array<Any>{2}).cast<bool>());
  EXPECT_TRUE(call("ffi.ArrayContains", arr, std::string("s")).cast<bool>());
  EXPECT_FALSE(call("ffi.ArrayContains", arr, true).cast<bool>());
  EXPECT_FALSE(call("ffi.ArrayContains", arr, List<Any>{2}).cast<bool>());
  List<Any> list{Any(), Pair(1, 2)};
  EXPECT_TRUE(call("ffi.ListContains", list, Pair(1, 2, String("ignored"))).cast<bool>());
  EXPECT_TRUE(call("ffi.ListContains", list, Any()).cast<bool>());
  EXPECT_FALSE(call("ffi.ListContains", list, Pair(2, 1)).cast<bool>());
  EXPECT_FALSE(call("ffi.ListContains", List<Any>{}, 1).cast<bool>());
  ExpectErrorContains([&] { call("ffi.ListContains", 1, 1); }, "TypeError", "");
}

TEST(RecursiveCompare, ExportedSymbols) {
  // The C++ functions are exported from libtvm_ffi.so under these exact names.
  const char* names[] = {
      "_ZN3tvm3ffi8DeepCopyERKNS0_3AnyE",        "_ZN3tvm3ffi13RecursiveHashERKNS0_3AnyE",
      "_ZN3tvm3ffi11RecursiveEqERKNS0_3AnyES3_", "_ZN3tvm3ffi11RecursiveLtERKNS0_3AnyES3_",
      "_ZN3tvm3ffi11RecursiveLeERKNS0_3AnyES3_", "_ZN3tvm3ffi11RecursiveGtERKNS0_3AnyES3_",
      "_ZN3tvm3ffi11RecursiveGeERKNS0_3AnyES3_",
  };
  Dl_info info;
  ASSERT_NE(dladdr(reinterpret_cast<void*>(&TVMFFIGetTypeInfo), &info), 0);
  void* lib = dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD);
  ASSERT_NE(lib, nullptr) << info.dli_fname;
  for (const char* name : names) EXPECT_NE(dlsym(lib, name), nullptr) << name;
  EXPECT_EQ(dlsym(lib, "_ZN3tvm3ffi11RecursiveEqERKNS0_3AnyES3_"),
            reinterpret_cast<void*>(static_cast<bool (*)(const Any&, const Any&)>(&RecursiveEq)));
  dlclose(lib);
}

}  // namespace
