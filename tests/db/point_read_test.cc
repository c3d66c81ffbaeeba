// SPDX-License-Identifier: Apache-2.0
//
// What a point read fetches from the store (read/point_lookup.cc): one range read for the
// data it needs, also when the key's versions may start in the block before the one its
// key opens (the index keeps only first keys), which once cost two reads in a row.
#include <catch2/catch.hpp>

#include <string>

#include "db/one_sst_fixture.h"

namespace slatedb::testing {

TEST_CASE("a point read of a key that opens a block makes one store read", "[db][cache]") {
  ThreadedDbEnv env;
  std::shared_ptr<Db> db = env.Open(OneSstSettings());
  const std::string id = WriteOneSst(*db);  // one 1,000-byte row per 1 KiB block
  REQUIRE(BlockOn(db->EvictCachedSst(id)).ok());

  uint64_t before = StoreReads(*db);
  ReadOneSstKeys(*db, 0, 1);  // the SST's index and filter, then block 0
  CHECK(StoreReads(*db) - before == 2);

  // Every other key opens its block, so its versions may end the block before: both
  // blocks come in one read, and the next block is cached with it.
  for (int i : {50, 10, 99}) {
    CAPTURE(i);
    before = StoreReads(*db);
    Result<std::optional<std::string>> got = BlockOn(db->Get(OneSstKey(i)));
    REQUIRE(got.ok());
    REQUIRE(got->has_value());
    CHECK(**got == std::string(1000, static_cast<char>('a' + i % 26)));
    CHECK(StoreReads(*db) - before == 1);
  }
  before = StoreReads(*db);
  ReadOneSstKeys(*db, 49, 51);  // blocks 48-50: 49 and 50 came with the read of key 50
  CHECK(StoreReads(*db) - before == 1);

  BlockOn(db->Close());

  // Without a block cache the pair still serves the read that fetched it.
  Settings uncached = OneSstSettings();
  uncached.block_cache_bytes = 0;
  db = env.Open(uncached);
  ReadOneSstKeys(*db, 70, 71);  // opens the SST
  before = StoreReads(*db);
  Result<std::optional<std::string>> got = BlockOn(db->Get(OneSstKey(70)));
  REQUIRE(got.ok());
  REQUIRE(got->has_value());
  CHECK(**got == std::string(1000, static_cast<char>('a' + 70 % 26)));
  CHECK(StoreReads(*db) - before == 1);
  BlockOn(db->Close());
}

}  // namespace slatedb::testing
