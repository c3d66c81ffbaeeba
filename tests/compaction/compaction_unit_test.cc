// SPDX-License-Identifier: Apache-2.0
//
// Unit tests of the compaction scheduler (size-tiered picks) and the per-key retention
// rules (snapshots, tombstones, TTL, merge folding).
#include <catch2/catch.hpp>

#include "compaction/compaction_picker.h"
#include "compaction/retention.h"
#include "manifest/compactions_store.h"
#include "tests/db/db_test_util.h"

namespace slatedb::testing {
namespace {

SstRef Sst(const std::string& id, uint64_t bytes) {
  SstRef r;
  r.id = id;
  // Sizes come from the SST's section offsets; scaled so the info allowance is negligible.
  r.info.index_offset = bytes * 1000;
  return r;
}

SortedRun Run(uint32_t id, uint64_t bytes) {
  SortedRun run;
  run.id = id;
  run.ssts.push_back(Sst("sr" + std::to_string(id), bytes));
  return run;
}

TEST_CASE("picker: L0 compaction takes the oldest L0s into a fresh run", "[compaction]") {
  Manifest m;
  for (int i = 9; i >= 0; --i) m.l0.push_back(Sst("l0-" + std::to_string(i), 100));  // newest first
  m.sorted_runs.push_back(Run(3, 1000));
  PickerOptions o;
  auto spec = PickCompaction(m, {}, o);
  REQUIRE(spec.has_value());
  REQUIRE(spec->l0_ids.size() == 8);
  CHECK(spec->l0_ids.front() == "l0-7");  // newest consumed
  CHECK(spec->l0_ids.back() == "l0-0");   // oldest
  CHECK(spec->destination == 4);
  CHECK_FALSE(WritesOldestRun(m, *spec));
  // Only one L0 compaction at a time.
  CHECK_FALSE(PickCompaction(m, {*spec}, o).has_value());
  m.l0.resize(3);
  CHECK_FALSE(PickCompaction(m, {}, o).has_value());
}

TEST_CASE("picker: similar-sized runs merge into the lowest id", "[compaction]") {
  Manifest m;
  m.sorted_runs = {Run(9, 10), Run(8, 100), Run(7, 120), Run(6, 150), Run(5, 300), Run(4, 5000)};
  PickerOptions o;
  auto spec = PickCompaction(m, {}, o);
  REQUIRE(spec.has_value());
  CHECK(spec->run_ids == std::vector<uint32_t>{8, 7, 6, 5});
  CHECK(spec->destination == 5);
  CHECK_FALSE(WritesOldestRun(m, *spec));
  m.sorted_runs = {Run(4, 100), Run(3, 100), Run(2, 100), Run(1, 100)};
  spec = PickCompaction(m, {}, o);
  REQUIRE(spec.has_value());
  CHECK(spec->destination == 1);
  CHECK(WritesOldestRun(m, *spec));
  m.sorted_runs = {Run(4, 100), Run(3, 1000), Run(2, 10000), Run(1, 100000)};
  CHECK_FALSE(PickCompaction(m, {}, o).has_value());
}

RowView V(std::string_view key, uint64_t seq, RowKind kind, std::string_view value = "",
          int64_t expire = kNoTimestamp) {
  RowView r;
  r.key = key;
  r.seq = seq;
  r.kind = kind;
  r.value = value;
  r.expire_ts = expire;
  r.create_ts = 1;
  return r;
}

std::vector<Row> Keep(const RetentionOptions& o, const std::vector<RowView>& in) {
  std::vector<Row> out;
  KeyRetention(o).Apply(in, &out);
  return out;
}

TEST_CASE("retention: newest wins unless a snapshot needs older versions", "[compaction]") {
  RetentionOptions o;
  std::vector<RowView> in = {V("k", 9, RowKind::kValue, "c"), V("k", 5, RowKind::kValue, "b"),
                             V("k", 2, RowKind::kValue, "a")};
  auto out = Keep(o, in);
  REQUIRE(out.size() == 1);
  CHECK(out[0].value == "c");
  o.floor = 6;  // a snapshot at 6 reads "b"
  out = Keep(o, in);
  REQUIRE(out.size() == 2);
  CHECK(out[1].value == "b");
}

TEST_CASE("retention: tombstones drop only into the oldest run", "[compaction]") {
  RetentionOptions o;
  std::vector<RowView> in = {V("k", 9, RowKind::kTombstone), V("k", 5, RowKind::kValue, "b")};
  auto out = Keep(o, in);
  REQUIRE(out.size() == 1);
  CHECK(out[0].kind == RowKind::kTombstone);
  o.drop_tombstones = true;
  CHECK(Keep(o, in).empty());
  o.floor = 7;  // a snapshot at 7 still sees "b"; the tombstone above the floor stays
  out = Keep(o, in);
  REQUIRE(out.size() == 2);
  CHECK(out[0].kind == RowKind::kTombstone);
  CHECK(out[1].value == "b");
}

TEST_CASE("retention: expired values become tombstones, expired operands vanish", "[compaction]") {
  RetentionOptions o;
  o.now_ms = 100;
  auto out = Keep(o, {V("k", 9, RowKind::kValue, "new", 50), V("k", 5, RowKind::kValue, "old")});
  REQUIRE(out.size() == 1);
  CHECK(out[0].kind == RowKind::kTombstone);
  out = Keep(o, {V("k", 9, RowKind::kMerge, "x", 50), V("k", 5, RowKind::kValue, "old")});
  REQUIRE(out.size() == 1);
  CHECK(out[0].value == "old");
}

TEST_CASE("retention: merge operands fold onto their base", "[compaction]") {
  MergeOperator merge = ConcatMerge;
  RetentionOptions o;
  o.merge = &merge;
  auto out = Keep(o, {V("k", 9, RowKind::kMerge, "c"), V("k", 7, RowKind::kMerge, "b"),
                      V("k", 5, RowKind::kValue, "a"), V("k", 2, RowKind::kValue, "z")});
  REQUIRE(out.size() == 1);
  CHECK(out[0].kind == RowKind::kValue);
  CHECK(out[0].value == "abc");
  CHECK(out[0].seq == 9);
  out = Keep(o, {V("k", 9, RowKind::kMerge, "c"), V("k", 7, RowKind::kMerge, "b")});
  REQUIRE(out.size() == 1);
  CHECK(out[0].kind == RowKind::kMerge);
  CHECK(out[0].value == "bc");
  out = Keep(o, {V("k", 9, RowKind::kMerge, "c"), V("k", 7, RowKind::kTombstone)});
  REQUIRE(out.size() == 1);
  CHECK(out[0].kind == RowKind::kValue);
  CHECK(out[0].value == "c");
  // Never across the retention floor: the operand above it stays separate.
  o.floor = 8;
  out = Keep(o, {V("k", 9, RowKind::kMerge, "c"), V("k", 7, RowKind::kMerge, "b"),
                 V("k", 5, RowKind::kValue, "a")});
  REQUIRE(out.size() == 2);
  CHECK(out[0].value == "c");
  CHECK(out[1].value == "ab");
}

TEST_CASE("compaction request states: names round trip; an unknown stored state is Data",
          "[compaction]") {
  const CompactionStatus all[] = {CompactionStatus::kSubmitted, CompactionStatus::kRunning,
                                  CompactionStatus::kCompleted, CompactionStatus::kFailed,
                                  CompactionStatus::kCompacted, CompactionStatus::kScheduled};
  for (CompactionStatus status : all) {
    CHECK(ParseCompactionStatus(CompactionStatusName(status)) == status);
  }
  CHECK(CompactionStatusName(CompactionStatus::kRunning) == "Running");
  CHECK_FALSE(ParseCompactionStatus("running").has_value());

  CompactionsState state;
  state.id = 3;
  CompactionRecord record;
  record.id = "01JCYB9ZQ3M3Y2K4T5V6W7X8Y9";
  record.spec.sources.push_back(CompactionSource::SortedRun(2));
  record.spec.destination = 2;
  record.status = CompactionStatus::kFailed;
  record.error = "sources gone";
  state.recent_compactions.push_back(record);
  std::string text = EncodeCompactionsState(state);
  Result<CompactionsState> decoded = DecodeCompactionsState(text);
  REQUIRE(decoded.status().ToString() == "OK");
  REQUIRE(decoded->recent_compactions.size() == 1);
  CHECK(decoded->recent_compactions[0].status == CompactionStatus::kFailed);

  // The state is stored as the job state's value: the one byte where a Completed record's
  // encoding differs from this Failed one. A value past Scheduled is Data.
  CompactionsState completed = state;
  completed.recent_compactions[0].status = CompactionStatus::kCompleted;
  const std::string other = EncodeCompactionsState(completed);
  REQUIRE(other.size() == text.size());
  std::vector<size_t> differ;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != other[i]) differ.push_back(i);
  }
  REQUIRE(differ.size() == 1);
  CHECK(static_cast<uint8_t>(text[differ[0]]) == 3);  // Failed
  std::string bad = text;
  bad[differ[0]] = 9;
  CHECK(DecodeCompactionsState(bad).status().kind() == ErrorKind::kData);
}

}  // namespace
}  // namespace slatedb::testing
