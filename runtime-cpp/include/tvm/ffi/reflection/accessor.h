/*!
 * \file tvm/ffi/reflection/accessor.h
 * \brief Reading reflection information back: field and method lookup, field getters and
 *        setters, type attribute columns and field iteration over a type hierarchy.
 */
#ifndef TVM_FFI_REFLECTION_ACCESSOR_H_
#define TVM_FFI_REFLECTION_ACCESSOR_H_

#include <tvm/ffi/any.h>
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/type_traits.h>

#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace tvm {
namespace ffi {
namespace reflection {

namespace accessor_details {

inline std::string_view ByteArrayView(const TVMFFIByteArray& arr) {
  return arr.size == 0 ? std::string_view() : std::string_view(arr.data, arr.size);
}

inline const TVMFFITypeInfo* TypeInfoOfKey(std::string_view type_key) {
  return TVMFFIGetTypeInfo(TypeKeyToIndex(type_key));
}

/*! \brief Address of a field: the object's header plus the recorded offset. */
inline void* FieldAddress(const Object* obj, const TVMFFIFieldInfo* info) {
  char* header = reinterpret_cast<char*>(::tvm::ffi::details::ObjectUnsafe::GetHeader(obj));
  return header + info->offset;
}

}  // namespace accessor_details

/*!
 * \brief Writes a field through its setter, whichever form the record holds: a
 *        TVMFFIFieldSetter, or (with kTVMFFIFieldFlagBitSetterIsFunctionObj) a Function object
 *        called with (OpaquePtr field address, value).
 * \return the setter's status (0 on success, non-zero with the error raised).
 */
inline int CallFieldSetter(const TVMFFIFieldInfo* info, void* field_addr, const TVMFFIAny* value) {
  if ((info->flags & kTVMFFIFieldFlagBitSetterIsFunctionObj) == 0) {
    return reinterpret_cast<TVMFFIFieldSetter>(info->setter)(field_addr, value);
  }
  TVMFFIAny args[2];
  args[0].type_index = kTVMFFIOpaquePtr;
  args[0].zero_padding = 0;
  args[0].v_ptr = field_addr;
  args[1] = *value;
  TVMFFIAny result;
  result.type_index = kTVMFFINone;
  result.zero_padding = 0;
  result.v_int64 = 0;
  int code = TVMFFIFunctionCall(info->setter, args, 2, &result);
  if (code == 0 && result.type_index >= kTVMFFIStaticObjectBegin) {
    TVMFFIObjectDecRef(result.v_obj);
  }
  return code;
}

/*!
 * \brief The default of a field for a new instance: the stored value, or (with
 *        kTVMFFIFieldFlagBitMaskDefaultFromFactory) the result of calling the stored factory.
 *        None when the field has no default.
 */
inline Any GetFieldDefaultValue(const TVMFFIFieldInfo* info) {
  if ((info->flags & kTVMFFIFieldFlagBitMaskHasDefault) == 0) return Any();
  AnyView stored = AnyView::CopyFromTVMFFIAny(info->default_value_or_factory);
  if ((info->flags & kTVMFFIFieldFlagBitMaskDefaultFromFactory) != 0) {
    return stored.cast<Function>()();
  }
  return Any(stored);
}

/*!
 * \brief The field `field_name` of `type_key`, searching the type's own fields first, then
 *        its ancestors from the nearest one. RuntimeError when there is none.
 */
inline const TVMFFIFieldInfo* GetFieldInfo(std::string_view type_key, const char* field_name) {
  const TVMFFITypeInfo* info = accessor_details::TypeInfoOfKey(type_key);
  std::string_view name(field_name);
  for (const TVMFFITypeInfo* cur = info; cur != nullptr;) {
    for (int32_t i = 0; i < cur->num_fields; ++i) {
      if (accessor_details::ByteArrayView(cur->fields[i].name) == name) return &(cur->fields[i]);
    }
    cur = cur->type_depth > 0 ? cur->type_ancestors[cur->type_depth - 1] : nullptr;
  }
  TVM_FFI_THROW(RuntimeError) << "Cannot find field `" << name << "` in type `" << type_key << "`";
  TVM_FFI_UNREACHABLE();
}

/*! \brief The method `method_name` registered on `type_key` itself. RuntimeError when absent. */
inline const TVMFFIMethodInfo* GetMethodInfo(std::string_view type_key, const char* method_name) {
  const TVMFFITypeInfo* info = accessor_details::TypeInfoOfKey(type_key);
  std::string_view name(method_name);
  for (int32_t i = 0; i < info->num_methods; ++i) {
    if (accessor_details::ByteArrayView(info->methods[i].name) == name) return &(info->methods[i]);
  }
  TVM_FFI_THROW(RuntimeError) << "Cannot find method `" << name << "` in type `" << type_key << "`";
  TVM_FFI_UNREACHABLE();
}

/*! \brief The Function of method `method_name` of `type_key` (RuntimeError when absent). */
inline Function GetMethod(std::string_view type_key, const char* method_name) {
  const TVMFFIMethodInfo* info = GetMethodInfo(type_key, method_name);
  return AnyView::CopyFromTVMFFIAny(info->method).cast<Function>();
}

/*! \brief Reads one reflected field of an object (an owning Any). */
class FieldGetter {
 public:
  explicit FieldGetter(const TVMFFIFieldInfo* field_info) : field_info_(field_info) {
    if (field_info_ == nullptr || field_info_->getter == nullptr) {
      TVM_FFI_THROW(RuntimeError) << "FieldGetter needs a field with a getter";
    }
  }
  FieldGetter(std::string_view type_key, const char* field_name)
      : FieldGetter(GetFieldInfo(type_key, field_name)) {}

  Any operator()(const Object* obj) const {
    if (obj == nullptr) {
      TVM_FFI_THROW(ValueError) << "Cannot get field `"
                                << accessor_details::ByteArrayView(field_info_->name)
                                << "` of a null object";
    }
    Any result;
    TVM_FFI_CHECK_SAFE_CALL(
        field_info_->getter(accessor_details::FieldAddress(obj, field_info_),
                            ::tvm::ffi::details::AnyUnsafe::TVMFFIAnyPtrFromAny(result)));
    return result;
  }
  Any operator()(const ObjectPtr<Object>& obj) const { return operator()(obj.get()); }
  Any operator()(const ObjectRef& obj) const { return operator()(obj.get()); }

 private:
  const TVMFFIFieldInfo* field_info_;
};

/*! \brief Writes one reflected field of an object (conversion errors are thrown). */
class FieldSetter {
 public:
  explicit FieldSetter(const TVMFFIFieldInfo* field_info) : field_info_(field_info) {
    if (field_info_ == nullptr || field_info_->setter == nullptr) {
      TVM_FFI_THROW(RuntimeError) << "FieldSetter needs a field with a setter";
    }
  }
  FieldSetter(std::string_view type_key, const char* field_name)
      : FieldSetter(GetFieldInfo(type_key, field_name)) {}

  void operator()(const Object* obj, AnyView value) const {
    if (obj == nullptr) {
      TVM_FFI_THROW(ValueError) << "Cannot set field `"
                                << accessor_details::ByteArrayView(field_info_->name)
                                << "` of a null object";
    }
    TVMFFIAny cell = value.CopyToTVMFFIAny();
    TVM_FFI_CHECK_SAFE_CALL(
        CallFieldSetter(field_info_, accessor_details::FieldAddress(obj, field_info_), &cell));
  }
  void operator()(const ObjectPtr<Object>& obj, AnyView value) const {
    operator()(obj.get(), value);
  }
  void operator()(const ObjectRef& obj, AnyView value) const { operator()(obj.get(), value); }

 private:
  const TVMFFIFieldInfo* field_info_;
};

/*! \brief A type attribute column: values indexed by type index (None where unset). */
class TypeAttrColumn {
 public:
  explicit TypeAttrColumn(std::string_view attr_name) {
    TVMFFIByteArray name{attr_name.data(), attr_name.size()};
    column_ = TVMFFIGetTypeAttrColumn(&name);
    if (column_ == nullptr) {
      TVM_FFI_THROW(RuntimeError) << "Cannot find type attribute column `" << attr_name << "`";
    }
  }

  /*! \return the attribute of the type (exact type only), None when unset or out of range. */
  AnyView operator[](int32_t type_index) const {
    int32_t offset = type_index - column_->begin_index;
    if (type_index < 0 || offset < 0 || offset >= column_->size) return AnyView();
    return AnyView::CopyFromTVMFFIAny(column_->data[offset]);
  }

 private:
  const TVMFFITypeAttrColumn* column_;
};

/*!
 * \brief Visit every field of a type: the fields of its ancestors first (outermost first,
 *        the root ffi.Object skipped), then its own, each in registration order; stops at
 *        the first callback returning true.
 * \return whether a callback stopped the walk.
 */
template <typename Callback>
inline bool ForEachFieldInfoWithEarlyStop(const TypeInfo* type_info, Callback callback) {
  using Ret = decltype(callback(static_cast<const TVMFFIFieldInfo*>(nullptr)));
  static_assert(std::is_same_v<Ret, bool>, "the callback must return bool");
  auto visit = [&callback](const TypeInfo* info) -> bool {
    for (int32_t i = 0; i < info->num_fields; ++i) {
      if (callback(&(info->fields[i]))) return true;
    }
    return false;
  };
  for (int32_t depth = 1; depth < type_info->type_depth; ++depth) {
    if (visit(type_info->type_ancestors[depth])) return true;
  }
  return visit(type_info);
}

/*! \brief Visit every field of a type, in the order of ForEachFieldInfoWithEarlyStop. */
template <typename Callback>
inline void ForEachFieldInfo(const TypeInfo* type_info, Callback callback) {
  using Ret = decltype(callback(static_cast<const TVMFFIFieldInfo*>(nullptr)));
  static_assert(std::is_same_v<Ret, void>, "the callback must return void");
  ForEachFieldInfoWithEarlyStop(type_info, [&callback](const TVMFFIFieldInfo* field) {
    callback(field);
    return false;
  });
}

}  // namespace reflection
}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_REFLECTION_ACCESSOR_H_
