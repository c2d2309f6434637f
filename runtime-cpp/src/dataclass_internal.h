/*!
 * \file dataclass_internal.h
 * \brief Helpers shared by recursive_compare.cc and deep_copy.cc: how a value's object type is
 *        treated by the dataclass operations, and the reflected fields they walk.
 */
#ifndef TVM_FFI_RUNTIME_SRC_DATACLASS_INTERNAL_H_
#define TVM_FFI_RUNTIME_SRC_DATACLASS_INTERNAL_H_

#include <tvm/ffi/c_api.h>
#include <tvm/ffi/container/shape.h>
#include <tvm/ffi/object.h>
#include <tvm/ffi/reflection/accessor.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace tvm {
namespace ffi {
namespace dataclass {

/*! \brief How the dataclass operations treat an object type. */
enum class ObjectKind {
  /*! \brief Array, List: elements in order. */
  kSequence,
  /*! \brief Map, Dict: entries in any order. */
  kMap,
  /*! \brief Shape: its dimensions. */
  kShape,
  /*! \brief BigInt: its value. */
  kBigInt,
  /*! \brief Tensor, Function, Error, OpaquePyObject, Module: the object itself. */
  kIdentity,
  /*! \brief Any other object: hooks, else reflected fields, else identity. */
  kReflected,
};

/*! \return the kind of an object type index (>= kTVMFFIStaticObjectBegin, not str/bytes). */
inline ObjectKind ObjectKindOf(int32_t type_index) {
  switch (type_index) {
    case kTVMFFIArray:
    case kTVMFFIList:
      return ObjectKind::kSequence;
    case kTVMFFIMap:
    case kTVMFFIDict:
      return ObjectKind::kMap;
    case kTVMFFIShape:
      return ObjectKind::kShape;
    case kTVMFFIBigInt:
      return ObjectKind::kBigInt;
    case kTVMFFITensor:
    case kTVMFFIFunction:
    case kTVMFFIError:
    case kTVMFFIOpaquePyObject:
    case kTVMFFIModule:
      return ObjectKind::kIdentity;
    default:
      return ObjectKind::kReflected;
  }
}

/*! \brief The dimensions of a Shape object. */
struct Dims {
  const int64_t* data;
  size_t size;

  friend bool operator==(const Dims& a, const Dims& b) {
    return a.size == b.size && std::equal(a.data, a.data + a.size, b.data);
  }
};

inline Dims ShapeDims(const Object* shape) {
  const auto* cell = static_cast<const ShapeObj*>(shape);
  return Dims{cell->data, cell->size};
}

/*! \return the type key of a type index (the heap key for the small str/bytes forms). */
inline std::string TypeKeyOf(int32_t type_index) {
  if (type_index == kTVMFFISmallStr) type_index = kTVMFFIStr;
  if (type_index == kTVMFFISmallBytes) type_index = kTVMFFIBytes;
  const TVMFFITypeInfo* info = TVMFFIGetTypeInfo(type_index);
  if (info == nullptr) return "type_index(" + std::to_string(type_index) + ")";
  return std::string(info->type_key.data, info->type_key.size);
}

/*! \return whether the type or one of its ancestors has a reflected field. */
inline bool HasReflectedFields(const TVMFFITypeInfo* info) {
  return reflection::ForEachFieldInfoWithEarlyStop(info,
                                                   [](const TVMFFIFieldInfo*) { return true; });
}

/*!
 * \return the readable fields of the type (ancestors first, in registration order) that have
 *         none of the `skip_flags` bits.
 */
inline std::vector<const TVMFFIFieldInfo*> FieldsWithout(const TVMFFITypeInfo* info,
                                                         int64_t skip_flags) {
  std::vector<const TVMFFIFieldInfo*> fields;
  reflection::ForEachFieldInfo(info, [&](const TVMFFIFieldInfo* field) {
    if ((field->flags & skip_flags) != 0 || field->getter == nullptr) return;
    fields.push_back(field);
  });
  return fields;
}

}  // namespace dataclass
}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_RUNTIME_SRC_DATACLASS_INTERNAL_H_
