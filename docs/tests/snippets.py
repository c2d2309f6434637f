"""Find and run the code blocks of the documentation (see ``docs/README.md`` for the rules).

Command line (what ``test_docs_snippets.py`` runs, one fresh interpreter per page)::

    python docs/tests/snippets.py run PAGE.md --workdir DIR     # run every block of a page
    python docs/tests/snippets.py list PAGE.md                  # print the blocks found
    python docs/tests/snippets.py docstrings --workdir DIR      # run the API docstrings' examples

Rules, per fenced block of a Markdown (MyST) page, in page order:

* ``python``: executed in the page's interpreter; all python blocks of a page share one
  namespace, like a reader typing them into one session. Tracebacks point at the page's lines.
* ``bash`` / ``sh``: executed with ``bash -e -o pipefail`` in the page's working directory, with
  the interpreter's ``bin`` directory first on ``PATH`` (so ``python``, ``tvm-ffi-config``, ...
  are the ones of the environment under test).
* ``cpp`` / ``c++`` / ``c``: compiled against the installed headers (``tvm-ffi-config``); a
  block that defines ``main`` is also linked against ``libtvm_ffi`` and run (exit status 0
  required), any other block gets a syntax/semantic check (``-fsyntax-only``).
* ``text``: never executed (output, tracebacks, tables).
* any other language (``cmake``, ``toml``, ``cuda``, ...) must carry a ``file`` or ``skip``
  directive; otherwise the page fails, so that no block goes unchecked by accident.

Directives: comment lines right above the block (blank lines in between are allowed), either the
MyST comment form ``% snippet: ...`` or the HTML form ``<!-- snippet: ... -->`` (for README.md,
which GitHub renders):

* ``skip (<reason>)``: do not execute this block (a reason is required);
* ``file <path>``: write the block to ``<path>`` in the page's working directory (later blocks
  use it); C/C++ file blocks are also compile-checked;
* ``raises <ExceptionName>``: the python block must raise this exception (or a subclass).

Blocks inside MyST directive fences (``{note}``, ``{tip}``, ...) are found too; a
``{code-block} <lang>`` directive counts as a block of that language. Only fenced blocks exist
for this tool: do not use indented code blocks or ``{eval-rst}`` code blocks.
"""

from __future__ import annotations

import argparse
import inspect
import os
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

PYTHON_LANGS = {"python", "py", "python3"}
SHELL_LANGS = {"bash", "sh", "shell"}
CXX_LANGS = {"cpp", "c++", "cxx"}
C_LANGS = {"c"}
INERT_LANGS = {"text", "output"}
CODE_DIRECTIVES = {"code-block", "code", "sourcecode"}

_FENCE_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>.*?)[ \t]*$")
_DIRECTIVE_RES = [
    re.compile(r"^\s*%\s*snippet:\s*(?P<body>.*?)\s*$"),
    re.compile(r"^\s*<!--\s*snippet:\s*(?P<body>.*?)\s*-->\s*$"),
]
_COMMENT_RES = [re.compile(r"^\s*%"), re.compile(r"^\s*<!--.*-->\s*$")]


class SnippetError(Exception):
    """A page breaks the snippet rules (bad directive, unknown language, ...)."""


@dataclass
class Block:
    page: Path
    line: int  # 1-based line number of the first line of code
    lang: str
    code: str
    skip: str | None = None
    file: str | None = None
    raises: str | None = None
    directives: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return "%s:%d" % (self.page, self.line)

    @property
    def kind(self) -> str:
        """How the block is handled: python, shell, cxx, c, inert, file, skip or unchecked."""
        if self.skip is not None:
            return "skip"
        if self.lang in PYTHON_LANGS:
            return "python"
        if self.lang in SHELL_LANGS:
            return "shell"
        if self.lang in CXX_LANGS:
            return "cxx"
        if self.lang in C_LANGS:
            return "c"
        if self.file is not None:
            return "file"
        if self.lang in INERT_LANGS:
            return "inert"
        return "unchecked"


def _parse_directive(block: Block, body: str) -> None:
    block.directives.append(body)
    m = re.fullmatch(r"skip\s*\((?P<reason>.*\S.*)\)", body)
    if m:
        block.skip = m.group("reason").strip()
        return
    m = re.fullmatch(r"file\s+(?P<path>\S+)", body)
    if m:
        path = m.group("path")
        if Path(path).is_absolute() or ".." in Path(path).parts:
            raise SnippetError(
                "%s: snippet file path must be relative and stay in the working "
                "directory: %r" % (block.where, path)
            )
        block.file = path
        return
    m = re.fullmatch(r"raises\s+(?P<exc>[A-Za-z_][\w.]*)", body)
    if m:
        block.raises = m.group("exc")
        return
    raise SnippetError(
        "%s: unknown snippet directive %r (expected 'skip (<reason>)', "
        "'file <path>' or 'raises <Exception>')" % (block.where, body)
    )


def _directives_above(lines: list[str], fence_index: int) -> list[str]:
    """Snippet directives in the comment lines just above line ``fence_index`` (0-based)."""
    found = []
    i = fence_index - 1
    while i >= 0 and not lines[i].strip():
        i -= 1
    while i >= 0 and any(rx.match(lines[i]) for rx in _COMMENT_RES):
        for rx in _DIRECTIVE_RES:
            m = rx.match(lines[i])
            if m:
                found.append(m.group("body"))
                break
        i -= 1
    found.reverse()
    return found


def parse_blocks(page: Path, text: str | None = None) -> list[Block]:
    """Every fenced code block of a Markdown page, in order, with its directives."""
    page = Path(page)
    if text is None:
        text = page.read_text()
    lines = text.split("\n")
    blocks: list[Block] = []
    stack: list[tuple] = []  # open directive fences: (char, length)
    i = 0
    while i < len(lines):
        m = _FENCE_RE.match(lines[i])
        if not m:
            if any(rx.match(lines[i]) for rx in _DIRECTIVE_RES):
                # a directive must be followed by a block (checked below by position)
                j = i + 1
                while j < len(lines) and (
                    not lines[j].strip() or any(rx.match(lines[j]) for rx in _COMMENT_RES)
                ):
                    j += 1
                if (
                    j >= len(lines)
                    or not _FENCE_RE.match(lines[j])
                    or (stack and _is_closing(lines[j], stack[-1]))
                ):
                    raise SnippetError(
                        "%s:%d: snippet directive not followed by a code block" % (page, i + 1)
                    )
            i += 1
            continue
        fence, info = m.group("fence"), m.group("info")
        if stack and _is_closing(lines[i], stack[-1]):
            stack.pop()
            i += 1
            continue
        if not info:
            raise SnippetError(
                "%s:%d: code block without a language (write ```text for output)" % (page, i + 1)
            )
        lang = info.split()[0]
        if lang.startswith("{"):
            name = lang.strip("{}")
            args = info.split()[1:]
            if name in CODE_DIRECTIVES:
                if not args:
                    raise SnippetError("%s:%d: {%s} without a language" % (page, i + 1, name))
                lang = args[0]
            elif name == "eval-rst":
                end = _find_close(lines, i, fence)
                body = "\n".join(lines[i + 1 : end])
                if re.search(r"code-block|sourcecode|literalinclude|::\s*$", body, re.M):
                    raise SnippetError(
                        "%s:%d: code inside {eval-rst} is not checked; use a "
                        "fenced block" % (page, i + 1)
                    )
                i = end + 1
                continue
            else:  # a container directive (note, tip, toctree, c:function, ...): look inside
                stack.append((fence[0], len(fence)))
                i += 1
                continue
        end = _find_close(lines, i, fence)
        first = i + 1  # first line of code (0-based)
        # MyST directive options (":name: value") at the top of a {code-block}
        if info.split()[0].startswith("{"):
            while first < end and re.match(r"^\s*:\w[\w-]*:", lines[first]):
                first += 1
        indent = m.group("indent")
        body = "\n".join(x[len(indent) :] if x.startswith(indent) else x for x in lines[first:end])
        block = Block(page=page, line=first + 1, lang=lang.lower(), code=body + "\n")
        for d in _directives_above(lines, i):
            _parse_directive(block, d)
        blocks.append(block)
        i = end + 1
    if stack:
        raise SnippetError("%s: unclosed directive fence" % page)
    return blocks


def _is_closing(line: str, opened: tuple) -> bool:
    m = _FENCE_RE.match(line)
    return bool(
        m
        and not m.group("info")
        and m.group("fence")[0] == opened[0]
        and len(m.group("fence")) >= opened[1]
    )


def _find_close(lines: list[str], start: int, fence: str) -> int:
    for j in range(start + 1, len(lines)):
        if _is_closing(lines[j], (fence[0], len(fence))):
            return j
    raise SnippetError("unclosed code block opened at line %d" % (start + 1))


# -------------------------------------------------------------------------------------------
# Running
# -------------------------------------------------------------------------------------------
class BlockFailed(Exception):
    pass


def _env_for_subprocess() -> dict[str, str]:
    env = dict(os.environ)
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    return env


_TVM_FLAGS: dict[str, list[str]] = {}


def _tvm_ffi_flags() -> dict[str, list[str]]:
    """Compile/link flags of the installed tvm_ffi, from ``tvm-ffi-config``."""
    if not _TVM_FLAGS:

        def cfg(*args):
            out = subprocess.run(
                [sys.executable, "-m", "tvm_ffi.config", *args],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            return shlex.split(out)

        _TVM_FLAGS["cxxflags"] = cfg("--cxxflags")
        _TVM_FLAGS["cflags"] = cfg("--cflags")
        libdir = cfg("--libdir")[0]
        _TVM_FLAGS["ldflags"] = cfg("--ldflags") + cfg("--libs") + ["-Wl,-rpath," + libdir]
    return _TVM_FLAGS


def _compiler(c: bool) -> list[str]:
    name = os.environ.get("CC" if c else "CXX")
    if name:
        return shlex.split(name)
    for cand in ["cc", "gcc", "clang"] if c else ["c++", "g++", "clang++"]:
        if shutil.which(cand):
            return [cand]
    raise BlockFailed("no %s compiler found (set %s)" % ("C" if c else "C++", "CC" if c else "CXX"))


_MAIN_RE = re.compile(r"^\s*int\s+main\s*\(", re.M)


def run_compiled(block: Block, workdir: Path, env: dict[str, str]) -> str:
    is_c = block.kind == "c"
    flags = _tvm_ffi_flags()
    stem = "snippet_%d" % block.line
    src = workdir / (block.file or ("_snippets/%s.%s" % (stem, "c" if is_c else "cc")))
    src.parent.mkdir(parents=True, exist_ok=True)
    src.write_text(_line_directive(block, is_c) + block.code)
    lang_flags = ["-std=c11"] + flags["cflags"] if is_c else flags["cxxflags"]
    base = _compiler(is_c) + lang_flags + ["-Wall", "-I", str(workdir)]
    has_main = bool(_MAIN_RE.search(block.code))
    if has_main and not block.file:
        exe = workdir / "_snippets" / stem
        cmd = base + [str(src), "-o", str(exe)] + flags["ldflags"]
    else:
        cmd = base + ["-fsyntax-only", str(src)]
    proc = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise BlockFailed("compile failed: %s\n%s%s" % (shlex.join(cmd), proc.stdout, proc.stderr))
    if has_main and not block.file:
        run = subprocess.run(
            [str(exe)], cwd=workdir, capture_output=True, text=True, env=env, timeout=300
        )
        if run.returncode != 0:
            raise BlockFailed(
                "program exited with status %d\n%s%s" % (run.returncode, run.stdout, run.stderr)
            )
        return "compiled, linked and ran"
    return "compiled (-fsyntax-only)"


def _line_directive(block: Block, is_c: bool) -> str:
    # compiler diagnostics point at the page
    return '#line %d "%s"\n' % (block.line, block.page)


def run_shell(block: Block, workdir: Path, env: dict[str, str]) -> str:
    proc = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", block.code],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if proc.returncode != 0:
        raise BlockFailed(
            "bash exited with status %d\n--- stdout\n%s--- stderr\n%s"
            % (proc.returncode, proc.stdout, proc.stderr)
        )
    return "bash ok"


def run_python(block: Block, namespace: dict) -> str:
    code = compile("\n" * (block.line - 1) + block.code, str(block.page), "exec")
    if block.raises is None:
        exec(code, namespace)
        return "python ok"
    try:
        exec(code, namespace)
    except BaseException as err:  # noqa: B036 - checked against the expected name below
        names = [c.__name__ for c in type(err).__mro__] + [
            c.__module__ + "." + c.__name__ for c in type(err).__mro__
        ]
        if block.raises not in names:
            raise BlockFailed(
                "expected %s, got %s: %s\n%s"
                % (block.raises, type(err).__name__, err, traceback.format_exc())
            ) from None
        return "python raised %s as documented" % type(err).__name__
    raise BlockFailed("expected %s, but the block raised nothing" % block.raises)


def run_page(page: Path, workdir: Path, out=sys.stdout) -> int:
    """Run a page's blocks in order; returns the number of failed blocks (stops at the first)."""
    page = Path(page)
    blocks = parse_blocks(page)
    workdir.mkdir(parents=True, exist_ok=True)
    env = _env_for_subprocess()
    namespace = {"__name__": "__main__", "__file__": str(page)}
    os.chdir(workdir)
    for block in blocks:
        kind = block.kind
        start = time.perf_counter()
        try:
            if block.file:
                dest = workdir / block.file
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_text(block.code)
            if kind == "skip":
                status = "skipped (%s)" % block.skip
            elif kind == "inert":
                status = "not executed (text)"
            elif kind == "file":
                status = "written to %s" % block.file
            elif kind == "unchecked":
                raise BlockFailed(
                    "a %r block is neither executed nor used: add "
                    "'%% snippet: file <path>' or '%% snippet: skip (<reason>)'" % block.lang
                )
            elif kind == "python":
                status = run_python(block, namespace)
            elif kind == "shell":
                status = run_shell(block, workdir, env)
            else:
                status = run_compiled(block, workdir, env)
        except BlockFailed as err:
            print("FAIL %s [%s]: %s" % (block.where, block.lang, err), file=out)
            return 1
        except BaseException:  # the page's own exception: show where it happened
            print(
                "FAIL %s [%s]: the block raised\n%s"
                % (block.where, block.lang, traceback.format_exc()),
                file=out,
            )
            return 1
        print(
            "ok   %s [%s] %s (%.1f s)"
            % (block.where, block.lang, status, time.perf_counter() - start),
            file=out,
        )
    return 0


# -------------------------------------------------------------------------------------------
# Docstrings of the API reference
# -------------------------------------------------------------------------------------------
# autodoc directives, which MyST pages write inside ```{eval-rst} blocks
_AUTODOC_RE = re.compile(
    r"^\s*\.\.\s+(automodule|autoclass|autofunction|autodata)::\s+(\S+)\s*$", re.M
)
_DOC_CODE_RE = re.compile(
    r"^(?P<indent>[ \t]*)\.\. code-block::\s*(?P<lang>\w+)[ \t]*\n"
    r"(?P<body>(?:(?:(?P=indent)[ \t]+.*)?\n)+)",
    re.M,
)


def documented_objects(api_dir: Path) -> list[tuple]:
    """``(kind, dotted name)`` of every autodoc directive in the API pages."""
    found = []
    for page in sorted(Path(api_dir).rglob("*.md")):
        found += _AUTODOC_RE.findall(page.read_text())
    return found


def _import_dotted(name: str):
    import importlib

    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(name)


def docstring_blocks(api_dir: Path) -> list[tuple]:
    """``(qualified name, language, code)`` of every code-block in the documented docstrings."""
    seen = set()
    out = []

    def visit(qualname: str, obj, depth: int) -> None:
        if id(obj) in seen:
            return
        seen.add(id(obj))
        doc = inspect.getdoc(obj) or ""
        for m in _DOC_CODE_RE.finditer(doc + "\n"):
            out.append((qualname, m.group("lang"), textwrap.dedent(m.group("body"))))
        if depth == 0:
            return
        if inspect.ismodule(obj):
            names = getattr(obj, "__all__", None) or [n for n in vars(obj) if not n.startswith("_")]
            for n in names:
                visit(qualname + "." + n, getattr(obj, n), depth - 1)
        elif inspect.isclass(obj):
            for n, member in vars(obj).items():
                if not n.startswith("_") or n == "__init__":
                    visit(qualname + "." + n, member, depth - 1)

    for kind, name in documented_objects(api_dir):
        depth = {"automodule": 2, "autoclass": 1}.get(kind, 0)
        visit(name, _import_dotted(name), depth)
    return out


def run_docstrings(api_dir: Path, workdir: Path, out=sys.stdout) -> int:
    """Run every python code-block of the documented docstrings, each in a fresh namespace
    where ``import tvm_ffi`` and ``import numpy as np`` have been done, with ``workdir`` as
    the current directory."""
    os.chdir(workdir)
    failures = 0
    blocks = docstring_blocks(api_dir)
    for qualname, lang, code in blocks:
        if lang not in PYTHON_LANGS:
            print(
                "FAIL %s: docstring code-block in %r is not executed" % (qualname, lang), file=out
            )
            failures += 1
            continue
        namespace = {"__name__": "__main__"}
        exec("import tvm_ffi\nimport numpy as np\n", namespace)
        try:
            exec(compile(code, "<docstring of %s>" % qualname, "exec"), namespace)
        except BaseException:
            print("FAIL %s\n%s\n%s" % (qualname, code, traceback.format_exc()), file=out)
            failures += 1
            continue
        print("ok   docstring of %s" % qualname, file=out)
    print("%d docstring examples, %d failed" % (len(blocks), failures), file=out)
    return failures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p_run = sub.add_parser("run")
    p_run.add_argument("page", type=Path)
    p_run.add_argument("--workdir", type=Path, required=True)
    p_list = sub.add_parser("list")
    p_list.add_argument("page", type=Path)
    p_doc = sub.add_parser("docstrings")
    p_doc.add_argument(
        "--api-dir", type=Path, default=Path(__file__).resolve().parent.parent / "api"
    )
    p_doc.add_argument("--workdir", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.cmd == "list":
        for b in parse_blocks(args.page):
            print("%s [%s] %s %s" % (b.where, b.lang, b.kind, "; ".join(b.directives)))
        return 0
    if args.cmd == "run":
        return 1 if run_page(args.page.resolve(), args.workdir.resolve()) else 0
    return 1 if run_docstrings(args.api_dir.resolve(), args.workdir.resolve()) else 0


if __name__ == "__main__":
    sys.exit(main())
