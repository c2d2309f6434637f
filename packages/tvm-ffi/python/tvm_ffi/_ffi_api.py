"""Every global function ``ffi.<name>`` (one level) as an attribute of this module."""

from typing import TYPE_CHECKING, Any

from . import registry

registry.init_ffi_api("ffi", __name__)

if TYPE_CHECKING:
    # For type checkers only: the attributes come from the global function table at import time.
    def __getattr__(name: str) -> Any: ...
