// SPDX-License-Identifier: Apache-2.0
//
// The WAL reader (slatedb/wal_reader.h) exported to JavaScript, wrapped by js/wal_reader.mjs
// (WalReader). Conventions as in bindings.cc. A file is settled as JSON with keys and values
// in hex, since rows carry arbitrary bytes; `null` when no newer WAL object exists yet (the
// JS layer waits and asks again).
#include <emscripten/emscripten.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "js_executor.h"
#include "js_host.h"
#include "slatedb/wal_reader.h"
#include "store_handle.h"

namespace slatedb::wasm {
namespace {

struct WalReaderHolder {
  std::shared_ptr<WalReader> reader;
};

struct WalIteratorHolder {
  std::shared_ptr<WalFileIterator> it;
};

std::string Hex(const std::string& bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

nlohmann::json FileJson(const WalFile& file) {
  static const char* kKinds[] = {"value", "tombstone", "merge"};
  nlohmann::json rows = nlohmann::json::array();
  for (const WalRow& r : file.rows) {
    nlohmann::json row = {
        {"kind", kKinds[static_cast<int>(r.kind)]}, {"key", Hex(r.key)}, {"seq", r.seq}};
    row["value"] = r.value ? nlohmann::json(Hex(*r.value)) : nlohmann::json(nullptr);
    row["create_ts"] = r.create_ts ? nlohmann::json(*r.create_ts) : nlohmann::json(nullptr);
    row["expire_ts"] = r.expire_ts ? nlohmann::json(*r.expire_ts) : nlohmann::json(nullptr);
    rows.push_back(std::move(row));
  }
  return {{"id", file.id}, {"rows", std::move(rows)}};
}

}  // namespace
}  // namespace slatedb::wasm

using slatedb::wasm::StoreHandle;
using slatedb::wasm::WalIteratorHolder;
using slatedb::wasm::WalReaderHolder;

extern "C" {

// Creates a reader (no I/O); `wal_store` null when the WAL lives in `store`. Resolves with a
// WalReaderHolder* (as a number).
EMSCRIPTEN_KEEPALIVE void slatedb_wal_reader_open(StoreHandle* store, StoreHandle* wal_store,
                                                  const char* path, size_t path_len, int call) {
  using namespace slatedb;
  WalReaderOptions options;
  options.object_store = store->store;
  if (wal_store != nullptr) options.wal_object_store = wal_store->store;
  options.executor = std::make_shared<wasm::JsExecutor>();
  options.clock = std::make_shared<wasm::JsClock>();
  options.path.assign(path, path_len);
  Result<std::shared_ptr<WalReader>> r = WalReader::Create(std::move(options));
  if (!r.ok()) return wasm::SettleError(call, r.status());
  auto* holder = new WalReaderHolder{std::move(*r)};
  wasm::SettleOk(call, {}, static_cast<double>(reinterpret_cast<uintptr_t>(holder)));
}

EMSCRIPTEN_KEEPALIVE void slatedb_wal_reader_free(WalReaderHolder* h) { delete h; }

// Resolves with the id (as a number: WAL ids stay far below 2^53).
EMSCRIPTEN_KEEPALIVE void slatedb_wal_reader_last_id(WalReaderHolder* h, double after, int call) {
  using namespace slatedb;
  std::shared_ptr<WalReader> reader = h->reader;
  Spawn(reader->LastWalFileId(static_cast<uint64_t>(after)), [reader, call](Result<uint64_t> r) {
    if (!r.ok()) return wasm::SettleError(call, r.status());
    wasm::SettleOk(call, {}, static_cast<double>(*r));
  });
}

// Returns a WalIteratorHolder* starting at WAL id `start`.
EMSCRIPTEN_KEEPALIVE WalIteratorHolder* slatedb_wal_iterator_new(WalReaderHolder* h, double start) {
  return new WalIteratorHolder{
      std::shared_ptr<slatedb::WalFileIterator>(h->reader->Iterate(static_cast<uint64_t>(start)))};
}

EMSCRIPTEN_KEEPALIVE void slatedb_wal_iterator_free(WalIteratorHolder* h) { delete h; }

// One call at a time per iterator (the JS layer serialises them). Resolves with JSON text.
EMSCRIPTEN_KEEPALIVE void slatedb_wal_iterator_try_next(WalIteratorHolder* h, int call) {
  using namespace slatedb;
  std::shared_ptr<WalFileIterator> it = h->it;
  Spawn(it->TryNext(), [it, call](Result<std::optional<WalFile>> r) {
    if (!r.ok()) return wasm::SettleError(call, r.status());
    wasm::SettleOk(call, *r ? wasm::FileJson(**r).dump() : std::string("null"));
  });
}

}  // extern "C"
