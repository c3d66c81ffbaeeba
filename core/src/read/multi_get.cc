// SPDX-License-Identifier: Apache-2.0
//
// MultiGetInView: many point reads over one ReadView, answered as GetInView answers each, with
// the work shared. The distinct keys are sorted once; then the sources are visited in read
// precedence order (the memtables, each L0 SST newest first, each sorted run, then the
// segments' trees), each source once for all keys it may hold, walking its SSTs, blocks and
// rows forward in key order:
//   - a sorted run's SST for the next key is found by moving forward, not by a search;
//   - an SST handle and a data block are looked up once per stretch of keys that fall in it
//     (not once per key), and stay pinned while the walk is in them;
//   - inside a block, the search for the next key continues from where the last one ended
//     (Block::Iterator::SeekForward);
// so consecutive keys in one block cost about a row decode each. A key's versions are fed to
// its VersionResolver newest first, exactly as PointLookup feeds them, and a resolved key
// takes no part in later sources.
//
// I/O: a pass over a source records what it found missing (SST handles, blocks) instead of
// waiting, and goes on with the other keys; the misses are then fetched together (up to
// kMultiGetParallelReads at once) and kept for this call, and the keys that waited are walked
// again. A key whose versions continue into a block that is missing resumes at that block.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "manifest/segment_set.h"
#include "read/point_lookup.h"
#include "read/version_resolver.h"
#include "util/async.h"

namespace slatedb {

namespace {

// The caller's keys in ascending order, each distinct key once.
struct SortedKeys {
  // Views into `arena`, which holds the distinct keys back to back in ascending order: the
  // walks read keys in that order, and the caller's strings lie scattered in memory (one
  // cache miss per key when first touched, each one stalling the walk; the copy below takes
  // them in a loop of independent loads, which the CPU overlaps).
  std::vector<std::string_view> distinct;
  // Not a std::string: a short one keeps its bytes inside itself, and moving SortedKeys
  // would leave the views pointing into the old object.
  std::unique_ptr<char[]> arena;
  std::vector<size_t> slot_of;  // caller's index -> index into distinct
};

SortedKeys SortKeys(const std::vector<std::string>& keys) {
  // Comparisons go by 8 bytes loaded as one big-endian integer from just past the prefix all
  // keys share (keys often share a long one); only ties compare the whole keys.
  size_t common = keys.empty() ? 0 : keys[0].size();
  for (const std::string& k : keys) {
    common = std::min(common, k.size());
    common = static_cast<size_t>(
        std::mismatch(k.begin(), k.begin() + static_cast<ptrdiff_t>(common), keys[0].begin())
            .first -
        k.begin());
  }
  struct Entry {
    uint64_t prefix;
    size_t index;
  };
  std::vector<Entry> entries(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    uint64_t prefix = 0;
    const std::string& k = keys[i];
    for (size_t b = 0; b < 8; ++b) {
      const size_t at = common + b;
      prefix = (prefix << 8) | (at < k.size() ? static_cast<unsigned char>(k[at]) : 0u);
    }
    entries[i] = Entry{prefix, i};
  }
  std::sort(entries.begin(), entries.end(), [&keys](const Entry& a, const Entry& b) {
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    return keys[a.index] < keys[b.index];
  });
  SortedKeys out;
  out.slot_of.resize(keys.size());
  // First the distinct keys' positions in `keys`, then the same keys copied into the arena.
  std::vector<size_t> distinct_index;
  distinct_index.reserve(keys.size());
  size_t arena_bytes = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    const Entry& e = entries[i];
    // Different prefixes are different keys; only equal ones need the whole comparison.
    if (i == 0 || entries[i - 1].prefix != e.prefix ||
        keys[distinct_index.back()] != keys[e.index]) {
      distinct_index.push_back(e.index);
      arena_bytes += keys[e.index].size();
    }
    out.slot_of[e.index] = distinct_index.size() - 1;
  }
  out.arena.reset(new char[arena_bytes]);
  out.distinct.reserve(distinct_index.size());
  char* at = out.arena.get();
  for (size_t index : distinct_index) {
    const std::string& k = keys[index];
    std::memcpy(at, k.data(), k.size());
    out.distinct.emplace_back(at, k.size());
    at += k.size();
  }
  return out;
}

constexpr size_t kFresh = SIZE_MAX;

// A key still to be walked through the current source; `resume_block` is kFresh, or the block
// its versions continue into (its newer versions were already fed).
struct Pending {
  size_t key;
  size_t resume_block;
};

// SST handles and blocks this call fetched, held so that a retry finds them even if the
// table store's cache dropped them meanwhile.
struct Fetched {
  std::unordered_map<std::string, std::shared_ptr<const SstHandle>> handles;
  std::map<std::pair<uint64_t, size_t>, std::shared_ptr<const Block>> blocks;
};

// What one pass over a source found missing.
struct Misses {
  std::map<std::string, const SstRef*> opens;  // by SST id
  std::map<std::pair<uint64_t, size_t>, std::shared_ptr<const SstHandle>> blocks;
  bool empty() const { return opens.empty() && blocks.empty(); }
};

// One forward pass over one source: `ssts` sorted and disjoint (a sorted run, or one L0
// SST). Keys must be visited in ascending order.
class SourceWalk {
 public:
  enum class Outcome { kFed, kNeedOpen, kNeedBlock, kError };

  SourceWalk(const SstRef* ssts, size_t count, TableStore& tables, const Fetched& fetched)
      : ssts_(ssts), count_(count), tables_(tables), fetched_(fetched) {}

  // Feeds `resolver` the versions of `key` in this source (newest first, until it resolves).
  // kNeedOpen: missing_ref() is not open. kNeedBlock: block missing_block() of handle() is
  // not in memory; *resume_block says where the key goes on (kFresh: from the start).
  Outcome Visit(std::string_view key, VersionResolver& resolver, size_t* resume_block) {
    while (pos_ < count_ && ssts_[pos_].EndsBefore(key)) ++pos_;
    if (pos_ == count_) return Outcome::kFed;
    if (ref_ != &ssts_[pos_]) {
      ref_ = &ssts_[pos_];
      entered_ = false;
      handle_ = FindHandle(ref_->id);
      block_index_ = kFresh;
      block_.reset();
      iter_.reset();
    }
    // Once a key is past the SST's lower bounds, so is every later one: only the upper
    // bounds (EndsBefore, above) remain to check.
    if (!entered_) {
      if (!ref_->MayHoldKey(key)) return Outcome::kFed;
      entered_ = true;
    }
    if (!handle_) return Outcome::kNeedOpen;
    const SstIndex& index = handle_->index;
    size_t b = *resume_block;
    if (b == kFresh) {
      // The filters only: the SST's key range is within the bounds checked above.
      if (!handle_->filters.MayMatchPoint(key)) return Outcome::kFed;
      b = FindBlockFrom(index, key);
    }
    for (;;) {
      if (b != block_index_) {
        block_index_ = b;
        iter_.reset();
        block_ = FindBlock(b);
        if (block_) iter_.emplace(block_.get());
      }
      if (!block_) return Outcome::kNeedBlock;
      // A fresh iterator has no position to continue from.
      if (iter_->Valid()) {
        iter_->SeekForward(key);
      } else {
        iter_->Seek(key);
      }
      bool more_in_next_block = true;
      for (; iter_->Valid(); iter_->Next()) {
        RowView row = iter_->row();
        if (row.key != key) {
          more_in_next_block = false;
          break;
        }
        if (resolver.Add(row)) return Outcome::kFed;
      }
      if (!iter_->status().ok()) {
        error_ = iter_->status().WithContext("SST " + handle_->id);
        return Outcome::kError;
      }
      // Versions of one key may continue into the next block only if it starts with it.
      ++b;
      if (!more_in_next_block || b >= index.num_blocks() || index.first_key(b) != key) {
        return Outcome::kFed;
      }
      *resume_block = b;
    }
  }

  const SstRef* missing_ref() const { return ref_; }
  const std::shared_ptr<const SstHandle>& handle() const { return handle_; }
  size_t missing_block() const { return block_index_; }
  const Status& error() const { return error_; }

 private:
  std::shared_ptr<const SstHandle> FindHandle(const std::string& id) const {
    auto it = fetched_.handles.find(id);
    if (it != fetched_.handles.end()) return it->second;
    return tables_.TryGetOpen(id);
  }

  std::shared_ptr<const Block> FindBlock(size_t b) const {
    auto it = fetched_.blocks.find({handle_->cache_id, b});
    if (it != fetched_.blocks.end()) return it->second;
    return tables_.TryGetBlock(*handle_, b);
  }

  // SstIndex::FindBlock for a key >= every key this walk visited in the current SST: the
  // answer is at or after the current block, most often the current block or the next.
  size_t FindBlockFrom(const SstIndex& index, std::string_view key) const {
    if (block_index_ == kFresh) return index.FindBlock(key);
    const size_t n = index.num_blocks();
    // The first block after the current one whose index key is >= key; the one before it
    // is the answer.
    size_t lo = block_index_ + 1, hi = n;
    if (lo < n && index.first_key(lo).compare(key) >= 0) return block_index_;
    while (lo < hi) {
      const size_t mid = lo + (hi - lo) / 2;
      if (index.first_key(mid).compare(key) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo - 1;
  }

  const SstRef* ssts_;
  size_t count_;
  TableStore& tables_;
  const Fetched& fetched_;
  size_t pos_ = 0;
  const SstRef* ref_ = nullptr;
  bool entered_ = false;  // a key of this walk passed ref_'s lower bounds
  std::shared_ptr<const SstHandle> handle_;
  size_t block_index_ = kFresh;
  std::shared_ptr<const Block> block_;
  std::optional<Block::Iterator> iter_;
  Status error_;
};

// The reads run concurrently (possibly on several threads), so each writes only its own slot.
Task<Status> OpenInto(TableStore& tables, SstRef ref, std::shared_ptr<const SstHandle>* slot) {
  Result<std::shared_ptr<const SstHandle>> h = co_await tables.Open(std::move(ref));
  if (!h.ok()) co_return h.status();
  *slot = std::move(*h);
  co_return Status::Ok();
}

Task<Status> ReadBlockInto(TableStore& tables, std::shared_ptr<const SstHandle> handle,
                           size_t block, std::shared_ptr<const Block>* slot) {
  Result<std::shared_ptr<const Block>> b =
      co_await tables.ReadBlock(std::move(handle), block, /*fill_cache=*/true);
  if (!b.ok()) co_return b.status();
  *slot = std::move(*b);
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

// The state of one MultiGetInView call. Most keys resolve within one source (a value or a
// tombstone), so keys share one scratch VersionResolver, reset per key; only a key left
// with merge operands after a source keeps its own (partial_) until it resolves or the
// sources run out. A key's value is settled as soon as it resolves.
class MultiGet {
 public:
  MultiGet(std::shared_ptr<ReadTarget> target, ReadView view, std::vector<std::string> keys)
      : target_(std::move(target)),
        tables_(target_->table_store()),
        view_(std::move(view)),
        key_count_(keys.size()),
        sorted_(SortKeys(keys)),
        values_(sorted_.distinct.size()),
        scratch_(view_.max_seq, view_.clock, view_.tick_floor) {}

  Task<Result<std::vector<std::optional<std::string>>>> Run() {
    std::vector<size_t> active;
    Status s = ReadMemtables(&active);
    if (!s.ok()) co_return s;
    const Manifest& manifest = *view_.manifest;
    s = co_await WalkTree(manifest.l0, manifest.sorted_runs, active);
    if (!s.ok()) co_return s;
    if (!manifest.segments.empty() && !active.empty()) {
      // Segments own disjoint key intervals: each remaining key goes on in its own segment's
      // tree, if it has one.
      std::map<const Segment*, std::vector<size_t>> by_segment;
      for (size_t k : active) {
        if (const Segment* segment = FindSegment(manifest, sorted_.distinct[k])) {
          by_segment[segment].push_back(k);
        }
      }
      for (auto& entry : by_segment) {
        s = co_await WalkTree(entry.first->l0, entry.first->sorted_runs, entry.second);
        if (!s.ok()) co_return s;
      }
    }
    // Keys still holding operands: no older version exists.
    for (auto& entry : partial_) {
      s = Settle(entry.first, entry.second, /*last=*/true);
      if (!s.ok()) co_return s;
    }
    co_return Answer();
  }

 private:
  // The resolver to feed key `k` with: its own if it has operands pending, else the scratch
  // one, reset.
  VersionResolver& ResolverFor(size_t k) {
    if (!partial_.empty()) {
      auto it = partial_.find(k);
      if (it != partial_.end()) return it->second;
    }
    scratch_.Reset();
    return scratch_;
  }

  // After feeding key `k`: a resolved key gets its value; operands still waiting for older
  // versions move to partial_ (`last`: there are none, resolve now).
  Status Settle(size_t k, VersionResolver& resolver, bool last = false) {
    if (resolver.resolved() || last) {
      Result<std::optional<std::string>> value =
          resolver.Finish(sorted_.distinct[k], target_->merge_operator());
      if (!value.ok()) return value.status();
      values_[k] = std::move(*value);
      if (!last && &resolver != &scratch_) partial_.erase(k);  // `resolver` dies here
      return Status::Ok();
    }
    if (&resolver == &scratch_ && scratch_.has_visible()) {
      partial_.emplace(k, std::move(scratch_));
    }
    return Status::Ok();
  }

  // Feeds every key its memtable versions; *active: the keys left unresolved, ascending.
  Status ReadMemtables(std::vector<size_t>* active) {
    std::vector<const Memtable*> tables;
    for (const auto& table : *view_.memtables) {
      // A row this view may see was added before the view was taken, so an empty memtable
      // has none.
      if (!table->empty()) tables.push_back(table.get());
    }
    active->reserve(sorted_.distinct.size());
    for (size_t k = 0; k < sorted_.distinct.size(); ++k) {
      if (tables.empty()) {
        active->push_back(k);
        continue;
      }
      std::string_view key = sorted_.distinct[k];
      VersionResolver& resolver = ResolverFor(k);
      bool done = false;
      for (const Memtable* table : tables) {
        table->ForEachVersion(key, view_.max_seq, [&](const RowView& row) {
          done = resolver.Add(row);
          return !done;
        });
        if (done) break;
      }
      SLATEDB_RETURN_IF_ERROR(Settle(k, resolver));
      if (!done) active->push_back(k);
    }
    return Status::Ok();
  }

  Task<Status> WalkTree(const std::vector<SstRef>& l0, const std::vector<SortedRun>& runs,
                        std::vector<size_t>& active) {
    for (const SstRef& ref : l0) {
      if (active.empty()) co_return Status::Ok();
      Status s = co_await WalkSource(&ref, 1, active);
      if (!s.ok()) co_return s;
    }
    for (const SortedRun& run : runs) {
      if (active.empty()) co_return Status::Ok();
      Status s = co_await WalkSource(run.ssts.data(), run.ssts.size(), active);
      if (!s.ok()) co_return s;
    }
    co_return Status::Ok();
  }

  // Walks every key of `active` through one source; drops the keys it resolves.
  Task<Status> WalkSource(const SstRef* ssts, size_t count, std::vector<size_t>& active) {
    std::vector<Pending> todo;
    todo.reserve(active.size());
    for (size_t k : active) todo.push_back(Pending{k, kFresh});
    std::vector<size_t> still;  // unresolved after this source, ascending
    still.reserve(active.size());
    while (!todo.empty()) {
      SourceWalk walk(ssts, count, tables_, fetched_);
      Misses misses;
      std::vector<Pending> waiting;
      for (Pending& p : todo) {
        VersionResolver& resolver = ResolverFor(p.key);
        SourceWalk::Outcome outcome =
            walk.Visit(sorted_.distinct[p.key], resolver, &p.resume_block);
        if (outcome == SourceWalk::Outcome::kError) co_return walk.error();
        const bool resolved = resolver.resolved();
        Status settled = Settle(p.key, resolver);
        if (!settled.ok()) co_return settled;
        if (outcome == SourceWalk::Outcome::kFed) {
          if (!resolved) still.push_back(p.key);
          continue;
        }
        if (outcome == SourceWalk::Outcome::kNeedOpen) {
          misses.opens.emplace(walk.missing_ref()->id, walk.missing_ref());
        } else {
          misses.blocks.emplace(std::make_pair(walk.handle()->cache_id, walk.missing_block()),
                                walk.handle());
        }
        waiting.push_back(p);
      }
      if (misses.empty()) break;
      Status fetched = co_await Fetch(std::move(misses));
      if (!fetched.ok()) co_return fetched;
      todo = std::move(waiting);
    }
    // Keys that waited were walked again later in the pass order: restore ascending order.
    std::sort(still.begin(), still.end());
    active = std::move(still);
    // Later sources are other SSTs: what this one fetched is not needed again.
    fetched_.handles.clear();
    fetched_.blocks.clear();
    co_return Status::Ok();
  }

  // Opens and reads what a pass found missing, all at once, into fetched_.
  Task<Status> Fetch(Misses misses) {
    std::vector<std::shared_ptr<const SstHandle>> handles(misses.opens.size());
    std::vector<std::shared_ptr<const Block>> blocks(misses.blocks.size());
    std::vector<Task<Status>> reads;
    reads.reserve(handles.size() + blocks.size());
    size_t i = 0;
    for (auto& [id, ref] : misses.opens) reads.push_back(OpenInto(tables_, *ref, &handles[i++]));
    i = 0;
    for (auto& [where, handle] : misses.blocks) {
      reads.push_back(ReadBlockInto(tables_, handle, where.second, &blocks[i++]));
    }
    Status status = co_await RunReads(std::move(reads));
    if (!status.ok()) co_return status;
    i = 0;
    for (auto& [id, ref] : misses.opens) fetched_.handles[id] = std::move(handles[i++]);
    i = 0;
    for (auto& [where, handle] : misses.blocks) fetched_.blocks[where] = std::move(blocks[i++]);
    co_return Status::Ok();
  }

  // Each key's value in the caller's order. values_ is filled in key order as the walks go
  // (settling each key straight into its caller's place made every settle a cache miss);
  // this loop of independent moves reorders it. A value moves to its last place and is
  // copied to any earlier ones (duplicates).
  std::vector<std::optional<std::string>> Answer() {
    std::vector<std::optional<std::string>> out(key_count_);
    if (values_.size() == key_count_) {  // no duplicates
      for (size_t i = 0; i < key_count_; ++i) out[i] = std::move(values_[sorted_.slot_of[i]]);
      return out;
    }
    std::vector<size_t> uses(values_.size(), 0);
    for (size_t slot : sorted_.slot_of) ++uses[slot];
    for (size_t i = 0; i < key_count_; ++i) {
      const size_t slot = sorted_.slot_of[i];
      if (--uses[slot] == 0) {
        out[i] = std::move(values_[slot]);
      } else {
        out[i] = values_[slot];
      }
    }
    return out;
  }

  std::shared_ptr<ReadTarget> target_;
  TableStore& tables_;
  ReadView view_;
  size_t key_count_;  // how many keys the caller gave
  SortedKeys sorted_;
  std::vector<std::optional<std::string>> values_;  // per distinct key, once settled
  VersionResolver scratch_;
  std::unordered_map<size_t, VersionResolver> partial_;
  Fetched fetched_;
};

}  // namespace

Task<Result<std::vector<std::optional<std::string>>>> MultiGetInView(
    std::shared_ptr<ReadTarget> target, ReadView view, std::vector<std::string> keys) {
  MultiGet state(std::move(target), std::move(view), std::move(keys));
  co_return co_await state.Run();
}

}  // namespace slatedb
