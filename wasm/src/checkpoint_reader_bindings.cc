// SPDX-License-Identifier: Apache-2.0
//
// Checkpoints (through the writer) and the read-only DbReader, exported to JavaScript
// (wrapped by js/slatedb.mjs: db.createCheckpoint() ..., SlateDBReader). Same conventions as
// bindings.cc: byte arguments are copied before returning; results settle the call's Promise.
// Optional numbers arrive as NaN when absent; optional strings with a has_* flag.
#include <emscripten/emscripten.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "db_handles.h"
#include "js_filters.h"
#include "js_executor.h"
#include "js_host.h"
#include "slatedb/checkpoint.h"
#include "slatedb/reader.h"
#include "store_handle.h"

namespace slatedb::wasm {
namespace {

std::optional<uint64_t> OptionalMs(double v) {
  if (std::isnan(v) || v < 0) return std::nullopt;
  return static_cast<uint64_t>(v);
}

// JSON text; names are labels from any writer, so invalid UTF-8 is replaced, not fatal.
std::string Dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json CheckpointJson(const CheckpointInfo& c) {
  nlohmann::json j = {{"id", c.id},
                      {"manifest_id", c.manifest_id},
                      {"create_time_ms", c.create_time_ms},
                      {"name", c.name}};
  j["expire_time_ms"] =
      c.expire_time_ms ? nlohmann::json(*c.expire_time_ms) : nlohmann::json(nullptr);
  return j;
}

}  // namespace
}  // namespace slatedb::wasm

using slatedb::wasm::DbHolder;
using slatedb::wasm::ReaderHolder;
using slatedb::wasm::StoreHandle;

extern "C" {

// scope: 0 all, 1 durable. Resolves with {"id", "manifest_id"} JSON.
EMSCRIPTEN_KEEPALIVE void slatedb_db_checkpoint_create(DbHolder* h, int scope, double lifetime_ms,
                                                       int has_source, const char* source,
                                                       size_t source_len, const char* name,
                                                       size_t name_len, int call) {
  using namespace slatedb;
  CheckpointOptions options;
  options.scope = scope == 1 ? CheckpointScope::kDurable : CheckpointScope::kAll;
  options.lifetime_ms = wasm::OptionalMs(lifetime_ms);
  if (has_source != 0) options.source = std::string(source, source_len);
  options.name.assign(name, name_len);
  std::shared_ptr<Db> db = h->db;
  Spawn(db->CreateCheckpoint(options), [db, call](Result<CheckpointCreateResult> r) {
    if (!r.ok()) return wasm::SettleError(call, r.status());
    wasm::SettleOk(call, wasm::Dump({{"id", r->id}, {"manifest_id", r->manifest_id}}));
  });
}

// lifetime NaN: never expires.
EMSCRIPTEN_KEEPALIVE void slatedb_db_checkpoint_refresh(DbHolder* h, const char* id, size_t id_len,
                                                        double lifetime_ms, int call) {
  using namespace slatedb;
  std::shared_ptr<Db> db = h->db;
  Spawn(db->RefreshCheckpoint(std::string_view(id, id_len), wasm::OptionalMs(lifetime_ms)),
        [db, call](Status st) { wasm::SettleStatus(call, st); });
}

EMSCRIPTEN_KEEPALIVE void slatedb_db_checkpoint_delete(DbHolder* h, const char* id, size_t id_len,
                                                       int call) {
  using namespace slatedb;
  std::shared_ptr<Db> db = h->db;
  Spawn(db->DeleteCheckpoint(std::string_view(id, id_len)),
        [db, call](Status st) { wasm::SettleStatus(call, st); });
}

// Resolves with a JSON array of {id, manifest_id, create_time_ms, expire_time_ms, name}.
EMSCRIPTEN_KEEPALIVE void slatedb_db_checkpoint_list(DbHolder* h, int call) {
  using namespace slatedb;
  std::shared_ptr<Db> db = h->db;
  Spawn(db->ListCheckpoints(), [db, call](Result<std::vector<CheckpointInfo>> r) {
    if (!r.ok()) return wasm::SettleError(call, r.status());
    nlohmann::json out = nlohmann::json::array();
    for (const CheckpointInfo& c : *r) out.push_back(wasm::CheckpointJson(c));
    wasm::SettleOk(call, wasm::Dump(out));
  });
}

// Opens a DbReader; resolves with a ReaderHolder* (as a number). mode: 0 managed checkpoint,
// 1 pinned checkpoint, 2 follow latest; numbers NaN = the default; `filters` as
// wasm::FilterOptionsFromJs reads them.
EMSCRIPTEN_KEEPALIVE void slatedb_reader_open(StoreHandle* store, const char* path, size_t path_len,
                                              int mode, int has_checkpoint, const char* checkpoint,
                                              size_t checkpoint_len, double poll_ms,
                                              double lifetime_ms, double max_memtable_bytes,
                                              int skip_wal_replay, double block_cache_bytes,
                                              int merge_handle, const char* filters,
                                              size_t filters_len, int call) {
  using namespace slatedb;
  ReaderOptions options;
  options.object_store = store->store;
  options.executor = std::make_shared<wasm::JsExecutor>();
  options.clock = std::make_shared<wasm::JsClock>();
  options.path.assign(path, path_len);
  options.mode = mode == 1   ? ReaderMode::kCheckpoint
                 : mode == 2 ? ReaderMode::kFollowLatest
                             : ReaderMode::kManagedCheckpoint;
  if (has_checkpoint != 0) options.checkpoint_id = std::string(checkpoint, checkpoint_len);
  if (auto v = wasm::OptionalMs(poll_ms)) options.manifest_poll_interval_ms = *v;
  if (auto v = wasm::OptionalMs(lifetime_ms)) options.checkpoint_lifetime_ms = *v;
  if (auto v = wasm::OptionalMs(max_memtable_bytes)) options.max_memtable_bytes = *v;
  if (auto v = wasm::OptionalMs(block_cache_bytes)) options.block_cache_bytes = *v;
  options.skip_wal_replay = skip_wal_replay != 0;
  options.merge_operator = wasm::MergeOperatorFromJs(merge_handle);
  Result<wasm::JsFilterOptions> extra = wasm::FilterOptionsFromJs(filters, filters_len);
  if (!extra.ok()) return wasm::SettleError(call, extra.status());
  options.filter_policies = std::move(extra->filter_policies);
  options.segment_extractor = std::move(extra->segment_extractor);
  Spawn(DbReader::Open(std::move(options)), [call](Result<std::shared_ptr<DbReader>> r) {
    if (!r.ok()) return wasm::SettleError(call, r.status());
    auto* holder = new ReaderHolder{std::move(*r)};
    wasm::SettleOk(call, {}, static_cast<double>(reinterpret_cast<uintptr_t>(holder)));
  });
}

// Frees the handle (does not close: call slatedb_reader_close first to delete the managed
// checkpoint at once rather than letting it expire).
EMSCRIPTEN_KEEPALIVE void slatedb_reader_free(ReaderHolder* h) { delete h; }

EMSCRIPTEN_KEEPALIVE void slatedb_reader_get(ReaderHolder* h, const char* key, size_t key_len,
                                             int durability, int dirty, int call) {
  using namespace slatedb;
  std::string_view k(key, key_len);
  ReadOptions options = wasm::ReadOptionsFromJs(durability, dirty);
  Result<std::optional<std::string>> now = std::optional<std::string>();
  if (h->reader->TryGet(k, options, &now)) return wasm::SettleGet(call, now);
  std::shared_ptr<DbReader> reader = h->reader;
  Spawn(reader->Get(k, options),
        [reader, call](Result<std::optional<std::string>> r) { wasm::SettleGet(call, r); });
}

EMSCRIPTEN_KEEPALIVE void slatedb_reader_get_many(ReaderHolder* h, const char* keys,
                                                  size_t keys_len, int durability, int dirty,
                                                  int call) {
  using namespace slatedb;
  Result<std::vector<std::string>> decoded = wasm::KeysFromJs(keys, keys_len);
  if (!decoded.ok()) return wasm::SettleError(call, decoded.status());
  std::shared_ptr<DbReader> reader = h->reader;
  Spawn(reader->MultiGet(std::move(*decoded), wasm::ReadOptionsFromJs(durability, dirty)),
        [reader, call](Result<std::vector<std::optional<std::string>>> r) {
          wasm::SettleMany(call, r);
        });
}

EMSCRIPTEN_KEEPALIVE void slatedb_reader_scan(ReaderHolder* h, const char* start, size_t start_len,
                                              const char* end, size_t end_len, int durability,
                                              int dirty, int order, const char* filter_prefix,
                                              size_t filter_prefix_len, int has_filter_prefix,
                                              int call) {
  using namespace slatedb;
  std::shared_ptr<DbReader> reader = h->reader;
  Spawn(reader->Scan(std::string_view(start, start_len), std::string_view(end, end_len),
                     wasm::ScanOptionsFromJs(durability, dirty, order, filter_prefix,
                                             filter_prefix_len, has_filter_prefix)),
        [reader, call](Result<std::unique_ptr<DbIterator>> r) {
          wasm::SettleIterator(call, reader, nullptr, std::move(r));
        });
}

// As slatedb_db_warm_sst / _evict_cached_sst / _flush_cache_to_disk, for a reader.
EMSCRIPTEN_KEEPALIVE void slatedb_reader_warm_sst(ReaderHolder* h, const char* id, size_t id_len,
                                                  const char* targets, size_t targets_len,
                                                  int call) {
  using namespace slatedb;
  Result<std::vector<CacheTarget>> decoded = wasm::CacheTargetsFromJs(targets, targets_len);
  if (!decoded.ok()) return wasm::SettleError(call, decoded.status());
  std::shared_ptr<DbReader> reader = h->reader;
  Spawn(reader->WarmSst(std::string_view(id, id_len), std::move(*decoded)),
        [reader, call](Status st) { wasm::SettleStatus(call, st); });
}

EMSCRIPTEN_KEEPALIVE void slatedb_reader_evict_cached_sst(ReaderHolder* h, const char* id,
                                                          size_t id_len, int call) {
  using namespace slatedb;
  std::shared_ptr<DbReader> reader = h->reader;
  Spawn(reader->EvictCachedSst(std::string_view(id, id_len)),
        [reader, call](Status st) { wasm::SettleStatus(call, st); });
}

EMSCRIPTEN_KEEPALIVE void slatedb_reader_flush_cache_to_disk(ReaderHolder* h, int call) {
  using namespace slatedb;
  std::shared_ptr<DbReader> reader = h->reader;
  Spawn(reader->FlushCacheToDisk(), [reader, call](Status st) { wasm::SettleStatus(call, st); });
}

EMSCRIPTEN_KEEPALIVE void slatedb_reader_refresh(ReaderHolder* h, int call) {
  using namespace slatedb;
  std::shared_ptr<DbReader> reader = h->reader;
  Spawn(reader->Refresh(), [reader, call](Status st) { wasm::SettleStatus(call, st); });
}

EMSCRIPTEN_KEEPALIVE void slatedb_reader_close(ReaderHolder* h, int call) {
  using namespace slatedb;
  std::shared_ptr<DbReader> reader = h->reader;
  Spawn(reader->Close(), [reader, call](Status st) { wasm::SettleStatus(call, st); });
}

// Settles at once with the checkpoint id the reader reads through ("" if none).
EMSCRIPTEN_KEEPALIVE void slatedb_reader_checkpoint_id(ReaderHolder* h, int call) {
  slatedb::wasm::SettleOk(call, h->reader->checkpoint_id().value_or(""));
}

// Settles at once with the reader's metrics JSON text (DbReader::MetricsJson).
EMSCRIPTEN_KEEPALIVE void slatedb_reader_metrics(ReaderHolder* h, int call) {
  slatedb::wasm::SettleOk(call, h->reader->MetricsJson());
}

}  // extern "C"
