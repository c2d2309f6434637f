"""Tensor, Shape and device helpers (python_api.md sections 3.8, 3.9, 6)."""

import numbers

from . import _ffi_api, core
from .core import Device, DLDeviceType, Tensor, from_dlpack  # noqa: F401
from .registry import register_object

__all__ = ["Shape", "Tensor", "Device", "DLDeviceType", "device", "from_dlpack"]


@register_object("ffi.Shape")
class Shape(tuple, core.PyNativeObject):
    """A tuple of ints backed by an ``ffi.Shape`` object."""

    def __new__(cls, content):
        content = tuple(content)
        if any(not isinstance(x, numbers.Integral) for x in content):
            raise ValueError("Shape must be a tuple of integers")
        val = tuple.__new__(cls, content)
        val.__init_cached_object_by_constructor__(_ffi_api.Shape, *content)
        return val

    @staticmethod
    def __from_tvm_ffi_object__(cls, obj):
        content = core._shape_obj_get_py_tuple(obj)
        val = tuple.__new__(cls, content)
        val._tvm_ffi_cached_object = obj
        return val

    def __reduce__(self):
        return (Shape, (tuple(self),))


def device(device_type, index=None):
    """A device of the current device class, e.g. ``device("cuda", 0)`` or ``device("cpu:0")``."""
    return core._CLASS_DEVICE(device_type, index)
