/*!
 * \file tvm/ffi/type_traits.h
 * \brief TypeTraits<T>: how a C++ type is stored in and read from a TVMFFIAny cell.
 *
 * Each specialisation may provide:
 * - CopyToAnyView(const T&, TVMFFIAny*)   write a borrowed view (no reference taken)
 * - MoveToAny(T, TVMFFIAny*)              write an owning value (storage types)
 * - CheckAnyStrict(const TVMFFIAny*)      the cell already holds T's canonical form
 * - CopyFromAnyViewAfterCheck / MoveFromAnyAfterCheck   read after CheckAnyStrict succeeded
 * - TryCastFromAnyView(const TVMFFIAny*)  lenient conversion (int->float, str->dtype, ...)
 * - TypeStr() / TypeSchema()              names for error messages and metadata
 * - field_static_type_index               static type knowledge for reflection fields
 * `convert_enabled` says T can cross the boundary; `storage_enabled` says an owning Any (and
 * so a container) may hold it.
 */
#ifndef TVM_FFI_TYPE_TRAITS_H_
#define TVM_FFI_TYPE_TRAITS_H_

#include <tvm/ffi/base_details.h>
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/object.h>

#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace tvm {
namespace ffi {

/*! \brief Primary template: a type the FFI knows nothing about. */
template <typename, typename = void>
struct TypeTraits {
  static constexpr bool convert_enabled = false;
  static constexpr bool storage_enabled = false;
};

template <typename T>
using TypeTraitsNoCR = TypeTraits<std::remove_const_t<std::remove_reference_t<T>>>;

/*! \brief Set to false for ObjectRef subclasses that bring their own TypeTraits. */
template <typename T>
inline constexpr bool use_default_type_traits_v = true;

namespace details {
/*! \brief Human readable name of the type held by a cell. */
inline std::string AnyTypeKey(const TVMFFIAny* source) {
  return TypeIndexToTypeKey(source->type_index);
}
/*! \brief Write a cell holding an object (or None for a null pointer). */
TVM_FFI_INLINE void WriteObjectToAny(TVMFFIObject* obj, TVMFFIAny* result) {
  if (obj != nullptr) {
    result->type_index = obj->type_index;
    result->zero_padding = 0;
    TVM_FFI_CLEAR_PTR_PADDING_IN_FFI_ANY(result);
    result->v_obj = obj;
  } else {
    result->type_index = kTVMFFINone;
    result->zero_padding = 0;
    result->v_int64 = 0;
  }
}
/*! \brief Write a POD cell with a zeroed payload. */
TVM_FFI_INLINE void WritePODHeader(int32_t type_index, TVMFFIAny* result) {
  result->type_index = type_index;
  result->zero_padding = 0;
  result->v_int64 = 0;
}
}  // namespace details

/*! \brief Common defaults of a complete specialisation. */
struct TypeTraitsBase {
  static constexpr bool convert_enabled = true;
  static constexpr bool storage_enabled = true;
  static constexpr int32_t field_static_type_index = kTVMFFIAny;
  static std::string GetMismatchTypeInfo(const TVMFFIAny* source) {
    return details::AnyTypeKey(source);
  }
};

/*! \brief A bool that accepts only Bool cells (used as a fallback alternative). */
class StrictBool {
 public:
  StrictBool(bool value) : value_(value) {}  // NOLINT(*)
  operator bool() const { return value_; }   // NOLINT(*)

 private:
  bool value_;
};

// ---------------------------------------------------------------------------------------
// POD types
// ---------------------------------------------------------------------------------------

template <>
struct TypeTraits<std::nullptr_t> : public TypeTraitsBase {
  static constexpr int32_t field_static_type_index = kTVMFFINone;
  TVM_FFI_INLINE static void CopyToAnyView(const std::nullptr_t&, TVMFFIAny* result) {
    details::WritePODHeader(kTVMFFINone, result);
  }
  TVM_FFI_INLINE static void MoveToAny(std::nullptr_t, TVMFFIAny* result) {
    details::WritePODHeader(kTVMFFINone, result);
  }
  TVM_FFI_INLINE static bool CheckAnyStrict(const TVMFFIAny* src) {
    return src->type_index == kTVMFFINone;
  }
  TVM_FFI_INLINE static std::nullptr_t CopyFromAnyViewAfterCheck(const TVMFFIAny*) {
    return nullptr;
  }
  TVM_FFI_INLINE static std::nullptr_t MoveFromAnyAfterCheck(TVMFFIAny*) { return nullptr; }
  TVM_FFI_INLINE static std::optional<std::nullptr_t> TryCastFromAnyView(const TVMFFIAny* src) {
    if (src->type_index == kTVMFFINone) return nullptr;
    return std::nullopt;
  }
  static std::string TypeStr() { return StaticTypeKey::kTVMFFINone; }
  static std::string TypeSchema() { return R"({"type":"None"})"; }
};

template <>
struct TypeTraits<StrictBool> : public TypeTraitsBase {
  static constexpr int32_t field_static_type_index = kTVMFFIBool;
  TVM_FFI_INLINE static void CopyToAnyView(const StrictBool& src, TVMFFIAny* result) {
    details::WritePODHeader(kTVMFFIBool, result);
    result->v_int64 = static_cast<bool>(src);
  }
  TVM_FFI_INLINE static void MoveToAny(StrictBool src, TVMFFIAny* result) {
    CopyToAnyView(src, result);
  }
  TVM_FFI_INLINE static bool CheckAnyStrict(const TVMFFIAny* src) {
    return src->type_index == kTVMFFIBool;
  }
  TVM_FFI_INLINE static StrictBool CopyFromAnyViewAfterCheck(const TVMFFIAny* src) {
    return static_cast<bool>(src->v_int64);
  }
  TVM_FFI_INLINE static StrictBool MoveFromAnyAfterCheck(TVMFFIAny* src) {
    return CopyFromAnyViewAfterCheck(src);
  }
  TVM_FFI_INLINE static std::optional<StrictBool> TryCastFromAnyView(const TVMFFIAny* src) {
    if (src->type_index == kTVMFFIBool) return StrictBool(static_cast<bool>(src->v_int64));
    return std::nullopt;
  }
  static std::string TypeStr() { return StaticTypeKey::kTVMFFIBool; }
  static std::string TypeSchema() { return R"({"type":"bool"})"; }
};

template <>
struct TypeTraits<bool> : public TypeTraitsBase {
  static constexpr int32_t field_static_type_index = kTVMFFIBool;
  TVM_FFI_INLINE static void CopyToAnyView(const bool& src, TVMFFIAny* result) {
    details::WritePODHeader(kTVMFFIBool, result);
    result->v_int64 = static_cast<int64_t>(src);
  }
  TVM_FFI_INLINE static void MoveToAny(bool src, TVMFFIAny* result) { CopyToAnyView(src, result); }
  TVM_FFI_INLINE static bool CheckAnyStrict(const TVMFFIAny* src) {
    return src->type_index == kTVMFFIBool;
  }
  TVM_FFI_INLINE static bool CopyFromAnyViewAfterCheck(const TVMFFIAny* src) {
    return src->v_int64 != 0;
  }
  TVM_FFI_INLINE static bool MoveFromAnyAfterCheck(TVMFFIAny* src) {
    return CopyFromAnyViewAfterCheck(src);
  }
  TVM_FFI_INLINE static std::optional<bool> TryCastFromAnyView(const TVMFFIAny* src) {
    if (src->type_index == kTVMFFIBool || src->type_index == kTVMFFIInt) {
      return src->v_int64 != 0;
    }
    return std::nullopt;
  }
  static std::string TypeStr() { return StaticTypeKey::kTVMFFIBool; }
  static std::string TypeSchema() { return R"({"type":"bool"})"; }
};

namespace details {
[[noreturn]] inline void ThrowUInt64Overflow(uint64_t value) {
  TVM_FFI_THROW(OverflowError) << "Integer value " << value
                               << " is too large to fit in int64_t. Consider explicitly casting "
                                  "to int64_t first if this is intentional.";
  TVM_FFI_UNREACHABLE();
}
}  // namespace details

/*!
 * \brief Integers (every integral type except bool) are stored as Int. A 64-bit unsigned value
 * above INT64_MAX does not fit: OverflowError (it is never silently wrapped).
 */
template <typename Int>
struct TypeTraits<Int, std::enable_if_t<std::is_integral_v<Int> && !std::is_same_v<Int, bool>>>
    : public TypeTraitsBase {
  static constexpr int32_t field_static_type_index = kTVMFFIInt;
  TVM_FFI_INLINE static void CopyToAnyView(const Int& src, TVMFFIAny* result) {
    if constexpr (std::is_unsigned_v<Int> && sizeof(Int) >= sizeof(int64_t)) {
      if (src > static_cast<Int>(std::numeric_limits<int64_t>::max())) {
        details::ThrowUInt64Overflow(static_cast<uint64_t>(src));
      }
    }
    result->type_index = kTVMFFIInt;
    result->zero_padding = 0;
    result->v_int64 = static_cast<int64_t>(src);
  }
  TVM_FFI_INLINE static void MoveToAny(Int src, TVMFFIAny* result) { CopyToAnyView(src, result); }
  TVM_FFI_INLINE static bool CheckAnyStrict(const TVMFFIAny* src) {
    return src->type_index == kTVMFFIInt;
  }
  TVM_FFI_INLINE static Int CopyFromAnyViewAfterCheck(const TVMFFIAny* src) {
    return static_cast<Int>(src->v_int64);
  }
  TVM_FFI_INLINE static Int MoveFromAnyAfterCheck(TVMFFIAny* src) {
    return CopyFromAnyViewAfterCheck(src);
  }
  TVM_FFI_INLINE static std::optional<Int> TryCastFromAnyView(const TVMFFIAny* src) {
    if (src->type_index == kTVMFFIInt || src->type_index == kTVMFFIBool) {
      return static_cast<Int>(src->v_int64);
    }
    return std::nullopt;
  }
  static std::string TypeStr() { return StaticTypeKey::kTVMFFIInt; }
  static std::string TypeSchema() { return R"({"type":"int"})"; }
};

/*! \brief True for enums whose underlying type is integral (upstream's spelling kept). */
template <typename T, typename = void>
inline constexpr bool is_integeral_enum_v = false;
template <typename T>
inline constexpr bool is_integeral_enum_v<T, std::enable_if_t<std::is_enum_v<T>>> =
    std::is_integral_v<std::underlying_type_t<T>>;

template <typename IntEnum>
struct TypeTraits<IntEnum, std::enable_if_t<is_integeral_enum_v<IntEnum>>> : public TypeTraitsBase {
  static constexpr int32_t field_static_type_index = kTVMFFIInt;
  TVM_FFI_INLINE static void CopyToAnyView(const IntEnum& src, TVMFFIAny* result) {
    result->type_index = kTVMFFIInt;
    result->zero_padding = 0;
    result->v_int64 = static_cast<int64_t>(src);
  }
  TVM_FFI_INLINE static void MoveToAny(IntEnum src, TVMFFIAny* result) {
    CopyToAnyView(src, result);
  }
  TVM_FFI_INLINE static bool CheckAnyStrict(const TVMFFIAny* src) {
    return src->type_index == kTVMFFIInt;
  }
  TVM_FFI_INLINE static IntEnum CopyFromAnyViewAfterCheck(const TVMFFIAny* src) {
    return static_cast<IntEnum>(src->v_int64);
  }
  TVM_FFI_INLINE static IntEnum MoveFromAnyAfterCheck(TVMFFIAny* src) {
    return CopyFromAnyViewAfterCheck(src);
  }
  TVM_FFI_INLINE static std::optional<IntEnum> TryCastFromAnyView(const TVMFFIAny* src) {
    if (src->type_index == kTVMFFIInt || src->type_index == kTVMFFIBool) {
      return static_cast<IntEnum>(src->v_int64);
    }
    return std::nullopt;
  }
  static std::string TypeStr() { return StaticTypeKey::kTVMFFIInt; }
  static std::string TypeSchema() { return R"({"type":"int"})"; }
};

/*! \brief float and double are stored as Float (widened to double). */
template <typename Float>
struct TypeTraits<Float, std::enable_if_t<std::is_floating_point_v<Float>>>
    : public TypeTraitsBase {
  static constexpr int32_t field_static_type_index = kTVMFFIFloat;
  TVM_FFI_INLINE static void CopyToAnyView(const Float& src, TVMFFIAny* result) {
    result->type_index = kTVMFFIFloat;
    result->zero_padding = 0;
    result->v_float64 = static_cast<double>(src);
  }
  TVM_FFI_INLINE static void MoveToAny(Float src, TVMFFIAny* result) { CopyToAnyView(src, result); }
  TVM_FFI_INLINE static bool CheckAnyStrict(const TVMFFIAny* src) {
    return src->type_index == kTVMFFIFloat;
  }
  TVM_FFI_INLINE static Float CopyFromAnyViewAfterCheck(const TVMFFIAny* src) {
    return static_cast<Float>(src->v_float64);
  }
  TVM_FFI_INLINE static Float MoveFromAnyAfterCheck(TVMFFIAny* src) {
    return CopyFromAnyViewAfterCheck(src);
  }
  TVM_FFI_INLINE static std::optional<Float> TryCastFromAnyView(const TVMFFIAny* src) {
    if (src->type_index == kTVMFFIFloat) return static_cast<Float>(src->v_float64);
    if (src->type_index == kTVMFFIInt || src->type_index == kTVMFFIBool) {
      return static_cast<Float>(src->v_int64);
    }
    return std::nullopt;
  }
  static std::string TypeStr() { return StaticTypeKey::kTVMFFIFloat; }
  static std::string TypeSchema() { return R"({"type":"float"})"; }
};

/*! \brief void* is an OpaquePtr; None reads back as nullptr. */
template <>
struct TypeTraits<void*> : public TypeTraitsBase {
  static constexpr int32_t field_static_type_index = kTVMFFIOpaquePtr;
  TVM_FFI_INLINE static void CopyToAnyView(void* const& src, TVMFFIAny* result) {
    details::WritePODHeader(kTVMFFIOpaquePtr, result);
    result->v_ptr = src;
  }
  TVM_FFI_INLINE static void MoveToAny(void* src, TVMFFIAny* result) { CopyToAnyView(src, result); }
  TVM_FFI_INLINE static bool CheckAnyStrict(const TVMFFIAny* src) {
    return src->type_index == kTVMFFIOpaquePtr;
  }
  TVM_FFI_INLINE static void* CopyFromAnyViewAfterCheck(const TVMFFIAny* src) { return src->v_ptr; }
  TVM_FFI_INLINE static void* MoveFromAnyAfterCheck(TVMFFIAny* src) { return src->v_ptr; }
  TVM_FFI_INLINE static std::optional<void*> TryCastFromAnyView(const TVMFFIAny* src) {
    if (src->type_index == kTVMFFIOpaquePtr) return src->v_ptr;
    if (src->type_index == kTVMFFINone) return static_cast<void*>(nullptr);
    return std::nullopt;
  }
  static std::string TypeStr() { return StaticTypeKey::kTVMFFIOpaquePtr; }
  static std::string TypeSchema() { return R"({"type":"void*"})"; }
};

namespace details {
/*!
 * \brief Parse "name" or "name:index" (text after the first space is ignored) into a device.
 * Names: cpu cuda opencl vulkan metal mps vpi rocm ext_dev hexagon wgpu webgpu maia trn ("mps"
 * is Metal, "wgpu"/"webgpu" WebGPU); the index is decimal digits up to INT32_MAX, default 0.
 * An empty or unknown name, a second ':' or a bad index give nullopt.
 */
inline std::optional<DLDevice> ParseDeviceString(std::string_view text) {
  const size_t space = text.find(' ');
  if (space != std::string_view::npos) text = text.substr(0, space);
  std::string_view name = text;
  int64_t index = 0;
  const size_t colon = text.find(':');
  if (colon != std::string_view::npos) {
    name = text.substr(0, colon);
    std::string_view digits = text.substr(colon + 1);
    if (digits.empty() || digits.size() > 10) return std::nullopt;
    for (char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      index = index * 10 + (c - '0');
    }
    if (index > std::numeric_limits<int32_t>::max()) return std::nullopt;
  }
  struct Entry {
    const char* name;
    DLDeviceType type;
  };
  static constexpr Entry kNames[] = {
      {"cpu", kDLCPU},        {"cuda", kDLCUDA},       {"opencl", kDLOpenCL}, {"vulkan", kDLVulkan},
      {"metal", kDLMetal},    {"mps", kDLMetal},       {"vpi", kDLVPI},       {"rocm", kDLROCM},
      {"ext_dev", kDLExtDev}, {"hexagon", kDLHexagon}, {"wgpu", kDLWebGPU},   {"webgpu", kDLWebGPU},
      {"maia", kDLMAIA},      {"trn", kDLTrn},
  };
  for (const Entry& entry : kNames) {
    if (name == entry.name) return DLDevice{entry.type, static_cast<int32_t>(index)};
  }
  return std::nullopt;
}
}  // namespace details

template <>
struct TypeTraits<DLDevice> : public TypeTraitsBase {
  static constexpr int32_t field_static_type_index = kTVMFFIDevice;
  TVM_FFI_INLINE static void CopyToAnyView(const DLDevice& src, TVMFFIAny* result) {
    details::WritePODHeader(kTVMFFIDevice, result);
    result->v_device = src;
  }
  TVM_FFI_INLINE static void MoveToAny(DLDevice src, TVMFFIAny* result) {
    CopyToAnyView(src, result);
  }
  TVM_FFI_INLINE static bool CheckAnyStrict(const TVMFFIAny* src) {
    return src->type_index == kTVMFFIDevice;
  }
  TVM_FFI_INLINE static DLDevice CopyFromAnyViewAfterCheck(const TVMFFIAny* src) {
    return src->v_device;
  }
  TVM_FFI_INLINE static DLDevice MoveFromAnyAfterCheck(TVMFFIAny* src) { return src->v_device; }
  /*! \brief A Device cell, or a string such as "cuda:1" (see details::ParseDeviceString). */
  static std::optional<DLDevice> TryCastFromAnyView(const TVMFFIAny* src) {
    if (src->type_index == kTVMFFIDevice) return src->v_device;
    if (src->type_index == kTVMFFISmallStr) {
      return details::ParseDeviceString(std::string_view(src->v_bytes, src->small_str_len));
    }
    if (src->type_index == kTVMFFIStr) {
      const TVMFFIByteArray* text = TVMFFIBytesGetByteArrayPtr(src->v_obj);
      return details::ParseDeviceString(std::string_view(text->data, text->size));
    }
    if (src->type_index == kTVMFFIRawStr && src->v_c_str != nullptr) {
      return details::ParseDeviceString(std::string_view(src->v_c_str));
    }
    return std::nullopt;
  }
  static std::string TypeStr() { return StaticTypeKey::kTVMFFIDevice; }
  static std::string TypeSchema() { return R"({"type":"Device"})"; }
};

/*!
 * \brief DLTensor* is view-only: it is passed as a borrowed DLTensorPtr, and a Tensor object
 * argument also reads as its embedded DLTensor.
 */
template <>
struct TypeTraits<DLTensor*> : public TypeTraitsBase {
  static constexpr bool storage_enabled = false;
  static constexpr int32_t field_static_type_index = kTVMFFIDLTensorPtr;
  TVM_FFI_INLINE static void CopyToAnyView(DLTensor* const& src, TVMFFIAny* result) {
    if (src == nullptr) {
      ErrorBuilder_ThrowNull();
    }
    details::WritePODHeader(kTVMFFIDLTensorPtr, result);
    result->v_ptr = src;
  }
  [[noreturn]] static void MoveToAny(DLTensor*, TVMFFIAny*) {
    TVM_FFI_THROW(RuntimeError)
        << "DLTensor* cannot be held in Any as it does not retain ownership, "
           "use Tensor instead";
    TVM_FFI_UNREACHABLE();
  }
  TVM_FFI_INLINE static bool CheckAnyStrict(const TVMFFIAny* src) {
    return src->type_index == kTVMFFIDLTensorPtr;
  }
  TVM_FFI_INLINE static DLTensor* CopyFromAnyViewAfterCheck(const TVMFFIAny* src) {
    return static_cast<DLTensor*>(src->v_ptr);
  }
  TVM_FFI_INLINE static std::optional<DLTensor*> TryCastFromAnyView(const TVMFFIAny* src) {
    if (src->type_index == kTVMFFIDLTensorPtr) return static_cast<DLTensor*>(src->v_ptr);
    if (src->type_index == kTVMFFITensor) {
      return reinterpret_cast<DLTensor*>(reinterpret_cast<char*>(src->v_obj) +
                                         sizeof(TVMFFIObject));
    }
    return std::nullopt;
  }
  static std::string TypeStr() { return StaticTypeKey::kTVMFFIDLTensorPtr; }
  static std::string TypeSchema() { return R"({"type":"DLTensor*"})"; }

 private:
  [[noreturn]] static void ErrorBuilder_ThrowNull() {
    TVM_FFI_THROW(ValueError) << "DLTensor* passed as an argument must not be null";
    TVM_FFI_UNREACHABLE();
  }
};

// ---------------------------------------------------------------------------------------
// Object references and object pointers
// ---------------------------------------------------------------------------------------

/*! \brief Traits shared by every ObjectRef subclass. */
template <typename TObjRef>
struct ObjectRefTypeTraitsBase : public TypeTraitsBase {
  static constexpr int32_t field_static_type_index = kTVMFFIObject;
  using ContainerType = typename TObjRef::ContainerType;

  TVM_FFI_INLINE static void CopyToAnyView(const TObjRef& src, TVMFFIAny* result) {
    details::WriteObjectToAny(details::ObjectUnsafe::TVMFFIObjectPtrFromObjectRef(src), result);
  }
  TVM_FFI_INLINE static void MoveToAny(TObjRef src, TVMFFIAny* result) {
    details::WriteObjectToAny(details::ObjectUnsafe::MoveObjectRefToTVMFFIObjectPtr(std::move(src)),
                              result);
  }
  TVM_FFI_INLINE static bool CheckAnyStrict(const TVMFFIAny* src) {
    if constexpr (TObjRef::_type_is_nullable) {
      if (src->type_index == kTVMFFINone) return true;
    }
    return src->type_index >= kTVMFFIStaticObjectBegin &&
           details::IsObjectInstance<ContainerType>(src->type_index);
  }
  TVM_FFI_INLINE static TObjRef CopyFromAnyViewAfterCheck(const TVMFFIAny* src) {
    if constexpr (TObjRef::_type_is_nullable) {
      if (src->type_index == kTVMFFINone) return TObjRef(UnsafeInit{});
    }
    return details::ObjectUnsafe::ObjectRefFromObjectPtr<TObjRef>(
        details::ObjectUnsafe::ObjectPtrFromUnowned<Object>(src->v_obj));
  }
  TVM_FFI_INLINE static TObjRef MoveFromAnyAfterCheck(TVMFFIAny* src) {
    if constexpr (TObjRef::_type_is_nullable) {
      if (src->type_index == kTVMFFINone) return TObjRef(UnsafeInit{});
    }
    TObjRef result = details::ObjectUnsafe::ObjectRefFromObjectPtr<TObjRef>(
        details::ObjectUnsafe::ObjectPtrFromOwned<Object>(src->v_obj));
    details::WritePODHeader(kTVMFFINone, src);
    return result;
  }
  TVM_FFI_INLINE static std::optional<TObjRef> TryCastFromAnyView(const TVMFFIAny* src) {
    if (CheckAnyStrict(src)) return CopyFromAnyViewAfterCheck(src);
    return std::nullopt;
  }
  static std::string TypeStr() { return ContainerType::_type_key; }
  static std::string TypeSchema() {
    return std::string(R"({"type":")") + ContainerType::_type_key + R"("})";
  }
};

/*! \brief Default traits of ObjectRef subclasses (disabled with use_default_type_traits_v). */
template <typename TObjRef>
struct TypeTraits<TObjRef, std::enable_if_t<std::is_base_of_v<ObjectRef, TObjRef> &&
                                            use_default_type_traits_v<TObjRef>>>
    : public ObjectRefTypeTraitsBase<TObjRef> {};

/*!
 * \brief Traits of a reference that also converts from other types ("fallbacks"), tried in
 * order after the object itself; TypeTraits<TObjRef>::ConvertFallbackValue(F) builds the ref.
 */
template <typename TObjRef, typename... FallbackTypes>
struct ObjectRefWithFallbackTraitsBase : public ObjectRefTypeTraitsBase<TObjRef> {
  static_assert(!std::disjunction_v<std::is_same<bool, FallbackTypes>...>,
                "use StrictBool instead of bool as a fallback type");
  TVM_FFI_INLINE static std::optional<TObjRef> TryCastFromAnyView(const TVMFFIAny* src) {
    if (ObjectRefTypeTraitsBase<TObjRef>::CheckAnyStrict(src)) {
      return ObjectRefTypeTraitsBase<TObjRef>::CopyFromAnyViewAfterCheck(src);
    }
    return TryFallback<FallbackTypes...>(src);
  }

 private:
  template <typename FirstType, typename... Rest>
  static std::optional<TObjRef> TryFallback(const TVMFFIAny* src) {
    if (auto opt = TypeTraits<FirstType>::TryCastFromAnyView(src)) {
      return TypeTraits<TObjRef>::ConvertFallbackValue(*std::move(opt));
    }
    if constexpr (sizeof...(Rest) > 0) {
      return TryFallback<Rest...>(src);
    } else {
      return std::nullopt;
    }
  }
};

/*!
 * \brief Traits of a non-storage type that is only produced by conversion from fallbacks
 * (e.g. std::string from const char*, Bytes, String, ...).
 */
template <typename T, typename... FallbackTypes>
struct FallbackOnlyTraitsBase : public TypeTraitsBase {
  static constexpr bool storage_enabled = false;
  TVM_FFI_INLINE static std::optional<T> TryCastFromAnyView(const TVMFFIAny* src) {
    return TryFallback<FallbackTypes...>(src);
  }

 private:
  template <typename FirstType, typename... Rest>
  static std::optional<T> TryFallback(const TVMFFIAny* src) {
    if (auto opt = TypeTraits<FirstType>::TryCastFromAnyView(src)) {
      return TypeTraits<T>::ConvertFallbackValue(*std::move(opt));
    }
    if constexpr (sizeof...(Rest) > 0) {
      return TryFallback<Rest...>(src);
    } else {
      return std::nullopt;
    }
  }
};

/*!
 * \brief Raw pointers to Object subclasses: a borrowed view of the object. Reading a
 * non-const pointer requires a mutable object type.
 */
template <typename TObject>
struct TypeTraits<TObject*, std::enable_if_t<std::is_base_of_v<Object, TObject>>>
    : public TypeTraitsBase {
  static constexpr int32_t field_static_type_index = kTVMFFIObject;
  using ObjectType = std::remove_const_t<TObject>;
  /*! \brief Any object pointer can be written into a cell; reading one back as a non-const
   * pointer needs a mutable object type (checked where the value is read). */
  static constexpr bool kReadable = std::is_const_v<TObject> || ObjectType::_type_mutable;

  TVM_FFI_INLINE static void CopyToAnyView(TObject* src, TVMFFIAny* result) {
    details::WriteObjectToAny(
        src != nullptr ? details::ObjectUnsafe::GetHeader(static_cast<const Object*>(src))
                       : nullptr,
        result);
  }
  TVM_FFI_INLINE static void MoveToAny(TObject* src, TVMFFIAny* result) {
    CopyToAnyView(src, result);
    if (src != nullptr) details::ObjectUnsafe::IncRefObjectHandle(result->v_obj);
  }
  TVM_FFI_INLINE static bool CheckAnyStrict(const TVMFFIAny* src) {
    return src->type_index >= kTVMFFIStaticObjectBegin &&
           details::IsObjectInstance<ObjectType>(src->type_index);
  }
  TVM_FFI_INLINE static TObject* CopyFromAnyViewAfterCheck(const TVMFFIAny* src) {
    static_assert(kReadable,
                  "a non-const object pointer needs an object type with _type_mutable = true");
    return static_cast<TObject*>(reinterpret_cast<Object*>(src->v_obj));
  }
  /*! \brief A raw pointer owns nothing: the cell keeps its reference. */
  TVM_FFI_INLINE static TObject* MoveFromAnyAfterCheck(TVMFFIAny* src) {
    return CopyFromAnyViewAfterCheck(src);
  }
  TVM_FFI_INLINE static std::optional<TObject*> TryCastFromAnyView(const TVMFFIAny* src) {
    if (CheckAnyStrict(src)) return CopyFromAnyViewAfterCheck(src);
    return std::nullopt;
  }
  static std::string TypeStr() { return ObjectType::_type_key; }
  static std::string TypeSchema() {
    return std::string(R"({"type":")") + ObjectType::_type_key + R"("})";
  }
};

// ---------------------------------------------------------------------------------------
// Helpers used by reflection
// ---------------------------------------------------------------------------------------

/*! \brief Static type index recorded for a field of type T. */
template <typename T, typename = void>
struct TypeToFieldStaticTypeIndex {
  static constexpr int32_t value = kTVMFFIAny;
};
template <typename T>
struct TypeToFieldStaticTypeIndex<T, std::enable_if_t<TypeTraits<T>::convert_enabled>> {
  static constexpr int32_t value = TypeTraits<T>::field_static_type_index;
};

/*! \brief Runtime type index of T when T is an object reference or object type. */
template <typename T, typename = void>
struct TypeToRuntimeTypeIndex {
  static int32_t v() { return TypeToFieldStaticTypeIndex<T>::value; }
};
template <typename T>
struct TypeToRuntimeTypeIndex<T, std::enable_if_t<std::is_base_of_v<ObjectRef, T>>> {
  static int32_t v() { return T::ContainerType::RuntimeTypeIndex(); }
};

}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_TYPE_TRAITS_H_
