// SPDX-License-Identifier: Apache-2.0
//
// The public Db and Snapshot: argument validation, then the engine (DbImpl). Writes are
// applied when the method is called (so they are visible at once, and the caller's
// buffers may go away); the returned Task only waits for durability, or for space under
// backpressure. Reads answered from memory complete without creating I/O tasks.
#include "slatedb/db.h"

#include "db/db_impl.h"
#include "read/point_lookup.h"
#include "read/sst_cache_control.h"
#include "util/async.h"

namespace slatedb {

namespace {

Status ValidateOptions(const DbOptions& options) {
  if (!options.object_store) return Status::Invalid("DbOptions.object_store is required");
  if (!options.executor) return Status::Invalid("DbOptions.executor is required");
  if (!options.clock) return Status::Invalid("DbOptions.clock is required");
  const std::string& path = options.path;
  if (!path.empty()) {
    if (path.front() == '/' || path.back() == '/') {
      return Status::Invalid("DbOptions.path must not start or end with '/': " + path);
    }
    SLATEDB_RETURN_IF_ERROR(ValidateObjectKey(path).WithContext("DbOptions.path"));
  }
  return options.settings.Validate();
}

Status ValidateRange(std::string_view start, std::string_view end) {
  if (!end.empty() && end <= start) {
    return Status::Invalid("scan end must be greater than start");
  }
  return Status::Ok();
}

}  // namespace

Task<Result<std::shared_ptr<Db>>> Db::Open(DbOptions options) {
  Status valid = ValidateOptions(options);
  if (!valid.ok()) co_return valid;
  auto impl = std::make_shared<DbImpl>(std::move(options));
  Status opened = co_await impl->Open();
  if (!opened.ok()) {
    impl->Abandon();
    co_return opened;
  }
  co_return std::shared_ptr<Db>(new Db(std::move(impl)));
}

Db::Db(std::shared_ptr<DbImpl> impl) : impl_(std::move(impl)) {}

Db::~Db() { impl_->Abandon(); }

Task<Result<WriteHandle>> Db::Put(std::string_view key, std::string_view value,
                                  const PutOptions& put_options,
                                  const WriteOptions& write_options) {
  WriteBatch batch;
  batch.Put(key, value, put_options);
  return Write(std::move(batch), write_options);
}

Task<Result<WriteHandle>> Db::Delete(std::string_view key, const WriteOptions& options) {
  WriteBatch batch;
  batch.Delete(key);
  return Write(std::move(batch), options);
}

Task<Result<WriteHandle>> Db::Merge(std::string_view key, std::string_view operand,
                                    const PutOptions& put_options,
                                    const WriteOptions& write_options) {
  WriteBatch batch;
  batch.Merge(key, operand, put_options);
  return Write(std::move(batch), write_options);
}

Task<Result<WriteHandle>> Db::Write(WriteBatch batch, const WriteOptions& options) {
  if (batch.empty()) return ReadyTask(Result<WriteHandle>(Status::Invalid("write batch is empty")));
  if (!batch.status().ok()) return ReadyTask(Result<WriteHandle>(batch.status()));
  if (!impl_->merge_operator()) {
    for (const WriteBatch::Op& op : batch.ops()) {
      if (op.type == WriteBatch::OpType::kMerge) {
        return ReadyTask(Result<WriteHandle>(
            Status::Invalid("merge needs a merge operator configured at open")));
      }
    }
  }
  std::optional<Result<WriteHandle>> applied =
      impl_->TryApply(batch, nullptr, options.seqnum.value_or(0));
  if (!applied) return impl_->WriteAfterSpace(std::move(batch), options);
  if (!applied->ok() || !options.await_durable) return ReadyTask(std::move(*applied));
  return impl_->AwaitDurable(applied->value());
}

namespace {

// Validates, answers from memory when possible, else returns the I/O task.
Task<Result<std::optional<std::string>>> GetImpl(DbImpl& impl, std::string_view key,
                                                 const ReadOptions& options,
                                                 std::optional<uint64_t> snapshot_seq) {
  using R = Result<std::optional<std::string>>;
  Status valid = ValidateReadKey(key);
  if (!valid.ok()) return ReadyTask(R(valid));
  ReadView view;
  Status captured = impl.CaptureReadView(options, snapshot_seq, &view);
  if (!captured.ok()) return ReadyTask(R(captured));
  // db/get_requests counts the database's own reads, not a snapshot's (as upstream's stat).
  if (!snapshot_seq) impl.CountGet();
  R out = Status::Internal("unset");
  if (impl.TryGet(view, key, &out)) return ReadyTask(std::move(out));
  return impl.Get(std::string(key), options, snapshot_seq);
}

using MultiGetResult = Result<std::vector<std::optional<std::string>>>;

Task<MultiGetResult> MultiGetImpl(DbImpl& impl, std::vector<std::string> keys,
                                  const ReadOptions& options,
                                  std::optional<uint64_t> snapshot_seq) {
  for (const std::string& key : keys) {
    Status valid = ValidateReadKey(key);
    if (!valid.ok()) return ReadyTask(MultiGetResult(valid));
  }
  if (!snapshot_seq) {
    for (size_t i = 0; i < keys.size(); ++i) impl.CountGet();
  }
  return impl.MultiGet(std::move(keys), options, snapshot_seq);
}

}  // namespace

Task<Result<std::vector<std::optional<std::string>>>> Db::MultiGet(std::vector<std::string> keys,
                                                                   const ReadOptions& options) {
  return MultiGetImpl(*impl_, std::move(keys), options, std::nullopt);
}

Task<Result<std::vector<std::optional<std::string>>>> Snapshot::MultiGet(
    std::vector<std::string> keys, const ReadOptions& options) {
  return MultiGetImpl(*db_, std::move(keys), options, seq_);
}

Task<Result<std::optional<std::string>>> Db::Get(std::string_view key, const ReadOptions& options) {
  return GetImpl(*impl_, key, options, std::nullopt);
}

namespace {

Task<Result<std::optional<KeyValueRow>>> GetKeyValueImpl(const std::shared_ptr<DbImpl>& impl,
                                                         std::string_view key,
                                                         const ReadOptions& options,
                                                         std::optional<uint64_t> snapshot_seq) {
  using R = Result<std::optional<KeyValueRow>>;
  Status valid = ValidateReadKey(key);
  if (!valid.ok()) return ReadyTask(R(valid));
  ReadView view;
  Status captured = impl->CaptureReadView(options, snapshot_seq, &view);
  if (!captured.ok()) return ReadyTask(R(captured));
  if (!snapshot_seq) impl->CountGet();  // as GetImpl
  return GetKeyValueInView(impl, std::move(view), std::string(key));
}

}  // namespace

Task<Result<std::optional<KeyValueRow>>> Db::GetKeyValue(std::string_view key,
                                                         const ReadOptions& options) {
  return GetKeyValueImpl(impl_, key, options, std::nullopt);
}

bool Db::TryGet(std::string_view key, const ReadOptions& options,
                Result<std::optional<std::string>>* out) {
  Status valid = ValidateReadKey(key);
  if (valid.ok()) {
    ReadView view;
    valid = impl_->CaptureReadView(options, std::nullopt, &view);
    if (valid.ok()) {
      if (!impl_->TryGet(view, key, out)) return false;  // Get() will count it
      impl_->CountGet();
      return true;
    }
  }
  *out = valid;
  return true;
}

Task<Result<std::unique_ptr<DbIterator>>> Db::Scan(std::string_view start, std::string_view end,
                                                   const ScanOptions& options) {
  Status valid = ValidateRange(start, end);
  if (!valid.ok()) return ReadyTask(Result<std::unique_ptr<DbIterator>>(valid));
  return impl_->Scan(std::string(start), std::string(end), options, std::nullopt);
}

Result<std::shared_ptr<Snapshot>> Db::GetSnapshot() {
  SLATEDB_ASSIGN_OR_RETURN(uint64_t seq, impl_->AcquireSnapshot());
  return std::shared_ptr<Snapshot>(new Snapshot(impl_, seq));
}

Task<Status> Db::Flush(FlushType type) {
  impl_->CountFlushRequest();
  return impl_->Flush(type);
}

Task<Status> Db::Close() { return impl_->Close(FlushType::kMemTable); }

Task<Status> Db::Close(const CloseOptions& options) { return impl_->Close(options.flush); }

Task<Status> Db::AwaitDurable(uint64_t seq) { return impl_->AwaitDurableSeq(seq); }

uint64_t Db::durable_seq() const { return impl_->durable_seq(); }

Status Db::status() const { return impl_->status(); }

std::vector<std::string> Db::Segments() const { return impl_->Segments(); }

std::map<std::string, uint64_t> Db::Metrics() const { return impl_->Metrics(); }

std::string Db::MetricsJson() const { return impl_->MetricsJson(); }

const Settings& Db::settings() const { return impl_->settings(); }

Task<Status> Db::WarmSst(std::string_view sst_id, std::vector<CacheTarget> targets) {
  Result<std::string> id = ParseSstId(sst_id);
  if (!id.ok()) return ReadyTask(id.status());
  return slatedb::WarmSst(impl_, std::move(*id), std::move(targets));
}

Task<Status> Db::EvictCachedSst(std::string_view sst_id) {
  Result<std::string> id = ParseSstId(sst_id);
  if (!id.ok()) return ReadyTask(id.status());
  return EvictSst(impl_, std::move(*id));
}

Task<Status> Db::FlushCacheToDisk() { return ReadyTask(impl_->status()); }

Task<Status> Db::RunGcOnce(std::optional<uint64_t> min_age_ms) {
  return impl_->RunGcOnce(min_age_ms);
}

Task<Result<CheckpointCreateResult>> Db::CreateCheckpoint(const CheckpointOptions& options) {
  return impl_->CreateCheckpoint(options);
}

Task<Status> Db::RefreshCheckpoint(std::string_view id, std::optional<uint64_t> lifetime_ms) {
  return impl_->RefreshCheckpoint(std::string(id), lifetime_ms);
}

Task<Status> Db::DeleteCheckpoint(std::string_view id) {
  return impl_->DeleteCheckpoint(std::string(id));
}

Task<Result<std::vector<CheckpointInfo>>> Db::ListCheckpoints() { return impl_->ListCheckpoints(); }

Snapshot::~Snapshot() { db_->ReleaseSnapshot(seq_); }

Task<Result<std::optional<std::string>>> Snapshot::Get(std::string_view key,
                                                       const ReadOptions& options) {
  return GetImpl(*db_, key, options, seq_);
}

Task<Result<std::optional<KeyValueRow>>> Snapshot::GetKeyValue(std::string_view key,
                                                               const ReadOptions& options) {
  return GetKeyValueImpl(db_, key, options, seq_);
}

Task<Result<std::unique_ptr<DbIterator>>> Snapshot::Scan(std::string_view start,
                                                         std::string_view end,
                                                         const ScanOptions& options) {
  Status valid = ValidateRange(start, end);
  if (!valid.ok()) return ReadyTask(Result<std::unique_ptr<DbIterator>>(valid));
  return db_->Scan(std::string(start), std::string(end), options, seq_);
}

}  // namespace slatedb
