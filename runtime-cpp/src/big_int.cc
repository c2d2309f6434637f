/*!
 * \file big_int.cc
 * \brief Integers beyond int64 through the C ABI.
 *
 * C functions implemented here: TVMFFIBigIntFromByteArray, TVMFFIBigIntGetContentByteArray.
 */
#include <tvm/ffi/big_int.h>
#include <tvm/ffi/c_api.h>

#include <cstring>
#include <utility>

#include "runtime_base.h"

int TVMFFIBigIntFromByteArray(const TVMFFIByteArray* input, TVMFFIAny* out) {
  out->type_index = kTVMFFINone;
  out->zero_padding = 0;
  out->v_int64 = 0;
  TVM_FFI_SAFE_CALL_BEGIN();
  if (input->size % 8 != 0) {
    TVM_FFI_THROW(ValueError) << "BigInt content must contain whole 64-bit words";
  }
  tvm::ffi::BigInt::Words words(input->size / 8);
  if (!words.empty()) std::memcpy(words.data(), input->data, input->size);
  tvm::ffi::BigInt value = tvm::ffi::BigInt::FromWords(std::move(words));
  *out = tvm::ffi::details::AnyUnsafe::MoveAnyToTVMFFIAny(tvm::ffi::Any(value.AsAny()));
  TVM_FFI_SAFE_CALL_END();
}

TVMFFIByteArray TVMFFIBigIntGetContentByteArray(const TVMFFIAny* value) {
  if (value->type_index == kTVMFFIInt) {
    return TVMFFIByteArray{reinterpret_cast<const char*>(&value->v_int64), sizeof(int64_t)};
  }
  if (value->type_index == kTVMFFIBigInt && value->v_obj != nullptr) {
    const auto* obj = reinterpret_cast<const tvm::ffi::details::BigIntObj*>(value->v_obj);
    return TVMFFIByteArray{reinterpret_cast<const char*>(obj->words()),
                           obj->num_words() * sizeof(int64_t)};
  }
  return TVMFFIByteArray{nullptr, 0};
}
