/*!
 * \file tvm/ffi/dtype.h
 * \brief DLDataType helpers: string conversion, comparison, printing and Any support.
 *
 * The string form of a data type ("int32", "float16x4", "bool", "handle", "float8_e4m3fn",
 * "uint8xvscalex4", ...) is defined by the runtime library; the helpers here call
 * TVMFFIDataTypeFromString / TVMFFIDataTypeToString and turn failures into exceptions.
 */
#ifndef TVM_FFI_DTYPE_H_
#define TVM_FFI_DTYPE_H_

#include <dlpack/dlpack.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/string.h>
#include <tvm/ffi/type_traits.h>

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

namespace tvm {
namespace ffi {

/*!
 * \brief Type codes TVM FFI adds on top of DLPack's DLDataTypeCode.
 *
 * Codes from kDLExtCustomBegin upwards are user-defined ("custom[<name>]"); their names are
 * resolved through the global functions `dtype.get_custom_type_name` and
 * `dtype.get_custom_type_code`, which the embedding application registers.
 */
enum DLExtDataTypeCode { kDLExtCustomBegin = 129 };

namespace details {

/*!
 * \brief Name of a type code as used in dtype strings (without bits or lanes).
 * \throws ValueError for a code that has no string form (e.g. kDLComplex).
 */
inline const char* DLDataTypeCodeAsCStr(DLDataTypeCode type_code) {  // NOLINT(*)
  switch (static_cast<int>(type_code)) {
    case kDLInt:
      return "int";
    case kDLUInt:
      return "uint";
    case kDLFloat:
      return "float";
    case kDLOpaqueHandle:
      return "handle";
    case kDLBfloat:
      return "bfloat";
    case kDLBool:
      return "bool";
    case kDLFloat8_e3m4:
      return "float8_e3m4";
    case kDLFloat8_e4m3:
      return "float8_e4m3";
    case kDLFloat8_e4m3b11fnuz:
      return "float8_e4m3b11fnuz";
    case kDLFloat8_e4m3fn:
      return "float8_e4m3fn";
    case kDLFloat8_e4m3fnuz:
      return "float8_e4m3fnuz";
    case kDLFloat8_e5m2:
      return "float8_e5m2";
    case kDLFloat8_e5m2fnuz:
      return "float8_e5m2fnuz";
    case kDLFloat8_e8m0fnu:
      return "float8_e8m0fnu";
    case kDLFloat6_e2m3fn:
      return "float6_e2m3fn";
    case kDLFloat6_e3m2fn:
      return "float6_e3m2fn";
    case kDLFloat4_e2m1fn:
      return "float4_e2m1fn";
    default:
      break;
  }
  if (static_cast<int>(type_code) >= static_cast<int>(kDLExtCustomBegin)) return "custom";
  TVM_FFI_THROW(ValueError) << "DLDataType contains unknown type_code="
                            << static_cast<int>(type_code);
  TVM_FFI_UNREACHABLE();
}

/*!
 * \brief Format a data type without ever throwing: the canonical string when the runtime can
 * produce one, otherwise a raw "DLDataType(code=.., bits=.., lanes=..)" description.
 * Used by operator<<, which often runs while an error message is being assembled.
 */
inline std::string DLDataTypeToStringNoThrow(DLDataType dtype) {
  TVMFFIAny out;
  out.type_index = kTVMFFINone;
  out.zero_padding = 0;
  out.v_int64 = 0;
  if (TVMFFIDataTypeToString(&dtype, &out) == 0) {
    std::string text;
    if (out.type_index == kTVMFFISmallStr) {
      text.assign(out.v_bytes, out.small_str_len);
    } else if (out.type_index == kTVMFFIStr) {
      const TVMFFIByteArray* arr = TVMFFIBytesGetByteArrayPtr(out.v_obj);
      text.assign(arr->data, arr->size);
    }
    if (out.type_index >= kTVMFFIStaticObjectBegin) TVMFFIObjectDecRef(out.v_obj);
    return text;
  }
  // Discard the error the runtime recorded; we fall back to the raw fields.
  TVMFFIObjectHandle err = nullptr;
  TVMFFIErrorMoveFromRaised(&err);
  if (err != nullptr) TVMFFIObjectDecRef(err);
  return "DLDataType(code=" + std::to_string(static_cast<int>(dtype.code)) +
         ", bits=" + std::to_string(static_cast<int>(dtype.bits)) +
         ", lanes=" + std::to_string(static_cast<int>(dtype.lanes)) + ")";
}

}  // namespace details

/*!
 * \brief Parse a dtype string.
 * \throws ValueError (from the runtime) when the string is not a valid dtype.
 */
inline DLDataType StringToDLDataType(const String& str) {
  TVMFFIByteArray text{str.data(), str.size()};
  DLDataType out;
  out.code = 0;
  out.bits = 0;
  out.lanes = 0;
  TVM_FFI_CHECK_SAFE_CALL(TVMFFIDataTypeFromString(&text, &out));
  return out;
}

/*!
 * \brief Canonical string of a data type.
 * \throws ValueError when the type code has no string form (e.g. kDLComplex).
 */
inline String DLDataTypeToString(DLDataType dtype) {
  TVMFFIAny out;
  out.type_index = kTVMFFINone;
  out.zero_padding = 0;
  out.v_int64 = 0;
  TVM_FFI_CHECK_SAFE_CALL(TVMFFIDataTypeToString(&dtype, &out));
  return details::AnyUnsafe::MoveTVMFFIAnyToAny(&out).cast<String>();
}

/*! \brief Whether a dtype is a floating-point type: float, bfloat, or any float8/6/4 code. */
inline bool DTypeIsFloat(DLDataType dtype) {
  return dtype.code == kDLFloat || dtype.code == kDLBfloat ||
         (dtype.code >= kDLFloat8_e3m4 && dtype.code <= kDLFloat4_e2m1fn);
}
/*! \brief Whether a dtype is a signed or unsigned integer type. */
inline bool DTypeIsInt(DLDataType dtype) { return dtype.code == kDLInt || dtype.code == kDLUInt; }
/*! \brief Whether a dtype is the boolean type (kDLBool). */
inline bool DTypeIsBool(DLDataType dtype) { return dtype.code == kDLBool; }

/*!
 * \brief Short name of a dtype: `i8`, `u16`, `f32`, `bf16`, `f8_e4m3fn`, `f6_e2m3fn`,
 * `f4_e2m1fn`, `bool` (8 bits; other widths get the width appended), `void` (a handle of 0
 * bits and 0 lanes), `handle`; vector lanes as `x<n>` (`i8x4`), scalable ones as
 * `xvscalex<n>`. Custom codes give the full dtype string; other codes ValueError.
 */
inline std::string DTypeAbbrev(DLDataType dtype) {
  std::string base;
  bool with_bits = false;
  switch (dtype.code) {
    case kDLInt:
      base = "i";
      with_bits = true;
      break;
    case kDLUInt:
      base = "u";
      with_bits = true;
      break;
    case kDLFloat:
      base = "f";
      with_bits = true;
      break;
    case kDLBfloat:
      base = "bf";
      with_bits = true;
      break;
    case kDLBool:
      base = "bool";
      with_bits = dtype.bits != 8;
      break;
    case kDLOpaqueHandle:
      if (dtype.bits == 0 && dtype.lanes == 0) return "void";
      base = "handle";
      break;
    case kDLFloat8_e3m4:
      base = "f8_e3m4";
      break;
    case kDLFloat8_e4m3:
      base = "f8_e4m3";
      break;
    case kDLFloat8_e4m3b11fnuz:
      base = "f8_e4m3b11fnuz";
      break;
    case kDLFloat8_e4m3fn:
      base = "f8_e4m3fn";
      break;
    case kDLFloat8_e4m3fnuz:
      base = "f8_e4m3fnuz";
      break;
    case kDLFloat8_e5m2:
      base = "f8_e5m2";
      break;
    case kDLFloat8_e5m2fnuz:
      base = "f8_e5m2fnuz";
      break;
    case kDLFloat8_e8m0fnu:
      base = "f8_e8m0fnu";
      break;
    case kDLFloat6_e2m3fn:
      base = "f6_e2m3fn";
      break;
    case kDLFloat6_e3m2fn:
      base = "f6_e3m2fn";
      break;
    case kDLFloat4_e2m1fn:
      base = "f4_e2m1fn";
      break;
    default:
      if (dtype.code >= kDLExtCustomBegin) return std::string(DLDataTypeToString(dtype));
      TVM_FFI_THROW(ValueError) << "DTypeAbbrev: unknown dtype code "
                                << static_cast<int>(dtype.code);
  }
  if (with_bits) base += std::to_string(static_cast<int>(dtype.bits));
  const int16_t lanes = static_cast<int16_t>(dtype.lanes);
  if (lanes < 0) {
    base += "xvscalex" + std::to_string(-static_cast<int>(lanes));
  } else if (lanes > 1) {
    base += "x" + std::to_string(static_cast<int>(lanes));
  }
  return base;
}

/*!
 * \brief DLDataType in Any: stored as a DataType cell; read back from a DataType cell or from
 * any string form (raw C string, small string, String object), which is parsed as a dtype.
 */
template <>
struct TypeTraits<DLDataType> : public TypeTraitsBase {
  static constexpr int32_t field_static_type_index = kTVMFFIDataType;

  TVM_FFI_INLINE static void CopyToAnyView(const DLDataType& src, TVMFFIAny* result) {
    details::WritePODHeader(kTVMFFIDataType, result);  // zeroes the whole payload first
    result->v_dtype = src;
  }
  TVM_FFI_INLINE static void MoveToAny(DLDataType src, TVMFFIAny* result) {
    CopyToAnyView(src, result);
  }
  TVM_FFI_INLINE static bool CheckAnyStrict(const TVMFFIAny* src) {
    return src->type_index == kTVMFFIDataType;
  }
  TVM_FFI_INLINE static DLDataType CopyFromAnyViewAfterCheck(const TVMFFIAny* src) {
    return src->v_dtype;
  }
  TVM_FFI_INLINE static DLDataType MoveFromAnyAfterCheck(TVMFFIAny* src) { return src->v_dtype; }
  /*!
   * \note A string that is not a valid dtype raises the parser's ValueError instead of
   * reporting "not convertible": the caller did pass a string, it is the content that is wrong.
   */
  static std::optional<DLDataType> TryCastFromAnyView(const TVMFFIAny* src) {
    switch (src->type_index) {
      case kTVMFFIDataType:
        return src->v_dtype;
      case kTVMFFIRawStr:
        return StringToDLDataType(String(src->v_c_str));
      case kTVMFFISmallStr:
      case kTVMFFIStr:
        return StringToDLDataType(TypeTraits<String>::CopyFromAnyViewAfterCheck(src));
      default:
        return std::nullopt;
    }
  }
  static std::string TypeStr() { return StaticTypeKey::kTVMFFIDataType; }
  static std::string TypeSchema() { return R"({"type":"DataType"})"; }
};

}  // namespace ffi
}  // namespace tvm

// DLDataType is a global-namespace struct from dlpack.h, so its operators live in the global
// namespace too: `x.dtype() == f32` must find them from any namespace.

/*! \brief Field-wise equality of two data types (code, bits and lanes). */
inline bool operator==(const DLDataType& lhs, const DLDataType& rhs) {
  return lhs.code == rhs.code && lhs.bits == rhs.bits && lhs.lanes == rhs.lanes;
}

inline bool operator!=(const DLDataType& lhs, const DLDataType& rhs) { return !(lhs == rhs); }

/*!
 * \brief Print the canonical dtype string. Never throws: a type without a string form is
 * printed as its raw fields, so it is safe inside error messages.
 */
inline std::ostream& operator<<(std::ostream& os, DLDataType dtype) {  // NOLINT(*)
  return os << ::tvm::ffi::details::DLDataTypeToStringNoThrow(dtype);
}

#endif  // TVM_FFI_DTYPE_H_
