/*!
 * \file structural_equal.cc
 * \brief StructuralEqual::Equal / GetFirstMismatch and the global
 *        `ffi.GetFirstStructuralMismatch`.
 *
 * Comparison rules, applied recursively:
 * - The two cells must hold the same type index, except that the small and heap forms of a
 *   string (or of bytes) compare by content.
 * - None equals None; bool/int/opaque pointers compare by value; floats by value with NaN
 *   equal to NaN (and 0.0 equal to -0.0); DataType and Device field by field.
 * - Array: same length and pairwise equal elements. List: the same, Dict: as Map; they may
 *   contain themselves, so a pair of Lists/Dicts met again while still being compared is
 *   taken as equal (the comparison of the outer pair decides).
 * - Map: same size; each lhs key is looked up in rhs (after translating it through the
 *   object mapping built so far, so maps keyed by mapped variables work) and the values are
 *   compared. Keys themselves are matched by Any equality (content for strings, identity for
 *   other objects).
 * - Shape: same dims. Tensor: same dtype, shape and device, and (unless skip_tensor_content)
 *   the same element bytes in row-major order (host-readable devices only, else ValueError).
 * - Other objects, by the structural_eq_hash_kind of their type:
 *   - Unsupported (also types without reflection metadata, e.g. functions) and
 *     UniqueInstance: identity.
 *   - ConstTreeNode: identity short-cut, then field-wise.
 *   - TreeNode: field-wise (sharing ignored).
 *   - DAGNode: field-wise, and the pairing is remembered both ways; a node met again must be
 *     paired with the same partner (so sharing structure must agree).
 *   - FreeVar: a variable already paired must meet its partner; an unpaired variable whose
 *     partner is paired with someone else is unequal; otherwise, inside a definition region
 *     or with map_free_vars, the two variables are paired when their fields are equal;
 *     outside, only a variable and itself are equal (and become paired).
 *   Field-wise comparison walks the reflected fields (ancestors first), skips fields flagged
 *   SEqHashIgnore, and compares fields flagged SEqHashDef inside a definition region (which
 *   extends over the whole sub-tree). A type with the `__s_equal__` type attribute is compared
 *   by calling it as `(lhs, rhs, cmp) -> bool` where `cmp(lhs_value, rhs_value,
 *   def_region: bool, field_name) -> bool` compares sub-values recursively.
 *
 * Mismatch paths: attribute steps for fields (or the field_name given to `cmp`), array-item
 * steps for elements, map-item steps (keyed by the lhs/rhs key) for values; a length or key
 * difference yields an item step on the side that has the element and a "missing" step on the
 * other. The reported pair is the innermost position of the first difference found in
 * traversal order.
 */
#include <tvm/ffi/any.h>
#include <tvm/ffi/cast.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/dict.h>
#include <tvm/ffi/container/list.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/extra/structural_equal.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/reflection/access_path.h>
#include <tvm/ffi/reflection/accessor.h>
#include <tvm/ffi/reflection/registry.h>

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

using reflection::AccessPath;
using reflection::AccessPathPair;
using reflection::AccessStep;
using structural::DefRegionScope;

inline bool IsStrIndex(int32_t i) { return i == kTVMFFIStr || i == kTVMFFISmallStr; }
inline bool IsBytesIndex(int32_t i) { return i == kTVMFFIBytes || i == kTVMFFISmallBytes; }

inline const Object* ObjectOf(const TVMFFIAny* cell) {
  return reinterpret_cast<const Object*>(cell->v_obj);
}

class SEqualHandler {
 public:
  SEqualHandler(bool map_free_vars, bool skip_tensor_content, bool track_path)
      : map_free_vars_(map_free_vars),
        skip_tensor_content_(skip_tensor_content),
        track_(track_path),
        s_equal_column_(structural::kSEqualAttr) {
    if (track_) {
      lhs_path_ = AccessPath::Root();
      rhs_path_ = AccessPath::Root();
    }
  }

  /*! \brief Compare; on the first failure (in tracking mode) remember where it happened. */
  bool CompareAny(const Any& lhs, const Any& rhs) {
    bool ok = CompareAnyImpl(lhs, rhs);
    if (!ok && track_ && !mismatch_.has_value())
      RecordMismatch(lhs_path_.value(), rhs_path_.value());
    return ok;
  }

  Optional<AccessPathPair> mismatch() const { return mismatch_; }

 private:
  /*! \brief Extends both current paths for the lifetime of the scope (tracking mode only). */
  class PathScope {
   public:
    PathScope(SEqualHandler* self, const std::optional<AccessStep>& lhs_step,
              const std::optional<AccessStep>& rhs_step)
        : self_(self) {
      if (!self_->track_) return;
      saved_lhs_ = self_->lhs_path_;
      saved_rhs_ = self_->rhs_path_;
      if (lhs_step.has_value()) self_->lhs_path_ = self_->lhs_path_.value()->Extend(*lhs_step);
      if (rhs_step.has_value()) self_->rhs_path_ = self_->rhs_path_.value()->Extend(*rhs_step);
    }
    ~PathScope() {
      if (!self_->track_) return;
      self_->lhs_path_ = std::move(saved_lhs_);
      self_->rhs_path_ = std::move(saved_rhs_);
    }

   private:
    SEqualHandler* self_;
    Optional<AccessPath> saved_lhs_;
    Optional<AccessPath> saved_rhs_;
  };

  void RecordMismatch(const AccessPath& lhs, const AccessPath& rhs) {
    if (!mismatch_.has_value()) mismatch_ = AccessPathPair(lhs, rhs);
  }

  bool CompareAnyImpl(const Any& lhs, const Any& rhs) {
    const TVMFFIAny* a = details::AnyUnsafe::TVMFFIAnyPtrFromAny(lhs);
    const TVMFFIAny* b = details::AnyUnsafe::TVMFFIAnyPtrFromAny(rhs);
    if ((IsStrIndex(a->type_index) && IsStrIndex(b->type_index)) ||
        (IsBytesIndex(a->type_index) && IsBytesIndex(b->type_index))) {
      TVMFFIByteArray x = details::AnyBytesContent(*a);
      TVMFFIByteArray y = details::AnyBytesContent(*b);
      return x.size == y.size && (x.size == 0 || std::memcmp(x.data, y.data, x.size) == 0);
    }
    if (a->type_index != b->type_index) return false;
    switch (a->type_index) {
      case kTVMFFINone:
        return true;
      case kTVMFFIBool:
      case kTVMFFIInt:
        return a->v_int64 == b->v_int64;
      case kTVMFFIFloat:
        return a->v_float64 == b->v_float64 ||
               (std::isnan(a->v_float64) && std::isnan(b->v_float64));
      case kTVMFFIOpaquePtr:
        return a->v_ptr == b->v_ptr;
      case kTVMFFIDataType:
        return a->v_dtype.code == b->v_dtype.code && a->v_dtype.bits == b->v_dtype.bits &&
               a->v_dtype.lanes == b->v_dtype.lanes;
      case kTVMFFIDevice:
        return a->v_device.device_type == b->v_device.device_type &&
               a->v_device.device_id == b->v_device.device_id;
      default:
        break;
    }
    if (a->type_index < kTVMFFIStaticObjectBegin) return a->v_int64 == b->v_int64;
    return CompareObject(ObjectOf(a), ObjectOf(b));
  }

  bool CompareObject(const Object* lhs, const Object* rhs) {
    switch (lhs->type_index()) {
      case kTVMFFIArray:
        return CompareArray(static_cast<const SeqBaseObj*>(lhs),
                            static_cast<const SeqBaseObj*>(rhs));
      case kTVMFFIMap:
        return CompareMap(static_cast<const MapBaseObj*>(lhs), static_cast<const MapBaseObj*>(rhs));
      case kTVMFFIList:
      case kTVMFFIDict:
        return CompareMutableContainer(lhs, rhs);
      case kTVMFFIShape:
        return CompareShape(lhs, rhs);
      case kTVMFFITensor:
        return CompareTensor(lhs, rhs);
      default:
        break;
    }
    const TVMFFITypeInfo* info = TVMFFIGetTypeInfo(lhs->type_index());
    switch (structural::KindOf(info)) {
      case kTVMFFISEqHashKindTreeNode:
        return CompareFields(lhs, rhs, info);
      case kTVMFFISEqHashKindConstTreeNode:
        return lhs == rhs || CompareFields(lhs, rhs, info);
      case kTVMFFISEqHashKindDAGNode: {
        std::optional<bool> known = LookupPairing(lhs, rhs);
        if (known.has_value()) return *known;
        if (!CompareFields(lhs, rhs, info)) return false;
        RecordPairing(lhs, rhs);
        return true;
      }
      case kTVMFFISEqHashKindFreeVar: {
        std::optional<bool> known = LookupPairing(lhs, rhs);
        if (known.has_value()) return *known;
        if (map_free_vars_ || in_def_region_) {
          if (!CompareFields(lhs, rhs, info)) return false;
        } else if (lhs != rhs) {
          return false;
        }
        RecordPairing(lhs, rhs);
        return true;
      }
      default:
        // Unsupported, UniqueInstance and anything unknown: identity.
        return lhs == rhs;
    }
  }

  /*! \return the verdict implied by an existing pairing of either side, if any. */
  std::optional<bool> LookupPairing(const Object* lhs, const Object* rhs) const {
    auto it = lhs_to_rhs_.find(lhs);
    if (it != lhs_to_rhs_.end()) return it->second == rhs;
    if (rhs_to_lhs_.count(rhs) != 0) return false;
    return std::nullopt;
  }

  void RecordPairing(const Object* lhs, const Object* rhs) {
    lhs_to_rhs_[lhs] = rhs;
    rhs_to_lhs_[rhs] = lhs;
  }

  bool CompareFields(const Object* lhs, const Object* rhs, const TVMFFITypeInfo* info) {
    AnyView custom = s_equal_column_[info->type_index];
    if (custom != nullptr) return CallCustomEqual(custom, lhs, rhs);
    bool stopped =
        reflection::ForEachFieldInfoWithEarlyStop(info, [&](const TVMFFIFieldInfo* field) -> bool {
          if (field->flags & kTVMFFIFieldFlagBitMaskSEqHashIgnore) return false;
          reflection::FieldGetter getter(field);
          Any lhs_value = getter(lhs);
          Any rhs_value = getter(rhs);
          std::optional<AccessStep> step;
          if (track_) step = AccessStep::Attr(String(field->name.data, field->name.size));
          PathScope path(this, step, step);
          DefRegionScope region(&in_def_region_,
                                (field->flags & kTVMFFIFieldFlagBitMaskSEqHashDef) != 0);
          return !CompareAny(lhs_value, rhs_value);
        });
    return !stopped;
  }

  bool CallCustomEqual(AnyView custom, const Object* lhs, const Object* rhs) {
    if (!cmp_callback_.has_value()) {
      cmp_callback_ = Function::FromTyped(
          [this](AnyView lhs_value, AnyView rhs_value, bool def_region,
                 AnyView field_name) -> bool {
            std::optional<AccessStep> step;
            if (track_) {
              if (auto name = field_name.try_cast<String>()) step = AccessStep::Attr(*name);
            }
            PathScope path(this, step, step);
            DefRegionScope region(&in_def_region_, def_region);
            return CompareAny(Any(lhs_value), Any(rhs_value));
          },
          std::string("ffi.StructuralEqual.__s_equal__callback"));
    }
    Function func = custom.cast<Function>();
    Any result = func(GetRef<ObjectRef>(lhs), GetRef<ObjectRef>(rhs), cmp_callback_.value());
    return result.cast<bool>();
  }

  bool CompareMutableContainer(const Object* lhs, const Object* rhs) {
    if (lhs == rhs) return true;
    for (const auto& open : open_containers_) {
      if (open.first == lhs && open.second == rhs) return true;
    }
    open_containers_.emplace_back(lhs, rhs);
    bool equal =
        lhs->type_index() == kTVMFFIList
            ? CompareArray(static_cast<const SeqBaseObj*>(lhs), static_cast<const SeqBaseObj*>(rhs))
            : CompareMap(static_cast<const MapBaseObj*>(lhs), static_cast<const MapBaseObj*>(rhs));
    open_containers_.pop_back();
    return equal;
  }

  bool CompareArray(const SeqBaseObj* lhs, const SeqBaseObj* rhs) {
    const int64_t n_lhs = static_cast<int64_t>(lhs->size());
    const int64_t n_rhs = static_cast<int64_t>(rhs->size());
    if (!track_ && n_lhs != n_rhs) return false;
    const int64_t n = n_lhs < n_rhs ? n_lhs : n_rhs;
    for (int64_t i = 0; i < n; ++i) {
      std::optional<AccessStep> step;
      if (track_) step = AccessStep::ArrayItem(i);
      PathScope path(this, step, step);
      if (!CompareAny((*lhs)[i], (*rhs)[i])) return false;
    }
    if (n_lhs == n_rhs) return true;
    if (n_lhs > n_rhs) {
      RecordMismatch(lhs_path_.value()->ArrayItem(n), rhs_path_.value()->ArrayItemMissing(n));
    } else {
      RecordMismatch(lhs_path_.value()->ArrayItemMissing(n), rhs_path_.value()->ArrayItem(n));
    }
    return false;
  }

  /*! \brief A key as the other side would hold it (objects translated through pairings). */
  static Any TranslateKey(const Any& key,
                          const std::unordered_map<const Object*, const Object*>& pairing) {
    const TVMFFIAny* cell = details::AnyUnsafe::TVMFFIAnyPtrFromAny(key);
    if (cell->type_index >= kTVMFFIStaticObjectBegin) {
      auto it = pairing.find(ObjectOf(cell));
      if (it != pairing.end()) return Any(GetRef<ObjectRef>(it->second));
    }
    return key;
  }

  /*!
   * \brief Whether a key found by lookup agrees with the pairings: an unpaired lhs object key
   * cannot match an rhs key that is already paired with another object (and vice versa).
   */
  bool KeysConsistent(const Any& lhs_key, const Any& rhs_key) const {
    const TVMFFIAny* a = details::AnyUnsafe::TVMFFIAnyPtrFromAny(lhs_key);
    const TVMFFIAny* b = details::AnyUnsafe::TVMFFIAnyPtrFromAny(rhs_key);
    if (a->type_index < kTVMFFIStaticObjectBegin || b->type_index < kTVMFFIStaticObjectBegin) {
      return true;
    }
    std::optional<bool> known = LookupPairing(ObjectOf(a), ObjectOf(b));
    return !known.has_value() || *known;
  }

  bool CompareMap(const MapBaseObj* lhs, const MapBaseObj* rhs) {
    if (!track_ && lhs->size() != rhs->size()) return false;
    for (const auto& kv : *lhs) {
      Any rhs_key = TranslateKey(kv.first, lhs_to_rhs_);
      auto it = rhs->find(rhs_key);
      if (it != rhs->end() && !KeysConsistent(kv.first, it->first)) it = rhs->end();
      if (it == rhs->end()) {
        if (track_) {
          RecordMismatch(lhs_path_.value()->MapItem(kv.first),
                         rhs_path_.value()->MapItemMissing(kv.first));
        }
        return false;
      }
      std::optional<AccessStep> lhs_step, rhs_step;
      if (track_) {
        lhs_step = AccessStep::MapItem(kv.first);
        rhs_step = AccessStep::MapItem(it->first);
      }
      PathScope path(this, lhs_step, rhs_step);
      if (!CompareAny(kv.second, it->second)) return false;
    }
    if (lhs->size() == rhs->size()) return true;
    // Every lhs key was found, so rhs has extra keys: report the first of them.
    for (const auto& kv : *rhs) {
      Any lhs_key = TranslateKey(kv.first, rhs_to_lhs_);
      auto found = lhs->find(lhs_key);
      if (found == lhs->end() || !KeysConsistent(found->first, kv.first)) {
        RecordMismatch(lhs_path_.value()->MapItemMissing(kv.first),
                       rhs_path_.value()->MapItem(kv.first));
        break;
      }
    }
    return false;
  }

  bool CompareShape(const Object* lhs, const Object* rhs) {
    const TVMFFIShapeCell* a = TVMFFIShapeGetCellPtr(details::ObjectUnsafe::GetHeader(lhs));
    const TVMFFIShapeCell* b = TVMFFIShapeGetCellPtr(details::ObjectUnsafe::GetHeader(rhs));
    if (a->size != b->size) return false;
    return a->size == 0 || std::memcmp(a->data, b->data, a->size * sizeof(int64_t)) == 0;
  }

  bool CompareTensor(const Object* lhs, const Object* rhs) {
    if (lhs == rhs) return true;
    const DLTensor* a = TVMFFITensorGetDLTensorPtr(details::ObjectUnsafe::GetHeader(lhs));
    const DLTensor* b = TVMFFITensorGetDLTensorPtr(details::ObjectUnsafe::GetHeader(rhs));
    if (a->ndim != b->ndim || a->dtype.code != b->dtype.code || a->dtype.bits != b->dtype.bits ||
        a->dtype.lanes != b->dtype.lanes || a->device.device_type != b->device.device_type ||
        a->device.device_id != b->device.device_id) {
      return false;
    }
    for (int i = 0; i < a->ndim; ++i) {
      if (a->shape[i] != b->shape[i]) return false;
    }
    if (skip_tensor_content_) return true;
    return structural::TensorContentBytes(a) == structural::TensorContentBytes(b);
  }

  bool map_free_vars_;
  bool skip_tensor_content_;
  bool track_;
  bool in_def_region_ = false;
  reflection::TypeAttrColumn s_equal_column_;
  std::unordered_map<const Object*, const Object*> lhs_to_rhs_;
  /*! \brief Pairs of Lists/Dicts being compared (outermost first), for cycle detection. */
  std::vector<std::pair<const Object*, const Object*>> open_containers_;
  std::unordered_map<const Object*, const Object*> rhs_to_lhs_;
  Optional<AccessPath> lhs_path_;
  Optional<AccessPath> rhs_path_;
  Optional<AccessPathPair> mismatch_;
  Optional<Function> cmp_callback_;
};

}  // namespace

bool StructuralEqual::Equal(const Any& lhs, const Any& rhs, bool map_free_vars,
                            bool skip_tensor_content) {
  SEqualHandler handler(map_free_vars, skip_tensor_content, /*track_path=*/false);
  return handler.CompareAny(lhs, rhs);
}

Optional<reflection::AccessPathPair> StructuralEqual::GetFirstMismatch(const Any& lhs,
                                                                       const Any& rhs,
                                                                       bool map_free_vars,
                                                                       bool skip_tensor_content) {
  // Equal values are the common case (and Python's structural_equal goes through here):
  // answer them without building access paths, which allocate at every step.
  if (Equal(lhs, rhs, map_free_vars, skip_tensor_content)) return std::nullopt;
  SEqualHandler handler(map_free_vars, skip_tensor_content, /*track_path=*/true);
  if (handler.CompareAny(lhs, rhs)) return std::nullopt;
  Optional<AccessPathPair> mismatch = handler.mismatch();
  if (!mismatch.has_value()) {
    // A custom __s_equal__ said "different" without a failing sub-comparison at a deeper
    // position, and the wrapper recorded nothing: report the roots.
    return AccessPathPair(AccessPath::Root(), AccessPath::Root());
  }
  return mismatch;
}

TVM_FFI_STATIC_INIT_BLOCK() {
  reflection::EnsureTypeAttrColumn(structural::kSEqualAttr);
  reflection::GlobalDef().def("ffi.GetFirstStructuralMismatch",
                              [](const Any& lhs, const Any& rhs, bool map_free_vars,
                                 bool skip_tensor_content) -> Optional<reflection::AccessPathPair> {
                                return StructuralEqual::GetFirstMismatch(lhs, rhs, map_free_vars,
                                                                         skip_tensor_content);
                              });
}

}  // namespace ffi
}  // namespace tvm
