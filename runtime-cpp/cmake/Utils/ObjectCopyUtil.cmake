# Script mode (cmake -P) helper of EmbedCubin.cmake: copy each object file that nvcc wrote as a
# cubin or fatbin (named <stem>.cu.o / <stem>.cu.obj by CMake) to <stem>.<EXTENSION> in the
# same directory, so the binary has a recognisable name.
#
#   cmake -DOBJECTS=<obj>[|<obj>...] -DEXTENSION=cubin|fatbin -P ObjectCopyUtil.cmake
#
# OBJECTS is separated by '|' (a ';' list would be split by the calling custom command).

if(NOT DEFINED OBJECTS OR OBJECTS STREQUAL "")
  message(FATAL_ERROR "ObjectCopyUtil.cmake: OBJECTS is empty")
endif()
if(NOT EXTENSION MATCHES "^(cubin|fatbin)$")
  message(FATAL_ERROR "ObjectCopyUtil.cmake: EXTENSION must be cubin or fatbin, got '${EXTENSION}'")
endif()

string(REPLACE "|" ";" _objects "${OBJECTS}")
foreach(_obj IN LISTS _objects)
  if(NOT EXISTS "${_obj}")
    message(FATAL_ERROR "ObjectCopyUtil.cmake: object file '${_obj}' does not exist")
  endif()
  # <dir>/<stem>.cu.o -> <dir>/<stem>.<EXTENSION>; any other name just gets the extension added.
  string(REGEX REPLACE "\\.cu\\.(o|obj)$" "" _stem "${_obj}")
  if(_stem STREQUAL _obj)
    string(REGEX REPLACE "\\.(o|obj)$" "" _stem "${_obj}")
  endif()
  set(_dest "${_stem}.${EXTENSION}")
  file(COPY_FILE "${_obj}" "${_dest}" ONLY_IF_DIFFERENT)
endforeach()
