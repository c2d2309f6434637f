"""tvm_ffi: Python bindings of TVM FFI, an open C ABI and FFI for machine learning systems.

``import tvm_ffi`` loads libtvm_ffi and the compiled core; it imports neither torch nor numpy
nor the testing library (those are used when present and loaded on demand).
"""

__version__ = "0.1.0"

# The import order below is the load order: keep it.
# isort: off
# (1) the shared library, loaded RTLD_GLOBAL before the extension
from . import base  # noqa: E402
from . import libinfo  # noqa: E402
from .base import _LIB as LIB  # noqa: E402

# (2) the compiled core and the Python layers on top of it
from . import core  # noqa: E402
from . import registry  # noqa: E402
from .registry import (  # noqa: E402
    get_global_func,
    get_global_func_metadata,
    init_ffi_api,
    register_global_func,
    register_object,
    remove_global_func,
)
from . import error  # noqa: E402
from .error import register_error  # noqa: E402
from . import _ffi_api  # noqa: E402
from . import _dtype  # noqa: E402
from ._dtype import dtype  # noqa: E402
from .core import (  # noqa: E402
    Device,
    DLDeviceType,
    Function,
    Object,
    ObjectConvertible,
    Tensor,
    from_dlpack,
)
from . import _convert  # noqa: E402
from ._convert import convert  # noqa: E402
from . import _tensor  # noqa: E402
from ._tensor import Shape, device  # noqa: E402
from . import container  # noqa: E402
from .container import Array, Dict, List, Map  # noqa: E402
from . import module  # noqa: E402
from .module import Module, load_module, system_lib  # noqa: E402
from . import stream  # noqa: E402
from .stream import StreamContext, get_raw_stream, use_raw_stream, use_torch_stream  # noqa: E402

# (3) submodules
from . import serialization  # noqa: E402
from . import access_path  # noqa: E402
from . import dataclasses  # noqa: E402
from . import _optional_torch_c_dlpack  # noqa: E402
# isort: on

__all__ = [
    "Array",
    "LIB",
    "DLDeviceType",
    "Device",
    "Dict",
    "Function",
    "List",
    "Map",
    "Module",
    "Object",
    "ObjectConvertible",
    "Shape",
    "StreamContext",
    "Tensor",
    "__version__",
    "access_path",
    "convert",
    "dataclasses",
    "device",
    "dtype",
    "from_dlpack",
    "get_global_func",
    "get_global_func_metadata",
    "get_raw_stream",
    "init_ffi_api",
    "load_module",
    "register_error",
    "register_global_func",
    "register_object",
    "remove_global_func",
    "serialization",
    "system_lib",
    "use_raw_stream",
    "use_torch_stream",
]


def __getattr__(name):
    # Lazy submodules: ``tvm_ffi.testing`` (installed by tvm-ffi-testing), ``tvm_ffi.cpp``,
    # ``tvm_ffi.utils``, ``tvm_ffi.config``, ``tvm_ffi.stub``, and ``tvm_ffi.torch``.
    import importlib

    if name == "torch":
        try:
            torch = importlib.import_module("torch")
        except ImportError:
            raise AttributeError("module 'tvm_ffi' has no attribute 'torch'") from None
        _optional_torch_c_dlpack._on_torch_imported()
        return torch
    if name in ("structural_equal", "structural_hash", "get_first_structural_mismatch"):
        return getattr(importlib.import_module(__name__ + ".structural"), name)
    if name in ("testing", "cpp", "utils", "config", "stub", "structural"):
        if name == "testing":
            registry._plugins_imported.add(__name__ + ".testing")
        try:
            return importlib.import_module(__name__ + "." + name)
        except ModuleNotFoundError as err:
            if err.name != __name__ + "." + name:
                raise
    raise AttributeError("module %r has no attribute %r" % (__name__, name))
