// SPDX-License-Identifier: Apache-2.0
//
// The Db API exported to JavaScript (wrapped by js/slatedb.mjs). Every asynchronous call
// takes the id of a JS Promise and starts the core's Task with Spawn(); the Spawn callback
// settles the Promise, inside the call when the Task completes without I/O (a memtable
// hit), otherwise later from a store completion or a timer.
//
// Lifetimes: JS holds raw pointers to DbHolder / IterHolder objects. Each running Task keeps
// the Db (and the iterator) alive through shared_ptr copies in its callback, so freeing a
// handle while a call is in flight is safe. Byte arguments are copied before the export
// returns (JS frees them then).
#include <emscripten/emscripten.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "js_host.h"

#include "js_executor.h"
#include "slatedb/db.h"
#include "slatedb/iterator.h"
#include "slatedb/options.h"
#include "slatedb/settings.h"
#include "slatedb/write_batch.h"
#include "db_handles.h"
#include "js_filters.h"
#include "store_handle.h"

namespace slatedb::wasm {
namespace {

// Db::Put's per-write options (ttl), named through the signature (see js_host.h).
using WritePutOptions = MemberArgT<2, decltype(&Db::Put)>;

std::string Str(const char* p, size_t n) { return std::string(p, n); }

// NaN: the database's default TTL; 0: expired when written (never visible); past the
// clock's range: never expires. JS has checked that it is a non-negative integer.
std::optional<uint64_t> TtlFromJs(double ttl) {
  if (std::isnan(ttl)) return std::nullopt;
  if (ttl <= 0) return uint64_t{0};
  if (ttl >= 9.2e18) return kNoExpiry;
  return static_cast<uint64_t>(ttl);
}

WritePutOptions PutOptionsFromJs(double ttl) {
  WritePutOptions o;
  o.ttl_ms = TtlFromJs(ttl);
  return o;
}

WriteOptions WriteOptionsFromJs(int await_durable) {
  WriteOptions o;
  o.await_durable = await_durable != 0;
  return o;
}

void SettleWrite(int call, const Result<WriteHandle>& r) {
  if (!r.ok()) return SettleError(call, r.status());
  double out[2] = {static_cast<double>(r->seq), static_cast<double>(r->create_ts)};
  SettleOk(call, std::string_view(reinterpret_cast<const char*>(out), sizeof(out)));
}

// Settings arrive as a JSON document (the JS object, camelCase or snake_case names) and are
// applied through the core's settings table, so they are named, checked and refused as in
// Python and C++.
Result<Settings> SettingsFromJs(const char* json, size_t len) {
  Settings s;
  if (len > 0)
    SLATEDB_RETURN_IF_ERROR(MergeSettingsJson(&s, std::string_view(json, len), "settings"));
  return s;
}

// Batch ops from JS: u8 type (0 put, 1 delete, 2 merge), f64 ttl (NaN: default),
// u32 key length, key, u32 value length, value; repeated.
Result<WriteBatch> BatchFromJs(const char* p, size_t len) {
  WriteBatch batch;
  size_t at = 0;
  auto need = [&](size_t n) { return len - at >= n; };
  while (at < len) {
    uint8_t type;
    double ttl;
    uint32_t klen, vlen;
    if (!need(1 + 8 + 4)) return Status::Invalid("malformed batch");
    std::memcpy(&type, p + at, 1);
    std::memcpy(&ttl, p + at + 1, 8);
    std::memcpy(&klen, p + at + 9, 4);
    at += 13;
    if (!need(klen)) return Status::Invalid("malformed batch");
    std::string_view key(p + at, klen);
    at += klen;
    if (!need(4)) return Status::Invalid("malformed batch");
    std::memcpy(&vlen, p + at, 4);
    at += 4;
    if (!need(vlen)) return Status::Invalid("malformed batch");
    std::string_view value(p + at, vlen);
    at += vlen;
    switch (type) {
      case 0:
        batch.Put(key, value, PutOptionsFromJs(ttl));
        break;
      case 1:
        batch.Delete(key);
        break;
      case 2:
        batch.Merge(key, value, PutOptionsFromJs(ttl));
        break;
      default:
        return Status::Invalid("unknown batch operation");
    }
  }
  return batch;
}

// Collects up to `max_entries` / about `max_bytes` of entries: whatever is available
// without I/O, or, when nothing is, the result of one awaited Next(). Entries are encoded
// as u32 key length, key, u32 value length, value. `*exhausted` is set at the end.
Task<Result<std::string>> NextBatch(std::shared_ptr<IterHolder> h, int max_entries,
                                    double max_bytes, bool* exhausted) {
  std::string out;
  int n = 0;
  *exhausted = false;
  auto append = [&out](const KeyValue& kv) {
    uint32_t kl = static_cast<uint32_t>(kv.key.size());
    uint32_t vl = static_cast<uint32_t>(kv.value.size());
    out.append(reinterpret_cast<const char*>(&kl), 4);
    out += kv.key;
    out.append(reinterpret_cast<const char*>(&vl), 4);
    out += kv.value;
  };
  while (n < max_entries && static_cast<double>(out.size()) < max_bytes) {
    Result<std::optional<KeyValue>> r = std::optional<KeyValue>();
    if (!h->it->TryNext(&r)) {
      if (n > 0) break;  // hand over what we have; the next call awaits
      r = co_await h->it->Next();
    }
    if (!r.ok()) {
      if (n > 0) break;  // the iterator stays failed: the next call reports the error
      co_return r.status();
    }
    if (!r->has_value()) {
      *exhausted = true;
      break;
    }
    append(**r);
    if (++n == 1) {
      // Size the buffer once from the first entry instead of regrowing (and copying) it
      // through the batch.
      double guess = static_cast<double>(out.size()) * max_entries * 1.25;
      out.reserve(static_cast<size_t>(std::min(guess, max_bytes + out.size())));
    }
  }
  co_return out;
}

}  // namespace
}  // namespace slatedb::wasm

using slatedb::wasm::DbHolder;
using slatedb::wasm::IterHolder;
using slatedb::wasm::StoreHandle;

extern "C" {

// Opens a database; resolves with a DbHolder* (as a number). `merge_handle` is a SlateRt
// handle of the JS merge operator, or 0; `filters` the filter policies and segment
// extractor as wasm::FilterOptionsFromJs reads them.
EMSCRIPTEN_KEEPALIVE void slatedb_db_open(StoreHandle* store, const char* path, size_t path_len,
                                          const char* settings, size_t settings_len,
                                          int merge_handle, const char* filters, size_t filters_len,
                                          int call) {
  using namespace slatedb;
  DbOptions options;
  options.object_store = store->store;
  options.executor = std::make_shared<wasm::JsExecutor>();
  options.clock = std::make_shared<wasm::JsClock>();
  options.path = wasm::Str(path, path_len);
  // The JS handles first: owned (and released on every return) from here.
  options.merge_operator = wasm::MergeOperatorFromJs(merge_handle);
  Result<wasm::JsFilterOptions> extra = wasm::FilterOptionsFromJs(filters, filters_len);
  if (!extra.ok()) return wasm::SettleError(call, extra.status());
  options.filter_policies = std::move(extra->filter_policies);
  options.segment_extractor = std::move(extra->segment_extractor);
  Result<Settings> parsed = wasm::SettingsFromJs(settings, settings_len);
  if (!parsed.ok()) return wasm::SettleError(call, parsed.status());
  options.settings = std::move(*parsed);
  Spawn(Db::Open(std::move(options)), [call](Result<std::shared_ptr<Db>> r) {
    if (!r.ok()) return wasm::SettleError(call, r.status());
    auto* holder = new DbHolder{std::move(*r)};
    wasm::SettleOk(call, {}, static_cast<double>(reinterpret_cast<uintptr_t>(holder)));
  });
}

// Frees the handle. Does not close: call slatedb_db_close first to keep unflushed writes.
EMSCRIPTEN_KEEPALIVE void slatedb_db_free(DbHolder* h) { delete h; }

EMSCRIPTEN_KEEPALIVE void slatedb_db_put(DbHolder* h, const char* key, size_t key_len,
                                         const char* value, size_t value_len, double ttl,
                                         int await_durable, int call) {
  using namespace slatedb;
  std::shared_ptr<Db> db = h->db;
  Spawn(db->Put(std::string_view(key, key_len), std::string_view(value, value_len),
                wasm::PutOptionsFromJs(ttl), wasm::WriteOptionsFromJs(await_durable)),
        [db, call](Result<WriteHandle> r) { wasm::SettleWrite(call, r); });
}

EMSCRIPTEN_KEEPALIVE void slatedb_db_merge(DbHolder* h, const char* key, size_t key_len,
                                           const char* value, size_t value_len, double ttl,
                                           int await_durable, int call) {
  using namespace slatedb;
  std::shared_ptr<Db> db = h->db;
  Spawn(db->Merge(std::string_view(key, key_len), std::string_view(value, value_len),
                  wasm::PutOptionsFromJs(ttl), wasm::WriteOptionsFromJs(await_durable)),
        [db, call](Result<WriteHandle> r) { wasm::SettleWrite(call, r); });
}

EMSCRIPTEN_KEEPALIVE void slatedb_db_delete(DbHolder* h, const char* key, size_t key_len,
                                            int await_durable, int call) {
  using namespace slatedb;
  std::shared_ptr<Db> db = h->db;
  Spawn(db->Delete(std::string_view(key, key_len), wasm::WriteOptionsFromJs(await_durable)),
        [db, call](Result<WriteHandle> r) { wasm::SettleWrite(call, r); });
}

EMSCRIPTEN_KEEPALIVE void slatedb_db_write(DbHolder* h, const char* ops, size_t ops_len,
                                           int await_durable, int call) {
  using namespace slatedb;
  Result<WriteBatch> batch = wasm::BatchFromJs(ops, ops_len);
  if (!batch.ok()) return wasm::SettleError(call, batch.status());
  std::shared_ptr<Db> db = h->db;
  Spawn(db->Write(std::move(*batch), wasm::WriteOptionsFromJs(await_durable)),
        [db, call](Result<WriteHandle> r) { wasm::SettleWrite(call, r); });
}

// Resolves with the value (num = 1) or nothing (num = 0: absent). Answers in memory
// (memtables, block cache) settle inside the call without starting a coroutine.
EMSCRIPTEN_KEEPALIVE void slatedb_db_get(DbHolder* h, const char* key, size_t key_len,
                                         int durability, int dirty, int call) {
  using namespace slatedb;
  std::string_view k(key, key_len);
  ReadOptions options = wasm::ReadOptionsFromJs(durability, dirty);
  Result<std::optional<std::string>> now = std::optional<std::string>();
  if (h->db->TryGet(k, options, &now)) return wasm::SettleGet(call, now);
  std::shared_ptr<Db> db = h->db;
  Spawn(db->Get(k, options),
        [db, call](Result<std::optional<std::string>> r) { wasm::SettleGet(call, r); });
}

// Keys encoded as wasm::KeysFromJs reads them; resolves as wasm::SettleMany writes.
EMSCRIPTEN_KEEPALIVE void slatedb_db_get_many(DbHolder* h, const char* keys, size_t keys_len,
                                              int durability, int dirty, int call) {
  using namespace slatedb;
  Result<std::vector<std::string>> decoded = wasm::KeysFromJs(keys, keys_len);
  if (!decoded.ok()) return wasm::SettleError(call, decoded.status());
  std::shared_ptr<Db> db = h->db;
  Spawn(
      db->MultiGet(std::move(*decoded), wasm::ReadOptionsFromJs(durability, dirty)),
      [db, call](Result<std::vector<std::optional<std::string>>> r) { wasm::SettleMany(call, r); });
}

// Resolves with an IterHolder handle (a heap shared_ptr<IterHolder>*, as a number).
// `has_filter_prefix`: ScanOptions::filter_prefix is (filter_prefix, filter_prefix_len).
EMSCRIPTEN_KEEPALIVE void slatedb_db_scan(DbHolder* h, const char* start, size_t start_len,
                                          const char* end, size_t end_len, int durability,
                                          int dirty, int order, const char* filter_prefix,
                                          size_t filter_prefix_len, int has_filter_prefix,
                                          int call) {
  using namespace slatedb;
  std::shared_ptr<Db> db = h->db;
  Spawn(db->Scan(std::string_view(start, start_len), std::string_view(end, end_len),
                 wasm::ScanOptionsFromJs(durability, dirty, order, filter_prefix, filter_prefix_len,
                                         has_filter_prefix)),
        [db, call](Result<std::unique_ptr<DbIterator>> r) {
          wasm::SettleIterator(call, db, nullptr, std::move(r));
        });
}

// Settles at once with a SnapshotHolder* (as a number): a fixed view as of now.
EMSCRIPTEN_KEEPALIVE void slatedb_db_snapshot(DbHolder* h, int call) {
  using namespace slatedb;
  Result<std::shared_ptr<Snapshot>> snap = h->db->GetSnapshot();
  if (!snap.ok()) return wasm::SettleError(call, snap.status());
  auto* holder = new wasm::SnapshotHolder{h->db, std::move(*snap)};
  wasm::SettleOk(call, {}, static_cast<double>(reinterpret_cast<uintptr_t>(holder)));
}

EMSCRIPTEN_KEEPALIVE void slatedb_snapshot_free(slatedb::wasm::SnapshotHolder* h) { delete h; }

EMSCRIPTEN_KEEPALIVE void slatedb_snapshot_get(slatedb::wasm::SnapshotHolder* h, const char* key,
                                               size_t key_len, int durability, int dirty,
                                               int call) {
  using namespace slatedb;
  std::shared_ptr<Snapshot> snap = h->snapshot;
  Spawn(snap->Get(std::string_view(key, key_len), wasm::ReadOptionsFromJs(durability, dirty)),
        [snap, call](Result<std::optional<std::string>> r) { wasm::SettleGet(call, r); });
}

EMSCRIPTEN_KEEPALIVE void slatedb_snapshot_get_many(slatedb::wasm::SnapshotHolder* h,
                                                    const char* keys, size_t keys_len,
                                                    int durability, int dirty, int call) {
  using namespace slatedb;
  Result<std::vector<std::string>> decoded = wasm::KeysFromJs(keys, keys_len);
  if (!decoded.ok()) return wasm::SettleError(call, decoded.status());
  std::shared_ptr<Snapshot> snap = h->snapshot;
  Spawn(snap->MultiGet(std::move(*decoded), wasm::ReadOptionsFromJs(durability, dirty)),
        [snap, call](Result<std::vector<std::optional<std::string>>> r) {
          wasm::SettleMany(call, r);
        });
}

EMSCRIPTEN_KEEPALIVE void slatedb_snapshot_scan(slatedb::wasm::SnapshotHolder* h, const char* start,
                                                size_t start_len, const char* end, size_t end_len,
                                                int durability, int dirty, int order,
                                                const char* filter_prefix, size_t filter_prefix_len,
                                                int has_filter_prefix, int call) {
  using namespace slatedb;
  std::shared_ptr<Db> db = h->db;
  std::shared_ptr<Snapshot> snap = h->snapshot;
  Spawn(snap->Scan(std::string_view(start, start_len), std::string_view(end, end_len),
                   wasm::ScanOptionsFromJs(durability, dirty, order, filter_prefix,
                                           filter_prefix_len, has_filter_prefix)),
        [db, snap, call](Result<std::unique_ptr<DbIterator>> r) {
          wasm::SettleIterator(call, db, snap, std::move(r));
        });
}

// Resolves with encoded entries (see NextBatch); num = 1 once the range is exhausted.
EMSCRIPTEN_KEEPALIVE void slatedb_iter_next(std::shared_ptr<IterHolder>* h, int max_entries,
                                            double max_bytes, int call) {
  using namespace slatedb;
  auto holder = *h;
  auto exhausted = std::make_shared<bool>(false);
  Spawn(wasm::NextBatch(holder, max_entries < 1 ? 1 : max_entries, max_bytes, exhausted.get()),
        [holder, exhausted, call](Result<std::string> r) {
          if (!r.ok()) return wasm::SettleError(call, r.status());
          wasm::SettleOk(call, *r, *exhausted ? 1 : 0);
        });
}

EMSCRIPTEN_KEEPALIVE void slatedb_iter_seek(std::shared_ptr<IterHolder>* h, const char* key,
                                            size_t key_len, int call) {
  using namespace slatedb;
  auto holder = *h;
  Spawn(holder->it->Seek(wasm::Str(key, key_len)),
        [holder, call](Status st) { wasm::SettleStatus(call, st); });
}

EMSCRIPTEN_KEEPALIVE void slatedb_iter_free(std::shared_ptr<IterHolder>* h) { delete h; }

// kind: 0 WAL, 1 memtable.
EMSCRIPTEN_KEEPALIVE void slatedb_db_flush(DbHolder* h, int kind, int call) {
  using namespace slatedb;
  std::shared_ptr<Db> db = h->db;
  Spawn(db->Flush(kind == 1 ? FlushType::kMemTable : FlushType::kWal),
        [db, call](Status st) { wasm::SettleStatus(call, st); });
}

EMSCRIPTEN_KEEPALIVE void slatedb_db_close(DbHolder* h, int call) {
  using namespace slatedb;
  std::shared_ptr<Db> db = h->db;
  Spawn(db->Close(), [db, call](Status st) { wasm::SettleStatus(call, st); });
}

// Per-SST cache control (slatedb/sst_cache.h); targets as wasm::CacheTargetsFromJs reads them.
EMSCRIPTEN_KEEPALIVE void slatedb_db_warm_sst(DbHolder* h, const char* id, size_t id_len,
                                              const char* targets, size_t targets_len, int call) {
  using namespace slatedb;
  Result<std::vector<CacheTarget>> decoded = wasm::CacheTargetsFromJs(targets, targets_len);
  if (!decoded.ok()) return wasm::SettleError(call, decoded.status());
  std::shared_ptr<Db> db = h->db;
  Spawn(db->WarmSst(std::string_view(id, id_len), std::move(*decoded)),
        [db, call](Status st) { wasm::SettleStatus(call, st); });
}

EMSCRIPTEN_KEEPALIVE void slatedb_db_evict_cached_sst(DbHolder* h, const char* id, size_t id_len,
                                                      int call) {
  using namespace slatedb;
  std::shared_ptr<Db> db = h->db;
  Spawn(db->EvictCachedSst(std::string_view(id, id_len)),
        [db, call](Status st) { wasm::SettleStatus(call, st); });
}

EMSCRIPTEN_KEEPALIVE void slatedb_db_flush_cache_to_disk(DbHolder* h, int call) {
  using namespace slatedb;
  std::shared_ptr<Db> db = h->db;
  Spawn(db->FlushCacheToDisk(), [db, call](Status st) { wasm::SettleStatus(call, st); });
}

// Settles at once: rejects with the reason calls fail now, or resolves while open.
EMSCRIPTEN_KEEPALIVE void slatedb_db_status(DbHolder* h, int call) {
  slatedb::wasm::SettleStatus(call, h->db->status());
}

// Settles at once with Db::StateJson() (the LSM tree as JSON text).
EMSCRIPTEN_KEEPALIVE void slatedb_db_state(DbHolder* h, int call) {
  slatedb::wasm::SettleOk(call, h->db->StateJson());
}

// Settles at once with the metrics JSON text.
EMSCRIPTEN_KEEPALIVE void slatedb_db_metrics(DbHolder* h, int call) {
  slatedb::wasm::SettleOk(call, h->db->MetricsJson());
}

// Settles at once with the settings the database opened with (upstream's JSON document).
EMSCRIPTEN_KEEPALIVE void slatedb_db_settings(DbHolder* h, int call) {
  slatedb::wasm::SettleOk(call, slatedb::SettingsToJson(h->db->settings()));
}

}  // extern "C"
