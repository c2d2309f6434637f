/*!
 * \file container.cc
 * \brief Built-in global functions for containers, used mainly by language bindings to
 *        build and inspect arrays, maps and shapes.
 *
 * Global functions registered here: ffi.Array, ffi.ArrayGetItem, ffi.ArraySize, ffi.Map,
 * ffi.MapSize, ffi.MapGetItem, ffi.MapCount, ffi.MapGetItemOrMissing, ffi.MapForwardIterFunctor,
 * ffi.Shape, ffi.GetInvalidObject; the List family (ffi.List, ffi.ListGetItem, ffi.ListSetItem,
 * ffi.ListSize, ffi.ListAppend, ffi.ListInsert, ffi.ListPop, ffi.ListErase, ffi.ListEraseRange,
 * ffi.ListReplaceSlice, ffi.ListClear, ffi.ListReverse) and the Dict family (ffi.Dict,
 * ffi.DictGetItem, ffi.DictGetItemOrMissing, ffi.DictSetItem, ffi.DictErase, ffi.DictCount,
 * ffi.DictSize, ffi.DictClear, ffi.DictForwardIterFunctor).
 *
 * Lists and Dicts are mutated in place (every holder sees the change); the List/Dict functions
 * take the object itself and reject an Array/Map with a TypeError instead of mutating a copy.
 *
 * All of them go through the inline container code of the headers, so the objects they build
 * have exactly the layout any other binary's inline code would build.
 */
#include <tvm/ffi/any.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/dict.h>
#include <tvm/ffi/container/list.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/container/shape.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/reflection/registry.h>

#include <cstdint>
#include <utility>
#include <vector>

namespace tvm {
namespace ffi {
namespace {

/*! \brief A new owning reference to an object we received as a borrowed pointer. */
ObjectPtr<Object> RetainObject(const Object* obj) {
  return details::ObjectUnsafe::ObjectPtrFromUnowned<Object>(const_cast<Object*>(obj));
}

/*!
 * \brief State of ffi.MapForwardIterFunctor / ffi.DictForwardIterFunctor: a forward cursor
 * over one map.
 *
 * Called with one int command: 0 -> current key, 1 -> current value, 2 -> advance and
 * return whether the cursor still points at an entry. A Dict may be mutated in place while
 * the cursor lives; a position that no longer names a live entry then reads as the end.
 */
class MapForwardIterFunctor {
 public:
  explicit MapForwardIterFunctor(ObjectPtr<Object> map)
      : map_(std::move(map)), iter_(Self()->begin()) {}

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
        *ret = Valid();
        return;
      default:
        TVM_FFI_THROW(ValueError) << "MapForwardIterFunctor: unknown command " << command;
    }
  }

 private:
  const MapBaseObj* Self() const { return static_cast<const MapBaseObj*>(map_.get()); }
  bool Valid() const { return iter_ != Self()->end() && Self()->IsLiveIndex(iter_.index()); }
  void CheckValid() const {
    if (!Valid()) {
      TVM_FFI_THROW(IndexError) << "MapForwardIterFunctor: iterator is at the end";
    }
  }

  /*! \brief Keeps the iterated map alive. */
  ObjectPtr<Object> map_;
  MapBaseObj::iterator iter_;
};

/*! \brief The sentinel returned by the *GetItemOrMissing functions for an absent key. */
const ObjectRef& MissingObject() {
  static const ObjectRef* missing = new ObjectRef(make_object<Object>());
  return *missing;
}

/*! \brief Normalise a possibly negative list index (Python style); IndexError when outside. */
int64_t NormalizeListIndex(const ListObj* list, int64_t index) {
  int64_t size = static_cast<int64_t>(list->size());
  int64_t pos = index < 0 ? index + size : index;
  if (pos < 0 || pos >= size) {
    TVM_FFI_THROW(IndexError) << "Index " << index << " out of bounds " << size;
  }
  return pos;
}

/*! \brief Check a slice [start, stop) of a list of the given size. */
void CheckListRange(const ListObj* list, int64_t start, int64_t stop) {
  int64_t size = static_cast<int64_t>(list->size());
  if (start < 0 || stop < start || stop > size) {
    TVM_FFI_THROW(IndexError) << "Slice [" << start << ", " << stop << ") out of bounds " << size;
  }
}

/*! \brief Registers the List family. */
void RegisterListFunctions() {
  namespace refl = ::tvm::ffi::reflection;
  refl::GlobalDef()
      // ffi.List(*args): a List<Any> of the arguments, in order (capacity = count).
      .def_packed("ffi.List",
                  [](PackedArgs args, Any* ret) {
                    *ret = List<Any>(args.data(), args.data() + args.size());
                  })
      .def("ffi.ListGetItem",
           [](const ListObj* list, int64_t index) -> Any { return (*list)[index]; })
      .def("ffi.ListSetItem",
           [](ListObj* list, int64_t index, Any value) { list->SetItem(index, std::move(value)); })
      .def("ffi.ListSize",
           [](const ListObj* list) -> int64_t { return static_cast<int64_t>(list->size()); })
      .def("ffi.ListAppend", [](ListObj* list, Any value) { list->push_back(std::move(value)); })
      // ffi.ListInsert(list, i, v): 0 <= i <= size.
      .def("ffi.ListInsert",
           [](ListObj* list, int64_t index, Any value) { list->Insert(index, std::move(value)); })
      // ffi.ListPop(list, i): remove and return element i (negative counts from the end).
      .def("ffi.ListPop",
           [](ListObj* list, int64_t index) -> Any {
             if (list->empty()) {
               TVM_FFI_THROW(IndexError) << "pop from empty list";
             }
             int64_t pos = NormalizeListIndex(list, index);
             Any value = (*list)[pos];
             list->erase(pos);
             return value;
           })
      .def("ffi.ListErase", [](ListObj* list, int64_t index) { list->erase(index); })
      .def("ffi.ListEraseRange",
           [](ListObj* list, int64_t start, int64_t stop) {
             CheckListRange(list, start, stop);
             list->erase(start, stop);
           })
      // ffi.ListReplaceSlice(list, start, stop, items): list[start:stop] = items.
      .def("ffi.ListReplaceSlice",
           [](ListObj* list, int64_t start, int64_t stop, Array<Any> items) {
             CheckListRange(list, start, stop);
             // items may alias the list (it is a copy when a List was passed)
             std::vector<Any> staged(items.begin(), items.end());
             list->erase(start, stop);
             list->EnsureExtra(static_cast<int64_t>(staged.size()));
             list->SeqBaseObj::insert(start, staged.begin(), staged.end());
           })
      .def("ffi.ListClear", [](ListObj* list) { list->clear(); })
      .def("ffi.ListReverse", [](ListObj* list) { list->Reverse(); });
}

/*! \brief Registers the Dict family. */
void RegisterDictFunctions() {
  namespace refl = ::tvm::ffi::reflection;
  refl::GlobalDef()
      // ffi.Dict(k0, v0, k1, v1, ...): inserted in order, later duplicates overwrite.
      .def_packed("ffi.Dict",
                  [](PackedArgs args, Any* ret) {
                    if (args.size() % 2 != 0) {
                      TVM_FFI_THROW(ValueError) << "ffi.Dict expects key/value pairs, got "
                                                << args.size() << " arguments";
                    }
                    Dict<Any, Any> result;
                    for (int i = 0; i < args.size(); i += 2) {
                      result.Set(Any(args[i]), Any(args[i + 1]));
                    }
                    *ret = std::move(result);
                  })
      .def("ffi.DictGetItem", [](const DictObj* dict, Any key) -> Any { return dict->at(key); })
      .def("ffi.DictGetItemOrMissing",
           [](const DictObj* dict, Any key) -> Any {
             auto it = dict->find(key);
             if (it == dict->end()) return MissingObject();
             return it->second;
           })
      .def("ffi.DictSetItem",
           [](DictObj* dict, Any key, Any value) {
             MapBaseObj::InsertInPlace(MapBaseObj::KVType(std::move(key), std::move(value)), dict);
           })
      .def("ffi.DictErase", [](DictObj* dict, Any key) { dict->erase(key); })
      .def("ffi.DictCount",
           [](const DictObj* dict, Any key) -> int64_t {
             return static_cast<int64_t>(dict->count(key));
           })
      .def("ffi.DictSize",
           [](const DictObj* dict) -> int64_t { return static_cast<int64_t>(dict->size()); })
      .def("ffi.DictClear", [](DictObj* dict) { dict->ClearInPlace(); })
      .def("ffi.DictForwardIterFunctor", [](const DictObj* dict) -> Function {
        return Function::FromPacked(MapForwardIterFunctor(RetainObject(dict)));
      });
}

}  // namespace

TVM_FFI_STATIC_INIT_BLOCK() {
  RegisterListFunctions();
  RegisterDictFunctions();
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
      .def("ffi.MapGetItemOrMissing",
           [](const MapObj* map, Any key) -> Any {
             auto it = map->find(key);
             if (it == map->end()) return MissingObject();
             return it->second;
           })
      // ffi.GetInvalidObject(): the "missing" sentinel of the *GetItemOrMissing functions.
      .def("ffi.GetInvalidObject", []() -> ObjectRef { return MissingObject(); })
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
