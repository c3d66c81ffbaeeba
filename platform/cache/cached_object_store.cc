// SPDX-License-Identifier: Apache-2.0
//
// CachedObjectStore: how a read of a cacheable key runs.
//  1. Plan the parts [p0, p1] the range touches (p1 capped at the object's last part when
//     the cache knows it). Reads spanning very many parts, or reaching to an unknown end,
//     go to the inner store as one request (ReadSpan) and are cached from its answer.
//  2. Each part on disk is read (only the checksummed chunks the range needs).
//  3. Each missing part joins a fetch already in flight for it, or is fetched; adjacent
//     missing parts share one range request. A fetched part is handed to every read
//     waiting for it, then written to disk (unless the object was rewritten or evicted
//     meanwhile: its generation moved).
//  4. When every part is there, the answer is cut from them. If the object's generation
//     moved while the read ran, the read is redone against the inner store, so a read never
//     mixes parts of two versions of a rewritten object.
#include "slatedb/platform/cached_object_store.h"

#include <algorithm>
#include <limits>

#include "cache/disk_cache.h"
#include "slatedb/sst_cache.h"

namespace slatedb {

namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
// A read planned over more parts than this goes to the inner store as one request.
constexpr uint64_t kMaxPlannedParts = 1024;

uint64_t SaturatingAdd(uint64_t a, uint64_t b) { return b > kMax - a ? kMax : a + b; }

Status BeyondEnd(const std::string& key, uint64_t offset) {
  return Status::Invalid("cached store: range offset " + std::to_string(offset) +
                         " beyond the end of '" + key + "'");
}

}  // namespace

bool IsImmutableSstKey(std::string_view key) {
  constexpr std::string_view kSuffix = ".sst";
  constexpr std::string_view kDir = "compacted";
  size_t slash = key.rfind('/');
  std::string_view leaf = slash == std::string_view::npos ? key : key.substr(slash + 1);
  if (slash == std::string_view::npos || leaf.size() <= kSuffix.size() ||
      leaf.substr(leaf.size() - kSuffix.size()) != kSuffix) {
    return false;
  }
  std::string_view dirs = key.substr(0, slash);
  size_t prev = dirs.rfind('/');
  std::string_view parent = prev == std::string_view::npos ? dirs : dirs.substr(prev + 1);
  return parent == kDir;
}

// One part as a read sees it.
struct CachedObjectStore::Piece {
  Status status;
  std::shared_ptr<const std::string> buf;
  size_t pos = 0;            // where part byte `start` is in *buf
  uint64_t start = 0;        // first part byte held
  uint64_t part_length = 0;  // the part's whole length
  bool last = false;         // the object ends in this part
  bool beyond_end = false;   // the object ends before this part
  bool from_disk = false;
};

// One part being fetched, and the reads waiting for it.
struct CachedObjectStore::Fetch {
  std::vector<std::pair<std::shared_ptr<Gather>, size_t>> waiters;
  bool resolved = false;
  Piece piece;  // once resolved, for reads that join late
};

// One read in progress.
struct CachedObjectStore::Gather {
  std::string key, identity;
  uint64_t offset = 0, length = 0, end = 0;
  uint64_t first_part = 0;
  uint64_t generation = 0;
  std::vector<Piece> pieces;
  std::mutex mu;
  size_t pending = 0;
  bool missed = false;
  Callback<std::string> done;
};

Result<std::shared_ptr<CachedObjectStore>> CachedObjectStore::Open(
    std::shared_ptr<ObjectStore> inner, ObjectStoreCacheOptions options) {
  if (!inner) return Status::Invalid("object store cache: no inner store");
  if (options.part_size_bytes == 0) {
    return Status::Invalid("object store cache: part_size_bytes must be positive");
  }
  if (options.part_size_bytes > options.max_cache_size_bytes) {
    return Status::Invalid(
        "object store cache: part_size_bytes (" + std::to_string(options.part_size_bytes) +
        ") exceeds max_cache_size_bytes (" + std::to_string(options.max_cache_size_bytes) + ")");
  }
  SLATEDB_ASSIGN_OR_RETURN(
      std::shared_ptr<cache::DiskCache> disk,
      cache::DiskCache::Open(options.root_folder, options.max_cache_size_bytes));
  return std::shared_ptr<CachedObjectStore>(
      new CachedObjectStore(std::move(inner), std::move(options), std::move(disk)));
}

CachedObjectStore::CachedObjectStore(std::shared_ptr<ObjectStore> inner,
                                     ObjectStoreCacheOptions options,
                                     std::shared_ptr<cache::DiskCache> disk)
    : inner_(std::move(inner)),
      options_(std::move(options)),
      store_identity_(options_.store_identity.empty() ? inner_->Describe()
                                                      : options_.store_identity),
      disk_(std::move(disk)) {}

CachedObjectStore::~CachedObjectStore() = default;

std::string CachedObjectStore::Describe() const { return "cached(" + inner_->Describe() + ")"; }

std::string CachedObjectStore::Identity(const std::string& key) const {
  return store_identity_ + "\n" + key;
}

bool CachedObjectStore::Caches(const std::string& key) const {
  if (!ValidateObjectKey(key).ok()) return false;
  return options_.cacheable ? options_.cacheable(key) : IsImmutableSstKey(key);
}

void CachedObjectStore::Head(const std::string& key, Callback<ObjectMeta> done) {
  inner_->Head(key, std::move(done));
}

void CachedObjectStore::List(const std::string& prefix, const std::string& start_after,
                             Callback<std::vector<ObjectMeta>> done) {
  inner_->List(prefix, start_after, std::move(done));
}

void CachedObjectStore::Put(const std::string& key, std::string data,
                            const ObjectPutOptions& options, Callback<ObjectMeta> done) {
  if (!Caches(key)) return inner_->Put(key, std::move(data), options, std::move(done));
  const std::string identity = Identity(key);
  // Before and after: a read that fetched the old bytes must neither be written to disk
  // nor answered from a mix of versions.
  disk_->Invalidate(identity);
  DropInFlight(identity);
  std::shared_ptr<const std::string> copy;
  if (options_.cache_on_flush || options_.cache_on_compaction) {
    copy = std::make_shared<const std::string>(data);
  }
  auto self = shared_from_this();
  inner_->Put(key, std::move(data), options,
              [self, identity, copy, done = std::move(done)](Result<ObjectMeta> put) {
                self->disk_->Invalidate(identity);
                self->DropInFlight(identity);
                if (put.ok() && copy) {
                  self->StoreParts(identity, 0, *copy, /*to_end=*/true,
                                   self->disk_->Generation(identity));
                }
                done(std::move(put));
              });
}

void CachedObjectStore::Delete(const std::string& key, StatusCallback done) {
  if (!Caches(key)) return inner_->Delete(key, std::move(done));
  const std::string identity = Identity(key);
  disk_->Invalidate(identity);
  DropInFlight(identity);
  auto self = shared_from_this();
  inner_->Delete(key, [self, identity, done = std::move(done)](Status st) {
    self->disk_->Invalidate(identity);
    self->DropInFlight(identity);
    done(std::move(st));
  });
}

void CachedObjectStore::DropInFlight(const std::string& identity) {
  std::lock_guard<std::mutex> lock(in_flight_mu_);
  auto it = in_flight_.lower_bound({identity, 0});
  while (it != in_flight_.end() && it->first.first == identity) it = in_flight_.erase(it);
}

void CachedObjectStore::Get(const std::string& key, Callback<std::string> done) {
  if (Status st = ValidateObjectKey(key); !st.ok()) return done(std::move(st));
  if (!Caches(key)) return inner_->Get(key, std::move(done));
  const std::string identity = Identity(key);
  if (disk_->LastPart(identity, options_.part_size_bytes)) {
    return ReadParts(key, 0, kMax, std::move(done));  // the size is known: read the parts
  }
  ReadSpan(key, 0, kMax, /*whole=*/true, std::move(done));
}

void CachedObjectStore::GetRange(const std::string& key, uint64_t offset, uint64_t length,
                                 Callback<std::string> done) {
  if (Status st = ValidateObjectKey(key); !st.ok()) return done(std::move(st));
  if (!Caches(key)) return inner_->GetRange(key, offset, length, std::move(done));
  ReadParts(key, offset, length, std::move(done));
}

void CachedObjectStore::ReadParts(const std::string& key, uint64_t offset, uint64_t length,
                                  Callback<std::string> done) {
  const uint64_t P = options_.part_size_bytes;
  auto g = std::make_shared<Gather>();
  g->key = key;
  g->identity = Identity(key);
  g->offset = offset;
  g->length = length;
  g->end = SaturatingAdd(offset, length);
  g->first_part = offset / P;
  g->generation = disk_->Generation(g->identity);
  g->done = std::move(done);
  const uint64_t p0 = g->first_part;

  std::optional<uint64_t> last = disk_->LastPart(g->identity, P);
  if (last && p0 > *last) {
    // The object ends before the offset (checking that the last part is really its own).
    if (disk_->Read(g->identity, P, *last, 0, 0)) {
      counters_.reads_hit.fetch_add(1, std::memory_order_relaxed);
      return g->done(BeyondEnd(key, offset));
    }
    last.reset();
  }
  uint64_t p1 = p0;
  if (length > 0) {
    p1 = (g->end - 1) / P;
    if (last) p1 = std::min(p1, *last);
  }
  if (p1 - p0 >= kMaxPlannedParts) {
    return ReadSpan(key, offset, length, /*whole=*/false, std::move(g->done));
  }
  g->pieces.resize(p1 - p0 + 1);
  std::vector<size_t> missing;
  for (size_t i = 0; i < g->pieces.size(); ++i) {
    const uint64_t base = (p0 + i) * P;
    const uint64_t lo = std::max(offset, base) - base;
    const uint64_t hi = length == 0 ? lo : std::min(g->end - base, P);
    std::optional<cache::DiskCache::Slice> slice = disk_->Read(g->identity, P, p0 + i, lo, hi);
    if (!slice) {
      missing.push_back(i);
      continue;
    }
    counters_.parts_hit.fetch_add(1, std::memory_order_relaxed);
    Piece& piece = g->pieces[i];
    piece.start = slice->start;
    piece.part_length = slice->part_length;
    piece.last = slice->last;
    piece.from_disk = true;
    piece.buf = std::make_shared<const std::string>(std::move(slice->bytes));
    if (piece.last) {
      g->pieces.resize(i + 1);  // nothing of the object lies after this part
      break;
    }
  }
  if (missing.empty()) return Assemble(g);

  g->missed = true;
  g->pending = missing.size();
  std::vector<uint64_t> to_fetch;
  std::vector<std::shared_ptr<Fetch>> fetches;  // for each of to_fetch
  std::vector<std::pair<size_t, Piece>> ready;
  {
    std::lock_guard<std::mutex> lock(in_flight_mu_);
    for (size_t i : missing) {
      std::shared_ptr<Fetch>& fetch = in_flight_[{g->identity, p0 + i}];
      if (fetch) {
        counters_.parts_joined.fetch_add(1, std::memory_order_relaxed);
        if (fetch->resolved) {
          ready.emplace_back(i, fetch->piece);
        } else {
          fetch->waiters.emplace_back(g, i);
        }
      } else {
        fetch = std::make_shared<Fetch>();
        fetch->waiters.emplace_back(g, i);
        to_fetch.push_back(p0 + i);
        fetches.push_back(fetch);
      }
    }
  }
  for (auto& [slot, piece] : ready) Deliver(g, slot, std::move(piece));
  // Adjacent parts share one request.
  for (size_t i = 0; i < to_fetch.size();) {
    size_t j = i + 1;
    while (j < to_fetch.size() && to_fetch[j] == to_fetch[j - 1] + 1) ++j;
    StartFetch(g, to_fetch[i],
               std::vector<std::shared_ptr<Fetch>>(fetches.begin() + i, fetches.begin() + j));
    i = j;
  }
}

void CachedObjectStore::StartFetch(const std::shared_ptr<Gather>& gather, uint64_t first,
                                   std::vector<std::shared_ptr<Fetch>> fetches) {
  const uint64_t P = options_.part_size_bytes;
  const uint64_t count = fetches.size();
  const uint64_t offset = first * P;
  const uint64_t length = std::min(count * P, kMax - offset);
  counters_.inner_requests.fetch_add(1, std::memory_order_relaxed);
  auto self = shared_from_this();
  inner_->GetRange(gather->key, offset, length,
                   [self, identity = gather->identity, first, fetches = std::move(fetches),
                    generation = gather->generation](Result<std::string> result) {
                     self->FinishFetch(identity, first, fetches, generation, std::move(result));
                   });
}

void CachedObjectStore::FinishFetch(const std::string& identity, uint64_t first,
                                    const std::vector<std::shared_ptr<Fetch>>& fetches,
                                    uint64_t generation, Result<std::string> result) {
  const uint64_t P = options_.part_size_bytes;
  const uint64_t count = fetches.size();
  std::vector<Piece> pieces(count);
  std::shared_ptr<const std::string> buf;
  if (!result.ok()) {
    // Invalid for a request starting past the end: those parts do not exist.
    bool past_end = result.status().code() == StatusCode::kInvalid && first > 0;
    for (Piece& piece : pieces) {
      if (past_end) {
        piece.beyond_end = true;
      } else {
        piece.status = result.status();
      }
    }
  } else {
    buf = std::make_shared<const std::string>(std::move(*result));
    const uint64_t n = buf->size();
    const uint64_t asked = std::min(count * P, kMax - first * P);
    const bool object_ends = n < asked;
    counters_.bytes_fetched.fetch_add(n, std::memory_order_relaxed);
    for (uint64_t j = 0; j < count; ++j) {
      Piece& piece = pieces[j];
      const uint64_t start = j * P;
      if (start > n) {
        piece.beyond_end = true;
        continue;
      }
      piece.buf = buf;
      piece.pos = start;
      piece.part_length = std::min(P, n - start);
      piece.last = object_ends && piece.part_length < P;
      counters_.parts_fetched.fetch_add(1, std::memory_order_relaxed);
    }
  }
  // Hand the parts to the reads waiting for them, before the disk writes. (A fetch that
  // was dropped from the map because the object was rewritten still answers its waiters;
  // their generation check then redoes them.)
  std::vector<std::vector<std::pair<std::shared_ptr<Gather>, size_t>>> waiters(count);
  {
    std::lock_guard<std::mutex> lock(in_flight_mu_);
    for (uint64_t j = 0; j < count; ++j) {
      fetches[j]->resolved = true;
      fetches[j]->piece = pieces[j];
      waiters[j] = std::move(fetches[j]->waiters);
    }
  }
  for (uint64_t j = 0; j < count; ++j) {
    for (auto& [gather, slot] : waiters[j]) Deliver(gather, slot, pieces[j]);
  }
  if (buf) {
    for (uint64_t j = 0; j < count; ++j) {
      const Piece& piece = pieces[j];
      if (piece.beyond_end || !piece.status.ok()) continue;
      disk_->Write(identity, P, first + j, piece.last,
                   std::string_view(*buf).substr(piece.pos, piece.part_length), generation);
      if (piece.last) break;
    }
  }
  std::lock_guard<std::mutex> lock(in_flight_mu_);
  for (uint64_t j = 0; j < count; ++j) {
    auto it = in_flight_.find({identity, first + j});
    if (it != in_flight_.end() && it->second == fetches[j]) in_flight_.erase(it);
  }
}

void CachedObjectStore::Deliver(const std::shared_ptr<Gather>& gather, size_t slot, Piece piece) {
  bool complete;
  {
    std::lock_guard<std::mutex> lock(gather->mu);
    gather->pieces[slot] = std::move(piece);
    complete = --gather->pending == 0;
  }
  if (complete) Assemble(gather);
}

void CachedObjectStore::Assemble(const std::shared_ptr<Gather>& g) {
  if (disk_->Generation(g->identity) != g->generation) {
    // The object was rewritten or evicted while this read ran: ask the store itself.
    counters_.inner_requests.fetch_add(1, std::memory_order_relaxed);
    return inner_->GetRange(g->key, g->offset, g->length, std::move(g->done));
  }
  const uint64_t P = options_.part_size_bytes;
  std::string out;
  uint64_t from_disk = 0;
  for (size_t i = 0; i < g->pieces.size(); ++i) {
    const Piece& piece = g->pieces[i];
    if (!piece.status.ok()) return g->done(piece.status);
    if (piece.beyond_end) {
      if (i == 0) return g->done(BeyondEnd(g->key, g->offset));
      break;
    }
    const uint64_t base = (g->first_part + i) * P;
    const uint64_t lo = std::max(g->offset, base) - base;
    if (lo > piece.part_length) return g->done(BeyondEnd(g->key, g->offset));
    const uint64_t hi = g->length == 0 ? lo : std::min(g->end - base, piece.part_length);
    if (hi > lo) {
      out.append(*piece.buf, piece.pos + (lo - piece.start), hi - lo);
      if (piece.from_disk) from_disk += hi - lo;
    }
    if (piece.last) break;
  }
  (g->missed ? counters_.reads_missed : counters_.reads_hit)
      .fetch_add(1, std::memory_order_relaxed);
  counters_.bytes_served.fetch_add(from_disk, std::memory_order_relaxed);
  g->done(std::move(out));
}

void CachedObjectStore::ReadSpan(const std::string& key, uint64_t offset, uint64_t length,
                                 bool whole, Callback<std::string> done) {
  const uint64_t P = options_.part_size_bytes;
  const std::string identity = Identity(key);
  const uint64_t generation = disk_->Generation(identity);
  const uint64_t first = offset / P;
  const uint64_t begin = first * P;
  const uint64_t end = SaturatingAdd(offset, length);
  // Whole parts up to the range's end (or to the object's end).
  const uint64_t asked =
      end == kMax ? kMax - begin : std::min(((end - begin + P - 1) / P) * P, kMax - begin);
  counters_.inner_requests.fetch_add(1, std::memory_order_relaxed);
  counters_.reads_missed.fetch_add(1, std::memory_order_relaxed);
  auto self = shared_from_this();
  auto finish = [self, identity, generation, first, begin, asked, offset, length, key,
                 done = std::move(done)](Result<std::string> got) {
    if (!got.ok()) return done(got.status());
    const std::string& bytes = *got;
    self->counters_.bytes_fetched.fetch_add(bytes.size(), std::memory_order_relaxed);
    self->StoreParts(identity, first, bytes, /*to_end=*/bytes.size() < asked, generation);
    const uint64_t rel = offset - begin;
    if (rel > bytes.size()) return done(BeyondEnd(key, offset));
    if (rel == 0 && length >= bytes.size()) return done(std::move(*got));
    done(bytes.substr(rel, std::min<uint64_t>(length, bytes.size() - rel)));
  };
  if (whole) return inner_->Get(key, std::move(finish));
  inner_->GetRange(key, begin, asked, std::move(finish));
}

void CachedObjectStore::StoreParts(const std::string& identity, uint64_t first,
                                   const std::string& bytes, bool to_end, uint64_t generation) {
  const uint64_t P = options_.part_size_bytes;
  const uint64_t n = bytes.size();
  for (uint64_t j = 0; j * P <= n; ++j) {
    const uint64_t start = j * P;
    const uint64_t len = std::min(P, n - start);
    if (len < P && !to_end) break;  // a part whose rest was not fetched
    const bool last = to_end && len < P;
    disk_->Write(identity, P, first + j, last, std::string_view(bytes).substr(start, len),
                 generation);
    if (last) break;
  }
}

void CachedObjectStore::Warm(const std::string& key, std::vector<ObjectByteRange> ranges,
                             StatusCallback done) {
  if (!Caches(key)) return done(Status::Ok());
  // An absent object is nothing to warm.
  auto settle = [](const Status& st) { return st.IsNotFound() ? Status::Ok() : st; };
  if (ranges.empty()) {
    return Get(key, [settle, done = std::move(done)](Result<std::string> got) {
      done(settle(got.status()));
    });
  }
  struct Join {
    std::mutex mu;
    size_t pending;
    Status first_error;
    StatusCallback done;
  };
  auto join = std::make_shared<Join>();
  join->pending = ranges.size();
  join->done = std::move(done);
  for (const ObjectByteRange& range : ranges) {
    GetRange(key, range.offset, range.length, [join, settle](Result<std::string> got) {
      bool complete;
      {
        std::lock_guard<std::mutex> lock(join->mu);
        Status st = settle(got.status());
        if (!st.ok() && join->first_error.ok()) join->first_error = st;
        complete = --join->pending == 0;
      }
      if (complete) join->done(join->first_error);
    });
  }
}

void CachedObjectStore::Evict(const std::string& key, StatusCallback done) {
  if (Caches(key)) {
    const std::string identity = Identity(key);
    disk_->Invalidate(identity);
    DropInFlight(identity);
  }
  done(Status::Ok());
}

namespace {
std::string SstKey(const std::string& db_path, const std::string& sst_id) {
  std::string key = "compacted/" + sst_id + ".sst";
  std::string root = db_path;
  while (!root.empty() && root.back() == '/') root.pop_back();
  return root.empty() ? key : root + "/" + key;
}
}  // namespace

void CachedObjectStore::WarmSst(const std::string& db_path, const std::string& sst_id,
                                StatusCallback done) {
  Result<std::string> id = ParseSstId(sst_id);
  if (!id.ok()) return done(id.status());
  Warm(SstKey(db_path, *id), {}, std::move(done));
}

void CachedObjectStore::EvictCachedSst(const std::string& db_path, const std::string& sst_id,
                                       StatusCallback done) {
  Result<std::string> id = ParseSstId(sst_id);
  if (!id.ok()) return done(id.status());
  Evict(SstKey(db_path, *id), std::move(done));
}

ObjectStoreCacheStats CachedObjectStore::stats() const {
  ObjectStoreCacheStats s;
  auto at = [](const std::atomic<uint64_t>& v) { return v.load(std::memory_order_relaxed); };
  s.reads_hit = at(counters_.reads_hit);
  s.reads_missed = at(counters_.reads_missed);
  s.parts_hit = at(counters_.parts_hit);
  s.parts_fetched = at(counters_.parts_fetched);
  s.parts_joined = at(counters_.parts_joined);
  s.bytes_served = at(counters_.bytes_served);
  s.bytes_fetched = at(counters_.bytes_fetched);
  s.inner_requests = at(counters_.inner_requests);
  const cache::DiskCacheCounters& d = disk_->counters();
  s.parts_written = at(d.parts_written);
  s.write_failures = at(d.write_failures);
  s.evictions = at(d.evictions);
  s.corrupt_parts = at(d.corrupt_parts);
  s.used_bytes = disk_->used_bytes();
  s.max_bytes = disk_->max_bytes();
  s.entries = disk_->entries();
  return s;
}

}  // namespace slatedb
