/*!
 * \file test_deep_copy.cc
 * \brief DeepCopy (tvm/ffi/extra/dataclass.h), the global `ffi.DeepCopy`, and the
 *        `__ffi_shallow_copy__` type attribute that ObjectDef registers for copyable classes.
 */
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/big_int.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/dict.h>
#include <tvm/ffi/container/list.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/container/shape.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/extra/dataclass.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/reflection/accessor.h>
#include <tvm/ffi/reflection/registry.h>
#include <tvm/ffi/string.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "test_utils.h"

namespace {

using namespace tvm::ffi;  // NOLINT(build/namespaces)
using tvm_ffi_test::ExpectErrorContains;

class DcNodeObj : public Object {
 public:
  Any value;
  Any next;
  Array<int64_t> dims;
  int64_t fixed = 0;
  DcNodeObj(Any value, Any next) : value(std::move(value)), next(std::move(next)) {}
  static constexpr bool _type_mutable = true;
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("test.dc.Node", DcNodeObj, Object);
};

/*! \brief Not copy-constructible: no `__ffi_shallow_copy__`. */
class DcNoCopyObj : public Object {
 public:
  std::unique_ptr<int> owned;
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("test.dc.NoCopy", DcNoCopyObj, Object);
};

/*! \brief Stands for an enum entry: a type with the `__ffi_enum__` attribute. */
class DcEnumObj : public Object {
 public:
  int64_t ordinal = 0;
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("test.dc.Enum", DcEnumObj, Object);
};

/*! \brief Copyable, with its own `__ffi_shallow_copy__` registered before its ObjectDef. */
class DcCustomCopyObj : public Object {
 public:
  int64_t copies = 0;
  Any payload;
  static constexpr bool _type_mutable = true;
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("test.dc.CustomCopy", DcCustomCopyObj, Object);
};

TVM_FFI_STATIC_INIT_BLOCK() {
  namespace refl = tvm::ffi::reflection;
  // ObjectDef keeps an attribute registered earlier (registering it twice would throw here).
  refl::TypeAttrDef<DcCustomCopyObj>().def(
      "__ffi_shallow_copy__", [](const ObjectRef& self) -> ObjectRef {
        auto copy = make_object<DcCustomCopyObj>(*static_cast<const DcCustomCopyObj*>(self.get()));
        copy->copies += 1;
        return ObjectRef(copy);
      });
  refl::ObjectDef<DcCustomCopyObj>()
      .def_ro("copies", &DcCustomCopyObj::copies)
      .def_rw("payload", &DcCustomCopyObj::payload);
  refl::ObjectDef<DcNodeObj>()
      .def_rw("value", &DcNodeObj::value)
      .def_rw("next", &DcNodeObj::next)
      .def_rw("dims", &DcNodeObj::dims)
      .def_ro("fixed", &DcNodeObj::fixed);
  refl::ObjectDef<DcNoCopyObj>();
  refl::ObjectDef<DcEnumObj>().def_ro("ordinal", &DcEnumObj::ordinal);
  refl::TypeAttrDef<DcEnumObj>().attr("__ffi_enum__", String("enum state"));
}

ObjectRef Node(Any value, Any next = Any()) {
  return ObjectRef(make_object<DcNodeObj>(std::move(value), std::move(next)));
}
DcNodeObj* NodeOf(const Any& value) {
  return static_cast<DcNodeObj*>(const_cast<Object*>(value.cast<ObjectRef>().get()));
}
const Object* Ptr(const Any& value) { return value.cast<ObjectRef>().get(); }

TEST(DeepCopy, ValuesKeptAsTheyAre) {
  EXPECT_EQ(DeepCopy(Any()).type_index(), kTVMFFINone);
  EXPECT_EQ(DeepCopy(7).cast<int64_t>(), 7);
  EXPECT_EQ(DeepCopy(2.5).cast<double>(), 2.5);
  EXPECT_EQ(DeepCopy(true).cast<bool>(), true);
  EXPECT_EQ(DeepCopy(DLDevice{kDLCUDA, 1}).cast<DLDevice>().device_id, 1);
  String s("a string long enough for the heap");
  Bytes b(std::string("bytes long enough for the heap"));
  Shape shape({2, 3});
  BigInt big = BigInt(1) << 80;
  EXPECT_EQ(Ptr(DeepCopy(s)), Ptr(Any(s)));
  EXPECT_EQ(Ptr(DeepCopy(b)), Ptr(Any(b)));
  EXPECT_EQ(Ptr(DeepCopy(shape)), Ptr(Any(shape)));
  EXPECT_EQ(Ptr(DeepCopy(big)), Ptr(Any(big)));
  EXPECT_EQ(DeepCopy(String("ab")).cast<String>(), "ab");
  ObjectRef entry(make_object<DcEnumObj>());
  EXPECT_EQ(Ptr(DeepCopy(entry)), entry.get());  // enum singletons stay singletons
  EXPECT_EQ(Ptr(DeepCopy(Array<Any>{entry}).cast<Array<Any>>()[0]), entry.get());
}

TEST(DeepCopy, ContainersAreRebuiltAndEqual) {
  List<Any> shared{1, 2};
  Array<Any> arr{shared, shared, String("s"), Map<Any, Any>{{String("k"), shared}}};
  Any copy = DeepCopy(arr);
  Array<Any> c = copy.cast<Array<Any>>();
  EXPECT_NE(c.get(), arr.get());
  EXPECT_TRUE(RecursiveEq(copy, arr));
  // The shared List is copied once and the copy is shared the same way.
  EXPECT_NE(Ptr(c[0]), shared.get());
  EXPECT_EQ(Ptr(c[0]), Ptr(c[1]));
  Map<Any, Any> m = c[3].cast<Map<Any, Any>>();
  EXPECT_NE(m.get(), Ptr(arr[3]));
  EXPECT_EQ(Ptr(m[String("k")]), Ptr(c[0]));
  // The copy is independent of the original.
  c[0].cast<List<Any>>().push_back(3);
  EXPECT_EQ(shared.size(), 2u);

  Dict<Any, Any> dict{{1, List<Any>{1}}, {String("x"), Array<Any>{2}}};
  Any dict_copy = DeepCopy(dict);
  EXPECT_EQ(dict_copy.type_index(), kTVMFFIDict);
  EXPECT_NE(Ptr(dict_copy), dict.get());
  EXPECT_TRUE(RecursiveEq(dict_copy, dict));
  EXPECT_NE(Ptr(dict_copy.cast<Dict<Any, Any>>()[1]), Ptr(dict[1]));
  // Enough entries for the dense representation: the copy grows in place.
  Map<Any, Any> big;
  for (int i = 0; i < 40; ++i) big.Set(i, List<Any>{i});
  Any big_copy = DeepCopy(big);
  EXPECT_EQ(big_copy.type_index(), kTVMFFIMap);
  EXPECT_EQ((big_copy.cast<Map<Any, Any>>().size()), 40u);
  EXPECT_TRUE(RecursiveEq(big_copy, big));
  EXPECT_EQ(RecursiveHash(big_copy), RecursiveHash(big));
  EXPECT_NE(Ptr(big_copy.cast<Map<Any, Any>>()[7]), Ptr(big[7]));
  EXPECT_EQ(DeepCopy(List<Any>{}).cast<List<Any>>().size(), 0u);
  EXPECT_EQ((DeepCopy(Map<Any, Any>{}).cast<Map<Any, Any>>().size()), 0u);
}

TEST(DeepCopy, CyclesArePreserved) {
  List<Any> list;
  list.push_back(1);
  list.push_back(list);
  List<Any> list_copy = DeepCopy(list).cast<List<Any>>();
  EXPECT_NE(list_copy.get(), list.get());
  EXPECT_EQ(Ptr(list_copy[1]), list_copy.get());
  EXPECT_TRUE(RecursiveEq(list_copy, list));

  Dict<Any, Any> dict;
  dict.Set(String("self"), dict);
  Dict<Any, Any> dict_copy = DeepCopy(dict).cast<Dict<Any, Any>>();
  EXPECT_NE(dict_copy.get(), dict.get());
  EXPECT_EQ(Ptr(dict_copy[String("self")]), dict_copy.get());

  // A cycle through an (immutable) Array: list2 -> arr -> list2.
  List<Any> list2;
  Array<Any> arr{list2, 5};
  list2.push_back(arr);
  List<Any> list2_copy = DeepCopy(list2).cast<List<Any>>();
  Array<Any> arr_copy = list2_copy[0].cast<Array<Any>>();
  EXPECT_NE(arr_copy.get(), arr.get());
  EXPECT_EQ(Ptr(arr_copy[0]), list2_copy.get());
  EXPECT_EQ(arr_copy[1].cast<int64_t>(), 5);

  // A cycle through an object.
  ObjectRef node = Node(1);
  NodeOf(node)->next = node;
  Any node_copy = DeepCopy(node);
  EXPECT_NE(Ptr(node_copy), node.get());
  EXPECT_EQ(Ptr(NodeOf(node_copy)->next), Ptr(node_copy));

  // Break the cycles (originals and copies) so the test does not leak.
  for (List<Any> l : {list, list_copy}) l.Set(1, Any());
  for (Dict<Any, Any> d : {dict, dict_copy}) d.Set(String("self"), Any());
  list2.Set(0, Any());
  list2_copy.Set(0, Any());
  NodeOf(node)->next = Any();
  NodeOf(node_copy)->next = Any();
}

TEST(DeepCopy, ObjectsCopyEveryField) {
  List<Any> inner{1};
  ObjectRef node = Node(inner, Node(String("tail")));
  NodeOf(node)->dims = Array<int64_t>{4, 5};
  NodeOf(node)->fixed = 42;
  Any copy = DeepCopy(node);
  DcNodeObj* c = NodeOf(copy);
  EXPECT_NE(Ptr(copy), node.get());
  EXPECT_TRUE(RecursiveEq(copy, node));
  EXPECT_NE(Ptr(c->value), inner.get());  // fields are deep copies
  EXPECT_NE(Ptr(c->next), Ptr(NodeOf(node)->next));
  EXPECT_NE(c->dims.get(), NodeOf(node)->dims.get());
  EXPECT_EQ(c->dims[1], 5);
  EXPECT_EQ(c->fixed, 42);  // a read-only field is copied too
  c->value.cast<List<Any>>().push_back(2);
  EXPECT_EQ(inner.size(), 1u);
}

TEST(DeepCopy, ShallowCopyAttributeOfCopyableTypes) {
  reflection::TypeAttrColumn column("__ffi_shallow_copy__");
  ASSERT_NE(column[DcNodeObj::RuntimeTypeIndex()], nullptr);
  EXPECT_EQ(column[DcNoCopyObj::RuntimeTypeIndex()], nullptr);
  Function shallow = column[DcNodeObj::RuntimeTypeIndex()].cast<Function>();
  List<Any> inner{1};
  ObjectRef node = Node(inner);
  Any copy = shallow(node);
  EXPECT_NE(Ptr(copy), node.get());
  EXPECT_EQ(Ptr(NodeOf(copy)->value), inner.get());  // fields shared
  EXPECT_EQ(copy.type_index(), DcNodeObj::RuntimeTypeIndex());
  // The copy is a regular, independently owned object.
  ObjectRef copy_ref = copy.cast<ObjectRef>();
  copy = Any();
  EXPECT_EQ(copy_ref.use_count(), 1);
}

TEST(DeepCopy, ObjectDefKeepsAnEarlierShallowCopyAttribute) {
  auto obj = make_object<DcCustomCopyObj>();
  List<Any> payload{1};
  obj->payload = payload;
  Any copy = DeepCopy(ObjectRef(obj));
  const auto* c = static_cast<const DcCustomCopyObj*>(copy.cast<ObjectRef>().get());
  EXPECT_EQ(c->copies, 1);  // made by the custom attribute
  EXPECT_NE(Ptr(c->payload), payload.get());
  EXPECT_TRUE(RecursiveEq(c->payload, payload));
}

TEST(DeepCopy, NotCopyConstructibleIsAnError) {
  ObjectRef no_copy(make_object<DcNoCopyObj>());
  ExpectErrorContains([&] { DeepCopy(no_copy); }, "RuntimeError",
                      "Cannot deep copy object of type \"test.dc.NoCopy\" because it is not "
                      "copy-constructible");
  ExpectErrorContains([&] { DeepCopy(Array<Any>{1, List<Any>{no_copy}}); }, "RuntimeError",
                      "\"test.dc.NoCopy\" because it is not copy-constructible");
  ExpectErrorContains([&] { DeepCopy(Node(no_copy)); }, "RuntimeError",
                      "\"test.dc.NoCopy\" because it is not copy-constructible");
  Function f = Function::FromTyped([]() { return 1; });
  ExpectErrorContains([&] { DeepCopy(f); }, "RuntimeError",
                      "Cannot deep copy object of type \"ffi.Function\"");
}

TEST(DeepCopy, DeepNestingUsesNoNativeRecursion) {
  constexpr int kDepth = 100000;
  std::vector<Any> levels{Any(1)};
  for (int i = 0; i < kDepth; ++i) {
    if (i % 2 == 0) {
      levels.push_back(Array<Any>{levels.back()});
    } else {
      levels.push_back(List<Any>{levels.back()});
    }
  }
  Any copy = DeepCopy(levels.back());
  EXPECT_TRUE(RecursiveEq(copy, levels.back()));
  // Tear both chains down from the outside in, one level at a time.
  std::vector<Any> copy_levels{copy};
  while (copy_levels.back().type_index() >= kTVMFFIStaticObjectBegin) {
    const Any& top = copy_levels.back();
    Any child =
        top.type_index() == kTVMFFIArray ? top.cast<Array<Any>>()[0] : top.cast<List<Any>>()[0];
    EXPECT_NE(Ptr(top), Ptr(levels[levels.size() - copy_levels.size()]));
    copy_levels.push_back(child);
  }
  EXPECT_EQ(copy_levels.size(), levels.size());
  copy = Any();
  std::reverse(copy_levels.begin(), copy_levels.end());
  while (!copy_levels.empty()) copy_levels.pop_back();
  while (!levels.empty()) levels.pop_back();
}

TEST(DeepCopy, Global) {
  Function deep_copy = Function::GetGlobalRequired("ffi.DeepCopy");
  List<Any> list{1, List<Any>{2}};
  Any copy = deep_copy(list);
  EXPECT_NE(Ptr(copy), list.get());
  EXPECT_TRUE(RecursiveEq(copy, list));
  ObjectRef no_copy(make_object<DcNoCopyObj>());
  ExpectErrorContains([&] { deep_copy(no_copy); }, "RuntimeError", "not copy-constructible");
}

}  // namespace
