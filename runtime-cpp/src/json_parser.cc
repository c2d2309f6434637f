/*!
 * \file json_parser.cc
 * \brief Strict RFC 8259 JSON parser producing FFI values (tvm::ffi::json::Parse).
 *
 * Value mapping: object -> Map<Any, Any> (keys are Strings, insertion order kept, a repeated
 * key keeps its first position and takes the last value), array -> Array<Any>, a number
 * without fraction/exponent that fits in int64 -> int, any other number -> float (values
 * beyond the double range become +/-inf, tiny ones 0.0), string -> String, true/false -> bool,
 * null -> None.
 *
 * Strictness: only the four JSON whitespace characters are skipped; no comments, no trailing
 * commas, no single quotes, no NaN/Infinity literals, no leading zeros or '+' signs; raw
 * control characters inside strings are rejected; \u escapes must form valid UTF-16 (a high
 * surrogate must be followed by a low one). String bytes >= 0x80 are copied through as they
 * are (no UTF-8 validation). Nesting deeper than kMaxDepth arrays/objects is an error.
 *
 * Errors read "<what>: line L column C (char P)" where P is the 0-based byte offset of the
 * problem and L/C are 1-based (C counts bytes since the last '\n').
 *
 * Also registers the global function `ffi.json.Parse`.
 */
#include <tvm/ffi/any.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/extra/json.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/reflection/registry.h>
#include <tvm/ffi/string.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "json_internal.h"

namespace tvm {
namespace ffi {
namespace json {
namespace {

/*! \brief Maximum nesting of arrays/objects accepted by the parser. */
constexpr int kMaxDepth = kJSONMaxDepth;

/*! \brief Recursive-descent parser over a byte range; reports the first error only. */
class Parser {
 public:
  Parser(const char* data, size_t size) : begin_(data), cur_(data), end_(data + size) {}

  /*! \return true and the value on success; false with error() set otherwise. */
  bool ParseDocument(Any* out) {
    SkipWhitespace();
    if (!ParseValue(out, 0)) return false;
    SkipWhitespace();
    if (cur_ != end_) return Fail("Extra data", cur_);
    return true;
  }

  const std::string& error() const { return error_; }

 private:
  bool Fail(const char* what, const char* where) {
    error_ = FormatError(what, where);
    return false;
  }

  std::string FormatError(const std::string& what, const char* where) const {
    size_t offset = static_cast<size_t>(where - begin_);
    size_t line = 1;
    const char* line_start = begin_;
    for (const char* p = begin_; p < where; ++p) {
      if (*p == '\n') {
        ++line;
        line_start = p + 1;
      }
    }
    size_t column = static_cast<size_t>(where - line_start) + 1;
    return what + ": line " + std::to_string(line) + " column " + std::to_string(column) +
           " (char " + std::to_string(offset) + ")";
  }

  void SkipWhitespace() {
    while (cur_ != end_ && (*cur_ == ' ' || *cur_ == '\t' || *cur_ == '\n' || *cur_ == '\r')) {
      ++cur_;
    }
  }

  bool ParseValue(Any* out, int depth) {
    if (cur_ == end_) return Fail("Expecting value", cur_);
    switch (*cur_) {
      case '{':
        return ParseObject(out, depth + 1);
      case '[':
        return ParseArray(out, depth + 1);
      case '"': {
        String str;
        if (!ParseString(&str)) return false;
        *out = std::move(str);
        return true;
      }
      case 't':
        return ParseLiteral("true", Any(true), out);
      case 'f':
        return ParseLiteral("false", Any(false), out);
      case 'n':
        return ParseLiteral("null", Any(nullptr), out);
      default:
        if (*cur_ == '-' || (*cur_ >= '0' && *cur_ <= '9')) return ParseNumber(out);
        return Fail("Expecting value", cur_);
    }
  }

  bool ParseLiteral(const char* word, Any value, Any* out) {
    const char* start = cur_;
    for (const char* w = word; *w != '\0'; ++w) {
      if (cur_ == end_ || *cur_ != *w) {
        error_ = FormatError(std::string("Invalid literal, expected `") + word + "`", start);
        return false;
      }
      ++cur_;
    }
    *out = std::move(value);
    return true;
  }

  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }

  bool ParseNumber(Any* out) {
    const char* start = cur_;
    bool is_integer = true;
    if (*cur_ == '-') {
      ++cur_;
      if (cur_ == end_ || !IsDigit(*cur_))
        return Fail("Invalid number, expected a digit after '-'", cur_);
    }
    if (*cur_ == '0') {
      ++cur_;
      if (cur_ != end_ && IsDigit(*cur_)) {
        return Fail("Invalid number, leading zeros are not allowed", start);
      }
    } else {
      while (cur_ != end_ && IsDigit(*cur_)) ++cur_;
    }
    if (cur_ != end_ && *cur_ == '.') {
      is_integer = false;
      ++cur_;
      if (cur_ == end_ || !IsDigit(*cur_)) {
        return Fail("Invalid number, expected a digit after '.'", cur_);
      }
      while (cur_ != end_ && IsDigit(*cur_)) ++cur_;
    }
    if (cur_ != end_ && (*cur_ == 'e' || *cur_ == 'E')) {
      is_integer = false;
      ++cur_;
      if (cur_ != end_ && (*cur_ == '+' || *cur_ == '-')) ++cur_;
      if (cur_ == end_ || !IsDigit(*cur_)) {
        return Fail("Invalid number, expected a digit in the exponent", cur_);
      }
      while (cur_ != end_ && IsDigit(*cur_)) ++cur_;
    }
    if (is_integer) {
      int64_t value = 0;
      auto res = std::from_chars(start, cur_, value);
      if (res.ec == std::errc() && res.ptr == cur_) {
        *out = value;
        return true;
      }
      // Too large for int64: fall through and keep it as a float.
    }
    *out = ParseDoubleText(start, cur_);
    return true;
  }

  static int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  /*! \brief Read the four hex digits after "\u" (cur_ points at the first digit). */
  bool ReadHex4(const char* escape_start, uint32_t* code) {
    if (end_ - cur_ < 4) return Fail("Invalid \\uXXXX escape", escape_start);
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      int h = HexValue(cur_[i]);
      if (h < 0) return Fail("Invalid \\uXXXX escape", escape_start);
      value = (value << 4) | static_cast<uint32_t>(h);
    }
    cur_ += 4;
    *code = value;
    return true;
  }

  static void AppendUTF8(uint32_t cp, std::string* out) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  /*! \brief Parse a string literal; cur_ points at the opening quote. */
  bool ParseString(String* out) {
    const char* quote = cur_;
    ++cur_;
    // Fast path: no escapes.
    const char* scan = cur_;
    while (scan != end_ && *scan != '"' && *scan != '\\' &&
           static_cast<unsigned char>(*scan) >= 0x20) {
      ++scan;
    }
    if (scan != end_ && *scan == '"') {
      *out = String(cur_, static_cast<size_t>(scan - cur_));
      cur_ = scan + 1;
      return true;
    }
    std::string buffer(cur_, scan);
    cur_ = scan;
    while (true) {
      if (cur_ == end_) return Fail("Unterminated string starting at", quote);
      char c = *cur_;
      if (c == '"') {
        ++cur_;
        break;
      }
      if (static_cast<unsigned char>(c) < 0x20) return Fail("Invalid control character at", cur_);
      if (c != '\\') {
        buffer.push_back(c);
        ++cur_;
        continue;
      }
      const char* escape_start = cur_;
      ++cur_;
      if (cur_ == end_) return Fail("Unterminated string starting at", quote);
      char e = *cur_++;
      switch (e) {
        case '"':
          buffer.push_back('"');
          break;
        case '\\':
          buffer.push_back('\\');
          break;
        case '/':
          buffer.push_back('/');
          break;
        case 'b':
          buffer.push_back('\b');
          break;
        case 'f':
          buffer.push_back('\f');
          break;
        case 'n':
          buffer.push_back('\n');
          break;
        case 'r':
          buffer.push_back('\r');
          break;
        case 't':
          buffer.push_back('\t');
          break;
        case 'u': {
          uint32_t code;
          if (!ReadHex4(escape_start, &code)) return false;
          if (code >= 0xDC00 && code <= 0xDFFF) {
            return Fail("Invalid \\uXXXX escape, unpaired low surrogate", escape_start);
          }
          if (code >= 0xD800 && code <= 0xDBFF) {
            if (end_ - cur_ < 2 || cur_[0] != '\\' || cur_[1] != 'u') {
              return Fail("Invalid \\uXXXX escape, high surrogate not followed by a low surrogate",
                          escape_start);
            }
            const char* second = cur_;
            cur_ += 2;
            uint32_t low;
            if (!ReadHex4(second, &low)) return false;
            if (low < 0xDC00 || low > 0xDFFF) {
              return Fail("Invalid \\uXXXX escape, high surrogate not followed by a low surrogate",
                          escape_start);
            }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          }
          AppendUTF8(code, &buffer);
          break;
        }
        default:
          return Fail("Invalid \\escape", escape_start);
      }
    }
    *out = String(std::move(buffer));
    return true;
  }

  /*!
   * \brief Enter an array/object at its opening bracket: check the nesting depth, step over
   *        the bracket and the whitespace after it, and consume `close` right away when the
   *        container is empty (`*empty` tells which).
   */
  bool OpenContainer(int depth, char close, bool* empty) {
    if (depth > kMaxDepth) {
      return Fail(("Exceeded the maximum nesting depth of " + std::to_string(kMaxDepth)).c_str(),
                  cur_);
    }
    ++cur_;  // '[' or '{'
    SkipWhitespace();
    *empty = cur_ != end_ && *cur_ == close;
    if (*empty) ++cur_;
    return true;
  }

  /*!
   * \brief After an element of an array/object: skip whitespace, then consume either ','
   *        (another element follows) or `close` (`*done` becomes true); anything else fails.
   */
  bool ParseDelimiter(char close, bool* done) {
    SkipWhitespace();
    if (cur_ == end_ || (*cur_ != ',' && *cur_ != close)) {
      return Fail("Expecting ',' delimiter", cur_);
    }
    *done = *cur_ == close;
    ++cur_;
    return true;
  }

  bool ParseArray(Any* out, int depth) {
    bool empty = false;
    if (!OpenContainer(depth, ']', &empty)) return false;
    if (empty) {
      *out = Array();
      return true;
    }
    std::vector<Any> items;
    while (true) {
      SkipWhitespace();
      if (cur_ != end_ && *cur_ == ']' && !items.empty()) {
        return Fail("Illegal trailing comma before end of array", cur_);
      }
      Any item;
      if (!ParseValue(&item, depth)) return false;
      items.emplace_back(std::move(item));
      bool done = false;
      if (!ParseDelimiter(']', &done)) return false;
      if (done) break;
    }
    *out = Array(std::make_move_iterator(items.begin()), std::make_move_iterator(items.end()));
    return true;
  }

  bool ParseObject(Any* out, int depth) {
    bool empty = false;
    if (!OpenContainer(depth, '}', &empty)) return false;
    Object result;
    if (empty) {
      *out = std::move(result);
      return true;
    }
    bool first = true;
    while (true) {
      SkipWhitespace();
      if (cur_ == end_ || *cur_ != '"') {
        if (!first && cur_ != end_ && *cur_ == '}') {
          return Fail("Illegal trailing comma before end of object", cur_);
        }
        return Fail("Expecting property name enclosed in double quotes", cur_);
      }
      first = false;
      String key;
      if (!ParseString(&key)) return false;
      SkipWhitespace();
      if (cur_ == end_ || *cur_ != ':') return Fail("Expecting ':' delimiter", cur_);
      ++cur_;
      SkipWhitespace();
      Any value;
      if (!ParseValue(&value, depth)) return false;
      result.Set(Any(std::move(key)), value);
      bool done = false;
      if (!ParseDelimiter('}', &done)) return false;
      if (done) break;
    }
    *out = std::move(result);
    return true;
  }

  const char* begin_;
  const char* cur_;
  const char* end_;
  std::string error_;
};

}  // namespace

double ParseDoubleText(const char* begin, const char* end) {
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
  double value = 0.0;
  auto res = std::from_chars(begin, end, value);
  if (res.ec == std::errc() && res.ptr == end) return value;
  // Out of range: decide between overflow (-> inf) and underflow (-> 0) from the decimal
  // magnitude of the first non-zero digit plus the explicit exponent.
  const char* p = begin;
  bool negative = false;
  if (p != end && *p == '-') {
    negative = true;
    ++p;
  }
  int64_t magnitude = 0;
  bool found = false;
  int64_t int_digits = 0;
  const char* q = p;
  while (q != end && *q >= '0' && *q <= '9') {
    if (*q != '0') found = true;
    if (found) ++int_digits;
    ++q;
  }
  if (found) magnitude = int_digits - 1;
  if (q != end && *q == '.') {
    ++q;
    int64_t frac_index = 0;
    while (q != end && *q >= '0' && *q <= '9') {
      ++frac_index;
      if (!found && *q != '0') {
        found = true;
        magnitude = -frac_index;
      }
      ++q;
    }
  }
  int64_t exponent = 0;
  if (q != end && (*q == 'e' || *q == 'E')) {
    ++q;
    bool exp_negative = false;
    if (q != end && (*q == '+' || *q == '-')) {
      exp_negative = (*q == '-');
      ++q;
    }
    while (q != end && *q >= '0' && *q <= '9') {
      if (exponent < (int64_t(1) << 40)) exponent = exponent * 10 + (*q - '0');
      ++q;
    }
    if (exp_negative) exponent = -exponent;
  }
  double result =
      (found && magnitude + exponent > 0) ? std::numeric_limits<double>::infinity() : 0.0;
  return negative ? -result : result;
#else
  std::string text(begin, end);
  return std::strtod(text.c_str(), nullptr);
#endif
}

Value Parse(const String& json_str, String* error_msg) {
  Parser parser(json_str.data(), json_str.size());
  Any result;
  if (parser.ParseDocument(&result)) return result;
  if (error_msg != nullptr) {
    *error_msg = String(parser.error());
    return Any(nullptr);
  }
  TVM_FFI_THROW(ValueError) << parser.error();
  TVM_FFI_UNREACHABLE();
}

TVM_FFI_STATIC_INIT_BLOCK() {
  reflection::GlobalDef().def("ffi.json.Parse",
                              [](const String& json_str) -> Any { return Parse(json_str); });
}

}  // namespace json
}  // namespace ffi
}  // namespace tvm
