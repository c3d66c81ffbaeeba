# Engine sources: db/, compaction/, gc/, memtable/, manifest/, sst/, store/ (the layers above
# format/).
set(_core_src ${CMAKE_CURRENT_LIST_DIR}/..)
set(SLATEDB_DB_SOURCES
  ${_core_src}/db/db.cc
  ${_core_src}/db/db_impl.cc
  ${_core_src}/db/db_open.cc
  ${_core_src}/db/db_flush.cc
  ${_core_src}/db/db_compaction.cc
  ${_core_src}/db/db_compaction_requests.cc
  ${_core_src}/db/db_gc.cc
  ${_core_src}/db/db_state.cc
  ${_core_src}/db/db_checkpoint.cc
  ${_core_src}/db/db_read.cc
  ${_core_src}/db/db_iterator.cc
  ${_core_src}/db/row_source.cc
  ${_core_src}/db/write_batch.cc
  ${_core_src}/reader/reader.cc
  ${_core_src}/reader/reader_impl.cc
  ${_core_src}/compaction/compaction_job.cc
  ${_core_src}/compaction/compaction_picker.cc
  ${_core_src}/compaction/requested_compaction.cc
  ${_core_src}/compaction/retention.cc
  ${_core_src}/gc/gc_planner.cc
  ${_core_src}/gc/gc_pass.cc
  ${_core_src}/admin/admin.cc
  ${_core_src}/admin/clone.cc
  ${_core_src}/admin/compactions.cc
  ${_core_src}/memtable/memtable.cc
  ${_core_src}/manifest/manifest_codec.cc
  ${_core_src}/manifest/manifest_store.cc
  ${_core_src}/manifest/compactions_store.cc
  ${_core_src}/manifest/sequence_tracker.cc
  ${_core_src}/manifest/checkpoint_edit.cc
  ${_core_src}/sst/block_cache.cc
  ${_core_src}/sst/table_store.cc
)
