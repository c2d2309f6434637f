"""The Python guide (docs) must run verbatim.

One test per guide snippet (except "Inline Module", which belongs to tvm_ffi.cpp). The code
between the ``# --- guide snippet begin ---`` / ``# --- guide snippet end ---`` markers is the
guide's code, unchanged. ``test_snippet_in_fresh_interpreter`` additionally runs every
snippet alone in a new Python process, the way a reader of the guide would, so the snippets
cannot pass only thanks to state left behind by other tests.
"""

import inspect
import re
import textwrap
import traceback

import pytest

import tvm_ffi

BEGIN = "# --- guide snippet begin ---"
END = "# --- guide snippet end ---"
CXX_FRAME_RE = re.compile(r'File "([^"]+)", line (\d+), in (.+)')


def snippet_source(func) -> str:
    """The verbatim snippet contained in a test function, dedented."""
    src = inspect.getsource(func)
    start = src.index(BEGIN)
    start = src.index("\n", start) + 1
    stop = src.index(END)
    stop = src.rindex("\n", 0, stop) + 1
    return textwrap.dedent(src[start:stop])


def test_load_and_run_module(add_one_workdir):
    # --- guide snippet begin ---
    import tvm_ffi
    import numpy as np

    # Load the compiled module
    mod = tvm_ffi.load_module("build/add_one_cpu.so")

    # Create input and output arrays
    x = np.array([1, 2, 3, 4, 5], dtype=np.float32)
    y = np.empty_like(x)

    # Call the function
    mod.add_one_cpu(x, y)
    # --- guide snippet end ---
    assert isinstance(mod, tvm_ffi.Module)
    np.testing.assert_array_equal(y, x + 1)
    np.testing.assert_array_equal(y, np.array([2, 3, 4, 5, 6], dtype=np.float32))


def test_tensor():
    # --- guide snippet begin ---
    import numpy as np
    import tvm_ffi

    # Demonstrate DLPack conversion between NumPy and TVM FFI
    np_data = np.array([1, 2, 3, 4], dtype=np.float32)
    tvm_array = tvm_ffi.from_dlpack(np_data)
    # Convert back to NumPy
    np_result = np.from_dlpack(tvm_array)
    # --- guide snippet end ---
    assert isinstance(tvm_array, tvm_ffi.Tensor)
    assert tvm_array.shape == (4,)
    assert tvm_array.dtype == tvm_ffi.dtype("float32")
    np.testing.assert_array_equal(np_result, np_data)
    assert np.shares_memory(np_result, np_data)


def test_functions():
    # --- guide snippet begin ---
    import tvm_ffi

    # testing.echo is defined and registered in C++
    # [](ffi::Any x) { return x; }
    fecho = tvm_ffi.get_global_func("testing.echo")
    assert fecho(1) == 1
    # --- guide snippet end ---
    assert isinstance(fecho, tvm_ffi.Function)
    assert fecho("abc") == "abc"


def test_callbacks():
    # --- guide snippet begin ---
    import tvm_ffi

    # testing.apply is registered in C++
    # [](ffi::Function f, ffi::Any val) { return f(x); }
    fapply = tvm_ffi.get_global_func("testing.apply")
    # invoke fapply with lambda callback as f
    assert fapply(lambda x: x + 1, 1) == 2
    # --- guide snippet end ---
    assert fapply(lambda x: x * 3, 5) == 15


@pytest.fixture
def cleanup_example_add_one():
    yield
    tvm_ffi.remove_global_func("example.add_one")
    assert tvm_ffi.get_global_func("example.add_one", allow_missing=True) is None


def test_register_global_callback(cleanup_example_add_one):
    # --- guide snippet begin ---
    import tvm_ffi

    @tvm_ffi.register_global_func("example.add_one")
    def add_one(a):
        return a + 1

    assert tvm_ffi.get_global_func("example.add_one")(1) == 2
    # --- guide snippet end ---
    assert isinstance(add_one, tvm_ffi.Function)
    assert tvm_ffi.get_global_func("example.add_one").same_as(add_one)
    assert tvm_ffi.get_global_func("example.add_one")(41) == 42


def test_lists_become_arrays():
    # --- guide snippet begin ---
    import tvm_ffi

    # Lists become Arrays
    arr = tvm_ffi.convert([1, 2, 3, 4])
    assert isinstance(arr, tvm_ffi.Array)
    assert len(arr) == 4
    assert arr[0] == 1
    # --- guide snippet end ---
    assert list(arr) == [1, 2, 3, 4]


def test_dicts_become_maps():
    # --- guide snippet begin ---
    import tvm_ffi

    map_obj = tvm_ffi.convert({"a": 1, "b": 2})
    assert isinstance(map_obj, tvm_ffi.Map)
    assert len(map_obj) == 2
    assert map_obj["a"] == 1
    assert map_obj["b"] == 2
    # --- guide snippet end ---
    assert dict(map_obj.items()) == {"a": 1, "b": 2}


def _assert_cxx_frame(exc: BaseException, func_name_part: str) -> None:
    """The traceback of ``exc`` shows a C++ frame for ``func_name_part`` below this file's frames."""
    formatted = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    frames = traceback.extract_tb(exc.__traceback__)
    cxx = [i for i, f in enumerate(frames) if func_name_part in f.name]
    assert cxx, f"no frame mentioning {func_name_part!r} in:\n{formatted}"
    frame = frames[cxx[-1]]
    assert not frame.filename.endswith(".py"), formatted
    assert frame.lineno is not None and frame.lineno >= 0
    # the formatted traceback contains the frame as a regular `File "...", line N, in ...` line
    matches = [m for m in CXX_FRAME_RE.finditer(formatted) if func_name_part in m.group(3)]
    assert matches, formatted
    # Python frames of this test module come first (outermost), the C++ frame after them
    own = [i for i, f in enumerate(frames) if f.filename == __file__]
    assert own and max(own) < cxx[-1], formatted


def test_error_handling():
    with pytest.raises(ValueError) as excinfo:
        # --- guide snippet begin ---
        import tvm_ffi

        # defined in C++
        # [](String kind, String msg) { throw Error(kind, msg, backtrace); }
        test_raise_error = tvm_ffi.get_global_func("testing.test_raise_error")

        test_raise_error("ValueError", "message")
        # --- guide snippet end ---
    assert str(excinfo.value) == "message"
    _assert_cxx_frame(excinfo.value, "TestRaiseError")


@pytest.fixture
def restore_test_int_pair_class():
    """The snippet re-registers ``testing.TestIntPair``; give the key back to tvm_ffi.testing."""
    import tvm_ffi.testing

    yield
    tvm_ffi.register_object("testing.TestIntPair")(tvm_ffi.testing.TestIntPair)
    returned = tvm_ffi.testing.create_object("testing.TestIntPair", a=1, b=2)
    assert type(returned) is tvm_ffi.testing.TestIntPair


def test_register_your_own_object(restore_test_int_pair_class):
    # --- guide snippet begin ---
    import tvm_ffi

    # Register the class
    @tvm_ffi.register_object("testing.TestIntPair")
    class TestIntPair(tvm_ffi.Object):
        def __init__(self, a, b):
            # This is a special method to call an FFI function whose return
            # value exactly initializes the object handle of the object
            self.__ffi_init__(a, b)

    test_int_pair = TestIntPair(1, 2)
    # We can access the fields by name
    # The properties are populated by the reflection mechanism
    assert test_int_pair.a == 1
    assert test_int_pair.b == 2
    # --- guide snippet end ---
    assert isinstance(test_int_pair, tvm_ffi.Object)
    assert test_int_pair.__chandle__() != 0
    # objects of this type returned from C++ now materialise as the snippet's class
    back = tvm_ffi.get_global_func("testing.echo")(test_int_pair)
    assert type(back) is TestIntPair
    assert back.same_as(test_int_pair)


SNIPPET_TESTS = [
    test_load_and_run_module,
    test_tensor,
    test_functions,
    test_callbacks,
    test_register_global_callback,
    test_lists_become_arrays,
    test_dicts_become_maps,
    test_error_handling,
    test_register_your_own_object,
]


def test_snippet_extraction_is_verbatim():
    # guard for the helper used below: it must return the guide code, not an empty string
    src = snippet_source(test_functions)
    assert src.startswith("import tvm_ffi\n")
    assert 'fecho = tvm_ffi.get_global_func("testing.echo")' in src
    assert BEGIN not in src and END not in src


@pytest.mark.parametrize("func", SNIPPET_TESTS, ids=lambda f: f.__name__)
def test_snippet_in_fresh_interpreter(func, run_python, add_one_lib):
    """Each snippet runs alone in a new process (after only its own imports)."""
    src = snippet_source(func)
    cwd = add_one_lib.parent.parent
    proc = run_python(src, cwd=cwd)
    if func is test_error_handling:
        assert proc.returncode != 0
        assert "ValueError: message" in proc.stderr, proc.stderr
        lines = [m for m in CXX_FRAME_RE.finditer(proc.stderr) if "TestRaiseError" in m.group(3)]
        assert lines, proc.stderr
        assert not lines[-1].group(1).endswith(".py"), proc.stderr
    else:
        assert proc.returncode == 0, proc.stdout + proc.stderr
