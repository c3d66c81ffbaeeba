// SPDX-License-Identifier: Apache-2.0
//
// Point reads over a ReadView. Sources are consulted newest first: the memtables, L0 SSTs
// (newest first), then one SST per sorted run. Every SST is checked against its key range
// and bloom filter before any block is read.
//
// The lookup is a resumable state machine (PointLookup) advanced synchronously until it
// needs an SST handle or a block that is not in memory. TryGetInView stops there; GetInView
// awaits the I/O and continues, so a read answered from memory never suspends.
#include "read/point_lookup.h"

#include <algorithm>
#include <utility>

#include "util/async.h"

#include "manifest/segment_set.h"
#include "read/version_resolver.h"

namespace slatedb {

namespace {

// The SSTs that may hold `key`, in read precedence order: those of the root tree, then those
// of the key's segment (segments own disjoint key intervals, so at most one can hold it).
std::vector<const SstRef*> CandidateSsts(const Manifest& manifest, std::string_view key) {
  std::vector<const SstRef*> out;
  auto tree = [&](const std::vector<SstRef>& l0, const std::vector<SortedRun>& runs) {
    for (const SstRef& ref : l0) {
      if (ref.MayHoldKey(key)) out.push_back(&ref);
    }
    for (const SortedRun& run : runs) {
      auto it =
          std::lower_bound(run.ssts.begin(), run.ssts.end(), key,
                           [](const SstRef& ref, std::string_view k) { return ref.EndsBefore(k); });
      if (it != run.ssts.end() && it->MayHoldKey(key)) out.push_back(&*it);
    }
  };
  tree(manifest.l0, manifest.sorted_runs);
  if (const Segment* segment = FindSegment(manifest, key)) tree(segment->l0, segment->sorted_runs);
  return out;
}

}  // namespace

struct PointLookup {
  enum class Step { kDone, kNeedHandle, kNeedBlock, kError };

  PointLookup(std::string_view k, const ReadView& view)
      : key(k), resolver(view.max_seq, view.clock, view.tick_floor) {}

  std::string_view key;
  VersionResolver resolver;
  bool memtables_done = false;
  std::vector<const SstRef*> ssts;
  size_t next_sst = 0;
  std::shared_ptr<const SstHandle> handle;   // the SST being read, once open
  size_t block = 0;                          // next block of `handle` to read
  std::shared_ptr<const SstHandle> opened;   // handle fetched by the async path
  std::shared_ptr<const Block> loaded;       // block fetched by the async path
  std::shared_ptr<const Block> loaded_next;  // block + 1 of `handle`, fetched with `loaded`
  Status error;

  void NextSst() {
    handle.reset();
    loaded_next.reset();
    ++next_sst;
  }

  // Whether the versions of `key` may span blocks `block` and `block + 1` of `handle`: the
  // index keeps only each block's first key, so a key the next block starts with may also
  // end this one.
  bool KeyMayContinue() const {
    return block + 1 < handle->index.num_blocks() && handle->index.first_key(block + 1) == key;
  }

  Step Advance(const ReadView& view, TableStore& tables) {
    if (!memtables_done) {
      for (const auto& table : *view.memtables) {
        bool done = false;
        table->ForEachVersion(key, view.max_seq, [&](const RowView& row) {
          done = resolver.Add(row);
          return !done;
        });
        if (done) return Step::kDone;
      }
      memtables_done = true;
      ssts = CandidateSsts(*view.manifest, key);
    }
    for (;;) {
      if (!handle) {
        if (next_sst >= ssts.size()) return Step::kDone;
        const SstRef& ref = *ssts[next_sst];
        if (opened && opened->id == ref.id) {
          handle = std::move(opened);
        } else {
          handle = tables.TryGetOpen(ref.id);
          if (!handle) return Step::kNeedHandle;
        }
        if (!handle->MayContain(key)) {
          NextSst();
          continue;
        }
        block = handle->index.FindBlock(key);
      }
      if (block >= handle->index.num_blocks()) {
        NextSst();
        continue;
      }
      std::shared_ptr<const Block> data = std::move(loaded);
      if (!data && loaded_next != nullptr) {
        // Only ever consulted for the block after the one it was fetched with.
        data = std::move(loaded_next);
      }
      if (!data) data = tables.TryGetBlock(*handle, block);
      if (!data) return Step::kNeedBlock;
      Block::Iterator it(data.get());
      bool more_in_next_block = true;
      for (it.Seek(key); it.Valid(); it.Next()) {
        RowView row = it.row();
        if (row.key != key) {
          more_in_next_block = false;
          break;
        }
        if (resolver.Add(row)) return Step::kDone;
      }
      if (!it.status().ok()) {
        error = it.status().WithContext("SST " + handle->id);
        return Step::kError;
      }
      ++block;
      // Versions of one key may continue into the next block only if it starts with it.
      if (!more_in_next_block || block >= handle->index.num_blocks() ||
          handle->index.first_key(block) != key) {
        NextSst();
      }
    }
  }
};

bool TryGetInView(const ReadView& view, std::string_view key, TableStore& tables,
                  const MergeOperator& merge, Result<std::optional<std::string>>* out) {
  PointLookup lookup(key, view);
  switch (lookup.Advance(view, tables)) {
    case PointLookup::Step::kDone:
      *out = lookup.resolver.Finish(key, merge);
      return true;
    case PointLookup::Step::kError:
      *out = lookup.error;
      return true;
    default:
      return false;
  }
}

namespace {

// Performs the I/O a lookup stopped at (kNeedHandle or kNeedBlock) so Advance can go on.
Task<Status> FetchForLookup(TableStore& tables, PointLookup& lookup, PointLookup::Step step) {
  if (step == PointLookup::Step::kNeedHandle) {
    Result<std::shared_ptr<const SstHandle>> h =
        co_await tables.Open(*lookup.ssts[lookup.next_sst]);
    if (!h.ok()) co_return h.status();
    lookup.opened = std::move(*h);
  } else if (lookup.KeyMayContinue()) {
    Result<std::shared_ptr<const Block>> b = co_await tables.ReadBlockWithNext(
        lookup.handle, lookup.block, /*fill_cache=*/true, &lookup.loaded_next);
    if (!b.ok()) co_return b.status();
    lookup.loaded = std::move(*b);
  } else {
    Result<std::shared_ptr<const Block>> b =
        co_await tables.ReadBlock(lookup.handle, lookup.block, /*fill_cache=*/true);
    if (!b.ok()) co_return b.status();
    lookup.loaded = std::move(*b);
  }
  co_return Status::Ok();
}

}  // namespace

Task<Result<std::optional<std::string>>> GetInView(std::shared_ptr<ReadTarget> target,
                                                   ReadView view, std::string key) {
  TableStore& tables = target->table_store();
  PointLookup lookup(key, view);
  for (;;) {
    PointLookup::Step step = lookup.Advance(view, tables);
    if (step == PointLookup::Step::kDone)
      co_return lookup.resolver.Finish(key, target->merge_operator());
    if (step == PointLookup::Step::kError) co_return lookup.error;
    Status fetched = co_await FetchForLookup(tables, lookup, step);
    if (!fetched.ok()) co_return fetched;
  }
}

Task<Result<std::optional<KeyValueRow>>> GetKeyValueInView(std::shared_ptr<ReadTarget> target,
                                                           ReadView view, std::string key) {
  TableStore& tables = target->table_store();
  PointLookup lookup(key, view);
  for (;;) {
    PointLookup::Step step = lookup.Advance(view, tables);
    if (step == PointLookup::Step::kError) co_return lookup.error;
    if (step == PointLookup::Step::kDone) break;
    Status fetched = co_await FetchForLookup(tables, lookup, step);
    if (!fetched.ok()) co_return fetched;
  }
  // Read before Finish, which consumes the resolver's state.
  std::optional<VersionMeta> meta = lookup.resolver.newest_visible();
  Result<std::optional<std::string>> value = lookup.resolver.Finish(key, target->merge_operator());
  if (!value.ok()) co_return value.status();
  if (!value->has_value() || !meta) co_return std::optional<KeyValueRow>();
  KeyValueRow row;
  row.key = std::move(key);
  row.value = std::move(**value);
  row.seq = meta->seq;
  row.create_ts = meta->create_ts == kNoTimestamp ? 0 : meta->create_ts;
  if (meta->expire_ts != kNoTimestamp) row.expire_ts = meta->expire_ts;
  co_return std::optional<KeyValueRow>(std::move(row));
}

}  // namespace slatedb
