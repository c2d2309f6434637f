"""The public names of the package (§1)."""

import tvm_ffi

TOP_LEVEL_ALL = {
    "LIB",
    "Array",
    "DLDeviceType",
    "Device",
    "Dict",
    "Function",
    "List",
    "Map",
    "Module",
    "Object",
    "ObjectConvertible",
    "Shape",
    "StreamContext",
    "Tensor",
    "__version__",
    "access_path",
    "convert",
    "dataclasses",
    "device",
    "dtype",
    "from_dlpack",
    "get_global_func",
    "get_global_func_metadata",
    "get_raw_stream",
    "init_ffi_api",
    "load_module",
    "register_error",
    "register_global_func",
    "register_object",
    "remove_global_func",
    "serialization",
    "system_lib",
    "use_raw_stream",
    "use_torch_stream",
}


def test_top_level_all():
    assert len(tvm_ffi.__all__) == 34
    assert set(tvm_ffi.__all__) == TOP_LEVEL_ALL
    for name in tvm_ffi.__all__:
        assert hasattr(tvm_ffi, name), name


def test_submodules_reachable():
    for name in (
        "base",
        "libinfo",
        "registry",
        "core",
        "error",
        "container",
        "module",
        "stream",
        "serialization",
        "access_path",
        "dataclasses",
        "_dtype",
        "_convert",
        "_tensor",
        "_ffi_api",
    ):
        assert hasattr(tvm_ffi, name), name


def test_submodule_all():
    from tvm_ffi import container, module, registry, serialization

    assert set(registry.__all__) == {
        "get_global_func",
        "get_global_func_metadata",
        "init_ffi_api",
        "list_global_func_names",
        "register_global_func",
        "register_object",
        "remove_global_func",
    }
    assert set(container.__all__) == {"Array", "Dict", "List", "Map"}
    assert set(module.__all__) == {"Module", "ModulePropertyMask", "load_module", "system_lib"}
    assert set(serialization.__all__) == {"from_json_graph_str", "to_json_graph_str"}
    assert set(tvm_ffi.dataclasses.__all__) == {"MISSING", "Field", "c_class", "field"}


def test_core_classes_registered():
    core = tvm_ffi.core
    for cls in (
        tvm_ffi.Object,
        tvm_ffi.Function,
        tvm_ffi.Tensor,
        tvm_ffi.Array,
        tvm_ffi.Map,
        tvm_ffi.List,
        tvm_ffi.Dict,
        tvm_ffi.Module,
        core.Error,
        core.OpaquePyObject,
    ):
        assert issubclass(cls, tvm_ffi.Object)
    assert issubclass(tvm_ffi.Shape, tuple)
    assert issubclass(core.String, str)
    assert issubclass(core.Bytes, bytes)
    assert core.__dlpack_version__ == (1, 3)
    assert core._object_type_key_to_index("ffi.Object") == 64
    assert core._object_type_key_to_index("ffi.Function") == 68
    assert core._object_type_key_to_index("ffi.Tensor") == 70
    assert core._object_type_key_to_index("ffi.List") == 75
    assert core._object_type_key_to_index("ffi.Dict") == 76


def test_ffi_api_namespace():
    api = tvm_ffi._ffi_api
    for name in (
        "Array",
        "Map",
        "ArrayGetItem",
        "MapSize",
        "ModuleLoadFromFile",
        "Shape",
        "ToJSONGraphString",
        "FromJSONGraphString",
        "FunctionListGlobalNamesFunctor",
    ):
        f = getattr(api, name)
        assert isinstance(f, tvm_ffi.Function), name
        assert f.__name__ == name
    assert not hasattr(api, "Module.load_from_file.so")


def test_init_ffi_api(monkeypatch):
    import sys
    import types

    mod = types.ModuleType("my_ffi_api_target")
    monkeypatch.setitem(sys.modules, "my_ffi_api_target", mod)
    tvm_ffi.register_global_func("myapi_ns.Double", lambda x: 2 * x)
    tvm_ffi.register_global_func("myapi_ns.sub.Skipped", lambda: None)
    try:
        tvm_ffi.init_ffi_api("myapi_ns", "my_ffi_api_target")
        assert mod.Double(4) == 8
        assert mod.Double.__name__ == "Double"
        assert not hasattr(mod, "Skipped") and not hasattr(mod, "sub")
    finally:
        tvm_ffi.remove_global_func("myapi_ns.Double")
        tvm_ffi.remove_global_func("myapi_ns.sub.Skipped")


def test_no_top_level_module_names_taken(run_python, tmp_path):
    # A user's own module called `core` must stay importable after `import tvm_ffi`.
    (tmp_path / "core.py").write_text("VALUE = 'user core'\n")
    proc = run_python(
        """
    import sys
    before = set(sys.modules)
    import tvm_ffi
    added = sorted(m for m in set(sys.modules) - before if "." not in m and not m.startswith("_"))
    import core
    print("CORE", getattr(core, "VALUE", None))
    print("ADDED", added)
    """,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert "CORE user core" in proc.stdout, proc.stdout
