"""``load_module`` on hostile files: each gives a clear Python exception, never a crash/hang.

Every load runs in its own interpreter (a crash or a hang fails one case, with the child's
faulthandler traceback). The real library is the suite's ``add_one_cpu.so``; the hostile ones
are derived from it (truncated, ELF header patched to another machine or class) or built from
tiny C sources (a data symbol named like a function, a function named like the loader's data
symbols, a read-only context slot, a thread-local variable).
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from conftest import _find_cxx
from hardening_util import describe, run_child

LOAD_CHILD = """
import sys
import tvm_ffi
path = sys.argv[1]
call = sys.argv[2] if len(sys.argv) > 2 else ""
try:
    mod = tvm_ffi.load_module(path)
    if call:
        print("CALLED", mod[call](41))
    else:
        print("LOADED")
except Exception as e:  # noqa: BLE001
    print("RAISED", type(e).__name__ + ":", str(e).replace("\\n", " ")[:400])
"""


def _load_in_child(path, call="", timeout=60):
    proc = run_child(LOAD_CHILD, args=(str(path), call), timeout=timeout)
    assert proc.returncode == 0, "load_module crashed:\n" + describe(proc)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(("RAISED", "LOADED", "CALLED"))]
    assert lines, describe(proc)
    return lines[-1]


def _assert_raised(line, exc_names, *fragments):
    assert line.startswith("RAISED"), line
    name = line.split()[1].rstrip(":")
    assert name in exc_names, line
    for frag in fragments:
        assert frag in line, f"{frag!r} not in {line!r}"


@pytest.fixture(scope="module")
def c_library(tmp_path_factory):
    """Compile a tiny C-linkage source (no tvm headers) into a shared library."""
    cxx = _find_cxx()
    if cxx is None:
        pytest.skip("no C++ compiler on PATH")
    root = tmp_path_factory.mktemp("hostile_c")

    def build(name: str, source: str) -> Path:
        src = root / f"{name}.cc"
        src.write_text(source)
        out = root / f"{name}.so"
        subprocess.run(
            [cxx, "-shared", "-fPIC", str(src), "-o", str(out)], check=True, capture_output=True
        )
        return out

    return build


ADD_ONE_C = (
    "#include <stdint.h>\n"
    'extern "C" int __tvm_ffi_add_one(void*, const void* args, int32_t, void* result) {\n'
    "  const int64_t* a = (const int64_t*)args; int64_t* r = (int64_t*)result;\n"
    "  r[0] = a[0]; r[1] = a[1] + 1; return 0; }\n"  # TVMFFIAny: {type_index, pad}, value
)


@pytest.fixture(scope="module")
def add_one_c(c_library):
    """A library exporting `add_one` (plain C, 'CALLED 42' for 41)."""
    return c_library("add_one_c", ADD_ONE_C)


def test_load_empty_file(tmp_path):
    path = tmp_path / "empty.so"
    path.write_bytes(b"")
    _assert_raised(_load_in_child(path), ("RuntimeError",), str(path))


@pytest.mark.parametrize(
    "content", [b"hello world\n", b"# not a library\n" * 64], ids=["short_text", "long_text"]
)
def test_load_text_file(tmp_path, content):
    path = tmp_path / "text.so"
    path.write_bytes(content)
    _assert_raised(_load_in_child(path), ("RuntimeError",), str(path))


def _load_end(data: bytes) -> int:
    """End of the last loadable segment's bytes in the file (64-bit little-endian ELF)."""
    (e_phoff,) = struct.unpack_from("<Q", data, 0x20)
    e_phentsize, e_phnum = struct.unpack_from("<HH", data, 0x36)
    end = 0
    for i in range(e_phnum):
        p_type, _flags, p_offset, _vaddr, _paddr, p_filesz = struct.unpack_from(
            "<IIQQQQ", data, e_phoff + i * e_phentsize
        )
        if p_type == 1:  # PT_LOAD
            end = max(end, p_offset + p_filesz)
    return end


@pytest.mark.parametrize("cut", ["8", "64", "200", "1000", "half_load", "load_minus_1"])
def test_load_truncated_library(tmp_path, add_one_lib, cut):
    data = add_one_lib.read_bytes()
    load_end = _load_end(data)
    assert 4096 < load_end <= len(data)
    n = {"half_load": load_end // 2, "load_minus_1": load_end - 1}.get(cut) or int(cut)
    path = tmp_path / "truncated.so"
    path.write_bytes(data[:n])
    # before the fix, a cut inside a loadable segment died of SIGBUS inside dlopen
    _assert_raised(_load_in_child(path), ("RuntimeError",), str(path))


def test_truncation_after_the_loadable_segments_still_loads(tmp_path, add_one_c):
    # symbol tables and section headers after the last segment are not needed to load: a
    # cut there must not be refused
    data = add_one_c.read_bytes()
    assert _load_end(data) < len(data)
    path = tmp_path / "no_section_headers.so"
    path.write_bytes(data[: _load_end(data)])
    assert _load_in_child(path, "add_one") == "CALLED 42"


@pytest.mark.parametrize(
    "offset, value, fragment",
    [
        (18, struct.pack("<H", 183), "another architecture"),  # e_machine = EM_AARCH64
        (18, struct.pack("<H", 243), "another architecture"),  # e_machine = EM_RISCV
        (4, b"\x01", "32-bit"),  # EI_CLASS = ELFCLASS32
    ],
    ids=["aarch64", "riscv", "elfclass32"],
)
def test_load_library_of_another_architecture(tmp_path, add_one_lib, offset, value, fragment):
    data = bytearray(add_one_lib.read_bytes())
    data[offset : offset + len(value)] = value
    path = tmp_path / "foreign.so"
    path.write_bytes(bytes(data))
    _assert_raised(_load_in_child(path), ("RuntimeError",), fragment)


@pytest.mark.parametrize(
    "source, call, exc, fragment",
    [
        # a data object where the module expects the function `add_one`
        ('extern "C" { int __tvm_ffi_add_one = 5; }', "add_one", "TypeError", "data object"),
        (
            'extern "C" const char __tvm_ffi_add_one[64] = {0};',
            "add_one",
            "TypeError",
            "data object",
        ),
        (
            'extern "C" { __thread long __tvm_ffi_add_one = 5; }',
            "add_one",
            "TypeError",
            "executable",
        ),
        # functions where the loader expects the data symbols it writes or reads
        ('extern "C" { void __tvm_ffi__library_ctx() {} }', "", "TypeError", "is a function"),
        ('extern "C" { void __tvm_ffi__library_bin() {} }', "", "TypeError", "is a function"),
        # a read-only context slot (writing the module pointer into it would crash)
        ('extern "C" void* const __tvm_ffi__library_ctx = nullptr;', "", "TypeError", "writable"),
        ('extern "C" { char __tvm_ffi__library_ctx = 0; }', "", "TypeError", "writable"),
        # a library blob shorter than its own header / than its declared payload
        (
            'extern "C" { extern const char __tvm_ffi__library_bin[4];'
            " const char __tvm_ffi__library_bin[4] = {1, 2, 3, 4}; }",
            "",
            "RuntimeError",
            "truncated",
        ),
        (
            'extern "C" { extern const unsigned char __tvm_ffi__library_bin[16];'
            " const unsigned char __tvm_ffi__library_bin[16] ="
            " {0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0}; }",
            "",
            "RuntimeError",
            "exceeds",
        ),
    ],
    ids=[
        "int_as_function",
        "array_as_function",
        "tls_as_function",
        "ctx_is_function",
        "bin_is_function",
        "const_ctx",
        "char_ctx",
        "bin_too_short",
        "bin_payload_too_long",
    ],
)
def test_load_symbol_of_the_wrong_kind(c_library, source, call, exc, fragment):
    name = "lib_" + str(abs(hash(source)))
    path = c_library(name, source)
    line = _load_in_child(path, call)
    _assert_raised(line, (exc,), fragment)


def test_wrong_kind_symbol_does_not_hide_the_right_ones(c_library):
    # a correct function next to a data symbol named like another function
    path = c_library("mixed", ADD_ONE_C + 'extern "C" { int __tvm_ffi_answer_data = 42; }\n')
    assert _load_in_child(path, "add_one") == "CALLED 42"
    _assert_raised(_load_in_child(path, "answer_data"), ("TypeError",), "data object")


def test_load_path_with_unicode_and_spaces(tmp_path, add_one_c):
    folder = tmp_path / "dir with spaces ü 库"
    folder.mkdir()
    path = folder / "ädd öne — 한국어 lib.so"
    shutil.copy(add_one_c, path)
    assert _load_in_child(path, "add_one") == "CALLED 42"


def test_load_missing_unicode_path(tmp_path):
    path = tmp_path / "nö such ✗ file.so"
    _assert_raised(_load_in_child(path), ("RuntimeError",), "nö such ✗ file.so")


def test_load_path_with_nul_character(tmp_path, add_one_lib):
    # "<lib>\0.so" must not silently load <lib> (C strings stop at the NUL)
    proc = run_child(
        "import sys, tvm_ffi\n"
        "try:\n"
        "    tvm_ffi.load_module(sys.argv[1] + '\\0junk.so')\n"
        "    print('LOADED')\n"
        "except ValueError as e:\n"
        "    print('RAISED ValueError:', e)\n",
        args=(str(add_one_lib),),
    )
    assert proc.returncode == 0, describe(proc)
    assert "RAISED ValueError" in proc.stdout and "NUL" in proc.stdout, describe(proc)


def test_load_directory_and_fifo(tmp_path):
    folder = tmp_path / "folder.so"
    folder.mkdir()
    _assert_raised(_load_in_child(folder), ("RuntimeError",), "not a regular file")
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    fifo = tmp_path / "fifo.so"
    os.mkfifo(fifo)
    # before the fix, dlopen blocked forever opening the FIFO
    _assert_raised(_load_in_child(fifo, timeout=30), ("RuntimeError",), "not a regular file")


def test_load_file_without_extension(tmp_path, add_one_lib):
    path = tmp_path / "noextension"
    shutil.copy(add_one_lib, path)
    _assert_raised(_load_in_child(path), ("RuntimeError",), "format")


def test_load_unknown_extension(tmp_path):
    path = tmp_path / "model.weird"
    path.write_bytes(b"\0" * 64)
    _assert_raised(_load_in_child(path), ("RuntimeError",), "weird")


UNDEFINED_C = (
    "#include <stdint.h>\n"
    'extern "C" int64_t hardening_missing_helper(int64_t);\n'
    'extern "C" int __tvm_ffi_calls_missing(void*, const void* args, int32_t, void* result) {\n'
    "  const int64_t* a = (const int64_t*)args; int64_t* r = (int64_t*)result;\n"
    "  r[0] = a[0]; r[1] = hardening_missing_helper(a[1]); return 0; }\n"
)


def test_load_library_with_undefined_symbol(c_library):
    # linked with undefined symbols allowed (the default for shared libraries): loading must
    # raise and name the symbol; before, it loaded and the first call killed the process (127)
    lib = c_library("undefined_symbol", UNDEFINED_C)
    line = _load_in_child(lib, "calls_missing")
    _assert_raised(line, ("RuntimeError",), "hardening_missing_helper", "undefined_symbol.so")


def test_load_module_path_argument_types(add_one_c):
    proc = run_child(
        """
        import os, sys, tvm_ffi
        lib = sys.argv[1]
        for bad in (None, 123, 1.5, ["x.so"]):
            try:
                tvm_ffi.load_module(bad)
                print("LOADED", repr(bad))
            except TypeError as e:
                print("TypeError", repr(bad), e)
        # bytes: a file-system path (os.fsdecode), like the os functions accept
        print("BYTES", tvm_ffi.load_module(os.fsencode(lib))["add_one"](41))
        try:
            tvm_ffi.load_module(b"/nonexistent/hardening.so")
        except RuntimeError as e:
            print("MISSING", "/nonexistent/hardening.so" in str(e), "b'" in str(e))
        """,
        args=(str(add_one_c),),
    )
    assert proc.returncode == 0, describe(proc)
    out = proc.stdout
    assert "LOADED" not in out, out
    for bad in ("None", "123", "1.5", "['x.so']"):
        assert f"TypeError {bad} load_module() argument 'path' must be" in out, out
    assert "BYTES 42" in out, out
    assert "MISSING True False" in out, out
