// SPDX-License-Identifier: Apache-2.0
#include "tests/sim/sim_store.h"

#include <utility>

namespace slatedb::testing {
namespace {

Status Lost(const char* what) {
  return Status::Unavailable(std::string("simulated fault: ") + what);
}

// Manifests and WAL objects are kept in the history (the fencing invariants read them);
// SST bodies are not, to keep long runs small.
bool KeepData(const std::string& key) {
  return key.find("manifest/") != std::string::npos || key.find("wal/") != std::string::npos;
}

}  // namespace

SimStore::SimStore(std::shared_ptr<ManualClock> clock, std::shared_ptr<ManualExecutor> executor,
                   uint64_t seed)
    : clock_(clock),
      executor_(std::move(executor)),
      backend_(std::make_shared<MemoryObjectStore>(clock)),
      rng_(seed) {}

void SimStore::Record(SimEvent event) {
  event.time_ms = clock_->NowMillis();
  history_.push_back(std::move(event));
  if (observer_) observer_(history_.back());
}

uint64_t SimProcessStore::Latency() {
  if (faults_.max_latency_ms == 0) return 0;
  return world_->rng_.Uniform(faults_.max_latency_ms + 1);
}

bool SimProcessStore::Draw(double p) {
  if (p <= 0) return false;
  return static_cast<double>(world_->rng_.Uniform(1'000'000)) < p * 1'000'000;
}

bool SimProcessStore::LoseResponse() {
  if (dead_ || !Draw(faults_.lose_response)) return false;
  ++injected_faults_;
  return true;
}

bool SimProcessStore::ApplyAfterCrash() { return world_->rng_.Uniform(2) == 0; }

void SimProcessStore::Send(std::function<void()> apply, std::function<void()> fail) {
  bool sent_alive = !dead_;
  if (!sent_alive || Draw(faults_.fail)) {
    if (sent_alive) ++injected_faults_;
    Respond(std::move(fail));
    return;
  }
  world_->executor_->PostAfter(
      Latency(), [this, apply = std::move(apply), fail = std::move(fail)]() mutable {
        if (dead_) {
          // Sent before the crash, arriving after it: the store may or may not have seen it.
          if (ApplyAfterCrash()) {
            swallow_answers_ = true;  // the store's answer goes nowhere
            apply();
            swallow_answers_ = false;
          }
          fail();  // the process is gone; its callbacks only unwind (exactly one answer)
          return;
        }
        apply();
      });
}

void SimProcessStore::Respond(std::function<void()> answer) {
  if (swallow_answers_) return;
  world_->executor_->PostAfter(Latency(), std::move(answer));
}

void SimProcessStore::Get(const std::string& key, Callback<std::string> done) {
  Send(
      [this, key, done]() {
        world_->backend_->Get(key, [this, done](Result<std::string> r) {
          Respond([done, r = std::move(r)]() mutable { done(std::move(r)); });
        });
      },
      [done]() { done(Lost("get failed")); });
}

void SimProcessStore::GetRange(const std::string& key, uint64_t offset, uint64_t length,
                               Callback<std::string> done) {
  Send(
      [this, key, offset, length, done]() {
        world_->backend_->GetRange(key, offset, length, [this, done](Result<std::string> r) {
          Respond([done, r = std::move(r)]() mutable { done(std::move(r)); });
        });
      },
      [done]() { done(Lost("get_range failed")); });
}

void SimProcessStore::Head(const std::string& key, Callback<ObjectMeta> done) {
  Send(
      [this, key, done]() {
        world_->backend_->Head(key, [this, done](Result<ObjectMeta> r) {
          Respond([done, r = std::move(r)]() mutable { done(std::move(r)); });
        });
      },
      [done]() { done(Lost("head failed")); });
}

void SimProcessStore::List(const std::string& prefix, const std::string& start_after,
                           Callback<std::vector<ObjectMeta>> done) {
  Send(
      [this, prefix, start_after, done]() {
        world_->backend_->List(
            prefix, start_after, [this, done](Result<std::vector<ObjectMeta>> r) {
              Respond([done, r = std::move(r)]() mutable { done(std::move(r)); });
            });
      },
      [done]() { done(Lost("list failed")); });
}

void SimProcessStore::Put(const std::string& key, std::string data, const ObjectPutOptions& options,
                          Callback<ObjectMeta> done) {
  auto shared = std::make_shared<std::string>(std::move(data));
  Send(
      [this, key, shared, options, done]() {
        std::string copy = *shared;
        world_->backend_->Put(key, std::move(copy), options,
                              [this, key, shared, done](Result<ObjectMeta> r) {
                                if (r.ok()) {
                                  SimEvent e;
                                  e.kind = SimEvent::Kind::kPut;
                                  e.process = process_;
                                  e.key = key;
                                  if (KeepData(key)) e.data = *shared;
                                  world_->Record(std::move(e));
                                  if (LoseResponse()) r = Lost("put response lost");
                                }
                                Respond([done, r = std::move(r)]() mutable { done(std::move(r)); });
                              });
      },
      [done]() { done(Lost("put failed")); });
}

void SimProcessStore::Delete(const std::string& key, StatusCallback done) {
  Send(
      [this, key, done]() {
        world_->backend_->Delete(key, [this, key, done](Status s) {
          if (s.ok()) {
            SimEvent e;
            e.kind = SimEvent::Kind::kDelete;
            e.process = process_;
            e.key = key;
            world_->Record(std::move(e));
            if (LoseResponse()) s = Lost("delete response lost");
          }
          Respond([done, s = std::move(s)]() mutable { done(std::move(s)); });
        });
      },
      [done]() { done(Lost("delete failed")); });
}

}  // namespace slatedb::testing
