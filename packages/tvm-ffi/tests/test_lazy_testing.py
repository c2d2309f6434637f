"""The testing library is loaded lazily (plugin hook), never by ``import tvm_ffi`` alone.

Every check runs in a fresh interpreter, because the test process itself has long loaded
the testing library.
"""

import json

PRELUDE = """
import json, sys

def maps():
    with open("/proc/self/maps") as f:
        return f.read()

def state():
    m = maps()
    return {
        "core_lib": "libtvm_ffi.so" in m,
        "testing_lib": "libtvm_ffi_testing" in m,
        "testing_module": "tvm_ffi.testing" in sys.modules,
    }
"""


def _run(run_python, body):
    proc = run_python(PRELUDE + body)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    return [json.loads(ln) for ln in lines]


def test_import_does_not_load_testing_library(run_python):
    (after_import,) = _run(
        run_python,
        """
import tvm_ffi
print(json.dumps(state()))
""",
    )
    assert after_import == {"core_lib": True, "testing_lib": False, "testing_module": False}


def test_get_global_func_loads_testing_on_demand(run_python):
    before, after = _run(
        run_python,
        """
import tvm_ffi
print(json.dumps(state()))
f = tvm_ffi.get_global_func("testing.echo")
assert f(41) == 41
assert f("x") == "x"
s = state()
s["echo_is_function"] = isinstance(f, tvm_ffi.Function)
print(json.dumps(s))
""",
    )
    assert before["testing_lib"] is False
    assert after == {
        "core_lib": True,
        "testing_lib": True,
        "testing_module": True,
        "echo_is_function": True,
    }


def test_testing_attribute_is_reachable(run_python):
    before, after = _run(
        run_python,
        """
import tvm_ffi
print(json.dumps(state()))
t = tvm_ffi.testing
s = state()
s["has_create_object"] = hasattr(t, "create_object")
s["is_submodule"] = t is sys.modules["tvm_ffi.testing"]
obj = t.create_object("testing.TestObjectBase")
s["v_i64"] = obj.v_i64
s["type_name"] = type(obj).__name__
print(json.dumps(s))
""",
    )
    assert before["testing_lib"] is False and before["testing_module"] is False
    assert after == {
        "core_lib": True,
        "testing_lib": True,
        "testing_module": True,
        "has_create_object": True,
        "is_submodule": True,
        "v_i64": 10,
        "type_name": "TestObjectBase",
    }


def test_unrelated_missing_global_does_not_load_testing(run_python):
    (after,) = _run(
        run_python,
        """
import tvm_ffi
assert tvm_ffi.get_global_func("nonexistent_prefix.f", allow_missing=True) is None
try:
    tvm_ffi.get_global_func("nonexistent_prefix.g")
except ValueError as e:
    assert "Cannot find global function nonexistent_prefix.g" in str(e)
else:
    raise SystemExit("no error")
print(json.dumps(state()))
""",
    )
    assert after == {"core_lib": True, "testing_lib": False, "testing_module": False}


def test_missing_testing_name_after_plugin_load(run_python):
    (after,) = _run(
        run_python,
        """
import tvm_ffi
assert tvm_ffi.get_global_func("testing.not_existing_func", allow_missing=True) is None
try:
    tvm_ffi.get_global_func("testing.not_existing_func")
except ValueError as e:
    assert "Cannot find global function testing.not_existing_func" in str(e)
else:
    raise SystemExit("no error")
# the plugin was imported once and the real testing functions are there
assert tvm_ffi.get_global_func("testing.add_one")(1) == 2
print(json.dumps(state()))
""",
    )
    assert after == {"core_lib": True, "testing_lib": True, "testing_module": True}


def test_explicit_import_of_testing_module(run_python):
    (after,) = _run(
        run_python,
        """
import tvm_ffi.testing
from tvm_ffi.testing import TestIntPair
p = TestIntPair(3, 4)
assert p.sum() == 7
import tvm_ffi
s = state()
s["same"] = tvm_ffi.testing is sys.modules["tvm_ffi.testing"]
print(json.dumps(s))
""",
    )
    assert after == {"core_lib": True, "testing_lib": True, "testing_module": True, "same": True}


def test_missing_attribute_on_package(run_python):
    proc = run_python(
        """
import tvm_ffi
try:
    tvm_ffi.definitely_not_an_attribute
except AttributeError as e:
    print("ATTR", "definitely_not_an_attribute" in str(e))
"""
    )
    assert proc.returncode == 0, proc.stderr
    assert "ATTR True" in proc.stdout
