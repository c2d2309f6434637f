/*!
 * \file tvm/ffi/big_int.h
 * \brief BigInt: an arbitrary-precision signed integer stored in one Any cell.
 *
 * Values that fit int64 are stored inline as a kTVMFFIInt cell; larger ones as a BigIntObj
 * (type key `ffi.BigInt`, static index kTVMFFIBigInt): a word count at object + 24 followed by
 * that many native-endian int64 words at object + 32, two's complement, least significant word
 * first, with no redundant sign-extension word (canonical form; at least 2 words).
 */
#ifndef TVM_FFI_BIG_INT_H_
#define TVM_FFI_BIG_INT_H_

#include <tvm/ffi/any.h>
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/memory.h>
#include <tvm/ffi/object.h>
#include <tvm/ffi/type_traits.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <istream>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace tvm {
namespace ffi {
namespace details {

/*! \brief Heap part of a BigInt that does not fit int64 (canonical form, >= 2 words). */
class BigIntObj : public Object {
 public:
  explicit BigIntObj(size_t num_words) : num_words_(num_words) {}

  /*! \return the number of 64-bit words. */
  size_t num_words() const { return num_words_; }
  /*! \return the words, least significant first (two's complement). */
  const int64_t* words() const {
    return reinterpret_cast<const int64_t*>(reinterpret_cast<const char*>(this) + sizeof(*this));
  }
  int64_t* mutable_words() {
    return reinterpret_cast<int64_t*>(reinterpret_cast<char*>(this) + sizeof(*this));
  }

  static constexpr int32_t _type_index = kTVMFFIBigInt;
  static constexpr bool _type_final = true;
  static constexpr uint32_t _type_child_slots = 0;
  static constexpr bool _type_child_slots_can_overflow = false;
  TVM_FFI_DECLARE_OBJECT_INFO_STATIC(StaticTypeKey::kTVMFFIBigInt, BigIntObj, Object);

 private:
  size_t num_words_;
};

static_assert(sizeof(BigIntObj) == 32, "BigInt words start at object + 32");

/*!
 * \brief Two's-complement arithmetic on little-endian vectors of 64-bit words (at least one
 *        word; the sign is the top bit of the last word). Helpers of BigInt.
 */
namespace bigint {

using Words = std::vector<uint64_t>;

inline bool IsNegative(const Words& w) { return (w.back() >> 63) != 0; }
inline uint64_t SignWord(const Words& w) { return IsNegative(w) ? ~uint64_t(0) : 0; }

/*! \brief Sign-extend to n words (never shrinks). */
inline Words Extend(Words w, size_t n) {
  uint64_t sign = SignWord(w);
  if (w.size() < n) w.resize(n, sign);
  return w;
}

/*! \brief Drop top words that merely repeat the sign of the word below (keeps >= 1 word). */
inline void Normalize(Words* w) {
  while (w->size() > 1) {
    uint64_t top = w->back();
    uint64_t below = (*w)[w->size() - 2];
    uint64_t below_sign = (below >> 63) != 0 ? ~uint64_t(0) : 0;
    if (top != below_sign) break;
    w->pop_back();
  }
}

inline Words Add(const Words& a, const Words& b) {
  size_t n = std::max(a.size(), b.size()) + 1;
  Words x = Extend(a, n), y = Extend(b, n), r(n);
  uint64_t carry = 0;
  for (size_t i = 0; i < n; ++i) {
    uint64_t s = x[i] + carry;
    uint64_t c1 = s < carry ? 1 : 0;
    r[i] = s + y[i];
    carry = c1 + (r[i] < s ? 1 : 0);
  }
  Normalize(&r);
  return r;
}

inline Words Negate(const Words& a) {
  Words x = Extend(a, a.size() + 1);
  for (uint64_t& v : x) v = ~v;
  return Add(x, Words{1});
}

inline Words Sub(const Words& a, const Words& b) { return Add(a, Negate(b)); }

/*! \brief Unsigned magnitude (no sign word) of a value. */
inline Words Magnitude(const Words& a) {
  Words m = IsNegative(a) ? Negate(a) : a;
  while (m.size() > 1 && m.back() == 0) m.pop_back();
  return m;
}

/*! \brief Signed value from an unsigned magnitude. */
inline Words FromMagnitude(Words m, bool negative) {
  m.push_back(0);  // room for the sign bit
  Normalize(&m);
  return negative ? Negate(m) : m;
}

inline bool MagnitudeIsZero(const Words& m) {
  return std::all_of(m.begin(), m.end(), [](uint64_t v) { return v == 0; });
}

inline Words MulMagnitude(const Words& a, const Words& b) {
  Words r(a.size() + b.size(), 0);
  for (size_t i = 0; i < a.size(); ++i) {
    unsigned __int128 carry = 0;
    for (size_t j = 0; j < b.size(); ++j) {
      unsigned __int128 cur = static_cast<unsigned __int128>(a[i]) * b[j] + r[i + j] + carry;
      r[i + j] = static_cast<uint64_t>(cur);
      carry = cur >> 64;
    }
    size_t k = i + b.size();
    while (carry != 0) {
      unsigned __int128 cur = static_cast<unsigned __int128>(r[k]) + carry;
      r[k] = static_cast<uint64_t>(cur);
      carry = cur >> 64;
      ++k;
    }
  }
  return r;
}

inline Words Mul(const Words& a, const Words& b) {
  return FromMagnitude(MulMagnitude(Magnitude(a), Magnitude(b)), IsNegative(a) != IsNegative(b));
}

inline int CompareMagnitude(const Words& a, const Words& b) {
  size_t n = std::max(a.size(), b.size());
  for (size_t i = n; i-- > 0;) {
    uint64_t x = i < a.size() ? a[i] : 0;
    uint64_t y = i < b.size() ? b[i] : 0;
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

/*! \brief Truncating division of magnitudes (shift-subtract); b must be non-zero. */
inline void DivModMagnitude(const Words& a, const Words& b, Words* quot, Words* rem) {
  Words q(a.size(), 0), r{0};
  for (size_t bit = a.size() * 64; bit-- > 0;) {
    // r = (r << 1) | bit
    uint64_t carry = (a[bit / 64] >> (bit % 64)) & 1;
    for (uint64_t& v : r) {
      uint64_t next = v >> 63;
      v = (v << 1) | carry;
      carry = next;
    }
    if (carry != 0) r.push_back(carry);
    if (CompareMagnitude(r, b) >= 0) {
      // r -= b (magnitudes, r >= b)
      uint64_t borrow = 0;
      for (size_t i = 0; i < r.size(); ++i) {
        uint64_t y = i < b.size() ? b[i] : 0;
        uint64_t d = r[i] - y;
        uint64_t b1 = r[i] < y ? 1 : 0;
        uint64_t d2 = d - borrow;
        uint64_t b2 = d < borrow ? 1 : 0;
        r[i] = d2;
        borrow = b1 + b2;
      }
      while (r.size() > 1 && r.back() == 0) r.pop_back();
      q[bit / 64] |= uint64_t(1) << (bit % 64);
    }
  }
  *quot = q;
  *rem = r;
}

/*! \brief C++-style truncating quotient and remainder (the remainder has a's sign). */
inline void TruncDivMod(const Words& a, const Words& b, Words* quot, Words* rem) {
  Words ma = Magnitude(a), mb = Magnitude(b), q, r;
  DivModMagnitude(ma, mb, &q, &r);
  *quot = FromMagnitude(q, IsNegative(a) != IsNegative(b));
  *rem = FromMagnitude(r, IsNegative(a));
}

template <typename Op>
inline Words Bitwise(const Words& a, const Words& b, Op op) {
  size_t n = std::max(a.size(), b.size());
  Words x = Extend(a, n), y = Extend(b, n), r(n);
  for (size_t i = 0; i < n; ++i) r[i] = op(x[i], y[i]);
  Normalize(&r);
  return r;
}

inline Words ShiftLeft(const Words& a, uint64_t count) {
  size_t word_shift = static_cast<size_t>(count / 64);
  unsigned bit_shift = static_cast<unsigned>(count % 64);
  Words x = Extend(a, a.size() + 1);
  Words r(word_shift, 0);
  uint64_t prev = 0;
  for (uint64_t v : x) {
    r.push_back(bit_shift == 0 ? v : (v << bit_shift) | (prev >> (64 - bit_shift)));
    prev = v;
  }
  Normalize(&r);
  return r;
}

/*! \brief Arithmetic (flooring) right shift. */
inline Words ShiftRight(const Words& a, uint64_t count) {
  uint64_t sign = SignWord(a);
  size_t word_shift = static_cast<size_t>(std::min<uint64_t>(count / 64, a.size()));
  unsigned bit_shift = static_cast<unsigned>(count % 64);
  if (count / 64 >= a.size()) return Words{sign};
  Words r;
  for (size_t i = word_shift; i < a.size(); ++i) {
    uint64_t lo = a[i];
    uint64_t hi = i + 1 < a.size() ? a[i + 1] : sign;
    r.push_back(bit_shift == 0 ? lo : (lo >> bit_shift) | (hi << (64 - bit_shift)));
  }
  Normalize(&r);
  return r;
}

inline std::string ToDecimal(const Words& a) {
  Words m = Magnitude(a);
  if (MagnitudeIsZero(m)) return "0";
  const uint64_t kChunk = 10000000000000000000ull;  // 10^19
  std::vector<uint64_t> chunks;
  while (!MagnitudeIsZero(m)) {
    unsigned __int128 rem = 0;
    for (size_t i = m.size(); i-- > 0;) {
      unsigned __int128 cur = (rem << 64) | m[i];
      m[i] = static_cast<uint64_t>(cur / kChunk);
      rem = cur % kChunk;
    }
    chunks.push_back(static_cast<uint64_t>(rem));
    while (m.size() > 1 && m.back() == 0) m.pop_back();
  }
  std::string out = IsNegative(a) ? "-" : "";
  out += std::to_string(chunks.back());
  for (size_t i = chunks.size() - 1; i-- > 0;) {
    std::string part = std::to_string(chunks[i]);
    out += std::string(19 - part.size(), '0') + part;
  }
  return out;
}

}  // namespace bigint
}  // namespace details

/*!
 * \brief Arbitrary-precision signed integer (value semantics, 16 bytes).
 *
 * Small values live inline as an int; others share an immutable heap object. Arithmetic
 * never overflows: results that leave the int64 range move to the heap and come back inline
 * when they fit again.
 */
class BigInt {
 public:
  using Words = details::bigint::Words;

  BigInt() : data_(int64_t(0)) {}
  template <typename T, typename = std::enable_if_t<std::is_integral_v<T> &&
                                                    !std::is_same_v<T, bool> && (sizeof(T) <= 8)>>
  BigInt(T value) {  // NOLINT(*)
    if constexpr (std::is_unsigned_v<T> && sizeof(T) == 8) {
      if (value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        *this = FromWords(Words{static_cast<uint64_t>(value), 0});
        return;
      }
    }
    data_ = Any(static_cast<int64_t>(value));
  }
  /*! \brief Truncates toward zero; NaN -> ValueError, infinity -> OverflowError. */
  explicit BigInt(double value) {
    if (std::isnan(value)) TVM_FFI_THROW(ValueError) << "Cannot convert NaN to BigInt";
    if (std::isinf(value)) TVM_FFI_THROW(OverflowError) << "Cannot convert infinity to BigInt";
    value = std::trunc(value);
    if (value >= -9223372036854775808.0 && value < 9223372036854775808.0) {
      data_ = Any(static_cast<int64_t>(value));
      return;
    }
    int exponent = 0;
    double mantissa = std::frexp(std::fabs(value), &exponent);  // value = m * 2^e, m in [0.5, 1)
    uint64_t bits = static_cast<uint64_t>(std::ldexp(mantissa, 53));
    Words w = details::bigint::ShiftLeft(Words{bits, 0}, static_cast<uint64_t>(exponent - 53));
    if (value < 0) w = details::bigint::Negate(w);
    *this = FromWords(std::move(w));
  }
  BigInt(const BigInt&) = default;
  BigInt(BigInt&& other) noexcept : data_(std::move(other.data_)) { other.data_ = Any(int64_t(0)); }
  BigInt& operator=(const BigInt&) = default;
  BigInt& operator=(BigInt&& other) noexcept {
    if (this != &other) {
      data_ = std::move(other.data_);
      other.data_ = Any(int64_t(0));
    }
    return *this;
  }

  /*! \brief Builds the canonical value of two's-complement words (least significant first). */
  static BigInt FromWords(Words words) {
    if (words.empty()) words.push_back(0);
    details::bigint::Normalize(&words);
    BigInt result;
    if (words.size() == 1) {
      result.data_ = Any(static_cast<int64_t>(words[0]));
      return result;
    }
    auto obj = make_inplace_array_object<details::BigIntObj, int64_t>(words.size(), words.size());
    for (size_t i = 0; i < words.size(); ++i) {
      obj->mutable_words()[i] = static_cast<int64_t>(words[i]);
    }
    result.data_ = Any(ObjectRef(std::move(obj)));
    return result;
  }

  /*! \return the two's-complement words (one word for inline values). */
  Words words() const {
    const TVMFFIAny* cell = details::AnyUnsafe::TVMFFIAnyPtrFromAny(data_);
    if (cell->type_index != kTVMFFIBigInt) return Words{static_cast<uint64_t>(cell->v_int64)};
    const auto* obj = reinterpret_cast<const details::BigIntObj*>(cell->v_obj);
    Words w(obj->num_words());
    for (size_t i = 0; i < w.size(); ++i) w[i] = static_cast<uint64_t>(obj->words()[i]);
    return w;
  }

  /*! \return whether the value lives inline (fits int64). */
  bool is_small() const {
    return details::AnyUnsafe::TVMFFIAnyPtrFromAny(data_)->type_index == kTVMFFIInt;
  }

  explicit operator bool() const { return !is_small() || SmallValue() != 0; }
  explicit operator int64_t() const {
    if (!is_small()) TVM_FFI_THROW(OverflowError) << "BigInt does not fit int64_t";
    return SmallValue();
  }
  /*! \brief Nearest double (ties to even); OverflowError beyond the finite range. */
  explicit operator double() const {
    if (is_small()) return static_cast<double>(SmallValue());
    std::string text = details::bigint::ToDecimal(words());
    double value = std::strtod(text.c_str(), nullptr);
    if (std::isinf(value)) TVM_FFI_THROW(OverflowError) << "BigInt does not fit finite double";
    return value;
  }
  /*! \return the value as an integer type when it fits, else nullopt. */
  template <typename Int, typename = std::enable_if_t<std::is_integral_v<Int>>>
  std::optional<Int> as() const {
    if (!is_small()) {
      if constexpr (std::is_same_v<Int, uint64_t>) {
        Words w = words();
        if (w.size() == 2 && w[1] == 0) return w[0];
      }
      return std::nullopt;
    }
    int64_t v = SmallValue();
    if constexpr (std::is_unsigned_v<Int>) {
      if (v < 0 || static_cast<uint64_t>(v) > std::numeric_limits<Int>::max()) return std::nullopt;
    } else {
      if (v < static_cast<int64_t>(std::numeric_limits<Int>::min()) ||
          v > static_cast<int64_t>(std::numeric_limits<Int>::max())) {
        return std::nullopt;
      }
    }
    return static_cast<Int>(v);
  }
  /*! \return a hash of the value (equal values hash equal). */
  uint64_t hash() const {
    uint64_t h = 0x9e3779b97f4a7c15ull;
    for (uint64_t w : words()) h = (h ^ w) * 0x100000001b3ull + (h >> 29);
    return h;
  }
  /*! \return the decimal text, with a leading '-' for negative values. */
  std::string ToString() const { return details::bigint::ToDecimal(words()); }
  /*! \brief Parses an optional sign followed by decimal digits; nullopt for anything else. */
  static std::optional<BigInt> FromString(const std::string& text) {
    size_t i = 0;
    bool negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
    if (i == text.size()) return std::nullopt;
    BigInt value;
    for (; i < text.size(); ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      value = value * BigInt(10) + BigInt(text[i] - '0');
    }
    return negative ? -value : value;
  }

  /*! \return the Any holding this value (an int or an ffi.BigInt object). */
  const Any& AsAny() const { return data_; }
  /*! \brief The value held by an Any of type int or ffi.BigInt. */
  static BigInt FromAnyUnchecked(Any value) {
    BigInt result;
    result.data_ = std::move(value);
    return result;
  }

  friend BigInt operator+(const BigInt& a, const BigInt& b) {
    if (a.is_small() && b.is_small()) {
      int64_t r;
      if (!__builtin_add_overflow(a.SmallValue(), b.SmallValue(), &r)) return BigInt(r);
    }
    return FromWords(details::bigint::Add(a.words(), b.words()));
  }
  friend BigInt operator-(const BigInt& a, const BigInt& b) {
    if (a.is_small() && b.is_small()) {
      int64_t r;
      if (!__builtin_sub_overflow(a.SmallValue(), b.SmallValue(), &r)) return BigInt(r);
    }
    return FromWords(details::bigint::Sub(a.words(), b.words()));
  }
  friend BigInt operator*(const BigInt& a, const BigInt& b) {
    if (a.is_small() && b.is_small()) {
      int64_t r;
      if (!__builtin_mul_overflow(a.SmallValue(), b.SmallValue(), &r)) return BigInt(r);
    }
    return FromWords(details::bigint::Mul(a.words(), b.words()));
  }
  /*! \brief Truncating division (like C++); ZeroDivisionError for a zero divisor. */
  friend BigInt operator/(const BigInt& a, const BigInt& b) {
    Words q, r;
    DivMod(a, b, &q, &r);
    return FromWords(std::move(q));
  }
  /*! \brief Remainder of truncating division (sign of the dividend). */
  friend BigInt operator%(const BigInt& a, const BigInt& b) {
    Words q, r;
    DivMod(a, b, &q, &r);
    return FromWords(std::move(r));
  }
  friend BigInt operator&(const BigInt& a, const BigInt& b) {
    return FromWords(details::bigint::Bitwise(a.words(), b.words(),
                                              [](uint64_t x, uint64_t y) { return x & y; }));
  }
  friend BigInt operator|(const BigInt& a, const BigInt& b) {
    return FromWords(details::bigint::Bitwise(a.words(), b.words(),
                                              [](uint64_t x, uint64_t y) { return x | y; }));
  }
  friend BigInt operator^(const BigInt& a, const BigInt& b) {
    return FromWords(details::bigint::Bitwise(a.words(), b.words(),
                                              [](uint64_t x, uint64_t y) { return x ^ y; }));
  }
  friend BigInt operator<<(const BigInt& a, const BigInt& count) {
    return FromWords(details::bigint::ShiftLeft(a.words(), ShiftCount(count)));
  }
  friend BigInt operator>>(const BigInt& a, const BigInt& count) {
    return FromWords(details::bigint::ShiftRight(a.words(), ShiftCount(count)));
  }
  BigInt operator-() const { return BigInt(0) - *this; }
  BigInt operator+() const { return *this; }
  BigInt operator~() const { return BigInt(-1) - *this; }

  friend int Compare(const BigInt& a, const BigInt& b) {
    if (a.is_small() && b.is_small()) {
      return a.SmallValue() < b.SmallValue() ? -1 : (a.SmallValue() > b.SmallValue() ? 1 : 0);
    }
    Words d = details::bigint::Sub(a.words(), b.words());
    if (details::bigint::IsNegative(d)) return -1;
    return (d.size() == 1 && d[0] == 0) ? 0 : 1;
  }
  friend bool operator==(const BigInt& a, const BigInt& b) { return Compare(a, b) == 0; }
  friend bool operator!=(const BigInt& a, const BigInt& b) { return Compare(a, b) != 0; }
  friend bool operator<(const BigInt& a, const BigInt& b) { return Compare(a, b) < 0; }
  friend bool operator<=(const BigInt& a, const BigInt& b) { return Compare(a, b) <= 0; }
  friend bool operator>(const BigInt& a, const BigInt& b) { return Compare(a, b) > 0; }
  friend bool operator>=(const BigInt& a, const BigInt& b) { return Compare(a, b) >= 0; }

  BigInt& operator+=(const BigInt& b) { return *this = *this + b; }
  BigInt& operator-=(const BigInt& b) { return *this = *this - b; }
  BigInt& operator*=(const BigInt& b) { return *this = *this * b; }
  BigInt& operator/=(const BigInt& b) { return *this = *this / b; }
  BigInt& operator%=(const BigInt& b) { return *this = *this % b; }
  BigInt& operator&=(const BigInt& b) { return *this = *this & b; }
  BigInt& operator|=(const BigInt& b) { return *this = *this | b; }
  BigInt& operator^=(const BigInt& b) { return *this = *this ^ b; }
  BigInt& operator<<=(const BigInt& b) { return *this = *this << b; }
  BigInt& operator>>=(const BigInt& b) { return *this = *this >> b; }
  BigInt& operator++() { return *this += BigInt(1); }
  BigInt& operator--() { return *this -= BigInt(1); }
  BigInt operator++(int) {
    BigInt old = *this;
    ++*this;
    return old;
  }
  BigInt operator--(int) {
    BigInt old = *this;
    --*this;
    return old;
  }

  void swap(BigInt& other) noexcept { std::swap(data_, other.data_); }

 private:
  int64_t SmallValue() const { return details::AnyUnsafe::TVMFFIAnyPtrFromAny(data_)->v_int64; }

  static void DivMod(const BigInt& a, const BigInt& b, Words* q, Words* r) {
    if (!b) TVM_FFI_THROW(ZeroDivisionError) << "Division by zero";
    if (a.is_small() && b.is_small() &&
        !(a.SmallValue() == std::numeric_limits<int64_t>::min() && b.SmallValue() == -1)) {
      *q = Words{static_cast<uint64_t>(a.SmallValue() / b.SmallValue())};
      *r = Words{static_cast<uint64_t>(a.SmallValue() % b.SmallValue())};
      return;
    }
    details::bigint::TruncDivMod(a.words(), b.words(), q, r);
  }

  static uint64_t ShiftCount(const BigInt& count) {
    if (count < BigInt(0)) TVM_FFI_THROW(ValueError) << "Negative BigInt shift count";
    std::optional<uint64_t> n = count.as<uint64_t>();
    if (!n.has_value() || *n > (uint64_t(1) << 32)) {
      TVM_FFI_THROW(OverflowError) << "BigInt shift count too large";
    }
    return *n;
  }

  Any data_;
};

/*! \brief Truncating quotient (same as operator/). */
inline BigInt truncdiv(const BigInt& a, const BigInt& b) { return a / b; }
/*! \brief Remainder of truncating division (same as operator%). */
inline BigInt truncmod(const BigInt& a, const BigInt& b) { return a % b; }
/*! \brief Quotient rounded toward negative infinity. */
inline BigInt floordiv(const BigInt& a, const BigInt& b) {
  BigInt q = a / b;
  BigInt r = a - q * b;
  if (r && ((r < BigInt(0)) != (b < BigInt(0)))) q -= BigInt(1);
  return q;
}
/*! \brief Remainder with the sign of the divisor. */
inline BigInt floormod(const BigInt& a, const BigInt& b) { return a - floordiv(a, b) * b; }
inline BigInt min(const BigInt& a, const BigInt& b) { return b < a ? b : a; }
inline BigInt max(const BigInt& a, const BigInt& b) { return a < b ? b : a; }

inline std::ostream& operator<<(std::ostream& os, const BigInt& value) {
  return os << value.ToString();
}
/*! \brief Reads an optional sign and decimal digits; sets failbit when there are none. */
inline std::istream& operator>>(std::istream& is, BigInt& value) {
  std::string text;
  std::istream::sentry sentry(is);
  if (!sentry) return is;
  int c = is.peek();
  if (c == '+' || c == '-') text.push_back(static_cast<char>(is.get()));
  while (std::isdigit(is.peek())) text.push_back(static_cast<char>(is.get()));
  std::optional<BigInt> parsed = BigInt::FromString(text);
  if (!parsed.has_value()) {
    is.setstate(std::ios::failbit);
  } else {
    value = std::move(*parsed);
  }
  return is;
}

/*! \brief Any conversions: stored as int when small, else as the ffi.BigInt object. */
template <>
struct TypeTraits<BigInt> : public TypeTraitsBase {
  TVM_FFI_INLINE static void CopyToAnyView(const BigInt& src, TVMFFIAny* result) {
    *result = *details::AnyUnsafe::TVMFFIAnyPtrFromAny(src.AsAny());
  }
  TVM_FFI_INLINE static void MoveToAny(BigInt src, TVMFFIAny* result) {
    Any held = src.AsAny();
    *result = details::AnyUnsafe::MoveAnyToTVMFFIAny(std::move(held));
  }
  TVM_FFI_INLINE static bool CheckAnyStrict(const TVMFFIAny* src) {
    return src->type_index == kTVMFFIInt || src->type_index == kTVMFFIBigInt;
  }
  TVM_FFI_INLINE static BigInt CopyFromAnyViewAfterCheck(const TVMFFIAny* src) {
    return BigInt::FromAnyUnchecked(Any(AnyView::CopyFromTVMFFIAny(*src)));
  }
  TVM_FFI_INLINE static BigInt MoveFromAnyAfterCheck(TVMFFIAny* src) {
    return BigInt::FromAnyUnchecked(details::AnyUnsafe::MoveTVMFFIAnyToAny(src));
  }
  TVM_FFI_INLINE static std::optional<BigInt> TryCastFromAnyView(const TVMFFIAny* src) {
    if (CheckAnyStrict(src)) return CopyFromAnyViewAfterCheck(src);
    if (src->type_index == kTVMFFIBool) return BigInt(src->v_int64);
    return std::nullopt;
  }
  static std::string TypeStr() { return "int"; }
  static std::string TypeSchema() { return R"({"type":"int"})"; }
};

}  // namespace ffi
}  // namespace tvm

namespace std {
template <>
struct hash<::tvm::ffi::BigInt> {
  size_t operator()(const ::tvm::ffi::BigInt& value) const {
    return static_cast<size_t>(value.hash());
  }
};
inline void swap(::tvm::ffi::BigInt& a, ::tvm::ffi::BigInt& b) noexcept { a.swap(b); }
}  // namespace std

#endif  // TVM_FFI_BIG_INT_H_
