"""Bad input gives a clear Python exception, never a crash.

Every probe runs in its own interpreter so that a crash (segfault, abort) shows up as a failed
probe instead of killing the test session. The child prints ``RAISED <ExceptionClass>: <msg>``
or ``RETURNED <repr>``.
"""

import threading

import pytest

import tvm_ffi
import tvm_ffi.testing  # noqa: F401

HARNESS = """
import ctypes, sys
import tvm_ffi
import tvm_ffi.testing
fecho = tvm_ffi.get_global_func("testing.echo")
fapply = tvm_ffi.get_global_func("testing.apply")
def probe():
{body}
try:
    r = probe()
except BaseException as e:  # noqa: BLE001
    try:
        text = str(e)
    except Exception as str_error:  # the caller's own exception may have a broken __str__
        text = "<str() raised %s>" % type(str_error).__name__
    print("RAISED", type(e).__name__ + ":", text[:200].replace("\\n", " "))
else:
    print("RETURNED", repr(r)[:200])
"""

ANY_ERROR = (
    "TypeError",
    "ValueError",
    "RuntimeError",
    "AttributeError",
    "IndexError",
    "OverflowError",
)

PROBES = [
    # (id, body, allowed exception class names; "RETURNED" where returning normally is fine)
    ("call_null_function", "return tvm_ffi.Function.__new__(tvm_ffi.Function)(1)", ANY_ERROR),
    ("len_null_array", "return len(tvm_ffi.Array.__new__(tvm_ffi.Array))", ANY_ERROR),
    ("getitem_null_array", "return tvm_ffi.Array.__new__(tvm_ffi.Array)[0]", ANY_ERROR),
    ("len_null_map", "return len(tvm_ffi.Map.__new__(tvm_ffi.Map))", ANY_ERROR),
    (
        "field_of_null_object",
        "P = tvm_ffi.testing.TestIntPair\n    return P.__new__(P).a",
        ANY_ERROR,
    ),
    (
        "method_of_null_object",
        "P = tvm_ffi.testing.TestIntPair\n    return P.__new__(P).sum()",
        ANY_ERROR,
    ),
    ("shape_of_null_tensor", "return tvm_ffi.Tensor.__new__(tvm_ffi.Tensor).shape", ANY_ERROR),
    (
        "use_after_move",
        "x = tvm_ffi.convert([1, 2])\n    fecho(x._move())\n    return len(x)",
        ANY_ERROR,
    ),
    (
        "use_count_none",
        "return tvm_ffi.get_global_func('testing.object_use_count')(None)",
        ("TypeError",),
    ),
    ("echo_no_args", "return fecho()", ANY_ERROR),
    ("apply_no_args", "return fapply()", ("TypeError",)),
    ("apply_non_function", "return fapply(1, 2)", ("TypeError",)),
    ("add_one_none", "return tvm_ffi.get_global_func('testing.add_one')(None)", ("TypeError",)),
    ("huge_array_index", "return tvm_ffi.convert([1])[2**70]", ("IndexError", "OverflowError")),
    ("huge_shape", "return tvm_ffi.Shape((2**70,))", ("OverflowError", "ValueError")),
    (
        "huge_device_index",
        "return fecho(tvm_ffi.device('cuda', 2**40))",
        ("OverflowError", "ValueError", "TypeError"),
    ),
    ("bad_dtype", "return tvm_ffi.dtype('int32x4y')", ("ValueError",)),
    (
        "object_protocol_returns_non_object",
        "class W:\n        def __tvm_ffi_object__(self):\n            return 5\n"
        "    return fecho(W())",
        ("TypeError", "ValueError"),
    ),
    (
        "opaque_ptr_protocol_returns_str",
        "class W:\n        def __tvm_ffi_opaque_ptr__(self):\n            return 'x'\n"
        "    return fecho(W())",
        ("TypeError", "ValueError"),
    ),
    (
        "cuda_stream_protocol_garbage",
        "class W:\n        def __cuda_stream__(self):\n            return None\n"
        "    return fecho(W())",
        ("TypeError", "ValueError", "IndexError"),
    ),
    (
        "dlpack_raises",
        "class W:\n        def __dlpack__(self, *a, **k):\n            raise KeyError('nope')\n"
        "        def __dlpack_device__(self):\n            return (1, 0)\n    return fecho(W())",
        ("KeyError",),
    ),
    (
        "dlpack_returns_garbage",
        "class W:\n        def __dlpack__(self, *a, **k):\n            return 42\n"
        "        def __dlpack_device__(self):\n            return (1, 0)\n    return fecho(W())",
        ("TypeError", "ValueError"),
    ),
    (
        "from_dlpack_used_capsule",
        "import numpy as np\n    c = np.arange(3).__dlpack__()\n    tvm_ffi.from_dlpack(c)\n"
        "    return tvm_ffi.from_dlpack(c)",
        ("TypeError", "ValueError"),
    ),
    ("register_non_callable", "return tvm_ffi.register_global_func('robust.x', 5)", ANY_ERROR),
    ("get_global_func_none", "return tvm_ffi.get_global_func(None)", ("TypeError", "ValueError")),
    (
        "load_module_none",
        "return tvm_ffi.load_module(None)",
        ("TypeError", "ValueError", "RuntimeError"),
    ),
    (
        "deeply_nested_list",
        "x = []\n    for _ in range(200000):\n        x = [x]\n"
        "    return type(tvm_ffi.convert(x)).__name__",
        ("RecursionError", "RETURNED"),
    ),
    (
        "callback_raises_unencodable_message",
        "def cb():\n        raise ValueError('bad \\ud800 text')\n    return fapply(cb)",
        ("ValueError", "UnicodeEncodeError", "RuntimeError"),
    ),
    (
        "callback_raises_keyboard_interrupt",
        "def cb():\n        raise KeyboardInterrupt()\n    return fapply(cb)",
        ("KeyboardInterrupt", "RuntimeError"),
    ),
    (
        "callback_raises_system_exit",
        "def cb():\n        raise SystemExit(3)\n    return fapply(cb)",
        ("SystemExit", "RuntimeError"),
    ),
    (
        "exception_with_broken_str",
        "class E(Exception):\n        def __str__(self):\n"
        "            raise RuntimeError('str failed')\n"
        "    def cb():\n        raise E()\n    return fapply(cb)",
        ANY_ERROR + ("E",),
    ),
    (
        "asobject_raises",
        "class C(tvm_ffi.ObjectConvertible):\n        def asobject(self):\n"
        "            raise KeyError('asobject')\n"
        "    return fecho(C())",
        ("KeyError",),
    ),
    (
        "map_getitem_wrong_type_key",
        "return tvm_ffi.convert({'a': 1})[object()]",
        ("KeyError", "TypeError"),
    ),
    (
        "setattr_wrong_type_on_field",
        "o = tvm_ffi.testing.create_object('testing.TestObjectBase')\n    o.v_i64 = [1, 2]\n"
        "    return o.v_i64",
        ("TypeError",),
    ),
]


@pytest.mark.parametrize("body, allowed", [p[1:] for p in PROBES], ids=[p[0] for p in PROBES])
def test_bad_input_probe(body, allowed, run_python):
    code = HARNESS.format(body="    " + body)
    proc = run_python(code)
    assert proc.returncode == 0, (
        f"process died (rc={proc.returncode}):\n{proc.stdout}\n{proc.stderr[-3000:]}"
    )
    out = [ln for ln in proc.stdout.splitlines() if ln.startswith(("RAISED", "RETURNED"))]
    assert out, proc.stdout + proc.stderr
    line = out[-1]
    if line.startswith("RETURNED"):
        assert "RETURNED" in allowed, f"expected one of {allowed}, got {line}"
    else:
        exc_name = line.split()[1].rstrip(":")
        assert exc_name in allowed, line


def test_c_void_p_null_outcome(run_python):
    # either upstream's TypeError or a NULL pointer that comes back as c_void_p(None)
    proc = run_python(
        HARNESS.format(
            body="    r = fecho(ctypes.c_void_p())\n    return (type(r).__name__, r.value)"
        )
    )
    assert proc.returncode == 0, proc.stderr
    assert "RAISED TypeError" in proc.stdout or "RETURNED ('c_void_p', None)" in proc.stdout, (
        proc.stdout
    )


def test_concurrent_calls_from_threads():
    fecho = tvm_ffi.get_global_func("testing.echo")
    fapply = tvm_ffi.get_global_func("testing.apply")
    use_count = tvm_ffi.get_global_func("testing.object_use_count")
    shared = tvm_ffi.convert([1, 2, 3])
    errors = []

    def worker(k):
        try:
            for i in range(2000):
                assert fecho(i) == i
                assert fapply(lambda x: x + k, i) == i + k
                assert fecho(shared).same_as(shared)
                assert fecho(f"s{k}-{i}" * 3) == f"s{k}-{i}" * 3
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert use_count(shared) == 1


def test_concurrent_calls_with_gil_released():
    fapply = tvm_ffi.get_global_func("testing.apply")
    fapply.release_gil = True
    errors = []
    results = []

    def worker(k):
        try:
            total = 0
            for i in range(1000):
                total += fapply(lambda x: x * 2, i)
            results.append(total)
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert results == [999 * 1000] * 4
