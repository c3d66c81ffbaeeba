# SPDX-License-Identifier: Apache-2.0
# Object-store conformance suite and the platform tests: stores [store], executors and
# BlockOn, store selection [platform],
# the persistent object-store cache [cache].
set(SLATEDB_TEST_STORE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/object_store_conformance.cc
  ${CMAKE_CURRENT_LIST_DIR}/memory_object_store_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/local_object_store_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/cached_object_store_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/fault_injection_object_store_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/retrying_object_store_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/manual_executor_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/thread_pool_executor_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/blocking_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/store_selection_test.cc
)
