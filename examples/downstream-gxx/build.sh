#!/usr/bin/env bash
# Build build/add_one_cpu.so with plain g++ and the flags that the installed tvm-ffi prints:
#   --cxxflags  -I<include dir> (tvm/ffi and dlpack headers) -std=c++17
#   --ldflags   -L<folder of libtvm_ffi.so>
#   --libs      -ltvm_ffi
# tvm-ffi-config must be the one of the Python environment that will load the library.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p build
"${CXX:-g++}" -shared -O2 -fPIC -fvisibility=hidden add_one_cpu.cc -o build/add_one_cpu.so \
  $(tvm-ffi-config --cxxflags --ldflags --libs)
echo "built $(pwd)/build/add_one_cpu.so"
