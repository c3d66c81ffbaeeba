set(SLATEDB_TEST_DB_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/db_basic_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/db_durability_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/db_model_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/l0_ttl_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/visible_range_test.cc
)
