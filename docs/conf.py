"""Sphinx configuration of the TVM FFI documentation (MyST Markdown pages).

Build: ``nox -s docs`` (or ``sphinx-build -W -b html docs <out>`` in an environment where the
tvm-ffi, tvm-ffi-testing and tvm-ffi-cpp-jit packages are installed: the API reference is read
from the installed modules' docstrings).
"""

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))

import tvm_ffi  # noqa: E402  (the API reference documents the installed package)

project = "TVM FFI"
author = "TVM FFI contributors"
copyright = "TVM FFI contributors, Apache-2.0"
version = release = tvm_ffi.__version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "abi_reference",  # docs/_ext: generates the ABI reference from abi/include
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "tests", "_ext", "Thumbs.db", ".DS_Store"]

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# API reference: numpy-style docstrings, members in source order, no private names.
napoleon_google_docstring = False
napoleon_numpy_docstring = True
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": True}
autodoc_mock_imports = []

html_theme = "alabaster"
html_title = "TVM FFI %s" % release
html_theme_options = {"description": "An open ABI and FFI for machine-learning systems"}

# Attribute-like macros that appear in the C declarations of the ABI reference.
c_id_attributes = ["TVM_FFI_ATTRIBUTE_PURE"]
