/*!
 * \file tvm/ffi/extra/base64.h
 * \brief Header-only Base64 (RFC 4648, standard alphabet, '=' padding) for String/Bytes.
 *
 * Encoding always emits padding. Decoding is strict: the input length must be a multiple
 * of four, only the standard alphabet is accepted, '=' may appear only as the final one or
 * two characters, and the unused bits of the last group must be zero. Any violation raises
 * ValueError naming the offending position.
 */
#ifndef TVM_FFI_EXTRA_BASE64_H_
#define TVM_FFI_EXTRA_BASE64_H_

#include <tvm/ffi/string.h>

#include <cstdint>
#include <string>

namespace tvm {
namespace ffi {

namespace details {

/*! \brief The 64 symbols of the standard alphabet, indexed by 6-bit value. */
inline constexpr const char* kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/*! \return the 6-bit value of an alphabet symbol, or -1 for any other character. */
inline int Base64SymbolValue(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace details

/*!
 * \brief Encode raw bytes as Base64 text.
 * \param bytes the input range (data may be NULL when size is 0).
 * \return the padded Base64 string (length 4 * ceil(size / 3)).
 */
inline String Base64Encode(TVMFFIByteArray bytes) {
  const unsigned char* in = reinterpret_cast<const unsigned char*>(bytes.data);
  const size_t n = bytes.size;
  std::string out;
  out.reserve((n + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    uint32_t group = (uint32_t(in[i]) << 16) | (uint32_t(in[i + 1]) << 8) | uint32_t(in[i + 2]);
    out.push_back(details::kBase64Alphabet[(group >> 18) & 63]);
    out.push_back(details::kBase64Alphabet[(group >> 12) & 63]);
    out.push_back(details::kBase64Alphabet[(group >> 6) & 63]);
    out.push_back(details::kBase64Alphabet[group & 63]);
  }
  const size_t rest = n - i;
  if (rest == 1) {
    uint32_t group = uint32_t(in[i]) << 16;
    out.push_back(details::kBase64Alphabet[(group >> 18) & 63]);
    out.push_back(details::kBase64Alphabet[(group >> 12) & 63]);
    out.append("==");
  } else if (rest == 2) {
    uint32_t group = (uint32_t(in[i]) << 16) | (uint32_t(in[i + 1]) << 8);
    out.push_back(details::kBase64Alphabet[(group >> 18) & 63]);
    out.push_back(details::kBase64Alphabet[(group >> 12) & 63]);
    out.push_back(details::kBase64Alphabet[(group >> 6) & 63]);
    out.push_back('=');
  }
  return String(out.data(), out.size());
}

/*! \brief Encode the content of a Bytes value as Base64 text. */
inline String Base64Encode(const Bytes& bytes) {
  return Base64Encode(TVMFFIByteArray{bytes.data(), bytes.size()});
}

/*!
 * \brief Decode strict, padded Base64 text.
 * \param text the Base64 characters (no whitespace allowed).
 * \return the decoded bytes.
 * \throws ValueError on a length that is not a multiple of 4, a character outside the
 *         alphabet, misplaced padding or non-zero trailing bits.
 */
inline Bytes Base64Decode(TVMFFIByteArray text) {
  const unsigned char* in = reinterpret_cast<const unsigned char*>(text.data);
  const size_t n = text.size;
  if (n % 4 != 0) {
    TVM_FFI_THROW(ValueError) << "Base64Decode: invalid input length " << n
                              << ", expected a multiple of 4";
  }
  std::string out;
  out.reserve(n / 4 * 3);
  for (size_t i = 0; i < n; i += 4) {
    const bool last_group = (i + 4 == n);
    int values[4];
    int num_pad = 0;
    for (int k = 0; k < 4; ++k) {
      unsigned char c = in[i + k];
      if (c == '=') {
        // Padding: only in the last group, only in its last two positions, and only trailing.
        if (!last_group || k < 2) {
          TVM_FFI_THROW(ValueError)
              << "Base64Decode: unexpected padding '=' at position " << (i + k);
        }
        ++num_pad;
        values[k] = 0;
        continue;
      }
      if (num_pad != 0) {
        TVM_FFI_THROW(ValueError) << "Base64Decode: unexpected character after padding at position "
                                  << (i + k);
      }
      int v = details::Base64SymbolValue(c);
      if (v < 0) {
        TVM_FFI_THROW(ValueError) << "Base64Decode: invalid character with code "
                                  << static_cast<int>(c) << " at position " << (i + k);
      }
      values[k] = v;
    }
    uint32_t group = (uint32_t(values[0]) << 18) | (uint32_t(values[1]) << 12) |
                     (uint32_t(values[2]) << 6) | uint32_t(values[3]);
    if (num_pad == 2 && (group & 0xFFFF) != 0) {
      TVM_FFI_THROW(ValueError)
          << "Base64Decode: non-zero trailing bits before padding at position " << (i + 1);
    }
    if (num_pad == 1 && (group & 0xFF) != 0) {
      TVM_FFI_THROW(ValueError)
          << "Base64Decode: non-zero trailing bits before padding at position " << (i + 2);
    }
    out.push_back(static_cast<char>((group >> 16) & 0xFF));
    if (num_pad < 2) out.push_back(static_cast<char>((group >> 8) & 0xFF));
    if (num_pad < 1) out.push_back(static_cast<char>(group & 0xFF));
  }
  return Bytes(out.data(), out.size());
}

/*! \brief Decode the Base64 text held by a String. */
inline Bytes Base64Decode(const String& text) {
  return Base64Decode(TVMFFIByteArray{text.data(), text.size()});
}

}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_EXTRA_BASE64_H_
