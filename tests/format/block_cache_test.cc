// SPDX-License-Identifier: Apache-2.0
//
// BlockCache: hits return the inserted block, the byte budget holds under churn, blocks read
// since the clock hand last passed survive eviction ahead of unread ones, and deletion from
// the open-addressing table never hides a block that is still cached.
#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <random>
#include <string>

#include "format/block.h"
#include "format/block_builder.h"
#include "sst/block_cache.h"

namespace slatedb {
namespace {

CacheKey K(uint64_t sst, uint32_t part, uint64_t scope = 0) { return CacheKey{scope, sst, part}; }

BlockCache::Options Opts(uint64_t capacity, size_t shards, std::optional<uint64_t> ttl_ms,
                         std::optional<uint64_t> tti_ms) {
  BlockCache::Options o;
  o.capacity_bytes = capacity;
  o.shards = shards;
  o.ttl_ms = ttl_ms;
  o.tti_ms = tti_ms;
  return o;
}

std::shared_ptr<const Block> MakeBlock(uint64_t tag) {
  BlockBuilder builder(4096);
  std::string key = "k" + std::to_string(tag);
  builder.Add(RowView{key, tag, RowKind::kValue, "v"});
  Result<Block> block = Block::Parse(builder.Finish(), kBlockFormatV2);
  REQUIRE(block.ok());
  return std::make_shared<const Block>(std::move(block).value());
}

TEST_CASE("block cache: hit returns the inserted block, miss returns null", "[format][cache]") {
  BlockCache cache(1 << 20, 4);
  auto block = MakeBlock(1);
  CHECK(cache.Lookup(K(7, 0), 0) == nullptr);
  cache.Insert(K(7, 0), block, 100, 0);
  CHECK(cache.Lookup(K(7, 0), 0) == block);
  CHECK(cache.Lookup(K(7, 1), 0) == nullptr);
  CHECK(cache.Lookup(K(8, 0), 0) == nullptr);
  CHECK(cache.hits() == 1);
  CHECK(cache.misses() == 3);
  CHECK(cache.used_bytes() == 100);
  // A second insert of a cached key keeps the first block and charges nothing.
  cache.Insert(K(7, 0), MakeBlock(2), 100, 0);
  CHECK(cache.Lookup(K(7, 0), 0) == block);
  CHECK(cache.used_bytes() == 100);
}

TEST_CASE("block cache: byte budget holds and oversized blocks are not cached", "[format][cache]") {
  BlockCache cache(16 * 1000, 1);
  auto block = MakeBlock(1);
  for (uint32_t i = 0; i < 1000; ++i) {
    cache.Insert(K(1, i), block, 100, 0);
    REQUIRE(cache.used_bytes() <= 16 * 1000);
  }
  CHECK(cache.entry_count() == 160);
  cache.Insert(K(2, 0), block, 16 * 1000 + 1, 0);
  CHECK(cache.Lookup(K(2, 0), 0) == nullptr);
}

TEST_CASE("block cache: recently read blocks outlive unread ones", "[format][cache]") {
  BlockCache cache(10 * 100, 1);
  auto block = MakeBlock(1);
  for (uint32_t i = 0; i < 10; ++i) cache.Insert(K(1, i), block, 100, 0);
  for (uint32_t i = 0; i < 5; ++i) REQUIRE(cache.Lookup(K(1, i), 0) != nullptr);
  for (uint32_t i = 100; i < 105; ++i) cache.Insert(K(1, i), block, 100, 0);
  // The hand clears a read block's bit on its first pass and evicts only on a second,
  // which cannot come before it has met (and evicted) the unread ones.
  for (uint32_t i = 0; i < 5; ++i) CHECK(cache.Lookup(K(1, i), 0) != nullptr);
  int unread_survivors = 0;
  for (uint32_t i = 5; i < 10; ++i) unread_survivors += cache.Lookup(K(1, i), 0) != nullptr;
  for (uint32_t i = 100; i < 105; ++i) unread_survivors += cache.Lookup(K(1, i), 0) != nullptr;
  CHECK(unread_survivors == 5);
  CHECK(cache.entry_count() == 10);
}

TEST_CASE("block cache: random churn agrees with a model of what is cached", "[format][cache]") {
  // Every block the cache returns must be the one inserted under that key, every key the
  // cache holds must be found, and the charged bytes must equal the sum of held charges.
  BlockCache cache(64 * 1000, 2);
  std::mt19937_64 rng(42);
  std::map<std::pair<uint64_t, uint32_t>, std::shared_ptr<const Block>> inserted;
  for (int op = 0; op < 50'000; ++op) {
    uint64_t sst = rng() % 40;
    uint32_t index = static_cast<uint32_t>(rng() % 50);
    auto key = std::make_pair(sst, index);
    if (rng() % 3 == 0) {
      auto it = inserted.find(key);
      auto block = it != inserted.end() ? it->second : MakeBlock(sst * 1000 + index);
      inserted[key] = block;
      cache.Insert(K(sst, index), block, 50 + rng() % 200, 0);
    } else {
      auto got = cache.Lookup(K(sst, index), 0);
      if (got != nullptr) REQUIRE(got == inserted.at(key));
    }
    REQUIRE(cache.used_bytes() <= 64 * 1000);
  }
  size_t found = 0;
  for (const auto& [key, block] : inserted) {
    auto got = cache.Lookup(K(key.first, key.second), 0);
    if (got != nullptr) {
      REQUIRE(got == block);
      ++found;
    }
  }
  CHECK(found == cache.entry_count());
  CHECK(found > 0);
}

TEST_CASE("block cache: scopes keep equal SST keys apart and share the budget",
          "[format][cache][db_cache]") {
  BlockCache cache(10 * 100, 1);
  auto a = MakeBlock(1);
  auto b = MakeBlock(2);
  cache.Insert(K(5, 0, /*scope=*/1), a, 100, 0);
  cache.Insert(K(5, 0, /*scope=*/2), b, 100, 0);
  CHECK(cache.Lookup(K(5, 0, 1), 0) == a);
  CHECK(cache.Lookup(K(5, 0, 2), 0) == b);
  CHECK(cache.Lookup(K(5, 0, 3), 0) == nullptr);
  // Erasing one scope's SST leaves the other scope's copy.
  CHECK(cache.EraseSst(1, 5) == 1);
  CHECK(cache.Lookup(K(5, 0, 1), 0) == nullptr);
  CHECK(cache.Lookup(K(5, 0, 2), 0) == b);
  // Scope 3 filling the budget many times over pushes scope 2's block out (its reference
  // bit, set by the hit above, only buys it one more pass of the hand).
  for (uint32_t i = 0; i < 200; ++i) cache.Insert(K(9, i, 3), a, 100, 0);
  CHECK(cache.used_bytes() <= 1000);
  CHECK(cache.Lookup(K(5, 0, 2), 0) == nullptr);
}

TEST_CASE("block cache: time to live expires entries by insertion time",
          "[format][cache][db_cache]") {
  BlockCache cache(Opts(1 << 20, 2, 1000, std::nullopt));
  CHECK(cache.expires());
  auto block = MakeBlock(1);
  cache.Insert(K(1, 0), block, 100, 5000);
  CHECK(cache.Lookup(K(1, 0), 5999) == block);  // hits do not extend a TTL
  CHECK(cache.Lookup(K(1, 0), 6000) == nullptr);
  CHECK(cache.entry_count() == 0);
  CHECK(cache.used_bytes() == 0);
  // An expired key may be inserted again and lives another TTL.
  cache.Insert(K(1, 0), block, 100, 7000);
  CHECK(cache.Lookup(K(1, 0), 7999) == block);
}

TEST_CASE("block cache: time to idle expires entries not read for that long",
          "[format][cache][db_cache]") {
  BlockCache cache(Opts(1 << 20, 1, std::nullopt, 100));
  auto block = MakeBlock(1);
  cache.Insert(K(1, 0), block, 100, 0);
  cache.Insert(K(1, 1), block, 100, 0);
  // Reading K(1, 0) every 90 ms keeps it; K(1, 1), unread, is gone at 100 ms.
  for (uint64_t t = 90; t <= 900; t += 90) REQUIRE(cache.Lookup(K(1, 0), t) == block);
  CHECK(cache.Lookup(K(1, 1), 900) == nullptr);
  CHECK(cache.Lookup(K(1, 0), 900 + 100) == nullptr);
}

TEST_CASE("block cache: eviction takes expired entries before live ones",
          "[format][cache][db_cache]") {
  BlockCache cache(Opts(300, 1, 50, std::nullopt));
  auto block = MakeBlock(1);
  cache.Insert(K(1, 0), block, 100, 0);
  cache.Insert(K(1, 1), block, 100, 0);
  REQUIRE(cache.Lookup(K(1, 1), 10) == block);  // referenced, but expires at 50
  cache.Insert(K(1, 2), block, 100, 60);
  cache.Insert(K(1, 3), block, 100, 60);  // over budget: the hand drops expired entries
  CHECK(cache.Lookup(K(1, 2), 60) == block);
  CHECK(cache.Lookup(K(1, 3), 60) == block);
  CHECK(cache.used_bytes() <= 300);
}

}  // namespace
}  // namespace slatedb
