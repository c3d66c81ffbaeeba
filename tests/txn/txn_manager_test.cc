// SPDX-License-Identifier: Apache-2.0
//
// TxnManager on its own: which recorded commits a transaction is checked against, each
// conflict rule, and pruning of the records.
#include <catch2/catch.hpp>

#include "txn/txn_manager.h"

namespace slatedb {
namespace {

TxnConflictSet Txn(IsolationLevel iso, uint64_t started, std::vector<std::string> writes,
                   std::vector<std::string> reads = {}, std::vector<KeyRange> ranges = {}) {
  TxnConflictSet t;
  t.isolation = iso;
  t.started_seq = started;
  t.write_keys = std::move(writes);
  t.read_keys = std::move(reads);
  t.read_ranges = std::move(ranges);
  return t;
}

constexpr IsolationLevel kSI = IsolationLevel::kSnapshot;
constexpr IsolationLevel kSSI = IsolationLevel::kSerializableSnapshot;

TEST_CASE("TxnManager checks only commits after the transaction began", "[txn]") {
  TxnManager m;
  uint64_t id = m.Register(10);
  m.RecordCommit(10, {"early"});  // kept? it is not after seq 10, but recording is blind
  m.RecordCommit(11, {"b", "d"});
  m.RecordCommit(12, {"x"});
  CHECK(m.Check(Txn(kSI, 10, {"early"})).ok());
  CHECK(m.Check(Txn(kSI, 10, {"a", "c", "e"})).ok());
  CHECK(m.Check(Txn(kSI, 10, {"d"})).code() == StatusCode::kTransaction);
  CHECK(m.Check(Txn(kSI, 11, {"d"})).ok());
  CHECK(m.Check(Txn(kSI, 11, {"x"})).code() == StatusCode::kTransaction);
  CHECK(m.Check(Txn(kSI, 12, {"x"})).ok());
  m.Unregister(id);
}

TEST_CASE("TxnManager conflict rules per isolation level", "[txn]") {
  TxnManager m;
  uint64_t id = m.Register(0);
  m.RecordCommit(1, {"k2", "m"});
  // Reads count only under SSI.
  CHECK(m.Check(Txn(kSI, 0, {"z"}, {"k2"})).ok());
  CHECK(m.Check(Txn(kSSI, 0, {"z"}, {"k2"})).code() == StatusCode::kTransaction);
  CHECK(m.Check(Txn(kSSI, 0, {"z"}, {"k1", "k3"})).ok());
  // Ranges: [start, end), empty end unbounded.
  CHECK(m.Check(Txn(kSSI, 0, {}, {}, {{"k1", "k2"}})).ok());
  CHECK(m.Check(Txn(kSSI, 0, {}, {}, {{"k1", "k21"}})).code() == StatusCode::kTransaction);
  CHECK(m.Check(Txn(kSSI, 0, {}, {}, {{"k3", "l"}})).ok());
  CHECK(m.Check(Txn(kSSI, 0, {}, {}, {{"k3", ""}})).code() == StatusCode::kTransaction);
  CHECK(m.Check(Txn(kSSI, 0, {}, {}, {{"n", ""}})).ok());
  CHECK(m.Check(Txn(kSI, 0, {}, {}, {{"k1", "k3"}})).ok());
  m.Unregister(id);
}

TEST_CASE("TxnManager keeps records only for open transactions that need them", "[txn]") {
  TxnManager m;
  m.RecordCommit(1, {"a"});
  CHECK(m.recorded_count() == 0);  // nobody open
  uint64_t t5 = m.Register(5);
  CHECK(m.needs_records());
  m.RecordCommit(6, {"a"});
  uint64_t t6 = m.Register(6);
  m.RecordCommit(7, {"b"});
  m.RecordCommit(8, {});  // nothing to remember
  CHECK(m.recorded_count() == 2);
  CHECK(m.Unregister(t5) == std::optional<uint64_t>(5));
  CHECK(m.recorded_count() == 1);           // seq 6 was visible to the one still open
  CHECK(m.Unregister(t5) == std::nullopt);  // idempotent
  CHECK(m.active_count() == 1);
  m.Unregister(t6);
  CHECK(m.recorded_count() == 0);
  CHECK(m.active_count() == 0);
  CHECK_FALSE(m.needs_records());
}

TEST_CASE("TxnManager::KeysOf sorts and deduplicates a batch's keys", "[txn]") {
  WriteBatch b;
  b.Put("b", "1");
  b.Merge("a", "1");
  b.Delete("b");
  CHECK(TxnManager::KeysOf(b) == std::vector<std::string>{"a", "b"});
}

}  // namespace
}  // namespace slatedb
