"""``c_class``: bind a dataclass-like Python declaration to a reflected C++ class."""

import inspect
import reprlib
import typing
from dataclasses import MISSING

from typing_extensions import dataclass_transform

from .. import core
from .field import Field, field


def _is_classvar_or_initvar(annotation):
    if isinstance(annotation, str):
        text = annotation.replace(" ", "")
        for prefix in ("ClassVar", "typing.ClassVar", "InitVar", "dataclasses.InitVar"):
            if text == prefix or text.startswith(prefix + "["):
                return True
        return False
    if annotation is typing.ClassVar or typing.get_origin(annotation) is typing.ClassVar:
        return True
    return type(annotation).__name__ == "InitVar"


def _own_annotations(cls):
    ann = cls.__dict__.get("__annotations__", {})
    return {
        name: a
        for name, a in ann.items()
        if not name.startswith("__tvm_ffi") and not _is_classvar_or_initvar(a)
    }


def _field_from_class_value(name, value):
    if value is MISSING:
        ret = field()
    elif isinstance(value, Field):
        ret = value
    elif value is None or isinstance(value, (int, float, str, bool)):
        ret = field(default=value)
    else:
        raise ValueError("Cannot recognize field: %s = %r" % (name, value))
    ret.name = name
    return ret


def _hierarchy_fields(type_info):
    """Dataclass fields of the whole hierarchy, base first."""
    chain = []
    info = type_info
    while info is not None:
        chain.append(info)
        info = info.parent_type_info
    fields = []
    for info in reversed(chain):
        for f in info.fields:
            if f.dataclass_field is not None:
                fields.append(f.dataclass_field)
    return fields


class _FactoryDefault:
    """Signature placeholder of a parameter whose default comes from a ``default_factory``."""

    __slots__ = ()

    def __repr__(self):
        return "<factory>"


_FACTORY = _FactoryDefault()


def _signature_default(f):
    if f.default_factory is MISSING:
        return inspect.Parameter.empty
    return getattr(f.default_factory, "__tvm_ffi_default_value__", _FACTORY)


def _make_init(cls_name, type_info):
    fields = _hierarchy_fields(type_info)
    required = [f for f in fields if f.init and f.default_factory is MISSING]
    optional = [f for f in fields if f.init and f.default_factory is not MISSING]
    params = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    for f in required + optional:
        annotation = f.type if f.type is not None else inspect.Parameter.empty
        params.append(
            inspect.Parameter(
                f.name,
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                default=_signature_default(f),
                annotation=annotation,
            )
        )
    signature = inspect.Signature(params, return_annotation=None)

    def __init__(self, *args, **kwargs):
        bound = signature.bind(self, *args, **kwargs)
        values = bound.arguments
        ffi_args = []
        for f in fields:
            if f.init:
                value = values.get(f.name, _FACTORY)
                if value is _FACTORY:
                    value = f.default_factory()
                ffi_args.append(value)
            elif f.default_factory is not MISSING:
                ffi_args.append(f.default_factory())
        self.__ffi_init__(*ffi_args)
        post_init = getattr(self, "__post_init__", None)
        if post_init is not None:
            post_init()

    __init__.__signature__ = signature  # type: ignore[attr-defined]
    __init__.__qualname__ = cls_name + ".__init__"
    return __init__


def _make_repr(cls_name, type_info):
    names = [f.name for f in _hierarchy_fields(type_info) if f.repr]

    @reprlib.recursive_repr()
    def __repr__(self):
        if self.__chandle__() == 0:
            return type(self).__name__ + "(chandle=None)"
        parts = ["%s=%r" % (name, getattr(self, name)) for name in names]
        return type(self).__name__ + "(" + ", ".join(parts) + ")"

    __repr__.__qualname__ = cls_name + ".__repr__"
    return __repr__


@dataclass_transform(field_specifiers=(field,))
def c_class(type_key, init=True, repr=True):
    """Declare the Python proxy of the reflected C++ class ``type_key``.

    Annotated class attributes must match the C++ fields of this type exactly (in any order;
    the order of the annotations defines the ``__init__`` parameter order). Unless the class
    defines ``__init__`` (or ``init=False``), an ``__init__`` taking every ``init=True`` field of
    the hierarchy (required ones first, then those with defaults) is generated; it calls
    ``self.__ffi_init__`` with every field that has a value, in field order, and then
    ``self.__post_init__()`` when defined. Unless the class defines ``__repr__`` (or
    ``repr=False``), a ``__repr__`` showing the ``repr=True`` fields of the hierarchy is
    generated. Every field becomes a property reading (and, unless read-only in C++, writing)
    the C++ field, with the C++ field doc as its ``__doc__``.

    Parameters
    ----------
    type_key
        The registered C++ type key, e.g. ``"testing.TestCxxClassBase"``.
    init
        Generate ``__init__`` (ignored when the class body defines one).
    repr
        Generate ``__repr__`` (ignored when the class body defines one).
    """
    if not isinstance(type_key, str):
        raise TypeError("c_class expects a type key (str), got " + type(type_key).__name__)

    def decorator(super_type_cls):
        type_info = core._lookup_or_register_type_info_from_type_key(type_key)
        if type_info.parent_type_info is None:
            raise ValueError("c_class type %s must have a parent type" % type_key)
        annotations = _own_annotations(super_type_cls)
        cxx_fields = {f.name: f for f in type_info.fields}
        for name in annotations:
            if name not in cxx_fields:
                raise ValueError(
                    "Extraneous field `%s.%s`: not a field of C++ type `%s`"
                    % (super_type_cls.__name__, name, type_key)
                )
        missing = [name for name in cxx_fields if name not in annotations]
        if missing:
            raise ValueError(
                "Missing fields in `%s`: %s (C++ type `%s`)"
                % (super_type_cls.__name__, ", ".join(missing), type_key)
            )
        ordered = []
        for name in annotations:
            tf = cxx_fields[name]
            tf.dataclass_field = _field_from_class_value(
                name, super_type_cls.__dict__.get(name, MISSING)
            )
            tf.dataclass_field.type = annotations[name]
            ordered.append(tf)
        type_info.fields = ordered

        bases = super_type_cls.__bases__
        if bases == (object,):
            bases = (core.Object,)
        attrs = {}
        for key, value in super_type_cls.__dict__.items():
            if key in ("__dict__", "__weakref__") or key in annotations:
                continue
            attrs[key] = value
        attrs["__slots__"] = ()
        if init and "__init__" not in super_type_cls.__dict__:
            attrs["__init__"] = _make_init(super_type_cls.__qualname__, type_info)
        if repr and "__repr__" not in super_type_cls.__dict__:
            attrs["__repr__"] = _make_repr(super_type_cls.__qualname__, type_info)
        new_cls = type(super_type_cls.__name__, bases, attrs)
        new_cls.__module__ = super_type_cls.__module__
        new_cls.__qualname__ = super_type_cls.__qualname__
        new_cls.__doc__ = super_type_cls.__doc__
        for tf in type_info.fields:
            setattr(new_cls, tf.name, tf.as_property(new_cls))
        for method in type_info.methods:
            name = "__c_ffi_init__" if method.name == "__ffi_init__" else method.name
            if name not in attrs:
                setattr(new_cls, name, method.as_callable(new_cls))
        new_cls.__tvm_ffi_type_info__ = type_info  # type: ignore[attr-defined]
        core._set_type_cls(type_info, new_cls)
        return new_cls

    return decorator
