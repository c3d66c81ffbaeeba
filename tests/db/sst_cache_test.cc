// SPDX-License-Identifier: Apache-2.0
//
// Per-SST cache control (slatedb/sst_cache.h): Db/DbReader WarmSst, EvictCachedSst and
// FlushCacheToDisk, proven by the requests reads make afterwards (object_store/* for the
// block cache and the SST handle, the persistent cache's inner requests for it).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>

#include "db/one_sst_fixture.h"
#include "slatedb/platform/cached_object_store.h"
#include "testutil/temp_dir.h"

namespace slatedb::testing {

TEST_CASE("WarmSst loads an SST so reads make no request; EvictCachedSst undoes it",
          "[db][cache]") {
  ThreadedDbEnv env;
  std::shared_ptr<Db> db = env.Open(OneSstSettings());
  const std::string id = WriteOneSst(*db);

  REQUIRE(BlockOn(db->EvictCachedSst(id)).ok());
  uint64_t before = StoreReads(*db);
  ReadOneSstKeys(*db);
  const uint64_t cold = StoreReads(*db) - before;
  CHECK(cold > kOneSstKeys / 10);  // the SST's filter and index, then its blocks

  REQUIRE(BlockOn(db->EvictCachedSst(id)).ok());
  std::vector<CacheTarget> everything{CacheTarget::Filters(), CacheTarget::Index(),
                                      CacheTarget::Stats(), CacheTarget::AllData()};
  REQUIRE(BlockOn(db->WarmSst(id, everything)).ok());
  before = StoreReads(*db);
  const uint64_t misses = db->Metrics()["block_cache/misses"];
  ReadOneSstKeys(*db);
  CHECK(StoreReads(*db) == before);
  CHECK(db->Metrics()["block_cache/misses"] == misses);

  // Evicted: the same reads fetch again; a lower-case id names the same SST.
  std::string lower = id;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  REQUIRE(BlockOn(db->EvictCachedSst(lower)).ok());
  before = StoreReads(*db);
  ReadOneSstKeys(*db);
  CHECK(StoreReads(*db) - before == cold);
  BlockOn(db->Close());
}

TEST_CASE("WarmSst with a data range loads only the blocks of that range", "[db][cache]") {
  ThreadedDbEnv env;
  std::shared_ptr<Db> db = env.Open(OneSstSettings());
  const std::string id = WriteOneSst(*db);
  REQUIRE(BlockOn(db->EvictCachedSst(id)).ok());
  REQUIRE(BlockOn(db->WarmSst(id, {CacheTarget::Data(OneSstKey(50), true, OneSstKey(60), false)}))
              .ok());
  uint64_t before = StoreReads(*db);
  ReadOneSstKeys(*db, 50, 60);  // warmed, and the filter and index came with them
  CHECK(StoreReads(*db) == before);
  ReadOneSstKeys(*db, 0, 10);  // not warmed
  CHECK(StoreReads(*db) > before);

  // A range holding no key of the SST, or an empty one, loads nothing and is no error.
  REQUIRE(BlockOn(db->EvictCachedSst(id)).ok());
  REQUIRE(BlockOn(db->WarmSst(id, {CacheTarget::Data("z", true, std::nullopt, false),
                                   CacheTarget::Data(OneSstKey(9), true, OneSstKey(1), true)}))
              .ok());
  before = StoreReads(*db);
  ReadOneSstKeys(*db, 0, 1);
  CHECK(StoreReads(*db) - before == 1);  // only the block: the SST was opened by the warm
  BlockOn(db->Close());
}

TEST_CASE("WarmSst and EvictCachedSst: ids, unknown SSTs, no cache, closed", "[db][cache]") {
  ThreadedDbEnv env;
  Settings settings = OneSstSettings();
  std::shared_ptr<Db> db = env.Open(settings);
  const std::string id = WriteOneSst(*db);

  Status bad = BlockOn(db->WarmSst("nope", {CacheTarget::Index()}));
  CHECK(bad.kind() == ErrorKind::kInvalid);
  CHECK(bad.message() == "invalid SST ULID: invalid length");
  CHECK(BlockOn(db->EvictCachedSst("01ARZ3NDEKTSV4RRFFQ69G5FA!")).message() ==
        "invalid SST ULID: invalid character");
  CHECK(BlockOn(db->EvictCachedSst("81ARZ3NDEKTSV4RRFFQ69G5FAV")).message() ==
        "invalid SST ULID: out of range");

  // A well-formed id the manifest does not list: nothing happens.
  const uint64_t before = StoreReads(*db);
  CHECK(BlockOn(db->WarmSst("01ARZ3NDEKTSV4RRFFQ69G5FAV", {CacheTarget::AllData()})).ok());
  CHECK(BlockOn(db->EvictCachedSst("01ARZ3NDEKTSV4RRFFQ69G5FAV")).ok());
  CHECK(StoreReads(*db) == before);
  CHECK(BlockOn(db->FlushCacheToDisk()).ok());

  REQUIRE(BlockOn(db->Close()).ok());
  CHECK(BlockOn(db->WarmSst(id, {})).IsClosed());
  CHECK(BlockOn(db->FlushCacheToDisk()).IsClosed());
  CHECK(BlockOn(db->EvictCachedSst(id)).IsClosed());  // as upstream: an SST it lists
  CHECK(BlockOn(db->EvictCachedSst("01ARZ3NDEKTSV4RRFFQ69G5FAV")).ok());  // any other
  CHECK(BlockOn(db->WarmSst("nope", {})).kind() == ErrorKind::kInvalid);

  // Without a block cache (or a persistent one) warming does nothing.
  settings.block_cache_bytes = 0;
  std::shared_ptr<Db> uncached = env.Open(settings);
  REQUIRE(BlockOn(uncached->EvictCachedSst(id)).ok());
  const uint64_t at = StoreReads(*uncached);
  CHECK(BlockOn(uncached->WarmSst(id, {CacheTarget::Index(), CacheTarget::AllData()})).ok());
  CHECK(StoreReads(*uncached) == at);
  BlockOn(uncached->Close());
}

TEST_CASE("DbReader warms and evicts its own block cache", "[db][cache][reader]") {
  ThreadedDbEnv env;
  std::shared_ptr<Db> db = env.Open(OneSstSettings());
  const std::string id = WriteOneSst(*db);
  Result<std::shared_ptr<DbReader>> opened = BlockOn(DbReader::Open(env.On<ReaderOptions>()));
  REQUIRE(opened.ok());
  DbReader& reader = **opened;

  REQUIRE(BlockOn(reader.WarmSst(id, {CacheTarget::Filters(), CacheTarget::AllData()})).ok());
  uint64_t before = StoreReads(reader);
  ReadOneSstKeys(reader);
  CHECK(StoreReads(reader) == before);
  REQUIRE(BlockOn(reader.EvictCachedSst(id)).ok());
  ReadOneSstKeys(reader);
  CHECK(StoreReads(reader) > before);
  CHECK(BlockOn(reader.WarmSst("nope", {})).message() == "invalid SST ULID: invalid length");
  CHECK(BlockOn(reader.FlushCacheToDisk()).ok());
  REQUIRE(BlockOn(reader.Close()).ok());
  CHECK(BlockOn(reader.WarmSst(id, {CacheTarget::Index()})).IsClosed());
  CHECK(BlockOn(reader.EvictCachedSst(id)).IsClosed());
  BlockOn(db->Close());
}

TEST_CASE("WarmSst fills the persistent cache; EvictCachedSst empties it", "[db][cache]") {
  TempDir dir;
  ThreadedDbEnv env;
  ObjectStoreCacheOptions options;
  options.root_folder = dir.path();
  options.part_size_bytes = 4096;
  Result<std::shared_ptr<CachedObjectStore>> cached = CachedObjectStore::Open(env.store, options);
  REQUIRE(cached.ok());
  env.store = *cached;
  std::shared_ptr<Db> db = env.Open(OneSstSettings());
  const std::string id = WriteOneSst(*db);
  REQUIRE((*cached)->stats().entries == 0);  // cache_on_flush is off

  REQUIRE(BlockOn(db->WarmSst(
                      id, {CacheTarget::Filters(), CacheTarget::Index(), CacheTarget::AllData()}))
              .ok());
  CHECK((*cached)->stats().entries > 0);
  REQUIRE(BlockOn(db->Close()).ok());

  // A new process's view: an empty block cache, the SST on disk. Reads send the store
  // nothing for it.
  std::shared_ptr<Db> again = env.Open(OneSstSettings());
  const uint64_t inner = (*cached)->stats().inner_requests;
  ReadOneSstKeys(*again);
  CHECK((*cached)->stats().inner_requests == inner);
  CHECK(StoreReads(*again) > 0);  // they went through the cache, not the block cache

  REQUIRE(BlockOn(again->EvictCachedSst(id)).ok());
  CHECK((*cached)->stats().entries == 0);
  ReadOneSstKeys(*again, 0, 1);
  CHECK((*cached)->stats().inner_requests > inner);
  CHECK(BlockOn(again->FlushCacheToDisk()).ok());
  BlockOn(again->Close());
}

}  // namespace slatedb::testing
