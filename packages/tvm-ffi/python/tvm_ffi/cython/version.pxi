# Import-time ABI check (included by core.pyx right after base.pxi, so it runs before any other
# code of the core calls into the runtime).
#
# This extension was compiled against the ABI headers' TVM_FFI_VERSION_{MAJOR,MINOR,PATCH}. The
# libtvm_ffi that the process actually resolved reports its own version through
# TVMFFIGetVersion, the one C entry point that stays stable across versions. Within one
# major.minor the ABI is binary compatible (the patch numbers may differ); across a different
# major.minor, layouts and functions may differ, so the import stops with an ImportError that
# names both versions and the library that answered.

cdef extern from "tvm/ffi/c_api.h":
    int TVM_FFI_VERSION_MAJOR
    int TVM_FFI_VERSION_MINOR
    int TVM_FFI_VERSION_PATCH

cdef extern from *:
    """
    #if defined(__unix__) || defined(__APPLE__)
    #include <dlfcn.h>
    /* File name of the shared object whose TVMFFIGetVersion this extension is bound to. */
    static const char* TVMFFIPyRuntimeLibraryPath(void) {
      Dl_info info;
      if (dladdr((void*)&TVMFFIGetVersion, &info) != 0 && info.dli_fname != NULL) {
        return info.dli_fname;
      }
      return NULL;
    }
    #else
    static const char* TVMFFIPyRuntimeLibraryPath(void) { return NULL; }
    #endif
    """
    const char* TVMFFIPyRuntimeLibraryPath()


# (major, minor, patch) of the ABI headers this extension was compiled against.
_BUILT_ABI_VERSION = (TVM_FFI_VERSION_MAJOR, TVM_FFI_VERSION_MINOR, TVM_FFI_VERSION_PATCH)


def _abi_mismatch_message(runtime_version, built_version, runtime_path=None, extension_path=None):
    """None if a runtime reporting ``runtime_version`` serves an extension built for
    ``built_version`` (same major.minor), else the message of the ImportError."""
    runtime_version = tuple(int(x) for x in runtime_version)
    built_version = tuple(int(x) for x in built_version)
    if runtime_version[:2] == built_version[:2]:
        return None
    return (
        "TVM FFI ABI mismatch: the loaded runtime library %s reports version %s (ABI %d.%d), "
        "but the extension tvm_ffi.core%s was built for ABI %d.%d (headers %s). "
        "The ABI major.minor must match. Reinstall tvm-ffi so that both come from one build, "
        "and check that no other libtvm_ffi is picked up first (LD_PRELOAD, LD_LIBRARY_PATH, "
        "an earlier import)."
        % (
            runtime_path or "libtvm_ffi",
            ".".join(str(x) for x in runtime_version),
            runtime_version[0],
            runtime_version[1],
            " (%s)" % extension_path if extension_path else "",
            built_version[0],
            built_version[1],
            ".".join(str(x) for x in built_version),
        )
    )


def _loaded_runtime_version():
    """(major, minor, patch) reported by TVMFFIGetVersion of the libtvm_ffi in use."""
    cdef TVMFFIVersion v
    TVMFFIGetVersion(&v)
    return (v.major, v.minor, v.patch)


def _loaded_runtime_path():
    """Path of the shared object that provides the runtime (None where unknown)."""
    cdef const char* path = TVMFFIPyRuntimeLibraryPath()
    if path == NULL:
        return None
    return _os.fsdecode(<bytes>path)


def _check_runtime_abi():
    message = _abi_mismatch_message(
        _loaded_runtime_version(), _BUILT_ABI_VERSION, _loaded_runtime_path(),
        globals().get("__file__"))
    if message is not None:
        raise ImportError(message, name="tvm_ffi.core")


_check_runtime_abi()
