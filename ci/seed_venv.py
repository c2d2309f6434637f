"""Seed a fresh venv with hard links of distributions another venv already has installed.

    python ci/seed_venv.py --source-python A/bin/python --target-python B/bin/python torch numpy

copies (as hard links; a plain copy across file systems) every file of the named distributions
and of everything they require, transitively, from A's site-packages into B's, so that a later
`pip install torch==...` in B finds them installed instead of unpacking the wheels again
(torch alone is ~1 GB of files; unpacking it takes about a minute on a 2-core machine). Only
files inside site-packages are linked (console scripts are not). A distribution B already has
is left alone, as is one A does not have. Both interpreters must be the same Python version.

Used by ci/interop.py (peer venvs) and ci/sanitize/run.sh (the ASan venv); the venvs stay
isolated from each other: nothing but the named distributions and their requirements is
linked, and Python writes its bytecode caches into B's own directories.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

# Run by the source interpreter: the closure of the requested distributions, with their files.
_LIST_FILES = r"""
import importlib.metadata as md, json, re, sys
seen, stack, out = set(), list(sys.argv[1:]), {}
while stack:
    name = re.split(r"[\s;<>=!~\[(]", stack.pop(), maxsplit=1)[0].lower().replace("_", "-")
    if not name or name in seen:
        continue
    seen.add(name)
    try:
        dist = md.distribution(name)
    except md.PackageNotFoundError:
        continue
    out[name] = [str(f) for f in (dist.files or []) if not str(f).startswith("..")]
    stack.extend(r for r in (dist.requires or []) if "extra ==" not in r)
print(json.dumps(out))
"""

_VERSION_AND_SITE = (
    "import sys, sysconfig; print(sys.version_info[:2], sysconfig.get_paths()['purelib'])"
)


def _interpreter(python: str) -> tuple[str, Path]:
    out = subprocess.run([python, "-c", _VERSION_AND_SITE], check=True, capture_output=True)
    version, site = out.stdout.decode().strip().split(") ", 1)
    return version + ")", Path(site)


def _installed(python: str) -> set[str]:
    code = (
        "import importlib.metadata as m\n"
        "print('\\n'.join(d.metadata['Name'].lower().replace('_', '-') for d in m.distributions()))"
    )
    out = subprocess.run([python, "-c", code], check=True, capture_output=True, text=True)
    return set(out.stdout.split())


def seed(source_python: str, target_python: str, names: list[str]) -> int:
    """Link the closure of ``names``; returns the number of files linked."""
    source_version, source_site = _interpreter(source_python)
    target_version, target_site = _interpreter(target_python)
    if source_version != target_version:
        print(f"[seed_venv] skipped: Python {source_version} vs {target_version}", flush=True)
        return 0
    listing = subprocess.run(
        [source_python, "-c", _LIST_FILES, *names], check=True, capture_output=True, text=True
    )
    dists: dict[str, list[str]] = json.loads(listing.stdout)
    present = _installed(target_python)
    linked = 0
    for name, files in sorted(dists.items()):
        if name in present:
            continue
        for rel in files:
            src = source_site / rel
            dst = target_site / rel
            if not src.is_file() or dst.exists():
                continue
            dst.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(src, dst)
            except OSError:
                shutil.copy2(src, dst)
            linked += 1
    print(f"[seed_venv] {linked} files of {len(dists)} distributions -> {target_site}", flush=True)
    return linked


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source-python", required=True)
    parser.add_argument("--target-python", required=True)
    parser.add_argument("names", nargs="+", help="distribution names (requirements follow)")
    args = parser.parse_args()
    seed(args.source_python, args.target_python, args.names)
    return 0


if __name__ == "__main__":
    sys.exit(main())
