/*!
 * \file json_internal.h
 * \brief Number helpers shared by the JSON parser, writer and the graph serializer.
 */
#ifndef TVM_FFI_RUNTIME_SRC_JSON_INTERNAL_H_
#define TVM_FFI_RUNTIME_SRC_JSON_INTERNAL_H_

#include <string>

namespace tvm {
namespace ffi {
namespace json {

/*! \brief Deepest array/object nesting that Parse accepts and Stringify writes. */
constexpr int kJSONMaxDepth = 1024;

/*!
 * \brief Convert the text of a JSON number (already validated against the grammar) to a
 * double, locale independently; out-of-range magnitudes saturate to +/-inf or +/-0.
 */
double ParseDoubleText(const char* begin, const char* end);

/*!
 * \brief Append the shortest decimal text that parses back to exactly `value` (which must be
 * finite). The text always reads as a JSON float: it contains '.', 'e' or 'E'.
 */
void AppendDoubleText(double value, std::string* out);

}  // namespace json
}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_RUNTIME_SRC_JSON_INTERNAL_H_
