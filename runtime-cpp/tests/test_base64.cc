// tvm/ffi/extra/base64.h: Base64Encode / Base64Decode.
#include <gtest/gtest.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/extra/base64.h>
#include <tvm/ffi/string.h>

#include <string>

#include "test_utils.h"

namespace {

using namespace tvm::ffi;  // NOLINT(build/namespaces)

std::string Enc(const std::string& raw) {
  return std::string(Base64Encode(tvm_ffi_test::ByteArrayOf(raw)));
}
std::string Dec(const std::string& text) { return std::string(Base64Decode(String(text))); }

TEST(Base64, Rfc4648Vectors) {
  EXPECT_EQ(Enc(""), "");
  EXPECT_EQ(Enc("f"), "Zg==");
  EXPECT_EQ(Enc("fo"), "Zm8=");
  EXPECT_EQ(Enc("foo"), "Zm9v");
  EXPECT_EQ(Enc("foob"), "Zm9vYg==");
  EXPECT_EQ(Enc("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Enc("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Dec(""), "");
  EXPECT_EQ(Dec("Zg=="), "f");
  EXPECT_EQ(Dec("Zm8="), "fo");
  EXPECT_EQ(Dec("Zm9v"), "foo");
  EXPECT_EQ(Dec("Zm9vYg=="), "foob");
  EXPECT_EQ(Dec("Zm9vYmE="), "fooba");
  EXPECT_EQ(Dec("Zm9vYmFy"), "foobar");
}

TEST(Base64, AllAlphabetSymbols) {
  std::string raw;
  for (int i = 0; i < 256; ++i) raw.push_back(static_cast<char>(i));
  std::string text = Enc(raw);
  EXPECT_EQ(text.substr(0, 8), "AAECAwQF");
  EXPECT_NE(text.find('+'), std::string::npos);
  EXPECT_NE(text.find('/'), std::string::npos);
  EXPECT_EQ(Dec(text), raw);
  EXPECT_EQ(Enc("\xFB\xFF\xBF"), "+/+/");
  EXPECT_EQ(Dec("+/+/"), "\xFB\xFF\xBF");
}

TEST(Base64, BytesAndStringOverloads) {
  Bytes raw(std::string("binary\0data\xff", 12));
  String text = Base64Encode(raw);
  Bytes back = Base64Decode(text);
  EXPECT_EQ(std::string(back), std::string(raw));
  String text2 = Base64Encode(TVMFFIByteArray{raw.data(), raw.size()});
  EXPECT_EQ(std::string(text2), std::string(text));
  Bytes back2 = Base64Decode(TVMFFIByteArray{text.data(), text.size()});
  EXPECT_EQ(std::string(back2), std::string(raw));
}

TEST(Base64, RoundTripAllLengths) {
  std::string raw;
  for (int n = 0; n < 64; ++n) {
    EXPECT_EQ(Enc(raw).size(), static_cast<size_t>((n + 2) / 3 * 4));
    EXPECT_EQ(Dec(Enc(raw)), raw);
    raw.push_back(static_cast<char>((n * 37 + 11) & 0xFF));
  }
}

void ExpectDecodeError(const std::string& text, const std::string& fragment) {
  SCOPED_TRACE("input: `" + text + "`");
  tvm_ffi_test::ExpectErrorContains([&] { Base64Decode(String(text)); }, "ValueError", fragment);
}

TEST(Base64, InvalidInputIsValueError) {
  ExpectDecodeError("Zg=", "invalid input length 3");
  ExpectDecodeError("Z", "invalid input length 1");
  ExpectDecodeError("Zm9vY", "invalid input length 5");
  ExpectDecodeError("Zm9v!mFy", "invalid character with code 33 at position 4");
  ExpectDecodeError("Zm 9", "invalid character with code 32 at position 2");
  ExpectDecodeError("Zm9v\nmFy", "invalid character with code 10 at position 4");
  ExpectDecodeError("Zm-_", "invalid character with code 45 at position 2");
  ExpectDecodeError("Zg==Zg==", "unexpected padding '=' at position 2");
  ExpectDecodeError("====", "unexpected padding '=' at position 0");
  ExpectDecodeError("Z===", "unexpected padding '=' at position 1");
  ExpectDecodeError("Zm=v", "unexpected character after padding at position 3");
  ExpectDecodeError("Zh==", "non-zero trailing bits");
  ExpectDecodeError("Zm9=", "non-zero trailing bits");
}

}  // namespace
