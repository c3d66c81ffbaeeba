// SPDX-License-Identifier: Apache-2.0
#include "db/wal_writer.h"

#include <algorithm>

#include "util/async.h"

namespace slatedb {

namespace {
// Fewest concurrent durable writers for which group commit cuts a WAL buffer before the
// flush interval (see NoteDurableWaiterLocked).
constexpr uint32_t kMinDurableGroup = 8;
}  // namespace

void WalWriter::RecoveredLocked(uint64_t fence_id, uint64_t durable_seq) {
  durable_seq_ = durable_seq;
  next_id_ = fence_id + 1;
  last_durable_id_ = fence_id;
}

void WalWriter::CutLocked() {
  if (!buffer_ || buffer_->rows.empty()) return;
  buffer_->id = next_id_++;
  queue_.push_back(std::move(buffer_));
  buffer_.reset();
}

// Group commit. A buffer is normally cut by the flush interval, so with N concurrent durable
// writers each WAL object carries about N puts and a writer waits up to one interval. Once an
// interval cut has shown how many durable writers there are, a buffer that already holds that
// many is cut at once: nobody else is coming, waiting longer adds only latency, and each object
// still carries as many puts as before, so requests per put do not rise. Below
// kMinDurableGroup writers the interval alone decides, which keeps a lone or a few writers at
// the interval's request rate.
void WalWriter::NoteDurableWaiterLocked(uint64_t seq) {
  if (!buffer_ || buffer_->rows.empty() || seq < buffer_->rows.front().seq ||
      seq > buffer_->last_seq) {
    return;  // its rows were cut already
  }
  ++buffer_->durable_waiters;
  if (durable_group_estimate_ >= kMinDurableGroup &&
      buffer_->durable_waiters >= durable_group_estimate_) {
    CutAndUploadLocked();
  }
}

void WalWriter::MaybeScheduleTimerLocked() {
  uint64_t interval = core_->settings().flush_interval_ms;
  if (timer_pending_ || interval == 0) return;
  timer_pending_ = true;
  core_->RunLockedAfter(interval, [this]() {
    DbCore::AssertHeld();
    timer_pending_ = false;
    if (!core_->OpenLocked()) return;
    if (buffer_ && !buffer_->rows.empty()) durable_group_estimate_ = buffer_->durable_waiters;
    CutAndUploadLocked();
  });
}

void WalWriter::ScheduleUploadsLocked() {
  if (upload_running_ || queue_.empty() || !core_->OpenLocked()) return;
  upload_running_ = true;
  // Never upload on the writer's thread: a put must not pay for the PUT.
  core_->Start([this]() { return UploadLoop(); });
}

Result<EncodedSst> WalWriter::BuildObject(const WalBuffer& buffer) const {
  SstBuilderOptions options;
  options.type = SstType::kWal;
  options.compression = core_->settings().compression;  // as upstream: the SSTs' codec
  options.filter_policies.clear();
  SstBuilder builder(options);
  for (const RowView& row : buffer.rows) builder.Add(row);
  return builder.Finish();
}

Task<Status> WalWriter::UploadLoop() {
  for (;;) {
    std::shared_ptr<WalBuffer> buffer;
    {
      DbLock lock(&core_->mu);
      if (queue_.empty() || !core_->OpenLocked()) {
        upload_running_ = false;
        co_return Status::Ok();
      }
      buffer = queue_.front();
    }
    Status put_status;
    if (buffer->encoded.empty()) {
      Result<EncodedSst> encoded = BuildObject(*buffer);
      put_status = encoded.status();
      if (encoded.ok()) buffer->encoded = std::move(encoded->data);
    }
    if (put_status.ok()) {
      std::string key = core_->paths.Wal(buffer->id);
      ObjectPutOptions create;
      create.mode = PutMode::kCreateIfAbsent;
      // Final: the store client retried, and an AlreadyExists left by an earlier upload of
      // these very bytes (its answer lost) has been read back and reported as success.
      Result<ObjectMeta> put = co_await core_->client.Put(key, buffer->encoded, create);
      put_status = put.status();
    }
    ReadyWaiters ready;
    bool retry_later = false;
    {
      DbLock lock(&core_->mu);
      if (put_status.ok()) {
        // A failure elsewhere may have emptied the queue while we awaited.
        if (!queue_.empty() && queue_.front() == buffer) queue_.pop_front();
        durable_seq_ = std::max(durable_seq_, buffer->last_seq);
        last_durable_id_ = buffer->id;
        metric_flushes_.fetch_add(1, std::memory_order_relaxed);
        core_->CollectReadyLocked(&ready);
        if (on_durable_locked_) on_durable_locked_();
      } else if (put_status.IsAlreadyExists()) {
        core_->FailLocked(
            Status::Closed(CloseReason::kFenced, "another writer owns the database (WAL " +
                                                     std::to_string(buffer->id) + " exists)"),
            &ready);
      } else if (put_status.IsUnavailable()) {
        // Keep the buffer (and its id) for the next attempt; tell the waiters now.
        core_->FailWaitersLocked(WaitKind::kDurable, 0, buffer->last_seq,
                                 put_status.WithContext("WAL upload failed"), &ready);
        upload_running_ = false;
        retry_later = true;
      } else {
        core_->FailLocked(Status::Closed(CloseReason::kBackgroundError,
                                         "WAL upload failed: " + put_status.ToString()),
                          &ready);
      }
    }
    DbCore::Resume(ready);
    if (retry_later) {
      core_->RetryLater([this]() {
        DbCore::AssertHeld();
        ScheduleUploadsLocked();
      });
      co_return put_status;
    }
    if (!put_status.ok()) co_return put_status;
  }
}

void WalWriter::AddMetrics(std::map<std::string, uint64_t>* metrics) const {
  (*metrics)["db/wal_flushes"] = metric_flushes_.load(std::memory_order_relaxed);
}

std::map<std::string, uint64_t> WalWriter::StateLocked() const {
  return {{"next_id", next_id_},
          {"last_durable_id", last_durable_id_},
          {"buffered_bytes", buffered_bytes()},
          {"uploads_queued", queue_.size()}};
}

}  // namespace slatedb
