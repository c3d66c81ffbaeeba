set(SLATEDB_TEST_READ_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/merging_iterator_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/reverse_iteration_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/single_flight_test.cc
)
