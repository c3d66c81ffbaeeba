// SPDX-License-Identifier: Apache-2.0
//
// FaultInjectionObjectStore: an ObjectStore decorator for tests and simulation. It makes
// calls fail (scripted or at random from a seed), applies puts but loses their responses,
// and can hand completions to an Executor so they arrive late and out of order. Like
// LevelDB's FaultInjectionTestEnv, but for object storage.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "slatedb/executor.h"
#include "slatedb/object_store.h"
#include "slatedb/platform/request_counts.h"

namespace slatedb::testing {

// Thread-safe. Random decisions come from one PRNG seeded at construction and are drawn
// in call order, so a single-threaded (or ManualExecutor-driven) test replays exactly.
// For each call, in this order:
//   1. a scripted failure (FailNext) or a random one (SetFailureProbability) answers
//      Unavailable without calling the inner store;
//   2. for Put only, a scripted (LoseNextPutResponses) or random (SetLostPutProbability)
//      lost response lets the inner store apply the put, then answers Unavailable;
//   3. otherwise the inner store's answer is passed on.
// Every answer, injected or not, goes through the delay executor if one is set.
class FaultInjectionObjectStore : public ObjectStore {
 public:
  // What was injected so far.
  struct FaultCounts {
    uint64_t failed = 0;          // calls answered Unavailable without reaching the store
    uint64_t lost_responses = 0;  // puts applied but answered Unavailable
    uint64_t delayed = 0;         // answers handed to the delay executor
  };

  explicit FaultInjectionObjectStore(std::shared_ptr<ObjectStore> inner, uint64_t seed = 1);

  // The next `n` calls of `op` fail with Unavailable (adds to any not yet used).
  void FailNext(StoreOp op, uint64_t n = 1);
  // The same for each of `ops`: the next `n` calls of each fail.
  void FailNext(std::initializer_list<StoreOp> ops, uint64_t n = 1);
  // Every call of `op` (of any op, for the first overload) fails with probability `p`.
  void SetFailureProbability(double p);
  void SetFailureProbability(StoreOp op, double p);
  // The next `n` puts are applied but reported as Unavailable.
  void LoseNextPutResponses(uint64_t n = 1);
  // Each put that reaches the store has its response lost with probability `p`.
  void SetLostPutProbability(double p);
  // Hands every answer to `executor`: with `max_delay_ms` == 0 through Post (held until
  // the executor runs it), otherwise through PostAfter with a random delay in
  // [0, max_delay_ms], which reorders answers. A null executor answers directly again.
  void DelayCompletions(std::shared_ptr<Executor> executor, uint64_t max_delay_ms = 0);
  // Drops every scripted and random fault and the delay; counters are kept.
  void ClearFaults();

  FaultCounts faults() const;
  ObjectStore& inner() { return *inner_; }

  void Get(const std::string& key, Callback<std::string> done) override;
  void GetRange(const std::string& key, uint64_t offset, uint64_t length,
                Callback<std::string> done) override;
  void Head(const std::string& key, Callback<ObjectMeta> done) override;
  void Put(const std::string& key, std::string data, const ObjectPutOptions& options,
           Callback<ObjectMeta> done) override;
  void List(const std::string& prefix, const std::string& start_after,
            Callback<std::vector<ObjectMeta>> done) override;
  void Delete(const std::string& key, StatusCallback done) override;
  // "faults(<inner>)".
  std::string Describe() const override;

 private:
  // Where an answer goes: straight to the caller, or via the executor after a delay.
  struct Route {
    std::shared_ptr<Executor> executor;
    uint64_t delay_ms = 0;
  };

  // Decides whether this call of `op` fails (step 1) and where its answer goes.
  bool ShouldFail(StoreOp op, Route* route);
  // Step 2 for a put that was applied.
  bool ShouldLosePutResponse();
  // A uniform draw in [0, 1). REQUIRES: mu_ held.
  double NextUnitLocked();
  // REQUIRES: mu_ held.
  Route RouteLocked();
  static void Deliver(const Route& route, std::function<void()> answer);

  template <typename T>
  static void Answer(const Route& route, const std::function<void(T)>& done, T value) {
    Deliver(route, [done, value = std::move(value)]() mutable { done(std::move(value)); });
  }

  const std::shared_ptr<ObjectStore> inner_;

  mutable std::mutex mu_;
  std::mt19937_64 rng_;                                   // guarded by mu_
  std::array<uint64_t, kStoreOpCount> fail_next_{};       // guarded by mu_
  std::array<double, kStoreOpCount> fail_probability_{};  // guarded by mu_
  uint64_t lose_next_puts_ = 0;                           // guarded by mu_
  double lose_put_probability_ = 0;                       // guarded by mu_
  std::shared_ptr<Executor> delay_executor_;              // guarded by mu_
  uint64_t max_delay_ms_ = 0;                             // guarded by mu_
  FaultCounts counts_;                                    // guarded by mu_
};

}  // namespace slatedb::testing
