// SPDX-License-Identifier: Apache-2.0
//
// The write path: a batch collapses to one row per key, gets the next sequence number and
// becomes visible as a whole (memtable, then WAL buffer) under the mutex. Transactions'
// conflict checks run in the same critical section (Snapshots).
#include <algorithm>
#include <unordered_map>

#include "db/db_impl.h"
#include "util/async.h"
#include "util/merge_failure.h"

namespace slatedb {

namespace {

// Expiry for a put/merge: its absolute expiry, else its TTL, else the default; none: never.
// A row is visible while now < expire_ts, so a TTL of 0 (expire_ts = now) or an absolute
// expiry not after now is never visible, as upstream.
int64_t ExpireAt(int64_t now, const WriteBatch::Op& op, std::optional<uint64_t> fallback) {
  if (op.expire_at_ms) return *op.expire_at_ms;
  std::optional<uint64_t> ttl = op.ttl_ms ? op.ttl_ms : fallback;
  if (!ttl) return kNoTimestamp;
  if (*ttl > static_cast<uint64_t>(INT64_MAX - now)) return kNoTimestamp;  // kNoExpiry, overflow
  return now + static_cast<int64_t>(*ttl);
}

// The ops of a batch without merges that take effect: the last put or delete of each key, in
// key order. Batches are usually already in order without repeats, which costs one pass.
std::vector<const WriteBatch::Op*> LastOpPerKey(const WriteBatch& batch) {
  std::vector<const WriteBatch::Op*> ops;
  ops.reserve(batch.size());
  for (const WriteBatch::Op& op : batch.ops()) ops.push_back(&op);
  auto key_less = [](const WriteBatch::Op* a, const WriteBatch::Op* b) { return a->key < b->key; };
  bool strictly_ordered = true;
  for (size_t i = 1; i < ops.size() && strictly_ordered; ++i) {
    strictly_ordered = key_less(ops[i - 1], ops[i]);
  }
  if (strictly_ordered) return ops;
  std::stable_sort(ops.begin(), ops.end(), key_less);  // equal keys keep batch order
  size_t kept = 0;
  for (size_t i = 0; i < ops.size(); ++i) {
    if (i + 1 < ops.size() && ops[i + 1]->key == ops[i]->key) continue;  // a later op wins
    ops[kept++] = ops[i];
  }
  ops.resize(kept);
  return ops;
}

bool HasMerges(const WriteBatch& batch) {
  for (const WriteBatch::Op& op : batch.ops()) {
    if (op.type == WriteBatch::OpType::kMerge) return true;
  }
  return false;
}

// One key's effect within a batch: the last put/delete and the merges after it.
struct KeyOps {
  const WriteBatch::Op* base = nullptr;
  std::vector<const WriteBatch::Op*> merges;
};

}  // namespace

Status DbImpl::ApplyLocked(const WriteBatch& batch, uint64_t seqnum, WriteHandle* handle) {
  // The newest seq handed out so far, counting those that conflicting commits consumed.
  const uint64_t current = core_.last_seq + conflict_skipped_seqs_;
  if (seqnum != 0 && seqnum <= current) {
    // Upstream's text.
    return Status::Invalid(
        "invalid sequence number, must be greater than the current max. "
        "provided=`" +
        std::to_string(seqnum) + "`, current=`" + std::to_string(current) + "`");
  }
  const int64_t now = core_.TickLocked();
  const uint64_t seq = seqnum != 0 ? seqnum : current + 1;
  const std::optional<uint64_t>& default_ttl = core_.settings().default_ttl_ms;

  // Collapse the batch to one row per key (all rows share the batch's seq).
  std::vector<Row> rows;
  auto row_for = [&](const std::string& key, const KeyOps& all) -> Status {
    Row row;
    row.key = key;
    row.seq = seq;
    row.create_ts = now;
    // An operand expired when written is never applied (readers skip expired operands), so
    // it takes no part in the fold.
    KeyOps ops;
    ops.base = all.base;
    for (const WriteBatch::Op* m : all.merges) {
      const int64_t expire = ExpireAt(now, *m, default_ttl);
      if (expire == kNoTimestamp || expire > now) ops.merges.push_back(m);
    }
    if (ops.merges.empty() && ops.base == nullptr) {
      // Only such operands: one invisible row, so the key's write still takes this seq.
      row.kind = RowKind::kMerge;
      row.value = all.merges.back()->value;
      row.expire_ts = now;
      rows.push_back(std::move(row));
      return Status::Ok();
    }
    if (ops.merges.empty()) {
      if (ops.base->type == WriteBatch::OpType::kDelete) {
        row.kind = RowKind::kTombstone;
      } else {
        row.kind = RowKind::kValue;
        row.value = ops.base->value;
        row.expire_ts = ExpireAt(now, *ops.base, default_ttl);
      }
      rows.push_back(std::move(row));
      return Status::Ok();
    }
    const MergeOperator& merge = core_.options.merge_operator;
    if (!merge) return Status::Invalid("merge needs a merge operator configured at open");
    int64_t expire = ExpireAt(now, *ops.merges[0], default_ttl);
    std::optional<std::string> acc;
    size_t first = 0;
    if (ops.base != nullptr) {
      if (ops.base->type == WriteBatch::OpType::kPut) {
        if (ExpireAt(now, *ops.base, default_ttl) != expire) {
          return Status::Invalid("incompatible merge TTLs in one batch for a key");
        }
        acc = ops.base->value;
      }
    } else {
      // A lone operand is stored as written, without calling the operator under the db
      // mutex (a binding's operator may need a lock of its own, e.g. Python's GIL).
      acc = ops.merges[0]->value;
      first = 1;
    }
    for (size_t i = first; i < ops.merges.size(); ++i) {
      if (ExpireAt(now, *ops.merges[i], default_ttl) != expire) {
        return Status::Invalid("incompatible merge TTLs in one batch for a key");
      }
      std::optional<std::string_view> existing;
      if (acc) existing = std::string_view(*acc);
      Result<std::string> merged = merge(key, existing, ops.merges[i]->value);
      if (!merged.ok()) return MergeOperatorFailure(merged.status());
      acc = std::move(*merged);
    }
    row.kind = ops.base != nullptr ? RowKind::kValue : RowKind::kMerge;
    row.value = std::move(*acc);
    row.expire_ts = expire;
    rows.push_back(std::move(row));
    return Status::Ok();
  };

  // db/write_ops counts the operations that take effect: per key, its last put or delete
  // and the merges after it (upstream's batch keeps only those).
  size_t effective_ops = batch.size();
  if (batch.size() == 1 && batch.ops()[0].type != WriteBatch::OpType::kMerge) {
    // The common case, a single put or delete: no intermediate row copies.
    const WriteBatch::Op& op = batch.ops()[0];
    RowView row;
    row.key = op.key;
    row.seq = seq;
    row.create_ts = now;
    if (op.type == WriteBatch::OpType::kDelete) {
      row.kind = RowKind::kTombstone;
    } else {
      row.kind = RowKind::kValue;
      row.value = op.value;
      row.expire_ts = ExpireAt(now, op, default_ttl);
    }
    AppendRowsLocked(&row, 1, seq);
  } else if (!HasMerges(batch)) {
    // Puts and deletes only: rows view the batch's own bytes, no intermediate copies.
    std::vector<const WriteBatch::Op*> ops = LastOpPerKey(batch);
    effective_ops = ops.size();
    std::vector<RowView> views(ops.size());
    for (size_t i = 0; i < ops.size(); ++i) {
      RowView& row = views[i];
      row.key = ops[i]->key;
      row.seq = seq;
      row.create_ts = now;
      if (ops[i]->type == WriteBatch::OpType::kDelete) {
        row.kind = RowKind::kTombstone;
      } else {
        row.kind = RowKind::kValue;
        row.value = ops[i]->value;
        row.expire_ts = ExpireAt(now, *ops[i], default_ttl);
      }
    }
    AppendRowsLocked(views.data(), views.size(), seq);
  } else if (batch.size() == 1) {
    const WriteBatch::Op& op = batch.ops()[0];
    KeyOps ops;
    if (op.type == WriteBatch::OpType::kMerge) {
      ops.merges.push_back(&op);
    } else {
      ops.base = &op;
    }
    SLATEDB_RETURN_IF_ERROR(row_for(op.key, ops));
  } else {
    std::vector<std::string_view> order;
    std::unordered_map<std::string_view, KeyOps> by_key;
    for (const WriteBatch::Op& op : batch.ops()) {
      auto [it, inserted] = by_key.try_emplace(op.key);
      if (inserted) order.push_back(op.key);
      if (op.type == WriteBatch::OpType::kMerge) {
        it->second.merges.push_back(&op);
      } else {
        it->second.base = &op;
        it->second.merges.clear();
      }
    }
    rows.reserve(order.size());
    effective_ops = 0;
    for (std::string_view key : order) {
      const KeyOps& ops = by_key[key];
      effective_ops += (ops.base != nullptr ? 1 : 0) + ops.merges.size();
      SLATEDB_RETURN_IF_ERROR(row_for(std::string(key), ops));
    }
  }

  if (!rows.empty()) {
    std::vector<RowView> views;
    views.reserve(rows.size());
    for (const Row& row : rows) views.push_back(row.view());
    AppendRowsLocked(views.data(), views.size(), seq);
  }
  metric_write_batches_.fetch_add(1, std::memory_order_relaxed);
  metric_write_ops_.fetch_add(effective_ops, std::memory_order_relaxed);

  const uint64_t limit = core_.settings().l0_sst_size_bytes;
  if (flusher_.active_bytes() >= limit) {
    flusher_.FreezeLocked();
  } else if (wal_.buffered_bytes() >= limit) {
    wal_.CutAndUploadLocked();
  } else {
    wal_.MaybeScheduleTimerLocked();
  }
  *handle = WriteHandle{seq, now};
  return Status::Ok();
}

void DbImpl::AppendRowsLocked(const RowView* rows, size_t count, uint64_t seq) {
  // Nothing can fail from here on: the batch becomes visible as a whole.
  core_.last_seq = seq;
  conflict_skipped_seqs_ = 0;
  wal_.BeginBatchLocked(flusher_.active());
  for (size_t i = 0; i < count; ++i) wal_.AddLocked(flusher_.AddLocked(rows[i]));
  wal_.EndBatchLocked(seq);
  flusher_.SampleSeqLocked(seq, core_.last_tick());
}

std::optional<Result<WriteHandle>> DbImpl::TryApply(const WriteBatch& batch,
                                                    const TxnConflictSet* txn, uint64_t seqnum) {
  // With segments, each key's prefix comes from the extractor (a user callback: called
  // without the lock) before the write reaches the WAL.
  Status segmented;
  std::vector<std::string> prefixes;
  if (core_.options.segment_extractor) {
    SegmentSet extract(core_.options.segment_extractor);
    for (const WriteBatch::Op& op : batch.ops()) {
      Result<std::string> prefix = extract.PrefixOf(op.key);
      if (!prefix.ok()) {
        segmented = prefix.status();
        break;
      }
      if (std::find(prefixes.begin(), prefixes.end(), *prefix) == prefixes.end()) {
        prefixes.push_back(std::move(*prefix));
      }
    }
  }
  DbLock lock(&core_.mu);
  if (!core_.OpenLocked()) return Result<WriteHandle>(core_.closed_status());
  if (core_.closing) {
    return Result<WriteHandle>(Status::Closed(CloseReason::kClean, "database is closing"));
  }
  if (!flusher_.HasSpaceLocked()) return std::nullopt;
  // Commit sequence numbers are assigned here: a transaction's conflict check and its
  // commit happen in one critical section, serially with every other write.
  Status s = txn != nullptr ? snapshots_.CheckCommitLocked(*txn) : Status::Ok();
  if (s.ok()) s = segmented;
  if (s.ok()) s = core_.segments.CheckNew(prefixes);
  WriteHandle handle;
  if (s.ok()) s = ApplyLocked(batch, seqnum, &handle);
  if (s.ok()) {
    for (const std::string& prefix : prefixes) core_.segments.Add(prefix);
  }
  if (txn != nullptr) snapshots_.EndCommitLocked(*txn, s);
  if (txn != nullptr && s.kind() == ErrorKind::kTransaction) ++conflict_skipped_seqs_;
  if (!s.ok()) return Result<WriteHandle>(s);
  snapshots_.RecordWriteLocked(handle.seq, batch, txn);
  return Result<WriteHandle>(handle);
}

Task<Result<WriteHandle>> DbImpl::WriteAfterSpace(WriteBatch batch, WriteOptions options,
                                                  std::shared_ptr<const TxnConflictSet> txn) {
  auto self = shared_from_this();
  for (;;) {
    std::optional<Result<WriteHandle>> applied =
        TryApply(batch, txn.get(), options.seqnum.value_or(0));
    if (applied) {
      if (!applied->ok() || !options.await_durable) co_return std::move(*applied);
      co_return co_await AwaitDurable(applied->value());
    }
    metric_write_stalls_.fetch_add(1, std::memory_order_relaxed);
    const int64_t stalled_at = core_.options.clock->NowMillis();
    Status waited = co_await core_.WaitFor(WaitKind::kSpace, 0);
    const int64_t stalled_ms = core_.options.clock->NowMillis() - stalled_at;
    if (stalled_ms > 0) {
      metric_write_stall_ms_.fetch_add(static_cast<uint64_t>(stalled_ms),
                                       std::memory_order_relaxed);
    }
    if (!waited.ok()) co_return waited;
  }
}

Task<Result<WriteHandle>> DbImpl::AwaitDurable(WriteHandle handle) {
  auto self = shared_from_this();
  Status s = co_await core_.WaitFor(WaitKind::kDurable, handle.seq);
  if (!s.ok()) co_return s;
  co_return handle;
}

Result<std::pair<uint64_t, uint64_t>> DbImpl::BeginTxn() {
  DbLock lock(&core_.mu);
  SLATEDB_RETURN_IF_ERROR(core_.closed_status());
  const uint64_t seq = core_.last_seq;
  return std::make_pair(snapshots_.BeginTxnLocked(seq), seq);
}

void DbImpl::EndTxn(uint64_t txn_id) {
  DbLock lock(&core_.mu);
  snapshots_.EndTxnLocked(txn_id);
}

Status DbImpl::CheckTxn(const TxnConflictSet& txn) {
  DbLock lock(&core_.mu);
  Status s = core_.closed_status();
  if (s.ok()) s = snapshots_.CheckCommitLocked(txn);
  snapshots_.EndCommitLocked(txn, s);
  return s;
}

}  // namespace slatedb
