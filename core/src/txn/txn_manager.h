// SPDX-License-Identifier: Apache-2.0
//
// TxnManager: the conflict bookkeeping of one writer. It knows the open transactions
// (each with the sequence number it reads at) and the key sets of the writes committed
// while some of them were open, and decides at commit whether a transaction conflicts.
//
// Cost is proportional to open transactions: a committed write is recorded only if some
// open transaction began before it (and could therefore conflict with it), and is dropped
// as soon as no open transaction began before it. With no open transactions nothing is
// recorded and the record list is empty.
//
// Not thread-safe: DbImpl calls it under its mutex, in the same critical section that
// assigns commit sequence numbers, so checks and commits are serial.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "slatedb/status.h"
#include "slatedb/transaction.h"
#include "slatedb/write_batch.h"

namespace slatedb {

// [start, end); an empty end means "to the last key".
struct KeyRange {
  std::string start;
  std::string end;
};

// What a committing transaction is checked with. Key vectors are sorted and unique.
struct TxnConflictSet {
  uint64_t txn_id = 0;
  IsolationLevel isolation = IsolationLevel::kSnapshot;
  uint64_t started_seq = 0;
  std::vector<std::string> write_keys;
  std::vector<std::string> read_keys;  // SSI only
  std::vector<KeyRange> read_ranges;   // SSI only
};

class TxnManager {
 public:
  // Registers an open transaction reading at `started_seq`; returns its id.
  uint64_t Register(uint64_t started_seq);
  // Forgets an open transaction and drops records no one needs any more. Returns its
  // started_seq, or nullopt if it was not open (so callers can end a transaction twice).
  std::optional<uint64_t> Unregister(uint64_t txn_id);

  // OK, or Transaction naming the kind of conflict with a write committed after
  // txn.started_seq.
  Status Check(const TxnConflictSet& txn) const;

  // Whether RecordCommit would keep anything: true while a transaction is open.
  bool needs_records() const { return !active_.empty(); }
  // Records the keys (sorted, unique) of the write committed at `seq`.
  // REQUIRES: seq greater than every recorded seq.
  void RecordCommit(uint64_t seq, std::vector<std::string> keys);

  // Counts a commit attempt's outcome (for metrics).
  void CountOutcome(const Status& status);

  size_t active_count() const { return active_.size(); }
  size_t recorded_count() const { return committed_.size(); }
  uint64_t commits() const { return commits_; }
  uint64_t conflicts() const { return conflicts_; }

  // The sorted, unique keys a batch writes.
  static std::vector<std::string> KeysOf(const WriteBatch& batch);

 private:
  struct Committed {
    uint64_t seq;
    std::vector<std::string> keys;  // sorted, unique
  };
  void Prune();

  uint64_t next_id_ = 1;
  std::map<uint64_t, uint64_t> active_;  // id -> started_seq
  std::multiset<uint64_t> started_;      // started_seq of each open transaction
  std::deque<Committed> committed_;      // in seq order
  uint64_t commits_ = 0;
  uint64_t conflicts_ = 0;
};

}  // namespace slatedb
