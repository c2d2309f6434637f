# Sanitizer runtime options shared by every sanitized run (sourced by ci/sanitize/run.sh).
#
# ASan: stop at the first error; LeakSanitizer at exit (detect_leaks=1); also check
#   use-after-return and global initialization order. allocator_may_return_null=1 keeps the
#   usual "malloc returns NULL / std::bad_alloc" behaviour for deliberately huge requests
#   (tests of our error paths) instead of aborting inside ASan's allocator.
# UBSan: print a stack trace; the code is compiled with -fno-sanitize-recover=undefined, so the
#   first finding aborts the process (the test fails).
# LSan: the suppression file names only CPython/numpy/torch/toolchain internals, each with a
#   comment; print_suppressions=0 keeps the report short (a non-zero count is still a pass).
_san_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1:allocator_may_return_null=1:detect_odr_violation=2:strict_string_checks=1:print_suppressions=0${TVM_FFI_ASAN_EXTRA:+:$TVM_FFI_ASAN_EXTRA}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:report_error_type=1:suppressions=${_san_dir}/ubsan.supp"
export LSAN_OPTIONS="suppressions=${_san_dir}/lsan.supp:print_suppressions=0:report_objects=0"
unset _san_dir
