// SPDX-License-Identifier: Apache-2.0
//
// WalRoutingObjectStore: one database over two stores, its WAL objects (`<path>/wal/...`) in
// one and everything else (manifests, SSTs, compactions) in the other, as a database opened
// with a separate WAL store keeps them (DbOptions::wal_object_store). The engine sees one
// store, so every component that reads, writes, lists or collects WAL objects (the writer,
// replay, readers, GC, clones, deletion) reaches the right one without knowing there are two.
#pragma once

#include <memory>
#include <string>

#include "slatedb/object_store.h"

namespace slatedb {

class WalRoutingObjectStore final : public ObjectStore {
 public:
  // `wal_prefix`: the key prefix of the WAL objects (DbPaths::WalDir()).
  WalRoutingObjectStore(std::shared_ptr<ObjectStore> main, std::shared_ptr<ObjectStore> wal,
                        std::string wal_prefix)
      : main_(std::move(main)), wal_(std::move(wal)), wal_prefix_(std::move(wal_prefix)) {}

  void Get(const std::string& key, Callback<std::string> done) override {
    StoreFor(key).Get(key, std::move(done));
  }
  void GetRange(const std::string& key, uint64_t offset, uint64_t length,
                Callback<std::string> done) override {
    StoreFor(key).GetRange(key, offset, length, std::move(done));
  }
  void Head(const std::string& key, Callback<ObjectMeta> done) override {
    StoreFor(key).Head(key, std::move(done));
  }
  void Put(const std::string& key, std::string data, const ObjectPutOptions& options,
           Callback<ObjectMeta> done) override {
    StoreFor(key).Put(key, std::move(data), options, std::move(done));
  }
  void Delete(const std::string& key, StatusCallback done) override {
    StoreFor(key).Delete(key, std::move(done));
  }
  // A listing inside the WAL prefix goes to the WAL store; one that contains it (the
  // database's root) merges both stores' answers in key order.
  void List(const std::string& prefix, const std::string& start_after,
            Callback<std::vector<ObjectMeta>> done) override;

  std::string Describe() const override {
    return main_->Describe() + " (WAL in " + wal_->Describe() + ")";
  }
  ObjectStoreCache* cache() override { return main_->cache(); }

 private:
  ObjectStore& StoreFor(const std::string& key) {
    return key.compare(0, wal_prefix_.size(), wal_prefix_) == 0 ? *wal_ : *main_;
  }

  std::shared_ptr<ObjectStore> main_;
  std::shared_ptr<ObjectStore> wal_;
  std::string wal_prefix_;
};

// `main` itself when `wal` is null, else the two routed by `wal_prefix`.
std::shared_ptr<ObjectStore> WithWalStore(std::shared_ptr<ObjectStore> main,
                                          std::shared_ptr<ObjectStore> wal,
                                          const std::string& wal_prefix);

}  // namespace slatedb
