// SPDX-License-Identifier: Apache-2.0
//
// The in-memory ObjectStore. Every method computes its answer under the mutex and only
// then calls back, so a callback that re-enters the store cannot deadlock. Compiled both
// natively and with Emscripten: no threads, no files, no wall clock here.
#include "slatedb/platform/memory_object_store.h"

#include <algorithm>
#include <optional>
#include <utility>

namespace slatedb {

MemoryObjectStore::MemoryObjectStore(std::shared_ptr<Clock> clock) : clock_(std::move(clock)) {}

MemoryObjectStore::~MemoryObjectStore() = default;

ObjectMeta MemoryObjectStore::MetaOf(const std::string& key, const Object& object) {
  ObjectMeta meta;
  meta.key = key;
  meta.size_bytes = object.data->size();
  meta.last_modified_ms = object.last_modified_ms;
  meta.version = object.version;
  return meta;
}

int64_t MemoryObjectStore::NowLocked() {
  if (clock_ != nullptr) return clock_->NowMillis();
  return ++tick_;
}

void MemoryObjectStore::Get(const std::string& key, Callback<std::string> done) {
  counter_.Add(StoreOp::kGet);
  Status valid = ValidateObjectKey(key);
  if (!valid.ok()) return done(valid);
  std::shared_ptr<const std::string> data;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = objects_.find(key);
    if (it != objects_.end()) data = it->second.data;
  }
  if (data == nullptr) return done(Status::NotFound("memory: no object " + key));
  // The copy happens outside the lock; `data` keeps the bytes alive if they get replaced.
  done(std::string(*data));
}

void MemoryObjectStore::GetRange(const std::string& key, uint64_t offset, uint64_t length,
                                 Callback<std::string> done) {
  counter_.Add(StoreOp::kGetRange);
  Status valid = ValidateObjectKey(key);
  if (!valid.ok()) return done(valid);
  std::shared_ptr<const std::string> data;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = objects_.find(key);
    if (it != objects_.end()) data = it->second.data;
  }
  if (data == nullptr) return done(Status::NotFound("memory: no object " + key));
  if (offset > data->size()) {
    return done(Status::Invalid("memory: range offset " + std::to_string(offset) +
                                " beyond the end of " + key + " (size " +
                                std::to_string(data->size()) + ")"));
  }
  // min() before adding, so offset + length cannot overflow.
  uint64_t n = std::min<uint64_t>(length, data->size() - offset);
  done(data->substr(offset, n));
}

void MemoryObjectStore::Head(const std::string& key, Callback<ObjectMeta> done) {
  counter_.Add(StoreOp::kHead);
  Status valid = ValidateObjectKey(key);
  if (!valid.ok()) return done(valid);
  std::optional<ObjectMeta> meta;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = objects_.find(key);
    if (it != objects_.end()) meta = MetaOf(key, it->second);
  }
  if (!meta) return done(Status::NotFound("memory: no object " + key));
  done(std::move(*meta));
}

void MemoryObjectStore::Put(const std::string& key, std::string data,
                            const ObjectPutOptions& options, Callback<ObjectMeta> done) {
  counter_.Add(StoreOp::kPut);
  Status valid = ValidateObjectKey(key);
  if (!valid.ok()) return done(valid);
  auto bytes = std::make_shared<const std::string>(std::move(data));
  std::shared_ptr<const std::string> displaced;  // freed after the lock is released
  Status rejected;
  ObjectMeta meta;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = objects_.find(key);
    if (options.mode == PutMode::kCreateIfAbsent && it != objects_.end()) {
      rejected = Status::AlreadyExists("memory: object exists: " + key);
    } else if (options.mode == PutMode::kReplaceIfVersionMatches) {
      if (it == objects_.end()) {
        rejected = Status::NotFound("memory: no object to replace: " + key);
      } else if (it->second.version != options.expected_version) {
        rejected =
            Status::VersionMismatch("memory: " + key + " is at version " + it->second.version +
                                    ", not '" + options.expected_version + "'");
      }
    }
    if (rejected.ok()) {
      Object object;
      object.data = bytes;
      object.version = std::to_string(next_version_++);
      object.last_modified_ms = NowLocked();
      if (it == objects_.end()) {
        it = objects_.emplace(key, std::move(object)).first;
      } else {
        total_bytes_ -= it->second.data->size();
        displaced = std::exchange(it->second.data, nullptr);
        it->second = std::move(object);
      }
      total_bytes_ += bytes->size();
      meta = MetaOf(key, it->second);
    }
  }
  if (!rejected.ok()) return done(rejected);
  done(std::move(meta));
}

void MemoryObjectStore::List(const std::string& prefix, const std::string& start_after,
                             Callback<std::vector<ObjectMeta>> done) {
  counter_.Add(StoreOp::kList);
  std::vector<ObjectMeta> metas;
  {
    std::lock_guard<std::mutex> lock(mu_);
    // std::map orders std::string keys by unsigned byte value, as the contract demands.
    auto it =
        start_after < prefix ? objects_.lower_bound(prefix) : objects_.upper_bound(start_after);
    for (; it != objects_.end(); ++it) {
      if (it->first.compare(0, prefix.size(), prefix) != 0) break;
      metas.push_back(MetaOf(it->first, it->second));
    }
  }
  done(std::move(metas));
}

void MemoryObjectStore::Delete(const std::string& key, StatusCallback done) {
  counter_.Add(StoreOp::kDelete);
  Status valid = ValidateObjectKey(key);
  if (!valid.ok()) return done(valid);
  std::shared_ptr<const std::string> removed;  // freed after the lock is released
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = objects_.find(key);
    if (it != objects_.end()) {
      removed = std::move(it->second.data);
      total_bytes_ -= removed->size();
      objects_.erase(it);
    }
  }
  done(Status::Ok());
}

std::string MemoryObjectStore::Describe() const { return "memory"; }

size_t MemoryObjectStore::object_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return objects_.size();
}

uint64_t MemoryObjectStore::total_bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return total_bytes_;
}

}  // namespace slatedb
