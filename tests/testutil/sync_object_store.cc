// SPDX-License-Identifier: Apache-2.0
//
// SyncObjectStore: one shared waiting slot per call. The slot is shared with the callback
// so a late or duplicate callback never touches freed memory.
#include "testutil/sync_object_store.h"

#include <condition_variable>
#include <mutex>
#include <optional>
#include <utility>

namespace slatedb::testing {
namespace {

template <typename T>
struct Slot {
  std::mutex mu;
  std::condition_variable cv;
  std::optional<T> value;
  int calls = 0;
};

template <typename T>
T Missing() {
  return T(Status::Internal("object store callback not invoked within the timeout"));
}

}  // namespace

SyncObjectStore::SyncObjectStore(std::shared_ptr<ObjectStore> store,
                                 std::chrono::milliseconds timeout)
    : store_(std::move(store)), timeout_(timeout) {}

template <typename T>
T SyncObjectStore::Call(const std::function<void(std::function<void(T)>)>& start) {
  auto slot = std::make_shared<Slot<T>>();
  std::shared_ptr<Audit> audit = audit_;
  start([slot, audit](T value) {
    std::lock_guard<std::mutex> lock(slot->mu);
    if (++slot->calls > 1) {
      audit->extra.fetch_add(1);
      return;
    }
    slot->value.emplace(std::move(value));
    slot->cv.notify_all();
  });
  auto deadline = std::chrono::steady_clock::now() + timeout_;
  std::unique_lock<std::mutex> lock(slot->mu);
  while (!slot->value) {
    if (pump_) {
      lock.unlock();
      bool progressed = pump_();
      lock.lock();
      if (progressed) continue;
    }
    if (slot->cv.wait_until(lock, deadline) == std::cv_status::timeout && !slot->value) {
      audit_->missing.fetch_add(1);
      return Missing<T>();
    }
  }
  return std::move(*slot->value);
}

Result<std::string> SyncObjectStore::Get(const std::string& key) {
  return Call<Result<std::string>>([&](auto cb) { store_->Get(key, std::move(cb)); });
}

Result<std::string> SyncObjectStore::GetRange(const std::string& key, uint64_t offset,
                                              uint64_t length) {
  return Call<Result<std::string>>(
      [&](auto cb) { store_->GetRange(key, offset, length, std::move(cb)); });
}

Result<ObjectMeta> SyncObjectStore::Head(const std::string& key) {
  return Call<Result<ObjectMeta>>([&](auto cb) { store_->Head(key, std::move(cb)); });
}

Result<ObjectMeta> SyncObjectStore::Put(const std::string& key, std::string data,
                                        ObjectPutOptions options) {
  return Call<Result<ObjectMeta>>(
      [&](auto cb) { store_->Put(key, std::move(data), options, std::move(cb)); });
}

Result<ObjectMeta> SyncObjectStore::PutIfAbsent(const std::string& key, std::string data) {
  ObjectPutOptions options;
  options.mode = PutMode::kCreateIfAbsent;
  return Put(key, std::move(data), options);
}

Result<ObjectMeta> SyncObjectStore::PutIfVersion(const std::string& key, std::string data,
                                                 const std::string& expected_version) {
  ObjectPutOptions options;
  options.mode = PutMode::kReplaceIfVersionMatches;
  options.expected_version = expected_version;
  return Put(key, std::move(data), options);
}

Result<std::vector<ObjectMeta>> SyncObjectStore::List(const std::string& prefix,
                                                      const std::string& start_after) {
  return Call<Result<std::vector<ObjectMeta>>>(
      [&](auto cb) { store_->List(prefix, start_after, std::move(cb)); });
}

Status SyncObjectStore::Delete(const std::string& key) {
  return Call<Status>([&](auto cb) { store_->Delete(key, std::move(cb)); });
}

}  // namespace slatedb::testing
