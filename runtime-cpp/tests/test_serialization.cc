// ToJSONGraph / FromJSONGraph and the ffi.*JSONGraph* globals.
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/container/shape.h>
#include <tvm/ffi/dtype.h>
#include <tvm/ffi/extra/json.h>
#include <tvm/ffi/extra/serialization.h>
#include <tvm/ffi/extra/structural_equal.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/memory.h>
#include <tvm/ffi/reflection/registry.h>
#include <tvm/ffi/string.h>

#include <cmath>
#include <limits>
#include <string>

#include "test_utils.h"

namespace {

using namespace tvm::ffi;  // NOLINT(build/namespaces)
using tvm_ffi_test::ExpectErrorContains;
namespace refl = tvm::ffi::reflection;

// A reflected, default-constructible type.
class GPointObj : public Object {
 public:
  int64_t x = 0;
  double y = 0;
  String label;
  Any payload;
  int64_t with_default = 0;
  GPointObj() = default;
  GPointObj(int64_t x, double y, String label, Any payload)
      : x(x), y(y), label(std::move(label)), payload(std::move(payload)) {}
  static constexpr TVMFFISEqHashKind _type_s_eq_hash_kind = kTVMFFISEqHashKindTreeNode;
  TVM_FFI_DECLARE_OBJECT_INFO("extras.test.GPoint", GPointObj, Object);
};
Any Point(int64_t x, double y, String label, Any payload) {
  return ObjectRef(make_object<GPointObj>(x, y, std::move(label), std::move(payload)));
}

// A subclass with one more field (created through its UnsafeInit constructor).
class GPoint3Obj : public GPointObj {
 public:
  int64_t z;
  explicit GPoint3Obj(UnsafeInit) : z(0) {}
  GPoint3Obj(int64_t x, int64_t z) : GPointObj(x, 0, "p3", nullptr), z(z) {}
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("extras.test.GPoint3", GPoint3Obj, GPointObj);
};

// A type serialized through __data_to_json__ / __data_from_json__ (no creator at all).
class GTempObj : public Object {
 public:
  double celsius;
  explicit GTempObj(double celsius) : celsius(celsius) {}
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("extras.test.GTemp", GTempObj, Object);
};
class GTemp : public ObjectRef {
 public:
  explicit GTemp(double c) : ObjectRef(make_object<GTempObj>(c)) {}
  TVM_FFI_DEFINE_OBJECT_REF_METHODS_NOTNULLABLE(GTemp, ObjectRef, GTempObj);
};

// Reflected but without a creator: can be written, not read back.
class GNoCreatorObj : public Object {
 public:
  int64_t v;
  explicit GNoCreatorObj(int64_t v) : v(v) {}
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("extras.test.GNoCreator", GNoCreatorObj, Object);
};

// A mutable node that can be made to reference itself.
class GLinkObj : public Object {
 public:
  Any next;
  GLinkObj() = default;
  static constexpr bool _type_mutable = true;
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("extras.test.GLink", GLinkObj, Object);
};

// Plain fields of every inline kind, including an optional one.
class GPodObj : public Object {
 public:
  bool flag = false;
  double ratio = 0;
  DLDataType dtype{kDLFloat, 32, 1};
  DLDevice device{kDLCPU, 0};
  Optional<int64_t> maybe;
  Array<Any> items;
  GPodObj() = default;
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("extras.test.GPod", GPodObj, Object);
};

// Registered type index but no reflection metadata at all.
class GOpaqueObj : public Object {
 public:
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("extras.test.GOpaque", GOpaqueObj, Object);
};

TVM_FFI_STATIC_INIT_BLOCK() {
  refl::ObjectDef<GPointObj>()
      .def_ro("x", &GPointObj::x)
      .def_ro("y", &GPointObj::y)
      .def_ro("label", &GPointObj::label)
      .def_ro("payload", &GPointObj::payload)
      .def_ro("with_default", &GPointObj::with_default, refl::DefaultValue(42));
  refl::ObjectDef<GPoint3Obj>().def_ro("z", &GPoint3Obj::z);
  refl::ObjectDef<GPodObj>()
      .def_ro("flag", &GPodObj::flag)
      .def_ro("ratio", &GPodObj::ratio)
      .def_ro("dtype", &GPodObj::dtype)
      .def_ro("device", &GPodObj::device)
      .def_ro("maybe", &GPodObj::maybe)
      .def_ro("items", &GPodObj::items);
  refl::ObjectDef<GNoCreatorObj>().def_ro("v", &GNoCreatorObj::v);
  refl::ObjectDef<GLinkObj>().def_rw("next", &GLinkObj::next);
  refl::TypeAttrDef<GTempObj>()
      .def("__data_to_json__",
           [](const GTempObj* self) -> Map<String, Any> {
             return Map<String, Any>{{"celsius", self->celsius}};
           })
      .def("__data_from_json__",
           [](Map<String, Any> data) -> GTemp { return GTemp(data["celsius"].cast<double>()); });
}

Any RoundTrip(const Any& value) {
  // Through the JSON value, then through JSON text as well.
  Any direct = FromJSONGraph(ToJSONGraph(value));
  String text = json::Stringify(ToJSONGraph(value));
  Any via_text = FromJSONGraph(json::Parse(text));
  // Both decodings serialize back to the original text.
  EXPECT_EQ(std::string(json::Stringify(ToJSONGraph(direct))), std::string(text));
  EXPECT_EQ(std::string(json::Stringify(ToJSONGraph(via_text))), std::string(text));
  return via_text;
}

void ExpectRoundTrip(const Any& value) {
  Any back = RoundTrip(value);
  EXPECT_TRUE(StructuralEqual::Equal(value, back))
      << std::string(json::Stringify(ToJSONGraph(value)));
}

// ---------------------------------------------------------------------------------------------
// Round trips of every kind
// ---------------------------------------------------------------------------------------------
TEST(Serialization, Primitives) {
  ExpectRoundTrip(Any(nullptr));
  ExpectRoundTrip(true);
  ExpectRoundTrip(false);
  ExpectRoundTrip(0);
  ExpectRoundTrip(std::numeric_limits<int64_t>::min());
  ExpectRoundTrip(1.0);
  ExpectRoundTrip(-0.1);
  ExpectRoundTrip(1e300);
  EXPECT_EQ(RoundTrip(true).type_index(), kTVMFFIBool);
  EXPECT_EQ(RoundTrip(7).type_index(), kTVMFFIInt);
  EXPECT_EQ(RoundTrip(7.0).type_index(), kTVMFFIFloat);
  EXPECT_EQ(RoundTrip(0.1).cast<double>(), 0.1);
}

TEST(Serialization, NonFiniteFloats) {
  EXPECT_TRUE(std::isnan(RoundTrip(std::nan("")).cast<double>()));
  EXPECT_EQ(RoundTrip(HUGE_VAL).cast<double>(), HUGE_VAL);
  EXPECT_EQ(RoundTrip(-HUGE_VAL).cast<double>(), -HUGE_VAL);
}

TEST(Serialization, StringsAndBytes) {
  EXPECT_EQ(std::string(RoundTrip(String("hi")).cast<String>()), "hi");
  std::string long_text = "a long string with \"quotes\", \\ and \n newlines \xE2\x82\xAC";
  EXPECT_EQ(std::string(RoundTrip(String(long_text)).cast<String>()), long_text);
  std::string raw("\x00\x01\xff binary \x7f", 12);
  Any b = RoundTrip(Bytes(raw));
  ASSERT_TRUE(b.type_index() == kTVMFFIBytes || b.type_index() == kTVMFFISmallBytes);
  EXPECT_EQ(std::string(b.cast<Bytes>()), raw);
  Any small = RoundTrip(Bytes("ab", 2));
  EXPECT_EQ(std::string(small.cast<Bytes>()), "ab");
  // Bytes are stored as base64 text.
  Map<Any, Any> graph = ToJSONGraph(Bytes("ab", 2)).cast<Map<Any, Any>>();
  Map<Any, Any> node = graph["nodes"].cast<Array<Any>>()[0].cast<Map<Any, Any>>();
  EXPECT_EQ(std::string(node["type"].cast<String>()), "ffi.Bytes");
  EXPECT_EQ(std::string(node["data"].cast<String>()), "YWI=");
}

TEST(Serialization, DataTypeAndDevice) {
  DLDataType dtype{kDLFloat, 16, 4};
  Any back = RoundTrip(dtype);
  ASSERT_EQ(back.type_index(), kTVMFFIDataType);
  EXPECT_EQ(back.cast<DLDataType>(), dtype);
  Any dev = RoundTrip(DLDevice{kDLCUDA, 3});
  ASSERT_EQ(dev.type_index(), kTVMFFIDevice);
  EXPECT_EQ(dev.cast<DLDevice>().device_type, kDLCUDA);
  EXPECT_EQ(dev.cast<DLDevice>().device_id, 3);
}

TEST(Serialization, Containers) {
  ExpectRoundTrip(Array<Any>());
  ExpectRoundTrip(Map<Any, Any>());
  ExpectRoundTrip(Array<Any>{1, 2.5, String("x"), nullptr, Array<Any>{Array<Any>{}}});
  Map<Any, Any> m{{String("b"), 1}, {String("a"), Array<Any>{1, 2}}, {3, String("three")}};
  Any back = RoundTrip(m);
  ExpectRoundTrip(m);
  // Insertion order survives.
  std::vector<std::string> keys;
  for (const auto& kv : back.cast<Map<Any, Any>>()) {
    keys.push_back(kv.first.type_index() == kTVMFFIInt ? std::to_string(kv.first.cast<int64_t>())
                                                       : std::string(kv.first.cast<String>()));
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"b", "a", "3"}));
  Any shape = RoundTrip(Shape({2, 3, 4}));
  ASSERT_EQ(shape.type_index(), kTVMFFIShape);
  EXPECT_EQ(shape.cast<Shape>().size(), 3u);
  EXPECT_EQ(shape.cast<Shape>()[2], 4);
}

TEST(Serialization, ReflectedObjects) {
  Any p = Point(1, 2.5, "label", Array<Any>{String("nested"), Point(3, 4, "inner", nullptr)});
  Any back = RoundTrip(p);
  ASSERT_EQ(back.GetTypeKey(), "extras.test.GPoint");
  EXPECT_FALSE(back.same_as(p));
  const GPointObj* obj = back.as<GPointObj>();
  EXPECT_EQ(obj->x, 1);
  EXPECT_EQ(obj->y, 2.5);
  EXPECT_EQ(std::string(obj->label), "label");
  EXPECT_TRUE(StructuralEqual::Equal(p, back));
  // Subclass fields (ancestors first) through the UnsafeInit creator.
  Any p3 = ObjectRef(make_object<GPoint3Obj>(5, 6));
  Any back3 = RoundTrip(p3);
  ASSERT_EQ(back3.GetTypeKey(), "extras.test.GPoint3");
  EXPECT_EQ(back3.as<GPoint3Obj>()->x, 5);
  EXPECT_EQ(back3.as<GPoint3Obj>()->z, 6);
}

TEST(Serialization, PlainFieldsAreInline) {
  // Fields of static type bool/int/float/DataType/Device carry their value in the object's
  // data; other fields carry node indices (children come before their parent).
  EXPECT_EQ(std::string(json::Stringify(ToJSONGraph(Point(1, 2.5, "label", nullptr)))),
            R"({"root_index":2,"nodes":[{"type":"ffi.String","data":"label"},{"type":"None"},)"
            R"({"type":"extras.test.GPoint","data":{"x":1,"y":2.5,"label":0,"payload":1,)"
            R"("with_default":0}}]})");
  ObjectPtr<GPodObj> pod = make_object<GPodObj>();
  pod->flag = true;
  pod->ratio = std::nan("");
  pod->dtype = DLDataType{kDLInt, 8, 4};
  pod->device = DLDevice{kDLCUDA, 3};
  pod->items = Array<Any>{7};
  Any value = ObjectRef(pod);
  Map<Any, Any> graph = ToJSONGraph(value).cast<Map<Any, Any>>();
  Array<Any> nodes = graph["nodes"].cast<Array<Any>>();
  Map<Any, Any> root = nodes[graph["root_index"].cast<int64_t>()].cast<Map<Any, Any>>();
  EXPECT_EQ(std::string(json::Stringify(root["data"])),
            R"({"flag":true,"ratio":"NaN","dtype":"int8x4","device":[2,3],"maybe":null,)"
            R"("items":1})");
  Any back = FromJSONGraph(graph);
  const GPodObj* obj = back.as<GPodObj>();
  ASSERT_NE(obj, nullptr);
  EXPECT_TRUE(obj->flag);
  EXPECT_TRUE(std::isnan(obj->ratio));
  EXPECT_EQ(obj->dtype.code, kDLInt);
  EXPECT_EQ(obj->dtype.lanes, 4);
  EXPECT_EQ(obj->device.device_type, kDLCUDA);
  EXPECT_EQ(obj->device.device_id, 3);
  EXPECT_FALSE(obj->maybe.has_value());
  EXPECT_EQ(obj->items[0].cast<int64_t>(), 7);
  pod->maybe = 5;
  pod->ratio = 0.5;
  Any back2 = FromJSONGraph(ToJSONGraph(value));
  EXPECT_EQ(back2.as<GPodObj>()->maybe.value(), 5);
  EXPECT_EQ(back2.as<GPodObj>()->ratio, 0.5);
  // A value of the wrong kind in an inline field is a clear error.
  const char* bad = R"({"root_index": 1, "nodes": [
      {"type": "ffi.String", "data": "l"},
      {"type": "extras.test.GPoint", "data": {"x": "nine", "y": 1, "label": 0, "payload": 0}}]})";
  EXPECT_FFI_ERROR_CONTAINS("ValueError", "field `x` of type `int` cannot hold `ffi.SmallStr`",
                            FromJSONGraph(json::Parse(bad)));
}

TEST(Serialization, CustomDataHooks) {
  Any t = GTemp(36.6);
  Any back = RoundTrip(Array<Any>{t, t});
  Array<Any> arr = back.cast<Array<Any>>();
  ASSERT_EQ(arr[0].GetTypeKey(), "extras.test.GTemp");
  EXPECT_EQ(arr[0].as<GTempObj>()->celsius, 36.6);
  EXPECT_TRUE(arr[0].same_as(arr[1]));  // shared custom object decoded once
}

TEST(Serialization, SharingIsPreserved) {
  Any shared = Point(1, 1, "shared", nullptr);
  Any shared_arr = Array<Any>{1, 2, 3};
  Any value = Array<Any>{shared, shared, Map<Any, Any>{{String("k"), shared}}, shared_arr,
                         Point(2, 2, "holder", shared_arr)};
  Map<Any, Any> graph = ToJSONGraph(value).cast<Map<Any, Any>>();
  // shared point: 1 node + its 5 field nodes; each object once.
  int64_t num_points = 0;
  for (const Any& node : graph["nodes"].cast<Array<Any>>()) {
    if (std::string(node.cast<Map<Any, Any>>()["type"].cast<String>()) == "extras.test.GPoint") {
      ++num_points;
    }
  }
  EXPECT_EQ(num_points, 2);
  Array<Any> back = FromJSONGraph(graph).cast<Array<Any>>();
  EXPECT_TRUE(back[0].same_as(back[1]));
  EXPECT_TRUE(back[0].same_as(back[2].cast<Map<Any, Any>>()["k"]));
  EXPECT_TRUE(back[3].same_as(back[4].as<GPointObj>()->payload));
  EXPECT_FALSE(back[0].same_as(shared));
  // Through the string globals as well.
  Function to_str = Function::GetGlobalRequired("ffi.ToJSONGraphString");
  Function from_str = Function::GetGlobalRequired("ffi.FromJSONGraphString");
  Array<Any> back2 = from_str(to_str(value, nullptr)).cast<Array<Any>>();
  EXPECT_TRUE(back2[0].same_as(back2[1]));
  EXPECT_TRUE(StructuralEqual::Equal(value, back2));
}

TEST(Serialization, DefaultsFillMissingFields) {
  // Hand-written graph without `with_default` and `payload`... payload has no default.
  // Plain fields (x: int, y: float) are inline, the others are node indices.
  const char* text = R"({"root_index": 1, "nodes": [
      {"type": "ffi.String", "data": "hand"},
      {"type": "extras.test.GPoint",
       "data": {"x": 9, "y": 1, "label": 0, "payload": 2}},
      {"type": "None"}]})";
  Any p = FromJSONGraph(json::Parse(text));
  const GPointObj* obj = p.as<GPointObj>();
  ASSERT_NE(obj, nullptr);
  EXPECT_EQ(obj->x, 9);
  EXPECT_EQ(obj->y, 1.0);
  EXPECT_EQ(obj->with_default, 42);
  const char* missing = R"({"root_index": 0, "nodes": [
      {"type": "extras.test.GPoint", "data": {"x": 9}}]})";
  EXPECT_FFI_ERROR_CONTAINS("TypeError", "Required field `y` not set",
                            FromJSONGraph(json::Parse(missing)));
}

TEST(Serialization, NodeOrderIsFree) {
  // Parent first, children after; shared child referenced twice.
  const char* text = R"({"root_index": 0, "nodes": [
      {"type": "ffi.Array", "data": [2, 1, 2]},
      {"type": "ffi.Map", "data": [3, 4]},
      {"type": "ffi.Array", "data": [4]},
      {"type": "ffi.String", "data": "key"},
      {"type": "int", "data": 5}]})";
  Array<Any> arr = FromJSONGraph(json::Parse(text)).cast<Array<Any>>();
  ASSERT_EQ(arr.size(), 3);
  EXPECT_TRUE(arr[0].same_as(arr[2]));
  Map<Any, Any> inner = arr[1].cast<Map<Any, Any>>();
  EXPECT_EQ(inner["key"].cast<int64_t>(), 5);
  EXPECT_EQ(arr[0].cast<Array<Any>>()[0].cast<int64_t>(), 5);
}

TEST(Serialization, Metadata) {
  Map<Any, Any> meta{{String("version"), String("0.1.0")}};
  Map<Any, Any> with_meta = ToJSONGraph(1, meta).cast<Map<Any, Any>>();
  ASSERT_EQ(with_meta.count(String("metadata")), size_t(1));
  EXPECT_EQ(std::string(json::Stringify(with_meta["metadata"])), R"({"version":"0.1.0"})");
  Map<Any, Any> without = ToJSONGraph(1).cast<Map<Any, Any>>();
  EXPECT_EQ(without.count(String("metadata")), size_t(0));
  EXPECT_EQ(std::string(json::Stringify(without)),
            R"({"root_index":0,"nodes":[{"type":"int","data":1}]})");
  EXPECT_EQ(FromJSONGraph(with_meta).cast<int64_t>(), 1);
  Function to_graph = Function::GetGlobalRequired("ffi.ToJSONGraph");
  Function from_graph = Function::GetGlobalRequired("ffi.FromJSONGraph");
  Any g = to_graph(Array<Any>{1, 2}, meta);
  EXPECT_EQ(from_graph(g).cast<Array<Any>>().size(), 2);
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------
void ExpectBadGraph(const std::string& text, const std::string& fragment) {
  ExpectErrorContains([&]() { FromJSONGraph(json::Parse(String(text))); }, "ValueError", fragment);
}

TEST(Serialization, MalformedGraphs) {
  ExpectErrorContains([]() { FromJSONGraph(Array<Any>{1}); }, "ValueError",
                      "Invalid JSON Object Graph, expected an object");
  ExpectBadGraph("{\"nodes\": []}", "expected `root_index` integer field");
  ExpectBadGraph("{\"root_index\": \"0\", \"nodes\": []}", "expected `root_index` integer field");
  ExpectBadGraph("{\"root_index\": 0}", "expected `nodes` array field");
  ExpectBadGraph("{\"root_index\": 0, \"nodes\": {}}", "expected `nodes` array field");
  ExpectBadGraph("{\"root_index\": 1, \"nodes\": [{\"type\": \"None\"}]}",
                 "`root_index` 1 is out of range [0, 1)");
  ExpectBadGraph("{\"root_index\": -1, \"nodes\": []}", "`root_index` -1 is out of range");
  ExpectBadGraph("{\"root_index\": 0, \"nodes\": [3]}", "node 0: expected an object");
  ExpectBadGraph("{\"root_index\": 0, \"nodes\": [{}]}", "node 0: missing `type` field");
  ExpectBadGraph("{\"root_index\": 0, \"nodes\": [{\"type\": 1}]}", "`type` must be a string");
  ExpectBadGraph("{\"root_index\": 0, \"nodes\": [{\"type\": \"no.such.Type\", \"data\": {}}]}",
                 "node 0: unknown type key `no.such.Type`");
  ExpectBadGraph("{\"root_index\": 0, \"nodes\": [{\"type\": \"int\"}]}", "missing `data` field");
  ExpectBadGraph("{\"root_index\": 0, \"nodes\": [{\"type\": \"int\", \"data\": 1.5}]}",
                 "`data` of an int must be an integer");
  ExpectBadGraph("{\"root_index\": 0, \"nodes\": [{\"type\": \"bool\", \"data\": 1}]}",
                 "`data` of a bool must be true or false");
  ExpectBadGraph("{\"root_index\": 0, \"nodes\": [{\"type\": \"float\", \"data\": \"x\"}]}",
                 "`data` of a float must be a number");
  ExpectBadGraph("{\"root_index\": 0, \"nodes\": [{\"type\": \"ffi.Array\", \"data\": [5]}]}",
                 "node 0: node index 5 is out of range [0, 1)");
  ExpectBadGraph("{\"root_index\": 0, \"nodes\": [{\"type\": \"ffi.Array\", \"data\": [\"a\"]}]}",
                 "expected a node index, got `ffi.SmallStr`");
  ExpectBadGraph("{\"root_index\": 0, \"nodes\": [{\"type\": \"ffi.Array\", \"data\": 3}]}",
                 "`data` must be an array");
  ExpectBadGraph("{\"root_index\": 0, \"nodes\": [{\"type\": \"ffi.Map\", \"data\": [0]}]}",
                 "must hold key/value pairs");
  ExpectBadGraph("{\"root_index\": 0, \"nodes\": [{\"type\": \"ffi.Array\", \"data\": [0]}]}",
                 "node 0 refers back to node 0 (reference cycle)");
  ExpectBadGraph(
      "{\"root_index\": 0, \"nodes\": [{\"type\": \"ffi.Array\", \"data\": [1]},"
      "{\"type\": \"ffi.Map\", \"data\": [2, 0]}, {\"type\": \"int\", \"data\": 1}]}",
      "refers back to node 0 (reference cycle)");
  ExpectBadGraph("{\"root_index\": 0, \"nodes\": [{\"type\": \"Device\", \"data\": [1]}]}",
                 "`data` of a Device must be [device_type, device_id]");
  ExpectBadGraph(
      "{\"root_index\": 0, \"nodes\": [{\"type\": \"ffi.Shape\", \"data\": [1, \"a\"]}]}",
      "`data` of a Shape must be integers");
  ExpectBadGraph("{\"root_index\": 0, \"nodes\": [{\"type\": \"ffi.Bytes\", \"data\": \"@@@@\"}]}",
                 "Base64Decode");
  ExpectBadGraph(
      "{\"root_index\": 0, \"nodes\": [{\"type\": \"extras.test.GPoint\", \"data\": 1}]}",
      "`data` of a reflected object must be an object");
  // Syntax errors in the string form are ValueErrors from the parser.
  Function from_str = Function::GetGlobalRequired("ffi.FromJSONGraphString");
  ExpectErrorContains([&]() { from_str(String("{\"root_index\": ")); }, "ValueError",
                      "Expecting value");
}

TEST(Serialization, ObjectsThatCannotBeRebuilt) {
  Any no_creator = ObjectRef(make_object<GNoCreatorObj>(1));
  Any graph = ToJSONGraph(no_creator);  // writing works
  ExpectErrorContains([&]() { FromJSONGraph(graph); }, "RuntimeError",
                      "does not support reflection creation");
  ExpectErrorContains([]() { ToJSONGraph(ObjectRef(make_object<GOpaqueObj>())); }, "TypeError",
                      "cannot serialize an object of type `extras.test.GOpaque`");
  ExpectErrorContains([]() { ToJSONGraph(Array<Any>{Function::FromTyped([]() {})}); }, "TypeError",
                      "`ffi.Function`");
  int x = 0;
  ExpectErrorContains([&]() { ToJSONGraph(static_cast<void*>(&x)); }, "TypeError",
                      "cannot serialize a value of type `void*`");
}

TEST(Serialization, ReferenceCyclesAreErrors) {
  ObjectPtr<GLinkObj> a = make_object<GLinkObj>();
  ObjectPtr<GLinkObj> b = make_object<GLinkObj>();
  a->next = Array<Any>{ObjectRef(b)};
  b->next = ObjectRef(a);
  ExpectErrorContains([&]() { ToJSONGraph(ObjectRef(a)); }, "ValueError", "reference cycle");
  b->next = nullptr;  // break the cycle so both objects are freed
  Any back = RoundTrip(ObjectRef(a));
  ASSERT_EQ(back.GetTypeKey(), "extras.test.GLink");
  EXPECT_EQ(back.as<GLinkObj>()->next.cast<Array<Any>>()[0].GetTypeKey(), "extras.test.GLink");
}

TEST(Serialization, DepthLimits) {
  Any deep = 1;
  for (int i = 0; i < 10001; ++i) deep = Array<Any>{deep};
  ExpectErrorContains([&]() { ToJSONGraph(deep); }, "ValueError", "deeper than 10000 levels");
  // A hand-made chain of 20000 arrays is rejected instead of overflowing the stack.
  Array<Any> nodes;
  Map<Any, Any> leaf;
  leaf.Set(String("type"), String("None"));
  nodes.push_back(leaf);
  for (int64_t i = 1; i < 20000; ++i) {
    Map<Any, Any> node;
    node.Set(String("type"), String("ffi.Array"));
    node.Set(String("data"), Array<Any>{i - 1});
    nodes.push_back(node);
  }
  Map<Any, Any> graph;
  graph.Set(String("root_index"), static_cast<int64_t>(19999));
  graph.Set(String("nodes"), nodes);
  ExpectErrorContains([&]() { FromJSONGraph(graph); }, "ValueError", "deeper than 10000 levels");
  // A wide graph is fine.
  Array<Any> wide;
  for (int i = 0; i < 20000; ++i) wide.push_back(i);
  EXPECT_EQ(RoundTrip(wide).cast<Array<Any>>().size(), 20000);
}

}  // namespace
