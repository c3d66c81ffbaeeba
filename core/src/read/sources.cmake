# The read layer: row sources, read views, version resolution, the one merging iterator,
# point lookups and view scans. Used by db/, reader/, txn/ and compaction/; includes none
# of them.
set(_core_src ${CMAKE_CURRENT_LIST_DIR}/..)
set(SLATEDB_READ_SOURCES
  ${_core_src}/read/merging_iterator.cc
  ${_core_src}/read/multi_get.cc
  ${_core_src}/read/point_lookup.cc
  ${_core_src}/read/read_metrics.cc
  ${_core_src}/read/row_source.cc
  ${_core_src}/read/sst_cache_control.cc
  ${_core_src}/read/reverse_row_source.cc
  ${_core_src}/read/view_iterator.cc
)
