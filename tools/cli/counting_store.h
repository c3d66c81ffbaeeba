// SPDX-License-Identifier: Apache-2.0
//
// CountingObjectStore: forwards every call to another store and counts the requests by
// operation, so `slatedb bench` can report requests per database operation on any store.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "slatedb/object_store.h"
#include "slatedb/platform/request_counts.h"

namespace slatedb::cli {

class CountingObjectStore : public ObjectStore {
 public:
  explicit CountingObjectStore(std::shared_ptr<ObjectStore> inner) : inner_(std::move(inner)) {}

  void Get(const std::string& key, Callback<std::string> done) override;
  void GetRange(const std::string& key, uint64_t offset, uint64_t length,
                Callback<std::string> done) override;
  void Head(const std::string& key, Callback<ObjectMeta> done) override;
  void Put(const std::string& key, std::string data, const ObjectPutOptions& options,
           Callback<ObjectMeta> done) override;
  void List(const std::string& prefix, const std::string& start_after,
            Callback<std::vector<ObjectMeta>> done) override;
  void Delete(const std::string& key, StatusCallback done) override;
  std::string Describe() const override { return inner_->Describe(); }

  RequestCounts counts() const { return counter_.Snapshot(); }

 private:
  std::shared_ptr<ObjectStore> inner_;
  RequestCounter counter_;
};

}  // namespace slatedb::cli
