// SPDX-License-Identifier: Apache-2.0
#include "db/db_core.h"

#include <algorithm>

#include "manifest/checkpoint_edit.h"
#include "store/wal_routing_object_store.h"
#include "util/async.h"

namespace slatedb {

namespace {
// Pause before retrying background work that failed even after the store client's retries.
constexpr uint64_t kBackgroundRetryMs = 1000;
}  // namespace

DbCore::DbCore(DbOptions opts)
    : options(std::move(opts)),
      filter_policies(options.filter_policies
                          ? *options.filter_policies
                          : FilterPoliciesFromBits(options.settings.bloom_bits_per_key)),
      paths(options.path),
      client(WithWalStore(options.object_store, options.wal_object_store, paths.WalDir()),
             options.executor, options.clock, RetryPolicy::FromSettings(options.settings),
             RetrySeed(options.clock->NowMillis(), options.path)),
      manifest_store(&client, paths),
      compactions_store(&client, paths),
      table_store(std::make_unique<TableStore>(
          &client, paths,
          TableCache::For(options.db_cache, options.db_cache_id, options.settings.block_cache_bytes,
                          options.clock),
          filter_policies)),
      ulids_(options.seed ? *options.seed
                          : static_cast<uint64_t>(options.clock->NowMillis()) ^
                                reinterpret_cast<uintptr_t>(this)),
      uuids_(options.seed
                 ? *options.seed * 0x2545F4914F6CDD1Dull + 1
                 : static_cast<uint64_t>(options.clock->NowMillis()) * 0x2545F4914F6CDD1Dull ^
                       reinterpret_cast<uintptr_t>(this)) {}

Status DbCore::status() const {
  DbLock lock(&mu);
  return closed_;
}

void DbCore::SetClosedLocked(const Status& status) {
  if (!closed_.ok()) return;
  closed_ = status;
  closed_flag_.store(true, std::memory_order_release);
}

void DbCore::FailLocked(const Status& status, ReadyWaiters* ready) {
  SetClosedLocked(status);
  if (on_fail_locked) on_fail_locked();
  CollectReadyLocked(ready);
}

int64_t DbCore::TickLocked() {
  int64_t now = options.clock->NowMillis();
  if (now < last_tick_) now = last_tick_;  // the engine's clock never goes backwards
  last_tick_ = now;
  return now;
}

void DbCore::ReseedSstIdsLocked(uint64_t writer_epoch) {
  ulids_ =
      UlidGenerator(static_cast<uint64_t>(options.clock->NowMillis()) ^
                    (writer_epoch * 0x9E3779B97F4A7C15ull) ^ reinterpret_cast<uintptr_t>(this));
}

std::string DbCore::NewCheckpointIdLocked() { return NewUuid(uuids_); }

bool DbCore::WaitAwaiter::await_suspend(coro::coroutine_handle<> h) {
  DbLock lock(&core_->mu);
  if (!core_->closed_.ok()) {
    result_ = core_->closed_;
    return false;
  }
  if (core_->conditions_->SatisfiedLocked(kind_, seq_)) return false;
  core_->waiters_.push_back(Waiter{kind_, seq_, h, &result_});
  core_->conditions_->NoteWaiterLocked(kind_, seq_);
  return true;
}

DbCore::WaitAwaiter DbCore::WaitFor(WaitKind kind, uint64_t seq) {
  return WaitAwaiter(this, kind, seq);
}

void DbCore::CollectReadyLocked(ReadyWaiters* ready) {
  size_t kept = 0;
  for (Waiter& w : waiters_) {
    if (!closed_.ok()) {
      *w.result = closed_;
      ready->push_back(w);
    } else if (conditions_->SatisfiedLocked(w.kind, w.seq)) {
      ready->push_back(w);
    } else {
      waiters_[kept++] = w;
    }
  }
  waiters_.resize(kept);
}

void DbCore::FailWaitersLocked(WaitKind kind, uint64_t min_seq, uint64_t max_seq,
                               const Status& status, ReadyWaiters* ready) {
  size_t kept = 0;
  for (Waiter& w : waiters_) {
    if (w.kind == kind && w.seq >= min_seq && w.seq <= max_seq) {
      *w.result = status;
      ready->push_back(w);
    } else {
      waiters_[kept++] = w;
    }
  }
  waiters_.resize(kept);
}

void DbCore::Resume(ReadyWaiters& ready) {
  for (Waiter& w : ready) w.handle.resume();
  ready.clear();
}

void DbCore::Start(TaskFn task) {
  std::shared_ptr<void> keep = owner_.lock();
  if (!keep) return;
  options.executor->Post([keep, task = std::move(task)]() { Spawn(task(), [keep](Status) {}); });
}

void DbCore::RetryLater(std::function<void()> locked) {
  RunLockedAfter(kBackgroundRetryMs, std::move(locked));
}

void DbCore::RunLockedAfter(uint64_t delay_ms, std::function<void()> locked) {
  std::weak_ptr<void> weak = owner_;
  options.executor->PostAfter(delay_ms, [this, weak, locked = std::move(locked)]() {
    std::shared_ptr<void> keep = weak.lock();
    if (!keep) return;
    DbLock lock(&mu);
    locked();
  });
}

void DbCore::SchedulePeriodicLocked(uint64_t interval_ms, TaskFn task) {
  if (interval_ms == 0) return;
  std::weak_ptr<void> weak = owner_;
  options.executor->PostAfter(interval_ms, [this, weak, interval_ms, task = std::move(task)]() {
    std::shared_ptr<void> keep = weak.lock();
    if (!keep) return;
    {
      DbLock lock(&mu);
      if (!closed_.ok()) return;
    }
    Spawn(task(), [this, keep, interval_ms, task](Status) {
      DbLock lock(&mu);
      if (closed_.ok()) SchedulePeriodicLocked(interval_ms, task);
    });
  });
}

}  // namespace slatedb
