// SPDX-License-Identifier: Apache-2.0
//
// Snapshots: the read sequence numbers this writer must keep readable (open snapshots and
// transactions), and the transactions' conflict bookkeeping (txn/txn_manager.h). The oldest
// read seq is the floor below which L0 flushes and compactions may drop shadowed versions.
// The write path asks it, in the same critical section that assigns the commit sequence,
// whether a transaction's commit conflicts and which writes must be recorded for the
// transactions still open.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "db/db_core.h"
#include "slatedb/write_batch.h"
#include "txn/txn_manager.h"

namespace slatedb {

class Snapshots {
 public:
  void AcquireLocked(uint64_t seq) REQUIRES(kDbMutex) { seqs_.insert(seq); }
  void ReleaseLocked(uint64_t seq) REQUIRES(kDbMutex);
  // The oldest read seq held, if any.
  std::optional<uint64_t> OldestLocked() const REQUIRES(kDbMutex);

  // A transaction reading at `seq`: registered, and its seq held. Returns its id.
  uint64_t BeginTxnLocked(uint64_t seq) REQUIRES(kDbMutex);
  // Forgets the transaction and releases its seq; ending one twice is harmless.
  void EndTxnLocked(uint64_t txn_id) REQUIRES(kDbMutex);
  // Before a transaction's write: OK, or Transaction naming the conflict.
  Status CheckCommitLocked(const TxnConflictSet& txn) const REQUIRES(kDbMutex) {
    return txns_.Check(txn);
  }
  // After a transaction's write was tried: counts the outcome and ends the transaction.
  void EndCommitLocked(const TxnConflictSet& txn, const Status& outcome) REQUIRES(kDbMutex);
  // After any write committed at `seq`: every transaction still open began before it, so
  // its keys are recorded while some are open (`txn`: the committing transaction's set).
  void RecordWriteLocked(uint64_t seq, const WriteBatch& batch, const TxnConflictSet* txn)
      REQUIRES(kDbMutex) {
    if (!txns_.needs_records()) return;
    txns_.RecordCommit(seq, txn != nullptr ? txn->write_keys : TxnManager::KeysOf(batch));
  }

  void AddMetricsLocked(std::map<std::string, uint64_t>* metrics) const REQUIRES(kDbMutex);

 private:
  std::multiset<uint64_t> seqs_ GUARDED_BY(kDbMutex);  // of open snapshots and transactions
  TxnManager txns_ GUARDED_BY(kDbMutex);
};

}  // namespace slatedb
