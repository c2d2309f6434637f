/*!
 * \file repr_print.cc
 * \brief ReprPrint (tvm/ffi/extra/repr_print.h) and the global `ffi.ReprPrint`.
 */
#include <tvm/ffi/any.h>
#include <tvm/ffi/big_int.h>
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/container/map_base.h>
#include <tvm/ffi/container/shape.h>
#include <tvm/ffi/extra/repr_print.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/reflection/accessor.h>
#include <tvm/ffi/reflection/registry.h>
#include <tvm/ffi/string.h>

#include <cstdint>
#include <cstdio>
#include <sstream>
#include <string>
#include <unordered_set>

namespace tvm {
namespace ffi {
namespace {

const char* DeviceTypeName(int device_type) {
  switch (device_type) {
    case kDLCPU:
      return "cpu";
    case kDLCUDA:
      return "cuda";
    case kDLCUDAHost:
      return "cuda_host";
    case kDLOpenCL:
      return "opencl";
    case kDLVulkan:
      return "vulkan";
    case kDLMetal:
      return "metal";
    case kDLVPI:
      return "vpi";
    case kDLROCM:
      return "rocm";
    case kDLROCMHost:
      return "rocm_host";
    case kDLExtDev:
      return "ext_dev";
    case kDLCUDAManaged:
      return "cuda_managed";
    case kDLOneAPI:
      return "oneapi";
    case kDLWebGPU:
      return "webgpu";
    case kDLHexagon:
      return "hexagon";
    case kDLMAIA:
      return "maia";
    case kDLTrn:
      return "trn";
    default:
      return nullptr;
  }
}

std::string DeviceText(DLDevice device) {
  const char* name = DeviceTypeName(device.device_type);
  std::string type = name != nullptr ? name : "device" + std::to_string(device.device_type);
  return type + ":" + std::to_string(device.device_id);
}

std::string DTypeText(DLDataType dtype) {
  TVMFFIAny out;
  out.type_index = kTVMFFINone;
  out.zero_padding = 0;
  out.v_int64 = 0;
  if (TVMFFIDataTypeToString(&dtype, &out) != 0) {
    TVMFFIObjectHandle err = nullptr;
    TVMFFIErrorMoveFromRaised(&err);
    if (err != nullptr) TVMFFIObjectDecRef(err);
    return "DataType(" + std::to_string(dtype.code) + ", " + std::to_string(dtype.bits) + ", " +
           std::to_string(dtype.lanes) + ")";
  }
  return std::string(details::AnyUnsafe::MoveTVMFFIAnyToAny(&out).cast<String>());
}

void AppendHex(std::string* out, unsigned value, int digits) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%0*x", digits, value);
  *out += buf;
}

/*! \brief Python-style escaping inside double quotes; non-ASCII code points as \uXXXX. */
std::string QuoteString(std::string_view text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          if (c < 0x20 || c == 0x7f) {
            out += "\\x";
            AppendHex(&out, c, 2);
          } else {
            out.push_back(static_cast<char>(c));
          }
      }
      ++i;
      continue;
    }
    // Decode one UTF-8 sequence; malformed bytes print as \xNN.
    int length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    uint32_t code = length == 4 ? (c & 0x07) : length == 3 ? (c & 0x0F) : (c & 0x1F);
    bool valid = length > 0 && i + length <= text.size();
    for (int k = 1; valid && k < length; ++k) {
      unsigned char cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) valid = false;
      code = (code << 6) | (cc & 0x3F);
    }
    if (!valid) {
      out += "\\x";
      AppendHex(&out, c, 2);
      ++i;
      continue;
    }
    if (code > 0xFFFF) {
      out += "\\U";
      AppendHex(&out, code, 8);
    } else {
      out += "\\u";
      AppendHex(&out, code, 4);
    }
    i += static_cast<size_t>(length);
  }
  out += "\"";
  return out;
}

std::string QuoteBytes(std::string_view bytes) {
  std::string out = "b\"";
  for (char ch : bytes) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out.push_back(ch);
    } else {
      out += "\\x";
      AppendHex(&out, c, 2);
    }
  }
  out += "\"";
  return out;
}

std::string FloatText(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

class Printer {
 public:
  std::string Print(const Any& value) {
    int32_t index = value.type_index();
    switch (index) {
      case kTVMFFINone:
        return "None";
      case kTVMFFIBool:
        return value.cast<bool>() ? "True" : "False";
      case kTVMFFIInt:
        return std::to_string(value.cast<int64_t>());
      case kTVMFFIFloat:
        return FloatText(value.cast<double>());
      case kTVMFFIDataType:
        return DTypeText(details::AnyUnsafe::TVMFFIAnyPtrFromAny(value)->v_dtype);
      case kTVMFFIDevice:
        return DeviceText(details::AnyUnsafe::TVMFFIAnyPtrFromAny(value)->v_device);
      case kTVMFFIOpaquePtr: {
        std::ostringstream os;
        os << "void*(" << details::AnyUnsafe::TVMFFIAnyPtrFromAny(value)->v_ptr << ")";
        return os.str();
      }
      case kTVMFFISmallStr:
      case kTVMFFIStr:
        return QuoteString(std::string_view(value.cast<String>()));
      case kTVMFFISmallBytes:
      case kTVMFFIBytes: {
        Bytes bytes = value.cast<Bytes>();
        return QuoteBytes(std::string_view(bytes.data(), bytes.size()));
      }
      case kTVMFFIUnchanged:
        return "Unchanged";
      default:
        break;
    }
    if (index < kTVMFFIStaticObjectBegin) return "<" + value.GetTypeKey() + ">";
    const Object* obj = value.cast<ObjectRef>().get();
    if (active_.count(obj) != 0) return "...";
    active_.insert(obj);
    std::string text = PrintObject(value, index);
    active_.erase(obj);
    return text;
  }

 private:
  std::string PrintObject(const Any& value, int32_t index) {
    const TVMFFIObject* header = details::AnyUnsafe::TVMFFIAnyPtrFromAny(value)->v_obj;
    switch (index) {
      case kTVMFFIArray: {
        Array<Any> items = value.cast<Array<Any>>();
        std::string out = "(";
        for (size_t i = 0; i < items.size(); ++i) {
          if (i != 0) out += ", ";
          out += Print(items[i]);
        }
        return out + (items.size() == 1 ? ",)" : ")");
      }
      case kTVMFFIList: {
        // The sequence cell is part of the C ABI: owning TVMFFIAny elements at `data`.
        const auto* cell = reinterpret_cast<const TVMFFISeqCell*>(
            reinterpret_cast<const char*>(header) + sizeof(TVMFFIObject));
        std::string out = "[";
        for (int64_t i = 0; i < cell->size; ++i) {
          if (i != 0) out += ", ";
          out +=
              Print(Any(AnyView::CopyFromTVMFFIAny(static_cast<const TVMFFIAny*>(cell->data)[i])));
        }
        return out + "]";
      }
      case kTVMFFIMap:
      case kTVMFFIDict: {
        // Map and Dict share the entry storage (MapBaseObj); both print in iteration order
        const auto* entries = reinterpret_cast<const MapBaseObj*>(header);
        std::string out = "{";
        bool first = true;
        for (const auto& kv : *entries) {
          if (!first) out += ", ";
          first = false;
          out += Print(kv.first) + ": " + Print(kv.second);
        }
        return out + "}";
      }
      case kTVMFFIShape: {
        const auto* cell = reinterpret_cast<const TVMFFIShapeCell*>(
            reinterpret_cast<const char*>(header) + sizeof(TVMFFIObject));
        std::string out = "Shape(";
        for (size_t i = 0; i < cell->size; ++i) {
          if (i != 0) out += ", ";
          out += std::to_string(cell->data[i]);
        }
        return out + ")";
      }
      case kTVMFFITensor: {
        const DLTensor* t = TVMFFITensorGetDLTensorPtr(const_cast<TVMFFIObject*>(header));
        std::string out = DTypeText(t->dtype) + "[";
        for (int32_t i = 0; i < t->ndim; ++i) {
          if (i != 0) out += ", ";
          out += std::to_string(t->shape[i]);
        }
        return out + "]@" + DeviceText(t->device);
      }
      case kTVMFFIBigInt:
        return value.cast<BigInt>().ToString();
      default:
        return PrintReflected(value, index);
    }
  }

  std::string PrintReflected(const Any& value, int32_t index) {
    const TVMFFITypeInfo* info = TVMFFIGetTypeInfo(index);
    std::string key(info->type_key.data, info->type_key.size);
    const Object* obj = value.cast<ObjectRef>().get();
    std::string fields;
    reflection::ForEachFieldInfo(info, [&](const TVMFFIFieldInfo* field) {
      if ((field->flags & kTVMFFIFieldFlagBitMaskReprOff) != 0 || field->getter == nullptr) return;
      Any field_value = reflection::FieldGetter(field)(obj);
      if (!fields.empty()) fields += ", ";
      fields += std::string(field->name.data, field->name.size) + "=" + Print(field_value);
    });
    if (fields.empty()) return key;
    return key + "(" + fields + ")";
  }

  std::unordered_set<const Object*> active_;
};

}  // namespace

String ReprPrint(const Any& value) { return String(Printer().Print(value)); }

TVM_FFI_STATIC_INIT_BLOCK() {
  reflection::GlobalDef().def("ffi.ReprPrint", [](const Any& value) { return ReprPrint(value); });
}

}  // namespace ffi
}  // namespace tvm
