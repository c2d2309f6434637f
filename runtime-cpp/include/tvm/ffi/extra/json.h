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

/*!
 * \brief Serialize a value as JSON text.
 *
 * \param value None, bool, int, float, String, Array or Map (with string keys), nested.
 * \param indent std::nullopt or 0 for compact output; otherwise every array element / object
 *        member goes on its own line indented by `indent` spaces per nesting level.
 * \return the JSON text.
 * \throws TypeError for a map key that is not a string or an unsupported value type;
 *         ValueError for NaN or infinite floats (JSON has no representation for them).
 */
TVM_FFI_EXTRA_CXX_API String Stringify(const Value& value,
                                       const Optional<int>& indent = std::nullopt);

}  // namespace json
}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_EXTRA_JSON_H_
