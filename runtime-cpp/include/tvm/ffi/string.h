/*!
 * \file tvm/ffi/string.h
 * \brief String and Bytes: value types holding one 16-byte Any cell.
 *
 * Content of at most 7 bytes is stored inline in the cell (SmallStr / SmallBytes, NUL after
 * the content, the remaining payload bytes zero); longer content lives in a heap object
 * (ffi.String / ffi.Bytes) whose `data`/`size` describe it. Content is always NUL-terminated.
 */
#ifndef TVM_FFI_STRING_H_
#define TVM_FFI_STRING_H_

#include <tvm/ffi/base_details.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/memory.h>
#include <tvm/ffi/object.h>
#include <tvm/ffi/type_traits.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tvm {
namespace ffi {

namespace details {

/*! \brief Common layout of string and bytes objects: header + TVMFFIByteArray. */
class BytesObjBase : public Object, public TVMFFIByteArray {};

template <typename TStr, int32_t kSmallIndex, int32_t kObjectIndex>
struct StrTypeTraitsBase;

}  // namespace details

/*! \brief Heap object of a String (ffi.String). */
class StringObj : public details::BytesObjBase {
 public:
  static constexpr int32_t _type_index = kTVMFFIStr;
  static constexpr bool _type_final = true;
  TVM_FFI_DECLARE_OBJECT_INFO_STATIC(StaticTypeKey::kTVMFFIStr, StringObj, Object);
};

/*! \brief Heap object of a Bytes value (ffi.Bytes). */
class BytesObj : public details::BytesObjBase {
 public:
  static constexpr int32_t _type_index = kTVMFFIBytes;
  static constexpr bool _type_final = true;
  TVM_FFI_DECLARE_OBJECT_INFO_STATIC(StaticTypeKey::kTVMFFIBytes, BytesObj, Object);
};

namespace details {
// Names used by upstream-style code.
using StringObj = ::tvm::ffi::StringObj;
using BytesObj = ::tvm::ffi::BytesObj;

/*! \brief A string/bytes object that owns its content through a std::string. */
template <typename Base>
class BytesObjStdImpl : public Base {
 public:
  explicit BytesObjStdImpl(std::string other) : data_container_(std::move(other)) {
    this->data = data_container_.data();
    this->size = data_container_.size();
  }

 private:
  std::string data_container_;
};

/*!
 * \brief The 16-byte cell shared by String and Bytes. kSmallIndex / kObjectIndex select the
 * string or bytes flavour.
 */
template <int32_t kSmallIndex, typename TObj>
class BytesBaseCell {
 public:
  BytesBaseCell() { InitSmall(nullptr, 0); }
  BytesBaseCell(const BytesBaseCell& other) : data_(other.data_) {
    if (data_.type_index >= kTVMFFIStaticObjectBegin) ObjectUnsafe::IncRefObjectHandle(data_.v_obj);
  }
  BytesBaseCell(BytesBaseCell&& other) noexcept : data_(other.data_) {
    other.InitSmall(nullptr, 0);
  }
  BytesBaseCell& operator=(const BytesBaseCell& other) {
    BytesBaseCell(other).swap(*this);
    return *this;
  }
  BytesBaseCell& operator=(BytesBaseCell&& other) noexcept {
    BytesBaseCell(std::move(other)).swap(*this);
    return *this;
  }
  ~BytesBaseCell() {
    if (data_.type_index >= kTVMFFIStaticObjectBegin) ObjectUnsafe::DecRefObjectHandle(data_.v_obj);
  }
  void swap(BytesBaseCell& other) noexcept { std::swap(data_, other.data_); }

  /*! \brief Fill from a byte range: inline when short, else an inplace heap object. */
  void Init(const char* data, size_t size) {
    if (size <= 7) {
      InitSmall(data, size);
    } else {
      ObjectPtr<TObj> ptr = make_inplace_array_object<TObj, char>(size + 1);
      char* dest = reinterpret_cast<char*>(ptr.get()) + sizeof(TObj);
      std::memcpy(dest, data, size);
      dest[size] = '\0';
      ptr->data = dest;
      ptr->size = size;
      SetObject(ObjectUnsafe::MoveObjectPtrToTVMFFIObjectPtr(std::move(ptr)));
    }
  }
  /*! \brief Always a heap object that keeps the std::string. */
  void InitFromStd(std::string&& other) {
    ObjectPtr<TObj> ptr = make_object<BytesObjStdImpl<TObj>>(std::move(other));
    SetObject(ObjectUnsafe::MoveObjectPtrToTVMFFIObjectPtr(std::move(ptr)));
  }
  void InitSmall(const char* data, size_t size) {
    data_.type_index = kSmallIndex;
    data_.small_str_len = static_cast<uint32_t>(size);
    data_.v_int64 = 0;
    if (size != 0) std::memcpy(data_.v_bytes, data, size);
  }
  void SetObject(TVMFFIObject* obj) {
    data_.type_index = obj->type_index;
    data_.zero_padding = 0;
    data_.v_obj = obj;
  }

  const char* data() const {
    if (data_.type_index < kTVMFFIStaticObjectBegin) return data_.v_bytes;
    return TVMFFIBytesGetByteArrayPtr(data_.v_obj)->data;
  }
  size_t size() const {
    if (data_.type_index < kTVMFFIStaticObjectBegin) return data_.small_str_len;
    return TVMFFIBytesGetByteArrayPtr(data_.v_obj)->size;
  }
  const TVMFFIAny* cell() const { return &data_; }
  TVMFFIAny* cell() { return &data_; }

 protected:
  TVMFFIAny data_;
};

/*! \brief Lexicographic compare of two byte ranges; the shorter prefix sorts first. */
inline int BytesCompare(const char* lhs, size_t lhs_count, const char* rhs, size_t rhs_count) {
  if (lhs == rhs && lhs_count == rhs_count) return 0;
  for (size_t i = 0; i < lhs_count && i < rhs_count; ++i) {
    if (lhs[i] < rhs[i]) return -1;
    if (lhs[i] > rhs[i]) return 1;
  }
  if (lhs_count < rhs_count) return -1;
  if (lhs_count > rhs_count) return 1;
  return 0;
}

}  // namespace details

/*! \brief Immutable byte sequence. */
class Bytes {
 public:
  Bytes() = default;
  Bytes(const char* data, size_t size) { cell_.Init(data, size); }
  Bytes(TVMFFIByteArray bytes) { cell_.Init(bytes.data, bytes.size); }         // NOLINT(*)
  Bytes(const std::string& other) { cell_.Init(other.data(), other.size()); }  // NOLINT(*)
  Bytes(std::string&& other) { cell_.InitFromStd(std::move(other)); }          // NOLINT(*)

  void swap(Bytes& other) noexcept { cell_.swap(other.cell_); }
  template <typename T>
  Bytes& operator=(T&& other) {
    Bytes(std::forward<T>(other)).swap(*this);
    return *this;
  }
  Bytes(const Bytes&) = default;
  Bytes(Bytes&&) noexcept = default;
  Bytes& operator=(const Bytes&) = default;
  Bytes& operator=(Bytes&&) noexcept = default;

  size_t size() const { return cell_.size(); }
  const char* data() const { return cell_.data(); }
  operator std::string() const { return std::string(data(), size()); }  // NOLINT(*)

  static int memncmp(const char* lhs, const char* rhs, size_t lhs_count, size_t rhs_count) {
    return details::BytesCompare(lhs, lhs_count, rhs, rhs_count);
  }
  static bool memequal(const void* lhs, const void* rhs, size_t lhs_count, size_t rhs_count) {
    return lhs_count == rhs_count && (lhs == rhs || std::memcmp(lhs, rhs, lhs_count) == 0);
  }

 private:
  details::BytesBaseCell<kTVMFFISmallBytes, BytesObj> cell_;
  friend struct details::StrTypeTraitsBase<Bytes, kTVMFFISmallBytes, kTVMFFIBytes>;
  template <typename, typename>
  friend class Optional;
};

/*! \brief Immutable UTF-8 (or arbitrary bytes) string with a guaranteed NUL terminator. */
class String {
 public:
  String(std::nullptr_t) = delete;  // NOLINT(*)
  String() = default;
  String(const String&) = default;
  String(String&&) noexcept = default;
  String& operator=(const String&) = default;
  String& operator=(String&&) noexcept = default;
  String(const char* data, size_t size) { cell_.Init(data, size); }
  String(const char* other) {  // NOLINT(*)
    if (other == nullptr) {
      TVM_FFI_THROW(ValueError) << "cannot construct a String from a null const char*";
    }
    cell_.Init(other, std::strlen(other));
  }
  String(const std::string& other) { cell_.Init(other.data(), other.size()); }  // NOLINT(*)
  String(std::string&& other) { cell_.InitFromStd(std::move(other)); }          // NOLINT(*)
  explicit String(TVMFFIByteArray other) { cell_.Init(other.data, other.size); }
  explicit String(std::string_view other) { cell_.Init(other.data(), other.size()); }

  String& operator=(const std::string& other) {
    String(other).swap(*this);
    return *this;
  }
  String& operator=(std::string&& other) {
    String(std::move(other)).swap(*this);
    return *this;
  }
  String& operator=(const char* other) {
    String(other).swap(*this);
    return *this;
  }

  void swap(String& other) noexcept { cell_.swap(other.cell_); }
  const char* data() const noexcept { return cell_.data(); }
  const char* c_str() const noexcept { return cell_.data(); }
  size_t size() const noexcept { return cell_.size(); }
  size_t length() const { return size(); }
  bool empty() const { return size() == 0; }
  char at(size_t pos) const {
    if (pos >= size()) throw std::out_of_range("tvm::ffi::String index out of bounds");
    return data()[pos];
  }
  int compare(const String& other) const {
    return details::BytesCompare(data(), size(), other.data(), other.size());
  }
  int compare(const std::string& other) const {
    return details::BytesCompare(data(), size(), other.data(), other.size());
  }
  int compare(const char* other) const {
    return details::BytesCompare(data(), size(), other, std::strlen(other));
  }
  int compare(const TVMFFIByteArray& other) const {
    return details::BytesCompare(data(), size(), other.data, other.size);
  }
  operator std::string() const { return std::string(data(), size()); }            // NOLINT(*)
  operator std::string_view() const { return std::string_view(data(), size()); }  // NOLINT(*)

  /*! \brief "Not found" result of find and "to the end" count of substr. */
  static constexpr size_t npos = static_cast<size_t>(-1);

  /*! \brief First byte position >= pos where `needle` starts, or npos. */
  size_t find(const String& needle, size_t pos = 0) const {
    return find(needle.data(), pos, needle.size());
  }
  size_t find(const char* needle, size_t pos = 0) const {
    return find(needle, pos, std::strlen(needle));
  }
  size_t find(const char* needle, size_t pos, size_t count) const {
    return std::string_view(data(), size()).find(std::string_view(needle, count), pos);
  }
  /*!
   * \brief Bytes [pos, pos + min(count, size - pos)); pos > size throws std::out_of_range.
   */
  String substr(size_t pos = 0, size_t count = npos) const {
    if (pos > size()) throw std::out_of_range("tvm::String substr index out of bounds");
    const size_t len = std::min(count, size() - pos);
    return String(data() + pos, len);
  }
  bool starts_with(const String& prefix) const { return starts_with(prefix.data(), prefix.size()); }
  bool starts_with(const std::string& prefix) const {
    return starts_with(prefix.data(), prefix.size());
  }
  bool starts_with(std::string_view prefix) const {
    return starts_with(prefix.data(), prefix.size());
  }
  bool starts_with(const char* prefix) const { return starts_with(prefix, std::strlen(prefix)); }
  bool starts_with(const char* prefix, size_t count) const {
    return count <= size() && (count == 0 || std::memcmp(data(), prefix, count) == 0);
  }
  bool ends_with(const String& suffix) const { return ends_with(suffix.data(), suffix.size()); }
  bool ends_with(const std::string& suffix) const {
    return ends_with(suffix.data(), suffix.size());
  }
  bool ends_with(std::string_view suffix) const { return ends_with(suffix.data(), suffix.size()); }
  bool ends_with(const char* suffix) const { return ends_with(suffix, std::strlen(suffix)); }
  bool ends_with(const char* suffix, size_t count) const {
    return count <= size() &&
           (count == 0 || std::memcmp(data() + size() - count, suffix, count) == 0);
  }
  /*!
   * \brief Split at every `delim`: views into this string (valid while it lives). Always at
   * least one piece; empty pieces are kept ("a,,b," gives 4 pieces, "" gives one).
   */
  std::vector<std::string_view> Split(char delim) const {
    std::vector<std::string_view> pieces;
    const std::string_view text(data(), size());
    size_t start = 0;
    while (true) {
      const size_t end = text.find(delim, start);
      if (end == std::string_view::npos) {
        pieces.push_back(text.substr(start));
        return pieces;
      }
      pieces.push_back(text.substr(start, end - start));
      start = end + 1;
    }
  }

 private:
  details::BytesBaseCell<kTVMFFISmallStr, StringObj> cell_;
  friend struct details::StrTypeTraitsBase<String, kTVMFFISmallStr, kTVMFFIStr>;
  template <typename, typename>
  friend class Optional;
};

/*! \brief View of a TVMFFIByteArray as std::string_view. */
inline std::string_view ToStringView(TVMFFIByteArray str) {
  return std::string_view(str.data, str.size);
}

/*!
 * \brief JSON-style quoting: wrapped in `"`; `"` `\\` `/` and \\b \\f \\n \\r \\t escaped,
 * other bytes below 0x20 and 0x7f as \\u00XX, everything else verbatim.
 */
inline String EscapeStringJSON(const String& value) {
  std::string out;
  out.reserve(value.size() + 2);
  out.push_back('"');
  for (size_t i = 0; i < value.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(value.data()[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '/':
        out += "\\/";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
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
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
  return String(std::move(out));
}

/*! \brief Former name of EscapeStringJSON. */
[[deprecated("use EscapeStringJSON")]] inline String EscapeString(const String& value) {
  return EscapeStringJSON(value);
}

namespace details {
/*! \brief Length of the valid UTF-8 sequence at text[i] (2..4), or 0 when it is not one. */
inline size_t Utf8SequenceLength(const unsigned char* text, size_t i, size_t size,
                                 uint32_t* code_point) {
  const unsigned char lead = text[i];
  size_t len = 0;
  uint32_t cp = 0;
  if (lead >= 0xc2 && lead <= 0xdf) {
    len = 2;
    cp = lead & 0x1f;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    len = 3;
    cp = lead & 0x0f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    len = 4;
    cp = lead & 0x07;
  } else {
    return 0;
  }
  if (i + len > size) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((text[i + k] & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (text[i + k] & 0x3f);
  }
  // Reject overlong forms, surrogates and values above U+10FFFF.
  if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
      (cp >= 0xd800 && cp <= 0xdfff)) {
    return 0;
  }
  *code_point = cp;
  return len;
}
}  // namespace details

/*!
 * \brief Python-repr style quoting, wrapped in `"`: \\n \\t \\r \\\\ \\" escaped; other bytes
 * below 0x20 and 0x7f as \\xNN; valid 2/3-byte UTF-8 sequences as \\uXXXX and 4-byte ones as
 * \\UXXXXXXXX (lower-case hex); bytes that start no valid sequence as \\xNN. An ANSI colour
 * sequence (ESC `[` digits/`;` then `m` or `K`) keeps its text after the escaped ESC.
 */
inline String EscapedStringPy(const String& value) {
  const unsigned char* text = reinterpret_cast<const unsigned char*>(value.data());
  const size_t size = value.size();
  std::string out;
  out.reserve(size + 2);
  out.push_back('"');
  char buf[16];
  size_t i = 0;
  while (i < size) {
    const unsigned char c = text[i];
    switch (c) {
      case '\n':
        out += "\\n";
        ++i;
        continue;
      case '\t':
        out += "\\t";
        ++i;
        continue;
      case '\r':
        out += "\\r";
        ++i;
        continue;
      case '\\':
        out += "\\\\";
        ++i;
        continue;
      case '"':
        out += "\\\"";
        ++i;
        continue;
      default:
        break;
    }
    if (c == 0x1b && i + 1 < size && text[i + 1] == '[') {
      size_t j = i + 2;
      while (j < size && ((text[j] >= '0' && text[j] <= '9') || text[j] == ';')) ++j;
      if (j < size && (text[j] == 'm' || text[j] == 'K')) {
        out += "\\x1b";
        out.append(reinterpret_cast<const char*>(text + i + 1), j - i);
        i = j + 1;
        continue;
      }
    }
    if (c < 0x20 || c == 0x7f) {
      std::snprintf(buf, sizeof(buf), "\\x%02x", c);
      out += buf;
      ++i;
      continue;
    }
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    uint32_t code_point = 0;
    const size_t len = details::Utf8SequenceLength(text, i, size, &code_point);
    if (len == 0) {
      std::snprintf(buf, sizeof(buf), "\\x%02x", c);
      out += buf;
      ++i;
    } else {
      if (len == 4) {
        std::snprintf(buf, sizeof(buf), "\\U%08x", code_point);
      } else {
        std::snprintf(buf, sizeof(buf), "\\u%04x", code_point);
      }
      out += buf;
      i += len;
    }
  }
  out.push_back('"');
  return String(std::move(out));
}

// Concatenation.
namespace details {
inline String ConcatStr(const char* lhs, size_t lhs_size, const char* rhs, size_t rhs_size) {
  std::string out;
  out.reserve(lhs_size + rhs_size);
  out.append(lhs, lhs_size);
  out.append(rhs, rhs_size);
  return String(out.data(), out.size());
}
}  // namespace details
inline String operator+(const String& lhs, const String& rhs) {
  return details::ConcatStr(lhs.data(), lhs.size(), rhs.data(), rhs.size());
}
inline String operator+(const String& lhs, const std::string& rhs) {
  return details::ConcatStr(lhs.data(), lhs.size(), rhs.data(), rhs.size());
}
inline String operator+(const std::string& lhs, const String& rhs) {
  return details::ConcatStr(lhs.data(), lhs.size(), rhs.data(), rhs.size());
}
inline String operator+(const String& lhs, const char* rhs) {
  return details::ConcatStr(lhs.data(), lhs.size(), rhs, std::strlen(rhs));
}
inline String operator+(const char* lhs, const String& rhs) {
  return details::ConcatStr(lhs, std::strlen(lhs), rhs.data(), rhs.size());
}

// Comparisons of String with String / std::string / const char*.
#define TVM_FFI_STRING_COMPARE_OP_(op)                                                            \
  inline bool operator op(const String& lhs, const String& rhs) { return lhs.compare(rhs) op 0; } \
  inline bool operator op(const String& lhs, const std::string& rhs) {                            \
    return lhs.compare(rhs) op 0;                                                                 \
  }                                                                                               \
  inline bool operator op(const std::string& lhs, const String& rhs) {                            \
    return 0 op rhs.compare(lhs);                                                                 \
  }                                                                                               \
  inline bool operator op(const String& lhs, const char* rhs) { return lhs.compare(rhs) op 0; }   \
  inline bool operator op(const char* lhs, const String& rhs) { return 0 op rhs.compare(lhs); }
TVM_FFI_STRING_COMPARE_OP_(==)
TVM_FFI_STRING_COMPARE_OP_(!=)
TVM_FFI_STRING_COMPARE_OP_(<)
TVM_FFI_STRING_COMPARE_OP_(>)
TVM_FFI_STRING_COMPARE_OP_(<=)
TVM_FFI_STRING_COMPARE_OP_(>=)
#undef TVM_FFI_STRING_COMPARE_OP_
bool operator==(const String& lhs, std::nullptr_t) = delete;
bool operator!=(const String& lhs, std::nullptr_t) = delete;
bool operator==(std::nullptr_t, const String& rhs) = delete;
bool operator!=(std::nullptr_t, const String& rhs) = delete;

inline std::ostream& operator<<(std::ostream& out, const String& input) {
  out.write(input.data(), static_cast<std::streamsize>(input.size()));
  return out;
}

// ---------------------------------------------------------------------------------------
// TypeTraits
// ---------------------------------------------------------------------------------------

namespace details {
/*! \brief Traits shared by String and Bytes (RawIndex: the borrowed view index they accept). */
template <typename TStr, int32_t kSmallIndex, int32_t kObjectIndex>
struct StrTypeTraitsBase : public TypeTraitsBase {
  static constexpr int32_t field_static_type_index = kObjectIndex;
  TVM_FFI_INLINE static void CopyToAnyView(const TStr& src, TVMFFIAny* result) {
    *result = *src.cell_.cell();
  }
  TVM_FFI_INLINE static void MoveToAny(TStr src, TVMFFIAny* result) {
    *result = *src.cell_.cell();
    src.cell_.InitSmall(nullptr, 0);
  }
  TVM_FFI_INLINE static bool CheckAnyStrict(const TVMFFIAny* src) {
    return src->type_index == kSmallIndex || src->type_index == kObjectIndex;
  }
  TVM_FFI_INLINE static TStr CopyFromAnyViewAfterCheck(const TVMFFIAny* src) {
    TStr result;
    *result.cell_.cell() = *src;
    if (src->type_index >= kTVMFFIStaticObjectBegin) ObjectUnsafe::IncRefObjectHandle(src->v_obj);
    return result;
  }
  TVM_FFI_INLINE static TStr MoveFromAnyAfterCheck(TVMFFIAny* src) {
    TStr result;
    *result.cell_.cell() = *src;
    WritePODHeader(kTVMFFINone, src);
    return result;
  }
};
}  // namespace details

template <>
struct TypeTraits<String> : public details::StrTypeTraitsBase<String, kTVMFFISmallStr, kTVMFFIStr> {
  TVM_FFI_INLINE static std::optional<String> TryCastFromAnyView(const TVMFFIAny* src) {
    if (CheckAnyStrict(src)) return CopyFromAnyViewAfterCheck(src);
    if (src->type_index == kTVMFFIRawStr && src->v_c_str != nullptr) return String(src->v_c_str);
    return std::nullopt;
  }
  static std::string TypeStr() { return "str"; }
  static std::string TypeSchema() { return R"({"type":"ffi.String"})"; }
};

template <>
struct TypeTraits<Bytes>
    : public details::StrTypeTraitsBase<Bytes, kTVMFFISmallBytes, kTVMFFIBytes> {
  TVM_FFI_INLINE static std::optional<Bytes> TryCastFromAnyView(const TVMFFIAny* src) {
    if (CheckAnyStrict(src)) return CopyFromAnyViewAfterCheck(src);
    if (src->type_index == kTVMFFIByteArrayPtr && src->v_ptr != nullptr) {
      return Bytes(*static_cast<const TVMFFIByteArray*>(src->v_ptr));
    }
    return std::nullopt;
  }
  static std::string TypeStr() { return "bytes"; }
  static std::string TypeSchema() { return R"({"type":"ffi.Bytes"})"; }
};

/*! \brief `const char*` is passed as a borrowed RawStr and stored as a String. */
template <>
struct TypeTraits<const char*> : public TypeTraitsBase {
  static constexpr bool storage_enabled = false;
  static constexpr int32_t field_static_type_index = kTVMFFIRawStr;
  TVM_FFI_INLINE static void CopyToAnyView(const char* src, TVMFFIAny* result) {
    TVM_FFI_ICHECK_NOTNULL(src);
    details::WritePODHeader(kTVMFFIRawStr, result);
    result->v_c_str = src;
  }
  TVM_FFI_INLINE static void MoveToAny(const char* src, TVMFFIAny* result) {
    TVM_FFI_ICHECK_NOTNULL(src);
    TypeTraits<String>::MoveToAny(String(src), result);
  }
  TVM_FFI_INLINE static bool CheckAnyStrict(const TVMFFIAny* src) {
    return src->type_index == kTVMFFIRawStr;
  }
  TVM_FFI_INLINE static const char* CopyFromAnyViewAfterCheck(const TVMFFIAny* src) {
    return src->v_c_str;
  }
  TVM_FFI_INLINE static std::optional<const char*> TryCastFromAnyView(const TVMFFIAny* src) {
    if (src->type_index == kTVMFFIRawStr) return src->v_c_str;
    return std::nullopt;
  }
  static std::string TypeStr() { return StaticTypeKey::kTVMFFIRawStr; }
  static std::string TypeSchema() { return R"({"type":"const char*"})"; }
};

template <size_t N>
struct TypeTraits<char[N]> : public TypeTraitsBase {
  static constexpr bool storage_enabled = false;
  static constexpr int32_t field_static_type_index = kTVMFFIRawStr;
  TVM_FFI_INLINE static void CopyToAnyView(const char src[N], TVMFFIAny* result) {
    details::WritePODHeader(kTVMFFIRawStr, result);
    result->v_c_str = src;
  }
  TVM_FFI_INLINE static void MoveToAny(const char src[N], TVMFFIAny* result) {
    TypeTraits<String>::MoveToAny(String(src), result);
  }
  static std::string TypeStr() { return StaticTypeKey::kTVMFFIRawStr; }
  static std::string TypeSchema() { return R"({"type":"const char*"})"; }
};

/*! \brief A borrowed TVMFFIByteArray* is passed as ByteArrayPtr and stored as Bytes. */
template <>
struct TypeTraits<TVMFFIByteArray*> : public TypeTraitsBase {
  static constexpr bool storage_enabled = false;
  static constexpr int32_t field_static_type_index = kTVMFFIByteArrayPtr;
  TVM_FFI_INLINE static void CopyToAnyView(TVMFFIByteArray* src, TVMFFIAny* result) {
    TVM_FFI_ICHECK_NOTNULL(src);
    details::WritePODHeader(kTVMFFIByteArrayPtr, result);
    result->v_ptr = src;
  }
  TVM_FFI_INLINE static void MoveToAny(TVMFFIByteArray* src, TVMFFIAny* result) {
    TVM_FFI_ICHECK_NOTNULL(src);
    TypeTraits<Bytes>::MoveToAny(Bytes(*src), result);
  }
  TVM_FFI_INLINE static bool CheckAnyStrict(const TVMFFIAny* src) {
    return src->type_index == kTVMFFIByteArrayPtr;
  }
  TVM_FFI_INLINE static TVMFFIByteArray* CopyFromAnyViewAfterCheck(const TVMFFIAny* src) {
    return static_cast<TVMFFIByteArray*>(src->v_ptr);
  }
  TVM_FFI_INLINE static std::optional<TVMFFIByteArray*> TryCastFromAnyView(const TVMFFIAny* src) {
    if (src->type_index == kTVMFFIByteArrayPtr) return static_cast<TVMFFIByteArray*>(src->v_ptr);
    return std::nullopt;
  }
  static std::string TypeStr() { return StaticTypeKey::kTVMFFIByteArrayPtr; }
  static std::string TypeSchema() { return R"({"type":"TVMFFIByteArray*"})"; }
};

/*! \brief std::string: a borrowed RawStr on the way in, converted from any string form out. */
template <>
struct TypeTraits<std::string>
    : public FallbackOnlyTraitsBase<std::string, const char*, TVMFFIByteArray*, Bytes, String> {
  static constexpr int32_t field_static_type_index = kTVMFFIStr;
  TVM_FFI_INLINE static void CopyToAnyView(const std::string& src, TVMFFIAny* result) {
    details::WritePODHeader(kTVMFFIRawStr, result);
    result->v_c_str = src.c_str();
  }
  TVM_FFI_INLINE static void MoveToAny(std::string src, TVMFFIAny* result) {
    TypeTraits<String>::MoveToAny(String(std::move(src)), result);
  }
  static std::string ConvertFallbackValue(const char* src) { return std::string(src); }
  static std::string ConvertFallbackValue(TVMFFIByteArray* src) {
    return std::string(src->data, src->size);
  }
  static std::string ConvertFallbackValue(Bytes src) { return std::string(src.data(), src.size()); }
  static std::string ConvertFallbackValue(String src) {
    return std::string(src.data(), src.size());
  }
  static std::string TypeStr() { return "std::string"; }
  static std::string TypeSchema() { return R"({"type":"std::string"})"; }
};

}  // namespace ffi
}  // namespace tvm

namespace std {
template <>
struct hash<::tvm::ffi::Bytes> {
  size_t operator()(const ::tvm::ffi::Bytes& bytes) const {
    return std::hash<std::string_view>()(std::string_view(bytes.data(), bytes.size()));
  }
};
template <>
struct hash<::tvm::ffi::String> {
  size_t operator()(const ::tvm::ffi::String& str) const {
    return std::hash<std::string_view>()(std::string_view(str.data(), str.size()));
  }
};
}  // namespace std

#endif  // TVM_FFI_STRING_H_
