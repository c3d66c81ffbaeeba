// SPDX-License-Identifier: Apache-2.0
//
// The public DbReader: argument validation, then ReaderImpl. Reads answered from memory
// complete without creating I/O tasks, as for Db.
#include "slatedb/reader.h"

#include "reader/reader_impl.h"
#include "read/point_lookup.h"
#include "read/read_metrics.h"
#include "read/sst_cache_control.h"
#include "read/view_iterator.h"
#include "slatedb/write_batch.h"
#include "util/async.h"

namespace slatedb {

namespace {

Status ValidateRange(std::string_view start, std::string_view end) {
  if (!end.empty() && end <= start) return Status::Invalid("scan end must be greater than start");
  return Status::Ok();
}

}  // namespace

Task<Result<std::shared_ptr<DbReader>>> DbReader::Open(ReaderOptions options) {
  Status valid = options.Validate();
  if (!valid.ok()) co_return valid;
  auto impl = std::make_shared<ReaderImpl>(std::move(options));
  Status opened = co_await impl->Open();
  if (!opened.ok()) {
    impl->Abandon();
    co_return opened;
  }
  co_return std::shared_ptr<DbReader>(new DbReader(std::move(impl)));
}

DbReader::DbReader(std::shared_ptr<ReaderImpl> impl) : impl_(std::move(impl)) {}

DbReader::~DbReader() { impl_->Abandon(); }

bool DbReader::TryGet(std::string_view key, const ReadOptions&,
                      Result<std::optional<std::string>>* out) {
  Status valid = ValidateReadKey(key);
  if (valid.ok()) {
    ReadView view;
    valid = impl_->CaptureReadView(&view);
    if (valid.ok()) {
      if (!TryGetInView(view, key, impl_->table_store(), impl_->merge_operator(), out)) {
        return false;  // Get() will count it
      }
      impl_->read_requests().CountGet();
      return true;
    }
  }
  *out = valid;
  return true;
}

Task<Result<std::optional<std::string>>> DbReader::Get(std::string_view key,
                                                       const ReadOptions& options) {
  using R = Result<std::optional<std::string>>;
  R out = Status::Internal("unset");
  if (TryGet(key, options, &out)) return ReadyTask(std::move(out));
  ReadView view;
  Status captured = impl_->CaptureReadView(&view);
  if (!captured.ok()) return ReadyTask(R(captured));
  impl_->read_requests().CountGet();
  return GetInView(impl_, std::move(view), std::string(key));
}

Task<Result<std::optional<KeyValueRow>>> DbReader::GetKeyValue(std::string_view key,
                                                               const ReadOptions&) {
  using R = Result<std::optional<KeyValueRow>>;
  Status valid = ValidateKey(key);
  ReadView view;
  if (valid.ok()) valid = impl_->CaptureReadView(&view);
  if (!valid.ok()) return ReadyTask(R(valid));
  impl_->read_requests().CountGet();
  return GetKeyValueInView(impl_, std::move(view), std::string(key));
}

Task<Result<std::vector<std::optional<std::string>>>> DbReader::MultiGet(
    std::vector<std::string> keys, const ReadOptions&) {
  using R = Result<std::vector<std::optional<std::string>>>;
  for (const std::string& key : keys) {
    Status valid = ValidateReadKey(key);
    if (!valid.ok()) return ReadyTask(R(valid));
  }
  ReadView view;
  Status captured = impl_->CaptureReadView(&view);
  if (!captured.ok()) return ReadyTask(R(captured));
  for (size_t i = 0; i < keys.size(); ++i) impl_->read_requests().CountGet();
  return MultiGetInView(impl_, std::move(view), std::move(keys));
}

Task<Result<std::unique_ptr<DbIterator>>> DbReader::Scan(std::string_view start,
                                                         std::string_view end,
                                                         const ScanOptions& options) {
  using R = Result<std::unique_ptr<DbIterator>>;
  Status valid = ValidateRange(start, end);
  ReadView view;
  if (valid.ok()) valid = impl_->CaptureReadView(&view);
  if (!valid.ok()) return ReadyTask(R(valid));
  impl_->read_requests().CountScan();
  return ReadyTask(R(NewViewIterator(impl_, std::move(view), std::string(start), std::string(end),
                                     options.order, options.filter_prefix)));
}

Task<Status> DbReader::WarmSst(std::string_view sst_id, std::vector<CacheTarget> targets) {
  Result<std::string> id = ParseSstId(sst_id);
  if (!id.ok()) return ReadyTask(id.status());
  return slatedb::WarmSst(impl_, std::move(*id), std::move(targets));
}

Task<Status> DbReader::EvictCachedSst(std::string_view sst_id) {
  Result<std::string> id = ParseSstId(sst_id);
  if (!id.ok()) return ReadyTask(id.status());
  return EvictSst(impl_, std::move(*id));
}

Task<Status> DbReader::FlushCacheToDisk() { return ReadyTask(impl_->status()); }

Task<Status> DbReader::Refresh() { return impl_->Refresh(); }

Task<Status> DbReader::Close() { return impl_->Close(); }

std::optional<std::string> DbReader::checkpoint_id() const { return impl_->checkpoint_id(); }

Status DbReader::status() const { return impl_->status(); }

std::vector<std::string> DbReader::Segments() const { return impl_->Segments(); }

uint64_t DbReader::durable_seq() const { return impl_->durable_seq(); }

std::map<std::string, uint64_t> DbReader::Metrics() const { return impl_->Metrics(); }

std::string DbReader::MetricsJson() const { return MetricsToJson(Metrics()); }

}  // namespace slatedb
