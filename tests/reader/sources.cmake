set(SLATEDB_TEST_READER_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/reader_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/wal_reader_test.cc
)
