# SPDX-License-Identifier: Apache-2.0
# GCS tests, tag [gcs]: configuration and the service-account token flow always run; the
# store and engine tests need fake-gcs-server and skip unless SLATEDB_GCS_TEST_ENDPOINT is
# set (as scripts/gcs-test-server.sh does).
set(SLATEDB_TEST_GCS_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/gcs_config_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/gcs_auth_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/gcs_store_test.cc
)
set_source_files_properties(${SLATEDB_TEST_GCS_SOURCES} PROPERTIES
  INCLUDE_DIRECTORIES ${PROJECT_SOURCE_DIR}/platform)
