# SPDX-License-Identifier: Apache-2.0
# Azure Blob tests, tag [azure]: the protocol pieces (base64, the Shared Key string to sign,
# List Blobs parsing, configuration from URLs and option names) always run; the store and
# engine tests need Azurite and skip unless SLATEDB_AZURE_TEST_ENDPOINT is set (as
# scripts/azure-test-server.sh does).
set(SLATEDB_TEST_AZURE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/azure_protocol_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/azure_store_test.cc
)
# The protocol tests include the platform's internal headers ("azure/shared_key.h").
set_source_files_properties(${SLATEDB_TEST_AZURE_SOURCES} PROPERTIES
  INCLUDE_DIRECTORIES ${PROJECT_SOURCE_DIR}/platform)
