"""Build C++/CUDA sources into a shared library exporting TVM FFI functions, with a cache.

Layout of one build directory (``$TVM_FFI_CACHE_DIR/<name>_<hash16>`` unless given):

- ``source_<i>.cpp`` / ``cuda_source_<i>.cu``: the user's source strings, verbatim (so compiler
  diagnostics and C++ backtraces point at the user's own lines);
- ``main.cpp`` / ``cuda.cu``: the standard includes, ``#include`` of those files, and one
  ``TVM_FFI_DLL_EXPORT_TYPED_FUNC`` line per exported function;
- ``build.ninja``; ``<name>.so``; ``lock`` (the build lock, holding the holder's pid);
- ``build.log``: one line per ninja run (what was built, when, how long);
- ``stamp.json``: written after a successful build; a later call whose key matches it returns
  the library without taking the lock or running ninja.
"""

import functools
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import warnings

__all__ = ["BuildError", "build", "build_inline", "load", "load_inline"]

_KEY_VERSION = "tvm-ffi-cpp-jit/1"
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PRELUDE_HEADERS = (
    "tvm/ffi/container/tensor.h",
    "tvm/ffi/dtype.h",
    "tvm/ffi/error.h",
    "tvm/ffi/extra/c_env_api.h",
    "tvm/ffi/function.h",
)


class BuildError(RuntimeError):
    """Compiling or linking failed; the message holds the compiler output and build directory."""

    def __init__(self, message, build_directory=None, output=""):
        super().__init__(message)
        self.build_directory = build_directory
        self.output = output


def _verbose():
    return os.environ.get("TVM_FFI_JIT_VERBOSE", "0") not in ("", "0")


# --------------------------------------------------------------------------------------------
# argument normalisation


def _as_source_list(value, what):
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, (bytes, bytearray)):
        raise TypeError("%s must be a str or a sequence of str, got bytes" % what)
    try:
        items = list(value)
    except TypeError:
        raise TypeError(
            "%s must be a str or a sequence of str, got %s" % (what, type(value).__name__)
        ) from None
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise TypeError("%s[%d] must be a str, got %s" % (what, i, type(item).__name__))
    return items


def _as_flag_list(value, what):
    """Compiler/linker flags: empty flags are dropped; line breaks and NUL are rejected (a
    ninja file cannot carry them, and no compiler flag needs them)."""
    flags = _as_str_list(value, what)
    for i, flag in enumerate(flags):
        if any(c in flag for c in "\n\r\0"):
            raise ValueError(
                "%s[%d] contains a line break or NUL character, which cannot be passed to the "
                "build: %r" % (what, i, flag)
            )
    return [flag for flag in flags if flag != ""]


def _as_str_list(value, what):
    if value is None:
        return []
    if isinstance(value, str):
        raise TypeError("%s must be a sequence of str (e.g. [%r]), not a str" % (what, value))
    try:
        items = list(value)
    except TypeError:
        raise TypeError(
            "%s must be a sequence of str, got %s" % (what, type(value).__name__)
        ) from None
    for i, item in enumerate(items):
        if not isinstance(item, (str, os.PathLike)):
            raise TypeError("%s[%d] must be a str, got %s" % (what, i, type(item).__name__))
    return [os.fspath(x) for x in items]


def _as_functions(functions):
    """-> dict name -> docstring (insertion ordered)."""
    if functions is None:
        return {}
    if isinstance(functions, str):
        result = {functions: ""}
    elif isinstance(functions, dict) or hasattr(functions, "items"):
        result = {}
        for key, doc in functions.items():
            if not isinstance(key, str):
                raise TypeError("functions keys must be str, got %s" % type(key).__name__)
            if doc is None:
                doc = ""
            if not isinstance(doc, str):
                raise TypeError(
                    "docstring of function %r must be a str, got %s" % (key, type(doc).__name__)
                )
            result[key] = doc
    else:
        try:
            names = list(functions)
        except TypeError:
            raise TypeError(
                "functions must be a str, a sequence of str or a mapping name -> docstring, got %s"
                % type(functions).__name__
            ) from None
        result = {}
        for name in names:
            if not isinstance(name, str):
                raise TypeError("functions entries must be str, got %s" % type(name).__name__)
            result[name] = ""
    for name in result:
        if not _IDENT.fullmatch(name):
            raise ValueError("function name %r is not a C++ identifier" % name)
    return result


def _check_name(name):
    if not isinstance(name, str):
        raise TypeError("name must be a str, got %s" % type(name).__name__)
    if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*", name):
        raise ValueError(
            "name %r must be non-empty and contain only letters, digits, '_', '-' and '.'" % name
        )


# --------------------------------------------------------------------------------------------
# toolchain discovery (memoised per process)


def _which_command(cmd, what, env_hint):
    parts = shlex.split(cmd)
    if not parts:
        raise RuntimeError("%s command is empty (%s)" % (what, env_hint))
    exe = shutil.which(parts[0])
    if exe is None:
        raise RuntimeError(
            "%s %r not found on PATH; install one or set %s" % (what, parts[0], env_hint)
        )
    return [exe] + parts[1:]


def _file_identity(path):
    real = os.path.realpath(path)
    st = os.stat(real)
    return "%s:%d:%d" % (real, st.st_size, st.st_mtime_ns)


def _cxx():
    cmd = _which_command(
        os.environ.get("CXX") or "c++", "C++ compiler", "the CXX environment variable"
    )
    return cmd, _file_identity(cmd[0])


@functools.cache
def _ninja():
    exe = shutil.which("ninja")
    if exe is None:
        try:
            import ninja  # the `ninja` pip package

            cand = os.path.join(ninja.BIN_DIR, "ninja")
            if os.path.isfile(cand):
                exe = cand
        except ImportError:
            pass
    if exe is None:
        raise RuntimeError("ninja not found: pip install ninja (or put ninja on PATH)")
    return exe


@functools.cache
def _tvm_ffi_info():
    import tvm_ffi
    from tvm_ffi import libinfo

    include_dirs = []
    for path in (libinfo.find_include_path(), libinfo.find_dlpack_include_path()):
        path = os.path.realpath(path)
        if path not in include_dirs:
            include_dirs.append(path)
    lib = os.path.realpath(libinfo.find_libtvm_ffi())
    digest = hashlib.sha256()
    for inc in include_dirs:
        for root, dirs, files in os.walk(inc):
            dirs.sort()
            for fname in sorted(files):
                full = os.path.join(root, fname)
                st = os.stat(full)
                digest.update(("%s:%d:%d\n" % (full, st.st_size, st.st_mtime_ns)).encode())
    return {
        "version": tvm_ffi.__version__,
        "include_dirs": include_dirs,
        "lib": lib,
        "lib_id": _file_identity(lib),
        "headers": digest.hexdigest(),
    }


def _cudart_dir(home):
    for sub in ("lib64", os.path.join("targets", "x86_64-linux", "lib"), "lib"):
        d = os.path.join(home, sub)
        if os.path.isfile(os.path.join(d, "libcudart.so")):
            return d
    return None


def _cuda_home():
    for var in ("CUDA_HOME", "CUDA_PATH"):
        val = os.environ.get(var)
        if val:
            if not os.path.isfile(os.path.join(val, "bin", "nvcc")):
                raise RuntimeError("%s=%s has no bin/nvcc" % (var, val))
            return os.path.realpath(val)
    candidates = []
    nvcc = shutil.which("nvcc")
    if nvcc:
        candidates.append(os.path.dirname(os.path.dirname(os.path.realpath(nvcc))))
        candidates.append(os.path.dirname(os.path.dirname(os.path.abspath(nvcc))))
    candidates.append("/usr/local/cuda")
    found = [c for c in candidates if os.path.isfile(os.path.join(c, "bin", "nvcc"))]
    # a wrapper script on PATH (e.g. /usr/local/bin/nvcc) has no toolkit around it: prefer a
    # candidate that also has the CUDA runtime library
    for c in found:
        if _cudart_dir(c):
            return os.path.realpath(c)
    if found:
        return os.path.realpath(found[0])
    raise RuntimeError(
        "cuda_sources given but nvcc was not found: set CUDA_HOME (or CUDA_PATH) or put nvcc on"
        " PATH"
    )


def _cache_root():
    root = os.environ.get("TVM_FFI_CACHE_DIR")
    if not root:
        root = os.path.join(os.path.expanduser("~"), ".cache", "tvm-ffi")
    return os.path.abspath(root)


def _parse_arch_list(text):
    flags = []
    for item in text.replace(";", " ").replace(",", " ").split():
        m = re.fullmatch(r"(\d+)\.(\d+)([af]?)", item)
        if not m:
            raise ValueError(
                "TVM_FFI_CUDA_ARCH_LIST entry %r must look like 'major.minor' (e.g. '8.9 9.0a')"
                % item
            )
        num = m.group(1) + m.group(2) + m.group(3)
        flags.append("-gencode=arch=compute_%s,code=sm_%s" % (num, num))
    if not flags:
        raise ValueError("TVM_FFI_CUDA_ARCH_LIST is set but empty")
    return flags


@functools.cache
def _nvcc_archs(nvcc, nvcc_id):
    """Real architectures the installed nvcc supports (e.g. [75, 80, ...]); cached on disk."""
    cache = os.path.join(
        _cache_root(), ".nvcc-archs-%s.json" % hashlib.sha256(nvcc_id.encode()).hexdigest()[:16]
    )
    try:
        with open(cache) as f:
            return tuple(json.load(f))
    except (OSError, ValueError):
        pass
    archs = []
    try:
        out = subprocess.run(
            [nvcc, "--list-gpu-arch"], capture_output=True, text=True, timeout=60
        ).stdout
        archs = sorted({int(m) for m in re.findall(r"compute_(\d+)\b", out)})
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        tmp = cache + ".%d.tmp" % os.getpid()
        with open(tmp, "w") as f:
            json.dump(archs, f)
        os.replace(tmp, cache)
    except OSError:
        pass
    return tuple(archs)


@functools.cache
def _gpu_compute_cap():
    smi = shutil.which("nvidia-smi")
    if not smi:
        return None
    try:
        out = subprocess.run(
            [smi, "--query-gpu=compute_cap", "--format=csv,noheader"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.match(r"\s*(\d+)\.(\d+)", out.stdout or "")
    if out.returncode != 0 or not m:
        return None
    return int(m.group(1) + m.group(2))


def _cuda_arch_flags(nvcc, nvcc_id):
    env = os.environ.get("TVM_FFI_CUDA_ARCH_LIST")
    if env is not None and env.strip():
        return _parse_arch_list(env)
    supported = _nvcc_archs(nvcc, nvcc_id)
    cap = _gpu_compute_cap()
    if cap is not None and (not supported or cap in supported):
        return ["-gencode=arch=compute_%d,code=sm_%d" % (cap, cap)]
    if supported:
        # no GPU visible: the oldest arch this nvcc accepts, with PTX so newer GPUs JIT it
        arch = supported[0]
        return ["-gencode=arch=compute_%d,code=[sm_%d,compute_%d]" % (arch, arch, arch)]
    return ["-gencode=arch=compute_75,code=[sm_75,compute_75]"]


# --------------------------------------------------------------------------------------------
# lock


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class _BuildLock:
    """``fcntl.flock`` on ``path``; the holder writes ``<pid> <time>`` into the file.

    The kernel drops a flock when its holder dies, so a build killed by SIGKILL leaves a free
    lock whose file still names the dead pid: the next holder warns and takes over (it cleans
    the half-written outputs). A lock still held by a live process for longer than ``timeout``
    seconds (``TVM_FFI_JIT_LOCK_TIMEOUT``, default 1800) is considered hung: the waiter warns,
    removes the lock file and locks a fresh one.
    """

    def __init__(self, path, timeout=None):
        self.path = path
        if timeout is None:
            timeout = float(os.environ.get("TVM_FFI_JIT_LOCK_TIMEOUT", "1800"))
        self.timeout = timeout
        self.fd = None
        self.took_over_from = None

    @staticmethod
    def _read_owner(fd):
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            text = os.read(fd, 200).decode("ascii", "replace").split()
            return int(text[0]), float(text[1])
        except (OSError, ValueError, IndexError):
            return None

    def acquire(self, poll=0.05):
        import fcntl

        waited_since = time.monotonic()
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                owner = self._read_owner(fd)
                os.close(fd)
                hung = owner is not None and time.time() - owner[1] > self.timeout
                if hung or time.monotonic() - waited_since > self.timeout:
                    warnings.warn(
                        "tvm_ffi.cpp: build lock %s held for more than %.0f s (by pid %s); "
                        "taking it over" % (self.path, self.timeout, owner[0] if owner else "?"),
                        RuntimeWarning,
                        stacklevel=4,
                    )
                    try:
                        os.unlink(self.path)
                    except FileNotFoundError:
                        pass
                    waited_since = time.monotonic()
                    continue
                time.sleep(poll)
                continue
            # locked; is this still the file at self.path (not unlinked by a take-over)?
            try:
                if os.stat(self.path).st_ino != os.fstat(fd).st_ino:
                    os.close(fd)
                    continue
            except FileNotFoundError:
                os.close(fd)
                continue
            owner = self._read_owner(fd)
            if owner is not None and owner[0] != os.getpid():
                if not _pid_alive(owner[0]):
                    self.took_over_from = owner[0]
                    warnings.warn(
                        "tvm_ffi.cpp: stale build lock %s left by dead process %d; taking it over"
                        % (self.path, owner[0]),
                        RuntimeWarning,
                        stacklevel=4,
                    )
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, ("%d %f\n" % (os.getpid(), time.time())).encode())
            self.fd = fd
            return self

    def release(self):
        import fcntl

        if self.fd is not None:
            try:
                os.ftruncate(self.fd, 0)
                fcntl.flock(self.fd, fcntl.LOCK_UN)
            finally:
                os.close(self.fd)
                self.fd = None

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()


# --------------------------------------------------------------------------------------------
# ninja file


def _esc(path):
    return path.replace("$", "$$").replace(" ", "$ ").replace(":", "$:")


def _flags(items):
    """A ninja variable value holding shell-quoted arguments (``$`` escaped for ninja)."""
    return " ".join(shlex.quote(x) for x in items).replace("$", "$$")


def _write_if_changed(path, text):
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return
    except OSError:
        pass
    tmp = path + ".%d.tmp" % os.getpid()
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def _main_source(parts_files, exports):
    lines = ["// generated by tvm-ffi-cpp-jit"]
    lines += ["#include <%s>" % h for h in _PRELUDE_HEADERS]
    lines += ['#include "%s"' % f for f in parts_files]
    lines += ["TVM_FFI_DLL_EXPORT_TYPED_FUNC(%s, %s);" % (f, f) for f in exports]
    return "\n".join(lines) + "\n"


def _ninja_file(cfg):
    out = ["ninja_required_version = 1.3", ""]
    out.append("cxx = %s" % _flags(cfg["cxx"]))
    out.append("cflags = %s" % _flags(cfg["cflags"]))
    if cfg["cuda"]:
        out.append("nvcc = %s" % _flags([cfg["nvcc"]]))
        out.append("cuda_cflags = %s" % _flags(cfg["cuda_cflags"]))
    out.append("ldflags = %s" % _flags(cfg["ldflags"]))
    out += [
        "",
        "rule compile",
        "  command = $cxx -MMD -MF $out.d $cflags -c $in -o $out",
        "  depfile = $out.d",
        "  deps = gcc",
        "  description = compile $in",
        "",
    ]
    if cfg["cuda"]:
        out += [
            "rule compile_cuda",
            "  command = $nvcc --generate-dependencies-with-compile --dependency-output $out.d"
            " $cuda_cflags -c $in -o $out",
            "  depfile = $out.d",
            "  deps = gcc",
            "  description = nvcc $in",
            "",
        ]
    out += [
        "rule link",
        # link under a temporary name, then rename into place (atomic for readers)
        "  command = $cxx $in $ldflags -o $out.tmp && mv -f $out.tmp $out",
        "  description = link $out",
        "",
        "build main.o: compile %s" % _esc(os.path.join(cfg["dir"], "main.cpp")),
    ]
    objs = ["main.o"]
    if cfg["cuda"]:
        out.append("build cuda.o: compile_cuda %s" % _esc(os.path.join(cfg["dir"], "cuda.cu")))
        objs.append("cuda.o")
    out.append("build %s: link %s" % (_esc(cfg["lib_name"]), " ".join(objs)))
    out.append("default %s" % _esc(cfg["lib_name"]))
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------
# the build

# Undefined symbols are link errors (naming the symbol), not a "symbol lookup error" that kills
# the process at the first call. GNU ld / lld spell it --no-undefined; Apple's ld reports them by
# default. A library meant to use symbols of the host process (e.g. libpython's) passes
# extra_ldflags=["-Wl,-z,undefs"], which comes later on the command line and wins.
_NO_UNDEFINED_LDFLAGS = ["-Wl,--no-undefined"] if sys.platform.startswith("linux") else []


def _run_ninja(build_dir, name, what):
    cmd = [_ninja(), "-v"]
    jobs = os.environ.get("MAX_JOBS")
    if jobs:
        if not jobs.isdigit() or int(jobs) < 1:
            raise ValueError("MAX_JOBS must be a positive integer, got %r" % jobs)
        cmd += ["-j", jobs]
    verbose = _verbose()
    sys.stderr.write("[tvm_ffi.cpp] building %s (%s) in %s ... " % (name, what, build_dir))
    sys.stderr.flush()
    if verbose:
        sys.stderr.write("\n$ %s\n" % " ".join(cmd))
    start = time.monotonic()
    proc = subprocess.run(
        cmd,
        cwd=build_dir,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        errors="replace",
    )
    elapsed = time.monotonic() - start
    if verbose:
        sys.stderr.write(proc.stdout)
    with open(os.path.join(build_dir, "build.log"), "a", encoding="utf-8") as f:
        f.write(
            "%s pid=%d status=%d seconds=%.3f %s\n"
            % (time.strftime("%Y-%m-%dT%H:%M:%S"), os.getpid(), proc.returncode, elapsed, what)
        )
    if proc.returncode != 0:
        sys.stderr.write("failed (%.1f s)\n" % elapsed)
        sys.stderr.flush()
        raise BuildError(
            "tvm_ffi.cpp: building %r failed: ninja exited with status %d.\n"
            "Build directory: %s\n%s" % (name, proc.returncode, build_dir, proc.stdout),
            build_directory=build_dir,
            output=proc.stdout,
        )
    sys.stderr.write("done (%.1f s)\n" % elapsed)
    sys.stderr.flush()


def _read_stamp(build_dir):
    try:
        with open(os.path.join(build_dir, "stamp.json"), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def _check_functions_in_sources(functions, sources):
    if not functions:
        return
    idents = set()
    for src in sources:
        idents.update(_IDENT.findall(src))
    missing = [f for f in functions if f not in idents]
    if missing:
        raise ValueError(
            "functions %s not found in the given sources (each exported function must be "
            "declared in cpp_sources or cuda_sources)" % ", ".join(repr(m) for m in missing)
        )


def _build(
    name,
    cpp_parts,
    cuda_parts,
    funcs,
    extra_cflags,
    extra_cuda_cflags,
    extra_ldflags,
    extra_include_paths,
    build_directory,
    file_sources=False,
):
    _check_name(name)
    if not cpp_parts and not cuda_parts:
        raise ValueError("no sources given: pass cpp_sources and/or cuda_sources")
    extra_cflags = _as_flag_list(extra_cflags, "extra_cflags")
    extra_cuda_cflags = _as_flag_list(extra_cuda_cflags, "extra_cuda_cflags")
    extra_ldflags = _as_flag_list(extra_ldflags, "extra_ldflags")
    include_paths = [
        os.path.abspath(p) for p in _as_str_list(extra_include_paths, "extra_include_paths")
    ]
    if build_directory is not None and not isinstance(build_directory, (str, os.PathLike)):
        raise TypeError(
            "build_directory must be a str or os.PathLike, got %s" % type(build_directory).__name__
        )
    if not file_sources:
        _check_functions_in_sources(funcs, cpp_parts + cuda_parts)
    use_cuda = bool(cuda_parts)

    cxx, cxx_id = _cxx()
    info = _tvm_ffi_info()
    key = {
        "v": _KEY_VERSION,
        "name": name,
        "cpp": cpp_parts,
        "cuda": cuda_parts,
        "functions": sorted(funcs.items()),
        "cflags": extra_cflags,
        "cuda_cflags": extra_cuda_cflags,
        "ldflags": extra_ldflags,
        "include": include_paths,
        "cxx": [cxx, cxx_id],
        "tvm_ffi": [info["version"], info["headers"], info["lib_id"]],
    }
    nvcc = None
    if use_cuda:
        cuda_home = _cuda_home()
        nvcc = os.path.join(cuda_home, "bin", "nvcc")
        nvcc_id = _file_identity(nvcc)
        arch_flags = _cuda_arch_flags(nvcc, nvcc_id)
        key["nvcc"] = [nvcc_id, arch_flags]
    if file_sources:
        # the content of the files is part of the key
        key["file_ids"] = [_file_identity(p) for p in cpp_parts + cuda_parts]
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()

    if build_directory is None:
        build_dir = os.path.join(_cache_root(), "%s_%s" % (name, digest[:16]))
    else:
        build_dir = os.path.abspath(os.fspath(build_directory))
    lib_name = name + ".so"
    lib_path = os.path.join(build_dir, lib_name)

    def _hit():
        stamp = _read_stamp(build_dir)
        return stamp is not None and stamp.get("key") == digest and os.path.isfile(lib_path)

    if _hit():  # fast path: no lock, no ninja
        return lib_path

    os.makedirs(build_dir, exist_ok=True)
    with _BuildLock(os.path.join(build_dir, "lock")) as lock:
        if _hit():  # another process built it while we waited
            return lib_path
        if lock.took_over_from is not None:
            # the dead builder may have left half-written outputs: drop them
            for fname in os.listdir(build_dir):
                if fname.endswith(".tmp") or fname in (
                    "main.o",
                    "cuda.o",
                    ".ninja_log",
                    ".ninja_deps",
                ):
                    try:
                        os.unlink(os.path.join(build_dir, fname))
                    except OSError:
                        pass
        try:
            os.unlink(os.path.join(build_dir, "stamp.json"))
        except FileNotFoundError:
            pass
        exports = list(funcs)
        cpp_files, cuda_files = [], []
        if file_sources:
            cpp_files = [os.path.abspath(p) for p in cpp_parts]
            cuda_files = [os.path.abspath(p) for p in cuda_parts]
        else:
            for i, src in enumerate(cpp_parts):
                fname = "source_%d.cpp" % i
                _write_if_changed(
                    os.path.join(build_dir, fname), src if src.endswith("\n") else src + "\n"
                )
                cpp_files.append(os.path.join(build_dir, fname))
            for i, src in enumerate(cuda_parts):
                fname = "cuda_source_%d.cu" % i
                _write_if_changed(
                    os.path.join(build_dir, fname), src if src.endswith("\n") else src + "\n"
                )
                cuda_files.append(os.path.join(build_dir, fname))
        # exported functions go where the C++ sources are (CUDA-only: into cuda.cu)
        _write_if_changed(
            os.path.join(build_dir, "main.cpp"),
            _main_source(cpp_files, exports if cpp_parts else []),
        )
        if use_cuda:
            _write_if_changed(
                os.path.join(build_dir, "cuda.cu"),
                _main_source(cuda_files, [] if cpp_parts else exports),
            )
        inc_flags = ["-I" + p for p in info["include_dirs"] + include_paths]
        ldflags = [
            "-shared",
            "-L" + os.path.dirname(info["lib"]),
            "-ltvm_ffi",
            "-Wl,-rpath," + os.path.dirname(info["lib"]),
        ] + _NO_UNDEFINED_LDFLAGS
        cfg = {
            "dir": build_dir,
            "lib_name": lib_name,
            "cxx": cxx,
            "cflags": ["-std=c++17", "-fPIC", "-O2"] + extra_cflags + inc_flags,
            "cuda": use_cuda,
            "ldflags": ldflags,
        }
        if use_cuda:
            assert nvcc is not None  # set with the key above
            cuda_home = os.path.dirname(os.path.dirname(nvcc))
            cfg["nvcc"] = nvcc
            cfg["cuda_cflags"] = (
                ["-Xcompiler", "-fPIC", "-std=c++17", "-O2"]
                + key["nvcc"][1]
                + extra_cuda_cflags
                + inc_flags
            )
            libdir = _cudart_dir(cuda_home) or os.path.join(cuda_home, "lib64")
            cfg["ldflags"] = ldflags + ["-L" + libdir, "-lcudart", "-Wl,-rpath," + libdir]
        cfg["ldflags"] = cfg["ldflags"] + extra_ldflags
        _write_if_changed(os.path.join(build_dir, "build.ninja"), _ninja_file(cfg))
        what = ", ".join(os.path.basename(p) for p in cpp_files + cuda_files)
        _run_ninja(build_dir, name, what)
        stamp = {"key": digest, "functions": funcs, "library": lib_name}
        tmp = os.path.join(build_dir, "stamp.json.%d.tmp" % os.getpid())
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(stamp, f)
        os.replace(tmp, os.path.join(build_dir, "stamp.json"))
    return lib_path


# --------------------------------------------------------------------------------------------
# public API


def build_inline(
    name,
    *,
    cpp_sources=None,
    cuda_sources=None,
    functions=None,
    extra_cflags=None,
    extra_cuda_cflags=None,
    extra_ldflags=None,
    extra_include_paths=None,
    build_directory=None,
):
    """Compile C++ (and CUDA) source strings into a shared library; return its absolute path.

    ``cpp_sources`` / ``cuda_sources``: a str or a sequence of str (one translation unit each
    kind). ``functions``: a name, a sequence of names, or a mapping name -> docstring; each is
    exported with ``TVM_FFI_DLL_EXPORT_TYPED_FUNC`` and must appear in the sources. The result is
    cached in ``$TVM_FFI_CACHE_DIR/<name>_<hash>`` (default ``~/.cache/tvm-ffi``) unless
    ``build_directory`` is given; a cache hit runs no compiler. Compile/link errors raise
    :class:`BuildError` (a ``RuntimeError``) with the compiler output.
    """
    cpp_parts = _as_source_list(cpp_sources, "cpp_sources")
    cuda_parts = _as_source_list(cuda_sources, "cuda_sources")
    funcs = _as_functions(functions)
    return _build(
        name,
        cpp_parts,
        cuda_parts,
        funcs,
        extra_cflags,
        extra_cuda_cflags,
        extra_ldflags,
        extra_include_paths,
        build_directory,
    )


# Libraries loaded by load_inline/load stay loaded for the life of the process, but this module
# keeps no list of them: the tvm_ffi runtime itself never unloads a library it has loaded
# (objects, errors and functions a library created carry deleters and code that live in it and
# may outlive every Module; running them after dlclose would crash). A Module returned here is
# an ordinary object that goes away when its last reference does, so repeated calls (cache hits)
# hold nothing more than the caller keeps.


def _content_unique_path(path):
    """A hard link (or copy) of ``path`` whose name holds a hash of its content.

    The dynamic loader identifies a library by its path: opening a rebuilt ``<name>.so`` at the
    path of one already loaded returns the OLD library. Loading each build from a path unique to
    its content makes a rebuild (e.g. in a reused build_directory) load the new code, and an
    unchanged library the same file as before.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    base, ext = os.path.splitext(os.path.basename(path))
    folder = os.path.join(os.path.dirname(path), "loaded")
    unique = os.path.join(folder, "%s.%s%s" % (base, digest.hexdigest()[:16], ext))
    if os.path.isfile(unique):
        return unique
    os.makedirs(folder, exist_ok=True)
    tmp = unique + ".%d.tmp" % os.getpid()
    try:
        os.link(path, tmp)
    except OSError:
        shutil.copyfile(path, tmp)
    os.replace(tmp, unique)
    return unique


def _check_keep_module_alive(keep_module_alive):
    """Reject a non-bool before anything is built (load_module would only complain after)."""
    if not isinstance(keep_module_alive, bool):
        raise TypeError("keep_module_alive must be bool, not %s" % type(keep_module_alive).__name__)


def _load_with_docs(path, funcs, keep_module_alive):
    import tvm_ffi

    mod = tvm_ffi.load_module(_content_unique_path(path), keep_module_alive=keep_module_alive)
    for fname, doc in funcs.items():
        if doc:
            func = mod.get_function(fname)
            try:
                func.__doc__ = doc
            except (AttributeError, TypeError):
                continue
            mod.__dict__[fname] = func  # mod.<fname> returns this documented Function
    return mod


def load_inline(
    name,
    *,
    cpp_sources=None,
    cuda_sources=None,
    functions=None,
    extra_cflags=None,
    extra_cuda_cflags=None,
    extra_ldflags=None,
    extra_include_paths=None,
    build_directory=None,
    keep_module_alive=True,
):
    """:func:`build_inline`, then :func:`tvm_ffi.load_module`; returns the ``tvm_ffi.Module``.

    Docstrings given in a ``functions`` mapping become ``mod.<name>.__doc__``.
    ``keep_module_alive`` is passed to ``load_module``: by default the library stays loaded
    for the rest of the process.
    """
    _check_keep_module_alive(keep_module_alive)
    funcs = _as_functions(functions)
    path = build_inline(
        name,
        cpp_sources=cpp_sources,
        cuda_sources=cuda_sources,
        functions=funcs,
        extra_cflags=extra_cflags,
        extra_cuda_cflags=extra_cuda_cflags,
        extra_ldflags=extra_ldflags,
        extra_include_paths=extra_include_paths,
        build_directory=build_directory,
    )
    return _load_with_docs(path, funcs, keep_module_alive)


def _split_files(sources):
    if isinstance(sources, (str, os.PathLike)):
        sources = [sources]
    try:
        paths = [os.fspath(p) for p in sources]
    except TypeError:
        raise TypeError("sources must be a path or a sequence of paths") from None
    if not paths:
        raise ValueError("sources is empty")
    cpp: list[str] = []
    cuda: list[str] = []
    for p in paths:
        if not os.path.isfile(p):
            raise FileNotFoundError("source file not found: %s" % p)
        (cuda if p.endswith(".cu") else cpp).append(os.path.abspath(p))
    return cpp, cuda


def build(
    name,
    sources,
    *,
    functions=None,
    extra_cflags=None,
    extra_cuda_cflags=None,
    extra_ldflags=None,
    extra_include_paths=None,
    build_directory=None,
):
    """Like :func:`build_inline` for source files (``.cu`` files go to nvcc, others to CXX).

    The files are compiled in place (``#include``d by the generated ``main.cpp``/``cuda.cu``);
    ``functions`` lists what to export (functions already exported by the files with
    ``TVM_FFI_DLL_EXPORT_TYPED_FUNC`` need not be listed).
    """
    cpp, cuda = _split_files(sources)
    funcs = _as_functions(functions)
    texts = []
    for p in cpp + cuda:
        with open(p, encoding="utf-8", errors="replace") as f:
            texts.append(f.read())
    _check_functions_in_sources(funcs, texts)
    return _build(
        name,
        cpp,
        cuda,
        funcs,
        extra_cflags,
        extra_cuda_cflags,
        extra_ldflags,
        extra_include_paths,
        build_directory,
        file_sources=True,
    )


def load(
    name,
    sources,
    *,
    functions=None,
    extra_cflags=None,
    extra_cuda_cflags=None,
    extra_ldflags=None,
    extra_include_paths=None,
    build_directory=None,
    keep_module_alive=True,
):
    """:func:`build` then :func:`tvm_ffi.load_module` (``keep_module_alive`` as for
    :func:`load_inline`)."""
    _check_keep_module_alive(keep_module_alive)
    funcs = _as_functions(functions)
    path = build(
        name,
        sources,
        functions=funcs,
        extra_cflags=extra_cflags,
        extra_cuda_cflags=extra_cuda_cflags,
        extra_ldflags=extra_ldflags,
        extra_include_paths=extra_include_paths,
        build_directory=build_directory,
    )
    return _load_with_docs(path, funcs, keep_module_alive)
