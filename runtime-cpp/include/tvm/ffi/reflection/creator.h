/*!
 * \file tvm/ffi/reflection/creator.h
 * \brief Creating reflected objects from field values.
 */
#ifndef TVM_FFI_REFLECTION_CREATOR_H_
#define TVM_FFI_REFLECTION_CREATOR_H_

#include <tvm/ffi/any.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/reflection/accessor.h>
#include <tvm/ffi/string.h>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

namespace tvm {
namespace ffi {
namespace reflection {

/*!
 * \brief Builds objects of one type through its reflection creator, then assigns every
 *        reflected field (ancestors' fields first) from a map of field values, falling back
 *        to the field's default.
 *
 * Errors: RuntimeError at construction when the type has no creator; TypeError when a
 * field without default is missing (`Required field `<f>` not set in type `<key>``) or a
 * key names no field (`Type `<key>` does not have field `<name>``); field conversion
 * errors (TypeError) come from the field setters. Read-only fields are set too.
 */
class ObjectCreator {
 public:
  explicit ObjectCreator(std::string_view type_key)
      : ObjectCreator(TVMFFIGetTypeInfo(TypeKeyToIndex(type_key))) {}

  explicit ObjectCreator(const TVMFFITypeInfo* type_info) : type_info_(type_info) {
    if (type_info_->metadata == nullptr || type_info_->metadata->creator == nullptr) {
      TVM_FFI_THROW(RuntimeError) << "Type `" << TypeKey()
                                  << "` does not support reflection creation";
    }
  }

  /*! \return the new object (as an Any holding it). */
  Any operator()(const Map<String, Any>& fields) const {
    TVMFFIObjectHandle handle = nullptr;
    TVM_FFI_CHECK_SAFE_CALL(type_info_->metadata->creator(&handle));
    ObjectPtr<Object> obj = ::tvm::ffi::details::ObjectUnsafe::ObjectPtrFromOwned<Object>(
        static_cast<TVMFFIObject*>(handle));
    char* header = static_cast<char*>(handle);
    std::unordered_set<std::string> used;
    ForEachFieldInfo(type_info_, [&](const TVMFFIFieldInfo* field) {
      std::string name(field->name.data, field->name.size);
      TVMFFIAny value;
      std::optional<Any> given = fields.Get(String(name));
      if (given.has_value()) {
        used.insert(name);
        value = AnyView(*given).CopyToTVMFFIAny();
        TVM_FFI_CHECK_SAFE_CALL(CallFieldSetter(field, header + field->offset, &value));
      } else if (field->flags & kTVMFFIFieldFlagBitMaskHasDefault) {
        Any default_value = GetFieldDefaultValue(field);
        value = AnyView(default_value).CopyToTVMFFIAny();
        TVM_FFI_CHECK_SAFE_CALL(CallFieldSetter(field, header + field->offset, &value));
      } else {
        TVM_FFI_THROW(TypeError) << "Required field `" << name << "` not set in type `" << TypeKey()
                                 << "`";
      }
    });
    if (used.size() != static_cast<size_t>(fields.size())) {
      for (const auto& kv : fields) {
        std::string key(kv.first.data(), kv.first.size());
        if (used.count(key) == 0) {
          TVM_FFI_THROW(TypeError)
              << "Type `" << TypeKey() << "` does not have field `" << key << "`";
        }
      }
    }
    return Any(ObjectRef(std::move(obj)));
  }

 private:
  std::string TypeKey() const {
    return std::string(type_info_->type_key.data, type_info_->type_key.size);
  }

  const TVMFFITypeInfo* type_info_;
};

}  // namespace reflection
}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_REFLECTION_CREATOR_H_
