"""Read the C ABI headers (``abi/include/tvm/ffi/c_api.h``, ``extra/c_env_api.h``) into a model.

The ABI reference page (``docs/abi_reference.md``) is generated from this model at build time
(see ``abi_reference.py``), and ``docs/tests/test_abi_reference.py`` checks the model against a C
compiler, the exported symbols of ``libtvm_ffi.so`` and the ABI layout tests. So the reference
can only say what the headers say.

The parser understands exactly the constructs these headers use (they are written in a regular
style on purpose) and raises ``HeaderParseError`` on anything else at file scope, instead of
silently skipping it:

* ``/*! ... */`` documentation comments, attached to the next declaration;
* plain ``/* ... */`` comments: section titles (``/* ---- 4.1 Title ---- */``) and prose that
  precedes a macro;
* ``#define`` / ``#if`` / ``#include`` lines;
* ``TVM_FFI_C_ENUM_BEGIN_(Name){ ... } TVM_FFI_C_ENUM_END_(Name);`` enumerations;
* ``typedef struct [Tag] { ... } Name;`` (with anonymous unions inside), ``typedef T Name;`` and
  function-pointer typedefs;
* ``TVM_FFI_DLL ret Name(params);`` exported functions and, in the C++-only tail,
  ``inline ret Name(params) { ... }`` helpers.

No third-party dependency: usable from Sphinx and from plain pytest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "Doc",
    "Enum",
    "Enumerator",
    "Function",
    "Header",
    "HeaderParseError",
    "Macro",
    "Member",
    "Struct",
    "Typedef",
    "parse_header",
]


class HeaderParseError(ValueError):
    """The header contains a construct this parser does not know (file and line in the text)."""


@dataclass
class Doc:
    """A documentation comment, with the ``* `` prefixes removed (lines kept)."""

    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines).strip()

    def __bool__(self) -> bool:
        return bool(self.text)


@dataclass
class Macro:
    name: str
    value: str
    doc: Doc
    line: int


@dataclass
class Enumerator:
    name: str
    expr: str | None  # the written initialiser, None when implicit
    doc: Doc
    line: int


@dataclass
class Enum:
    name: str
    enumerators: list[Enumerator]
    doc: Doc
    line: int


@dataclass
class Member:
    decl: str  # the declaration as a C declarator, e.g. "void (*deleter)(void* self, int flags)"
    name: str
    doc: Doc
    union: int | None  # index of the anonymous union holding it, None if direct
    line: int


@dataclass
class Struct:
    name: str
    tag: str | None
    members: list[Member]
    doc: Doc
    line: int


@dataclass
class Typedef:
    decl: str  # e.g. "void* TVMFFIObjectHandle" or "int (*TVMFFIFieldGetter)(void* field, ...)"
    name: str
    doc: Doc
    line: int


@dataclass
class Function:
    returns: str
    name: str
    params: str
    doc: Doc
    section: str
    inline: bool  # C++-only inline helper (not an exported symbol)
    line: int

    @property
    def signature(self) -> str:
        return "%s %s(%s)" % (self.returns, self.name, self.params)


@dataclass
class Header:
    path: Path
    include: str  # how users include it, e.g. "tvm/ffi/c_api.h"
    intro: Doc
    macros: list[Macro] = field(default_factory=list)
    enums: list[Enum] = field(default_factory=list)
    structs: list[Struct] = field(default_factory=list)
    typedefs: list[Typedef] = field(default_factory=list)
    functions: list[Function] = field(default_factory=list)

    @property
    def exported_functions(self) -> list[Function]:
        return [f for f in self.functions if not f.inline]

    @property
    def inline_functions(self) -> list[Function]:
        return [f for f in self.functions if f.inline]


# -------------------------------------------------------------------------------------------
# Lexical helpers
# -------------------------------------------------------------------------------------------
def _comment_lines(body: str) -> list[str]:
    """Lines of a comment body with the leading `` * `` decoration removed (indent kept)."""
    out = []
    for raw in body.split("\n"):
        line = raw.rstrip()
        stripped = line.lstrip()
        if stripped.startswith("*"):
            stripped = stripped[1:]
            if stripped.startswith(" "):
                stripped = stripped[1:]
            line = stripped
        else:
            line = stripped
        out.append(line)
    while out and not out[0].strip():
        out.pop(0)
    while out and not out[-1].strip():
        out.pop()
    # a one-line comment "/*! \brief x. */" keeps its text on the first line
    return out


def _squash(text: str) -> str:
    """Collapse whitespace of a declaration and tidy pointer spacing."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s*\*\s*", lambda m: "* ", text)  # "T * x" / "T *x" -> "T* x"
    text = text.replace("* *", "**").replace("* )", "*)").replace("( ", "(").replace(" )", ")")
    text = text.replace("(* ", "(*")
    return text.strip()


_SECTION_RE = re.compile(r"^-{2,}\s*(.*?)\s*-*$")


class _Scanner:
    def __init__(self, text: str, path: Path):
        self.text = text
        self.path = path
        self.pos = 0

    def line_of(self, pos: int) -> int:
        return self.text.count("\n", 0, pos) + 1

    def error(self, pos: int, what: str) -> HeaderParseError:
        snippet = self.text[pos : pos + 60].split("\n")[0]
        return HeaderParseError("%s:%d: %s: %r" % (self.path, self.line_of(pos), what, snippet))

    def skip_ws(self) -> None:
        m = re.compile(r"\s*").match(self.text, self.pos)
        self.pos = m.end()

    def at_end(self) -> bool:
        self.skip_ws()
        return self.pos >= len(self.text)

    def find_matching(self, pos: int, open_ch: str, close_ch: str) -> int:
        """Index just after the bracket closing the one at ``pos`` (comments skipped)."""
        depth = 0
        i = pos
        text = self.text
        while i < len(text):
            if text.startswith("/*", i):
                i = text.index("*/", i) + 2
                continue
            if text.startswith("//", i):
                i = text.index("\n", i)
                continue
            ch = text[i]
            if ch == open_ch:
                depth += 1
            elif ch == close_ch:
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        raise self.error(pos, "unbalanced %r" % open_ch)


# -------------------------------------------------------------------------------------------
# Struct bodies
# -------------------------------------------------------------------------------------------
_MEMBER_NAME_RES = [
    re.compile(r"\(\s*\*\s*(\w+)\s*\)\s*\("),  # function pointer member
    re.compile(r"(\w+)\s*\[[^\]]*\]\s*$"),  # array member
    re.compile(r"(\w+)\s*$"),  # plain member
]


def _declarator_name(decl: str) -> str:
    for rx in _MEMBER_NAME_RES:
        m = rx.search(decl)
        if m:
            return m.group(1)
    raise ValueError("cannot find the declared name in %r" % decl)


def _parse_members(
    sc: _Scanner, start: int, stop: int, union_counter: list[int], union: int | None
) -> list[Member]:
    """Members between ``start`` and ``stop`` (exclusive) of a struct or union body."""
    members: list[Member] = []
    text = sc.text
    i = start
    doc = Doc()
    while True:
        m = re.compile(r"\s*").match(text, i)
        i = m.end()
        if i >= stop:
            break
        if text.startswith("/*!", i):
            end = text.index("*/", i)
            doc = Doc(_comment_lines(text[i + 3 : end]))
            i = end + 2
            continue
        if text.startswith("/*", i):
            end = text.index("*/", i)
            i = end + 2
            continue
        if re.compile(r"union\s*\{").match(text, i):
            brace = text.index("{", i)
            close = sc.find_matching(brace, "{", "}")
            union_counter[0] += 1
            members += _parse_members(sc, brace + 1, close - 1, union_counter, union_counter[0])
            semi = re.compile(r"\s*;").match(text, close)
            if not semi:
                raise sc.error(close, "anonymous union must end with '};'")
            i = semi.end()
            doc = Doc()
            continue
        # a plain declaration up to ';' at this nesting level
        j = i
        depth = 0
        while j < stop:
            ch = text[j]
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            elif ch == ";" and depth == 0:
                break
            j += 1
        if j >= stop:
            raise sc.error(i, "member declaration without ';'")
        decl = _squash(text[i:j])
        try:
            name = _declarator_name(decl)
        except ValueError:
            raise sc.error(i, "unsupported member declaration") from None
        members.append(Member(decl=decl, name=name, doc=doc, union=union, line=sc.line_of(i)))
        doc = Doc()
        i = j + 1
    return members


# -------------------------------------------------------------------------------------------
# File scope
# -------------------------------------------------------------------------------------------
_ENUM_BEGIN_RE = re.compile(r"TVM_FFI_C_ENUM_BEGIN_\((\w+)\)\s*\{")
_ENUMERATOR_RE = re.compile(r"(\w+)\s*(?:=\s*([^,]+?))?\s*,?\s*$", re.S)
_FUNC_RE = re.compile(r"TVM_FFI_DLL\s+([\w\s\*]+?)\s*\b(\w+)\s*\(", re.S)
_INLINE_RE = re.compile(r"inline\s+([\w\s\*]+?)\s*\b(\w+)\s*\(", re.S)
_DEFINE_RE = re.compile(r"#\s*define\s+(\w+)(\([^)]*\))?[ \t]*((?:[^\n\\]|\\\n)*)")


def _parse_enum_body(sc: _Scanner, start: int, stop: int) -> list[Enumerator]:
    text = sc.text
    items: list[Enumerator] = []
    i = start
    doc = Doc()
    while True:
        i = re.compile(r"\s*").match(text, i).end()
        if i >= stop:
            break
        if text.startswith("/*!", i):
            end = text.index("*/", i)
            doc = Doc(_comment_lines(text[i + 3 : end]))
            i = end + 2
            continue
        if text.startswith("/*", i):
            i = text.index("*/", i) + 2
            continue
        # up to the next ',' at depth 0 (or the end of the body)
        j = i
        depth = 0
        while j < stop and not (text[j] == "," and depth == 0):
            if text[j] == "(":
                depth += 1
            elif text[j] == ")":
                depth -= 1
            j += 1
        item = re.sub(r"\s+", " ", text[i:j]).strip()
        m = re.fullmatch(r"(\w+)(?:\s*=\s*(.+))?", item)
        if not m:
            raise sc.error(i, "unsupported enumerator")
        items.append(Enumerator(name=m.group(1), expr=m.group(2), doc=doc, line=sc.line_of(i)))
        doc = Doc()
        i = j + 1
    return items


def parse_header(path, include: str | None = None) -> Header:
    """Parse one of the ABI headers. ``include`` is the user-facing include path."""
    path = Path(path)
    text = path.read_text()
    sc = _Scanner(text, path)
    if include is None:
        parts = path.parts
        include = "/".join(parts[parts.index("tvm") :]) if "tvm" in parts else path.name
    header = Header(path=path, include=include, intro=Doc())
    pending_doc = Doc()  # last /*! */ not yet attached
    last_plain = Doc()  # last plain comment (prose before macros)
    section = ""
    seen_macros = set()
    guard = None
    first_comment = True
    while not sc.at_end():
        pos = sc.pos
        if text.startswith("/*!", pos):
            end = text.index("*/", pos)
            pending_doc = Doc(_comment_lines(text[pos + 3 : end]))
            sc.pos = end + 2
            continue
        if text.startswith("/*", pos):
            end = text.index("*/", pos)
            lines = _comment_lines(text[pos + 2 : end])
            sc.pos = end + 2
            if first_comment:
                header.intro = Doc(lines)
                first_comment = False
                continue
            title = " ".join(x.strip() for x in lines).strip()
            m = _SECTION_RE.match(title)
            if m and title.startswith("--"):
                section = m.group(1)
            elif set(title) <= set("= ") or re.fullmatch(r"\d+\.\s.*", title):
                pass  # banner lines and top-level section banners
            elif title.startswith('extern "C"') or title in ("TVM_FFI_DLL", "__cplusplus"):
                pass  # comments closing #endif / braces
            else:
                last_plain = Doc(lines)
            continue
        if text.startswith("//", pos):
            sc.pos = text.index("\n", pos)
            continue
        if text.startswith("#", pos):
            m = _DEFINE_RE.match(text, pos)
            if m:
                name, params, value = m.group(1), m.group(2), m.group(3)
                value = re.sub(r"\s*\\\n\s*", " ", value).strip()
                value = re.sub(r"/\*.*?\*/", "", value).strip()
                if guard is None and name.endswith("_H_"):
                    guard = name
                elif name.endswith("_") or name == guard:
                    pass  # internal helpers, removed again at the end of the header
                elif name not in seen_macros:
                    seen_macros.add(name)
                    doc = pending_doc or last_plain
                    header.macros.append(
                        Macro(
                            name=name + (params or ""), value=value, doc=doc, line=sc.line_of(pos)
                        )
                    )
                else:  # a second (platform) definition: record the alternative value
                    for mac in header.macros:
                        if mac.name.split("(")[0] == name and value not in mac.value.split(" | "):
                            mac.value += " | " + value
                pending_doc = Doc()
                sc.pos = m.end()
            else:
                eol = text.index("\n", pos)
                directive = text[pos:eol]
                if not re.match(
                    r"#\s*(if|ifdef|ifndef|elif|else|endif|include|undef)\b", directive
                ):
                    raise sc.error(pos, "unsupported preprocessor line")
                sc.pos = eol
            continue
        if text.startswith('extern "C" {', pos):
            sc.pos = pos + len('extern "C" {')
            continue
        if text.startswith("}", pos):  # closing extern "C"
            sc.pos = pos + 1
            continue
        m = _ENUM_BEGIN_RE.match(text, pos)
        if m:
            name = m.group(1)
            brace = m.end() - 1
            close = sc.find_matching(brace, "{", "}")
            end_m = re.compile(r"\s*TVM_FFI_C_ENUM_END_\((\w+)\)\s*;").match(text, close)
            if not end_m or end_m.group(1) != name:
                raise sc.error(
                    close, "enum %s must end with TVM_FFI_C_ENUM_END_(%s);" % (name, name)
                )
            header.enums.append(
                Enum(
                    name=name,
                    enumerators=_parse_enum_body(sc, brace + 1, close - 1),
                    doc=pending_doc,
                    line=sc.line_of(pos),
                )
            )
            pending_doc = Doc()
            sc.pos = end_m.end()
            continue
        m = re.compile(r"typedef\s+struct\s*(\w+)?\s*\{").match(text, pos)
        if m:
            brace = m.end() - 1
            close = sc.find_matching(brace, "{", "}")
            end_m = re.compile(r"\s*(\w+)\s*;").match(text, close)
            if not end_m:
                raise sc.error(close, "typedef struct without a name")
            members = _parse_members(sc, brace + 1, close - 1, [0], None)
            header.structs.append(
                Struct(
                    name=end_m.group(1),
                    tag=m.group(1),
                    members=members,
                    doc=pending_doc,
                    line=sc.line_of(pos),
                )
            )
            pending_doc = Doc()
            sc.pos = end_m.end()
            continue
        if text.startswith("typedef", pos):
            semi = text.index(";", pos)
            decl = _squash(text[pos + len("typedef") : semi])
            try:
                name = _declarator_name(decl if "(*" not in decl else decl)
            except ValueError:
                raise sc.error(pos, "unsupported typedef") from None
            header.typedefs.append(
                Typedef(decl=decl, name=name, doc=pending_doc, line=sc.line_of(pos))
            )
            pending_doc = Doc()
            sc.pos = semi + 1
            continue
        m = _FUNC_RE.match(text, pos)
        if m:
            paren = m.end() - 1
            close = sc.find_matching(paren, "(", ")")
            semi = re.compile(r"\s*;").match(text, close)
            if not semi:
                raise sc.error(close, "exported function declaration must end with ';'")
            header.functions.append(
                Function(
                    returns=_squash(m.group(1)),
                    name=m.group(2),
                    params=_squash(text[paren + 1 : close - 1]),
                    doc=pending_doc,
                    section=section,
                    inline=False,
                    line=sc.line_of(pos),
                )
            )
            pending_doc = Doc()
            sc.pos = semi.end()
            continue
        m = _INLINE_RE.match(text, pos)
        if m:
            paren = m.end() - 1
            close = sc.find_matching(paren, "(", ")")
            brace_m = re.compile(r"\s*\{").match(text, close)
            if not brace_m:
                raise sc.error(close, "inline helper must have a body")
            body_end = sc.find_matching(brace_m.end() - 1, "{", "}")
            header.functions.append(
                Function(
                    returns=_squash(m.group(1)),
                    name=m.group(2),
                    params=_squash(text[paren + 1 : close - 1]),
                    doc=pending_doc,
                    section="C++-only inline helpers",
                    inline=True,
                    line=sc.line_of(pos),
                )
            )
            pending_doc = Doc()
            sc.pos = body_end
            continue
        raise sc.error(pos, "unsupported construct at file scope")
    return header
