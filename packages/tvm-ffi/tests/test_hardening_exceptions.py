"""Exceptions crossing C++ <-> Python any number of times, and deep C++ <-> Python recursion.

A Python exception raised in a callback travels through C++ as an FFI error and must come back
to the Python caller as the SAME object (class, identity, ``__cause__``, ``__context__``,
traceback), however many C++ -> Python -> C++ hops lie between the raise and the caller, so
that ``except Exception`` never swallows a Ctrl-C. Recursion through the boundary must end in
``RecursionError``, also when ``sys.setrecursionlimit`` is raised far beyond what the native
stack can hold (checked in a child interpreter: a failure there is a crash, not a test error).
"""

from __future__ import annotations

import traceback

import pytest

import tvm_ffi
import tvm_ffi.testing
from tvm_ffi import core

from hardening_util import describe, run_child

fapply = tvm_ffi.get_global_func("testing.apply")


class CustomError(Exception):
    pass


class CustomBaseError(BaseException):
    pass


class CustomOSError(OSError):
    pass


class CustomValueError(ValueError):
    pass


def _exceptions():
    return [
        KeyboardInterrupt(),
        KeyboardInterrupt("with a message"),
        SystemExit(3),
        CustomError("custom"),
        CustomBaseError("custom base"),
        CustomOSError(2, "no such thing"),
        FileNotFoundError(2, "missing", "/nowhere"),
        CustomValueError("subclass of a registered kind"),
        ValueError("registered kind"),
        KeyError("key"),
    ]


def _nested(fn, hops):
    """``fn`` called through ``hops`` levels of testing.apply (C++ -> Python each time)."""
    for _ in range(hops - 1):
        fn = (lambda inner: lambda: fapply(inner))(fn)
    return lambda: fapply(fn)


@pytest.mark.parametrize("hops", [1, 2, 3, 5])
@pytest.mark.parametrize("exc", _exceptions(), ids=lambda e: type(e).__name__ + repr(e.args))
def test_original_exception_object_survives_hops(exc, hops):
    def boom():
        raise exc

    with pytest.raises(BaseException) as info:
        _nested(boom, hops)()
    assert type(info.value) is type(exc)
    assert info.value is exc
    assert info.value.args == exc.args


@pytest.mark.parametrize("hops", [1, 2, 4])
def test_except_exception_does_not_swallow_keyboard_interrupt(hops):
    def interrupted():
        raise KeyboardInterrupt

    caught = None
    try:
        try:
            _nested(interrupted, hops)()
        except Exception as e:  # noqa: BLE001 - the point: this must not catch it
            caught = e
    except KeyboardInterrupt:
        caught = "KeyboardInterrupt"
    assert caught == "KeyboardInterrupt"


@pytest.mark.parametrize("hops", [1, 2, 3])
def test_raise_from_keeps_cause_context_and_traceback(hops):
    def inner_failure():
        raise KeyError("the root cause")

    def translating():
        try:
            inner_failure()
        except KeyError as e:
            raise ValueError("translated") from e

    with pytest.raises(ValueError, match="translated") as info:
        _nested(translating, hops)()
    exc = info.value
    assert isinstance(exc.__cause__, KeyError)
    assert exc.__cause__.args == ("the root cause",)
    assert exc.__context__ is exc.__cause__
    assert exc.__suppress_context__
    # the chained exception keeps its own traceback (down to the raising frame)
    cause_frames = [f.name for f in traceback.extract_tb(exc.__cause__.__traceback__)]
    assert "inner_failure" in cause_frames
    frames = [f.name for f in traceback.extract_tb(exc.__traceback__)]
    assert "translating" in frames
    text = "".join(traceback.format_exception(exc))
    assert "The above exception was the direct cause" in text
    # C++ still sees the registered kind
    assert exc.__tvm_ffi_error__.kind == "ValueError"


def test_implicit_context_survives_hops():
    def handler():
        try:
            raise IndexError("first")
        except IndexError:
            raise RuntimeError("while handling")  # noqa: B904 - implicit __context__ on purpose

    with pytest.raises(RuntimeError, match="while handling") as info:
        _nested(handler, 2)()
    assert isinstance(info.value.__context__, IndexError)
    assert info.value.__cause__ is None


def test_cxx_sees_the_kind_of_the_in_flight_exception():
    # C++ code catching the error in the middle sees a kind; the caller gets the object back
    fraise_through = tvm_ffi.get_global_func("testing.apply")
    seen = []

    def middle():
        try:
            fraise_through(lambda: (_ for _ in ()).throw(CustomError("deep")))
        except CustomError as e:
            seen.append(e.__tvm_ffi_error__.kind)
            raise

    with pytest.raises(CustomError, match="deep"):
        fapply(middle)
    assert seen == ["CustomError"]


def test_errors_dropped_by_cxx_release_their_exceptions():
    # errors that carry Python exceptions and are then dropped (here: 100 held at once, like a
    # C++ queue of failed tasks) must not keep the exceptions (and their frames) alive for long
    import gc
    import weakref

    class Dropped(Exception):
        pass

    refs = []
    errors = []
    for i in range(100):
        e = Dropped("dropped %d" % i)
        refs.append(weakref.ref(e))
        errors.append(tvm_ffi.convert(e))  # an ffi.Error that remembers e
        del e
    assert all(isinstance(err, core.Error) for err in errors)
    del errors

    def later():
        raise KeyError("later")

    for _ in range(40):  # later traffic lets the table notice the dropped errors
        with pytest.raises(KeyError):
            fapply(later)
    gc.collect()
    assert sum(r() is not None for r in refs) == 0


# ------------------------------------------------------------------------------------------
# register_error argument checks
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", [3, "NotAClass", None, ValueError("instance")])
def test_register_error_rejects_non_exception_classes(bad):
    # before: accepted, and the kind then silently came back as RuntimeError
    with pytest.raises(TypeError, match="exception class"):
        tvm_ffi.register_error("HardeningBadKind", bad if bad is not None else 0)
    with pytest.raises(TypeError, match="exception class"):
        tvm_ffi.register_error("HardeningBadKind")(bad)
    if not isinstance(bad, str) and bad is not None:
        with pytest.raises(TypeError, match="exception class"):
            tvm_ffi.register_error(bad)
    assert "HardeningBadKind" not in core.ERROR_NAME_TO_TYPE


def test_register_error_rejects_classes_that_are_not_exceptions():
    with pytest.raises(TypeError, match="exception class"):
        tvm_ffi.register_error("HardeningNotExc", int)
    with pytest.raises(TypeError, match="exception class"):
        tvm_ffi.register_error(dict)


# ------------------------------------------------------------------------------------------
# C++ -> Python -> C++ recursion
# ------------------------------------------------------------------------------------------
RECURSION_CHILD = """
import sys
import tvm_ffi, tvm_ffi.testing
A = tvm_ffi.get_global_func("testing.apply")
limit = int(sys.argv[1])
if limit:
    sys.setrecursionlimit(limit)

def rec(n):
    return 0 if n == 0 else A(rec, n - 1) + 1

try:
    rec(10**6)
    print("RETURNED")
except RecursionError as e:
    print("RECURSION_ERROR", type(e).__name__, str(e)[:200])
except BaseException as e:
    print("OTHER", type(e).__name__, str(e)[:200])
# the interpreter is still usable afterwards
print("AFTER", rec(50))
"""


@pytest.mark.parametrize("limit", [0, 100000, 10**6])
def test_recursion_through_the_boundary_raises_recursion_error(limit):
    proc = run_child(RECURSION_CHILD, args=(str(limit),), timeout=600)
    assert proc.returncode == 0, describe(proc)
    assert "RECURSION_ERROR RecursionError" in proc.stdout, describe(proc)
    assert "AFTER 50" in proc.stdout, describe(proc)


def test_recursion_in_a_thread_with_a_small_stack():
    # threads have smaller native stacks than the main thread: the guard must see that
    proc = run_child(
        """
        import sys, threading
        import tvm_ffi, tvm_ffi.testing
        A = tvm_ffi.get_global_func("testing.apply")
        sys.setrecursionlimit(10**6)
        threading.stack_size(1 << 20)
        out = []

        def rec(n):
            return 0 if n == 0 else A(rec, n - 1) + 1

        def run():
            try:
                rec(10**6)
                out.append("RETURNED")
            except RecursionError:
                out.append("RECURSION_ERROR")
            out.append(rec(20))

        t = threading.Thread(target=run)
        t.start()
        t.join()
        print(out)
        """,
        timeout=600,
    )
    assert proc.returncode == 0, describe(proc)
    assert "['RECURSION_ERROR', 20]" in proc.stdout, describe(proc)
