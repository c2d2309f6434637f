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
    PyObject* items            # the list, or a tuple of the elements (dict: key, value, ...); owned
    bint items_is_list         # a list is read in place (its size is checked at every element)
    bint packed_on_heap
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


DEF _SMALL_FRAME = 16


cdef extern from "Python.h":
    # the same macros as elsewhere, on borrowed pointers (no reference counting)
    PyTypeObject* _raw_type "Py_TYPE"(PyObject* o) nogil
    long long _raw_as_long_long "PyLong_AsLongLongAndOverflow"(PyObject* o, int* overflow) nogil
    double _raw_as_double "PyFloat_AS_DOUBLE"(PyObject* o) nogil
    PyObject* _raw_list_item "PyList_GET_ITEM"(PyObject* o, Py_ssize_t i) nogil
    PyObject* _raw_tuple_item "PyTuple_GET_ITEM"(PyObject* o, Py_ssize_t i) nogil


cdef inline bint _set_plain_scalar(PyObject* o, TVMFFIAny* out) noexcept:
    """Write an exact int (fitting int64), float, bool or None; False for anything else."""
    cdef PyTypeObject* t = _raw_type(o)
    cdef int overflow = 0
    cdef long long v
    if t == <PyTypeObject*>int:
        v = _raw_as_long_long(o, &overflow)
        if overflow != 0:
            return False  # the general path raises the OverflowError
        out.type_index = kTVMFFIInt
        out.zero_padding = 0
        out.v_int64 = v
        return True
    if t == <PyTypeObject*>float:
        out.type_index = kTVMFFIFloat
        out.zero_padding = 0
        out.v_float64 = _raw_as_double(o)
        return True
    if o == Py_None:
        out.type_index = kTVMFFINone
        out.zero_padding = 0
        out.v_int64 = 0
        return True
    if t == <PyTypeObject*>bool:
        out.type_index = kTVMFFIBool
        out.zero_padding = 0
        out.v_int64 = 1 if o == Py_True else 0
        return True
    return False


cdef int _frame_open(_ContainerFrame* f, object source, TVMFFIAny* small_buffer) except -1:
    """Start converting ``source``; ``small_buffer`` (or NULL) holds up to _SMALL_FRAME slots."""
    cdef type t = type(source)
    f.source = <PyObject*>source
    f.items = NULL
    f.items_is_list = t is list
    f.packed_on_heap = False
    f.packed = NULL
    f.owned = NULL
    f.num_owned = 0
    f.next = 0
    if t is tuple or t is list or not (issubclass(t, dict)):
        f.ctor = _FFI_ARRAY_HANDLE
        items = source if (t is tuple or t is list) else tuple(source)
    else:
        f.ctor = _FFI_MAP_HANDLE
        flat = []
        for k, v in source.items():
            flat.append(k)
            flat.append(v)
        items = tuple(flat)
    if f.ctor == NULL:
        raise RuntimeError("global function ffi.Array / ffi.Map is not available")
    f.size = PyList_GET_SIZE(items) if f.items_is_list else PyTuple_GET_SIZE(items)
    if f.size > 0 and small_buffer != NULL and f.size <= _SMALL_FRAME:
        f.packed = small_buffer
        f.owned = <void**>(small_buffer + _SMALL_FRAME)
    elif f.size > 0:
        f.packed = <TVMFFIAny*>PyMem_Malloc(f.size * (sizeof(TVMFFIAny) + sizeof(void*)))
        if f.packed == NULL:
            raise MemoryError()
        f.packed_on_heap = True
        f.owned = <void**>(f.packed + f.size)
    Py_INCREF(items)
    f.items = <PyObject*>items
    return 0


cdef void _frame_close(_ContainerFrame* f) noexcept:
    cdef int32_t i
    for i in range(f.num_owned):
        TVMFFIPyReleaseTemporary(f.owned[i])
    f.num_owned = 0
    if f.packed_on_heap:
        PyMem_Free(f.packed)
        f.packed_on_heap = False
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
    # root frame slots: _SMALL_FRAME values, then _SMALL_FRAME owned pointers (8 bytes each)
    cdef TVMFFIAny small_buffer[24]  # 16 values + 16 pointers (8 slots of 16 bytes)
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
        _frame_open(&frames[0], arg, small_buffer)
        depth = 1
        while depth > 0:
            f = &frames[depth - 1]
            if f.next < f.size:
                # Python code run by an earlier element may have resized the list
                if f.items_is_list and PyList_GET_SIZE(<object>f.items) != f.size:
                    raise RuntimeError("list changed size during conversion")
                # fast path: exact int/float/bool/None elements, read as borrowed references
                # (converting them runs no Python code, so the container cannot change meanwhile)
                while f.next < f.size and _set_plain_scalar(
                        _raw_list_item(f.items, f.next) if f.items_is_list
                        else _raw_tuple_item(f.items, f.next), &f.packed[f.next]):
                    f.next += 1
                if f.next == f.size:
                    continue
                if f.items_is_list:
                    elem = <object>PyList_GET_ITEM(<object>f.items, f.next)
                else:
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
                    frames[depth].packed_on_heap = False
                    frames[depth].num_owned = 0
                    depth += 1
                    _frame_open(&frames[depth - 1], elem, NULL)
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
