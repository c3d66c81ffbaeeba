// SPDX-License-Identifier: Apache-2.0
#include "store/retrying_object_store.h"

#include <algorithm>
#include <functional>
#include <utility>

namespace slatedb {

namespace {

uint64_t SplitMix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

const Status& StatusOf(const Status& s) { return s; }
template <typename T>
const Status& StatusOf(const Result<T>& r) {
  return r.status();
}

// "... (after 4 attempts)": the caller learns the failure outlasted the retries.
Status AfterAttempts(const Status& s, uint32_t attempts) {
  return Status::Unavailable(s.message() + " (after " + std::to_string(attempts) + " attempts)");
}

}  // namespace

uint64_t RetrySeed(int64_t now_ms, std::string_view path) {
  uint64_t h = 0xCBF29CE484222325ull;  // FNV-1a over the path
  for (unsigned char c : path) h = (h ^ c) * 0x100000001B3ull;
  return SplitMix64(static_cast<uint64_t>(now_ms) ^ h);
}

RetryPolicy RetryPolicy::FromSettings(const Settings& settings) {
  RetryPolicy policy;
  policy.max_retries = settings.object_store_max_retries;
  policy.deadline_ms = settings.object_store_retry_deadline_ms;
  return policy;
}

// One logical call and its attempts. `issue` makes one attempt on the wrapped store; `done`
// gets the outcome and the number of attempts made.
template <typename T>
struct RetryingObjectStore::Call {
  std::function<void(std::function<void(T)>)> issue;
  std::function<void(T, uint32_t)> done;
  uint32_t attempts = 0;
  int64_t started_ms = 0;
};

std::shared_ptr<RetryingObjectStore> RetryingObjectStore::Create(std::shared_ptr<ObjectStore> inner,
                                                                 std::shared_ptr<Executor> executor,
                                                                 std::shared_ptr<Clock> clock,
                                                                 RetryPolicy policy,
                                                                 uint64_t seed) {
  return std::shared_ptr<RetryingObjectStore>(new RetryingObjectStore(
      std::move(inner), std::move(executor), std::move(clock), policy, seed));
}

RetryingObjectStore::RetryingObjectStore(std::shared_ptr<ObjectStore> inner,
                                         std::shared_ptr<Executor> executor,
                                         std::shared_ptr<Clock> clock, RetryPolicy policy,
                                         uint64_t seed)
    : inner_(std::move(inner)),
      executor_(std::move(executor)),
      clock_(std::move(clock)),
      policy_(policy),
      random_state_(seed) {}

std::string RetryingObjectStore::Describe() const { return inner_->Describe(); }

uint64_t RetryingObjectStore::NextRandom() {
  return SplitMix64(random_state_.fetch_add(0x9E3779B97F4A7C15ull, std::memory_order_relaxed));
}

uint64_t RetryingObjectStore::BackoffMs(const RetryPolicy& policy, uint32_t retry,
                                        uint64_t random) {
  uint64_t base = std::max<uint64_t>(policy.initial_backoff_ms, 1);
  for (uint32_t i = 1; i < retry && base < policy.max_backoff_ms; ++i) base *= 2;
  base = std::min(base, std::max<uint64_t>(policy.max_backoff_ms, 1));
  const uint64_t low = base / 2;
  return low + random % (base - low + 1);
}

std::optional<uint64_t> RetryingObjectStore::NextDelay(uint32_t attempts, int64_t started_ms) {
  if (policy_.max_retries && attempts > *policy_.max_retries) return std::nullopt;
  const uint64_t delay = BackoffMs(policy_, attempts, NextRandom());
  const int64_t elapsed = std::max<int64_t>(0, clock_->NowMillis() - started_ms);
  if (static_cast<uint64_t>(elapsed) + delay > policy_.deadline_ms) return std::nullopt;
  return delay;
}

template <typename T>
void RetryingObjectStore::Attempt(std::shared_ptr<Call<T>> call) {
  if (call->attempts == 0) call->started_ms = clock_->NowMillis();
  ++call->attempts;
  std::shared_ptr<RetryingObjectStore> self = shared_from_this();
  call->issue([self, call](T result) {
    const Status& status = StatusOf(result);
    if (status.IsUnavailable()) {
      if (std::optional<uint64_t> delay = self->NextDelay(call->attempts, call->started_ms)) {
        self->stats_.retries.fetch_add(1, std::memory_order_relaxed);
        self->executor_->PostAfter(*delay, [self, call]() { self->Attempt(call); });
        return;
      }
      self->stats_.exhausted.fetch_add(1, std::memory_order_relaxed);
      if (call->attempts > 1) {
        Status annotated = AfterAttempts(status, call->attempts);
        return call->done(T(annotated), call->attempts);
      }
    }
    call->done(std::move(result), call->attempts);
  });
}

void RetryingObjectStore::Get(const std::string& key, Callback<std::string> done) {
  auto call = std::make_shared<Call<Result<std::string>>>();
  call->issue = [inner = inner_, key](std::function<void(Result<std::string>)> settle) {
    inner->Get(key, std::move(settle));
  };
  call->done = [done = std::move(done)](Result<std::string> r, uint32_t) { done(std::move(r)); };
  Attempt(std::move(call));
}

void RetryingObjectStore::GetRange(const std::string& key, uint64_t offset, uint64_t length,
                                   Callback<std::string> done) {
  auto call = std::make_shared<Call<Result<std::string>>>();
  call->issue = [inner = inner_, key, offset,
                 length](std::function<void(Result<std::string>)> settle) {
    inner->GetRange(key, offset, length, std::move(settle));
  };
  call->done = [done = std::move(done)](Result<std::string> r, uint32_t) { done(std::move(r)); };
  Attempt(std::move(call));
}

void RetryingObjectStore::Head(const std::string& key, Callback<ObjectMeta> done) {
  auto call = std::make_shared<Call<Result<ObjectMeta>>>();
  call->issue = [inner = inner_, key](std::function<void(Result<ObjectMeta>)> settle) {
    inner->Head(key, std::move(settle));
  };
  call->done = [done = std::move(done)](Result<ObjectMeta> r, uint32_t) { done(std::move(r)); };
  Attempt(std::move(call));
}

void RetryingObjectStore::Put(const std::string& key, std::string data,
                              const ObjectPutOptions& options, Callback<ObjectMeta> done) {
  // The bytes outlive the attempts: each attempt sends a copy, a read-back compares them.
  auto bytes = std::make_shared<const std::string>(std::move(data));
  auto call = std::make_shared<Call<Result<ObjectMeta>>>();
  call->issue = [inner = inner_, key, bytes,
                 options](std::function<void(Result<ObjectMeta>)> settle) {
    inner->Put(key, *bytes, options, std::move(settle));
  };
  const PutMode mode = options.mode;
  call->done = [self = shared_from_this(), key, bytes, mode, done = std::move(done)](
                   Result<ObjectMeta> r, uint32_t) mutable {
    // Checked even after a single attempt of ours: an HTTP client may resend a request on
    // its own (libcurl does, when a reused connection closes without an answer), and a
    // caller may send the same bytes again after an earlier call gave up.
    const bool refused_create = mode == PutMode::kCreateIfAbsent && r.status().IsAlreadyExists();
    const bool refused_replace = mode == PutMode::kReplaceIfVersionMatches &&
                                 r.status().code() == StatusCode::kVersionMismatch;
    if (refused_create || refused_replace) {
      return self->ReadBack(key, bytes, r.status(), std::move(done));
    }
    done(std::move(r));
  };
  Attempt(std::move(call));
}

void RetryingObjectStore::ReadBack(std::string key, std::shared_ptr<const std::string> data,
                                   Status refusal, Callback<ObjectMeta> done) {
  std::shared_ptr<RetryingObjectStore> self = shared_from_this();
  Get(key, [self, key, data, refusal, done = std::move(done)](Result<std::string> stored) mutable {
    if (stored.ok()) {
      if (*stored != *data) return done(refusal);
      self->stats_.resolved_puts.fetch_add(1, std::memory_order_relaxed);
      const uint64_t size = data->size();
      self->Head(key, [key, size, done = std::move(done)](Result<ObjectMeta> meta) {
        if (meta.ok()) return done(std::move(*meta));
        done(ObjectMeta{key, size, 0, ""});  // ours for sure; only its metadata is unknown
      });
      return;
    }
    // Gone since: the object that refused us was someone else's (created, then deleted).
    if (stored.status().IsNotFound()) return done(refusal);
    done(Status::Unavailable(refusal.message() +
                             "; could not read the object back to tell whether it is ours: " +
                             stored.status().ToString()));
  });
}

void RetryingObjectStore::List(const std::string& prefix, const std::string& start_after,
                               Callback<std::vector<ObjectMeta>> done) {
  auto call = std::make_shared<Call<Result<std::vector<ObjectMeta>>>>();
  call->issue = [inner = inner_, prefix,
                 start_after](std::function<void(Result<std::vector<ObjectMeta>>)> settle) {
    inner->List(prefix, start_after, std::move(settle));
  };
  call->done = [done = std::move(done)](Result<std::vector<ObjectMeta>> r, uint32_t) {
    done(std::move(r));
  };
  Attempt(std::move(call));
}

void RetryingObjectStore::Delete(const std::string& key, StatusCallback done) {
  auto call = std::make_shared<Call<Status>>();
  call->issue = [inner = inner_, key](std::function<void(Status)> settle) {
    inner->Delete(key, std::move(settle));
  };
  call->done = [done = std::move(done)](Status s, uint32_t) { done(std::move(s)); };
  Attempt(std::move(call));
}

}  // namespace slatedb
