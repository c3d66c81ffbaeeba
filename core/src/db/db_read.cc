// SPDX-License-Identifier: Apache-2.0
//
// DbImpl's reads: capturing a ReadView under the mutex, then the read layer (read/) does
// the work without it.
#include <algorithm>

#include "db/db_impl.h"
#include "read/point_lookup.h"
#include "read/view_iterator.h"

namespace slatedb {

Status DbImpl::CaptureReadView(const ReadOptions& options, std::optional<uint64_t> snapshot_seq,
                               ReadView* view) {
  DbLock lock(&core_.mu);
  SLATEDB_RETURN_IF_ERROR(core_.closed_status());
  view->memtables = flusher_.memtables();
  view->manifest = manifest_.manifest();
  view->max_seq = core_.last_seq;
  if (options.durability_filter == DurabilityLevel::kRemote) {
    view->max_seq = std::min(view->max_seq, wal_.durable_seq());
  }
  if (snapshot_seq) view->max_seq = std::min(view->max_seq, *snapshot_seq);
  // No clock: no read-time expiry (DbOptions::hide_expired_on_read).
  view->clock = core_.options.hide_expired_on_read ? core_.options.clock.get() : nullptr;
  view->tick_floor = core_.last_tick();
  return Status::Ok();
}

std::shared_ptr<const Manifest> DbImpl::CurrentManifest() const {
  DbLock lock(&core_.mu);
  return manifest_.manifest();
}

bool DbImpl::TryGet(const ReadView& view, std::string_view key,
                    Result<std::optional<std::string>>* out) {
  return TryGetInView(view, key, *core_.table_store, merge_operator(), out);
}

Task<Result<std::optional<std::string>>> DbImpl::Get(std::string key, ReadOptions options,
                                                     std::optional<uint64_t> snapshot_seq) {
  ReadView view;
  SLATEDB_CO_RETURN_IF_ERROR(CaptureReadView(options, snapshot_seq, &view));
  co_return co_await GetInView(shared_from_this(), std::move(view), std::move(key));
}

Task<Result<std::optional<KeyValueRow>>> DbImpl::GetKeyValue(std::string key, ReadOptions options,
                                                             std::optional<uint64_t> snapshot_seq) {
  ReadView view;
  SLATEDB_CO_RETURN_IF_ERROR(CaptureReadView(options, snapshot_seq, &view));
  if (!snapshot_seq) read_requests_.CountGet();
  co_return co_await GetKeyValueInView(shared_from_this(), std::move(view), std::move(key));
}

Task<Result<std::vector<std::optional<std::string>>>> DbImpl::MultiGet(
    std::vector<std::string> keys, ReadOptions options, std::optional<uint64_t> snapshot_seq) {
  ReadView view;
  SLATEDB_CO_RETURN_IF_ERROR(CaptureReadView(options, snapshot_seq, &view));
  co_return co_await MultiGetInView(shared_from_this(), std::move(view), std::move(keys));
}

Task<Result<std::unique_ptr<DbIterator>>> DbImpl::Scan(std::string start, std::string end,
                                                       ScanOptions options,
                                                       std::optional<uint64_t> snapshot_seq) {
  ReadView view;
  SLATEDB_CO_RETURN_IF_ERROR(CaptureReadView(options, snapshot_seq, &view));
  // db/scan_requests counts the database's own scans, not a snapshot's or a transaction's
  // (as upstream's stat does).
  if (!snapshot_seq) read_requests_.CountScan();
  co_return NewViewIterator(shared_from_this(), std::move(view), std::move(start), std::move(end),
                            options.order, options.filter_prefix);
}

}  // namespace slatedb
