// SPDX-License-Identifier: Apache-2.0
//
// WalReader (slatedb/wal_reader.h): lists and decodes WAL objects with the same decoder the
// writer's replay uses.
#include "slatedb/wal_reader.h"

#include <algorithm>

#include "format/row.h"
#include "format/sst_iterator.h"
#include "manifest/manifest_store.h"
#include "store/paths.h"
#include "store/store_client.h"
#include "store/wal_routing_object_store.h"

namespace slatedb {

namespace {

WalRow ToWalRow(const RowView& row) {
  WalRow out;
  out.kind = row.kind == RowKind::kTombstone ? WalRowKind::kTombstone
             : row.kind == RowKind::kMerge   ? WalRowKind::kMerge
                                             : WalRowKind::kValue;
  out.key = std::string(row.key);
  if (row.kind != RowKind::kTombstone) out.value = std::string(row.value);
  out.seq = row.seq;
  if (row.create_ts != kNoTimestamp) out.create_ts = row.create_ts;
  if (row.expire_ts != kNoTimestamp) out.expire_ts = row.expire_ts;
  return out;
}

}  // namespace

Status WalReaderOptions::Validate() const {
  if (!object_store) return Status::Invalid("WalReaderOptions.object_store is required");
  if (!executor) return Status::Invalid("WalReaderOptions.executor is required");
  if (!clock) return Status::Invalid("WalReaderOptions.clock is required");
  return Status::Ok();
}

class WalReaderImpl {
 public:
  explicit WalReaderImpl(WalReaderOptions options)
      : options_(std::move(options)),
        paths_(options_.path),
        client_(WithWalStore(options_.object_store, options_.wal_object_store, paths_.WalDir()),
                options_.executor, options_.clock,
                RetryPolicy{.max_retries = options_.object_store_max_retries},
                RetrySeed(options_.clock->NowMillis(), options_.path)),
        manifests_(&client_, paths_) {}

  // Data unless the database has a manifest.
  Task<Status> CheckDatabase() {
    SLATEDB_CO_ASSIGN_OR_RETURN(std::vector<uint64_t> ids, co_await manifests_.ListIds());
    if (ids.empty()) co_return Status::Data(kNoDatabaseMessage);
    co_return Status::Ok();
  }

  Task<Result<std::vector<uint64_t>>> ListIds(uint64_t from) {
    std::vector<uint64_t> ids;
    std::string dir = paths_.WalDir();
    // Listing starts after the key just below `from`, so the store skips older objects.
    std::string start_after = from > 0 ? paths_.Wal(from - 1) : std::string();
    SLATEDB_CO_ASSIGN_OR_RETURN(std::vector<ObjectMeta> listed,
                                co_await client_.List(dir, start_after));
    for (const ObjectMeta& meta : listed) {
      std::optional<uint64_t> id = DbPaths::ParseId(meta.key, dir, ".sst");
      if (id && *id >= from) ids.push_back(*id);
    }
    std::sort(ids.begin(), ids.end());
    co_return ids;
  }

  Task<Result<std::optional<WalFile>>> Read(uint64_t id) {
    std::string key = paths_.Wal(id);
    Result<std::string> bytes = co_await client_.Get(key);
    if (!bytes.ok()) {
      if (bytes.status().IsNotFound()) co_return std::optional<WalFile>();
      co_return bytes.status().WithContext(key);
    }
    WalFile file;
    file.id = id;
    if (bytes->empty()) co_return std::optional<WalFile>(std::move(file));  // a writer's fence
    Result<std::unique_ptr<SstMemoryIterator>> it = SstMemoryIterator::Open(std::move(*bytes));
    if (!it.ok()) co_return it.status().WithContext(key);
    for ((*it)->SeekToFirst(); (*it)->Valid(); (*it)->Next()) {
      file.rows.push_back(ToWalRow((*it)->row()));
    }
    if (!(*it)->status().ok()) co_return (*it)->status().WithContext(key);
    co_return std::optional<WalFile>(std::move(file));
  }

 private:
  WalReaderOptions options_;
  DbPaths paths_;
  StoreClient client_;  // WAL objects routed to their own store, if the database has one
  ManifestStore manifests_;
};

Result<std::shared_ptr<WalReader>> WalReader::Create(WalReaderOptions options) {
  SLATEDB_RETURN_IF_ERROR(options.Validate());
  auto impl = std::make_shared<WalReaderImpl>(std::move(options));
  return std::shared_ptr<WalReader>(new WalReader(std::move(impl)));
}

Task<Result<uint64_t>> WalReader::LastWalFileId(uint64_t after) {
  std::shared_ptr<WalReaderImpl> impl = impl_;  // alive across the suspension
  SLATEDB_CO_RETURN_IF_ERROR(co_await impl->CheckDatabase());
  if (after == UINT64_MAX) co_return after;
  SLATEDB_CO_ASSIGN_OR_RETURN(std::vector<uint64_t> ids, co_await impl->ListIds(after + 1));
  co_return ids.empty() ? after : ids.back();
}

Task<Result<std::vector<uint64_t>>> WalReader::ListWalFileIds(uint64_t from) {
  std::shared_ptr<WalReaderImpl> impl = impl_;
  SLATEDB_CO_RETURN_IF_ERROR(co_await impl->CheckDatabase());
  co_return co_await impl->ListIds(from);
}

Task<Result<std::optional<WalFile>>> WalReader::ReadWalFile(uint64_t id) {
  std::shared_ptr<WalReaderImpl> impl = impl_;
  co_return co_await impl->Read(id);
}

std::unique_ptr<WalFileIterator> WalReader::Iterate(uint64_t start) {
  return std::make_unique<WalFileIterator>(impl_, start);
}

Task<Result<std::optional<WalFile>>> WalFileIterator::TryNext() {
  if (!checked_db_) {
    SLATEDB_CO_RETURN_IF_ERROR(co_await impl_->CheckDatabase());
    checked_db_ = true;
  }
  for (;;) {
    // The object at the cursor is read directly while it is the next one; a listing is
    // needed only to find out whether later objects exist past a missing one.
    uint64_t id = next_id_;
    if (!listed_.empty()) id = listed_.front();
    SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<WalFile> file, co_await impl_->Read(id));
    if (file) {
      if (!listed_.empty()) listed_.pop_front();
      next_id_ = id + 1;
      co_return file;
    }
    if (!listed_.empty()) {
      listed_.pop_front();  // listed, then collected before we read it
      continue;
    }
    SLATEDB_CO_ASSIGN_OR_RETURN(std::vector<uint64_t> ids, co_await impl_->ListIds(next_id_));
    if (ids.empty()) co_return std::optional<WalFile>();  // nothing newer yet
    listed_.assign(ids.begin(), ids.end());
  }
}

}  // namespace slatedb
