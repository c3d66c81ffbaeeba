// SPDX-License-Identifier: Apache-2.0
//
// Walking backward: a block's rows from any position (restart intervals decoded into a
// buffer), the memtable's reverse iterator (chunks found by one skiplist descent), and
// descending scans of a database whose rows are spread over memtables, L0 SSTs and sorted
// runs, with several versions, tombstones, merges and TTLs, compared with the ascending scan
// of the same view reversed.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "format/block.h"
#include "format/block_builder.h"
#include "memtable/memtable.h"
#include "tests/format/legacy_format.h"
#include "slatedb/transaction.h"
#include "tests/db/db_test_util.h"
#include "util/random.h"

namespace slatedb::testing {
namespace {

std::string Key(int i) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "key%05d", i);
  return buf;
}

// Rows in internal order: keys ascending, 1-3 versions each, newest first.
std::vector<Row> VersionedRows(int keys, uint64_t seed) {
  Random rng(seed);
  std::vector<Row> rows;
  uint64_t seq = 1000000;
  for (int i = 0; i < keys; ++i) {
    int versions = 1 + static_cast<int>(rng.Uniform(3));
    for (int v = 0; v < versions; ++v) {
      Row row;
      row.key = Key(i * 2);  // gaps, so "between keys" targets exist
      row.seq = seq--;
      row.kind = v == 1 ? RowKind::kTombstone : RowKind::kValue;
      if (row.kind == RowKind::kValue) row.value = "v" + std::to_string(row.seq);
      rows.push_back(row);
    }
  }
  return rows;
}

bool SameRow(const RowView& a, const Row& b) {
  return a.key == b.key && a.seq == b.seq && a.kind == b.kind && a.value == b.value;
}

// The rows as one block of `version` (2: restart intervals; 1: every row addressable).
std::string EncodeBlock(const std::vector<Row>& rows, uint16_t version) {
  if (version == kBlockFormatV1) return EncodeBlockV1(rows);
  BlockBuilder builder(64 * 1024);
  for (const Row& row : rows) builder.Add(row.view());
  return builder.Finish();
}

TEST_CASE("a block walks backward from its end and from any key", "[read]") {
  for (uint16_t version : {kBlockFormatV2, kBlockFormatV1})
    for (int keys : {1, 2, 3, 4, 5, 7, 40, 300}) {
      std::vector<Row> rows = VersionedRows(keys, static_cast<uint64_t>(keys));
      Result<Block> parsed = Block::Parse(EncodeBlock(rows, version), version);
      REQUIRE(parsed.ok());
      const Block& block = *parsed;
      INFO("version " << version << ", " << keys << " keys, " << rows.size() << " rows");

      // From the end: every row in exact reverse order.
      Block::Iterator it(&block);
      it.SeekToLast();
      for (size_t i = rows.size(); i-- > 0;) {
        REQUIRE(it.Valid());
        REQUIRE(SameRow(it.row(), rows[i]));
        it.Prev();
      }
      REQUIRE(!it.Valid());
      REQUIRE(it.status().ok());

      // SeekBefore every key, and between keys: the last row with a smaller key.
      for (int i = -1; i <= keys * 2; ++i) {
        std::string target = i < 0 ? std::string("a") : Key(i);
        auto first_not_before =
            std::find_if(rows.begin(), rows.end(), [&](const Row& r) { return r.key >= target; });
        it.SeekBefore(target);
        if (first_not_before == rows.begin()) {
          REQUIRE(!it.Valid());
          continue;
        }
        REQUIRE(it.Valid());
        REQUIRE(SameRow(it.row(), *(first_not_before - 1)));
        // A step back, then forward again, returns to the same row.
        it.Prev();
        if (first_not_before - 1 == rows.begin()) {
          REQUIRE(!it.Valid());
        } else {
          REQUIRE(SameRow(it.row(), *(first_not_before - 2)));
          it.Next();
          REQUIRE(SameRow(it.row(), *(first_not_before - 1)));
          // Forward iteration continues past the decoded interval to the end.
          size_t expect = static_cast<size_t>(first_not_before - rows.begin());
          for (it.Next(); it.Valid(); it.Next()) REQUIRE(SameRow(it.row(), rows[expect++]));
          REQUIRE(expect == rows.size());
        }
      }

      // Prev after forward positioning.
      it.Seek(rows[rows.size() / 2].key);
      REQUIRE(it.Valid());
      auto pos = std::find_if(rows.begin(), rows.end(),
                              [&](const Row& r) { return r.key >= rows[rows.size() / 2].key; });
      it.Prev();
      if (pos == rows.begin()) {
        REQUIRE(!it.Valid());
      } else {
        REQUIRE(SameRow(it.row(), *(pos - 1)));
      }
    }
}

TEST_CASE("an empty block has nothing to walk backward", "[read]") {
  Result<Block> parsed = Block::Parse(BlockBuilder(4096).Finish(), kBlockFormatV2);
  REQUIRE(parsed.ok());
  Block::Iterator it(&*parsed);
  it.SeekToLast();
  CHECK(!it.Valid());
  it.SeekBefore("zzz");
  CHECK(!it.Valid());
}

TEST_CASE("the memtable's reverse iterator yields internal order backward", "[read]") {
  for (int keys : {0, 1, 2, 17, 500, 5000}) {
    Memtable table;
    std::vector<Row> rows = VersionedRows(keys, 99 + static_cast<uint64_t>(keys));
    Random rng(5);
    std::vector<Row> shuffled = rows;
    for (size_t i = shuffled.size(); i > 1; --i)
      std::swap(shuffled[i - 1], shuffled[rng.Uniform(i)]);
    for (const Row& row : shuffled) table.Add(row.view());
    INFO(keys << " keys");

    Memtable::ReverseIterator it(&table);
    it.SeekBefore("");
    for (size_t i = rows.size(); i-- > 0;) {
      REQUIRE(it.Valid());
      REQUIRE(SameRow(it.row(), rows[i]));
      it.Prev();
    }
    REQUIRE(!it.Valid());

    for (int i = -1; i <= keys * 2; i += 1 + keys / 50) {
      std::string target = i < 0 ? std::string("a") : Key(i);
      auto first_not_before =
          std::find_if(rows.begin(), rows.end(), [&](const Row& r) { return r.key >= target; });
      it.SeekBefore(target);
      size_t expect = static_cast<size_t>(first_not_before - rows.begin());
      for (size_t n = 0; n < 40 && expect > 0; ++n) {
        REQUIRE(it.Valid());
        REQUIRE(SameRow(it.row(), rows[--expect]));
        it.Prev();
      }
      if (expect == 0) REQUIRE(!it.Valid());
    }
  }
}

ScanOptions Descending() {
  ScanOptions options;
  options.order = IterationOrder::kDescending;
  return options;
}

std::vector<KeyValue> Reversed(std::vector<KeyValue> rows) {
  std::reverse(rows.begin(), rows.end());
  return rows;
}

// Writes `n` keys in rounds (overwrites, deletes, merges, short TTLs), flushing between
// rounds so versions of one key lie in several layers.
void WriteLayers(Db& db, int n, Random& rng, bool flush_last) {
  for (int round = 0; round < 4; ++round) {
    WriteOptions fast;
    fast.await_durable = false;
    for (int i = 0; i < n; ++i) {
      if (rng.Uniform(3) != 0) continue;
      std::string key = Key(i);
      switch (rng.Uniform(6)) {
        case 0:
          REQUIRE(BlockOn(db.Delete(key, fast)).ok());
          break;
        case 1:
        case 2:
          REQUIRE(BlockOn(db.Merge(key, "+" + std::to_string(round), {}, fast)).ok());
          break;
        case 3: {
          PutOptions ttl;
          ttl.ttl_ms = 1;  // expired by the time it is read
          REQUIRE(BlockOn(db.Put(key, "short", ttl, fast)).ok());
          break;
        }
        default:
          REQUIRE(
              BlockOn(db.Put(key, std::string(20 + rng.Uniform(80), 'a' + round), {}, fast)).ok());
      }
    }
    if (round < 3 || flush_last) REQUIRE(BlockOn(db.Flush(FlushType::kMemTable)).ok());
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(5));  // the 1 ms TTLs pass
}

void CheckBothOrders(Db& db, const std::string& start, const std::string& end) {
  INFO("range [" << start << ", " << end << ")");
  std::vector<KeyValue> up = DrainIterator(BlockOn(db.Scan(start, end)));
  std::vector<KeyValue> down = DrainIterator(BlockOn(db.Scan(start, end, Descending())));
  REQUIRE(down == Reversed(up));
}

TEST_CASE("descending scans: memtables, L0 and sorted runs, every range", "[read][db]") {
  ThreadedDbEnv env;
  // An expired row turns into a tombstone only when a flush or a compaction rewrites it
  // (upstream 0.17's rule), and the background compactor may do that between the two scans
  // of a range; hiding expired rows on read keeps both scans reading the same rows.
  env.hide_expired_on_read = true;
  Settings settings = SmallSettings();
  settings.l0_sst_size_bytes = 8 * 1024;
  settings.l0_max_ssts = 4;
  settings.compaction_min_sources = 2;
  settings.compaction_max_sources = 4;
  settings.compaction_max_sst_bytes = 64 * 1024;  // the smallest the settings allow
  settings.gc_enabled = false;
  auto db = env.Open(settings);
  Random rng(11);
  const int n = 600;
  WriteLayers(*db, n, rng, /*flush_last=*/false);
  auto metrics = db->Metrics();
  INFO("l0 " << metrics["db/l0_sst_count"] << ", runs " << metrics["db/sorted_run_count"]);

  CheckBothOrders(*db, std::string(1, '\0'), "");
  for (int i = 0; i < 30; ++i) {
    int a = static_cast<int>(rng.Uniform(n + 10));
    int b = a + 1 + static_cast<int>(rng.Uniform(200));
    CheckBothOrders(*db, Key(a), rng.Uniform(4) == 0 ? std::string() : Key(b));
    // Bounds between keys.
    CheckBothOrders(*db, Key(a) + "x", Key(b) + "x");
  }

  // A snapshot and a reader see the same rows backward.
  auto snap = db->GetSnapshot();
  REQUIRE(snap.ok());
  std::vector<KeyValue> all = DrainIterator(BlockOn(db->Scan(std::string(1, '\0'), "")));
  CHECK(DrainIterator(BlockOn((*snap)->Scan(std::string(1, '\0'), "", Descending()))) ==
        Reversed(all));
  REQUIRE(!all.empty());
}

TEST_CASE("descending rows carry the metadata of the ascending ones", "[read][db]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  PutOptions ttl;
  ttl.ttl_ms = 3'600'000;
  Result<WriteHandle> a = BlockOn(db->Put("a", "1", ttl));
  REQUIRE(a.ok());
  REQUIRE(BlockOn(db->Merge("b", "x")).ok());
  REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  Result<WriteHandle> b = BlockOn(db->Merge("b", "y"));
  REQUIRE(b.ok());
  std::vector<KeyValue> down = DrainIterator(BlockOn(db->Scan("a", "", Descending())));
  REQUIRE(down.size() == 2);
  CHECK(down[0].key == "b");
  CHECK(down[0].value == "xy");
  CHECK(down[0].seq == b->seq);  // the newest operand
  CHECK(down[0].create_ts == b->create_ts);
  CHECK(!down[0].expire_ts);
  CHECK(down[1].key == "a");
  CHECK(down[1].seq == a->seq);
  CHECK(down[1].create_ts == a->create_ts);
  REQUIRE(down[1].expire_ts);
  CHECK(*down[1].expire_ts == a->create_ts + 3'600'000);
  CHECK(Reversed(DrainIterator(BlockOn(db->Scan("a", "")))) == down);
}

TEST_CASE("a descending iterator refuses seek and goes on", "[read][db]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  for (const char* k : {"a", "b", "c"}) REQUIRE(BlockOn(db->Put(k, k)).ok());
  auto it = BlockOn(db->Scan("a", "", Descending()));
  REQUIRE(it.ok());
  Status seek = BlockOn((*it)->Seek("b"));
  CHECK(seek.kind() == ErrorKind::kInvalid);
  CHECK(seek.message() == "seek is not supported for descending scans");
  Result<std::optional<KeyValue>> first = BlockOn((*it)->Next());
  REQUIRE(first.ok());
  REQUIRE(first->has_value());
  CHECK((*first)->key == "c");
}

TEST_CASE("transaction scans merge their buffer in both orders", "[read][txn]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  for (const char* k : {"a", "c", "e", "g"}) REQUIRE(BlockOn(db->Put(k, k)).ok());
  auto txn = db->Begin();
  REQUIRE(txn.ok());
  REQUIRE((*txn)->Put("b", "B").ok());
  REQUIRE((*txn)->Delete("c").ok());
  REQUIRE((*txn)->Merge("e", "+").ok());
  REQUIRE((*txn)->Put("h", "H").ok());
  std::vector<KeyValue> up = DrainIterator(BlockOn((*txn)->Scan("a", "")));
  std::vector<KeyValue> down = DrainIterator(BlockOn((*txn)->Scan("a", "", Descending())));
  REQUIRE(down == Reversed(up));
  std::vector<std::string> keys;
  for (const KeyValue& kv : down) keys.push_back(kv.key);
  CHECK(keys == std::vector<std::string>{"h", "g", "e", "b", "a"});
  // Rows the buffer decides have no version yet (as upstream).
  CHECK(down[0].seq == UINT64_MAX);
  CHECK(down[0].create_ts == 0);
  CHECK(down[2].value == "e+");
  CHECK(down[2].seq == UINT64_MAX);
  CHECK(down[1].seq != UINT64_MAX);  // "g" comes from the database
  Result<std::optional<KeyValueRow>> own = BlockOn((*txn)->GetKeyValue("b"));
  REQUIRE(own.ok());
  REQUIRE(own->has_value());
  CHECK((*own)->seq == UINT64_MAX);
  CHECK((*own)->create_ts == 0);
  Result<std::optional<KeyValueRow>> theirs = BlockOn((*txn)->GetKeyValue("g"));
  REQUIRE(theirs.ok());
  REQUIRE(theirs->has_value());
  CHECK((*theirs)->value == "g");
  CHECK((*theirs)->seq == down[1].seq);
  Result<std::optional<KeyValueRow>> deleted = BlockOn((*txn)->GetKeyValue("c"));
  REQUIRE(deleted.ok());
  CHECK(!deleted->has_value());
}

}  // namespace
}  // namespace slatedb::testing
