/*!
 * \file tvm/ffi/rvalue_ref.h
 * \brief RValueRef<T>: pass an object reference so that the callee may take it over.
 *
 * As an argument it is encoded as kTVMFFIObjectRValueRef: a pointer to the caller's object
 * slot. A callee parameter RValueRef<T> moves the object out of the slot (enabling in-place
 * copy-on-write updates) and also accepts a plain T argument (which it copies).
 */
#ifndef TVM_FFI_RVALUE_REF_H_
#define TVM_FFI_RVALUE_REF_H_

#include <tvm/ffi/object.h>
#include <tvm/ffi/type_traits.h>

#include <optional>
#include <string>
#include <type_traits>
#include <utility>

namespace tvm {
namespace ffi {

template <typename TObjRef, typename = std::enable_if_t<std::is_base_of_v<ObjectRef, TObjRef>>>
class RValueRef {
 public:
  using ContainerType = typename TObjRef::ContainerType;
  explicit RValueRef(TObjRef&& data)
      : data_(details::ObjectUnsafe::ObjectPtrFromObjectRef<Object>(std::move(data))) {}
  /*! \brief Move the reference out. */
  TObjRef operator*() && {
    return details::ObjectUnsafe::ObjectRefFromObjectPtr<TObjRef>(std::move(data_));
  }

 private:
  explicit RValueRef(ObjectPtr<Object> data) : data_(std::move(data)) {}
  mutable ObjectPtr<Object> data_;

  template <typename, typename>
  friend struct TypeTraits;
};

template <typename TObjRef>
inline constexpr bool use_default_type_traits_v<RValueRef<TObjRef>> = false;

template <typename TObjRef>
struct TypeTraits<RValueRef<TObjRef>> : public TypeTraitsBase {
  static constexpr bool storage_enabled = false;
  using ContainerType = typename TObjRef::ContainerType;

  TVM_FFI_INLINE static void CopyToAnyView(const RValueRef<TObjRef>& src, TVMFFIAny* result) {
    details::WritePODHeader(kTVMFFIObjectRValueRef, result);
    result->v_ptr = details::ObjectUnsafe::GetObjectPtrSlot(&src.data_);
  }
  TVM_FFI_INLINE static std::optional<RValueRef<TObjRef>> TryCastFromAnyView(const TVMFFIAny* src) {
    if (src->type_index == kTVMFFIObjectRValueRef) {
      Object** slot = static_cast<Object**>(src->v_ptr);
      if (*slot == nullptr) return std::nullopt;
      TVMFFIAny view;
      details::WriteObjectToAny(details::ObjectUnsafe::GetHeader(*slot), &view);
      if (!TypeTraits<TObjRef>::CheckAnyStrict(&view)) {
        // Not the exact type: try a converting copy (e.g. Array<Any> of ints to Array<int>);
        // the caller's slot keeps its object since the result is a new value.
        if (std::optional<TObjRef> converted = TypeTraits<TObjRef>::TryCastFromAnyView(&view)) {
          return RValueRef<TObjRef>(*std::move(converted));
        }
        return std::nullopt;
      }
      ObjectPtr<Object> taken = details::ObjectUnsafe::ObjectPtrFromOwned<Object>(*slot);
      *slot = nullptr;
      return RValueRef<TObjRef>(std::move(taken));
    }
    if (std::optional<TObjRef> opt = TypeTraits<TObjRef>::TryCastFromAnyView(src)) {
      return RValueRef<TObjRef>(*std::move(opt));
    }
    return std::nullopt;
  }
  static std::string GetMismatchTypeInfo(const TVMFFIAny* src) {
    if (src->type_index == kTVMFFIObjectRValueRef) {
      Object* obj = *static_cast<Object**>(src->v_ptr);
      if (obj == nullptr) return "ObjectRValueRef<moved>";
      TVMFFIAny view;
      details::WriteObjectToAny(details::ObjectUnsafe::GetHeader(obj), &view);
      return "RValueRef<" + TypeTraits<TObjRef>::GetMismatchTypeInfo(&view) + ">";
    }
    return TypeTraits<TObjRef>::GetMismatchTypeInfo(src);
  }
  static std::string TypeStr() { return "RValueRef<" + TypeTraits<TObjRef>::TypeStr() + ">"; }
  static std::string TypeSchema() {
    return R"({"type":"ObjectRValueRef","args":[)" + TypeTraits<TObjRef>::TypeSchema() + "]}";
  }
};

}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_RVALUE_REF_H_
