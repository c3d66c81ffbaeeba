// SPDX-License-Identifier: Apache-2.0
//
// Objects upstream SlateDB (the slatedb 0.17.0 wheel) wrote, decoded here: an L0 SST per
// codec, a WAL SST, two manifests and a compactions file (tests/format/data, written by
// data/make_fixtures.py; the rows they hold are the formulas below, mirrored from it). Also:
// our builder, given the same rows, writes the same data blocks and filter bit for bit, and
// manifests and compactions files read from upstream are written back without loss.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "format_test_util.h"
#include "manifest/compactions_store.h"
#include "manifest/manifest.h"
#include "util/coding.h"

namespace slatedb {

namespace testing {

std::string ReadFixture(const std::string& name) {
  std::ifstream in(std::string(SLATEDB_TEST_DATA_DIR) + "/" + name, std::ios::binary);
  REQUIRE(in.good());
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace testing

namespace {

using testing::ReadFixture;

constexpr int64_t kTtlMs = 3'600'000;

std::string ValueOf(int i) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "value-%03d-", i);
  return std::string(buf) + std::string(static_cast<size_t>(i % 5), 'x');
}

std::string Key(int i) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "key%03d", i);
  return buf;
}

// What make_fixtures.py wrote, in internal order, without timestamps: puts key000..,
// tombstones on key005 and key010 (seqs n+1, n+2), merge operands a, b, c on mkey.
std::vector<Row> ExpectedL0Rows(int n) {
  std::vector<Row> rows;
  for (int i = 0; i < n; ++i) {
    if (i == 5) rows.push_back(Row{Key(i), static_cast<uint64_t>(n + 1), RowKind::kTombstone, ""});
    if (i == 10) rows.push_back(Row{Key(i), static_cast<uint64_t>(n + 2), RowKind::kTombstone, ""});
    rows.push_back(Row{Key(i), static_cast<uint64_t>(i + 1), RowKind::kValue, ValueOf(i)});
  }
  rows.push_back(Row{"mkey", static_cast<uint64_t>(n + 5), RowKind::kMerge, "c"});
  rows.push_back(Row{"mkey", static_cast<uint64_t>(n + 4), RowKind::kMerge, "b"});
  rows.push_back(Row{"mkey", static_cast<uint64_t>(n + 3), RowKind::kMerge, "a"});
  return rows;
}

void CheckL0(const std::string& name, CompressionCodec codec, int n) {
  INFO(name);
  const std::string object = ReadFixture(name);
  Result<testing::DecodedSst> decoded = testing::DecodeWholeSst(object);
  REQUIRE(decoded.ok());
  const SstInfo& info = decoded->info;
  CHECK(info.format_version == 2);
  CHECK(info.type == SstType::kCompacted);
  CHECK(info.compression == codec);
  CHECK(info.filter_format == FilterFormat::kComposite);
  CHECK(info.first_entry == "key000");
  CHECK(info.last_entry == "mkey");

  const std::vector<Row> expected = ExpectedL0Rows(n);
  REQUIRE(decoded->rows.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const Row& got = decoded->rows[i];
    const Row& want = expected[i];
    INFO("row " << i);
    CHECK(got.key == want.key);
    CHECK(got.seq == want.seq);
    CHECK(got.kind == want.kind);
    CHECK(got.value == want.value);
    // Every row carries its wall-clock create time; every 7th put a TTL of an hour.
    REQUIRE(got.create_ts != kNoTimestamp);
    CHECK(got.create_ts > 1'700'000'000'000);
    const bool ttl = want.kind == RowKind::kValue && want.key.rfind("key", 0) == 0 &&
                     std::stoi(want.key.substr(3)) % 7 == 0;
    CHECK(got.expire_ts == (ttl ? got.create_ts + kTtlMs : kNoTimestamp));
  }
  // Upstream's filter says "may contain" for every key it was built from.
  REQUIRE(decoded->filter.has_value());
  CHECK(decoded->filter->num_probes() == 6);
  for (const Row& row : expected) CHECK(decoded->filter->MayContain(row.key));
  REQUIRE(decoded->stats.has_value());
  CHECK(decoded->stats->num_puts == static_cast<uint64_t>(n));
  CHECK(decoded->stats->num_deletes == 2);
  CHECK(decoded->stats->num_merges == 3);
  REQUIRE(decoded->blocks.size() >= (n > 40 ? 2u : 1u));  // 1 KiB blocks
  CHECK(decoded->index_keys[0].empty());

  // Our builder, given the same rows, the same block size and filter threshold, writes the
  // same data blocks and the same filter bits (and the same separators).
  SstBuilderOptions opts;
  opts.block_size_bytes = 1024;
  opts.min_filter_keys = 10;
  opts.compression = codec;
  Result<EncodedSst> ours = testing::BuildSst(decoded->rows, opts);
  REQUIRE(ours.ok());
  Result<testing::DecodedSst> ours_decoded = testing::DecodeWholeSst(ours->data);
  REQUIRE(ours_decoded.ok());
  CHECK(ours_decoded->index_keys == decoded->index_keys);
  CHECK(ours_decoded->stats == decoded->stats);
  REQUIRE(ours_decoded->blocks.size() == decoded->blocks.size());
  for (size_t b = 0; b < decoded->blocks.size(); ++b) {
    auto raw = [](const std::string& obj, const SstInfo& i, BlockHandle h) {
      Result<std::string> r = DecodeStoredSection(std::string_view(obj).substr(h.offset, h.length),
                                                  i.compression, "block");
      REQUIRE(r.ok());
      return *r;
    };
    CHECK(raw(ours->data, ours->info, ours_decoded->blocks[b]) ==
          raw(object, info, decoded->blocks[b]));
  }
  auto filter_raw = [](const std::string& obj, const SstInfo& i) {
    Result<std::string> r = DecodeStoredSection(
        std::string_view(obj).substr(i.filter_offset, i.filter_len), i.compression, "filter");
    REQUIRE(r.ok());
    return *r;
  };
  CHECK(filter_raw(ours->data, ours->info) == filter_raw(object, info));
  if (codec == CompressionCodec::kNone) {
    // Uncompressed, the stored blocks and filter are identical byte for byte.
    CHECK(ours->data.substr(0, info.index_offset) == object.substr(0, info.index_offset));
  }
}

TEST_CASE("upstream L0 SSTs decode with every codec", "[format][upstream]") {
  CheckL0("l0_none.sst", CompressionCodec::kNone, 60);
  CheckL0("l0_snappy.sst", CompressionCodec::kSnappy, 20);
  CheckL0("l0_zlib.sst", CompressionCodec::kZlib, 20);
  CheckL0("l0_lz4.sst", CompressionCodec::kLz4, 20);
  CheckL0("l0_zstd.sst", CompressionCodec::kZstd, 20);
}

TEST_CASE("an upstream WAL SST decodes in seq order", "[format][upstream]") {
  const std::string object = ReadFixture("wal.sst");
  Result<testing::DecodedSst> decoded = testing::DecodeWholeSst(object);
  REQUIRE(decoded.ok());
  const SstInfo& info = decoded->info;
  CHECK(info.type == SstType::kWal);
  CHECK_FALSE(info.has_filter());
  CHECK(info.stats_len == 0);
  CHECK(info.last_entry.empty());
  REQUIRE(decoded->rows.size() == 3);
  const std::vector<Row>& rows = decoded->rows;
  CHECK(rows[0].key == "wal1");
  CHECK(rows[0].kind == RowKind::kValue);
  CHECK(rows[0].value == "x");
  CHECK(rows[1].key == "wal2");
  CHECK(rows[1].kind == RowKind::kTombstone);
  CHECK(rows[2].key == "wal3");
  CHECK(rows[2].kind == RowKind::kMerge);
  CHECK(rows[2].value == "m");
  CHECK(rows[0].seq == 66);  // after the 65 writes of the L0
  CHECK(rows[1].seq == 67);
  CHECK(rows[2].seq == 68);
  REQUIRE(info.first_entry.size() == 8);
  CHECK(DecodeBigEndian64(info.first_entry.data()) == 66);
  CHECK(decoded->index_keys == std::vector<std::string>{info.first_entry});
}

TEST_CASE("an upstream manifest decodes, and writes back without loss", "[format][upstream]") {
  const std::string bytes = ReadFixture("manifest_l0.manifest");
  CHECK(DecodeBigEndian16(bytes.data()) == 2);
  Result<Manifest> m = DecodeManifest(bytes);
  REQUIRE(m.ok());
  CHECK(m->initialized);
  CHECK(m->writer_epoch >= 1);
  CHECK(m->last_l0_seq == 65);
  CHECK(m->sorted_runs.empty());
  REQUIRE(m->l0.size() == 1);
  const SstRef& l0 = m->l0[0];
  CHECK(l0.view_id == l0.id);
  CHECK(!l0.visible_range.has_value());
  CHECK(l0.info.format_version == 2);
  // The manifest's copy of the info is the SST's own.
  Result<SstInfo> from_sst = DecodeSstInfoFromObject(ReadFixture("l0_none.sst"));
  REQUIRE(from_sst.ok());
  CHECK(l0.info == *from_sst);
  REQUIRE(m->checkpoints.size() == 1);
  const Checkpoint& cp = m->checkpoints[0];
  CHECK(cp.name == "cp1");
  CHECK(cp.expire_time_s == 0);
  CHECK(cp.create_time_s > 1'700'000'000u);
  CHECK(cp.manifest_id >= 1);
  CHECK(cp.id.size() == 36);
  // The sequence tracker: one sample (seq, time in seconds).
  REQUIRE(m->sequence_tracker.seqs().size() == 1);
  CHECK(m->sequence_tracker.times_s()[0] > 1'700'000'000);
  CHECK(m->segments.empty());
  CHECK(!m->segment_extractor_name.has_value());

  // Written back, it decodes to the same manifest.
  const std::string again = EncodeManifest(*m);
  CHECK(DecodeBigEndian16(again.data()) == 2);
  Result<Manifest> m2 = DecodeManifest(again);
  REQUIRE(m2.ok());
  CHECK(m2->writer_epoch == m->writer_epoch);
  CHECK(m2->compactor_epoch == m->compactor_epoch);
  CHECK(m2->replay_after_wal_id == m->replay_after_wal_id);
  CHECK(m2->wal_id_last_seen == m->wal_id_last_seen);
  CHECK(m2->last_l0_clock_tick == m->last_l0_clock_tick);
  CHECK(m2->recent_snapshot_min_seq == m->recent_snapshot_min_seq);
  CHECK(m2->l0[0].id == l0.id);
  CHECK(m2->l0[0].info == l0.info);
  CHECK(m2->checkpoints[0].id == cp.id);
  CHECK(m2->checkpoints[0].create_time_s == cp.create_time_s);
  CHECK(m2->sequence_tracker == m->sequence_tracker);
  CHECK(EncodeManifest(*m2) == again);
}

TEST_CASE("an upstream manifest and compactions file after a compaction", "[format][upstream]") {
  Result<Manifest> m = DecodeManifest(ReadFixture("manifest_compacted.manifest"));
  REQUIRE(m.ok());
  CHECK(m->l0.empty());
  REQUIRE(m->sorted_runs.size() == 1);
  CHECK(m->sorted_runs[0].id == 0);
  REQUIRE(m->sorted_runs[0].ssts.size() == 1);
  const SstRef& out = m->sorted_runs[0].ssts[0];
  CHECK(out.view_id == out.id);
  CHECK(out.info.first_entry == "c000");
  CHECK(out.info.last_entry == "c011");
  CHECK(m->compactor_epoch >= 1);
  CHECK(!m->last_compacted_l0_sst_id.empty());

  const std::string bytes = ReadFixture("compactions.compactions");
  CHECK(DecodeBigEndian16(bytes.data()) == 2);
  Result<CompactionsState> state = DecodeCompactionsState(bytes);
  REQUIRE(state.ok());
  CHECK(state->compactor_epoch >= 1);
  REQUIRE(state->recent_compactions.size() == 1);
  const CompactionRecord& job = state->recent_compactions[0];
  CHECK(job.status == CompactionStatus::kCompleted);
  CHECK(job.spec.destination == 0);
  CHECK(!job.spec.drain);
  CHECK(job.spec.segment.empty());
  REQUIRE(job.spec.sources.size() == 2);
  bool watermark_listed = false;
  for (const CompactionSource& s : job.spec.sources) {
    CHECK(s.kind == CompactionSource::Kind::kSstView);
    watermark_listed |= s.sst_ulid == m->last_compacted_l0_sst_id;
  }
  CHECK(watermark_listed);
  REQUIRE(job.outputs.size() == 1);
  CHECK(job.outputs[0].id == out.id);
  CHECK(job.outputs[0].info == out.info);
  REQUIRE(job.worker.has_value());
  CHECK(job.worker->id.size() == 26);
  CHECK(job.worker->last_heartbeat_ms > 1'700'000'000'000ull);

  // Written back and read again, nothing is lost.
  const std::string again = EncodeCompactionsState(*state);
  Result<CompactionsState> state2 = DecodeCompactionsState(again);
  REQUIRE(state2.ok());
  const CompactionRecord& job2 = state2->recent_compactions[0];
  CHECK(state2->compactor_epoch == state->compactor_epoch);
  CHECK(job2.id == job.id);
  CHECK(job2.status == job.status);
  CHECK(job2.spec.sources.size() == 2);
  CHECK(job2.outputs[0].info == job.outputs[0].info);
  CHECK(job2.worker->id == job.worker->id);
  CHECK(job2.worker->last_heartbeat_ms == job.worker->last_heartbeat_ms);
  CHECK(EncodeCompactionsState(*state2) == again);
}

}  // namespace
}  // namespace slatedb
