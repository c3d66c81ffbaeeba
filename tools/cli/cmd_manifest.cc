// SPDX-License-Identifier: Apache-2.0
//
// manifest show, manifest list, state: the database's stored description, read through
// Admin (no writer needed; nothing is written).
#include <sstream>

#include "cli_error.h"
#include "commands.h"
#include "render.h"
#include "slatedb/platform/blocking.h"

namespace slatedb::cli {

namespace {

int ManifestShow(CommandContext& ctx) {
  std::optional<uint64_t> id = ctx.args.GetUint("id");
  auto admin = ctx.session.OpenAdmin();
  std::optional<std::string> text = Unwrap(BlockOn(admin->ReadManifest(id)));
  if (!text) {
    if (ctx.out.json()) {
      ctx.out.Json({{"found", false}, {"id", id ? nlohmann::json(*id) : nlohmann::json(nullptr)}});
    }
    throw CliError::NotFound(id ? "manifest " + std::to_string(*id) + " does not exist"
                                : "no database at " + ctx.session.Describe());
  }
  // Admin::ReadManifest's documented shape: [id, {manifest fields}].
  nlohmann::json pair = nlohmann::json::parse(*text);
  nlohmann::json doc{{"found", true}, {"id", pair.at(0)}, {"manifest", pair.at(1)}};
  if (ctx.out.json()) {
    ctx.out.Json(doc);
  } else {
    ctx.out.Text("manifest " + pair.at(0).dump() + "\n" + pair.at(1).dump(2) + "\n");
  }
  return kExitOk;
}

int ManifestList(CommandContext& ctx) {
  std::optional<uint64_t> start = ctx.args.GetUint("start");
  std::optional<uint64_t> end = ctx.args.GetUint("end");
  auto admin = ctx.session.OpenAdmin();
  nlohmann::json list = nlohmann::json::parse(Unwrap(BlockOn(admin->ListManifests(start, end))));
  for (nlohmann::json& m : list) {
    m["last_modified_time"] = FormatTimeMs(m.at("last_modified").get<int64_t>());
  }
  if (ctx.out.json()) {
    ctx.out.Json({{"manifests", list}});
    return kExitOk;
  }
  std::ostringstream text;
  text << "ID        SIZE        LAST MODIFIED             LOCATION\n";
  for (const nlohmann::json& m : list) {
    char line[128];
    std::snprintf(line, sizeof line, "%-9s %-11s %-25s ", m.at("id").dump().c_str(),
                  FormatBytes(m.at("size").get<uint64_t>()).c_str(),
                  m.at("last_modified_time").get<std::string>().c_str());
    text << line << m.at("location").get<std::string>() << "\n";
  }
  text << list.size() << " manifest(s)\n";
  ctx.out.Text(text.str());
  return kExitOk;
}

struct Totals {
  uint64_t ssts = 0, bytes = 0, rows = 0;
  bool rows_known = true;
  void Add(const SstSummary& s) {
    ++ssts;
    bytes += s.size_bytes;
    if (s.rows) {
      rows += *s.rows;
    } else {
      rows_known = false;
    }
  }
  nlohmann::json Json() const {
    return {{"ssts", ssts},
            {"bytes", bytes},
            {"rows", rows_known ? nlohmann::json(rows) : nlohmann::json(nullptr)}};
  }
  std::string Text() const {
    std::string out = std::to_string(ssts) + " SST(s), " + FormatBytes(bytes);
    if (rows_known) out += ", " + std::to_string(rows) + (rows == 1 ? " row" : " rows");
    return out;
  }
};

std::string SstLine(const SstSummary& s, ByteEncoding enc) {
  std::string out = s.id + "  " + FormatBytes(s.size_bytes);
  if (s.rows) out += "  " + std::to_string(*s.rows) + (*s.rows == 1 ? " row" : " rows");
  out += "  [" + EncodeBytes(s.first_key, enc) + " .. " + EncodeBytes(s.last_key, enc) + "]";
  if (!s.root.empty()) out += "  (in '" + s.root + "')";
  return out;
}

int State(CommandContext& ctx) {
  std::optional<uint64_t> id = ctx.args.GetUint("id");
  ByteEncoding enc = EncodingOf(ctx.args);
  auto admin = ctx.session.OpenAdmin();
  std::optional<ManifestView> view = Unwrap(BlockOn(admin->ReadManifestView(id)));
  if (!view) {
    if (ctx.out.json()) ctx.out.Json({{"found", false}});
    throw CliError::NotFound(id ? "manifest " + std::to_string(*id) + " does not exist"
                                : "no database at " + ctx.session.Describe());
  }
  const ManifestView& v = *view;
  Totals l0, runs_total, all;
  nlohmann::json l0_json = nlohmann::json::array();
  for (const SstSummary& s : v.l0) {
    l0.Add(s);
    all.Add(s);
    l0_json.push_back(SstJson(s, enc));
  }
  nlohmann::json runs_json = nlohmann::json::array();
  std::vector<Totals> per_run;
  for (const SortedRunSummary& run : v.sorted_runs) {
    Totals t;
    nlohmann::json ssts = nlohmann::json::array();
    for (const SstSummary& s : run.ssts) {
      t.Add(s);
      runs_total.Add(s);
      all.Add(s);
      ssts.push_back(SstJson(s, enc));
    }
    per_run.push_back(t);
    nlohmann::json r{{"id", run.id}, {"totals", t.Json()}, {"ssts", std::move(ssts)}};
    if (!run.ssts.empty()) {
      r["first_key"] = EncodeBytes(run.ssts.front().first_key, enc);
      r["last_key"] = EncodeBytes(run.ssts.back().last_key, enc);
    }
    runs_json.push_back(std::move(r));
  }
  // WAL objects after replay_after_wal_id hold writes not yet in L0; the manifest knows
  // them up to wal_id_last_seen (a running writer may have written more since).
  nlohmann::json wal{{"replay_after_wal_id", v.replay_after_wal_id},
                     {"wal_id_last_seen", v.wal_id_last_seen},
                     {"unflushed_wal_ids", nullptr}};
  if (v.wal_id_last_seen > v.replay_after_wal_id) {
    wal["unflushed_wal_ids"] = {v.replay_after_wal_id + 1, v.wal_id_last_seen};
  }
  nlohmann::json checkpoints = nlohmann::json::array();
  for (const CheckpointInfo& c : v.checkpoints) checkpoints.push_back(CheckpointJson(c));
  nlohmann::json externals = nlohmann::json::array();
  for (const ExternalDbSummary& e : v.external_dbs) {
    externals.push_back({{"path", e.path},
                         {"source_checkpoint_id", e.source_checkpoint_id},
                         {"final_checkpoint_id", e.final_checkpoint_id},
                         {"sst_count", e.sst_count}});
  }
  if (ctx.out.json()) {
    ctx.out.Json({{"found", true},
                  {"encoding", ByteEncodingName(enc)},
                  {"manifest_id", v.id},
                  {"initialized", v.initialized},
                  {"writer_epoch", v.writer_epoch},
                  {"compactor_epoch", v.compactor_epoch},
                  {"last_l0_seq", v.last_l0_seq},
                  {"wal", wal},
                  {"l0", {{"totals", l0.Json()}, {"ssts", l0_json}}},
                  {"sorted_runs", {{"totals", runs_total.Json()}, {"runs", runs_json}}},
                  {"totals", all.Json()},
                  {"checkpoints", checkpoints},
                  {"external_dbs", externals}});
    return kExitOk;
  }
  std::ostringstream t;
  t << "database     " << ctx.session.Describe() << "\n";
  t << "manifest     " << v.id << (v.initialized ? "" : " (clone not yet initialized)")
    << "   writer epoch " << v.writer_epoch << "   compactor epoch " << v.compactor_epoch << "\n";
  t << "WAL          replay after " << v.replay_after_wal_id << ", last seen "
    << v.wal_id_last_seen;
  if (v.wal_id_last_seen > v.replay_after_wal_id) {
    t << " (WAL " << v.replay_after_wal_id + 1 << ".." << v.wal_id_last_seen
      << " hold writes not yet in L0)";
  }
  t << "\nlast L0 seq  " << v.last_l0_seq << "\n";
  t << "total        " << all.Text() << "\n\n";
  t << "L0: " << l0.Text() << " (newest first)\n";
  for (const SstSummary& s : v.l0) t << "  " << SstLine(s, enc) << "\n";
  t << "sorted runs: " << v.sorted_runs.size() << ", " << runs_total.Text() << "\n";
  for (size_t i = 0; i < v.sorted_runs.size(); ++i) {
    const SortedRunSummary& run = v.sorted_runs[i];
    t << "  run " << run.id << ": " << per_run[i].Text();
    if (!run.ssts.empty()) {
      t << "  [" << EncodeBytes(run.ssts.front().first_key, enc) << " .. "
        << EncodeBytes(run.ssts.back().last_key, enc) << "]";
    }
    t << "\n";
    for (const SstSummary& s : run.ssts) t << "    " << SstLine(s, enc) << "\n";
  }
  t << "checkpoints: " << v.checkpoints.size() << "\n";
  for (const CheckpointInfo& c : v.checkpoints) t << "  " << CheckpointText(c) << "\n";
  if (!v.external_dbs.empty()) {
    t << "clone of:\n";
    for (const ExternalDbSummary& e : v.external_dbs) {
      t << "  '" << e.path << "' (pinned by checkpoint " << e.final_checkpoint_id << ", "
        << e.sst_count << " SSTs still shared)\n";
    }
  }
  ctx.out.Text(t.str());
  return kExitOk;
}

}  // namespace

void AddManifestCommands(std::vector<CommandSpec>* commands) {
  commands->push_back(
      {{"manifest", "show"},
       "print a manifest (the latest, or version --id) as stored",
       "Prints the manifest as Admin::ReadManifest gives it: every field, as JSON. With --json the "
       "document is {found, id, manifest}. Exit code 3 if there is no such version (or no "
       "database).",
       {},
       {{"id", "N", "the manifest version to read (default: the latest)"}},
       ManifestShow,
       true});
  commands->push_back(
      {{"manifest", "list"},
       "list the stored manifest versions",
       "Lists manifest objects with id, size and modification time, optionally only ids in "
       "[--start, --end).",
       {},
       {{"start", "N", "the first id to list"}, {"end", "N", "list ids below this"}},
       ManifestList,
       true});
  commands->push_back(
      {{"state"},
       "show the LSM tree: L0, sorted runs, sizes, the WAL range, epochs, checkpoints",
       "Summarises one manifest version (the latest, or --id): writer and compactor epochs, "
       "the WAL objects whose writes are not yet in L0, every L0 SST and sorted run with sizes, "
       "row counts and key ranges, checkpoints, and the parents of a clone. Reads only the "
       "manifest; never opens a writer.",
       {},
       {{"id", "N", "the manifest version to describe (default: the latest)"}, EncodingOption()},
       State,
       true});
}

}  // namespace slatedb::cli
