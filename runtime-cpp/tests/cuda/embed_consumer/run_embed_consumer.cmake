# cmake -DSOURCE_DIR=... -DWORK_DIR=... -DGENERATOR=... -DCXX_COMPILER=... -DEMBED_CUBIN_CMAKE=...
#   -P run_embed_consumer.cmake
# Builds ./CMakeLists.txt with a payload file, checks the program prints the payload's bytes,
# then changes the payload and checks that a rebuild embeds the new bytes.
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(_payload "${WORK_DIR}/payload.bin")

function(_run_step content expected)
  file(WRITE "${_payload}" "${content}")
  execute_process(COMMAND "${CMAKE_COMMAND}" --build "${WORK_DIR}/build" RESULT_VARIABLE _rc
    OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "build failed:\n${_out}")
  endif()
  execute_process(COMMAND "${WORK_DIR}/build/print_embedded" RESULT_VARIABLE _rc
    OUTPUT_VARIABLE _printed OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT _rc EQUAL 0 OR NOT _printed STREQUAL "${expected}")
    message(FATAL_ERROR "embedded bytes: got '${_printed}' (rc ${_rc}), expected '${expected}'")
  endif()
  message(STATUS "embedded bytes ok: ${_printed}")
endfunction()

file(WRITE "${_payload}" "first")
execute_process(COMMAND "${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${WORK_DIR}/build"
  -G "${GENERATOR}" "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
  "-DTVM_FFI_EMBED_CUBIN_CMAKE=${EMBED_CUBIN_CMAKE}" "-DPAYLOAD=${_payload}"
  RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "configure failed:\n${_out}")
endif()
_run_step("first" "6669727374")
# Sleep past coarse file timestamps so the build tool sees the change.
execute_process(COMMAND "${CMAKE_COMMAND}" -E sleep 1.1)
_run_step("second!" "7365636f6e6421")
