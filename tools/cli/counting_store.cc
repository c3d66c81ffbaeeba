// SPDX-License-Identifier: Apache-2.0
#include "counting_store.h"

namespace slatedb::cli {

void CountingObjectStore::Get(const std::string& key, Callback<std::string> done) {
  counter_.Add(StoreOp::kGet);
  inner_->Get(key, std::move(done));
}

void CountingObjectStore::GetRange(const std::string& key, uint64_t offset, uint64_t length,
                                   Callback<std::string> done) {
  counter_.Add(StoreOp::kGetRange);
  inner_->GetRange(key, offset, length, std::move(done));
}

void CountingObjectStore::Head(const std::string& key, Callback<ObjectMeta> done) {
  counter_.Add(StoreOp::kHead);
  inner_->Head(key, std::move(done));
}

void CountingObjectStore::Put(const std::string& key, std::string data,
                              const ObjectPutOptions& options, Callback<ObjectMeta> done) {
  counter_.Add(StoreOp::kPut);
  inner_->Put(key, std::move(data), options, std::move(done));
}

void CountingObjectStore::List(const std::string& prefix, const std::string& start_after,
                               Callback<std::vector<ObjectMeta>> done) {
  counter_.Add(StoreOp::kList);
  inner_->List(prefix, start_after, std::move(done));
}

void CountingObjectStore::Delete(const std::string& key, StatusCallback done) {
  counter_.Add(StoreOp::kDelete);
  inner_->Delete(key, std::move(done));
}

}  // namespace slatedb::cli
