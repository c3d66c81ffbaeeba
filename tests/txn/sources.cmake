set(SLATEDB_TEST_TXN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/txn_backpressure_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/txn_conflict_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/txn_manager_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/txn_read_test.cc
)
