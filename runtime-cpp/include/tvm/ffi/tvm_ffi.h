/*!
 * \file tvm/ffi/tvm_ffi.h
 * \brief Umbrella header: the whole core C++ API in one include.
 *
 * Brings Any/AnyView, objects, strings, errors and the check macros, Optional, Variant, Tuple,
 * Array, Map (and the mutable List/Dict containers where this installation has them), Shape,
 * Tensor, dtypes, Expected, Function and the reflection registry. Not included (include them
 * where needed): `tvm/ffi/extra/**` (Module, JSON, serialization, structural equality/hash,
 * STL conversions) and `tvm/ffi/big_int.h`.
 */
#ifndef TVM_FFI_TVM_FFI_H_
#define TVM_FFI_TVM_FFI_H_

#include <tvm/ffi/any.h>
#include <tvm/ffi/base_details.h>
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/cast.h>
#include <tvm/ffi/check.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/container/shape.h>
#include <tvm/ffi/container/tensor.h>
#include <tvm/ffi/container/tuple.h>
#include <tvm/ffi/container/variant.h>
#include <tvm/ffi/dtype.h>
#include <tvm/ffi/endian.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/expected.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/memory.h>
#include <tvm/ffi/object.h>
#include <tvm/ffi/optional.h>
#include <tvm/ffi/reflection/access_path.h>
#include <tvm/ffi/reflection/accessor.h>
#include <tvm/ffi/reflection/creator.h>
#include <tvm/ffi/reflection/registry.h>
#include <tvm/ffi/rvalue_ref.h>
#include <tvm/ffi/string.h>
#include <tvm/ffi/type_traits.h>

// Headers that arrive with newer parts of the API.
#if __has_include(<tvm/ffi/container/list.h>)
#include <tvm/ffi/container/list.h>
#endif
#if __has_include(<tvm/ffi/container/dict.h>)
#include <tvm/ffi/container/dict.h>
#endif
#if __has_include(<tvm/ffi/device.h>)
#include <tvm/ffi/device.h>
#endif
#if __has_include(<tvm/ffi/enum.h>)
#include <tvm/ffi/enum.h>
#endif

#endif  // TVM_FFI_TVM_FFI_H_
