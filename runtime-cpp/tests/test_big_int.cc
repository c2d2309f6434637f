/*!
 * \file test_big_int.cc
 * \brief BigInt: canonical storage, arithmetic beyond int64, conversions and Any round trips.
 */
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/big_int.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/function.h>

#include <cstdint>
#include <limits>
#include <sstream>
#include <string>

namespace {

using tvm::ffi::Any;
using tvm::ffi::BigInt;
using tvm::ffi::Error;

BigInt Parse(const std::string& text) {
  std::optional<BigInt> value = BigInt::FromString(text);
  EXPECT_TRUE(value.has_value()) << text;
  return value.value_or(BigInt());
}

std::string KindOf(void (*fn)()) {
  try {
    fn();
  } catch (const Error& err) {
    return err.kind() + ": " + err.message();
  }
  return "no error";
}

TEST(BigInt, SmallValuesStayInline) {
  EXPECT_EQ(sizeof(BigInt), 16u);
  BigInt zero;
  EXPECT_TRUE(zero.is_small());
  EXPECT_FALSE(static_cast<bool>(zero));
  BigInt max = std::numeric_limits<int64_t>::max();
  EXPECT_TRUE(max.is_small());
  BigInt above = max + 1;
  EXPECT_FALSE(above.is_small());
  EXPECT_EQ(above.ToString(), "9223372036854775808");
  // Coming back into range makes it inline again (canonical form).
  BigInt back = above - 1;
  EXPECT_TRUE(back.is_small());
  EXPECT_EQ(static_cast<int64_t>(back), std::numeric_limits<int64_t>::max());
  BigInt u = std::numeric_limits<uint64_t>::max();
  EXPECT_FALSE(u.is_small());
  EXPECT_EQ(u.ToString(), "18446744073709551615");
  EXPECT_EQ(u.as<uint64_t>().value(), std::numeric_limits<uint64_t>::max());
  EXPECT_FALSE(u.as<int64_t>().has_value());
  EXPECT_FALSE(BigInt(300).as<int8_t>().has_value());
  EXPECT_EQ(BigInt(-3).as<int8_t>().value(), -3);
}

TEST(BigInt, ArithmeticBeyondInt64) {
  BigInt two_70 = BigInt(1) << 70;
  EXPECT_EQ(two_70.ToString(), "1180591620717411303424");
  BigInt a = Parse("123456789012345678901234567890");
  BigInt b = Parse("-987654321098765432109876543210");
  EXPECT_EQ((a + b).ToString(), "-864197532086419753208641975320");
  EXPECT_EQ((a - b).ToString(), "1111111110111111111011111111100");
  EXPECT_EQ((a * b).ToString(), "-121932631137021795226185032733622923332237463801111263526900");
  EXPECT_EQ((b / a).ToString(), "-8");
  EXPECT_EQ((b % a).ToString(), "-9000000000900000000090");
  EXPECT_EQ(floordiv(b, a).ToString(), "-9");
  EXPECT_EQ(floormod(b, a).ToString(), "123456780012345678001234567800");
  EXPECT_EQ(((a * b) / b), a);
  EXPECT_EQ(-(-a), a);
  EXPECT_EQ(~a, -a - 1);
  EXPECT_EQ((two_70 >> 70), BigInt(1));
  EXPECT_EQ((-two_70 >> 69), BigInt(-2));
  EXPECT_EQ((two_70 | 5) - two_70, BigInt(5));
  EXPECT_EQ((two_70 & (two_70 - 1)), BigInt(0));
  EXPECT_EQ((two_70 ^ two_70), BigInt(0));
  EXPECT_TRUE(b < a);
  EXPECT_TRUE(a > 0);
  EXPECT_TRUE(0 > b);
  EXPECT_EQ(tvm::ffi::max(a, b), a);
  EXPECT_EQ(tvm::ffi::min(a, b), b);
  BigInt c = a;
  c += a;
  c *= 2;
  EXPECT_EQ(c, a * 4);
  ++c;
  EXPECT_EQ(c, a * 4 + 1);
}

TEST(BigInt, SmallDivisionTruncatesLikeCxx) {
  EXPECT_EQ(BigInt(-7) / 2, BigInt(-3));
  EXPECT_EQ(BigInt(-7) % 2, BigInt(-1));
  EXPECT_EQ(floordiv(BigInt(-7), 2), BigInt(-4));
  EXPECT_EQ(floormod(BigInt(-7), 2), BigInt(1));
  BigInt min = std::numeric_limits<int64_t>::min();
  EXPECT_EQ((min / -1).ToString(), "9223372036854775808");
  EXPECT_EQ(min % -1, BigInt(0));
}

TEST(BigInt, ErrorsAreClear) {
  EXPECT_EQ(KindOf([] { (void)(BigInt(1) / 0); }), "ZeroDivisionError: Division by zero");
  EXPECT_EQ(KindOf([] { (void)(BigInt(1) % 0); }), "ZeroDivisionError: Division by zero");
  EXPECT_EQ(KindOf([] { (void)(BigInt(1) << -1); }), "ValueError: Negative BigInt shift count");
  EXPECT_EQ(KindOf([] { (void)BigInt(std::numeric_limits<double>::quiet_NaN()); }),
            "ValueError: Cannot convert NaN to BigInt");
  EXPECT_EQ(KindOf([] { (void)BigInt(std::numeric_limits<double>::infinity()); }),
            "OverflowError: Cannot convert infinity to BigInt");
  EXPECT_EQ(KindOf([] { (void)static_cast<int64_t>(BigInt(1) << 64); }),
            "OverflowError: BigInt does not fit int64_t");
  EXPECT_EQ(KindOf([] { (void)static_cast<double>(BigInt(1) << 1100); }),
            "OverflowError: BigInt does not fit finite double");
}

TEST(BigInt, DoubleConversions) {
  EXPECT_EQ(BigInt(-2.9), BigInt(-2));
  EXPECT_EQ(BigInt(1e20).ToString(), "100000000000000000000");
  EXPECT_EQ(BigInt(-1e20).ToString(), "-100000000000000000000");
  EXPECT_EQ(static_cast<double>(BigInt(1) << 80), 1208925819614629174706176.0);
  // 2^53 + 1 rounds to even.
  EXPECT_EQ(static_cast<double>((BigInt(1) << 53) + 1), 9007199254740992.0);
}

TEST(BigInt, StreamsAndHash) {
  std::ostringstream os;
  os << (BigInt(1) << 64) << " " << BigInt(-5);
  EXPECT_EQ(os.str(), "18446744073709551616 -5");
  std::istringstream is("-123456789012345678901234 rest");
  BigInt read;
  is >> read;
  EXPECT_EQ(read.ToString(), "-123456789012345678901234");
  std::istringstream bad("x");
  BigInt untouched = 9;
  bad >> untouched;
  EXPECT_TRUE(bad.fail());
  EXPECT_EQ(untouched, BigInt(9));
  EXPECT_EQ(std::hash<BigInt>()(Parse("1" + std::string(30, '0'))),
            std::hash<BigInt>()(BigInt(10) * Parse("1" + std::string(29, '0'))));
  BigInt moved_from = BigInt(1) << 100;
  BigInt target = std::move(moved_from);
  EXPECT_EQ(moved_from, BigInt(0));  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(target, BigInt(1) << 100);
}

TEST(BigInt, AnyRoundTripUsesIntWhenSmall) {
  Any small = BigInt(42);
  EXPECT_EQ(small.type_index(), kTVMFFIInt);
  EXPECT_EQ(small.cast<int64_t>(), 42);
  Any big = BigInt(1) << 70;
  EXPECT_EQ(big.type_index(), kTVMFFIBigInt);
  EXPECT_EQ(big.GetTypeKey(), "ffi.BigInt");
  EXPECT_EQ(big.cast<BigInt>(), BigInt(1) << 70);
  EXPECT_EQ(Any(7).cast<BigInt>(), BigInt(7));
  EXPECT_EQ(Any(true).try_cast<BigInt>().value(), BigInt(1));
  EXPECT_FALSE(Any(1.5).try_cast<BigInt>().has_value());
  // int64_t does not accept a BigInt object.
  EXPECT_FALSE(big.try_cast<int64_t>().has_value());
  // Through a Function call and back (the object crosses the C ABI).
  tvm::ffi::Function twice =
      tvm::ffi::Function::FromTyped([](BigInt v) -> BigInt { return v * 2; });
  EXPECT_EQ(twice(BigInt(1) << 70).cast<BigInt>(), BigInt(1) << 71);
  EXPECT_EQ(twice(3).cast<BigInt>(), BigInt(6));
}

TEST(BigInt, ObjectLayoutMatchesTheCApi) {
  BigInt value = -(BigInt(1) << 70);
  Any held = value;
  const TVMFFIAny* cell = reinterpret_cast<const TVMFFIAny*>(&held);
  TVMFFIByteArray content = TVMFFIBigIntGetContentByteArray(cell);
  ASSERT_EQ(content.size, 16u);
  TVMFFIAny rebuilt;
  ASSERT_EQ(TVMFFIBigIntFromByteArray(&content, &rebuilt), 0);
  Any back = tvm::ffi::details::AnyUnsafe::MoveTVMFFIAnyToAny(&rebuilt);
  EXPECT_EQ(back.cast<BigInt>(), value);
}

}  // namespace
