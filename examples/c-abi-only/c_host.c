/*
 * c_host.c -- a C11 program that drives a TVM FFI runtime through the C API only.
 *
 * It dlopens a `libtvm_ffi.so` given on the command line (ours or any ABI-compatible one, e.g.
 * the one inside the `apache-tvm-ffi` wheel), looks its C functions up with dlsym, and then:
 *   1. prints the runtime version (TVMFFIGetVersion);
 *   2. looks up the global function `ffi.Array`, calls it with packed arguments (int, float,
 *      string, None) and reads the result back with the globals `ffi.ArraySize` and
 *      `ffi.ArrayGetItem`;
 *   3. calls `ffi.ArrayGetItem` out of range and reads the raised error (kind and message) back
 *      with TVMFFIErrorMoveFromRaised;
 *   4. if a module path is given: loads it with the global `ffi.ModuleLoadFromFile`, fetches
 *      `add_i64` and `raise_value_error` through `ffi.ModuleGetFunction`, calls both, and reads the
 *      module's error back.
 * Every reference obtained is released; the program exits 0 only if every check passed.
 *
 * Build (only the abi headers; the runtime is found at run time):
 *   cc -std=c11 -O2 -I<repo>/abi/include c_host.c -o c_host -ldl
 * Run:
 *   ./c_host /path/to/libtvm_ffi.so [/path/to/libc_abi_lib.so]
 */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tvm/ffi/c_api.h>

/* The C functions we use, resolved with dlsym (the header declarations give their types). */
static void (*p_GetVersion)(TVMFFIVersion*);
static int (*p_FunctionGetGlobal)(const TVMFFIByteArray*, TVMFFIObjectHandle*);
static int (*p_FunctionCall)(TVMFFIObjectHandle, TVMFFIAny*, int32_t, TVMFFIAny*);
static void (*p_ErrorMoveFromRaised)(TVMFFIObjectHandle*);
static int (*p_ObjectDecRef)(TVMFFIObjectHandle);

static int g_failures = 0;

#define CHECK(cond, ...)                                             \
  do {                                                               \
    if (!(cond)) {                                                   \
      fprintf(stderr, "CHECK FAILED (%s:%d): ", __FILE__, __LINE__); \
      fprintf(stderr, __VA_ARGS__);                                  \
      fprintf(stderr, "\n");                                         \
      ++g_failures;                                                  \
    }                                                                \
  } while (0)

static void* must_sym(void* lib, const char* name) {
  void* sym = dlsym(lib, name);
  if (sym == NULL) {
    fprintf(stderr, "missing symbol %s: %s\n", name, dlerror());
    exit(2);
  }
  return sym;
}

static TVMFFIAny none_any(void) {
  TVMFFIAny a;
  memset(&a, 0, sizeof(a));
  a.type_index = kTVMFFINone;
  return a;
}

static TVMFFIAny int_any(int64_t v) {
  TVMFFIAny a = none_any();
  a.type_index = kTVMFFIInt;
  a.v_int64 = v;
  return a;
}

static TVMFFIAny float_any(double v) {
  TVMFFIAny a = none_any();
  a.type_index = kTVMFFIFloat;
  a.v_float64 = v;
  return a;
}

static TVMFFIAny cstr_any(const char* s) {
  TVMFFIAny a = none_any();
  a.type_index = kTVMFFIRawStr;
  a.v_c_str = s;
  return a;
}

static TVMFFIAny obj_any(TVMFFIObjectHandle h) {
  TVMFFIAny a = none_any();
  a.type_index = ((TVMFFIObject*)h)->type_index;
  a.v_obj = (TVMFFIObject*)h;
  return a;
}

/* Releases an owned result cell. */
static void release(TVMFFIAny* a) {
  if (a->type_index >= kTVMFFIStaticObjectBegin && a->v_obj != NULL) p_ObjectDecRef(a->v_obj);
  *a = none_any();
}

/* A string value (small cell or string object) as (data, size). */
static TVMFFIByteArray str_of(const TVMFFIAny* a) {
  TVMFFIByteArray out = {NULL, 0};
  if (a->type_index == kTVMFFISmallStr) {
    out.data = a->v_bytes;
    out.size = a->small_str_len;
  } else if (a->type_index == kTVMFFIStr) {
    out = *(const TVMFFIByteArray*)((const char*)a->v_obj + sizeof(TVMFFIObject));
  }
  return out;
}

static TVMFFIObjectHandle get_global(const char* name) {
  TVMFFIByteArray n;
  TVMFFIObjectHandle f = NULL;
  n.data = name;
  n.size = strlen(name);
  if (p_FunctionGetGlobal(&n, &f) != 0 || f == NULL) {
    fprintf(stderr, "global function %s not found\n", name);
    exit(2);
  }
  return f;
}

/* Takes the pending error; checks its kind and that its message contains `needle`. */
static void expect_error(const char* what, const char* kind, const char* needle) {
  TVMFFIObjectHandle err = NULL;
  const TVMFFIErrorCell* cell;
  p_ErrorMoveFromRaised(&err);
  CHECK(err != NULL, "%s: no error was raised", what);
  if (err == NULL) return;
  CHECK(((TVMFFIObject*)err)->type_index == kTVMFFIError, "%s: not an Error object", what);
  cell = (const TVMFFIErrorCell*)((const char*)err + sizeof(TVMFFIObject));
  printf("%s -> %.*s: %.*s\n", what, (int)cell->kind.size, cell->kind.data, (int)cell->message.size,
         cell->message.data);
  CHECK(cell->kind.size == strlen(kind) && memcmp(cell->kind.data, kind, cell->kind.size) == 0,
        "%s: kind %.*s != %s", what, (int)cell->kind.size, cell->kind.data, kind);
  {
    /* the message bytes are not necessarily NUL-terminated: copy before strstr */
    char buf[512];
    size_t n = cell->message.size < sizeof(buf) - 1 ? cell->message.size : sizeof(buf) - 1;
    memcpy(buf, cell->message.data, n);
    buf[n] = '\0';
    CHECK(strstr(buf, needle) != NULL, "%s: message lacks '%s'", what, needle);
  }
  p_ObjectDecRef(err);
}

static void check_array(void) {
  TVMFFIObjectHandle f_array = get_global("ffi.Array");
  TVMFFIObjectHandle f_size = get_global("ffi.ArraySize");
  TVMFFIObjectHandle f_item = get_global("ffi.ArrayGetItem");
  TVMFFIAny args[4];
  TVMFFIAny arr = none_any(), out = none_any();
  TVMFFIAny q[2];
  TVMFFIByteArray s;

  args[0] = int_any(42);
  args[1] = float_any(2.5);
  args[2] = cstr_any("a string longer than seven bytes");
  args[3] = none_any();
  CHECK(p_FunctionCall(f_array, args, 4, &arr) == 0, "ffi.Array failed");
  CHECK(arr.type_index == kTVMFFIArray, "ffi.Array returned type index %d", arr.type_index);

  q[0] = obj_any(arr.v_obj);
  CHECK(p_FunctionCall(f_size, q, 1, &out) == 0, "ffi.ArraySize failed");
  CHECK(out.type_index == kTVMFFIInt && out.v_int64 == 4, "size is not 4");
  printf("ffi.Array(42, 2.5, <str>, None) has %lld items\n", (long long)out.v_int64);
  release(&out);

  q[1] = int_any(0);
  CHECK(p_FunctionCall(f_item, q, 2, &out) == 0, "ffi.ArrayGetItem(0) failed");
  CHECK(out.type_index == kTVMFFIInt && out.v_int64 == 42, "item 0 is not 42");
  release(&out);
  q[1] = int_any(1);
  CHECK(p_FunctionCall(f_item, q, 2, &out) == 0, "ffi.ArrayGetItem(1) failed");
  CHECK(out.type_index == kTVMFFIFloat && out.v_float64 == 2.5, "item 1 is not 2.5");
  release(&out);
  q[1] = int_any(2);
  CHECK(p_FunctionCall(f_item, q, 2, &out) == 0, "ffi.ArrayGetItem(2) failed");
  s = str_of(&out);
  CHECK(out.type_index == kTVMFFIStr && s.size == 32 &&
            memcmp(s.data, "a string longer than seven bytes", 32) == 0,
        "item 2 is not the string");
  release(&out);
  q[1] = int_any(3);
  CHECK(p_FunctionCall(f_item, q, 2, &out) == 0, "ffi.ArrayGetItem(3) failed");
  CHECK(out.type_index == kTVMFFINone, "item 3 is not None");
  release(&out);

  /* Out of range: the call fails and the error is read back. */
  q[1] = int_any(10);
  CHECK(p_FunctionCall(f_item, q, 2, &out) == -1, "ffi.ArrayGetItem(10) did not fail");
  expect_error("ffi.ArrayGetItem(arr, 10)", "IndexError", "10");

  release(&arr);
  p_ObjectDecRef(f_array);
  p_ObjectDecRef(f_size);
  p_ObjectDecRef(f_item);
}

static void check_module(const char* path) {
  TVMFFIObjectHandle f_load = get_global("ffi.ModuleLoadFromFile");
  TVMFFIObjectHandle f_getfn = get_global("ffi.ModuleGetFunction");
  TVMFFIAny args[3], mod = none_any(), fn = none_any(), out = none_any();

  args[0] = cstr_any(path);
  CHECK(p_FunctionCall(f_load, args, 1, &mod) == 0, "ffi.ModuleLoadFromFile(%s) failed", path);
  if (mod.type_index != kTVMFFIModule) {
    fprintf(stderr, "not a module (type index %d)\n", mod.type_index);
    exit(1);
  }

  args[0] = obj_any(mod.v_obj);
  args[1] = cstr_any("add_i64");
  args[2] = int_any(0); /* query_imports = false */
  args[2].type_index = kTVMFFIBool;
  CHECK(p_FunctionCall(f_getfn, args, 3, &fn) == 0 && fn.type_index == kTVMFFIFunction,
        "add_i64 not found in the module");
  if (fn.type_index == kTVMFFIFunction) {
    TVMFFIAny xy[2];
    xy[0] = int_any(40);
    xy[1] = int_any(2);
    CHECK(p_FunctionCall(fn.v_obj, xy, 2, &out) == 0, "add_i64 failed");
    CHECK(out.type_index == kTVMFFIInt && out.v_int64 == 42, "add_i64(40, 2) != 42");
    printf("module add_i64(40, 2) = %lld\n", (long long)out.v_int64);
    release(&out);
  }
  release(&fn);

  args[1] = cstr_any("raise_value_error");
  CHECK(p_FunctionCall(f_getfn, args, 3, &fn) == 0 && fn.type_index == kTVMFFIFunction,
        "raise_value_error not found in the module");
  if (fn.type_index == kTVMFFIFunction) {
    TVMFFIAny msg = cstr_any("from the C host");
    CHECK(p_FunctionCall(fn.v_obj, &msg, 1, &out) == -1, "raise_value_error did not fail");
    expect_error("module raise_value_error", "ValueError", "c_abi_lib: from the C host");
  }
  release(&fn);
  release(&mod);
  p_ObjectDecRef(f_load);
  p_ObjectDecRef(f_getfn);
}

int main(int argc, char** argv) {
  void* lib;
  TVMFFIVersion version;
  if (argc < 2) {
    fprintf(stderr, "usage: %s /path/to/libtvm_ffi.so [/path/to/module.so]\n", argv[0]);
    return 2;
  }
  lib = dlopen(argv[1], RTLD_NOW | RTLD_GLOBAL);
  if (lib == NULL) {
    fprintf(stderr, "dlopen(%s) failed: %s\n", argv[1], dlerror());
    return 2;
  }
  /* Function pointers from dlsym: POSIX guarantees the object-to-function conversion. */
  *(void**)&p_GetVersion = must_sym(lib, "TVMFFIGetVersion");
  *(void**)&p_FunctionGetGlobal = must_sym(lib, "TVMFFIFunctionGetGlobal");
  *(void**)&p_FunctionCall = must_sym(lib, "TVMFFIFunctionCall");
  *(void**)&p_ErrorMoveFromRaised = must_sym(lib, "TVMFFIErrorMoveFromRaised");
  *(void**)&p_ObjectDecRef = must_sym(lib, "TVMFFIObjectDecRef");

  p_GetVersion(&version);
  printf("runtime %s: TVM FFI C ABI %u.%u.%u\n", argv[1], version.major, version.minor,
         version.patch);
  CHECK(version.major == 0 && version.minor == 1, "not a 0.1.x runtime");

  check_array();
  if (argc >= 3) check_module(argv[2]);

  if (g_failures != 0) {
    fprintf(stderr, "%d check(s) failed\n", g_failures);
    return 1;
  }
  printf("all checks passed\n");
  return 0;
}
