import os
import signal
import subprocess
import sys
import time

import pytest

from tvm_ffi.cpp import build_inline

from jit_fixtures import jit_cache  # noqa: F401  (autouse: a fresh TVM_FFI_CACHE_DIR per test)

SRC = "int64_t inc(int64_t x) { return x + 1; }\n"

WORKER = r"""
import sys, time
from tvm_ffi.cpp import load_inline
while time.time() < float(sys.argv[1]):
    time.sleep(0.005)
m = load_inline("race", cpp_sources=sys.argv[2], functions="inc")
assert m.inc(41) == 42
print("OK")
"""


def test_four_processes_one_compile():
    start = time.time() + 1.5
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(start), SRC],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
        assert out.strip() == "OK"
    builders = [err for _, err in outs if "building race" in err]
    assert len(builders) == 1, [e for _, e in outs]
    path = build_inline("race", cpp_sources=SRC, functions="inc")
    with open(os.path.join(os.path.dirname(path), "build.log")) as f:
        assert len(f.read().splitlines()) == 1


HOLDER = r"""
import sys, time
from tvm_ffi_cpp_jit._build import _BuildLock
lock = _BuildLock(sys.argv[1]).acquire()
with open(sys.argv[1] + ".partial.tmp", "w") as f:
    f.write("half-written")
print("LOCKED", flush=True)
time.sleep(600)
"""


def _start_holder(lock_path, **kw):
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, lock_path],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
        **kw,
    )
    assert proc.stdout.readline().strip() == "LOCKED"
    return proc


def test_stale_lock_of_killed_build_is_taken_over(tmp_path):
    bdir = tmp_path / "stale"
    bdir.mkdir()
    lock_path = str(bdir / "lock")
    proc = _start_holder(lock_path)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    with open(lock_path) as f:
        assert f.read().split()[0] == str(proc.pid)  # the dead builder's pid is still recorded
    with pytest.warns(RuntimeWarning, match="stale build lock.*dead process %d" % proc.pid):
        path = build_inline("stale", cpp_sources=SRC, functions="inc", build_directory=str(bdir))
    assert os.path.isfile(path)
    assert not os.path.exists(lock_path + ".partial.tmp")  # leftovers cleaned


def test_hung_lock_times_out(tmp_path, monkeypatch):
    bdir = tmp_path / "hung"
    bdir.mkdir()
    lock_path = str(bdir / "lock")
    proc = _start_holder(lock_path)
    try:
        monkeypatch.setenv("TVM_FFI_JIT_LOCK_TIMEOUT", "1")
        t0 = time.monotonic()
        with pytest.warns(RuntimeWarning, match="held for more than"):
            path = build_inline("hung", cpp_sources=SRC, functions="inc", build_directory=str(bdir))
        assert os.path.isfile(path) and time.monotonic() - t0 >= 0.5
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()


def test_cache_hit_takes_no_lock(tmp_path, monkeypatch):
    import warnings

    bdir = tmp_path / "hit"
    path = build_inline("hit", cpp_sources=SRC, functions="inc", build_directory=str(bdir))
    proc = _start_holder(str(bdir / "lock"))  # a live process holds the build lock
    try:
        monkeypatch.setenv("TVM_FFI_JIT_LOCK_TIMEOUT", "2")
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # waiting for the lock would end in a RuntimeWarning
            assert (
                build_inline("hit", cpp_sources=SRC, functions="inc", build_directory=str(bdir))
                == path
            )
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
