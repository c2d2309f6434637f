# C declarations shared by every part of tvm_ffi.core: the C ABI (tvm/ffi/c_api.h,
# tvm/ffi/extra/c_env_api.h, dlpack/dlpack.h), a few CPython entry points and our helpers.
from libc.stdint cimport int16_t, int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t
from libc.stdint cimport intptr_t, uintptr_t
from libc.string cimport memcpy, memset
from cpython.ref cimport PyObject, Py_INCREF, Py_DECREF, Py_XDECREF
from cpython.mem cimport PyMem_Malloc, PyMem_Free
from cpython.object cimport PyTypeObject, Py_TYPE, PyObject_TypeCheck
from cpython.exc cimport PyErr_Occurred


cdef extern from "dlpack/dlpack.h":
    ctypedef struct DLPackVersion:
        uint32_t major
        uint32_t minor

    ctypedef int c_DLDeviceType "DLDeviceType"

    ctypedef struct DLDevice:
        c_DLDeviceType device_type
        int32_t device_id

    ctypedef struct DLDataType:
        uint8_t code
        uint8_t bits
        uint16_t lanes

    ctypedef struct DLTensor:
        void* data
        DLDevice device
        int32_t ndim
        DLDataType dtype
        int64_t* shape
        int64_t* strides
        uint64_t byte_offset

    ctypedef struct DLManagedTensor:
        DLTensor dl_tensor
        void* manager_ctx
        void (*deleter)(DLManagedTensor* self)

    ctypedef struct DLManagedTensorVersioned:
        DLPackVersion version
        void* manager_ctx
        void (*deleter)(DLManagedTensorVersioned* self)
        uint64_t flags
        DLTensor dl_tensor

    ctypedef int (*DLPackManagedTensorAllocator)(
        DLTensor* prototype, DLManagedTensorVersioned** out, void* error_ctx,
        void (*SetError)(void* error_ctx, const char* kind, const char* message))
    ctypedef int (*DLPackManagedTensorFromPyObjectNoSync)(
        void* py_object, DLManagedTensorVersioned** out)
    ctypedef int (*DLPackManagedTensorToPyObjectNoSync)(
        DLManagedTensorVersioned* tensor, void** out_py_object)
    ctypedef int (*DLPackDLTensorFromPyObjectNoSync)(void* py_object, DLTensor* out)
    ctypedef int (*DLPackCurrentWorkStream)(
        c_DLDeviceType device_type, int32_t device_id, void** out_current_stream)

    ctypedef struct DLPackExchangeAPIHeader:
        DLPackVersion version
        DLPackExchangeAPIHeader* prev_api

    ctypedef struct DLPackExchangeAPI:
        DLPackExchangeAPIHeader header
        DLPackManagedTensorAllocator managed_tensor_allocator
        DLPackManagedTensorFromPyObjectNoSync managed_tensor_from_py_object_no_sync
        DLPackManagedTensorToPyObjectNoSync managed_tensor_to_py_object_no_sync
        DLPackDLTensorFromPyObjectNoSync dltensor_from_py_object_no_sync
        DLPackCurrentWorkStream current_work_stream

    int DLPACK_MAJOR_VERSION
    int DLPACK_MINOR_VERSION


cdef extern from "tvm/ffi/c_api.h":
    enum:
        kTVMFFIAny
        kTVMFFINone
        kTVMFFIInt
        kTVMFFIBool
        kTVMFFIFloat
        kTVMFFIOpaquePtr
        kTVMFFIDataType
        kTVMFFIDevice
        kTVMFFIDLTensorPtr
        kTVMFFIRawStr
        kTVMFFIByteArrayPtr
        kTVMFFIObjectRValueRef
        kTVMFFISmallStr
        kTVMFFISmallBytes
        kTVMFFIStaticObjectBegin
        kTVMFFIObject
        kTVMFFIStr
        kTVMFFIBytes
        kTVMFFIError
        kTVMFFIFunction
        kTVMFFIShape
        kTVMFFITensor
        kTVMFFIArray
        kTVMFFIMap
        kTVMFFIModule
        kTVMFFIOpaquePyObject
        kTVMFFIStaticObjectEnd
        kTVMFFIDynObjectBegin

    enum:
        kTVMFFIFieldFlagBitMaskWritable
        kTVMFFIFieldFlagBitMaskHasDefault
        kTVMFFIFieldFlagBitMaskIsStaticMethod
        kTVMFFIFieldFlagBitSetterIsFunctionObj

    enum:
        kTVMFFIBacktraceUpdateModeReplace
        kTVMFFIBacktraceUpdateModeAppend

    ctypedef void* TVMFFIObjectHandle

    ctypedef struct TVMFFIObject:
        uint64_t combined_ref_count
        int32_t type_index

    ctypedef struct TVMFFIAny:
        int32_t type_index
        uint32_t zero_padding
        uint32_t small_str_len
        int64_t v_int64
        double v_float64
        void* v_ptr
        const char* v_c_str
        TVMFFIObject* v_obj
        DLDataType v_dtype
        DLDevice v_device
        char v_bytes[8]
        uint64_t v_uint64

    ctypedef struct TVMFFIByteArray:
        const char* data
        size_t size

    ctypedef struct TVMFFIVersion:
        uint32_t major
        uint32_t minor
        uint32_t patch

    ctypedef struct TVMFFIShapeCell:
        const int64_t* data
        size_t size

    ctypedef struct TVMFFIErrorCell:
        TVMFFIByteArray kind
        TVMFFIByteArray message
        TVMFFIByteArray backtrace
        void (*update_backtrace)(TVMFFIObjectHandle self, const TVMFFIByteArray* backtrace,
                                 int32_t update_mode) noexcept nogil
        TVMFFIObjectHandle cause_chain
        TVMFFIObjectHandle extra_context

    ctypedef int (*TVMFFISafeCallType)(void* handle, const TVMFFIAny* args, int32_t num_args,
                                       TVMFFIAny* result) noexcept nogil

    ctypedef struct TVMFFIFunctionCell:
        TVMFFISafeCallType safe_call
        void* cpp_call

    ctypedef struct TVMFFIOpaqueObjectCell:
        void* handle

    ctypedef int (*TVMFFIFieldGetter)(void* field, TVMFFIAny* result) noexcept nogil
    ctypedef int (*TVMFFIFieldSetter)(void* field, const TVMFFIAny* value) noexcept nogil

    ctypedef struct TVMFFIFieldInfo:
        TVMFFIByteArray name
        TVMFFIByteArray doc
        TVMFFIByteArray metadata
        int64_t flags
        int64_t size
        int64_t alignment
        int64_t offset
        TVMFFIFieldGetter getter
        void* setter
        TVMFFIAny default_value_or_factory
        int32_t field_static_type_index

    ctypedef struct TVMFFIMethodInfo:
        TVMFFIByteArray name
        TVMFFIByteArray doc
        TVMFFIByteArray metadata
        int64_t flags
        TVMFFIAny method

    ctypedef struct TVMFFITypeMetadata:
        TVMFFIByteArray doc
        void* creator
        int32_t total_size

    ctypedef struct TVMFFITypeInfo:
        int32_t type_index
        int32_t type_depth
        TVMFFIByteArray type_key
        const TVMFFITypeInfo** type_ancestors
        uint64_t type_key_hash
        int32_t num_fields
        int32_t num_methods
        const TVMFFIFieldInfo* fields
        const TVMFFIMethodInfo* methods
        const TVMFFITypeMetadata* metadata

    void TVMFFIGetVersion(TVMFFIVersion* out_version) nogil
    int TVMFFIObjectIncRef(TVMFFIObjectHandle obj) nogil
    int TVMFFIObjectDecRef(TVMFFIObjectHandle obj) nogil
    int TVMFFIObjectCreateOpaque(void* handle, int32_t type_index,
                                 void (*deleter)(void* handle) noexcept,
                                 TVMFFIObjectHandle* out) nogil
    int TVMFFITypeKeyToIndex(const TVMFFIByteArray* type_key, int32_t* out_tindex) nogil
    int TVMFFIFunctionCreate(void* self, TVMFFISafeCallType safe_call,
                             void (*deleter)(void* self) noexcept,
                             TVMFFIObjectHandle* out) nogil
    int TVMFFIFunctionSetGlobal(const TVMFFIByteArray* name, TVMFFIObjectHandle f,
                                int allow_override) nogil
    int TVMFFIFunctionGetGlobal(const TVMFFIByteArray* name, TVMFFIObjectHandle* out) nogil
    int TVMFFIFunctionCall(TVMFFIObjectHandle func, TVMFFIAny* args, int32_t num_args,
                           TVMFFIAny* result) nogil
    int TVMFFIAnyViewToOwnedAny(const TVMFFIAny* any_view, TVMFFIAny* out) nogil
    void TVMFFIErrorMoveFromRaised(TVMFFIObjectHandle* result) nogil
    void TVMFFIErrorSetRaised(TVMFFIObjectHandle error) nogil
    void TVMFFIErrorSetRaisedFromCStr(const char* kind, const char* message) nogil
    int TVMFFIErrorCreate(const TVMFFIByteArray* kind, const TVMFFIByteArray* message,
                          const TVMFFIByteArray* backtrace, TVMFFIObjectHandle* out) nogil
    int TVMFFITensorFromDLPack(DLManagedTensor* src, int32_t require_alignment,
                               int32_t require_contiguous, TVMFFIObjectHandle* out) nogil
    int TVMFFITensorToDLPack(TVMFFIObjectHandle src, DLManagedTensor** out) nogil
    int TVMFFITensorFromDLPackVersioned(DLManagedTensorVersioned* src,
                                        int32_t require_alignment,
                                        int32_t require_contiguous,
                                        TVMFFIObjectHandle* out) nogil
    int TVMFFITensorToDLPackVersioned(TVMFFIObjectHandle src,
                                      DLManagedTensorVersioned** out) nogil
    int TVMFFIStringFromByteArray(const TVMFFIByteArray* input, TVMFFIAny* out) nogil
    int TVMFFIBytesFromByteArray(const TVMFFIByteArray* input, TVMFFIAny* out) nogil
    int TVMFFIDataTypeFromString(const TVMFFIByteArray* str, DLDataType* out) nogil
    int TVMFFIDataTypeToString(const DLDataType* dtype, TVMFFIAny* out) nogil
    const TVMFFITypeInfo* TVMFFIGetTypeInfo(int32_t type_index) nogil
    const TVMFFIByteArray* TVMFFIBacktrace(const char* filename, int lineno, const char* func,
                                           int cross_ffi_boundary) nogil


cdef extern from "tvm/ffi/extra/c_env_api.h":
    ctypedef void* TVMFFIStreamHandle
    int TVMFFIEnvSetStream(int32_t device_type, int32_t device_id, TVMFFIStreamHandle stream,
                           TVMFFIStreamHandle* opt_out_original_stream) nogil
    TVMFFIStreamHandle TVMFFIEnvGetStream(int32_t device_type, int32_t device_id) nogil
    int TVMFFIEnvSetDLPackManagedTensorAllocator(
        DLPackManagedTensorAllocator allocator, int write_to_global_context,
        DLPackManagedTensorAllocator* opt_out_original_allocator) nogil
    DLPackManagedTensorAllocator TVMFFIEnvGetDLPackManagedTensorAllocator() nogil
    int TVMFFIEnvCheckSignals() nogil
    int TVMFFIEnvRegisterCAPI(const char* name, void* symbol) nogil


cdef extern from "tvm_ffi_python_helpers.h":
    ctypedef PyObject* (*TVMFFIPyVectorcallFunc)(
        PyObject* callable, PyObject* const* args, size_t nargsf, PyObject* kwnames)
    void TVMFFIPyTypeEnableVectorcall(PyTypeObject* tp, Py_ssize_t offset)
    Py_ssize_t TVMFFIPyVectorcallNArgs(size_t nargsf) nogil
    Py_ssize_t TVMFFIPyOffsetOf(void* obj, void* member) nogil
    void TVMFFIPySetSmallBytes(TVMFFIAny* out, int32_t type_index, const char* data,
                               size_t size) nogil
    int32_t TVMFFIPyObjectTypeIndex(void* handle) nogil
    void* TVMFFIPyObjectCell(void* handle) nogil
    uint32_t TVMFFIPyObjectStrongCount(void* handle) nogil
    void TVMFFIPyDecRefDeleter(void* handle) noexcept nogil
    ctypedef struct TVMFFIPyMLIRCtx:
        void* fn
        PyObject* keep_alive
    TVMFFIPyMLIRCtx* TVMFFIPyMLIRCtxNew(void* fn, PyObject* keep_alive)
    void TVMFFIPyMLIRCtxDeleter(void* self) noexcept nogil
    int TVMFFIPyMLIRSafeCall(void* self, const TVMFFIAny* args, int32_t num_args,
                             TVMFFIAny* result) noexcept nogil
    ctypedef int (*TVMFFIPyCallbackImpl)(void* self, const TVMFFIAny* args, int32_t num_args,
                                         TVMFFIAny* result) except -1
    ctypedef void (*TVMFFIPyCallbackSetError)() noexcept
    void TVMFFIPySetCallbackHooks(TVMFFIPyCallbackImpl impl, TVMFFIPyCallbackSetError set_error)
    int TVMFFIPyCallbackSafeCall(void* self, const TVMFFIAny* args, int32_t num_args,
                                 TVMFFIAny* result) noexcept nogil
    void TVMFFIPyDLPackCapsuleDestructor(PyObject* capsule) noexcept
    void TVMFFIPyDLPackVersionedCapsuleDestructor(PyObject* capsule) noexcept
    PyObject* TVMFFIPyNewInstance(PyObject* cls)
    bint TVMFFIPyTypeInstancesCallable(PyTypeObject* tp)
    int TVMFFIPyCallMLIRPacked(void* fn, void* handle, const TVMFFIAny* args, int32_t num_args,
                               TVMFFIAny* result) nogil


cdef extern from "tvm_ffi_python_tensor_shell.h":
    ctypedef struct TVMFFIPyTensorShell:
        DLTensor dl
    TVMFFIPyTensorShell* TVMFFIPyTensorShellAcquire() nogil
    int TVMFFIPyTensorShellFill(TVMFFIPyTensorShell* s, const DLTensor* src) nogil
    void TVMFFIPyTensorShellSetOwner(TVMFFIPyTensorShell* s, PyObject* owner, int take_ref)
    void TVMFFIPyTensorShellSetManaged(TVMFFIPyTensorShell* s, void* managed, int kind)
    int TVMFFIPyTensorShellFillFromBuffer(TVMFFIPyTensorShell* s, PyObject* obj)
    void TVMFFIPyTensorShellRelease(TVMFFIPyTensorShell* s)
    void TVMFFIPyTensorShellRecycle(TVMFFIPyTensorShell* s) nogil
    void TVMFFIPyReleaseTemporary(void* handle)
    bint TVMFFIPyIsTensorShell(void* handle) nogil
    PyObject* TVMFFIPyTensorShellOwner(void* handle) nogil
    int TVMFFI_PY_SHELL_MAX_NDIM


cdef extern from "Python.h":
    int PyErr_CheckSignals()
    ctypedef int PyGILState_STATE
    PyGILState_STATE PyGILState_Ensure() nogil
    void PyGILState_Release(PyGILState_STATE) nogil
    object PyLong_FromLongLong(long long v)
    object PyLong_FromUnsignedLongLong(unsigned long long v)
    object PyLong_FromVoidPtr(void* p)
    unsigned long long PyLong_AsUnsignedLongLong(object o) except? <unsigned long long>-1
    long long PyLong_AsLongLongAndOverflow(object o, int* overflow) except? -1
    void* PyLong_AsVoidPtr(object o) except? NULL
    double PyFloat_AsDouble(object o) except? -1.0
    double PyFloat_AS_DOUBLE(object o)
    object PyFloat_FromDouble(double v)
    const char* PyUnicode_AsUTF8AndSize(object o, Py_ssize_t* size) except NULL
    object PyUnicode_DecodeUTF8(const char* s, Py_ssize_t size, const char* errors)
    object PyBytes_FromStringAndSize(const char* s, Py_ssize_t size)
    char* PyBytes_AS_STRING(object o)
    Py_ssize_t PyBytes_GET_SIZE(object o)
    char* PyByteArray_AS_STRING(object o)
    Py_ssize_t PyByteArray_GET_SIZE(object o)
    object PyCapsule_New(void* pointer, const char* name, void* destructor)
    void* PyCapsule_GetPointer(object capsule, const char* name) except? NULL
    int PyCapsule_IsValid(object capsule, const char* name)
    int PyCapsule_SetName(object capsule, const char* name) except -1
    int PyCapsule_SetDestructor(object capsule, void* destructor) except -1
    const char* PyCapsule_GetName(object capsule) except? NULL
    bint PyCapsule_CheckExact(object o)
    bint PyType_IsSubtype(PyTypeObject* a, PyTypeObject* b)
    PyObject* PyList_GET_ITEM(object lst, Py_ssize_t i)
    Py_ssize_t PyList_GET_SIZE(object lst)
    PyObject* PyTuple_GET_ITEM(object tup, Py_ssize_t i)
    Py_ssize_t PyTuple_GET_SIZE(object tup)
    PyObject* PyDict_GetItem(object d, object key)
    PyObject* Py_None
    PyObject* Py_True
    PyObject* Py_False


cdef inline TVMFFIByteArray _bytes_view(bytes b):
    cdef TVMFFIByteArray arr
    arr.data = PyBytes_AS_STRING(b)
    arr.size = PyBytes_GET_SIZE(b)
    return arr


cdef inline str _bytearray_to_str(const TVMFFIByteArray* arr):
    if arr.size == 0:
        return ""
    return PyUnicode_DecodeUTF8(arr.data, arr.size, "replace")


cdef inline bytes _c_str(object s):
    """UTF-8 encode a Python str (NUL-terminated bytes for C)."""
    return s.encode("utf-8") if isinstance(s, str) else bytes(s)
