"""The general-purpose testing.* globals, called through the public Python API."""

import ctypes
import gc
import shutil
import subprocess
import sys
import textwrap

import pytest

import tvm_ffi
import tvm_ffi.testing


def _f(name):
    return tvm_ffi.get_global_func(name)


# ---------------------------------------------------------------------------------------------
# testing.test_raise_error
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, exc_type",
    [
        ("ValueError", ValueError),
        ("TypeError", TypeError),
        ("IndexError", IndexError),
        ("KeyError", KeyError),
        ("AttributeError", AttributeError),
        ("RuntimeError", RuntimeError),
    ],
)
def test_raise_error_kind_and_message(kind, exc_type):
    with pytest.raises(exc_type) as info:
        _f("testing.test_raise_error")(kind, "the message")
    err = info.value.__tvm_ffi_error__
    assert err.kind == kind
    assert err.message == "the message"


def test_raise_error_message_is_exact():
    msg = "multi\nline: message with `quotes` and unicode \u00e9"
    with pytest.raises(ValueError) as info:
        _f("testing.test_raise_error")("ValueError", msg)
    assert info.value.__tvm_ffi_error__.message == msg


def test_raise_error_backtrace_names_function_once():
    with pytest.raises(ValueError) as info:
        _f("testing.test_raise_error")("ValueError", "message")
    backtrace = info.value.__tvm_ffi_error__.backtrace
    assert backtrace.count("TestRaiseError") == 1
    assert "testing_functions.cc" in backtrace


def test_raise_error_nested_through_python_callback():
    raise_error = _f("testing.test_raise_error")
    recorded = []

    def callback(x):
        try:
            raise_error("ValueError", "inner")
        except ValueError as e:
            recorded.append(e.__tvm_ffi_error__)
            raise

    with pytest.raises(ValueError) as info:
        _f("testing.apply")(callback, 1)
    err = info.value.__tvm_ffi_error__
    assert err.same_as(recorded[0])
    assert err.backtrace.count("TestRaiseError") == 1


def test_raise_error_wrong_argument_types():
    with pytest.raises(TypeError):
        _f("testing.test_raise_error")(1, "message")
    with pytest.raises(TypeError):
        _f("testing.test_raise_error")("ValueError")


# ---------------------------------------------------------------------------------------------
# testing.add_one and the helper tvm_ffi.testing.add_one
# ---------------------------------------------------------------------------------------------


def test_add_one():
    assert _f("testing.add_one")(1) == 2
    assert _f("testing.add_one")(-5) == -4
    assert tvm_ffi.testing.add_one(41) == 42


def test_add_one_type_mismatch_message():
    class Foo:
        pass

    with pytest.raises(TypeError) as info:
        tvm_ffi.testing.add_one(Foo())
    assert (
        "Mismatched type on argument #0 when calling: `testing.add_one(0: int) -> int`. "
        "Expected `int` but got `ffi.OpaquePyObject`"
    ) in str(info.value)


def test_add_one_argument_count():
    with pytest.raises(TypeError):
        _f("testing.add_one")()
    with pytest.raises(TypeError):
        _f("testing.add_one")(1, 2)


# ---------------------------------------------------------------------------------------------
# testing.nop / testing.echo / testing.apply
# ---------------------------------------------------------------------------------------------


def test_nop_accepts_anything():
    nop = _f("testing.nop")
    assert nop() is None
    assert nop(1, "a", None, [1, 2], {"k": 1}, object()) is None


@pytest.mark.parametrize(
    "value", [None, 0, 1, -(2**62), 1.5, "", "small", "a long string " * 10, b"", b"xy"]
)
def test_echo_plain_values(value):
    out = _f("testing.echo")(value)
    assert out == value
    if value is None:
        assert out is None
    else:
        assert isinstance(out, type(value))


def test_echo_bool_identity():
    echo = _f("testing.echo")
    assert echo(True) is True
    assert echo(False) is False


def test_echo_long_bytes():
    data = b"0123456789" * 100
    out = _f("testing.echo")(data)
    assert out == data
    assert isinstance(out, bytes)


def test_echo_dtype_and_device():
    echo = _f("testing.echo")
    assert echo(tvm_ffi.dtype("float32")) == "float32"
    dev = echo(tvm_ffi.device("cuda:1"))
    assert str(dev) == "cuda:1"
    assert repr(dev) == "device(type='cuda', index=1)"


def test_echo_c_void_p():
    out = _f("testing.echo")(ctypes.c_void_p(1234))
    assert isinstance(out, ctypes.c_void_p)
    assert out.value == 1234


def test_echo_function_and_object_identity():
    echo = _f("testing.echo")
    f = _f("testing.add_one")
    assert echo(f).same_as(f)
    pair = tvm_ffi.testing.TestIntPair(1, 2)
    out = echo(pair)
    assert out.same_as(pair)
    assert type(out).__tvm_ffi_type_info__.type_key == "testing.TestIntPair"


def test_echo_returns_first_argument_only():
    assert _f("testing.echo")(1, 2, 3) == 1


def test_echo_without_arguments_raises_type_error():
    with pytest.raises(TypeError, match="testing.echo"):
        _f("testing.echo")()


def test_echo_opaque_python_object_identity_and_refcount():
    class Foo:
        pass

    foo = Foo()
    before = sys.getrefcount(foo)
    out = _f("testing.echo")(foo)
    assert out is foo
    assert sys.getrefcount(foo) == before + 1
    del out
    gc.collect()
    assert sys.getrefcount(foo) == before


def test_echo_containers():
    echo = _f("testing.echo")
    arr = echo([1, 2, 3])
    assert isinstance(arr, tvm_ffi.Array)
    assert list(arr) == [1, 2, 3]
    mp = echo({"a": 1})
    assert isinstance(mp, tvm_ffi.Map)
    assert dict(mp.items()) == {"a": 1}


def test_echo_nested_container_use_counts():
    use_count = _f("testing.object_use_count")
    obj = tvm_ffi.convert((1, 2))
    y = _f("testing.echo")([obj, {"a": 1, "b": obj}])
    assert use_count(y) == 1
    assert use_count(obj) == 3
    assert use_count(y[1]) == 2


def test_apply():
    apply = _f("testing.apply")
    assert apply(lambda x: x + 1, 1) == 2
    assert apply(_f("testing.add_one"), 3) == 4
    assert apply(lambda: "no args") == "no args"
    assert apply(lambda *a: len(a), 1, 2, 3) == 3


def test_apply_first_argument_must_be_a_function():
    apply = _f("testing.apply")
    with pytest.raises(TypeError):
        apply(1, 2)
    with pytest.raises(TypeError):
        apply()


def test_apply_propagates_python_exception():
    def fail(x):
        raise KeyError("missing")

    with pytest.raises(KeyError):
        _f("testing.apply")(fail, 1)


# ---------------------------------------------------------------------------------------------
# testing.run_check_signal
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("nsec", [0, 1])
def test_run_check_signal_finishes(nsec, capfd):
    assert _f("testing.run_check_signal")(nsec) is None
    out, _ = capfd.readouterr()
    assert out == "Function finished without catching signal\n"


@pytest.mark.skipif(shutil.which("sh") is None, reason="needs a POSIX shell")
def test_run_check_signal_interrupted_by_sigint():
    # In a child interpreter (a stray SIGINT must never reach pytest). The signal comes from
    # another process because the call holds the GIL: a Python thread could not send it.
    code = textwrap.dedent(
        """
        import os, signal, subprocess, time
        import tvm_ffi
        # Python's handler, also when this process inherited SIGINT ignored (background job)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        f = tvm_ffi.get_global_func("testing.run_check_signal")
        killer = subprocess.Popen(["sh", "-c", "sleep 0.5; kill -INT %d" % os.getpid()])
        start = time.time()
        try:
            f(30)
            print("finished")
        except KeyboardInterrupt:
            print("interrupted", time.time() - start < 10)
        killer.wait()
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["interrupted", "True"]


def test_run_check_signal_type_error():
    with pytest.raises(TypeError):
        _f("testing.run_check_signal")("1")


# ---------------------------------------------------------------------------------------------
# testing.object_use_count
# ---------------------------------------------------------------------------------------------


def test_object_use_count_borrowed():
    use_count = _f("testing.object_use_count")
    obj = tvm_ffi.convert([1, 2, 3])
    assert use_count(obj) == 1
    other = obj
    assert use_count(obj) == 1  # Python aliases share one FFI reference
    copy = tvm_ffi.convert([obj])
    assert use_count(obj) == 2
    del copy
    assert use_count(obj) == 1
    del other


def test_object_use_count_of_registered_object():
    obj = tvm_ffi.testing.TestIntPair(1, 2)
    assert _f("testing.object_use_count")(obj) == 1


@pytest.mark.parametrize("bad", [None, 1, "str"])
def test_object_use_count_rejects_non_objects(bad):
    with pytest.raises(TypeError):
        _f("testing.object_use_count")(bad)


# ---------------------------------------------------------------------------------------------
# testing.make_unregistered_object
# ---------------------------------------------------------------------------------------------


def test_make_unregistered_object():
    for _ in range(3):
        x = tvm_ffi.testing.make_unregistered_object()
        assert type(x).__tvm_ffi_type_info__.type_key == "testing.TestUnregisteredObject"
        assert x.v1 == 41
        assert x.v2 == 42
        assert x.get_v1_plus_one() == 42
        assert x.get_v2_plus_two() == 44
        assert type(x).__name__ == "TestUnregisteredObject"
        assert type(x).__module__ == "testing"
        assert type(x).__qualname__ == "testing.TestUnregisteredObject"
        assert "Auto-generated fallback class" in type(x).__doc__
        assert "Get (v1 + 1) from TestUnregisteredBaseObject" in type(x).get_v1_plus_one.__doc__
        assert "Get (v2 + 2) from TestUnregisteredObject" in type(x).get_v2_plus_two.__doc__
    assert type(tvm_ffi.testing.make_unregistered_object()) is type(x)


# ---------------------------------------------------------------------------------------------
# C symbols: testing.get_add_one_c_symbol / testing.get_mlir_add_one_c_symbol
# ---------------------------------------------------------------------------------------------


def test_add_one_c_symbol_with_from_extern_c():
    addr = _f("testing.get_add_one_c_symbol")()
    assert isinstance(addr, int) and addr != 0
    f = tvm_ffi.Function.__from_extern_c__(addr)
    assert f(1) == 2
    assert f(2) == 3
    with pytest.raises(TypeError):
        f(None)


def test_add_one_c_symbol_keep_alive():
    addr = _f("testing.get_add_one_c_symbol")()
    keep = object()
    before = sys.getrefcount(keep)
    f = tvm_ffi.Function.__from_extern_c__(addr, keep_alive_object=keep)
    assert sys.getrefcount(keep) == before + 1
    assert f(10) == 11
    del f
    gc.collect()
    assert sys.getrefcount(keep) == before


def test_add_one_c_symbol_through_ctypes():
    # The symbol itself, independent of the Python wrappers: a standard safe call.
    addr = _f("testing.get_add_one_c_symbol")()

    class Any(ctypes.Structure):
        _fields_ = [("type_index", ctypes.c_int32), ("pad", ctypes.c_uint32), ("v", ctypes.c_int64)]

    safe_call = ctypes.CFUNCTYPE(
        ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(Any), ctypes.c_int32, ctypes.POINTER(Any)
    )(addr)
    arg = Any(1, 0, 41)  # kTVMFFIInt == 1
    result = Any(0, 0, 0)
    assert safe_call(None, ctypes.byref(arg), 1, ctypes.byref(result)) == 0
    assert (result.type_index, result.v) == (1, 42)
    none_arg = Any(0, 0, 0)  # kTVMFFINone == 0
    assert safe_call(None, ctypes.byref(none_arg), 1, ctypes.byref(result)) == -1
    # the failure was recorded as the thread's raised error: take it out and release it
    runtime = ctypes.CDLL(tvm_ffi.libinfo.find_libtvm_ffi())
    runtime.TVMFFIErrorMoveFromRaised.argtypes = [ctypes.POINTER(ctypes.c_void_p)]
    runtime.TVMFFIErrorMoveFromRaised.restype = None
    runtime.TVMFFIObjectDecRef.argtypes = [ctypes.c_void_p]
    error = ctypes.c_void_p()
    runtime.TVMFFIErrorMoveFromRaised(ctypes.byref(error))
    assert error.value is not None
    runtime.TVMFFIObjectDecRef(error)


def test_mlir_add_one_symbol():
    addr = _f("testing.get_mlir_add_one_c_symbol")()
    assert isinstance(addr, int) and addr != 0
    keep = object()
    before = sys.getrefcount(keep)
    f = tvm_ffi.Function.__from_mlir_packed_safe_call__(addr, keep_alive_object=keep)
    assert sys.getrefcount(keep) == before + 1
    assert f(1) == 2
    assert f(2) == 3
    with pytest.raises(TypeError):
        f(None)
    del f
    gc.collect()
    assert sys.getrefcount(keep) == before
    g = tvm_ffi.Function.__from_mlir_packed_safe_call__(addr)
    assert g(-1) == 0


# ---------------------------------------------------------------------------------------------
# testing.TestIntPairSum
# ---------------------------------------------------------------------------------------------


def test_int_pair_sum_global():
    pair = tvm_ffi.testing.TestIntPair(3, 4)
    assert _f("testing.TestIntPairSum")(pair) == 7
    with pytest.raises(TypeError):
        _f("testing.TestIntPairSum")(tvm_ffi.testing.create_object("testing.TestObjectBase"))
