"""Every global function ``ffi.<name>`` (one level) as an attribute of this module."""
from . import registry

registry.init_ffi_api("ffi", __name__)
