"""``field()``: per-field options of a ``c_class``."""

from dataclasses import MISSING


class Field:
    """Placeholder describing one field of a ``c_class``.

    ``default_factory`` (callable or MISSING) gives the Python-side default; ``init`` says
    whether the field is a parameter of the generated ``__init__``; ``repr`` whether the
    generated ``__repr__`` shows it; ``type`` is the annotation (set by ``c_class``).
    """

    __slots__ = ("default_factory", "init", "name", "repr", "type")

    def __init__(self, *, name=None, default_factory=MISSING, init=True, repr=True):
        self.name = name
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.type = None  # the annotation, filled in by c_class

    def __repr__(self):
        return "Field(name=%r, init=%r, repr=%r, has_default=%r)" % (
            self.name,
            self.init,
            self.repr,
            self.default_factory is not MISSING,
        )


def _constant_factory(value):
    def factory():
        return value

    # remembered so that inspect.signature(cls.__init__) can show the constant itself
    factory.__tvm_ffi_default_value__ = value  # type: ignore[attr-defined]
    return factory


def field(*, default=MISSING, default_factory=MISSING, init=True, repr=True):
    """Declare a field of a ``c_class``.

    Parameters
    ----------
    default
        A constant default value of the ``__init__`` parameter.
    default_factory
        A zero-argument callable computing the default (called once per construction).
        ``default`` and ``default_factory`` are mutually exclusive.
    init
        Whether the field is a parameter of the generated ``__init__``. A field with
        ``init=False`` and a default is still set from its default; without a default the C++
        constructor initialises it.
    repr
        Whether the generated ``__repr__`` shows the field.

    Examples
    --------
    .. code-block:: python

        import tvm_ffi.testing  # registers the testing.* C++ types
        from tvm_ffi.dataclasses import c_class, field

        @c_class("testing.TestCxxInitSubset")
        class InitSubset:
            required_field: int
            optional_field: int = field(init=False)
            note: str = field(default_factory=lambda: "py-default", init=False)

        obj = InitSubset(required_field=5)
        assert obj.required_field == 5 and obj.note == "py-default"
    """
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("Cannot specify both `default` and `default_factory`")
    if not isinstance(init, bool):
        raise TypeError("`init` must be a bool, got " + type(init).__name__)
    if not isinstance(repr, bool):
        raise TypeError("`repr` must be a bool, got " + type(repr).__name__)
    if default_factory is not MISSING and not callable(default_factory):
        raise TypeError("`default_factory` must be callable, got " + type(default_factory).__name__)
    if default is not MISSING:
        default_factory = _constant_factory(default)
    return Field(default_factory=default_factory, init=init, repr=repr)
