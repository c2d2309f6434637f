"""Environment streams: StreamContext, use_raw_stream, get_raw_stream, use_torch_stream."""

import ctypes

import pytest

import tvm_ffi
from tvm_ffi import stream as ffi_stream

from conftest import requires_cuda

CUDA0 = tvm_ffi.device("cuda:0")
CUDA1 = tvm_ffi.device("cuda:1")


def test_get_raw_stream_default_is_zero():
    assert tvm_ffi.get_raw_stream(tvm_ffi.device("cuda:7")) == 0


def test_use_raw_stream_nesting(add_one_mod):
    assert tvm_ffi.get_raw_stream(CUDA0) == 0
    with tvm_ffi.use_raw_stream(CUDA0, 0x1234) as ctx:
        assert isinstance(ctx, tvm_ffi.StreamContext)
        assert tvm_ffi.get_raw_stream(CUDA0) == 0x1234
        # C++ sees the same stream through TVMFFIEnvGetStream
        assert add_one_mod.env_stream(2, 0) == 0x1234
        # other devices are untouched
        assert tvm_ffi.get_raw_stream(CUDA1) == 0
        with tvm_ffi.use_raw_stream(CUDA0, ctypes.c_void_p(0x5678)):
            assert tvm_ffi.get_raw_stream(CUDA0) == 0x5678
            assert add_one_mod.env_stream(2, 0) == 0x5678
        assert tvm_ffi.get_raw_stream(CUDA0) == 0x1234
        with tvm_ffi.use_raw_stream(CUDA1, 0x42):
            assert tvm_ffi.get_raw_stream(CUDA1) == 0x42
            assert tvm_ffi.get_raw_stream(CUDA0) == 0x1234
        assert tvm_ffi.get_raw_stream(CUDA1) == 0
    assert tvm_ffi.get_raw_stream(CUDA0) == 0
    assert add_one_mod.env_stream(2, 0) == 0


def test_stream_restored_after_exception():
    with pytest.raises(KeyError):
        with tvm_ffi.use_raw_stream(CUDA0, 0x99):
            assert tvm_ffi.get_raw_stream(CUDA0) == 0x99
            raise KeyError("inside")
    assert tvm_ffi.get_raw_stream(CUDA0) == 0


def test_stream_context_class():
    ctx = tvm_ffi.StreamContext(tvm_ffi.device("cuda", 1), 0x77)
    assert ctx.device_type == 2
    assert ctx.device_id == 1
    with ctx:
        assert tvm_ffi.get_raw_stream(CUDA1) == 0x77
    assert tvm_ffi.get_raw_stream(CUDA1) == 0


@pytest.mark.parametrize("bad", ["0x10", 1.5, None, [1]])
def test_use_raw_stream_bad_stream(bad):
    with pytest.raises(ValueError):
        tvm_ffi.use_raw_stream(CUDA0, bad)
    assert tvm_ffi.get_raw_stream(CUDA0) == 0


def test_stream_is_thread_local():
    import threading

    seen = []
    with tvm_ffi.use_raw_stream(CUDA0, 0xAB):
        t = threading.Thread(target=lambda: seen.append(tvm_ffi.get_raw_stream(CUDA0)))
        t.start()
        t.join()
        assert tvm_ffi.get_raw_stream(CUDA0) == 0xAB
    assert seen == [0]


def test_use_torch_stream_requires_torch_or_cuda():
    torch = pytest.importorskip("torch")
    assert hasattr(ffi_stream, "TorchStreamContext")
    ctx = tvm_ffi.use_torch_stream()
    assert isinstance(ctx, ffi_stream.TorchStreamContext)
    if not torch.cuda.is_available():
        # without a GPU there is no current CUDA stream to pick up
        with pytest.raises(Exception):  # noqa: B017 (torch picks the type: no CUDA build/device)
            with ctx:
                pass
        assert tvm_ffi.get_raw_stream(CUDA0) == 0


@requires_cuda
def test_use_torch_stream_with_stream():
    import torch

    s = torch.cuda.Stream()
    with tvm_ffi.use_torch_stream(torch.cuda.stream(s)):
        assert torch.cuda.current_stream() == s
        assert tvm_ffi.get_raw_stream(CUDA0) == s.cuda_stream
    assert tvm_ffi.get_raw_stream(CUDA0) == 0


@requires_cuda
def test_use_torch_stream_current():
    import torch

    s = torch.cuda.Stream()
    with torch.cuda.stream(s):
        with tvm_ffi.use_torch_stream():
            assert tvm_ffi.get_raw_stream(CUDA0) == s.cuda_stream


@requires_cuda
def test_torch_cuda_tensor_argument_sets_stream(add_one_mod):
    import torch

    x = torch.zeros(4, device="cuda")
    s = torch.cuda.Stream()
    with torch.cuda.stream(s):
        assert add_one_mod.tensor_env_stream(x) == s.cuda_stream
    # outside the context the default stream of torch is recorded
    assert add_one_mod.tensor_env_stream(x) == torch.cuda.current_stream().cuda_stream
    # and the env stream is restored after every call
    assert tvm_ffi.get_raw_stream(CUDA0) == 0


@requires_cuda
def test_torch_cuda_stream_protocol():
    import torch

    s = torch.cuda.Stream()
    r = tvm_ffi.get_global_func("testing.echo")(s)
    assert isinstance(r, ctypes.c_void_p)
    assert r.value == s.cuda_stream
