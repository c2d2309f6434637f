"""tvm_ffi.Function: calls, argument errors, the global registry, metadata, callbacks."""

import ctypes
import gc
import sys

import pytest

import tvm_ffi
import tvm_ffi.testing  # noqa: F401  (loads the testing library and its classes)
from tvm_ffi import registry

fecho = tvm_ffi.get_global_func("testing.echo")
fapply = tvm_ffi.get_global_func("testing.apply")
fadd_one = tvm_ffi.get_global_func("testing.add_one")
use_count = tvm_ffi.get_global_func("testing.object_use_count")


# ---------------------------------------------------------------------------------------------
# plain calls


def test_get_global_func_returns_function():
    assert isinstance(fecho, tvm_ffi.Function)
    assert isinstance(fecho, tvm_ffi.Object)
    assert fecho.__chandle__() != 0
    # the same registry entry is returned each time
    assert tvm_ffi.get_global_func("testing.echo").same_as(fecho)


def test_typed_call():
    assert fadd_one(1) == 2
    assert fadd_one(-5) == -4
    assert type(fadd_one(1)) is int
    # a numpy integer is a numbers.Integral and passes as an int
    np = pytest.importorskip("numpy")
    assert fadd_one(np.int64(41)) == 42


def test_echo_pod_values():
    assert fecho(None) is None
    assert fecho(True) is True
    assert fecho(False) is False
    assert fecho(0) == 0 and type(fecho(0)) is int
    assert fecho(-(2**63)) == -(2**63)
    assert fecho(2**63 - 1) == 2**63 - 1
    assert fecho(1.25) == 1.25 and type(fecho(1.25)) is float
    assert fecho("hello") == "hello"
    assert fecho(b"hi") == b"hi"
    dt = fecho(tvm_ffi.dtype("float32"))
    assert isinstance(dt, tvm_ffi.dtype) and dt == "float32"
    dev = fecho(tvm_ffi.device("cuda", 1))
    assert isinstance(dev, tvm_ffi.Device)
    assert str(dev) == "cuda:1"
    assert repr(dev) == "device(type='cuda', index=1)"


def test_echo_extra_args_are_ignored():
    assert fecho(1, 2, 3) == 1


def test_echo_c_void_p():
    ptr = fecho(ctypes.c_void_p(0x1234))
    assert isinstance(ptr, ctypes.c_void_p)
    assert ptr.value == 0x1234


def test_echo_function_identity():
    f = tvm_ffi.convert(lambda x: x * 2)
    g = fecho(f)
    assert isinstance(g, tvm_ffi.Function)
    assert g.same_as(f)
    assert g.__chandle__() == f.__chandle__()
    assert g(21) == 42


def test_int_overflow():
    with pytest.raises(OverflowError):
        fecho(2**63)
    with pytest.raises(OverflowError):
        fecho(-(2**63) - 1)


def test_function_has_dict_and_name():
    f = tvm_ffi.get_global_func("testing.add_one")
    f.my_attribute = 5
    assert f.my_attribute == 5
    f.__name__ = "add_one"
    assert f.__name__ == "add_one"


# ---------------------------------------------------------------------------------------------
# argument errors


def test_wrong_arg_count_typed():
    with pytest.raises(TypeError) as e:
        fadd_one()
    msg = str(e.value)
    assert "Mismatched number of arguments" in msg
    assert "testing.add_one" in msg
    assert "Expected 1 but got 0" in msg
    with pytest.raises(TypeError) as e:
        fadd_one(1, 2)
    assert "Expected 1 but got 2" in str(e.value)


def test_wrong_arg_type_typed():
    with pytest.raises(TypeError) as e:
        fadd_one("not an int")
    msg = str(e.value)
    assert "Mismatched type on argument #0 when calling: `testing.add_one(0: int) -> int`" in msg
    assert "Expected `int` but got `" in msg


def test_wrong_arg_type_opaque_message():
    class Foo:
        pass

    with pytest.raises(TypeError) as e:
        fadd_one(Foo())
    assert (
        "Mismatched type on argument #0 when calling: `testing.add_one(0: int) -> int`. "
        "Expected `int` but got `ffi.OpaquePyObject`"
    ) in str(e.value)


def test_wrong_arg_type_names_position():
    f = tvm_ffi.get_global_func("testing.schema_arr_map_opt")
    # arguments 0 and 2 are fine, argument 1 must be a Map<String, Array<int>>
    with pytest.raises(TypeError) as e:
        f([1, None, 2], 3.5, None)
    msg = str(e.value)
    assert "argument #1" in msg
    assert "testing.schema_arr_map_opt" in msg
    assert "Map" in msg
    # and the correct call works
    res = f([1, None, 2], {"x": [1]}, "k")
    assert list(res["k"]) == [1, 2]
    assert list(res["x"]) == [1]


def test_python_function_wrong_arity():
    f = tvm_ffi.convert(lambda x: x)
    assert f(3) == 3
    with pytest.raises(TypeError):
        f(1, 2)
    with pytest.raises(TypeError):
        f()
    # the same through C++: apply calls the lambda with two arguments
    with pytest.raises(TypeError):
        fapply(lambda x: x, 1, 2)


def test_unconvertible_arg_type_error_keeps_function_usable():
    with pytest.raises(TypeError):
        fadd_one([1, 2])
    assert fadd_one(1) == 2


# ---------------------------------------------------------------------------------------------
# global registry


def test_missing_global():
    with pytest.raises(ValueError, match="Cannot find global function testing.not_existing_func"):
        tvm_ffi.get_global_func("testing.not_existing_func")
    assert tvm_ffi.get_global_func("testing.not_existing_func", allow_missing=True) is None
    with pytest.raises(ValueError, match="Cannot find global function no_such_prefix.f"):
        tvm_ffi.get_global_func("no_such_prefix.f")


def test_list_global_func_names():
    names = registry.list_global_func_names()
    assert isinstance(names, list)
    assert all(isinstance(n, str) for n in names)
    for expected in ("testing.echo", "testing.apply", "ffi.Array", "ffi.Map"):
        assert expected in names
    assert len(names) == len(set(names))


@pytest.fixture
def scratch_names():
    """Names registered by a test; removed afterwards."""
    names = []
    yield names
    for n in names:
        tvm_ffi.remove_global_func(n)


def test_register_decorator_with_name(scratch_names):
    scratch_names.append("mytest_pkg.echo")

    @tvm_ffi.register_global_func("mytest_pkg.echo")
    def echo(x):
        return x

    assert isinstance(echo, tvm_ffi.Function)
    assert tvm_ffi.get_global_func("mytest_pkg.echo").same_as(echo)
    assert echo(10) == 10
    assert "mytest_pkg.echo" in registry.list_global_func_names()
    # called from C++ through apply
    assert fapply(tvm_ffi.get_global_func("mytest_pkg.echo"), "s") == "s"


def test_register_direct_form(scratch_names):
    scratch_names.append("mytest_pkg.mul")
    ret = tvm_ffi.register_global_func("mytest_pkg.mul", lambda a, b: a * b)
    assert isinstance(ret, tvm_ffi.Function)
    assert tvm_ffi.get_global_func("mytest_pkg.mul")(6, 7) == 42


def test_register_bare_decorator(scratch_names):
    scratch_names.append("mytest_pkg_bare_fn")
    scratch_names.append("mytest_pkg_bare_deco")

    def mytest_pkg_bare_fn(x):
        return x + 100

    ret = tvm_ffi.register_global_func(mytest_pkg_bare_fn)
    assert isinstance(ret, tvm_ffi.Function)
    assert tvm_ffi.get_global_func("mytest_pkg_bare_fn")(1) == 101

    @tvm_ffi.register_global_func
    def mytest_pkg_bare_deco(x):
        return x * 100

    assert isinstance(mytest_pkg_bare_deco, tvm_ffi.Function)
    assert tvm_ffi.get_global_func("mytest_pkg_bare_deco")(2) == 200


def test_register_existing_function_object(scratch_names):
    scratch_names.append("mytest_pkg.wrapped")
    f = tvm_ffi.convert(lambda: "wrapped")
    ret = tvm_ffi.register_global_func("mytest_pkg.wrapped", f)
    assert ret.same_as(f)
    assert tvm_ffi.get_global_func("mytest_pkg.wrapped").same_as(f)


def test_register_bad_name():
    with pytest.raises(ValueError, match="expect string function name"):
        tvm_ffi.register_global_func(123)


def test_register_duplicate_and_override(scratch_names):
    scratch_names.append("mytest_pkg.dup")
    tvm_ffi.register_global_func("mytest_pkg.dup", lambda: 1)
    with pytest.raises(
        RuntimeError, match="Global Function `mytest_pkg.dup` is already registered"
    ):
        tvm_ffi.register_global_func("mytest_pkg.dup", lambda: 2)
    assert tvm_ffi.get_global_func("mytest_pkg.dup")() == 1
    tvm_ffi.register_global_func("mytest_pkg.dup", lambda: 3, override=True)
    assert tvm_ffi.get_global_func("mytest_pkg.dup")() == 3


def test_register_cannot_clobber_cxx_function():
    with pytest.raises(RuntimeError, match="already registered"):
        tvm_ffi.register_global_func("testing.echo", lambda x: None)
    assert fecho(5) == 5


def test_remove_global_func():
    tvm_ffi.register_global_func("mytest_pkg.to_remove", lambda: 1)
    assert "mytest_pkg.to_remove" in registry.list_global_func_names()
    tvm_ffi.remove_global_func("mytest_pkg.to_remove")
    assert "mytest_pkg.to_remove" not in registry.list_global_func_names()
    assert tvm_ffi.get_global_func("mytest_pkg.to_remove", allow_missing=True) is None
    with pytest.raises(ValueError):
        tvm_ffi.get_global_func("mytest_pkg.to_remove")
    # same name can be registered again afterwards without override
    tvm_ffi.register_global_func("mytest_pkg.to_remove", lambda: 2)
    assert tvm_ffi.get_global_func("mytest_pkg.to_remove")() == 2
    registry.remove_global_func("mytest_pkg.to_remove")
    assert tvm_ffi.get_global_func("mytest_pkg.to_remove", allow_missing=True) is None


def test_registered_python_function_survives_source_deletion(scratch_names):
    scratch_names.append("mytest_pkg.kept")

    def make():
        state = {"n": 0}

        def inc():
            state["n"] += 1
            return state["n"]

        return inc

    tvm_ffi.register_global_func("mytest_pkg.kept", make())
    gc.collect()
    f = tvm_ffi.get_global_func("mytest_pkg.kept")
    assert f() == 1
    assert f() == 2


# ---------------------------------------------------------------------------------------------
# metadata


def test_global_func_metadata():
    meta = tvm_ffi.get_global_func_metadata("testing.schema_id_int")
    assert isinstance(meta, dict)
    assert set(meta) == {"type_schema", "bool_attr", "int_attr", "str_attr"}
    assert meta["bool_attr"] is True
    assert meta["int_attr"] == 1
    assert meta["str_attr"] == "hello"
    schema = tvm_ffi.core.TypeSchema.from_json_str(meta["type_schema"])
    assert str(schema) == "Callable[[int], int]"


@pytest.mark.parametrize(
    "name, rendered",
    [
        ("testing.add_one", "Callable[[int], int]"),
        ("testing.echo", "Callable[..., Any]"),
        ("testing.schema_id_opt_obj", "Callable[[Object | None], Object | None]"),
        ("testing.schema_id_map_str_int", "Callable[[dict[str, int]], dict[str, int]]"),
        ("testing.schema_no_args", "Callable[[], int]"),
        ("testing.TestIntPairSum", "Callable[[testing.TestIntPair], int]"),
    ],
)
def test_global_func_metadata_schema(name, rendered):
    meta = tvm_ffi.get_global_func_metadata(name)
    assert list(meta)[0] == "type_schema"
    assert str(tvm_ffi.core.TypeSchema.from_json_str(meta["type_schema"])) == rendered


def test_global_func_metadata_missing():
    with pytest.raises(RuntimeError, match="Global Function is not found: testing.nope_nope"):
        tvm_ffi.get_global_func_metadata("testing.nope_nope")


# ---------------------------------------------------------------------------------------------
# callbacks


def test_callback_through_cxx():
    assert fapply(lambda x: x + 1, 1) == 2
    assert fapply(lambda a, b: a + b, "x", "y") == "xy"
    assert fapply(lambda: None) is None
    # callbacks receive converted FFI values
    seen = []
    fapply(lambda *args: seen.extend(args), 1, 2.5, "s", [1, 2], {"k": 1})
    assert seen[:3] == [1, 2.5, "s"]
    assert isinstance(seen[3], tvm_ffi.Array) and list(seen[3]) == [1, 2]
    assert isinstance(seen[4], tvm_ffi.Map) and seen[4]["k"] == 1


def test_callback_returning_function():
    def make_adder(n):
        return lambda x: x + n

    adder = fapply(make_adder, 10)
    assert isinstance(adder, tvm_ffi.Function)
    assert adder(5) == 15
    assert fapply(adder, 1) == 11


def test_callback_return_values_are_converted():
    assert fapply(lambda: bytearray(b"ab")) == b"ab"
    assert isinstance(fapply(lambda: bytearray(b"ab")), bytes)
    assert isinstance(fapply(lambda: [1, 2]), tvm_ffi.Array)
    assert isinstance(fapply(lambda: (1, 2)), tvm_ffi.Array)
    assert isinstance(fapply(lambda: {"a": 1}), tvm_ffi.Map)
    marker = object()
    assert fapply(lambda: marker) is marker


def test_nested_callbacks():
    # Python -> C++ -> Python -> C++ -> Python
    result = fapply(lambda x: fapply(lambda y: y * 2, x) + 1, 20)
    assert result == 41


@pytest.mark.parametrize(
    "exc_type", [ValueError, TypeError, KeyError, IndexError, AttributeError, RuntimeError]
)
def test_callback_exception_crosses_cxx(exc_type):
    def raising_callback_for_kind():
        raise exc_type("from python")

    # the message crossing the boundary is str(exc) (for KeyError that adds quotes); the caller
    # gets the exception object itself back, args unchanged
    expected_msg = str(exc_type("from python"))
    with pytest.raises(exc_type) as e:
        fapply(raising_callback_for_kind)
    assert type(e.value) is exc_type
    assert e.value.args == ("from python",)
    err = e.value.__tvm_ffi_error__
    assert err.kind == exc_type.__name__
    assert err.message == expected_msg
    # the Python frame of the callback is part of the recorded backtrace
    assert "raising_callback_for_kind" in err.backtrace


def test_callback_exception_unregistered_type_comes_back_unchanged():
    # Deliberate deviation from upstream 0.1.0 (which maps unregistered types to RuntimeError):
    # C++ sees kind = the class name, and the caller gets the very same exception object back.
    class MyLocalError(Exception):
        pass

    raised = []

    def cb():
        exc = MyLocalError("odd")
        raised.append(exc)
        raise exc

    with pytest.raises(MyLocalError) as e:
        fapply(cb)
    assert e.value is raised[0]
    assert str(e.value) == "odd"
    assert e.value.__tvm_ffi_error__.kind == "MyLocalError"


def test_callback_exception_unregistered_type_seen_by_cxx_as_class_name():
    class OtherLocalError(Exception):
        pass

    def cb():
        raise OtherLocalError("seen from C++")

    # passing the exception object itself converts it to an FFI Error without raising
    err = tvm_ffi.convert(OtherLocalError("seen from C++"))
    assert err.kind == "OtherLocalError"
    assert err.message == "seen from C++"
    # an error whose kind nobody registered and that did not start in Python: RuntimeError
    raise_error = tvm_ffi.get_global_func("testing.test_raise_error")
    with pytest.raises(RuntimeError):
        raise_error("OtherLocalError", "from C++")
    with pytest.raises(OtherLocalError):
        fapply(cb)


def test_callback_exception_nested_cxx_error_same_object():
    raise_error = tvm_ffi.get_global_func("testing.test_raise_error")
    recorded = []

    def reraising_callback():
        try:
            raise_error("ValueError", "inner")
        except ValueError as err:
            recorded.append(err.__tvm_ffi_error__)
            raise

    with pytest.raises(ValueError) as e:
        fapply(reraising_callback)
    assert str(e.value) == "inner"
    assert e.value.__tvm_ffi_error__.same_as(recorded[0])
    bt = e.value.__tvm_ffi_error__.backtrace
    assert bt.count("TestRaiseError") == 1
    assert "reraising_callback" in bt


def test_many_callback_exceptions_keep_process_sane():
    def bad(i):
        raise ValueError(f"bad {i}")

    for i in range(200):
        with pytest.raises(ValueError, match=f"bad {i}"):
            fapply(bad, i)
    assert fapply(lambda: 7) == 7


def test_release_gil_property():
    f = tvm_ffi.convert(lambda x: x)
    assert isinstance(f.release_gil, bool)
    f.release_gil = False
    assert f.release_gil is False
    assert f(1) == 1
    f.release_gil = True
    assert f.release_gil is True
    g = tvm_ffi.get_global_func("testing.apply")
    g.release_gil = False
    try:
        # a Python callback invoked by C++ while the GIL is held by the caller
        assert g(lambda x: x + 1, 1) == 2
    finally:
        g.release_gil = True
    # and while the GIL was released: the callback has to re-acquire it
    assert g(lambda x: x + 1, 2) == 3


def test_release_gil_default_without_env(run_python):
    # python_api.md §3.3: the default comes from TVM_FFI_RELEASE_GIL_BY_DEFAULT, default "1"
    proc = run_python(
        """
    import tvm_ffi
    echo = tvm_ffi.get_global_func("testing.echo")
    print(echo.release_gil, tvm_ffi.convert(lambda: 0).release_gil)
    """,
        env={"TVM_FFI_RELEASE_GIL_BY_DEFAULT": None},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "True"]


def test_release_gil_default_from_env(run_python):
    code = """
    import tvm_ffi
    f = tvm_ffi.get_global_func("testing.echo")
    print(f.release_gil, tvm_ffi.convert(lambda: 0).release_gil)
    """
    proc = run_python(code, env={"TVM_FFI_RELEASE_GIL_BY_DEFAULT": "0"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["False", "False"]
    proc = run_python(code, env={"TVM_FFI_RELEASE_GIL_BY_DEFAULT": "1"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "True"]


def test_release_gil_lets_other_threads_run(run_python):
    # testing.run_check_signal(1) sleeps one second in C++. With the GIL released, a Python
    # thread makes progress during that second; with the GIL held it cannot.
    code = """
    import threading, time
    import tvm_ffi
    f = tvm_ffi.get_global_func("testing.run_check_signal")
    counter = [0]
    stop = [False]
    def spin():
        while not stop[0]:
            counter[0] += 1
    t = threading.Thread(target=spin)
    t.start()
    time.sleep(0.05)
    res = {}
    for flag in (True, False):
        f.release_gil = flag
        before = counter[0]
        f(1)
        res[flag] = counter[0] - before
    stop[0] = True
    t.join()
    print("RESULT", res[True], res[False])
    """
    proc = run_python(code)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT")][0]
    released, held = (int(v) for v in line.split()[1:])
    assert released > 10000
    assert held * 10 < released


# ---------------------------------------------------------------------------------------------
# rvalue references, opaque objects, c symbols, protocols


def test_move_semantics():
    def callback(x, expected):
        assert use_count(x) == expected
        return x._move()

    f = tvm_ffi.convert(callback)
    x = tvm_ffi.convert([1, 2])
    assert use_count(x) == 1
    y = f(x, 2)  # caller keeps x, callee sees two owners
    assert y.same_as(x)
    del y
    z = f(x._move(), 1)  # ownership moved into the call
    assert x.__ctypes_handle__().value is None
    assert x.__chandle__() == 0
    assert list(z) == [1, 2]
    assert use_count(z) == 1


def test_opaque_object_identity_and_refcount():
    class Payload:
        pass

    p = Payload()
    base = sys.getrefcount(p)
    back = fecho(p)
    assert back is p
    assert sys.getrefcount(p) == base + 1
    del back
    assert sys.getrefcount(p) == base
    wrapped = tvm_ffi.convert(p)
    assert isinstance(wrapped, tvm_ffi.core.OpaquePyObject)
    assert wrapped.pyobject() is p
    assert sys.getrefcount(p) == base + 1
    assert use_count(wrapped) == 1
    del wrapped
    assert sys.getrefcount(p) == base


def test_function_from_extern_c():
    addr = tvm_ffi.get_global_func("testing.get_add_one_c_symbol")()
    assert isinstance(addr, int) and addr != 0
    f = tvm_ffi.Function.__from_extern_c__(addr)
    assert isinstance(f, tvm_ffi.Function)
    assert f(1) == 2
    assert f(2) == 3
    with pytest.raises(TypeError):
        f(None)
    keep = object()
    base = sys.getrefcount(keep)
    g = tvm_ffi.Function.__from_extern_c__(addr, keep_alive_object=keep)
    assert sys.getrefcount(keep) == base + 1
    assert g(5) == 6
    del g
    gc.collect()
    assert sys.getrefcount(keep) == base
    with pytest.raises(TypeError):
        tvm_ffi.Function.__from_extern_c__(None)


def test_function_from_mlir_packed_safe_call():
    addr = tvm_ffi.get_global_func("testing.get_mlir_add_one_c_symbol")()
    f = tvm_ffi.Function.__from_mlir_packed_safe_call__(addr)
    assert f(1) == 2
    assert f(2) == 3
    with pytest.raises(TypeError):
        f(None)
    keep = object()
    base = sys.getrefcount(keep)
    g = tvm_ffi.Function.__from_mlir_packed_safe_call__(addr, keep_alive_object=keep)
    assert sys.getrefcount(keep) == base + 1
    del g
    gc.collect()
    assert sys.getrefcount(keep) == base
    with pytest.raises(TypeError):
        tvm_ffi.Function.__from_mlir_packed_safe_call__(None)


def test_function_subclass():
    class Marker:
        pass

    class MyFunction(tvm_ffi.Function, Marker):
        def __init__(self, note):
            self.note = note

        __call__ = tvm_ffi.Function.__call__

    f = tvm_ffi.convert(lambda x: x + 2)
    mf = MyFunction("hi")
    mf.__move_handle_from__(f)
    assert f.__chandle__() == 0
    assert mf.note == "hi"
    assert mf(1) == 3
    back = fecho(mf)
    assert type(back) is tvm_ffi.Function
    assert back.same_as(mf)
    assert back(10) == 12


def test_opaque_ptr_protocol():
    class HasPtr:
        def __tvm_ffi_opaque_ptr__(self):
            return 0xABC

    r = fecho(HasPtr())
    assert isinstance(r, ctypes.c_void_p)
    assert r.value == 0xABC


def test_cuda_stream_protocol():
    class FakeStream:
        def __cuda_stream__(self):
            return (0, 0x1000)

    r = fecho(FakeStream())
    assert isinstance(r, ctypes.c_void_p)
    assert r.value == 0x1000
