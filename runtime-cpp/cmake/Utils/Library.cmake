# Helper functions for projects that build extensions against tvm_ffi.
# Included by tvm_ffi-config.cmake; all functions are no-ops where they do not apply.

# Strip the build-machine source prefix from __FILE__ strings (shorter backtraces).
function(tvm_ffi_add_prefix_map target_name prefix_path)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    get_filename_component(_abs_prefix "${prefix_path}" ABSOLUTE)
    target_compile_options(${target_name} PRIVATE "-ffile-prefix-map=${_abs_prefix}/=")
  endif()
endfunction()

# On macOS, produce a .dSYM bundle after linking so backtraces can be symbolized.
function(tvm_ffi_add_apple_dsymutil target_name)
  if(APPLE)
    find_program(TVM_FFI_DSYMUTIL dsymutil)
    if(TVM_FFI_DSYMUTIL)
      add_custom_command(TARGET ${target_name} POST_BUILD
        COMMAND ${TVM_FFI_DSYMUTIL} "$<TARGET_FILE:${target_name}>"
        VERBATIM)
    endif()
  endif()
endfunction()

# Usual MSVC definitions and flags.
function(tvm_ffi_add_msvc_flags target_name)
  if(MSVC)
    target_compile_definitions(${target_name} PUBLIC
      WIN32_LEAN_AND_MEAN _CRT_SECURE_NO_WARNINGS _SCL_SECURE_NO_WARNINGS
      _ENABLE_EXTENDED_ALIGNED_STORAGE NOMINMAX)
    target_compile_options(${target_name} PRIVATE "/Zi")
  endif()
endfunction()

# From an OBJECT library <obj_target_name>, create <target_name>_static and
# <target_name>_shared (OUTPUT_NAME <target_name>), both placed in ${CMAKE_BINARY_DIR}/lib.
function(tvm_ffi_add_target_from_obj target_name obj_target_name)
  add_library(${target_name}_static STATIC $<TARGET_OBJECTS:${obj_target_name}>)
  set_target_properties(${target_name}_static PROPERTIES
    OUTPUT_NAME "${target_name}_static"
    ARCHIVE_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/lib")
  add_library(${target_name}_shared SHARED $<TARGET_OBJECTS:${obj_target_name}>)
  set_target_properties(${target_name}_shared PROPERTIES
    OUTPUT_NAME "${target_name}"
    LIBRARY_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/lib"
    RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/lib"
    ARCHIVE_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/lib")
  if(WIN32)
    target_compile_definitions(${obj_target_name} PRIVATE TVM_FFI_EXPORTS)
  endif()
endfunction()
