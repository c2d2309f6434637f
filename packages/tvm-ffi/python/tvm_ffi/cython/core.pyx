# cython: language_level=3, boundscheck=False, cdivision=True
# cython: auto_pickle=False, binding=True, embedsignature=False, freethreading_compatible=False
"""tvm_ffi.core: the compiled core of the tvm_ffi package.

The shared library libtvm_ffi must already be loaded (tvm_ffi.base does that with RTLD_GLOBAL);
this extension also links against it directly.
"""
import ctypes as _ctypes
import enum as _enum
import json as _json
import numbers as _numbers
import os as _os
import sys as _sys

cdef tuple _EMPTY_TUPLE = ()

include "base.pxi"
include "version.pxi"  # the ABI check runs first: before anything else calls the runtime
include "object.pxi"
include "error.pxi"
include "string.pxi"
include "dtype.pxi"
include "device.pxi"
include "tensor.pxi"
include "function.pxi"
include "type_info.pxi"
include "container.pxi"
include "container_args.pxi"
include "arg_table.pxi"


cdef void _init_core() except *:
    global _FFI_ARRAY_HANDLE, _FFI_MAP_HANDLE, _RELEASE_GIL_BY_DEFAULT
    _RELEASE_GIL_BY_DEFAULT = _os.environ.get("TVM_FFI_RELEASE_GIL_BY_DEFAULT", "1") not in (
        "0", "", "false", "False")
    _init_function_type()
    TVMFFIPySetCallbackHooks(_pyfunc_call_impl, _set_ffi_error_from_pending)
    cdef FieldGetter probe = FieldGetter()
    TVMFFIPyTypeEnableVectorcall(
        <PyTypeObject*>FieldGetter,
        TVMFFIPyOffsetOf(<void*><PyObject*>probe, <void*>&probe._vectorcall))
    _init_torch_fallback_api()
    _init_test_wrapper_api()
    DLTensorTestWrapper.__c_dlpack_exchange_api__ = <uintptr_t>&_TEST_WRAPPER_API

    # let C++ code check Ctrl-C and take the GIL (TVMFFIEnvCheckSignals)
    TVMFFIEnvRegisterCAPI(b"PyErr_CheckSignals", <void*>PyErr_CheckSignals)
    TVMFFIEnvRegisterCAPI(b"PyGILState_Ensure", <void*>PyGILState_Ensure)
    TVMFFIEnvRegisterCAPI(b"PyGILState_Release", <void*>PyGILState_Release)

    # built-in classes of returned objects
    _set_ret_class(kTVMFFIObject, Object)
    _set_ret_class(kTVMFFIStr, (String,))
    _set_ret_class(kTVMFFIBytes, (Bytes,))
    _set_ret_class(kTVMFFIError, Error)
    _set_ret_class(kTVMFFIFunction, Function)
    _set_ret_class(kTVMFFITensor, Tensor)
    _set_ret_class(kTVMFFIOpaquePyObject, OpaquePyObject)

    # container constructors used by the argument marshaller (kept for the process lifetime)
    farray = _get_global_func_or_none("ffi.Array")
    if farray is not None:
        TVMFFIObjectIncRef((<Function>farray).chandle)
        _FFI_ARRAY_HANDLE = (<Function>farray).chandle
    fmap = _get_global_func_or_none("ffi.Map")
    if fmap is not None:
        TVMFFIObjectIncRef((<Function>fmap).chandle)
        _FFI_MAP_HANDLE = (<Function>fmap).chandle


def _set_class_object(cls):
    """Install the class used for returned objects of the root type ``ffi.Object``."""
    _set_ret_class(kTVMFFIObject, cls)


def _runtime_version():
    """(major, minor, patch) of the loaded libtvm_ffi."""
    cdef TVMFFIVersion v
    TVMFFIGetVersion(&v)
    return (v.major, v.minor, v.patch)


_init_core()
