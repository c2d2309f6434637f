/*!
 * \file tvm/ffi/extra/json.h
 * \brief JSON text <-> FFI values (implemented in libtvm_ffi).
 *
 * Mapping: object <-> Map<Any, Any> (string keys, insertion order kept), array <-> Array<Any>,
 * integer literals that fit in int64 <-> int, other numbers <-> float, string <-> String,
 * true/false <-> bool, null <-> None.
 */
#ifndef TVM_FFI_EXTRA_JSON_H_
#define TVM_FFI_EXTRA_JSON_H_

#include <tvm/ffi/any.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/extra/base.h>
#include <tvm/ffi/optional.h>

#include <optional>

namespace tvm {
namespace ffi {
namespace json {

/*! \brief A JSON value held as an FFI value. */
using Value = Any;
/*! \brief A JSON object. */
using Object = ffi::Map<Any, Any>;
/*! \brief A JSON array. */
using Array = ffi::Array<Any>;

/*!
 * \brief Parse JSON text (RFC 8259).
 *
 * \param json_str the text; exactly one value surrounded by optional whitespace.
 * \param error_msg when not NULL, a syntax error is reported here (with its line/column
 *        position) and None is returned; when NULL a syntax error raises ValueError.
 *        On success *error_msg is left untouched.
 * \return the parsed value.
 */
TVM_FFI_EXTRA_CXX_API Value Parse(const String& json_str, String* error_msg = nullptr);

}  // namespace json

namespace details {
/*!
 * \brief The exported `json::Stringify(const Any&, const Optional<int>&)`.
 *
 * Modules built against apache-tvm-ffi 0.1.15 headers call that symbol with their
 * `Optional<int>`, a 16-byte value cell: type index 0 (None) or 1 (int, value at offset 8).
 * Ours is 8 bytes, so the symbol is declared here with the cell it actually receives, and
 * Stringify() below converts to that cell: every caller, whichever headers it was built
 * against, passes the same layout. (The 0.1.0 signature, `Optional<int>` by value, is exported
 * as well and reads the 0.1.0 layout.)
 *
 * \param indent a cell of type index kTVMFFINone or kTVMFFIInt; anything else raises TypeError.
 */
#if defined(__GNUC__) || defined(__clang__)
TVM_FFI_EXTRA_CXX_API String JsonStringifyIndentCell(
    const json::Value& value,
    const TVMFFIAny* indent) __asm__("_ZN3tvm3ffi4json9StringifyERKNS0_3AnyERKNS0_8OptionalIivEE");
#else
TVM_FFI_EXTRA_CXX_API String JsonStringifyIndentCell(const json::Value& value,
                                                     const TVMFFIAny* indent);
#endif
}  // namespace details

namespace json {
/*!
 * \brief Serialize a value as JSON text.
 *
 * \param value None, bool, int, float, String, Array or Map (with string keys), nested.
 * \param indent std::nullopt or 0 for compact output; otherwise every array element / object
 *        member goes on its own line indented by `indent` spaces per nesting level.
 * \return the JSON text.
 * \throws TypeError for a map key that is not a string or an unsupported value type;
 *         ValueError for NaN or infinite floats (JSON has no representation for them).
 * \note A template only so that this inline function does not itself carry the exported
 *       symbol's name.
 */
template <typename = void>
inline String Stringify(const Value& value, const Optional<int>& indent = std::nullopt) {
  TVMFFIAny cell;
  cell.type_index = kTVMFFINone;
  cell.zero_padding = 0;
  cell.v_int64 = 0;
  if (indent.has_value()) {
    cell.type_index = kTVMFFIInt;
    cell.v_int64 = *indent;
  }
  return details::JsonStringifyIndentCell(value, &cell);
}

}  // namespace json
}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_EXTRA_JSON_H_
