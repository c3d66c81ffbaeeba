// SPDX-License-Identifier: Apache-2.0
#include "db/snapshots.h"

namespace slatedb {

void Snapshots::ReleaseLocked(uint64_t seq) {
  auto it = seqs_.find(seq);
  if (it != seqs_.end()) seqs_.erase(it);
}

std::optional<uint64_t> Snapshots::OldestLocked() const {
  if (seqs_.empty()) return std::nullopt;
  return *seqs_.begin();
}

uint64_t Snapshots::BeginTxnLocked(uint64_t seq) {
  seqs_.insert(seq);
  return txns_.Register(seq);
}

void Snapshots::EndTxnLocked(uint64_t txn_id) {
  std::optional<uint64_t> seq = txns_.Unregister(txn_id);
  if (seq) ReleaseLocked(*seq);
}

void Snapshots::EndCommitLocked(const TxnConflictSet& txn, const Status& outcome) {
  txns_.CountOutcome(outcome);
  EndTxnLocked(txn.txn_id);
}

void Snapshots::AddMetricsLocked(std::map<std::string, uint64_t>* metrics) const {
  (*metrics)["txn/active"] = txns_.active_count();
  (*metrics)["txn/recorded_commits"] = txns_.recorded_count();
  (*metrics)["txn/commits"] = txns_.commits();
  (*metrics)["txn/conflicts"] = txns_.conflicts();
}

}  // namespace slatedb
