/*!
 * \file tvm/ffi/extra/serialization.h
 * \brief Object graphs <-> JSON values, with node sharing (implemented in libtvm_ffi).
 *
 * The JSON form is `{"root_index": int, "nodes": [node, ...], "metadata": ...}` ("metadata"
 * only when metadata is not None). Every distinct object appears once in "nodes", so shared
 * references stay shared after a round trip. The node format is described in
 * serialization.cc; it is meant to be read back by FromJSONGraph, not by other tools.
 */
#ifndef TVM_FFI_EXTRA_SERIALIZATION_H_
#define TVM_FFI_EXTRA_SERIALIZATION_H_

#include <tvm/ffi/any.h>
#include <tvm/ffi/extra/base.h>
#include <tvm/ffi/extra/json.h>

namespace tvm {
namespace ffi {

/*!
 * \brief Serialize a value graph into a JSON value.
 *
 * Supported: None, bool, int, float, String, Bytes (base64), DataType, Device, Array, Map,
 * Shape, objects with a `__data_to_json__` type attribute, and reflected objects (their
 * fields). Anything else is a TypeError.
 *
 * \param value the root value.
 * \param metadata optional JSON-compatible value stored under "metadata".
 * \return the JSON object (a json::Object).
 */
TVM_FFI_EXTRA_CXX_API json::Value ToJSONGraph(const Any& value, const Any& metadata = Any(nullptr));

/*!
 * \brief Rebuild a value graph from the output of ToJSONGraph.
 *
 * Reflected objects are created with their type's creator and their fields are set through
 * reflection (fields missing from the data take their default; missing fields without a
 * default are a TypeError); types with `__data_from_json__` are rebuilt by that function.
 * \throws ValueError for malformed input.
 */
TVM_FFI_EXTRA_CXX_API Any FromJSONGraph(const json::Value& value);

}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_EXTRA_SERIALIZATION_H_
