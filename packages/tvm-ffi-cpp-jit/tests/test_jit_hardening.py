"""JIT robustness: rebuilt libraries load the new code, undefined symbols fail early, the
module wrappers of cache hits are not held, keep_module_alive reaches load_module, and odd
flags survive the ninja file."""

import gc
import os
import subprocess
import sys
import weakref

import pytest

import tvm_ffi
import tvm_ffi.cpp
from tvm_ffi.cpp import build_inline, load_inline

from jit_fixtures import jit_cache  # noqa: F401  (autouse: a fresh TVM_FFI_CACHE_DIR per test)

ADD = "int64_t add(int64_t a, int64_t b) { return a + b; }\n"


def test_rebuild_in_a_reused_build_directory_loads_the_new_code(tmp_path):
    bdir = str(tmp_path / "reused")
    m1 = load_inline("reused", cpp_sources=ADD, functions="add", build_directory=bdir)
    assert m1.add(5, 3) == 8
    m2 = load_inline(
        "reused",
        cpp_sources=ADD.replace("a + b", "a - b"),
        functions="add",
        build_directory=bdir,
    )
    assert m2.add(5, 3) == 2
    # the first module keeps its own code
    assert m1.add(5, 3) == 8
    m3 = load_inline(
        "reused",
        cpp_sources=ADD.replace("a + b", "a * b"),
        functions="add",
        build_directory=bdir,
    )
    assert m3.add(5, 3) == 15
    # build_inline keeps returning the stable path of the library
    assert build_inline("reused", cpp_sources=ADD, functions="add", build_directory=bdir) == (
        os.path.join(bdir, "reused.so")
    )


def test_going_back_to_an_earlier_source_loads_it_again(tmp_path):
    bdir = str(tmp_path / "backforth")
    sub = ADD.replace("a + b", "a - b")
    assert load_inline("bf", cpp_sources=ADD, functions="add", build_directory=bdir).add(5, 3) == 8
    assert load_inline("bf", cpp_sources=sub, functions="add", build_directory=bdir).add(5, 3) == 2
    assert load_inline("bf", cpp_sources=ADD, functions="add", build_directory=bdir).add(5, 3) == 8


UNDEFINED = (
    "int64_t hardening_missing_symbol(int64_t);\n"
    "int64_t calls_missing(int64_t x) { return hardening_missing_symbol(x); }\n"
)


def test_undefined_symbol_is_reported_when_building():
    with pytest.raises(tvm_ffi.cpp.BuildError, match="hardening_missing_symbol"):
        build_inline("undef", cpp_sources=UNDEFINED, functions="calls_missing")


def test_undefined_symbol_is_reported_when_loading(tmp_path):
    # a library linked elsewhere with undefined symbols allowed: loading it must raise, naming
    # the symbol, and never kill the process at the first call
    lib = build_inline(
        "undef_lazy",
        cpp_sources=UNDEFINED,
        functions="calls_missing",
        extra_ldflags=["-Wl,--allow-shlib-undefined", "-Wl,-z,undefs"],
    )
    code = (
        "import sys, tvm_ffi\n"
        "try:\n"
        "    m = tvm_ffi.load_module(sys.argv[1])\n"
        "except Exception as e:\n"
        "    print('RAISED', type(e).__name__, e)\n"
        "else:\n"
        "    print('LOADED')\n"
        "    print('CALLED', m.calls_missing(1))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, lib], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, (proc.returncode, proc.stdout, proc.stderr)
    assert "RAISED" in proc.stdout and "hardening_missing_symbol" in proc.stdout, proc.stdout


def test_cache_hits_hold_no_new_module():
    m = load_inline("keepalive", cpp_sources=ADD, functions="add")
    assert m.add(1, 2) == 3
    refs = []
    for _ in range(50):
        again = load_inline("keepalive", cpp_sources=ADD, functions="add")
        assert again.add(1, 2) == 3
        refs.append(weakref.ref(again))
        del again
    gc.collect()
    # nothing in the JIT package keeps the modules returned by cache hits
    assert sum(r() is not None for r in refs) == 0
    # the library itself stays loaded: functions taken from a dropped module still work
    f = load_inline("keepalive", cpp_sources=ADD, functions="add").add
    gc.collect()
    assert f(2, 3) == 5


@pytest.mark.parametrize(
    "flag, expected",
    [
        ("-DHARDENING_VALUE=$HOME", "$HOME"),
        ("-DHARDENING_VALUE=$$", "$$"),
        ("-DHARDENING_VALUE=a b", "a b"),
        ("", "none"),
    ],
    ids=["dollar", "double-dollar", "space", "empty"],
)
def test_odd_flags_reach_the_compiler_unchanged(flag, expected):
    src = (
        "#include <string>\n"
        "#ifndef HARDENING_VALUE\n#define HARDENING_VALUE none\n#endif\n"
        "#define HARDENING_STR2(x) #x\n#define HARDENING_STR(x) HARDENING_STR2(x)\n"
        "tvm::ffi::String value() { return std::string(HARDENING_STR(HARDENING_VALUE)); }\n"
    )
    mod = load_inline("flags", cpp_sources=src, functions="value", extra_cflags=[flag])
    assert mod.value() == expected


@pytest.mark.parametrize("what", ["extra_cflags", "extra_ldflags", "extra_cuda_cflags"])
@pytest.mark.parametrize("bad", ["-DA=1\n-DB=2", "-DA=1\r", "-DA=\x00"])
def test_flags_with_line_breaks_are_rejected(what, bad):
    with pytest.raises(ValueError, match=what):
        build_inline("badflag", cpp_sources=ADD, functions="add", **{what: [bad]})


def test_empty_flags_are_dropped_from_the_ninja_file():
    path = build_inline("emptyflag", cpp_sources=ADD, functions="add", extra_cflags=["", "-O1"])
    with open(os.path.join(os.path.dirname(path), "build.ninja")) as f:
        text = f.read()
    assert "''" not in text
    assert "-O1" in text


def test_keep_module_alive_is_passed_to_load_module(tmp_path):
    use_count = tvm_ffi.get_global_func("testing.object_use_count")
    released = load_inline("keepflag", cpp_sources=ADD, functions="add", keep_module_alive=False)
    kept = load_inline("keepflag", cpp_sources=ADD, functions="add")
    assert kept.add(1, 2) == released.add(1, 2) == 3
    # the default registers the module in the runtime's keep-alive list: one more reference
    assert use_count(kept) == use_count(released) + 1
    src = tmp_path / "add.cc"
    src.write_text(ADD)
    from_file = tvm_ffi.cpp.load("keepflag_file", [str(src)], functions="add")
    from_file_released = tvm_ffi.cpp.load(
        "keepflag_file", [str(src)], functions="add", keep_module_alive=False
    )
    assert use_count(from_file) == use_count(from_file_released) + 1
    with pytest.raises(TypeError, match="^keep_module_alive must be bool, not str"):
        load_inline("keepflag", cpp_sources=ADD, functions="add", keep_module_alive="no")
    with pytest.raises(TypeError, match="^keep_module_alive must be bool, not NoneType"):
        tvm_ffi.cpp.load("keepflag_file", [str(src)], keep_module_alive=None)
