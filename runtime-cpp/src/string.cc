/*!
 * \file string.cc
 * \brief String / Bytes creation and view-to-owned conversion.
 *
 * C functions implemented here: TVMFFIStringFromByteArray, TVMFFIBytesFromByteArray,
 * TVMFFIAnyViewToOwnedAny.
 */
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/string.h>

#include <cstring>

#include "runtime_base.h"
#include "string_internal.h"

namespace tvm {
namespace ffi {
namespace runtime {
namespace {

constexpr size_t kMaxSmallStrLen = 7;

template <typename TObj>
TVMFFIObject* NewInplaceObject(const char* data, size_t size) {
  ObjectPtr<TObj> ptr = make_inplace_array_object<TObj, char>(size + 1);
  char* dest = reinterpret_cast<char*>(ptr.get()) + sizeof(TObj);
  if (size != 0) std::memcpy(dest, data, size);
  dest[size] = '\0';
  ptr->data = dest;
  ptr->size = size;
  return details::ObjectUnsafe::MoveObjectPtrToTVMFFIObjectPtr(std::move(ptr));
}

static_assert(sizeof(StringObj) == 40 && sizeof(BytesObj) == 40,
              "runtime strings keep their content at object + 40");

}  // namespace

void MakeStrOrBytesObjectAny(const char* data, size_t size, bool is_bytes, TVMFFIAny* out) {
  TVMFFIObject* obj =
      is_bytes ? NewInplaceObject<BytesObj>(data, size) : NewInplaceObject<StringObj>(data, size);
  out->type_index = is_bytes ? kTVMFFIBytes : kTVMFFIStr;
  out->zero_padding = 0;
  out->v_obj = obj;
}

void MakeStrOrBytesAny(const char* data, size_t size, bool is_bytes, TVMFFIAny* out) {
  if (size <= kMaxSmallStrLen) {
    out->type_index = is_bytes ? kTVMFFISmallBytes : kTVMFFISmallStr;
    out->small_str_len = static_cast<uint32_t>(size);
    out->v_uint64 = 0;
    if (size != 0) std::memcpy(out->v_bytes, data, size);
    out->v_bytes[size] = '\0';
    return;
  }
  MakeStrOrBytesObjectAny(data, size, is_bytes, out);
}

void AnyViewToOwned(const TVMFFIAny* view, TVMFFIAny* out) {
  const int32_t type_index = view->type_index;
  if (type_index >= kTVMFFIStaticObjectBegin) {
    TVMFFIObjectIncRef(view->v_obj);
    *out = *view;
    return;
  }
  switch (type_index) {
    case kTVMFFIRawStr: {
      const char* str = view->v_c_str;
      MakeStrOrBytesAny(str, str == nullptr ? 0 : std::strlen(str), false, out);
      return;
    }
    case kTVMFFIByteArrayPtr: {
      const TVMFFIByteArray* arr = static_cast<const TVMFFIByteArray*>(view->v_ptr);
      if (arr == nullptr) {
        MakeStrOrBytesAny(nullptr, 0, true, out);
      } else {
        MakeStrOrBytesAny(arr->data, arr->size, true, out);
      }
      return;
    }
    case kTVMFFIObjectRValueRef: {
      TVMFFIObject** slot = static_cast<TVMFFIObject**>(view->v_ptr);
      if (slot == nullptr || *slot == nullptr) {
        TVM_FFI_THROW(InternalError) << "RValueRef already moved";
      }
      TVMFFIObject* obj = *slot;
      *slot = nullptr;
      out->type_index = obj->type_index;
      out->zero_padding = 0;
      out->v_obj = obj;
      return;
    }
    default:
      *out = *view;
      return;
  }
}

}  // namespace runtime
}  // namespace ffi
}  // namespace tvm

int TVMFFIStringFromByteArray(const TVMFFIByteArray* input, TVMFFIAny* out) {
  out->type_index = kTVMFFINone;
  TVM_FFI_SAFE_CALL_BEGIN();
  tvm::ffi::runtime::MakeStrOrBytesAny(input->data, input->size, false, out);
  TVM_FFI_SAFE_CALL_END();
}

int TVMFFIBytesFromByteArray(const TVMFFIByteArray* input, TVMFFIAny* out) {
  out->type_index = kTVMFFINone;
  TVM_FFI_SAFE_CALL_BEGIN();
  tvm::ffi::runtime::MakeStrOrBytesAny(input->data, input->size, true, out);
  TVM_FFI_SAFE_CALL_END();
}

int TVMFFIAnyViewToOwnedAny(const TVMFFIAny* any_view, TVMFFIAny* out) {
  TVM_FFI_SAFE_CALL_BEGIN();
  tvm::ffi::runtime::AnyViewToOwned(any_view, out);
  TVM_FFI_SAFE_CALL_END();
}
