"""Threads: many Python threads calling C++ functions, Python callbacks and the global registry.

The stress runs in a child interpreter (a crash or a deadlock fails this test instead of
killing pytest; faulthandler dumps every thread's stack if it hangs). Size: 8 threads x
``CALLS`` FFI calls each, ``CALLS = 10**5 * TVM_FFI_STRESS_SCALE`` (default scale 0.1: 8 x 10**4
in CI; ``TVM_FFI_STRESS_SCALE=1`` is the full 8 x 10**5 run reported in docs/reliability.md).

Free-threaded CPython (3.13t/3.14t) is not installable from PyPI with pip; the child reports
whether the GIL is enabled so that a run on such an interpreter shows up in the output.
"""

from __future__ import annotations

import threading
import time

import pytest

import tvm_ffi
import tvm_ffi.testing

from hardening_util import describe, run_child, stress_scale

N_THREADS = 8
FULL_CALLS_PER_THREAD = 10**5

STRESS = """
import sys, threading, time, faulthandler
import tvm_ffi, tvm_ffi.testing
from tvm_ffi import registry

n_threads, calls_per_thread, hang_timeout = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
faulthandler.dump_traceback_later(hang_timeout, exit=True)  # a deadlock dumps all stacks

fecho = tvm_ffi.get_global_func("testing.echo")
fadd_one = tvm_ffi.get_global_func("testing.add_one")
fapply = tvm_ffi.get_global_func("testing.apply")
fraise = tvm_ffi.get_global_func("testing.test_raise_error")
fsleep = tvm_ffi.get_global_func("testing.run_check_signal")  # sleeps 1 s per step, GIL released
use_count = tvm_ffi.get_global_func("testing.object_use_count")
Pair = tvm_ffi.testing.TestIntPair
shared = tvm_ffi.convert([1, 2, 3])
barrier = threading.Barrier(n_threads)
done = [0] * n_threads
callbacks = [0] * n_threads
errors = []


def worker(k):
    try:
        cb_hits = [0]

        def cb(x):
            cb_hits[0] += 1
            return x + k

        def nested(x):
            cb_hits[0] += 1
            return fecho(x) * 2  # C++ -> Python -> C++

        own = f"hardening.thread{k}"
        other = f"hardening.thread{(k + 1) % n_threads}"
        barrier.wait()
        if k == 0:
            fsleep(1)  # a long C++ call with the GIL released while the others hammer
        calls = 0
        i = 0
        while calls < calls_per_thread:
            i += 1
            assert fecho(i) == i
            assert fadd_one(i) == i + 1
            assert fapply(cb, i) == i + k
            assert fecho(shared).same_as(shared)
            s = f"str-{k}-{i}"
            assert fecho(s) == s
            calls += 5
            if i % 8 == 0:
                assert fapply(nested, i) == 2 * i
                calls += 2
            if i % 16 == 0:
                msg = f"thread {k} step {i}"
                try:
                    fraise("ValueError", msg)
                except ValueError as e:
                    assert str(e) == msg, (str(e), msg)  # per-thread last error
                else:
                    raise AssertionError("no error raised")
                calls += 1
            if i % 32 == 0:
                tvm_ffi.register_global_func(own, lambda a, k=k, i=i: (k, i, a), override=True)
                got = tvm_ffi.get_global_func(own)
                assert tuple(got(7)) == (k, i, 7)
                g = tvm_ffi.get_global_func(other, allow_missing=True)
                if g is not None:  # may be removed concurrently; the handle stays valid
                    assert g(1)[0] == (k + 1) % n_threads
                    calls += 1
                assert registry.remove_global_func(own) is True
                assert tvm_ffi.get_global_func(own, allow_missing=True) is None
                calls += 5
            if i % 64 == 0:
                p = Pair(i, k)
                assert p.sum() == i + k and p.a == i
                calls += 2
        done[k] = calls
        callbacks[k] = cb_hits[0]
    except BaseException as e:
        import traceback
        errors.append((k, repr(e), traceback.format_exc()))


start = time.perf_counter()
threads = [threading.Thread(target=worker, args=(k,)) for k in range(n_threads)]
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.perf_counter() - start
faulthandler.cancel_dump_traceback_later()
for err in errors:
    print("ERROR", err[0], err[1], err[2])
gil = getattr(sys, "_is_gil_enabled", lambda: True)()
print("RESULT threads=%d calls=%d callbacks=%d seconds=%.2f gil_enabled=%s shared_use_count=%d"
      % (n_threads, sum(done), sum(callbacks), elapsed, gil, use_count(shared)))
sys.exit(1 if errors else 0)
"""


def _calls_per_thread() -> int:
    return max(1000, int(FULL_CALLS_PER_THREAD * stress_scale()))


def test_threads_stress_mixed_calls():
    calls = _calls_per_thread()
    hang_timeout = 60 + calls * N_THREADS * 2e-4  # generous: 200 us per call on 2 busy cores
    proc = run_child(
        STRESS, args=(str(N_THREADS), str(calls), str(hang_timeout)), timeout=hang_timeout + 60
    )
    assert proc.returncode == 0, describe(proc)
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT")]
    assert line, describe(proc)
    fields = dict(kv.split("=") for kv in line[-1].split()[1:])
    assert int(fields["threads"]) == N_THREADS
    assert int(fields["calls"]) >= N_THREADS * calls
    assert int(fields["callbacks"]) >= N_THREADS * calls // 5
    assert int(fields["shared_use_count"]) == 1
    print(line[-1])  # shown with -s; the numbers go into docs/reliability.md


def _progress_during_long_call(release_gil: bool) -> int:
    """Python-level iterations the main thread makes while another thread sleeps in C++."""
    f = tvm_ffi.get_global_func("testing.run_check_signal")
    f.release_gil = release_gil
    started = threading.Event()

    def sleeper():
        started.set()
        f(1)  # one second inside C++

    t = threading.Thread(target=sleeper)
    t.start()
    started.wait()
    time.sleep(0.1)  # let the sleeper enter the C++ call
    count = 0
    while t.is_alive():
        count += 1
    t.join()
    return count


def test_gil_released_around_long_cxx_call():
    # the default: other Python threads keep running during the call
    released = _progress_during_long_call(True)
    assert released > 10_000, released


def test_gil_held_blocks_other_threads_control():
    # control for the test above: with the GIL held, this thread is starved during the call.
    # Python still takes the GIL away from the spinning thread every switch interval, so the
    # count is small but not zero; what matters is that it is far below the released case.
    held = _progress_during_long_call(False)
    released = _progress_during_long_call(True)
    assert held * 20 < released, (held, released)


def test_callbacks_from_gil_released_calls_in_threads():
    # C++ called with the GIL released calls back into Python from several threads at once
    fapply = tvm_ffi.get_global_func("testing.apply")
    assert fapply.release_gil  # the default
    results = []

    def worker(k):
        total = 0
        for i in range(500):
            total += fapply(lambda x: x + k, i)
        results.append((k, total))

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(N_THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "deadlock"
    assert sorted(results) == [(k, sum(range(500)) + 500 * k) for k in range(N_THREADS)]


@pytest.mark.skipif(
    getattr(__import__("sys"), "_is_gil_enabled", lambda: True)(),
    reason="free-threaded CPython not available (not installable with pip)",
)
def test_free_threaded_interpreter_runs_without_gil():  # pragma: no cover - needs 3.13t
    import sys

    assert not sys._is_gil_enabled()


NESTING_STRESS = """
import sys, threading, faulthandler
import tvm_ffi, tvm_ffi.testing

n_threads, calls_per_thread = int(sys.argv[1]), int(sys.argv[2])
faulthandler.dump_traceback_later(300, exit=True)
fecho = tvm_ffi.get_global_func("testing.echo")
sys.setswitchinterval(1e-6)  # switch threads as often as possible, also inside conversions


class Seq(list):
    def __iter__(self):  # Python code in the middle of each nested conversion
        yield from list.__iter__(self)


x = Seq([1])
for _ in range(300):
    x = Seq([x])
false_errors = []
other_errors = []


def run():
    for _ in range(calls_per_thread):
        try:
            r = fecho(x)
            assert len(r) == 1
        except RecursionError as e:
            false_errors.append(repr(e))
        except BaseException as e:
            other_errors.append(repr(e))


threads = [threading.Thread(target=run) for _ in range(n_threads)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("RESULT calls=%d false_recursion_errors=%d other_errors=%d"
      % (n_threads * calls_per_thread, len(false_errors), len(other_errors)))
print("\\n".join(other_errors[:3]))
sys.exit(1 if false_errors or other_errors else 0)
"""


def test_threads_list_subclass_nesting_no_false_recursion_error():
    # 8 threads convert a 300-deep list-subclass nest while switching threads every microsecond:
    # the nesting depth belongs to one conversion, so no thread sees another's depth
    calls = max(50, int(300 * stress_scale()))
    proc = run_child(NESTING_STRESS, args=(str(N_THREADS), str(calls)), timeout=600)
    assert proc.returncode == 0, describe(proc)
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT")]
    assert line and "false_recursion_errors=0" in line[-1], describe(proc)
    print(line[-1])
