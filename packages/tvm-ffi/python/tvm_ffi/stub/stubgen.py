"""``tvm-ffi-stubgen``: fill marked blocks of .py/.pyi files with type stubs from reflection.

A block starts with ``# tvm-ffi-stubgen(begin): global/<prefix>`` (every global function
``<prefix>.<name>``) or ``# tvm-ffi-stubgen(begin): object/<type_key>`` (fields and methods of a
reflected type) and ends with ``# tvm-ffi-stubgen(end)``. Lines
``# tvm-ffi-stubgen(ty_map): A -> B`` inside a block rename types; a file containing
``# tvm-ffi-stubgen(skip-file)`` is left alone. Running the tool twice changes nothing.
"""

import argparse
import ctypes
import difflib
import os
import sys

MARKER_BEGIN = "# tvm-ffi-stubgen(begin):"
MARKER_END = "# tvm-ffi-stubgen(end)"
MARKER_TY_MAP = "# tvm-ffi-stubgen(ty_map):"
MARKER_SKIP = "# tvm-ffi-stubgen(skip-file)"

DEFAULT_TY_MAP = {"list": "Sequence", "dict": "Mapping"}

_COLOR_RED = "\033[31m"
_COLOR_GREEN = "\033[32m"
_COLOR_RESET = "\033[0m"


class Options:
    """Command-line options."""

    def __init__(self, dlls=None, indent=4, files=None, suppress_print=False):
        self.dlls = list(dlls or [])
        self.indent = indent
        self.files = list(files or [])
        self.suppress_print = suppress_print


class StubConfig:
    """One block: its kind (``global``/``object``), name and type map."""

    def __init__(self, kind, name, ty_map=None):
        self.kind = kind
        self.name = name
        self.ty_map = dict(ty_map or {})

    def map_type(self, name):
        if name in self.ty_map:
            return self.ty_map[name]
        if name in DEFAULT_TY_MAP:
            return DEFAULT_TY_MAP[name]
        if "." in name:
            return name.rsplit(".", 1)[-1]
        return name


def _leading_ws(line):
    return line[: len(line) - len(line.lstrip())]


def _schema_of(metadata):
    from ..core import TypeSchema

    if not metadata:
        return None
    text = metadata.get("type_schema") if isinstance(metadata, dict) else None
    if not text:
        return None
    if isinstance(text, str):
        return TypeSchema.from_json_str(text)
    return TypeSchema.from_json_obj(text)


def _render_def(name, schema, cfg, self_param=False):
    """``def name(...) -> R: ...`` for a Callable schema (packed/untyped -> *args: Any)."""
    lead = "self, " if self_param else ""
    if schema is None or schema.origin != "Callable" or not schema.args:
        return "def %s(%s*args: Any) -> Any: ..." % (name, lead)
    ret = schema.args[0].repr(cfg.map_type)
    params = [a.repr(cfg.map_type) for a in schema.args[1:]]
    if self_param and params:
        params = params[1:]
    if not params:
        return "def %s(%s) -> %s: ..." % (name, lead.rstrip(", "), ret)
    body = ", ".join("_%d: %s" % (i, p) for i, p in enumerate(params))
    return "def %s(%s%s, /) -> %s: ..." % (name, lead, body, ret)


def _global_items(cfg, global_func_tab):
    prefix = cfg.name
    names = sorted(n for n in global_func_tab if n.rsplit(".", 1)[0] == prefix and "." in n)
    lines = []
    for full in names:
        short = full.rsplit(".", 1)[-1]
        lines.append(_render_def(short, _schema_of(global_func_tab[full]), cfg))
    return lines


def _object_items(cfg):
    from ..core import TypeSchema, _lookup_or_register_type_info_from_type_key

    info = _lookup_or_register_type_info_from_type_key(cfg.name)
    lines = []
    for f in info.fields:
        schema = _schema_of(f.metadata)
        ty = schema.repr(cfg.map_type) if isinstance(schema, TypeSchema) else "Any"
        lines.append("%s: %s" % (f.name, ty))
    for m in info.methods:
        name = "__c_ffi_init__" if m.name == "__ffi_init__" else m.name
        schema = _schema_of(m.metadata)
        if m.is_static:
            lines.append("@staticmethod")
            lines.append(_render_def(name, schema, cfg))
        else:
            lines.append(_render_def(name, schema, cfg, self_param=True))
    return lines


def _default_global_func_tab():
    from .. import registry

    tab = {}
    for name in registry.list_global_func_names():
        try:
            tab[name] = registry.get_global_func_metadata(name)
        except Exception:  # pylint: disable=broad-except
            tab[name] = {}
    return tab


def _load_plugins(source):
    """Import the plugin modules (e.g. ``tvm_ffi.testing``) that provide the globals and types
    named by the begin markers of ``source``, so that lazily loaded libraries are queried too."""
    from .. import registry

    for line in source.splitlines():
        stripped = line.strip()
        if not stripped.startswith(MARKER_BEGIN):
            continue
        try:
            kind, name = _parse_begin(line)
        except ValueError:
            continue  # reported by generate()
        registry._on_global_func_miss(name + "." if kind == "global" else name)


def _parse_begin(line):
    spec = line.strip()[len(MARKER_BEGIN) :].strip()
    if "/" not in spec:
        raise ValueError("Unknown stub type: " + spec)
    kind, name = spec.split("/", 1)
    if kind not in ("global", "object"):
        raise ValueError("Unknown stub type: " + kind)
    return kind, name.strip()


def _parse_ty_map(line):
    spec = line.strip()[len(MARKER_TY_MAP) :].strip()
    if "->" not in spec:
        raise ValueError("Invalid ty_map format: " + spec)
    a, b = [x.strip() for x in spec.split("->", 1)]
    if not a or not b:
        raise ValueError("Invalid ty_map format: " + spec)
    return a, b


def generate(source, opt, global_func_tab=None):
    """The new text of ``source`` (raises ValueError on malformed directives)."""
    lines = source.splitlines(keepends=True)
    out = []
    i = 0
    _load_plugins(source)
    lazy_tab = [global_func_tab]

    def tab():
        if lazy_tab[0] is None:
            lazy_tab[0] = _default_global_func_tab()
        return lazy_tab[0]

    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith(MARKER_END):
            raise ValueError("Unmatched stub end at line %d" % (i + 1))
        if stripped.startswith(MARKER_TY_MAP):
            raise ValueError("Stub ty_map outside stub block at line %d" % (i + 1))
        if not stripped.startswith(MARKER_BEGIN):
            out.append(line)
            i += 1
            continue
        kind, name = _parse_begin(line)
        indent = _leading_ws(line)
        out.append(line)
        ty_map_lines = []
        ty_map = {}
        j = i + 1
        while True:
            if j >= len(lines):
                raise ValueError("Unclosed stub block starting at line %d" % (i + 1))
            s = lines[j].strip()
            if s.startswith(MARKER_BEGIN):
                raise ValueError("Nested stub not permitted at line %d" % (j + 1))
            if s.startswith(MARKER_END):
                break
            if s.startswith(MARKER_TY_MAP):
                a, b = _parse_ty_map(lines[j])
                ty_map[a] = b
                ty_map_lines.append(lines[j])
            j += 1
        cfg = StubConfig(kind, name, ty_map)
        items = _global_items(cfg, tab()) if kind == "global" else _object_items(cfg)
        out.extend(ty_map_lines)
        if items:
            inner = indent + " " * opt.indent
            out.append(indent + "if TYPE_CHECKING:\n")
            out.append(inner + "# fmt: off\n")
            for item in items:
                out.append(inner + item + "\n")
            out.append(inner + "# fmt: on\n")
        out.append(lines[j])
        i = j + 1
    return "".join(out)


def _main(file, opt, global_func_tab=None):
    """Process one file; returns 0 on success, 1 on failure."""
    try:
        with open(file, encoding="utf-8") as f:
            source = f.read()
        if MARKER_SKIP in source:
            if not opt.suppress_print:
                print("[Skipped] " + file)
            return 0
        new = generate(source, opt, global_func_tab)
    except Exception as err:  # pylint: disable=broad-except
        if not opt.suppress_print:
            print("[Failed] %s: %s" % (file, err))
        return 1
    if new == source:
        if not opt.suppress_print:
            print("[Unchanged] " + file)
        return 0
    with open(file, "w", encoding="utf-8") as f:
        f.write(new)
    if not opt.suppress_print:
        print("[Updated] " + file)
        for dl in difflib.unified_diff(source.splitlines(), new.splitlines(), lineterm=""):
            color = _COLOR_GREEN if dl.startswith("+") else _COLOR_RED if dl.startswith("-") else ""
            print(color + dl + (_COLOR_RESET if color else ""))
    return 0


def _collect_files(paths):
    files = []
    for p in paths:
        if os.path.isdir(p):
            for root, _, names in os.walk(p):
                for n in names:
                    if n.endswith((".py", ".pyi")):
                        files.append(os.path.join(root, n))
        else:
            files.append(p)
    return sorted(files)


def __main__(argv=None):
    """Entry point of ``tvm-ffi-stubgen``."""
    parser = argparse.ArgumentParser(
        prog="tvm-ffi-stubgen",
        description="Fill the `# tvm-ffi-stubgen(begin): ...` blocks of .py/.pyi files with type "
        "declarations of registered global functions and object types.",
    )
    parser.add_argument(
        "--dlls",
        nargs="*",
        default=[],
        help="Shared libraries to load first (put the files before --dlls, "
        "or end the list with --).",
    )
    parser.add_argument("--indent", type=int, default=4, help="Indentation of generated code.")
    parser.add_argument("files", nargs="*", help="Files or directories to process.")
    args = parser.parse_args(argv)
    if not args.files:
        parser.print_help()
        return 1
    for dll in args.dlls:
        ctypes.CDLL(dll, ctypes.RTLD_GLOBAL)
    opt = Options(dlls=args.dlls, indent=args.indent, files=args.files)
    failed = 0
    for file in _collect_files(args.files):
        failed |= _main(file, opt)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(__main__())
