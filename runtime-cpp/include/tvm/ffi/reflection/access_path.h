/*!
 * \file tvm/ffi/reflection/access_path.h
 * \brief Access paths: how a value is reached from a root by attribute, array and map steps.
 *
 * A path is an immutable linked list from the leaf back to the root: every AccessPathObj
 * holds its parent, the step that leads from the parent to it, and its depth (the root has
 * no parent, no step and depth 0). Structural equality reports mismatches as pairs of paths.
 *
 * The "missing" step kinds describe an element that exists on one side of a comparison but
 * not on the other (e.g. the extra array element of the longer array).
 */
#ifndef TVM_FFI_REFLECTION_ACCESS_PATH_H_
#define TVM_FFI_REFLECTION_ACCESS_PATH_H_

#include <tvm/ffi/any.h>
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/cast.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/tuple.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/memory.h>
#include <tvm/ffi/optional.h>
#include <tvm/ffi/reflection/registry.h>
#include <tvm/ffi/string.h>

#include <cstdint>
#include <utility>
#include <vector>

namespace tvm {
namespace ffi {
namespace reflection {

/*! \brief The kind of one access step. */
enum class AccessKind : int32_t {
  /*! \brief Attribute (field) access; key is the field name (String). */
  kAttr = 0,
  /*! \brief Array element; key is the index (int). */
  kArrayItem = 1,
  /*! \brief Map value; key is the map key (Any). */
  kMapItem = 2,
  /*! \brief An attribute that does not exist on this side; key is its name. */
  kAttrMissing = 3,
  /*! \brief An array element that does not exist on this side; key is the index. */
  kArrayItemMissing = 4,
  /*! \brief A map key that does not exist on this side; key is the key (may be None). */
  kMapItemMissing = 5,
};

class AccessStep;
class AccessPath;

/*! \brief One step of an access path: a kind plus its key. */
class AccessStepObj : public Object {
 public:
  /*! \brief What kind of access this is. */
  AccessKind kind;
  /*! \brief Field name, array index or map key, depending on kind. */
  Any key;

  AccessStepObj(AccessKind kind, Any key) : kind(kind), key(std::move(key)) {}

  /*! \return whether both steps have the same kind and equal keys (strings by content). */
  inline bool StepEqual(const AccessStep& other) const;

  static constexpr TVMFFISEqHashKind _type_s_eq_hash_kind = kTVMFFISEqHashKindConstTreeNode;
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("ffi.reflection.AccessStep", AccessStepObj, Object);
};

/*! \brief Reference to an AccessStepObj (never null). */
class AccessStep : public ObjectRef {
 public:
  AccessStep(AccessKind kind, Any key)
      : ObjectRef(make_object<AccessStepObj>(kind, std::move(key))) {}

  /*! \brief Step to the field `name`. */
  static AccessStep Attr(String name) { return AccessStep(AccessKind::kAttr, std::move(name)); }
  /*! \brief Step to a field `name` that the other side lacks. */
  static AccessStep AttrMissing(String name) {
    return AccessStep(AccessKind::kAttrMissing, std::move(name));
  }
  /*! \brief Step to element `index` of an array. */
  static AccessStep ArrayItem(int64_t index) { return AccessStep(AccessKind::kArrayItem, index); }
  /*! \brief Step to an element `index` that the other side's array lacks. */
  static AccessStep ArrayItemMissing(int64_t index) {
    return AccessStep(AccessKind::kArrayItemMissing, index);
  }
  /*! \brief Step to the value of `key` in a map. */
  static AccessStep MapItem(Any key) { return AccessStep(AccessKind::kMapItem, std::move(key)); }
  /*! \brief Step to a map key that the other side lacks. */
  static AccessStep MapItemMissing(Any key = nullptr) {
    return AccessStep(AccessKind::kMapItemMissing, std::move(key));
  }

  TVM_FFI_DEFINE_OBJECT_REF_METHODS_NOTNULLABLE(AccessStep, ObjectRef, AccessStepObj);
};

inline bool AccessStepObj::StepEqual(const AccessStep& other) const {
  return kind == other->kind && AnyEqual()(key, other->key);
}

/*! \brief A node of an access path (see the file comment). */
class AccessPathObj : public Object {
 public:
  /*! \brief The path without its last step (an AccessPath); empty at the root. */
  Optional<ObjectRef> parent;
  /*! \brief The last step; empty at the root. */
  Optional<AccessStep> step;
  /*! \brief Number of steps from the root (0 for the root). */
  int32_t depth;

  AccessPathObj(Optional<ObjectRef> parent, Optional<AccessStep> step, int32_t depth)
      : parent(std::move(parent)), step(std::move(step)), depth(depth) {}

  /*! \return the parent path, empty at the root. */
  inline Optional<AccessPath> GetParent() const;
  /*! \return this path followed by `step`. */
  inline AccessPath Extend(AccessStep step) const;
  inline AccessPath Attr(String name) const;
  inline AccessPath AttrMissing(String name) const;
  inline AccessPath ArrayItem(int64_t index) const;
  inline AccessPath ArrayItemMissing(int64_t index) const;
  inline AccessPath MapItem(Any key) const;
  inline AccessPath MapItemMissing(Any key) const;
  /*! \return the steps from the root to this node (empty for the root). */
  inline Array<AccessStep> ToSteps() const;
  /*! \return whether both paths consist of equal steps. */
  inline bool PathEqual(const AccessPath& other) const;
  /*! \return whether this path is a prefix of (or equal to) `other`. */
  inline bool IsPrefixOf(const AccessPath& other) const;

  static constexpr TVMFFISEqHashKind _type_s_eq_hash_kind = kTVMFFISEqHashKindConstTreeNode;
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("ffi.reflection.AccessPath", AccessPathObj, Object);

 private:
  /*! \brief Walk up from this node to the node at `target_depth` (<= depth). */
  inline const AccessPathObj* AncestorAt(int32_t target_depth) const;
};

/*! \brief Reference to an AccessPathObj (never null). */
class AccessPath : public ObjectRef {
 public:
  /*! \return the empty path. */
  static AccessPath Root() {
    return AccessPath(make_object<AccessPathObj>(std::nullopt, std::nullopt, 0));
  }

  /*! \return the path made of the steps in [begin, end), starting at the root. */
  template <typename Iter>
  static AccessPath FromSteps(Iter begin, Iter end) {
    AccessPath path = Root();
    for (Iter it = begin; it != end; ++it) path = path->Extend(*it);
    return path;
  }
  /*! \return the path made of `steps`, starting at the root. */
  static AccessPath FromSteps(const Array<AccessStep>& steps) {
    return FromSteps(steps.begin(), steps.end());
  }

  /*! \brief Adopt an existing path node. */
  explicit AccessPath(ObjectPtr<AccessPathObj> ptr) : ObjectRef(std::move(ptr)) {}

  TVM_FFI_DEFINE_OBJECT_REF_METHODS_NOTNULLABLE(AccessPath, ObjectRef, AccessPathObj);
};

/*! \brief A pair of paths (left-hand side, right-hand side), e.g. a structural mismatch. */
using AccessPathPair = Tuple<AccessPath, AccessPath>;

inline Optional<AccessPath> AccessPathObj::GetParent() const {
  if (!parent.has_value()) return std::nullopt;
  return GetRef<AccessPath>(static_cast<const AccessPathObj*>(parent.value().get()));
}

inline AccessPath AccessPathObj::Extend(AccessStep step) const {
  return AccessPath(
      make_object<AccessPathObj>(GetRef<ObjectRef>(this), std::move(step), depth + 1));
}
inline AccessPath AccessPathObj::Attr(String name) const {
  return Extend(AccessStep::Attr(std::move(name)));
}
inline AccessPath AccessPathObj::AttrMissing(String name) const {
  return Extend(AccessStep::AttrMissing(std::move(name)));
}
inline AccessPath AccessPathObj::ArrayItem(int64_t index) const {
  return Extend(AccessStep::ArrayItem(index));
}
inline AccessPath AccessPathObj::ArrayItemMissing(int64_t index) const {
  return Extend(AccessStep::ArrayItemMissing(index));
}
inline AccessPath AccessPathObj::MapItem(Any key) const {
  return Extend(AccessStep::MapItem(std::move(key)));
}
inline AccessPath AccessPathObj::MapItemMissing(Any key) const {
  return Extend(AccessStep::MapItemMissing(std::move(key)));
}

inline Array<AccessStep> AccessPathObj::ToSteps() const {
  std::vector<AccessStep> steps;
  steps.reserve(static_cast<size_t>(depth > 0 ? depth : 0));
  for (const AccessPathObj* node = this; node->step.has_value();
       node = static_cast<const AccessPathObj*>(node->parent.value().get())) {
    steps.push_back(node->step.value());
  }
  return Array<AccessStep>(steps.rbegin(), steps.rend());
}

inline const AccessPathObj* AccessPathObj::AncestorAt(int32_t target_depth) const {
  const AccessPathObj* node = this;
  while (node->depth > target_depth) {
    node = static_cast<const AccessPathObj*>(node->parent.value().get());
  }
  return node;
}

inline bool AccessPathObj::PathEqual(const AccessPath& other) const {
  const AccessPathObj* lhs = this;
  const AccessPathObj* rhs = other.get();
  if (lhs->depth != rhs->depth) return false;
  while (lhs != rhs && lhs->step.has_value()) {
    if (!rhs->step.has_value() || !lhs->step.value()->StepEqual(rhs->step.value())) return false;
    lhs = static_cast<const AccessPathObj*>(lhs->parent.value().get());
    rhs = static_cast<const AccessPathObj*>(rhs->parent.value().get());
  }
  return true;
}

inline bool AccessPathObj::IsPrefixOf(const AccessPath& other) const {
  if (depth > other->depth) return false;
  return PathEqual(GetRef<AccessPath>(other->AncestorAt(depth)));
}

}  // namespace reflection
}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_REFLECTION_ACCESS_PATH_H_
