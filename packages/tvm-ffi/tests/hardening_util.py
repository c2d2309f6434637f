"""Helpers shared by the ``test_hardening_*`` suites (not a test module).

* ``stress_scale()``: the ``TVM_FFI_STRESS_SCALE`` multiplier (default 1.0 for sizes that fit
  CI; the thread stress uses it to go from its CI size to the full 8 x 10**5 run).
* ``fuzz_examples(default)``: the ``TVM_FFI_FUZZ_EXAMPLES`` override of hypothesis'
  ``max_examples``.
* ``malloc_in_use()``: bytes currently allocated by glibc malloc (``mallinfo2``), which sees
  C++ allocations that ``tracemalloc`` cannot; None where unavailable.
* ``DLPackProducer`` / ``make_capsule``: hand-built DLPack managed tensors (ctypes), with a
  deleter that counts its calls and can describe any field values, including lying ones.
* ``run_child``: run a Python snippet in a fresh interpreter with faulthandler on, so a crash
  fails one test (with a traceback) instead of killing pytest.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
import textwrap
from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent


def stress_scale() -> float:
    return float(os.environ.get("TVM_FFI_STRESS_SCALE", "1"))


def fuzz_examples(default: int) -> int:
    value = os.environ.get("TVM_FFI_FUZZ_EXAMPLES")
    return int(value) if value else default


# ------------------------------------------------------------------------------------------
# glibc heap meter
# ------------------------------------------------------------------------------------------
class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


try:
    _libc = ctypes.CDLL(None)
    _mallinfo2 = _libc.mallinfo2
    _mallinfo2.restype = _MallInfo2
    _mallinfo2.argtypes = []
    # Under AddressSanitizer (ci/sanitize) malloc is ASan's, which glibc's meter cannot see;
    # LeakSanitizer checks C/C++ memory there instead.
    if hasattr(_libc, "__asan_init"):
        _mallinfo2 = None
except (OSError, AttributeError):  # not glibc >= 2.33
    _mallinfo2 = None


def malloc_in_use() -> int | None:
    """Bytes in use in the malloc heap (small + mmapped chunks), or None without mallinfo2."""
    if _mallinfo2 is None:
        return None
    info = _mallinfo2()
    return int(info.uordblks) + int(info.hblkhd)


# ------------------------------------------------------------------------------------------
# DLPack by hand
# ------------------------------------------------------------------------------------------
class DLDevice(ctypes.Structure):
    _fields_ = [("device_type", ctypes.c_int32), ("device_id", ctypes.c_int32)]


class DLDataType(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint8), ("bits", ctypes.c_uint8), ("lanes", ctypes.c_uint16)]


class DLTensor(ctypes.Structure):
    _fields_ = [
        ("data", ctypes.c_void_p),
        ("device", DLDevice),
        ("ndim", ctypes.c_int32),
        ("dtype", DLDataType),
        ("shape", ctypes.POINTER(ctypes.c_int64)),
        ("strides", ctypes.POINTER(ctypes.c_int64)),
        ("byte_offset", ctypes.c_uint64),
    ]


class DLManagedTensor(ctypes.Structure):
    pass


_DELETER = ctypes.CFUNCTYPE(None, ctypes.POINTER(DLManagedTensor))
DLManagedTensor._fields_ = [
    ("dl_tensor", DLTensor),
    ("manager_ctx", ctypes.c_void_p),
    ("deleter", _DELETER),
]


class DLPackVersion(ctypes.Structure):
    _fields_ = [("major", ctypes.c_uint32), ("minor", ctypes.c_uint32)]


class DLManagedTensorVersioned(ctypes.Structure):
    pass


_DELETER_V = ctypes.CFUNCTYPE(None, ctypes.POINTER(DLManagedTensorVersioned))
DLManagedTensorVersioned._fields_ = [
    ("version", DLPackVersion),
    ("manager_ctx", ctypes.c_void_p),
    ("deleter", _DELETER_V),
    ("flags", ctypes.c_uint64),
    ("dl_tensor", DLTensor),
]

_PyCapsule_New = ctypes.pythonapi.PyCapsule_New
_PyCapsule_New.restype = ctypes.py_object
_PyCapsule_New.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]
_CAPSULE_NAMES = {False: b"dltensor", True: b"dltensor_versioned"}  # kept alive: capsules
# store the name pointer


class DLPackProducer:
    """Builds DLPack capsules from explicit field values and counts deleter calls.

    Everything a capsule points to (struct, shape/strides arrays, data buffer) stays alive in
    ``self._live`` until the consumer calls the deleter, so a lying *value* never becomes a
    dangling pointer here: only the consumer's handling of the values is under test.
    Capsules are created without a destructor: a consumer that fails must leave the capsule
    named "dltensor", and ``self.pending()`` then reports it as never deleted.
    """

    def __init__(self):
        self.created = 0
        self.deleted = 0
        self.double_deletes = 0
        self._live: dict[int, tuple] = {}
        self._deleter = _DELETER(self._on_delete)
        self._deleter_v = _DELETER_V(self._on_delete)

    def _on_delete(self, ptr):
        addr = ctypes.cast(ptr, ctypes.c_void_p).value
        if self._live.pop(addr, None) is None:
            self.double_deletes += 1
        else:
            self.deleted += 1

    def pending(self) -> int:
        return len(self._live)

    def make_capsule(
        self,
        shape=(4,),
        *,
        dtype=(2, 32, 1),
        ndim=None,
        strides=None,
        data_nbytes=None,
        null_data=False,
        null_shape=False,
        device=(1, 0),
        byte_offset=0,
        versioned=False,
        version=(1, 1),
        flags=0,
    ):
        """A capsule describing ``shape``/``dtype``; ``ndim`` may lie about len(shape)."""
        shape = [int(s) for s in shape]
        ndim = len(shape) if ndim is None else int(ndim)
        # arrays are sized for what the struct claims, so the consumer never reads past them
        n_alloc = max(len(shape), ndim, len(strides or ()), 1)
        shape_arr = (ctypes.c_int64 * n_alloc)(*(shape + [1] * (n_alloc - len(shape))))
        strides_arr = None
        if strides is not None:
            strides = [int(s) for s in strides]
            strides_arr = (ctypes.c_int64 * n_alloc)(*(strides + [0] * (n_alloc - len(strides))))
        if data_nbytes is None:
            count = 1
            for s in shape:
                count *= max(s, 0)
            data_nbytes = min(count * max(dtype[1] // 8, 1) * max(dtype[2], 1), 1 << 20)
        buf = (ctypes.c_uint8 * max(int(data_nbytes), 1))()
        if versioned:
            managed = DLManagedTensorVersioned()
            managed.version.major, managed.version.minor = version
            managed.flags = flags
            managed.deleter = self._deleter_v
        else:
            managed = DLManagedTensor()
            managed.deleter = self._deleter
        t = managed.dl_tensor
        t.data = None if null_data else ctypes.addressof(buf)
        t.device.device_type, t.device.device_id = device
        t.ndim = ndim
        t.dtype.code, t.dtype.bits, t.dtype.lanes = dtype
        t.shape = None if null_shape else ctypes.cast(shape_arr, ctypes.POINTER(ctypes.c_int64))
        t.strides = (
            None
            if strides_arr is None
            else ctypes.cast(strides_arr, ctypes.POINTER(ctypes.c_int64))
        )
        t.byte_offset = byte_offset
        addr = ctypes.addressof(managed)
        self._live[addr] = (managed, shape_arr, strides_arr, buf)
        self.created += 1
        return _PyCapsule_New(addr, _CAPSULE_NAMES[versioned], None)


# ------------------------------------------------------------------------------------------
# Child interpreters
# ------------------------------------------------------------------------------------------
# SIGINT gets Python's own handler explicitly: a process started in the background by a
# non-interactive shell (as CI runners do) inherits SIGINT ignored, and Python then installs no
# handler of its own, so Ctrl-C tests would wait forever for a KeyboardInterrupt.
CHILD_PRELUDE = """
import faulthandler, signal, sys
faulthandler.enable()
signal.signal(signal.SIGINT, signal.default_int_handler)
sys.path.insert(0, {tests_dir!r})
"""


def run_child(
    source: str, *, timeout: float = 300, env: dict | None = None, args: tuple = ()
) -> subprocess.CompletedProcess:
    """Run ``source`` in a fresh interpreter (faulthandler on, tests dir importable)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    code = CHILD_PRELUDE.format(tests_dir=str(TESTS_DIR)) + textwrap.dedent(source)
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
    )


def describe(proc: subprocess.CompletedProcess) -> str:
    return (
        f"rc={proc.returncode}\n--- stdout ---\n{proc.stdout[-4000:]}\n"
        f"--- stderr ---\n{proc.stderr[-6000:]}"
    )
