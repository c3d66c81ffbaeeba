// SPDX-License-Identifier: Apache-2.0
#include "admin/manifest_json.h"

#include "format/compression.h"
#include "util/hex.h"

namespace slatedb {

namespace {

using nlohmann::json;

// Keys are bytes; JSON carries them as hex (util/hex.h).
std::string Hex(std::string_view bytes) { return HexEncode(bytes); }

json BoundJson(const RangeBound& b) {
  switch (b.kind) {
    case RangeBound::Kind::kUnbounded:
      return json{{"kind", "unbounded"}};
    case RangeBound::Kind::kIncluded:
      return json{{"kind", "included"}, {"key", Hex(b.key)}};
    case RangeBound::Kind::kExcluded:
      return json{{"kind", "excluded"}, {"key", Hex(b.key)}};
  }
  return json();
}

json SstRefJson(const SstRef& ref) {
  const SstInfo& i = ref.info;
  json info{{"first_entry", Hex(i.first_entry)},
            {"last_entry", Hex(i.last_entry)},
            {"index_offset", i.index_offset},
            {"index_len", i.index_len},
            {"filter_offset", i.filter_offset},
            {"filter_len", i.filter_len},
            {"stats_offset", i.stats_offset},
            {"stats_len", i.stats_len},
            {"compression", std::string(CodecName(i.compression))},
            {"type", i.type == SstType::kWal ? "wal" : "compacted"},
            {"filter_format", i.filter_format == FilterFormat::kComposite ? "composite" : "legacy"},
            {"format_version", i.format_version}};
  json j{{"id", ref.id}, {"view_id", ref.view_id}, {"info", std::move(info)}};
  if (ref.visible_range) {
    j["visible_range"] = {{"start", BoundJson(ref.visible_range->start)},
                          {"end", BoundJson(ref.visible_range->end)}};
  }
  if (!ref.root.empty()) j["root"] = ref.root;
  return j;
}

json RefsJson(const std::vector<SstRef>& refs) {
  json out = json::array();
  for (const SstRef& ref : refs) out.push_back(SstRefJson(ref));
  return out;
}

json RunsJson(const std::vector<SortedRun>& runs) {
  json out = json::array();
  for (const SortedRun& run : runs)
    out.push_back(json{{"id", run.id}, {"ssts", RefsJson(run.ssts)}});
  return out;
}

}  // namespace

json ManifestToJson(const Manifest& m) {
  json checkpoints = json::array();
  for (const Checkpoint& c : m.checkpoints) {
    json cj{{"id", c.id},
            {"manifest_id", c.manifest_id},
            {"create_time_s", c.create_time_s},
            {"expire_time_s", c.expire_time_s},
            {"name", c.name}};
    if (c.writer_epoch) cj["writer_epoch"] = *c.writer_epoch;
    checkpoints.push_back(std::move(cj));
  }
  json externals = json::array();
  for (const ExternalDb& e : m.external_dbs) {
    externals.push_back(json{{"path", e.path},
                             {"source_checkpoint_id", e.source_checkpoint_id},
                             {"final_checkpoint_id", e.final_checkpoint_id},
                             {"sst_ids", e.sst_ids}});
  }
  json segments = json::array();
  for (const Segment& s : m.segments) {
    segments.push_back(json{{"prefix", Hex(s.prefix)},
                            {"last_compacted_l0_view_id", s.last_compacted_l0_view_id},
                            {"l0", RefsJson(s.l0)},
                            {"sorted_runs", RunsJson(s.sorted_runs)}});
  }
  json j{{"id", m.id},
         {"writer_epoch", m.writer_epoch},
         {"compactor_epoch", m.compactor_epoch},
         {"initialized", m.initialized},
         {"replay_after_wal_id", m.replay_after_wal_id},
         {"wal_id_last_seen", m.wal_id_last_seen},
         {"last_l0_seq", m.last_l0_seq},
         {"last_l0_clock_tick", m.last_l0_clock_tick},
         {"recent_snapshot_min_seq", m.recent_snapshot_min_seq},
         {"l0", RefsJson(m.l0)},
         {"sorted_runs", RunsJson(m.sorted_runs)},
         {"last_compacted_l0_sst_id", m.last_compacted_l0_sst_id},
         {"checkpoints", std::move(checkpoints)},
         {"external_dbs", std::move(externals)},
         {"segments", std::move(segments)},
         {"sequence_tracker",
          {{"seqs", m.sequence_tracker.seqs()}, {"times_s", m.sequence_tracker.times_s()}}}};
  if (m.segment_extractor_name) j["segment_extractor_name"] = *m.segment_extractor_name;
  return j;
}

}  // namespace slatedb
