# Device (a DLDevice) and DLDeviceType.

class DLDeviceType(_enum.IntEnum):
    """DLPack device type codes."""
    kDLCPU = 1
    kDLCUDA = 2
    kDLCUDAHost = 3
    kDLOpenCL = 4
    kDLVulkan = 7
    kDLMetal = 8
    kDLVPI = 9
    kDLROCM = 10
    kDLROCMHost = 11
    kDLExtDev = 12
    kDLCUDAManaged = 13
    kDLOneAPI = 14
    kDLWebGPU = 15
    kDLHexagon = 16
    kDLTrn = 17


_DEVICE_NAME_TO_TYPE = {
    "llvm": 1, "cpu": 1, "c": 1, "test": 1,
    "cuda": 2, "nvptx": 2,
    "cl": 4, "opencl": 4,
    "vulkan": 7,
    "metal": 8,
    "vpi": 9,
    "rocm": 10,
    "ext_dev": 12,
    "hexagon": 16,
    "webgpu": 15,
    "trn": 17,
}

_DEVICE_TYPE_TO_NAME = {
    1: "cpu", 2: "cuda", 3: "cuda_host", 13: "cuda_managed", 4: "opencl", 7: "vulkan",
    8: "metal", 9: "vpi", 10: "rocm", 11: "rocm_host", 12: "ext_dev", 14: "oneapi",
    15: "webgpu", 16: "hexagon", 17: "trn",
}


cdef class Device:
    """A device: (device type, index), e.g. ``Device("cuda", 0)`` or ``Device("cpu:1")``."""
    cdef DLDevice cdevice

    def __init__(self, device_type, index=None):
        if index is None:
            index = 0
        if isinstance(device_type, str):
            text = device_type.split(" ")[0]
            parts = text.split(":")
            if len(parts) > 2:
                raise ValueError("Invalid device: " + device_type)
            name = parts[0]
            if name not in _DEVICE_NAME_TO_TYPE:
                raise ValueError("Unknown device: " + name)
            if len(parts) == 2:
                try:
                    index = int(parts[1])
                except ValueError:
                    raise ValueError("Invalid device index: " + parts[1]) from None
            device_type = _DEVICE_NAME_TO_TYPE[name]
        if not isinstance(index, int) or isinstance(index, bool):
            raise TypeError("Invalid device index: " + str(index))
        if isinstance(device_type, bool) or not isinstance(device_type, int):
            try:
                device_type = _operator_index(device_type)
            except TypeError:
                raise TypeError("Invalid device type: " + repr(device_type)) from None
        self.cdevice.device_type = <c_DLDeviceType>(<int>device_type)
        self.cdevice.device_id = <int32_t>index

    def __reduce__(self):
        return (_create_device_from_tuple,
                (type(self), <int>self.cdevice.device_type, self.cdevice.device_id))

    def __eq__(self, other):
        if not isinstance(other, Device):
            return False
        return (self.cdevice.device_type == (<Device>other).cdevice.device_type
                and self.cdevice.device_id == (<Device>other).cdevice.device_id)

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash((<int>self.cdevice.device_type, self.cdevice.device_id))

    def __str__(self):
        return self.__device_type_name__() + ":" + str(self.cdevice.device_id)

    def __repr__(self):
        name = _DEVICE_TYPE_TO_NAME.get(<int>self.cdevice.device_type)
        # repr never raises: a device type outside the table (e.g. from a foreign DLPack
        # producer) prints as its number
        type_text = ("'" + name + "'") if name is not None else str(<int>self.cdevice.device_type)
        return "device(type=" + type_text + ", index=" + str(self.cdevice.device_id) + ")"

    def __device_type_name__(self):
        name = _DEVICE_TYPE_TO_NAME.get(<int>self.cdevice.device_type)
        if name is None:
            raise ValueError("unknown DLPack device type " + str(<int>self.cdevice.device_type))
        return name

    def dlpack_device_type(self):
        return <int>self.cdevice.device_type

    @property
    def type(self):
        return self.__device_type_name__()

    @property
    def index(self):
        return self.cdevice.device_id


cdef object _c_class_device = Device
_CLASS_DEVICE = Device


cdef object _make_device(object cls, int device_type, int device_id):
    cdef Device d = <Device>_new_instance(cls)
    d.cdevice.device_type = <c_DLDeviceType>device_type
    d.cdevice.device_id = device_id
    return d


def _create_device_from_tuple(cls, device_type, device_id):
    """Pickle helper: build ``cls`` from (device_type, device_id)."""
    return _make_device(cls, device_type, device_id)


def _set_class_device(cls):
    """Install the Device subclass used for returned devices and ``tvm_ffi.device()``."""
    global _c_class_device, _CLASS_DEVICE
    if not (isinstance(cls, type) and issubclass(cls, Device)):
        raise TypeError("expect a subclass of Device")
    _c_class_device = cls
    _CLASS_DEVICE = cls
