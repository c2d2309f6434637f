"""Ctrl-C during long C++ calls: a real SIGINT from another process.

The child starts a long call and prints READY; the parent sends SIGINT and the child reports
what it caught and how long after the signal. ``testing.run_check_signal(n)`` polls
``TVMFFIEnvCheckSignals`` once per second, so KeyboardInterrupt must arrive within about one
second (the bound below leaves room for a loaded machine), and the call must not complete.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from hardening_util import CHILD_PRELUDE, TESTS_DIR

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

CHILD = (
    CHILD_PRELUDE.format(tests_dir=str(TESTS_DIR))
    + """
import threading, time
import tvm_ffi
import tvm_ffi.testing
mode = sys.argv[1]
f = tvm_ffi.get_global_func("testing.run_check_signal")
fapply = tvm_ffi.get_global_func("testing.apply")
if mode == "gil_held":
    f.release_gil = False

def long_call():
    if mode in ("gil_released", "gil_held"):
        f(60)
    elif mode == "python_callback":
        # the signal lands while C++ runs a Python callback that sleeps
        fapply(lambda: time.sleep(60))
    elif mode == "nested":
        # C++ -> Python callback -> C++ polling call
        fapply(lambda: f(60))
    elif mode == "nested_twice":
        # two C++ -> Python hops: the KeyboardInterrupt must still come out as itself, so that
        # `except Exception` around the call does not swallow Ctrl-C
        def swallow(fn):
            try:
                return fn()
            except Exception as e:  # noqa: BLE001
                print("SWALLOWED", type(e).__name__, flush=True)

        swallow(lambda: fapply(lambda: fapply(lambda: f(60))))
    elif mode == "worker_thread_busy":
        # another thread is inside a long C++ call; the main thread's own poll must still fire
        t = threading.Thread(target=lambda: f(3), daemon=True)
        t.start()
        time.sleep(0.2)
        f(60)

print("READY", flush=True)
start = time.monotonic()
try:
    long_call()
    print("RETURNED", flush=True)
except KeyboardInterrupt:
    print("KEYBOARD_INTERRUPT", time.monotonic() - start, flush=True)
except BaseException as e:
    print("OTHER", type(e).__name__, e, flush=True)
"""
)


def _interrupt(mode: str, delay: float = 0.5):
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        assert line.strip() == "READY", line + proc.stderr.read()
        time.sleep(delay)
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        latency = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, out, err, latency


@pytest.mark.parametrize(
    "mode",
    ["gil_released", "gil_held", "python_callback", "nested", "nested_twice", "worker_thread_busy"],
)
def test_sigint_interrupts_long_cxx_call(mode):
    rc, out, err, latency = _interrupt(mode)
    assert rc == 0, f"child died rc={rc}\n{out}\n{err[-3000:]}"
    assert "KEYBOARD_INTERRUPT" in out, out + err[-3000:]
    assert "Function finished without catching signal" not in out
    # one poll per second: the interrupt arrives about a second after the signal at worst
    assert latency < 10, f"KeyboardInterrupt took {latency:.2f}s"


def test_sigint_latency_is_one_poll_interval():
    """Measured: the time from SIGINT to the child's exit is bounded by the 1 s poll period."""
    latencies = []
    for _ in range(3):
        rc, out, err, latency = _interrupt("gil_released", delay=0.3)
        assert rc == 0 and "KEYBOARD_INTERRUPT" in out, out + err[-2000:]
        latencies.append(latency)
    # process exit included; on an idle machine this is ~0.1-1.1 s (see docs/reliability.md)
    assert min(latencies) < 3.0, latencies


def test_no_signal_means_call_completes():
    # control: without a signal the polling call runs to completion and returns None
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import tvm_ffi, tvm_ffi.testing\n"
            "print('RESULT', tvm_ffi.get_global_func('testing.run_check_signal')(1))",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Function finished without catching signal" in proc.stdout
    assert "RESULT None" in proc.stdout


def test_custom_sigint_handler_exception_propagates():
    # a Python-level SIGINT handler that raises something else: that exception comes out
    code = (
        "import signal, sys, os, threading, tvm_ffi, tvm_ffi.testing\n"
        "class Stop(Exception): pass\n"
        "def handler(signum, frame): raise Stop('stopped by handler')\n"
        "signal.signal(signal.SIGINT, handler)\n"
        "threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT)).start()\n"
        "try:\n"
        "    tvm_ffi.get_global_func('testing.run_check_signal')(60)\n"
        "except Stop as e:\n"
        "    print('CAUGHT', e)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ),
    )
    assert proc.returncode == 0, proc.stderr
    assert "CAUGHT stopped by handler" in proc.stdout, proc.stdout + proc.stderr
