/*
 * tvm/ffi/extra/c_env_api.h -- environment hooks of the TVM FFI 0.1.x C ABI.
 *
 * These ten functions are implemented by the runtime library (libtvm_ffi) next to the core API of
 * tvm/ffi/c_api.h. They cover state that the runtime keeps on behalf of the hosting environment:
 * per-thread device streams, the DLPack tensor allocator, host signal checks and symbols used by
 * dynamically or statically linked module libraries.
 *
 * Conventions (safe-call, log-and-abort, +1 / borrowed) are the ones described in c_api.h.
 */
#ifndef TVM_FFI_EXTRA_C_ENV_API_H_
#define TVM_FFI_EXTRA_C_ENV_API_H_

#include <tvm/ffi/c_api.h>

#ifdef __cplusplus
extern "C" {
#endif

/*! \brief An opaque device stream / queue handle (e.g. a cudaStream_t). */
typedef void* TVMFFIStreamHandle;

/* ---- Streams ---------------------------------------------------------------------------- */

/*!
 * \brief Sets the calling thread's current stream for device (device_type, device_id).
 *
 * \param opt_out_original_stream When non-NULL, receives the stream that was current before
 *        (NULL if none was ever set).
 * The runtime never creates, owns or synchronises streams. Safe-call.
 */
TVM_FFI_DLL int TVMFFIEnvSetStream(int32_t device_type, int32_t device_id,
                                   TVMFFIStreamHandle stream,
                                   TVMFFIStreamHandle* opt_out_original_stream);

/*!
 * \brief Returns the calling thread's current stream for (device_type, device_id), or NULL if
 *        none was set. Log-and-abort.
 */
TVM_FFI_DLL TVMFFIStreamHandle TVMFFIEnvGetStream(int32_t device_type, int32_t device_id);

/* ---- DLPack allocator ------------------------------------------------------------------- */

/*!
 * \brief Installs the DLPack tensor allocator for the calling thread and, when
 *        `write_to_global_context` is non-zero, also as the process-wide default.
 *
 * \param opt_out_original_allocator When non-NULL, receives an allocator value (callers must not
 *        rely on whether it is the previous or the new one; see the ABI notes). Safe-call.
 */
TVM_FFI_DLL int TVMFFIEnvSetDLPackManagedTensorAllocator(
    DLPackManagedTensorAllocator allocator, int write_to_global_context,
    DLPackManagedTensorAllocator* opt_out_original_allocator);

/*!
 * \brief Returns the calling thread's allocator, else the process-wide one, else NULL.
 *        Log-and-abort.
 */
TVM_FFI_DLL DLPackManagedTensorAllocator TVMFFIEnvGetDLPackManagedTensorAllocator(void);

/*!
 * \brief Allocates a new (+1) Tensor shaped like `prototype` (only ndim, shape, dtype and device
 *        are used) through the current DLPack allocator. Fails when no allocator is installed.
 *        Safe-call.
 */
TVM_FFI_DLL int TVMFFIEnvTensorAlloc(DLTensor* prototype, TVMFFIObjectHandle* out);

/* ---- Host environment ------------------------------------------------------------------- */

/*!
 * \brief Lets the host environment process pending signals (e.g. Ctrl-C in Python).
 * \return 0 when nothing is pending or no host hook is registered; -1 when the host now has an
 *         error pending (callers then propagate -2 across safe-call boundaries).
 */
TVM_FFI_DLL int TVMFFIEnvCheckSignals(void);

/*!
 * \brief Registers a host C API used by the runtime. Accepted names are exactly
 *        "PyErr_CheckSignals", "PyGILState_Ensure" and "PyGILState_Release"; registering again
 *        overwrites. Other names fail. Safe-call.
 */
TVM_FFI_DLL int TVMFFIEnvRegisterCAPI(const char* name, void* symbol);

/* ---- Module libraries ------------------------------------------------------------------- */

/*!
 * \brief Resolves `func_name` for a loaded module library: the module's imports are searched in
 *        order (recursively), then the global function registry.
 *
 * \param library_ctx The opaque token the loader stored into the library's
 *        `__tvm_ffi__library_ctx` variable. It is NOT an object handle; never IncRef/DecRef it.
 * \param out Receives a BORROWED Function handle, cached by the module and valid while the module
 *        lives.
 * Safe-call.
 */
TVM_FFI_DLL int TVMFFIEnvModLookupFromImports(TVMFFIObjectHandle library_ctx, const char* func_name,
                                              TVMFFIObjectHandle* out);

/*!
 * \brief Records (name, symbol). Every module library loaded afterwards that has a `void*`
 *        variable called `name` gets `symbol` written into it. Safe-call (always succeeds).
 */
TVM_FFI_DLL int TVMFFIEnvModRegisterContextSymbol(const char* name, void* symbol);

/*!
 * \brief Registers `symbol` under `name` in the process-wide system-library table (used by
 *        statically linked modules from their static initialisers). Always returns 0.
 */
TVM_FFI_DLL int TVMFFIEnvModRegisterSystemLibSymbol(const char* name, void* symbol);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* TVM_FFI_EXTRA_C_ENV_API_H_ */
