/*!
 * \file testing_schema.cc
 * \brief `testing.schema_*`: functions whose only purpose is to exercise type-schema
 *        generation. Each is typed; unless noted it returns its argument unchanged.
 */
#include <tvm/ffi/any.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/container/tensor.h>
#include <tvm/ffi/container/variant.h>
#include <tvm/ffi/dtype.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/optional.h>
#include <tvm/ffi/reflection/registry.h>
#include <tvm/ffi/string.h>

#include <cstdint>

#include "testing_types.h"

namespace tvm {
namespace ffi {
namespace testing {

namespace refl = ::tvm::ffi::reflection;

namespace {

template <typename T>
T Identity(T value) {
  return value;
}

/*!
 * \brief If `os` holds a key, map[key] = the non-None entries of `arr` (in order); returns the
 *        (copy-on-write) map. Without a key the map is returned unchanged.
 */
Map<String, Array<int64_t>> SchemaArrMapOpt(Array<Optional<int64_t>> arr,
                                            Map<String, Array<int64_t>> mp, Optional<String> os) {
  if (os.has_value()) {
    Array<int64_t> values;
    for (const Optional<int64_t>& item : arr) {
      if (item.has_value()) values.push_back(item.value());
    }
    mp.Set(os.value(), values);
  }
  return mp;
}

}  // namespace

void RegisterSchemaFunctions() {
  using FuncTyped = TypedFunction<void(int64_t, float, Function)>;
  refl::GlobalDef()
      .def("testing.schema_id_int", Identity<int64_t>, TestingSampleMetadata())
      .def("testing.schema_id_float", Identity<double>)
      .def("testing.schema_id_bool", Identity<bool>)
      .def("testing.schema_id_device", Identity<DLDevice>)
      .def("testing.schema_id_dtype", Identity<DLDataType>)
      .def("testing.schema_id_string", Identity<String>)
      .def("testing.schema_id_bytes", Identity<Bytes>)
      .def("testing.schema_id_func", Identity<Function>)
      .def("testing.schema_id_func_typed", Identity<FuncTyped>)
      .def("testing.schema_id_any", Identity<Any>)
      .def("testing.schema_id_object", Identity<ObjectRef>)
      .def("testing.schema_id_dltensor", Identity<DLTensor*>)
      .def("testing.schema_id_tensor", Identity<Tensor>)
      .def("testing.schema_tensor_view_input", [](TensorView) {})
      .def("testing.schema_id_opt_int", Identity<Optional<int64_t>>)
      .def("testing.schema_id_opt_str", Identity<Optional<String>>)
      .def("testing.schema_id_opt_obj", Identity<Optional<ObjectRef>>)
      .def("testing.schema_id_arr_int", Identity<Array<int64_t>>)
      .def("testing.schema_id_arr_str", Identity<Array<String>>)
      .def("testing.schema_id_arr_obj", Identity<Array<ObjectRef>>)
      .def("testing.schema_id_arr", Identity<const ArrayObj*>)
      .def("testing.schema_id_map_str_int", Identity<Map<String, int64_t>>)
      .def("testing.schema_id_map_str_str", Identity<Map<String, String>>)
      .def("testing.schema_id_map_str_obj", Identity<Map<String, ObjectRef>>)
      .def("testing.schema_id_map", Identity<const MapObj*>)
      .def("testing.schema_id_variant_int_str", Identity<Variant<int64_t, String>>)
      .def_packed("testing.schema_packed", [](PackedArgs, Any*) {})
      .def("testing.schema_arr_map_opt", SchemaArrMapOpt)
      .def("testing.schema_variant_mix", Identity<Variant<int64_t, String, Array<int64_t>>>,
           "variant passthrough")
      .def("testing.schema_no_args", []() -> int { return 1; })
      .def("testing.schema_no_return", [](int64_t) {})
      .def("testing.schema_no_args_no_return", []() {});
}

}  // namespace testing
}  // namespace ffi
}  // namespace tvm
