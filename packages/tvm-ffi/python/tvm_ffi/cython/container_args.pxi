# Python containers passed by value: tuple/list -> new ffi.Array, dict -> new ffi.Map, nested
# ones included, built WITHOUT recursion on the native stack.
#
# The builder keeps its own stack of frames (one per container being filled) on the heap: an
# element that is itself a container pushes a frame; a frame whose elements are all converted
# calls the constructor (ffi.Array / ffi.Map) and stores the new object into its parent's slot.
# The nesting depth is therefore a local of one conversion -- per thread by construction, with
# no shared counter that other threads could add to while Python code (a list subclass's
# __iter__, a __dlpack__) runs in the middle of a conversion. Any other element goes through the
# conversion table; tensors found inside containers record the call's device/stream/API.
#
# Limits: _MAX_CONTAINER_DEPTH levels (past what real nested data reaches: the C++ destructor of
# a nested Array is itself recursive, so the depth stays where that is safe on a thread's
# stack); a container that contains itself raises RecursionError at once.

DEF _MAX_CONTAINER_DEPTH = 20000
# below this depth a self-containing container cannot be detected more cheaply than by walking on
DEF _CYCLE_CHECK_DEPTH = 64


cdef struct _ContainerFrame:
    void* ctor                 # ffi.Array or ffi.Map
    PyObject* source           # the Python container (kept alive by its parent's items)
    PyObject* items            # a tuple of the elements (dict: key, value, ...); owned reference
    TVMFFIAny* packed          # converted elements
    void** owned               # temporaries of this frame (at most one per element)
    int32_t num_owned
    Py_ssize_t size
    Py_ssize_t next            # index of the next element to convert


cdef inline bint _is_container_type(type t) except -1:
    if t is list or t is tuple or t is dict:
        return True
    if t is int or t is float or t is str or t is bool:
        return False
    cdef _ArgSetter s = _setter_for(t)
    return s.fn == _s_sequence or s.fn == _s_dict


cdef int _frame_open(_ContainerFrame* f, object source) except -1:
    cdef type t = type(source)
    f.source = <PyObject*>source
    f.items = NULL
    f.packed = NULL
    f.owned = NULL
    f.num_owned = 0
    f.next = 0
    if t is tuple or t is list or not (issubclass(t, dict)):
        f.ctor = _FFI_ARRAY_HANDLE
        items = source if t is tuple else tuple(source)
    else:
        f.ctor = _FFI_MAP_HANDLE
        flat = []
        for k, v in source.items():
            flat.append(k)
            flat.append(v)
        items = tuple(flat)
    if f.ctor == NULL:
        raise RuntimeError("global function ffi.Array / ffi.Map is not available")
    f.size = PyTuple_GET_SIZE(items)
    if f.size > 0:
        f.packed = <TVMFFIAny*>PyMem_Malloc(f.size * (sizeof(TVMFFIAny) + sizeof(void*)))
        if f.packed == NULL:
            raise MemoryError()
        f.owned = <void**>(f.packed + f.size)
    Py_INCREF(items)
    f.items = <PyObject*>items
    return 0


cdef void _frame_close(_ContainerFrame* f) noexcept:
    cdef int32_t i
    for i in range(f.num_owned):
        TVMFFIPyReleaseTemporary(f.owned[i])
    f.num_owned = 0
    if f.packed != NULL:
        PyMem_Free(f.packed)
        f.packed = NULL
    if f.items != NULL:
        Py_DECREF(<object>f.items)
        f.items = NULL


cdef int _check_not_on_path(_ContainerFrame* frames, Py_ssize_t depth, object elem) except -1:
    cdef Py_ssize_t i
    for i in range(depth):
        if frames[i].source == <PyObject*>elem:
            raise RecursionError(
                "cannot convert a container that contains itself (a "
                + type(elem).__name__ + " nested in itself)")
    return 0


cdef int _set_container(object arg, TVMFFIAny* out, CallCtx* ctx) except -1:
    """Build ``arg`` (tuple/list/dict, nested ones included) into a new FFI container."""
    cdef _ContainerFrame stack_frames[8]
    cdef _ContainerFrame* frames = stack_frames
    cdef _ContainerFrame* grown
    cdef _ContainerFrame* f
    cdef Py_ssize_t capacity = 8
    cdef Py_ssize_t depth = 0
    cdef Py_ssize_t i
    cdef CallCtx sub
    cdef TVMFFIAny built
    cdef int ret
    try:
        _frame_open(&frames[0], arg)
        depth = 1
        while depth > 0:
            f = &frames[depth - 1]
            if f.next < f.size:
                elem = <object>PyTuple_GET_ITEM(<object>f.items, f.next)
                if _is_container_type(type(elem)):
                    if depth >= _CYCLE_CHECK_DEPTH:
                        _check_not_on_path(frames, depth, elem)
                    if depth >= _MAX_CONTAINER_DEPTH:
                        raise RecursionError(
                            "maximum nesting depth (%d) exceeded while converting a nested "
                            "container" % _MAX_CONTAINER_DEPTH)
                    if depth == capacity:
                        grown = <_ContainerFrame*>PyMem_Malloc(
                            2 * capacity * sizeof(_ContainerFrame))
                        if grown == NULL:
                            raise MemoryError()
                        memcpy(grown, frames, capacity * sizeof(_ContainerFrame))
                        if frames != stack_frames:
                            PyMem_Free(frames)
                        frames = grown
                        capacity *= 2
                    frames[depth].items = NULL
                    frames[depth].packed = NULL
                    frames[depth].num_owned = 0
                    depth += 1
                    _frame_open(&frames[depth - 1], elem)
                    continue
                sub.env = ctx.env
                sub.owned = f.owned
                sub.num_owned = f.num_owned
                try:
                    _set_arg(elem, &f.packed[f.next], &sub)
                finally:
                    f.num_owned = sub.num_owned
                f.next += 1
                continue
            # every element converted: build the container
            built.type_index = kTVMFFINone
            built.zero_padding = 0
            built.v_int64 = 0
            ret = _safe_call(f.ctor, f.packed, <int32_t>f.size, &built)
            _frame_close(f)
            depth -= 1
            if ret != 0:
                raise _ffi_call_exception(ret)
            if depth == 0:
                out[0] = built
                if built.type_index >= kTVMFFIStaticObjectBegin:
                    _push_owned(ctx, built.v_obj)
            else:
                f = &frames[depth - 1]
                f.packed[f.next] = built
                if built.type_index >= kTVMFFIStaticObjectBegin:
                    f.owned[f.num_owned] = built.v_obj
                    f.num_owned += 1
                f.next += 1
    finally:
        for i in range(depth):
            _frame_close(&frames[i])
        if frames != stack_frames:
            PyMem_Free(frames)
    return 0
