# cmake -P driver for the consumer test:
#   1. cmake --install <build> into a fresh prefix
#   2. move the prefix elsewhere (the package must be relocatable)
#   3. configure + build consumer/ with find_package(tvm_ffi CONFIG REQUIRED)
#   4. run the consumer executables; the extension built with tvm_ffi_configure_target exports
#      its function but not the symbols of the static library linked into it
#   5. install the consumer (tvm_ffi_install)
#   6. a misuse of tvm_ffi_configure_target (STUB_PKG without STUB_DIR) fails to configure
foreach(_var TVM_FFI_BUILD_DIR TVM_FFI_CONSUMER_SOURCE_DIR TVM_FFI_WORK_DIR TVM_FFI_GENERATOR)
  if(NOT DEFINED ${_var})
    message(FATAL_ERROR "run_consumer_test.cmake: ${_var} is not set")
  endif()
endforeach()

function(_run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
  if(NOT _rc EQUAL 0)
    string(REPLACE ";" " " _cmd "${ARGN}")
    message(FATAL_ERROR "command failed (${_rc}): ${_cmd}\n--- stdout ---\n${_out}\n--- stderr ---\n${_err}")
  endif()
  set(_last_output "${_out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE "${TVM_FFI_WORK_DIR}")
file(MAKE_DIRECTORY "${TVM_FFI_WORK_DIR}")
set(_staging "${TVM_FFI_WORK_DIR}/staging_prefix")
set(_prefix "${TVM_FFI_WORK_DIR}/moved prefix")   # a space on purpose
set(_build "${TVM_FFI_WORK_DIR}/consumer_build")

_run("${CMAKE_COMMAND}" --install "${TVM_FFI_BUILD_DIR}" --prefix "${_staging}")
file(RENAME "${_staging}" "${_prefix}")

set(_configure "${CMAKE_COMMAND}" -S "${TVM_FFI_CONSUMER_SOURCE_DIR}" -B "${_build}"
    -G "${TVM_FFI_GENERATOR}" "-Dtvm_ffi_ROOT=${_prefix}" -DCMAKE_BUILD_TYPE=Release)
if(TVM_FFI_C_COMPILER)
  list(APPEND _configure "-DCMAKE_C_COMPILER=${TVM_FFI_C_COMPILER}")
endif()
if(TVM_FFI_CXX_COMPILER)
  list(APPEND _configure "-DCMAKE_CXX_COMPILER=${TVM_FFI_CXX_COMPILER}")
endif()
_run(${_configure})
_run("${CMAKE_COMMAND}" --build "${_build}")

foreach(_exe consumer_c consumer_cxx consumer_legacy_cxx consumer_header_only consumer_load_ext)
  _run("${_build}/${_exe}")
  message(STATUS "${_exe}: ${_last_output}")
  if(NOT _last_output MATCHES "consumer ok")
    message(FATAL_ERROR "${_exe} did not report success: ${_last_output}")
  endif()
endforeach()

# Exported symbols of the extension (ELF only): the module function yes, the static library no.
find_program(_nm NAMES nm)
if(_nm AND EXISTS "${_build}/libconsumer_ext.so")
  _run("${_nm}" -D --defined-only "${_build}/libconsumer_ext.so")
  if(NOT _last_output MATCHES "__tvm_ffi_add_one")
    message(FATAL_ERROR "consumer_ext does not export __tvm_ffi_add_one:\n${_last_output}")
  endif()
  if(_last_output MATCHES "consumer_static_helper")
    message(FATAL_ERROR "consumer_ext exports a symbol of a static library it links:\n${_last_output}")
  endif()
endif()

_run("${CMAKE_COMMAND}" --install "${_build}" --prefix "${TVM_FFI_WORK_DIR}/consumer_install")
if(NOT EXISTS "${TVM_FFI_WORK_DIR}/consumer_install/lib")
  message(FATAL_ERROR "installing the consumer did not install consumer_ext")
endif()

# Misuse is a configure error naming the problem.
set(_bad_configure "${CMAKE_COMMAND}" -S "${TVM_FFI_CONSUMER_SOURCE_DIR}"
    -B "${TVM_FFI_WORK_DIR}/consumer_bad_build" -G "${TVM_FFI_GENERATOR}"
    "-Dtvm_ffi_ROOT=${_prefix}" -DCONSUMER_BAD_STUB_PKG=ON)
if(TVM_FFI_C_COMPILER)
  list(APPEND _bad_configure "-DCMAKE_C_COMPILER=${TVM_FFI_C_COMPILER}")
endif()
if(TVM_FFI_CXX_COMPILER)
  list(APPEND _bad_configure "-DCMAKE_CXX_COMPILER=${TVM_FFI_CXX_COMPILER}")
endif()
execute_process(COMMAND ${_bad_configure} RESULT_VARIABLE _rc OUTPUT_VARIABLE _out
                ERROR_VARIABLE _err)
if(_rc EQUAL 0)
  message(FATAL_ERROR "tvm_ffi_configure_target(... STUB_PKG ...) without STUB_DIR configured")
endif()
if(NOT _err MATCHES "STUB_PKG requires STUB_DIR")
  message(FATAL_ERROR "unexpected error for STUB_PKG without STUB_DIR:\n${_err}")
endif()
message(STATUS "STUB_PKG without STUB_DIR is rejected")
