set(SLATEDB_UTIL_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/status.cc
  ${CMAKE_CURRENT_LIST_DIR}/error_kinds.cc
  ${CMAKE_CURRENT_LIST_DIR}/key_range.cc
  ${CMAKE_CURRENT_LIST_DIR}/checksum.cc
  ${CMAKE_CURRENT_LIST_DIR}/object_key.cc
  ${CMAKE_CURRENT_LIST_DIR}/ulid.cc
)
