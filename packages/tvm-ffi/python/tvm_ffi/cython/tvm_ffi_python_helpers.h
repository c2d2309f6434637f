/*
 * tvm_ffi_python_helpers.h -- small C helpers used by the Cython extension tvm_ffi.core.
 *
 * Cython cannot express a few CPython details directly (the vectorcall slot of a type, the
 * argument-count macro of vectorcall, offsetof on its own object structs); they live here as
 * static inline functions so that they compile into the extension itself.
 */
#ifndef TVM_FFI_PYTHON_HELPERS_H_
#define TVM_FFI_PYTHON_HELPERS_H_

#include <Python.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/extra/c_env_api.h>

#ifdef __cplusplus
extern "C" {
#endif

/*! \brief Signature of a vectorcall entry (PEP 590). */
typedef PyObject* (*TVMFFIPyVectorcallFunc)(PyObject* callable, PyObject* const* args,
                                            size_t nargsf, PyObject* kwnames);

/*!
 * \brief Turn on the vectorcall protocol for a (static, Cython-generated) type whose instances
 *        keep a vectorcall function pointer at byte `offset`.
 *
 * Must run right after the type is readied and before any instance or subclass exists.
 * Subclasses created in Python keep using tp_call (CPython does not inherit the flag into
 * mutable heap types before 3.12), which is also correct, just slower.
 */
static inline void TVMFFIPyTypeEnableVectorcall(PyTypeObject* tp, Py_ssize_t offset) {
  tp->tp_vectorcall_offset = offset;
  tp->tp_flags |= Py_TPFLAGS_HAVE_VECTORCALL;
  PyType_Modified(tp);
}

/*! \brief Number of positional arguments of a vectorcall. */
static inline Py_ssize_t TVMFFIPyVectorcallNArgs(size_t nargsf) {
  return PyVectorcall_NARGS(nargsf);
}

/*! \brief Byte distance between an object and one of its members. */
static inline Py_ssize_t TVMFFIPyOffsetOf(void* obj, void* member) {
  return (Py_ssize_t)((char*)member - (char*)obj);
}

/*! \brief Write a small (<= 7 bytes) string or bytes payload inline into an Any cell. */
static inline void TVMFFIPySetSmallBytes(TVMFFIAny* out, int32_t type_index, const char* data,
                                         size_t size) {
  out->type_index = type_index;
  out->small_str_len = (uint32_t)size;
  out->v_uint64 = 0;
  if (size != 0) memcpy(out->v_bytes, data, size);
}

/*! \brief Type index stored in an object header. */
static inline int32_t TVMFFIPyObjectTypeIndex(void* handle) {
  return ((TVMFFIObject*)handle)->type_index;
}

/*! \brief Address of the cell that follows the object header (String, Bytes, Error, ...). */
static inline void* TVMFFIPyObjectCell(void* handle) {
  return (char*)handle + sizeof(TVMFFIObject);
}

/*! \brief Strong reference count of an object (low 32 bits of the combined count). */
static inline uint32_t TVMFFIPyObjectStrongCount(void* handle) {
  return (uint32_t)(((TVMFFIObject*)handle)->combined_ref_count & 0xFFFFFFFFu);
}

/*!
 * \brief Deleter for FFI objects that own a Python reference (OpaquePyObject payloads,
 *        Python callables behind a Function). Safe to call from any thread; a no-op once the
 *        interpreter is gone.
 */
static inline void TVMFFIPyDecRefDeleter(void* handle) {
  if (handle == NULL || !Py_IsInitialized()) return;
  PyGILState_STATE state = PyGILState_Ensure();
  Py_DECREF((PyObject*)handle);
  PyGILState_Release(state);
}

/*!
 * \brief Call a function pointer of the MLIR "packed" convention `void f(void** args)` with the
 *        safe-call arguments: args[0..4] point to handle, args, num_args, result, return code.
 */
typedef void (*TVMFFIPyMLIRPackedFunc)(void** packed_args);

static inline int TVMFFIPyCallMLIRPacked(void* fn, void* handle, const TVMFFIAny* args,
                                         int32_t num_args, TVMFFIAny* result) {
  int ret_code = 0;
  void* packed[5];
  packed[0] = &handle;
  packed[1] = (void*)&args;
  packed[2] = &num_args;
  packed[3] = &result;
  packed[4] = &ret_code;
  ((TVMFFIPyMLIRPackedFunc)fn)(packed);
  return ret_code;
}

/*! \brief State behind a Function that wraps an MLIR packed function pointer. */
typedef struct {
  void* fn;
  PyObject* keep_alive;
} TVMFFIPyMLIRCtx;

/*! \brief New MLIR wrapper state; takes a new reference to keep_alive (may be NULL). */
static inline TVMFFIPyMLIRCtx* TVMFFIPyMLIRCtxNew(void* fn, PyObject* keep_alive) {
  TVMFFIPyMLIRCtx* ctx = (TVMFFIPyMLIRCtx*)PyMem_RawMalloc(sizeof(TVMFFIPyMLIRCtx));
  if (ctx == NULL) return NULL;
  ctx->fn = fn;
  ctx->keep_alive = keep_alive;
  Py_XINCREF(keep_alive);
  return ctx;
}

static inline void TVMFFIPyMLIRCtxDeleter(void* self) {
  TVMFFIPyMLIRCtx* ctx = (TVMFFIPyMLIRCtx*)self;
  if (ctx == NULL) return;
  if (ctx->keep_alive != NULL) TVMFFIPyDecRefDeleter(ctx->keep_alive);
  PyMem_RawFree(ctx);
}

static inline int TVMFFIPyMLIRSafeCall(void* self, const TVMFFIAny* args, int32_t num_args,
                                       TVMFFIAny* result) {
  TVMFFIPyMLIRCtx* ctx = (TVMFFIPyMLIRCtx*)self;
  return TVMFFIPyCallMLIRPacked(ctx->fn, self, args, num_args, result);
}

/*! \brief Destructor of a legacy DLPack capsule: frees the tensor unless it was consumed. */
static inline void TVMFFIPyDLPackCapsuleDestructor(PyObject* capsule) {
  if (PyCapsule_IsValid(capsule, "dltensor")) {
    DLManagedTensor* t = (DLManagedTensor*)PyCapsule_GetPointer(capsule, "dltensor");
    if (t != NULL && t->deleter != NULL) t->deleter(t);
  }
}

/*! \brief Destructor of a versioned DLPack capsule: frees the tensor unless it was consumed. */
static inline void TVMFFIPyDLPackVersionedCapsuleDestructor(PyObject* capsule) {
  if (PyCapsule_IsValid(capsule, "dltensor_versioned")) {
    DLManagedTensorVersioned* t =
        (DLManagedTensorVersioned*)PyCapsule_GetPointer(capsule, "dltensor_versioned");
    if (t != NULL && t->deleter != NULL) t->deleter(t);
  }
}

/*!
 * \brief Hooks implemented in Cython for Python callbacks (set once at import):
 *   impl: runs the callback with the GIL held; returns 0, or -1 with a Python error pending;
 *   set_error: moves the pending Python error into the thread's FFI error slot.
 */
typedef int (*TVMFFIPyCallbackImpl)(void* self, const TVMFFIAny* args, int32_t num_args,
                                    TVMFFIAny* result);
typedef void (*TVMFFIPyCallbackSetError)(void);

static TVMFFIPyCallbackImpl TVMFFIPyCallbackImplHook = NULL;
static TVMFFIPyCallbackSetError TVMFFIPyCallbackSetErrorHook = NULL;

static inline void TVMFFIPySetCallbackHooks(TVMFFIPyCallbackImpl impl,
                                            TVMFFIPyCallbackSetError set_error) {
  TVMFFIPyCallbackImplHook = impl;
  TVMFFIPyCallbackSetErrorHook = set_error;
}

/*!
 * \brief Safe-call entry of a Function that wraps a Python callable (`self` is the callable).
 *        Takes the GIL (any thread may call), runs the callback and reports a Python exception
 *        as an FFI error.
 */
static int TVMFFIPyCallbackSafeCall(void* self, const TVMFFIAny* args, int32_t num_args,
                                    TVMFFIAny* result) {
  int ret;
  PyGILState_STATE state;
  if (!Py_IsInitialized()) {
    TVMFFIErrorSetRaisedFromCStr("RuntimeError", "Python interpreter is not running");
    return -1;
  }
  state = PyGILState_Ensure();
  ret = TVMFFIPyCallbackImplHook(self, args, num_args, result);
  if (ret != 0) {
    TVMFFIPyCallbackSetErrorHook();
    ret = -1;
  }
  PyGILState_Release(state);
  return ret;
}

/*! \brief `cls.__new__(cls)` without the attribute lookup (new reference or NULL). */
static inline PyObject* TVMFFIPyNewInstance(PyObject* cls) {
  static PyObject* empty_tuple = NULL;
  if (empty_tuple == NULL) {
    empty_tuple = PyTuple_New(0);
    if (empty_tuple == NULL) return NULL;
  }
  return ((PyTypeObject*)cls)->tp_new((PyTypeObject*)cls, empty_tuple, NULL);
}

/*! \brief Whether instances of `tp` are callable (what callable(obj) tests). */
static inline int TVMFFIPyTypeInstancesCallable(PyTypeObject* tp) { return tp->tp_call != NULL; }

#ifdef __cplusplus
}
#endif
#endif /* TVM_FFI_PYTHON_HELPERS_H_ */
