// SPDX-License-Identifier: Apache-2.0
//
// The simulated object store of the deterministic simulation (tests/sim). One SimStore is
// the "cloud": a memory store plus a history of every mutation that took effect. Each
// simulated process talks to it through its own SimProcessStore, which injects faults:
//   * latency on the request and on the response, drawn per call, so calls overtake each
//     other and completions arrive out of order;
//   * failures before the request reaches the store (Unavailable, nothing applied);
//   * lost responses: a put or delete is applied, then answered Unavailable;
//   * Crash(): the process dies. Requests still in flight are applied or dropped (drawn per
//     request, as a real crash leaves them), and from then on nothing it sends takes
//     effect; every outstanding and later call is answered Unavailable so the dead
//     process's coroutines unwind and free their memory.
// Every random decision comes from the one Random the SimStore was built with, drawn in
// the order the single-threaded ManualExecutor runs things, so a seed replays exactly.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "slatedb/object_store.h"
#include "slatedb/platform/memory_object_store.h"
#include "testutil/manual_clock.h"
#include "testutil/manual_executor.h"
#include "util/random.h"

namespace slatedb::testing {

// One mutation that took effect in the store.
struct SimEvent {
  enum class Kind : uint8_t { kPut, kDelete };
  Kind kind = Kind::kPut;
  int process = 0;  // SimProcessStore id that sent it
  std::string key;
  std::string data;  // puts only, kept for manifest and WAL keys (the invariants read them)
  int64_t time_ms = 0;
};

// Fault rates of one process's view. Probabilities are per call.
struct SimFaults {
  double fail = 0;              // answered Unavailable before reaching the store
  double lose_response = 0;     // mutation applied, answer Unavailable
  uint64_t max_latency_ms = 0;  // request and response each delayed by [0, max]
};

class SimStore {
 public:
  SimStore(std::shared_ptr<ManualClock> clock, std::shared_ptr<ManualExecutor> executor,
           uint64_t seed);

  // The store as seen by no process in particular (for audits); never faulty.
  const std::shared_ptr<MemoryObjectStore>& backend() const { return backend_; }
  const std::vector<SimEvent>& history() const { return history_; }
  Random& rng() { return rng_; }
  ManualExecutor& executor() { return *executor_; }

  // Called with every mutation right after it took effect, before its answer is sent;
  // the simulation checks real-time invariants here (GC deleting a referenced SST).
  void SetObserver(std::function<void(const SimEvent&)> observer) {
    observer_ = std::move(observer);
  }

 private:
  friend class SimProcessStore;
  void Record(SimEvent event);

  std::shared_ptr<ManualClock> clock_;
  std::shared_ptr<ManualExecutor> executor_;
  std::shared_ptr<MemoryObjectStore> backend_;
  Random rng_;
  std::vector<SimEvent> history_;
  std::function<void(const SimEvent&)> observer_;
};

class SimProcessStore : public ObjectStore {
 public:
  SimProcessStore(SimStore* world, int process, SimFaults faults)
      : world_(world), process_(process), faults_(faults) {}

  int process() const { return process_; }
  bool dead() const { return dead_; }
  const SimFaults& faults() const { return faults_; }
  void set_faults(SimFaults faults) { faults_ = faults; }
  // Calls of this process failed or answered as lost by a drawn fault (not by its crash).
  uint64_t injected_faults() const { return injected_faults_; }
  // The process dies (see the file comment).
  void Crash() { dead_ = true; }

  void Get(const std::string& key, Callback<std::string> done) override;
  void GetRange(const std::string& key, uint64_t offset, uint64_t length,
                Callback<std::string> done) override;
  void Head(const std::string& key, Callback<ObjectMeta> done) override;
  void Put(const std::string& key, std::string data, const ObjectPutOptions& options,
           Callback<ObjectMeta> done) override;
  void List(const std::string& prefix, const std::string& start_after,
            Callback<std::vector<ObjectMeta>> done) override;
  void Delete(const std::string& key, StatusCallback done) override;
  std::string Describe() const override { return "sim"; }

 private:
  // Runs `apply` after a random request latency unless the call fails first; `apply`
  // performs the call on the backend and hands its answer to Respond.
  void Send(std::function<void()> apply, std::function<void()> fail);
  // Delivers `answer` after a random response latency.
  void Respond(std::function<void()> answer);
  uint64_t Latency();
  bool Draw(double p);
  // Whether the answer to an applied call is lost (a drawn fault, counted); never once dead.
  bool LoseResponse();

  SimStore* world_;
  const int process_;
  SimFaults faults_;
  bool dead_ = false;
  uint64_t injected_faults_ = 0;
  bool swallow_answers_ = false;  // set while applying a request that arrived after the crash
  // Whether the request in flight at the crash took effect; drawn once per request.
  bool ApplyAfterCrash();
};

}  // namespace slatedb::testing
