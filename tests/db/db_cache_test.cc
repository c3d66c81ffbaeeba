// SPDX-License-Identifier: Apache-2.0
//
// Shared DbCache objects (slatedb/db_cache.h): databases given one cache share its budget
// but not its entries unless their cache ids match; lifetimes expire by the database's
// clock; a split cache puts data blocks and SST handles in their own caches. Proven by the
// object-store requests reads make (object_store/*) and by the caches' own counts.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>

#include "db/one_sst_fixture.h"

namespace slatedb::testing {
namespace {

// The object-store reads that reading every key makes.
template <typename Handle>
uint64_t ReadAllCost(Handle& handle) {
  const uint64_t before = StoreReads(handle);
  ReadOneSstKeys(handle);
  return StoreReads(handle) - before;
}

std::shared_ptr<DbCache> MakeCache(uint64_t capacity, std::optional<uint64_t> ttl_ms,
                                   std::optional<uint64_t> tti_ms, uint32_t shards) {
  BlockCacheOptions options;
  options.capacity_bytes = capacity;
  options.ttl_ms = ttl_ms;
  options.tti_ms = tti_ms;
  options.shards = shards;
  Result<std::shared_ptr<DbCache>> cache = NewBlockCache(options);
  REQUIRE(cache.ok());
  return *cache;
}

std::shared_ptr<Db> OpenWith(ThreadedDbEnv& env, const std::string& path,
                             std::shared_ptr<DbCache> cache, std::optional<uint64_t> id) {
  DbOptions options = env.Options(OneSstSettings(), path);
  options.db_cache = std::move(cache);
  options.db_cache_id = id;
  Result<std::shared_ptr<Db>> db = BlockOn(Db::Open(std::move(options)));
  REQUIRE(db.status().ToString() == "OK");
  return *db;
}

std::shared_ptr<DbReader> ReaderWith(ThreadedDbEnv& env, const std::string& path,
                                     std::shared_ptr<DbCache> cache, std::optional<uint64_t> id) {
  ReaderOptions options = env.On<ReaderOptions>(path);
  options.db_cache = std::move(cache);
  options.db_cache_id = id;
  Result<std::shared_ptr<DbReader>> reader = BlockOn(DbReader::Open(std::move(options)));
  REQUIRE(reader.status().ToString() == "OK");
  return *reader;
}

}  // namespace

TEST_CASE("db cache: two databases on one cache share its budget", "[db][cache][db_cache]") {
  ThreadedDbEnv env;
  // Room for about one database's blocks (100 blocks of ~1 KiB), not two.
  auto cache = MakeCache(160 * 1024, std::nullopt, std::nullopt, 1);
  auto a = OpenWith(env, "a", cache, 1);
  auto b = OpenWith(env, "b", cache, 2);
  WriteOneSst(*a);
  WriteOneSst(*b);

  ReadAllCost(*a);
  CHECK(ReadAllCost(*a) == 0);  // all of a's blocks fit
  CHECK(cache->used_bytes() > 100 * 1000);
  ReadAllCost(*b);
  // b now holds most of the cache (a's blocks, read twice, each get one more pass of the
  // CLOCK hand, so some of b's first blocks went before them).
  CHECK(ReadAllCost(*b) < kOneSstKeys / 2);
  CHECK(cache->used_bytes() <= cache->capacity_bytes());
  // b's blocks pushed a's out: a reads most of them again.
  CHECK(ReadAllCost(*a) > kOneSstKeys / 2);

  // With the budget of two, both stay.
  auto big = MakeCache(8 << 20, std::nullopt, std::nullopt, 4);
  auto c = OpenWith(env, "a", big, 3);
  auto d = ReaderWith(env, "b", big, 4);
  ReadAllCost(*c);
  ReadAllCost(*d);
  CHECK(ReadAllCost(*c) == 0);
  CHECK(ReadAllCost(*d) == 0);
  for (auto& db : {a, b, c}) REQUIRE(BlockOn(db->Close()).ok());
  REQUIRE(BlockOn(d->Close()).ok());
}

TEST_CASE("db cache: the cache id isolates entries; the same id shares them",
          "[db][cache][db_cache]") {
  ThreadedDbEnv env;
  auto cache = MakeCache(8 << 20, std::nullopt, std::nullopt, 16);
  auto db = OpenWith(env, "db", cache, 7);
  WriteOneSst(*db);
  ReadAllCost(*db);
  CHECK(ReadAllCost(*db) == 0);

  // Another id on the same path sees none of db's entries: it opens the SST and reads
  // every block itself.
  auto other = ReaderWith(env, "db", cache, 8);
  CHECK(ReadAllCost(*other) > kOneSstKeys / 2);
  // The same id finds the SST handle and the blocks db cached: no request at all.
  auto same = ReaderWith(env, "db", cache, 7);
  CHECK(ReadAllCost(*same) == 0);
  // No id: a scope of its own.
  auto unnamed = ReaderWith(env, "db", cache, std::nullopt);
  CHECK(ReadAllCost(*unnamed) > kOneSstKeys / 2);

  // A database reopened with its id after close finds its entries again.
  REQUIRE(BlockOn(db->Close()).ok());
  auto reopened = OpenWith(env, "db", cache, 7);
  CHECK(ReadAllCost(*reopened) == 0);
  REQUIRE(BlockOn(reopened->Close()).ok());
  for (auto& r : {other, same, unnamed}) REQUIRE(BlockOn(r->Close()).ok());
}

TEST_CASE("db cache: time to live and time to idle go by the database's clock",
          "[db][cache][db_cache]") {
  ThreadedDbEnv env;
  auto clock = std::make_shared<ManualClock>(1'000'000);
  env.clock = clock;
  auto ttl = MakeCache(8 << 20, 60'000, std::nullopt, 16);
  auto tti = MakeCache(8 << 20, std::nullopt, 60'000, 16);
  auto a = OpenWith(env, "a", ttl, 1);
  auto b = OpenWith(env, "b", tti, 1);
  WriteOneSst(*a);
  WriteOneSst(*b);
  ReadAllCost(*a);
  ReadAllCost(*b);

  clock->Advance(59'000);
  CHECK(ReadAllCost(*a) == 0);
  CHECK(ReadAllCost(*b) == 0);  // a hit: b's entries idle from now
  clock->Advance(1'000);
  CHECK(ReadAllCost(*a) > kOneSstKeys / 2);  // 60 s since cached: gone, read again
  CHECK(ReadAllCost(*b) == 0);               // 1 s idle
  clock->Advance(60'000);
  CHECK(ReadAllCost(*b) > kOneSstKeys / 2);  // 60 s idle: gone
  REQUIRE(BlockOn(a->Close()).ok());
  REQUIRE(BlockOn(b->Close()).ok());
}

TEST_CASE("db cache: a split cache keeps blocks and SST handles apart", "[db][cache][db_cache]") {
  ThreadedDbEnv env;
  auto blocks = MakeCache(8 << 20, std::nullopt, std::nullopt, 16);
  auto meta = MakeCache(1 << 20, std::nullopt, std::nullopt, 16);
  Result<std::shared_ptr<DbCache>> split = NewSplitCache(blocks, meta);
  REQUIRE(split.ok());
  CHECK((*split)->capacity_bytes() == blocks->capacity_bytes() + meta->capacity_bytes());
  CHECK(NewSplitCache(blocks, nullptr).status().kind() == ErrorKind::kInvalid);

  auto db = OpenWith(env, "db", *split, 1);
  WriteOneSst(*db);  // the new SST's handle goes to the metadata cache
  CHECK(meta->entry_count() == 1);
  CHECK(blocks->entry_count() == 0);
  ReadAllCost(*db);
  CHECK(meta->entry_count() == 1);
  CHECK(blocks->entry_count() >= static_cast<uint64_t>(kOneSstKeys / 2));
  CHECK((*split)->entry_count() == blocks->entry_count() + meta->entry_count());

  // A reader of the same id: the handle from the metadata cache, the blocks from theirs.
  auto reader = ReaderWith(env, "db", *split, 1);
  CHECK(ReadAllCost(*reader) == 0);

  // A metadata part of capacity 0 caches no handle; blocks are still cached.
  auto none = MakeCache(0, std::nullopt, std::nullopt, 16);
  auto blocks2 = MakeCache(8 << 20, std::nullopt, std::nullopt, 16);
  auto split2 = NewSplitCache(blocks2, none);
  REQUIRE(split2.ok());
  auto reader2 = ReaderWith(env, "db", *split2, 1);
  CHECK(ReadAllCost(*reader2) > 0);
  CHECK(none->entry_count() == 0);
  CHECK(blocks2->entry_count() >= static_cast<uint64_t>(kOneSstKeys / 2));
  REQUIRE(BlockOn(db->Close()).ok());
  REQUIRE(BlockOn(reader->Close()).ok());
  REQUIRE(BlockOn(reader2->Close()).ok());
}

TEST_CASE("db cache: zero shards is Invalid", "[db][cache][db_cache]") {
  BlockCacheOptions options;
  options.shards = 0;
  Result<std::shared_ptr<DbCache>> cache = NewBlockCache(options);
  CHECK(cache.status().kind() == ErrorKind::kInvalid);
  CHECK(cache.status().message() == "shards must be greater than zero.");
}

}  // namespace slatedb::testing
