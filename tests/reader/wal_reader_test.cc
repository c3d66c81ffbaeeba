// SPDX-License-Identifier: Apache-2.0
//
// WalReader: what a writer logged, object by object, read without opening the database;
// following new objects; skipping objects GC removed; a missing database; a separate WAL
// store; a corrupt object.
#include "slatedb/wal_reader.h"

#include "store/paths.h"
#include "tests/db/db_test_util.h"

namespace slatedb::testing {
namespace {

std::shared_ptr<WalReader> MakeReader(const ThreadedDbEnv& env, std::string path = "db") {
  Result<std::shared_ptr<WalReader>> r = WalReader::Create(env.On<WalReaderOptions>(path));
  REQUIRE(r.status().ToString() == "OK");
  return *r;
}

// Direct store calls, as GC or an operator would make them.
Task<Status> StoreDelete(ObjectStore& store, std::string key) {
  co_return co_await AwaitCallback<Status>(
      [&](std::function<void(Status)> done) { store.Delete(key, std::move(done)); });
}
Task<Result<std::string>> StoreGet(ObjectStore& store, std::string key) {
  co_return co_await AwaitCallback<Result<std::string>>(
      [&](std::function<void(Result<std::string>)> done) { store.Get(key, std::move(done)); });
}
Task<Result<ObjectMeta>> StorePut(ObjectStore& store, std::string key, std::string data) {
  co_return co_await AwaitCallback<Result<ObjectMeta>>(
      [&](std::function<void(Result<ObjectMeta>)> done) {
        store.Put(key, std::move(data), ObjectPutOptions{}, std::move(done));
      });
}

std::string WalKey(uint64_t id) { return "db/wal/" + DbPaths::PadId(id) + ".sst"; }

// Every file the iterator has now, in order.
std::vector<WalFile> DrainNow(WalFileIterator& it) {
  std::vector<WalFile> files;
  for (;;) {
    Result<std::optional<WalFile>> next = BlockOn(it.TryNext());
    REQUIRE(next.status().ToString() == "OK");
    if (!*next) return files;
    files.push_back(std::move(**next));
  }
}

std::vector<WalRow> RowsOf(const std::vector<WalFile>& files) {
  std::vector<WalRow> rows;
  for (const WalFile& f : files) rows.insert(rows.end(), f.rows.begin(), f.rows.end());
  return rows;
}

// put a=1, put b=2, WAL flush, delete a, WAL flush, merge m=x, WAL flush.
void Seed(ThreadedDbEnv& env) {
  auto db = env.Open();
  REQUIRE(BlockOn(db->Put("a", "1")).ok());
  REQUIRE(BlockOn(db->Put("b", "2")).ok());
  REQUIRE(BlockOn(db->Flush(FlushType::kWal)).ok());
  REQUIRE(BlockOn(db->Delete("a")).ok());
  REQUIRE(BlockOn(db->Flush(FlushType::kWal)).ok());
  REQUIRE(BlockOn(db->Merge("m", "x")).ok());
  REQUIRE(BlockOn(db->Flush(FlushType::kWal)).ok());
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("the WAL reader returns each logged row once, in order", "[reader][wal_reader]") {
  ThreadedDbEnv env;
  Seed(env);
  auto reader = MakeReader(env);
  Result<uint64_t> tail = BlockOn(reader->LastWalFileId(0));
  REQUIRE(tail.ok());
  CHECK(*tail > 1);
  CHECK(*BlockOn(reader->LastWalFileId(*tail)) == *tail);
  CHECK(*BlockOn(reader->LastWalFileId(*tail + 100)) == *tail + 100);  // echoed back

  auto it = reader->Iterate(1);
  std::vector<WalFile> files = DrainNow(*it);
  REQUIRE(!files.empty());
  CHECK(files.back().id == *tail);
  for (size_t i = 1; i < files.size(); ++i) CHECK(files[i].id > files[i - 1].id);
  // The writer's fence at open holds no rows.
  CHECK(std::any_of(files.begin(), files.end(), [](const WalFile& f) { return f.rows.empty(); }));
  std::vector<WalRow> rows = RowsOf(files);
  REQUIRE(rows.size() == 4);
  CHECK((rows[0].kind == WalRowKind::kValue && rows[0].key == "a" && rows[0].value == "1"));
  CHECK((rows[1].kind == WalRowKind::kValue && rows[1].key == "b" && rows[1].value == "2"));
  CHECK((rows[2].kind == WalRowKind::kTombstone && rows[2].key == "a" && !rows[2].value));
  CHECK((rows[3].kind == WalRowKind::kMerge && rows[3].key == "m" && rows[3].value == "x"));
  for (const WalRow& r : rows) {
    CHECK(r.seq > 0);
    CHECK(r.create_ts.has_value());
  }
  CHECK(rows[0].seq < rows[1].seq);
  CHECK(rows[2].seq < rows[3].seq);
}

TEST_CASE("the WAL reader follows objects written later", "[reader][wal_reader]") {
  ThreadedDbEnv env;
  Seed(env);
  auto reader = MakeReader(env);
  uint64_t tail = *BlockOn(reader->LastWalFileId(0));
  auto it = reader->Iterate(tail + 1);
  CHECK(DrainNow(*it).empty());  // nothing beyond the tail yet

  auto db = env.Open();
  Result<WriteHandle> put = BlockOn(db->Put("later", "v", PutOptions{}, WriteOptions{}));
  REQUIRE(put.ok());
  REQUIRE(BlockOn(db->Flush(FlushType::kWal)).ok());
  std::vector<WalRow> rows = RowsOf(DrainNow(*it));
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].key == "later");
  CHECK(rows[0].seq == put->seq);
  CHECK(*BlockOn(reader->LastWalFileId(tail)) > tail);
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("the WAL reader skips objects that are gone", "[reader][wal_reader]") {
  ThreadedDbEnv env;
  Seed(env);
  auto reader = MakeReader(env);
  Result<std::vector<uint64_t>> ids = BlockOn(reader->ListWalFileIds(1));
  REQUIRE(ids.ok());
  REQUIRE(ids->size() >= 3);
  // As GC would: the first two objects are deleted.
  for (int i = 0; i < 2; ++i) REQUIRE(BlockOn(StoreDelete(*env.store, WalKey((*ids)[i]))).ok());
  auto it = reader->Iterate(1);
  std::vector<WalFile> files = DrainNow(*it);
  REQUIRE(files.size() == ids->size() - 2);
  CHECK(files.front().id == (*ids)[2]);
  CHECK(*BlockOn(reader->ReadWalFile((*ids)[0])) == std::nullopt);
}

TEST_CASE("the WAL reader reports a missing database and bad objects", "[reader][wal_reader]") {
  ThreadedDbEnv env;
  auto reader = MakeReader(env, "nothing-here");
  Result<uint64_t> tail = BlockOn(reader->LastWalFileId(0));
  CHECK(tail.status().kind() == ErrorKind::kData);
  CHECK(tail.status().message().find("failed to find latest transactional object") !=
        std::string::npos);
  auto it = reader->Iterate(1);
  CHECK(BlockOn(it->TryNext()).status().kind() == ErrorKind::kData);

  Seed(env);
  auto good = MakeReader(env);
  uint64_t last = *BlockOn(good->LastWalFileId(0));
  std::string key = WalKey(last + 1);
  REQUIRE(BlockOn(StorePut(*env.store, key, "not an sst")).ok());
  Result<std::optional<WalFile>> bad = BlockOn(good->ReadWalFile(last + 1));
  CHECK(bad.status().kind() == ErrorKind::kData);
  CHECK(bad.status().message().find(key) != std::string::npos);

  WalReaderOptions none;
  CHECK(WalReader::Create(none).status().kind() == ErrorKind::kInvalid);
}

TEST_CASE("the WAL reader reads a WAL kept in its own store", "[reader][wal_reader]") {
  ThreadedDbEnv env;
  Seed(env);
  // Move the WAL objects to a second store, as a database with a separate WAL store has them.
  auto wal_store = std::make_shared<MemoryObjectStore>();
  auto reader = MakeReader(env);
  std::vector<uint64_t> ids = *BlockOn(reader->ListWalFileIds(1));
  for (uint64_t id : ids) {
    Result<std::string> bytes = BlockOn(StoreGet(*env.store, WalKey(id)));
    REQUIRE(bytes.ok());
    REQUIRE(BlockOn(StorePut(*wal_store, WalKey(id), *bytes)).ok());
    REQUIRE(BlockOn(StoreDelete(*env.store, WalKey(id))).ok());
  }
  auto o = env.On<WalReaderOptions>();
  o.wal_object_store = wal_store;
  auto split = *WalReader::Create(o);
  CHECK(*BlockOn(split->LastWalFileId(0)) == ids.back());
  CHECK(RowsOf(DrainNow(*split->Iterate(1))).size() == 4);
}

}  // namespace
}  // namespace slatedb::testing
