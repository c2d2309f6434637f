"""tvm-ffi-stubgen (tvm_ffi.stub.stubgen): marked blocks filled from reflection, idempotent,
code outside the markers untouched; the output type-checks under mypy."""

import os
import shutil
import subprocess
import sys
import textwrap

import pytest

import tvm_ffi
from tvm_ffi.stub import stubgen

OPT = stubgen.Options(suppress_print=True)


def write(tmp_path, text, name="mod.py"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def run_stubgen(path, opt=OPT, global_func_tab=None):
    rc = stubgen._main(str(path), opt, global_func_tab)
    return rc, path.read_text(encoding="utf-8")


def block_lines(text, begin_fragment):
    """The lines strictly between the begin marker containing ``begin_fragment`` and its end."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if begin_fragment in line)
    end = next(i for i in range(start, len(lines)) if "tvm-ffi-stubgen(end)" in lines[i])
    return lines[start + 1 : end]


class _ExplodingTab(dict):
    """A global function table that must not be consulted."""

    def __iter__(self):
        raise AssertionError("the registry was queried")


def test_skip_file_is_untouched(tmp_path, capsys):
    source = """\
    # tvm-ffi-stubgen(skip-file)
    # tvm-ffi-stubgen(begin): global/ffi
    # tvm-ffi-stubgen(end)
    # tvm-ffi-stubgen(end)   <- even malformed content is left alone
    """
    path = write(tmp_path, source)
    rc, text = run_stubgen(path, stubgen.Options(), _ExplodingTab())
    assert rc == 0
    assert text == textwrap.dedent(source)
    assert "[Skipped]" in capsys.readouterr().out


def test_global_block_with_indentation_is_idempotent(tmp_path, capsys):
    source = """\
    from typing import TYPE_CHECKING, Any

    def outer():
        x = 1  # code before the block
        # tvm-ffi-stubgen(begin): global/ffi
        # tvm-ffi-stubgen(end)
        return x
    """
    path = write(tmp_path, source)
    rc, text = run_stubgen(path, stubgen.Options())
    assert rc == 0
    assert "[Updated]" in capsys.readouterr().out
    inner = block_lines(text, "global/ffi")
    assert inner[0] == "    if TYPE_CHECKING:"
    assert inner[1] == "        # fmt: off"
    assert inner[-1] == "        # fmt: on"
    assert "        def String(_0: str, /) -> str: ..." in inner
    assert "        def Bytes(_0: bytes, /) -> bytes: ..." in inner
    assert "        def Array(*args: Any) -> Any: ..." in inner  # packed
    assert "        def StructuralHash(_0: Any, _1: bool, _2: bool, /) -> int: ..." in inner
    # one-level names only, sorted
    names = [line.split("def ")[1].split("(")[0] for line in inner if " def " in line]
    assert names == sorted(names)
    assert "Parse" not in names  # ffi.json.Parse is under another prefix
    # code around the block is unchanged
    assert text.startswith(textwrap.dedent(source).split("# tvm-ffi-stubgen(begin)")[0])
    assert text.endswith("    # tvm-ffi-stubgen(end)\n    return x\n")
    # a second run changes nothing
    rc, again = run_stubgen(path, stubgen.Options())
    assert rc == 0 and again == text
    assert "[Unchanged]" in capsys.readouterr().out


def test_prefix_with_no_functions_gives_an_empty_block(tmp_path):
    source = """\
    # tvm-ffi-stubgen(begin): global/no_such_prefix_anywhere
    # tvm-ffi-stubgen(end)
    """
    path = write(tmp_path, source)
    rc, text = run_stubgen(path)
    assert rc == 0 and text == textwrap.dedent(source)


def test_stale_block_content_is_replaced(tmp_path):
    source = """\
    class A:
        # tvm-ffi-stubgen(begin): object/testing.TestIntPair
        stale: int
        if TYPE_CHECKING:
            junk = 1
        # tvm-ffi-stubgen(end)
    """
    path = write(tmp_path, source)
    rc, text = run_stubgen(path)
    assert rc == 0
    assert "stale" not in text and "junk" not in text
    assert block_lines(text, "object/testing.TestIntPair") == [
        "    if TYPE_CHECKING:",
        "        # fmt: off",
        "        a: int",
        "        b: int",
        "        @staticmethod",
        "        def __c_ffi_init__(_0: int, _1: int, /) -> Object: ...",
        "        def sum(self) -> int: ...",
        "        # fmt: on",
    ]


def test_object_block_with_ty_map(tmp_path):
    source = """\
    class AllTypes:
        # tvm-ffi-stubgen(begin): object/testing.SchemaAllTypes
        # tvm-ffi-stubgen(ty_map): testing.SchemaAllTypes -> _SchemaAllTypes
        # tvm-ffi-stubgen(end)

    class AllTypesList:
        # tvm-ffi-stubgen(begin): object/testing.SchemaAllTypes
        # tvm-ffi-stubgen(ty_map): list -> List
        # tvm-ffi-stubgen(ty_map): dict -> Dict
        # tvm-ffi-stubgen(end)
    """
    path = write(tmp_path, source)
    rc, text = run_stubgen(path)
    assert rc == 0
    first = block_lines(text, "object/testing.SchemaAllTypes")
    assert (
        first[0].strip() == "# tvm-ffi-stubgen(ty_map): testing.SchemaAllTypes -> _SchemaAllTypes"
    )
    body = [line.strip() for line in first]
    assert "v_arr_int: Sequence[int]" in body
    assert "v_map_str_arr_int: Mapping[str, Sequence[int]]" in body
    assert "v_opt_arr_variant: Sequence[int | str] | None" in body
    assert "v_dtype: dtype" in body and "v_device: Device" in body
    assert "def add_int(self, _0: int, /) -> int: ..." in body
    i = body.index("def make_with(_0: int, _1: float, _2: str, /) -> _SchemaAllTypes: ...")
    assert body[i - 1] == "@staticmethod"
    second = [line.strip() for line in text.split("class AllTypesList:")[1].splitlines()]
    assert "v_map_str_arr_int: Dict[str, List[int]]" in second
    assert "def make_with(_0: int, _1: float, _2: str, /) -> SchemaAllTypes: ..." in second


def test_explicit_global_func_tab(tmp_path):
    tab = {
        "demo.f": {
            "type_schema": '{"type":"ffi.Function","args":[{"type":"int"},{"type":"ffi.String"}]}'
        },
        "demo.g": {},
        "demo.sub.h": {"type_schema": '{"type":"ffi.Function","args":[{"type":"None"}]}'},
        "other.x": {"type_schema": '{"type":"ffi.Function"}'},
    }
    path = write(
        tmp_path,
        """\
    # tvm-ffi-stubgen(begin): global/demo
    # tvm-ffi-stubgen(end)
    # tvm-ffi-stubgen(begin): global/demo.sub
    # tvm-ffi-stubgen(end)
    """,
    )
    rc, text = run_stubgen(path, OPT, tab)
    assert rc == 0
    assert block_lines(text, "global/demo") == [
        "if TYPE_CHECKING:",
        "    # fmt: off",
        "    def f(_0: str, /) -> int: ...",
        "    def g(*args: Any) -> Any: ...",
        "    # fmt: on",
    ]
    assert "    def h() -> None: ..." in block_lines(text, "global/demo.sub")


@pytest.mark.parametrize(
    "body, message",
    [
        (
            "# tvm-ffi-stubgen(begin): global/ffi\n# tvm-ffi-stubgen(begin): global/ffi\n"
            "# tvm-ffi-stubgen(end)\n",
            "Nested stub not permitted",
        ),
        ("# tvm-ffi-stubgen(end)\n", "Unmatched stub end"),
        ("# tvm-ffi-stubgen(begin): module/ffi\n# tvm-ffi-stubgen(end)\n", "Unknown stub type"),
        ("# tvm-ffi-stubgen(begin): ffi\n# tvm-ffi-stubgen(end)\n", "Unknown stub type"),
        ("# tvm-ffi-stubgen(begin): global/ffi\nx = 1\n", "Unclosed stub block"),
        ("# tvm-ffi-stubgen(ty_map): a -> b\n", "Stub ty_map outside stub block"),
        (
            "# tvm-ffi-stubgen(begin): object/testing.TestIntPair\n"
            "# tvm-ffi-stubgen(ty_map): a b\n# tvm-ffi-stubgen(end)\n",
            "Invalid ty_map format",
        ),
        (
            "# tvm-ffi-stubgen(begin): object/testing.TestIntPair\n"
            "# tvm-ffi-stubgen(ty_map): -> b\n# tvm-ffi-stubgen(end)\n",
            "Invalid ty_map format",
        ),
        (
            "# tvm-ffi-stubgen(begin): object/testing.NoSuchType\n# tvm-ffi-stubgen(end)\n",
            "Cannot find object type index",
        ),
    ],
)
def test_malformed_directives(tmp_path, capsys, body, message):
    with pytest.raises(ValueError, match=message):
        stubgen.generate(body, OPT)
    path = write(tmp_path, body)
    rc = stubgen._main(str(path), stubgen.Options())
    assert rc == 1
    assert path.read_text() == body  # a failed file is not modified
    out = capsys.readouterr().out
    assert "[Failed]" in out and message in out


# ---- command line --------------------------------------------------------------------------------


def _cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "tvm_ffi.stub.stubgen", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
    )


def test_cli_on_a_directory(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    marked = "# tvm-ffi-stubgen(begin): object/testing.TestIntPair\n# tvm-ffi-stubgen(end)\n"
    (pkg / "a.py").write_text(marked)
    (pkg / "sub" / "b.pyi").write_text(marked)
    (pkg / "sub" / "c.txt").write_text(marked)  # not a Python file: ignored
    (pkg / "plain.py").write_text("x = 1\n")
    proc = _cli("--indent", "2", str(pkg))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("[Updated]") == 2
    assert "  a: int" in (pkg / "a.py").read_text()
    assert "  a: int" in (pkg / "sub" / "b.pyi").read_text()
    assert (pkg / "sub" / "c.txt").read_text() == marked
    assert (pkg / "plain.py").read_text() == "x = 1\n"
    again = _cli("--indent", "2", str(pkg))
    assert again.returncode == 0
    assert "[Updated]" not in again.stdout and again.stdout.count("[Unchanged]") == 3


def test_cli_without_paths_prints_help_and_fails():
    proc = _cli()
    assert proc.returncode == 1
    assert "usage" in proc.stdout.lower()


def test_cli_reports_failures(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("# tvm-ffi-stubgen(end)\n")
    good = tmp_path / "good.py"
    good.write_text("x = 1\n")
    proc = _cli(str(bad), str(good))
    assert proc.returncode == 1
    assert "[Failed]" in proc.stdout and "Unmatched stub end" in proc.stdout


def test_cli_dlls_option(tmp_path):
    lib = os.path.join(os.path.dirname(tvm_ffi.__file__), "lib", "libtvm_ffi_testing.so")
    if not os.path.exists(lib):
        pytest.skip("testing library not installed next to the core")
    path = write(tmp_path, "# tvm-ffi-stubgen(begin): global/testing\n# tvm-ffi-stubgen(end)\n")
    proc = _cli(str(path), "--dlls", lib)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "def add_one(_0: int, /) -> int: ..." in path.read_text()
    path.write_text("# tvm-ffi-stubgen(begin): global/testing\n# tvm-ffi-stubgen(end)\n")
    proc = _cli("--dlls", lib, "--", str(path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "def add_one(_0: int, /) -> int: ..." in path.read_text()


def test_console_script_is_installed(tmp_path):
    script = shutil.which("tvm-ffi-stubgen", path=os.path.dirname(sys.executable))
    if script is None:
        pytest.skip("tvm-ffi-stubgen is not on this interpreter's bin directory")
    path = write(tmp_path, "# tvm-ffi-stubgen(begin): global/ffi\n# tvm-ffi-stubgen(end)\n")
    proc = subprocess.run([script, str(path)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "def String(_0: str, /) -> str: ..." in path.read_text()


# ---- the generated stubs type-check ------------------------------------------------------------

STUB_SOURCE = '''\
"""Typed declarations of the testing library, filled by tvm-ffi-stubgen."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

from tvm_ffi import Device, Object, Tensor, dtype
from tvm_ffi.testing import TestIntPair, TestSVar
from tvm_ffi.testing import _SchemaAllTypes

# tvm-ffi-stubgen(begin): global/testing
# tvm-ffi-stubgen(end)


class IntPair(Object):
    # tvm-ffi-stubgen(begin): object/testing.TestIntPair
    # tvm-ffi-stubgen(end)
    pass


class AllTypes(Object):
    # tvm-ffi-stubgen(begin): object/testing.SchemaAllTypes
    # tvm-ffi-stubgen(ty_map): testing.SchemaAllTypes -> _SchemaAllTypes
    # tvm-ffi-stubgen(end)
    pass


class Func(Object):
    # tvm-ffi-stubgen(begin): object/testing.TestSFunc
    # tvm-ffi-stubgen(end)
    pass


class Base(Object):
    # tvm-ffi-stubgen(begin): object/testing.TestCxxClassDerivedDerived
    # tvm-ffi-stubgen(end)
    pass


def use(p: IntPair, a: AllTypes, f: Func) -> int:
    """Code outside the markers that relies on the generated declarations."""
    if TYPE_CHECKING:
        total: int = add_one(p.sum()) + a.add_int(1) + len(f.params)
        names: Sequence[str] = schema_id_arr_str(["x"])
        opt: int | None = schema_id_opt_int(None)
        return total + len(names) + (opt or 0)
    return 0
'''


def _mypy(path, tmp_path):
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=str(tmp_path),
    )


def test_generated_stubs_type_check_with_mypy(tmp_path):
    pytest.importorskip("mypy")
    path = write(tmp_path, STUB_SOURCE, name="testing_stubs.py")
    rc, text = run_stubgen(path)
    assert rc == 0
    assert "    def add_one(_0: int, /) -> int: ..." in text
    assert "        params: Sequence[TestSVar]" in text
    # code outside the markers is untouched
    assert (
        text.split("# tvm-ffi-stubgen(begin)")[0]
        == STUB_SOURCE.split("# tvm-ffi-stubgen(begin)")[0]
    )
    assert (
        text.split("# tvm-ffi-stubgen(end)")[-1] == STUB_SOURCE.split("# tvm-ffi-stubgen(end)")[-1]
    )
    # a second run changes nothing
    rc, again = run_stubgen(path)
    assert rc == 0 and again == text

    proc = _mypy(path, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr

    # control: a misuse of a generated declaration is caught, so the stubs are really checked
    bad = tmp_path / "testing_stubs_bad.py"
    bad.write_text(
        text + "\n\nif TYPE_CHECKING:\n    add_one('not an int')\n    _s: str = IntPair().sum()\n",
        encoding="utf-8",
    )
    proc = _mypy(bad, tmp_path)
    assert proc.returncode == 1
    assert 'Argument 1 to "add_one" has incompatible type "str"' in proc.stdout
    assert 'expression has type "int", variable has type "str"' in proc.stdout


def test_core_pyi_matches_the_compiled_core():
    """Every name and class member that core.pyi declares exists in tvm_ffi.core, and every
    public name of tvm_ffi.core is declared (so checkers see the real surface)."""
    import ast

    from tvm_ffi import core

    pyi = os.path.join(os.path.dirname(core.__file__), "core.pyi")
    assert os.path.exists(pyi), "core.pyi is not installed"
    assert os.path.exists(os.path.join(os.path.dirname(core.__file__), "py.typed"))
    tree = ast.parse(open(pyi, encoding="utf-8").read())
    declared = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            declared.add(node.name)
            assert hasattr(core, node.name), node.name
        if isinstance(node, ast.ClassDef):
            cls = getattr(core, node.name)
            for member in node.body:
                if isinstance(member, ast.FunctionDef):
                    assert hasattr(cls, member.name), "%s.%s" % (node.name, member.name)
        if isinstance(node, ast.AnnAssign):
            declared.add(node.target.id)
            assert hasattr(core, node.target.id), node.target.id
    public = {
        n for n in dir(core) if not n.startswith("_") and not isinstance(getattr(core, n), type(os))
    }
    assert public - declared == set()
