"""Env stream contexts (python_api.md section 6.5)."""

import ctypes

from . import core

__all__ = ["StreamContext", "use_raw_stream", "use_torch_stream", "get_raw_stream"]


def _stream_to_int(stream):
    if isinstance(stream, ctypes.c_void_p):
        return stream.value or 0
    return int(stream)


class StreamContext:
    """Sets the env stream of a device for the duration of a ``with`` block."""

    def __init__(self, device, stream):
        self.device_type = device.dlpack_device_type()
        self.device_id = device.index
        self.stream = stream
        self._prev = []

    def __enter__(self):
        prev = core._env_set_current_stream(
            self.device_type, self.device_id, _stream_to_int(self.stream)
        )
        self._prev.append(prev)
        return self

    def __exit__(self, *args):
        prev = self._prev.pop()
        core._env_set_current_stream(self.device_type, self.device_id, prev)
        return False


def use_raw_stream(device, stream):
    """A ``StreamContext`` for a raw stream handle (int or ``ctypes.c_void_p``)."""
    if not isinstance(stream, (int, ctypes.c_void_p)) or isinstance(stream, bool):
        raise ValueError("stream must be an int or ctypes.c_void_p, got " + type(stream).__name__)
    return StreamContext(device, stream)


def get_raw_stream(device):
    """The current env stream of ``device`` as int (0 if none)."""
    return core._env_get_current_stream(device.dlpack_device_type(), device.index)


class TorchStreamContext:
    """Enters a torch stream context (optional) and mirrors torch's current stream in env."""

    def __init__(self, context=None):
        self.torch_context = context
        self._ffi_ctx = None

    def __enter__(self):
        import torch

        from ._tensor import device

        if self.torch_context is not None:
            self.torch_context.__enter__()
        cur = torch.cuda.current_stream()
        self._ffi_ctx = StreamContext(device(str(cur.device)), cur.cuda_stream)
        self._ffi_ctx.__enter__()
        return self

    def __exit__(self, *args):
        if self.torch_context is not None:
            self.torch_context.__exit__(*args)
        if self._ffi_ctx is not None:
            self._ffi_ctx.__exit__(*args)
        return False


def use_torch_stream(context=None):
    """Mirror torch's current CUDA stream (optionally inside ``context``) as env stream."""
    try:
        import torch  # noqa: F401
    except ImportError:
        raise ImportError("Cannot import torch") from None
    return TorchStreamContext(context)
