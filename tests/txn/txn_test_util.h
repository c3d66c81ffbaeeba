// SPDX-License-Identifier: Apache-2.0
//
// Helpers for transaction tests, on top of the engine fixtures in tests/db/db_test_util.h.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/db/db_test_util.h"

namespace slatedb::testing {

inline std::unique_ptr<Transaction> Begin(Db& db, IsolationLevel iso) {
  Result<std::unique_ptr<Transaction>> t = db.Begin(iso);
  REQUIRE(t.status().ToString() == "OK");
  return std::move(*t);
}

inline std::optional<std::string> TxnGet(Transaction& txn, std::string_view key) {
  Result<std::optional<std::string>> r = BlockOn(txn.Get(key));
  REQUIRE(r.status().ToString() == "OK");
  return *r;
}

// Keys and values only (version metadata dropped): these tests compare what is visible.
inline std::vector<KeyValue> Drain(DbIterator& it) {
  std::vector<KeyValue> out;
  for (;;) {
    Result<std::optional<KeyValue>> next = BlockOn(it.Next());
    REQUIRE(next.status().ToString() == "OK");
    if (!next->has_value()) return out;
    out.push_back(KeyValue{std::move((*next)->key), std::move((*next)->value)});
  }
}

inline std::vector<KeyValue> TxnScanAll(Transaction& txn, std::string_view start,
                                        std::string_view end) {
  Result<std::unique_ptr<DbIterator>> it = BlockOn(txn.Scan(start, end));
  REQUIRE(it.status().ToString() == "OK");
  return Drain(**it);
}

inline uint64_t TxnMetric(const Db& db, const std::string& name) {
  auto metrics = db.Metrics();
  auto it = metrics.find(name);
  REQUIRE(it != metrics.end());
  return it->second;
}

}  // namespace slatedb::testing
