"""The generated ABI reference (docs/abi_reference.md) against the headers it is generated from.

The page's reference sections are produced at build time by docs/_ext/abi_reference.py from
what docs/_ext/abi_header.py parses out of abi/include. These tests make sure the parser reads
the headers completely and correctly, by comparing it with three independent sources:

* the C compiler (declarations re-stated from the parsed text must agree with the header's);
* the dynamic symbols of libtvm_ffi.so and runtime-cpp/tests/abi_symbols.txt;
* abi/tests/abi_static_checks.h, the ABI layout tests.

No Sphinx needed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS / "_ext"))

import abi_header  # noqa: E402
import abi_reference  # noqa: E402

ABI_INCLUDE = ROOT / "abi" / "include"
STATIC_CHECKS = ROOT / "abi" / "tests" / "abi_static_checks.h"
SYMBOLS = ROOT / "runtime-cpp" / "tests" / "abi_symbols.txt"


@pytest.fixture(scope="module")
def headers():
    return [abi_header.parse_header(ABI_INCLUDE / h, include=h) for h in abi_reference.HEADERS]


def _cc():
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if not cc:
        pytest.skip("no C compiler")
    return cc.split()


def _compile_c(tmp_path: Path, source: str) -> subprocess.CompletedProcess:
    src = tmp_path / "check.c"
    src.write_text(source)
    return subprocess.run(
        [
            *_cc(),
            "-std=c11",
            "-Wall",
            "-Werror",
            "-pedantic",
            "-fsyntax-only",
            "-I",
            str(ABI_INCLUDE),
            str(src),
        ],
        capture_output=True,
        text=True,
    )


def _static_checks_text() -> str:
    return STATIC_CHECKS.read_text()


# -------------------------------------------------------------------------------------------
# completeness
# -------------------------------------------------------------------------------------------
def test_every_public_header_is_in_the_reference():
    found = sorted(str(p.relative_to(ABI_INCLUDE)) for p in (ABI_INCLUDE / "tvm").rglob("*.h"))
    assert found == sorted(abi_reference.HEADERS)
    page = (DOCS / "abi_reference.md").read_text()
    for h in abi_reference.HEADERS:
        assert "<!-- abi-reference: %s -->" % h in page


def test_functions_match_the_exported_symbols(headers):
    parsed = {f.name for h in headers for f in h.exported_functions}
    text = SYMBOLS.read_text()
    section = text.split("\n[c]\n", 1)[1].split("\n[", 1)[0]
    listed = {
        line.strip() for line in section.splitlines() if line.strip() and not line.startswith("#")
    }
    assert parsed == listed


def test_functions_are_exported_by_the_library(headers):
    tvm_ffi = pytest.importorskip("tvm_ffi")
    nm = shutil.which("nm")
    if nm is None:
        pytest.skip("nm not available")
    lib = tvm_ffi.libinfo.find_libtvm_ffi()
    out = subprocess.run(
        [nm, "-D", "--defined-only", lib], capture_output=True, text=True, check=True
    ).stdout
    exported = {
        line.split()[-1]
        for line in out.splitlines()
        if line.split() and line.split()[-1].startswith("TVMFFI")
    }
    parsed = {f.name for h in headers for f in h.exported_functions}
    assert parsed == exported
    # the C++-only helpers are inline, never exported
    assert not ({f.name for h in headers for f in h.inline_functions} & exported)


def test_everything_parsed_is_covered_by_the_layout_tests(headers):
    checks = _static_checks_text()
    fn_checked = set(re.findall(r"ABI_CHECK_FUNCTION\((\w+),", checks)) - {"fn"}
    val_checked = set(re.findall(r"ABI_CHECK_VALUE\((\w+),", checks))
    size_checked = set(re.findall(r"ABI_CHECK_SIZE_ALIGN\((\w+),", checks))
    field_checked = set(re.findall(r"ABI_CHECK_FIELD(?:_NOTYPE)?\((\w+), (\w+),", checks))

    functions = {f.name for h in headers for f in h.exported_functions}
    enumerators = {x.name for h in headers for e in h.enums for x in e.enumerators}
    structs = {s.name for h in headers for s in h.structs}
    members = {(s.name, m.name) for h in headers for s in h.structs for m in s.members}

    assert functions == {n for n in fn_checked if n.startswith("TVMFFI")}
    assert enumerators == {n for n in val_checked if n.startswith("kTVMFFI")}
    enums = {e.name for h in headers for e in h.enums}
    typedefs = {t.name for h in headers for t in h.typedefs}
    assert structs | enums | typedefs == {n for n in size_checked if n.startswith("TVMFFI")}
    # every member of our structs is checked (the layout tests also check DLPack's)
    assert members == {(s, m) for s, m in field_checked if s in structs}


def test_each_header_item_has_documentation(headers):
    undocumented = []
    for h in headers:
        for f in h.functions:
            if not f.doc:
                undocumented.append(f.name)
        for e in h.enums:
            undocumented += [x.name for x in e.enumerators if not x.doc]
        for s in h.structs:
            if not s.doc:
                undocumented.append(s.name)
            undocumented += [
                "%s.%s" % (s.name, m.name)
                for m in s.members
                if not m.doc and not m.name.startswith("__")
            ]
        undocumented += [t.name for t in h.typedefs if not t.doc]
    assert undocumented == []


# -------------------------------------------------------------------------------------------
# correctness: the compiler agrees with the parsed declarations
# -------------------------------------------------------------------------------------------
def test_function_signatures_restated_compile(headers, tmp_path):
    """Re-declaring every function with the signature shown in the reference must compile:
    C rejects a redeclaration whose type differs from the header's."""
    lines = ["#include <%s>" % h.include for h in headers]
    for h in headers:
        for f in h.exported_functions:
            lines.append("TVM_FFI_DLL %s;" % f.signature)
    proc = _compile_c(tmp_path, "\n".join(lines) + "\n")
    assert proc.returncode == 0, proc.stderr


def test_a_wrong_signature_is_caught(headers, tmp_path):
    """The check above can fail: a changed parameter type is a compile error."""
    (f,) = [f for h in headers for f in h.exported_functions if f.name == "TVMFFIObjectIncRef"]
    wrong = f.signature.replace("TVMFFIObjectHandle obj", "int obj")
    assert wrong != f.signature
    proc = _compile_c(tmp_path, "#include <tvm/ffi/c_api.h>\nTVM_FFI_DLL %s;\n" % wrong)
    assert proc.returncode != 0


def test_member_and_typedef_declarations_match(headers, tmp_path):
    lines = ["#include <%s>" % h.include for h in headers]
    for h in headers:
        for s in h.structs:
            for m in s.members:
                alias = "chk_%s_%s" % (s.name, m.name)
                lines.append("typedef %s;" % re.sub(r"\b%s\b" % m.name, alias, m.decl, count=1))
                lines.append(
                    "_Static_assert(__builtin_types_compatible_p(__typeof__(((%s*)0)->%s),"
                    ' %s), "%s.%s");' % (s.name, m.name, alias, s.name, m.name)
                )
        for t in h.typedefs:
            lines.append("typedef %s;" % t.decl)  # C11: an identical typedef may be repeated
    proc = _compile_c(tmp_path, "\n".join(lines) + "\n")
    assert proc.returncode == 0, proc.stderr


def test_enumerator_literals_match_the_compiler(headers):
    layout = abi_reference.probe_layout(headers)
    for h in headers:
        for e in h.enums:
            previous = None
            for x in e.enumerators:
                value = layout.values[x.name]
                if x.expr is not None and re.fullmatch(r"-?\d+", x.expr.strip()):
                    assert value == int(x.expr), x.name
                if x.expr is None:
                    assert value == previous + 1, x.name
                previous = value


def test_layout_claims_in_comments_match_the_compiler(headers):
    """Struct comments state 'Size N, align A': the compiler must agree."""
    layout = abi_reference.probe_layout(headers)
    claims = 0
    for h in headers:
        for s in h.structs:
            m = re.search(r"Size (\d+), align(?:ment)? (\d+)", s.doc.text)
            if m:
                claims += 1
                assert layout.sizes[s.name] == (int(m.group(1)), int(m.group(2))), s.name
    assert claims > 0


# -------------------------------------------------------------------------------------------
# the renderer and the parser's strictness
# -------------------------------------------------------------------------------------------
def test_rendered_reference_lists_every_item(headers):
    for h in headers:
        text = abi_reference.render_header(h.include)
        for f in h.functions:
            assert "{c:function} %s\n" % f.signature in text
        for e in h.enums:
            assert "{c:enum} %s\n" % e.name in text
            for x in e.enumerators:
                assert "{c:enumerator} %s = " % x.name in text
        for s in h.structs:
            assert "{c:struct} %s\n" % s.name in text
            for m in s.members:
                assert "{c:member} %s\n" % m.decl in text
        for t in h.typedefs:
            assert "{c:type} %s\n" % t.decl in text
        for mac in h.macros:
            assert "{c:macro} %s\n" % mac.name in text


def test_markers_expand_and_unknown_headers_are_rejected():
    text = abi_reference.expand_markers(
        "# t\n\n<!-- abi-reference: tvm/ffi/extra/c_env_api.h -->\n"
    )
    assert "TVMFFIEnvGetStream" in text and "<!--" not in text
    with pytest.raises(ValueError, match="unknown header"):
        abi_reference.expand_markers("<!-- abi-reference: tvm/ffi/nope.h -->\n")


@pytest.mark.parametrize(
    "snippet, what",
    [
        ("struct Foo { int x; };\n", "unsupported construct"),
        ("#pragma once\n", "unsupported preprocessor line"),
        ("typedef struct { int x; } ;\n", "typedef struct without a name"),
        ("TVM_FFI_DLL int f(int x)\n", "must end with ';'"),
    ],
)
def test_parser_rejects_what_it_does_not_understand(tmp_path, snippet, what):
    header = tmp_path / "odd.h"
    header.write_text("/* intro */\n" + snippet)
    with pytest.raises(abi_header.HeaderParseError, match=re.escape(what)):
        abi_header.parse_header(header)


def test_doc_comment_rendering():
    names = abi_reference.Names(
        [abi_header.parse_header(ABI_INCLUDE / "tvm/ffi/c_api.h", include="tvm/ffi/c_api.h")]
    )
    doc = abi_header.Doc(
        [
            "\\brief Does *things* with `TVMFFIAny` and TVMFFIObjectIncRef",
            "       on two lines.",
            "",
            "\\param x The input.",
            "\\return 0 on success.",
            "",
            "Table:",
            "  a  1",
            "  b  2",
        ]
    )
    md = "\n".join(abi_reference.doc_to_markdown(doc, names))
    assert (
        "Does \\*things\\* with {c:struct}`TVMFFIAny` and {c:func}`TVMFFIObjectIncRef` on"
        " two lines\\." in md
    )
    assert "- `x`\\: The input\\." in md
    assert "- Returns\\: 0 on success\\." in md
    assert "```text\nTable:\n  a  1\n  b  2\n```" in md


def test_a_wrong_member_type_is_caught(tmp_path):
    """The member check can fail: a signed/unsigned mix-up does not compile."""
    source = (
        "#include <tvm/ffi/c_api.h>\ntypedef int64_t chk;\n"
        "_Static_assert(__builtin_types_compatible_p(__typeof__(((TVMFFIObject*)0)"
        '->combined_ref_count), chk), "x");\n'
    )
    proc = _compile_c(tmp_path, source)
    assert proc.returncode != 0
