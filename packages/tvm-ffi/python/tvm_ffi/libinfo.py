"""Locate the files of an installed (or in-tree) tvm_ffi: the shared library, headers, CMake
package, DLPack headers and the Cython extension."""

import glob
import os
import sys

_PKG_DIR = os.path.dirname(os.path.abspath(os.path.expanduser(__file__)))


def split_env_var(env_var, split):
    """Split the environment variable ``env_var`` on ``split`` (empty entries dropped)."""
    value = os.environ.get(env_var, None)
    if value is None:
        return []
    return [p.strip() for p in value.split(split) if p.strip()]


def get_dll_directories():
    """Directories searched for the tvm_ffi shared libraries, in order."""
    candidates = [
        os.path.join(_PKG_DIR, "lib"),
        os.path.join(_PKG_DIR, "..", "..", "build", "lib"),
        os.path.join(_PKG_DIR, "..", "..", "..", "build", "lib"),
    ]
    if sys.platform.startswith("linux") or sys.platform.startswith("freebsd"):
        candidates += split_env_var("LD_LIBRARY_PATH", ":")
        candidates += split_env_var("PATH", ":")
    elif sys.platform.startswith("darwin"):
        candidates += split_env_var("DYLD_LIBRARY_PATH", ":")
        candidates += split_env_var("PATH", ":")
    elif sys.platform.startswith("win32"):
        candidates += split_env_var("PATH", ";")
    ret = []
    for path in candidates:
        path = os.path.realpath(path)
        if os.path.isdir(path) and path not in ret:
            ret.append(path)
    return ret


def _library_names(base):
    if sys.platform.startswith("win32"):
        return [base + ".dll"]
    if sys.platform.startswith("darwin"):
        return ["lib" + base + ".dylib", "lib" + base + ".so"]
    return ["lib" + base + ".so"]


def find_library_by_basename(base):
    """Full path of the shared library ``base`` (e.g. ``"tvm_ffi"``, ``"tvm_ffi_testing"``)."""
    names = _library_names(base)
    dirs = get_dll_directories()
    candidates = [os.path.join(d, n) for d in dirs for n in names]
    for path in candidates:
        if os.path.isfile(path):
            return path
    raise RuntimeError(
        "Cannot find library: %s\nList of candidates:\n%s"
        % (", ".join(names), "\n".join(candidates))
    )


def find_libtvm_ffi():
    """Full path of libtvm_ffi."""
    return find_library_by_basename("tvm_ffi")


def _first_existing(paths, what, check=os.path.isdir):
    for path in paths:
        if check(path):
            return os.path.realpath(path)
    raise RuntimeError("Cannot find %s path." % what)


def find_source_path():
    """Root of the tvm_ffi sources (the package dir or the repository root holding ``cmake/``)."""
    return _first_existing(
        [_PKG_DIR, os.path.join(_PKG_DIR, "..", "..")],
        "source",
        lambda p: os.path.isdir(os.path.join(p, "cmake")),
    )


def find_cmake_path():
    """Directory of the ``tvm_ffi`` CMake package (``tvm_ffi-config.cmake``)."""
    return _first_existing(
        [
            os.path.join(_PKG_DIR, "share", "cmake", "tvm_ffi"),
            os.path.join(_PKG_DIR, "..", "..", "cmake"),
        ],
        "cmake",
    )


def find_include_path():
    """Include directory holding ``tvm/ffi/...``."""
    return _first_existing(
        [os.path.join(_PKG_DIR, "include"), os.path.join(_PKG_DIR, "..", "..", "include")],
        "include",
    )


def find_dlpack_include_path():
    """Include directory holding ``dlpack/dlpack.h``."""
    return _first_existing(
        [
            os.path.join(_PKG_DIR, "include"),
            os.path.join(_PKG_DIR, "..", "..", "3rdparty", "dlpack", "include"),
        ],
        "dlpack include",
        lambda p: os.path.isdir(os.path.join(p, "dlpack")),
    )


def find_python_helper_include_path():
    """Directory holding ``tvm_ffi_python_helpers.h``."""
    return _first_existing(
        [os.path.join(_PKG_DIR, "include"), os.path.join(_PKG_DIR, "cython")],
        "python helper include",
        lambda p: os.path.isfile(os.path.join(p, "tvm_ffi_python_helpers.h")),
    )


def find_cython_lib():
    """Path of the compiled extension ``tvm_ffi.core``."""
    pattern = "core*.pyd" if sys.platform.startswith("win32") else "core*.so"
    for d in [_PKG_DIR, os.path.join(_PKG_DIR, "..", "..", "build")]:
        hits = sorted(glob.glob(os.path.join(d, pattern)))
        if hits:
            return os.path.realpath(hits[0])
    raise RuntimeError("Cannot find cython lib path.")


def include_paths():
    """Include directories needed to compile against tvm_ffi."""
    paths = [find_include_path(), find_dlpack_include_path()]
    try:
        helper = find_python_helper_include_path()
    except RuntimeError:
        helper = None
    if helper is not None and helper not in paths:
        paths.append(helper)
    return paths
