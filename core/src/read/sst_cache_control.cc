// SPDX-License-Identifier: Apache-2.0
#include "read/sst_cache_control.h"

#include <optional>
#include <utility>

#include "sst/table_store.h"

namespace slatedb {

namespace {

using Kind = RangeBound::Kind;

RangeBound Bound(const std::optional<std::string>& key, bool inclusive) {
  if (!key) return RangeBound{};
  return RangeBound{inclusive ? Kind::kIncluded : Kind::kExcluded, *key};
}

// The tighter of two start bounds (at equal keys an excluded bound admits less).
RangeBound TighterStart(RangeBound a, const RangeBound& b) {
  if (b.kind == Kind::kUnbounded) return a;
  if (a.kind == Kind::kUnbounded || b.key > a.key ||
      (b.key == a.key && b.kind == Kind::kExcluded)) {
    return b;
  }
  return a;
}

RangeBound TighterEnd(RangeBound a, const RangeBound& b) {
  if (b.kind == Kind::kUnbounded) return a;
  if (a.kind == Kind::kUnbounded || b.key < a.key ||
      (b.key == a.key && b.kind == Kind::kExcluded)) {
    return b;
  }
  return a;
}

bool Empty(const RangeBound& start, const RangeBound& end) {
  if (start.kind == Kind::kUnbounded || end.kind == Kind::kUnbounded) return false;
  if (start.key != end.key) return start.key > end.key;
  return start.kind == Kind::kExcluded || end.kind == Kind::kExcluded;
}

struct BlockSpan {
  size_t first = 0;
  size_t last = 0;  // exclusive
};

// The data blocks of `sst` that may hold keys of `target` visible through `view`.
std::optional<BlockSpan> BlocksFor(const SstHandle& sst, const SstRef& view,
                                   const CacheTarget& target) {
  RangeBound start = Bound(target.start, target.start_inclusive);
  RangeBound end = Bound(target.end, target.end_inclusive);
  if (view.visible_range) {
    start = TighterStart(std::move(start), view.visible_range->start);
    end = TighterEnd(std::move(end), view.visible_range->end);
  }
  start = TighterStart(std::move(start), RangeBound{Kind::kIncluded, sst.info.first_entry});
  end = TighterEnd(std::move(end), RangeBound{Kind::kIncluded, sst.info.last_entry});
  if (Empty(start, end)) return std::nullopt;
  const SstIndex& index = sst.index;
  const size_t n = index.num_blocks();
  // Both bounds are set now (the SST's first and last keys at the least).
  BlockSpan span;
  span.first = index.FindBlock(start.key);
  size_t last = index.FindBlock(end.key);
  // An inclusive end may continue into blocks starting with that key (its older versions).
  if (end.kind == Kind::kIncluded) {
    while (last + 1 < n && index.first_key(last + 1) <= std::string_view(end.key)) ++last;
  }
  span.last = std::max(last + 1, span.first + 1);
  return span;
}

std::vector<const SstRef*> ViewsOf(const Manifest* manifest, const std::string& id) {
  std::vector<const SstRef*> views;
  if (manifest == nullptr) return views;
  ForEachSstRef(*manifest, [&](const SstRef& ref) {
    if (ref.id == id) views.push_back(&ref);
  });
  return views;
}

bool Wanted(const std::vector<CacheTarget>& targets, CacheTarget::Kind kind) {
  for (const CacheTarget& t : targets) {
    if (t.kind == kind) return true;
  }
  return false;
}

}  // namespace

Task<Status> WarmSst(std::shared_ptr<ReadTarget> owner, std::string id,
                     std::vector<CacheTarget> targets) {
  if (owner->closed()) co_return owner->status();
  if (targets.empty()) co_return Status::Ok();
  TableStore& tables = owner->table_store();
  StoreClient& client = tables.client();
  const bool in_memory = tables.cache().capacity_bytes() > 0;
  const bool persistent = client.persistent_cache() != nullptr;
  if (!in_memory && !persistent) co_return Status::Ok();
  const std::shared_ptr<const Manifest> manifest = owner->CurrentManifest();
  const std::vector<const SstRef*> views = ViewsOf(manifest.get(), id);
  if (views.empty()) co_return Status::Ok();  // not reachable from this version
  const SstRef& ref = *views.front();
  const SstInfo& info = ref.info;
  const std::string key = tables.ObjectKey(ref);

  // The persistent cache first, so the in-memory loads below read from it.
  if (persistent) {
    std::vector<ObjectByteRange> ranges;
    if (Wanted(targets, CacheTarget::Kind::kFilters) && info.filter_len > 0) {
      ranges.push_back({info.filter_offset, info.filter_len});
    }
    if (Wanted(targets, CacheTarget::Kind::kIndex)) {
      ranges.push_back({info.index_offset, info.index_len});
    }
    if (Wanted(targets, CacheTarget::Kind::kStats) && info.stats_len > 0) {
      ranges.push_back({info.stats_offset, info.stats_len});
    }
    Status warmed = co_await client.WarmCached(key, std::move(ranges));
    if (!warmed.ok()) co_return warmed;
  }
  const bool data = Wanted(targets, CacheTarget::Kind::kData);
  if (!data && !Wanted(targets, CacheTarget::Kind::kFilters) &&
      !Wanted(targets, CacheTarget::Kind::kIndex)) {
    co_return Status::Ok();  // stats only: nothing of them is kept in memory
  }
  // Filter and index come in together; data blocks are planned with the index.
  Result<std::shared_ptr<const SstHandle>> opened = co_await tables.Open(ref);
  if (!opened.ok()) co_return opened.status();
  std::shared_ptr<const SstHandle> sst = *opened;
  if (!data) co_return Status::Ok();
  for (const CacheTarget& target : targets) {
    if (target.kind != CacheTarget::Kind::kData) continue;
    for (const SstRef* view : views) {
      std::optional<BlockSpan> span = BlocksFor(*sst, *view, target);
      if (!span) continue;
      if (persistent) {
        const uint64_t begin = sst->index.block(span->first).offset;
        const BlockHandle tail = sst->index.block(span->last - 1);
        // Named, not braced inside the co_await (g++ 12 double-destroys such temporaries).
        std::vector<ObjectByteRange> bytes{
            ObjectByteRange{begin, tail.offset + tail.length - begin}};
        Status warmed = co_await client.WarmCached(key, std::move(bytes));
        if (!warmed.ok()) co_return warmed;
      }
      Status loaded = co_await tables.LoadIntoCache(sst, span->first, span->last);
      if (!loaded.ok()) co_return loaded;
    }
  }
  co_return Status::Ok();
}

Task<Status> EvictSst(std::shared_ptr<ReadTarget> owner, std::string id) {
  const std::shared_ptr<const Manifest> manifest = owner->CurrentManifest();
  const std::vector<const SstRef*> views = ViewsOf(manifest.get(), id);
  if (owner->closed()) co_return views.empty() ? Status::Ok() : owner->status();
  TableStore& tables = owner->table_store();
  std::optional<std::string> key = tables.Evict(id);
  if (!key) {
    // Not open: the persistent cache may still hold it, under the root the manifest names
    // (this database's own compacted/ for an SST it no longer lists).
    key = views.empty() ? tables.ObjectKey(SstRef::Whole(id, SstInfo{}))
                        : tables.ObjectKey(*views.front());
  }
  co_return co_await tables.client().EvictCached(std::move(*key));
}

}  // namespace slatedb
