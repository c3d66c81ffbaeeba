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
  CHECK(cache.Lookup(7, 0) == nullptr);
  cache.Insert(7, 0, block, 100);
  CHECK(cache.Lookup(7, 0) == block);
  CHECK(cache.Lookup(7, 1) == nullptr);
  CHECK(cache.Lookup(8, 0) == nullptr);
  CHECK(cache.hits() == 1);
  CHECK(cache.misses() == 3);
  CHECK(cache.used_bytes() == 100);
  // A second insert of a cached key keeps the first block and charges nothing.
  cache.Insert(7, 0, MakeBlock(2), 100);
  CHECK(cache.Lookup(7, 0) == block);
  CHECK(cache.used_bytes() == 100);
}

TEST_CASE("block cache: byte budget holds and oversized blocks are not cached", "[format][cache]") {
  BlockCache cache(16 * 1000, 1);
  auto block = MakeBlock(1);
  for (uint32_t i = 0; i < 1000; ++i) {
    cache.Insert(1, i, block, 100);
    REQUIRE(cache.used_bytes() <= 16 * 1000);
  }
  CHECK(cache.entry_count() == 160);
  cache.Insert(2, 0, block, 16 * 1000 + 1);
  CHECK(cache.Lookup(2, 0) == nullptr);
}

TEST_CASE("block cache: recently read blocks outlive unread ones", "[format][cache]") {
  BlockCache cache(10 * 100, 1);
  auto block = MakeBlock(1);
  for (uint32_t i = 0; i < 10; ++i) cache.Insert(1, i, block, 100);
  for (uint32_t i = 0; i < 5; ++i) REQUIRE(cache.Lookup(1, i) != nullptr);
  for (uint32_t i = 100; i < 105; ++i) cache.Insert(1, i, block, 100);
  // The hand clears a read block's bit on its first pass and evicts only on a second,
  // which cannot come before it has met (and evicted) the unread ones.
  for (uint32_t i = 0; i < 5; ++i) CHECK(cache.Lookup(1, i) != nullptr);
  int unread_survivors = 0;
  for (uint32_t i = 5; i < 10; ++i) unread_survivors += cache.Lookup(1, i) != nullptr;
  for (uint32_t i = 100; i < 105; ++i) unread_survivors += cache.Lookup(1, i) != nullptr;
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
      cache.Insert(sst, index, block, 50 + rng() % 200);
    } else {
      auto got = cache.Lookup(sst, index);
      if (got != nullptr) REQUIRE(got == inserted.at(key));
    }
    REQUIRE(cache.used_bytes() <= 64 * 1000);
  }
  size_t found = 0;
  for (const auto& [key, block] : inserted) {
    auto got = cache.Lookup(key.first, key.second);
    if (got != nullptr) {
      REQUIRE(got == block);
      ++found;
    }
  }
  CHECK(found == cache.entry_count());
  CHECK(found > 0);
}

}  // namespace
}  // namespace slatedb
