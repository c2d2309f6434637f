/*!
 * \file test_string.cc
 * \brief String and Bytes: small (<= 7 bytes, inline) and heap forms, NUL termination,
 *        comparisons, concatenation, hashing, escaping, conversions from Any, and the
 *        TVMFFIStringFromByteArray / TVMFFIBytesFromByteArray thresholds.
 */
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/string.h>

#include <cstring>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "test_utils.h"

namespace {

using namespace tvm::ffi;

/*! \brief The cell of a String/Bytes, seen through a borrowed AnyView. */
TVMFFIAny CellOf(const String& s) { return AnyView(s).CopyToTVMFFIAny(); }
TVMFFIAny CellOf(const Bytes& b) { return AnyView(b).CopyToTVMFFIAny(); }

std::string PayloadHex(const TVMFFIAny& cell) {
  return tvm_ffi_test::HexBytes(&cell.v_uint64, sizeof(cell.v_uint64));
}

/*! \brief Strong count of the object behind a heap cell. */
uint32_t StrongCount(const TVMFFIAny& cell) { return tvm_ffi_test::StrongCount(cell.v_obj); }

// ------------------------------------------------------------------------------------------
// representation
// ------------------------------------------------------------------------------------------

TEST(CoreString, SmallAndHeapForms) {
  EXPECT_EQ(CellOf(String()).type_index, kTVMFFISmallStr);
  EXPECT_EQ(CellOf(String("")).type_index, kTVMFFISmallStr);
  EXPECT_EQ(CellOf(String("a")).type_index, kTVMFFISmallStr);
  EXPECT_EQ(CellOf(String("abcdefg")).type_index, kTVMFFISmallStr);
  EXPECT_EQ(CellOf(String("abcdefgh")).type_index, kTVMFFIStr);
  EXPECT_EQ(CellOf(String(std::string(1000, 'x'))).type_index, kTVMFFIStr);
  EXPECT_EQ(CellOf(String("abcdefgh", 7)).type_index, kTVMFFISmallStr);
  const std::string seven = "1234567";
  const std::string eight = "12345678";
  EXPECT_EQ(CellOf(String(seven)).type_index, kTVMFFISmallStr);  // const std::string&
  EXPECT_EQ(CellOf(String(eight)).type_index, kTVMFFIStr);
  EXPECT_EQ(CellOf(String(TVMFFIByteArray{"abc", 3})).type_index, kTVMFFISmallStr);
  EXPECT_EQ(CellOf(String(std::string_view("abcdefghij"))).type_index, kTVMFFIStr);

  // small cell: length in small_str_len, content, NUL, zero padding
  TVMFFIAny cell = CellOf(String("abc"));
  EXPECT_EQ(cell.small_str_len, 3u);
  EXPECT_EQ(PayloadHex(cell), "6162630000000000");
  EXPECT_EQ(PayloadHex(CellOf(String())), "0000000000000000");
  EXPECT_EQ(PayloadHex(CellOf(String("abcdefg"))), "6162636465666700");

  // heap cell created from a byte range: content lives right after the 40-byte object
  String heap("0123456789");
  TVMFFIAny heap_cell = CellOf(heap);
  EXPECT_EQ(heap_cell.zero_padding, 0u);
  const TVMFFIByteArray* arr = TVMFFIBytesGetByteArrayPtr(heap_cell.v_obj);
  EXPECT_EQ(arr->data, reinterpret_cast<const char*>(heap_cell.v_obj) + 40);
  EXPECT_EQ(arr->size, 10u);
  EXPECT_EQ(heap.data(), arr->data);
  EXPECT_EQ(heap_cell.v_obj->type_index, kTVMFFIStr);
}

TEST(CoreString, RvalueStdStringIsAlwaysHeap) {
  for (const char* text : {"", "a", "abcdefg", "abcdefgh", "a much longer string than that"}) {
    String s{std::string(text)};
    TVMFFIAny cell = CellOf(s);
    EXPECT_EQ(cell.type_index, kTVMFFIStr) << text;
    EXPECT_EQ(s, text);
    EXPECT_EQ(s.size(), std::strlen(text));
    EXPECT_EQ(s.c_str()[s.size()], '\0');
  }
  String assigned;
  assigned = std::string("xy");
  EXPECT_EQ(CellOf(assigned).type_index, kTVMFFIStr);
  assigned = static_cast<const std::string&>(std::string("xy"));
  EXPECT_EQ(CellOf(assigned).type_index, kTVMFFISmallStr);
  assigned = "pq";
  EXPECT_EQ(CellOf(assigned).type_index, kTVMFFISmallStr);
  EXPECT_EQ(assigned, "pq");

  Bytes b{std::string("ab")};
  EXPECT_EQ(CellOf(b).type_index, kTVMFFIBytes);
  EXPECT_EQ(std::string(b), "ab");
}

TEST(CoreString, BytesForms) {
  EXPECT_EQ(CellOf(Bytes()).type_index, kTVMFFISmallBytes);
  EXPECT_EQ(CellOf(Bytes("abcdefg", 7)).type_index, kTVMFFISmallBytes);
  EXPECT_EQ(CellOf(Bytes("abcdefgh", 8)).type_index, kTVMFFIBytes);
  EXPECT_EQ(CellOf(Bytes(std::string("1234567"))).type_index, kTVMFFIBytes);  // rvalue
  const std::string lvalue = "1234567";
  EXPECT_EQ(CellOf(Bytes(lvalue)).type_index, kTVMFFISmallBytes);
  EXPECT_EQ(CellOf(Bytes(TVMFFIByteArray{"12345678", 8})).type_index, kTVMFFIBytes);
  TVMFFIAny cell = CellOf(Bytes("a\0c", 3));
  EXPECT_EQ(cell.small_str_len, 3u);
  EXPECT_EQ(PayloadHex(cell), "6100630000000000");

  Bytes heap("0123456789abcdef", 16);
  TVMFFIAny heap_cell = CellOf(heap);
  EXPECT_EQ(heap_cell.v_obj->type_index, kTVMFFIBytes);
  EXPECT_EQ(heap.data(), reinterpret_cast<const char*>(heap_cell.v_obj) + 40);
  EXPECT_EQ(heap.data()[16], '\0');
  EXPECT_EQ(heap.size(), 16u);

  Bytes assigned;
  assigned = std::string("hello world");
  EXPECT_EQ(std::string(assigned), "hello world");
  assigned = Bytes("x", 1);
  EXPECT_EQ(assigned.size(), 1u);
}

TEST(CoreString, NulTermination) {
  String small("abc");
  EXPECT_EQ(small.c_str()[3], '\0');
  EXPECT_EQ(small.c_str(), small.data());
  EXPECT_STREQ(small.c_str(), "abc");
  String seven("abcdefg");
  EXPECT_EQ(seven.c_str()[7], '\0');
  String heap("abcdefghijkl");
  EXPECT_EQ(heap.c_str()[12], '\0');
  EXPECT_STREQ(heap.c_str(), "abcdefghijkl");
  String from_std{std::string("zz")};
  EXPECT_STREQ(from_std.c_str(), "zz");
  String empty;
  EXPECT_STREQ(empty.c_str(), "");
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty.length(), 0u);
  // concatenation results are terminated too
  String cat = String("abcd") + String("efghij");
  EXPECT_EQ(cat.c_str()[10], '\0');
}

TEST(CoreString, EmbeddedNuls) {
  std::string raw("a\0b\0c", 5);
  String small(raw);
  EXPECT_EQ(small.size(), 5u);
  EXPECT_EQ(std::string(small), raw);
  EXPECT_EQ(small, raw);
  EXPECT_NE(small, "a");  // the C string stops at the first NUL
  EXPECT_EQ(String("a\0b", 3).size(), 3u);

  std::string long_raw(
      "0123\0"
      "56789abc",
      13);
  String heap(long_raw);
  EXPECT_EQ(CellOf(heap).type_index, kTVMFFIStr);
  EXPECT_EQ(heap.size(), 13u);
  EXPECT_EQ(std::memcmp(heap.data(), long_raw.data(), 13), 0);
  EXPECT_EQ(heap, long_raw);
  EXPECT_NE(heap, std::string("0123"));
  EXPECT_EQ(heap.c_str()[13], '\0');

  std::ostringstream os;
  os << small;
  EXPECT_EQ(os.str(), raw);

  Bytes b(long_raw);
  EXPECT_EQ(b.size(), 13u);
  EXPECT_EQ(std::string(b), long_raw);
}

TEST(CoreString, CopyAndMove) {
  String heap("a string on the heap");
  TVMFFIAny cell = CellOf(heap);
  EXPECT_EQ(StrongCount(cell), 1u);
  {
    String copy = heap;
    EXPECT_EQ(CellOf(copy).v_obj, cell.v_obj);
    EXPECT_EQ(StrongCount(cell), 2u);
    String moved = std::move(copy);
    EXPECT_EQ(StrongCount(cell), 2u);
    String assigned;
    assigned = moved;
    EXPECT_EQ(StrongCount(cell), 3u);
    assigned = String("tiny");
    EXPECT_EQ(StrongCount(cell), 2u);
  }
  EXPECT_EQ(StrongCount(cell), 1u);
  String a("aaaa");
  String b("bbbbbbbbbbbb");
  a.swap(b);
  EXPECT_EQ(a, "bbbbbbbbbbbb");
  EXPECT_EQ(b, "aaaa");
  static_assert(!std::is_constructible_v<String, std::nullptr_t>);
  static_assert(sizeof(String) == 16 && sizeof(Bytes) == 16);
}

TEST(CoreString, AtAndAccessors) {
  String s("hello");
  EXPECT_EQ(s.at(0), 'h');
  EXPECT_EQ(s.at(4), 'o');
  EXPECT_THROW(s.at(5), std::out_of_range);
  EXPECT_EQ(s.length(), 5u);
  std::string_view view = s;
  EXPECT_EQ(view, "hello");
  std::string str = s;
  EXPECT_EQ(str, "hello");
  EXPECT_EQ(ToStringView(TVMFFIByteArray{"xyz", 2}), "xy");
}

// ------------------------------------------------------------------------------------------
// comparison
// ------------------------------------------------------------------------------------------

TEST(CoreString, CompareOrdering) {
  EXPECT_EQ(String("abc").compare(String("abc")), 0);
  EXPECT_LT(String("abc").compare(String("abd")), 0);
  EXPECT_GT(String("abd").compare(String("abc")), 0);
  EXPECT_LT(String("ab").compare(String("abc")), 0);  // prefix sorts first
  EXPECT_GT(String("abc").compare(String("ab")), 0);
  EXPECT_LT(String("").compare(String("a")), 0);
  EXPECT_LT(String("abcdefgh1").compare(String("abcdefgh2")), 0);   // heap vs heap
  EXPECT_LT(String("abc").compare(std::string("abcdefghijk")), 0);  // small vs std
  EXPECT_EQ(String("abc").compare("abc"), 0);
  EXPECT_GT(String("b").compare("abc"), 0);
  EXPECT_EQ(String("xyz").compare(TVMFFIByteArray{"xyz", 3}), 0);
  EXPECT_LT(String("xy").compare(TVMFFIByteArray{"xyz", 3}), 0);
  // bytes compare as signed char: 0x80 sorts before 'a'
  EXPECT_LT(String("\x80").compare(String("a")), 0);
  EXPECT_LT(String("a\0b", 3).compare(String("a\0c", 3)), 0);
}

TEST(CoreString, ComparisonOperators) {
  String abc("abc");
  String abd("abd");
  std::string s_abc = "abc";
  const char* c_abd = "abd";

  EXPECT_TRUE(abc == String("abc"));
  EXPECT_TRUE(abc != abd);
  EXPECT_TRUE(abc < abd);
  EXPECT_TRUE(abd > abc);
  EXPECT_TRUE(abc <= abc);
  EXPECT_TRUE(abc >= abc);
  EXPECT_FALSE(abc > abc);

  EXPECT_TRUE(abc == s_abc);
  EXPECT_TRUE(s_abc == abc);
  EXPECT_TRUE(abd != s_abc);
  EXPECT_TRUE(s_abc != abd);
  EXPECT_TRUE(abc < std::string("abd"));
  EXPECT_TRUE(std::string("abb") < abc);
  EXPECT_TRUE(s_abc <= abc);
  EXPECT_TRUE(s_abc >= abc);
  EXPECT_TRUE(std::string("b") > abc);

  EXPECT_TRUE(abd == c_abd);
  EXPECT_TRUE(c_abd == abd);
  EXPECT_TRUE(abc != c_abd);
  EXPECT_TRUE(c_abd != abc);
  EXPECT_TRUE(abc < c_abd);
  EXPECT_TRUE(c_abd > abc);
  EXPECT_TRUE("abb" < abc);
  EXPECT_TRUE(abc > "abb");
  EXPECT_TRUE("abc" <= abc);
  EXPECT_TRUE("abc" >= abc);
  EXPECT_FALSE("abd" <= abc);

  // small and heap forms of equal content are equal
  EXPECT_TRUE(String("abc") == String(std::string("abc")));
  EXPECT_FALSE(String("abc") < String(std::string("abc")));
}

// ------------------------------------------------------------------------------------------
// concatenation
// ------------------------------------------------------------------------------------------

TEST(CoreString, Concatenation) {
  String a("abc");
  String b("defg");
  String ab = a + b;
  EXPECT_EQ(ab, "abcdefg");
  EXPECT_EQ(CellOf(ab).type_index, kTVMFFISmallStr);  // 7 bytes: small
  String abb = ab + String("h");
  EXPECT_EQ(abb, "abcdefgh");
  EXPECT_EQ(CellOf(abb).type_index, kTVMFFIStr);  // 8 bytes: heap
  // concatenating two heap strings that produce a short result is impossible, but a heap
  // std::string-built operand with a short result still yields a small String
  String short_heap{std::string("ab")};
  ASSERT_EQ(CellOf(short_heap).type_index, kTVMFFIStr);
  EXPECT_EQ(CellOf(short_heap + String("c")).type_index, kTVMFFISmallStr);

  EXPECT_EQ(a + std::string("12"), "abc12");
  EXPECT_EQ(std::string("12") + a, "12abc");
  EXPECT_EQ(a + "xy", "abcxy");
  EXPECT_EQ("xy" + a, "xyabc");
  EXPECT_EQ(String() + String(), "");
  EXPECT_EQ(CellOf(String() + String()).type_index, kTVMFFISmallStr);
  std::string nul("\0z", 2);
  EXPECT_EQ((a + nul).size(), 5u);
}

// ------------------------------------------------------------------------------------------
// hashing and escaping
// ------------------------------------------------------------------------------------------

TEST(CoreString, StdHash) {
  std::hash<String> hs;
  EXPECT_EQ(hs(String("abc")), std::hash<std::string_view>()("abc"));
  EXPECT_EQ(hs(String("abc")), hs(String(std::string("abc"))));
  EXPECT_EQ(hs(String("a long string here")), std::hash<std::string_view>()("a long string here"));
  EXPECT_NE(hs(String("abc")), hs(String("abd")));
  std::hash<Bytes> hb;
  EXPECT_EQ(hb(Bytes("a\0b", 3)), std::hash<std::string_view>()(std::string_view("a\0b", 3)));
  EXPECT_EQ(hb(Bytes("xyz", 3)), hb(Bytes(std::string("xyz"))));
}

TEST(CoreString, EscapeStringJSON) {
  EXPECT_EQ(EscapeStringJSON(String("plain")), "\"plain\"");
  EXPECT_EQ(EscapeStringJSON(String("")), "\"\"");
  EXPECT_EQ(EscapeStringJSON(String("a\"b\\c/d")), "\"a\\\"b\\\\c\\/d\"");
  EXPECT_EQ(EscapeStringJSON(String("\b\f\n\r\t")), "\"\\b\\f\\n\\r\\t\"");
  EXPECT_EQ(EscapeStringJSON(String("\x01\x1f")), "\"\\u0001\\u001f\"");
  EXPECT_EQ(EscapeStringJSON(String("nul\0!", 5)), "\"nul\\u0000!\"");
  // DEL is a control character too
  EXPECT_EQ(EscapeStringJSON(String("a\x7f")), "\"a\\u007f\"");
  EXPECT_EQ(EscapeStringJSON(String("~")), "\"~\"");
  // bytes >= 0x80 (UTF-8) pass through unchanged
  EXPECT_EQ(EscapeStringJSON(String("\xc3\xa9")), "\"\xc3\xa9\"");
}

// ------------------------------------------------------------------------------------------
// Bytes helpers
// ------------------------------------------------------------------------------------------

TEST(CoreString, BytesMemncmpAndMemequal) {
  EXPECT_EQ(Bytes::memncmp("abc", "abc", 3, 3), 0);
  EXPECT_LT(Bytes::memncmp("abc", "abd", 3, 3), 0);
  EXPECT_GT(Bytes::memncmp("abd", "abc", 3, 3), 0);
  EXPECT_LT(Bytes::memncmp("ab", "abc", 2, 3), 0);
  EXPECT_GT(Bytes::memncmp("abc", "ab", 3, 2), 0);
  EXPECT_EQ(Bytes::memncmp("", "", 0, 0), 0);
  EXPECT_LT(Bytes::memncmp("a\0a", "a\0b", 3, 3), 0);
  const char* same = "shared";
  EXPECT_EQ(Bytes::memncmp(same, same, 6, 6), 0);

  EXPECT_TRUE(Bytes::memequal("abc", "abc", 3, 3));
  EXPECT_FALSE(Bytes::memequal("abc", "abd", 3, 3));
  EXPECT_FALSE(Bytes::memequal("abc", "abc", 3, 2));
  EXPECT_TRUE(Bytes::memequal("a\0b", "a\0b", 3, 3));
  EXPECT_TRUE(Bytes::memequal(nullptr, nullptr, 0, 0));
}

// ------------------------------------------------------------------------------------------
// conversions from Any
// ------------------------------------------------------------------------------------------

TEST(CoreString, StringFromAny) {
  // RawStr
  AnyView raw = "raw text";
  String from_raw = raw.cast<String>();
  EXPECT_EQ(from_raw, "raw text");
  EXPECT_EQ(CellOf(from_raw).type_index, kTVMFFIStr);
  EXPECT_EQ(CellOf(AnyView("tiny").cast<String>()).type_index, kTVMFFISmallStr);
  // SmallStr / Str as is
  Any small = String("sm");
  EXPECT_EQ(small.as<String>().value(), "sm");
  String heap("a heap string!");
  Any heap_any = heap;
  String back = heap_any.cast<String>();
  EXPECT_EQ(CellOf(back).v_obj, CellOf(heap).v_obj);  // shared, not copied

  // String never accepts Bytes (nor the raw byte-array view)
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `ffi.SmallBytes` to `str`",
                   Any(Bytes("b", 1)).cast<String>());
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `ffi.Bytes` to `str`",
                   Any(Bytes(std::string(10, 'b'))).cast<String>());
  TVMFFIByteArray arr{"abc", 3};
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `TVMFFIByteArray*` to `str`",
                   AnyView(&arr).cast<String>());
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `None` to `str`", Any().cast<String>());
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `float` to `str`",
                   Any(1.5).cast<String>());
}

TEST(CoreString, BytesFromAny) {
  std::string payload(12, 'k');
  TVMFFIByteArray arr{payload.data(), payload.size()};
  AnyView view = &arr;
  Bytes b = view.cast<Bytes>();
  EXPECT_EQ(std::string(b), payload);
  EXPECT_EQ(CellOf(b).type_index, kTVMFFIBytes);
  EXPECT_FALSE(view.as<Bytes>().has_value());  // not strict

  Any small = Bytes("abc", 3);
  EXPECT_EQ(std::string(small.as<Bytes>().value()), "abc");
  // Bytes never accepts strings
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `ffi.SmallStr` to `bytes`",
                   Any(String("s")).cast<Bytes>());
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `const char*` to `bytes`",
                   AnyView("s").cast<Bytes>());
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `int` to `bytes`", Any(3).cast<Bytes>());
}

TEST(CoreString, StdStringCasts) {
  EXPECT_EQ(Any(String("abc")).cast<std::string>(), "abc");
  EXPECT_EQ(Any(String("a long heap string")).cast<std::string>(), "a long heap string");
  EXPECT_EQ(Any(Bytes("x\0y", 3)).cast<std::string>(), std::string("x\0y", 3));
  EXPECT_EQ(AnyView("view").cast<std::string>(), "view");
  TVMFFIByteArray arr{"ba\0", 3};
  EXPECT_EQ(AnyView(&arr).cast<std::string>(), std::string("ba\0", 3));
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `int` to `std::string`",
                   Any(1).cast<std::string>());
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `None` to `std::string`",
                   Any().cast<std::string>());
  static_assert(!TypeTraits<std::string>::storage_enabled);
  static_assert(!TypeTraits<const char*>::storage_enabled);
}

// ------------------------------------------------------------------------------------------
// C API thresholds
// ------------------------------------------------------------------------------------------

void CheckFromByteArray(int (*fn)(const TVMFFIByteArray*, TVMFFIAny*), int32_t small_index,
                        int32_t object_index) {
  const std::string source = std::string("0123456789", 10) + std::string(990, 'w');
  for (size_t n : {size_t{0}, size_t{1}, size_t{7}, size_t{8}, size_t{9}, size_t{1000}}) {
    SCOPED_TRACE(n);
    TVMFFIByteArray input{source.data(), n};
    TVMFFIAny out;
    std::memset(&out, 0xEE, sizeof(out));
    ASSERT_EQ(fn(&input, &out), 0);
    if (n <= 7) {
      EXPECT_EQ(out.type_index, small_index);
      EXPECT_EQ(out.small_str_len, n);
      EXPECT_EQ(std::memcmp(out.v_bytes, source.data(), n), 0);
      EXPECT_EQ(out.v_bytes[n], '\0');
      for (size_t i = n; i < 8; ++i) EXPECT_EQ(out.v_bytes[i], '\0') << i;
    } else {
      EXPECT_EQ(out.type_index, object_index);
      EXPECT_EQ(out.zero_padding, 0u);
      ASSERT_NE(out.v_obj, nullptr);
      EXPECT_EQ(out.v_obj->type_index, object_index);
      EXPECT_EQ(StrongCount(out), 1u);
      const TVMFFIByteArray* arr = TVMFFIBytesGetByteArrayPtr(out.v_obj);
      EXPECT_EQ(arr->data, reinterpret_cast<const char*>(out.v_obj) + 40);
      EXPECT_EQ(arr->size, n);
      EXPECT_EQ(std::memcmp(arr->data, source.data(), n), 0);
      EXPECT_EQ(arr->data[n], '\0');
    }
    // the value is owned: adopt and release it
    Any owned = details::AnyUnsafe::MoveTVMFFIAnyToAny(&out);
    EXPECT_EQ(out.type_index, kTVMFFINone);
  }
}

TEST(CoreString, CApiFromByteArrayThresholds) {
  CheckFromByteArray(TVMFFIStringFromByteArray, kTVMFFISmallStr, kTVMFFIStr);
  CheckFromByteArray(TVMFFIBytesFromByteArray, kTVMFFISmallBytes, kTVMFFIBytes);
  // the produced cells convert to the C++ classes
  TVMFFIByteArray input{"runtime-made string", 19};
  TVMFFIAny out;
  ASSERT_EQ(TVMFFIStringFromByteArray(&input, &out), 0);
  Any owned = details::AnyUnsafe::MoveTVMFFIAnyToAny(&out);
  EXPECT_EQ(owned.cast<String>(), "runtime-made string");
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `ffi.String` to `bytes`",
                   owned.cast<Bytes>());
}

}  // namespace
