import os
import subprocess
import sys
import traceback

import pytest

import tvm_ffi
import tvm_ffi.cpp
from tvm_ffi.cpp import build_inline, load_inline

from jit_fixtures import jit_cache  # noqa: F401  (autouse: a fresh TVM_FFI_CACHE_DIR per test)

SRC = r"""
#include <string>
int64_t add(int64_t a, int64_t b) { return a + b; }
double scale(double x, double k) { return x * k; }
tvm::ffi::String greet(tvm::ffi::String who) { return std::string("hello ") + std::string(who); }
tvm::ffi::Array<int64_t> reversed(tvm::ffi::Array<int64_t> xs) {
  tvm::ffi::Array<int64_t> out;
  for (int64_t i = static_cast<int64_t>(xs.size()) - 1; i >= 0; --i) out.push_back(xs[i]);
  return out;
}
bool is_even(int64_t v) { return v % 2 == 0; }
"""


def _log_lines(lib_path):
    log = os.path.join(os.path.dirname(lib_path), "build.log")
    with open(log) as f:
        return f.read().splitlines()


def test_functions_as_str_list_dict():
    m1 = load_inline("fn_str", cpp_sources=SRC, functions="add")
    assert m1.add(2, 3) == 5
    assert not m1.implements_function("scale")
    m2 = load_inline("fn_list", cpp_sources=SRC, functions=["add", "scale"])
    assert m2.add(1, -1) == 0 and m2.scale(1.5, 2.0) == 3.0
    m3 = load_inline(
        "fn_dict",
        cpp_sources=SRC,
        functions={"add": "Add two integers.", "greet": "Greet someone."},
    )
    assert m3.greet("ffi") == "hello ffi"
    assert m3.add.__doc__ == "Add two integers."
    assert m3.greet.__doc__ == "Greet someone."
    assert m3["add"](4, 4) == 8


def test_values_in_and_out():
    mod = load_inline(
        "values", cpp_sources=SRC, functions=["add", "scale", "greet", "reversed", "is_even"]
    )
    assert mod.add(2**40, 1) == 2**40 + 1
    assert mod.scale(0.25, -4.0) == -1.0
    assert mod.greet("a much longer string than sso") == "hello a much longer string than sso"
    out = mod.reversed([1, 2, 3])
    assert isinstance(out, tvm_ffi.Array)
    assert list(out) == [3, 2, 1]
    assert list(mod.reversed(tvm_ffi.convert([7]))) == [7]
    assert mod.is_even(4) is True and mod.is_even(3) is False
    with pytest.raises(TypeError):
        mod.add("x", 1)


def test_several_sources_and_functions():
    parts = [
        "int64_t twice(int64_t x);\n",
        "int64_t twice(int64_t x) { return 2 * x; }\n",
        "int64_t quad(int64_t x) { return twice(twice(x)); }",
    ]
    mod = load_inline("multi", cpp_sources=parts, functions=["twice", "quad"])
    assert mod.twice(3) == 6 and mod.quad(3) == 12


def test_icheck_failure_has_user_frame():
    src = """
int64_t checked(int64_t x) {
  TVM_FFI_ICHECK(x > 0) << "x must be positive";
  return x;
}
"""
    mod = load_inline("icheck", cpp_sources=src, functions="checked")
    assert mod.checked(1) == 1
    with pytest.raises(RuntimeError, match="x must be positive") as info:
        mod.checked(-1)
    frames = traceback.extract_tb(info.value.__traceback__)
    user = [f for f in frames if f.filename.endswith("source_0.cpp")]
    assert user, [(f.filename, f.lineno) for f in frames]
    assert user[-1].lineno == 3  # the line of the TVM_FFI_ICHECK in the user's string


def test_cache_hit_runs_no_compiler(capfd):
    path = build_inline("cached", cpp_sources=SRC, functions="add")
    first = capfd.readouterr().err
    assert "building cached" in first and "done" in first
    mtime = os.stat(path).st_mtime_ns
    assert len(_log_lines(path)) == 1
    # same process
    for _ in range(3):
        assert build_inline("cached", cpp_sources=SRC, functions="add") == path
    assert capfd.readouterr().err == ""  # silent on a hit
    # a new process
    code = (
        "import sys; from tvm_ffi.cpp import load_inline; "
        "m = load_inline('cached', cpp_sources=sys.argv[1], functions='add'); "
        "assert m.add(1, 2) == 3; print(m.__class__.__name__)"
    )
    res = subprocess.run([sys.executable, "-c", code, SRC], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert res.stderr == ""
    assert len(_log_lines(path)) == 1
    assert os.stat(path).st_mtime_ns == mtime


def test_change_rebuilds():
    p0 = build_inline("chg", cpp_sources=SRC, functions="add")
    p1 = build_inline("chg", cpp_sources=SRC + " ", functions="add")  # one byte
    p2 = build_inline("chg", cpp_sources=SRC, functions="add", extra_cflags=["-DFOO=1"])
    p3 = build_inline("chg", cpp_sources=SRC, functions=["add", "scale"])
    assert len({p0, p1, p2, p3}) == 4
    for p in (p0, p1, p2, p3):
        assert os.path.isfile(p) and len(_log_lines(p)) == 1
    with open(os.path.join(os.path.dirname(p2), "build.ninja")) as f:
        assert "-DFOO=1" in f.read()


def test_cache_dir_layout(jit_cache):
    path = build_inline("layout", cpp_sources=SRC, functions="add")
    d = os.path.dirname(path)
    assert os.path.dirname(d) == str(jit_cache)
    assert (
        os.path.basename(d).startswith("layout_")
        and len(os.path.basename(d)) == len("layout_") + 16
    )
    assert os.path.basename(path) == "layout.so"
    for f in ("main.cpp", "source_0.cpp", "build.ninja", "stamp.json"):
        assert os.path.isfile(os.path.join(d, f))
    with open(os.path.join(d, "main.cpp")) as f:
        assert "TVM_FFI_DLL_EXPORT_TYPED_FUNC(add, add);" in f.read()


def test_build_inline_then_load_module():
    path = build_inline("built", cpp_sources=SRC, functions=["add", "greet"])
    assert os.path.isabs(path)
    mod = tvm_ffi.load_module(path)
    assert isinstance(mod, tvm_ffi.Module)
    assert mod.add(20, 22) == 42 and mod.greet("x") == "hello x"


def test_explicit_build_directory_rebuilds_in_place(tmp_path):
    bdir = tmp_path / "build_add_one"
    p0 = build_inline("inplace", cpp_sources=SRC, functions="add", build_directory=str(bdir))
    assert p0 == str(bdir / "inplace.so")
    assert build_inline("inplace", cpp_sources=SRC, functions="add", build_directory=bdir) == p0
    assert len(_log_lines(p0)) == 1
    p1 = build_inline(
        "inplace",
        cpp_sources=SRC.replace("a + b", "a - b"),
        functions="add",
        build_directory=str(bdir),
    )
    assert p1 == p0 and len(_log_lines(p0)) == 2
    assert not [f for f in os.listdir(bdir) if f.endswith(".tmp")]
    res = subprocess.run(
        [
            sys.executable,
            "-c",
            "import tvm_ffi,sys; print(tvm_ffi.load_module(sys.argv[1]).add(5, 3))",
            p1,
        ],
        capture_output=True,
        text=True,
    )
    assert res.stdout.strip() == "2", res.stderr


def test_compile_error_message():
    src = "int64_t broken(int64_t x) {\n  return x +;  // OFFENDING\n}\n"
    with pytest.raises(RuntimeError) as info:
        build_inline("broken", cpp_sources=src, functions="broken")
    err = info.value
    assert isinstance(err, tvm_ffi.cpp.BuildError)
    msg = str(err)
    assert "source_0.cpp:2" in msg
    assert "return x +;  // OFFENDING" in msg
    assert "ninja exited with status" in msg
    assert err.build_directory in msg and os.path.isdir(err.build_directory)


def test_link_error_message():
    src = (
        "int64_t undefined_helper(int64_t);\nint64_t f(int64_t x) { return undefined_helper(x); }\n"
    )
    with pytest.raises(tvm_ffi.cpp.BuildError, match="undefined_helper"):
        build_inline(
            "linkerr", cpp_sources=src, functions="f", extra_ldflags=["-Wl,--no-undefined"]
        )


def test_errors_before_building(monkeypatch, jit_cache):
    with pytest.raises(ValueError, match="'nope'"):
        build_inline("e1", cpp_sources=SRC, functions=["add", "nope"])
    with pytest.raises(ValueError, match="no sources"):
        build_inline("e2", functions="add")
    with pytest.raises(ValueError, match="identifier"):
        build_inline("e3", cpp_sources=SRC, functions="add one")
    with pytest.raises(TypeError, match="cpp_sources"):
        build_inline("e4", cpp_sources=123, functions="add")
    with pytest.raises(TypeError, match="functions"):
        build_inline("e5", cpp_sources=SRC, functions=5)
    with pytest.raises(TypeError, match="extra_cflags"):
        build_inline("e6", cpp_sources=SRC, functions="add", extra_cflags="-O3")
    with pytest.raises(ValueError, match="name"):
        build_inline("bad/name", cpp_sources=SRC)
    monkeypatch.setenv("CXX", "/nonexistent/compiler-xyz")
    with pytest.raises(RuntimeError, match="compiler-xyz.*CXX"):
        build_inline("e7", cpp_sources=SRC, functions="add")
    assert not jit_cache.exists() or not os.listdir(jit_cache)


def test_missing_nvcc(monkeypatch, tmp_path):
    import shutil

    cxx = shutil.which("c++")
    bindir = tmp_path / "bin"
    bindir.mkdir()
    os.symlink(cxx, bindir / "c++")
    monkeypatch.setenv("PATH", str(bindir))  # a compiler, no nvcc
    monkeypatch.delenv("CUDA_PATH", raising=False)
    if os.path.isfile("/usr/local/cuda/bin/nvcc"):
        # the /usr/local/cuda fallback would find it: point CUDA_HOME at a toolkit without nvcc
        monkeypatch.setenv("CUDA_HOME", str(tmp_path))
        match = "CUDA_HOME=.* has no bin/nvcc"
    else:
        monkeypatch.delenv("CUDA_HOME", raising=False)
        match = "nvcc was not found.*CUDA_HOME"
    with pytest.raises(RuntimeError, match=match):
        build_inline(
            "nocuda",
            cuda_sources="__global__ void k() {}",
            cpp_sources="void f() {}",
            functions="f",
        )
    # C++-only builds never look for CUDA
    monkeypatch.undo()
    monkeypatch.setenv("TVM_FFI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CUDA_HOME", str(tmp_path))
    assert os.path.isfile(build_inline("nocuda_cpp", cpp_sources="void f() {}", functions="f"))


def test_bad_cuda_arch_list(monkeypatch):
    import shutil

    if shutil.which("nvcc") is None and not os.environ.get("CUDA_HOME"):
        pytest.skip("no nvcc")
    monkeypatch.setenv("TVM_FFI_CUDA_ARCH_LIST", "sm90")
    with pytest.raises(ValueError, match="major.minor"):
        build_inline(
            "arch", cuda_sources="__global__ void k() {}", cpp_sources="void f() {}", functions="f"
        )


def test_verbose_and_max_jobs(monkeypatch, capfd):
    monkeypatch.setenv("TVM_FFI_JIT_VERBOSE", "1")
    monkeypatch.setenv("MAX_JOBS", "1")
    build_inline("verbose", cpp_sources=SRC, functions="add")
    err = capfd.readouterr().err
    assert "-j 1" in err and "-std=c++17" in err and "-fPIC" in err


def test_build_and_load_files(tmp_path):
    src = tmp_path / "lib_src.cc"
    src.write_text("int64_t triple(int64_t x) { return 3 * x; }\n")
    path = tvm_ffi.cpp.build("fromfile", [str(src)], functions="triple")
    assert tvm_ffi.load_module(path).triple(2) == 6
    mod = tvm_ffi.cpp.load("fromfile", str(src), functions={"triple": "Times three."})
    assert mod.triple(5) == 15 and mod.triple.__doc__ == "Times three."
    with pytest.raises(FileNotFoundError):
        tvm_ffi.cpp.build("missing", [str(tmp_path / "nope.cc")])
    with pytest.raises(ValueError, match="'quadruple'"):
        tvm_ffi.cpp.build("fromfile", [str(src)], functions="quadruple")


def test_cxx_is_honoured_and_part_of_the_key(monkeypatch, tmp_path):
    import shutil

    real = shutil.which("c++")
    log = tmp_path / "cxx.log"
    wrapper = tmp_path / "my-cxx"
    wrapper.write_text('#!/bin/sh\necho "$@" >> %s\nexec %s "$@"\n' % (log, real))
    wrapper.chmod(0o755)
    p_default = build_inline("cxx", cpp_sources=SRC, functions="add")
    assert not log.exists()
    monkeypatch.setenv("CXX", str(wrapper))
    p_wrapped = build_inline("cxx", cpp_sources=SRC, functions="add")
    assert p_wrapped != p_default
    text = log.read_text()
    assert "-std=c++17" in text and "-O2" in text and "-fPIC" in text and "-shared" in text
    assert tvm_ffi.load_module(p_wrapped).add(1, 1) == 2
