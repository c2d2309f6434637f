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
    target_compile_options(${target_name} PRIVATE "/Zi" "/bigobj" "/Zc:inline")
  endif()
endfunction()

# Keep the symbols of static libraries linked into <target_name> out of its dynamic symbol
# table (so two extensions that embed different copies of a static library do not interpose
# each other). ELF platforms with GNU/Clang: -Wl,--exclude-libs,ALL. Apple: the static
# archives among the target's link libraries are linked with -hidden-l / -hidden-force_load
# style flags; call it after the target's dependencies are linked.
function(tvm_ffi_hide_static_linked_lib_symbols target_name)
  if(NOT TARGET ${target_name})
    message(FATAL_ERROR "tvm_ffi_hide_static_linked_lib_symbols: no target named ${target_name}")
  endif()
  if(CMAKE_SYSTEM_NAME MATCHES "Linux|Android|BSD" AND CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_link_options(${target_name} PRIVATE "LINKER:--exclude-libs,ALL")
  elseif(APPLE)
    get_target_property(_libs ${target_name} LINK_LIBRARIES)
    if(_libs)
      foreach(_lib IN LISTS _libs)
        if(TARGET ${_lib})
          get_target_property(_type ${_lib} TYPE)
          if(_type STREQUAL "STATIC_LIBRARY")
            target_link_options(${target_name} PRIVATE
              "LINKER:-hidden-l$<TARGET_LINKER_FILE_BASE_NAME:${_lib}>"
              "LINKER:-L$<TARGET_LINKER_FILE_DIR:${_lib}>")
          endif()
        endif()
      endforeach()
    endif()
  endif()
endfunction()

# One-call setup of an extension target built against tvm_ffi:
#
#   tvm_ffi_configure_target(<target>
#     [LINK_SHARED ON|OFF]   link tvm_ffi::shared (default ON)
#     [LINK_HEADER ON|OFF]   link tvm_ffi::header (default ON)
#     [DEBUG_SYMBOL ON|OFF]  .dSYM bundle after linking on Apple (default ON)
#     [MSVC_FLAGS ON|OFF]    tvm_ffi_add_msvc_flags (default ON)
#     [STUB_DIR <dir>]       after each build, regenerate Python stubs into <dir> (relative to
#                            the current source directory) with `python -m tvm_ffi.stub.cli`
#     [STUB_INIT ON|OFF]     also generate the package's library-loading init (default OFF;
#                            needs STUB_DIR)
#     [STUB_PKG <pkg>]       Python package of that init (default SKBUILD_PROJECT_NAME, else
#                            the target name; needs STUB_DIR and STUB_INIT ON)
#     [STUB_PREFIX <prefix>] registry prefix of that init (default "<pkg>."; needs STUB_DIR and
#                            STUB_INIT ON)
#     [STUB_TARGET <lang>]   stub flavour passed as --target (e.g. python))
#
# Always maps the current source directory out of __FILE__ strings (tvm_ffi_add_prefix_map).
# Linking is PRIVATE. Does not touch any CUDA setting of the project.
function(tvm_ffi_configure_target target_name)
  cmake_parse_arguments(_arg ""
    "LINK_SHARED;LINK_HEADER;DEBUG_SYMBOL;MSVC_FLAGS;STUB_INIT;STUB_DIR;STUB_PKG;STUB_PREFIX;STUB_TARGET"
    "" ${ARGN})
  if(_arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "tvm_ffi_configure_target: unknown arguments: ${_arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${target_name})
    message(FATAL_ERROR "tvm_ffi_configure_target: no target named ${target_name}")
  endif()
  foreach(_flag LINK_SHARED LINK_HEADER DEBUG_SYMBOL MSVC_FLAGS)
    if(NOT DEFINED _arg_${_flag})
      set(_arg_${_flag} ON)
    endif()
  endforeach()
  if(NOT DEFINED _arg_STUB_INIT)
    set(_arg_STUB_INIT OFF)
  endif()
  # Stub options are validated before anything is changed.
  if(_arg_STUB_INIT AND NOT DEFINED _arg_STUB_DIR)
    message(FATAL_ERROR "tvm_ffi_configure_target(${target_name}): STUB_INIT ON requires STUB_DIR")
  endif()
  foreach(_opt STUB_PKG STUB_PREFIX)
    if(DEFINED _arg_${_opt} AND (NOT DEFINED _arg_STUB_DIR OR NOT _arg_STUB_INIT))
      message(FATAL_ERROR
        "tvm_ffi_configure_target(${target_name}): ${_opt} requires STUB_DIR and STUB_INIT ON")
    endif()
  endforeach()

  tvm_ffi_add_prefix_map(${target_name} "${CMAKE_CURRENT_SOURCE_DIR}")
  if(_arg_LINK_HEADER)
    if(NOT TARGET tvm_ffi::header)
      message(FATAL_ERROR "tvm_ffi_configure_target: target tvm_ffi::header is not defined")
    endif()
    target_link_libraries(${target_name} PRIVATE tvm_ffi::header)
  endif()
  if(_arg_LINK_SHARED)
    if(NOT TARGET tvm_ffi::shared)
      message(FATAL_ERROR "tvm_ffi_configure_target: target tvm_ffi::shared is not defined")
    endif()
    target_link_libraries(${target_name} PRIVATE tvm_ffi::shared)
  endif()
  if(_arg_DEBUG_SYMBOL)
    tvm_ffi_add_apple_dsymutil(${target_name})
  endif()
  if(_arg_MSVC_FLAGS)
    tvm_ffi_add_msvc_flags(${target_name})
  endif()

  if(DEFINED _arg_STUB_DIR)
    if(NOT Python_EXECUTABLE)
      find_package(Python COMPONENTS Interpreter REQUIRED)
    endif()
    get_filename_component(_stub_dir "${_arg_STUB_DIR}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    set(_stub_cmd "${Python_EXECUTABLE}" -m tvm_ffi.stub.cli "${_stub_dir}"
        --dlls "$<TARGET_FILE:${target_name}>")
    if(DEFINED _arg_STUB_TARGET)
      list(APPEND _stub_cmd --target "${_arg_STUB_TARGET}")
    endif()
    if(_arg_STUB_INIT)
      if(NOT DEFINED _arg_STUB_PKG)
        if(DEFINED SKBUILD_PROJECT_NAME)
          set(_arg_STUB_PKG "${SKBUILD_PROJECT_NAME}")
        else()
          set(_arg_STUB_PKG "${target_name}")
        endif()
      endif()
      if(NOT DEFINED _arg_STUB_PREFIX)
        set(_arg_STUB_PREFIX "${_arg_STUB_PKG}.")
      endif()
      list(APPEND _stub_cmd --init-lib "${target_name}" --init-pypkg "${_arg_STUB_PKG}"
           --init-prefix "${_arg_STUB_PREFIX}")
    endif()
    add_custom_command(TARGET ${target_name} POST_BUILD COMMAND ${_stub_cmd} VERBATIM)
  endif()
endfunction()

# Install what tvm_ffi adds next to a target: on Apple its .dSYM bundle (if present) into
# DESTINATION (default "."). Nothing to do on other platforms (install the target itself with
# install(TARGETS ...)).
function(tvm_ffi_install target_name)
  cmake_parse_arguments(_arg "" "DESTINATION" "" ${ARGN})
  if(NOT TARGET ${target_name})
    message(FATAL_ERROR "tvm_ffi_install: no target named ${target_name}")
  endif()
  if(NOT DEFINED _arg_DESTINATION)
    set(_arg_DESTINATION ".")
  endif()
  if(APPLE)
    install(DIRECTORY "$<TARGET_FILE:${target_name}>.dSYM" DESTINATION "${_arg_DESTINATION}"
            OPTIONAL)
  endif()
endfunction()

# From an OBJECT library <obj_target_name>, create <target_name>_static and
# <target_name>_shared (OUTPUT_NAME <target_name>), both placed in ${CMAKE_BINARY_DIR}/lib,
# with the aliases <target_name>::static and <target_name>::shared.
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
  add_library(${target_name}::static ALIAS ${target_name}_static)
  add_library(${target_name}::shared ALIAS ${target_name}_shared)
  if(WIN32)
    target_compile_definitions(${obj_target_name} PRIVATE TVM_FFI_EXPORTS)
  endif()
endfunction()
