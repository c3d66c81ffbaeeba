// SPDX-License-Identifier: Apache-2.0
//
// DbImpl's transaction hooks. Every write passes ApplyTrackedLocked under the database
// mutex, which is where commit sequence numbers are assigned: a transaction's conflict
// check and its commit happen in one critical section, serially with every other write,
// and a plain write's keys are recorded there for the transactions that are open.
#include "db/db_impl.h"

namespace slatedb {

Result<std::pair<uint64_t, uint64_t>> DbImpl::BeginTxn() {
  std::lock_guard<std::mutex> lock(mu_);
  SLATEDB_RETURN_IF_ERROR(CheckOpenLocked());
  // last_seq_ is the last committed write: batches are applied whole under mu_.
  const uint64_t seq = last_seq_;
  snapshots_.insert(seq);
  return std::make_pair(txns_.Register(seq), seq);
}

void DbImpl::EndTxnLocked(uint64_t txn_id) {
  std::optional<uint64_t> seq = txns_.Unregister(txn_id);
  if (!seq) return;
  auto it = snapshots_.find(*seq);
  if (it != snapshots_.end()) snapshots_.erase(it);
}

void DbImpl::EndTxn(uint64_t txn_id) {
  std::lock_guard<std::mutex> lock(mu_);
  EndTxnLocked(txn_id);
}

Status DbImpl::CheckTxn(const TxnConflictSet& txn) {
  std::lock_guard<std::mutex> lock(mu_);
  Status s = CheckOpenLocked();
  if (s.ok()) s = txns_.Check(txn);
  txns_.CountOutcome(s);
  EndTxnLocked(txn.txn_id);
  return s;
}

Status DbImpl::ApplyTrackedLocked(const WriteBatch& batch, const TxnConflictSet* txn,
                                  WriteHandle* handle) {
  Status s = txn != nullptr ? txns_.Check(*txn) : Status::Ok();
  if (s.ok()) s = ApplyLocked(batch, handle);
  if (txn != nullptr) {
    txns_.CountOutcome(s);
    EndTxnLocked(txn->txn_id);
  }
  // Every transaction still open began before this write, so it must see its keys.
  if (s.ok() && txns_.needs_records()) {
    txns_.RecordCommit(handle->seq,
                       txn != nullptr ? txn->write_keys : TxnManager::KeysOf(batch));
  }
  return s;
}

void DbImpl::AddTxnMetricsLocked(std::map<std::string, uint64_t>* metrics) const {
  (*metrics)["txn/active"] = txns_.active_count();
  (*metrics)["txn/recorded_commits"] = txns_.recorded_count();
  (*metrics)["txn/commits"] = txns_.commits();
  (*metrics)["txn/conflicts"] = txns_.conflicts();
}

}  // namespace slatedb
