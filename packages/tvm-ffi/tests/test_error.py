"""Errors crossing the FFI boundary in both directions."""

import builtins
import re
import traceback

import pytest

import tvm_ffi
import tvm_ffi.testing  # noqa: F401
from tvm_ffi import core, error

raise_error = tvm_ffi.get_global_func("testing.test_raise_error")
fapply = tvm_ffi.get_global_func("testing.apply")
fecho = tvm_ffi.get_global_func("testing.echo")

FRAME_RE = re.compile(r'File "([^"]+)", line (\d+), in (.+)')


@pytest.mark.parametrize(
    "kind, cls",
    [
        ("RuntimeError", RuntimeError),
        ("ValueError", ValueError),
        ("TypeError", TypeError),
        ("AttributeError", AttributeError),
        ("KeyError", KeyError),
        ("IndexError", IndexError),
        ("AssertionError", AssertionError),
    ],
)
def test_builtin_kinds(kind, cls):
    with pytest.raises(cls) as e:
        raise_error(kind, "msg of " + kind)
    assert type(e.value) is cls
    assert e.value.args == ("msg of " + kind,)
    err = e.value.__tvm_ffi_error__
    assert isinstance(err, core.Error)
    assert isinstance(err, tvm_ffi.Object)
    assert err.kind == kind
    assert err.message == "msg of " + kind
    assert err.backtrace.count("TestRaiseError") == 1


def test_unknown_kind_is_runtime_error():
    with pytest.raises(RuntimeError) as e:
        raise_error("SomeKindNobodyRegistered", "boom")
    assert type(e.value) is RuntimeError
    assert str(e.value) == "boom"
    assert e.value.__tvm_ffi_error__.kind == "SomeKindNobodyRegistered"


def test_default_error_maps():
    for name in (
        "RuntimeError",
        "ValueError",
        "TypeError",
        "AttributeError",
        "KeyError",
        "IndexError",
        "AssertionError",
    ):
        cls = getattr(builtins, name)
        assert core.ERROR_NAME_TO_TYPE[name] is cls
        assert core.ERROR_TYPE_TO_NAME[cls] == name


@pytest.fixture
def unregister_errors():
    names = []
    yield names
    for name in names:
        cls = core.ERROR_NAME_TO_TYPE.pop(name, None)
        if cls is not None:
            core.ERROR_TYPE_TO_NAME.pop(cls, None)


def test_register_error_forms(unregister_errors):
    unregister_errors.extend(["MyTestErrorA", "CustomNameB", "MyTestErrorC"])

    @tvm_ffi.register_error
    class MyTestErrorA(Exception):
        pass

    @tvm_ffi.register_error("CustomNameB")
    class MyTestErrorB(Exception):
        pass

    class MyTestErrorC(ValueError):
        pass

    assert tvm_ffi.register_error("MyTestErrorC", MyTestErrorC) is MyTestErrorC
    assert isinstance(MyTestErrorA, type) and isinstance(MyTestErrorB, type)

    assert core.ERROR_NAME_TO_TYPE["MyTestErrorA"] is MyTestErrorA
    assert core.ERROR_TYPE_TO_NAME[MyTestErrorB] == "CustomNameB"

    with pytest.raises(MyTestErrorA, match="a!"):
        raise_error("MyTestErrorA", "a!")
    with pytest.raises(MyTestErrorB, match="b!"):
        raise_error("CustomNameB", "b!")
    with pytest.raises(MyTestErrorC, match="c!"):
        raise_error("MyTestErrorC", "c!")


def test_registered_error_round_trips_through_callback(unregister_errors):
    unregister_errors.append("MyRoundTripError")

    @tvm_ffi.register_error("MyRoundTripError")
    class MyRoundTripError(Exception):
        pass

    def raising_registered():
        raise MyRoundTripError("through C++")

    with pytest.raises(MyRoundTripError) as e:
        fapply(raising_registered)
    assert type(e.value) is MyRoundTripError
    assert str(e.value) == "through C++"
    assert e.value.__tvm_ffi_error__.kind == "MyRoundTripError"


def test_cxx_frames_in_traceback():
    with pytest.raises(ValueError) as e:
        raise_error("ValueError", "trace me")
    exc = e.value
    frames = traceback.extract_tb(exc.__traceback__)
    idx = [i for i, f in enumerate(frames) if "TestRaiseError" in f.name]
    assert len(idx) == 1, [f.name for f in frames]
    cxx_frame = frames[idx[0]]
    assert not cxx_frame.filename.endswith(".py")
    own = [
        i
        for i, f in enumerate(frames)
        if f.filename == __file__ and f.name == "test_cxx_frames_in_traceback"
    ]
    assert own and own[0] < idx[0]
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    assert any("TestRaiseError" in m.group(3) for m in FRAME_RE.finditer(text)), text
    assert "ValueError: trace me" in text


def test_cxx_frames_from_module_function(add_one_mod):
    with pytest.raises(ValueError, match="module says no") as e:
        add_one_mod.raise_value_error("module says no")
    frames = traceback.extract_tb(e.value.__traceback__)
    # at least one frame below ours comes from C++ (not a .py file)
    own = max(i for i, f in enumerate(frames) if f.filename == __file__)
    assert any(not f.filename.endswith(".py") for f in frames[own + 1 :]), frames
    assert "RaiseValueError" in e.value.__tvm_ffi_error__.backtrace


def test_error_backtrace_updated_when_converted():
    def raise_cxx_error_here():
        raise_error("ValueError", "x")

    try:
        raise_cxx_error_here()
    except ValueError as exc:
        err = exc.__tvm_ffi_error__
        assert "raise_cxx_error_here" not in err.backtrace
        converted = tvm_ffi.convert(exc)
        assert isinstance(converted, core.Error)
        assert "raise_cxx_error_here" in converted.backtrace
        assert converted.backtrace.count("TestRaiseError") == 1
        echoed = fecho(exc)
        assert isinstance(echoed, core.Error)
        assert "raise_cxx_error_here" in echoed.backtrace
    else:
        pytest.fail("no error")


def test_python_exception_converted_to_error():
    def raise_py_error_here():
        raise TypeError("py side")

    try:
        raise_py_error_here()
    except TypeError as exc:
        err = tvm_ffi.convert(exc)
        assert isinstance(err, core.Error)
        assert err.kind == "TypeError"
        assert err.message == "py side"
        assert "raise_py_error_here" in err.backtrace
        again = err.py_error()
        assert type(again) is TypeError
        assert str(again) == "py side"
        back = fecho(exc)
        assert isinstance(back, core.Error)
        assert back.kind == "TypeError"
        assert "raise_py_error_here" in back.backtrace
    else:
        pytest.fail("no error")


def test_python_exception_in_callback_reaches_cxx_with_kind():
    def raising_cb_kind_check():
        raise KeyError("missing-thing")

    with pytest.raises(KeyError) as e:
        fapply(raising_cb_kind_check)
    err = e.value.__tvm_ffi_error__
    assert err.kind == "KeyError"
    assert "raising_cb_kind_check" in err.backtrace


def test_nested_error_keeps_single_error_object():
    recorded = []

    def inner_cb():
        try:
            raise_error("ValueError", "deep")
        except ValueError as err:
            recorded.append(err.__tvm_ffi_error__)
            raise

    def outer_cb():
        fapply(inner_cb)

    with pytest.raises(ValueError) as e:
        fapply(outer_cb)
    err = e.value.__tvm_ffi_error__
    assert err.same_as(recorded[0])
    assert err.backtrace.count("TestRaiseError") == 1
    assert "inner_cb" in err.backtrace and "outer_cb" in err.backtrace
    # innermost-first storage: the throw site comes before the outer Python frames
    assert err.backtrace.index("TestRaiseError") < err.backtrace.index("inner_cb")
    assert err.backtrace.index("inner_cb") < err.backtrace.index("outer_cb")


def test_error_object_api():
    err = core.Error("ValueError", "the message", '  File "a.cc", line 3, in f\n')
    assert err.kind == "ValueError"
    assert err.message == "the message"
    assert err.backtrace == '  File "a.cc", line 3, in f\n'
    err.update_backtrace('  File "b.cc", line 4, in g\n')
    assert err.backtrace == '  File "b.cc", line 4, in g\n'
    exc = err.py_error()
    assert type(exc) is ValueError
    assert str(exc) == "the message"
    assert exc.__tvm_ffi_error__.same_as(err)
    # passing the Error object through C++ keeps it
    back = fecho(err)
    assert isinstance(back, core.Error)
    assert back.same_as(err)


def test_error_without_cause_or_context_reports_none():
    err = core.Error("ValueError", "no cause")
    assert err.cause_chain is None
    assert err.extra_context is None
    with pytest.raises(ValueError) as e:
        raise_error("ValueError", "thrown in C++")
    thrown = e.value.__tvm_ffi_error__
    assert thrown.cause_chain is None
    assert thrown.extra_context is None


def test_parse_backtrace():
    text = '  File "test.py", line 1, in <module>\n  File "test.py", line 3, in run_test\n'
    assert error._parse_backtrace(text) == [("test.py", 1, "<module>"), ("test.py", 3, "run_test")]
    assert error._parse_backtrace("") == []
    assert error._parse_backtrace("garbage without frames\n") == []


def test_error_in_typed_call_is_recoverable():
    add_one = tvm_ffi.get_global_func("testing.add_one")
    for _ in range(50):
        with pytest.raises(TypeError):
            add_one("x")
    assert add_one(1) == 2
