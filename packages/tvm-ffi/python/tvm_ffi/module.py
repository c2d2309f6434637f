"""``Module``: a loaded library or other function container (python_api.md section 3.5)."""

import json
import os
from enum import IntEnum

from . import _ffi_api, core
from .registry import register_object

__all__ = ["Module", "ModulePropertyMask", "load_module", "system_lib"]


def _check_function_name(name):
    if not isinstance(name, str):
        raise TypeError("function name must be a str, got %s: %r" % (type(name).__name__, name))


class ModulePropertyMask(IntEnum):
    """Bits of ``Module.get_property_mask()``."""

    BINARY_SERIALIZABLE = 1
    RUNNABLE = 2
    COMPILATION_EXPORTABLE = 4


@register_object("ffi.Module")
class Module(core.Object):
    """A module: exported functions by name (``mod.func``, ``mod["func"]``), imports, kind.

    Examples
    --------
    .. code-block:: python

        mod = tvm_ffi.load_module("build/add_one_cpu.so")
        x = np.array([1, 2, 3], dtype=np.float32)
        y = np.empty_like(x)
        mod.add_one_cpu(x, y)
    """

    entry_name = "main"

    @property
    def kind(self):
        """The module kind (e.g. ``"library"``)."""
        return _ffi_api.ModuleGetKind(self)

    @property
    def imports(self):
        """Imported modules (an ``Array`` of ``Module``)."""
        return self.imports_

    def implements_function(self, name, query_imports=False):
        """Whether the module (or, with ``query_imports``, an import) provides ``name``."""
        return _ffi_api.ModuleImplementsFunction(self, name, query_imports)

    def get_function_metadata(self, name, query_imports=False):
        """Metadata of function ``name`` as a ``dict`` (e.g. ``{"type_schema": "<json>"}``),
        or ``None`` when the module records none for it. Library modules read it from the
        optional ``__tvm_ffi__metadata_<name>`` symbol."""
        _check_function_name(name)
        text = _ffi_api.ModuleGetFunctionMetadata(self, name, bool(query_imports))
        if text is None:
            return None
        return json.loads(str(text))

    def get_function_doc(self, name, query_imports=False):
        """Docstring of function ``name`` (``str``), or ``None`` when the module records none
        (or an empty one). Library modules read it from the optional ``__tvm_ffi__doc_<name>``
        symbol."""
        _check_function_name(name)
        text = _ffi_api.ModuleGetFunctionDoc(self, name, bool(query_imports))
        if text is None or len(text) == 0:
            return None
        return str(text)

    def get_function(self, name, query_imports=False):
        """The function ``name``; AttributeError when missing."""
        func = _ffi_api.ModuleGetFunction(self, name, query_imports)
        if func is None:
            raise AttributeError("Module has no function '%s'" % name)
        return func

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        func = self.get_function(name)
        self.__dict__[name] = func
        return func

    def __getitem__(self, name):
        if not isinstance(name, str):
            raise ValueError("Can only take string as function name")
        return self.get_function(name)

    def __call__(self, *args):
        return self.main(*args)

    def import_module(self, module):
        """Add ``module`` to the imports."""
        _ffi_api.ModuleImportModule(self, module)

    def clear_imports(self):
        """Drop all imports."""
        _ffi_api.ModuleClearImports(self)

    def inspect_source(self, fmt=""):
        """Source text of the module in format ``fmt``."""
        return _ffi_api.ModuleInspectSource(self, fmt)

    def get_write_formats(self):
        """Formats accepted by ``write_to_file``."""
        return _ffi_api.ModuleGetWriteFormats(self)

    def get_property_mask(self):
        """Property bits (see ``ModulePropertyMask``)."""
        return _ffi_api.ModuleGetPropertyMask(self)

    def is_binary_serializable(self):
        return (self.get_property_mask() & ModulePropertyMask.BINARY_SERIALIZABLE) != 0

    def is_runnable(self):
        return (self.get_property_mask() & ModulePropertyMask.RUNNABLE) != 0

    def is_compilation_exportable(self):
        return (self.get_property_mask() & ModulePropertyMask.COMPILATION_EXPORTABLE) != 0

    def write_to_file(self, file_name, fmt=""):
        """Write the module to ``file_name``."""
        _ffi_api.ModuleWriteToFile(self, file_name, fmt)


def load_module(path, keep_module_alive=True):
    """Load a shared library (or other module file) as a ``Module``.

    ``path``: a ``str``, a ``bytes`` file-system path (decoded with ``os.fsdecode``, as the
    ``os`` functions do) or an ``os.PathLike``; anything else raises ``TypeError``.

    ``keep_module_alive`` (default ``True``): register the module in the runtime's
    process-lifetime keep-alive list, so the module object (and its library) stays alive after
    every Python reference is gone; with ``False`` the module is destroyed with its last
    reference. Must be a ``bool``. Only the first module loaded from a given library file is
    registered: loading the same file again (a JIT cache hit, say) adds nothing, so repeated
    loads do not grow the list. (This runtime never unloads a library either way.)
    """
    try:
        path = os.fsdecode(os.fspath(path))
    except TypeError:
        raise TypeError(
            "load_module() argument 'path' must be str, bytes or os.PathLike, not %s"
            % type(path).__name__
        ) from None
    if not isinstance(keep_module_alive, bool):
        raise TypeError(
            "load_module() argument 'keep_module_alive' must be bool, not %s"
            % type(keep_module_alive).__name__
        )
    mod = _ffi_api.ModuleLoadFromFile(path)
    if keep_module_alive:
        library = os.path.realpath(path)
        if library not in _KEPT_ALIVE_LIBRARIES:
            _ffi_api.ModuleGlobalsAdd(mod)
            _KEPT_ALIVE_LIBRARIES.add(library)
    return mod


# Library files (real paths) whose first keep-alive module is in the runtime's list; bounded by
# the number of distinct library files loaded.
_KEPT_ALIVE_LIBRARIES: set = set()


def system_lib(symbol_prefix=""):
    """The process-wide system-library module for ``symbol_prefix``."""
    return _ffi_api.SystemLib(symbol_prefix)
