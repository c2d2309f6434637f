"""tvm_ffi.load_module / tvm_ffi.Module with the add_one_cpu fixture library."""

import numpy as np
import pytest

import tvm_ffi
from tvm_ffi.module import ModulePropertyMask


def test_load_module(add_one_lib):
    mod = tvm_ffi.load_module(str(add_one_lib))
    assert isinstance(mod, tvm_ffi.Module)
    assert isinstance(mod, tvm_ffi.Object)
    assert mod.kind == "library"
    assert mod.entry_name == "main"
    assert tvm_ffi.Module.entry_name == "main"


def test_load_module_pathlike_string(add_one_lib):
    # load_module accepts a str; the same library loads twice without trouble
    m1 = tvm_ffi.load_module(str(add_one_lib))
    m2 = tvm_ffi.load_module(str(add_one_lib))
    x = np.arange(3, dtype="float32")
    y = np.zeros_like(x)
    m1.add_one_cpu(x, y)
    np.testing.assert_array_equal(y, x + 1)
    m2.add_one_cpu(y, x)
    np.testing.assert_array_equal(x, np.arange(3, dtype="float32") + 2)


def test_function_access(add_one_mod):
    f_attr = add_one_mod.add_one_cpu
    f_item = add_one_mod["add_one_cpu"]
    f_get = add_one_mod.get_function("add_one_cpu")
    for f in (f_attr, f_item, f_get):
        assert isinstance(f, tvm_ffi.Function)
        x = np.array([1.5, 2.5], dtype="float32")
        y = np.empty_like(x)
        f(x, y)
        np.testing.assert_array_equal(y, x + 1)
    # attribute lookups are cached on the instance
    assert "add_one_cpu" in add_one_mod.__dict__
    assert add_one_mod.add_one_cpu is f_attr


def test_implements_function(add_one_mod):
    assert add_one_mod.implements_function("add_one_cpu") is True
    assert add_one_mod.implements_function("tensor_ndim") is True
    assert add_one_mod.implements_function("nope") is False
    assert add_one_mod.implements_function("nope", True) is False


def test_missing_function(add_one_mod):
    with pytest.raises(AttributeError, match="Module has no function 'does_not_exist'"):
        _ = add_one_mod.does_not_exist
    with pytest.raises(AttributeError, match="Module has no function 'does_not_exist'"):
        add_one_mod["does_not_exist"]
    with pytest.raises(AttributeError, match="Module has no function 'does_not_exist'"):
        add_one_mod.get_function("does_not_exist")
    assert not hasattr(add_one_mod, "another_missing_one")


def test_getitem_non_str(add_one_mod):
    with pytest.raises(ValueError, match="Can only take string as function name"):
        add_one_mod[0]


def test_module_function_errors(add_one_mod):
    with pytest.raises(TypeError, match="Mismatched number of arguments"):
        add_one_mod.add_one_cpu(np.zeros(2, dtype="float32"))
    # TVM_FFI_ICHECK failures are internal errors, surfacing as RuntimeError
    with pytest.raises(RuntimeError, match="x and y must have the same shape"):
        add_one_mod.add_one_cpu(np.zeros(2, dtype="float32"), np.zeros(3, dtype="float32"))
    with pytest.raises(ValueError, match="from the module"):
        add_one_mod.raise_value_error("from the module")


def test_property_mask(add_one_mod):
    mask = add_one_mod.get_property_mask()
    assert isinstance(mask, int)
    assert add_one_mod.is_runnable() == bool(mask & ModulePropertyMask.RUNNABLE)
    assert add_one_mod.is_binary_serializable() == bool(
        mask & ModulePropertyMask.BINARY_SERIALIZABLE
    )
    assert add_one_mod.is_compilation_exportable() == bool(
        mask & ModulePropertyMask.COMPILATION_EXPORTABLE
    )
    assert add_one_mod.is_runnable()
    assert int(ModulePropertyMask.BINARY_SERIALIZABLE) == 1
    assert int(ModulePropertyMask.RUNNABLE) == 2
    assert int(ModulePropertyMask.COMPILATION_EXPORTABLE) == 4


def test_imports(add_one_lib):
    m1 = tvm_ffi.load_module(str(add_one_lib))
    m2 = tvm_ffi.load_module(str(add_one_lib))
    assert len(m1.imports) == 0
    m1.import_module(m2)
    assert len(m1.imports) == 1
    assert m1.imports[0].same_as(m2)
    assert isinstance(m1.imports[0], tvm_ffi.Module)
    with pytest.raises(RuntimeError, match="Cyclic dependency"):
        m2.import_module(m1)
    m1.clear_imports()
    assert len(m1.imports) == 0


def test_module_outlives_python_reference(add_one_lib):
    f = tvm_ffi.load_module(str(add_one_lib)).add_one_cpu
    # the module object is gone from Python; the function keeps the library alive
    import gc

    gc.collect()
    x = np.arange(4, dtype="float32")
    y = np.empty_like(x)
    f(x, y)
    np.testing.assert_array_equal(y, x + 1)


def test_load_missing_file(tmp_path):
    path = tmp_path / "does_not_exist.so"
    with pytest.raises(RuntimeError) as e:
        tvm_ffi.load_module(str(path))
    assert "does_not_exist.so" in str(e.value)


def test_load_non_library_file(tmp_path):
    path = tmp_path / "not_a_library.so"
    path.write_text("this is plain text, not an ELF shared object\n")
    with pytest.raises(RuntimeError) as e:
        tvm_ffi.load_module(str(path))
    assert "not_a_library.so" in str(e.value)


def test_load_unknown_format(tmp_path):
    path = tmp_path / "module.unknownfmt"
    path.write_text("x")
    with pytest.raises(RuntimeError, match="unknownfmt"):
        tvm_ffi.load_module(str(path))
    no_ext = tmp_path / "noextension"
    no_ext.write_text("x")
    with pytest.raises(RuntimeError, match="Failed to get file format"):
        tvm_ffi.load_module(str(no_ext))


def test_system_lib_singleton():
    a = tvm_ffi.system_lib()
    b = tvm_ffi.system_lib()
    assert isinstance(a, tvm_ffi.Module)
    assert a.same_as(b)
    assert not a.implements_function("definitely_not_in_system_lib")
