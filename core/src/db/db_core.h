// SPDX-License-Identifier: Apache-2.0
//
// DbCore: what every component of one database shares (db_impl.h draws the components).
// It owns the database's one mutex (ARCHITECTURE.md §5), and under it the lifecycle (open,
// closing, closed and why), the engine's clock and sequence (last tick, last committed
// seq), the id generators, and the list of tasks waiting for a state change. Around it the
// store-facing objects, which are set at construction and need no lock.
//
// Thread-safety annotations name the mutex kDbMutex: each component's state is GUARDED_BY
// it and each *Locked method REQUIRES it. It is one mutex per database, reached by every
// component through its DbCore; clang cannot see that those paths lead to one object, so
// the annotations name the role ("the mutex of this database") rather than the path.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "manifest/compactions_store.h"
#include "manifest/manifest_store.h"
#include "manifest/segment_set.h"
#include "slatedb/db.h"
#include "sst/table_store.h"
#include "store/paths.h"
#include "store/store_client.h"
#include "util/random.h"
#include "util/thread_annotations.h"
#include "util/ulid.h"

namespace slatedb {

// The capability standing for the database mutex in annotations (see above). Never defined:
// annotations do not evaluate it.
struct CAPABILITY("mutex") DbMutexRole {};
extern DbMutexRole kDbMutex;

// Holds a database's mutex for the scope. Never across a co_await.
class SCOPED_CAPABILITY DbLock {
 public:
  explicit DbLock(std::mutex* mu) ACQUIRE(kDbMutex) NO_THREAD_SAFETY_ANALYSIS : mu_(mu) {
    mu_->lock();
  }
  ~DbLock() RELEASE() NO_THREAD_SAFETY_ANALYSIS { mu_->unlock(); }
  DbLock(const DbLock&) = delete;
  DbLock& operator=(const DbLock&) = delete;

 private:
  std::mutex* mu_;
};

// What a task waits for (DbCore::WaitFor).
enum class WaitKind {
  kDurable,       // durable_seq >= seq (WalWriter)
  kL0Flushed,     // every memtable holding seq is in L0 (L0Flusher)
  kSpace,         // unflushed bytes below max_unflushed_bytes (L0Flusher)
  kManifestSlot,  // this process's manifest update slot is free (ManifestWriter)
  kClosed,        // never satisfied: the process closes (a standalone compactor's Run)
};

struct Waiter {
  WaitKind kind;
  uint64_t seq;
  coro::coroutine_handle<> handle;
  Status* result;
};
using ReadyWaiters = std::vector<Waiter>;

// Answers whether a waiter may proceed; DbImpl asks the component that owns the fact.
class WaitConditions {
 public:
  virtual ~WaitConditions() = default;
  virtual bool SatisfiedLocked(WaitKind kind, uint64_t seq) const REQUIRES(kDbMutex) = 0;
  // A task starts waiting (group commit counts durable waiters).
  virtual void NoteWaiterLocked(WaitKind kind, uint64_t seq) REQUIRES(kDbMutex) = 0;
};

class DbCore {
 public:
  explicit DbCore(DbOptions options);

  const DbOptions options;
  const Settings& settings() const { return options.settings; }
  Executor& executor() const { return *options.executor; }
  // The filter policies new SSTs carry and reads consult (options.filter_policies, or the
  // one settings.bloom_bits_per_key names).
  const std::vector<FilterPolicy> filter_policies;
  const DbPaths paths;
  StoreClient client;
  ManifestStore manifest_store;
  CompactionsStore compactions_store;
  const std::unique_ptr<TableStore> table_store;

  mutable std::mutex mu;  // the database mutex: kDbMutex in annotations

  // --- Lifecycle.
  bool OpenLocked() const REQUIRES(kDbMutex) { return closed_.ok(); }
  // OK while open; once closed, the reason every call fails.
  const Status& closed_status() const REQUIRES(kDbMutex) { return closed_; }
  Status status() const EXCLUDES(kDbMutex);
  // Lock-free "has this database closed?" for per-row checks in iterators.
  bool closed() const { return closed_flag_.load(std::memory_order_acquire); }
  // Closed for a reason other than Close (fenced, a background failure).
  bool FailedLocked() const REQUIRES(kDbMutex) {
    return !closed_.ok() && closed_.close_reason() != CloseReason::kClean;
  }
  // Records why the database closed (first reason wins).
  void SetClosedLocked(const Status& status) REQUIRES(kDbMutex);
  // Closes with `status` (fenced or a failure that cannot be retried); wakes everyone.
  void FailLocked(const Status& status, ReadyWaiters* ready) REQUIRES(kDbMutex);
  // Called by FailLocked before waking the waiters (DbImpl drops queued WAL uploads).
  std::function<void()> on_fail_locked;
  bool closing GUARDED_BY(kDbMutex) = false;  // Close is flushing

  // --- Clock and sequence.
  // "Now" for this database: the clock, never below an earlier tick.
  int64_t TickLocked() REQUIRES(kDbMutex);
  int64_t last_tick() const REQUIRES(kDbMutex) { return last_tick_; }
  void RaiseTickLocked(int64_t tick) REQUIRES(kDbMutex) { last_tick_ = std::max(last_tick_, tick); }
  // The last committed sequence number: batches are applied whole under the mutex.
  uint64_t last_seq GUARDED_BY(kDbMutex) = 0;
  // The live segment prefixes (the manifest's and those of rows in memory); disabled
  // without DbOptions::segment_extractor.
  SegmentSet segments GUARDED_BY(kDbMutex){options.segment_extractor};

  // --- Ids.
  // A fresh SST id (a ULID of the current tick).
  std::string NextSstIdLocked() REQUIRES(kDbMutex) { return ulids_.Next(TickLocked()); }
  // Distinct writers get distinct SST id sequences even within one millisecond.
  void ReseedSstIdsLocked(uint64_t writer_epoch) REQUIRES(kDbMutex);
  std::string NewCheckpointIdLocked() REQUIRES(kDbMutex);

  // --- Waiting. A task suspends until SatisfiedLocked holds or the database closes.
  class WaitAwaiter;
  WaitAwaiter WaitFor(WaitKind kind, uint64_t seq);
  void set_wait_conditions(WaitConditions* conditions) { conditions_ = conditions; }
  // Moves the waiters that may proceed (or all of them if closed) into `ready`.
  void CollectReadyLocked(ReadyWaiters* ready) REQUIRES(kDbMutex);
  // Fails the waiters of `kind` whose seq is in [min_seq, max_seq] with `status`.
  void FailWaitersLocked(WaitKind kind, uint64_t min_seq, uint64_t max_seq, const Status& status,
                         ReadyWaiters* ready) REQUIRES(kDbMutex);
  // Resumes `ready` (without the mutex).
  static void Resume(ReadyWaiters& ready);

  // --- Background work on the Executor. Each keeps the database alive while it runs and
  // does nothing once the database is gone.
  void set_owner(std::weak_ptr<void> owner) { owner_ = std::move(owner); }
  using TaskFn = std::function<Task<Status>()>;
  // Starts the task from the Executor (never on the caller's thread).
  void Start(TaskFn task);
  // Calls `locked` under the mutex after `delay_ms` (timers).
  void RunLockedAfter(uint64_t delay_ms, std::function<void()> locked);
  // RunLockedAfter a pause: a retry of work that failed.
  void RetryLater(std::function<void()> locked);
  // For callbacks that RunLockedAfter and RetryLater run with the mutex held.
  static void AssertHeld() ASSERT_CAPABILITY(kDbMutex) {}
  // Runs `task` every `interval_ms` (from the end of the previous run) while the database
  // is open; 0 never. A failed run is simply followed by the next.
  void SchedulePeriodicLocked(uint64_t interval_ms, TaskFn task) REQUIRES(kDbMutex);

 private:
  Status closed_ GUARDED_BY(kDbMutex);
  std::atomic<bool> closed_flag_{false};  // mirrors !closed_.ok()
  int64_t last_tick_ GUARDED_BY(kDbMutex) = kNoTimestamp;
  UlidGenerator ulids_ GUARDED_BY(kDbMutex);
  Random uuids_ GUARDED_BY(kDbMutex);  // checkpoint ids
  std::vector<Waiter> waiters_ GUARDED_BY(kDbMutex);
  WaitConditions* conditions_ = nullptr;
  std::weak_ptr<void> owner_;
};

class DbCore::WaitAwaiter {
 public:
  WaitAwaiter(DbCore* core, WaitKind kind, uint64_t seq) : core_(core), kind_(kind), seq_(seq) {}
  bool await_ready() const noexcept { return false; }
  bool await_suspend(coro::coroutine_handle<> h);
  Status await_resume() { return result_; }

 private:
  DbCore* core_;
  WaitKind kind_;
  uint64_t seq_;
  Status result_;
};

}  // namespace slatedb
