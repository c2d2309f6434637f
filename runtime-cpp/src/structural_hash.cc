/*!
 * \file structural_hash.cc
 * \brief StructuralHash::Hash and the global `ffi.StructuralHash`.
 *
 * The hash mirrors the rules of structural_equal.cc so that structurally equal values (under
 * the same flags) hash equal:
 * - POD values hash their type index and value (floats normalised: every NaN alike, -0.0 as
 *   0.0); strings/bytes hash their length and content identically in the small and heap
 *   forms (the length matters: the byte hash alone maps "" and "\0" to the same value).
 * - Array: length then elements in order. Shape: dims. Tensor: ndim, dims, dtype, device and
 *   (unless skip_tensor_content) the row-major element bytes.
 * - Map: size, then the entries ordered by the hash of their key, each contributing its key
 *   hash and value hash, so insertion order does not matter. A key is hashed without creating
 *   new variable bindings: POD/strings by value, objects paired earlier (mapped variables,
 *   visited DAG nodes) by their binding number, any other object by identity (equality
 *   matches such keys by identity too).
 * - Objects by structural kind: Unsupported/UniqueInstance by identity; TreeNode and
 *   ConstTreeNode by type key hash plus their non-ignored fields (ancestors first, SEqHashDef
 *   fields hashed inside a definition region); DAGNode likewise on first visit and by visit
 *   number afterwards; FreeVar by binding number once bound — a variable is bound (numbered
 *   in order of appearance, its fields hashed at that point) when met inside a definition
 *   region or with map_free_vars, and otherwise hashed by identity.
 * - A `__s_hash__` type attribute replaces the field walk: it is called as
 *   `(self, init_hash: int, hash_cb) -> int` with init_hash = the type key hash, where
 *   `hash_cb(value, init_hash: int, def_region: bool) -> int` folds a sub-value's hash into
 *   init_hash.
 *
 * Every fold goes through a 64-bit avalanche step, so hashes of different small structures do
 * not collide in practice (checked over random trees by the Python property test).
 * Hashes of values containing identity-hashed objects are stable only within a process.
 */
#include <tvm/ffi/any.h>
#include <tvm/ffi/cast.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/dict.h>
#include <tvm/ffi/container/list.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/extra/structural_hash.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/reflection/accessor.h>
#include <tvm/ffi/reflection/registry.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "structural_internal.h"

namespace tvm {
namespace ffi {
namespace {

using structural::DefRegionScope;

// Distinct tags mixed into hashes of the different object categories.
constexpr uint64_t kIdentityTag = 0x6964656e74697479ULL;  // "identity"
constexpr uint64_t kVarBoundTag = 0x766172626f756e64ULL;  // "varbound"
constexpr uint64_t kDagRefTag = 0x6461677265666572ULL;    // "dagrefer"
/*! \brief Seed of a List/Dict met again inside itself. */
constexpr uint64_t kCycleTag = 0x6379636c65726566ULL;  // "cycleref"
constexpr uint64_t kNaNBits = 0x7ff8000000000000ULL;

/*!
 * \brief 64-bit finaliser (the splitmix64 output function): a bijection in which every input
 *        bit affects every output bit.
 */
inline uint64_t Avalanche(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

/*!
 * \brief Fold `value` into the running hash `key`. StableHashCombine alone is close to linear
 *        for small inputs (e.g. [DAG(1, [None, 0, None])] and [DAG(0, [None, 0, 0])] collide),
 *        so its result goes through the avalanche step.
 */
inline uint64_t Combine(uint64_t key, uint64_t value) {
  return Avalanche(details::StableHashCombine(key, value));
}

inline uint64_t PointerBits(const void* ptr) {
  return static_cast<uint64_t>(reinterpret_cast<uintptr_t>(ptr));
}

class SHashHandler {
 public:
  SHashHandler(bool map_free_vars, bool skip_tensor_content)
      : map_free_vars_(map_free_vars),
        skip_tensor_content_(skip_tensor_content),
        s_hash_column_(structural::kSHashAttr) {}

  uint64_t HashAny(const Any& value) {
    const TVMFFIAny* cell = details::AnyUnsafe::TVMFFIAnyPtrFromAny(value);
    const uint64_t tindex = static_cast<uint64_t>(static_cast<uint32_t>(cell->type_index));
    switch (cell->type_index) {
      case kTVMFFINone:
        return Combine(tindex, 0);
      case kTVMFFIBool:
      case kTVMFFIInt:
        return Combine(tindex, cell->v_uint64);
      case kTVMFFIFloat: {
        double v = cell->v_float64;
        uint64_t bits = 0;
        if (std::isnan(v)) {
          bits = kNaNBits;
        } else if (v != 0.0) {
          std::memcpy(&bits, &v, sizeof(bits));
        }
        return Combine(tindex, bits);
      }
      case kTVMFFIOpaquePtr:
        return Combine(tindex, PointerBits(cell->v_ptr));
      case kTVMFFIDataType:
        return Combine(tindex, static_cast<uint64_t>(cell->v_dtype.code) |
                                   (static_cast<uint64_t>(cell->v_dtype.bits) << 8) |
                                   (static_cast<uint64_t>(cell->v_dtype.lanes) << 16));
      case kTVMFFIDevice:
        return Combine(
            tindex,
            static_cast<uint64_t>(static_cast<uint32_t>(cell->v_device.device_type)) |
                (static_cast<uint64_t>(static_cast<uint32_t>(cell->v_device.device_id)) << 32));
      case kTVMFFISmallStr:
      case kTVMFFIStr: {
        TVMFFIByteArray s = details::AnyBytesContent(*cell);
        return Combine(Combine(kTVMFFIStr, s.size), details::StableHashBytes(s.data, s.size));
      }
      case kTVMFFISmallBytes:
      case kTVMFFIBytes: {
        TVMFFIByteArray s = details::AnyBytesContent(*cell);
        return Combine(Combine(kTVMFFIBytes, s.size), details::StableHashBytes(s.data, s.size));
      }
      default:
        break;
    }
    if (cell->type_index < kTVMFFIStaticObjectBegin) return Combine(tindex, cell->v_uint64);
    return HashObject(reinterpret_cast<const Object*>(cell->v_obj));
  }

 private:
  uint64_t HashObject(const Object* obj) {
    switch (obj->type_index()) {
      case kTVMFFIArray:
        return HashArray(static_cast<const SeqBaseObj*>(obj), kTVMFFIArray);
      case kTVMFFIMap:
        return HashMap(static_cast<const MapBaseObj*>(obj), kTVMFFIMap);
      case kTVMFFIList:
      case kTVMFFIDict:
        return HashMutableContainer(obj);
      case kTVMFFIShape:
        return HashShape(obj);
      case kTVMFFITensor:
        return HashTensor(obj);
      default:
        break;
    }
    const TVMFFITypeInfo* info = TVMFFIGetTypeInfo(obj->type_index());
    switch (structural::KindOf(info)) {
      case kTVMFFISEqHashKindTreeNode:
      case kTVMFFISEqHashKindConstTreeNode:
        return HashFields(obj, info);
      case kTVMFFISEqHashKindDAGNode: {
        auto it = dag_index_.find(obj);
        if (it != dag_index_.end()) return Combine(kDagRefTag, it->second);
        uint64_t h = HashFields(obj, info);
        uint64_t index = dag_index_.size();
        dag_index_.emplace(obj, index);
        return h;
      }
      case kTVMFFISEqHashKindFreeVar: {
        auto it = var_index_.find(obj);
        if (it != var_index_.end()) return Combine(kVarBoundTag, it->second);
        if (map_free_vars_ || in_def_region_) {
          uint64_t index = var_index_.size();
          var_index_.emplace(obj, index);
          return Combine(Combine(kVarBoundTag, index), HashFields(obj, info));
        }
        return Combine(info->type_key_hash, Combine(kIdentityTag, PointerBits(obj)));
      }
      default:
        return Combine(info->type_key_hash, Combine(kIdentityTag, PointerBits(obj)));
    }
  }

  uint64_t HashFields(const Object* obj, const TVMFFITypeInfo* info) {
    AnyView custom = s_hash_column_[info->type_index];
    if (custom != nullptr) return CallCustomHash(custom, obj, info);
    uint64_t h = info->type_key_hash;
    reflection::ForEachFieldInfo(info, [&](const TVMFFIFieldInfo* field) {
      if (field->flags & kTVMFFIFieldFlagBitMaskSEqHashIgnore) return;
      Any value = reflection::FieldGetter(field)(obj);
      DefRegionScope region(&in_def_region_,
                            (field->flags & kTVMFFIFieldFlagBitMaskSEqHashDef) != 0);
      h = Combine(h, HashAny(value));
    });
    return h;
  }

  uint64_t CallCustomHash(AnyView custom, const Object* obj, const TVMFFITypeInfo* info) {
    if (!hash_callback_.has_value()) {
      hash_callback_ = Function::FromTyped(
          [this](AnyView value, int64_t init_hash, bool def_region) -> int64_t {
            DefRegionScope region(&in_def_region_, def_region);
            return static_cast<int64_t>(
                Combine(static_cast<uint64_t>(init_hash), HashAny(Any(value))));
          },
          std::string("ffi.StructuralHash.__s_hash__callback"));
    }
    Function func = custom.cast<Function>();
    Any result = func(GetRef<ObjectRef>(obj), static_cast<int64_t>(info->type_key_hash),
                      hash_callback_.value());
    return static_cast<uint64_t>(result.cast<int64_t>());
  }

  /*!
   * \brief List / Dict: hashed like Array / Map under their own type index. They may contain
   * themselves: a container met again inside itself contributes only its nesting distance.
   */
  uint64_t HashMutableContainer(const Object* obj) {
    for (size_t i = 0; i < open_containers_.size(); ++i) {
      if (open_containers_[i] == obj) {
        return Combine(kCycleTag, static_cast<uint64_t>(open_containers_.size() - i));
      }
    }
    open_containers_.push_back(obj);
    uint64_t h = obj->type_index() == kTVMFFIList
                     ? HashArray(static_cast<const SeqBaseObj*>(obj), kTVMFFIList)
                     : HashMap(static_cast<const MapBaseObj*>(obj), kTVMFFIDict);
    open_containers_.pop_back();
    return h;
  }

  uint64_t HashArray(const SeqBaseObj* arr, int32_t type_index) {
    uint64_t h = Combine(static_cast<uint64_t>(type_index), static_cast<uint64_t>(arr->size()));
    for (const Any& item : *arr) h = Combine(h, HashAny(item));
    return h;
  }

  /*! \brief Hash of a map key that never creates bindings (see the file comment). */
  uint64_t HashKey(const Any& key) {
    const TVMFFIAny* cell = details::AnyUnsafe::TVMFFIAnyPtrFromAny(key);
    if (cell->type_index < kTVMFFIStaticObjectBegin || cell->type_index == kTVMFFIStr ||
        cell->type_index == kTVMFFIBytes) {
      return HashAny(key);
    }
    const Object* obj = reinterpret_cast<const Object*>(cell->v_obj);
    auto var_it = var_index_.find(obj);
    if (var_it != var_index_.end()) return Combine(kVarBoundTag, var_it->second);
    auto dag_it = dag_index_.find(obj);
    if (dag_it != dag_index_.end()) return Combine(kDagRefTag, dag_it->second);
    return Combine(kIdentityTag, PointerBits(obj));
  }

  uint64_t HashMap(const MapBaseObj* map, int32_t type_index) {
    std::vector<std::pair<uint64_t, const MapBaseObj::KVType*>> entries;
    entries.reserve(map->size());
    for (const auto& kv : *map) entries.emplace_back(HashKey(kv.first), &kv);
    std::stable_sort(entries.begin(), entries.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    uint64_t h = Combine(static_cast<uint64_t>(type_index), static_cast<uint64_t>(map->size()));
    for (const auto& entry : entries) {
      h = Combine(h, entry.first);
      h = Combine(h, HashAny(entry.second->second));
    }
    return h;
  }

  uint64_t HashShape(const Object* obj) {
    const TVMFFIShapeCell* cell = TVMFFIShapeGetCellPtr(details::ObjectUnsafe::GetHeader(obj));
    uint64_t h = Combine(kTVMFFIShape, static_cast<uint64_t>(cell->size));
    for (size_t i = 0; i < cell->size; ++i) h = Combine(h, static_cast<uint64_t>(cell->data[i]));
    return h;
  }

  uint64_t HashTensor(const Object* obj) {
    const DLTensor* t = TVMFFITensorGetDLTensorPtr(details::ObjectUnsafe::GetHeader(obj));
    uint64_t h = Combine(kTVMFFITensor, static_cast<uint64_t>(t->ndim));
    for (int i = 0; i < t->ndim; ++i) h = Combine(h, static_cast<uint64_t>(t->shape[i]));
    h = Combine(h, static_cast<uint64_t>(t->dtype.code) |
                       (static_cast<uint64_t>(t->dtype.bits) << 8) |
                       (static_cast<uint64_t>(t->dtype.lanes) << 16));
    h = Combine(h, static_cast<uint64_t>(static_cast<uint32_t>(t->device.device_type)) |
                       (static_cast<uint64_t>(static_cast<uint32_t>(t->device.device_id)) << 32));
    if (!skip_tensor_content_) {
      std::string bytes = structural::TensorContentBytes(t);
      h = Combine(h, details::StableHashBytes(bytes.data(), bytes.size()));
    }
    return h;
  }

  bool map_free_vars_;
  bool skip_tensor_content_;
  bool in_def_region_ = false;
  reflection::TypeAttrColumn s_hash_column_;
  std::unordered_map<const Object*, uint64_t> var_index_;
  std::unordered_map<const Object*, uint64_t> dag_index_;
  /*! \brief Lists/Dicts being hashed (outermost first), for cycle detection. */
  std::vector<const Object*> open_containers_;
  Optional<Function> hash_callback_;
};

}  // namespace

uint64_t StructuralHash::Hash(const Any& value, bool map_free_vars, bool skip_tensor_content) {
  SHashHandler handler(map_free_vars, skip_tensor_content);
  return handler.HashAny(value);
}

TVM_FFI_STATIC_INIT_BLOCK() {
  reflection::EnsureTypeAttrColumn(structural::kSHashAttr);
  reflection::GlobalDef().def(
      "ffi.StructuralHash",
      [](const Any& value, bool map_free_vars, bool skip_tensor_content) -> int64_t {
        return static_cast<int64_t>(
            StructuralHash::Hash(value, map_free_vars, skip_tensor_content));
      });
}

}  // namespace ffi
}  // namespace tvm
