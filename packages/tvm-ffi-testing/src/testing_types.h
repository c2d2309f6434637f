/*!
 * \file testing_types.h
 * \brief The object types of the testing library (type keys `testing.*`).
 *
 * Hierarchy (type key, properties):
 *
 *   ffi.Object
 *   +- testing.TestIntPair                 final, immutable, default-constructible
 *   +- testing.TestObjectBase              mutable, 1 reserved child slot, default-constructible
 *   |  +- testing.TestObjectDerived        final, default-constructible
 *   +- testing.TestCxxClassBase            mutable, constructor only
 *   |  +- testing.TestCxxClassDerived
 *   |     +- testing.TestCxxClassDerivedDerived
 *   +- testing.TestCxxInitSubset           mutable, constructor only
 *   +- testing.TestUnregisteredBaseObject  immutable, constructor only
 *   |  +- testing.TestUnregisteredObject
 *   +- testing.SchemaAllTypes              mutable, constructor only (no reflection creator)
 *   +- testing.TestSVar / TestSNode / TestSFunc / TestSDAGNode
 *                                          structural eq/hash test types (testing_structural.cc)
 *
 * "Constructor only" types deliberately have neither a default constructor nor an UnsafeInit
 * constructor, so reflection::ObjectDef installs no creator for them and
 * `ffi.MakeObjectFromPackedArgs` reports that they do not support reflection creation.
 */
#ifndef TVM_FFI_TESTING_TESTING_TYPES_H_
#define TVM_FFI_TESTING_TESTING_TYPES_H_

#include <tvm/ffi/any.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/container/variant.h>
#include <tvm/ffi/dtype.h>
#include <tvm/ffi/memory.h>
#include <tvm/ffi/object.h>
#include <tvm/ffi/optional.h>
#include <tvm/ffi/reflection/registry.h>
#include <tvm/ffi/string.h>

#include <cstdint>
#include <utility>

namespace tvm {
namespace ffi {
namespace testing {

// ---------------------------------------------------------------------------------------------
// testing.TestIntPair
// ---------------------------------------------------------------------------------------------

class TestIntPairObj : public Object {
 public:
  int64_t a = 0;
  int64_t b = 0;

  TestIntPairObj() = default;
  TestIntPairObj(int64_t a, int64_t b) : a(a), b(b) {}

  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("testing.TestIntPair", TestIntPairObj, Object);
};

class TestIntPair : public ObjectRef {
 public:
  TestIntPair(int64_t a, int64_t b) : ObjectRef(make_object<TestIntPairObj>(a, b)) {}

  /*! \brief a + b (registered both as the method `sum` and as `testing.TestIntPairSum`). */
  int64_t Sum() const { return get()->a + get()->b; }

  TVM_FFI_DEFINE_OBJECT_REF_METHODS_NULLABLE(TestIntPair, ObjectRef, TestIntPairObj);
};

// ---------------------------------------------------------------------------------------------
// testing.TestObjectBase / testing.TestObjectDerived
// ---------------------------------------------------------------------------------------------

class TestObjectBaseObj : public Object {
 public:
  int64_t v_i64 = 10;
  double v_f64 = 10.0;
  String v_str = String("hello");

  int64_t AddI64(int64_t other) const { return v_i64 + other; }

  static constexpr bool _type_mutable = true;
  static constexpr uint32_t _type_child_slots = 1;
  static constexpr bool _type_child_slots_can_overflow = true;
  TVM_FFI_DECLARE_OBJECT_INFO("testing.TestObjectBase", TestObjectBaseObj, Object);
};

class TestObjectDerivedObj : public TestObjectBaseObj {
 public:
  Map<Any, Any> v_map;
  Array<Any> v_array;

  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("testing.TestObjectDerived", TestObjectDerivedObj,
                                    TestObjectBaseObj);
};

// ---------------------------------------------------------------------------------------------
// testing.TestCxxClassBase / Derived / DerivedDerived, testing.TestCxxInitSubset
// ---------------------------------------------------------------------------------------------

class TestCxxClassBaseObj : public Object {
 public:
  int64_t v_i64;
  int32_t v_i32;

  TestCxxClassBaseObj(int64_t v_i64, int32_t v_i32) : v_i64(v_i64), v_i32(v_i32) {}

  static constexpr bool _type_mutable = true;
  TVM_FFI_DECLARE_OBJECT_INFO("testing.TestCxxClassBase", TestCxxClassBaseObj, Object);
};

class TestCxxClassDerivedObj : public TestCxxClassBaseObj {
 public:
  double v_f64;
  float v_f32;

  TestCxxClassDerivedObj(int64_t v_i64, int32_t v_i32, double v_f64, float v_f32)
      : TestCxxClassBaseObj(v_i64, v_i32), v_f64(v_f64), v_f32(v_f32) {}

  TVM_FFI_DECLARE_OBJECT_INFO("testing.TestCxxClassDerived", TestCxxClassDerivedObj,
                              TestCxxClassBaseObj);
};

class TestCxxClassDerivedDerivedObj : public TestCxxClassDerivedObj {
 public:
  String v_str;
  bool v_bool;

  TestCxxClassDerivedDerivedObj(int64_t v_i64, int32_t v_i32, double v_f64, float v_f32,
                                String v_str, bool v_bool)
      : TestCxxClassDerivedObj(v_i64, v_i32, v_f64, v_f32),
        v_str(std::move(v_str)),
        v_bool(v_bool) {}

  TVM_FFI_DECLARE_OBJECT_INFO("testing.TestCxxClassDerivedDerived", TestCxxClassDerivedDerivedObj,
                              TestCxxClassDerivedObj);
};

class TestCxxInitSubsetObj : public Object {
 public:
  int64_t required_field;
  /*! \brief Initialised by the C++ constructor, not by a reflection default. */
  int64_t optional_field = -1;
  String note;

  TestCxxInitSubsetObj(int64_t value, String note) : required_field(value), note(std::move(note)) {}

  static constexpr bool _type_mutable = true;
  TVM_FFI_DECLARE_OBJECT_INFO("testing.TestCxxInitSubset", TestCxxInitSubsetObj, Object);
};

// ---------------------------------------------------------------------------------------------
// testing.TestUnregisteredBaseObject / testing.TestUnregisteredObject
// (the Python package has no class for these on purpose: the core synthesises fallbacks)
// ---------------------------------------------------------------------------------------------

class TestUnregisteredBaseObjectObj : public Object {
 public:
  int64_t v1;

  explicit TestUnregisteredBaseObjectObj(int64_t v1) : v1(v1) {}

  int64_t GetV1PlusOne() const { return v1 + 1; }

  TVM_FFI_DECLARE_OBJECT_INFO("testing.TestUnregisteredBaseObject", TestUnregisteredBaseObjectObj,
                              Object);
};

class TestUnregisteredObjectObj : public TestUnregisteredBaseObjectObj {
 public:
  int64_t v2;

  TestUnregisteredObjectObj(int64_t v1, int64_t v2) : TestUnregisteredBaseObjectObj(v1), v2(v2) {}

  int64_t GetV2PlusTwo() const { return v2 + 2; }

  TVM_FFI_DECLARE_OBJECT_INFO("testing.TestUnregisteredObject", TestUnregisteredObjectObj,
                              TestUnregisteredBaseObjectObj);
};

// ---------------------------------------------------------------------------------------------
// testing.SchemaAllTypes: one read-write field per kind of type schema
// ---------------------------------------------------------------------------------------------

class SchemaAllTypesObj : public Object {
 public:
  bool v_bool = true;
  int64_t v_int = 0;
  double v_float = 0.0;
  DLDevice v_device{kDLCPU, 0};
  DLDataType v_dtype{kDLFloat, 32, 1};
  String v_string = String("s");
  Bytes v_bytes;
  Optional<int64_t> v_opt_int;
  Optional<String> v_opt_str;
  Array<int64_t> v_arr_int;
  Array<String> v_arr_str;
  Map<String, int64_t> v_map_str_int;
  Map<String, Array<int64_t>> v_map_str_arr_int;
  Variant<String, Array<int64_t>, Map<String, int64_t>> v_variant;
  Optional<Array<Variant<int64_t, String>>> v_opt_arr_variant;

  /*! \brief The only constructor (so the type has no reflection creator). */
  SchemaAllTypesObj(int64_t vi, double vf, String s)
      : v_int(vi), v_float(vf), v_string(std::move(s)), v_variant(String("v")) {}

  int64_t AddInt(int64_t x) const { return v_int + x; }

  static constexpr bool _type_mutable = true;
  TVM_FFI_DECLARE_OBJECT_INFO("testing.SchemaAllTypes", SchemaAllTypesObj, Object);
};

class SchemaAllTypes : public ObjectRef {
 public:
  TVM_FFI_DEFINE_OBJECT_REF_METHODS_NULLABLE(SchemaAllTypes, ObjectRef, SchemaAllTypesObj);
};

/*!
 * \brief The user metadata `bool_attr = true, int_attr = 1, str_attr = "hello"` attached to
 *        `testing.schema_id_int`, the field `SchemaAllTypes.v_bool` and the method
 *        `SchemaAllTypes.add_int`.
 */
reflection::Metadata TestingSampleMetadata();

/*! \brief Registers the reflection of every type above (called once at load time). */
void RegisterTestingTypes();
/*! \brief Registers the general-purpose `testing.*` globals (section 1.1 of the spec). */
void RegisterTestingFunctions();
/*! \brief Registers the `testing.schema_*` identity functions (section 1.2 of the spec). */
void RegisterSchemaFunctions();
/*! \brief Registers the structural-equality test types (testing_structural.cc). */
void RegisterStructuralTypes();
/*! \brief Registers the native-thread callers (testing_native_thread.cc). */
void RegisterNativeThreadFunctions();

}  // namespace testing
}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_TESTING_TESTING_TYPES_H_
