// C API conformance: DLDataType <-> string (abi.md §4.7, §8 item 22).
#include <gtest/gtest.h>
#include <tvm/ffi/c_api.h>

#include <string>

#include "c_api_test_helpers.h"

namespace {

using namespace tvm_ffi_c_api_test;  // NOLINT(build/namespaces)

bool Parse(const std::string& text, DLDataType* out) {
  TVMFFIByteArray str{text.data(), text.size()};
  return TVMFFIDataTypeFromString(&str, out) == 0;
}

std::string Print(DLDataType dtype) {
  TVMFFIAny out = NoneAny();
  int rc = TVMFFIDataTypeToString(&dtype, &out);
  EXPECT_EQ(rc, 0);
  if (rc != 0) return "<error>";
  EXPECT_TRUE(out.type_index == kTVMFFIStr || out.type_index == kTVMFFISmallStr);
  std::string text = StrContent(out);
  ReleaseAny(&out);
  return text;
}

void ExpectParse(const DTypeCase& c) {
  DLDataType dtype{255, 255, 255};
  ASSERT_TRUE(Parse(c.text, &dtype)) << c.text << ": " << TakeRaisedError().message;
  EXPECT_EQ(dtype.code, c.code) << c.text;
  EXPECT_EQ(dtype.bits, c.bits) << c.text;
  EXPECT_EQ(dtype.lanes, c.lanes) << c.text;
}

TEST(CAPIDType, RoundTrips) {
  for (const DTypeCase& c : kDTypeRoundTrips) {
    ExpectParse(c);
    EXPECT_EQ(Print(DLDataType{c.code, c.bits, c.lanes}), c.text);
  }
}

TEST(CAPIDType, ParseOnlyForms) {
  const DTypeCase cases[] = {
      {"void", kDLOpaqueHandle, 0, 0},
      {"int", kDLInt, 32, 1},
      {"uint", kDLUInt, 32, 1},
      {"float", kDLFloat, 32, 1},
      {"bfloat", kDLBfloat, 16, 1},
      {"handle32", kDLOpaqueHandle, 32, 1},
      {"int8x4", kDLInt, 8, 4},
      {"bool8", kDLBool, 8, 1},
      {"bool8x4", kDLBool, 8, 4},
      {"int0", kDLInt, 32, 1},
      {"float32xvscalex2", kDLFloat, 32, 65534},
  };
  for (const DTypeCase& c : cases) ExpectParse(c);
}

TEST(CAPIDType, PrintOnlyForms) {
  EXPECT_EQ(Print(DLDataType{kDLBool, 8, 1}), "bool");
  EXPECT_EQ(Print(DLDataType{kDLUInt, 1, 1}), "uint1");
  EXPECT_EQ(Print(DLDataType{kDLOpaqueHandle, 32, 1}), "handle");
  EXPECT_EQ(Print(DLDataType{kDLOpaqueHandle, 64, 4}), "handle");
  EXPECT_EQ(Print(DLDataType{kDLInt, 8, 0}), "int8");
  EXPECT_EQ(Print(DLDataType{kDLUInt, 1, 4}), "uint1x4");
}

void ExpectParseError(const std::string& text, const std::string& message) {
  DLDataType dtype{7, 7, 7};
  EXPECT_FALSE(Parse(text, &dtype)) << text;
  EXPECT_EQ(dtype.code, 7) << "output must be untouched on failure";
  RaisedError err = TakeRaisedError();
  ASSERT_TRUE(err.present) << text;
  EXPECT_EQ(err.kind, "ValueError") << text;
  EXPECT_EQ(err.message, message) << text;
}

TEST(CAPIDType, InvalidStrings) {
  ExpectParseError("boolean", "unknown dtype `boolean`");
  ExpectParseError("abc", "unknown dtype `abc`");
  ExpectParseError("int8x4y", "unknown dtype `int8x4y`");
  ExpectParseError("int32q", "unknown dtype `int32q`");
  ExpectParseError("float8_e4m3fnq", "unknown dtype `float8_e4m3fnq`");
  ExpectParseError("float8_e9m9", "unknown float8 type `float8_e9m9`");
  ExpectParseError("float6_e4m3fn", "unknown float6 type `float6_e4m3fn`");
  ExpectParseError("float4_", "unknown float4 type `float4_`");
}

TEST(CAPIDType, LanesMustBePositive) {
  for (const char* text : {"floatx", "int8x", "int32x", "float32x0", "uint8xvscalex",
                           "uint8xvscalex0", "float8_e4m3fnx0", "boolx"}) {
    ExpectParseError(text, std::string("Invalid lanes specification in dtype '") + text +
                               "'. Lanes must be a positive integer.");
  }
}

TEST(CAPIDType, UnknownCodesFailToPrint) {
  for (uint8_t code : {uint8_t(kDLComplex), uint8_t(18), uint8_t(128)}) {
    DLDataType dtype{code, 64, 1};
    TVMFFIAny out = NoneAny();
    EXPECT_EQ(TVMFFIDataTypeToString(&dtype, &out), -1);
    RaisedError err = TakeRaisedError();
    EXPECT_EQ(err.kind, "ValueError");
    EXPECT_EQ(err.message, "DLDataType contains unknown type_code=" + std::to_string(code));
  }
}

// Custom types resolve through two global functions registered by the test.
int CustomName(void*, const TVMFFIAny* args, int32_t, TVMFFIAny* result) {
  if (args[0].type_index != kTVMFFIInt || args[0].v_int64 != 200) {
    TVMFFIErrorSetRaisedFromCStr("ValueError", "unexpected custom code");
    return -1;
  }
  TVMFFIByteArray name = ByteArrayOf("mytype");
  return TVMFFIStringFromByteArray(&name, result);
}

int CustomCode(void*, const TVMFFIAny* args, int32_t, TVMFFIAny* result) {
  TVMFFIAny owned = NoneAny();
  if (TVMFFIAnyViewToOwnedAny(&args[0], &owned) != 0) return -1;
  bool ok = StrContent(owned) == "mytype";
  ReleaseAny(&owned);
  if (!ok) {
    TVMFFIErrorSetRaisedFromCStr("ValueError", "unexpected custom name");
    return -1;
  }
  result->type_index = kTVMFFIInt;
  result->zero_padding = 0;
  result->v_int64 = 200;
  return 0;
}

TEST(CAPIDType, CustomTypesUseTheRegisteredGlobals) {
  DLDataType dtype;
  EXPECT_FALSE(Parse("custom[mytype]16", &dtype));  // no global registered yet
  EXPECT_TRUE(TakeRaisedError().present);

  TVMFFIObjectHandle name_fn = nullptr, code_fn = nullptr;
  ASSERT_EQ(TVMFFIFunctionCreate(nullptr, CustomName, nullptr, &name_fn), 0);
  ASSERT_EQ(TVMFFIFunctionCreate(nullptr, CustomCode, nullptr, &code_fn), 0);
  TVMFFIByteArray name_key = ByteArrayOf("dtype.get_custom_type_name");
  TVMFFIByteArray code_key = ByteArrayOf("dtype.get_custom_type_code");
  ASSERT_EQ(TVMFFIFunctionSetGlobal(&name_key, name_fn, 1), 0);
  ASSERT_EQ(TVMFFIFunctionSetGlobal(&code_key, code_fn, 1), 0);

  ExpectParse({"custom[mytype]16", 200, 16, 1});
  ExpectParse({"custom[mytype]", 200, 32, 1});
  ExpectParse({"custom[mytype]8x4", 200, 8, 4});
  EXPECT_EQ(Print(DLDataType{200, 16, 1}), "custom[mytype]16");
  EXPECT_EQ(Print(DLDataType{200, 8, 4}), "custom[mytype]8x4");

  for (const char* key : {"dtype.get_custom_type_name", "dtype.get_custom_type_code"}) {
    TVMFFIAny arg = RawStrAny(key);
    TVMFFIAny result = NoneAny();
    ASSERT_EQ(CallGlobal("ffi.FunctionRemoveGlobal", &arg, 1, &result), 0);
  }
  TVMFFIObjectDecRef(name_fn);
  TVMFFIObjectDecRef(code_fn);
}

}  // namespace
