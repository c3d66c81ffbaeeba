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
#include <map>
#include <utility>

#include "util/async.h"

#include "read/version_resolver.h"

namespace slatedb {

namespace {

// The SSTs that may hold `key`, in read precedence order.
std::vector<const SstRef*> CandidateSsts(const Manifest& manifest, std::string_view key) {
  std::vector<const SstRef*> out;
  out.reserve(manifest.l0.size() + manifest.sorted_runs.size());
  for (const SstRef& ref : manifest.l0) {
    if (ref.MayHoldKey(key)) out.push_back(&ref);
  }
  for (const SortedRun& run : manifest.sorted_runs) {
    auto it =
        std::lower_bound(run.ssts.begin(), run.ssts.end(), key,
                         [](const SstRef& ref, std::string_view k) { return ref.EndsBefore(k); });
    if (it != run.ssts.end() && it->MayHoldKey(key)) out.push_back(&*it);
  }
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
  std::shared_ptr<const SstHandle> handle;  // the SST being read, once open
  size_t block = 0;                         // next block of `handle` to read
  std::shared_ptr<const SstHandle> opened;  // handle fetched by the async path
  std::shared_ptr<const Block> loaded;      // block fetched by the async path
  Status error;

  void NextSst() {
    handle.reset();
    ++next_sst;
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

namespace {

// The lookups of one round waiting for the same SST handle or the same block.
struct HandleWaiters {
  const SstRef* ref = nullptr;
  std::vector<PointLookup*> lookups;
};
struct BlockWaiters {
  std::shared_ptr<const SstHandle> handle;
  size_t block = 0;
  std::vector<PointLookup*> lookups;
};

Task<Status> OpenFor(TableStore& tables, SstRef ref, std::vector<PointLookup*> lookups) {
  Result<std::shared_ptr<const SstHandle>> h = co_await tables.Open(std::move(ref));
  if (!h.ok()) co_return h.status();
  for (PointLookup* lookup : lookups) lookup->opened = *h;
  co_return Status::Ok();
}

Task<Status> ReadBlockFor(TableStore& tables, std::shared_ptr<const SstHandle> handle, size_t block,
                          std::vector<PointLookup*> lookups) {
  Result<std::shared_ptr<const Block>> b =
      co_await tables.ReadBlock(std::move(handle), block, /*fill_cache=*/true);
  if (!b.ok()) co_return b.status();
  for (PointLookup* lookup : lookups) lookup->loaded = *b;
  co_return Status::Ok();
}

// Runs `tasks`, at most kMultiGetParallelReads at a time; the first error, or OK.
Task<Status> RunReads(std::vector<Task<Status>> tasks) {
  for (size_t begin = 0; begin < tasks.size(); begin += kMultiGetParallelReads) {
    size_t end = std::min(tasks.size(), begin + kMultiGetParallelReads);
    std::vector<Task<Status>> wave;
    wave.reserve(end - begin);
    for (size_t i = begin; i < end; ++i) wave.push_back(std::move(tasks[i]));
    std::vector<Status> done = co_await WhenAll(std::move(wave));
    for (Status& status : done) {
      if (!status.ok()) co_return status;
    }
  }
  co_return Status::Ok();
}

}  // namespace

Task<Result<std::vector<std::optional<std::string>>>> MultiGetInView(
    std::shared_ptr<ReadTarget> target, ReadView view, std::vector<std::string> keys) {
  TableStore& tables = target->table_store();
  // Distinct keys in sorted order, and where each caller's key went.
  std::vector<size_t> order(keys.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&keys](size_t a, size_t b) { return keys[a] < keys[b]; });
  std::vector<std::string_view> distinct;
  std::vector<size_t> slot_of(keys.size());
  for (size_t i : order) {
    if (distinct.empty() || distinct.back() != keys[i]) distinct.push_back(keys[i]);
    slot_of[i] = distinct.size() - 1;
  }
  // `keys` is not touched again until the end, so the views stay valid.
  // Reserved once and never grown: the waiter lists below point into it.
  std::vector<PointLookup> lookups;
  lookups.reserve(distinct.size());
  for (std::string_view key : distinct) lookups.emplace_back(key, view);
  std::vector<std::optional<std::string>> values(distinct.size());
  std::vector<size_t> pending(distinct.size());
  for (size_t i = 0; i < pending.size(); ++i) pending[i] = i;

  while (!pending.empty()) {
    // Advance every unfinished lookup as far as memory allows; gather what they wait for.
    std::map<std::string_view, HandleWaiters> handles;
    std::map<std::pair<uint64_t, size_t>, BlockWaiters> blocks;
    std::vector<size_t> still;
    for (size_t i : pending) {
      PointLookup& lookup = lookups[i];
      PointLookup::Step step = lookup.Advance(view, tables);
      if (step == PointLookup::Step::kError) co_return lookup.error;
      if (step == PointLookup::Step::kDone) {
        Result<std::optional<std::string>> value =
            lookup.resolver.Finish(lookup.key, target->merge_operator());
        if (!value.ok()) co_return value.status();
        values[i] = std::move(*value);
        continue;
      }
      still.push_back(i);
      if (step == PointLookup::Step::kNeedHandle) {
        const SstRef* ref = lookup.ssts[lookup.next_sst];
        HandleWaiters& w = handles[ref->id];
        w.ref = ref;
        w.lookups.push_back(&lookup);
      } else {
        BlockWaiters& w = blocks[{lookup.handle->cache_id, lookup.block}];
        w.handle = lookup.handle;
        w.block = lookup.block;
        w.lookups.push_back(&lookup);
      }
    }
    pending = std::move(still);
    if (pending.empty()) break;
    std::vector<Task<Status>> reads;
    reads.reserve(handles.size() + blocks.size());
    for (auto& [id, w] : handles) reads.push_back(OpenFor(tables, *w.ref, std::move(w.lookups)));
    for (auto& [where, w] : blocks) {
      reads.push_back(ReadBlockFor(tables, std::move(w.handle), w.block, std::move(w.lookups)));
    }
    Status fetched = co_await RunReads(std::move(reads));
    if (!fetched.ok()) co_return fetched;
  }

  // Each value moves to its last place and is copied to any earlier ones (duplicates).
  std::vector<size_t> uses(distinct.size(), 0);
  for (size_t slot : slot_of) ++uses[slot];
  std::vector<std::optional<std::string>> out(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    size_t slot = slot_of[i];
    if (--uses[slot] == 0) {
      out[i] = std::move(values[slot]);
    } else {
      out[i] = values[slot];
    }
  }
  co_return out;
}

}  // namespace slatedb
