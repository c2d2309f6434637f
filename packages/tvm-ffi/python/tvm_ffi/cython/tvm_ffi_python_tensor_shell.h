/*
 * tvm_ffi_python_tensor_shell.h -- Tensor objects that borrow a Python tensor for one call.
 *
 * Passing a framework tensor (torch.Tensor through the DLPack exchange API, a numpy array through
 * its DLPack capsule) as a call argument needs an ffi.Tensor the callee can read and may keep.
 * A "shell" is a TensorObj (header + DLTensor, the layout every reader relies on) followed by a
 * private tail: the Python object that owns the memory and inline shape/strides copies.
 *
 * Life cycle (GIL held by the caller except in the deleter):
 *   1. Acquire: take a shell from this thread's free list (malloc only when it is empty); its
 *      count is one strong reference, held by the call.
 *   2. Fill: copy the DLTensor and its shape/strides into the shell (no allocation). The memory
 *      is owned either by a Python object (borrowed for the call) or by a consumed DLPack
 *      tensor whose deleter the shell runs once, when it is released.
 *   3. Release after the call: if the call's reference is the only one (the count is exactly the
 *      initial value, so nobody else holds or can still obtain a reference), the shell goes back to
 *      the free list; otherwise the callee kept the tensor: the shell takes a reference to the
 *      Python owner and drops the call's reference, and the deleter -- run by whichever thread
 *      lets go last -- releases the owner (taking the GIL) and frees the memory.
 * So the owner is released exactly once, after the last holder, on any thread.
 */
#ifndef TVM_FFI_PYTHON_TENSOR_SHELL_H_
#define TVM_FFI_PYTHON_TENSOR_SHELL_H_

#include <Python.h>
#include <dlpack/dlpack.h>
#include <stdint.h>
#include <string.h>
#include <tvm/ffi/c_api.h>

#if !defined(_WIN32)
#include <pthread.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/*! \brief Most dimensions a shell holds inline (larger tensors take the allocating path). */
#define TVMFFI_PY_SHELL_MAX_NDIM 8
/*! \brief Shells kept per thread for reuse. */
#define TVMFFI_PY_SHELL_POOL_SIZE 16

typedef struct TVMFFIPyTensorShell {
  TVMFFIObject header;
  DLTensor dl;
  /*! \brief The Python object whose memory `dl` describes. */
  PyObject* owner;
  /*! \brief Whether `owner` is a reference held by this shell (else borrowed from the call). */
  int owner_ref;
  /*! \brief A consumed DLPack tensor the shell describes (its deleter runs on release). */
  void* managed;
  /*! \brief 1: `managed` is a DLManagedTensor, 2: a DLManagedTensorVersioned. */
  int managed_kind;
  /*! \brief Whether `buffer` holds a Python buffer (released with the GIL held). */
  int has_buffer;
  Py_buffer buffer;
  struct TVMFFIPyTensorShell* next_free;
  int64_t dims[2 * TVMFFI_PY_SHELL_MAX_NDIM];
} TVMFFIPyTensorShell;

static const uint64_t kTVMFFIPyShellInitialCount = ((uint64_t)1 << 32) | 1;

/*! \brief Run the deleter of the consumed DLPack tensor, if any (exactly once). */
static inline void TVMFFIPyTensorShellDropManaged(TVMFFIPyTensorShell* s) {
  void* managed = s->managed;
  s->managed = NULL;
  if (managed == NULL) return;
  if (s->managed_kind == 1) {
    DLManagedTensor* m = (DLManagedTensor*)managed;
    if (m->deleter != NULL) m->deleter(m);
  } else {
    DLManagedTensorVersioned* m = (DLManagedTensorVersioned*)managed;
    if (m->deleter != NULL) m->deleter(m);
  }
}

/*! \brief Deleter of a shell (any thread; takes the GIL to release the owner). */
static void TVMFFIPyTensorShellDeleter(void* self, int flags) {
  TVMFFIPyTensorShell* s = (TVMFFIPyTensorShell*)self;
  if (flags & kTVMFFIObjectDeleterFlagBitMaskStrong) {
    TVMFFIPyTensorShellDropManaged(s);
    PyObject* owner = s->owner;
    int has_buffer = s->has_buffer;
    s->owner = NULL;
    s->has_buffer = 0;
    if (((owner != NULL && s->owner_ref) || has_buffer) && Py_IsInitialized()) {
      PyGILState_STATE state = PyGILState_Ensure();
      if (has_buffer) PyBuffer_Release(&s->buffer);
      if (owner != NULL && s->owner_ref) Py_DECREF(owner);
      PyGILState_Release(state);
    }
  }
  if (flags & kTVMFFIObjectDeleterFlagBitMaskWeak) PyMem_RawFree(s);
}

/*! \brief Whether `handle` is a shell (its deleter is ours). */
static inline int TVMFFIPyIsTensorShell(void* handle) {
  return ((TVMFFIObject*)handle)->deleter == TVMFFIPyTensorShellDeleter;
}

#if !defined(_WIN32)
static pthread_key_t TVMFFIPyShellPoolKey;
static pthread_once_t TVMFFIPyShellPoolOnce = PTHREAD_ONCE_INIT;
static int TVMFFIPyShellPoolKeyOk = 0;

typedef struct {
  TVMFFIPyTensorShell* head;
  int count;
} TVMFFIPyShellPool;

static void TVMFFIPyShellPoolFree(void* p) {
  TVMFFIPyShellPool* pool = (TVMFFIPyShellPool*)p;
  while (pool->head != NULL) {
    TVMFFIPyTensorShell* s = pool->head;
    pool->head = s->next_free;
    PyMem_RawFree(s);
  }
  PyMem_RawFree(pool);
}

static void TVMFFIPyShellPoolInit(void) {
  TVMFFIPyShellPoolKeyOk = pthread_key_create(&TVMFFIPyShellPoolKey, TVMFFIPyShellPoolFree) == 0;
}

/*! \brief This thread's free list (created on first use; NULL if that fails). */
static inline TVMFFIPyShellPool* TVMFFIPyShellPoolGet(void) {
  TVMFFIPyShellPool* pool;
  pthread_once(&TVMFFIPyShellPoolOnce, TVMFFIPyShellPoolInit);
  if (!TVMFFIPyShellPoolKeyOk) return NULL;
  pool = (TVMFFIPyShellPool*)pthread_getspecific(TVMFFIPyShellPoolKey);
  if (pool == NULL) {
    pool = (TVMFFIPyShellPool*)PyMem_RawMalloc(sizeof(TVMFFIPyShellPool));
    if (pool == NULL) return NULL;
    pool->head = NULL;
    pool->count = 0;
    if (pthread_setspecific(TVMFFIPyShellPoolKey, pool) != 0) {
      PyMem_RawFree(pool);
      return NULL;
    }
  }
  return pool;
}
#endif

/*! \brief A fresh shell holding one strong reference (NULL when out of memory). */
static inline TVMFFIPyTensorShell* TVMFFIPyTensorShellAcquire(void) {
  TVMFFIPyTensorShell* s = NULL;
#if !defined(_WIN32)
  TVMFFIPyShellPool* pool = TVMFFIPyShellPoolGet();
  if (pool != NULL && pool->head != NULL) {
    s = pool->head;
    pool->head = s->next_free;
    pool->count -= 1;
  }
#endif
  if (s == NULL) {
    s = (TVMFFIPyTensorShell*)PyMem_RawMalloc(sizeof(TVMFFIPyTensorShell));
    if (s == NULL) return NULL;
  }
  s->header.combined_ref_count = kTVMFFIPyShellInitialCount;
  s->header.type_index = kTVMFFITensor;
  s->header.__padding = 0;
  s->header.deleter = TVMFFIPyTensorShellDeleter;
  s->owner = NULL;
  s->owner_ref = 0;
  s->managed = NULL;
  s->managed_kind = 0;
  s->has_buffer = 0;
  s->next_free = NULL;
  return s;
}

/*! \brief Give an unused shell back (only while the call holds the sole reference). */
static inline void TVMFFIPyTensorShellRecycle(TVMFFIPyTensorShell* s) {
#if !defined(_WIN32)
  TVMFFIPyShellPool* pool = TVMFFIPyShellPoolGet();
  if (pool != NULL && pool->count < TVMFFI_PY_SHELL_POOL_SIZE) {
    s->next_free = pool->head;
    pool->head = s;
    pool->count += 1;
    return;
  }
#endif
  PyMem_RawFree(s);
}

/*!
 * \brief Point the shell at `src` (a DLTensor the owner describes): copies the struct and its
 *        shape/strides into the shell (compact strides when `src` has none).
 * \return 0, or 1 when the shell cannot describe `src`: more than TVMFFI_PY_SHELL_MAX_NDIM
 *         dimensions, or fields that the allocating import rejects with a clear error (negative
 *         ndim or extent, NULL shape); the caller then takes that path.
 */
static inline int TVMFFIPyTensorShellFill(TVMFFIPyTensorShell* s, const DLTensor* src) {
  int32_t ndim = src->ndim;
  int32_t i;
  if (ndim < 0 || ndim > TVMFFI_PY_SHELL_MAX_NDIM) return 1;
  if (ndim > 0 && src->shape == NULL) return 1;
  for (i = 0; i < ndim; ++i) {
    if (src->shape[i] < 0) return 1;
  }
  if (src != &s->dl) s->dl = *src;
  if (ndim > 0) memcpy(s->dims, src->shape, sizeof(int64_t) * (size_t)ndim);
  if (src->strides != NULL) {
    if (ndim > 0) {
      memcpy(s->dims + TVMFFI_PY_SHELL_MAX_NDIM, src->strides, sizeof(int64_t) * (size_t)ndim);
    }
  } else {
    int64_t acc = 1;
    for (i = ndim - 1; i >= 0; --i) {
      s->dims[TVMFFI_PY_SHELL_MAX_NDIM + i] = acc;
      acc *= s->dims[i];
    }
  }
  s->dl.shape = s->dims;
  s->dl.strides = s->dims + TVMFFI_PY_SHELL_MAX_NDIM;
  return 0;
}

/*! \brief Set the owner: a borrowed reference (`take_ref` 0) or one the shell now holds (1). */
static inline void TVMFFIPyTensorShellSetOwner(TVMFFIPyTensorShell* s, PyObject* owner,
                                               int take_ref) {
  s->owner = owner;
  s->owner_ref = take_ref;
}

/*! \brief Hand a consumed DLPack tensor (`kind` 1: DLManagedTensor, 2: versioned) to the shell. */
static inline void TVMFFIPyTensorShellSetManaged(TVMFFIPyTensorShell* s, void* managed, int kind) {
  s->managed = managed;
  s->managed_kind = kind;
}

/*!
 * \brief Drop the call's reference (GIL held): recycle the shell if nobody else holds it,
 *        otherwise hand it (with a reference to its owner) to the remaining holders.
 */
static inline void TVMFFIPyTensorShellRelease(TVMFFIPyTensorShell* s) {
  uint64_t count = __atomic_load_n(&s->header.combined_ref_count, __ATOMIC_ACQUIRE);
  if (count == kTVMFFIPyShellInitialCount) {
    TVMFFIPyTensorShellDropManaged(s);
    if (s->has_buffer) {
      s->has_buffer = 0;
      PyBuffer_Release(&s->buffer);
    }
    if (s->owner_ref) Py_XDECREF(s->owner);
    s->owner = NULL;
    TVMFFIPyTensorShellRecycle(s);
    return;
  }
  if (!s->owner_ref) {
    Py_XINCREF(s->owner);
    s->owner_ref = 1;
  }
  TVMFFIObjectDecRef(s);
}

/*! \brief DLPack data type of a buffer-protocol format string (0 if it has none). */
static inline int TVMFFIPyBufferFormatToDLDataType(const char* fmt, Py_ssize_t itemsize,
                                                   DLDataType* out) {
  int code;
  if (fmt == NULL) fmt = "B";
  /* native or little-endian byte order only (every platform this package builds for) */
  if (*fmt == '@' || *fmt == '=' || *fmt == '<') ++fmt;
  if (fmt[0] == 'Z' && (fmt[1] == 'f' || fmt[1] == 'd') && fmt[2] == 0) {
    code = kDLComplex;
  } else if (fmt[0] != 0 && fmt[1] == 0) {
    switch (fmt[0]) {
      case '?':
        code = kDLBool;
        break;
      case 'b':
      case 'h':
      case 'i':
      case 'l':
      case 'q':
        code = kDLInt;
        break;
      case 'B':
      case 'H':
      case 'I':
      case 'L':
      case 'Q':
        code = kDLUInt;
        break;
      case 'e':
      case 'f':
      case 'd':
        code = kDLFloat;
        break;
      default:
        return 0;
    }
  } else {
    return 0;
  }
  if (itemsize <= 0 || itemsize > 16) return 0;
  out->code = (uint8_t)code;
  out->bits = (uint8_t)(itemsize * 8);
  out->lanes = 1;
  return 1;
}

/*!
 * \brief Describe a writable, native-endian, element-aligned CPU buffer (e.g. a numpy array)
 *        with the shell; the shell keeps the buffer until it is released.
 * \return 0, or 1 when the object's buffer does not qualify (no error is left pending).
 */
static inline int TVMFFIPyTensorShellFillFromBuffer(TVMFFIPyTensorShell* s, PyObject* obj) {
  Py_buffer* view = &s->buffer;
  int32_t i;
  if (PyObject_GetBuffer(obj, view, PyBUF_RECORDS_RO) != 0) {
    PyErr_Clear();
    return 1;
  }
  if (view->readonly || view->ndim < 0 || view->ndim > TVMFFI_PY_SHELL_MAX_NDIM ||
      !TVMFFIPyBufferFormatToDLDataType(view->format, view->itemsize, &s->dl.dtype)) {
    PyBuffer_Release(view);
    return 1;
  }
  for (i = 0; i < view->ndim; ++i) {
    if (view->strides[i] % view->itemsize != 0) {
      PyBuffer_Release(view);
      return 1;
    }
    s->dims[i] = view->shape[i];
    s->dims[TVMFFI_PY_SHELL_MAX_NDIM + i] = view->strides[i] / view->itemsize;
  }
  s->dl.data = view->buf;
  s->dl.device.device_type = kDLCPU;
  s->dl.device.device_id = 0;
  s->dl.ndim = view->ndim;
  s->dl.shape = s->dims;
  s->dl.strides = s->dims + TVMFFI_PY_SHELL_MAX_NDIM;
  s->dl.byte_offset = 0;
  s->has_buffer = 1;
  return 0;
}

/*! \brief Drop the call's reference of any object created while marshalling (GIL held). */
static inline void TVMFFIPyReleaseTemporary(void* handle) {
  if (TVMFFIPyIsTensorShell(handle)) {
    TVMFFIPyTensorShellRelease((TVMFFIPyTensorShell*)handle);
  } else {
    TVMFFIObjectDecRef(handle);
  }
}

/*! \brief Python owner of a shell (borrowed; NULL for other objects). */
static inline PyObject* TVMFFIPyTensorShellOwner(void* handle) {
  if (!TVMFFIPyIsTensorShell(handle)) return NULL;
  return ((TVMFFIPyTensorShell*)handle)->owner;
}

#ifdef __cplusplus
}
#endif
#endif /* TVM_FFI_PYTHON_TENSOR_SHELL_H_ */
