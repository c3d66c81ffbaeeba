// SPDX-License-Identifier: Apache-2.0
#include "sst/table_store.h"

#include <algorithm>

namespace slatedb {

namespace {

// The byte range holding the index and (if any) the filter, which the builder writes
// next to each other after the data blocks.
struct MetaRange {
  uint64_t offset;
  uint64_t length;
};

MetaRange MetaRangeOf(const SstInfo& info) {
  uint64_t begin = info.index_offset;
  uint64_t end = info.index_offset + info.index_len;
  if (info.filter_len > 0) {
    begin = std::min(begin, info.filter_offset);
    end = std::max(end, info.filter_offset + info.filter_len);
  }
  return MetaRange{begin, end - begin};
}

}  // namespace

TableStore::TableStore(StoreClient* client, DbPaths paths, TableCache cache,
                       std::vector<FilterPolicy> filter_policies)
    : client_(client),
      paths_(std::move(paths)),
      cache_(std::move(cache)),
      filter_policies_(std::move(filter_policies)) {}

namespace {
// FNV-1a, then mixed: SST ids are ULIDs (or WAL numbers), so 64 bits keep them apart.
uint64_t SstCacheId(std::string_view id) {
  uint64_t h = 0xCBF29CE484222325ull;
  for (unsigned char c : id) h = (h ^ c) * 0x100000001B3ull;
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  return h ^ (h >> 33);
}
// What a cached handle is charged: its index and filter as stored (their decoded forms
// are of the same order), plus the fixed part.
uint64_t HandleCharge(const SstHandle& handle) {
  return handle.info.index_len + handle.info.filter_len + sizeof(SstHandle) + handle.id.size() +
         handle.object_key.size();
}
}  // namespace

std::shared_ptr<const SstHandle> TableStore::CachedHandle(const SstRef& ref) const {
  if (cache_.meta == nullptr) return nullptr;
  CacheKey key{cache_.scope, SstCacheId(ref.id), BlockCache::kMetaPart};
  auto handle = std::static_pointer_cast<const SstHandle>(
      cache_.meta->Lookup(key, cache_.now_ms(*cache_.meta)));
  // Another instance of the scope may read the SST through another root (a clone): its
  // handle would name that object. Its filters may have been chosen by other filter
  // policies; each is probed by the policy whose name it carries, so its answers hold.
  if (handle == nullptr || handle->id != ref.id || handle->object_key != ObjectKey(ref)) {
    return nullptr;
  }
  return handle;
}

void TableStore::CacheHandle(const std::shared_ptr<const SstHandle>& handle) const {
  if (cache_.meta == nullptr) return;
  CacheKey key{cache_.scope, handle->cache_id, BlockCache::kMetaPart};
  cache_.meta->Insert(key, handle, HandleCharge(*handle), cache_.now_ms(*cache_.meta));
}

Result<std::shared_ptr<const SstHandle>> TableStore::MakeHandle(const std::string& id,
                                                                std::string object_key,
                                                                const SstInfo& info,
                                                                std::string_view meta_bytes,
                                                                uint64_t meta_offset) {
  auto slice = [&](uint64_t offset, uint64_t length) -> Result<std::string_view> {
    if (offset < meta_offset || offset - meta_offset + length > meta_bytes.size()) {
      return Status::Data("SST " + id + ": metadata range outside what was read");
    }
    return meta_bytes.substr(offset - meta_offset, length);
  };
  SLATEDB_ASSIGN_OR_RETURN(std::string_view index_bytes, slice(info.index_offset, info.index_len));
  Result<SstIndex> index = DecodeIndex(index_bytes, info);
  if (!index.ok()) return index.status().WithContext("SST " + id + " index");
  SstFilters filters;
  if (info.filter_len > 0) {
    SLATEDB_ASSIGN_OR_RETURN(std::string_view filter_bytes,
                             slice(info.filter_offset, info.filter_len));
    Result<SstFilters> decoded = DecodeFilters(filter_bytes, info, filter_policies_);
    if (!decoded.ok()) return decoded.status().WithContext("SST " + id + " filter");
    filters = std::move(*decoded);
  }
  auto handle = std::make_shared<const SstHandle>(id, std::move(object_key), info, SstCacheId(id),
                                                  std::move(*index), std::move(filters));
  return std::shared_ptr<const SstHandle>(std::move(handle));
}

std::shared_ptr<const SstHandle> TableStore::Register(std::shared_ptr<const SstHandle> handle) {
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, inserted] = open_.emplace(handle->id, handle);
  return it->second;  // a concurrent opener may have won; share its handle
}

std::shared_ptr<const SstHandle> TableStore::TryGetOpen(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = open_.find(id);
  return it == open_.end() ? nullptr : it->second;
}

Task<Result<std::shared_ptr<const SstHandle>>> TableStore::Open(SstRef ref) {
  if (auto open = TryGetOpen(ref.id)) co_return open;
  if (auto cached = CachedHandle(ref)) co_return Register(std::move(cached));
  std::string id = ref.id;
  SingleFlight<std::string, std::shared_ptr<const SstHandle>>::Recheck recheck =
      [this, id]() -> std::optional<std::shared_ptr<const SstHandle>> {
    if (auto open = TryGetOpen(id)) return open;
    return std::nullopt;
  };
  SingleFlight<std::string, std::shared_ptr<const SstHandle>>::Load load =
      [this, ref = std::move(ref)]() { return LoadHandle(ref); };
  co_return co_await open_flights_.Do(std::move(id), std::move(recheck), std::move(load));
}

Task<Result<std::shared_ptr<const SstHandle>>> TableStore::LoadHandle(SstRef ref) {
  MetaRange range = MetaRangeOf(ref.info);
  std::string key = ObjectKey(ref);
  Result<std::string> bytes = co_await client_->GetRange(key, range.offset, range.length);
  if (!bytes.ok()) {
    if (bytes.status().IsNotFound()) co_return Status::Data("SST missing: " + key);
    co_return bytes.status();
  }
  SLATEDB_CO_ASSIGN_OR_RETURN(auto handle, MakeHandle(ref.id, key, ref.info, *bytes, range.offset));
  CacheHandle(handle);
  co_return Register(std::move(handle));
}

Task<Result<std::shared_ptr<const SstHandle>>> TableStore::Write(std::string id, EncodedSst sst) {
  MetaRange range = MetaRangeOf(sst.info);
  if (range.offset + range.length > sst.data.size()) {
    co_return Status::Internal("built SST has metadata past its end");
  }
  SLATEDB_CO_ASSIGN_OR_RETURN(
      auto handle,
      MakeHandle(id, paths_.Compacted(id), sst.info,
                 std::string_view(sst.data).substr(range.offset, range.length), range.offset));
  // Create-if-absent although ULIDs are unique: should two writers ever mint the same id
  // (a fenced zombie, a reused seed), the second fails instead of replacing a live SST.
  // (Named, not a braced temporary: g++ 12 double-destroys aggregate temporaries passed to a
  // coroutine inside a co_await expression.)
  ObjectPutOptions create;
  create.mode = PutMode::kCreateIfAbsent;
  Result<ObjectMeta> put = co_await client_->Put(paths_.Compacted(id), std::move(sst.data), create);
  if (!put.ok()) co_return put.status();
  CacheHandle(handle);
  co_return Register(std::move(handle));
}

std::shared_ptr<const Block> TableStore::TryGetBlock(const SstHandle& sst, size_t block) const {
  auto cached = std::static_pointer_cast<const Block>(
      cache_.blocks->Lookup(KeyOf(sst, block), cache_.now_ms(*cache_.blocks)));
  (cached != nullptr ? block_hits_ : block_misses_).fetch_add(1, std::memory_order_relaxed);
  return cached;
}

Task<Result<std::shared_ptr<const Block>>> TableStore::ReadBlock(
    std::shared_ptr<const SstHandle> sst, size_t block, bool fill_cache) {
  if (auto cached = TryGetBlock(*sst, block)) co_return cached;
  if (block >= sst->index.num_blocks()) {
    co_return Status::Internal("block index out of range in SST " + sst->id);
  }
  std::pair<uint64_t, size_t> key(sst->cache_id, block);
  SingleFlight<std::pair<uint64_t, size_t>, std::shared_ptr<const Block>>::Recheck recheck =
      [this, sst, block]() -> std::optional<std::shared_ptr<const Block>> {
    // The caller's miss is counted already.
    if (auto cached = cache_.blocks->Lookup(KeyOf(*sst, block), cache_.now_ms(*cache_.blocks),
                                            /*count=*/false)) {
      return std::static_pointer_cast<const Block>(cached);
    }
    return std::nullopt;
  };
  SingleFlight<std::pair<uint64_t, size_t>, std::shared_ptr<const Block>>::Load load =
      [this, sst, block, fill_cache]() { return LoadBlock(sst, block, fill_cache); };
  co_return co_await block_flights_.Do(key, std::move(recheck), std::move(load));
}

Task<Result<std::shared_ptr<const Block>>> TableStore::LoadBlock(
    std::shared_ptr<const SstHandle> sst, size_t block, bool fill_cache) {
  BlockHandle where = sst->index.block(block);
  Result<std::string> bytes =
      co_await client_->GetRange(sst->object_key, where.offset, where.length);
  if (!bytes.ok()) {
    if (bytes.status().IsNotFound()) co_return Status::Data("SST missing: " + sst->object_key);
    co_return bytes.status();
  }
  if (bytes->size() != where.length) {
    co_return Status::Data("SST " + sst->id + ": short block read");
  }
  Result<Block> decoded = DecodeDataBlock(*bytes, sst->info);
  if (!decoded.ok()) {
    co_return decoded.status().WithContext("SST " + sst->id + " block " + std::to_string(block));
  }
  auto shared = std::make_shared<const Block>(std::move(*decoded));
  if (fill_cache) {
    cache_.blocks->Insert(KeyOf(*sst, block), shared, shared->size(),
                          cache_.now_ms(*cache_.blocks));
  }
  co_return shared;
}

Task<Result<std::shared_ptr<const Block>>> TableStore::ReadBlockWithNext(
    std::shared_ptr<const SstHandle> sst, size_t block, bool fill_cache,
    std::shared_ptr<const Block>* next) {
  const bool next_cached =
      block + 1 >= sst->index.num_blocks() ||
      cache_.blocks->Lookup(KeyOf(*sst, block + 1), cache_.now_ms(*cache_.blocks),
                            /*count=*/false) != nullptr;
  if (next_cached) co_return co_await ReadBlock(std::move(sst), block, fill_cache);
  if (auto cached = TryGetBlock(*sst, block)) co_return cached;
  std::pair<uint64_t, size_t> key(sst->cache_id, block);
  SingleFlight<std::pair<uint64_t, size_t>, std::shared_ptr<const Block>>::Recheck recheck =
      [this, sst, block]() -> std::optional<std::shared_ptr<const Block>> {
    if (auto cached = cache_.blocks->Lookup(KeyOf(*sst, block), cache_.now_ms(*cache_.blocks),
                                            /*count=*/false)) {
      return std::static_pointer_cast<const Block>(cached);
    }
    return std::nullopt;
  };
  // Only the caller that starts the flight runs `load`; a joiner gets `block` alone and
  // reads block + 1 as usual.
  auto second = std::make_shared<std::shared_ptr<const Block>>();
  SingleFlight<std::pair<uint64_t, size_t>, std::shared_ptr<const Block>>::Load load =
      [this, sst, block, fill_cache, second]() {
        return LoadBlockPair(sst, block, fill_cache, second);
      };
  Result<std::shared_ptr<const Block>> first =
      co_await block_flights_.Do(key, std::move(recheck), std::move(load));
  if (first.ok() && *second) *next = std::move(*second);
  co_return first;
}

Task<Result<std::shared_ptr<const Block>>> TableStore::LoadBlockPair(
    std::shared_ptr<const SstHandle> sst, size_t block, bool fill_cache,
    std::shared_ptr<std::shared_ptr<const Block>> second) {
  Result<std::vector<std::shared_ptr<const Block>>> both =
      co_await ReadBlocks(sst, block, block + 2);
  if (!both.ok()) co_return both.status();
  if (fill_cache) {
    const uint64_t now = cache_.now_ms(*cache_.blocks);
    for (size_t i = 0; i < 2; ++i) {
      cache_.blocks->Insert(KeyOf(*sst, block + i), (*both)[i], (*both)[i]->size(), now);
    }
  }
  *second = (*both)[1];
  co_return (*both)[0];
}

Task<Result<std::vector<std::shared_ptr<const Block>>>> TableStore::ReadBlocks(
    std::shared_ptr<const SstHandle> sst, size_t first, size_t last) {
  if (first >= last || last > sst->index.num_blocks()) {
    co_return Status::Internal("block range out of bounds in SST " + sst->id);
  }
  const uint64_t begin = sst->index.block(first).offset;
  const BlockHandle tail = sst->index.block(last - 1);
  const uint64_t length = tail.offset + tail.length - begin;
  Result<std::string> bytes = co_await client_->GetRange(sst->object_key, begin, length);
  if (!bytes.ok()) {
    if (bytes.status().IsNotFound()) co_return Status::Data("SST missing: " + sst->object_key);
    co_return bytes.status();
  }
  if (bytes->size() != length) co_return Status::Data("SST " + sst->id + ": short read");
  std::vector<std::shared_ptr<const Block>> blocks;
  blocks.reserve(last - first);
  for (size_t i = first; i < last; ++i) {
    BlockHandle where = sst->index.block(i);
    Result<Block> decoded = DecodeDataBlock(
        std::string_view(*bytes).substr(where.offset - begin, where.length), sst->info);
    if (!decoded.ok()) {
      co_return decoded.status().WithContext("SST " + sst->id + " block " + std::to_string(i));
    }
    blocks.push_back(std::make_shared<const Block>(std::move(*decoded)));
  }
  co_return blocks;
}

TableStore::FlightStats TableStore::flight_stats() const {
  FlightStats out;
  out.opens = open_flights_.stats();
  out.blocks = block_flights_.stats();
  out.in_flight = open_flights_.in_flight() + block_flights_.in_flight();
  return out;
}

std::string TableStore::ObjectKey(const SstRef& ref) const {
  return ref.root.empty() ? paths_.Compacted(ref.id) : DbPaths(ref.root).Compacted(ref.id);
}

Task<Status> TableStore::LoadIntoCache(std::shared_ptr<const SstHandle> sst, size_t first,
                                       size_t last) {
  if (cache_.blocks->capacity_bytes() == 0) co_return Status::Ok();
  last = std::min(last, sst->index.num_blocks());
  auto cached = [&](size_t block) {
    return cache_.blocks->Lookup(KeyOf(*sst, block), cache_.now_ms(*cache_.blocks),
                                 /*count=*/false) != nullptr;
  };
  for (size_t begin = first; begin < last;) {
    if (cached(begin)) {
      ++begin;
      continue;
    }
    size_t end = begin + 1;
    while (end < last && !cached(end)) ++end;
    Result<std::vector<std::shared_ptr<const Block>>> blocks = co_await ReadBlocks(sst, begin, end);
    if (!blocks.ok()) co_return blocks.status();
    for (size_t i = begin; i < end; ++i) {
      std::shared_ptr<const Block>& block = (*blocks)[i - begin];
      const uint64_t charge = block->size();
      cache_.blocks->Insert(KeyOf(*sst, i), std::move(block), charge,
                            cache_.now_ms(*cache_.blocks));
    }
    begin = end;
  }
  co_return Status::Ok();
}

std::optional<std::string> TableStore::Evict(const std::string& id) {
  std::shared_ptr<const SstHandle> handle;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = open_.find(id);
    if (it == open_.end()) return std::nullopt;
    handle = std::move(it->second);
    open_.erase(it);
  }
  cache_.blocks->EraseSst(cache_.scope, handle->cache_id);
  if (cache_.meta != nullptr && cache_.meta != cache_.blocks) {
    cache_.meta->EraseSst(cache_.scope, handle->cache_id);
  }
  return handle->object_key;
}

void TableStore::Forget(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  open_.erase(id);
}

}  // namespace slatedb
