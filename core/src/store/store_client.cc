// SPDX-License-Identifier: Apache-2.0
#include "store/store_client.h"

#include <algorithm>
#include <functional>

#include "util/async.h"

namespace slatedb {

namespace {

template <typename T>
using Cb = std::function<void(Result<T>)>;

auto AwaitGet(ObjectStore& s, const std::string& key) {
  return AwaitCallback<Result<std::string>>(
      [&s, &key](Cb<std::string> done) { s.Get(key, std::move(done)); });
}
auto AwaitGetRange(ObjectStore& s, const std::string& key, uint64_t off, uint64_t len) {
  return AwaitCallback<Result<std::string>>(
      [&s, &key, off, len](Cb<std::string> done) { s.GetRange(key, off, len, std::move(done)); });
}
auto AwaitHead(ObjectStore& s, const std::string& key) {
  return AwaitCallback<Result<ObjectMeta>>(
      [&s, &key](Cb<ObjectMeta> done) { s.Head(key, std::move(done)); });
}
auto AwaitPut(ObjectStore& s, const std::string& key, const std::string& data,
              const ObjectPutOptions& options) {
  return AwaitCallback<Result<ObjectMeta>>([&s, &key, &data, &options](Cb<ObjectMeta> done) {
    s.Put(key, data, options, std::move(done));
  });
}
auto AwaitList(ObjectStore& s, const std::string& prefix, const std::string& start_after) {
  return AwaitCallback<Result<std::vector<ObjectMeta>>>(
      [&s, &prefix, &start_after](Cb<std::vector<ObjectMeta>> done) {
        s.List(prefix, start_after, std::move(done));
      });
}
auto AwaitDelete(ObjectStore& s, const std::string& key) {
  return AwaitCallback<Status>(
      [&s, &key](std::function<void(Status)> done) { s.Delete(key, std::move(done)); });
}

}  // namespace

StoreClient::StoreClient(std::shared_ptr<ObjectStore> store, std::shared_ptr<Executor> executor,
                         uint32_t max_retries)
    : store_(std::move(store)), executor_(std::move(executor)), max_retries_(max_retries) {}

uint64_t StoreClient::BackoffMs(uint32_t attempt) {
  uint64_t ms = 100ull << std::min<uint32_t>(attempt - 1, 4);
  return std::min<uint64_t>(ms, 1000);
}

bool StoreClient::ShouldRetry(const Status& s, uint32_t attempt) {
  if (!s.IsUnavailable()) return false;
  if (attempt >= max_retries_) {
    metrics_.failures.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  metrics_.retries.fetch_add(1, std::memory_order_relaxed);
  return true;
}

Task<Result<std::string>> StoreClient::Get(std::string key) {
  for (uint32_t attempt = 0;; ++attempt) {
    if (attempt > 0) co_await SleepFor(*executor_, BackoffMs(attempt));
    metrics_.get.fetch_add(1, std::memory_order_relaxed);
    Result<std::string> r = co_await AwaitGet(*store_, key);
    if (r.ok()) metrics_.bytes_read.fetch_add(r->size(), std::memory_order_relaxed);
    if (r.ok() || !ShouldRetry(r.status(), attempt)) co_return r;
  }
}

Task<Result<std::string>> StoreClient::GetRange(std::string key, uint64_t offset,
                                                 uint64_t length) {
  for (uint32_t attempt = 0;; ++attempt) {
    if (attempt > 0) co_await SleepFor(*executor_, BackoffMs(attempt));
    metrics_.get_range.fetch_add(1, std::memory_order_relaxed);
    Result<std::string> r = co_await AwaitGetRange(*store_, key, offset, length);
    if (r.ok()) metrics_.bytes_read.fetch_add(r->size(), std::memory_order_relaxed);
    if (r.ok() || !ShouldRetry(r.status(), attempt)) co_return r;
  }
}

Task<Result<ObjectMeta>> StoreClient::Head(std::string key) {
  for (uint32_t attempt = 0;; ++attempt) {
    if (attempt > 0) co_await SleepFor(*executor_, BackoffMs(attempt));
    metrics_.head.fetch_add(1, std::memory_order_relaxed);
    Result<ObjectMeta> r = co_await AwaitHead(*store_, key);
    if (r.ok() || !ShouldRetry(r.status(), attempt)) co_return r;
  }
}

Task<Result<ObjectMeta>> StoreClient::Put(std::string key, std::string data,
                                          ObjectPutOptions options) {
  bool maybe_landed = false;  // an earlier attempt failed in a way that may hide success
  for (uint32_t attempt = 0;; ++attempt) {
    if (attempt > 0) co_await SleepFor(*executor_, BackoffMs(attempt));
    metrics_.put.fetch_add(1, std::memory_order_relaxed);
    Result<ObjectMeta> r = co_await AwaitPut(*store_, key, data, options);
    if (r.ok()) {
      metrics_.bytes_written.fetch_add(data.size(), std::memory_order_relaxed);
      co_return r;
    }
    if (maybe_landed && options.mode == PutMode::kCreateIfAbsent && r.status().IsAlreadyExists()) {
      Result<std::string> existing = co_await Get(key);
      if (existing.ok() && *existing == data) {
        metrics_.bytes_written.fetch_add(data.size(), std::memory_order_relaxed);
        Result<ObjectMeta> meta = co_await Head(key);
        if (meta.ok()) co_return meta;
        co_return ObjectMeta{key, data.size(), 0, ""};
      }
      co_return r;
    }
    if (!ShouldRetry(r.status(), attempt)) co_return r;
    maybe_landed = true;
  }
}

Task<Result<std::vector<ObjectMeta>>> StoreClient::List(std::string prefix,
                                                        std::string start_after) {
  for (uint32_t attempt = 0;; ++attempt) {
    if (attempt > 0) co_await SleepFor(*executor_, BackoffMs(attempt));
    metrics_.list.fetch_add(1, std::memory_order_relaxed);
    Result<std::vector<ObjectMeta>> r = co_await AwaitList(*store_, prefix, start_after);
    if (r.ok() || !ShouldRetry(r.status(), attempt)) co_return r;
  }
}

Task<Status> StoreClient::Delete(std::string key) {
  for (uint32_t attempt = 0;; ++attempt) {
    if (attempt > 0) co_await SleepFor(*executor_, BackoffMs(attempt));
    metrics_.del.fetch_add(1, std::memory_order_relaxed);
    Status s = co_await AwaitDelete(*store_, key);
    if (s.ok() || !ShouldRetry(s, attempt)) co_return s;
  }
}

}  // namespace slatedb
