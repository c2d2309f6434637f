#!/usr/bin/env python3
"""Check the versions of the monorepo's five components against each other.

Each component has ONE source of truth for its version:

| component        | source of truth                                                         |
|------------------|-------------------------------------------------------------------------|
| abi              | TVM_FFI_VERSION_{MAJOR,MINOR,PATCH} in abi/include/tvm/ffi/c_api.h      |
| runtime-cpp      | project(tvm_ffi VERSION x.y.z) in runtime-cpp/CMakeLists.txt            |
| tvm-ffi          | __version__ in packages/tvm-ffi/python/tvm_ffi/__init__.py              |
| tvm-ffi-cpp-jit  | __version__ in packages/tvm-ffi-cpp-jit/python/tvm_ffi_cpp_jit/__init__.py |
| tvm-ffi-testing  | version in packages/tvm-ffi-testing/pyproject.toml                      |

Checked here (exit status 1 and one line per problem otherwise):
  * every source holds exactly one well-formed version, and no second copy of it is hard-coded
    where the build reads it (pyproject.toml `version`, CMake `project(... VERSION <digits>)`);
  * runtime-cpp implements the ABI's major.minor;
  * every dependency of a Python package on another package of this repository has a bounded
    range (a lower and an upper bound) that contains the other package's current version;
  * tvm-ffi-testing's find_package(tvm_ffi <version>) accepts the runtime's CMake package;
  * every component's CHANGELOG.md has a heading for its current version.

Usage: python ci/check_versions.py [--root DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11
    import tomli as tomllib  # type: ignore[no-redef]

from packaging.requirements import InvalidRequirement, Requirement
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent

PY_PACKAGES = {  # distribution name -> package folder
    "tvm-ffi": "packages/tvm-ffi",
    "tvm-ffi-cpp-jit": "packages/tvm-ffi-cpp-jit",
    "tvm-ffi-testing": "packages/tvm-ffi-testing",
}
CHANGELOGS = {
    "abi": "abi/CHANGELOG.md",
    "runtime-cpp": "runtime-cpp/CHANGELOG.md",
    "tvm-ffi": "packages/tvm-ffi/CHANGELOG.md",
    "tvm-ffi-cpp-jit": "packages/tvm-ffi-cpp-jit/CHANGELOG.md",
    "tvm-ffi-testing": "packages/tvm-ffi-testing/CHANGELOG.md",
}
_PY_VERSION_RE = re.compile(r"""^__version__\s*=\s*["']([^"']+)["']\s*$""", re.M)


class VersionError(Exception):
    pass


def _read(root: Path, rel: str) -> str:
    path = root / rel
    if not path.is_file():
        raise VersionError(f"{rel}: missing")
    return path.read_text(encoding="utf-8")


def _one(pattern: re.Pattern, text: str, where: str) -> str:
    hits = pattern.findall(text)
    if len(hits) != 1:
        raise VersionError(
            f"{where}: expected exactly one match of {pattern.pattern!r}, found {len(hits)}"
        )
    return hits[0]


def _version(text: str, where: str) -> Version:
    try:
        return Version(text)
    except InvalidVersion:
        raise VersionError(f"{where}: {text!r} is not a valid version") from None


def abi_version(root: Path) -> Version:
    text = _read(root, "abi/include/tvm/ffi/c_api.h")
    parts = []
    for part in ("MAJOR", "MINOR", "PATCH"):
        pattern = re.compile(r"^#define TVM_FFI_VERSION_%s +(\d+)\s*$" % part, re.M)
        parts.append(_one(pattern, text, "abi/include/tvm/ffi/c_api.h"))
    return Version(".".join(parts))


def runtime_version(root: Path) -> Version:
    text = _read(root, "runtime-cpp/CMakeLists.txt")
    pattern = re.compile(r"^project\(tvm_ffi\s+VERSION\s+([0-9.]+)[\s)]", re.M)
    return _version(_one(pattern, text, "runtime-cpp/CMakeLists.txt"), "runtime-cpp/CMakeLists.txt")


def _pyproject(root: Path, name: str) -> dict:
    rel = PY_PACKAGES[name] + "/pyproject.toml"
    try:
        return tomllib.loads(_read(root, rel))
    except tomllib.TOMLDecodeError as err:
        raise VersionError(f"{rel}: {err}") from None


def python_version(root: Path, name: str) -> Version:
    """The version of a Python package, read from its one source of truth."""
    project = _pyproject(root, name).get("project", {})
    if name == "tvm-ffi-testing":
        if "version" not in project:
            raise VersionError(
                "packages/tvm-ffi-testing/pyproject.toml: [project] version is missing"
            )
        return _version(project["version"], "packages/tvm-ffi-testing/pyproject.toml")
    rel = {
        "tvm-ffi": "packages/tvm-ffi/python/tvm_ffi/__init__.py",
        "tvm-ffi-cpp-jit": "packages/tvm-ffi-cpp-jit/python/tvm_ffi_cpp_jit/__init__.py",
    }[name]
    if "version" in project or "version" not in project.get("dynamic", []):
        raise VersionError(
            f"{PY_PACKAGES[name]}/pyproject.toml: the version must be dynamic (read from {rel}), "
            "not a second hard-coded copy"
        )
    return _version(_one(_PY_VERSION_RE, _read(root, rel), rel), rel)


def collect(root: Path) -> dict:
    """{component: Version} for the five components (raises VersionError)."""
    versions = {"abi": abi_version(root), "runtime-cpp": runtime_version(root)}
    for name in PY_PACKAGES:
        versions[name] = python_version(root, name)
    return versions


def problems(root: Path) -> tuple[dict, list]:
    errors = []
    versions = {}
    for name, reader in [("abi", abi_version), ("runtime-cpp", runtime_version)] + [
        (n, (lambda r, n=n: python_version(r, n))) for n in PY_PACKAGES
    ]:
        try:
            versions[name] = reader(root)
        except VersionError as err:
            errors.append(str(err))

    # runtime-cpp implements exactly the ABI's major.minor
    if "abi" in versions and "runtime-cpp" in versions:
        abi, rt = versions["abi"], versions["runtime-cpp"]
        if abi.release[:2] != rt.release[:2]:
            errors.append(f"runtime-cpp {rt} does not implement the ABI's major.minor ({abi})")

    # no second hard-coded copy where a build reads the version
    def read_or_report(rel):
        try:
            return _read(root, rel)
        except VersionError as err:
            errors.append(str(err))
            return ""

    abi_cmake = read_or_report("abi/CMakeLists.txt")
    if re.search(r"^project\(tvm_ffi_abi\s+VERSION\s+\d", abi_cmake, re.M):
        errors.append("abi/CMakeLists.txt: project() must take the version read from c_api.h")
    testing_cmake = read_or_report("packages/tvm-ffi-testing/CMakeLists.txt")
    if re.search(r"^project\(tvm_ffi_testing\s+VERSION\s+\d", testing_cmake, re.M):
        errors.append(
            "packages/tvm-ffi-testing/CMakeLists.txt: project() must take the version "
            "of pyproject.toml"
        )

    # dependency ranges between the Python packages
    for name in PY_PACKAGES:
        try:
            deps = _pyproject(root, name).get("project", {}).get("dependencies", [])
        except VersionError as err:
            errors.append(str(err))
            continue
        for dep in deps:
            try:
                req = Requirement(dep)
            except InvalidRequirement as err:
                errors.append(f"{PY_PACKAGES[name]}/pyproject.toml: {err}")
                continue
            if req.name not in PY_PACKAGES:
                continue
            where = f"{PY_PACKAGES[name]}/pyproject.toml: dependency {dep!r}"
            specs = list(req.specifier)
            lower = [s for s in specs if s.operator in (">=", ">", "==", "~=", "===")]
            upper = [s for s in specs if s.operator in ("<", "<=", "==", "~=", "===")]
            if not lower or not upper:
                errors.append(f"{where} needs a lower and an upper bound")
            other = versions.get(req.name)
            if other is not None and not req.specifier.contains(other, prereleases=True):
                errors.append(f"{where} does not accept {req.name} {other} of this repository")

    # tvm-ffi-testing's CMake request for the runtime's package (SameMinor semantics)
    match = re.search(r"find_package\(tvm_ffi\s+([0-9.]+)", testing_cmake)
    if match and "runtime-cpp" in versions:
        wanted = Version(match.group(1))
        rt = versions["runtime-cpp"]
        if wanted.release[:2] != rt.release[:2] or wanted > rt:
            errors.append(
                "packages/tvm-ffi-testing/CMakeLists.txt: "
                f"find_package(tvm_ffi {wanted}) does not accept runtime-cpp {rt}"
            )

    # every CHANGELOG names the current version
    for name, rel in CHANGELOGS.items():
        if name not in versions:
            continue
        try:
            text = _read(root, rel)
        except VersionError as err:
            errors.append(str(err))
            continue
        heading = re.compile(r"^##\s+\[?v?%s\]?(\s|$)" % re.escape(str(versions[name])), re.M)
        if not heading.search(text):
            errors.append(f"{rel}: no '## {versions[name]}' heading for the current version")
    return versions, errors


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root")
    parser.add_argument("--json", action="store_true", help="print the versions as JSON")
    args = parser.parse_args(argv)
    versions, errors = problems(args.root)
    if args.json:
        print(json.dumps({k: str(v) for k, v in versions.items()}, indent=2))
    else:
        for name, version in versions.items():
            print(f"  {name:<16} {version}")
    for err in errors:
        print("version check: " + err, file=sys.stderr)
    if errors:
        return 1
    print("version check: OK (%d components)" % len(versions))
    return 0


if __name__ == "__main__":
    sys.exit(main())
