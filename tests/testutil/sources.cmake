# SPDX-License-Identifier: Apache-2.0
# Shared test utilities (included as "testutil/xxx.h"): manual clock and executor,
# fault-injecting and synchronous object-store wrappers, temp directories, and the
# default sanitizer options of the sanitizer builds (scripts/sanitize.sh).
set(SLATEDB_TESTUTIL_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/fault_injection_object_store.cc
  ${CMAKE_CURRENT_LIST_DIR}/manual_executor.cc
  ${CMAKE_CURRENT_LIST_DIR}/sync_object_store.cc
  ${CMAKE_CURRENT_LIST_DIR}/temp_dir.cc
  ${CMAKE_CURRENT_LIST_DIR}/sanitizer_options.cc
)
