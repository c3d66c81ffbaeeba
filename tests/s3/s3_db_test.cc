// SPDX-License-Identifier: Apache-2.0
//
// The engine on S3 (moto_server): put, get, scan, flush, reopen and fencing on a real
// thread pool, and a few seeds of the model test through a blocking adapter.
#include <catch2/catch.hpp>

#include "s3_test_env.h"
#include "tests/db/db_model.h"
#include "tests/db/db_test_util.h"

namespace slatedb::testing {
namespace {

std::shared_ptr<Db> OpenOn(std::shared_ptr<ObjectStore> store, std::shared_ptr<Executor> executor) {
  DbOptions o;
  o.object_store = std::move(store);
  o.executor = std::move(executor);
  o.clock = std::make_shared<SystemClock>();
  o.path = "db";
  o.settings = SmallSettings();
  o.settings.object_store_max_retries = 5;
  o.merge_operator = ConcatMerge;
  Result<std::shared_ptr<Db>> db = BlockOn(Db::Open(o));
  REQUIRE(db.status().ToString() == "OK");
  return *db;
}

std::string Key(int i) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "key%05d", i);
  return buf;
}

TEST_CASE("engine on s3: put, get, scan, flush, reopen", "[s3]") {
  SLATEDB_S3_ENDPOINT_OR_SKIP(endpoint);
  auto store = OpenTestS3Store(endpoint, UniqueS3Prefix("engine"));
  auto executor = std::make_shared<ThreadPoolExecutor>(2);
  auto db = OpenOn(store, executor);
  constexpr int kKeys = 400;
  for (int i = 0; i < kKeys; i += 4) {
    WriteBatch batch;
    for (int j = i; j < i + 4; ++j)
      batch.Put(Key(j), std::string(100, static_cast<char>('a' + j % 26)));
    REQUIRE(BlockOn(db->Write(std::move(batch))).ok());
  }
  REQUIRE(BlockOn(db->Delete(Key(7))).ok());
  REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  CHECK(GetOrFail(*db, Key(3)) == std::string(100, 'd'));
  CHECK_FALSE(GetOrFail(*db, Key(7)).has_value());
  CHECK(ScanAll(*db, Key(0), Key(20)).size() == 19);
  REQUIRE(BlockOn(db->Close()).ok());

  db = OpenOn(store, executor);
  CHECK(ScanAll(*db, "", "").size() == kKeys - 1);
  CHECK(GetOrFail(*db, Key(kKeys - 1)) ==
        std::string(100, static_cast<char>('a' + (kKeys - 1) % 26)));
  REQUIRE(BlockOn(db->Close()).ok());
  INFO("requests: " << store->counts().total());
  CHECK(store->counts().put > 0);
}

TEST_CASE("engine on s3: a second writer fences the first", "[s3]") {
  SLATEDB_S3_ENDPOINT_OR_SKIP(endpoint);
  auto store = OpenTestS3Store(endpoint, UniqueS3Prefix("fence"));
  auto executor = std::make_shared<ThreadPoolExecutor>(2);
  auto first = OpenOn(store, executor);
  REQUIRE(BlockOn(first->Put("a", "1")).ok());
  // The second writer talks to the bucket through its own client, as another process would.
  auto second = OpenOn(OpenTestS3Store(endpoint, store->config().prefix), executor);
  CHECK(GetOrFail(*second, "a") == "1");
  Status fenced = BlockOn(first->Put("b", "2")).status();
  CHECK(fenced.kind() == ErrorKind::kClosed);
  CHECK(fenced.close_reason() == CloseReason::kFenced);
  REQUIRE(BlockOn(second->Put("c", "3")).ok());
  CHECK_FALSE(GetOrFail(*second, "b").has_value());
  REQUIRE(BlockOn(second->Close()).ok());
}

TEST_CASE("model test on s3: 3 seeds x 600 operations", "[s3]") {
  SLATEDB_S3_ENDPOINT_OR_SKIP(endpoint);
  for (uint64_t seed : {1, 2, 3}) {
    auto store =
        std::make_shared<BlockingObjectStore>(OpenTestS3Store(endpoint, UniqueS3Prefix("model")));
    RunModelSeed(seed, 600, store);
  }
}

}  // namespace
}  // namespace slatedb::testing
