"""``field()``: per-field options of a ``c_class``."""
from dataclasses import MISSING


class Field:
    """Placeholder describing one field of a ``c_class``.

    ``default_factory`` (callable or MISSING) gives the Python-side default; ``init`` says
    whether the field is a parameter of the generated ``__init__``.
    """

    __slots__ = ("default_factory", "init", "name")

    def __init__(self, *, name=None, default_factory=MISSING, init=True):
        self.name = name
        self.default_factory = default_factory
        self.init = init

    def __repr__(self):
        return "Field(name=%r, init=%r, has_default=%r)" % (
            self.name, self.init, self.default_factory is not MISSING)


def _constant_factory(value):
    def factory():
        return value

    return factory


def field(*, default=MISSING, default_factory=MISSING, init=True):
    """Declare a field of a ``c_class``.

    Examples
    --------
    .. code-block:: python

        @c_class("testing.TestCxxClassDerivedDerived")
        class Derived(Base):
            v_str: str = field(default_factory=lambda: "default")
            v_bool: bool
    """
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("Cannot specify both `default` and `default_factory`")
    if not isinstance(init, bool):
        raise TypeError("`init` must be a bool, got " + type(init).__name__)
    if default is not MISSING:
        default_factory = _constant_factory(default)
    return Field(default_factory=default_factory, init=init)
