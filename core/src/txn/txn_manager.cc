// SPDX-License-Identifier: Apache-2.0
#include "txn/txn_manager.h"

#include <algorithm>

namespace slatedb {

namespace {

// Whether two sorted, unique key vectors share a key. Walks the longer one by binary
// search from the shorter, so a small transaction against a large batch stays cheap.
bool Intersects(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const std::vector<std::string>& small = a.size() <= b.size() ? a : b;
  const std::vector<std::string>& large = a.size() <= b.size() ? b : a;
  if (small.empty() || small.back() < large.front() || large.back() < small.front()) {
    return false;
  }
  auto from = large.begin();
  for (const std::string& key : small) {
    from = std::lower_bound(from, large.end(), key);
    if (from == large.end()) return false;
    if (*from == key) return true;
  }
  return false;
}

// Whether a sorted key vector holds a key inside `range`.
bool AnyInRange(const std::vector<std::string>& keys, const KeyRange& range) {
  auto it = std::lower_bound(keys.begin(), keys.end(), range.start);
  return it != keys.end() && (range.end.empty() || *it < range.end);
}

}  // namespace

uint64_t TxnManager::Register(uint64_t started_seq) {
  uint64_t id = next_id_++;
  active_.emplace(id, started_seq);
  started_.insert(started_seq);
  return id;
}

std::optional<uint64_t> TxnManager::Unregister(uint64_t txn_id) {
  auto it = active_.find(txn_id);
  if (it == active_.end()) return std::nullopt;
  const uint64_t started_seq = it->second;
  started_.erase(started_.find(started_seq));
  active_.erase(it);
  Prune();
  return started_seq;
}

void TxnManager::CountOutcome(const Status& status) {
  if (status.ok()) {
    ++commits_;
  } else if (status.code() == StatusCode::kTransaction) {
    ++conflicts_;
  }
}

void TxnManager::Prune() {
  if (started_.empty()) {
    committed_.clear();
    return;
  }
  // A commit at or below every open transaction's read seq was visible to all of them.
  const uint64_t oldest = *started_.begin();
  while (!committed_.empty() && committed_.front().seq <= oldest) committed_.pop_front();
}

void TxnManager::RecordCommit(uint64_t seq, std::vector<std::string> keys) {
  if (active_.empty() || keys.empty()) return;
  committed_.push_back(Committed{seq, std::move(keys)});
}

Status TxnManager::Check(const TxnConflictSet& txn) const {
  const bool ssi = txn.isolation == IsolationLevel::kSerializableSnapshot;
  auto first = std::upper_bound(committed_.begin(), committed_.end(), txn.started_seq,
                                [](uint64_t seq, const Committed& c) { return seq < c.seq; });
  for (auto it = first; it != committed_.end(); ++it) {
    if (Intersects(txn.write_keys, it->keys)) {
      return Status::Transaction(
          "transaction conflict: a key it writes was written by a commit after it began "
          "(write-write)");
    }
    if (!ssi) continue;
    if (Intersects(txn.read_keys, it->keys)) {
      return Status::Transaction(
          "transaction conflict: a key it read was written by a commit after it began "
          "(read-write)");
    }
    for (const KeyRange& range : txn.read_ranges) {
      if (AnyInRange(it->keys, range)) {
        return Status::Transaction(
            "transaction conflict: a range it scanned was written by a commit after it "
            "began (read-write, phantom)");
      }
    }
  }
  return Status::Ok();
}

std::vector<std::string> TxnManager::KeysOf(const WriteBatch& batch) {
  std::vector<std::string> keys;
  keys.reserve(batch.size());
  for (const WriteBatch::Op& op : batch.ops()) keys.push_back(op.key);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

}  // namespace slatedb
