/*!
 * \file deep_copy.cc
 * \brief DeepCopy (tvm/ffi/extra/dataclass.h) and the global `ffi.DeepCopy`.
 *
 * The copy walks the graph with an explicit stack. When a node is first reached its copy is
 * created empty (a container of the right size, or the `__ffi_shallow_copy__` of an object) and
 * remembered, so a node reached again (shared, or inside itself) maps to the same copy; the
 * copy is filled once all its children are copied. Containers are filled in place: the copy is
 * owned by this walk until it returns, so even the immutable Array and Map keep their identity
 * and cycles through them are preserved.
 */
#include <tvm/ffi/any.h>
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/list.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/extra/dataclass.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/reflection/accessor.h>
#include <tvm/ffi/reflection/registry.h>

#include <unordered_map>
#include <utility>
#include <vector>

#include "dataclass_internal.h"

namespace tvm {
namespace ffi {
namespace {

using dataclass::ObjectKind;

constexpr const char* kShallowCopyAttr = "__ffi_shallow_copy__";
constexpr const char* kEnumAttr = "__ffi_enum__";

/*! \return whether two cells hold the same value bits (same POD value or same object). */
inline bool SameCell(const Any& a, const Any& b) {
  const TVMFFIAny* ca = details::AnyUnsafe::TVMFFIAnyPtrFromAny(a);
  const TVMFFIAny* cb = details::AnyUnsafe::TVMFFIAnyPtrFromAny(b);
  return ca->type_index == cb->type_index && ca->v_uint64 == cb->v_uint64;
}

class DeepCopier {
 public:
  Any Copy(const Any& root) {
    Any result;
    if (Start(root, &result)) return result;
    while (true) {
      Frame& top = frames_.back();
      if (top.results.size() < top.children.size()) {
        Any child = top.children[top.results.size()];
        Any copied;
        if (Start(child, &copied)) frames_.back().results.push_back(std::move(copied));
        continue;
      }
      Fill(top);
      Any done = std::move(top.copy);
      frames_.pop_back();
      if (frames_.empty()) return done;
      frames_.back().results.push_back(std::move(done));
    }
  }

 private:
  struct Frame {
    ObjectKind kind;
    /*! \brief The (not yet filled) copy. */
    Any copy;
    /*! \brief Elements; map keys and values alternating; or the values of `fields`. */
    std::vector<Any> children;
    /*! \brief For objects: the fields `children` were read from. */
    std::vector<const TVMFFIFieldInfo*> fields;
    /*! \brief The copies of `children`, in order. */
    std::vector<Any> results;
  };

  /*!
   * \return true with *out set when the copy is known now (value kept, or already copied);
   *         false when an empty copy was created and a frame pushed to fill it.
   */
  bool Start(const Any& value, Any* out) {
    const int32_t index = value.type_index();
    if (index < kTVMFFIStaticObjectBegin || index == kTVMFFIStr || index == kTVMFFIBytes ||
        index == kTVMFFIShape || index == kTVMFFIBigInt || enum_state_[index] != nullptr) {
      *out = value;
      return true;
    }
    const Object* obj = value.cast<ObjectRef>().get();
    auto it = memo_.find(obj);
    if (it != memo_.end()) {
      *out = it->second;
      return true;
    }
    Frame frame;
    frame.kind = dataclass::ObjectKindOf(index);
    if (frame.kind == ObjectKind::kSequence) {
      const auto* seq = static_cast<const SeqBaseObj*>(obj);
      const int64_t n = static_cast<int64_t>(seq->size());
      frame.copy = index == kTVMFFIArray ? Any(ObjectRef(ArrayObj::Empty(n)))
                                         : Any(ObjectRef(ListObj::Empty(n)));
      frame.children.assign(seq->begin(), seq->end());
    } else if (frame.kind == ObjectKind::kMap) {
      const auto* map = static_cast<const MapBaseObj*>(obj);
      frame.copy = Any(ObjectRef(MapBaseObj::Empty(index)));
      frame.children.reserve(2 * map->size());
      for (const auto& kv : *map) {
        frame.children.push_back(kv.first);
        frame.children.push_back(kv.second);
      }
    } else {
      AnyView shallow_copy = shallow_copy_[index];
      if (shallow_copy == nullptr) {
        TVM_FFI_THROW(RuntimeError)
            << "Cannot deep copy object of type \"" << dataclass::TypeKeyOf(index)
            << "\" because it is not copy-constructible";
      }
      frame.copy = shallow_copy.cast<Function>()(value);
      if (frame.copy.type_index() != index) {
        TVM_FFI_THROW(TypeError) << "__ffi_shallow_copy__ of type \"" << dataclass::TypeKeyOf(index)
                                 << "\" returned a " << frame.copy.GetTypeKey();
      }
      // Every field that can be written gets the copy of its value.
      reflection::ForEachFieldInfo(TVMFFIGetTypeInfo(index), [&](const TVMFFIFieldInfo* field) {
        if (field->getter == nullptr || field->setter == nullptr) return;
        frame.fields.push_back(field);
        frame.children.push_back(reflection::FieldGetter(field)(obj));
      });
    }
    frame.results.reserve(frame.children.size());
    memo_.emplace(obj, frame.copy);
    frames_.push_back(std::move(frame));
    return false;
  }

  /*! \brief Put the copied children into the frame's copy. */
  static void Fill(Frame& frame) {
    Object* copy = const_cast<Object*>(frame.copy.cast<ObjectRef>().get());
    switch (frame.kind) {
      case ObjectKind::kSequence: {
        auto* seq = static_cast<SeqBaseObj*>(copy);
        seq->resize(static_cast<int64_t>(frame.results.size()));
        for (size_t i = 0; i < frame.results.size(); ++i) {
          seq->SetItem(static_cast<int64_t>(i), std::move(frame.results[i]));
        }
        break;
      }
      case ObjectKind::kMap: {
        auto* map = static_cast<MapBaseObj*>(copy);
        for (size_t i = 0; i + 1 < frame.results.size(); i += 2) {
          MapBaseObj::InsertInPlace(
              MapBaseObj::KVType(std::move(frame.results[i]), std::move(frame.results[i + 1])),
              map);
        }
        break;
      }
      default:
        for (size_t i = 0; i < frame.fields.size(); ++i) {
          if (SameCell(frame.children[i], frame.results[i])) continue;
          reflection::FieldSetter(frame.fields[i])(copy, frame.results[i]);
        }
        break;
    }
  }

  // The runtime creates both columns at startup and never moves a column.
  static const reflection::TypeAttrColumn& ShallowCopyColumn() {
    static const reflection::TypeAttrColumn column(kShallowCopyAttr);
    return column;
  }
  static const reflection::TypeAttrColumn& EnumColumn() {
    static const reflection::TypeAttrColumn column(kEnumAttr);
    return column;
  }
  const reflection::TypeAttrColumn& shallow_copy_ = ShallowCopyColumn();
  const reflection::TypeAttrColumn& enum_state_ = EnumColumn();
  std::vector<Frame> frames_;
  /*! \brief Source node -> its copy (the source graph is alive for the whole walk). */
  std::unordered_map<const Object*, Any> memo_;
};

}  // namespace

Any DeepCopy(const Any& value) { return DeepCopier().Copy(value); }

TVM_FFI_STATIC_INIT_BLOCK() {
  reflection::GlobalDef().def("ffi.DeepCopy", [](const Any& value) { return DeepCopy(value); });
}

}  // namespace ffi
}  // namespace tvm
