/*!
 * \file dtype.cc
 * \brief DLDataType <-> string conversion.
 *
 * C functions implemented here: TVMFFIDataTypeFromString, TVMFFIDataTypeToString.
 *
 * Custom codes (>= 129) use the global functions `dtype.get_custom_type_name` and
 * `dtype.get_custom_type_code`, which the runtime does not register itself.
 */
#include <tvm/ffi/any.h>
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/string.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "runtime_base.h"
#include "string_internal.h"

namespace tvm {
namespace ffi {
namespace runtime {
namespace {

/*! \brief First code of the custom-type extension range (TVM FFI dtype.h). */
constexpr int kDLExtCustomBegin = 129;

/*! \brief The fixed-format float types: name (without bits) and bit width. */
struct NamedFloatType {
  const char* name;
  uint8_t code;
  uint8_t bits;
};

constexpr NamedFloatType kNamedFloatTypes[] = {
    {"float8_e3m4", kDLFloat8_e3m4, 8},
    {"float8_e4m3", kDLFloat8_e4m3, 8},
    {"float8_e4m3b11fnuz", kDLFloat8_e4m3b11fnuz, 8},
    {"float8_e4m3fn", kDLFloat8_e4m3fn, 8},
    {"float8_e4m3fnuz", kDLFloat8_e4m3fnuz, 8},
    {"float8_e5m2", kDLFloat8_e5m2, 8},
    {"float8_e5m2fnuz", kDLFloat8_e5m2fnuz, 8},
    {"float8_e8m0fnu", kDLFloat8_e8m0fnu, 8},
    {"float6_e2m3fn", kDLFloat6_e2m3fn, 6},
    {"float6_e3m2fn", kDLFloat6_e3m2fn, 6},
    {"float4_e2m1fn", kDLFloat4_e2m1fn, 4},
};

const NamedFloatType* FindNamedFloatByCode(int code) {
  for (const NamedFloatType& t : kNamedFloatTypes) {
    if (t.code == code) return &t;
  }
  return nullptr;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

/*! \brief Parse a run of decimal digits at text[*pos]; returns false when there is none. */
bool ParseDecimal(std::string_view text, size_t* pos, uint64_t* value) {
  size_t start = *pos;
  uint64_t result = 0;
  while (*pos < text.size() && IsDigit(text[*pos])) {
    result = result * 10 + static_cast<uint64_t>(text[*pos] - '0');
    if (result > 0xFFFFFFFFull) result = 0xFFFFFFFFull;  // saturate; truncated below anyway
    ++*pos;
  }
  *value = result;
  return *pos != start;
}

[[noreturn]] void ThrowUnknownDType(std::string_view text) {
  TVM_FFI_THROW(ValueError) << "unknown dtype `" << text << "`";
}

[[noreturn]] void ThrowInvalidLanes(std::string_view text) {
  TVM_FFI_THROW(ValueError) << "Invalid lanes specification in dtype '" << text
                            << "'. Lanes must be a positive integer.";
}

/*!
 * \brief Parse the lane suffix starting at text[pos]: nothing (1 lane), `x<n>`, or
 * `xvscalex<n>` (scalable vector, stored as -n). The count must be a positive integer: a bare
 * `x` or `x0` is an error.
 */
uint16_t ParseLanes(std::string_view text, size_t pos) {
  if (pos == text.size()) return 1;
  if (text[pos] != 'x') ThrowUnknownDType(text);
  ++pos;
  constexpr std::string_view kScalable = "vscalex";
  bool scalable = false;
  if (text.substr(pos, kScalable.size()) == kScalable) {
    scalable = true;
    pos += kScalable.size();
  }
  uint64_t lanes = 0;
  if (!ParseDecimal(text, &pos, &lanes)) {
    if (pos != text.size()) ThrowUnknownDType(text);
    ThrowInvalidLanes(text);
  }
  if (pos != text.size()) ThrowUnknownDType(text);
  if (lanes == 0) ThrowInvalidLanes(text);
  // lanes are printed as int16 (negative = scalable): larger counts would not round-trip
  if (lanes > (scalable ? 32768u : 32767u)) {
    TVM_FFI_THROW(ValueError) << "dtype `" << text << "`: lane count out of range (at most "
                              << (scalable ? 32768 : 32767) << ")";
  }
  if (scalable) return static_cast<uint16_t>(-static_cast<int64_t>(lanes));
  return static_cast<uint16_t>(lanes);
}

std::string GetCustomTypeName(int code) {
  Function get_name = Function::GetGlobalRequired("dtype.get_custom_type_name");
  String name = get_name(static_cast<int64_t>(code)).cast<String>();
  return std::string(name.data(), name.size());
}

uint8_t GetCustomTypeCode(std::string_view name) {
  Function get_code = Function::GetGlobalRequired("dtype.get_custom_type_code");
  return static_cast<uint8_t>(get_code(String(name.data(), name.size())).cast<int64_t>());
}

DLDataType ParseDataType(std::string_view text) {
  DLDataType dtype;
  if (text.empty() || text == "void") {
    dtype.code = kDLOpaqueHandle;
    dtype.bits = 0;
    dtype.lanes = 0;
    return dtype;
  }
  // Fixed-format floats: float8_*, float6_*, float4_*.
  for (const char* family : {"float8_", "float6_", "float4_"}) {
    std::string_view prefix(family);
    if (text.substr(0, prefix.size()) != prefix) continue;
    const NamedFloatType* best = nullptr;
    size_t best_len = 0;
    for (const NamedFloatType& t : kNamedFloatTypes) {
      std::string_view name(t.name);
      if (name.substr(0, prefix.size()) != prefix) continue;
      if (text.substr(0, name.size()) == name && name.size() > best_len) {
        best = &t;
        best_len = name.size();
      }
    }
    if (best == nullptr) {
      TVM_FFI_THROW(ValueError) << "unknown " << prefix.substr(0, prefix.size() - 1) << " type `"
                                << text << "`";
    }
    dtype.code = best->code;
    dtype.bits = best->bits;
    dtype.lanes = ParseLanes(text, best_len);
    return dtype;
  }

  size_t pos = 0;
  uint8_t default_bits = 32;
  if (text.substr(0, 3) == "int") {
    dtype.code = kDLInt;
    pos = 3;
  } else if (text.substr(0, 4) == "uint") {
    dtype.code = kDLUInt;
    pos = 4;
  } else if (text.substr(0, 5) == "float") {
    dtype.code = kDLFloat;
    pos = 5;
  } else if (text.substr(0, 6) == "bfloat") {
    dtype.code = kDLBfloat;
    pos = 6;
    default_bits = 16;
  } else if (text.substr(0, 4) == "bool") {
    // `bool` is the one-byte boolean {kDLBool, 8, 1}; `bool<bits>` keeps other widths
    dtype.code = kDLBool;
    pos = 4;
    default_bits = 8;
  } else if (text.substr(0, 6) == "handle") {
    dtype.code = kDLOpaqueHandle;
    pos = 6;
    default_bits = 64;
  } else if (text.substr(0, 7) == "custom[") {
    size_t close = text.find(']', 7);
    if (close == std::string_view::npos) ThrowUnknownDType(text);
    dtype.code = GetCustomTypeCode(text.substr(7, close - 7));
    pos = close + 1;
  } else {
    ThrowUnknownDType(text);
  }
  uint64_t bits = 0;
  if (ParseDecimal(text, &pos, &bits) && bits > 255) {
    TVM_FFI_THROW(ValueError) << "dtype `" << text << "`: bit width out of range (at most 255)";
  }
  if (bits != 0) {
    dtype.bits = static_cast<uint8_t>(bits);
  } else {
    dtype.bits = default_bits;
  }
  dtype.lanes = ParseLanes(text, pos);
  return dtype;
}

std::string DataTypeToString(DLDataType dtype) {
  if (dtype.code == kDLOpaqueHandle && dtype.bits == 0 && dtype.lanes == 0) return "";
  std::string result;
  bool print_bits = true;
  if (dtype.code >= kDLExtCustomBegin) {
    result = "custom[" + GetCustomTypeName(dtype.code) + "]";
  } else {
    switch (dtype.code) {
      case kDLInt:
        result = "int";
        break;
      case kDLUInt:
        result = "uint";
        break;
      case kDLFloat:
        result = "float";
        break;
      case kDLBfloat:
        result = "bfloat";
        break;
      case kDLBool:
        // the one-byte boolean prints as plain `bool` (`boolx4`); other widths keep them
        result = "bool";
        print_bits = dtype.bits != 8;
        break;
      case kDLOpaqueHandle:
        // A handle prints neither bits nor lanes.
        return "handle";
      default: {
        const NamedFloatType* named = FindNamedFloatByCode(dtype.code);
        if (named == nullptr) {
          TVM_FFI_THROW(ValueError)
              << "DLDataType contains unknown type_code=" << static_cast<int>(dtype.code);
        }
        result = named->name;
        print_bits = false;
        break;
      }
    }
  }
  if (print_bits) result += std::to_string(static_cast<int>(dtype.bits));
  const int16_t lanes = static_cast<int16_t>(dtype.lanes);
  if (lanes > 1) {
    result += "x" + std::to_string(lanes);
  } else if (lanes < -1) {
    result += "xvscalex" + std::to_string(-static_cast<int>(lanes));
  }
  return result;
}

}  // namespace
}  // namespace runtime
}  // namespace ffi
}  // namespace tvm

int TVMFFIDataTypeFromString(const TVMFFIByteArray* str, DLDataType* out) {
  TVM_FFI_SAFE_CALL_BEGIN();
  *out = tvm::ffi::runtime::ParseDataType(tvm::ffi::runtime::ToStringView(str));
  TVM_FFI_SAFE_CALL_END();
}

int TVMFFIDataTypeToString(const DLDataType* dtype, TVMFFIAny* out) {
  TVM_FFI_SAFE_CALL_BEGIN();
  std::string text = tvm::ffi::runtime::DataTypeToString(*dtype);
  // Like upstream, always a heap ffi.String object (callers accept the small form too).
  tvm::ffi::runtime::MakeStrOrBytesObjectAny(text.data(), text.size(), false, out);
  TVM_FFI_SAFE_CALL_END();
}
