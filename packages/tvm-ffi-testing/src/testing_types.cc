/*!
 * \file testing_types.cc
 * \brief Reflection registration (fields, methods, constructors) of the `testing.*` types.
 *
 * Field order is registration order and is observable (the Python `c_class` decorator builds
 * its generated `__init__` from it), so it follows the spec exactly.
 */
#include <tvm/ffi/reflection/registry.h>

#include <utility>

#include "testing_types.h"

namespace tvm {
namespace ffi {
namespace testing {

namespace refl = ::tvm::ffi::reflection;

namespace {

void RegisterIntPair() {
  refl::ObjectDef<TestIntPairObj>()
      .def_ro("a", &TestIntPairObj::a, "Field `a`")
      .def_ro("b", &TestIntPairObj::b, "Field `b`")
      .def(refl::init<int64_t, int64_t>())
      .def("sum", &TestIntPair::Sum, "Method to compute sum of a and b");
}

void RegisterObjectBaseAndDerived() {
  refl::ObjectDef<TestObjectBaseObj>()
      .def_rw("v_i64", &TestObjectBaseObj::v_i64, refl::DefaultValue(10), "i64 field")
      .def_ro("v_f64", &TestObjectBaseObj::v_f64, refl::DefaultValue(10.0))
      .def_rw("v_str", &TestObjectBaseObj::v_str, refl::DefaultValue("hello"))
      .def("add_i64", &TestObjectBaseObj::AddI64, "add_i64 method");

  refl::ObjectDef<TestObjectDerivedObj>()
      .def_ro("v_map", &TestObjectDerivedObj::v_map)
      .def_ro("v_array", &TestObjectDerivedObj::v_array);
}

void RegisterCxxClasses() {
  refl::ObjectDef<TestCxxClassBaseObj>()
      .def_rw("v_i64", &TestCxxClassBaseObj::v_i64)
      .def_rw("v_i32", &TestCxxClassBaseObj::v_i32)
      .def(refl::init<int64_t, int32_t>());

  refl::ObjectDef<TestCxxClassDerivedObj>()
      .def_rw("v_f64", &TestCxxClassDerivedObj::v_f64)
      .def_rw("v_f32", &TestCxxClassDerivedObj::v_f32)
      .def(refl::init<int64_t, int32_t, double, float>());

  refl::ObjectDef<TestCxxClassDerivedDerivedObj>()
      .def_rw("v_str", &TestCxxClassDerivedDerivedObj::v_str)
      .def_rw("v_bool", &TestCxxClassDerivedDerivedObj::v_bool)
      .def(refl::init<int64_t, int32_t, double, float, String, bool>());

  refl::ObjectDef<TestCxxInitSubsetObj>()
      .def_rw("required_field", &TestCxxInitSubsetObj::required_field)
      .def_rw("optional_field", &TestCxxInitSubsetObj::optional_field)
      .def_rw("note", &TestCxxInitSubsetObj::note)
      .def(refl::init<int64_t, String>());
}

void RegisterUnregisteredObjects() {
  refl::ObjectDef<TestUnregisteredBaseObjectObj>()
      .def_ro("v1", &TestUnregisteredBaseObjectObj::v1)
      .def(refl::init<int64_t>(), "Constructor of TestUnregisteredBaseObject")
      .def("get_v1_plus_one", &TestUnregisteredBaseObjectObj::GetV1PlusOne,
           "Get (v1 + 1) from TestUnregisteredBaseObject");

  // `v1` is registered again on the derived type on purpose: duplicate field names across a
  // hierarchy must be accepted by the runtime and by the Python fallback classes.
  refl::ObjectDef<TestUnregisteredObjectObj>()
      .def_ro("v1", &TestUnregisteredObjectObj::v1)
      .def_ro("v2", &TestUnregisteredObjectObj::v2)
      .def(refl::init<int64_t, int64_t>(), "Constructor of TestUnregisteredObject")
      .def("get_v2_plus_two", &TestUnregisteredObjectObj::GetV2PlusTwo,
           "Get (v2 + 2) from TestUnregisteredObject");
}

// ---- testing.SchemaAllTypes methods --------------------------------------------------------

Array<int64_t> SchemaAppendInt(const SchemaAllTypesObj*, Array<int64_t> xs, int64_t y) {
  // push_back is copy-on-write: a caller still holding `xs` does not see the new element.
  xs.push_back(y);
  return xs;
}

Optional<String> SchemaMaybeConcat(const SchemaAllTypesObj*, Optional<String> a,
                                   Optional<String> b) {
  if (a.has_value() && b.has_value()) return String(a.value() + b.value());
  if (a.has_value()) return a;
  return b;
}

Map<String, Array<int64_t>> SchemaMergeMap(const SchemaAllTypesObj*,
                                           Map<String, Array<int64_t>> lhs,
                                           Map<String, Array<int64_t>> rhs) {
  for (const auto& kv : rhs) {
    const String& key = kv.first;
    const Array<int64_t>& values = kv.second;
    std::optional<Array<int64_t>> existing = lhs.Get(key);
    if (!existing.has_value()) {
      lhs.Set(key, values);
    } else {
      Array<int64_t> merged = *existing;
      for (int64_t v : values) merged.push_back(v);
      lhs.Set(key, merged);
    }
  }
  return lhs;
}

SchemaAllTypes SchemaMakeWith(int64_t vi, double vf, String s) {
  return SchemaAllTypes(make_object<SchemaAllTypesObj>(vi, vf, std::move(s)));
}

void RegisterSchemaAllTypes() {
  refl::ObjectDef<SchemaAllTypesObj>()
      .def_rw("v_bool", &SchemaAllTypesObj::v_bool, "bool field", TestingSampleMetadata())
      .def_rw("v_int", &SchemaAllTypesObj::v_int, refl::DefaultValue(0), "int field")
      .def_rw("v_float", &SchemaAllTypesObj::v_float, refl::DefaultValue(0.0), "float field")
      .def_rw("v_device", &SchemaAllTypesObj::v_device, "device field")
      .def_rw("v_dtype", &SchemaAllTypesObj::v_dtype, "dtype field")
      .def_rw("v_string", &SchemaAllTypesObj::v_string, refl::DefaultValue("s"), "string field")
      .def_rw("v_bytes", &SchemaAllTypesObj::v_bytes, "bytes field")
      .def_rw("v_opt_int", &SchemaAllTypesObj::v_opt_int, "optional int")
      .def_rw("v_opt_str", &SchemaAllTypesObj::v_opt_str, "optional str")
      .def_rw("v_arr_int", &SchemaAllTypesObj::v_arr_int, "array<int>")
      .def_rw("v_arr_str", &SchemaAllTypesObj::v_arr_str, "array<str>")
      .def_rw("v_map_str_int", &SchemaAllTypesObj::v_map_str_int, "map<str,int>")
      .def_rw("v_map_str_arr_int", &SchemaAllTypesObj::v_map_str_arr_int, "map<str,array<int>>")
      .def_rw("v_variant", &SchemaAllTypesObj::v_variant, "variant<str,array<int>,map<str,int>>")
      .def_rw("v_opt_arr_variant", &SchemaAllTypesObj::v_opt_arr_variant,
              "optional<array<variant<int,str>>>")
      .def("add_int", &SchemaAllTypesObj::AddInt, "add int method", TestingSampleMetadata())
      .def("append_int", SchemaAppendInt, "append int to array")
      .def("maybe_concat", SchemaMaybeConcat, "optional concat")
      .def("merge_map", SchemaMergeMap, "merge maps")
      .def_static("make_with", SchemaMakeWith, "Constructor with subset of fields");
}

}  // namespace

void RegisterTestingTypes() {
  RegisterIntPair();
  RegisterObjectBaseAndDerived();
  RegisterCxxClasses();
  RegisterUnregisteredObjects();
  RegisterSchemaAllTypes();
}

refl::Metadata TestingSampleMetadata() {
  return refl::Metadata{{"bool_attr", true}, {"int_attr", 1}, {"str_attr", "hello"}};
}

}  // namespace testing
}  // namespace ffi
}  // namespace tvm
