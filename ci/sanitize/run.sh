#!/usr/bin/env bash
# AddressSanitizer + UndefinedBehaviorSanitizer (+ LeakSanitizer) runs (`nox -s sanitize`,
# `nox -s sanitize-ci`).
#
#   ci/sanitize/run.sh cxx    [--ci]            runtime + ABI tests + C++ tests under ASan/UBSan/LSan
#   ci/sanitize/run.sh python [--ci] [PYTEST..] Python suites against ASan/UBSan builds of
#                                               tvm-ffi, tvm-ffi-testing (+ tvm-ffi-cpp-jit)
#
# Build trees: $TVM_FFI_NOX_BUILD (default <repo>/build)/sanitize/..., the venv:
# $TVM_FFI_NOX_BUILD/venv-asan. Nothing is shared with the regular builds or venv.
#
# C++ part: runtime-cpp configured with -DTVM_FFI_SANITIZE=address,undefined (Debug, -O1 -g;
# UBSan non-recoverable), tests built with it; ctest runs everything except
# consumer_find_package (it installs the library and builds an uninstrumented consumer program
# with a separate CMake, a packaging check that has nothing to sanitize).
#
# Python part: tvm-ffi (runtime + Cython core) and tvm-ffi-testing built with the same flags
# into their own venv. CPython is not instrumented, so the ASan runtime (and libstdc++, see
# sanitized_env) is preloaded into Python processes only: the venv's bin/python is a wrapper
# that preloads it when TVM_FFI_SANITIZE_PRELOAD is set, and a .pth removes LD_PRELOAD again at
# start-up, so compilers, ninja, cmake... started by tests run without it (they are not ours),
# while Python children (sys.executable, console scripts) go through the wrapper and are
# checked too. PYTHONMALLOC=malloc: every Python object is a malloc block (ASan checks accesses
# to it; LSan sees pointers to our objects held by Python objects). C++ built at test time uses
# ci/sanitize/cxx-asan ($CXX), so it is instrumented as well. Leak suppressions: lsan.supp.
#
# Both parts first run canary.py: the built libraries must carry ASan checks and aborting UBSan
# handlers, and in Python a deliberate leak and a use after free must be reported.
#
# --ci: the reduced variant for CI (noxfile.py `sanitize-ci`): the C++ part is the same but
# compiled at -O0 (in build/sanitize/runtime-ci); the Python part runs tvm-ffi's and
# tvm-ffi-testing's suites without CI_SKIP (below) and leaves out tvm-ffi-cpp-jit.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUILD="${TVM_FFI_NOX_BUILD:-$ROOT/build}"
SAN_ROOT="$BUILD/sanitize"
SANITIZERS="address,undefined"
SAN_FLAGS="-fsanitize=$SANITIZERS -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g"
JOBS="${CMAKE_BUILD_PARALLEL_LEVEL:-2}"
HOST_PY="${TVM_FFI_SANITIZE_HOST_PYTHON:-python3}"
export CMAKE_BUILD_PARALLEL_LEVEL="$JOBS"

mode="${1:-}"
shift || true
ci=0
if [ "${1:-}" = "--ci" ]; then
  ci=1
  shift
fi

# shellcheck source=env.sh
source "$HERE/env.sh"

log() { echo "[sanitize] $*"; }

# The CI variant compiles the C++ part at -O0 (4x faster to compile under ASan; the tests run
# in seconds either way) in its own tree; the full run at -O1.
run_cxx() {
  local build="$SAN_ROOT/runtime" opt="-O1"
  if [ $ci = 1 ]; then
    build="$SAN_ROOT/runtime-ci"
    opt="-O0"
  fi
  local t0=$SECONDS
  cmake -S "$ROOT/runtime-cpp" -B "$build" -G Ninja \
    -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=$opt -g" "-DCMAKE_C_FLAGS_DEBUG=$opt -g" \
    -DTVM_FFI_BUILD_TESTS=ON -DTVM_FFI_ABI_BUILD_TESTS=ON "-DTVM_FFI_SANITIZE=$SANITIZERS"
  cmake --build "$build" -j "$JOBS"
  log "C++ build: $((SECONDS - t0)) s"
  "$HOST_PY" "$HERE/canary.py" --libs "$build/libtvm_ffi.so" "$build/tests/tvm_ffi_cpp_tests" \
    "$build"/fixtures/*.so
  t0=$SECONDS
  ctest --test-dir "$build" --output-on-failure -j "$JOBS" -E '^consumer_find_package$'
  log "C++ tests (ctest): $((SECONDS - t0)) s"
}

# ------------------------------------------------------------------------------------------
# Python
# ------------------------------------------------------------------------------------------
VENV="$BUILD/venv-asan"
PY_DEPS=("scikit-build-core>=0.10" "cython>=3.0" ninja pip pytest pytest-xdist numpy hypothesis mypy
         typing-extensions "torch==2.13.0")  # torch: always this exact pin

# Left out of the CI variant only (`nox -s sanitize` runs them).
CI_SKIP=(
  # mypy over the generated stub files: pure-Python tooling (~45 s under ASan); stub generation
  # itself is still run by the other test_stubgen tests.
  # (node ids relative to the package's pytest rootdir, packages/tvm-ffi)
  "tests/test_stubgen.py::test_generated_stubs_type_check_with_mypy"
)

# bin/python and bin/python3 of the venv become a wrapper of the real interpreter (bin/python3.X):
# with TVM_FFI_SANITIZE_PRELOAD set it preloads that (the ASan runtime), otherwise it changes
# nothing (pip and the builds run a plain interpreter). sys.executable and the console scripts'
# #! lines name the wrapper, so every Python process of a test run is sanitized.
install_wrapper() {
  local real name
  real="$(cd "$VENV/bin" && ls | grep -E '^python3\.[0-9]+$' | head -n 1)"
  # venv may make bin/python3.X a link to bin/python, which becomes the wrapper below: point it
  # at the base interpreter (pyvenv.cfg names it) so the wrapper cannot exec itself.
  local base
  base="$(sed -n 's/^executable = //p' "$VENV/pyvenv.cfg")"
  if [ -n "$base" ] && [ -x "$base" ]; then
    ln -sfn "$base" "$VENV/bin/$real"
  fi
  for name in python python3; do
    rm -f "$VENV/bin/$name"
    cat > "$VENV/bin/$name" <<EOF
#!/usr/bin/env bash
# Generated by ci/sanitize/run.sh (install_wrapper): the interpreter, with the ASan runtime
# preloaded when TVM_FFI_SANITIZE_PRELOAD is set.
if [ -n "\${TVM_FFI_SANITIZE_PRELOAD:-}" ]; then
  export LD_PRELOAD="\$TVM_FFI_SANITIZE_PRELOAD\${LD_PRELOAD:+:\$LD_PRELOAD}"
fi
exec -a "\$0" "$VENV/bin/$real" "\$@"
EOF
    chmod +x "$VENV/bin/$name"
  done
}

setup_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    "$HOST_PY" -m venv "$VENV"
    # hard links of what the regular venv (nox core) already has: pip then skips unpacking
    # torch & co. again (ci/seed_venv.py)
    if [ -x "$BUILD/venv/bin/python" ]; then
      "$HOST_PY" "$ROOT/ci/seed_venv.py" --source-python "$BUILD/venv/bin/python" \
        --target-python "$VENV/bin/python" torch numpy pytest pytest-xdist hypothesis mypy \
        cython ninja scikit-build-core || true
    fi
  fi
  install_wrapper
  "$VENV/bin/python" -m pip install -q --upgrade "${PY_DEPS[@]}"
}

install_packages() {
  local py="$VENV/bin/python" site
  site="$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["platlib"])')"
  # tvm-ffi: the runtime through its TVM_FFI_SANITIZE option, the Cython extension (C) by CFLAGS.
  # CI variant: -O0 like its C++ part (compiling core.c and the runtime under ASan at -O1 takes
  # minutes on 2 cores); the full run at -O1
  local opt="-O1"
  if [ $ci = 1 ]; then opt="-O0"; fi
  CFLAGS="$SAN_FLAGS" LDFLAGS="-fsanitize=$SANITIZERS" \
    "$py" -m pip install -q --no-build-isolation --no-deps \
    "-Cbuild-dir=$SAN_ROOT/py/tvm-ffi" -Ccmake.build-type=Debug \
    "-Ccmake.define.CMAKE_C_FLAGS_DEBUG=$opt -g" "-Ccmake.define.CMAKE_CXX_FLAGS_DEBUG=$opt -g" \
    "-Ccmake.define.TVM_FFI_SANITIZE=$SANITIZERS" "$ROOT/packages/tvm-ffi"
  # tvm-ffi-testing: its C++ library by CXXFLAGS. tvm_ffi_DIR is given explicitly: the default
  # discovery runs `python -m tvm_ffi.config`, which would load the ASan-built core without the
  # preloaded runtime.
  CXXFLAGS="$SAN_FLAGS" LDFLAGS="-fsanitize=$SANITIZERS" \
    "$py" -m pip install -q --no-build-isolation --no-deps \
    "-Cbuild-dir=$SAN_ROOT/py/tvm-ffi-testing" -Ccmake.build-type=Debug \
    "-Ccmake.define.CMAKE_CXX_FLAGS_DEBUG=-O1 -g" \
    "-Ccmake.define.tvm_ffi_DIR=$site/tvm_ffi/share/cmake/tvm_ffi" "$ROOT/packages/tvm-ffi-testing"
  "$py" -m pip install -q --no-build-isolation --no-deps "$ROOT/packages/tvm-ffi-cpp-jit"
  # At start-up of a sanitized interpreter, drop LD_PRELOAD from its environment: the programs
  # tests start (compilers, ninja, cmake...) are not ours and run without the ASan runtime;
  # Python children go through the wrapper again, so they are checked too.
  rm -f "$site/tvm_ffi_sanitize_hook.py"
  echo 'import os; os.environ.get("TVM_FFI_SANITIZE_PRELOAD") and os.environ.pop("LD_PRELOAD", None)' \
    > "$site/tvm_ffi_sanitize_hook.pth"
}

# Sanitizer reports of every process go to files (log_path) and fail the run, also those of
# child processes whose exit status a test expects to be non-zero anyway.
run_pytest() {
  local t0=$SECONDS reports="$SAN_ROOT/reports" rc=0
  rm -rf "$reports"
  mkdir -p "$reports"
  ASAN_OPTIONS="$ASAN_OPTIONS:log_path=$reports/asan" \
    UBSAN_OPTIONS="$UBSAN_OPTIONS:log_path=$reports/ubsan" \
    "$VENV/bin/python" -m pytest -q -rfEs -p no:cacheprovider --durations=15 "$@" || rc=$?
  log "pytest $*: $((SECONDS - t0)) s"
  if [ -n "$(ls -A "$reports")" ]; then
    for f in "$reports"/*; do
      echo "=== sanitizer report $f"
      head -n 80 "$f"
    done
    log "FAILED: $(ls "$reports" | wc -l) sanitizer report(s) (kept in $reports)"
    return 1
  fi
  if [ $rc -ne 0 ]; then
    log "FAILED: pytest exit status $rc"
    return $rc
  fi
  log "0 sanitizer reports"
}

sanitized_env() {
  # libstdc++ is preloaded after libasan: ASan looks up the real __cxa_throw when it starts,
  # and CPython has not loaded libstdc++ by then (without it the first C++ throw stops at
  # "CHECK failed: ... real___cxa_throw != 0").
  TVM_FFI_SANITIZE_PRELOAD="$(readlink -f "$(g++ -print-file-name=libasan.so)")"
  TVM_FFI_SANITIZE_PRELOAD+=":$(readlink -f "$(g++ -print-file-name=libstdc++.so)")"
  export TVM_FFI_SANITIZE_PRELOAD
  # Every Python object a malloc block: ASan checks accesses to them, and LSan sees pointers
  # to our objects held by Python objects (pymalloc arenas are mmap'd and not scanned).
  export PYTHONMALLOC=malloc
  export CXX="$HERE/cxx-asan"
  export TVM_FFI_CACHE_DIR="$SAN_ROOT/jit-cache"
}

run_python() {
  local t0=$SECONDS
  setup_venv
  install_packages
  log "Python venv + sanitized builds: $((SECONDS - t0)) s"
  sanitized_env
  local pkg
  pkg="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["platlib"])')/tvm_ffi"
  "$VENV/bin/python" "$HERE/canary.py" --python \
    --libs "$pkg"/core.*.so "$pkg/lib/libtvm_ffi.so" "$pkg/lib/libtvm_ffi_testing.so"
  if [ $# -gt 0 ]; then
    run_pytest "$@"
    return
  fi
  local skip=()
  if [ $ci = 1 ]; then
    for m in "${CI_SKIP[@]}"; do skip+=(--deselect "$m"); done
  fi
  local failed=0
  # the long suite on every core (its tests are independent; each worker is a sanitized process)
  local workers=()
  if [ "$JOBS" -gt 1 ]; then workers=(-n "$JOBS"); fi
  run_pytest "$ROOT/packages/tvm-ffi/tests" "${workers[@]}" "${skip[@]}" || failed=1
  run_pytest "$ROOT/packages/tvm-ffi-testing/tests" || failed=1
  if [ $ci = 0 ]; then
    run_pytest "$ROOT/packages/tvm-ffi-cpp-jit/tests" || failed=1
  fi
  log "Python part: $((SECONDS - t0)) s"
  return $failed
}

case "$mode" in
  cxx) run_cxx ;;
  python) run_python "$@" ;;
  *) echo "usage: $0 cxx|python [--ci] [pytest args...]" >&2; exit 2 ;;
esac
