import os
import shutil
import subprocess

import pytest

from tvm_ffi.cpp import build_inline, load_inline

from jit_fixtures import jit_cache  # noqa: F401  (autouse: a fresh TVM_FFI_CACHE_DIR per test)


def _nvcc():
    home = os.environ.get("CUDA_HOME") or os.environ.get("CUDA_PATH")
    if home and os.path.isfile(os.path.join(home, "bin", "nvcc")):
        return True
    return shutil.which("nvcc") is not None or os.path.isfile("/usr/local/cuda/bin/nvcc")


def _has_gpu():
    smi = shutil.which("nvidia-smi")
    if not smi:
        return False
    try:
        return subprocess.run([smi, "-L"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


pytestmark = pytest.mark.skipif(not _nvcc(), reason="nvcc not installed")

CPP = """
void add_one_cuda(tvm::ffi::TensorView x, tvm::ffi::TensorView y);
"""
CUDA = """
__global__ void add_one_kernel(const float* x, float* y, int64_t n) {
  int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x;
  if (i < n) y[i] = x[i] + 1;
}
void add_one_cuda(tvm::ffi::TensorView x, tvm::ffi::TensorView y) {
  TVM_FFI_ICHECK(x.ndim() == 1) << "x must be a 1D tensor";
  int64_t n = x.size(0);
  add_one_kernel<<<(n + 255) / 256, 256>>>(static_cast<const float*>(x.data_ptr()),
                                           static_cast<float*>(y.data_ptr()), n);
}
"""


def test_cuda_build():
    path = build_inline("cuda_add", cpp_sources=CPP, cuda_sources=CUDA, functions="add_one_cuda")
    d = os.path.dirname(path)
    assert os.path.isfile(path) and os.path.isfile(os.path.join(d, "cuda.o"))
    with open(os.path.join(d, "build.ninja")) as f:
        ninja = f.read()
    assert "-gencode=arch=compute_" in ninja and "-lcudart" in ninja
    if not _has_gpu():
        pytest.skip("built; no GPU to launch the kernel")
    import torch

    if not torch.cuda.is_available():
        pytest.skip("built; torch has no CUDA")
    mod = load_inline("cuda_add", cpp_sources=CPP, cuda_sources=CUDA, functions="add_one_cuda")
    x = torch.arange(1000, dtype=torch.float32, device="cuda")
    y = torch.empty_like(x)
    mod.add_one_cuda(x, y)
    torch.cuda.synchronize()
    torch.testing.assert_close(y, x + 1)


def test_cuda_only_sources_and_arch_env(monkeypatch):
    monkeypatch.setenv("TVM_FFI_CUDA_ARCH_LIST", "8.0")
    src = "int64_t cuda_side(int64_t x) { return x * 5; }\n"
    path = build_inline("cuda_only", cuda_sources=src, functions="cuda_side")
    d = os.path.dirname(path)
    with open(os.path.join(d, "cuda.cu")) as f:
        assert "TVM_FFI_DLL_EXPORT_TYPED_FUNC(cuda_side, cuda_side);" in f.read()
    with open(os.path.join(d, "build.ninja")) as f:
        assert "-gencode=arch=compute_80,code=sm_80" in f.read()
    import tvm_ffi

    assert tvm_ffi.load_module(path).cuda_side(2) == 10
