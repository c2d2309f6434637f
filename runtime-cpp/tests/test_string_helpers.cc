/*!
 * \file test_string_helpers.cc
 * \brief String::find / substr / starts_with / ends_with / Split, EscapeStringJSON and its
 *        deprecated former name, EscapedStringPy.
 */
#include <gtest/gtest.h>
#include <tvm/ffi/string.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace tvm::ffi;

TEST(StringHelpers, Find) {
  String s("hello world, hello");
  EXPECT_EQ(String::npos, static_cast<size_t>(-1));
  EXPECT_EQ(s.find(String("hello")), 0u);
  EXPECT_EQ(s.find("hello", 1), 13u);
  EXPECT_EQ(s.find("world"), 6u);
  EXPECT_EQ(s.find("xyz"), String::npos);
  EXPECT_EQ(s.find("hello", 14), String::npos);
  EXPECT_EQ(s.find("wor!", 0, 3), 6u);  // only the first 3 bytes of the needle
  EXPECT_EQ(s.find(""), 0u);
  EXPECT_EQ(s.find("", 100), String::npos);
  String with_nul("a\0b\0c", 5);
  EXPECT_EQ(with_nul.find(String("\0c", 2)), 3u);
}

TEST(StringHelpers, Substr) {
  String s("abcdef");
  EXPECT_EQ(s.substr(), "abcdef");
  EXPECT_EQ(s.substr(2), "cdef");
  EXPECT_EQ(s.substr(2, 3), "cde");
  EXPECT_EQ(s.substr(4, 100), "ef");
  EXPECT_EQ(s.substr(6), "");
  try {
    s.substr(7);
    FAIL() << "substr past the end must throw";
  } catch (const std::out_of_range& e) {
    EXPECT_STREQ(e.what(), "tvm::String substr index out of bounds");
  }
}

TEST(StringHelpers, StartsEndsWith) {
  String s("prefix_body_suffix");
  EXPECT_TRUE(s.starts_with("prefix"));
  EXPECT_TRUE(s.starts_with(String("pre")));
  EXPECT_TRUE(s.starts_with(std::string_view("prefix_")));
  EXPECT_TRUE(s.starts_with(std::string("p")));
  EXPECT_TRUE(s.starts_with("prXX", 2));
  EXPECT_TRUE(s.starts_with(""));
  EXPECT_FALSE(s.starts_with("body"));
  EXPECT_FALSE(String("ab").starts_with("abc"));  // longer needle
  EXPECT_TRUE(s.ends_with("suffix"));
  EXPECT_TRUE(s.ends_with(String("fix")));
  EXPECT_TRUE(s.ends_with(std::string_view("_suffix")));
  EXPECT_TRUE(s.ends_with(std::string("x")));
  EXPECT_TRUE(s.ends_with("ixZZ", 2));
  EXPECT_FALSE(s.ends_with("prefix"));
  EXPECT_FALSE(String("ab").ends_with("xab"));
}

TEST(StringHelpers, Split) {
  String s("a,,b,");
  std::vector<std::string_view> pieces = s.Split(',');
  ASSERT_EQ(pieces.size(), 4u);
  EXPECT_EQ(pieces[0], "a");
  EXPECT_EQ(pieces[1], "");
  EXPECT_EQ(pieces[2], "b");
  EXPECT_EQ(pieces[3], "");
  // Views point into the string itself.
  EXPECT_EQ(pieces[0].data(), s.data());
  EXPECT_EQ(String("").Split(',').size(), 1u);
  EXPECT_EQ(String("").Split(',')[0], "");
  // The views borrow from the string: it must outlive them.
  String no_delim("no-delim");
  std::vector<std::string_view> one = no_delim.Split(',');
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0], "no-delim");
}

TEST(StringHelpers, EscapeStringJSONAndDeprecatedName) {
  EXPECT_EQ(EscapeStringJSON(String("a/\"")), "\"a\\/\\\"\"");
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif
  EXPECT_EQ(EscapeString(String("a/\"")), "\"a\\/\\\"\"");
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic pop
#endif
}

TEST(StringHelpers, EscapedStringPy) {
  EXPECT_EQ(EscapedStringPy(String("a\"b\n\x01\xc3\xa9")), "\"a\\\"b\\n\\x01\\u00e9\"");
  EXPECT_EQ(EscapedStringPy(String("t\tr\rb\\")), "\"t\\tr\\rb\\\\\"");
  EXPECT_EQ(EscapedStringPy(String("\x7f")), "\"\\x7f\"");
  EXPECT_EQ(EscapedStringPy(String("\0", 1)), "\"\\x00\"");
  // 3-byte and 4-byte UTF-8.
  EXPECT_EQ(EscapedStringPy(String("\xe2\x82\xac")), "\"\\u20ac\"");
  EXPECT_EQ(EscapedStringPy(String("\xf0\x9f\x98\x80")), "\"\\U0001f600\"");
  // Invalid lead byte, truncated sequence.
  EXPECT_EQ(EscapedStringPy(String("\xff")), "\"\\xff\"");
  EXPECT_EQ(EscapedStringPy(String("\xc3")), "\"\\xc3\"");
  EXPECT_EQ(EscapedStringPy(String("\xe2\x82x")), "\"\\xe2\\x82x\"");
  // ANSI colour sequences keep their text after the escaped ESC.
  EXPECT_EQ(EscapedStringPy(String("\x1b[31;1mred\x1b[0m")), "\"\\x1b[31;1mred\\x1b[0m\"");
  EXPECT_EQ(EscapedStringPy(String("\x1b[K")), "\"\\x1b[K\"");
  EXPECT_EQ(EscapedStringPy(String("\x1b[x")), "\"\\x1b[x\"");
  EXPECT_EQ(EscapedStringPy(String("plain ~")), "\"plain ~\"");
}

}  // namespace
