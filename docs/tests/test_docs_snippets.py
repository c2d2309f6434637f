"""Every code block of the documentation runs (rules: docs/README.md, runner: snippets.py).

* ``test_page``: one test per page (docs/**/*.md and the repository's README.md); the page's
  blocks run in order in a fresh interpreter (``snippets.py run``) in a fresh directory.
* ``test_docstring_examples``: the ``.. code-block:: python`` examples of every docstring that
  the API reference pages pull in.
* ``test_api_reference_*``: the API reference documents every public name.
* ``test_runner_*``: the runner itself fails when it should (so the tests above mean something).

Needs the packages (tvm-ffi, tvm-ffi-testing, tvm-ffi-cpp-jit), numpy, torch and a C/C++
compiler; not Sphinx. Set TVM_FFI_DOCS_JIT_CACHE to reuse a load_inline cache between runs
(``nox -s docs`` does); by default a temporary one is used.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
DOCS = HERE.parent
ROOT = DOCS.parent
sys.path.insert(0, str(HERE))

import snippets  # noqa: E402


def _pages():
    pages = [
        p
        for p in sorted(DOCS.rglob("*.md"))
        if not any(part.startswith(("_build", ".")) for part in p.relative_to(DOCS).parts)
    ]
    return pages + [ROOT / "README.md"]


PAGES = _pages()


@pytest.fixture(scope="session")
def jit_cache(tmp_path_factory) -> str:
    cache = os.environ.get("TVM_FFI_DOCS_JIT_CACHE")
    if cache:
        Path(cache).mkdir(parents=True, exist_ok=True)
        return cache
    return str(tmp_path_factory.mktemp("jit-cache"))


def _run(args, cwd: Path, jit_cache: str, timeout=1800) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["TVM_FFI_CACHE_DIR"] = jit_cache
    env.setdefault("MAX_JOBS", "2")
    return subprocess.run(
        [sys.executable, str(HERE / "snippets.py"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_page(page, tmp_path, jit_cache):
    proc = _run(["run", str(page), "--workdir", str(tmp_path / "work")], tmp_path, jit_cache)
    report = proc.stdout + proc.stderr
    print(report)
    assert proc.returncode == 0, report


def _add_one_source() -> str:
    """The add-one library of the Python guide (the file block named add_one_cpu.cc)."""
    for block in snippets.parse_blocks(DOCS / "python_guide.md"):
        if block.file == "add_one_cpu.cc":
            return block.code
    raise AssertionError("python_guide.md lost its add_one_cpu.cc block")


def test_docstring_examples(tmp_path, jit_cache):
    import tvm_ffi.libinfo as libinfo

    work = tmp_path / "work"
    (work / "build").mkdir(parents=True)
    src = work / "add_one_cpu.cc"
    src.write_text(_add_one_source())
    libdir = str(Path(libinfo.find_libtvm_ffi()).parent)
    cxx = os.environ.get("CXX", "c++").split()
    cmd = [
        *cxx,
        "-shared",
        "-fPIC",
        "-std=c++17",
        "-I",
        libinfo.find_include_path(),
        "-I",
        libinfo.find_dlpack_include_path(),
        str(src),
        "-o",
        str(work / "build" / "add_one_cpu.so"),
        "-L" + libdir,
        "-ltvm_ffi",
        "-Wl,-rpath," + libdir,
    ]
    subprocess.run(cmd, check=True)
    proc = _run(["docstrings", "--workdir", str(work)], tmp_path, jit_cache)
    report = proc.stdout + proc.stderr
    print(report)
    assert proc.returncode == 0, report
    assert "docstring examples, 0 failed" in report


def _documented_names():
    return {name for _kind, name in snippets.documented_objects(DOCS / "api")}


def test_api_reference_covers_tvm_ffi_all():
    import tvm_ffi

    documented = _documented_names()
    missing = []
    for name in tvm_ffi.__all__:
        if name == "__version__":
            continue
        if "tvm_ffi." + name not in documented:
            missing.append(name)
    assert missing == []


def test_api_reference_covers_tvm_ffi_cpp():
    assert "tvm_ffi.cpp" in _documented_names()
    import tvm_ffi.cpp

    for name in tvm_ffi.cpp.__all__:
        assert getattr(tvm_ffi.cpp, name).__doc__, name


def test_docstring_collection_finds_examples():
    found = snippets.docstring_blocks(DOCS / "api")
    owners = {q for q, _lang, _code in found}
    # classes and functions known to carry examples
    assert "tvm_ffi.Array" in owners and "tvm_ffi.convert" in owners


# -------------------------------------------------------------------------------------------
# the runner fails when it should
# -------------------------------------------------------------------------------------------
def _page(tmp_path: Path, text: str) -> Path:
    page = tmp_path / "page.md"
    page.write_text(text)
    return page


def _run_page(tmp_path: Path, text: str, monkeypatch):
    import io

    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    rc = snippets.run_page(_page(tmp_path, text), tmp_path / "work", out=out)
    return rc, out.getvalue()


def test_runner_python_blocks_share_a_namespace(tmp_path, monkeypatch):
    rc, out = _run_page(
        tmp_path,
        "```python\nx = 41\n```\n\ntext\n\n```python\nassert x + 1 == 42\n```\n",
        monkeypatch,
    )
    assert rc == 0, out
    assert out.count("python ok") == 2


def test_runner_reports_a_failing_python_block_with_its_line(tmp_path, monkeypatch):
    rc, out = _run_page(
        tmp_path,
        "# T\n\n```python\nassert 1 == 1\n```\n\n```python\nraise KeyError('boom')\n```\n",
        monkeypatch,
    )
    assert rc == 1
    assert "page.md:8 [python]" in out and "KeyError: 'boom'" in out


def test_runner_raises_directive(tmp_path, monkeypatch):
    ok = "% snippet: raises ValueError\n```python\nint('x')\n```\n"
    assert _run_page(tmp_path, ok, monkeypatch)[0] == 0
    wrong = "% snippet: raises KeyError\n```python\nint('x')\n```\n"
    rc, out = _run_page(tmp_path, wrong, monkeypatch)
    assert rc == 1 and "expected KeyError, got ValueError" in out
    nothing = "% snippet: raises KeyError\n```python\npass\n```\n"
    rc, out = _run_page(tmp_path, nothing, monkeypatch)
    assert rc == 1 and "raised nothing" in out


def test_runner_bash_failure_and_pipefail(tmp_path, monkeypatch):
    rc, out = _run_page(tmp_path, "```bash\nfalse | cat\necho after\n```\n", monkeypatch)
    assert rc == 1 and "bash exited with status 1" in out


def test_runner_skip_needs_a_reason(tmp_path, monkeypatch):
    with pytest.raises(snippets.SnippetError, match="unknown snippet directive"):
        _run_page(tmp_path, "% snippet: skip\n```bash\nexit 1\n```\n", monkeypatch)
    rc, out = _run_page(tmp_path, "% snippet: skip (not here)\n```bash\nexit 1\n```\n", monkeypatch)
    assert rc == 0 and "skipped (not here)" in out


def test_runner_html_comment_directives(tmp_path, monkeypatch):
    rc, out = _run_page(
        tmp_path, "<!-- snippet: skip (GitHub form) -->\n```bash\nexit 1\n```\n", monkeypatch
    )
    assert rc == 0 and "skipped (GitHub form)" in out


def test_runner_rejects_unchecked_languages_and_bare_fences(tmp_path, monkeypatch):
    rc, out = _run_page(tmp_path, "```cmake\nproject(x)\n```\n", monkeypatch)
    assert rc == 1 and "neither executed nor used" in out
    with pytest.raises(snippets.SnippetError, match="without a language"):
        _run_page(tmp_path, "```\nplain\n```\n", monkeypatch)
    with pytest.raises(snippets.SnippetError, match="not followed by a code block"):
        _run_page(tmp_path, "% snippet: skip (x)\n\nSome prose.\n", monkeypatch)


def test_runner_file_blocks_feed_later_blocks(tmp_path, monkeypatch):
    text = (
        "% snippet: file data/conf.toml\n```toml\nkey = 1\n```\n\n"
        "```bash\ngrep -q 'key = 1' data/conf.toml\n```\n"
    )
    rc, out = _run_page(tmp_path, text, monkeypatch)
    assert rc == 0, out
    assert "written to data/conf.toml" in out


def test_runner_finds_blocks_inside_directives(tmp_path):
    page = _page(
        tmp_path,
        "````{note}\nInside.\n\n```python\nx = 1\n```\n````\n\n"
        "```{code-block} python\n:caption: c\ny = 2\n```\n",
    )
    blocks = snippets.parse_blocks(page)
    assert [(b.lang, b.code, b.line) for b in blocks] == [
        ("python", "x = 1\n", 5),
        ("python", "y = 2\n", 11),
    ]


def test_runner_cpp_blocks(tmp_path, monkeypatch):
    good = (
        "```cpp\n#include <tvm/ffi/any.h>\nint main() { tvm::ffi::Any a = 1; "
        "return a.cast<int>() == 1 ? 0 : 1; }\n```\n"
    )
    rc, out = _run_page(tmp_path, good, monkeypatch)
    assert rc == 0 and "compiled, linked and ran" in out, out
    failing = "```cpp\nint main() { return 3; }\n```\n"
    rc, out = _run_page(tmp_path, failing, monkeypatch)
    assert rc == 1 and "exited with status 3" in out
    broken = "```cpp\n#include <tvm/ffi/any.h>\nvoid f() { tvm::ffi::Any a = no_such; }\n```\n"
    rc, out = _run_page(tmp_path, broken, monkeypatch)
    assert rc == 1 and "compile failed" in out and "page.md:3" in out
