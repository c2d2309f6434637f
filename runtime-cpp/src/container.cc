/*!
 * \file container.cc
 * \brief Built-in global functions for containers, used mainly by language bindings to
 *        build and inspect arrays, maps and shapes.
 *
 * Global functions registered here: ffi.Array, ffi.ArrayGetItem, ffi.ArraySize, ffi.Map,
 * ffi.MapSize, ffi.MapGetItem, ffi.MapCount, ffi.MapForwardIterFunctor, ffi.Shape.
 *
 * All of them go through the inline container code of the headers, so the objects they build
 * have exactly the layout any other binary's inline code would build.
 */
#include <tvm/ffi/any.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/container/shape.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/reflection/registry.h>

#include <cstdint>
#include <utility>

namespace tvm {
namespace ffi {
namespace {

/*!
 * \brief State of ffi.MapForwardIterFunctor: a forward cursor over one map.
 *
 * Called with one int command: 0 -> current key, 1 -> current value, 2 -> advance and
 * return whether the cursor still points at an entry.
 */
class MapForwardIterFunctor {
 public:
  explicit MapForwardIterFunctor(ObjectPtr<Object> map)
      : map_(std::move(map)),
        iter_(static_cast<const MapObj*>(map_.get())->begin()),
        end_(static_cast<const MapObj*>(map_.get())->end()) {}

  void operator()(PackedArgs args, Any* ret) {
    if (args.size() != 1) {
      TVM_FFI_THROW(TypeError) << "MapForwardIterFunctor expects 1 argument but got "
                               << args.size();
    }
    int64_t command = args[0].cast<int64_t>();
    switch (command) {
      case 0:
        CheckValid();
        *ret = (*iter_).first;
        return;
      case 1:
        CheckValid();
        *ret = (*iter_).second;
        return;
      case 2:
        CheckValid();
        ++iter_;
        *ret = (iter_ != end_);
        return;
      default:
        TVM_FFI_THROW(ValueError) << "MapForwardIterFunctor: unknown command " << command;
    }
  }

 private:
  void CheckValid() const {
    if (iter_ == end_) {
      TVM_FFI_THROW(IndexError) << "MapForwardIterFunctor: iterator is at the end";
    }
  }

  /*! \brief Keeps the iterated map alive. */
  ObjectPtr<Object> map_;
  MapObj::iterator iter_;
  MapObj::iterator end_;
};

/*! \brief A new owning reference to an object we received as a borrowed pointer. */
ObjectPtr<Object> RetainObject(const Object* obj) {
  return details::ObjectUnsafe::ObjectPtrFromUnowned<Object>(const_cast<Object*>(obj));
}

}  // namespace

TVM_FFI_STATIC_INIT_BLOCK() {
  namespace refl = ::tvm::ffi::reflection;
  refl::GlobalDef()
      // ffi.Array(*args): an Array<Any> of the arguments, in order (capacity = count).
      .def_packed("ffi.Array",
                  [](PackedArgs args, Any* ret) {
                    *ret = Array<Any>(args.data(), args.data() + args.size());
                  })
      .def("ffi.ArrayGetItem",
           [](const ArrayObj* arr, int64_t index) -> Any {
             int64_t size = static_cast<int64_t>(arr->size());
             if (index < 0 || index >= size) {
               TVM_FFI_THROW(IndexError) << "Index " << index << " out of bounds " << size;
             }
             return arr->begin()[index];
           })
      .def("ffi.ArraySize",
           [](const ArrayObj* arr) -> int64_t { return static_cast<int64_t>(arr->size()); })
      // ffi.Map(k0, v0, k1, v1, ...): inserted in order, later duplicates overwrite.
      .def_packed("ffi.Map",
                  [](PackedArgs args, Any* ret) {
                    TVM_FFI_ICHECK_EQ(args.size() % 2, 0);
                    Map<Any, Any> result;
                    for (int i = 0; i < args.size(); i += 2) {
                      result.Set(Any(args[i]), Any(args[i + 1]));
                    }
                    *ret = std::move(result);
                  })
      .def("ffi.MapSize",
           [](const MapObj* map) -> int64_t { return static_cast<int64_t>(map->size()); })
      .def("ffi.MapGetItem", [](const MapObj* map, Any key) -> Any { return map->at(key); })
      .def("ffi.MapCount",
           [](const MapObj* map, Any key) -> int64_t {
             return static_cast<int64_t>(map->count(key));
           })
      .def("ffi.MapForwardIterFunctor",
           [](const MapObj* map) -> Function {
             return Function::FromPacked(MapForwardIterFunctor(RetainObject(map)));
           })
      // ffi.Shape(*dims): every argument must convert to int64.
      .def_packed("ffi.Shape", [](PackedArgs args, Any* ret) {
        int64_t* dims = nullptr;
        ObjectPtr<ShapeObj> shape =
            details::MakeEmptyShape(static_cast<size_t>(args.size()), &dims);
        for (int i = 0; i < args.size(); ++i) {
          std::optional<int64_t> dim = args[i].try_cast<int64_t>();
          if (!dim.has_value()) {
            TVM_FFI_THROW(ValueError) << "Expect shape to take list of int arguments";
          }
          dims[i] = *dim;
        }
        *ret = Shape(std::move(shape));
      });
}

}  // namespace ffi
}  // namespace tvm
