// SPDX-License-Identifier: Apache-2.0
//
// The manifest (version 2 written, 1 and 2 read), the sequence-tracker blob inside it and
// the compactions file: every field round-trips, the FlatBuffer layout follows the format
// (one table entry per SST, by ULID; views; header), legacy versions decode, and malformed or
// unknown-version objects are Data naming the fault.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "fb/compactions_generated.h"
#include "fb/manifest_generated.h"
#include "format/flatbuffer_util.h"
#include "format/sst_info_fb.h"
#include "format_test_util.h"
#include "manifest/compactions_store.h"
#include "manifest/manifest.h"
#include "manifest/manifest_fb.h"
#include "util/coding.h"
#include "util/ulid.h"
#include "util/uuid.h"

namespace slatedb {
namespace {

// ULIDs whose text order is known: the generator is monotonic.
std::vector<std::string> Ulids(int n) {
  UlidGenerator gen(42);
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back(gen.Next(1'700'000'000'000 + i));
  return out;
}

SstInfo InfoFor(std::string first, std::string last, uint16_t version = 2) {
  SstInfo info;
  info.first_entry = std::move(first);
  info.last_entry = std::move(last);
  info.filter_offset = 4000;
  info.filter_len = 100;
  info.index_offset = 4100;
  info.index_len = 60;
  info.stats_offset = 4160;
  info.stats_len = 50;
  info.compression = CompressionCodec::kZstd;
  info.format_version = version;
  return info;
}

SstRef Ref(const std::string& id, std::string first, std::string last) {
  return SstRef::Whole(id, InfoFor(std::move(first), std::move(last)));
}

Manifest FullManifest() {
  const std::vector<std::string> ids = Ulids(12);
  Manifest m;
  m.writer_epoch = 7;
  m.compactor_epoch = 3;
  m.initialized = false;
  m.replay_after_wal_id = 41;
  m.wal_id_last_seen = 45;
  m.last_l0_seq = 9000;
  m.last_l0_clock_tick = 1'700'000'123'456;
  m.recent_snapshot_min_seq = 8500;
  // L0 newest first; one view narrowed to a visible range with its own view id.
  m.l0.push_back(Ref(ids[9], "a", "m"));
  SstRef projected = Ref(ids[8], "b", "z");
  projected.view_id = ids[11];
  projected.visible_range =
      VisibleRange{{RangeBound::Kind::kIncluded, "c"}, {RangeBound::Kind::kExcluded, "q"}};
  m.l0.push_back(projected);
  // Two runs, the second with a view of an SST the first also shows (different range).
  SortedRun run2{2, {Ref(ids[1], "a", "f"), Ref(ids[2], "g", "p")}};
  SstRef shared = Ref(ids[1], "a", "f");
  shared.view_id = ids[10];
  shared.visible_range =
      VisibleRange{{RangeBound::Kind::kUnbounded, ""}, {RangeBound::Kind::kIncluded, "d"}};
  SortedRun run1{1, {shared, Ref(ids[3], "x", "y")}};
  m.sorted_runs = {run2, run1};
  m.sorted_runs[0].ssts[1].info.format_version = 1;  // an older block format
  m.last_compacted_l0_sst_id = ids[7];
  Checkpoint named;
  named.id = "01234567-89ab-4cde-8f01-23456789abcd";
  named.manifest_id = 12;
  named.create_time_s = 1'700'000'000;
  named.expire_time_s = 1'700'000'900;
  named.name = "nightly";
  Checkpoint writer;
  writer.id = "ffffffff-0000-4000-8000-000000000001";
  writer.manifest_id = 13;
  writer.create_time_s = 1'700'000'100;
  writer.writer_epoch = 7;
  m.checkpoints = {named, writer};
  ExternalDb parent;
  parent.path = "parent/db";
  parent.source_checkpoint_id = "11111111-2222-4333-8444-555555555555";
  parent.final_checkpoint_id = "66666666-7777-4888-8999-aaaaaaaaaaaa";
  parent.sst_ids = {ids[2], ids[3]};
  ExternalDb grand;
  grand.path = "grandparent";
  grand.source_checkpoint_id = "11111111-2222-4333-8444-000000000000";
  grand.sst_ids = {ids[1]};
  m.external_dbs = {parent, grand};
  m.sequence_tracker.Insert(100, 1'700'000'000'000);
  m.sequence_tracker.Insert(160, 1'700'000'060'000);
  m.sequence_tracker.Insert(5000, 1'700'000'200'000);
  Segment segment;
  segment.prefix = "tenant-a/";
  segment.last_compacted_l0_view_id = ids[4];
  segment.l0 = {Ref(ids[6], "tenant-a/1", "tenant-a/9")};
  segment.sorted_runs = {SortedRun{0, {Ref(ids[5], "tenant-a/0", "tenant-a/5")}}};
  m.segments = {segment};
  m.segment_extractor_name = "by-tenant";
  return m;
}

void CheckRefsEqual(const std::vector<SstRef>& a, const std::vector<SstRef>& b) {
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].id == b[i].id);
    CHECK(a[i].view_id == b[i].view_id);
    CHECK(a[i].info == b[i].info);
    CHECK(a[i].visible_range == b[i].visible_range);
  }
}

TEST_CASE("every manifest field round-trips", "[format][manifest]") {
  const Manifest m = FullManifest();
  const std::string bytes = EncodeManifest(m);
  Result<Manifest> back = DecodeManifest(bytes);
  REQUIRE(back.ok());
  CHECK(back->writer_epoch == 7);
  CHECK(back->compactor_epoch == 3);
  CHECK_FALSE(back->initialized);
  CHECK(back->replay_after_wal_id == 41);
  CHECK(back->wal_id_last_seen == 45);
  CHECK(back->last_l0_seq == 9000);
  CHECK(back->last_l0_clock_tick == 1'700'000'123'456);
  CHECK(back->recent_snapshot_min_seq == 8500);
  CheckRefsEqual(back->l0, m.l0);
  REQUIRE(back->sorted_runs.size() == 2);
  CHECK(back->sorted_runs[0].id == 2);
  CHECK(back->sorted_runs[1].id == 1);
  CheckRefsEqual(back->sorted_runs[0].ssts, m.sorted_runs[0].ssts);
  CheckRefsEqual(back->sorted_runs[1].ssts, m.sorted_runs[1].ssts);
  CHECK(back->last_compacted_l0_sst_id == m.last_compacted_l0_sst_id);
  REQUIRE(back->checkpoints.size() == 2);
  CHECK(back->checkpoints[0].id == m.checkpoints[0].id);
  CHECK(back->checkpoints[0].name == "nightly");
  CHECK(back->checkpoints[0].expire_time_s == 1'700'000'900u);
  CHECK(back->checkpoints[0].create_time_s == 1'700'000'000u);
  CHECK(!back->checkpoints[0].writer_epoch.has_value());
  CHECK(back->checkpoints[1].writer_epoch == std::optional<uint64_t>(7));
  CHECK(back->checkpoints[1].name.empty());
  REQUIRE(back->external_dbs.size() == 2);
  CHECK(back->external_dbs[0].path == "parent/db");
  CHECK(back->external_dbs[0].source_checkpoint_id == m.external_dbs[0].source_checkpoint_id);
  CHECK(back->external_dbs[0].final_checkpoint_id == m.external_dbs[0].final_checkpoint_id);
  CHECK(back->external_dbs[0].sst_ids == m.external_dbs[0].sst_ids);
  CHECK(back->external_dbs[1].final_checkpoint_id.empty());
  CHECK(back->sequence_tracker == m.sequence_tracker);
  REQUIRE(back->segments.size() == 1);
  CHECK(back->segments[0].prefix == "tenant-a/");
  CHECK(back->segments[0].last_compacted_l0_view_id == m.segments[0].last_compacted_l0_view_id);
  CheckRefsEqual(back->segments[0].l0, m.segments[0].l0);
  CheckRefsEqual(back->segments[0].sorted_runs[0].ssts, m.segments[0].sorted_runs[0].ssts);
  CHECK(back->segment_extractor_name == std::optional<std::string>("by-tenant"));
  // SSTs of external databases resolve to those databases' roots.
  CHECK(back->sorted_runs[0].ssts[1].root == "parent/db");
  CHECK(back->sorted_runs[1].ssts[0].root == "grandparent");
  CHECK(back->l0[0].root.empty());
  // A second round is byte-identical.
  CHECK(EncodeManifest(*back) == bytes);
}

TEST_CASE("manifest layout: BE version 2, SSTs listed once by ULID, views referring to them",
          "[format][manifest]") {
  const Manifest m = FullManifest();
  const std::string bytes = EncodeManifest(m);
  REQUIRE(testing::Hex(bytes.substr(0, 2)) == "0002");
  std::vector<uint64_t> storage;
  const fb::Manifest* root =
      VerifiedRoot<fb::Manifest>(std::string_view(bytes).substr(2), &storage);
  REQUIRE(root != nullptr);
  CHECK(root->id() == 0);  // the object's name holds the id
  std::vector<std::string> table_ids;
  for (const fb::TableRef* t : *root->tables()) {
    table_ids.push_back(FormatUlid(Ulid128{t->id()->hi(), t->id()->lo()}));
    REQUIRE(t->block_format().has_value());
  }
  // 4 L0/run SSTs + ids[1] shared by two views + 2 segment SSTs: each once, ascending.
  CHECK(table_ids.size() == 7);
  CHECK(std::is_sorted(table_ids.begin(), table_ids.end()));
  CHECK(std::adjacent_find(table_ids.begin(), table_ids.end()) == table_ids.end());
  CHECK(root->l0()->size() == 2);
  CHECK(root->runs()->Get(0)->views()->size() == 2);
  CHECK(root->segments()->size() == 1);
  CHECK(root->checkpoints()->size() == 2);
  // An empty manifest still writes its required lists and an empty segment list.
  Manifest empty;
  const std::string e = EncodeManifest(empty);
  const fb::Manifest* er = VerifiedRoot<fb::Manifest>(std::string_view(e).substr(2), &storage);
  REQUIRE(er != nullptr);
  CHECK(er->tables() != nullptr);
  CHECK(er->l0() != nullptr);
  CHECK(er->runs() != nullptr);
  CHECK(er->checkpoints() != nullptr);
  CHECK(er->segments() != nullptr);
  CHECK(er->seq_times() != nullptr);
  CHECK(DecodeManifest(e).ok());
}

TEST_CASE("manifest versions other than 1 and 2, and malformed bodies, are Data",
          "[format][manifest]") {
  std::string bytes = EncodeManifest(FullManifest());
  std::string v3 = bytes;
  EncodeBigEndian16(v3.data(), 3);
  Status s = DecodeManifest(v3).status();
  CHECK(s.code() == StatusCode::kData);
  CHECK(s.message() == "unsupported manifest version 3");
  CHECK(DecodeManifest("").status().code() == StatusCode::kData);
  CHECK(DecodeManifest(std::string(1, '\0')).status().code() == StatusCode::kData);
  CHECK(DecodeManifest(std::string("\x00\x02", 2) + "garbage").status().code() ==
        StatusCode::kData);
  // Every truncation fails verification.
  for (size_t n = 2; n < bytes.size(); n += 7) {
    CHECK(DecodeManifest(bytes.substr(0, n)).status().code() == StatusCode::kData);
  }
  // Every single-byte change either fails cleanly or decodes (the body has no checksum).
  for (size_t i = 2; i < bytes.size(); ++i) {
    std::string damaged = bytes;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x5a);
    Result<Manifest> r = DecodeManifest(damaged);
    CHECK((r.ok() || r.status().code() == StatusCode::kData));
  }
}

TEST_CASE("a view of an SST missing from the tables, or a bad bound, is Data",
          "[format][manifest]") {
  const std::vector<std::string> ids = Ulids(2);
  flatbuffers::FlatBufferBuilder fbb;
  auto view = fb::CreateTableView(fbb, WriteUlid(fbb, ids[0]), WriteUlid(fbb, ids[1]));
  auto l0 = fbb.CreateVector(std::vector<flatbuffers::Offset<fb::TableView>>{view});
  auto tables = fbb.CreateVector(std::vector<flatbuffers::Offset<fb::TableRef>>{});
  auto runs = fbb.CreateVector(std::vector<flatbuffers::Offset<fb::Run>>{});
  auto checkpoints = fbb.CreateVector(std::vector<flatbuffers::Offset<fb::Checkpoint>>{});
  fb::ManifestBuilder b(fbb);
  b.add_tables(tables);
  b.add_l0(l0);
  b.add_runs(runs);
  b.add_checkpoints(checkpoints);
  fbb.Finish(b.Finish());
  std::string bytes("\x00\x02", 2);
  bytes += FinishedBytes(fbb);
  Status s = DecodeManifest(bytes).status();
  CHECK(s.code() == StatusCode::kData);
  CHECK(s.message().find("not in its tables") != std::string::npos);

  // Bounds: Included/Excluded need a key, Unbounded must not have one, Unset is invalid.
  auto bound_status = [](fb::KeyBoundKind kind, bool with_key) {
    flatbuffers::FlatBufferBuilder f;
    flatbuffers::Offset<flatbuffers::Vector<uint8_t>> key = 0;
    if (with_key) key = f.CreateVector(reinterpret_cast<const uint8_t*>("k"), 1);
    auto start = fb::CreateKeyBound(f, key, kind);
    auto end = fb::CreateKeyBound(f, 0, fb::KeyBoundKind::Open);
    f.Finish(fb::CreateKeyRange(f, start, end));
    std::vector<uint64_t> storage;
    const std::string bytes = FinishedBytes(f);
    const fb::KeyRange* range = VerifiedRoot<fb::KeyRange>(bytes, &storage);
    REQUIRE(range != nullptr);
    return ReadVisibleRange(*range).status().code();
  };
  CHECK(bound_status(fb::KeyBoundKind::Inclusive, true) == StatusCode::kOk);
  CHECK(bound_status(fb::KeyBoundKind::Exclusive, true) == StatusCode::kOk);
  CHECK(bound_status(fb::KeyBoundKind::Open, false) == StatusCode::kOk);
  CHECK(bound_status(fb::KeyBoundKind::Inclusive, false) == StatusCode::kData);
  CHECK(bound_status(fb::KeyBoundKind::Open, true) == StatusCode::kData);
  CHECK(bound_status(fb::KeyBoundKind::Unset, false) == StatusCode::kData);
}

TEST_CASE("version 1 manifests decode: SSTs listed directly, view id = SST id",
          "[format][manifest]") {
  const std::vector<std::string> ids = Ulids(3);
  flatbuffers::FlatBufferBuilder fbb;
  auto table = [&](const std::string& id, std::optional<uint16_t> block_format, bool visible) {
    SstRef ref = Ref(id, "k1", "k9");
    if (visible) {
      ref.visible_range =
          VisibleRange{{RangeBound::Kind::kExcluded, "k2"}, {RangeBound::Kind::kUnbounded, ""}};
    }
    auto ulid = WriteUlid(fbb, id);
    auto meta = WriteSstMeta(fbb, ref.info);
    flatbuffers::Offset<fb::KeyRange> range = 0;
    if (ref.visible_range) range = WriteVisibleRange(fbb, *ref.visible_range);
    return fb::CreateTableRefV1(
        fbb, ulid, meta, range,
        block_format ? flatbuffers::Optional<uint16_t>(*block_format) : flatbuffers::nullopt);
  };
  auto l0 = fbb.CreateVector(
      std::vector<flatbuffers::Offset<fb::TableRefV1>>{table(ids[2], std::nullopt, true)});
  auto run_tables = fbb.CreateVector(std::vector<flatbuffers::Offset<fb::TableRefV1>>{
      table(ids[0], 2, false), table(ids[1], 1, false)});
  auto runs = fbb.CreateVector(
      std::vector<flatbuffers::Offset<fb::RunV1>>{fb::CreateRunV1(fbb, 4, run_tables)});
  auto checkpoints = fbb.CreateVector(std::vector<flatbuffers::Offset<fb::Checkpoint>>{});
  auto last = WriteUlid(fbb, ids[1]);
  auto uri = fbb.CreateString("s3://wal-bucket");
  fb::ManifestV1Builder b(fbb);
  b.add_initialized(true);
  b.add_writer_epoch(5);
  b.add_compactor_epoch(2);
  b.add_replay_after_wal_id(10);
  b.add_wal_id_last_seen(12);
  b.add_last_compacted_l0(last);
  b.add_l0(l0);
  b.add_runs(runs);
  b.add_last_l0_clock_tick(99);
  b.add_checkpoints(checkpoints);
  b.add_last_l0_seq(777);
  b.add_wal_store_uri(uri);
  b.add_recent_snapshot_min_seq(700);
  fbb.Finish(b.Finish());
  std::string bytes("\x00\x01", 2);
  bytes += FinishedBytes(fbb);

  Result<Manifest> m = DecodeManifest(bytes);
  REQUIRE(m.ok());
  CHECK(m->initialized);
  CHECK(m->writer_epoch == 5);
  CHECK(m->compactor_epoch == 2);
  CHECK(m->replay_after_wal_id == 10);
  CHECK(m->wal_id_last_seen == 12);
  CHECK(m->last_compacted_l0_sst_id == ids[1]);
  CHECK(m->last_l0_clock_tick == 99);
  CHECK(m->last_l0_seq == 777);
  CHECK(m->recent_snapshot_min_seq == 700);
  CHECK(m->sequence_tracker.empty());
  REQUIRE(m->l0.size() == 1);
  CHECK(m->l0[0].id == ids[2]);
  CHECK(m->l0[0].view_id == ids[2]);
  CHECK(m->l0[0].info.format_version == 1);  // absent block format means 1
  REQUIRE(m->l0[0].visible_range.has_value());
  CHECK(m->l0[0].visible_range->start.kind == RangeBound::Kind::kExcluded);
  REQUIRE(m->sorted_runs.size() == 1);
  CHECK(m->sorted_runs[0].id == 4);
  CHECK(m->sorted_runs[0].ssts[0].info.format_version == 2);
  CHECK(m->sorted_runs[0].ssts[1].info.format_version == 1);
  // Written back as version 2.
  Result<Manifest> v2 = DecodeManifest(EncodeManifest(*m));
  REQUIRE(v2.ok());
  CheckRefsEqual(v2->l0, m->l0);
  CheckRefsEqual(v2->sorted_runs[0].ssts, m->sorted_runs[0].ssts);
}

TEST_CASE("sequence tracker: the format's Gorilla streams", "[format][manifest]") {
  // The format description's example: seq 1 at 1796391149 s.
  SequenceTracker one;
  REQUIRE(one.Assign({1}, {1796391149}));
  CHECK(testing::Hex(EncodeSequenceTracker(one)) ==
        "01"
        "01000000"
        "00000001"
        "0000000000000001"
        "00000001"
        "000000006b12c0ed");
  // Two samples: the first delta is the first delta-of-delta (7 bits after '10').
  SequenceTracker two;
  REQUIRE(two.Assign({1, 3}, {100, 100}));
  // seqs: count 2, first 1, dod 2 -> '10' '0000010' -> 7 bytes... padded: 0x81 0x00
  CHECK(testing::Hex(EncodeSequenceTracker(two)) ==
        "01"
        "02000000"
        "00000002"
        "0000000000000001"
        "8100"
        "00000002"
        "0000000000000064"
        "00");
  // Round trip with every delta-of-delta class, positive and negative.
  std::vector<uint64_t> seqs{1000};
  std::vector<int64_t> times{1'700'000'000};
  const int64_t steps[] = {0,   5,    -3,    63,   -63,    64,     255, -255,
                           256, 2047, -2047, 2048, 100000, -99000, 0};
  int64_t delta = 100;
  for (int64_t step : steps) {
    delta += step;
    seqs.push_back(seqs.back() + static_cast<uint64_t>(delta));
    times.push_back(times.back() + 60 + (step % 7));
  }
  SequenceTracker t;
  REQUIRE(t.Assign(seqs, times));
  const std::string blob = EncodeSequenceTracker(t);
  Result<SequenceTracker> back = DecodeSequenceTracker(blob);
  REQUIRE(back.ok());
  CHECK(*back == t);
  // Every truncation is Data; an empty blob is an empty tracker.
  for (size_t n = 1; n < blob.size(); ++n) {
    CHECK(DecodeSequenceTracker(blob.substr(0, n)).status().code() == StatusCode::kData);
  }
  CHECK(DecodeSequenceTracker("").ok());
  CHECK(DecodeSequenceTracker("")->empty());
  std::string v3 = blob;
  v3[0] = 3;
  CHECK(DecodeSequenceTracker(v3).status().message().find("unsupported version 3") !=
        std::string::npos);
  CHECK(DecodeSequenceTracker(blob + "x").status().code() == StatusCode::kData);
}

TEST_CASE("sequence tracker lookups saturate on stored times beyond the ms range",
          "[format][manifest]") {
  // Found by fuzz_seq_tracker: a stored time of 2^62 seconds must not overflow in ms.
  SequenceTracker t;
  REQUIRE(t.Assign({5, 9}, {int64_t{1} << 62, INT64_MAX}));
  CHECK(t.TimeForSequence(5, false) == std::optional<int64_t>(INT64_MAX));
  CHECK(t.TimeForSequence(1, true) == std::optional<int64_t>(INT64_MAX));
  CHECK(t.SequenceForTime(0, true) == std::optional<uint64_t>(5));
  CHECK(t.SequenceForTime(INT64_MAX, false) == std::optional<uint64_t>(9));
  SequenceTracker negative;
  REQUIRE(negative.Assign({1}, {INT64_MIN}));
  CHECK(negative.TimeForSequence(1, false) == std::optional<int64_t>(INT64_MIN));
  negative.Insert(2, -1);  // -1 ms is second -1
  CHECK(negative.times_s().back() == -1);
}

TEST_CASE("sequence tracker: version 2 (64-bit fallback) reads; v1 drops what it cannot hold",
          "[format][manifest]") {
  // Version 2: seqs 0, 2^40 (dod 2^40 needs the 64-bit field), times 0, 0.
  std::string v2("\x02\x02\x00\x00\x00", 5);
  // seq stream: count 2 | first 0 | '1111' + 64 bits of 2^40 | pad.
  std::string seq_stream = testing::Unhex(
      "00000002"
      "0000000000000000");
  // '1111' then 0x0000010000000000 (64 bits), 68 bits -> 9 bytes with 4 bits padding.
  seq_stream += testing::Unhex(
      "f000001000000000"
      "00");
  std::string time_stream = testing::Unhex(
      "00000002"
      "0000000000000000"
      "00");  // dod 0: '0'
  v2 += seq_stream + time_stream;
  Result<SequenceTracker> decoded = DecodeSequenceTracker(v2);
  REQUIRE(decoded.ok());
  REQUIRE(decoded->seqs().size() == 2);
  CHECK(decoded->seqs()[1] == uint64_t{1} << 40);
  // Written as version 1, the jump cannot be held: the older sample is dropped.
  const std::string v1 = EncodeSequenceTracker(*decoded);
  CHECK(v1[0] == 1);
  Result<SequenceTracker> back = DecodeSequenceTracker(v1);
  REQUIRE(back.ok());
  CHECK(back->seqs() == std::vector<uint64_t>{uint64_t{1} << 40});
}

CompactionRecord Record(const std::string& id, std::string_view status) {
  CompactionRecord r;
  r.id = id;
  std::optional<CompactionStatus> parsed = ParseCompactionStatus(status);
  REQUIRE(parsed);
  r.status = *parsed;
  return r;
}

TEST_CASE("compactions file: jobs round-trip through the format", "[format][manifest]") {
  const std::vector<std::string> ids = Ulids(8);
  CompactionsState state;
  state.compactor_epoch = 4;
  CompactionRecord tiered = Record(ids[0], "Completed");
  tiered.spec.sources = {CompactionSource::SortedRun(3), CompactionSource::SortedRun(2),
                         CompactionSource::Sst(ids[1]), CompactionSource::Sst(ids[2])};
  tiered.spec.destination = 2;
  tiered.outputs = {Ref(ids[3], "a", "k"), Ref(ids[4], "l", "z")};
  tiered.worker = CompactionWorker{"worker-7", 1'700'000'000'123};
  tiered.parts.emplace();
  CompactionPart part;
  part.range = VisibleRange{{RangeBound::Kind::kUnbounded, ""}, {RangeBound::Kind::kExcluded, "l"}};
  part.outputs = {Ref(ids[3], "a", "k")};
  part.state = 1;
  tiered.parts->push_back(part);
  tiered.retention_min_seq = 555;
  CompactionRecord submitted = Record(ids[5], "Submitted");
  submitted.spec.sources = {CompactionSource::Sst(ids[6])};
  submitted.spec.destination = 7;
  CompactionRecord drain = Record(ids[7], "Scheduled");
  drain.spec.drain = true;
  drain.spec.segment = "tenant/";
  drain.spec.sources = {CompactionSource::SortedRun(1)};
  state.recent_compactions = {tiered,
                              submitted,
                              drain,
                              Record(Ulids(9)[8], "Failed"),
                              Record(ids[4], "Running"),
                              Record(ids[3], "Compacted")};

  const std::string bytes = EncodeCompactionsState(state);
  CHECK(testing::Hex(bytes.substr(0, 2)) == "0002");
  Result<CompactionsState> back = DecodeCompactionsState(bytes);
  REQUIRE(back.ok());
  CHECK(back->compactor_epoch == 4);
  REQUIRE(back->recent_compactions.size() == 6);
  const CompactionRecord& t = back->recent_compactions[0];
  CHECK(t.id == ids[0]);
  CHECK(t.status == CompactionStatus::kCompleted);
  REQUIRE(t.spec.sources.size() == 4);  // runs first, then L0 views, each in stored order
  CHECK(t.spec.sources[0].sorted_run == 3);
  CHECK(t.spec.sources[1].sorted_run == 2);
  CHECK(t.spec.sources[2].sst_ulid == ids[1]);
  CHECK(t.spec.sources[3].sst_ulid == ids[2]);
  CHECK(t.spec.destination == 2);
  REQUIRE(t.outputs.size() == 2);
  CHECK(t.outputs[1].info == tiered.outputs[1].info);
  REQUIRE(t.worker.has_value());
  CHECK(t.worker->id == "worker-7");
  CHECK(t.worker->last_heartbeat_ms == 1'700'000'000'123ull);
  REQUIRE(t.parts.has_value());
  CHECK(t.parts->at(0).range == part.range);
  CHECK(t.parts->at(0).state == 1);
  CHECK(t.parts->at(0).outputs[0].id == ids[3]);
  CHECK(t.retention_min_seq == 555);
  CHECK(back->recent_compactions[1].spec.destination == 7);
  CHECK(back->recent_compactions[2].spec.drain);
  CHECK(back->recent_compactions[2].spec.segment == "tenant/");
  std::vector<std::string> statuses;
  for (const CompactionRecord& r : back->recent_compactions)
    statuses.emplace_back(CompactionStatusName(r.status));
  CHECK(statuses == std::vector<std::string>{"Completed", "Submitted", "Scheduled", "Failed",
                                             "Running", "Compacted"});
  CHECK(EncodeCompactionsState(*back) == bytes);

  // The job states are stored as the format's numbers.
  std::vector<uint64_t> storage;
  const fb::CompactionLog* log =
      VerifiedRoot<fb::CompactionLog>(std::string_view(bytes).substr(2), &storage);
  REQUIRE(log != nullptr);
  std::vector<int> values;
  for (const fb::Job* job : *log->jobs()) values.push_back(static_cast<int>(job->state()));
  CHECK(values == std::vector<int>{2, 0, 5, 3, 1, 4});
  CHECK(log->jobs()->Get(0)->spec_as_TieredJob()->destination() == 2);
}

TEST_CASE("compactions file: unfinished jobs drop outputs; version 1 infers destinations",
          "[format][manifest]") {
  const std::vector<std::string> ids = Ulids(4);
  CompactionsState state;
  CompactionRecord running = Record(ids[0], "Running");
  running.spec.sources = {CompactionSource::SortedRun(9), CompactionSource::SortedRun(4)};
  running.spec.destination = 12;
  running.outputs = {Ref(ids[1], "a", "b")};  // a partial output, not to be trusted
  CompactionRecord l0_only = Record(ids[2], "Completed");
  l0_only.spec.sources = {CompactionSource::Sst(ids[3])};
  l0_only.spec.destination = 12;
  state.recent_compactions = {running, l0_only};
  const std::string v2 = EncodeCompactionsState(state);
  Result<CompactionsState> back = DecodeCompactionsState(v2);
  REQUIRE(back.ok());
  CHECK(back->recent_compactions[0].outputs.empty());
  CHECK(back->recent_compactions[0].spec.destination == 12);
  // The same bytes under version 1: no destination field; the lowest input run, else 0.
  std::string v1 = v2;
  EncodeBigEndian16(v1.data(), 1);
  Result<CompactionsState> old = DecodeCompactionsState(v1);
  REQUIRE(old.ok());
  CHECK(old->recent_compactions[0].spec.destination == 4);
  CHECK(old->recent_compactions[1].spec.destination == 0);
  std::string v3 = v2;
  EncodeBigEndian16(v3.data(), 3);
  CHECK(DecodeCompactionsState(v3).status().message() == "unsupported compactions version 3");
  CHECK(DecodeCompactionsState("").status().code() == StatusCode::kData);
  CHECK(DecodeCompactionsState(std::string("\x00\x02junk", 6)).status().code() ==
        StatusCode::kData);
  for (size_t n = 2; n < v2.size(); ++n) {
    CHECK(DecodeCompactionsState(v2.substr(0, n)).status().code() == StatusCode::kData);
  }
}

TEST_CASE("ULID and UUID texts convert to the format's 128-bit numbers", "[format][manifest]") {
  // The ULID's number is its base32 digits; the first digit carries 3 bits.
  std::optional<Ulid128> u = ParseUlid("01ARZ3NDEKTSV4RRFFQ69G5FAV");
  REQUIRE(u.has_value());
  CHECK(FormatUlid(*u) == "01ARZ3NDEKTSV4RRFFQ69G5FAV");
  CHECK(u->hi >> 16 == 1469922850259ull);  // the 48-bit timestamp
  CHECK(FormatUlid(Ulid128{~0ull, ~0ull}) == "7ZZZZZZZZZZZZZZZZZZZZZZZZZ");
  CHECK(!ParseUlid("8ZZZZZZZZZZZZZZZZZZZZZZZZZ").has_value());
  CHECK(!ParseUlid("01arz3ndektsv4rrffq69g5fav").has_value());
  std::optional<Uuid128> id = ParseUuid("01234567-89AB-4cde-8f01-23456789abcd");
  REQUIRE(id.has_value());
  CHECK(id->hi == 0x0123456789ab4cdeull);
  CHECK(id->lo == 0x8f0123456789abcdull);
  CHECK(FormatUuid(*id) == "01234567-89ab-4cde-8f01-23456789abcd");
  CHECK(!ParseUuid("01234567-89ab-4cde-8f01-23456789abc").has_value());
  CHECK(!ParseUuid("0123456789ab-4cde-8f01-23456789abcd-").has_value());
}

}  // namespace
}  // namespace slatedb
