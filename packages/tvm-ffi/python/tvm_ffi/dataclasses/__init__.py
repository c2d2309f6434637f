"""Experimental: Python proxies of C++ classes declared like dataclasses (``c_class``)."""

from dataclasses import MISSING

from .c_class import c_class
from .field import Field, field

__all__ = ["MISSING", "Field", "c_class", "field"]
