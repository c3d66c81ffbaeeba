// SPDX-License-Identifier: Apache-2.0
//
// JSON encoding of Manifest. Unknown fields are ignored so that a newer minor writer can add
// optional fields; a different format_version is refused.
#include <nlohmann/json.hpp>

#include "format/sst_info.h"
#include "manifest/manifest.h"

namespace slatedb {

namespace {

using nlohmann::json;

json SstRefToJson(const SstRef& ref) {
  json j{{"id", ref.id}, {"info", SstInfoToJson(ref.info)}};
  if (!ref.root.empty()) j["root"] = ref.root;  // only clones have these
  return j;
}

Result<SstRef> SstRefFromJson(const json& j) {
  if (!j.is_object() || !j.contains("id") || !j["id"].is_string() || !j.contains("info")) {
    return Status::Data("manifest: malformed SST reference");
  }
  SstRef ref;
  ref.id = j["id"].get<std::string>();
  SLATEDB_ASSIGN_OR_RETURN(ref.info, SstInfoFromJson(j["info"]));
  if (j.contains("root")) {
    if (!j["root"].is_string()) return Status::Data("manifest: bad SST root");
    ref.root = j["root"].get<std::string>();
  }
  return ref;
}

Result<std::vector<SstRef>> SstRefsFromJson(const json& j) {
  if (!j.is_array()) return Status::Data("manifest: SST list is not an array");
  std::vector<SstRef> out;
  out.reserve(j.size());
  for (const json& item : j) {
    SLATEDB_ASSIGN_OR_RETURN(SstRef ref, SstRefFromJson(item));
    out.push_back(std::move(ref));
  }
  return out;
}

template <typename T>
Status Read(const json& j, const char* field, T* out) {
  auto it = j.find(field);
  if (it == j.end()) return Status::Data(std::string("manifest: missing field ") + field);
  if constexpr (std::is_same_v<T, bool>) {
    if (!it->is_boolean()) return Status::Data(std::string("manifest: bad field ") + field);
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (!it->is_string()) return Status::Data(std::string("manifest: bad field ") + field);
  } else if constexpr (std::is_unsigned_v<T>) {
    if (!it->is_number_unsigned()) {
      return Status::Data(std::string("manifest: bad field ") + field);
    }
  } else {
    if (!it->is_number_integer()) {
      return Status::Data(std::string("manifest: bad field ") + field);
    }
  }
  *out = it->get<T>();
  return Status::Ok();
}

Result<std::vector<std::string>> StringsFromJson(const json& j, const char* what) {
  if (!j.is_array()) return Status::Data(std::string("manifest: ") + what + " is not an array");
  std::vector<std::string> out;
  for (const json& item : j) {
    if (!item.is_string()) return Status::Data(std::string("manifest: bad entry in ") + what);
    out.push_back(item.get<std::string>());
  }
  return out;
}

// Fields added after format version 1 first shipped are optional on read, so manifests
// written before them still decode.
Status DecodeOptionalFields(const json& j, Manifest* m) {
  if (auto it = j.find("external_dbs"); it != j.end()) {
    if (!it->is_array()) return Status::Data("manifest: external_dbs is not an array");
    for (const json& ej : *it) {
      if (!ej.is_object()) return Status::Data("manifest: malformed external db");
      ExternalDb e;
      SLATEDB_RETURN_IF_ERROR(Read(ej, "path", &e.path));
      SLATEDB_RETURN_IF_ERROR(Read(ej, "source_checkpoint_id", &e.source_checkpoint_id));
      SLATEDB_RETURN_IF_ERROR(Read(ej, "final_checkpoint_id", &e.final_checkpoint_id));
      if (!ej.contains("sst_ids")) return Status::Data("manifest: external db without sst_ids");
      SLATEDB_ASSIGN_OR_RETURN(e.sst_ids, StringsFromJson(ej["sst_ids"], "sst_ids"));
      m->external_dbs.push_back(std::move(e));
    }
  }
  if (auto it = j.find("sequence_tracker"); it != j.end()) {
    if (!it->is_object() || !it->contains("seqs") || !it->contains("times_ms") ||
        !(*it)["seqs"].is_array() || !(*it)["times_ms"].is_array()) {
      return Status::Data("manifest: malformed sequence_tracker");
    }
    std::vector<uint64_t> seqs;
    std::vector<int64_t> times;
    for (const json& v : (*it)["seqs"]) {
      if (!v.is_number_unsigned()) return Status::Data("manifest: bad sequence_tracker seq");
      seqs.push_back(v.get<uint64_t>());
    }
    for (const json& v : (*it)["times_ms"]) {
      if (!v.is_number_integer()) return Status::Data("manifest: bad sequence_tracker time");
      times.push_back(v.get<int64_t>());
    }
    if (!m->sequence_tracker.Assign(std::move(seqs), std::move(times))) {
      return Status::Data("manifest: sequence_tracker samples are not ascending pairs");
    }
  }
  return Status::Ok();
}

}  // namespace

std::string EncodeManifest(const Manifest& m) {
  json l0 = json::array();
  for (const SstRef& ref : m.l0) l0.push_back(SstRefToJson(ref));
  json runs = json::array();
  for (const SortedRun& run : m.sorted_runs) {
    json ssts = json::array();
    for (const SstRef& ref : run.ssts) ssts.push_back(SstRefToJson(ref));
    runs.push_back(json{{"id", run.id}, {"ssts", std::move(ssts)}});
  }
  json checkpoints = json::array();
  for (const Checkpoint& c : m.checkpoints) {
    checkpoints.push_back(json{{"id", c.id},
                               {"manifest_id", c.manifest_id},
                               {"create_time_ms", c.create_time_ms},
                               {"expire_time_ms", c.expire_time_ms},
                               {"name", c.name}});
  }
  json j{{"format_version", Manifest::kFormatVersion},
         {"id", m.id},
         {"writer_epoch", m.writer_epoch},
         {"compactor_epoch", m.compactor_epoch},
         {"initialized", m.initialized},
         {"replay_after_wal_id", m.replay_after_wal_id},
         {"wal_id_last_seen", m.wal_id_last_seen},
         {"last_l0_seq", m.last_l0_seq},
         {"last_l0_clock_tick", m.last_l0_clock_tick},
         {"recent_snapshot_min_seq", m.recent_snapshot_min_seq},
         {"l0", std::move(l0)},
         {"sorted_runs", std::move(runs)},
         {"last_compacted_l0_sst_id", m.last_compacted_l0_sst_id},
         {"checkpoints", std::move(checkpoints)}};
  if (!m.external_dbs.empty()) {
    json externals = json::array();
    for (const ExternalDb& e : m.external_dbs) {
      externals.push_back(json{{"path", e.path},
                               {"source_checkpoint_id", e.source_checkpoint_id},
                               {"final_checkpoint_id", e.final_checkpoint_id},
                               {"sst_ids", e.sst_ids}});
    }
    j["external_dbs"] = std::move(externals);
  }
  if (!m.sequence_tracker.empty()) {
    j["sequence_tracker"] = json{{"seqs", m.sequence_tracker.seqs()},
                                 {"times_ms", m.sequence_tracker.times_ms()}};
  }
  return j.dump();
}

Result<Manifest> DecodeManifest(std::string_view bytes) {
  json j = json::parse(bytes.begin(), bytes.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Status::Data("manifest: not a JSON object");
  uint32_t version = 0;
  SLATEDB_RETURN_IF_ERROR(Read(j, "format_version", &version));
  if (version != Manifest::kFormatVersion) {
    return Status::Data("manifest: unsupported format version " + std::to_string(version));
  }
  Manifest m;
  SLATEDB_RETURN_IF_ERROR(Read(j, "id", &m.id));
  SLATEDB_RETURN_IF_ERROR(Read(j, "writer_epoch", &m.writer_epoch));
  SLATEDB_RETURN_IF_ERROR(Read(j, "compactor_epoch", &m.compactor_epoch));
  SLATEDB_RETURN_IF_ERROR(Read(j, "initialized", &m.initialized));
  SLATEDB_RETURN_IF_ERROR(Read(j, "replay_after_wal_id", &m.replay_after_wal_id));
  SLATEDB_RETURN_IF_ERROR(Read(j, "wal_id_last_seen", &m.wal_id_last_seen));
  SLATEDB_RETURN_IF_ERROR(Read(j, "last_l0_seq", &m.last_l0_seq));
  SLATEDB_RETURN_IF_ERROR(Read(j, "last_l0_clock_tick", &m.last_l0_clock_tick));
  SLATEDB_RETURN_IF_ERROR(Read(j, "recent_snapshot_min_seq", &m.recent_snapshot_min_seq));
  SLATEDB_RETURN_IF_ERROR(Read(j, "last_compacted_l0_sst_id", &m.last_compacted_l0_sst_id));
  if (!j.contains("l0")) return Status::Data("manifest: missing field l0");
  SLATEDB_ASSIGN_OR_RETURN(m.l0, SstRefsFromJson(j["l0"]));
  if (!j.contains("sorted_runs") || !j["sorted_runs"].is_array()) {
    return Status::Data("manifest: missing field sorted_runs");
  }
  for (const json& run_json : j["sorted_runs"]) {
    if (!run_json.is_object()) return Status::Data("manifest: malformed sorted run");
    SortedRun run;
    SLATEDB_RETURN_IF_ERROR(Read(run_json, "id", &run.id));
    if (!run_json.contains("ssts")) return Status::Data("manifest: sorted run without ssts");
    SLATEDB_ASSIGN_OR_RETURN(run.ssts, SstRefsFromJson(run_json["ssts"]));
    m.sorted_runs.push_back(std::move(run));
  }
  if (!j.contains("checkpoints") || !j["checkpoints"].is_array()) {
    return Status::Data("manifest: missing field checkpoints");
  }
  for (const json& cj : j["checkpoints"]) {
    if (!cj.is_object()) return Status::Data("manifest: malformed checkpoint");
    Checkpoint c;
    SLATEDB_RETURN_IF_ERROR(Read(cj, "id", &c.id));
    SLATEDB_RETURN_IF_ERROR(Read(cj, "manifest_id", &c.manifest_id));
    SLATEDB_RETURN_IF_ERROR(Read(cj, "create_time_ms", &c.create_time_ms));
    SLATEDB_RETURN_IF_ERROR(Read(cj, "expire_time_ms", &c.expire_time_ms));
    SLATEDB_RETURN_IF_ERROR(Read(cj, "name", &c.name));
    m.checkpoints.push_back(std::move(c));
  }
  SLATEDB_RETURN_IF_ERROR(DecodeOptionalFields(j, &m));
  return m;
}

}  // namespace slatedb
