"""Optional torch integration.

torch >= 2.10 publishes its DLPack exchange API as the capsule
``torch.Tensor.__dlpack_c_exchange_api__``; tvm_ffi uses it directly for tensor arguments. For
code written against tvm_ffi 0.1.0 we also expose it as the int attribute
``torch.Tensor.__c_dlpack_exchange_api__``. Nothing is compiled at import time and torch is never
imported by ``import tvm_ffi``: the patch is applied when torch is (or gets) imported.
"""

import ctypes
import sys


def _capsule_pointer(capsule, name):
    get = ctypes.pythonapi.PyCapsule_GetPointer
    get.restype = ctypes.c_void_p
    get.argtypes = [ctypes.py_object, ctypes.c_char_p]
    return get(capsule, name)


def load_torch_c_dlpack_extension():
    """Expose torch's exchange API as ``torch.Tensor.__c_dlpack_exchange_api__`` (int).

    Returns the address, or None when torch is not imported or provides no exchange API.
    """
    torch = sys.modules.get("torch")
    if torch is None:
        return None
    existing = getattr(torch.Tensor, "__c_dlpack_exchange_api__", None)
    if isinstance(existing, int) and existing:
        return existing
    capsule = getattr(torch.Tensor, "__dlpack_c_exchange_api__", None)
    if capsule is None:
        return None
    try:
        addr = _capsule_pointer(capsule, b"dlpack_exchange_api")
    except Exception:  # pylint: disable=broad-except
        return None
    if not addr:
        return None
    try:
        torch.Tensor.__c_dlpack_exchange_api__ = addr
    except (AttributeError, TypeError):
        return None
    return addr


def patch_torch_cuda_stream_protocol():
    """Give ``torch.cuda.Stream`` a ``__cuda_stream__`` method if it lacks one."""
    torch = sys.modules.get("torch")
    if torch is None or not hasattr(torch, "cuda"):
        return
    stream_cls = getattr(torch.cuda, "Stream", None)
    if stream_cls is None or hasattr(stream_cls, "__cuda_stream__"):
        return
    try:
        if not torch.cuda.is_available():
            return
    except Exception:  # pylint: disable=broad-except
        return

    def __cuda_stream__(self):
        return (0, self.cuda_stream)

    stream_cls.__cuda_stream__ = __cuda_stream__


def _on_torch_imported():
    load_torch_c_dlpack_extension()
    patch_torch_cuda_stream_protocol()


if "torch" in sys.modules:
    _on_torch_imported()
