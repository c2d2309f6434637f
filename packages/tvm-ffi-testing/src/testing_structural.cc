/*!
 * \file testing_structural.cc
 * \brief Test types for structural equality / hashing and object-graph serialization.
 *
 * These types exist so that the Python tests of `tvm_ffi.structural`, the JSON graph
 * serializer and pickling can exercise every structural kind through reflection alone:
 *
 *   testing.TestSVar      FreeVar    `name` (ignored by structural eq/hash)
 *   testing.TestSNode     TreeNode   `tag`, `value`, `children`, `comment` (ignored)
 *   testing.TestSFunc     TreeNode   `params` (definition point: variables are mapped by
 *                                    position), `body`, `comment` (ignored)
 *   testing.TestSDAGNode  DAGNode    `value`, `children` (sharing must agree)
 *
 * All four are default-constructible (so reflection creation and FromJSONGraph can rebuild
 * them) and have an `__ffi_init__` constructor taking every field in order. They register no
 * global function: the set of `testing.*` globals is fixed by the specification.
 */
#include <tvm/ffi/any.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/memory.h>
#include <tvm/ffi/object.h>
#include <tvm/ffi/optional.h>
#include <tvm/ffi/reflection/registry.h>
#include <tvm/ffi/string.h>

#include <utility>

#include "testing_types.h"

namespace tvm {
namespace ffi {
namespace testing {

namespace refl = ::tvm::ffi::reflection;

namespace {

class TestSVarObj : public Object {
 public:
  String name;

  TestSVarObj() = default;
  explicit TestSVarObj(String name) : name(std::move(name)) {}

  static constexpr TVMFFISEqHashKind _type_s_eq_hash_kind = kTVMFFISEqHashKindFreeVar;
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("testing.TestSVar", TestSVarObj, Object);
};

class TestSVar : public ObjectRef {
 public:
  TVM_FFI_DEFINE_OBJECT_REF_METHODS_NULLABLE(TestSVar, ObjectRef, TestSVarObj);
};

class TestSNodeObj : public Object {
 public:
  String tag;
  Any value;
  Array<Any> children;
  Optional<String> comment;

  TestSNodeObj() = default;
  TestSNodeObj(String tag, Any value, Array<Any> children, Optional<String> comment)
      : tag(std::move(tag)),
        value(std::move(value)),
        children(std::move(children)),
        comment(std::move(comment)) {}

  static constexpr TVMFFISEqHashKind _type_s_eq_hash_kind = kTVMFFISEqHashKindTreeNode;
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("testing.TestSNode", TestSNodeObj, Object);
};

class TestSFuncObj : public Object {
 public:
  Array<TestSVar> params;
  Any body;
  Optional<String> comment;

  TestSFuncObj() = default;
  TestSFuncObj(Array<TestSVar> params, Any body, Optional<String> comment)
      : params(std::move(params)), body(std::move(body)), comment(std::move(comment)) {}

  static constexpr TVMFFISEqHashKind _type_s_eq_hash_kind = kTVMFFISEqHashKindTreeNode;
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("testing.TestSFunc", TestSFuncObj, Object);
};

class TestSDAGNodeObj : public Object {
 public:
  Any value;
  Array<Any> children;

  TestSDAGNodeObj() = default;
  TestSDAGNodeObj(Any value, Array<Any> children)
      : value(std::move(value)), children(std::move(children)) {}

  static constexpr TVMFFISEqHashKind _type_s_eq_hash_kind = kTVMFFISEqHashKindDAGNode;
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("testing.TestSDAGNode", TestSDAGNodeObj, Object);
};

}  // namespace

void RegisterStructuralTypes() {
  refl::ObjectDef<TestSVarObj>("A variable: free unless bound by a definition field")
      .def_ro("name", &TestSVarObj::name, refl::DefaultValue(""),
              refl::AttachFieldFlag::SEqHashIgnore(), "display name (not compared)")
      .def(refl::init<String>(), "Create a variable with a display name");

  refl::ObjectDef<TestSNodeObj>("A tree node")
      .def_ro("tag", &TestSNodeObj::tag, refl::DefaultValue(""), "node tag")
      .def_ro("value", &TestSNodeObj::value, refl::DefaultValue(nullptr), "payload")
      .def_ro("children", &TestSNodeObj::children, refl::DefaultValue(Array<Any>()), "child values")
      .def_ro("comment", &TestSNodeObj::comment, refl::DefaultValue(nullptr),
              refl::AttachFieldFlag::SEqHashIgnore(), "free text (not compared)")
      .def(refl::init<String, Any, Array<Any>, Optional<String>>(),
           "Create a node from tag, value, children and comment");

  refl::ObjectDef<TestSFuncObj>("A function: its params bind the variables used in its body")
      .def_ro("params", &TestSFuncObj::params, refl::DefaultValue(Array<TestSVar>()),
              refl::AttachFieldFlag::SEqHashDef(), "parameters (definition point)")
      .def_ro("body", &TestSFuncObj::body, refl::DefaultValue(nullptr), "body")
      .def_ro("comment", &TestSFuncObj::comment, refl::DefaultValue(nullptr),
              refl::AttachFieldFlag::SEqHashIgnore(), "free text (not compared)")
      .def(refl::init<Array<TestSVar>, Any, Optional<String>>(),
           "Create a function from params, body and comment");

  refl::ObjectDef<TestSDAGNodeObj>("A graph node: sharing is part of its structure")
      .def_ro("value", &TestSDAGNodeObj::value, refl::DefaultValue(nullptr), "payload")
      .def_ro("children", &TestSDAGNodeObj::children, refl::DefaultValue(Array<Any>()),
              "child values")
      .def(refl::init<Any, Array<Any>>(), "Create a graph node from value and children");
}

}  // namespace testing
}  // namespace ffi
}  // namespace tvm
