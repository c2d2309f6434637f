/*!
 * \file backtrace.cc
 * \brief TVMFFIBacktrace: text backtraces, innermost frame first.
 *
 * Frames come from glibc's backtrace() walker; names are resolved with dladdr() (dynamic
 * symbol table only, so hidden functions stay anonymous and are left out) and demangled with
 * __cxa_demangle. No line information is available without a symbolizer; such frames report
 * line 0 and the shared object as the file.
 */
#include <tvm/ffi/c_api.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#if defined(__linux__) || defined(__APPLE__)
#include <cxxabi.h>
#include <dlfcn.h>
#include <execinfo.h>
#define TVM_FFI_RUNTIME_HAS_EXECINFO 1
#else
#define TVM_FFI_RUNTIME_HAS_EXECINFO 0
#endif

namespace tvm {
namespace ffi {
namespace runtime {
namespace {

constexpr int kDefaultTracebackLimit = 512;

int TracebackLimit() {
  const char* env = std::getenv("TVM_TRACEBACK_LIMIT");
  if (env == nullptr || *env == '\0') return kDefaultTracebackLimit;
  char* end = nullptr;
  long value = std::strtol(env, &end, 10);
  if (end == env) return kDefaultTracebackLimit;
  if (value < 0) return 0;
  return static_cast<int>(std::min<long>(value, 1 << 20));
}

void AppendFrame(std::string* out, const char* file, int lineno, const char* func) {
  out->append("  File \"");
  out->append(file);
  out->append("\", line ");
  out->append(std::to_string(lineno));
  out->append(", in ");
  out->append(func);
  out->push_back('\n');
}

bool StartsWith(const char* text, const char* prefix) {
  return std::strncmp(text, prefix, std::strlen(prefix)) == 0;
}

/*! \brief Frames of the error machinery itself; never shown. */
bool IsInternalFrame(const char* symbol) {
  return StartsWith(symbol, "TVMFFIBacktrace") || StartsWith(symbol, "TVMFFIErrorSetRaised");
}

/*! \brief Process start-up frames; the walk always ends there. */
bool IsProcessEntry(const char* symbol) {
  return std::strcmp(symbol, "_start") == 0 || StartsWith(symbol, "__libc_start");
}

/*! \brief The walk stops before these frames (the caller side of an FFI call). */
bool IsBoundaryBefore(const char* symbol) {
  return StartsWith(symbol, "TVMFFIFunctionCall") || StartsWith(symbol, "__pyx_") ||
         StartsWith(symbol, "_PyEval") || StartsWith(symbol, "PyEval") ||
         StartsWith(symbol, "_PyObject_") || StartsWith(symbol, "PyObject_Call") ||
         StartsWith(symbol, "PyObject_Vectorcall") || StartsWith(symbol, "PyVectorcall") ||
         StartsWith(symbol, "_PyFunction") || StartsWith(symbol, "cfunction_");
}

/*! \brief The walk stops after these frames (exported entry points of module libraries). */
bool IsBoundaryAfter(const char* symbol) { return StartsWith(symbol, "__tvm_ffi_"); }

#if TVM_FFI_RUNTIME_HAS_EXECINFO
/*!
 * \brief Append the frames pcs[skip..depth) (innermost first) as text lines.
 */
void AppendWalkerFrames(std::string* out, void* const* pcs, int depth, int skip, int max_lines,
                        int* num_lines, bool cross_ffi_boundary) {
  for (int i = skip; i < depth && *num_lines < max_lines; ++i) {
    // Return addresses point after the call; look up the byte before to stay in the caller.
    void* pc = static_cast<char*>(pcs[i]) - 1;
    Dl_info info;
    std::memset(&info, 0, sizeof(info));
    if (dladdr(pc, &info) == 0 || info.dli_sname == nullptr) continue;
    const char* symbol = info.dli_sname;
    if (IsInternalFrame(symbol)) continue;
    if (IsProcessEntry(symbol)) break;
    if (!cross_ffi_boundary && IsBoundaryBefore(symbol)) break;
    int status = 0;
    char* demangled = abi::__cxa_demangle(symbol, nullptr, nullptr, &status);
    const char* name = (status == 0 && demangled != nullptr) ? demangled : symbol;
    const char* file = info.dli_fname != nullptr ? info.dli_fname : "<unknown>";
    AppendFrame(out, file, 0, name);
    std::free(demangled);
    ++*num_lines;
    if (!cross_ffi_boundary && IsBoundaryAfter(symbol)) break;
  }
}
#endif

struct BacktraceBuffer {
  std::string text;
  TVMFFIByteArray bytes{nullptr, 0};
};

}  // namespace
}  // namespace runtime
}  // namespace ffi
}  // namespace tvm

__attribute__((noinline)) const TVMFFIByteArray* TVMFFIBacktrace(const char* filename, int lineno,
                                                                 const char* func,
                                                                 int cross_ffi_boundary) {
  using namespace tvm::ffi::runtime;
  static thread_local BacktraceBuffer buffer;
  try {
    buffer.text.clear();
    const int max_lines = TracebackLimit();
    int num_lines = 0;
    // Frame 0 of the walk is this function. When the caller names its own location, that
    // line stands for the caller's frame, so the caller's walker frame is dropped as well.
    int skip = 1;
    if (filename != nullptr && func != nullptr) {
      if (num_lines < max_lines) {
        AppendFrame(&buffer.text, filename, lineno, func);
        ++num_lines;
      }
      skip = 2;
    }
#if TVM_FFI_RUNTIME_HAS_EXECINFO
    if (num_lines < max_lines) {
      // The walk starts here so that frame 0 is this very function.
      const int capacity = std::min(max_lines - num_lines + skip + 64, 4096);
      std::vector<void*> pcs(static_cast<size_t>(capacity));
      const int depth = backtrace(pcs.data(), capacity);
      AppendWalkerFrames(&buffer.text, pcs.data(), depth, skip, max_lines, &num_lines,
                         cross_ffi_boundary != 0);
    }
#else
    (void)skip;
    (void)cross_ffi_boundary;
#endif
  } catch (...) {
    // Never fails: keep whatever was collected.
  }
  buffer.bytes.data = buffer.text.data();
  buffer.bytes.size = buffer.text.size();
  return &buffer.bytes;
}
