"""Global function registry, object type registration and the plugin hook."""

import importlib
import json
import os
import sys
import threading

from . import core
from .core import Function, Object, TypeInfo  # noqa: F401

__all__ = [
    "get_global_func",
    "get_global_func_metadata",
    "init_ffi_api",
    "list_global_func_names",
    "register_global_func",
    "register_object",
    "remove_global_func",
]

# When True, register_object() on an unknown type key returns the class unchanged.
_SKIP_UNKNOWN_OBJECTS = False


# ------------------------------------------------------------------------------------------------
# Plugins: tvm_ffi/_plugins/*.txt lines "<name-prefix> <python-module>"
# ------------------------------------------------------------------------------------------------
_PLUGIN_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_plugins")
_plugin_table = None
_plugins_imported: set[str] = set()
_plugin_lock = threading.RLock()


def _read_plugin_table():
    table: list[tuple[str, str]] = []
    try:
        names = sorted(os.listdir(_PLUGIN_DIR))
    except OSError:
        return table
    for fname in names:
        if not fname.endswith(".txt"):
            continue
        try:
            with open(os.path.join(_PLUGIN_DIR, fname), encoding="utf-8") as f:
                lines = f.read().splitlines()
        except OSError:
            continue
        for line in lines:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            if len(parts) != 2:
                continue
            table.append((parts[0], parts[1]))
    return table


def _plugin_modules_for(name):
    """Python modules of the plugins whose prefix matches ``name`` and that are not loaded."""
    global _plugin_table
    with _plugin_lock:
        if _plugin_table is None:
            _plugin_table = _read_plugin_table()
        return [
            mod
            for prefix, mod in _plugin_table
            if name.startswith(prefix) and mod not in _plugins_imported
        ]


def _load_plugin_module(module):
    with _plugin_lock:
        if module in _plugins_imported:
            return False
        _plugins_imported.add(module)
    importlib.import_module(module)
    return True


def _on_global_func_miss(name):
    """Called by core on a missing global function: import the matching plugins once."""
    loaded = False
    for module in _plugin_modules_for(name):
        loaded = _load_plugin_module(module) or loaded
    return loaded


core._set_global_func_miss_hook(_on_global_func_miss)


# ------------------------------------------------------------------------------------------------
# Global functions
# ------------------------------------------------------------------------------------------------
def register_global_func(func_name, f=None, override=False):
    """Register a Python callable (or Function) as a global FFI function.

    Forms: ``@register_global_func("name")``, ``register_global_func("name", f)``,
    bare ``@register_global_func`` and ``register_global_func(f)`` (name = ``f.__name__``).
    Returns the registered ``Function``.

    Examples
    --------
    .. code-block:: python

        @tvm_ffi.register_global_func("mytest.echo")
        def echo(x):
            return x

        f = tvm_ffi.get_global_func("mytest.echo")
        assert f(1) == 1
    """
    if callable(func_name) and f is None:
        f = func_name
        func_name = f.__name__
    if not isinstance(func_name, str):
        raise ValueError("expect string function name")

    def register(myf):
        return core._register_global_func(func_name, myf, override)

    if f is not None:
        return register(f)
    return register


# get_global_func(name, allow_missing=False): the compiled lookup itself (hot in user code).
get_global_func = core._get_global_func


def list_global_func_names():
    """Names of all registered global functions."""
    functor = core._get_global_func("ffi.FunctionListGlobalNamesFunctor", False)()
    return [functor(i) for i in range(functor(-1))]


def remove_global_func(name):
    """Remove the global function ``name``."""
    return core._get_global_func("ffi.FunctionRemoveGlobal", False)(name)


def get_global_func_metadata(name):
    """Metadata of a global function as a dict (includes ``"type_schema"``)."""
    text = core._get_global_func("ffi.GetGlobalFuncMetadata", False)(name)
    return json.loads(text)


def get_global_func_doc(name):
    """Docstring given when the global function ``name`` was registered, or None.

    Functions registered from C++ with ``GlobalDef().def(name, f, "doc")`` carry their doc;
    functions registered from Python or without a doc give None. Unknown name ->
    ``RuntimeError``. (Not in ``__all__``: an extension over 0.1.0.)
    """
    text = core._get_global_func("ffi.GetGlobalFuncDoc", False)(name)
    return text if text else None


def init_ffi_api(namespace, target_module_name=None):
    """Expose every global ``<namespace>.<name>`` (no further dot) as ``<target>.<name>``."""
    target_module_name = target_module_name if target_module_name else namespace
    prefix = namespace[4:] if namespace.startswith("tvm.") else namespace
    target = sys.modules[target_module_name]
    for name in list_global_func_names():
        if not name.startswith(prefix + "."):
            continue
        fname = name[len(prefix) + 1 :]
        if "." in fname:
            continue
        f = get_global_func(name)
        f.__name__ = fname
        setattr(target, fname, f)


# ------------------------------------------------------------------------------------------------
# Object types
# ------------------------------------------------------------------------------------------------
def register_object(type_key=None):
    """Bind a Python class to an FFI object type (key defaults to the class name).

    Reflected fields become properties and reflected methods become methods, unless the class
    already has an attribute of that name. Both a base and a derived class must be registered
    for ``isinstance`` to follow the C++ hierarchy.
    """

    def register(cls, key):
        type_index = core._object_type_key_to_index(key)
        if type_index is None and _on_global_func_miss(key):
            # the type may live in a plugin library (e.g. "testing." types)
            type_index = core._object_type_key_to_index(key)
        if type_index is None:
            if _SKIP_UNKNOWN_OBJECTS:
                return cls
            raise ValueError("Cannot find object type index for " + str(key))
        info = core._register_object_by_index(type_index, cls)
        core._add_type_members(cls, info)
        try:
            cls.__tvm_ffi_type_info__ = info
        except TypeError:
            pass
        return cls

    if isinstance(type_key, str):
        return lambda cls: register(cls, type_key)
    if isinstance(type_key, type):
        return register(type_key, type_key.__name__)
    if type_key is None:
        return lambda cls: register(cls, cls.__name__)
    raise TypeError("type_key must be a string, type, or None")
