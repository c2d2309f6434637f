"""Thread stress: Python callbacks called from C++-created (native) threads.

Python threads each start native threads (``testing.start_native_thread``) whose callbacks call
back into C++ and raise now and then, while the Python threads keep running Python code and
calling C++ themselves, and others wait inside ``testing.call_from_native_thread`` with the GIL
released. Runs in a child interpreter: a deadlock dumps every stack (faulthandler) and fails the
test, a crash fails it too. Size: 8 Python threads x ``ROUNDS`` native threads of ``CALLS``
calls; ``TVM_FFI_STRESS_SCALE`` scales the rounds.
"""

from __future__ import annotations

from hardening_util import describe, run_child, stress_scale

N_THREADS = 8

NATIVE_STRESS = """
import sys, threading, faulthandler
import tvm_ffi, tvm_ffi.testing

n_threads, rounds, calls, hang_timeout = (int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]),
                                          float(sys.argv[4]))
faulthandler.dump_traceback_later(hang_timeout, exit=True)
start_native = tvm_ffi.get_global_func("testing.start_native_thread")
call_native = tvm_ffi.get_global_func("testing.call_from_native_thread")
fecho = tvm_ffi.get_global_func("testing.echo")
fapply = tvm_ffi.get_global_func("testing.apply")


class Planned(Exception):
    pass


barrier = threading.Barrier(n_threads)
errors = []
totals = [0] * n_threads


def worker(k):
    try:
        barrier.wait()
        for r in range(rounds):
            fail_at = calls // 2 if r % 5 == 4 else -1

            def cb(i):
                if i == fail_at:
                    raise Planned((k, r))
                # C++ -> Python (native thread) -> C++ -> Python
                return fecho(i) + fapply(lambda x: x, k)

            if r % 2 == 0:
                join = start_native(cb, calls)
                local = 0
                for j in range(200):  # Python work while the native thread runs
                    local += fecho(j)
                try:
                    out = list(join())
                except Planned as e:
                    assert fail_at >= 0 and e.args == ((k, r),), e.args
                    continue
            else:
                try:
                    out = list(call_native(cb, calls))
                except Planned as e:
                    assert fail_at >= 0 and e.args == ((k, r),), e.args
                    continue
            assert fail_at < 0
            assert out == [i + k for i in range(calls)], out[:5]
            totals[k] += len(out)
    except BaseException as e:  # noqa: BLE001
        import traceback
        errors.append("".join(traceback.format_exception(e)))


threads = [threading.Thread(target=worker, args=(k,)) for k in range(n_threads)]
for t in threads:
    t.start()
for t in threads:
    t.join()
faulthandler.cancel_dump_traceback_later()
print("ERRORS", len(errors))
for e in errors[:3]:
    print(e)
print("CALLS", sum(totals))
"""


def test_callbacks_from_native_threads_stress():
    rounds = max(10, int(50 * stress_scale()))
    calls = 20
    proc = run_child(
        NATIVE_STRESS, args=(str(N_THREADS), str(rounds), str(calls), "240"), timeout=300
    )
    assert proc.returncode == 0, describe(proc)
    assert "ERRORS 0" in proc.stdout, describe(proc)
    ok_rounds = rounds - rounds // 5
    assert f"CALLS {N_THREADS * ok_rounds * calls}" in proc.stdout, describe(proc)
