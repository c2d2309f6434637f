/*!
 * \file tvm/ffi/extra/repr_print.h
 * \brief ReprPrint: a Python-like text form of any FFI value.
 */
#ifndef TVM_FFI_EXTRA_REPR_PRINT_H_
#define TVM_FFI_EXTRA_REPR_PRINT_H_

#include <tvm/ffi/any.h>
#include <tvm/ffi/extra/base.h>
#include <tvm/ffi/string.h>

namespace tvm {
namespace ffi {

/*!
 * \brief Text form of a value.
 *
 * None, True/False, ints and floats as Python prints them; DataType as its string (`float32`);
 * Device as `cuda:0`; strings double-quoted with Python escapes; bytes as `b"..."` (printable
 * ASCII except `"` and `\` kept, everything else `\xNN`); Array as `(a, b)` (`(x,)` for one
 * element); List as `[a, b]`; Map and Dict as `{k: v}`; Shape as `Shape(2, 3)`; Tensor as
 * `float32[2, 3]@cpu:0`; BigInt in decimal; other objects as `type_key(field=value, ...)` over
 * the reflected fields without kTVMFFIFieldFlagBitMaskReprOff, or the bare type key when there
 * are none. A container or object met again inside itself prints as `...`.
 */
TVM_FFI_EXTRA_CXX_API String ReprPrint(const Any& value);

}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_EXTRA_REPR_PRINT_H_
