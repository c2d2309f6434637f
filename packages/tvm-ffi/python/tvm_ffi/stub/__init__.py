"""Stub generation tools (``tvm-ffi-stubgen``)."""
