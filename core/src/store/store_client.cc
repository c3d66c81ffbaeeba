// SPDX-License-Identifier: Apache-2.0
#include "store/store_client.h"

#include <functional>
#include <utility>

#include "util/async.h"

namespace slatedb {

namespace {

// Counts each request on its way to the host's store.
class CountingObjectStore : public ObjectStore {
 public:
  CountingObjectStore(std::shared_ptr<ObjectStore> inner, std::shared_ptr<StoreMetrics> metrics)
      : inner_(std::move(inner)), metrics_(std::move(metrics)) {}

  void Get(const std::string& key, Callback<std::string> done) override {
    Count(metrics_->get);
    inner_->Get(key, std::move(done));
  }
  void GetRange(const std::string& key, uint64_t offset, uint64_t length,
                Callback<std::string> done) override {
    Count(metrics_->get_range);
    inner_->GetRange(key, offset, length, std::move(done));
  }
  void Head(const std::string& key, Callback<ObjectMeta> done) override {
    Count(metrics_->head);
    inner_->Head(key, std::move(done));
  }
  void Put(const std::string& key, std::string data, const ObjectPutOptions& options,
           Callback<ObjectMeta> done) override {
    Count(metrics_->put);
    inner_->Put(key, std::move(data), options, std::move(done));
  }
  void List(const std::string& prefix, const std::string& start_after,
            Callback<std::vector<ObjectMeta>> done) override {
    Count(metrics_->list);
    inner_->List(prefix, start_after, std::move(done));
  }
  void Delete(const std::string& key, StatusCallback done) override {
    Count(metrics_->del);
    inner_->Delete(key, std::move(done));
  }
  std::string Describe() const override { return inner_->Describe(); }
  ObjectStoreCache* cache() override { return inner_->cache(); }

 private:
  static void Count(std::atomic<uint64_t>& counter) {
    counter.fetch_add(1, std::memory_order_relaxed);
  }
  const std::shared_ptr<ObjectStore> inner_;
  const std::shared_ptr<StoreMetrics> metrics_;
};

template <typename T>
using Cb = std::function<void(Result<T>)>;

// Awaitables built by plain functions, outside the coroutine frames (g++ 12 mishandles some
// temporaries created inside a co_await expression).
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
// Moves `data` into the store (the retrying layer keeps it for its attempts).
auto AwaitPut(ObjectStore& s, const std::string& key, std::string& data,
              const ObjectPutOptions& options) {
  return AwaitCallback<Result<ObjectMeta>>([&s, &key, &data, &options](Cb<ObjectMeta> done) {
    s.Put(key, std::move(data), options, std::move(done));
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
auto AwaitWarm(ObjectStoreCache& c, const std::string& key, std::vector<ObjectByteRange>& ranges) {
  return AwaitCallback<Status>([&c, &key, &ranges](std::function<void(Status)> done) {
    c.Warm(key, std::move(ranges), std::move(done));
  });
}
auto AwaitEvict(ObjectStoreCache& c, const std::string& key) {
  return AwaitCallback<Status>(
      [&c, &key](std::function<void(Status)> done) { c.Evict(key, std::move(done)); });
}

}  // namespace

StoreClient::StoreClient(std::shared_ptr<ObjectStore> store, std::shared_ptr<Executor> executor,
                         std::shared_ptr<Clock> clock, RetryPolicy policy, uint64_t seed)
    : metrics_(std::make_shared<StoreMetrics>()),
      store_(RetryingObjectStore::Create(
          std::make_shared<CountingObjectStore>(std::move(store), metrics_), std::move(executor),
          std::move(clock), policy, seed)) {}

Task<Result<std::string>> StoreClient::Get(std::string key) {
  Result<std::string> r = co_await AwaitGet(*store_, key);
  if (r.ok()) metrics_->bytes_read.fetch_add(r->size(), std::memory_order_relaxed);
  co_return r;
}

Task<Result<std::string>> StoreClient::GetRange(std::string key, uint64_t offset, uint64_t length) {
  Result<std::string> r = co_await AwaitGetRange(*store_, key, offset, length);
  if (r.ok()) metrics_->bytes_read.fetch_add(r->size(), std::memory_order_relaxed);
  co_return r;
}

Task<Result<ObjectMeta>> StoreClient::Head(std::string key) {
  co_return co_await AwaitHead(*store_, key);
}

Task<Result<ObjectMeta>> StoreClient::Put(std::string key, std::string data,
                                          ObjectPutOptions options) {
  const uint64_t size = data.size();
  Result<ObjectMeta> r = co_await AwaitPut(*store_, key, data, options);
  if (r.ok()) metrics_->bytes_written.fetch_add(size, std::memory_order_relaxed);
  co_return r;
}

Task<Result<std::vector<ObjectMeta>>> StoreClient::List(std::string prefix,
                                                        std::string start_after) {
  co_return co_await AwaitList(*store_, prefix, start_after);
}

Task<Status> StoreClient::Delete(std::string key) { co_return co_await AwaitDelete(*store_, key); }

void StoreClient::AddMetrics(std::map<std::string, uint64_t>* out) const {
  auto load = [](const std::atomic<uint64_t>& a) { return a.load(std::memory_order_relaxed); };
  std::map<std::string, uint64_t>& m = *out;
  const StoreMetrics& s = *metrics_;
  m["object_store/get"] = load(s.get);
  m["object_store/get_range"] = load(s.get_range);
  m["object_store/head"] = load(s.head);
  m["object_store/put"] = load(s.put);
  m["object_store/list"] = load(s.list);
  m["object_store/delete"] = load(s.del);
  m["object_store/bytes_read"] = load(s.bytes_read);
  m["object_store/bytes_written"] = load(s.bytes_written);
  m["object_store/retries"] = load(retry_stats().retries);
  m["object_store/failures"] = load(retry_stats().exhausted);
}

ObjectStoreCache* StoreClient::persistent_cache() const { return store_->cache(); }

Task<Status> StoreClient::WarmCached(std::string key, std::vector<ObjectByteRange> ranges) {
  ObjectStoreCache* cache = persistent_cache();
  if (cache == nullptr || ranges.empty()) co_return Status::Ok();
  co_return co_await AwaitWarm(*cache, key, ranges);
}

Task<Status> StoreClient::EvictCached(std::string key) {
  ObjectStoreCache* cache = persistent_cache();
  if (cache == nullptr) co_return Status::Ok();
  co_return co_await AwaitEvict(*cache, key);
}

}  // namespace slatedb
