"""Fixtures shared by the tvm-ffi-cpp-jit tests (imported by each test module; not a conftest.py
so that a combined pytest run with the core tests, whose modules import their own `conftest`,
works)."""

import pytest


@pytest.fixture(autouse=True)
def jit_cache(tmp_path, monkeypatch):
    """Every test gets its own empty JIT cache."""
    cache = tmp_path / "tvm-ffi-cache"
    monkeypatch.setenv("TVM_FFI_CACHE_DIR", str(cache))
    monkeypatch.delenv("TVM_FFI_JIT_VERBOSE", raising=False)
    monkeypatch.delenv("MAX_JOBS", raising=False)
    return cache
