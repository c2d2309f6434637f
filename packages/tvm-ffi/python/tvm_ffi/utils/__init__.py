"""Utilities shared by tvm_ffi tools."""

from .lockfile import FileLock

__all__ = ["FileLock"]
