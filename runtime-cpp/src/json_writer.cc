/*!
 * \file json_writer.cc
 * \brief JSON text from FFI values (tvm::ffi::json::Stringify).
 *
 * Accepted values: None, bool, int, float, String, Array, List and Map (whose keys must all
 * be strings), nested up to kJSONMaxDepth levels. A List that contains itself (directly or
 * through nested values) is a ValueError "Cycle detected: List contains itself". Output rules:
 * - compact form (indent absent or 0): no whitespace at all, e.g. `{"a":[1,2]}`;
 * - indented form (indent n > 0): each array element / object member on its own line,
 *   prefixed by n spaces per nesting level, `": "` between key and value; empty arrays and
 *   objects stay `[]` / `{}`; no trailing newline;
 * - floats use the shortest text that reads back to the same double and always contain '.'
 *   or an exponent (so 1.0 is written `1.0` and parses back as a float);
 * - NaN and +/-inf have no JSON form: ValueError (the choice made here, rather than writing
 *   null, so that no value is silently changed);
 * - strings escape '"', '\\' and control characters (\b \f \n \r \t or \u00XX); every other
 *   byte, including UTF-8 sequences, is written unchanged.
 * - a non-string map key is a TypeError; any other value type is a TypeError.
 *
 * Also registers the global function `ffi.json.Stringify`.
 */
#include <tvm/ffi/any.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/list.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/extra/json.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/reflection/registry.h>
#include <tvm/ffi/string.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "json_internal.h"

namespace tvm {
namespace ffi {
namespace json {

void AppendDoubleText(double value, std::string* out) {
  char buf[64];
  size_t len = 0;
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
  auto res = std::to_chars(buf, buf + sizeof(buf), value);
  len = static_cast<size_t>(res.ptr - buf);
#else
  for (int precision = 15; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof(buf), "%.*g", precision, value);
    if (std::strtod(buf, nullptr) == value) break;
  }
  len = std::strlen(buf);
  for (size_t i = 0; i < len; ++i) {
    if (buf[i] == ',') buf[i] = '.';  // guard against a non-C numeric locale
  }
#endif
  bool looks_float = false;
  for (size_t i = 0; i < len; ++i) {
    if (buf[i] == '.' || buf[i] == 'e' || buf[i] == 'E') {
      looks_float = true;
      break;
    }
  }
  out->append(buf, len);
  if (!looks_float) out->append(".0");
}

namespace {

class Writer {
 public:
  explicit Writer(int indent) : indent_(indent) {}

  void Write(const Any& value, int depth) {
    const TVMFFIAny* cell = details::AnyUnsafe::TVMFFIAnyPtrFromAny(value);
    switch (cell->type_index) {
      case kTVMFFINone:
        out_.append("null");
        return;
      case kTVMFFIBool:
        out_.append(cell->v_int64 != 0 ? "true" : "false");
        return;
      case kTVMFFIInt:
        out_.append(std::to_string(cell->v_int64));
        return;
      case kTVMFFIFloat: {
        double v = cell->v_float64;
        if (!std::isfinite(v)) {
          TVM_FFI_THROW(ValueError) << "JSON Stringify: cannot represent the float value " << v
                                    << " (NaN and infinity are not valid JSON)";
        }
        AppendDoubleText(v, &out_);
        return;
      }
      case kTVMFFISmallStr:
      case kTVMFFIStr: {
        TVMFFIByteArray str = details::AnyBytesContent(*cell);
        WriteString(str.data, str.size);
        return;
      }
      case kTVMFFIArray:
        WriteArray(*value.as<ArrayObj>(), depth + 1);
        return;
      case kTVMFFIList:
        WriteList(*value.as<ListObj>(), depth + 1);
        return;
      case kTVMFFIMap:
        WriteObject(*value.as<MapObj>(), depth + 1);
        return;
      default:
        TVM_FFI_THROW(TypeError) << "JSON Stringify: unsupported value type `" << value.GetTypeKey()
                                 << "`";
    }
  }

  std::string Release() { return std::move(out_); }

 private:
  void CheckDepth(int depth) {
    if (depth > kJSONMaxDepth) {
      TVM_FFI_THROW(ValueError) << "JSON Stringify: exceeded the maximum nesting depth of "
                                << kJSONMaxDepth;
    }
  }

  void NewLine(int depth) {
    if (indent_ <= 0) return;
    out_.push_back('\n');
    out_.append(static_cast<size_t>(indent_) * static_cast<size_t>(depth), ' ');
  }

  void WriteString(const char* data, size_t size) {
    static const char* kHex = "0123456789abcdef";
    out_.push_back('"');
    for (size_t i = 0; i < size; ++i) {
      unsigned char c = static_cast<unsigned char>(data[i]);
      switch (c) {
        case '"':
          out_.append("\\\"");
          break;
        case '\\':
          out_.append("\\\\");
          break;
        case '\b':
          out_.append("\\b");
          break;
        case '\f':
          out_.append("\\f");
          break;
        case '\n':
          out_.append("\\n");
          break;
        case '\r':
          out_.append("\\r");
          break;
        case '\t':
          out_.append("\\t");
          break;
        default:
          if (c < 0x20) {
            out_.append("\\u00");
            out_.push_back(kHex[c >> 4]);
            out_.push_back(kHex[c & 0xF]);
          } else {
            out_.push_back(static_cast<char>(c));
          }
      }
    }
    out_.push_back('"');
  }

  /*!
   * \brief Write the elements of `items` between `open` and `close`, comma separated, each
   *        on its own line when indenting; `write_item(element)` writes one element. An empty
   *        container is written as the two brackets alone.
   */
  template <typename Items, typename WriteItem>
  void WriteContainer(const Items& items, int depth, char open, char close, WriteItem write_item) {
    out_.push_back(open);
    if (items.size() == 0) {
      out_.push_back(close);
      return;
    }
    bool first = true;
    for (const auto& item : items) {
      if (!first) out_.push_back(',');
      first = false;
      NewLine(depth);
      write_item(item);
    }
    NewLine(depth - 1);
    out_.push_back(close);
  }

  void WriteArray(const ArrayObj& arr, int depth) {
    CheckDepth(depth);
    WriteContainer(arr, depth, '[', ']', [&](const Any& item) { Write(item, depth); });
  }

  /*! \brief A List is written like an Array; the Lists being written are tracked for cycles. */
  void WriteList(const ListObj& list, int depth) {
    CheckDepth(depth);
    for (const ListObj* open : open_lists_) {
      if (open == &list) {
        TVM_FFI_THROW(ValueError) << "Cycle detected: List contains itself";
      }
    }
    open_lists_.push_back(&list);
    WriteContainer(list, depth, '[', ']', [&](const Any& item) { Write(item, depth); });
    open_lists_.pop_back();
  }

  void WriteObject(const MapObj& map, int depth) {
    CheckDepth(depth);
    // Validate keys before writing anything so the error is about the first bad key.
    for (const auto& kv : map) {
      int32_t key_index = kv.first.type_index();
      if (key_index != kTVMFFIStr && key_index != kTVMFFISmallStr) {
        TVM_FFI_THROW(TypeError)
            << "JSON Stringify: object keys must be strings, got a key of type `"
            << kv.first.GetTypeKey() << "`";
      }
    }
    WriteContainer(map, depth, '{', '}', [&](const auto& kv) {
      TVMFFIByteArray key =
          details::AnyBytesContent(*details::AnyUnsafe::TVMFFIAnyPtrFromAny(kv.first));
      WriteString(key.data, key.size);
      out_.append(indent_ > 0 ? ": " : ":");
      Write(kv.second, depth);
    });
  }

  int indent_;
  std::string out_;
  /*! \brief Lists currently being written (outermost first). */
  std::vector<const ListObj*> open_lists_;
};

}  // namespace

namespace {

String StringifyWithIndent(const Value& value, int n) {
  if (n < 0) {
    TVM_FFI_THROW(ValueError) << "JSON Stringify: indent must be non-negative, got " << n;
  }
  Writer writer(n);
  writer.Write(value, 0);
  return String(writer.Release());
}

}  // namespace

}  // namespace json

namespace details {
String JsonStringifyIndentCell(const json::Value& value, const TVMFFIAny* indent) {
  if (indent == nullptr || indent->type_index == kTVMFFINone) {
    return json::StringifyWithIndent(value, 0);
  }
  if (indent->type_index != kTVMFFIInt) {
    TVM_FFI_THROW(TypeError) << "JSON Stringify: indent must be None or an int, got type index "
                             << indent->type_index;
  }
  if (indent->v_int64 < 0 || indent->v_int64 > std::numeric_limits<int>::max()) {
    TVM_FFI_THROW(ValueError) << "JSON Stringify: indent must be in [0, "
                              << std::numeric_limits<int>::max() << "], got " << indent->v_int64;
  }
  return json::StringifyWithIndent(value, static_cast<int>(indent->v_int64));
}
}  // namespace details

namespace json {

/*!
 * \brief json::Stringify(const Any&, Optional<int>) as exported by the 0.1.0 runtime, for modules
 *        built against 0.1.0 headers (its mangled name is given explicitly: no declaration of
 *        that signature exists any more). That Optional<int> is 8 bytes (int32 value at 0,
 *        engaged flag at 4) and not trivially copyable, so callers pass the address of a
 *        temporary they own.
 */
TVM_FFI_EXTRA_CXX_API String StringifyLegacyOptionalByValue(
    const Value& value,
    const void* indent) __asm__("_ZN3tvm3ffi4json9StringifyERKNS0_3AnyENS0_8OptionalIivEE");
String StringifyLegacyOptionalByValue(const Value& value, const void* indent) {
  int32_t n = 0;
  bool engaged = false;
  if (indent != nullptr) {
    std::memcpy(&n, indent, sizeof(n));
    std::memcpy(&engaged, static_cast<const char*>(indent) + 4, sizeof(engaged));
  }
  return StringifyWithIndent(value, engaged ? n : 0);
}

TVM_FFI_STATIC_INIT_BLOCK() {
  reflection::GlobalDef().def(
      "ffi.json.Stringify",
      [](const Any& value, Optional<int> indent) -> String { return Stringify(value, indent); });
}

}  // namespace json
}  // namespace ffi
}  // namespace tvm
