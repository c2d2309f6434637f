"""How the testing library is installed, found, loaded and registered."""

import ctypes
import os
import subprocess
import sys
import textwrap

import pytest

import tvm_ffi
import tvm_ffi.testing
from tvm_ffi.registry import list_global_func_names

# The 45 globals of the testing library: 13 general helpers + 32 schema functions.
EXPECTED_GLOBALS = sorted(
    [
        "testing.test_raise_error",
        "testing.add_one",
        "testing.nop",
        "testing.echo",
        "testing.apply",
        "testing.run_check_signal",
        "testing.call_from_native_thread",
        "testing.start_native_thread",
        "testing.object_use_count",
        "testing.make_unregistered_object",
        "testing.get_add_one_c_symbol",
        "testing.get_mlir_add_one_c_symbol",
        "testing.TestIntPairSum",
        "testing.schema_id_int",
        "testing.schema_id_float",
        "testing.schema_id_bool",
        "testing.schema_id_device",
        "testing.schema_id_dtype",
        "testing.schema_id_string",
        "testing.schema_id_bytes",
        "testing.schema_id_func",
        "testing.schema_id_func_typed",
        "testing.schema_id_any",
        "testing.schema_id_object",
        "testing.schema_id_dltensor",
        "testing.schema_id_tensor",
        "testing.schema_tensor_view_input",
        "testing.schema_id_opt_int",
        "testing.schema_id_opt_str",
        "testing.schema_id_opt_obj",
        "testing.schema_id_arr_int",
        "testing.schema_id_arr_str",
        "testing.schema_id_arr_obj",
        "testing.schema_id_arr",
        "testing.schema_id_map_str_int",
        "testing.schema_id_map_str_str",
        "testing.schema_id_map_str_obj",
        "testing.schema_id_map",
        "testing.schema_id_variant_int_str",
        "testing.schema_packed",
        "testing.schema_arr_map_opt",
        "testing.schema_variant_mix",
        "testing.schema_no_args",
        "testing.schema_no_return",
        "testing.schema_no_args_no_return",
    ]
)

EXPECTED_TYPES = [
    "testing.TestIntPair",
    "testing.TestObjectBase",
    "testing.TestObjectDerived",
    "testing.TestCxxClassBase",
    "testing.TestCxxClassDerived",
    "testing.TestCxxClassDerivedDerived",
    "testing.TestCxxInitSubset",
    "testing.TestUnregisteredBaseObject",
    "testing.TestUnregisteredObject",
    "testing.SchemaAllTypes",
]


def _package_dir():
    return os.path.dirname(os.path.abspath(tvm_ffi.__file__))


def _run_python(code):
    """Run code in a fresh interpreter; return its stdout (fails the test on a non-zero exit)."""
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_exact_set_of_testing_globals():
    names = sorted(n for n in list_global_func_names() if n.startswith("testing."))
    assert len(EXPECTED_GLOBALS) == 45
    assert names == EXPECTED_GLOBALS


@pytest.mark.parametrize(
    "name", ["testing.add1", "testing.Int_GetValue", "testing.not_existing_func"]
)
def test_reserved_names_stay_unregistered(name):
    assert tvm_ffi.get_global_func(name, allow_missing=True) is None


@pytest.mark.parametrize("name", ["mytest.echo", "example.echo", "example.add_one"])
def test_names_registered_by_user_tests_are_free(name):
    assert tvm_ffi.get_global_func(name, allow_missing=True) is None


@pytest.mark.parametrize("type_key", EXPECTED_TYPES)
def test_every_type_is_registered(type_key):
    assert tvm_ffi.core._object_type_key_to_index(type_key) is not None


def test_cpp_only_test_type_keys_are_not_registered():
    for key in ["test.Number", "test.Int", "test.Float", "test.PrimExpr", "test.Var", "test.Func"]:
        assert tvm_ffi.core._object_type_key_to_index(key) is None


def test_duplicate_registration_fails():
    def f(*args):
        return None

    with pytest.raises(RuntimeError, match="already registered"):
        tvm_ffi.register_global_func("testing.echo", f)
    # the original is still in place
    assert tvm_ffi.get_global_func("testing.echo")(5) == 5


def test_library_installed_next_to_core_library():
    lib_dir = os.path.join(_package_dir(), "lib")
    assert os.path.isfile(os.path.join(lib_dir, "libtvm_ffi_testing.so"))
    assert os.path.isfile(os.path.join(lib_dir, "libtvm_ffi.so"))


def test_plugin_file():
    path = os.path.join(_package_dir(), "_plugins", "tvm_ffi_testing.txt")
    with open(path, encoding="utf-8") as f:
        lines = [line.strip() for line in f if line.strip() and not line.lstrip().startswith("#")]
    assert lines == ["testing. tvm_ffi.testing"]


def test_c_symbols():
    lib = ctypes.CDLL(os.path.join(_package_dir(), "lib", "libtvm_ffi_testing.so"))
    lib.TVMFFITestingDummyTarget.restype = ctypes.c_int
    assert lib.TVMFFITestingDummyTarget() == 0
    lib.TVMFFITestingRegistrationError.restype = ctypes.c_char_p
    assert lib.TVMFFITestingRegistrationError() is None


def test_library_loaded_by_host_first_is_reused():
    # A host that already loaded the library: importing the module must not load it again.
    out = _run_python(
        f"""
        import ctypes
        import tvm_ffi
        ctypes.CDLL({os.path.join(_package_dir(), "lib", "libtvm_ffi_testing.so")!r},
                    mode=ctypes.RTLD_GLOBAL)
        import tvm_ffi.testing
        print(tvm_ffi.testing._LIB is None)
        print(tvm_ffi.testing.TestIntPair(3, 4).sum())
        """
    )
    assert out.split() == ["True", "7"]


def test_second_copy_reports_registration_error(tmp_path):
    # A second copy of the library (another path) cannot register the same names again: the
    # failure is recorded by the library, not a crash of the process.
    copy = tmp_path / "libtvm_ffi_testing.so"
    with open(os.path.join(_package_dir(), "lib", "libtvm_ffi_testing.so"), "rb") as src:
        copy.write_bytes(src.read())
    out = _run_python(
        f"""
        import ctypes
        import tvm_ffi.testing
        lib = ctypes.CDLL({str(copy)!r})
        lib.TVMFFITestingRegistrationError.restype = ctypes.c_char_p
        print(lib.TVMFFITestingRegistrationError().decode())
        print(tvm_ffi.testing.add_one(1))
        """
    )
    lines = out.strip().splitlines()
    assert lines[-1] == "2"
    assert "testing." in lines[0]


def test_import_tvm_ffi_does_not_load_testing_library():
    out = _run_python(
        """
        import sys
        import tvm_ffi
        print("tvm_ffi.testing" in sys.modules)
        print(tvm_ffi.core._object_type_key_to_index("testing.TestIntPair") is None)
        """
    )
    assert out.split() == ["False", "True"]


def test_global_lookup_loads_testing_library():
    out = _run_python(
        """
        import sys
        import tvm_ffi
        echo = tvm_ffi.get_global_func("testing.echo")
        print(echo(3))
        print("tvm_ffi.testing" in sys.modules)
        print(tvm_ffi.get_global_func("testing.not_existing_func", allow_missing=True))
        """
    )
    assert out.split() == ["3", "True", "None"]


def test_attribute_access_loads_testing_module():
    out = _run_python(
        """
        import tvm_ffi
        obj = tvm_ffi.testing.create_object("testing.TestObjectBase")
        print(obj.v_i64, obj.v_str)
        """
    )
    assert out.split() == ["10", "hello"]


def test_direct_import_registers_everything():
    out = _run_python(
        """
        import tvm_ffi.testing
        from tvm_ffi.registry import list_global_func_names
        print(sum(1 for n in list_global_func_names() if n.startswith("testing.")))
        """
    )
    assert out.split() == ["45"]
