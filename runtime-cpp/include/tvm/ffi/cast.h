/*!
 * \file tvm/ffi/cast.h
 * \brief Turning raw object pointers back into references.
 */
#ifndef TVM_FFI_CAST_H_
#define TVM_FFI_CAST_H_

#include <tvm/ffi/any.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/object.h>
#include <tvm/ffi/optional.h>

#include <type_traits>

namespace tvm {
namespace ffi {

/*!
 * \brief A new strong reference of type RefType to the object at ptr.
 * A null ptr gives a null reference for nullable types and fails otherwise.
 */
template <typename RefType, typename ObjectType>
inline RefType GetRef(const ObjectType* ptr) {
  static_assert(std::is_base_of_v<typename RefType::ContainerType, ObjectType>,
                "can only cast to the reference type of the object or of one of its bases");
  if constexpr (is_optional_type_v<RefType> || RefType::_type_is_nullable) {
    if (ptr == nullptr) return RefType(UnsafeInit{});
  } else {
    TVM_FFI_ICHECK_NOTNULL(ptr);
  }
  return details::ObjectUnsafe::ObjectRefFromObjectPtr<RefType>(
      details::ObjectUnsafe::ObjectPtrFromUnowned<Object>(
          const_cast<Object*>(static_cast<const Object*>(ptr))));
}

/*! \brief A new strong ObjectPtr<BaseType> to the object at ptr. */
template <typename BaseType, typename ObjectType>
inline ObjectPtr<BaseType> GetObjectPtr(ObjectType* ptr) {
  static_assert(std::is_base_of_v<BaseType, ObjectType>,
                "can only cast to a base class of the object");
  return details::ObjectUnsafe::ObjectPtrFromUnowned<BaseType>(
      static_cast<Object*>(const_cast<std::remove_const_t<ObjectType>*>(ptr)));
}

}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_CAST_H_
