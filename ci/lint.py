"""Lint the monorepo (`nox -s lint`): every check runs, then the failures are listed.

* ruff: lint (ruff.toml) and format check of every Python file;
* cython-lint (.cython-lint.toml, with pycodestyle) of the Cython core (*.pyx, *.pxi, *.pxd);
* clang-format (.clang-format), check only, of every C/C++ source (*.h, *.c, *.cc, *.cu, ...);
* mypy (mypy.ini) of the Python packages: tvm_ffi (its compiled core described by core.pyi),
  tvm_ffi.testing and tvm_ffi_cpp_jit, straight from the source trees.

The files are those git tracks plus the untracked ones it does not ignore. The tools come from
the venv whose bin/ is --tools-bin (the nox session installs them, pinned). With --fix, ruff
fixes what it safely can and ruff format / clang-format rewrite the files; cython-lint and mypy
problems are left to be fixed by hand.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CYTHON_SUFFIXES = (".pyx", ".pxi", ".pxd")
C_SUFFIXES = (".h", ".hh", ".hpp", ".c", ".cc", ".cpp", ".cxx", ".cu", ".cuh")
# C/C++ files that clang-format leaves alone (vendored or generated code; none today).
CLANG_FORMAT_EXCLUDE: set[str] = set()
# The Python packages that mypy checks, and where their sources live.
TVM_FFI_SRC = ROOT / "packages" / "tvm-ffi" / "python" / "tvm_ffi"
TVM_FFI_TESTING_SRC = ROOT / "packages" / "tvm-ffi-testing" / "python" / "tvm_ffi" / "testing"
CPP_JIT_PYTHON = ROOT / "packages" / "tvm-ffi-cpp-jit" / "python"
# Directories never walked when git is not available (they are git-ignored).
_SKIP_DIRS = {".git", ".nox", "dist", "_build", "__pycache__", ".mypy_cache", ".ruff_cache"}


def repo_files() -> list[str]:
    """Paths (relative to the root, '/'-separated) of the files git tracks or would track."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-co", "--exclude-standard", "-z"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout.decode()
        files = sorted({f for f in out.split("\0") if f})
    except (OSError, subprocess.CalledProcessError):  # no git, or not a work tree: walk
        files = []
        for dirpath, dirnames, filenames in os.walk(ROOT):
            dirnames[:] = [
                d
                for d in dirnames
                if d not in _SKIP_DIRS
                and not d.startswith(("build", ".venv"))
                and not d.endswith(".egg-info")
            ]
            rel = Path(dirpath).relative_to(ROOT)
            files += [(rel / f).as_posix() for f in filenames]
        files.sort()
    return [f for f in files if (ROOT / f).is_file()]  # deleted but still tracked: skip


class Runner:
    def __init__(self, tools_bin: Path):
        self.tools_bin = tools_bin
        self.env = dict(os.environ)
        # cython-lint runs `pycodestyle` from PATH: the tools venv first.
        self.env["PATH"] = str(tools_bin) + os.pathsep + self.env.get("PATH", "")
        self.results: list[tuple[str, bool, float]] = []

    def tool(self, name: str) -> str:
        path = self.tools_bin / name
        if not path.exists():
            sys.exit("lint: %s is not installed in %s" % (name, self.tools_bin))
        return str(path)

    def run(self, label: str, cmd: list[str], filter_output=None) -> bool:
        """Run one check from the root; print its (filtered) output; record whether it passed."""
        print("\n=== %s" % label, flush=True)
        start = time.monotonic()
        proc = subprocess.run(
            cmd, cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        text = proc.stdout if filter_output is None else filter_output(proc.stdout)
        if text.strip():
            print(text.rstrip(), flush=True)
        ok = proc.returncode == 0
        self.results.append((label, ok, time.monotonic() - start))
        return ok


def _chunks(items: list[str], n: int = 200):
    for i in range(0, len(items), n):
        yield items[i : i + n]


def _clang_format_summary(text: str) -> str:
    """One line per file that is not formatted (clang-format reports every place)."""
    counts: dict[str, int] = {}
    other = []
    for line in text.splitlines():
        if "[-Wclang-format-violations]" in line:
            path = line.split(":", 1)[0]
            counts[path] = counts.get(path, 0) + 1
        elif line.strip() and not line.startswith(" ") and "^" not in line:
            other.append(line)
    out = ["%s: not clang-formatted (%d places)" % (p, n) for p, n in counts.items()]
    if counts:
        out.append("(see one: clang-format --style=file FILE | diff FILE -)")
    return "\n".join(other + out)


def build_mypy_tree(dest: Path) -> None:
    """dest/tvm_ffi: the tvm_ffi package of packages/tvm-ffi with tvm_ffi.testing (from
    packages/tvm-ffi-testing) inside, made of symlinks, as an installation would assemble it."""
    if dest.exists():
        shutil.rmtree(dest)
    pkg = dest / "tvm_ffi"
    pkg.mkdir(parents=True)
    for entry in sorted(TVM_FFI_SRC.iterdir()):
        if entry.name not in ("__pycache__", "testing"):
            (pkg / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    (pkg / "testing").symlink_to(TVM_FFI_TESTING_SRC, target_is_directory=True)


def _mypy_paths_back(tree: Path):
    """Report mypy's findings under the real source paths instead of the symlink tree."""
    # (prefix in mypy's output, real directory): mypy prints paths below its cwd relatively.
    mapping = []
    for link, real in (
        (tree / "tvm_ffi" / "testing", TVM_FFI_TESTING_SRC),
        (tree / "tvm_ffi", TVM_FFI_SRC),
    ):
        real_rel = str(real.relative_to(ROOT)) + os.sep
        mapping.append((str(link) + os.sep, real_rel))
        if link.is_relative_to(ROOT):
            mapping.append((str(link.relative_to(ROOT)) + os.sep, real_rel))

    def fix(text: str) -> str:
        lines = []
        for line in text.splitlines():
            for prefix, real_rel in mapping:
                if line.startswith(prefix):
                    line = real_rel + line[len(prefix) :]
                    break
            lines.append(line)
        return "\n".join(lines)

    return fix


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tools-bin", type=Path, required=True, help="bin/ of the tools venv")
    parser.add_argument("--build", type=Path, required=True, help="scratch dir (mypy cache)")
    parser.add_argument("--fix", action="store_true", help="apply ruff and clang-format fixes")
    args = parser.parse_args()

    runner = Runner(args.tools_bin.resolve())
    files = repo_files()
    cython = [f for f in files if f.endswith(CYTHON_SUFFIXES)]
    cxx = [f for f in files if f.endswith(C_SUFFIXES) and f not in CLANG_FORMAT_EXCLUDE]
    print(
        "lint: %d files (%d Python, %d Cython, %d C/C++)"
        % (len(files), sum(f.endswith((".py", ".pyi")) for f in files), len(cython), len(cxx))
    )

    ruff = runner.tool("ruff")
    if args.fix:
        runner.run("ruff check --fix", [ruff, "check", "--fix", "."])
        runner.run("ruff format", [ruff, "format", "."])
    else:
        runner.run("ruff check", [ruff, "check", "."])
        runner.run("ruff format --check", [ruff, "format", "--check", "--diff", "."])

    if cython:
        runner.run("cython-lint", [runner.tool("cython-lint"), *cython])

    clang_format = runner.tool("clang-format")
    mode = ["-i"] if args.fix else ["--dry-run", "--Werror"]
    for chunk in _chunks(cxx):
        runner.run(
            "clang-format %s(%d files)" % ("-i " if args.fix else "--dry-run ", len(chunk)),
            [clang_format, "--style=file", *mode, *chunk],
            filter_output=_clang_format_summary,
        )

    tree = args.build.resolve() / "mypy-src"
    build_mypy_tree(tree)
    runner.env["MYPYPATH"] = os.pathsep.join([str(tree), str(CPP_JIT_PYTHON)])
    runner.run(
        "mypy",
        [
            runner.tool("mypy"),
            "--config-file",
            str(ROOT / "mypy.ini"),
            "--cache-dir",
            str(args.build.resolve() / "mypy-cache"),
            "-p",
            "tvm_ffi",
            "-p",
            "tvm_ffi_cpp_jit",
        ],
        filter_output=_mypy_paths_back(tree),
    )

    print("\n=== summary")
    for label, passed, seconds in runner.results:
        print("  %-40s %-6s %5.1fs" % (label, "ok" if passed else "FAILED", seconds))
    failed = [label for label, passed, _ in runner.results if not passed]
    if failed:
        print("lint: FAILED: " + ", ".join(failed))
        if not args.fix:
            print("lint: `nox -s lint -- --fix` applies the ruff and clang-format fixes")
        return 1
    print("lint: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
