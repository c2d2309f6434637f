/*!
 * \file string_internal.h
 * \brief Private string/bytes construction and view-to-owned conversion helpers.
 */
#ifndef TVM_FFI_RUNTIME_SRC_STRING_INTERNAL_H_
#define TVM_FFI_RUNTIME_SRC_STRING_INTERNAL_H_

#include <tvm/ffi/c_api.h>

#include <cstddef>

namespace tvm {
namespace ffi {
namespace runtime {

/*!
 * \brief Write an owning String (is_bytes == false) or Bytes cell holding a copy of
 *        data[0..size): small inline form when size <= 7, else a heap object whose content is
 *        stored inline after the object (offset 40) and NUL-terminated. Throws on failure.
 */
void MakeStrOrBytesAny(const char* data, size_t size, bool is_bytes, TVMFFIAny* out);

/*!
 * \brief Always write a heap String/Bytes object (content inline at offset 40), even for
 *        short content. Throws on failure.
 */
void MakeStrOrBytesObjectAny(const char* data, size_t size, bool is_bytes, TVMFFIAny* out);

/*!
 * \brief Convert a view into an owning cell (objects IncRef'd, RawStr/ByteArrayPtr
 *        materialised, RValueRef moved out of its slot). `out` is treated as empty.
 *        Throws tvm::ffi::Error on failure.
 */
void AnyViewToOwned(const TVMFFIAny* view, TVMFFIAny* out);

}  // namespace runtime
}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_RUNTIME_SRC_STRING_INTERNAL_H_
