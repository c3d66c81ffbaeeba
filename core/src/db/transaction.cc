// SPDX-License-Identifier: Apache-2.0
//
// Transaction (and Db::Begin): argument checks, the read-your-writes overlay for point
// reads and scans, read/write-set tracking, and commit through DbImpl's write path.
#include "slatedb/transaction.h"

#include "db/db_impl.h"
#include "txn/txn_iterator.h"
#include "db/txn_state.h"
#include "util/async.h"

namespace slatedb {

namespace {

using GetResult = Result<std::optional<std::string>>;
using CommitResult = Result<std::optional<WriteHandle>>;

Status ClosedTxn() { return Status::Closed(CloseReason::kClean, "transaction is closed"); }

Status ValidateScanRange(std::string_view start, std::string_view end) {
  if (!end.empty() && end <= start) return Status::Invalid("scan end must be greater than start");
  return Status::Ok();
}

// A buffered entry folded over the snapshot's answer.
GetResult Overlay(std::string_view key, const std::optional<TxnEntry>& entry, GetResult snapshot,
                  const MergeOperator& merge) {
  if (!entry || !snapshot.ok()) return snapshot;
  std::optional<std::string_view> existing;
  if (snapshot->has_value()) existing = std::string_view(**snapshot);
  return entry->Resolve(key, existing, merge);
}

Task<GetResult> GetFromSnapshot(std::shared_ptr<TxnState> state, std::string key,
                                ReadOptions options, std::optional<TxnEntry> entry) {
  GetResult snapshot = co_await state->db->Get(key, options, state->seq);
  co_return Overlay(key, entry, std::move(snapshot), state->db->merge_operator());
}

// The snapshot's values of the keys the buffer does not answer alone, each overlaid with
// its buffered entry; `answers` holds the others already.
Task<Result<std::vector<std::optional<std::string>>>> MultiGetFromSnapshot(
    std::shared_ptr<TxnState> state, std::vector<std::string> keys, ReadOptions options,
    std::vector<std::optional<TxnEntry>> entries, std::vector<std::optional<GetResult>> answers) {
  std::vector<std::string> ask;
  std::vector<size_t> asked_for;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (!answers[i]) {
      ask.push_back(keys[i]);
      asked_for.push_back(i);
    }
  }
  std::vector<std::optional<std::string>> out(keys.size());
  if (!ask.empty()) {
    Result<std::vector<std::optional<std::string>>> snapshot =
        co_await state->db->MultiGet(std::move(ask), options, state->seq);
    if (!snapshot.ok()) co_return snapshot.status();
    for (size_t j = 0; j < asked_for.size(); ++j) {
      size_t i = asked_for[j];
      answers[i].emplace(Overlay(keys[i], entries[i], GetResult(std::move((*snapshot)[j])),
                                 state->db->merge_operator()));
    }
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    if (!answers[i]->ok()) co_return answers[i]->status();
    out[i] = std::move(**answers[i]);
  }
  co_return out;
}

Task<Result<std::unique_ptr<DbIterator>>> ScanWithBuffer(
    std::shared_ptr<TxnState> state, std::string start, std::string end, ScanOptions options,
    std::shared_ptr<const TxnEntryMap> buffered) {
  Result<std::unique_ptr<DbIterator>> snapshot =
      co_await state->db->Scan(start, end, options, state->seq);
  if (!snapshot.ok()) co_return snapshot.status();
  co_return NewTxnIterator(std::move(*snapshot), std::move(buffered), std::move(start),
                           std::move(end), state->db->merge_operator(), options.order);
}

using RowResult = Result<std::optional<KeyValueRow>>;

// A value decided by the transaction's buffered writes: no version yet (as upstream).
RowResult BufferedRow(std::string key, GetResult value) {
  if (!value.ok()) return value.status();
  if (!value->has_value()) return std::optional<KeyValueRow>();
  KeyValueRow row;
  row.key = std::move(key);
  row.value = std::move(**value);
  row.seq = UINT64_MAX;
  row.create_ts = 0;
  return std::optional<KeyValueRow>(std::move(row));
}

Task<RowResult> GetKeyValueFromSnapshot(std::shared_ptr<TxnState> state, std::string key,
                                        ReadOptions options, std::optional<TxnEntry> entry) {
  RowResult snapshot = co_await state->db->GetKeyValue(key, options, state->seq);
  if (!entry || !snapshot.ok()) co_return snapshot;
  // Buffered merges folded over the snapshot's value: no version yet, but the committed
  // version's times (as upstream).
  std::optional<std::string_view> existing;
  if (snapshot->has_value()) existing = std::string_view((*snapshot)->value);
  RowResult row = BufferedRow(key, entry->Resolve(key, existing, state->db->merge_operator()));
  if (row.ok() && row->has_value() && snapshot->has_value()) {
    (*row)->create_ts = (*snapshot)->create_ts;
    (*row)->expire_ts = (*snapshot)->expire_ts;
  }
  co_return row;
}

Task<CommitResult> CommitWhenDurable(std::shared_ptr<DbImpl> db, WriteHandle handle) {
  Result<WriteHandle> durable = co_await db->AwaitDurable(handle);
  if (!durable.ok()) co_return durable.status();
  co_return std::optional<WriteHandle>(*durable);
}

Task<CommitResult> CommitAfterSpace(std::shared_ptr<DbImpl> db, WriteBatch batch,
                                    WriteOptions options,
                                    std::shared_ptr<const TxnConflictSet> conflicts) {
  const uint64_t id = conflicts->txn_id;
  Result<WriteHandle> written =
      co_await db->WriteAfterSpace(std::move(batch), options, std::move(conflicts));
  db->EndTxn(id);  // if the database closed while waiting, the check never ran
  if (!written.ok()) co_return written.status();
  co_return std::optional<WriteHandle>(*written);
}

}  // namespace

Result<std::unique_ptr<Transaction>> Db::Begin() { return Begin(IsolationLevel::kSnapshot); }

Result<std::unique_ptr<Transaction>> Db::Begin(IsolationLevel isolation) {
  if (isolation != IsolationLevel::kSnapshot &&
      isolation != IsolationLevel::kSerializableSnapshot) {
    return Status::Invalid("unknown isolation level " +
                           std::to_string(static_cast<int>(isolation)));
  }
  SLATEDB_ASSIGN_OR_RETURN(auto registered, impl_->BeginTxn());
  auto state = std::make_shared<TxnState>();
  state->db = impl_;
  state->isolation = isolation;
  state->id = registered.first;
  state->seq = registered.second;
  return std::unique_ptr<Transaction>(new Transaction(std::move(state)));
}

Transaction::Transaction(std::shared_ptr<TxnState> state) : state_(std::move(state)) {}

Transaction::~Transaction() { Rollback(); }

IsolationLevel Transaction::isolation() const { return state_->isolation; }

uint64_t Transaction::seq() const { return state_->seq; }

bool Transaction::is_open() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->open;
}

Task<GetResult> Transaction::Get(std::string_view key, const ReadOptions& options) {
  GetResult out = Status::Internal("unset");
  if (TryGet(key, options, &out)) return ReadyTask(std::move(out));
  std::optional<TxnEntry> entry;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (!state_->open) return ReadyTask(GetResult(ClosedTxn()));
    if (const TxnEntry* e = state_->buffer.Find(key)) entry = *e;
  }
  return GetFromSnapshot(state_, std::string(key), options, std::move(entry));
}

Task<RowResult> Transaction::GetKeyValue(std::string_view key, const ReadOptions& options) {
  Status valid = ValidateKey(key);
  if (!valid.ok()) return ReadyTask(RowResult(valid));
  std::optional<TxnEntry> entry;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (!state_->open) return ReadyTask(RowResult(ClosedTxn()));
    if (state_->ssi()) state_->read_keys.emplace(key);
    if (const TxnEntry* e = state_->buffer.Find(key)) entry = *e;
  }
  if (entry && !entry->needs_existing()) {
    return ReadyTask(BufferedRow(std::string(key),
                                 entry->Resolve(key, std::nullopt, state_->db->merge_operator())));
  }
  return GetKeyValueFromSnapshot(state_, std::string(key), options, std::move(entry));
}

Task<Result<std::vector<std::optional<std::string>>>> Transaction::MultiGet(
    std::vector<std::string> keys, const ReadOptions& options) {
  using R = Result<std::vector<std::optional<std::string>>>;
  for (const std::string& key : keys) {
    Status valid = ValidateReadKey(key);
    if (!valid.ok()) return ReadyTask(R(valid));
  }
  std::vector<std::optional<TxnEntry>> entries(keys.size());
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (!state_->open) return ReadyTask(R(ClosedTxn()));
    for (size_t i = 0; i < keys.size(); ++i) {
      if (state_->ssi()) state_->read_keys.emplace(keys[i]);
      if (const TxnEntry* e = state_->buffer.Find(keys[i])) entries[i] = *e;
    }
  }
  // Entries that need no older value answer alone (merge operators run without the
  // transaction's mutex, as in TryGet).
  std::vector<std::optional<GetResult>> answers(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    if (entries[i] && !entries[i]->needs_existing()) {
      answers[i].emplace(entries[i]->Resolve(keys[i], std::nullopt, state_->db->merge_operator()));
    }
  }
  return MultiGetFromSnapshot(state_, std::move(keys), options, std::move(entries),
                              std::move(answers));
}

bool Transaction::TryGet(std::string_view key, const ReadOptions& options, GetResult* out) {
  Status valid = ValidateReadKey(key);
  if (!valid.ok()) {
    *out = valid;
    return true;
  }
  DbImpl& db = *state_->db;
  std::optional<TxnEntry> entry;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (!state_->open) {
      *out = ClosedTxn();
      return true;
    }
    if (state_->ssi()) state_->read_keys.emplace(key);
    if (const TxnEntry* e = state_->buffer.Find(key)) entry = *e;
  }
  // Merge operators run without the transaction's mutex (a host's operator may block on
  // a lock of its own, such as Python's GIL, that another caller holds while waiting here).
  if (entry && !entry->needs_existing()) {
    *out = entry->Resolve(key, std::nullopt, db.merge_operator());
    return true;
  }
  ReadView view;
  Status captured = db.CaptureReadView(options, state_->seq, &view);
  if (!captured.ok()) {
    *out = captured;
    return true;
  }
  GetResult snapshot = Status::Internal("unset");
  if (!db.TryGet(view, key, &snapshot)) return false;
  *out = Overlay(key, entry, std::move(snapshot), db.merge_operator());
  return true;
}

Task<Result<std::unique_ptr<DbIterator>>> Transaction::Scan(std::string_view start,
                                                            std::string_view end,
                                                            const ScanOptions& options) {
  using R = Result<std::unique_ptr<DbIterator>>;
  Status valid = ValidateScanRange(start, end);
  if (!valid.ok()) return ReadyTask(R(valid));
  std::shared_ptr<const TxnEntryMap> buffered;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (!state_->open) return ReadyTask(R(ClosedTxn()));
    if (state_->ssi())
      state_->read_ranges.push_back(KeyRange{std::string(start), std::string(end)});
    buffered = state_->buffer.Slice(start, end);
  }
  return ScanWithBuffer(state_, std::string(start), std::string(end), options, std::move(buffered));
}

// The write's TTL with the database's default filled in, so the buffer (reads of the
// transaction's own writes) sees a default TTL of 0 expire at once, as the commit will.
// An absolute expiry is kept as given.
static PutOptions OwnOrDefaultTtl(const TxnState& state, const PutOptions& options) {
  PutOptions out = options;
  if (!out.ttl_ms && !out.expire_at_ms) out.ttl_ms = state.db->settings().default_ttl_ms;
  return out;
}

Status Transaction::Put(std::string_view key, std::string_view value, const PutOptions& options) {
  SLATEDB_RETURN_IF_ERROR(ValidateKey(key));
  SLATEDB_RETURN_IF_ERROR(ValidateValue(value));
  std::lock_guard<std::mutex> lock(state_->mu);
  if (!state_->open) return ClosedTxn();
  state_->buffer.Put(key, value, OwnOrDefaultTtl(*state_, options));
  return Status::Ok();
}

Status Transaction::Delete(std::string_view key) {
  SLATEDB_RETURN_IF_ERROR(ValidateKey(key));
  std::lock_guard<std::mutex> lock(state_->mu);
  if (!state_->open) return ClosedTxn();
  state_->buffer.Delete(key);
  return Status::Ok();
}

Status Transaction::Merge(std::string_view key, std::string_view operand,
                          const PutOptions& options) {
  SLATEDB_RETURN_IF_ERROR(ValidateKey(key));
  SLATEDB_RETURN_IF_ERROR(ValidateValue(operand));
  if (!state_->db->merge_operator()) {
    return Status::Invalid("merge needs a merge operator configured at open");
  }
  std::lock_guard<std::mutex> lock(state_->mu);
  if (!state_->open) return ClosedTxn();
  state_->buffer.Merge(key, operand, OwnOrDefaultTtl(*state_, options));
  return Status::Ok();
}

Status Transaction::MarkRead(std::string_view key) {
  SLATEDB_RETURN_IF_ERROR(ValidateKey(key));
  std::lock_guard<std::mutex> lock(state_->mu);
  if (!state_->open) return ClosedTxn();
  if (state_->ssi()) state_->read_keys.emplace(key);
  return Status::Ok();
}

Status Transaction::UnmarkWrite(std::string_view key) {
  SLATEDB_RETURN_IF_ERROR(ValidateKey(key));
  std::lock_guard<std::mutex> lock(state_->mu);
  if (!state_->open) return ClosedTxn();
  state_->unmarked.emplace(key);
  return Status::Ok();
}

Task<CommitResult> Transaction::Commit(const WriteOptions& options) {
  TxnConflictSet conflicts;
  TxnBuffer buffer;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (!state_->open) return ReadyTask(CommitResult(ClosedTxn()));
    state_->open = false;  // consumed by the attempt, whatever its outcome
    buffer = std::move(state_->buffer);
    conflicts.read_keys.assign(state_->read_keys.begin(), state_->read_keys.end());
    conflicts.read_ranges = std::move(state_->read_ranges);
    for (std::string& key : buffer.Keys()) {
      if (state_->unmarked.count(key) == 0) conflicts.write_keys.push_back(std::move(key));
    }
  }
  conflicts.txn_id = state_->id;
  conflicts.isolation = state_->isolation;
  conflicts.started_seq = state_->seq;
  DbImpl& db = *state_->db;

  if (buffer.empty()) {
    Status checked = db.CheckTxn(conflicts);
    if (!checked.ok()) return ReadyTask(CommitResult(checked));
    return ReadyTask(CommitResult(std::optional<WriteHandle>()));
  }
  WriteBatch batch = buffer.ToBatch();
  std::optional<Result<WriteHandle>> applied =
      db.TryApply(batch, &conflicts, options.seqnum.value_or(0));
  if (!applied) {
    return CommitAfterSpace(state_->db, std::move(batch), options,
                            std::make_shared<const TxnConflictSet>(std::move(conflicts)));
  }
  db.EndTxn(state_->id);  // TryApply ended it, unless the database was closed
  if (!applied->ok()) return ReadyTask(CommitResult(applied->status()));
  if (!options.await_durable) {
    return ReadyTask(CommitResult(std::optional<WriteHandle>(applied->value())));
  }
  return CommitWhenDurable(state_->db, applied->value());
}

void Transaction::Rollback() {
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (!state_->open) return;
    state_->open = false;
    state_->buffer = TxnBuffer();
  }
  state_->db->EndTxn(state_->id);
}

}  // namespace slatedb
