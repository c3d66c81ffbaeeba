set(SLATEDB_TEST_COMPACTION_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/compaction_unit_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/compaction_db_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/compaction_requests_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/standalone_compactor_test.cc
)
