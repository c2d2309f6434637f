/*!
 * \file json_parser.cc
 * \brief JSON parser producing FFI values (tvm::ffi::json::Parse), accepting what Python's
 * `json.loads` accepts and reporting errors with Python's words and positions.
 *
 * Value mapping: object -> Map<Any, Any> (keys are Strings, insertion order kept, a repeated
 * key keeps its first position and takes the last value), array -> Array<Any>, a number
 * without fraction/exponent that fits in int64 -> int, any other number -> float (values
 * beyond the double range become +/-inf, tiny ones 0.0), string -> String, true/false -> bool,
 * null -> None, and the non-standard constants NaN, Infinity, -Infinity -> float.
 *
 * Grammar (as Python's json module): only the four JSON whitespace characters are skipped; no
 * comments, trailing commas, single quotes, '+' signs; a number is the longest prefix that
 * matches `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`, so "01" is 0 followed by extra data;
 * raw control characters (below 0x20) inside strings are rejected; \u escapes of a surrogate
 * pair are joined, a lone surrogate is kept (encoded as its 3-byte UTF-8 form). String bytes
 * >= 0x80 are copied through as they are. Nesting deeper than kMaxDepth arrays/objects is an
 * error (Python raises RecursionError there).
 *
 * Errors read "<what>: line L column C (char P)" exactly as Python's json.JSONDecodeError:
 * P is the 0-based offset of the problem counted in code points (UTF-8 continuation bytes do
 * not count), L and C are 1-based. The messages are "Expecting value", "Extra data",
 * "Expecting ',' delimiter", "Expecting ':' delimiter", "Expecting property name enclosed in
 * double quotes", "Unterminated string starting at", "Invalid control character at",
 * "Invalid \\escape", "Invalid \\uXXXX escape", and "Unexpected UTF-8 BOM (decode using
 * utf-8-sig)" for a document starting with a byte order mark.
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
#include <cstring>
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
    if (LookingAt("\xEF\xBB\xBF")) {
      return Fail("Unexpected UTF-8 BOM (decode using utf-8-sig)", begin_);
    }
    SkipWhitespace();
    if (!ParseValue(out, 0)) return false;
    SkipWhitespace();
    if (cur_ != end_) return Fail("Extra data", cur_);
    return true;
  }

  const std::string& error() const { return error_; }

 private:
  bool Fail(const std::string& what, const char* where) {
    error_ = FormatError(what, where);
    return false;
  }

  /*! \brief Python's JSONDecodeError text; positions count code points, not bytes. */
  std::string FormatError(const std::string& what, const char* where) const {
    size_t offset = 0;
    size_t line = 1;
    size_t column = 1;
    for (const char* p = begin_; p < where; ++p) {
      const unsigned char c = static_cast<unsigned char>(*p);
      if ((c & 0xC0) == 0x80) continue;  // UTF-8 continuation byte
      ++offset;
      if (c == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    return what + ": line " + std::to_string(line) + " column " + std::to_string(column) +
           " (char " + std::to_string(offset) + ")";
  }

  static bool IsWhitespace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  void SkipWhitespace() {
    while (cur_ != end_ && IsWhitespace(*cur_)) ++cur_;
  }

  /*! \brief Whether the whole of `word` follows at cur_. */
  bool LookingAt(const char* word) const {
    const size_t n = std::strlen(word);
    return static_cast<size_t>(end_ - cur_) >= n && std::memcmp(cur_, word, n) == 0;
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
      case 'n':
        if (LookingAt("null")) return TakeConstant(4, Any(nullptr), out);
        break;
      case 't':
        if (LookingAt("true")) return TakeConstant(4, Any(true), out);
        break;
      case 'f':
        if (LookingAt("false")) return TakeConstant(5, Any(false), out);
        break;
      case 'N':
        if (LookingAt("NaN")) {
          return TakeConstant(3, Any(std::numeric_limits<double>::quiet_NaN()), out);
        }
        break;
      case 'I':
        if (LookingAt("Infinity")) {
          return TakeConstant(8, Any(std::numeric_limits<double>::infinity()), out);
        }
        break;
      case '-':
        if (LookingAt("-Infinity")) {
          return TakeConstant(9, Any(-std::numeric_limits<double>::infinity()), out);
        }
        break;
      default:
        break;
    }
    return ParseNumber(out);
  }

  bool TakeConstant(size_t length, Any value, Any* out) {
    cur_ += length;
    *out = std::move(value);
    return true;
  }

  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }

  /*! \brief The longest prefix at cur_ that is a JSON number; "Expecting value" if none. */
  bool ParseNumber(Any* out) {
    const char* start = cur_;
    const char* p = cur_;
    if (p != end_ && *p == '-') ++p;
    if (p == end_ || !IsDigit(*p)) return Fail("Expecting value", start);
    if (*p == '0') {
      ++p;
    } else {
      while (p != end_ && IsDigit(*p)) ++p;
    }
    bool is_integer = true;
    if (end_ - p >= 2 && p[0] == '.' && IsDigit(p[1])) {
      is_integer = false;
      p += 2;
      while (p != end_ && IsDigit(*p)) ++p;
    }
    if (p != end_ && (*p == 'e' || *p == 'E')) {
      const char* q = p + 1;
      if (q != end_ && (*q == '+' || *q == '-')) ++q;
      if (q != end_ && IsDigit(*q)) {
        while (q != end_ && IsDigit(*q)) ++q;
        is_integer = false;
        p = q;
      }
      // Otherwise the 'e' is not part of the number (extra data follows).
    }
    cur_ = p;
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

  /*! \brief Four hex digits at `digits` (known to be in range); -1 if one is not hex. */
  static int64_t ReadHex4(const char* digits) {
    int64_t value = 0;
    for (int i = 0; i < 4; ++i) {
      int h = HexValue(digits[i]);
      if (h < 0) return -1;
      value = (value << 4) | h;
    }
    return value;
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

  /*!
   * \brief Parse a string literal; cur_ points at the opening quote. Error positions follow
   * Python: a control character at itself, a bad escape at its backslash, a bad \u escape at
   * its 'u', an unterminated string at the opening quote.
   */
  bool ParseString(String* out) {
    const char* quote = cur_;
    ++cur_;
    std::string buffer;
    while (true) {
      const char* scan = cur_;
      while (scan != end_ && *scan != '"' && *scan != '\\') {
        if (static_cast<unsigned char>(*scan) < 0x20) {
          return Fail("Invalid control character at", scan);
        }
        ++scan;
      }
      if (scan == end_) return Fail("Unterminated string starting at", quote);
      if (*scan == '"' && buffer.empty()) {
        // Fast path: no escape seen.
        *out = String(cur_, static_cast<size_t>(scan - cur_));
        cur_ = scan + 1;
        return true;
      }
      buffer.append(cur_, scan);
      cur_ = scan + 1;
      if (*scan == '"') break;
      // Escape: scan points at the backslash.
      if (cur_ == end_) return Fail("Unterminated string starting at", quote);
      const char e = *cur_;
      if (e != 'u') {
        char decoded = 0;
        switch (e) {
          case '"':
          case '\\':
          case '/':
            decoded = e;
            break;
          case 'b':
            decoded = '\b';
            break;
          case 'f':
            decoded = '\f';
            break;
          case 'n':
            decoded = '\n';
            break;
          case 'r':
            decoded = '\r';
            break;
          case 't':
            decoded = '\t';
            break;
          default:
            return Fail("Invalid \\escape", scan);
        }
        buffer.push_back(decoded);
        ++cur_;
        continue;
      }
      // \uXXXX: four digits and at least one more byte must follow.
      const char* u = cur_;
      if (end_ - (u + 1) <= 4) return Fail("Invalid \\uXXXX escape", u);
      int64_t code = ReadHex4(u + 1);
      if (code < 0) return Fail("Invalid \\uXXXX escape", u);
      cur_ = u + 5;
      if (code >= 0xD800 && code <= 0xDBFF && end_ - cur_ > 6 && cur_[0] == '\\' &&
          cur_[1] == 'u') {
        int64_t low = ReadHex4(cur_ + 2);
        if (low < 0) return Fail("Invalid \\uXXXX escape", cur_ + 1);
        if (low >= 0xDC00 && low <= 0xDFFF) {
          code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          cur_ += 6;
        }
      }
      AppendUTF8(static_cast<uint32_t>(code), &buffer);
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
      return Fail("Exceeded the maximum nesting depth of " + std::to_string(kMaxDepth), cur_);
    }
    ++cur_;  // '[' or '{'
    SkipWhitespace();
    *empty = cur_ != end_ && *cur_ == close;
    if (*empty) ++cur_;
    return true;
  }

  /*!
   * \brief After an element of an array/object: skip whitespace, then consume either ','
   *        (another element follows, whitespace after it skipped) or `close` (`*done` becomes
   *        true); anything else fails.
   */
  bool ParseDelimiter(char close, bool* done) {
    SkipWhitespace();
    if (cur_ == end_ || (*cur_ != ',' && *cur_ != close)) {
      return Fail("Expecting ',' delimiter", cur_);
    }
    *done = *cur_ == close;
    ++cur_;
    if (!*done) SkipWhitespace();
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
    while (true) {
      if (cur_ == end_ || *cur_ != '"') {
        return Fail("Expecting property name enclosed in double quotes", cur_);
      }
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
