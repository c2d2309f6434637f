# The ABI's version has ONE source of truth: the TVM_FFI_VERSION_{MAJOR,MINOR,PATCH} macros of
# include/tvm/ffi/c_api.h. CMake reads them from the header instead of repeating the numbers.
#
#   tvm_ffi_abi_read_version(<c_api.h> <out_var>)   -> "<major>.<minor>.<patch>"
function(tvm_ffi_abi_read_version header out_var)
  file(STRINGS "${header}" _lines REGEX "^#define TVM_FFI_VERSION_(MAJOR|MINOR|PATCH) +[0-9]+")
  set(_version "")
  foreach(_part MAJOR MINOR PATCH)
    set(_value "")
    foreach(_line IN LISTS _lines)
      if(_line MATCHES "^#define TVM_FFI_VERSION_${_part} +([0-9]+)")
        set(_value "${CMAKE_MATCH_1}")
      endif()
    endforeach()
    if(_value STREQUAL "")
      message(FATAL_ERROR "TVM_FFI_VERSION_${_part} is not defined in ${header}")
    endif()
    list(APPEND _version "${_value}")
  endforeach()
  string(REPLACE ";" "." _version "${_version}")
  set(${out_var} "${_version}" PARENT_SCOPE)
endfunction()
