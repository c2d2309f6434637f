/*!
 * \file serialization.cc
 * \brief ToJSONGraph / FromJSONGraph and the globals ffi.ToJSONGraph, ffi.ToJSONGraphString,
 *        ffi.FromJSONGraph, ffi.FromJSONGraphString.
 *
 * Document format:
 *
 *   {"root_index": <int>, "nodes": [<node>, ...], "metadata": <value>}
 *
 * "metadata" is present only when the metadata argument is not None (it is stored as given
 * and ignored by FromJSONGraph). Every node is an object {"type": <key>, "data": <payload>}:
 *
 *   type            payload
 *   "None"          (no "data")
 *   "bool"          true / false
 *   "int"           integer
 *   "float"         number, or one of the strings "NaN", "Infinity", "-Infinity"
 *   "ffi.String"    the string
 *   "ffi.Bytes"     base64 of the bytes
 *   "DataType"      the dtype string, e.g. "float32"
 *   "Device"        [device_type, device_id]
 *   "ffi.Array"     [element node index, ...]
 *   "ffi.Map"       [key node index, value node index, ...] (pairs, in iteration order)
 *   "ffi.List"      as "ffi.Array"; a List that contains itself is a ValueError
 *   "ffi.Dict"      as "ffi.Map"; a Dict that contains itself is a ValueError
 *   "ffi.Shape"     [dim, ...]
 *   any other key   - types with a `__data_to_json__` attribute: the node index of the value
 *                     returned by `__data_to_json__(obj)`; FromJSONGraph passes the rebuilt
 *                     value to `__data_from_json__(value)`;
 *                   - reflected types: {"<field>": <value>, ...} for every reflected field
 *                     (ancestors first); FromJSONGraph creates the object with the type's
 *                     creator and sets the fields (defaults fill absent ones). A field whose
 *                     static type is None, bool, int or float holds its value inline (a
 *                     non-finite float as "NaN"/"Infinity"/"-Infinity"), a DataType field its
 *                     dtype string, a Device field [device_type, device_id] (a None value of
 *                     an optional such field is null); every other field holds a node index.
 *
 * Node indices refer to positions in "nodes". ToJSONGraph emits children before parents (the
 * root is the last node) and emits every object once (keyed by identity), so sharing survives
 * a round trip; FromJSONGraph accepts the nodes in any order, decodes each node once, and
 * rejects reference cycles. Both directions walk the graph with explicit heap stacks; object
 * graphs nested deeper than kMaxGraphDepth are rejected on both sides (the bound keeps the
 * recursive destruction of a decoded graph within the call stack).
 */
#include <tvm/ffi/any.h>
#include <tvm/ffi/cast.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/dict.h>
#include <tvm/ffi/container/list.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/container/shape.h>
#include <tvm/ffi/dtype.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/extra/base64.h>
#include <tvm/ffi/extra/json.h>
#include <tvm/ffi/extra/serialization.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/reflection/accessor.h>
#include <tvm/ffi/reflection/creator.h>
#include <tvm/ffi/reflection/registry.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tvm {
namespace ffi {
namespace {

constexpr const char* kDataToJSONAttr = "__data_to_json__";
constexpr const char* kDataFromJSONAttr = "__data_from_json__";
constexpr int kMaxGraphDepth = 10000;

// Node type keys of the non-object values (objects use their own type keys).
constexpr const char* kNoneKey = "None";
constexpr const char* kBoolKey = "bool";
constexpr const char* kIntKey = "int";
constexpr const char* kFloatKey = "float";
constexpr const char* kDataTypeKey = "DataType";
constexpr const char* kDeviceKey = "Device";

String KeyOf(const TVMFFITypeInfo* info) {
  return String(info->type_key.data, info->type_key.size);
}

/*! \brief Whether a field of this static type index is written inline in its object's data. */
bool IsInlineFieldType(int32_t static_type_index) {
  switch (static_type_index) {
    case kTVMFFINone:
    case kTVMFFIBool:
    case kTVMFFIInt:
    case kTVMFFIFloat:
    case kTVMFFIDataType:
    case kTVMFFIDevice:
      return true;
    default:
      return false;
  }
}

/*! \brief The inline JSON form of a field value (see IsInlineFieldType). */
Any InlineFieldValue(const Any& value) {
  const TVMFFIAny* cell = details::AnyUnsafe::TVMFFIAnyPtrFromAny(value);
  switch (cell->type_index) {
    case kTVMFFINone:
      return Any(nullptr);
    case kTVMFFIBool:
      return Any(cell->v_int64 != 0);
    case kTVMFFIInt:
      return Any(cell->v_int64);
    case kTVMFFIFloat: {
      const double v = cell->v_float64;
      if (std::isnan(v)) return Any(String("NaN"));
      if (std::isinf(v)) return Any(String(v > 0 ? "Infinity" : "-Infinity"));
      return Any(v);
    }
    case kTVMFFIDataType:
      return Any(DLDataTypeToString(cell->v_dtype));
    case kTVMFFIDevice:
      return Any(json::Array{static_cast<int64_t>(cell->v_device.device_type),
                             static_cast<int64_t>(cell->v_device.device_id)});
    default:
      TVM_FFI_THROW(TypeError) << "ToJSONGraph: a field of a plain type holds a value of type `"
                               << value.GetTypeKey() << "`";
  }
  TVM_FFI_UNREACHABLE();
}

// -------------------------------------------------------------------------------------------
// Writer
// -------------------------------------------------------------------------------------------
class GraphWriter {
 public:
  GraphWriter()
      : to_json_(kDataToJSONAttr),
        type_field_(String("type")),
        data_field_(String("data")),
        str_key_(StaticTypeKey::kTVMFFIStr),
        bytes_key_(StaticTypeKey::kTVMFFIBytes),
        shape_key_(StaticTypeKey::kTVMFFIShape),
        array_key_(StaticTypeKey::kTVMFFIArray),
        map_key_(StaticTypeKey::kTVMFFIMap),
        list_key_(StaticTypeKey::kTVMFFIList),
        dict_key_(StaticTypeKey::kTVMFFIDict) {}

  /*!
   * \brief Emit value and everything it references; return its node index.
   *
   * Iterative post-order walk (children first) with an explicit stack, so deep graphs cost
   * heap, not call stack. Objects are emitted once (memo by identity).
   */
  int64_t Encode(const Any& root) {
    std::optional<int64_t> done = TryEmitLeaf(root);
    if (done.has_value()) return *done;
    Push(root);
    int64_t result = -1;
    while (!stack_.empty()) {
      Frame& top = stack_.back();
      if (top.next < top.children.size()) {
        const Any& child = top.children[top.next];
        std::optional<int64_t> index = TryEmitLeaf(child);
        if (index.has_value()) {
          top.child_indices.push_back(*index);
          ++top.next;
        } else {
          Push(child);  // invalidates `top`
        }
        continue;
      }
      int64_t index = EmitFrame(top);
      *top.memo_slot = index;
      stack_.pop_back();
      if (stack_.empty()) {
        result = index;
      } else {
        stack_.back().child_indices.push_back(index);
        ++stack_.back().next;
      }
    }
    return result;
  }

  /*! \brief Move the nodes out as a JSON array. */
  json::Array ReleaseNodes() {
    return json::Array(std::make_move_iterator(nodes_.begin()),
                       std::make_move_iterator(nodes_.end()));
  }

 private:
  enum class FrameKind { kArray, kMap, kList, kDict, kHook, kReflected };

  /*! \brief An object whose children are being emitted. */
  struct Frame {
    const Object* obj;
    Any value;
    FrameKind kind;
    const TVMFFITypeInfo* info = nullptr;
    std::vector<Any> children;
    std::vector<String> field_names;  // kReflected only: every field, in order
    // kReflected only, parallel to field_names: the inline value, or none when the field's
    // value is a child (children keep the order of the remaining fields)
    std::vector<std::optional<Any>> inline_values;
    std::vector<int64_t> child_indices;
    size_t next = 0;
    int64_t* memo_slot = nullptr;  // this object's memo_ entry (-1 while in progress)
  };

  int64_t Emit(const String& type_key, std::optional<Any> data) {
    if (data.has_value()) {
      nodes_.emplace_back(json::Object{{type_field_, type_key}, {data_field_, *std::move(data)}});
    } else {
      nodes_.emplace_back(json::Object{{type_field_, type_key}});
    }
    return static_cast<int64_t>(nodes_.size()) - 1;
  }

  /*! \brief The type key of an object type as a String (cached: most keys need a heap copy). */
  const String& KeyFor(const TVMFFITypeInfo* info) {
    auto it = key_cache_.find(info->type_index);
    if (it == key_cache_.end()) it = key_cache_.emplace(info->type_index, KeyOf(info)).first;
    return it->second;
  }

  /*! \return the node index of a value that needs no frame (POD, string, shape, seen object). */
  std::optional<int64_t> TryEmitLeaf(const Any& value) {
    const TVMFFIAny* cell = details::AnyUnsafe::TVMFFIAnyPtrFromAny(value);
    switch (cell->type_index) {
      case kTVMFFINone:
        return Emit(kNoneKey, std::nullopt);
      case kTVMFFIBool:
        return Emit(kBoolKey, Any(cell->v_int64 != 0));
      case kTVMFFIInt:
        return Emit(kIntKey, Any(cell->v_int64));
      case kTVMFFIFloat: {
        double v = cell->v_float64;
        if (std::isnan(v)) return Emit(kFloatKey, Any(String("NaN")));
        if (std::isinf(v)) return Emit(kFloatKey, Any(String(v > 0 ? "Infinity" : "-Infinity")));
        return Emit(kFloatKey, Any(v));
      }
      case kTVMFFIDataType:
        return Emit(kDataTypeKey, Any(DLDataTypeToString(cell->v_dtype)));
      case kTVMFFIDevice:
        return Emit(kDeviceKey, Any(Array<Any>{static_cast<int64_t>(cell->v_device.device_type),
                                               static_cast<int64_t>(cell->v_device.device_id)}));
      case kTVMFFISmallStr:
        return Emit(str_key_, Any(value.cast<String>()));
      case kTVMFFISmallBytes:
        return Emit(bytes_key_, Any(Base64Encode(value.cast<Bytes>())));
      default:
        break;
    }
    if (cell->type_index < kTVMFFIStaticObjectBegin) {
      TVM_FFI_THROW(TypeError) << "ToJSONGraph: cannot serialize a value of type `"
                               << value.GetTypeKey() << "`";
    }
    const Object* obj = reinterpret_cast<const Object*>(cell->v_obj);
    auto it = memo_.find(obj);
    if (it != memo_.end()) {
      if (it->second < 0) {
        if (cell->type_index == kTVMFFIList || cell->type_index == kTVMFFIDict) {
          TVM_FFI_THROW(ValueError)
              << "Cycle detected during serialization: a "
              << (cell->type_index == kTVMFFIList ? "List" : "Dict") << " contains itself";
        }
        TVM_FFI_THROW(ValueError) << "ToJSONGraph: the value graph contains a reference cycle "
                                     "through an object of type `"
                                  << value.GetTypeKey() << "`";
      }
      return it->second;
    }
    std::optional<int64_t> index;
    switch (cell->type_index) {
      case kTVMFFIStr:
        index = Emit(str_key_, value);
        break;
      case kTVMFFIBytes:
        index = Emit(bytes_key_, Any(Base64Encode(value.cast<Bytes>())));
        break;
      case kTVMFFIShape: {
        const TVMFFIShapeCell* shape = TVMFFIShapeGetCellPtr(details::ObjectUnsafe::GetHeader(obj));
        json::Array dims;
        for (size_t i = 0; i < shape->size; ++i) dims.push_back(shape->data[i]);
        index = Emit(shape_key_, Any(dims));
        break;
      }
      default:
        return std::nullopt;
    }
    memo_.emplace(obj, *index);
    return index;
  }

  /*! \brief Open a frame for an object that has children. */
  void Push(const Any& value) {
    if (stack_.size() >= static_cast<size_t>(kMaxGraphDepth)) {
      TVM_FFI_THROW(ValueError) << "ToJSONGraph: the value graph is nested deeper than "
                                << kMaxGraphDepth << " levels";
    }
    Frame frame;
    frame.obj = value.as<Object>();
    frame.value = value;
    // Element addresses of an unordered_map survive rehashing, so the slot stays valid.
    frame.memo_slot = &(memo_.emplace(frame.obj, -1).first->second);
    const int32_t tindex = frame.obj->type_index();
    if (tindex == kTVMFFIArray || tindex == kTVMFFIList) {
      frame.kind = tindex == kTVMFFIArray ? FrameKind::kArray : FrameKind::kList;
      for (const Any& item : *static_cast<const SeqBaseObj*>(frame.obj))
        frame.children.push_back(item);
    } else if (tindex == kTVMFFIMap || tindex == kTVMFFIDict) {
      frame.kind = tindex == kTVMFFIMap ? FrameKind::kMap : FrameKind::kDict;
      for (const auto& kv : *static_cast<const MapBaseObj*>(frame.obj)) {
        frame.children.push_back(kv.first);
        frame.children.push_back(kv.second);
      }
    } else {
      frame.info = TVMFFIGetTypeInfo(tindex);
      AnyView hook = to_json_[tindex];
      if (hook != nullptr) {
        frame.kind = FrameKind::kHook;
        frame.children.push_back(hook.cast<Function>()(value));
      } else if (frame.info->metadata != nullptr) {
        frame.kind = FrameKind::kReflected;
        reflection::ForEachFieldInfo(frame.info, [&](const TVMFFIFieldInfo* field) {
          Any field_value = reflection::FieldGetter(field)(frame.obj);
          frame.field_names.push_back(String(field->name.data, field->name.size));
          if (IsInlineFieldType(field->field_static_type_index)) {
            frame.inline_values.emplace_back(InlineFieldValue(field_value));
          } else {
            frame.inline_values.emplace_back(std::nullopt);
            frame.children.push_back(std::move(field_value));
          }
        });
      } else {
        TVM_FFI_THROW(TypeError) << "ToJSONGraph: cannot serialize an object of type `"
                                 << KeyOf(frame.info)
                                 << "`: it has no reflection metadata and no `__data_to_json__`";
      }
    }
    stack_.push_back(std::move(frame));
  }

  int64_t EmitFrame(const Frame& frame) {
    switch (frame.kind) {
      case FrameKind::kArray:
        return Emit(array_key_,
                    Any(json::Array(frame.child_indices.begin(), frame.child_indices.end())));
      case FrameKind::kMap:
        return Emit(map_key_,
                    Any(json::Array(frame.child_indices.begin(), frame.child_indices.end())));
      case FrameKind::kList:
        return Emit(list_key_,
                    Any(json::Array(frame.child_indices.begin(), frame.child_indices.end())));
      case FrameKind::kDict:
        return Emit(dict_key_,
                    Any(json::Array(frame.child_indices.begin(), frame.child_indices.end())));
      case FrameKind::kHook:
        return Emit(KeyFor(frame.info), Any(frame.child_indices[0]));
      case FrameKind::kReflected: {
        json::Object fields;
        size_t child = 0;
        for (size_t i = 0; i < frame.field_names.size(); ++i) {
          if (frame.inline_values[i].has_value()) {
            fields.Set(frame.field_names[i], *frame.inline_values[i]);
          } else {
            fields.Set(frame.field_names[i], frame.child_indices[child++]);
          }
        }
        return Emit(KeyFor(frame.info), Any(fields));
      }
    }
    TVM_FFI_UNREACHABLE();
  }

  reflection::TypeAttrColumn to_json_;
  Any type_field_;
  Any data_field_;
  String str_key_, bytes_key_, shape_key_, array_key_, map_key_, list_key_, dict_key_;
  std::unordered_map<int32_t, String> key_cache_;
  std::vector<Any> nodes_;
  std::vector<Frame> stack_;
  std::unordered_map<const Object*, int64_t> memo_;
};

// -------------------------------------------------------------------------------------------
// Reader
// -------------------------------------------------------------------------------------------
class GraphReader {
 public:
  explicit GraphReader(const json::Array& nodes)
      : nodes_(nodes),
        from_json_(kDataFromJSONAttr),
        type_field_(String("type")),
        data_field_(String("data")),
        decoded_(static_cast<size_t>(nodes.size())),
        desc_(static_cast<size_t>(nodes.size())),
        state_(static_cast<size_t>(nodes.size()), kUnvisited) {}

  /*! \return the decoded value of node `root` (iterative DFS; children first). */
  Any Decode(int64_t root) {
    if (root < 0 || root >= nodes_.size()) {
      TVM_FFI_THROW(ValueError) << "Invalid JSON Object Graph, `root_index` " << root
                                << " is out of range [0, " << nodes_.size() << ")";
    }
    std::vector<int64_t> stack{root};
    std::vector<int64_t> children;
    while (!stack.empty()) {
      const int64_t index = stack.back();
      const size_t i = static_cast<size_t>(index);
      if (state_[i] == kDone) {
        stack.pop_back();
        continue;
      }
      if (state_[i] == kExpanded) {
        decoded_[i] = Build(index);
        state_[i] = kDone;
        stack.pop_back();
        --open_depth_;
        continue;
      }
      state_[i] = kExpanded;
      if (++open_depth_ > kMaxGraphDepth) {
        TVM_FFI_THROW(ValueError) << "Invalid JSON Object Graph, the graph is nested deeper than "
                                  << kMaxGraphDepth << " levels";
      }
      Describe(index);
      children.clear();
      CollectChildren(index, &children);
      for (int64_t child : children) {
        const size_t c = static_cast<size_t>(child);
        if (state_[c] == kExpanded) {
          TVM_FFI_THROW(ValueError) << "Invalid JSON Object Graph, node " << index
                                    << " refers back to node " << child << " (reference cycle)";
        }
        if (state_[c] == kUnvisited) stack.push_back(child);
      }
    }
    return decoded_[static_cast<size_t>(root)];
  }

 private:
  enum State : uint8_t { kUnvisited = 0, kExpanded = 1, kDone = 2 };
  enum class NodeKind : uint8_t {
    kNone,
    kBool,
    kInt,
    kFloat,
    kStr,
    kBytes,
    kDataType,
    kDevice,
    kShape,
    kArray,
    kMap,
    kList,
    kDict,
    kHook,
    kReflected
  };
  /*! \brief What a node is, worked out once when the node is first expanded. */
  struct NodeDesc {
    NodeKind kind = NodeKind::kNone;
    int32_t type_index = -1;
    bool has_data = false;
    AnyView data;  // borrowed from nodes_
  };

  [[noreturn]] void Fail(int64_t index, const std::string& what) const {
    TVM_FFI_THROW(ValueError) << "Invalid JSON Object Graph, node " << index << ": " << what;
    TVM_FFI_UNREACHABLE();
  }

  void Describe(int64_t index) {
    const Any node = nodes_[index];
    const MapObj* map = node.as<MapObj>();
    if (map == nullptr) Fail(index, "expected an object");
    NodeDesc& desc = desc_[static_cast<size_t>(index)];
    auto type_it = map->find(type_field_);
    if (type_it == map->end()) Fail(index, "missing `type` field");
    const TVMFFIAny* type_cell = details::AnyUnsafe::TVMFFIAnyPtrFromAny(type_it->second);
    if (type_cell->type_index != kTVMFFISmallStr && type_cell->type_index != kTVMFFIStr) {
      Fail(index, "`type` must be a string");
    }
    TVMFFIByteArray key_bytes = details::AnyBytesContent(*type_cell);
    std::string_view key(key_bytes.data, key_bytes.size);
    auto data_it = map->find(data_field_);
    if (data_it != map->end()) {
      desc.has_data = true;
      desc.data = AnyView(data_it->second);
    }
    if (key == kNoneKey) {
      desc.kind = NodeKind::kNone;
    } else if (key == kBoolKey) {
      desc.kind = NodeKind::kBool;
    } else if (key == kIntKey) {
      desc.kind = NodeKind::kInt;
    } else if (key == kFloatKey) {
      desc.kind = NodeKind::kFloat;
    } else if (key == StaticTypeKey::kTVMFFIStr) {
      desc.kind = NodeKind::kStr;
    } else if (key == StaticTypeKey::kTVMFFIBytes) {
      desc.kind = NodeKind::kBytes;
    } else if (key == kDataTypeKey) {
      desc.kind = NodeKind::kDataType;
    } else if (key == kDeviceKey) {
      desc.kind = NodeKind::kDevice;
    } else if (key == StaticTypeKey::kTVMFFIShape) {
      desc.kind = NodeKind::kShape;
    } else if (key == StaticTypeKey::kTVMFFIArray) {
      desc.kind = NodeKind::kArray;
    } else if (key == StaticTypeKey::kTVMFFIMap) {
      desc.kind = NodeKind::kMap;
    } else if (key == StaticTypeKey::kTVMFFIList) {
      desc.kind = NodeKind::kList;
    } else if (key == StaticTypeKey::kTVMFFIDict) {
      desc.kind = NodeKind::kDict;
    } else {
      desc.type_index = ObjectTypeIndex(index, key);
      desc.kind = from_json_[desc.type_index] != nullptr ? NodeKind::kHook : NodeKind::kReflected;
    }
  }

  const NodeDesc& DescOf(int64_t index) const { return desc_[static_cast<size_t>(index)]; }

  AnyView RequireData(int64_t index) const {
    const NodeDesc& desc = DescOf(index);
    if (!desc.has_data) Fail(index, "missing `data` field");
    return desc.data;
  }

  int64_t AsIndex(int64_t node, const AnyView& value) const {
    if (value.type_index() != kTVMFFIInt) {
      Fail(node, "expected a node index, got `" + value.GetTypeKey() + "`");
    }
    int64_t child = value.cast<int64_t>();
    if (child < 0 || child >= nodes_.size()) {
      Fail(node, "node index " + std::to_string(child) + " is out of range [0, " +
                     std::to_string(nodes_.size()) + ")");
    }
    return child;
  }

  const ArrayObj* DataArray(int64_t index) const {
    const ArrayObj* arr = RequireData(index).as<ArrayObj>();
    if (arr == nullptr) Fail(index, "`data` must be an array");
    return arr;  // kept alive by nodes_
  }

  /*! \brief Append the node indices a node refers to (validated). */
  void CollectChildren(int64_t index, std::vector<int64_t>* children) const {
    switch (DescOf(index).kind) {
      case NodeKind::kArray:
      case NodeKind::kList:
      case NodeKind::kMap:
      case NodeKind::kDict: {
        const ArrayObj* arr = DataArray(index);
        NodeKind kind = DescOf(index).kind;
        if ((kind == NodeKind::kMap || kind == NodeKind::kDict) && arr->size() % 2 != 0) {
          Fail(index, "`data` of a map must hold key/value pairs");
        }
        for (const Any& item : *arr) children->push_back(AsIndex(index, item));
        return;
      }
      case NodeKind::kHook:
        children->push_back(AsIndex(index, RequireData(index)));
        return;
      case NodeKind::kReflected: {
        const MapObj* fields = RequireData(index).as<MapObj>();
        if (fields == nullptr) Fail(index, "`data` of a reflected object must be an object");
        for (const auto& kv : *fields) {
          if (InlineFieldType(index, kv.first) < 0) {
            children->push_back(AsIndex(index, kv.second));
          }
        }
        return;
      }
      default:
        return;
    }
  }

  int32_t ObjectTypeIndex(int64_t index, std::string_view key) {
    auto it = type_index_cache_.find(std::string(key));
    if (it != type_index_cache_.end()) return it->second;
    int32_t tindex = -1;
    TVMFFIByteArray key_arr{key.data(), key.size()};
    if (TVMFFITypeKeyToIndex(&key_arr, &tindex) != 0 || tindex < kTVMFFIStaticObjectBegin) {
      // TVMFFITypeKeyToIndex reports unknown keys with a raised error: drop it.
      TVMFFIObjectHandle ignored = nullptr;
      TVMFFIErrorMoveFromRaised(&ignored);
      if (ignored != nullptr) details::ObjectUnsafe::DecRefObjectHandle(ignored);
      Fail(index, "unknown type key `" + std::string(key) + "`");
    }
    type_index_cache_.emplace(std::string(key), tindex);
    return tindex;
  }

  template <typename T>
  T DataAs(int64_t index, const char* what) const {
    std::optional<T> v = RequireData(index).as<T>();
    if (!v.has_value()) Fail(index, what);
    return *std::move(v);
  }

  const Any& Decoded(int64_t node, const AnyView& child) const {
    return decoded_[static_cast<size_t>(AsIndex(node, child))];
  }

  Any Build(int64_t index) {
    const NodeDesc& desc = DescOf(index);
    switch (desc.kind) {
      case NodeKind::kNone:
        return Any(nullptr);
      case NodeKind::kBool:
        return Any(DataAs<bool>(index, "`data` of a bool must be true or false"));
      case NodeKind::kInt:
        return Any(DataAs<int64_t>(index, "`data` of an int must be an integer"));
      case NodeKind::kFloat:
        return Any(DecodeFloat(index));
      case NodeKind::kStr:
        return Any(DataAs<String>(index, "`data` of a string must be a string"));
      case NodeKind::kBytes:
        return Any(Base64Decode(DataAs<String>(index, "`data` of bytes must be a base64 string")));
      case NodeKind::kDataType:
        return Any(
            StringToDLDataType(DataAs<String>(index, "`data` of a DataType must be a string")));
      case NodeKind::kDevice: {
        const ArrayObj* arr = DataArray(index);
        std::optional<int64_t> type, id;
        if (arr->size() == 2) {
          type = (*arr)[0].as<int64_t>();
          id = (*arr)[1].as<int64_t>();
        }
        if (!type.has_value() || !id.has_value()) {
          Fail(index, "`data` of a Device must be [device_type, device_id]");
        }
        return Any(DLDevice{static_cast<DLDeviceType>(*type), static_cast<int32_t>(*id)});
      }
      case NodeKind::kShape: {
        const ArrayObj* arr = DataArray(index);
        std::vector<int64_t> dims;
        dims.reserve(arr->size());
        for (const Any& d : *arr) {
          if (d.type_index() != kTVMFFIInt) Fail(index, "`data` of a Shape must be integers");
          dims.push_back(d.cast<int64_t>());
        }
        return Any(Shape(dims));
      }
      case NodeKind::kArray: {
        const ArrayObj* arr = DataArray(index);
        std::vector<Any> items;
        items.reserve(arr->size());
        for (const Any& item : *arr) items.push_back(Decoded(index, item));
        return Any(Array<Any>(std::make_move_iterator(items.begin()),
                              std::make_move_iterator(items.end())));
      }
      case NodeKind::kList: {
        const ArrayObj* arr = DataArray(index);
        List<Any> list;
        list.reserve(static_cast<int64_t>(arr->size()));
        for (const Any& item : *arr) list.push_back(Decoded(index, item));
        return Any(std::move(list));
      }
      case NodeKind::kDict: {
        const ArrayObj* arr = DataArray(index);
        Dict<Any, Any> dict;
        for (size_t i = 0; i + 1 < arr->size(); i += 2) {
          dict.Set(Decoded(index, (*arr)[i]), Decoded(index, (*arr)[i + 1]));
        }
        return Any(std::move(dict));
      }
      case NodeKind::kMap: {
        const ArrayObj* arr = DataArray(index);
        Map<Any, Any> map;
        for (size_t i = 0; i + 1 < arr->size(); i += 2) {
          map.Set(Decoded(index, (*arr)[i]), Decoded(index, (*arr)[i + 1]));
        }
        return Any(std::move(map));
      }
      case NodeKind::kHook:
        return from_json_[desc.type_index].cast<Function>()(Decoded(index, desc.data));
      case NodeKind::kReflected: {
        Map<String, Any> fields;
        for (const auto& kv : *desc.data.as<MapObj>()) {
          std::optional<String> name = kv.first.as<String>();
          if (!name.has_value()) Fail(index, "field names must be strings");
          const int32_t inline_type = InlineFieldType(index, kv.first);
          if (inline_type >= 0) {
            fields.Set(*name, DecodeInlineField(index, *name, inline_type, kv.second));
          } else {
            fields.Set(*name, Decoded(index, kv.second));
          }
        }
        return reflection::ObjectCreator(TVMFFIGetTypeInfo(desc.type_index))(fields);
      }
    }
    TVM_FFI_UNREACHABLE();
  }

  /*!
   * \brief The static type index of the named field of reflected node `index` when that field
   * is written inline, else -1 (also for unknown names, which the creator then reports).
   */
  int32_t InlineFieldType(int64_t index, const Any& name) const {
    std::optional<String> field_name = name.as<String>();
    if (!field_name.has_value()) Fail(index, "field names must be strings");
    const int32_t type_index = DescOf(index).type_index;
    auto it = inline_fields_.find(type_index);
    if (it == inline_fields_.end()) {
      std::unordered_map<std::string, int32_t> table;
      reflection::ForEachFieldInfo(TVMFFIGetTypeInfo(type_index), [&](const TVMFFIFieldInfo* f) {
        if (IsInlineFieldType(f->field_static_type_index)) {
          table.emplace(std::string(f->name.data, f->name.size), f->field_static_type_index);
        }
      });
      it = inline_fields_.emplace(type_index, std::move(table)).first;
    }
    auto field_it = it->second.find(std::string(*field_name));
    return field_it == it->second.end() ? -1 : field_it->second;
  }

  /*! \brief The value of an inline field (see IsInlineFieldType); None stays None. */
  Any DecodeInlineField(int64_t index, const String& name, int32_t static_type_index,
                        const Any& data) const {
    if (data == nullptr) return Any(nullptr);
    switch (static_type_index) {
      case kTVMFFIBool:
      case kTVMFFIInt:
        if (data.type_index() == kTVMFFIBool || data.type_index() == kTVMFFIInt) return data;
        break;
      case kTVMFFIFloat:
        if (data.type_index() == kTVMFFIFloat) return data;
        if (data.type_index() == kTVMFFIInt) return Any(data.cast<double>());
        if (auto s = data.as<String>()) {
          if (*s == "NaN") return Any(std::nan(""));
          if (*s == "Infinity") return Any(HUGE_VAL);
          if (*s == "-Infinity") return Any(-HUGE_VAL);
        }
        break;
      case kTVMFFIDataType:
        if (auto s = data.as<String>()) return Any(StringToDLDataType(*s));
        break;
      case kTVMFFIDevice:
        if (const ArrayObj* arr = data.as<ArrayObj>()) {
          if (arr->size() == 2 && (*arr)[0].type_index() == kTVMFFIInt &&
              (*arr)[1].type_index() == kTVMFFIInt) {
            return Any(DLDevice{static_cast<DLDeviceType>((*arr)[0].cast<int64_t>()),
                                static_cast<int32_t>((*arr)[1].cast<int64_t>())});
          }
        }
        break;
      default:
        break;
    }
    Fail(index, "field `" + std::string(name) + "` of type `" +
                    TypeIndexToTypeKey(static_type_index) + "` cannot hold `" + data.GetTypeKey() +
                    "`");
  }

  double DecodeFloat(int64_t index) const {
    AnyView data = RequireData(index);
    if (data.type_index() == kTVMFFIFloat || data.type_index() == kTVMFFIInt) {
      return data.cast<double>();
    }
    if (auto s = data.as<String>()) {
      if (*s == "NaN") return std::nan("");
      if (*s == "Infinity") return HUGE_VAL;
      if (*s == "-Infinity") return -HUGE_VAL;
    }
    Fail(index, "`data` of a float must be a number, \"NaN\", \"Infinity\" or \"-Infinity\"");
  }

  const json::Array& nodes_;
  reflection::TypeAttrColumn from_json_;
  Any type_field_;
  Any data_field_;
  std::vector<Any> decoded_;
  std::vector<NodeDesc> desc_;
  std::vector<uint8_t> state_;
  std::unordered_map<std::string, int32_t> type_index_cache_;
  mutable std::unordered_map<int32_t, std::unordered_map<std::string, int32_t>> inline_fields_;
  int open_depth_ = 0;
};

}  // namespace

json::Value ToJSONGraph(const Any& value, const Any& metadata) {
  GraphWriter writer;
  int64_t root = writer.Encode(value);
  json::Object result;
  result.Set(String("root_index"), root);
  result.Set(String("nodes"), writer.ReleaseNodes());
  if (metadata != nullptr) result.Set(String("metadata"), metadata);
  return result;
}

Any FromJSONGraph(const json::Value& value) {
  std::optional<json::Object> graph = value.as<json::Object>();
  if (!graph.has_value()) {
    TVM_FFI_THROW(ValueError) << "Invalid JSON Object Graph, expected an object";
  }
  std::optional<Any> root = graph->Get(String("root_index"));
  if (!root.has_value() || root->type_index() != kTVMFFIInt) {
    TVM_FFI_THROW(ValueError) << "Invalid JSON Object Graph, expected `root_index` integer field";
  }
  std::optional<Any> nodes = graph->Get(String("nodes"));
  std::optional<json::Array> node_array;
  if (nodes.has_value()) node_array = nodes->as<json::Array>();
  if (!node_array.has_value()) {
    TVM_FFI_THROW(ValueError) << "Invalid JSON Object Graph, expected `nodes` array field";
  }
  GraphReader reader(*node_array);
  return reader.Decode(root->cast<int64_t>());
}

TVM_FFI_STATIC_INIT_BLOCK() {
  reflection::EnsureTypeAttrColumn(kDataToJSONAttr);
  reflection::EnsureTypeAttrColumn(kDataFromJSONAttr);
  reflection::GlobalDef()
      .def(
          "ffi.ToJSONGraph",
          [](const Any& value, const Any& metadata) -> Any { return ToJSONGraph(value, metadata); })
      .def("ffi.ToJSONGraphString",
           [](const Any& value, const Any& metadata) -> String {
             return json::Stringify(ToJSONGraph(value, metadata));
           })
      .def("ffi.FromJSONGraph", [](const Any& value) -> Any { return FromJSONGraph(value); })
      .def("ffi.FromJSONGraphString",
           [](const String& json_str) -> Any { return FromJSONGraph(json::Parse(json_str)); });
}

}  // namespace ffi
}  // namespace tvm
