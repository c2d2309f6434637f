# Tensor, DLPack import/export, framework exchange APIs and env streams (python_api.md section 6).

__dlpack_version__ = (DLPACK_MAJOR_VERSION, DLPACK_MINOR_VERSION)


cdef class Tensor(Object):
    """A DLPack-compatible tensor (``ffi.Tensor``).

    A Tensor with a NULL handle but a DLTensor pointer is a non-owning view returned by C++.
    """
    cdef DLTensor* cdltensor

    cdef DLTensor* _dl(self) except NULL:
        if self.cdltensor == NULL:
            raise ValueError("Tensor is empty (NULL handle)")
        return self.cdltensor

    @property
    def shape(self):
        cdef DLTensor* t = self._dl()
        return tuple([t.shape[i] for i in range(t.ndim)])

    @property
    def strides(self):
        cdef DLTensor* t = self._dl()
        cdef int64_t acc = 1
        if t.strides != NULL:
            return tuple([t.strides[i] for i in range(t.ndim)])
        ret = [0] * t.ndim
        for i in range(t.ndim - 1, -1, -1):
            ret[i] = acc
            acc *= t.shape[i]
        return tuple(ret)

    @property
    def dtype(self):
        return _make_dtype_ret(self._dl().dtype)

    @property
    def device(self):
        cdef DLTensor* t = self._dl()
        return _make_device(_c_class_device, t.device.device_type, t.device.device_id)

    @property
    def ndim(self):
        return self._dl().ndim

    @property
    def data_ptr(self):
        cdef DLTensor* t = self._dl()
        return <uintptr_t>t.data + t.byte_offset

    def __dlpack_device__(self):
        cdef DLTensor* t = self._dl()
        return (<int>t.device.device_type, t.device.device_id)

    def _to_dlpack(self):
        """A legacy ``"dltensor"`` capsule sharing this tensor's memory."""
        if self.chandle == NULL:
            raise BufferError("cannot export a Tensor view without an owning handle")
        cdef DLManagedTensor* dlm = NULL
        if TVMFFITensorToDLPack(self.chandle, &dlm) != 0:
            _raise_last_ffi_error()
        return PyCapsule_New(dlm, b"dltensor", <void*>TVMFFIPyDLPackCapsuleDestructor)

    def _to_dlpack_versioned(self):
        """A ``"dltensor_versioned"`` capsule sharing this tensor's memory."""
        if self.chandle == NULL:
            raise BufferError("cannot export a Tensor view without an owning handle")
        cdef DLManagedTensorVersioned* dlm = NULL
        if TVMFFITensorToDLPackVersioned(self.chandle, &dlm) != 0:
            _raise_last_ffi_error()
        return PyCapsule_New(dlm, b"dltensor_versioned",
                             <void*>TVMFFIPyDLPackVersionedCapsuleDestructor)

    def __dlpack__(self, *, stream=None, max_version=None, dl_device=None, copy=None):
        if max_version is None or max_version[0] < 1:
            return self._to_dlpack()
        if dl_device is not None and tuple(dl_device) != self.__dlpack_device__():
            raise BufferError("dl_device of different type not supported")
        if copy:
            raise BufferError("copy not yet supported")
        return self._to_dlpack_versioned()


cdef object _c_class_tensor = Tensor
_CLASS_TENSOR = Tensor


def _set_class_tensor(cls):
    """Install the Tensor subclass used for returned tensors and ``from_dlpack``."""
    global _c_class_tensor, _CLASS_TENSOR
    if not (isinstance(cls, type) and issubclass(cls, Tensor)):
        raise TypeError("expect a subclass of Tensor")
    _c_class_tensor = cls
    _CLASS_TENSOR = cls
    _TYPE_INDEX_TO_CLS[kTVMFFITensor] = cls


cdef object _make_tensor_view(DLTensor* t):
    cdef Tensor ret = <Tensor>_new_instance(_c_class_tensor)
    ret.cdltensor = t
    return ret


cdef object _wrap_tensor_handle(void* h):
    cdef Tensor ret = <Tensor>_new_instance(_c_class_tensor)
    ret.chandle = h
    ret.cdltensor = <DLTensor*>TVMFFIPyObjectCell(h)
    return ret


# ---- DLPack import -----------------------------------------------------------------------------
cdef void* _consume_capsule(object capsule, int32_t require_alignment,
                            int32_t require_contiguous) except NULL:
    """Import a "dltensor"/"dltensor_versioned" capsule; returns an owned Tensor handle."""
    cdef void* h = NULL
    cdef void* ptr
    if PyCapsule_IsValid(capsule, b"dltensor_versioned"):
        ptr = PyCapsule_GetPointer(capsule, b"dltensor_versioned")
        if TVMFFITensorFromDLPackVersioned(<DLManagedTensorVersioned*>ptr, require_alignment,
                                           require_contiguous, &h) != 0:
            _raise_last_ffi_error()
        PyCapsule_SetName(capsule, b"used_dltensor_versioned")
        PyCapsule_SetDestructor(capsule, NULL)
        return h
    if PyCapsule_IsValid(capsule, b"dltensor"):
        ptr = PyCapsule_GetPointer(capsule, b"dltensor")
        if TVMFFITensorFromDLPack(<DLManagedTensor*>ptr, require_alignment,
                                  require_contiguous, &h) != 0:
            _raise_last_ffi_error()
        PyCapsule_SetName(capsule, b"used_dltensor")
        PyCapsule_SetDestructor(capsule, NULL)
        return h
    raise ValueError("Expect a dltensor field, PyCapsule can only be consumed once")


def from_dlpack(ext_tensor, *, require_alignment=0, require_contiguous=False):
    """Import a DLPack producer (an object with ``__dlpack__`` or a DLPack capsule) as Tensor.

    The memory is shared, not copied.
    """
    cdef void* h
    if hasattr(ext_tensor, "__dlpack__"):
        capsule = ext_tensor.__dlpack__()
        if not PyCapsule_IsValid(capsule, b"dltensor"):
            raise ValueError("Expect a dltensor field, PyCapsule can only be consumed once")
        h = _consume_capsule(capsule, require_alignment, 1 if require_contiguous else 0)
    elif PyCapsule_CheckExact(ext_tensor) and (
            PyCapsule_IsValid(ext_tensor, b"dltensor_versioned")
            or PyCapsule_IsValid(ext_tensor, b"dltensor")):
        h = _consume_capsule(ext_tensor, require_alignment, 1 if require_contiguous else 0)
    else:
        raise TypeError("Expect from_dlpack to take either a compatible tensor or PyCapsule")
    return _wrap_tensor_handle(h)


# ---- tensors as call arguments -----------------------------------------------------------------
cdef inline void _record_stream(EnvCtx* env, DLTensor* t, void* stream) noexcept:
    if env.device_type == -1:
        env.device_type = <int32_t>t.device.device_type
        env.device_id = t.device.device_id
        env.stream = stream


cdef int _set_tensor_dlpack(object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    """Generic ``__dlpack__`` producer (numpy arrays, ...).

    The capsule is consumed (as DLPack asks of a consumer) into a borrowed-tensor shell that runs
    the producer's deleter once, when the last holder lets go: no ffi.Tensor is allocated.
    """
    capsule = arg.__dlpack__()
    cdef DLTensor* src = NULL
    cdef void* managed = NULL
    cdef int kind = 0
    cdef DLManagedTensorVersioned* dlmv
    cdef TVMFFIPyTensorShell* shell = NULL
    cdef void* h
    if PyCapsule_IsValid(capsule, b"dltensor"):
        managed = PyCapsule_GetPointer(capsule, b"dltensor")
        src = &(<DLManagedTensor*>managed).dl_tensor
        kind = 1
    elif PyCapsule_IsValid(capsule, b"dltensor_versioned"):
        dlmv = <DLManagedTensorVersioned*>PyCapsule_GetPointer(capsule, b"dltensor_versioned")
        # a newer major version or a padded sub-byte type: the importing path reports it
        if dlmv.version.major <= DLPACK_MAJOR_VERSION and (dlmv.flags & 4) == 0:
            managed = <void*>dlmv
            src = &dlmv.dl_tensor
            kind = 2
    if src != NULL:
        shell = TVMFFIPyTensorShellAcquire()
        if shell == NULL:
            raise MemoryError()
        if TVMFFIPyTensorShellFill(shell, src) != 0:
            TVMFFIPyTensorShellRecycle(shell)
            shell = NULL
    if shell != NULL:
        PyCapsule_SetName(capsule, b"used_dltensor" if kind == 1 else b"used_dltensor_versioned")
        PyCapsule_SetDestructor(capsule, NULL)
        TVMFFIPyTensorShellSetManaged(shell, managed, kind)
        h = <void*>shell
    else:
        h = _consume_capsule(capsule, 0, 0)
    out.type_index = kTVMFFITensor
    out.v_obj = <TVMFFIObject*>h
    _push_owned(ctx, h)
    cdef DLTensor* t = <DLTensor*>TVMFFIPyObjectCell(h)
    if t.device.device_type != 1 and ctx.env.device_type == -1:
        fstream = getattr(arg, "__tvm_ffi_env_stream__", None)
        if fstream is not None:
            _record_stream(ctx.env, t, PyLong_AsVoidPtr(int(fstream())))
    return 0


cdef int _set_tensor_numpy(object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    """numpy.ndarray: the tensor its ``__dlpack__`` describes, read through the buffer protocol
    (no capsule, no allocation). Arrays that protocol cannot describe as DLPack would (read-only,
    big-endian, unaligned strides, unusual dtypes) take the ``__dlpack__`` path."""
    cdef TVMFFIPyTensorShell* shell = TVMFFIPyTensorShellAcquire()
    if shell == NULL:
        raise MemoryError()
    if TVMFFIPyTensorShellFillFromBuffer(shell, <PyObject*>arg) != 0:
        TVMFFIPyTensorShellRecycle(shell)
        return _set_tensor_dlpack(arg, out, ctx)
    out.type_index = kTVMFFITensor
    out.v_obj = <TVMFFIObject*>shell
    _push_owned(ctx, <void*>shell)
    return 0


cdef bint _is_numpy_ndarray_type(type t):
    np = _sys.modules.get("numpy")
    return np is not None and t is getattr(np, "ndarray", None)


cdef int _lookup_exchange_api(type t, uintptr_t* out_addr) except -1:
    """Whether ``t`` publishes a usable DLPack exchange API (its address in ``*out_addr``)."""
    if _os.environ.get("TVM_FFI_SKIP_c_dlpack_from_pyobject", "0") == "1":
        return 0
    cdef uintptr_t addr = 0
    api = getattr(t, "__c_dlpack_exchange_api__", None)
    if api is not None and isinstance(api, int):
        addr = <uintptr_t>PyLong_AsVoidPtr(api)
    else:
        api = getattr(t, "__dlpack_c_exchange_api__", None)
        if api is not None and PyCapsule_CheckExact(api) and PyCapsule_IsValid(
                api, b"dlpack_exchange_api"):
            addr = <uintptr_t>PyCapsule_GetPointer(api, b"dlpack_exchange_api")
    if addr == 0:
        return 0
    cdef const DLPackExchangeAPI* capi = <const DLPackExchangeAPI*>addr
    if (capi.header.version.major != 1 or capi.header.version.minor < 2
            or capi.managed_tensor_from_py_object_no_sync == NULL):
        return 0
    out_addr[0] = addr
    return 1


cdef int _set_tensor_exchange_api(object arg, const DLPackExchangeAPI* api,
                                  TVMFFIAny* out, CallCtx* ctx) except -1:
    """Import through the framework's DLPack exchange API (e.g. torch.Tensor).

    With ``dltensor_from_py_object_no_sync`` the tensor is described by a borrowed-tensor shell
    (no allocation; see tvm_ffi_python_tensor_shell.h for the ownership rules); otherwise the
    framework exports an owning DLPack tensor that becomes an ffi.Tensor.
    """
    cdef DLManagedTensorVersioned* dlm = NULL
    cdef TVMFFIPyTensorShell* shell = NULL
    cdef void* h = NULL
    cdef void* stream = NULL
    cdef DLTensor* dl
    if api.dltensor_from_py_object_no_sync != NULL:
        shell = TVMFFIPyTensorShellAcquire()
        if shell == NULL:
            raise MemoryError()
        if api.dltensor_from_py_object_no_sync(<void*><PyObject*>arg, &shell.dl) != 0:
            TVMFFIPyTensorShellRecycle(shell)
            if PyErr_Occurred() != NULL:
                return -1
            raise RuntimeError("DLPack exchange API failed to describe " + type(arg).__name__)
        if TVMFFIPyTensorShellFill(shell, &shell.dl) != 0:
            TVMFFIPyTensorShellRecycle(shell)  # too many dimensions for the shell
            shell = NULL
    if shell != NULL:
        TVMFFIPyTensorShellSetOwner(shell, <PyObject*>arg, 0)
        h = <void*>shell
    else:
        if api.managed_tensor_from_py_object_no_sync(<void*><PyObject*>arg, &dlm) != 0:
            if PyErr_Occurred() != NULL:
                return -1
            raise RuntimeError("DLPack exchange API failed to export " + type(arg).__name__)
        if TVMFFITensorFromDLPackVersioned(dlm, 0, 0, &h) != 0:
            if dlm.deleter != NULL:
                dlm.deleter(dlm)
            _raise_last_ffi_error()
    out.type_index = kTVMFFITensor
    out.v_obj = <TVMFFIObject*>h
    _push_owned(ctx, h)
    cdef EnvCtx* env = ctx.env
    if env.api == NULL:
        env.api = api
    dl = <DLTensor*>TVMFFIPyObjectCell(h)
    if dl.device.device_type != 1 and env.device_type == -1 and api.current_work_stream != NULL:
        if api.current_work_stream(dl.device.device_type, dl.device.device_id, &stream) != 0:
            if PyErr_Occurred() != NULL:
                return -1
            raise RuntimeError("DLPack exchange API failed to report the current stream")
        _record_stream(env, dl, stream)
    return 0


cdef object _tensor_to_framework(void* h, const DLPackExchangeAPI* api):
    """Owned ffi.Tensor -> framework tensor through the exchange API (takes the reference)."""
    cdef DLManagedTensorVersioned* dlm = NULL
    cdef void* pyobj = NULL
    if TVMFFITensorToDLPackVersioned(h, &dlm) != 0:
        _raise_last_ffi_error()
    if api.managed_tensor_to_py_object_no_sync(dlm, &pyobj) != 0:
        if dlm.deleter != NULL:
            dlm.deleter(dlm)
        _reraise_pending()
        raise RuntimeError("DLPack exchange API failed to import a tensor")
    TVMFFIObjectDecRef(h)
    ret = <object><PyObject*>pyobj
    Py_DECREF(ret)
    return ret


# torch without an exchange API: to_dlpack for arguments, from_dlpack for results
cdef DLPackExchangeAPI _TORCH_FALLBACK_API


cdef int _torch_fallback_to_py(DLManagedTensorVersioned* t, void** out) noexcept with gil:
    try:
        import torch.utils.dlpack
        capsule = PyCapsule_New(t, b"dltensor_versioned",
                                <void*>TVMFFIPyDLPackVersionedCapsuleDestructor)
        ret = torch.utils.dlpack.from_dlpack(capsule)
        Py_INCREF(ret)
        out[0] = <void*><PyObject*>ret
        return 0
    except BaseException as err:
        _keep_pending(err)
        return -1


cdef void _init_torch_fallback_api() noexcept:
    memset(&_TORCH_FALLBACK_API, 0, sizeof(DLPackExchangeAPI))
    _TORCH_FALLBACK_API.header.version.major = DLPACK_MAJOR_VERSION
    _TORCH_FALLBACK_API.header.version.minor = DLPACK_MINOR_VERSION
    _TORCH_FALLBACK_API.managed_tensor_to_py_object_no_sync = _torch_fallback_to_py


cdef int _set_tensor_torch_fallback(object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    import torch.utils.dlpack
    capsule = torch.utils.dlpack.to_dlpack(arg)
    cdef void* h = _consume_capsule(capsule, 0, 0)
    out.type_index = kTVMFFITensor
    out.v_obj = <TVMFFIObject*>h
    _push_owned(ctx, h)
    cdef EnvCtx* env = ctx.env
    if env.api == NULL:
        env.api = &_TORCH_FALLBACK_API
    cdef DLTensor* dl = <DLTensor*>TVMFFIPyObjectCell(h)
    if dl.device.device_type == 2 and env.device_type == -1:
        import torch
        stream = torch._C._cuda_getCurrentRawStream(dl.device.device_id)
        _record_stream(env, dl, PyLong_AsVoidPtr(int(stream)))
    return 0


# ---- a test-only exchange API built on our own Tensor ------------------------------------------
cdef DLPackExchangeAPI _TEST_WRAPPER_API


cdef int _test_wrapper_from_py(void* py_obj, DLManagedTensorVersioned** out) noexcept with gil:
    try:
        tensor = (<object><PyObject*>py_obj).tensor
        if TVMFFITensorToDLPackVersioned((<Tensor>tensor).chandle, out) != 0:
            _raise_last_ffi_error()
        return 0
    except BaseException as err:
        _keep_pending(err)
        return -1


cdef int _test_wrapper_to_py(DLManagedTensorVersioned* t, void** out) noexcept with gil:
    cdef void* h = NULL
    try:
        if TVMFFITensorFromDLPackVersioned(t, 0, 0, &h) != 0:
            _raise_last_ffi_error()
        ret = _wrap_tensor_handle(h)
        Py_INCREF(ret)
        out[0] = <void*><PyObject*>ret
        return 0
    except BaseException as err:
        _keep_pending(err)
        return -1


cdef int _test_wrapper_dltensor(void* py_obj, DLTensor* out) noexcept with gil:
    try:
        tensor = (<object><PyObject*>py_obj).tensor
        out[0] = (<Tensor>tensor)._dl()[0]
        return 0
    except BaseException as err:
        _keep_pending(err)
        return -1


cdef int _test_wrapper_stream(c_DLDeviceType device_type, int32_t device_id,
                              void** out) noexcept with gil:
    out[0] = TVMFFIEnvGetStream(<int32_t>device_type, device_id)
    return 0


cdef void _init_test_wrapper_api() noexcept:
    memset(&_TEST_WRAPPER_API, 0, sizeof(DLPackExchangeAPI))
    _TEST_WRAPPER_API.header.version.major = DLPACK_MAJOR_VERSION
    _TEST_WRAPPER_API.header.version.minor = DLPACK_MINOR_VERSION
    _TEST_WRAPPER_API.managed_tensor_from_py_object_no_sync = _test_wrapper_from_py
    _TEST_WRAPPER_API.managed_tensor_to_py_object_no_sync = _test_wrapper_to_py
    _TEST_WRAPPER_API.dltensor_from_py_object_no_sync = _test_wrapper_dltensor
    _TEST_WRAPPER_API.current_work_stream = _test_wrapper_stream


def _dltensor_test_wrapper_exchange_api_ptr():
    """Address of the exchange API used by ``DLTensorTestWrapper`` (tests only)."""
    return <uintptr_t>&_TEST_WRAPPER_API


class DLTensorTestWrapper:
    """Test-only wrapper publishing a DLPack exchange API around a ``Tensor``."""
    __c_dlpack_exchange_api__ = 0  # set at import

    def __init__(self, tensor):
        self.tensor = tensor

    def __tvm_ffi_env_stream__(self):
        return 0

    def __dlpack_device__(self):
        return self.tensor.__dlpack_device__()

    def __dlpack__(self, **kwargs):
        return self.tensor.__dlpack__(**kwargs)


# ---- env streams -------------------------------------------------------------------------------
def _env_set_current_stream(device_type, device_id, stream):
    """Set the thread's env stream for a device; returns the previous stream as int."""
    cdef void* prev = NULL
    cdef void* cstream = PyLong_AsVoidPtr(int(stream)) if stream else NULL
    if TVMFFIEnvSetStream(<int32_t>device_type, <int32_t>device_id, cstream, &prev) != 0:
        _raise_last_ffi_error()
    return <uintptr_t>prev


def _env_get_current_stream(device_type, device_id):
    """The thread's env stream for a device as int (0 if none)."""
    return <uintptr_t>TVMFFIEnvGetStream(<int32_t>device_type, <int32_t>device_id)
