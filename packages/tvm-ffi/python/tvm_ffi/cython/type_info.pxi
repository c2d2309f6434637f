# Reflection: type tables, TypeInfo/TypeField/TypeMethod, field accessors, fallback classes and
# type schemas (python_api.md sections 3.2, 4.3, 4.5).

# type index -> class used for returned objects (a 1-tuple (cls,) for PyNativeObject proxies)
cdef list _TYPE_INDEX_TO_CLS = []
# type index -> TypeInfo
cdef list _TYPE_INDEX_TO_INFO = []
# type key -> TypeInfo
cdef dict _TYPE_KEY_TO_INFO = {}


cdef void _grow_type_tables(int32_t type_index):
    while len(_TYPE_INDEX_TO_CLS) <= type_index:
        _TYPE_INDEX_TO_CLS.append(None)
    while len(_TYPE_INDEX_TO_INFO) <= type_index:
        _TYPE_INDEX_TO_INFO.append(None)


cdef void _set_ret_class(int32_t type_index, object cls):
    _grow_type_tables(type_index)
    _TYPE_INDEX_TO_CLS[type_index] = cls


# ---- field accessors ---------------------------------------------------------------------------
cdef class FieldGetter:
    # Reads one reflected field of an object (a property's fget). No docstring on purpose:
    # property() would otherwise take it as the property's __doc__.
    cdef TVMFFIPyVectorcallFunc _vectorcall
    cdef TVMFFIFieldGetter getter
    cdef int64_t offset
    cdef readonly str name

    def __cinit__(self):
        self._vectorcall = <TVMFFIPyVectorcallFunc><void*>_field_getter_vectorcall

    def __call__(self, obj):
        return _field_get(self, obj)


cdef object _field_get(FieldGetter g, object obj):
    if not isinstance(obj, Object):
        raise TypeError("field " + g.name + " can only be read from a tvm_ffi.Object")
    cdef void* h = (<Object>obj).chandle
    if h == NULL:
        raise ValueError("cannot read field " + g.name + " of an object with a NULL handle")
    cdef TVMFFIAny r
    r.type_index = kTVMFFINone
    r.zero_padding = 0
    r.v_int64 = 0
    if g.getter(<char*>h + g.offset, &r) != 0:
        _raise_last_ffi_error()
    return _make_ret(&r, NULL)


cdef object _field_getter_vectorcall(object self, PyObject** args, size_t nargsf,
                                     PyObject* kwnames):
    if TVMFFIPyVectorcallNArgs(nargsf) != 1 or (kwnames != NULL and len(<object>kwnames) != 0):
        raise TypeError("FieldGetter takes exactly one argument")
    return _field_get(<FieldGetter>self, <object>args[0])


cdef int _call_field_setter(void* setter, bint is_function, void* field,
                            const TVMFFIAny* value) noexcept:
    # The status of one field write through either form of setter.
    cdef TVMFFIAny args[2]
    cdef TVMFFIAny result
    cdef int code
    if not is_function:
        return (<TVMFFIFieldSetter>setter)(field, value)
    args[0].type_index = kTVMFFIOpaquePtr
    args[0].zero_padding = 0
    args[0].v_ptr = field
    args[1] = value[0]
    result.type_index = kTVMFFINone
    result.zero_padding = 0
    result.v_int64 = 0
    code = TVMFFIFunctionCall(setter, args, 2, &result)
    if code == 0 and result.type_index >= kTVMFFIStaticObjectBegin:
        TVMFFIObjectDecRef(result.v_obj)
    return code


cdef class FieldSetter:
    # Writes one reflected field of an object (a property's fset). `setter` is a
    # TVMFFIFieldSetter, or a Function object handle when `setter_is_function` is set (it is then
    # called with the field address as an opaque pointer and the value).
    cdef void* setter
    cdef bint setter_is_function
    cdef int64_t offset
    cdef readonly str name

    def __call__(self, obj, value):
        if not isinstance(obj, Object):
            raise TypeError("field " + self.name + " can only be set on a tvm_ffi.Object")
        cdef void* h = (<Object>obj).chandle
        if h == NULL:
            raise ValueError("cannot set field " + self.name + " of an object with a NULL handle")
        cdef TVMFFIAny view
        cdef void* owned_stack[1]
        cdef CallCtx ctx
        cdef EnvCtx env
        _ctx_init(&ctx, &env, owned_stack)
        try:
            _set_arg(value, &view, &ctx)
            if _call_field_setter(self.setter, self.setter_is_function,
                                  <char*>h + self.offset, &view) != 0:
                _raise_last_ffi_error()
        finally:
            _release_owned(&ctx)


# ---- TypeField / TypeMethod / TypeInfo ---------------------------------------------------------
class TypeField:
    """Reflection record of one field."""

    def __init__(self, name, doc, size, offset, frozen, metadata, getter, setter,
                 dataclass_field=None):
        self.name = name
        self.doc = doc
        self.size = size
        self.offset = offset
        self.frozen = frozen
        self.metadata = metadata
        self.getter = getter
        self.setter = setter
        self.dataclass_field = dataclass_field

    def as_property(self, cls):
        """A property reading (and, unless frozen, writing) this field."""
        fset = None if self.frozen else self.setter
        return property(self.getter, fset, doc=self.doc)

    def __repr__(self):
        return "TypeField(name=%r, frozen=%r)" % (self.name, self.frozen)


class TypeMethod:
    """Reflection record of one method."""

    def __init__(self, name, doc, func, metadata, is_static):
        self.name = name
        self.doc = doc
        self.func = func
        self.metadata = metadata
        self.is_static = is_static

    def as_callable(self, cls):
        """A function to attach to ``cls`` (a staticmethod for static methods)."""
        func = self.func
        name = "__c_ffi_init__" if self.name == "__ffi_init__" else self.name
        if self.is_static:
            return staticmethod(func)

        def method(self, *args):
            if not isinstance(self, Object) or (<Object>self).chandle == NULL:
                raise ValueError(
                    "cannot call method " + name + " on an object with a NULL handle")
            return func(self, *args)

        method.__name__ = name
        method.__qualname__ = getattr(cls, "__qualname__", cls.__name__) + "." + name
        method.__doc__ = self.doc
        return method

    def __repr__(self):
        return "TypeMethod(name=%r, is_static=%r)" % (self.name, self.is_static)


class TypeInfo:
    """Reflection information of one FFI object type."""

    def __init__(self, type_cls, type_index, type_key, type_ancestors, fields, methods,
                 parent_type_info=None):
        self.type_cls = type_cls
        self.type_index = type_index
        self.type_key = type_key
        self.type_ancestors = type_ancestors
        self.fields = fields
        self.methods = methods
        self.parent_type_info = parent_type_info

    def prototype_py(self):
        """A Python-like sketch of the type (debugging aid)."""
        lines = ["class %s:" % self.type_key.rsplit(".", 1)[-1]]
        for f in self.fields:
            frozen = ", frozen" if f.frozen else ""
            lines.append("    %s  # offset %d%s" % (f.name, f.offset, frozen))
        for m in self.methods:
            lines.append("    def %s(...)%s" % (m.name, "  # static" if m.is_static else ""))
        return "\n".join(lines)

    def __repr__(self):
        return "TypeInfo(type_key=%r, type_index=%r)" % (self.type_key, self.type_index)


cdef object _json_or_empty(const TVMFFIByteArray* arr):
    if arr.size == 0:
        return {}
    text = _bytearray_to_str(arr)
    try:
        return _json.loads(text)
    except ValueError:
        return {}


cdef object _doc_or_none(const TVMFFIByteArray* arr):
    if arr.size == 0:
        return None
    return _bytearray_to_str(arr)


cdef object _build_type_info(int32_t type_index, object cls):
    cdef const TVMFFITypeInfo* info = TVMFFIGetTypeInfo(type_index)
    cdef const TVMFFIFieldInfo* f
    cdef const TVMFFIMethodInfo* m
    cdef FieldGetter getter
    cdef FieldSetter setter
    cdef Function func
    cdef int32_t i
    if info == NULL:
        raise ValueError("Unknown type index %d" % type_index)
    type_key = _bytearray_to_str(&info.type_key)
    ancestors = [info.type_ancestors[i].type_index for i in range(info.type_depth)]
    fields = []
    for i in range(info.num_fields):
        f = &info.fields[i]
        name = _bytearray_to_str(&f.name)
        getter = FieldGetter()
        getter.getter = f.getter
        getter.offset = f.offset
        getter.name = name
        setter = FieldSetter()
        setter.setter = f.setter
        setter.setter_is_function = (f.flags & kTVMFFIFieldFlagBitSetterIsFunctionObj) != 0
        setter.offset = f.offset
        setter.name = name
        fields.append(TypeField(
            name=name, doc=_doc_or_none(&f.doc), size=f.size, offset=f.offset,
            frozen=(f.flags & kTVMFFIFieldFlagBitMaskWritable) == 0,
            metadata=_json_or_empty(&f.metadata), getter=getter, setter=setter))
    methods = []
    for i in range(info.num_methods):
        m = &info.methods[i]
        if m.method.type_index < kTVMFFIStaticObjectBegin or m.method.v_obj == NULL:
            continue
        func = <Function>_new_instance(Function)
        TVMFFIObjectIncRef(m.method.v_obj)
        func.chandle = m.method.v_obj
        doc = _doc_or_none(&m.doc)
        name = _bytearray_to_str(&m.name)
        func.__doc__ = doc
        func.__name__ = name
        methods.append(TypeMethod(
            name=name, doc=doc, func=func, metadata=_json_or_empty(&m.metadata),
            is_static=(m.flags & kTVMFFIFieldFlagBitMaskIsStaticMethod) != 0))
    parent = None
    if info.type_depth > 0:
        parent = _lookup_or_register_type_info_from_index(ancestors[-1])
    ret = TypeInfo(type_cls=cls, type_index=type_index, type_key=type_key,
                   type_ancestors=ancestors, fields=fields, methods=methods,
                   parent_type_info=parent)
    _grow_type_tables(type_index)
    _TYPE_INDEX_TO_INFO[type_index] = ret
    _TYPE_KEY_TO_INFO[type_key] = ret
    return ret


cdef object _lookup_or_register_type_info_from_index(int32_t type_index):
    if type_index < len(_TYPE_INDEX_TO_INFO):
        existing = _TYPE_INDEX_TO_INFO[type_index]
        if existing is not None:
            return existing
    return _build_type_info(type_index, None)


def _object_type_key_to_index(type_key):
    """Type index of ``type_key``, or None if the key is unknown."""
    cdef bytes b = _c_str(type_key)
    cdef TVMFFIByteArray arr = _bytes_view(b)
    cdef int32_t out = 0
    if TVMFFITypeKeyToIndex(&arr, &out) != 0:
        _clear_last_ffi_error()
        return None
    return out


cdef void _clear_last_ffi_error() noexcept:
    cdef void* h = NULL
    TVMFFIErrorMoveFromRaised(&h)
    if h != NULL:
        TVMFFIObjectDecRef(h)


def _lookup_or_register_type_info_from_type_key(type_key):
    """TypeInfo of ``type_key`` (built from the C reflection tables on first use)."""
    info = _TYPE_KEY_TO_INFO.get(type_key)
    if info is not None:
        return info
    index = _object_type_key_to_index(type_key)
    if index is None:
        raise ValueError("Cannot find object type index for " + str(type_key))
    return _lookup_or_register_type_info_from_index(index)


cdef object _ret_class_entry(object cls):
    """What _TYPE_INDEX_TO_CLS stores for a registered class (None: use a fallback class)."""
    if isinstance(cls, type) and issubclass(cls, Object):
        return cls
    if isinstance(cls, type) and issubclass(cls, PyNativeObject) and hasattr(
            cls, "__from_tvm_ffi_object__"):
        return (cls,)
    return None


def _set_type_cls(type_info, cls):
    """Make ``cls`` the class of ``type_info`` (and of returned objects of that type)."""
    type_info.type_cls = cls
    entry = _ret_class_entry(cls)
    if entry is not None:
        _set_ret_class(type_info.type_index, entry)


def _register_object_by_index(type_index, cls):
    """Bind ``cls`` to the FFI type ``type_index``; returns its TypeInfo."""
    cdef int32_t index = type_index
    info = None
    if index < len(_TYPE_INDEX_TO_INFO):
        info = _TYPE_INDEX_TO_INFO[index]
    if info is None:
        info = _build_type_info(index, cls)
    _set_type_cls(info, cls)
    return info


def _add_type_members(cls, info):
    """Attach reflected fields (properties) and methods that ``cls`` does not define yet."""
    for field in info.fields:
        if not hasattr(cls, field.name):
            try:
                setattr(cls, field.name, field.as_property(cls))
            except TypeError:
                pass
    for method in info.methods:
        name = "__c_ffi_init__" if method.name == "__ffi_init__" else method.name
        if not hasattr(cls, name):
            try:
                setattr(cls, name, method.as_callable(cls))
            except TypeError:
                pass


cdef object _resolve_class_for_type_index(int32_t type_index):
    """Class for a type index without a registered class: build a fallback class."""
    info = _lookup_or_register_type_info_from_index(type_index)
    if info.type_ancestors:
        parent_cls = _class_for_type_index(info.type_ancestors[-1])
        if type(parent_cls) is tuple or parent_cls is None:
            parent_cls = Object
    else:
        parent_cls = Object
    key = info.type_key
    name = key.rsplit(".", 1)[-1]
    module = key.rsplit(".", 1)[0] if "." in key else ""
    cdef const TVMFFITypeInfo* cinfo = TVMFFIGetTypeInfo(type_index)
    doc = "Auto-generated fallback class for " + key + ".\n\n"
    doc += ("This class was generated because the C++ type is not registered in Python; "
            "register it with tvm_ffi.register_object to customise it.")
    if cinfo != NULL and cinfo.metadata != NULL and cinfo.metadata.doc.size != 0:
        doc += "\n\n" + _bytearray_to_str(&cinfo.metadata.doc)
    cls = type(name, (parent_cls,), {
        "__slots__": (),
        "__qualname__": key,
        "__module__": module,
        "__doc__": doc,
    })
    _add_type_members(cls, info)
    cls.__tvm_ffi_type_info__ = info
    info.type_cls = cls
    _set_ret_class(type_index, cls)
    return cls


# ---- type schemas ------------------------------------------------------------------------------
_TYPE_SCHEMA_ORIGIN_MAP = {
    "Variant": "Union",
    "Optional": "Optional",
    "Tuple": "tuple",
    "ffi.Function": "Callable",
    "ffi.Array": "list",
    "ffi.Map": "dict",
    "ffi.OpaquePyObject": "Any",
    "ffi.Object": "Object",
    "ffi.Tensor": "Tensor",
    "DLTensor*": "Tensor",
    "void*": "ctypes.c_void_p",
    "TVMFFIByteArray*": "bytes",
    "ffi.SmallBytes": "bytes",
    "ffi.Bytes": "bytes",
    "std::string": "str",
    "const char*": "str",
    "ffi.SmallStr": "str",
    "ffi.String": "str",
    "DataType": "dtype",
}


class TypeSchema:
    """A type annotation from reflection metadata: ``origin`` plus argument schemas."""

    def __init__(self, origin, args=()):
        self.origin = origin
        self.args = tuple(args)
        if origin == "Union":
            assert len(self.args) >= 2, "Union must have at least two arguments"
        elif origin == "Optional":
            assert len(self.args) == 1, "Optional must have exactly one argument"
        elif origin == "list":
            assert len(self.args) in (0, 1), "list must have 0 or 1 argument"
            if len(self.args) == 0:
                self.args = (TypeSchema("Any"),)
        elif origin == "dict":
            assert len(self.args) in (0, 2), "dict must have 0 or 2 arguments"
            if len(self.args) == 0:
                self.args = (TypeSchema("Any"), TypeSchema("Any"))

    def __eq__(self, other):
        return (isinstance(other, TypeSchema) and self.origin == other.origin
                and self.args == other.args)

    def __hash__(self):
        return hash((self.origin, self.args))

    @staticmethod
    def from_json_obj(obj):
        """Build from the decoded JSON ``{"type": origin, "args": [...]}``."""
        assert isinstance(obj, dict) and "type" in obj, "type schema must be a dict with 'type'"
        origin = obj["type"]
        origin = _TYPE_SCHEMA_ORIGIN_MAP.get(origin, origin)
        args = tuple(TypeSchema.from_json_obj(a) for a in obj.get("args", ()))
        return TypeSchema(origin, args)

    @staticmethod
    def from_json_str(s):
        """Build from a JSON string."""
        return TypeSchema.from_json_obj(_json.loads(s))

    def repr(self, ty_map=None):
        """Render as a Python annotation string; ``ty_map`` maps origin names."""
        origin = self.origin if ty_map is None else ty_map(self.origin)
        args = [a.repr(ty_map) for a in self.args]
        if self.origin == "Union":
            return " | ".join(args)
        if self.origin == "Optional":
            return args[0] + " | None"
        if self.origin == "Callable":
            if not args:
                return origin + "[..., Any]"
            return origin + "[[" + ", ".join(args[1:]) + "], " + args[0] + "]"
        if not args:
            return origin
        return origin + "[" + ", ".join(args) + "]"

    def __repr__(self):
        return self.repr(None)

    __str__ = __repr__
