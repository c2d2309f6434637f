"""``tvm-ffi-config``: print build flags and paths of the installed tvm_ffi."""

import argparse
import os
import sys

from . import libinfo

# Kept here for code written against 0.1.0; the function lives in ``libinfo``.
find_windows_implib = libinfo.find_windows_implib


def _parser():
    parser = argparse.ArgumentParser(
        description="Get various configuration information of tvm-ffi."
    )
    parser.add_argument("--includedir", action="store_true", help="Print include directory.")
    parser.add_argument(
        "--dlpack-includedir", action="store_true", help="Print dlpack include directory."
    )
    parser.add_argument(
        "--cmakedir", action="store_true", help="Print the CMake package directory."
    )
    parser.add_argument("--libdir", action="store_true", help="Print the library directory.")
    parser.add_argument("--libfiles", action="store_true", help="Print the library files to link.")
    parser.add_argument("--sourcedir", action="store_true", help="Print the source directory.")
    parser.add_argument(
        "--cython-lib-path", action="store_true", help="Print the Cython extension path."
    )
    parser.add_argument("--cxxflags", action="store_true", help="Print C++ compiler flags.")
    parser.add_argument("--cflags", action="store_true", help="Print C compiler flags.")
    parser.add_argument("--libs", action="store_true", help="Print the libraries to link.")
    parser.add_argument("--ldflags", action="store_true", help="Print linker flags.")
    return parser


def __main__(argv=None):
    """Entry point of ``tvm-ffi-config`` (also ``python -m tvm_ffi.config``)."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not any(vars(args).values()):
        parser.print_help()
        return
    is_windows = sys.platform.startswith("win32")
    if args.includedir:
        print(libinfo.find_include_path())
    if args.dlpack_includedir:
        print(libinfo.find_dlpack_include_path())
    if args.cmakedir:
        print(libinfo.find_cmake_path())
    if args.libdir:
        print(os.path.dirname(libinfo.find_libtvm_ffi()))
    if args.libfiles:
        print(find_windows_implib() if is_windows else libinfo.find_libtvm_ffi())
    if args.sourcedir:
        print(libinfo.find_source_path())
    if args.cython_lib_path:
        print(libinfo.find_cython_lib())
    if args.cxxflags:
        print(
            "-I%s -I%s -std=c++17"
            % (libinfo.find_include_path(), libinfo.find_dlpack_include_path())
        )
    if args.cflags:
        print("-I%s -I%s" % (libinfo.find_include_path(), libinfo.find_dlpack_include_path()))
    if args.libs:
        print(find_windows_implib() if is_windows else "-ltvm_ffi")
    if args.ldflags:
        if not is_windows:
            print("-L%s" % os.path.dirname(libinfo.find_libtvm_ffi()))


if __name__ == "__main__":
    __main__()
