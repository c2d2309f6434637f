/*!
 * \file recursive_compare.cc
 * \brief RecursiveEq, RecursiveHash and the orderings RecursiveLt/Le/Gt/Ge
 *        (tvm/ffi/extra/dataclass.h), and their globals `ffi.Recursive*`, `ffi.ArrayContains`,
 *        `ffi.ListContains`.
 *
 * Every walk uses an explicit stack, so nesting depth is bounded by memory, not by the native
 * stack. Cycles:
 * - equality: a pair of objects met again while it is compared counts as equal (a pair is
 *   remembered until the whole comparison ends, which also keeps shared sub-graphs from being
 *   compared twice; a nested comparison started by a hook forgets its pairs when it fails);
 * - hashing: an object met again inside itself contributes its type key hash;
 * - ordering: a pair met again inside itself is a ValueError.
 *
 * Objects without reflected fields (and Tensor, Function, Error, OpaquePyObject, Module) compare
 * by identity and hash by type key, unless their type defines the hooks.
 */
#include <tvm/ffi/any.h>
#include <tvm/ffi/big_int.h>
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/list.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/extra/dataclass.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/reflection/accessor.h>
#include <tvm/ffi/reflection/registry.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "dataclass_internal.h"

namespace tvm {
namespace ffi {
namespace {

using dataclass::ObjectKind;
using dataclass::ObjectKindOf;

constexpr const char* kEqAttr = "__ffi_eq__";
constexpr const char* kHashAttr = "__ffi_hash__";
constexpr const char* kCompareAttr = "__ffi_compare__";
constexpr uint64_t kNaNBits = 0x7ff8000000000000ULL;

/*! \brief splitmix64 finaliser: every input bit affects every output bit. */
inline uint64_t Avalanche(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

inline uint64_t Combine(uint64_t key, uint64_t value) {
  return Avalanche(details::StableHashCombine(key, value));
}

/*! \brief Type index with the small str/bytes forms folded onto the heap forms. */
inline int32_t NormIndex(const Any& value) {
  int32_t index = value.type_index();
  if (index == kTVMFFISmallStr) return kTVMFFIStr;
  if (index == kTVMFFISmallBytes) return kTVMFFIBytes;
  return index;
}

inline const TVMFFIAny* CellOf(const Any& value) {
  return details::AnyUnsafe::TVMFFIAnyPtrFromAny(value);
}

inline const Object* ObjOf(const Any& value) {
  return reinterpret_cast<const Object*>(CellOf(value)->v_obj);
}

inline std::string_view ContentOf(const Any& value) {
  TVMFFIByteArray bytes = details::AnyBytesContent(*CellOf(value));
  return std::string_view(bytes.data, bytes.size);
}

inline bool IsIntLike(int32_t index) { return index == kTVMFFIInt || index == kTVMFFIBigInt; }

inline int Sign(int64_t v) { return v < 0 ? -1 : (v > 0 ? 1 : 0); }

template <typename T>
inline int ThreeWay(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

/*! \brief Numeric three-way comparison of two integers (found through BigInt's friend). */
inline int CompareBigInt(const BigInt& a, const BigInt& b) { return Compare(a, b); }

struct PairHash {
  size_t operator()(const std::pair<const Object*, const Object*>& p) const {
    return static_cast<size_t>(
        Combine(reinterpret_cast<uintptr_t>(p.first), reinterpret_cast<uintptr_t>(p.second)));
  }
};
using ObjectPair = std::pair<const Object*, const Object*>;
using PairSet = std::unordered_set<ObjectPair, PairHash>;
/*!
 * \brief Pairs met by an ordering: true while the pair is being compared (meeting it again is a
 *        cycle), false once it compared equal. Elements never move, so a task may keep a pointer
 *        to its flag.
 */
using PairStates = std::unordered_map<ObjectPair, bool, PairHash>;

/*!
 * \brief The hook columns. The runtime creates them at startup and never moves a column, so
 *        they are looked up once per process.
 */
struct HookColumns {
  HookColumns() : eq(kEqAttr), hash(kHashAttr), compare(kCompareAttr) {}
  reflection::TypeAttrColumn eq;
  reflection::TypeAttrColumn hash;
  reflection::TypeAttrColumn compare;

  static const HookColumns& Global() {
    static const HookColumns columns;
    return columns;
  }
};

/*! \brief Marks `pair` as being compared for the scope (also left on exceptions). */
class PairScope {
 public:
  PairScope(PairStates* states, ObjectPair pair) : states_(states), pair_(pair) {
    states_->emplace(pair_, true);
  }
  ~PairScope() { states_->erase(pair_); }
  PairScope(const PairScope&) = delete;
  PairScope& operator=(const PairScope&) = delete;

 private:
  PairStates* states_;
  ObjectPair pair_;
};

// ---------------------------------------------------------------------------------------------
// Equality and three-way comparison
// ---------------------------------------------------------------------------------------------

class Comparer : public std::enable_shared_from_this<Comparer> {
 public:
  bool Eq(const Any& lhs, const Any& rhs) {
    const size_t mark = eq_log_.size();
    std::vector<std::pair<Any, Any>> work;
    work.emplace_back(lhs, rhs);
    while (!work.empty()) {
      std::pair<Any, Any> item = std::move(work.back());
      work.pop_back();
      if (!EqStep(item.first, item.second, &work)) {
        // Pairs assumed equal by this (possibly nested) comparison are not known to be.
        for (size_t i = mark; i < eq_log_.size(); ++i) eq_assumed_.erase(eq_log_[i]);
        eq_log_.resize(mark);
        return false;
      }
    }
    return true;
  }

  int Compare(const Any& lhs, const Any& rhs) {
    std::vector<CmpTask> work;
    // Pairs entered by this call and not yet left; they are taken off the active set when the
    // call ends by an early result or an exception.
    struct ActiveCleanup {
      std::vector<CmpTask>* work;
      PairStates* states;
      ~ActiveCleanup() {
        for (const CmpTask& task : *work) {
          if (task.kind == CmpTask::kExit) states->erase(task.pair);
        }
      }
    } cleanup{&work, &cmp_states_};
    work.push_back(CmpTask::Compare(lhs, rhs));
    while (!work.empty()) {
      CmpTask task = std::move(work.back());
      work.pop_back();
      switch (task.kind) {
        case CmpTask::kExit:
          *task.state = false;  // everything below compared equal
          break;
        case CmpTask::kResult:
          if (task.result != 0) return task.result;
          break;
        default: {
          int c = CompareStep(task.lhs, task.rhs, &work);
          if (c != 0) return c;
        }
      }
    }
    return 0;
  }

 private:
  struct CmpTask {
    enum Kind { kCompare, kExit, kResult };
    Kind kind;
    Any lhs, rhs;
    ObjectPair pair{nullptr, nullptr};
    bool* state = nullptr;
    int result = 0;
    static CmpTask Compare(Any lhs, Any rhs) {
      CmpTask t;
      t.kind = kCompare;
      t.lhs = std::move(lhs);
      t.rhs = std::move(rhs);
      return t;
    }
    static CmpTask Exit(ObjectPair pair, bool* state) {
      CmpTask t;
      t.kind = kExit;
      t.pair = pair;
      t.state = state;
      return t;
    }
    static CmpTask Result(int result) {
      CmpTask t;
      t.kind = kResult;
      t.result = result;
      return t;
    }
  };

  Function EqCallback() {
    std::shared_ptr<Comparer> self = shared_from_this();
    return Function::FromTyped(
        [self](const Any& a, const Any& b) -> bool { return self->Eq(a, b); });
  }
  Function CompareCallback() {
    std::shared_ptr<Comparer> self = shared_from_this();
    return Function::FromTyped(
        [self](const Any& a, const Any& b) -> int64_t { return self->Compare(a, b); });
  }

  /*! \return false when the pair is certainly unequal; otherwise children may be pushed. */
  bool EqStep(const Any& a, const Any& b, std::vector<std::pair<Any, Any>>* work) {
    const int32_t ia = NormIndex(a);
    const int32_t ib = NormIndex(b);
    if (ia != ib) {
      if (IsIntLike(ia) && IsIntLike(ib)) return a.cast<BigInt>() == b.cast<BigInt>();
      return false;
    }
    const TVMFFIAny* ca = CellOf(a);
    const TVMFFIAny* cb = CellOf(b);
    switch (ia) {
      case kTVMFFINone:
        return true;
      case kTVMFFIBool:
      case kTVMFFIInt:
        return ca->v_int64 == cb->v_int64;
      case kTVMFFIFloat:
        if (std::isnan(ca->v_float64)) return std::isnan(cb->v_float64);
        return ca->v_float64 == cb->v_float64;
      case kTVMFFIDataType:
        return ca->v_dtype.code == cb->v_dtype.code && ca->v_dtype.bits == cb->v_dtype.bits &&
               ca->v_dtype.lanes == cb->v_dtype.lanes;
      case kTVMFFIDevice:
        return ca->v_device.device_type == cb->v_device.device_type &&
               ca->v_device.device_id == cb->v_device.device_id;
      case kTVMFFIStr:
      case kTVMFFIBytes:
        return ContentOf(a) == ContentOf(b);
      default:
        break;
    }
    if (ia < kTVMFFIStaticObjectBegin) return ca->v_uint64 == cb->v_uint64;
    const Object* pa = ObjOf(a);
    const Object* pb = ObjOf(b);
    if (pa == pb) return true;
    ObjectPair pair(pa, pb);
    if (!eq_assumed_.insert(pair).second) return true;  // being compared, or already equal
    eq_log_.push_back(pair);
    switch (ObjectKindOf(ia)) {
      case ObjectKind::kSequence: {
        const auto* sa = static_cast<const SeqBaseObj*>(pa);
        const auto* sb = static_cast<const SeqBaseObj*>(pb);
        if (sa->size() != sb->size()) return false;
        for (size_t i = sa->size(); i-- > 0;) work->emplace_back(sa->at(i), sb->at(i));
        return true;
      }
      case ObjectKind::kMap: {
        const auto* ma = static_cast<const MapBaseObj*>(pa);
        const auto* mb = static_cast<const MapBaseObj*>(pb);
        if (ma->size() != mb->size()) return false;
        for (const auto& kv : *ma) {
          auto it = mb->find(kv.first);
          if (it == mb->end()) return false;
          work->emplace_back(kv.second, (*it).second);
        }
        return true;
      }
      case ObjectKind::kShape:
        return dataclass::ShapeDims(pa) == dataclass::ShapeDims(pb);
      case ObjectKind::kBigInt:
        return a.cast<BigInt>() == b.cast<BigInt>();
      case ObjectKind::kIdentity:
        return false;
      case ObjectKind::kReflected:
        break;
    }
    AnyView eq_hook = hooks_.eq[ia];
    if (eq_hook != nullptr) {
      return eq_hook.cast<Function>()(a, b, EqCallback()).cast<bool>();
    }
    AnyView cmp_hook = hooks_.compare[ia];
    if (cmp_hook != nullptr) {
      return cmp_hook.cast<Function>()(a, b, CompareCallback()).cast<int64_t>() == 0;
    }
    const TVMFFITypeInfo* info = TVMFFIGetTypeInfo(ia);
    if (!dataclass::HasReflectedFields(info)) return false;  // identity, and pa != pb
    std::vector<const TVMFFIFieldInfo*> fields =
        dataclass::FieldsWithout(info, kTVMFFIFieldFlagBitMaskCompareOff);
    for (size_t i = fields.size(); i-- > 0;) {
      reflection::FieldGetter getter(fields[i]);
      work->emplace_back(getter(pa), getter(pb));
    }
    return true;
  }

  [[noreturn]] static void ThrowDifferentTypes(int32_t ia, int32_t ib) {
    if (ia >= kTVMFFIStaticObjectBegin && ib >= kTVMFFIStaticObjectBegin) {
      TVM_FFI_THROW(TypeError) << "Cannot compare objects of different types: "
                               << dataclass::TypeKeyOf(ia) << " vs " << dataclass::TypeKeyOf(ib);
    }
    TVM_FFI_THROW(TypeError) << "Cannot compare values of different types: "
                             << dataclass::TypeKeyOf(ia) << " vs " << dataclass::TypeKeyOf(ib);
    TVM_FFI_UNREACHABLE();
  }

  [[noreturn]] static void ThrowUnorderable(int32_t index) {
    TVM_FFI_THROW(TypeError) << "Cannot order values of type " << dataclass::TypeKeyOf(index);
    TVM_FFI_UNREACHABLE();
  }

  /*! \return the order of the pair, or 0 when equal so far (children may have been pushed). */
  int CompareStep(const Any& a, const Any& b, std::vector<CmpTask>* work) {
    const int32_t ia = NormIndex(a);
    const int32_t ib = NormIndex(b);
    if (ia == kTVMFFINone || ib == kTVMFFINone) {
      return ia == ib ? 0 : (ia == kTVMFFINone ? -1 : 1);
    }
    if (ia != ib) {
      if (IsIntLike(ia) && IsIntLike(ib))
        return Sign(CompareBigInt(a.cast<BigInt>(), b.cast<BigInt>()));
      ThrowDifferentTypes(ia, ib);
    }
    const TVMFFIAny* ca = CellOf(a);
    const TVMFFIAny* cb = CellOf(b);
    switch (ia) {
      case kTVMFFIBool:
      case kTVMFFIInt:
        return ThreeWay(ca->v_int64, cb->v_int64);
      case kTVMFFIFloat:
        if (std::isnan(ca->v_float64) || std::isnan(cb->v_float64)) {
          TVM_FFI_THROW(TypeError) << "Cannot order NaN values";
        }
        return ThreeWay(ca->v_float64, cb->v_float64);
      case kTVMFFIDataType: {
        int c = ThreeWay(ca->v_dtype.code, cb->v_dtype.code);
        if (c == 0) c = ThreeWay(ca->v_dtype.bits, cb->v_dtype.bits);
        if (c == 0) c = ThreeWay(ca->v_dtype.lanes, cb->v_dtype.lanes);
        return c;
      }
      case kTVMFFIDevice: {
        int c = ThreeWay(static_cast<int32_t>(ca->v_device.device_type),
                         static_cast<int32_t>(cb->v_device.device_type));
        if (c == 0) c = ThreeWay(ca->v_device.device_id, cb->v_device.device_id);
        return c;
      }
      case kTVMFFIStr:
      case kTVMFFIBytes:
        return Sign(ContentOf(a).compare(ContentOf(b)));
      default:
        break;
    }
    if (ia < kTVMFFIStaticObjectBegin) ThrowUnorderable(ia);
    const Object* pa = ObjOf(a);
    const Object* pb = ObjOf(b);
    if (pa == pb) return 0;
    ObjectPair pair(pa, pb);
    auto met = cmp_states_.find(pair);
    if (met != cmp_states_.end()) {
      if (met->second) {
        TVM_FFI_THROW(ValueError) << "RecursiveCompare: cyclic reference detected in ordering";
      }
      return 0;
    }
    switch (ObjectKindOf(ia)) {
      case ObjectKind::kSequence: {
        const auto* sa = static_cast<const SeqBaseObj*>(pa);
        const auto* sb = static_cast<const SeqBaseObj*>(pb);
        EnterCompare(pair, work);
        work->push_back(CmpTask::Result(ThreeWay(sa->size(), sb->size())));
        for (size_t i = std::min(sa->size(), sb->size()); i-- > 0;) {
          work->push_back(CmpTask::Compare(sa->at(i), sb->at(i)));
        }
        return 0;
      }
      case ObjectKind::kMap:
        TVM_FFI_THROW(TypeError) << "Cannot order Map/Dict values";
        TVM_FFI_UNREACHABLE();
      case ObjectKind::kShape: {
        dataclass::Dims sa = dataclass::ShapeDims(pa);
        dataclass::Dims sb = dataclass::ShapeDims(pb);
        for (size_t i = 0; i < sa.size && i < sb.size; ++i) {
          if (sa.data[i] != sb.data[i]) return sa.data[i] < sb.data[i] ? -1 : 1;
        }
        return ThreeWay(sa.size, sb.size);
      }
      case ObjectKind::kBigInt:
        return Sign(CompareBigInt(a.cast<BigInt>(), b.cast<BigInt>()));
      case ObjectKind::kIdentity:
        ThrowUnorderable(ia);
      case ObjectKind::kReflected:
        break;
    }
    AnyView cmp_hook = hooks_.compare[ia];
    if (cmp_hook != nullptr) {
      PairScope scope(&cmp_states_, pair);
      return Sign(cmp_hook.cast<Function>()(a, b, CompareCallback()).cast<int64_t>());
    }
    const TVMFFITypeInfo* info = TVMFFIGetTypeInfo(ia);
    if (!dataclass::HasReflectedFields(info)) ThrowUnorderable(ia);
    std::vector<const TVMFFIFieldInfo*> fields =
        dataclass::FieldsWithout(info, kTVMFFIFieldFlagBitMaskCompareOff);
    EnterCompare(pair, work);
    for (size_t i = fields.size(); i-- > 0;) {
      reflection::FieldGetter getter(fields[i]);
      work->push_back(CmpTask::Compare(getter(pa), getter(pb)));
    }
    return 0;
  }

  void EnterCompare(ObjectPair pair, std::vector<CmpTask>* work) {
    bool* state = &cmp_states_.emplace(pair, true).first->second;
    work->push_back(CmpTask::Exit(pair, state));
  }

  const HookColumns& hooks_ = HookColumns::Global();
  PairSet eq_assumed_;
  std::vector<ObjectPair> eq_log_;
  PairStates cmp_states_;
};

// ---------------------------------------------------------------------------------------------
// Hashing
// ---------------------------------------------------------------------------------------------

class Hasher : public std::enable_shared_from_this<Hasher> {
 public:
  uint64_t Hash(const Any& root) {
    // The frames of this call sit above `base` in frames_ (a hook may start a nested call).
    const size_t base = frames_.size();
    struct FrameCleanup {
      Hasher* self;
      size_t base;
      ~FrameCleanup() {
        while (self->frames_.size() > base) {
          self->active_.erase(self->frames_.back().obj);
          self->frames_.pop_back();
        }
      }
    } cleanup{this, base};
    uint64_t h = 0;
    if (Start(root, &h)) return h;
    while (true) {
      Frame& top = frames_.back();
      if (top.next < top.children.size()) {
        Any child = top.children[top.next++];
        uint64_t ch = 0;
        if (Start(child, &ch)) frames_.back().Accept(ch);
        continue;
      }
      uint64_t done = top.Finish();
      bool cyclic = top.cyclic;
      const Object* obj = top.obj;
      active_.erase(obj);
      frames_.pop_back();
      if (!cyclic) memo_.emplace(obj, done);
      if (frames_.size() == base) return done;
      frames_.back().cyclic |= cyclic;
      frames_.back().Accept(done);
    }
  }

 private:
  struct Frame {
    const Object* obj;
    bool is_map;
    bool cyclic = false;
    uint64_t acc;
    uint64_t map_sum = 0;
    uint64_t pending_key = 0;
    size_t next = 0;
    std::vector<Any> children;

    void Accept(uint64_t h) {
      if (!is_map) {
        acc = Combine(acc, h);
      } else if ((next & 1) == 1) {
        pending_key = h;
      } else {
        map_sum += Avalanche(Combine(pending_key, h));
      }
    }
    uint64_t Finish() const { return is_map ? Combine(acc, map_sum) : acc; }
  };

  static uint64_t TypeKeyHash(int32_t index) {
    return static_cast<uint64_t>(TVMFFIGetTypeInfo(index)->type_key_hash);
  }

  static uint64_t HashInt(int64_t v) { return Combine(kTVMFFIInt, static_cast<uint64_t>(v)); }

  Function HashCallback() {
    std::shared_ptr<Hasher> self = shared_from_this();
    return Function::FromTyped(
        [self](const Any& v) -> int64_t { return static_cast<int64_t>(self->Hash(v)); });
  }

  /*! \return true with *out set when the hash is known now; false when a frame was pushed. */
  bool Start(const Any& value, uint64_t* out) {
    const int32_t index = NormIndex(value);
    const TVMFFIAny* cell = CellOf(value);
    switch (index) {
      case kTVMFFINone:
        *out = Combine(kTVMFFINone, 0);
        return true;
      case kTVMFFIBool:
        *out = Combine(kTVMFFIBool, cell->v_uint64);
        return true;
      case kTVMFFIInt:
        *out = HashInt(cell->v_int64);
        return true;
      case kTVMFFIFloat: {
        double v = cell->v_float64;
        uint64_t bits = 0;
        if (std::isnan(v)) {
          bits = kNaNBits;
        } else if (v != 0.0) {
          std::memcpy(&bits, &v, sizeof(bits));
        }
        *out = Combine(kTVMFFIFloat, bits);
        return true;
      }
      case kTVMFFIDataType:
        *out = Combine(kTVMFFIDataType, static_cast<uint64_t>(cell->v_dtype.code) |
                                            (static_cast<uint64_t>(cell->v_dtype.bits) << 8) |
                                            (static_cast<uint64_t>(cell->v_dtype.lanes) << 16));
        return true;
      case kTVMFFIDevice:
        *out = Combine(
            kTVMFFIDevice,
            static_cast<uint64_t>(static_cast<uint32_t>(cell->v_device.device_type)) |
                (static_cast<uint64_t>(static_cast<uint32_t>(cell->v_device.device_id)) << 32));
        return true;
      case kTVMFFIStr:
      case kTVMFFIBytes: {
        std::string_view s = ContentOf(value);
        *out = Combine(Combine(static_cast<uint64_t>(index), s.size()),
                       details::StableHashBytes(s.data(), s.size()));
        return true;
      }
      default:
        break;
    }
    if (index < kTVMFFIStaticObjectBegin) {
      *out = Combine(static_cast<uint64_t>(index), cell->v_uint64);
      return true;
    }
    const Object* obj = ObjOf(value);
    if (active_.count(obj) != 0) {
      // Met again inside itself.
      *out = TypeKeyHash(index);
      if (!frames_.empty()) frames_.back().cyclic = true;
      return true;
    }
    auto it = memo_.find(obj);
    if (it != memo_.end()) {
      *out = it->second;
      return true;
    }
    switch (ObjectKindOf(index)) {
      case ObjectKind::kSequence: {
        const auto* seq = static_cast<const SeqBaseObj*>(obj);
        Frame& f = Push(obj, false, Combine(static_cast<uint64_t>(index), seq->size()));
        f.children.assign(seq->begin(), seq->end());
        return false;
      }
      case ObjectKind::kMap: {
        const auto* map = static_cast<const MapBaseObj*>(obj);
        Frame& f = Push(obj, true, Combine(static_cast<uint64_t>(index), map->size()));
        f.children.reserve(2 * map->size());
        for (const auto& kv : *map) {
          f.children.push_back(kv.first);
          f.children.push_back(kv.second);
        }
        return false;
      }
      case ObjectKind::kShape: {
        dataclass::Dims dims = dataclass::ShapeDims(obj);
        uint64_t h = Combine(kTVMFFIShape, dims.size);
        for (size_t i = 0; i < dims.size; ++i) h = Combine(h, static_cast<uint64_t>(dims.data[i]));
        *out = h;
        return true;
      }
      case ObjectKind::kBigInt: {
        BigInt v = value.cast<BigInt>();
        std::optional<int64_t> small = v.as<int64_t>();
        *out = small.has_value() ? HashInt(*small) : Combine(kTVMFFIBigInt, v.hash());
        return true;
      }
      case ObjectKind::kIdentity:
        *out = TypeKeyHash(index);
        return true;
      case ObjectKind::kReflected:
        break;
    }
    AnyView hash_hook = hooks_.hash[index];
    if (hash_hook != nullptr) {
      active_.insert(obj);
      struct Leave {
        std::unordered_set<const Object*>* active;
        const Object* obj;
        ~Leave() { active->erase(obj); }
      } leave{&active_, obj};
      *out =
          static_cast<uint64_t>(hash_hook.cast<Function>()(value, HashCallback()).cast<int64_t>());
      return true;
    }
    if (hooks_.eq[index] != nullptr || hooks_.compare[index] != nullptr) {
      TVM_FFI_THROW(ValueError) << "RecursiveHash: type '" << dataclass::TypeKeyOf(index)
                                << "' defines __ffi_eq__ or __ffi_compare__ but not "
                                   "__ffi_hash__. Define __ffi_hash__ consistent with the "
                                   "equality to make its values hashable.";
    }
    const TVMFFITypeInfo* info = TVMFFIGetTypeInfo(index);
    if (!dataclass::HasReflectedFields(info)) {
      *out = TypeKeyHash(index);
      return true;
    }
    std::vector<const TVMFFIFieldInfo*> fields = dataclass::FieldsWithout(
        info, kTVMFFIFieldFlagBitMaskCompareOff | kTVMFFIFieldFlagBitMaskHashOff);
    Frame& f = Push(obj, false, TypeKeyHash(index));
    f.children.reserve(fields.size());
    for (const TVMFFIFieldInfo* field : fields) {
      f.children.push_back(reflection::FieldGetter(field)(obj));
    }
    return false;
  }

  Frame& Push(const Object* obj, bool is_map, uint64_t seed) {
    active_.insert(obj);
    Frame f;
    f.obj = obj;
    f.is_map = is_map;
    f.acc = seed;
    frames_.push_back(std::move(f));
    return frames_.back();
  }

  const HookColumns& hooks_ = HookColumns::Global();
  std::vector<Frame> frames_;
  std::unordered_set<const Object*> active_;
  std::unordered_map<const Object*, uint64_t> memo_;
};

bool SeqContains(const SeqBaseObj* seq, const Any& value) {
  // One comparer for all elements: pairs it keeps were found equal (a failed comparison
  // forgets its pairs), so they stay valid for the next element.
  std::shared_ptr<Comparer> comparer = std::make_shared<Comparer>();
  for (const Any& item : *seq) {
    if (comparer->Eq(item, value)) return true;
  }
  return false;
}

}  // namespace

bool RecursiveEq(const Any& lhs, const Any& rhs) {
  return std::make_shared<Comparer>()->Eq(lhs, rhs);
}

int64_t RecursiveHash(const Any& value) {
  return static_cast<int64_t>(std::make_shared<Hasher>()->Hash(value));
}

bool RecursiveLt(const Any& lhs, const Any& rhs) {
  return std::make_shared<Comparer>()->Compare(lhs, rhs) < 0;
}

bool RecursiveLe(const Any& lhs, const Any& rhs) {
  return std::make_shared<Comparer>()->Compare(lhs, rhs) <= 0;
}

bool RecursiveGt(const Any& lhs, const Any& rhs) {
  return std::make_shared<Comparer>()->Compare(lhs, rhs) > 0;
}

bool RecursiveGe(const Any& lhs, const Any& rhs) {
  return std::make_shared<Comparer>()->Compare(lhs, rhs) >= 0;
}

TVM_FFI_STATIC_INIT_BLOCK() {
  namespace refl = reflection;
  refl::GlobalDef()
      .def("ffi.RecursiveEq", [](const Any& a, const Any& b) { return RecursiveEq(a, b); })
      .def("ffi.RecursiveLt", [](const Any& a, const Any& b) { return RecursiveLt(a, b); })
      .def("ffi.RecursiveLe", [](const Any& a, const Any& b) { return RecursiveLe(a, b); })
      .def("ffi.RecursiveGt", [](const Any& a, const Any& b) { return RecursiveGt(a, b); })
      .def("ffi.RecursiveGe", [](const Any& a, const Any& b) { return RecursiveGe(a, b); })
      .def("ffi.RecursiveHash", [](const Any& value) { return RecursiveHash(value); })
      .def("ffi.ArrayContains",
           [](const Array<Any>& array, const Any& value) {
             return SeqContains(static_cast<const SeqBaseObj*>(array.get()), value);
           })
      .def("ffi.ListContains", [](const List<Any>& list, const Any& value) {
        return SeqContains(static_cast<const SeqBaseObj*>(list.get()), value);
      });
}

}  // namespace ffi
}  // namespace tvm
