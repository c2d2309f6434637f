/*!
 * \file test_dtype.cc
 * \brief DLDataType helpers of tvm/ffi/dtype.h: parsing, printing, comparison, Any support.
 */
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/dtype.h>
#include <tvm/ffi/function.h>

#include <cstring>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "test_utils.h"

namespace {

using tvm::ffi::Any;
using tvm::ffi::AnyView;
using tvm::ffi::DLDataTypeToString;
using tvm::ffi::Function;
using tvm::ffi::String;
using tvm::ffi::StringToDLDataType;
using tvm_ffi_test::DTypeCase;
using tvm_ffi_test::ExpectErrorContains;
using tvm_ffi_test::ExpectErrorExact;
using tvm_ffi_test::kDTypeRoundTrips;

DLDataType DT(int code, int bits, int lanes) {
  DLDataType t;
  t.code = static_cast<uint8_t>(code);
  t.bits = static_cast<uint8_t>(bits);
  t.lanes = static_cast<uint16_t>(lanes);
  return t;
}

/*! \brief No error may be left behind in the thread-local slot. */
void ExpectNoPendingError() {
  TVMFFIObjectHandle err = nullptr;
  TVMFFIErrorMoveFromRaised(&err);
  EXPECT_EQ(err, nullptr);
  if (err != nullptr) TVMFFIObjectDecRef(err);
}

TEST(DType, ParseEveryCode) {
  for (const DTypeCase& c : kDTypeRoundTrips) {
    SCOPED_TRACE(c.text);
    DLDataType t = StringToDLDataType(c.text);
    EXPECT_EQ(static_cast<int>(t.code), c.code);
    EXPECT_EQ(static_cast<int>(t.bits), c.bits);
    EXPECT_EQ(static_cast<int>(t.lanes), c.lanes);
  }
}

TEST(DType, PrintEveryCode) {
  for (const DTypeCase& c : kDTypeRoundTrips) {
    SCOPED_TRACE(c.text);
    String text = DLDataTypeToString(DT(c.code, c.bits, c.lanes));
    EXPECT_EQ(std::string(text), std::string(c.text));
    // and parsing the printed form gives the same fields back
    EXPECT_EQ(StringToDLDataType(text), DT(c.code, c.bits, c.lanes));
  }
}

TEST(DType, ParseDefaultsAndAliases) {
  EXPECT_EQ(StringToDLDataType("int"), DT(kDLInt, 32, 1));
  EXPECT_EQ(StringToDLDataType("uint"), DT(kDLUInt, 32, 1));
  EXPECT_EQ(StringToDLDataType("float"), DT(kDLFloat, 32, 1));
  EXPECT_EQ(StringToDLDataType("bfloat"), DT(kDLBfloat, 16, 1));
  EXPECT_EQ(StringToDLDataType("void"), DT(kDLOpaqueHandle, 0, 0));
  EXPECT_EQ(std::string(DLDataTypeToString(StringToDLDataType("void"))), "");
  EXPECT_EQ(std::string(DLDataTypeToString(StringToDLDataType("int"))), "int32");
  // String overloads: std::string and String convert implicitly
  EXPECT_EQ(StringToDLDataType(std::string("float64")), DT(kDLFloat, 64, 1));
  EXPECT_EQ(StringToDLDataType(String("float8_e5m2fnuzx8")), DT(kDLFloat8_e5m2fnuz, 8, 8));
}

TEST(DType, PrintCodesWithoutParseForm) {
  // the one-byte kDLBool prints as plain `bool`; `bool8` parses to the same value
  EXPECT_EQ(std::string(DLDataTypeToString(DT(kDLBool, 8, 1))), "bool");
  EXPECT_EQ(std::string(DLDataTypeToString(DT(kDLBool, 8, 4))), "boolx4");
  EXPECT_EQ(StringToDLDataType("bool8"), DT(kDLBool, 8, 1));
  // uint1 is a one-bit unsigned integer, distinct from bool
  EXPECT_EQ(std::string(DLDataTypeToString(DT(kDLUInt, 1, 1))), "uint1");
  EXPECT_EQ(StringToDLDataType("uint1"), DT(kDLUInt, 1, 1));
  // handles print without bits
  EXPECT_EQ(std::string(DLDataTypeToString(DT(kDLOpaqueHandle, 32, 1))), "handle");
}

TEST(DType, PrintUnknownCodeFails) {
  ExpectErrorExact([] { DLDataTypeToString(DT(kDLComplex, 64, 1)); }, "ValueError",
                   "DLDataType contains unknown type_code=5");
  ExpectErrorExact([] { DLDataTypeToString(DT(100, 8, 1)); }, "ValueError",
                   "DLDataType contains unknown type_code=100");
  ExpectNoPendingError();
}

TEST(DType, ParseInvalidStrings) {
  ExpectErrorExact([] { StringToDLDataType("xyz"); }, "ValueError", "unknown dtype `xyz`");
  ExpectErrorExact([] { StringToDLDataType("int32x4y"); }, "ValueError",
                   "unknown dtype `int32x4y`");
  ExpectErrorExact([] { StringToDLDataType("float32_"); }, "ValueError",
                   "unknown dtype `float32_`");
  ExpectErrorExact([] { StringToDLDataType("float8_e9m9"); }, "ValueError",
                   "unknown float8 type `float8_e9m9`");
  ExpectErrorExact([] { StringToDLDataType("float6_x"); }, "ValueError",
                   "unknown float6 type `float6_x`");
  ExpectErrorExact([] { StringToDLDataType("float4_"); }, "ValueError",
                   "unknown float4 type `float4_`");
  // a known variant name followed by junk is a plain unknown dtype
  ExpectErrorExact([] { StringToDLDataType("float8_e4m3fnq"); }, "ValueError",
                   "unknown dtype `float8_e4m3fnq`");
  ExpectErrorExact([] { StringToDLDataType("Int32"); }, "ValueError", "unknown dtype `Int32`");
  ExpectNoPendingError();
}

TEST(DType, CodeNames) {
  using tvm::ffi::details::DLDataTypeCodeAsCStr;
  auto name = [](int code) {
    return std::string(DLDataTypeCodeAsCStr(static_cast<DLDataTypeCode>(code)));
  };
  EXPECT_EQ(name(kDLInt), "int");
  EXPECT_EQ(name(kDLUInt), "uint");
  EXPECT_EQ(name(kDLFloat), "float");
  EXPECT_EQ(name(kDLOpaqueHandle), "handle");
  EXPECT_EQ(name(kDLBfloat), "bfloat");
  EXPECT_EQ(name(kDLBool), "bool");
  EXPECT_EQ(name(kDLFloat8_e3m4), "float8_e3m4");
  EXPECT_EQ(name(kDLFloat8_e4m3b11fnuz), "float8_e4m3b11fnuz");
  EXPECT_EQ(name(kDLFloat8_e8m0fnu), "float8_e8m0fnu");
  EXPECT_EQ(name(kDLFloat6_e3m2fn), "float6_e3m2fn");
  EXPECT_EQ(name(kDLFloat4_e2m1fn), "float4_e2m1fn");
  EXPECT_EQ(name(tvm::ffi::kDLExtCustomBegin), "custom");
  EXPECT_EQ(name(200), "custom");
  EXPECT_EQ(static_cast<int>(tvm::ffi::kDLExtCustomBegin), 129);
  ExpectErrorExact([&] { name(kDLComplex); }, "ValueError",
                   "DLDataType contains unknown type_code=5");
  ExpectErrorExact([&] { name(42); }, "ValueError", "DLDataType contains unknown type_code=42");
}

namespace other_ns {
// An unrelated operator== in the calling namespace must not hide the DLDataType ones.
struct Unrelated {};
inline bool operator==(const Unrelated&, const Unrelated&) { return true; }
inline bool SameDType(DLDataType a, DLDataType b) { return a == b; }
inline bool DifferentDType(DLDataType a, DLDataType b) { return a != b; }
}  // namespace other_ns

TEST(DType, Comparison) {
  DLDataType f32 = DT(kDLFloat, 32, 1);
  EXPECT_TRUE(f32 == DT(kDLFloat, 32, 1));
  EXPECT_FALSE(f32 != DT(kDLFloat, 32, 1));
  EXPECT_TRUE(f32 != DT(kDLFloat, 16, 1));  // bits differ
  EXPECT_TRUE(f32 != DT(kDLInt, 32, 1));    // code differs
  EXPECT_TRUE(f32 != DT(kDLFloat, 32, 4));  // lanes differ
  EXPECT_TRUE(other_ns::SameDType(f32, StringToDLDataType("float32")));
  EXPECT_TRUE(other_ns::DifferentDType(f32, StringToDLDataType("float32x2")));
}

TEST(DType, StreamOutput) {
  std::ostringstream os;
  os << DT(kDLFloat, 32, 1) << "|" << DT(kDLUInt, 1, 1) << "|" << DT(kDLBool, 8, 1) << "|"
     << DT(kDLInt, 8, 4) << "|" << DT(kDLUInt, 8, 65532);
  EXPECT_EQ(os.str(), "float32|uint1|bool|int8x4|uint8xvscalex4");
  // A type without a string form is printed as its fields, without throwing and without
  // leaving an error behind (printing often happens while an error message is being built).
  std::ostringstream bad;
  EXPECT_NO_THROW(bad << DT(kDLComplex, 64, 2));
  EXPECT_EQ(bad.str(), "DLDataType(code=5, bits=64, lanes=2)");
  ExpectNoPendingError();
  // Usable inside error messages.
  ExpectErrorExact(
      [] {
        DLDataType got = DT(kDLInt, 32, 1);
        TVM_FFI_THROW(TypeError) << "expected float32 but got " << got;
      },
      "TypeError", "expected float32 but got int32");
}

TEST(DType, AnyStorage) {
  DLDataType f16x4 = DT(kDLFloat, 16, 4);
  Any a = f16x4;
  EXPECT_EQ(a.type_index(), kTVMFFIDataType);
  EXPECT_EQ(a.GetTypeKey(), "DataType");
  const TVMFFIAny* cell = tvm::ffi::details::AnyUnsafe::TVMFFIAnyPtrFromAny(a);
  // payload: code, bits, lanes in bytes 8..11, bytes 12..15 zero, zero_padding zero
  EXPECT_EQ(cell->zero_padding, 0u);
  EXPECT_EQ(cell->v_uint64, 0x0004'10'02ull);
  ASSERT_TRUE(a.as<DLDataType>().has_value());
  EXPECT_EQ(*a.as<DLDataType>(), f16x4);
  EXPECT_EQ(a.cast<DLDataType>(), f16x4);

  AnyView view = f16x4;
  EXPECT_EQ(view.type_index(), kTVMFFIDataType);
  EXPECT_EQ(view.cast<DLDataType>(), f16x4);

  // identical dtypes are identical cells (AnyEqual/AnyHash rely on the zero bytes)
  Any b = StringToDLDataType("float16x4");
  EXPECT_TRUE(a.same_as(b));
  EXPECT_TRUE(tvm::ffi::AnyEqual()(a, b));
  EXPECT_EQ(tvm::ffi::AnyHash()(a), tvm::ffi::AnyHash()(b));
}

TEST(DType, CastFromStrings) {
  // small string
  Any small = String("int8");
  EXPECT_EQ(small.type_index(), kTVMFFISmallStr);
  EXPECT_FALSE(small.as<DLDataType>().has_value());  // strict read does not parse
  EXPECT_EQ(small.cast<DLDataType>(), DT(kDLInt, 8, 1));
  // heap string object
  Any heap = String("float8_e4m3b11fnuzx4");
  EXPECT_EQ(heap.type_index(), kTVMFFIStr);
  EXPECT_EQ(heap.cast<DLDataType>(), DT(kDLFloat8_e4m3b11fnuz, 8, 4));
  // raw C string view
  AnyView raw = "uint8xvscalex4";
  EXPECT_EQ(raw.type_index(), kTVMFFIRawStr);
  EXPECT_EQ(raw.cast<DLDataType>(), DT(kDLUInt, 8, 65532));
  // empty string
  Any empty = String("");
  EXPECT_EQ(empty.cast<DLDataType>(), DT(kDLOpaqueHandle, 0, 0));
  // try_cast goes through the same path
  auto opt = Any(String("bool")).try_cast<DLDataType>();
  ASSERT_TRUE(opt.has_value());
  EXPECT_EQ(*opt, DT(kDLBool, 8, 1));
}

TEST(DType, CastErrors) {
  // a string that is not a dtype: the parser's error comes through
  ExpectErrorExact([] { Any(String("xyz")).cast<DLDataType>(); }, "ValueError",
                   "unknown dtype `xyz`");
  // other kinds are not convertible
  ExpectErrorExact([] { Any(int64_t(3)).cast<DLDataType>(); }, "TypeError",
                   "Cannot convert from type `int` to `DataType`");
  ExpectErrorExact([] { Any(nullptr).cast<DLDataType>(); }, "TypeError",
                   "Cannot convert from type `None` to `DataType`");
  EXPECT_FALSE(Any(1.5).try_cast<DLDataType>().has_value());
  // Bytes are not strings
  EXPECT_FALSE(Any(tvm::ffi::Bytes("int8")).try_cast<DLDataType>().has_value());
}

TEST(DType, TypeTraits) {
  using Traits = tvm::ffi::TypeTraits<DLDataType>;
  static_assert(Traits::convert_enabled && Traits::storage_enabled);
  static_assert(Traits::field_static_type_index == kTVMFFIDataType);
  EXPECT_EQ(Traits::TypeStr(), "DataType");
  EXPECT_EQ(Traits::TypeSchema(), R"({"type":"DataType"})");
}

TEST(DType, FunctionArguments) {
  Function echo = Function::FromTyped([](DLDataType t) { return t; });
  Any from_dtype = echo(DT(kDLBfloat, 16, 1));
  EXPECT_EQ(from_dtype.type_index(), kTVMFFIDataType);
  EXPECT_EQ(from_dtype.cast<DLDataType>(), DT(kDLBfloat, 16, 1));
  // a string argument is parsed
  EXPECT_EQ(echo("float32x8").cast<DLDataType>(), DT(kDLFloat, 32, 8));
  EXPECT_EQ(echo(std::string("int64")).cast<DLDataType>(), DT(kDLInt, 64, 1));
  EXPECT_EQ(echo(String("float6_e2m3fn")).cast<DLDataType>(), DT(kDLFloat6_e2m3fn, 6, 1));
  // a bad argument kind is a TypeError naming the dtype
  ExpectErrorContains([&] { echo(1); }, "TypeError", "Expected `DataType` but got `int`");
  // a bad dtype string reports the parse error
  ExpectErrorExact([&] { echo("float33q"); }, "ValueError", "unknown dtype `float33q`");

  Function to_str = Function::FromTyped([](DLDataType t) { return DLDataTypeToString(t); });
  EXPECT_EQ(to_str("float8_e4m3fn").cast<String>(), "float8_e4m3fn");
}

TEST(DType, CustomTypes) {
  // The runtime resolves custom codes through two globals that the application registers.
  ExpectErrorContains([] { DLDataTypeToString(DT(130, 8, 1)); }, "ValueError",
                      "dtype.get_custom_type_name");
  std::ostringstream unregistered;
  unregistered << DT(130, 8, 1);
  EXPECT_EQ(unregistered.str(), "DLDataType(code=130, bits=8, lanes=1)");
  ExpectNoPendingError();

  Function::SetGlobal("dtype.get_custom_type_name", Function::FromTyped([](int64_t code) {
                        return code == 130 ? String("posit") : String("other");
                      }),
                      true);
  Function::SetGlobal("dtype.get_custom_type_code", Function::FromTyped([](String name) {
                        return name == "posit" ? int64_t(130) : int64_t(131);
                      }),
                      true);
  EXPECT_EQ(std::string(DLDataTypeToString(DT(130, 16, 1))), "custom[posit]16");
  EXPECT_EQ(std::string(DLDataTypeToString(DT(130, 16, 2))), "custom[posit]16x2");
  EXPECT_EQ(StringToDLDataType("custom[posit]16"), DT(130, 16, 1));
  EXPECT_EQ(StringToDLDataType("custom[posit]8x4"), DT(130, 8, 4));
  std::ostringstream os;
  os << DT(130, 16, 1);
  EXPECT_EQ(os.str(), "custom[posit]16");
  Function::RemoveGlobal("dtype.get_custom_type_name");
  Function::RemoveGlobal("dtype.get_custom_type_code");
  EXPECT_FALSE(Function::GetGlobal("dtype.get_custom_type_name").has_value());
}

}  // namespace
