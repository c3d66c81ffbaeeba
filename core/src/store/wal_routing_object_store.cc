// SPDX-License-Identifier: Apache-2.0
#include "store/wal_routing_object_store.h"

#include <algorithm>
#include <mutex>

namespace slatedb {

void WalRoutingObjectStore::List(const std::string& prefix, const std::string& start_after,
                                 Callback<std::vector<ObjectMeta>> done) {
  if (prefix.compare(0, wal_prefix_.size(), wal_prefix_) == 0) {
    return wal_->List(prefix, start_after, std::move(done));
  }
  if (wal_prefix_.compare(0, prefix.size(), prefix) != 0) {
    return main_->List(prefix, start_after, std::move(done));
  }
  // Both stores hold keys under `prefix`: list each, then answer once with the union.
  struct Merge {
    std::mutex mu;
    int pending = 2;
    Status failed = Status::Ok();
    std::vector<ObjectMeta> metas;
    Callback<std::vector<ObjectMeta>> done;
  };
  auto merge = std::make_shared<Merge>();
  merge->done = std::move(done);
  auto collect = [merge](Result<std::vector<ObjectMeta>> r) {
    bool last;
    {
      std::lock_guard<std::mutex> lock(merge->mu);
      if (!r.ok()) {
        if (merge->failed.ok()) merge->failed = r.status();
      } else {
        for (ObjectMeta& m : *r) merge->metas.push_back(std::move(m));
      }
      last = --merge->pending == 0;
    }
    if (!last) return;
    if (!merge->failed.ok()) return merge->done(merge->failed);
    std::sort(merge->metas.begin(), merge->metas.end(),
              [](const ObjectMeta& a, const ObjectMeta& b) { return a.key < b.key; });
    merge->done(std::move(merge->metas));
  };
  main_->List(prefix, start_after, collect);
  wal_->List(prefix, start_after, collect);
}

std::shared_ptr<ObjectStore> WithWalStore(std::shared_ptr<ObjectStore> main,
                                          std::shared_ptr<ObjectStore> wal,
                                          const std::string& wal_prefix) {
  if (!wal || wal == main) return main;
  return std::make_shared<WalRoutingObjectStore>(std::move(main), std::move(wal), wal_prefix);
}

}  // namespace slatedb
