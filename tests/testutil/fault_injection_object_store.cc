// SPDX-License-Identifier: Apache-2.0
//
// FaultInjectionObjectStore: decisions are made under the mutex, the inner store is
// called and answers are delivered outside it, so callbacks may re-enter this store.
#include "testutil/fault_injection_object_store.h"

#include <utility>

namespace slatedb::testing {
namespace {

const char* OpName(StoreOp op) {
  switch (op) {
    case StoreOp::kGet:
      return "get";
    case StoreOp::kGetRange:
      return "get_range";
    case StoreOp::kHead:
      return "head";
    case StoreOp::kPut:
      return "put";
    case StoreOp::kList:
      return "list";
    case StoreOp::kDelete:
      return "delete";
  }
  return "?";
}

Status InjectedFailure(StoreOp op, const std::string& key) {
  return Status::Unavailable(std::string("injected fault: ") + OpName(op) + " " + key);
}

}  // namespace

FaultInjectionObjectStore::FaultInjectionObjectStore(std::shared_ptr<ObjectStore> inner,
                                                     uint64_t seed)
    : inner_(std::move(inner)), rng_(seed) {}

void FaultInjectionObjectStore::FailNext(StoreOp op, uint64_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  fail_next_[static_cast<size_t>(op)] += n;
}

void FaultInjectionObjectStore::FailNext(std::initializer_list<StoreOp> ops, uint64_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  for (StoreOp op : ops) fail_next_[static_cast<size_t>(op)] += n;
}

void FaultInjectionObjectStore::SetFailureProbability(double p) {
  std::lock_guard<std::mutex> lock(mu_);
  fail_probability_.fill(p);
}

void FaultInjectionObjectStore::SetFailureProbability(StoreOp op, double p) {
  std::lock_guard<std::mutex> lock(mu_);
  fail_probability_[static_cast<size_t>(op)] = p;
}

void FaultInjectionObjectStore::LoseNextPutResponses(uint64_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  lose_next_puts_ += n;
}

void FaultInjectionObjectStore::SetLostPutProbability(double p) {
  std::lock_guard<std::mutex> lock(mu_);
  lose_put_probability_ = p;
}

void FaultInjectionObjectStore::DelayCompletions(std::shared_ptr<Executor> executor,
                                                 uint64_t max_delay_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  delay_executor_ = std::move(executor);
  max_delay_ms_ = max_delay_ms;
}

void FaultInjectionObjectStore::ClearFaults() {
  std::lock_guard<std::mutex> lock(mu_);
  fail_next_.fill(0);
  fail_probability_.fill(0);
  lose_next_puts_ = 0;
  lose_put_probability_ = 0;
  delay_executor_ = nullptr;
  max_delay_ms_ = 0;
}

FaultInjectionObjectStore::FaultCounts FaultInjectionObjectStore::faults() const {
  std::lock_guard<std::mutex> lock(mu_);
  return counts_;
}

double FaultInjectionObjectStore::NextUnitLocked() {
  // 53 random bits -> [0, 1): the same sequence on every platform, unlike
  // std::uniform_real_distribution.
  return static_cast<double>(rng_() >> 11) * (1.0 / 9007199254740992.0);
}

FaultInjectionObjectStore::Route FaultInjectionObjectStore::RouteLocked() {
  Route route;
  route.executor = delay_executor_;
  if (route.executor != nullptr) {
    ++counts_.delayed;
    if (max_delay_ms_ > 0) route.delay_ms = rng_() % (max_delay_ms_ + 1);
  }
  return route;
}

bool FaultInjectionObjectStore::ShouldFail(StoreOp op, Route* route) {
  std::lock_guard<std::mutex> lock(mu_);
  size_t i = static_cast<size_t>(op);
  bool fail = false;
  if (fail_next_[i] > 0) {
    --fail_next_[i];
    fail = true;
  } else if (fail_probability_[i] > 0) {
    // Draw only when a probability is set, so enabling faults on one operation does not
    // shift the random sequence seen by others.
    fail = NextUnitLocked() < fail_probability_[i];
  }
  if (fail) ++counts_.failed;
  *route = RouteLocked();
  return fail;
}

bool FaultInjectionObjectStore::ShouldLosePutResponse() {
  std::lock_guard<std::mutex> lock(mu_);
  bool lose = false;
  if (lose_next_puts_ > 0) {
    --lose_next_puts_;
    lose = true;
  } else if (lose_put_probability_ > 0) {
    lose = NextUnitLocked() < lose_put_probability_;
  }
  if (lose) ++counts_.lost_responses;
  return lose;
}

void FaultInjectionObjectStore::Deliver(const Route& route, std::function<void()> answer) {
  if (route.executor == nullptr) {
    answer();
  } else if (route.delay_ms == 0) {
    route.executor->Post(std::move(answer));
  } else {
    route.executor->PostAfter(route.delay_ms, std::move(answer));
  }
}

void FaultInjectionObjectStore::Get(const std::string& key, Callback<std::string> done) {
  Route route;
  if (ShouldFail(StoreOp::kGet, &route)) {
    return Answer<Result<std::string>>(route, done, InjectedFailure(StoreOp::kGet, key));
  }
  inner_->Get(key, [route, done](Result<std::string> r) {
    Answer<Result<std::string>>(route, done, std::move(r));
  });
}

void FaultInjectionObjectStore::GetRange(const std::string& key, uint64_t offset, uint64_t length,
                                         Callback<std::string> done) {
  Route route;
  if (ShouldFail(StoreOp::kGetRange, &route)) {
    return Answer<Result<std::string>>(route, done, InjectedFailure(StoreOp::kGetRange, key));
  }
  inner_->GetRange(key, offset, length, [route, done](Result<std::string> r) {
    Answer<Result<std::string>>(route, done, std::move(r));
  });
}

void FaultInjectionObjectStore::Head(const std::string& key, Callback<ObjectMeta> done) {
  Route route;
  if (ShouldFail(StoreOp::kHead, &route)) {
    return Answer<Result<ObjectMeta>>(route, done, InjectedFailure(StoreOp::kHead, key));
  }
  inner_->Head(key, [route, done](Result<ObjectMeta> r) {
    Answer<Result<ObjectMeta>>(route, done, std::move(r));
  });
}

void FaultInjectionObjectStore::Put(const std::string& key, std::string data,
                                    const ObjectPutOptions& options, Callback<ObjectMeta> done) {
  Route route;
  if (ShouldFail(StoreOp::kPut, &route)) {
    return Answer<Result<ObjectMeta>>(route, done, InjectedFailure(StoreOp::kPut, key));
  }
  inner_->Put(key, std::move(data), options, [this, key, route, done](Result<ObjectMeta> r) {
    if (r.ok() && ShouldLosePutResponse()) {
      r = Status::Unavailable("injected fault: response of put " + key + " lost");
    }
    Answer<Result<ObjectMeta>>(route, done, std::move(r));
  });
}

void FaultInjectionObjectStore::List(const std::string& prefix, const std::string& start_after,
                                     Callback<std::vector<ObjectMeta>> done) {
  Route route;
  if (ShouldFail(StoreOp::kList, &route)) {
    return Answer<Result<std::vector<ObjectMeta>>>(route, done,
                                                   InjectedFailure(StoreOp::kList, prefix));
  }
  inner_->List(prefix, start_after, [route, done](Result<std::vector<ObjectMeta>> r) {
    Answer<Result<std::vector<ObjectMeta>>>(route, done, std::move(r));
  });
}

void FaultInjectionObjectStore::Delete(const std::string& key, StatusCallback done) {
  Route route;
  if (ShouldFail(StoreOp::kDelete, &route)) {
    return Answer<Status>(route, done, InjectedFailure(StoreOp::kDelete, key));
  }
  inner_->Delete(key, [route, done](Status st) { Answer<Status>(route, done, std::move(st)); });
}

std::string FaultInjectionObjectStore::Describe() const {
  return "faults(" + inner_->Describe() + ")";
}

}  // namespace slatedb::testing
