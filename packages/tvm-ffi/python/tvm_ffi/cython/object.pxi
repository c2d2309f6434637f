# Object: the Python proxy of one strong reference to an FFI heap object.

cdef class Object:
    """Root of all FFI objects (``ffi.Object``).

    An instance holds one strong reference to a C object handle, or NULL. Equality and
    hashing are by handle identity.
    """
    cdef void* chandle

    def __dealloc__(self):
        if self.chandle != NULL:
            TVMFFIObjectDecRef(self.chandle)
            self.chandle = NULL

    def __ctypes_handle__(self):
        """The handle as ``ctypes.c_void_p`` (value None when NULL)."""
        return _ctypes.c_void_p(<uintptr_t>self.chandle if self.chandle != NULL else None)

    def __chandle__(self):
        """The handle address as an int (0 when NULL)."""
        return <uintptr_t>self.chandle

    def same_as(self, other):
        """Whether both proxies refer to the same FFI object."""
        if not isinstance(other, Object):
            return False
        return self.chandle == (<Object>other).chandle

    def __eq__(self, other):
        if not isinstance(other, Object):
            return False
        return self.chandle == (<Object>other).chandle

    def __ne__(self, other):
        if not isinstance(other, Object):
            return True
        return self.chandle != (<Object>other).chandle

    def __hash__(self):
        return hash(<uintptr_t>self.chandle)

    def __repr__(self):
        if self.chandle == NULL:
            return type(self).__name__ + "(chandle=None)"
        return type(self).__name__ + "(" + str(<uintptr_t>self.chandle) + ")"

    def __init_handle_by_constructor__(self, fconstructor, *args):
        """Call the FFI constructor ``fconstructor`` and adopt the object it returns."""
        if not isinstance(fconstructor, Function):
            raise TypeError(
                "constructor must be a tvm_ffi.Function, got " + type(fconstructor).__name__)
        cdef TVMFFIAny result
        _call_tuple_to_any(<Function>fconstructor, args, &result)
        if result.type_index < kTVMFFIStaticObjectBegin:
            _any_release(&result)
            raise TypeError("constructor did not return an object")
        if self.chandle != NULL:
            TVMFFIObjectDecRef(self.chandle)
        self.chandle = result.v_obj
        _on_handle_adopted(self)

    def __ffi_init__(self, *args):
        """Initialise the handle with the reflected C++ constructor ``__c_ffi_init__``."""
        cls = type(self)
        try:
            fctor = cls.__c_ffi_init__
        except AttributeError:
            raise TypeError(
                "type " + cls.__name__ + " has no reflected constructor (__c_ffi_init__)"
            ) from None
        self.__init_handle_by_constructor__(fctor, *args)

    def _move(self):
        """Wrap self so that a call may steal its reference (rvalue-ref argument)."""
        return ObjectRValueRef(self)

    def __move_handle_from__(self, other):
        """Steal the handle of ``other`` (which becomes NULL)."""
        if not isinstance(other, Object):
            raise TypeError("expect an Object, got " + type(other).__name__)
        cdef Object o = <Object>other
        if self.chandle != NULL:
            TVMFFIObjectDecRef(self.chandle)
        self.chandle = o.chandle
        o.chandle = NULL
        _on_handle_adopted(self)

    def __reduce__(self):
        return (_new_object, (type(self),), self.__getstate__())

    def __getstate__(self):
        if self.chandle == NULL:
            return {"handle": None}
        fto = _get_global_func_or_none("ffi.ToJSONGraphString")
        if fto is None:
            raise RuntimeError("ffi.ToJSONGraphString is not registered; cannot pickle")
        return {"handle": fto(self, None)}

    def __setstate__(self, state):
        handle = state["handle"]
        if handle is None:
            if self.chandle != NULL:
                TVMFFIObjectDecRef(self.chandle)
            self.chandle = NULL
            return
        ffrom = _get_global_func_or_none("ffi.FromJSONGraphString")
        if ffrom is None:
            raise RuntimeError("ffi.FromJSONGraphString is not registered; cannot unpickle")
        obj = ffrom(handle)
        if not isinstance(obj, Object):
            raise TypeError("unpickled value is not an object")
        self.__move_handle_from__(obj)


cdef inline void _on_handle_adopted(Object obj):
    if isinstance(obj, Tensor):
        (<Tensor>obj).cdltensor = (
            <DLTensor*>TVMFFIPyObjectCell(obj.chandle) if obj.chandle != NULL else NULL)


def _new_object(cls):
    """Pickle helper: an instance of ``cls`` without calling ``__init__``."""
    return cls.__new__(cls)


class ObjectRValueRef:
    """Marks an object argument as movable: the callee may steal its reference."""
    __slots__ = ["obj"]

    def __init__(self, obj):
        self.obj = obj


class ObjectConvertible:
    """Mixin for Python classes that convert to an FFI object through ``asobject()``."""

    def asobject(self):
        raise NotImplementedError()


class PyNativeObject:
    """Mixin for proxies that subclass a Python builtin (str, bytes, tuple)."""
    __slots__ = []

    def __init_cached_object_by_constructor__(self, fconstructor, *args):
        obj = _new_instance(Object)
        obj.__init_handle_by_constructor__(fconstructor, *args)
        self._tvm_ffi_cached_object = obj


cdef class OpaquePyObject(Object):
    """An FFI object holding a strong reference to an arbitrary Python object."""

    def pyobject(self):
        """The wrapped Python object."""
        if self.chandle == NULL:
            return None
        cdef TVMFFIOpaqueObjectCell* cell = <TVMFFIOpaqueObjectCell*>TVMFFIPyObjectCell(
            self.chandle)
        return <object><PyObject*>cell.handle


cdef void* _make_opaque_handle(object value) except NULL:
    cdef void* out = NULL
    Py_INCREF(value)
    if TVMFFIObjectCreateOpaque(<void*><PyObject*>value, kTVMFFIOpaquePyObject,
                                TVMFFIPyDecRefDeleter, &out) != 0:
        Py_DECREF(value)
        _raise_last_ffi_error()
    return out


def _convert_to_opaque_object(obj):
    """Wrap a Python object into an ``OpaquePyObject``."""
    cdef OpaquePyObject ret = _new_instance(OpaquePyObject)
    ret.chandle = _make_opaque_handle(obj)
    return ret


cdef inline object _new_instance(cls):
    """``cls.__new__(cls)`` without the attribute lookup."""
    return (<PyTypeObject*>cls).tp_new(cls, <PyObject*>_EMPTY_TUPLE, NULL)
