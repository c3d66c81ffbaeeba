// SPDX-License-Identifier: Apache-2.0
#include "compaction/compaction_job.h"

#include <memory>
#include <optional>

#include "read/merging_iterator.h"
#include "read/row_source.h"

namespace slatedb {

namespace {

// Finishes and uploads one output SST.
Task<Status> Upload(TableStore* tables, SstBuilder* builder, const CompactionJobOptions& options,
                    CompactionJobResult* result) {
  Result<EncodedSst> sst = builder->Finish();
  if (!sst.ok()) co_return sst.status();
  SstInfo info = sst->info;
  std::string id = options.next_id();
  Result<std::shared_ptr<const SstHandle>> written = co_await tables->Write(id, std::move(*sst));
  if (!written.ok()) {
    // A ULID collision is (astronomically) unlikely; a retry with a new id fixes it.
    if (written.status().IsAlreadyExists()) co_return Status::Unavailable("SST id collision");
    co_return written.status();
  }
  result->bytes_written += info.approx_object_size();
  result->outputs.push_back(SstRef::Whole(id, std::move(info)));
  co_return Status::Ok();
}

}  // namespace

Task<Result<CompactionJobResult>> RunCompactionJob(TableStore* tables,
                                                   CompactionJobOptions options) {
  CompactionJobResult result;
  ReadAhead read_ahead;
  read_ahead.max_bytes = options.read_ahead_bytes;
  read_ahead.start_at_max = true;
  std::vector<std::unique_ptr<RowSource>> sources;
  for (const std::vector<SstRef>& run : options.sources) {
    for (const SstRef& ref : run) result.bytes_read += ref.info.approx_object_size();
    sources.push_back(NewRunSource(tables, run, "", read_ahead));
  }
  MergingIterator merge(std::move(sources));
  merge.Seek("");

  KeyRetention retention(options.retention);
  std::unique_ptr<SstBuilder> builder;
  std::vector<Row> versions;  // the current key's versions, newest first
  std::vector<RowView> views;
  std::vector<Row> kept;
  size_t used = 0;  // rows of `versions` in use (the rest keep their capacity)
  uint64_t last_seq = 0;

  // Writes the current key's surviving versions; true if the output SST is now full.
  auto flush_key = [&]() {
    if (used == 0) return false;
    views.clear();
    for (size_t i = 0; i < used; ++i) views.push_back(versions[i].view());
    kept.clear();
    retention.Apply(views, &kept);
    used = 0;
    if (kept.empty()) return false;
    if (!builder) builder = std::make_unique<SstBuilder>(options.sst);
    for (const Row& row : kept) builder->Add(row.view());
    result.rows_written += kept.size();
    return builder->EstimatedSize() >= options.max_sst_bytes;
  };

  auto stopped = [&]() { return options.cancelled && options.cancelled(); };
  const Status kCancelled = Status::Closed(CloseReason::kClean, "the compactor is stopping");
  for (;;) {
    MergingIterator::State state = merge.Peek();
    if (state == MergingIterator::State::kNeedIo) {
      if (stopped()) co_return kCancelled;
      SLATEDB_CO_RETURN_IF_ERROR(co_await merge.DoIo());
      continue;
    }
    if (state == MergingIterator::State::kError) co_return merge.status();
    if (state == MergingIterator::State::kEnd) break;
    RowView row = merge.row();
    ++result.rows_read;
    if (used > 0 && row.key != versions[0].key) {
      // Cut only between keys: a key's versions stay in one SST of the run.
      if (flush_key()) {
        if (stopped()) co_return kCancelled;
        SLATEDB_CO_RETURN_IF_ERROR(co_await Upload(tables, builder.get(), options, &result));
        builder.reset();
      }
    } else if (used > 0 && row.seq == last_seq) {  // one version in two sources: keep one
      merge.Next();
      continue;
    }
    if (used == versions.size()) versions.emplace_back();
    Row& slot = versions[used++];
    slot.key.assign(row.key);
    slot.seq = row.seq;
    slot.kind = row.kind;
    slot.value.assign(row.value);
    slot.expire_ts = row.expire_ts;
    slot.create_ts = row.create_ts;
    last_seq = row.seq;
    merge.Next();
  }
  flush_key();
  if (stopped()) co_return kCancelled;
  if (builder) SLATEDB_CO_RETURN_IF_ERROR(co_await Upload(tables, builder.get(), options, &result));
  co_return result;
}

}  // namespace slatedb
