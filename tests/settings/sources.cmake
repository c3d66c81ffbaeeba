# SPDX-License-Identifier: Apache-2.0
# The settings table [settings]: upstream's names (against upstream 0.17's default document,
# kept here as a fixture), set/merge/env/print, refusals, and what an opened database uses.
set(SLATEDB_TEST_SETTINGS_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/settings_table_test.cc
)
