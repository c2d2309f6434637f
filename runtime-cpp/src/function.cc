/*!
 * \file function.cc
 * \brief Function objects created from C callbacks, the global function registry and the
 *        registry helper globals (ffi.FunctionRemoveGlobal, ...).
 *
 * C functions implemented here: TVMFFIFunctionCreate, TVMFFIFunctionGetGlobal,
 * TVMFFIFunctionSetGlobal, TVMFFIFunctionSetGlobalFromMethodInfo, TVMFFIFunctionCall.
 *
 * Global functions registered here: ffi.FunctionRemoveGlobal,
 * ffi.FunctionListGlobalNamesFunctor, ffi.String, ffi.Bytes, ffi.GetGlobalFuncMetadata,
 * ffi.GetGlobalFuncDoc.
 */
#include <tvm/ffi/any.h>
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/reflection/registry.h>
#include <tvm/ffi/string.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "function_internal.h"
#include "object_internal.h"
#include "runtime_base.h"

namespace tvm {
namespace ffi {
namespace runtime {
namespace {

/*! \brief One registered global function plus its method-info record. */
struct GlobalEntry {
  ObjectPtr<Object> func;
  std::string doc;
  std::string metadata;
  int64_t flags = kTVMFFIFieldFlagBitMaskIsStaticMethod;
};

/*! \brief Name -> function table. Leaked on purpose (functions may outlive static dtors). */
class GlobalRegistry {
 public:
  static GlobalRegistry* Global() {
    static GlobalRegistry* registry = new GlobalRegistry();
    return registry;
  }

  /*! \brief Register or override; returns false (and changes nothing) on a conflict. */
  bool Set(const std::string& name, ObjectPtr<Object> func, std::string doc, std::string metadata,
           int64_t flags, bool allow_override) {
    ObjectPtr<Object> replaced;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = entries_.find(name);
      if (it != entries_.end()) {
        if (!allow_override) return false;
        replaced = std::move(it->second.func);
      } else {
        it = entries_.emplace(name, GlobalEntry()).first;
        names_.push_back(name);
      }
      it->second.func = std::move(func);
      it->second.doc = std::move(doc);
      it->second.metadata = std::move(metadata);
      it->second.flags = flags;
    }
    // `replaced` is released outside the lock: its deleter may call back into the registry.
    return true;
  }

  ObjectPtr<Object> Get(const std::string& name) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(name);
    if (it == entries_.end()) return ObjectPtr<Object>(nullptr);
    return it->second.func;
  }

  bool GetMetadata(const std::string& name, std::string* metadata) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(name);
    if (it == entries_.end()) return false;
    *metadata = it->second.metadata;
    return true;
  }

  bool GetDoc(const std::string& name, std::string* doc) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(name);
    if (it == entries_.end()) return false;
    *doc = it->second.doc;
    return true;
  }

  bool Remove(const std::string& name) {
    ObjectPtr<Object> removed;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = entries_.find(name);
      if (it == entries_.end()) return false;
      removed = std::move(it->second.func);
      entries_.erase(it);
      for (auto nit = names_.begin(); nit != names_.end(); ++nit) {
        if (*nit == name) {
          names_.erase(nit);
          break;
        }
      }
    }
    return true;
  }

  /*! \brief Registered names in registration order. */
  std::vector<std::string> ListNames() {
    std::lock_guard<std::mutex> lock(mutex_);
    return names_;
  }

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, GlobalEntry> entries_;
  std::vector<std::string> names_;
};

ObjectPtr<Object> FunctionFromHandle(TVMFFIObjectHandle f, const char* context) {
  if (f == nullptr) {
    TVM_FFI_THROW(TypeError) << context << ": expected a Function, but got None";
  }
  int32_t type_index = TVMFFIObjectGetTypeIndex(f);
  if (type_index != kTVMFFIFunction) {
    TVM_FFI_THROW(TypeError) << context << ": expected a Function, but got `"
                             << TypeKeyOf(type_index) << "`";
  }
  return details::ObjectUnsafe::ObjectPtrFromUnowned<Object>(static_cast<TVMFFIObject*>(f));
}

}  // namespace

bool RemoveGlobalFunction(const std::string& name) {
  return GlobalRegistry::Global()->Remove(name);
}

std::vector<std::string> ListGlobalFunctionNames() { return GlobalRegistry::Global()->ListNames(); }

bool GetGlobalFunctionMetadata(const std::string& name, std::string* metadata) {
  return GlobalRegistry::Global()->GetMetadata(name, metadata);
}

bool GetGlobalFunctionDoc(const std::string& name, std::string* doc) {
  return GlobalRegistry::Global()->GetDoc(name, doc);
}

}  // namespace runtime
}  // namespace ffi
}  // namespace tvm

using tvm::ffi::runtime::GlobalRegistry;

int TVMFFIFunctionCreate(void* self, TVMFFISafeCallType safe_call, void (*deleter)(void* self),
                         TVMFFIObjectHandle* out) {
  TVM_FFI_SAFE_CALL_BEGIN();
  using namespace tvm::ffi;
  // self == NULL && deleter == NULL: safe_call is installed as is and receives the function
  // handle; otherwise a forwarding safe_call passes `self` and the deleter runs on destruction.
  // cpp_call stays NULL in both cases.
  Function func = Function::FromExternC(self, safe_call, deleter);
  *out = details::ObjectUnsafe::MoveObjectRefToTVMFFIObjectPtr(std::move(func));
  TVM_FFI_SAFE_CALL_END();
}

int TVMFFIFunctionGetGlobal(const TVMFFIByteArray* name, TVMFFIObjectHandle* out) {
  TVM_FFI_SAFE_CALL_BEGIN();
  using namespace tvm::ffi;
  ObjectPtr<Object> func = GlobalRegistry::Global()->Get(std::string(runtime::ToStringView(name)));
  *out = details::ObjectUnsafe::MoveObjectPtrToTVMFFIObjectPtr(std::move(func));
  TVM_FFI_SAFE_CALL_END();
}

int TVMFFIFunctionSetGlobal(const TVMFFIByteArray* name, TVMFFIObjectHandle f, int allow_override) {
  TVM_FFI_SAFE_CALL_BEGIN();
  using namespace tvm::ffi;
  std::string name_str(runtime::ToStringView(name));
  ObjectPtr<Object> func = runtime::FunctionFromHandle(f, "TVMFFIFunctionSetGlobal");
  if (!GlobalRegistry::Global()->Set(name_str, std::move(func), std::string(), std::string(),
                                     kTVMFFIFieldFlagBitMaskIsStaticMethod, allow_override != 0)) {
    TVM_FFI_THROW(RuntimeError) << "Global Function `" << name_str << "` is already registered";
  }
  TVM_FFI_SAFE_CALL_END();
}

int TVMFFIFunctionSetGlobalFromMethodInfo(const TVMFFIMethodInfo* method_info, int allow_override) {
  TVM_FFI_SAFE_CALL_BEGIN();
  using namespace tvm::ffi;
  std::string name_str(runtime::ToStringView(&method_info->name));
  const TVMFFIAny& method = method_info->method;
  if (method.type_index != kTVMFFIFunction) {
    TVM_FFI_THROW(TypeError) << "TVMFFIFunctionSetGlobalFromMethodInfo: the method of `" << name_str
                             << "` must be a Function, but got `"
                             << runtime::TypeKeyOf(method.type_index) << "`";
  }
  ObjectPtr<Object> func =
      runtime::FunctionFromHandle(method.v_obj, "TVMFFIFunctionSetGlobalFromMethodInfo");
  if (!GlobalRegistry::Global()->Set(name_str, std::move(func),
                                     std::string(runtime::ToStringView(&method_info->doc)),
                                     std::string(runtime::ToStringView(&method_info->metadata)),
                                     method_info->flags, allow_override != 0)) {
    TVM_FFI_LOG_AND_THROW(RuntimeError)
        << "Global Function `" << name_str << "` is already registered, possible causes:\n"
        << "- the same function is registered twice (e.g. in two static init blocks)\n"
        << "- a library that registers it was loaded twice\n"
        << "- the registration is meant to replace the old one: pass allow_override";
  }
  TVM_FFI_SAFE_CALL_END();
}

int TVMFFIFunctionCall(TVMFFIObjectHandle func, TVMFFIAny* args, int32_t num_args,
                       TVMFFIAny* result) {
  TVMFFIFunctionCell* cell = TVMFFIFunctionGetCellPtr(func);
  return cell->safe_call(func, args, num_args, result);
}

// -------------------------------------------------------------------------------------------
// Registry helper globals
// -------------------------------------------------------------------------------------------
namespace tvm {
namespace ffi {
namespace runtime {
namespace {

std::string ToStdString(const String& value) { return std::string(value.data(), value.size()); }

/*! \brief ffi.FunctionListGlobalNamesFunctor: snapshot the names, return f(i). */
Function MakeListGlobalNamesFunctor() {
  auto names = std::make_shared<std::vector<std::string>>(ListGlobalFunctionNames());
  return Function::FromTyped([names](int64_t index) -> Any {
    if (index < 0) return Any(static_cast<int64_t>(names->size()));
    if (static_cast<size_t>(index) >= names->size()) {
      TVM_FFI_THROW(IndexError) << "Index " << index << " out of bounds " << names->size();
    }
    const std::string& name = (*names)[static_cast<size_t>(index)];
    return Any(String(name.data(), name.size()));
  });
}

/*! \brief ffi.GetGlobalFuncMetadata: metadata JSON ("" for plain entries). */
String GetGlobalFuncMetadata(const String& name) {
  std::string metadata;
  if (!GetGlobalFunctionMetadata(ToStdString(name), &metadata)) {
    TVM_FFI_THROW(RuntimeError) << "Global Function is not found: " << ToStdString(name);
  }
  return String(metadata.data(), metadata.size());
}

/*!
 * \brief ffi.GetGlobalFuncDoc: the docstring given at registration ("" when none).
 *        An extension over 0.1.0 (which registers no such global), used by Python's
 *        `registry.get_global_func_doc`.
 */
String GetGlobalFuncDoc(const String& name) {
  std::string doc;
  if (!GetGlobalFunctionDoc(ToStdString(name), &doc)) {
    TVM_FFI_THROW(RuntimeError) << "Global Function is not found: " << ToStdString(name);
  }
  return String(doc.data(), doc.size());
}

}  // namespace

TVM_FFI_STATIC_INIT_BLOCK() {
  // Registered through the reflection GlobalDef path so that each entry carries metadata
  // with its type_schema.
  reflection::GlobalDef()
      .def("ffi.FunctionRemoveGlobal",
           [](String name) -> bool { return RemoveGlobalFunction(ToStdString(name)); })
      .def("ffi.FunctionListGlobalNamesFunctor", MakeListGlobalNamesFunctor)
      .def("ffi.String", [](String value) -> String { return value; })
      .def("ffi.Bytes", [](Bytes value) -> Bytes { return value; })
      .def("ffi.GetGlobalFuncMetadata",
           [](String name) -> String { return GetGlobalFuncMetadata(name); })
      .def("ffi.GetGlobalFuncDoc", [](String name) -> String { return GetGlobalFuncDoc(name); });
}

}  // namespace runtime
}  // namespace ffi
}  // namespace tvm
