// SPDX-License-Identifier: Apache-2.0
//
// RetryingObjectStore: the one place the engine retries its object store. It wraps any
// ObjectStore (memory, local files, S3, a JavaScript store) and retries calls that fail
// with Unavailable, after a jittered, doubling backoff scheduled on the Executor, until one
// succeeds, fails otherwise, or the policy's attempt count or deadline (measured on the
// Clock from the first attempt) runs out. Stores below it make one attempt per call.
//
// Conditional puts are where retries get ambiguous: an attempt whose answer was lost may
// have landed, and then the next attempt (or a later call with the same bytes: the WAL
// writer uploads a buffer again after an earlier call gave up, and an HTTP client may
// resend a request on its own) is refused because of our own object. So when a
// create-if-absent put meets AlreadyExists, or a replace-if-version put meets
// VersionMismatch, the store reads the object back: holding exactly our bytes, the put
// succeeded (with the stored object's metadata; whoever wrote them, the state the caller
// asked for is the state stored); other bytes (or no object) keep the refusal; an
// unreadable object makes the outcome unknown, reported as Unavailable. Without this, a
// lost response would look like fencing. A genuine conflict costs one extra GET.
//
// Deterministic under a manual Executor and Clock: jitter comes from a PRNG seeded by the
// caller, never from the system. Thread-safe; in-flight calls keep the store alive.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "slatedb/clock.h"
#include "slatedb/executor.h"
#include "slatedb/object_store.h"
#include "slatedb/options.h"

namespace slatedb {

struct RetryPolicy {
  // Retries after the first attempt; nullopt: no limit but the deadline.
  std::optional<uint32_t> max_retries = 6;
  // The backoff before retry n is drawn from [base/2, base], base = min(initial * 2^(n-1),
  // max): jittered so that clients failing together do not retry together.
  uint64_t initial_backoff_ms = 100;
  uint64_t max_backoff_ms = 1000;
  // No retry starts later than this after the call's first attempt.
  uint64_t deadline_ms = 60'000;

  // The policy of Settings::object_store_max_retries / object_store_retry_deadline_ms.
  static RetryPolicy FromSettings(const Settings& settings);
};

// A jitter seed that a run's clock and the database path determine (so a simulated run
// replays exactly).
uint64_t RetrySeed(int64_t now_ms, std::string_view path);

struct RetryStats {
  std::atomic<uint64_t> retries{0};        // attempts that were retries
  std::atomic<uint64_t> exhausted{0};      // calls that failed after their retries ran out
  std::atomic<uint64_t> resolved_puts{0};  // conditional puts found to be ours on read-back
};

class RetryingObjectStore : public ObjectStore,
                            public std::enable_shared_from_this<RetryingObjectStore> {
 public:
  // `seed` drives the jitter (use something the run determines, e.g. the Clock's time).
  static std::shared_ptr<RetryingObjectStore> Create(std::shared_ptr<ObjectStore> inner,
                                                     std::shared_ptr<Executor> executor,
                                                     std::shared_ptr<Clock> clock,
                                                     RetryPolicy policy, uint64_t seed);

  void Get(const std::string& key, Callback<std::string> done) override;
  void GetRange(const std::string& key, uint64_t offset, uint64_t length,
                Callback<std::string> done) override;
  void Head(const std::string& key, Callback<ObjectMeta> done) override;
  void Put(const std::string& key, std::string data, const ObjectPutOptions& options,
           Callback<ObjectMeta> done) override;
  void List(const std::string& prefix, const std::string& start_after,
            Callback<std::vector<ObjectMeta>> done) override;
  void Delete(const std::string& key, StatusCallback done) override;
  // The wrapped store's description.
  std::string Describe() const override;
  // The wrapped store's persistent cache (a decorator forwards it).
  ObjectStoreCache* cache() override { return inner_->cache(); }

  const RetryStats& stats() const { return stats_; }
  const RetryPolicy& policy() const { return policy_; }

  // The wait before retry number `retry` (1-based) for a random draw `random`: within
  // [base/2, base] as RetryPolicy describes.
  static uint64_t BackoffMs(const RetryPolicy& policy, uint32_t retry, uint64_t random);

 private:
  template <typename T>
  struct Call;

  RetryingObjectStore(std::shared_ptr<ObjectStore> inner, std::shared_ptr<Executor> executor,
                      std::shared_ptr<Clock> clock, RetryPolicy policy, uint64_t seed);

  // Makes attempts of `call` until it settles; see the file comment.
  template <typename T>
  void Attempt(std::shared_ptr<Call<T>> call);
  // The delay before the next attempt of a call started at `started_ms` that has made
  // `attempts` attempts, or nullopt if its retries are used up.
  std::optional<uint64_t> NextDelay(uint32_t attempts, int64_t started_ms);
  void ReadBack(std::string key, std::shared_ptr<const std::string> data, Status refusal,
                Callback<ObjectMeta> done);
  uint64_t NextRandom();

  const std::shared_ptr<ObjectStore> inner_;
  const std::shared_ptr<Executor> executor_;
  const std::shared_ptr<Clock> clock_;
  const RetryPolicy policy_;
  std::atomic<uint64_t> random_state_;
  RetryStats stats_;
};

}  // namespace slatedb
