"""Every build, test, lint, docs and benchmark entry point of the monorepo.

Quick start (see README.md):
    python -m pip install nox
    nox -s tests        # every test suite that exists

C++ sessions run without a virtualenv (they only need cmake, ninja and a C++17 compiler);
build trees live under build/ so that one `nox -s tests` configures and builds the runtime
once and reuses it for every suite.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
# TVM_FFI_NOX_BUILD relocates every build tree and the shared venv (parallel work trees).
BUILD = Path(os.environ.get("TVM_FFI_NOX_BUILD", ROOT / "build")).resolve()
JOBS = str(max(1, min(os.cpu_count() or 1, 4)))
# pytest-xdist workers for the suites whose tests are independent (one per core)
_XDIST = ["-n", JOBS] if int(JOBS) > 1 else []

nox.options.sessions = ["tests"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = False


def _ensure_system_deps(session: nox.Session) -> None:
    """Install the Debian packages the C++ tests need (GoogleTest, Google Benchmark)."""
    session.run("bash", str(ROOT / "ci" / "install_system_deps.sh"), external=True)


def _cmake_build(session: nox.Session, source: Path, build: Path, *options: str) -> None:
    session.run(
        "cmake",
        "-S",
        str(source),
        "-B",
        str(build),
        "-G",
        "Ninja",
        "-DCMAKE_BUILD_TYPE=Release",
        *options,
        external=True,
    )
    session.run("cmake", "--build", str(build), "-j", JOBS, external=True)


def _ctest(session: nox.Session, build: Path) -> None:
    session.run("ctest", "--test-dir", str(build), "--output-on-failure", "-j", JOBS, external=True)


def _run_abi(session: nox.Session) -> None:
    build = BUILD / "abi"
    _cmake_build(session, ROOT / "abi", build, "-DTVM_FFI_ABI_BUILD_TESTS=ON")
    _ctest(session, build)


# ---------------------------------------------------------------------------------------
# Python packages: one shared virtualenv under build/venv, reused by every Python session.
# ---------------------------------------------------------------------------------------
VENV = BUILD / "venv"
PY_BUILD_DEPS = ["scikit-build-core>=0.10", "cython>=3.0", "ninja", "pip"]
# torch: always this exact pin.
PY_TEST_DEPS = ["pytest", "pytest-xdist", "numpy", "hypothesis", "mypy", "torch==2.13.0"]


def _venv_python(session: nox.Session) -> str:
    """Create (once) the shared venv and install build/test dependencies into it."""
    python = VENV / "bin" / "python"
    if not python.exists():
        session.run(sys.executable, "-m", "venv", str(VENV), external=True)
    session.run(
        str(python),
        "-m",
        "pip",
        "install",
        "-q",
        "--upgrade",
        *PY_BUILD_DEPS,
        *PY_TEST_DEPS,
        external=True,
    )
    return str(python)


def _install_packages(session: nox.Session, python: str) -> None:
    """Build and install tvm-ffi, then tvm-ffi-testing and tvm-ffi-cpp-jit on top.

    Nothing named tvm-ffi comes from PyPI: the siblings build against the local install.
    """
    env = {"CMAKE_BUILD_PARALLEL_LEVEL": JOBS}
    for pkg in ("tvm-ffi", "tvm-ffi-testing"):
        session.run(
            python,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-build-isolation",
            f"-Cbuild-dir={BUILD / 'py' / pkg}",
            str(ROOT / "packages" / pkg),
            external=True,
            env=env,
        )
    session.run(
        python,
        "-m",
        "pip",
        "install",
        "-q",
        "--no-build-isolation",
        "--no-deps",
        str(ROOT / "packages" / "tvm-ffi-cpp-jit"),
        external=True,
    )


_READY_PYTHON: list = []  # set once the venv has the packages installed (one nox process)


def _packages_ready(session: nox.Session) -> str:
    """The shared venv's python with all packages installed (done once per nox run)."""
    if not _READY_PYTHON:
        python = _venv_python(session)
        _install_packages(session, python)
        _READY_PYTHON.append(python)
    return _READY_PYTHON[0]


def _run_core(session: nox.Session) -> None:
    python = _packages_ready(session)
    for pkg in ("tvm-ffi", "tvm-ffi-testing"):  # each package tests on its own
        tests = str(ROOT / "packages" / pkg / "tests")
        # tvm-ffi's suite is the long one: its tests are independent, run them on every core
        workers = _XDIST if pkg == "tvm-ffi" else []
        session.run(python, "-m", "pytest", "-q", "--durations=10", *workers, tests, external=True)


def _cuda_option() -> str:
    """-DTVM_FFI_USE_CUDA=ON when nvcc is on PATH (TVM_FFI_NOX_CUDA=0/1 overrides): the CUDA
    helpers' tests (runtime-cpp/tests/cuda) are then compiled, and skip what needs a GPU."""
    wanted = os.environ.get("TVM_FFI_NOX_CUDA")
    use = shutil.which("nvcc") is not None if wanted is None else wanted == "1"
    return "-DTVM_FFI_USE_CUDA=" + ("ON" if use else "OFF")


def _run_runtime(session: nox.Session) -> None:
    _ensure_system_deps(session)
    build = BUILD / "runtime"
    _cmake_build(session, ROOT / "runtime-cpp", build, "-DTVM_FFI_BUILD_TESTS=ON", _cuda_option())
    _ctest(session, build)


@nox.session(venv_backend="none")
def abi(session: nox.Session) -> None:
    """Header compile checks (C11 and C++17, strict warnings) and C/C++ layout tests."""
    _run_abi(session)


@nox.session(venv_backend="none")
def runtime(session: nox.Session) -> None:
    """Configure and build libtvm_ffi.so with its GoogleTest suites, then run CTest."""
    _run_runtime(session)


@nox.session(name="bench-cpp", venv_backend="none")
def bench_cpp(session: nox.Session) -> None:
    """C++ micro-benchmarks (Google Benchmark). Not a test: prints a table."""
    _ensure_system_deps(session)
    build = BUILD / "bench"
    _cmake_build(session, ROOT / "runtime-cpp", build, "-DTVM_FFI_BUILD_BENCHMARKS=ON")
    session.run(str(build / "bench" / "tvm_ffi_bench"), *session.posargs, external=True)


@nox.session(venv_backend="none")
def core(session: nox.Session) -> None:
    """Install tvm-ffi and tvm-ffi-testing (built) into the shared venv; run their pytest suites."""
    _run_core(session)


def _run_jit(session: nox.Session) -> None:
    python = _packages_ready(session)
    # each test builds into its own cache and build directory: run them on every core
    tests = str(ROOT / "packages" / "tvm-ffi-cpp-jit" / "tests")
    session.run(python, "-m", "pytest", "-q", "--durations=5", *_XDIST, tests, external=True)


@nox.session(venv_backend="none")
def jit(session: nox.Session) -> None:
    """load_inline/build_inline: compile C++/CUDA on the fly (tvm-ffi-cpp-jit's pytest suite)."""
    _run_jit(session)


@nox.session(venv_backend="none")
def demo(session: nox.Session) -> None:
    """Set up the packages and run the Python guide's examples end to end (verbose)."""
    python = _packages_ready(session)
    session.run(
        python,
        "-m",
        "pytest",
        "-v",
        str(ROOT / "packages" / "tvm-ffi" / "tests" / "test_guide.py"),
        str(ROOT / "packages" / "tvm-ffi-cpp-jit" / "tests" / "test_jit_guide.py"),
        external=True,
    )


@nox.session(venv_backend="none")
def bench(session: nox.Session) -> None:
    """Python call-overhead benchmark vs the PyPI peer apache-tvm-ffi (prints a table)."""
    python = _packages_ready(session)
    # The nanobind no-op floor is compiled by the bench itself from nanobind's sources.
    session.run(python, "-m", "pip", "install", "-q", "nanobind", external=True)
    session.run(python, str(ROOT / "bench" / "call_overhead.py"), *session.posargs, external=True)


@nox.session(name="bench-jit", venv_backend="none")
def bench_jit(session: nox.Session) -> None:
    """JIT cold build / warm load vs apache-tvm-ffi and torch's load_inline (prints a table)."""
    python = _packages_ready(session)
    session.run(python, str(ROOT / "bench" / "jit_build.py"), *session.posargs, external=True)


DOCS_DEPS = ["sphinx>=7", "myst-parser>=2"]


def _run_docs_snippets(session: nox.Session, python: str, *pytest_args: str) -> None:
    """docs/tests: every code block of the docs and README, the ABI reference checks (no Sphinx)."""
    session.run(
        python,
        "-m",
        "pytest",
        "-q",
        str(ROOT / "docs" / "tests"),
        *pytest_args,
        external=True,
        env={"TVM_FFI_DOCS_JIT_CACHE": str(BUILD / "docs-jit-cache")},
    )


def _run_docs(session: nox.Session, *pytest_args: str) -> None:
    python = _packages_ready(session)
    session.run(python, "-m", "pip", "install", "-q", *DOCS_DEPS, external=True)
    session.run(
        python,
        "-m",
        "sphinx",
        "-W",
        "--keep-going",
        "-E",
        "-q",
        "-b",
        "html",
        str(ROOT / "docs"),
        str(BUILD / "docs-html"),
        external=True,
    )
    _run_docs_snippets(session, python, *pytest_args)


@nox.session(venv_backend="none")
def docs(session: nox.Session) -> None:
    """Build the Sphinx site (warnings are errors) into build/docs-html; run every docs snippet."""
    _run_docs(session, *session.posargs)


# ---------------------------------------------------------------------------------------
# Packaging (docs/packaging.md): wheels and sdists into dist/, checked by installing them from
# dist/ only into a fresh venv; downstream projects (examples/downstream-*) built against the
# installed tvm-ffi. TVM_FFI_NOX_DIST relocates dist/ (parallel work trees).
# ---------------------------------------------------------------------------------------
DIST = Path(os.environ.get("TVM_FFI_NOX_DIST", ROOT / "dist")).resolve()
DOWNSTREAM_EXAMPLES = ["examples/downstream-cmake", "examples/downstream-gxx"]


@nox.session(venv_backend="none")
def build(session: nox.Session) -> None:
    """Wheels + sdists of the three Python packages into dist/ (sizes printed), then install them
    from dist/ only into a fresh venv and run the guide's examples and the downstream examples."""
    _run_build(session)


def _run_build(session: nox.Session) -> None:
    args = ["--build", str(BUILD), "--dist", str(DIST)]
    env = {"CMAKE_BUILD_PARALLEL_LEVEL": JOBS}
    session.run(sys.executable, str(ROOT / "ci" / "build_dist.py"), *args, external=True, env=env)
    seed = VENV / "bin" / "python"  # the venv of `core`, when it exists
    if seed.exists():
        args += ["--seed-from", str(seed)]
    session.run(sys.executable, str(ROOT / "ci" / "test_dist.py"), *args, external=True, env=env)


def _run_downstream(session: nox.Session) -> None:
    python = _packages_ready(session)
    session.run(
        python,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        *[str(ROOT / e) for e in DOWNSTREAM_EXAMPLES],
        external=True,
        env={"CMAKE_BUILD_PARALLEL_LEVEL": JOBS},
    )


@nox.session(venv_backend="none")
def downstream(session: nox.Session) -> None:
    """Build the downstream examples against the installed tvm-ffi (CMake find_package via
    tvm-ffi-config --cmakedir, and plain g++ with tvm-ffi-config flags); call them from Python."""
    _run_downstream(session)


def _run_interop(session: nox.Session) -> None:
    python = _packages_ready(session)
    session.run(
        sys.executable,
        str(ROOT / "ci" / "interop.py"),
        "--ours-python",
        python,
        "--build-dir",
        str(BUILD),
        *session.posargs,
        external=True,
    )


@nox.session(venv_backend="none")
def interop(session: nox.Session) -> None:
    """Binary interop with the PyPI peer apache-tvm-ffi (0.1.0 and the newest 0.1.x, each in its
    own venv): a module built against either side's headers runs under the other's runtime."""
    _run_interop(session)


@nox.session(venv_backend="none")
def fuzz(session: nox.Session) -> None:
    """Bounded-time atheris fuzzing of the JSON and dtype parsers (ci/fuzz/run.py).

    Each target replays its seed corpus, then mutates for TVM_FFI_FUZZ_SECONDS (default 60;
    or `nox -s fuzz -- --seconds N`). Crash reproducers land in $BUILD/fuzz-artifacts/.
    """
    _run_fuzz(session, *session.posargs)


def _run_fuzz(session: nox.Session, *args: str, seconds: str = "") -> None:
    python = _packages_ready(session)
    session.run(python, "-m", "pip", "install", "-q", "atheris", external=True)
    env = {"TVM_FFI_FUZZ_ARTIFACTS": str(BUILD / "fuzz-artifacts")}
    if seconds:
        env["TVM_FFI_FUZZ_SECONDS"] = seconds
    session.run(python, str(ROOT / "ci" / "fuzz" / "run.py"), *args, external=True, env=env)


# ---------------------------------------------------------------------------------------
# Lint (ci/lint.py): ruff, cython-lint, clang-format (check only) and mypy, from their own small
# venv $BUILD/lint-venv (no package build needed). Configuration: ruff.toml, .cython-lint.toml,
# .clang-format, mypy.ini. The tools are pinned: a new release may format or flag differently.
# ---------------------------------------------------------------------------------------
LINT_VENV = BUILD / "lint-venv"
LINT_DEPS = [
    "ruff==0.17.*",
    "cython-lint==0.22.*",  # runs pycodestyle; needs Python >= 3.11
    "pycodestyle>=2.15,<3",
    "clang-format==23.*",
    "mypy==2.4.*",
]


def _run_lint(session: nox.Session, *args: str) -> None:
    if sys.version_info < (3, 11):
        session.error("nox -s lint needs Python >= 3.11 to run nox (cython-lint requires it)")
    python = LINT_VENV / "bin" / "python"
    if not python.exists():
        session.run(sys.executable, "-m", "venv", str(LINT_VENV), external=True)
    session.run(str(python), "-m", "pip", "install", "-q", *LINT_DEPS, external=True)
    session.run(
        str(python),
        str(ROOT / "ci" / "lint.py"),
        "--tools-bin",
        str(LINT_VENV / "bin"),
        "--build",
        str(BUILD / "lint"),
        *args,
        external=True,
    )


@nox.session(venv_backend="none")
def lint(session: nox.Session) -> None:
    """ruff (lint + format check), cython-lint, clang-format (check only), mypy on the packages.

    `nox -s lint -- --fix` applies ruff's safe fixes, ruff format and clang-format -i.
    """
    _run_lint(session, *session.posargs)


# ---------------------------------------------------------------------------------------
# Sanitizers (ci/sanitize/run.sh): ASan + UBSan + LSan builds of the runtime with its C++ tests
# ($BUILD/sanitize/runtime) and of the Python packages in their own venv ($BUILD/venv-asan).
# ---------------------------------------------------------------------------------------
def _run_sanitize(session: nox.Session, *, ci: bool, pytest_args: tuple = ()) -> None:
    """ci: the CI subset (run.sh --ci). pytest_args: run only these, no C++ part."""
    _ensure_system_deps(session)
    script = str(ROOT / "ci" / "sanitize" / "run.sh")
    flags = ["--ci"] if ci else []
    env = {
        "TVM_FFI_NOX_BUILD": str(BUILD),
        "CMAKE_BUILD_PARALLEL_LEVEL": JOBS,
        "TVM_FFI_SANITIZE_HOST_PYTHON": sys.executable,
    }
    if not pytest_args:
        session.run("bash", script, "cxx", *flags, external=True, env=env)
    session.run("bash", script, "python", *flags, *pytest_args, external=True, env=env)


@nox.session(venv_backend="none")
def sanitize(session: nox.Session) -> None:
    """ASan + UBSan + LSan: the runtime's C++ tests, then every Python package's pytest suite
    against sanitized builds (`nox -s sanitize -- PYTEST_ARGS` runs only those pytest args)."""
    _run_sanitize(session, ci=False, pytest_args=tuple(session.posargs))


@nox.session(name="sanitize-ci", venv_backend="none")
def sanitize_ci(session: nox.Session) -> None:
    """The CI subset of `sanitize` (ci/sanitize/run.sh --ci): the same C++ part, the tvm-ffi and
    tvm-ffi-testing suites (without the mypy-over-stubs test); no tvm-ffi-cpp-jit."""
    _run_sanitize(session, ci=True)


@nox.session(venv_backend="none")
def tests(session: nox.Session) -> None:
    """Every check CI runs: lint, C ABI, C++ runtime, Python packages, JIT, downstream builds,
    binary interop with the peer, docs and their snippets, bounded fuzzing, wheels from dist/,
    the reduced sanitizer run (sanitize-ci)."""
    stages = [
        ("lint", _run_lint),
        ("abi", _run_abi),
        ("runtime", _run_runtime),
        ("core", _run_core),
        ("jit", _run_jit),
        ("downstream", _run_downstream),
        ("interop", _run_interop),
        ("docs", _run_docs),
        ("fuzz", lambda s: _run_fuzz(s, seconds="30")),
        ("build", _run_build),
        ("sanitize-ci", lambda s: _run_sanitize(s, ci=True)),
    ]
    times = []
    for name, stage in stages:
        t0 = time.monotonic()
        stage(session)
        times.append(f"{name} {time.monotonic() - t0:.0f}s")
        session.log("stage times: " + ", ".join(times))
