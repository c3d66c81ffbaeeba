# SPDX-License-Identifier: Apache-2.0
# S3 tests, tag [s3]: the portable protocol pieces (SHA-256/HMAC, SigV4 against AWS's
# worked examples, XML, dates, URLs, configuration) always run; the store, engine, model
# and fault tests need a server and skip unless SLATEDB_S3_TEST_ENDPOINT is set (as
# scripts/s3-test-server.sh does).
set(SLATEDB_TEST_S3_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/sha256_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/sigv4_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/s3_parsing_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/s3_client_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/s3_config_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/s3_test_env.cc
  ${CMAKE_CURRENT_LIST_DIR}/s3_store_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/s3_auth_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/s3_db_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/s3_fault_test.cc
)
# The protocol tests include the platform's internal headers ("s3/sigv4.h").
set_source_files_properties(${SLATEDB_TEST_S3_SOURCES} PROPERTIES
  INCLUDE_DIRECTORIES ${PROJECT_SOURCE_DIR}/platform)
