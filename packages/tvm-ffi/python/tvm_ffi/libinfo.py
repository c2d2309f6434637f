"""Locate the files of an installed (or in-tree) tvm_ffi: the shared library, headers, CMake
package, DLPack headers and the Cython extension; find and load shared libraries shipped by
other Python distributions (``load_lib_ctypes``, ``load_lib_module``).

Library search (``_find_library_by_basename``), first hit wins:

1. the files recorded in the installed distribution's ``RECORD`` (package metadata) whose name
   is ``lib<name>.so`` (``lib<name>.dylib`` then ``lib<name>.so`` on macOS, ``<name>.dll`` on
   Windows) and that exist;
2. the directories of ``extra_lib_paths``;
3. the build/lib fallbacks around the tvm_ffi package (``<pkg>/build/lib``, ``<pkg>/lib``,
   ``<pkg>/../../build/lib``, ``<pkg>/../../lib``);
4. ``LD_LIBRARY_PATH`` (``DYLD_LIBRARY_PATH`` on macOS) then ``PATH``.

For the core distribution (``"apache-tvm-ffi"`` or ``"tvm-ffi"``) the package's own ``lib/``
directory, where it installs its libraries, is checked before the metadata is read.

When nothing is found the ``RuntimeError`` names the files and lists every directory searched.
"""

import ctypes
import glob
import os
import sys
from pathlib import Path

_PKG_DIR = os.path.dirname(os.path.abspath(os.path.expanduser(__file__)))

# Distribution names of the tvm_ffi core package: clients look the core libraries up under the
# upstream name "apache-tvm-ffi"; this project publishes the package as "tvm-ffi". A lookup
# under either name searches both, this project's first.
_CORE_DISTRIBUTIONS = ("tvm-ffi", "apache-tvm-ffi")


def _split_env_var(env_var, split):
    """Split the environment variable ``env_var`` on ``split`` (empty entries dropped)."""
    value = os.environ.get(env_var, None)
    if value is None:
        return []
    return [p.strip() for p in value.split(split) if p.strip()]


split_env_var = _split_env_var


def _rel_top_directory():
    """The directory of the installed ``tvm_ffi`` package."""
    return Path(_PKG_DIR)


def _dev_top_directory():
    """The top of a source checkout when ``tvm_ffi`` is imported from ``python/tvm_ffi``."""
    return Path(_PKG_DIR).parent.parent


def _env_directories():
    if sys.platform.startswith("darwin"):
        return _split_env_var("DYLD_LIBRARY_PATH", ":") + _split_env_var("PATH", ":")
    if sys.platform.startswith("win32"):
        return _split_env_var("PATH", ";")
    return _split_env_var("LD_LIBRARY_PATH", ":") + _split_env_var("PATH", ":")


def get_dll_directories():
    """Existing directories searched by :func:`find_library_by_basename`, in order, without
    duplicates: the package's ``lib`` and the checkout's ``build/lib`` directories, then the
    environment paths."""
    candidates = [
        os.path.join(_PKG_DIR, "lib"),
        os.path.join(_PKG_DIR, "..", "..", "build", "lib"),
        os.path.join(_PKG_DIR, "..", "..", "..", "build", "lib"),
    ] + _env_directories()
    ret = []
    for path in candidates:
        path = os.path.realpath(path)
        if os.path.isdir(path) and path not in ret:
            ret.append(path)
    return ret


def _fallback_directories():
    rel, dev = _rel_top_directory(), _dev_top_directory()
    return [rel / "build" / "lib", rel / "lib", dev / "build" / "lib", dev / "lib"]


def _library_names(target_name):
    if sys.platform.startswith("win32"):
        return [target_name + ".dll"]
    if sys.platform.startswith("darwin"):
        return ["lib" + target_name + ".dylib", "lib" + target_name + ".so"]
    return ["lib" + target_name + ".so"]


def _check_name(value, what):
    if not isinstance(value, str):
        raise TypeError("%s must be a str, got %s: %r" % (what, type(value).__name__, value))
    if not value:
        raise ValueError("%s must not be empty" % what)


def _check_extra_lib_paths(extra_lib_paths):
    if extra_lib_paths is None:
        return []
    if isinstance(extra_lib_paths, (str, bytes, os.PathLike)):
        raise TypeError(
            "extra_lib_paths must be a list of pathlib.Path, got %s: %r"
            % (type(extra_lib_paths).__name__, extra_lib_paths)
        )
    try:
        paths = list(extra_lib_paths)
    except TypeError:
        raise TypeError(
            "extra_lib_paths must be a list of pathlib.Path, got %s: %r"
            % (type(extra_lib_paths).__name__, extra_lib_paths)
        ) from None
    for i, path in enumerate(paths):
        if not isinstance(path, Path):
            raise TypeError(
                "extra_lib_paths[%d] must be a pathlib.Path, got %s: %r"
                % (i, type(path).__name__, path)
            )
    return paths


def _find_in_distribution(package, names):
    """The first existing file of distribution ``package``'s RECORD named one of ``names``."""
    from importlib import metadata as _metadata  # noqa: PLC0415 (slow import, only when needed)

    try:
        dist = _metadata.distribution(package)
        files = dist.files or []
    except (_metadata.PackageNotFoundError, OSError, ValueError):
        return None
    for entry in files:
        if Path(str(entry)).name not in names:
            continue
        try:
            path = Path(str(dist.locate_file(entry))).resolve()
            if path.name in names and path.is_file():
                return path
        except OSError:
            continue
    return None


def _find_library_by_basename(
    package,
    target_name,
    extra_lib_paths=None,
    *,
    use_fallback_build_path=True,
    use_env_path=True,
):
    """Path of the shared library ``target_name`` shipped by distribution ``package``.

    ``package`` is a distribution name such as ``"apache-tvm-ffi"``; ``target_name`` the
    library's base name without ``lib`` prefix and suffix (``"tvm_ffi"``). See the module
    docstring for the search order. Raises ``RuntimeError`` when nothing is found.
    """
    _check_name(package, "package")
    _check_name(target_name, "target_name")
    extra = _check_extra_lib_paths(extra_lib_paths)
    names = _library_names(target_name)
    packages = _CORE_DISTRIBUTIONS if package in _CORE_DISTRIBUTIONS else (package,)
    if package in _CORE_DISTRIBUTIONS:
        # The core package installs its libraries into its own lib/ directory, the file its
        # RECORD lists: look there first (spares reading package metadata at import time).
        for name in names:
            own = _rel_top_directory() / "lib" / name
            if own.is_file():
                return own.resolve()
    for dist_name in packages:
        found = _find_in_distribution(dist_name, names)
        if found is not None:
            return found
    directories = list(extra)
    if use_fallback_build_path:
        directories += _fallback_directories()
    if use_env_path:
        directories += [Path(p) for p in _env_directories()]
    searched = []
    for directory in directories:
        for name in names:
            try:
                path = (directory / name).resolve()
                if path.is_file():
                    return path
            except OSError:
                continue
        if str(directory) not in searched:
            searched.append(str(directory))
    raise RuntimeError(
        "Cannot find library %s; searched directories:\n%s"
        % (", ".join(names), "\n".join("  " + d for d in searched))
    )


def _resolve_and_validate(paths, cond):
    """The first of ``paths`` that, resolved, satisfies ``cond``, as ``str``; else ``None``.

    ``cond(resolved)`` returning ``True`` selects the resolved path, returning a ``Path``
    selects that path; ``OSError``/``AssertionError`` from resolving or ``cond`` skip the entry.
    """
    for path in paths:
        try:
            resolved = Path(path).resolve()
            result = cond(resolved)
        except (OSError, AssertionError):
            continue
        if isinstance(result, Path):
            return str(result)
        if result is True:
            return str(resolved)
    return None


def load_lib_ctypes(package, target_name, mode, extra_lib_paths=None):
    """Find the shared library ``target_name`` of distribution ``package`` and load it with
    ``ctypes.CDLL`` in ``mode`` (the name of a ctypes constant such as ``"RTLD_GLOBAL"``).

    ``extra_lib_paths``: optional list of ``pathlib.Path`` directories searched after the
    distribution's own files. On Windows the library's directory is added to the DLL search
    path first.
    """
    if not isinstance(mode, str):
        raise TypeError(
            "mode must be a str such as 'RTLD_GLOBAL', got %s: %r" % (type(mode).__name__, mode)
        )
    flag = getattr(ctypes, mode, None)
    if not mode.startswith("RTLD_") or not isinstance(flag, int):
        raise ValueError("mode must name a ctypes RTLD_* constant, got %r" % mode)
    path = _find_library_by_basename(package, target_name, extra_lib_paths)
    if sys.platform.startswith("win32"):
        os.add_dll_directory(str(path.parent))
    return ctypes.CDLL(str(path), flag)


def load_lib_module(package, target_name, keep_module_alive=True, extra_lib_paths=None):
    """Find the shared library ``target_name`` of distribution ``package`` (as
    :func:`load_lib_ctypes` does) and load it as a ``tvm_ffi.Module`` with
    ``load_module(path, keep_module_alive=keep_module_alive)``."""
    from .module import load_module  # noqa: PLC0415 (libinfo is loaded before the core)

    path = _find_library_by_basename(package, target_name, extra_lib_paths)
    return load_module(path, keep_module_alive=keep_module_alive)


def find_library_by_basename(base):
    """Full path (``str``) of the shared library ``base`` (e.g. ``"tvm_ffi"``) in the
    package's build/lib directories and the environment paths."""
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
    """Full path (``str``) of libtvm_ffi."""
    try:
        return str(_find_library_by_basename("apache-tvm-ffi", "tvm_ffi"))
    except RuntimeError as err:
        raise RuntimeError("Cannot find libtvm_ffi: %s" % err) from None


def find_windows_implib():
    """The import library ``tvm_ffi.lib`` next to ``tvm_ffi.dll`` (Windows only)."""
    libdir = os.path.dirname(find_libtvm_ffi())
    candidates = [
        os.path.join(libdir, "tvm_ffi.lib"),
        os.path.join(libdir, "..", "lib", "tvm_ffi.lib"),
    ]
    for path in candidates:
        if os.path.isfile(path):
            return os.path.realpath(path)
    raise RuntimeError("Cannot find implib tvm_ffi.lib, candidates:\n" + "\n".join(candidates))


def _first_existing(paths, what, check=os.path.isdir):
    for path in paths:
        if check(path):
            return os.path.realpath(path)
    raise RuntimeError("Cannot find %s path." % what)


def find_source_path():
    """Directory of the runtime's CMake sources (``CMakeLists.txt`` and ``src/``), which a
    downstream CMake project can ``add_subdirectory()`` to build ``tvm_ffi_shared``: the copy
    shipped in the package (``<pkg>/source/runtime-cpp``), else ``runtime-cpp`` of the source
    checkout the package is imported from."""
    return _first_existing(
        [
            os.path.join(_PKG_DIR, "source", "runtime-cpp"),
            os.path.join(_PKG_DIR, "..", "..", "..", "..", "runtime-cpp"),
        ],
        "source",
        lambda p: (
            os.path.isfile(os.path.join(p, "CMakeLists.txt"))
            and os.path.isdir(os.path.join(p, "src"))
        ),
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
    """Path of the compiled extension ``tvm_ffi.core`` (found without importing it)."""
    pattern = "core*.pyd" if sys.platform.startswith("win32") else "core*.so"
    for d in [_PKG_DIR, os.path.join(_PKG_DIR, "..", "..", "build")]:
        hits = sorted(glob.glob(os.path.join(d, pattern)))
        if hits:
            return os.path.realpath(hits[0])
    raise RuntimeError("Cannot find cython lib path.")


def include_paths():
    """Include directories needed to compile against tvm_ffi: sorted, without duplicates (a
    wheel keeps all headers in one directory, so it gives a single entry)."""
    paths = {find_include_path(), find_dlpack_include_path()}
    try:
        paths.add(find_python_helper_include_path())
    except RuntimeError:
        pass
    return sorted(paths)
