/*!
 * \file reflection_extra.cc
 * \brief Reflection helpers exposed as global functions: `ffi.MakeObjectFromPackedArgs`.
 */
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/reflection/accessor.h>
#include <tvm/ffi/reflection/creator.h>
#include <tvm/ffi/reflection/registry.h>
#include <tvm/ffi/string.h>

#include <string>

#include "object_internal.h"

namespace tvm {
namespace ffi {
namespace runtime {
namespace {

/*!
 * \brief Resolve the first argument of MakeObjectFromPackedArgs: a type index (checked to be
 *        registered, so that a bad index is an error instead of a fatal lookup) or a type key.
 */
int32_t ResolveTypeIndex(const AnyView& type) {
  if (type.type_index() == kTVMFFIInt) {
    int64_t index = type.cast<int64_t>();
    if (index >= 0 && index <= INT32_MAX) {
      // A registered index maps to a key that maps back to the same index.
      std::string key = TypeKeyOf(static_cast<int32_t>(index));
      TVMFFIByteArray key_arr{key.data(), key.size()};
      int32_t round_trip = -1;
      if (TVMFFITypeKeyToIndex(&key_arr, &round_trip) == 0 && round_trip == index) {
        return round_trip;
      }
      // Drop the lookup error recorded by the failed probe.
      TVMFFIObjectHandle ignored = nullptr;
      TVMFFIErrorMoveFromRaised(&ignored);
      if (ignored != nullptr) TVMFFIObjectDecRef(ignored);
    }
    TVM_FFI_THROW(ValueError) << "Cannot find type info for type_index=" << index;
  }
  std::optional<String> key = type.try_cast<String>();
  if (!key.has_value()) {
    TVM_FFI_THROW(TypeError) << "ffi.MakeObjectFromPackedArgs expects a type index (int) or a "
                                "type key (str) as first argument, but got `"
                             << type.GetTypeKey() << "`";
  }
  return TypeKeyToIndex(std::string_view(key->data(), key->size()));
}

void MakeObjectFromPackedArgs(PackedArgs args, Any* rv) {
  TVM_FFI_ICHECK(args.size() % 2 == 1)
      << "ffi.MakeObjectFromPackedArgs expects the type followed by key/value pairs, but got "
      << args.size() << " arguments";
  int32_t type_index = ResolveTypeIndex(args[0]);
  reflection::ObjectCreator creator(TVMFFIGetTypeInfo(type_index));
  Map<String, Any> fields;
  for (int i = 1; i < args.size(); i += 2) {
    std::optional<String> name = args[i].try_cast<String>();
    if (!name.has_value()) {
      TVM_FFI_THROW(TypeError) << "ffi.MakeObjectFromPackedArgs expects field names (str) at odd "
                                  "positions, but argument #"
                               << i << " is `" << args[i].GetTypeKey() << "`";
    }
    fields.Set(*name, Any(args[i + 1]));
  }
  *rv = creator(fields);
}

}  // namespace

TVM_FFI_STATIC_INIT_BLOCK() {
  reflection::GlobalDef().def_packed("ffi.MakeObjectFromPackedArgs", MakeObjectFromPackedArgs);
}

}  // namespace runtime
}  // namespace ffi
}  // namespace tvm
