/*
 * c_abi_lib.c -- a TVM FFI module written in plain C11 against the C ABI headers alone.
 *
 * Nothing of the C++ runtime headers is used: the only includes are <tvm/ffi/c_api.h> (which
 * brings <dlpack/dlpack.h>) from the `abi/include` directory. Every function is exported by hand
 * as a "safe call" symbol named `__tvm_ffi_<name>`, which is what `load_module` (Python) or
 * `ffi.ModuleLoadFromFile` (C) look up:
 *
 *   int __tvm_ffi_<name>(void* self, const TVMFFIAny* args, int32_t num_args, TVMFFIAny* result);
 *
 * Arguments are borrowed views; the result cell arrives as None and must receive an OWNED value.
 * On failure a function records an error with TVMFFIErrorSetRaisedFromCStr and returns -1.
 *
 * Exports:
 *   add_i64(int, int) -> int            ints (Bool accepted as 0/1, like the C++ headers)
 *   scale_f64(float, float) -> float    floats (Int and Bool accepted)
 *   str_length(str) -> int              a string as a raw C string, a small string or an object
 *   str_greet(str) -> str               returns a new string made with TVMFFIStringFromByteArray
 *   tensor_sum_f32(DLTensor) -> float   a float32 tensor as DLTensor* view or Tensor object
 *   raise_value_error(str)              always fails with a ValueError carrying the message
 *
 * Build (only the abi headers; libtvm_ffi is resolved by the process that loads the library):
 *   cc -std=c11 -O2 -fPIC -shared -I<repo>/abi/include c_abi_lib.c -o libc_abi_lib.so
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <tvm/ffi/c_api.h>

/* ---------------------------------------------------------------------------------------- */
/* Helpers: argument checks and conversions with errors raised through the C API.            */
/* ---------------------------------------------------------------------------------------- */

static int raise_error(const char* kind, const char* message) {
  TVMFFIErrorSetRaisedFromCStr(kind, message);
  return -1;
}

static int check_num_args(const char* fname, int32_t num_args, int32_t expected) {
  char buf[160];
  if (num_args == expected) return 0;
  snprintf(buf, sizeof(buf), "%s expects %d argument(s) but got %d", fname, (int)expected,
           (int)num_args);
  return raise_error("TypeError", buf);
}

static int type_error(const char* fname, int index, const char* expected, int32_t got_index) {
  char buf[200];
  snprintf(buf, sizeof(buf), "%s: argument #%d must be %s (got type index %d)", fname, index,
           expected, (int)got_index);
  return raise_error("TypeError", buf);
}

static int arg_int(const char* fname, const TVMFFIAny* args, int index, int64_t* out) {
  const TVMFFIAny* a = &args[index];
  if (a->type_index == kTVMFFIInt || a->type_index == kTVMFFIBool) {
    *out = a->v_int64;
    return 0;
  }
  return type_error(fname, index, "an int", a->type_index);
}

static int arg_float(const char* fname, const TVMFFIAny* args, int index, double* out) {
  const TVMFFIAny* a = &args[index];
  if (a->type_index == kTVMFFIFloat) {
    *out = a->v_float64;
    return 0;
  }
  if (a->type_index == kTVMFFIInt || a->type_index == kTVMFFIBool) {
    *out = (double)a->v_int64;
    return 0;
  }
  return type_error(fname, index, "a float", a->type_index);
}

/* A string argument in any of its three view forms, as (data, size). */
static int arg_str(const char* fname, const TVMFFIAny* args, int index, TVMFFIByteArray* out) {
  const TVMFFIAny* a = &args[index];
  if (a->type_index == kTVMFFIRawStr) {
    out->data = a->v_c_str;
    out->size = strlen(a->v_c_str);
    return 0;
  }
  if (a->type_index == kTVMFFISmallStr) {
    out->data = a->v_bytes;
    out->size = a->small_str_len;
    return 0;
  }
  if (a->type_index == kTVMFFIStr) {
    /* A string object keeps a TVMFFIByteArray right after its 24-byte header. */
    *out = *(const TVMFFIByteArray*)((const char*)a->v_obj + sizeof(TVMFFIObject));
    return 0;
  }
  return type_error(fname, index, "a str", a->type_index);
}

/* A tensor argument: a borrowed DLTensor* view, or a Tensor object (DLTensor after the header). */
static int arg_tensor(const char* fname, const TVMFFIAny* args, int index, const DLTensor** out) {
  const TVMFFIAny* a = &args[index];
  if (a->type_index == kTVMFFIDLTensorPtr) {
    *out = (const DLTensor*)a->v_ptr;
    return 0;
  }
  if (a->type_index == kTVMFFITensor) {
    *out = (const DLTensor*)((const char*)a->v_obj + sizeof(TVMFFIObject));
    return 0;
  }
  return type_error(fname, index, "a tensor", a->type_index);
}

static void set_int(TVMFFIAny* result, int64_t v) {
  result->type_index = kTVMFFIInt;
  result->zero_padding = 0;
  result->v_int64 = v;
}

static void set_float(TVMFFIAny* result, double v) {
  result->type_index = kTVMFFIFloat;
  result->zero_padding = 0;
  result->v_float64 = v;
}

/* ---------------------------------------------------------------------------------------- */
/* Exported functions                                                                        */
/* ---------------------------------------------------------------------------------------- */

TVM_FFI_DLL_EXPORT int __tvm_ffi_add_i64(void* self, const TVMFFIAny* args, int32_t num_args,
                                         TVMFFIAny* result) {
  int64_t a, b;
  (void)self;
  if (check_num_args("add_i64", num_args, 2) != 0) return -1;
  if (arg_int("add_i64", args, 0, &a) != 0 || arg_int("add_i64", args, 1, &b) != 0) return -1;
  set_int(result, a + b);
  return 0;
}

TVM_FFI_DLL_EXPORT int __tvm_ffi_scale_f64(void* self, const TVMFFIAny* args, int32_t num_args,
                                           TVMFFIAny* result) {
  double x, k;
  (void)self;
  if (check_num_args("scale_f64", num_args, 2) != 0) return -1;
  if (arg_float("scale_f64", args, 0, &x) != 0 || arg_float("scale_f64", args, 1, &k) != 0) {
    return -1;
  }
  set_float(result, x * k);
  return 0;
}

TVM_FFI_DLL_EXPORT int __tvm_ffi_str_length(void* self, const TVMFFIAny* args, int32_t num_args,
                                            TVMFFIAny* result) {
  TVMFFIByteArray s;
  (void)self;
  if (check_num_args("str_length", num_args, 1) != 0) return -1;
  if (arg_str("str_length", args, 0, &s) != 0) return -1;
  set_int(result, (int64_t)s.size);
  return 0;
}

TVM_FFI_DLL_EXPORT int __tvm_ffi_str_greet(void* self, const TVMFFIAny* args, int32_t num_args,
                                           TVMFFIAny* result) {
  static const char prefix[] = "hello, ";
  char buf[256];
  TVMFFIByteArray name, out;
  (void)self;
  if (check_num_args("str_greet", num_args, 1) != 0) return -1;
  if (arg_str("str_greet", args, 0, &name) != 0) return -1;
  if (name.size > sizeof(buf) - sizeof(prefix)) {
    return raise_error("ValueError", "str_greet: name is longer than 248 bytes");
  }
  memcpy(buf, prefix, sizeof(prefix) - 1);
  memcpy(buf + sizeof(prefix) - 1, name.data, name.size);
  out.data = buf;
  out.size = sizeof(prefix) - 1 + name.size;
  /* The runtime builds an owned string (small cell or object) directly into the result. */
  return TVMFFIStringFromByteArray(&out, result);
}

TVM_FFI_DLL_EXPORT int __tvm_ffi_tensor_sum_f32(void* self, const TVMFFIAny* args, int32_t num_args,
                                                TVMFFIAny* result) {
  const DLTensor* t;
  int64_t numel = 1, expected_stride = 1;
  const float* data;
  double sum = 0.0;
  int32_t i;
  int64_t j;
  (void)self;
  if (check_num_args("tensor_sum_f32", num_args, 1) != 0) return -1;
  if (arg_tensor("tensor_sum_f32", args, 0, &t) != 0) return -1;
  if (t->dtype.code != kDLFloat || t->dtype.bits != 32 || t->dtype.lanes != 1) {
    return raise_error("TypeError", "tensor_sum_f32: the tensor must be float32");
  }
  if (t->device.device_type != kDLCPU) {
    return raise_error("ValueError", "tensor_sum_f32: the tensor must be on the CPU");
  }
  for (i = t->ndim - 1; i >= 0; --i) {
    if (t->strides != NULL && t->shape[i] != 1 && t->strides[i] != expected_stride) {
      return raise_error("ValueError", "tensor_sum_f32: the tensor must be contiguous");
    }
    expected_stride *= t->shape[i];
    numel *= t->shape[i];
  }
  data = (const float*)((const char*)t->data + t->byte_offset);
  for (j = 0; j < numel; ++j) sum += data[j];
  set_float(result, sum);
  return 0;
}

TVM_FFI_DLL_EXPORT int __tvm_ffi_raise_value_error(void* self, const TVMFFIAny* args,
                                                   int32_t num_args, TVMFFIAny* result) {
  TVMFFIByteArray msg;
  char buf[256];
  (void)self;
  (void)result;
  if (check_num_args("raise_value_error", num_args, 1) != 0) return -1;
  if (arg_str("raise_value_error", args, 0, &msg) != 0) return -1;
  snprintf(buf, sizeof(buf), "c_abi_lib: %.*s", (int)msg.size, msg.data);
  return raise_error("ValueError", buf);
}
