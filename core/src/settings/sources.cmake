# Settings by name: the table of every setting under upstream's names, its JSON and
# environment forms, durations, and Settings::Validate.
set(SLATEDB_SETTINGS_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/duration.cc
  ${CMAKE_CURRENT_LIST_DIR}/settings_table.cc
  ${CMAKE_CURRENT_LIST_DIR}/settings_json.cc
  ${CMAKE_CURRENT_LIST_DIR}/settings_validate.cc
)
