// SPDX-License-Identifier: Apache-2.0
//
// Transactions (slatedb/transaction.h) exported to JavaScript (wrapped by js/slatedb.mjs:
// db.begin() -> Transaction). Same conventions as bindings.cc. A TxnHolder keeps the Db
// alive; the core's Tasks do not refer to the Transaction object, so freeing the handle
// while a call is in flight is safe.
#include <emscripten/emscripten.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "db_handles.h"
#include "js_host.h"
#include "slatedb/transaction.h"

namespace slatedb::wasm {
namespace {

struct TxnHolder {
  std::shared_ptr<Db> db;
  std::shared_ptr<Transaction> txn;
};

// Transaction::Put's options (ttl), named through the signature (see js_host.h).
using TxnPutOptions = MemberArgT<2, decltype(&Transaction::Put)>;

TxnPutOptions TxnPutOptionsFromJs(double ttl) {
  TxnPutOptions o;
  if (!std::isnan(ttl)) o.ttl_ms = ttl <= 0 ? 0 : static_cast<uint64_t>(ttl);
  return o;
}

}  // namespace
}  // namespace slatedb::wasm

using slatedb::wasm::DbHolder;
using slatedb::wasm::TxnHolder;

extern "C" {

// isolation: 0 snapshot (SI), 1 serializable snapshot (SSI). Settles at once with a
// TxnHolder* (as a number).
EMSCRIPTEN_KEEPALIVE void slatedb_db_begin(DbHolder* h, int isolation, int call) {
  using namespace slatedb;
  Result<std::unique_ptr<Transaction>> txn = h->db->Begin(
      isolation == 1 ? IsolationLevel::kSerializableSnapshot : IsolationLevel::kSnapshot);
  if (!txn.ok()) return wasm::SettleError(call, txn.status());
  auto* holder = new TxnHolder{h->db, std::shared_ptr<Transaction>(std::move(*txn))};
  wasm::SettleOk(call, {}, static_cast<double>(reinterpret_cast<uintptr_t>(holder)));
}

// Frees the handle; an open transaction is rolled back.
EMSCRIPTEN_KEEPALIVE void slatedb_txn_free(TxnHolder* h) { delete h; }

EMSCRIPTEN_KEEPALIVE int slatedb_txn_is_open(TxnHolder* h) { return h->txn->is_open() ? 1 : 0; }

EMSCRIPTEN_KEEPALIVE double slatedb_txn_seq(TxnHolder* h) {
  return static_cast<double>(h->txn->seq());
}

EMSCRIPTEN_KEEPALIVE void slatedb_txn_get(TxnHolder* h, const char* key, size_t key_len,
                                          int durability, int dirty, int call) {
  using namespace slatedb;
  std::string_view k(key, key_len);
  ReadOptions options = wasm::ReadOptionsFromJs(durability, dirty);
  Result<std::optional<std::string>> now = std::optional<std::string>();
  if (h->txn->TryGet(k, options, &now)) return wasm::SettleGet(call, now);
  std::shared_ptr<Transaction> txn = h->txn;
  Spawn(txn->Get(k, options),
        [txn, call](Result<std::optional<std::string>> r) { wasm::SettleGet(call, r); });
}

// Keys as wasm::KeysFromJs reads them; the transaction's own writes count, as for get.
EMSCRIPTEN_KEEPALIVE void slatedb_txn_get_many(TxnHolder* h, const char* keys, size_t keys_len,
                                               int durability, int dirty, int call) {
  using namespace slatedb;
  Result<std::vector<std::string>> decoded = wasm::KeysFromJs(keys, keys_len);
  if (!decoded.ok()) return wasm::SettleError(call, decoded.status());
  std::shared_ptr<Transaction> txn = h->txn;
  Spawn(txn->MultiGet(std::move(*decoded), wasm::ReadOptionsFromJs(durability, dirty)),
        [txn, call](Result<std::vector<std::optional<std::string>>> r) {
          wasm::SettleMany(call, r);
        });
}

EMSCRIPTEN_KEEPALIVE void slatedb_txn_scan(TxnHolder* h, const char* start, size_t start_len,
                                           const char* end, size_t end_len, int durability,
                                           int dirty, int order, const char* filter_prefix,
                                           size_t filter_prefix_len, int has_filter_prefix,
                                           int call) {
  using namespace slatedb;
  std::shared_ptr<Db> db = h->db;
  Spawn(h->txn->Scan(std::string_view(start, start_len), std::string_view(end, end_len),
                     wasm::ScanOptionsFromJs(durability, dirty, order, filter_prefix,
                                             filter_prefix_len, has_filter_prefix)),
        [db, call](Result<std::unique_ptr<DbIterator>> r) {
          wasm::SettleIterator(call, db, nullptr, std::move(r));
        });
}

// op: 0 put, 1 delete, 2 merge, 3 markRead, 4 unmarkWrite. Settles at once.
EMSCRIPTEN_KEEPALIVE void slatedb_txn_write(TxnHolder* h, int op, const char* key, size_t key_len,
                                            const char* value, size_t value_len, double ttl,
                                            int call) {
  using namespace slatedb;
  std::string_view k(key, key_len);
  std::string_view v(value, value_len);
  Status st;
  switch (op) {
    case 0:
      st = h->txn->Put(k, v, wasm::TxnPutOptionsFromJs(ttl));
      break;
    case 1:
      st = h->txn->Delete(k);
      break;
    case 2:
      st = h->txn->Merge(k, v, wasm::TxnPutOptionsFromJs(ttl));
      break;
    case 3:
      st = h->txn->MarkRead(k);
      break;
    case 4:
      st = h->txn->UnmarkWrite(k);
      break;
    default:
      st = Status::Invalid("unknown transaction operation");
  }
  wasm::SettleStatus(call, st);
}

// Resolves with the write handle (two f64: seq, create_ts; num = 1) or nothing (num = 0)
// when the transaction wrote nothing. TransactionError on a conflict.
EMSCRIPTEN_KEEPALIVE void slatedb_txn_commit(TxnHolder* h, int await_durable, int call) {
  using namespace slatedb;
  WriteOptions options;
  options.await_durable = await_durable != 0;
  std::shared_ptr<Transaction> txn = h->txn;
  Spawn(txn->Commit(options), [txn, call](Result<std::optional<WriteHandle>> r) {
    if (!r.ok()) return wasm::SettleError(call, r.status());
    if (!r->has_value()) return wasm::SettleOk(call, {}, 0);
    double out[2] = {static_cast<double>((*r)->seq), static_cast<double>((*r)->create_ts)};
    wasm::SettleOk(call, std::string_view(reinterpret_cast<const char*>(out), sizeof(out)), 1);
  });
}

EMSCRIPTEN_KEEPALIVE void slatedb_txn_rollback(TxnHolder* h) { h->txn->Rollback(); }

}  // extern "C"
