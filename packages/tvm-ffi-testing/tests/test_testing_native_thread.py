"""testing.call_from_native_thread / testing.start_native_thread: Python callables called from
a thread that C++ creates (not a Python thread)."""

import threading
import time

import pytest

import tvm_ffi
import tvm_ffi.testing

call_from_native_thread = tvm_ffi.get_global_func("testing.call_from_native_thread")
start_native_thread = tvm_ffi.get_global_func("testing.start_native_thread")


def test_results_come_back_in_order():
    idents = set()

    def cb(i):
        idents.add(threading.get_ident())
        return i * i

    assert list(call_from_native_thread(cb, 5)) == [0, 1, 4, 9, 16]
    # the callback ran on another (native) thread, always the same one
    assert len(idents) == 1 and threading.get_ident() not in idents


def test_zero_calls_and_bad_arguments():
    assert list(call_from_native_thread(lambda i: i, 0)) == []
    with pytest.raises(ValueError, match="non-negative"):
        call_from_native_thread(lambda i: i, -1)
    with pytest.raises(TypeError):
        call_from_native_thread(None, 1)


class NativeThreadError(Exception):
    pass


def test_exception_is_reported_to_the_waiting_caller():
    seen = []
    err = NativeThreadError("from the native thread")

    def cb(i):
        seen.append(i)
        if i == 2:
            raise err
        return i

    with pytest.raises(NativeThreadError) as info:
        call_from_native_thread(cb, 10)
    assert info.value is err
    assert seen == [0, 1, 2]  # the thread stops at the first failure


def test_start_then_join_while_the_main_thread_holds_the_gil():
    calls = []
    join = start_native_thread(lambda i: calls.append(i) or i + 1, 50)
    # the main thread keeps running Python code (holding the GIL between switch intervals); the
    # bound only keeps a broken build from spinning forever, it is not a timing assertion
    give_up = time.monotonic() + 300
    while len(calls) < 50 and time.monotonic() < give_up:
        pass
    assert list(join()) == list(range(1, 51))
    assert calls == list(range(50))
    assert list(join()) == list(range(1, 51))  # joining again returns the same results


def test_keyboard_interrupt_in_native_thread_reaches_the_joiner():
    def cb(i):
        raise KeyboardInterrupt

    join = start_native_thread(cb, 3)
    with pytest.raises(KeyboardInterrupt):
        join()


def test_dropping_the_join_function_does_not_block():
    event = threading.Event()

    def cb(i):
        event.wait(5)
        return i

    join = start_native_thread(cb, 1000)
    del join  # the thread is abandoned: it finishes the call in flight and stops
    event.set()
