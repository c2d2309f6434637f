"""Sphinx extension: generate the body of ``abi_reference.md`` from the ABI headers.

A line ``<!-- abi-reference: tvm/ffi/c_api.h -->`` in ``abi_reference.md`` is replaced, when the
page is read, by the reference of that header: macros, enumerations (values computed by the C
compiler), structs (size, alignment and every member's offset and size computed by the C
compiler), typedefs, and functions grouped by the header's own sections, each with the text of
its documentation comment. Nothing about the ABI is written by hand in the page, so the page
cannot drift from the headers.

``render_header()`` is also used by ``docs/tests/test_abi_reference.py``.
"""

from __future__ import annotations

import os
import re
import shutil
import string
import subprocess
import tempfile
from pathlib import Path

from abi_header import Doc, Header, parse_header

DOCS = Path(__file__).resolve().parent.parent
ROOT = DOCS.parent
ABI_INCLUDE = ROOT / "abi" / "include"
HEADERS = ("tvm/ffi/c_api.h", "tvm/ffi/extra/c_env_api.h")
MARKER_RE = re.compile(r"^<!-- abi-reference: (\S+) -->[ \t]*$", re.M)


# -------------------------------------------------------------------------------------------
# Facts from the C compiler
# -------------------------------------------------------------------------------------------
class Layout:
    """sizeof/alignof of structs, offsetof/sizeof of members, values of enumerators."""

    def __init__(
        self,
        sizes: dict[str, tuple[int, int]],
        members: dict[str, tuple[int, int]],
        values: dict[str, int],
    ):
        self.sizes = sizes
        self.members = members
        self.values = values


_LAYOUT_CACHE: dict[tuple[str, ...], Layout] = {}


def probe_layout(headers: list[Header], include_dir: Path = ABI_INCLUDE) -> Layout:
    """Compile and run a C program that prints the layout facts of ``headers``."""
    key = tuple(str(h.path) for h in headers)
    if key in _LAYOUT_CACHE:
        return _LAYOUT_CACHE[key]
    lines = ["#include <stddef.h>", "#include <stdio.h>"]
    lines += ["#include <%s>" % h.include for h in headers]
    lines.append("int main(void) {")
    for h in headers:
        for s in h.structs:
            lines.append(
                '  printf("size %s %%zu %%zu\\n", sizeof(%s), (size_t)_Alignof(%s));'
                % (s.name, s.name, s.name)
            )
            for m in s.members:
                lines.append(
                    '  printf("member %s.%s %%zu %%zu\\n", offsetof(%s, %s), '
                    "sizeof(((%s*)0)->%s));" % (s.name, m.name, s.name, m.name, s.name, m.name)
                )
        for e in h.enums:
            for x in e.enumerators:
                lines.append('  printf("value %s %%lld\\n", (long long)%s);' % (x.name, x.name))
    lines += ["  return 0;", "}", ""]
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if not cc:
        raise RuntimeError("the ABI reference needs a C compiler (set CC or install cc)")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp, "probe.c")
        exe = Path(tmp, "probe")
        src.write_text("\n".join(lines))
        proc = subprocess.run(
            [*cc.split(), "-std=c11", "-I", str(include_dir), str(src), "-o", str(exe)],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            raise RuntimeError("compiling the ABI layout probe failed:\n" + proc.stderr)
        out = subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout
    sizes, members, values = {}, {}, {}
    for line in out.splitlines():
        kind, name, *nums = line.split()
        if kind == "size":
            sizes[name] = (int(nums[0]), int(nums[1]))
        elif kind == "member":
            members[name] = (int(nums[0]), int(nums[1]))
        else:
            values[name] = int(nums[0])
    layout = Layout(sizes, members, values)
    _LAYOUT_CACHE[key] = layout
    return layout


# -------------------------------------------------------------------------------------------
# Documentation comments -> MyST Markdown
# -------------------------------------------------------------------------------------------
_PUNCT = set(string.punctuation)
_NAME_RE = re.compile(r"\b(\w+)(?:::(\w+))?\b")


class Names:
    """Known C names and the role that links to each."""

    def __init__(self, headers: list[Header]):
        self.roles: dict[str, str] = {}
        for h in headers:
            for m in h.macros:
                self.roles[m.name.split("(")[0]] = "c:macro"
            for e in h.enums:
                self.roles[e.name] = "c:enum"
                for x in e.enumerators:
                    self.roles[x.name] = "c:enumerator"
            for s in h.structs:
                self.roles[s.name] = "c:struct"
                for m in s.members:
                    self.roles[s.name + "." + m.name] = "c:member"
            for t in h.typedefs:
                self.roles[t.name] = "c:type"
            for f in h.functions:
                self.roles[f.name] = "c:func"

    def link(self, word: str, member: str = "") -> str:
        if member and self.roles.get(word + "." + member) == "c:member":
            return "{c:member}`%s.%s`" % (word, member)
        role = self.roles.get(word)
        if role is None:
            return ""
        return "{%s}`%s`" % (role, word)


def _escape(text: str, names: Names) -> str:
    """Escape Markdown punctuation and link known C names in plain text."""
    out = []
    pos = 0
    for m in _NAME_RE.finditer(text):
        link = names.link(m.group(1), m.group(2) or "")
        if not link:
            continue
        out.append(_escape_plain(text[pos : m.start()]))
        out.append(link)
        pos = m.end()
    out.append(_escape_plain(text[pos:]))
    return "".join(out)


def _escape_plain(text: str) -> str:
    return "".join("\\" + ch if ch in _PUNCT else ch for ch in text)


def inline_markdown(text: str, names: Names) -> str:
    """One paragraph of comment text: code spans kept (or linked), the rest escaped."""
    parts = re.split(r"(`[^`]*`)", text)
    out = []
    for part in parts:
        if part.startswith("`") and part.endswith("`") and len(part) >= 2:
            inner = part[1:-1]
            m = re.fullmatch(r"(\w+)(?:::(\w+))?", inner)
            link = names.link(m.group(1), m.group(2) or "") if m else ""
            out.append(link or part)
        else:
            out.append(_escape(part, names))
    return "".join(out)


def _paragraphs(lines: list[str]) -> list[list[str]]:
    paras: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paras[-1].append(line)
        elif paras[-1]:
            paras.append([])
    return [p for p in paras if p]


def doc_to_markdown(doc: Doc, names: Names) -> list[str]:
    """Render a comment as Markdown lines.

    ``\\brief`` text and plain paragraphs become paragraphs, ``\\param``/``\\return`` become a
    list, ``- `` items become a list, and any other paragraph with indented lines (tables,
    layouts) is kept verbatim in a ``text`` block.
    """
    out: list[str] = []
    for para in _paragraphs(doc.lines):
        first = para[0].lstrip()
        if first.startswith("\\brief"):
            # a brief is prose; its continuation lines are only indented to align the text
            text = " ".join([first[len("\\brief") :].strip()] + [x.strip() for x in para[1:]])
            out += [inline_markdown(text, names), ""]
            continue
        if any(x.lstrip().startswith(("\\param", "\\return")) for x in para):
            items: list[str] = []
            lead: list[str] = []
            tail: list[str] = []
            for x in para:
                s = x.strip()
                if s.startswith("\\param"):
                    m = re.match(r"\\param(?:\[\w+\])?\s+(\w+)\s*(.*)", s)
                    items.append("`%s`: %s" % (m.group(1), m.group(2)))
                elif s.startswith("\\return"):
                    items.append("Returns: " + s[len("\\return") :].strip())
                elif items and x.startswith(" ") and not tail:
                    items[-1] += " " + s  # continuation lines are indented
                elif items:
                    tail.append(s)
                else:
                    lead.append(s)
            if lead:
                out += [inline_markdown(" ".join(lead), names), ""]
            out += ["- " + inline_markdown(i, names) for i in items] + [""]
            if tail:
                out += [inline_markdown(" ".join(tail), names), ""]
            continue
        if all(x.lstrip().startswith("- ") or x.startswith("  ") for x in para) and para[
            0
        ].lstrip().startswith("- "):
            items = []
            for x in para:
                if x.lstrip().startswith("- "):
                    items.append(x.lstrip()[2:].strip())
                else:
                    items[-1] += " " + x.strip()
            out += ["- " + inline_markdown(i, names) for i in items] + [""]
            continue
        if any(x.startswith(" ") for x in para[1:]) and not first.startswith("\\"):
            base = min(len(x) - len(x.lstrip()) for x in para)
            out += ["```text"] + [x[base:] for x in para] + ["```", ""]
            continue
        out += [inline_markdown(" ".join(x.strip() for x in para), names), ""]
    return out


# -------------------------------------------------------------------------------------------
# Page body
# -------------------------------------------------------------------------------------------
LEAF = "````"  # fences of directives whose body may hold ```text blocks
CONTAINER = "`````"  # fences of directives that hold leaf directives


def _directive(name: str, argument: str, body: list[str], fence: str = LEAF) -> list[str]:
    return ["%s{%s} %s" % (fence, name, argument)] + body + [fence, ""]


def _section_title(section: str) -> str:
    return re.sub(r"^\d+(\.\d+)*\s+", "", section) or "Functions"


def render_header(include: str, level: int = 2) -> str:
    """The reference of one ABI header as MyST Markdown (headings start at ``level``)."""
    headers = [parse_header(ABI_INCLUDE / h, include=h) for h in HEADERS]
    names = Names(headers)
    layout = probe_layout(headers)
    (header,) = [h for h in headers if h.include == include]
    h2 = "#" * level
    h3 = "#" * (level + 1)
    out: list[str] = []
    if header.macros:
        out += [h2 + " Macros", ""]
        previous = None
        for mac in header.macros:
            if previous is not None and mac.doc.text and mac.doc.text == previous.doc.text:
                body = ["Described together with {c:macro}`%s` above." % previous.name, ""]
            else:
                body = doc_to_markdown(mac.doc, names)
                previous = mac
            values = mac.value.split(" | ")
            if len(values) == 1:
                body = ["Value: `%s`" % values[0], ""] + body
            else:
                body = [
                    "Platform-dependent value, one of: "
                    + ", ".join("`%s`" % v for v in values)
                    + ".",
                    "",
                ] + body
            out += _directive("c:macro", mac.name, body)
    if header.enums:
        out += [h2 + " Enumerations", ""]
        for enum in header.enums:
            out += [h3 + " " + enum.name, ""]
            body = doc_to_markdown(enum.doc, names)
            body += ["Underlying type: `int32_t`. %d enumerators." % len(enum.enumerators), ""]
            for x in enum.enumerators:
                value = layout.values[x.name]
                sub = doc_to_markdown(x.doc, names)
                if x.expr is not None and x.expr.strip() != str(value):
                    sub = ["Written as `%s` in the header." % x.expr.strip(), ""] + sub
                elif x.expr is None:
                    sub = ["Implicit value (previous enumerator + 1).", ""] + sub
                body += _directive("c:enumerator", "%s = %d" % (x.name, value), sub)
            out += _directive("c:enum", enum.name, body, fence=CONTAINER)
    if header.typedefs:
        out += [h2 + " Typedefs", ""]
        for t in header.typedefs:
            out += _directive("c:type", t.decl, doc_to_markdown(t.doc, names))
    if header.structs:
        out += [h2 + " Structures", ""]
        for s in header.structs:
            size, align = layout.sizes[s.name]
            out += [h3 + " " + s.name, ""]
            body = [
                f"Size {size} bytes, alignment {align} (as compiled on the machine that built these"
                " "
                "docs).",
                "",
            ]
            body += doc_to_markdown(s.doc, names)
            body += ["| offset | size | member |", "|---:|---:|---|"]
            for m in s.members:
                off, msize = layout.members[s.name + "." + m.name]
                where = " (anonymous union %d)" % m.union if m.union else ""
                body.append(
                    "| %d | %d | {c:member}`%s <%s.%s>`%s |"
                    % (off, msize, m.name, s.name, m.name, where)
                )
            body.append("")
            for m in s.members:
                off, msize = layout.members[s.name + "." + m.name]
                sub = [
                    "Offset %d, size %d%s."
                    % (
                        off,
                        msize,
                        "; shares storage with the other members of anonymous union %d" % m.union
                        if m.union
                        else "",
                    ),
                    "",
                ]
                sub += doc_to_markdown(m.doc, names)
                body += _directive("c:member", m.decl, sub)
            out += _directive("c:struct", s.name, body, fence=CONTAINER)
    if header.functions:
        out += [h2 + " Functions", ""]
        section = None
        for f in header.functions:
            if f.section != section:
                section = f.section
                out += [h3 + " " + _section_title(section), ""]
                if f.inline:
                    out += [
                        "Defined inline in the header for C++ only (not exported by the "
                        "library); pure address arithmetic on handles.",
                        "",
                    ]
            out += _directive("c:function", f.signature, doc_to_markdown(f.doc, names))
    return "\n".join(out)


def expand_markers(source: str) -> str:
    """Replace every ``<!-- abi-reference: HEADER -->`` line of a page by its reference."""

    def repl(m: re.Match[str]) -> str:
        include = m.group(1)
        if include not in HEADERS:
            raise ValueError(
                "abi-reference: unknown header %r (known: %s)" % (include, ", ".join(HEADERS))
            )
        return render_header(include, level=3)

    return MARKER_RE.sub(repl, source)


def _on_source_read(app, docname, source):
    if MARKER_RE.search(source[0]):
        for h in HEADERS:
            app.env.note_dependency(str(ABI_INCLUDE / h))
        app.env.note_dependency(__file__)
        source[0] = expand_markers(source[0])


def setup(app):
    app.connect("source-read", _on_source_read)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
