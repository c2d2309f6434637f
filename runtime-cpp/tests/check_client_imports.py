#!/usr/bin/env python3
"""Check that libtvm_ffi.so exports every symbol a real client imports from it.

The client is the apache-tvm 0.27.0.post1 wheel (its libtvm_runtime.so, libtvm_compiler.so,
libtvm_runtime_extra.so and libtvm_runtime_cuda.so are built against the apache-tvm-ffi 0.1.15
headers). The wheel is fetched once with ``pip download --no-deps`` into a cache folder; when it
cannot be fetched (no network, no pip) the check is skipped with exit code 77 and the reason.

A symbol counts as imported from libtvm_ffi when one of the client's libraries references it as
an undefined dynamic symbol, none of the client's own libraries defines it, and it is a TVM FFI
name (``TVMFFI*`` C functions or C++ symbols in namespace ``tvm::ffi``). Every such symbol must be
exported by our library, except those listed in EXPECTED_MISSING with the reason; a listed
symbol that our library does export makes the check fail too, so that the list stays true.

Usage: check_client_imports.py --library build/runtime/libtvm_ffi.so --cache-dir DIR
"""

import argparse
import os
import subprocess
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_symbols import STB_GLOBAL, STB_GNU_UNIQUE, STB_WEAK, STV_DEFAULT, STV_PROTECTED, ElfFile  # noqa: E402

CLIENT = "apache-tvm==0.27.0.post1"
WHEEL_PREFIX = "apache_tvm-0.27.0.post1-"
SKIP = 77

# Symbols the client imports that our runtime does not export yet, with the reason.
EXPECTED_MISSING = {
    "_ZN3tvm3ffi17VisitErrorContext15FindAccessPathsERKNS0_9ObjectRefERKS1_b": (
        "VisitErrorContext (structural-visit error context) is not implemented yet"
    ),
}

_FFI_PREFIXES = (
    "TVMFFI",
    "_ZN3tvm3ffi",
    "_ZNK3tvm3ffi",
    "_ZTIN3tvm3ffi",
    "_ZTSN3tvm3ffi",
    "_ZTVN3tvm3ffi",
    "_ZZN3tvm3ffi",
    "_ZGVZN3tvm3ffi",
)


def fetch_wheel(cache_dir):
    """Path of the cached wheel, downloading it when needed; (None, reason) when impossible."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    for path in sorted(cache_dir.glob(WHEEL_PREFIX + "*.whl")):
        return path, None
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--disable-pip-version-check",
        "-d",
        str(cache_dir),
        CLIENT,
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as err:
        return None, f"cannot run pip download ({err})"
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        return None, f"pip download {CLIENT} failed (offline?): {tail[0]}"
    for path in sorted(cache_dir.glob(WHEEL_PREFIX + "*.whl")):
        return path, None
    return None, f"pip download {CLIENT} produced no wheel in {cache_dir}"


def is_ffi_name(name):
    return name.startswith(_FFI_PREFIXES)


def client_imports(wheel):
    """{symbol: [library, ...]} of TVM FFI symbols the client's libraries import."""
    undefined = {}
    defined = set()
    with zipfile.ZipFile(wheel) as archive:
        libs = [n for n in archive.namelist() if n.endswith(".so") and "/lib" in n]
        if not libs:
            raise RuntimeError(f"{wheel}: no shared libraries found")
        for member in libs:
            elf = ElfFile(member, data=archive.read(member))
            for name, binding, _visibility, is_defined in elf.dynamic_symbols():
                if not name or not is_ffi_name(name):
                    continue
                if is_defined:
                    defined.add(name)
                elif binding in (STB_GLOBAL, STB_WEAK):
                    undefined.setdefault(name, []).append(os.path.basename(member))
    return {name: libs for name, libs in undefined.items() if name not in defined}


def exported_symbols(library):
    elf = ElfFile(library)
    return {
        name
        for name, binding, visibility, is_defined in elf.dynamic_symbols()
        if is_defined
        and binding in (STB_GLOBAL, STB_WEAK, STB_GNU_UNIQUE)
        and visibility in (STV_DEFAULT, STV_PROTECTED)
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", required=True, help="our libtvm_ffi.so")
    parser.add_argument("--cache-dir", required=True, type=Path, help="where the wheel is kept")
    args = parser.parse_args(argv)

    wheel, reason = fetch_wheel(args.cache_dir)
    if wheel is None:
        print(f"SKIPPED: {reason}")
        return SKIP
    imports = client_imports(wheel)
    ours = exported_symbols(args.library)
    missing = sorted(name for name in imports if name not in ours)
    print(f"client wheel: {wheel.name}")
    print(
        f"TVM FFI symbols imported by the client: {len(imports)} "
        f"({sum(1 for n in imports if n.startswith('TVMFFI'))} C functions)"
    )
    failures = []
    for name in missing:
        libs = ", ".join(sorted(set(imports[name])))
        if name in EXPECTED_MISSING:
            print(f"expected missing: {name} (imported by {libs}): {EXPECTED_MISSING[name]}")
        else:
            failures.append(f"missing: {name} (imported by {libs})")
    for name in sorted(EXPECTED_MISSING):
        if name in ours:
            failures.append(f"listed as expected missing but exported now: {name}")
        elif name not in imports:
            failures.append(f"listed as expected missing but not imported by the client: {name}")
    for item in failures:
        print("FAIL:", item)
    if failures:
        return 1
    print(
        f"client imports: OK ({len(imports) - len(missing)} present, "
        f"{len(missing)} expected missing)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
