// tvm::ffi::json::Parse / Stringify and the ffi.json.* globals.
#if defined(__linux__) || defined(__APPLE__)
#include <dlfcn.h>
#endif
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/extra/json.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/string.h>

#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "test_utils.h"

namespace {

using namespace tvm::ffi;      // NOLINT(build/namespaces)
using namespace tvm_ffi_test;  // NOLINT(build/namespaces)

std::string Str(const Any& value) { return std::string(value.cast<String>()); }

// Parse must fail; returns the error message reported through error_msg, after checking
// that the throwing form raises a ValueError with the same message.
std::string ParseError(const std::string& text) {
  String msg;
  Any result = json::Parse(String(text), &msg);
  EXPECT_EQ(result.type_index(), kTVMFFINone) << "input: " << text;
  EXPECT_FALSE(msg.empty()) << "input: " << text;
  SCOPED_TRACE("input: " + text);
  ExpectErrorExact([&] { json::Parse(String(text)); }, "ValueError", std::string(msg));
  return std::string(msg);
}

// ---------------------------------------------------------------------------------------------
// Parse: values
// ---------------------------------------------------------------------------------------------
TEST(JsonParse, Literals) {
  EXPECT_EQ(json::Parse("null").type_index(), kTVMFFINone);
  Any t = json::Parse("true");
  ASSERT_EQ(t.type_index(), kTVMFFIBool);
  EXPECT_TRUE(t.cast<bool>());
  Any f = json::Parse(" \t\r\nfalse\n ");
  ASSERT_EQ(f.type_index(), kTVMFFIBool);
  EXPECT_FALSE(f.cast<bool>());
}

TEST(JsonParse, NonFiniteConstantsAsPythonAcceptsThem) {
  Any nan = json::Parse("NaN");
  ASSERT_EQ(nan.type_index(), kTVMFFIFloat);
  EXPECT_TRUE(std::isnan(nan.cast<double>()));
  Any inf = json::Parse(" Infinity ");
  ASSERT_EQ(inf.type_index(), kTVMFFIFloat);
  EXPECT_EQ(inf.cast<double>(), std::numeric_limits<double>::infinity());
  Array<Any> arr = json::Parse("[-Infinity, NaN, 1]").cast<Array<Any>>();
  ASSERT_EQ(arr.size(), 3u);
  EXPECT_EQ(arr[0].cast<double>(), -std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(arr[1].cast<double>()));
  EXPECT_EQ(arr[2].cast<int64_t>(), 1);
  Map<Any, Any> obj = json::Parse(R"({"x": Infinity})").cast<Map<Any, Any>>();
  EXPECT_EQ(obj.at(String("x")).cast<double>(), std::numeric_limits<double>::infinity());
  // Only these exact spellings (case matters, no "+Infinity", no "nan").
  EXPECT_EQ(ParseError("nan"), "Expecting value: line 1 column 1 (char 0)");
  EXPECT_EQ(ParseError("+Infinity"), "Expecting value: line 1 column 1 (char 0)");
  EXPECT_EQ(ParseError("-Inf"), "Expecting value: line 1 column 1 (char 0)");
  EXPECT_EQ(ParseError("Infinit"), "Expecting value: line 1 column 1 (char 0)");
  EXPECT_EQ(ParseError("NaNa"), "Extra data: line 1 column 4 (char 3)");
}

TEST(JsonParse, Integers) {
  Any v = json::Parse("0");
  ASSERT_EQ(v.type_index(), kTVMFFIInt);
  EXPECT_EQ(v.cast<int64_t>(), 0);
  EXPECT_EQ(json::Parse("-0").cast<int64_t>(), 0);
  EXPECT_EQ(json::Parse("42").cast<int64_t>(), 42);
  EXPECT_EQ(json::Parse("-17").cast<int64_t>(), -17);
  Any max = json::Parse("9223372036854775807");
  ASSERT_EQ(max.type_index(), kTVMFFIInt);
  EXPECT_EQ(max.cast<int64_t>(), std::numeric_limits<int64_t>::max());
  Any min = json::Parse("-9223372036854775808");
  ASSERT_EQ(min.type_index(), kTVMFFIInt);
  EXPECT_EQ(min.cast<int64_t>(), std::numeric_limits<int64_t>::min());
}

TEST(JsonParse, IntegersBeyondInt64BecomeFloat) {
  Any v = json::Parse("9223372036854775808");
  ASSERT_EQ(v.type_index(), kTVMFFIFloat);
  EXPECT_DOUBLE_EQ(v.cast<double>(), 9223372036854775808.0);
  Any big = json::Parse("123456789012345678901234567890");
  ASSERT_EQ(big.type_index(), kTVMFFIFloat);
  EXPECT_DOUBLE_EQ(big.cast<double>(), 1.2345678901234568e29);
}

TEST(JsonParse, Floats) {
  Any v = json::Parse("1.5");
  ASSERT_EQ(v.type_index(), kTVMFFIFloat);
  EXPECT_EQ(v.cast<double>(), 1.5);
  EXPECT_EQ(json::Parse("-0.25").cast<double>(), -0.25);
  EXPECT_EQ(json::Parse("1e3").type_index(), kTVMFFIFloat);
  EXPECT_EQ(json::Parse("1e3").cast<double>(), 1000.0);
  EXPECT_EQ(json::Parse("2.5E-2").cast<double>(), 0.025);
  EXPECT_EQ(json::Parse("1E+2").cast<double>(), 100.0);
  EXPECT_EQ(json::Parse("0.1").cast<double>(), 0.1);
  EXPECT_EQ(json::Parse("5e-324").cast<double>(), 5e-324);
}

TEST(JsonParse, HugeNumbersSaturateWithoutCrashing) {
  Any inf = json::Parse("1e400");
  ASSERT_EQ(inf.type_index(), kTVMFFIFloat);
  EXPECT_TRUE(std::isinf(inf.cast<double>()));
  EXPECT_GT(inf.cast<double>(), 0);
  Any ninf = json::Parse("-123.456e99999999999999999999");
  EXPECT_TRUE(std::isinf(ninf.cast<double>()));
  EXPECT_LT(ninf.cast<double>(), 0);
  Any tiny = json::Parse("1e-400");
  ASSERT_EQ(tiny.type_index(), kTVMFFIFloat);
  EXPECT_EQ(tiny.cast<double>(), 0.0);
  Any tiny2 = json::Parse("0.000000000000000000001e-999");
  EXPECT_EQ(tiny2.cast<double>(), 0.0);
  std::string digits(5000, '9');
  Any many = json::Parse(String(digits));
  EXPECT_TRUE(std::isinf(many.cast<double>()));
}

TEST(JsonParse, Strings) {
  EXPECT_EQ(Str(json::Parse("\"\"")), "");
  EXPECT_EQ(Str(json::Parse("\"hello\"")), "hello");
  EXPECT_EQ(Str(json::Parse("\"a long string beyond the small form\"")),
            "a long string beyond the small form");
  EXPECT_EQ(Str(json::Parse(R"("q\"b\\s\/n\nt\tr\rb\bf\f")")), "q\"b\\s/n\nt\tr\rb\bf\f");
}

TEST(JsonParse, UnicodeEscapes) {
  EXPECT_EQ(Str(json::Parse(R"("\u0041")")), "A");
  EXPECT_EQ(Str(json::Parse(R"("\u00e9")")), "\xC3\xA9");                // é
  EXPECT_EQ(Str(json::Parse(R"("\u20AC")")), "\xE2\x82\xAC");            // €
  EXPECT_EQ(Str(json::Parse(R"("\ud83d\ude00")")), "\xF0\x9F\x98\x80");  // 😀 (surrogate pair)
  EXPECT_EQ(Str(json::Parse(R"("\uD834\uDD1E")")), "\xF0\x9D\x84\x9E");  // 𝄞
  // \u0000 yields an embedded NUL.
  String nul = json::Parse(R"("a\u0000b")").cast<String>();
  ASSERT_EQ(nul.size(), 3u);
  EXPECT_EQ(nul.data()[1], '\0');
  // Raw UTF-8 passes through unchanged.
  EXPECT_EQ(Str(json::Parse("\"\xE4\xB8\xAD\xE6\x96\x87\"")), "\xE4\xB8\xAD\xE6\x96\x87");
  // Lone surrogates are kept (as Python keeps them), in their 3-byte UTF-8 form; a high
  // surrogate followed by a non-low escape leaves both escapes as they are.
  EXPECT_EQ(Str(json::Parse(R"("\ud800")")), "\xED\xA0\x80");
  EXPECT_EQ(Str(json::Parse(R"("\udc00x")")), "\xED\xB0\x80x");
  EXPECT_EQ(Str(json::Parse(R"("\ud800\u0041")")),
            "\xED\xA0\x80"
            "A");
}

TEST(JsonParse, Arrays) {
  Array<Any> empty = json::Parse("[]").cast<Array<Any>>();
  EXPECT_EQ(empty.size(), 0);
  Array<Any> arr = json::Parse("[1, \"two\", 3.5, true, null, [], {}]").cast<Array<Any>>();
  ASSERT_EQ(arr.size(), 7);
  EXPECT_EQ(arr[0].cast<int64_t>(), 1);
  EXPECT_EQ(Str(arr[1]), "two");
  EXPECT_EQ(arr[2].cast<double>(), 3.5);
  EXPECT_TRUE(arr[3].cast<bool>());
  EXPECT_EQ(arr[4].type_index(), kTVMFFINone);
  EXPECT_EQ(arr[5].type_index(), kTVMFFIArray);
  EXPECT_EQ(arr[6].type_index(), kTVMFFIMap);
}

TEST(JsonParse, ObjectsKeepInsertionOrder) {
  Map<Any, Any> obj =
      json::Parse(R"({"z": 1, "a": 2, "m": {"inner": [1, 2]}, "b": null})").cast<Map<Any, Any>>();
  ASSERT_EQ(obj.size(), 4u);
  std::vector<std::string> keys;
  for (const auto& kv : obj) keys.push_back(Str(kv.first));
  EXPECT_EQ(keys, (std::vector<std::string>{"z", "a", "m", "b"}));
  EXPECT_EQ(obj["z"].cast<int64_t>(), 1);
  EXPECT_EQ(obj["a"].cast<int64_t>(), 2);
  Map<Any, Any> inner = obj["m"].cast<Map<Any, Any>>();
  EXPECT_EQ(inner["inner"].cast<Array<Any>>().size(), 2);
  EXPECT_EQ(obj["b"].type_index(), kTVMFFINone);
  // The key of each entry is a String.
  for (const auto& kv : obj) {
    EXPECT_TRUE(kv.first.type_index() == kTVMFFISmallStr || kv.first.type_index() == kTVMFFIStr);
  }
}

TEST(JsonParse, DuplicateKeysLastValueWins) {
  Map<Any, Any> obj = json::Parse(R"({"a": 1, "b": 2, "a": 3})").cast<Map<Any, Any>>();
  ASSERT_EQ(obj.size(), 2u);
  EXPECT_EQ(obj["a"].cast<int64_t>(), 3);
}

TEST(JsonParse, DeepNestingWithinLimit) {
  std::string text = std::string(1000, '[') + "7" + std::string(1000, ']');
  Any v = json::Parse(String(text));
  for (int i = 0; i < 1000; ++i) {
    Array<Any> arr = v.cast<Array<Any>>();
    ASSERT_EQ(arr.size(), 1);
    v = arr[0];
  }
  EXPECT_EQ(v.cast<int64_t>(), 7);
}

TEST(JsonParse, NestingLimitIsAnErrorNotACrash) {
  std::string arrays = std::string(100000, '[') + std::string(100000, ']');
  std::string msg = ParseError(arrays);
  EXPECT_NE(msg.find("maximum nesting depth of 1024"), std::string::npos) << msg;
  EXPECT_NE(msg.find("line 1 column 1025 (char 1024)"), std::string::npos) << msg;
  std::string objects;
  for (int i = 0; i < 2000; ++i) objects += "{\"k\":";
  msg = ParseError(objects);
  EXPECT_NE(msg.find("maximum nesting depth"), std::string::npos) << msg;
}

// ---------------------------------------------------------------------------------------------
// Parse: malformed documents (message and position)
// ---------------------------------------------------------------------------------------------
TEST(JsonParse, MalformedDocuments) {
  struct Case {
    const char* text;
    const char* expected;
  };
  // Expected texts are exactly what Python's json.loads reports for the same document.
  const Case cases[] = {
      {"", "Expecting value: line 1 column 1 (char 0)"},
      {"   ", "Expecting value: line 1 column 4 (char 3)"},
      {"[1, 2", "Expecting ',' delimiter: line 1 column 6 (char 5)"},
      {"[1 2]", "Expecting ',' delimiter: line 1 column 4 (char 3)"},
      {"[1,]", "Expecting value: line 1 column 4 (char 3)"},
      {"[,1]", "Expecting value: line 1 column 2 (char 1)"},
      {"{\"a\" 1}", "Expecting ':' delimiter: line 1 column 6 (char 5)"},
      {"{\"a\":1,}", "Expecting property name enclosed in double quotes: line 1 column 8 (char 7)"},
      {"{a:1}", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"},
      {"{1:2}", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"},
      {"{\"a\":1 \"b\":2}", "Expecting ',' delimiter: line 1 column 8 (char 7)"},
      {"{\"a\":}", "Expecting value: line 1 column 6 (char 5)"},
      {"{\"a\":1", "Expecting ',' delimiter: line 1 column 7 (char 6)"},
      {"\"abc", "Unterminated string starting at: line 1 column 1 (char 0)"},
      {"[\"ab\\", "Unterminated string starting at: line 1 column 2 (char 1)"},
      {"\"a\tb\"", "Invalid control character at: line 1 column 3 (char 2)"},
      {"\"a\nb\"", "Invalid control character at: line 1 column 3 (char 2)"},
      {"\"\\x41\"", "Invalid \\escape: line 1 column 2 (char 1)"},
      {"\"\\u12G4\"", "Invalid \\uXXXX escape: line 1 column 3 (char 2)"},
      {"\"\\u12\"", "Invalid \\uXXXX escape: line 1 column 3 (char 2)"},
      {"tru", "Expecting value: line 1 column 1 (char 0)"},
      {"nul", "Expecting value: line 1 column 1 (char 0)"},
      {"[falsy]", "Expecting value: line 1 column 2 (char 1)"},
      {"True", "Expecting value: line 1 column 1 (char 0)"},
      {"'a'", "Expecting value: line 1 column 1 (char 0)"},
      {"+1", "Expecting value: line 1 column 1 (char 0)"},
      {"01", "Extra data: line 1 column 2 (char 1)"},
      {"-", "Expecting value: line 1 column 1 (char 0)"},
      {"-a", "Expecting value: line 1 column 1 (char 0)"},
      {"1.", "Extra data: line 1 column 2 (char 1)"},
      {".5", "Expecting value: line 1 column 1 (char 0)"},
      {"1e", "Extra data: line 1 column 2 (char 1)"},
      {"1e+", "Extra data: line 1 column 2 (char 1)"},
      {"1 2", "Extra data: line 1 column 3 (char 2)"},
      {"{} []", "Extra data: line 1 column 4 (char 3)"},
      {"[1] // comment", "Extra data: line 1 column 5 (char 4)"},
      {"[1,\n 2,\n x]", "Expecting value: line 3 column 2 (char 9)"},
      {"{\n  \"a\": 1,\n  \"b\" 2\n}", "Expecting ':' delimiter: line 3 column 7 (char 18)"},
      {"[1]\n\n\n  ]", "Extra data: line 4 column 3 (char 8)"},
      {"\xEF\xBB\xBF[]", "Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)"},
      {"NaN x", "Extra data: line 1 column 5 (char 4)"},
      {"[NaN, -Infinity, Infinity]x", "Extra data: line 1 column 27 (char 26)"},
      {"\"\\ud800\\u12G4\"", "Invalid \\uXXXX escape: line 1 column 9 (char 8)"},
      {"\"\\u1234", "Invalid \\uXXXX escape: line 1 column 3 (char 2)"},
      {"{\"\xC3\xA9\": \xC3\xBC}", "Expecting value: line 1 column 7 (char 6)"},
      {"[1,\n  \xC3\xA9]", "Expecting value: line 2 column 3 (char 6)"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ParseError(c.text), c.expected) << "input: " << c.text;
  }
  static_assert(sizeof(cases) / sizeof(cases[0]) >= 20, "at least 20 malformed documents");
}

TEST(JsonParse, ErrorMsgUntouchedOnSuccess) {
  String msg("unchanged");
  Any v = json::Parse("[1]", &msg);
  EXPECT_EQ(v.cast<Array<Any>>().size(), 1);
  EXPECT_EQ(std::string(msg), "unchanged");
}

TEST(JsonParse, EmbeddedNulIsNotEndOfInput) {
  std::string text("[1]\0junk", 8);
  EXPECT_EQ(ParseError(text), "Extra data: line 1 column 4 (char 3)");
}

// ---------------------------------------------------------------------------------------------
// Stringify
// ---------------------------------------------------------------------------------------------
std::string Dump(const Any& v, Optional<int> indent = std::nullopt) {
  return std::string(json::Stringify(v, indent));
}

TEST(JsonStringify, Scalars) {
  EXPECT_EQ(Dump(Any(nullptr)), "null");
  EXPECT_EQ(Dump(true), "true");
  EXPECT_EQ(Dump(false), "false");
  EXPECT_EQ(Dump(0), "0");
  EXPECT_EQ(Dump(-42), "-42");
  EXPECT_EQ(Dump(std::numeric_limits<int64_t>::min()), "-9223372036854775808");
  EXPECT_EQ(Dump(1.5), "1.5");
  EXPECT_EQ(Dump(1.0), "1.0");
  EXPECT_EQ(Dump(-0.0), "-0.0");
  EXPECT_EQ(Dump(0.1), "0.1");
  EXPECT_EQ(Dump(1e300), "1e+300");
}

TEST(JsonStringify, FloatsRoundTripExactly) {
  const double values[] = {0.1,
                           1.0 / 3.0,
                           2.0 / 3.0,
                           123456789.123456789,
                           1e-300,
                           5e-324,
                           std::numeric_limits<double>::max(),
                           std::numeric_limits<double>::min(),
                           -9007199254740993.0,
                           3.141592653589793};
  for (double v : values) {
    std::string text = Dump(v);
    Any back = json::Parse(String(text));
    ASSERT_EQ(back.type_index(), kTVMFFIFloat) << text;
    EXPECT_EQ(back.cast<double>(), v) << text;
  }
  EXPECT_EQ(Dump(0.1).size(), 3u);  // shortest form, not 0.10000000000000001
}

TEST(JsonStringify, NonFiniteFloatsAreValueErrors) {
  for (double v :
       {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
        -std::numeric_limits<double>::infinity()}) {
    EXPECT_FFI_ERROR_CONTAINS("ValueError", "NaN and infinity are not valid JSON",
                              json::Stringify(Array<Any>{1, v}));
  }
}

TEST(JsonStringify, StringEscapes) {
  EXPECT_EQ(Dump(String("plain")), "\"plain\"");
  EXPECT_EQ(Dump(String("q\"b\\s/")), R"("q\"b\\s/")");
  EXPECT_EQ(Dump(String("\n\t\r\b\f")), R"("\n\t\r\b\f")");
  EXPECT_EQ(Dump(String(std::string("\x01\x1f\0", 3))), R"("\u0001\u001f\u0000")");
  EXPECT_EQ(Dump(String("caf\xC3\xA9")), "\"caf\xC3\xA9\"");
  std::string tricky = std::string("all \"\\/\x01\x7f\xF0\x9F\x98\x80 ", 13);
  EXPECT_EQ(Str(json::Parse(json::Stringify(String(tricky)))), tricky);
}

TEST(JsonStringify, CompactContainers) {
  Map<Any, Any> obj;
  obj.Set(String("z"), 1);
  obj.Set(String("a"), Array<Any>{1, String("x"), nullptr, Array<Any>(), Map<Any, Any>()});
  obj.Set(String("b"), Map<Any, Any>{{String("k"), false}});
  EXPECT_EQ(Dump(obj), R"({"z":1,"a":[1,"x",null,[],{}],"b":{"k":false}})");
  EXPECT_EQ(Dump(obj, 0), Dump(obj));
  EXPECT_EQ(Dump(Array<Any>()), "[]");
  EXPECT_EQ(Dump(Map<Any, Any>()), "{}");
}

TEST(JsonStringify, Indentation) {
  Map<Any, Any> obj;
  obj.Set(String("a"), 1);
  obj.Set(String("b"), Array<Any>{1, 2});
  obj.Set(String("c"), Array<Any>());
  obj.Set(String("d"), Map<Any, Any>{{String("e"), nullptr}});
  EXPECT_EQ(Dump(obj, 2),
            "{\n"
            "  \"a\": 1,\n"
            "  \"b\": [\n"
            "    1,\n"
            "    2\n"
            "  ],\n"
            "  \"c\": [],\n"
            "  \"d\": {\n"
            "    \"e\": null\n"
            "  }\n"
            "}");
  EXPECT_EQ(Dump(Array<Any>{1}, 4), "[\n    1\n]");
  EXPECT_EQ(Dump(5, 3), "5");
}

TEST(JsonStringify, ErrorPaths) {
  std::string msg = ExpectErrorKind([] { json::Stringify(Map<Any, Any>{{1, 2}}); }, "TypeError");
  EXPECT_TRUE(Contains(msg, "object keys must be strings")) << msg;
  EXPECT_TRUE(Contains(msg, "`int`")) << msg;
  EXPECT_FFI_ERROR_CONTAINS("TypeError", "unsupported value type `ffi.Function`",
                            json::Stringify(Array<Any>{Function::FromTyped([]() {})}));
  ExpectErrorKind([] { json::Stringify(1, -1); }, "ValueError");
  Any deep = 1;
  for (int i = 0; i < 1100; ++i) deep = Array<Any>{deep};
  EXPECT_FFI_ERROR_CONTAINS("ValueError", "maximum nesting depth", json::Stringify(deep));
}

TEST(JsonRoundTrip, ParseStringifyParse) {
  const char* docs[] = {
      R"({"name":"tvm","version":[0,1,0],"ok":true,"none":null,"pi":3.14159,"nested":{"k":[{},[]]}})",
      R"([-1,0,1,9223372036854775807,-9223372036854775808,1.5e-10,"\u00e9\n"])",
      R"("just a string")",
      R"({"":"empty key","dup":{"a":{"b":{"c":[1,[2,[3]]]}}}})",
  };
  for (const char* doc : docs) {
    Any first = json::Parse(doc);
    for (int indent : {0, 1, 2, 4}) {
      String text = json::Stringify(first, indent);
      Any second = json::Parse(text);
      EXPECT_EQ(std::string(json::Stringify(second)), std::string(json::Stringify(first)))
          << "indent " << indent << ": " << text;
    }
  }
  // Compact output of a canonical document reproduces it byte for byte.
  const char* canonical = R"({"b":[1,2.5,"x",null,true],"a":{"c":{}}})";
  EXPECT_EQ(Dump(json::Parse(canonical)), canonical);
}

// ---------------------------------------------------------------------------------------------
// Globals
// ---------------------------------------------------------------------------------------------
TEST(JsonGlobals, ParseAndStringify) {
  Function parse = Function::GetGlobalRequired("ffi.json.Parse");
  Function stringify = Function::GetGlobalRequired("ffi.json.Stringify");
  Any v = parse(String("{\"a\": [1, 2]}"));
  EXPECT_EQ(Str(stringify(v, nullptr)), R"({"a":[1,2]})");
  EXPECT_EQ(Str(stringify(v, 0)), R"({"a":[1,2]})");
  EXPECT_EQ(Str(stringify(v, 1)), "{\n \"a\": [\n  1,\n  2\n ]\n}");
  EXPECT_FFI_ERROR("ValueError", "Expecting value: line 1 column 4 (char 3)", parse(String("[1,")));
}

// ---------------------------------------------------------------------------------------------
// The two exported Stringify symbols, called as modules built against other headers call them
// ---------------------------------------------------------------------------------------------
#if defined(__linux__) || defined(__APPLE__)
// `json::Stringify(const Any&, const Optional<int>&)`: callers built against 0.1.15 headers pass
// the address of a 16-byte value cell (None, or an int at offset 8).
using NewStringifyFn = tvm::ffi::String (*)(const Any&, const TVMFFIAny*);
// `json::Stringify(const Any&, Optional<int>)`: callers built against 0.1.0 headers pass the
// address of an 8-byte {int32 value, bool engaged} temporary.
using OldStringifyFn = tvm::ffi::String (*)(const Any&, const void*);

template <typename Fn>
Fn LookUpRuntimeSymbol(const char* name) {
  void* sym = dlsym(RTLD_DEFAULT, name);
  EXPECT_NE(sym, nullptr) << name << ": " << dlerror();
  return reinterpret_cast<Fn>(sym);
}

TEST(JsonStringify, ConstRefSymbolReadsTheValueCellOfNewerCallers) {
  auto fn = LookUpRuntimeSymbol<NewStringifyFn>(
      "_ZN3tvm3ffi4json9StringifyERKNS0_3AnyERKNS0_8OptionalIivEE");
  ASSERT_NE(fn, nullptr);
  Any v = json::Parse(R"({"a":[1,2]})");
  TVMFFIAny cell{};
  cell.type_index = kTVMFFIInt;
  cell.v_int64 = 1;
  // before: the 8-byte reading took the type index (1) as the value and byte 4 as "engaged",
  // so the indent was silently dropped
  EXPECT_EQ(Str(fn(v, &cell)), "{\n \"a\": [\n  1,\n  2\n ]\n}");
  cell.type_index = kTVMFFINone;
  cell.v_int64 = 0;
  EXPECT_EQ(Str(fn(v, &cell)), R"({"a":[1,2]})");
  cell.type_index = kTVMFFIFloat;
  EXPECT_FFI_ERROR("TypeError", "JSON Stringify: indent must be None or an int, got type index 3",
                   fn(v, &cell));
  cell.type_index = kTVMFFIInt;
  cell.v_int64 = -1;
  EXPECT_FFI_ERROR("ValueError", "JSON Stringify: indent must be in [0, 2147483647], got -1",
                   fn(v, &cell));
  cell.v_int64 = int64_t{1} << 40;
  EXPECT_FFI_ERROR("ValueError",
                   "JSON Stringify: indent must be in [0, 2147483647], got 1099511627776",
                   fn(v, &cell));
}

TEST(JsonStringify, ByValueSymbolReadsTheOptionalOfOlderCallers) {
  auto fn = LookUpRuntimeSymbol<OldStringifyFn>(
      "_ZN3tvm3ffi4json9StringifyERKNS0_3AnyENS0_8OptionalIivEE");
  ASSERT_NE(fn, nullptr);
  Any v = json::Parse(R"([1])");
  struct {
    int32_t value;
    bool engaged;
  } old_optional{2, true};
  EXPECT_EQ(Str(fn(v, &old_optional)), "[\n  1\n]");
  old_optional.engaged = false;
  EXPECT_EQ(Str(fn(v, &old_optional)), "[1]");
}

TEST(JsonStringify, HeaderCallersGoThroughTheValueCell) {
  // json::Stringify from these headers converts its Optional<int> to the value cell
  Any v = json::Parse(R"([1])");
  EXPECT_EQ(std::string(json::Stringify(v, 3)), "[\n   1\n]");
  EXPECT_EQ(std::string(json::Stringify(v, std::nullopt)), "[1]");
  EXPECT_EQ(std::string(json::Stringify(v)), "[1]");
}
#endif

}  // namespace
