/*!
 * \file access_path.cc
 * \brief Reflection registration of ffi.reflection.AccessStep and ffi.reflection.AccessPath.
 *
 * The classes themselves are header-only (reflection/access_path.h); this file exposes their
 * fields and the underscore-prefixed methods that the Python `tvm_ffi.access_path` module
 * calls: `_root` (static), `_extend`, `_attr`, `_array_item`, `_map_item`, `_attr_missing`,
 * `_array_item_missing`, `_map_item_missing`, `_is_prefix_of`, `_to_steps`, `_path_equal`.
 */
#include <tvm/ffi/any.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/reflection/access_path.h>
#include <tvm/ffi/reflection/registry.h>
#include <tvm/ffi/string.h>

namespace tvm {
namespace ffi {
namespace reflection {

TVM_FFI_STATIC_INIT_BLOCK() {
  ObjectDef<AccessStepObj>()
      .def_ro("kind", &AccessStepObj::kind, "The kind of the access step")
      .def_ro("key", &AccessStepObj::key, "Field name, array index or map key of the step");

  ObjectDef<AccessPathObj>()
      .def_ro("parent", &AccessPathObj::parent, "The parent path (None at the root)")
      .def_ro("step", &AccessPathObj::step, "The last step (None at the root)")
      .def_ro("depth", &AccessPathObj::depth, "Number of steps from the root")
      .def_static("_root", []() -> AccessPath { return AccessPath::Root(); })
      .def("_extend",
           [](const AccessPathObj* self, AccessStep step) -> AccessPath {
             return self->Extend(std::move(step));
           })
      .def("_attr",
           [](const AccessPathObj* self, String name) -> AccessPath {
             return self->Attr(std::move(name));
           })
      .def("_array_item",
           [](const AccessPathObj* self, int64_t index) -> AccessPath {
             return self->ArrayItem(index);
           })
      .def("_map_item",
           [](const AccessPathObj* self, Any key) -> AccessPath {
             return self->MapItem(std::move(key));
           })
      .def("_attr_missing",
           [](const AccessPathObj* self, String name) -> AccessPath {
             return self->AttrMissing(std::move(name));
           })
      .def("_array_item_missing",
           [](const AccessPathObj* self, int64_t index) -> AccessPath {
             return self->ArrayItemMissing(index);
           })
      .def("_map_item_missing",
           [](const AccessPathObj* self, Any key) -> AccessPath {
             return self->MapItemMissing(std::move(key));
           })
      .def("_is_prefix_of",
           [](const AccessPathObj* self, AccessPath other) -> bool {
             return self->IsPrefixOf(other);
           })
      .def("_to_steps",
           [](const AccessPathObj* self) -> Array<AccessStep> { return self->ToSteps(); })
      .def("_path_equal", [](const AccessPathObj* self, AccessPath other) -> bool {
        return self->PathEqual(other);
      });
}

}  // namespace reflection
}  // namespace ffi
}  // namespace tvm
