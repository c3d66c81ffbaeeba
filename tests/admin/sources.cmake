set(SLATEDB_TEST_ADMIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/admin_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/admin_tools_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/clone_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/clone_union_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/compactions_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/gc_boundary_test.cc
)
