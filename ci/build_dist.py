#!/usr/bin/env python3
"""Build the wheels and sdists of the three Python packages into dist/ (`nox -s build`).

  tvm-ffi          sdist + wheel. The sdist is self-contained: it carries copies of runtime-cpp/
                   and abi/ under _vendor/ (packages/tvm-ffi/CMakeLists.txt uses them when present).
  tvm-ffi-testing  sdist + wheel. Its C++ library is compiled against an INSTALLED tvm-ffi, so the
                   wheel is built without isolation in a build venv that has the tvm-ffi wheel from
                   dist/ installed; its sdist builds the same way (`--no-build-isolation`).
  tvm-ffi-cpp-jit  sdist + pure-Python wheel.

Every wheel is built FROM its sdist (which proves the sdist builds). The sdists are made from a
staging copy of the files git knows about (tracked or not ignored), so build trees, caches and
stray files of the work tree never reach them. Afterwards the wheels are inspected: the files a
package needs are there (libraries, headers, CMake package, plugin file), nothing of a build tree
or test suite is, and the dependency ranges match pyproject.toml. Sizes are printed.

Work folders live under <build>/dist-work (<build> = $TVM_FFI_NOX_BUILD or build/): the build
venv, the staging copies, the unpacked sdists and persistent CMake build trees (unpacked sdists
are synced file by file, so an unchanged source keeps its timestamp and CMake rebuilds only
what changed).

Usage: python ci/build_dist.py [--build DIR] [--dist DIR] [--jobs N]
"""

from __future__ import annotations

import argparse
import email.parser
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import check_versions  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["tvm-ffi", "tvm-ffi-testing", "tvm-ffi-cpp-jit"]  # build order
BUILD_DEPS = [
    "build>=1.0",
    "scikit-build-core>=0.10",
    "cython>=3.0",
    "ninja",
    "setuptools>=70.1",
    "packaging",
    # tvm-ffi's own dependency: tvm-ffi-testing's build imports tvm_ffi
    "typing-extensions>=4.5",
]
# Copied into the tvm-ffi sdist (what CMake needs to build libtvm_ffi.so and install its headers).
VENDORED = {
    "runtime-cpp": ["CMakeLists.txt", "cmake", "include", "src", "README.md", "CHANGELOG.md"],
    "abi": ["CMakeLists.txt", "cmake", "include", "README.md", "CHANGELOG.md"],
}

# Nothing of a build tree, cache or test suite may be inside a wheel.
FORBIDDEN = [
    "*/tests/*",
    "tests/*",
    "*/test/*",
    "*conftest.py",
    "*/test_*.py",
    "*CMakeFiles/*",
    "*CMakeCache.txt",
    "*cmake_install.cmake",
    "*build.ninja",
    "*.ninja_*",
    "*.o",
    "*.obj",
    "*.a",
    "*.pyc",
    "*__pycache__/*",
    "*.pytest_cache/*",
    "*.ruff_cache/*",
    "*.mypy_cache/*",
    "*_vendor/*",
    "*.egg-info/*",
]
REQUIRED = {
    "tvm-ffi": [
        "tvm_ffi/__init__.py",
        "tvm_ffi/core.*.so",
        "tvm_ffi/lib/libtvm_ffi.so",
        "tvm_ffi/include/tvm/ffi/c_api.h",
        "tvm_ffi/include/tvm/ffi/function.h",
        "tvm_ffi/include/tvm/ffi/extra/c_env_api.h",
        "tvm_ffi/include/dlpack/dlpack.h",
        "tvm_ffi/include/tvm_ffi_python_helpers.h",
        "tvm_ffi/share/cmake/tvm_ffi/tvm_ffi-config.cmake",
        "tvm_ffi/share/cmake/tvm_ffi/tvm_ffi-config-version.cmake",
        "tvm_ffi/source/runtime-cpp/CMakeLists.txt",
        "tvm_ffi/source/runtime-cpp/src/object.cc",
        "tvm_ffi/source/abi/include/tvm/ffi/c_api.h",
        "tvm_ffi/config.py",
        "tvm_ffi/cpp/__init__.py",
        "*.dist-info/entry_points.txt",
        "*.dist-info/*LICENSE",
    ],
    "tvm-ffi-testing": [
        "tvm_ffi/lib/libtvm_ffi_testing.so",
        "tvm_ffi/testing/__init__.py",
        "tvm_ffi/_plugins/tvm_ffi_testing.txt",
        "*.dist-info/*LICENSE",
    ],
    "tvm-ffi-cpp-jit": [
        "tvm_ffi_cpp_jit/__init__.py",
        "tvm_ffi_cpp_jit/_build.py",
        "*.dist-info/*LICENSE",
    ],
}
# The tvm-ffi-testing wheel adds to the tvm_ffi package only these parts (no second __init__.py).
TESTING_MAY_TOUCH = [
    "tvm_ffi/testing/*",
    "tvm_ffi/_plugins/*",
    "tvm_ffi/lib/libtvm_ffi_testing.so",
    "tvm_ffi_testing-*",
]


def log(msg: str) -> None:
    print(f"[build_dist] {msg}", flush=True)


def run(cmd, **kwargs) -> None:
    log("$ " + " ".join(str(c) for c in cmd))
    subprocess.run([str(c) for c in cmd], check=True, **kwargs)


def dist_name(name: str) -> str:
    return name.replace("-", "_")


# ---------------------------------------------------------------------------------------------
# Source files: what git knows about (tracked, or untracked and not ignored)
# ---------------------------------------------------------------------------------------------
_SKIP_DIRS = {"build", "dist", "__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache", ".git"}


def source_files(rel_dir: str) -> list[Path]:
    """Files under ROOT/rel_dir that belong to the sources (paths relative to ROOT)."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", rel_dir],
            cwd=ROOT,
            check=True,
            capture_output=True,
        ).stdout
        files = [Path(p) for p in out.decode().split("\0") if p]
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: walk, skipping caches
        files = []
        for dirpath, dirnames, filenames in os.walk(ROOT / rel_dir):
            dirnames[:] = [
                d
                for d in dirnames
                if d not in _SKIP_DIRS
                and not d.startswith("build-")
                and not d.endswith(".egg-info")
            ]
            files += [Path(dirpath, f).relative_to(ROOT) for f in filenames]
    return sorted(p for p in files if (ROOT / p).is_file())


def stage(pkg: str, dest: Path) -> None:
    """A clean copy of packages/<pkg> (+ LICENSE, + _vendor/ for tvm-ffi) at dest."""
    if dest.exists():
        shutil.rmtree(dest)
    pkg_rel = f"packages/{pkg}"
    for rel in source_files(pkg_rel):
        target = dest / rel.relative_to(pkg_rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, target)
    shutil.copy2(ROOT / "LICENSE", dest / "LICENSE")
    if pkg == "tvm-ffi":
        for component, entries in VENDORED.items():
            for rel in source_files(component):
                if rel.parts[1] in entries:
                    target = dest / "_vendor" / rel
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(ROOT / rel, target)


def sync_tree(src: Path, dst: Path) -> int:
    """Make dst hold exactly src's files; unchanged files keep their timestamps. Returns the
    number of files written."""
    src_files = {p.relative_to(src) for p in src.rglob("*") if p.is_file()}
    if dst.exists():
        for p in sorted(dst.rglob("*"), reverse=True):
            rel = p.relative_to(dst)
            if p.is_file() and rel not in src_files:
                p.unlink()
            elif p.is_dir() and not any(p.iterdir()):
                p.rmdir()
    written = 0
    for rel in sorted(src_files):
        s, d = src / rel, dst / rel
        if d.is_file() and d.read_bytes() == s.read_bytes():
            continue
        d.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(s, d)
        shutil.copymode(s, d)
        written += 1
    return written


def unpack_sdist(sdist: Path, dest: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(sdist) as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(tmp, filter="data")
            else:  # Python < 3.12 without the backported filter
                tar.extractall(tmp)
        (top,) = Path(tmp).iterdir()
        written = sync_tree(top, dest)
    log(f"unpacked {sdist.name} into {dest} ({written} files changed)")


# ---------------------------------------------------------------------------------------------
# Wheel inspection
# ---------------------------------------------------------------------------------------------
def _matches(name: str, patterns) -> bool:
    return any(fnmatch.fnmatch(name, pat) for pat in patterns)


def inspect_wheel(pkg: str, wheel: Path, versions: dict) -> list[str]:
    errors = []
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        metadata_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = email.parser.Parser().parsestr(zf.read(metadata_name).decode())
    for name in names:
        if _matches(name, FORBIDDEN):
            errors.append(f"{wheel.name}: must not contain {name}")
    for pat in REQUIRED[pkg]:
        if not any(fnmatch.fnmatch(n, pat) for n in names):
            errors.append(f"{wheel.name}: missing {pat}")
    if pkg == "tvm-ffi-testing":
        for name in names:
            if not _matches(name, TESTING_MAY_TOUCH):
                errors.append(f"{wheel.name}: {name} belongs to another distribution")
    if metadata["Version"] != str(versions[pkg]):
        errors.append(f"{wheel.name}: METADATA Version {metadata['Version']} != {versions[pkg]}")
    # the dependency ranges in the wheel are those of pyproject.toml
    project = check_versions._pyproject(ROOT, pkg)["project"]
    wanted = sorted(re.sub(r"\s+", "", d) for d in project.get("dependencies", []))
    got = sorted(
        re.sub(r"\s+", "", d)
        for d in metadata.get_all("Requires-Dist") or []
        if "extra ==" not in d
    )
    if [_norm_req(d) for d in wanted] != [_norm_req(d) for d in got]:
        errors.append(f"{wheel.name}: Requires-Dist {got} != pyproject dependencies {wanted}")
    return errors


def _norm_req(text: str) -> str:
    from packaging.requirements import Requirement

    req = Requirement(text)
    return f"{req.name}{','.join(sorted(str(s) for s in req.specifier))}"


def inspect_sdist(pkg: str, sdist: Path) -> list[str]:
    errors = []
    with tarfile.open(sdist) as tar:
        names = [m.name.split("/", 1)[1] for m in tar.getmembers() if "/" in m.name]
    needed = ["pyproject.toml", "LICENSE", "PKG-INFO"]
    if pkg == "tvm-ffi":
        needed += [
            "CMakeLists.txt",
            "_vendor/runtime-cpp/CMakeLists.txt",
            "_vendor/runtime-cpp/src/object.cc",
            "_vendor/abi/include/tvm/ffi/c_api.h",
            "python/tvm_ffi/cython/core.pyx",
        ]
    for path in needed:
        if path not in names:
            errors.append(f"{sdist.name}: missing {path}")
    for name in names:
        if _matches(
            name,
            [
                "*__pycache__/*",
                "*.pyc",
                "*CMakeCache.txt",
                "*CMakeFiles/*",
                "*.pytest_cache/*",
                "*.ruff_cache/*",
                "*.so",
                "*.o",
                "build/*",
            ],
        ):
            errors.append(f"{sdist.name}: must not contain {name}")
    return errors


def print_sizes(files: list[Path]) -> None:
    print("\n%-62s %12s" % ("file in dist/", "size"))
    print("-" * 75)
    for path in files:
        print("%-62s %9.1f KiB" % (path.name, path.stat().st_size / 1024))
    for path in files:
        if path.suffix != ".whl":
            continue
        with zipfile.ZipFile(path) as zf:
            infos = sorted(zf.infolist(), key=lambda i: -i.file_size)
            total = sum(i.file_size for i in infos)
        print(f"\n{path.name}: {len(infos)} files, {total / 1024:.1f} KiB unpacked; largest:")
        for info in infos[:5]:
            print("    %9.1f KiB  %s" % (info.file_size / 1024, info.filename))
    print()


# ---------------------------------------------------------------------------------------------
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Build wheels and sdists into dist/.")
    parser.add_argument(
        "--build", type=Path, default=Path(os.environ.get("TVM_FFI_NOX_BUILD", ROOT / "build"))
    )
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--jobs", default=os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "2"))
    args = parser.parse_args(argv)
    work = args.build.resolve() / "dist-work"
    dist = args.dist.resolve()
    t_start = time.monotonic()
    timings = []

    def step(name, t0):
        timings.append((name, time.monotonic() - t0))

    versions, errors = check_versions.problems(ROOT)
    if errors:
        for err in errors:
            log("version check: " + err)
        return 1
    log("versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()))

    t0 = time.monotonic()
    venv = work / "build-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        run([sys.executable, "-m", "venv", venv])
    run([python, "-m", "pip", "install", "-q", "--upgrade", "pip", *BUILD_DEPS])
    step("build venv", t0)

    if dist.exists():
        shutil.rmtree(dist)
    dist.mkdir(parents=True)
    env = dict(os.environ, CMAKE_BUILD_PARALLEL_LEVEL=str(args.jobs))

    for pkg in PACKAGES:
        t0 = time.monotonic()
        version = versions[pkg]
        staged = work / "stage" / pkg
        stage(pkg, staged)
        run([python, "-m", "build", "--sdist", "--no-isolation", "--outdir", dist, staged], env=env)
        sdist = dist / f"{dist_name(pkg)}-{version}.tar.gz"
        if not sdist.is_file():
            log(f"expected {sdist.name}, dist/ has {sorted(p.name for p in dist.iterdir())}")
            return 1
        if pkg == "tvm-ffi-testing":
            # compile against the tvm-ffi wheel just built, installed into the build venv
            run(
                [
                    python,
                    "-m",
                    "pip",
                    "install",
                    "-q",
                    "--isolated",
                    "--force-reinstall",
                    "--no-deps",
                    "--no-index",
                    "--find-links",
                    dist,
                    f"tvm-ffi=={versions['tvm-ffi']}",
                ]
            )
        src = work / "src" / pkg
        if pkg == "tvm-ffi-cpp-jit" and src.exists():
            shutil.rmtree(src)  # setuptools keeps a build/ folder in the source: start clean
        unpack_sdist(sdist, src)
        cmd = [python, "-m", "build", "--wheel", "--no-isolation", "--outdir", dist, src]
        if pkg != "tvm-ffi-cpp-jit":
            cmd.append(f"-Cbuild-dir={work / 'cmake' / pkg}")
        run(cmd, env=env)
        step(pkg, t0)

    files = sorted(dist.iterdir())
    errors = []
    for pkg in PACKAGES:
        wheels = [
            p
            for p in files
            if p.name.startswith(f"{dist_name(pkg)}-{versions[pkg]}-") and p.suffix == ".whl"
        ]
        sdists = [p for p in files if p.name == f"{dist_name(pkg)}-{versions[pkg]}.tar.gz"]
        if len(wheels) != 1 or len(sdists) != 1:
            errors.append(f"{pkg}: expected one wheel and one sdist, found {wheels + sdists}")
            continue
        errors += inspect_wheel(pkg, wheels[0], versions)
        errors += inspect_sdist(pkg, sdists[0])
    print_sizes(files)
    timings.append(("total", time.monotonic() - t_start))
    log("wall times: " + ", ".join(f"{name} {secs:.0f}s" for name, secs in timings))
    for err in errors:
        log("ERROR " + err)
    if errors:
        return 1
    log(f"OK: {len(files)} files in {dist}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
