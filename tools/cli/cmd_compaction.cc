// SPDX-License-Identifier: Apache-2.0
//
// compaction submit|list|show: compaction requests recorded through Admin in the
// compaction-state objects; the database's compactor runs them. compactor run: a standalone
// compactor (slatedb/compactor.h) in this process, until SIGINT/SIGTERM or until fenced.
#include <atomic>
#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "cli_error.h"
#include "commands.h"
#include "slatedb/compactor.h"
#include "slatedb/hex.h"
#include "slatedb/platform/blocking.h"
#include "slatedb/settings.h"

namespace slatedb::cli {

namespace {

CompactionSource SourceFromJson(const nlohmann::json& j) {
  if (j.is_object() && j.size() == 1) {
    if (j.contains("SortedRun") && j["SortedRun"].is_number_unsigned() &&
        j["SortedRun"].get<uint64_t>() <= UINT32_MAX) {
      return CompactionSource::SortedRun(j["SortedRun"].get<uint32_t>());
    }
    for (const char* name : {"Sst", "SstView"}) {
      if (j.contains(name) && j[name].is_string()) {
        return CompactionSource::Sst(j[name].get<std::string>());
      }
    }
  }
  throw CliError::Usage(
      "a compaction source must be {\"SortedRun\": N} or {\"Sst\": \"ULID\"}, got " + j.dump());
}

// A segment prefix in a request: upstream's serde form of bytes (an array of 0-255), or our
// hex text (what `compaction list` prints).
std::string SegmentFromJson(const nlohmann::json& j) {
  if (j.is_string()) {
    std::optional<std::string> bytes = HexDecode(j.get<std::string>());
    if (bytes) return *bytes;
  } else if (j.is_array()) {
    std::string bytes;
    for (const nlohmann::json& b : j) {
      if (!b.is_number_unsigned() || b.get<uint64_t>() > 255) break;
      bytes.push_back(static_cast<char>(b.get<uint8_t>()));
    }
    if (bytes.size() == j.size()) return bytes;
  }
  throw CliError::Usage("a segment must be an array of bytes or hex text, got " + j.dump());
}

// --request JSON, upstream's CompactionRequest: "Full", {"FullSegment": {"segment": ...}}, or
// {"Spec": SPEC} (or SPEC alone), SPEC being upstream 0.17's CompactionSpec enum,
// {"Tiered": {"segment": ..., "sources": [...], "destination": N}} or {"DrainSegment":
// {"segment": ..., "sources": [...]}}, or the tiered object itself (segment optional there).
struct ParsedRequest {
  bool full = false;
  std::optional<std::string> full_segment;  // with full: one tree only
  CompactionRequestSpec spec;               // without full
};

ParsedRequest RequestFromJson(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) throw CliError::Usage("--request is not JSON: " + text);
  ParsedRequest out;
  if (j == "Full") {
    out.full = true;
    return out;
  }
  if (j.is_object() && j.contains("FullSegment")) {
    const nlohmann::json& inner = j["FullSegment"];
    if (!inner.is_object() || !inner.contains("segment")) {
      throw CliError::Usage("--request must be {\"FullSegment\": {\"segment\": [...]}}, got " +
                            text);
    }
    out.full = true;
    out.full_segment = SegmentFromJson(inner["segment"]);
    return out;
  }
  if (j.is_object() && j.contains("Spec")) j = j["Spec"];
  if (j.is_object() && j.size() == 1 && j.contains("Tiered")) j = j["Tiered"];
  if (j.is_object() && j.size() == 1 && j.contains("DrainSegment")) {
    const nlohmann::json& inner = j["DrainSegment"];
    if (!inner.is_object() || !inner.contains("segment") || !inner.contains("sources") ||
        !inner["sources"].is_array()) {
      throw CliError::Usage(
          "--request must be {\"Spec\": {\"DrainSegment\": {\"segment\": [...], "
          "\"sources\": [...]}}}, got " +
          text);
    }
    out.spec.drain = true;
    out.spec.segment = SegmentFromJson(inner["segment"]);
    for (const nlohmann::json& s : inner["sources"]) out.spec.sources.push_back(SourceFromJson(s));
    return out;
  }
  if (!j.is_object() || !j.contains("sources") || !j["sources"].is_array() ||
      !j.contains("destination") || !j["destination"].is_number_unsigned() ||
      j["destination"].get<uint64_t>() > UINT32_MAX) {
    throw CliError::Usage(
        "--request must be \"Full\", {\"FullSegment\": {\"segment\": [...]}} or "
        "{\"Spec\": {\"sources\": [...], \"destination\": N}}, got " +
        text);
  }
  for (const nlohmann::json& s : j["sources"]) out.spec.sources.push_back(SourceFromJson(s));
  out.spec.destination = j["destination"].get<uint32_t>();
  if (j.contains("segment")) out.spec.segment = SegmentFromJson(j["segment"]);
  return out;
}

std::string SubmittedText(const nlohmann::json& record) {
  return "submitted compaction " + record.at("id").get<std::string>() + " (status " +
         record.at("status").get<std::string>() +
         "); the writer's compactor runs it. Follow it with: slatedb compaction show " +
         record.at("id").get<std::string>() + "\n";
}

// "Full" / "FullSegment": plan on the latest manifest, submit each spec (upstream's CLI does
// the same), and print them all.
int SubmitFull(CommandContext& ctx, const std::optional<std::string>& segment) {
  auto admin = ctx.session.OpenAdmin();
  std::vector<CompactionRequestSpec> plan = Unwrap(BlockOn(admin->PlanFullCompaction(segment)));
  nlohmann::json records = nlohmann::json::array();
  for (CompactionRequestSpec& spec : plan) {
    records.push_back(
        nlohmann::json::parse(Unwrap(BlockOn(admin->SubmitCompaction(std::move(spec))))));
  }
  if (ctx.out.json()) {
    ctx.out.Json({{"compactions", records}});
  } else if (records.empty()) {
    ctx.out.Text(
        "nothing to submit: no tree has sorted runs (L0 is left to the regular "
        "compactions)\n");
  } else {
    for (const nlohmann::json& record : records) ctx.out.Text(SubmittedText(record));
  }
  return kExitOk;
}

int Submit(CommandContext& ctx) {
  CompactionRequestSpec spec;
  std::optional<std::string> request = ctx.args.Get("request");
  bool explicit_parts =
      ctx.args.Has("sorted-run") || ctx.args.Has("sst") || ctx.args.Has("destination");
  if (request && explicit_parts) {
    throw CliError::Usage("--request excludes --sorted-run, --sst and --destination");
  }
  if (request) {
    ParsedRequest parsed = RequestFromJson(*request);
    if (parsed.full) return SubmitFull(ctx, parsed.full_segment);
    spec = std::move(parsed.spec);
  } else {
    for (const std::string& id : ctx.args.GetAll("sorted-run")) {
      uint64_t run = ParseUint(id, "--sorted-run");
      if (run > UINT32_MAX) throw CliError::Usage("--sorted-run is out of range: " + id);
      spec.sources.push_back(CompactionSource::SortedRun(static_cast<uint32_t>(run)));
    }
    for (const std::string& ulid : ctx.args.GetAll("sst")) {
      spec.sources.push_back(CompactionSource::Sst(ulid));
    }
    std::optional<uint64_t> dest = ctx.args.GetUint("destination");
    if (!dest) throw CliError::Usage("--destination is required (the sorted run to write)");
    if (*dest > UINT32_MAX) throw CliError::Usage("--destination is out of range");
    spec.destination = static_cast<uint32_t>(*dest);
  }
  auto admin = ctx.session.OpenAdmin();
  nlohmann::json record = nlohmann::json::parse(Unwrap(BlockOn(admin->SubmitCompaction(spec))));
  if (ctx.out.json()) {
    ctx.out.Json({{"compaction", record}});
  } else {
    ctx.out.Text(SubmittedText(record));
  }
  return kExitOk;
}

std::string SourcesText(const nlohmann::json& sources) {
  std::string out;
  for (const nlohmann::json& s : sources) {
    if (!out.empty()) out += ", ";
    if (s.contains("SortedRun")) {
      out += "run " + s["SortedRun"].dump();
    } else {
      for (const auto& [k, v] : s.items()) {
        out += "sst " + (v.is_string() ? v.get<std::string>() : v.dump());
      }
    }
  }
  return out;
}

std::string CompactionText(const nlohmann::json& c) {
  const bool drain = c["spec"].value("drain", false);
  std::string out = c.value("id", "?") + "  " + c.value("status", "?") + "  " +
                    (drain ? "drain " : "") + "[" +
                    SourcesText(c["spec"].value("sources", nlohmann::json::array())) + "]" +
                    (drain ? std::string()
                           : " -> run " + c["spec"].value("destination", nlohmann::json()).dump());
  if (c.contains("bytes_processed")) {
    out += "  " + FormatBytes(c["bytes_processed"].get<uint64_t>()) + " processed";
  }
  if (c.contains("output_ssts") && !c["output_ssts"].empty()) {
    out += "  outputs " + std::to_string(c["output_ssts"].size());
  }
  if (c.contains("error")) out += "  error: " + c["error"].get<std::string>();
  return out;
}

int List(CommandContext& ctx) {
  auto admin = ctx.session.OpenAdmin();
  if (ctx.args.Has("objects")) {
    std::optional<uint64_t> start = ctx.args.GetUint("start");
    std::optional<uint64_t> end = ctx.args.GetUint("end");
    nlohmann::json list =
        nlohmann::json::parse(Unwrap(BlockOn(admin->ListCompactions(start, end))));
    for (nlohmann::json& m : list) {
      m["last_modified_time"] = FormatTimeMs(m.at("last_modified").get<int64_t>());
    }
    if (ctx.out.json()) {
      ctx.out.Json({{"objects", list}});
    } else {
      std::ostringstream t;
      for (const nlohmann::json& m : list) {
        t << m.at("id").dump() << "  " << FormatBytes(m.at("size").get<uint64_t>()) << "  "
          << m.at("last_modified_time").get<std::string>() << "  "
          << m.at("location").get<std::string>() << "\n";
      }
      t << list.size() << " compaction-state object(s)\n";
      ctx.out.Text(t.str());
    }
    return kExitOk;
  }
  if (ctx.args.Has("start") || ctx.args.Has("end")) {
    throw CliError::Usage("--start and --end go with --objects");
  }
  std::optional<uint64_t> id = ctx.args.GetUint("id");
  std::optional<std::string> text = Unwrap(BlockOn(admin->ReadCompactions(id)));
  if (!text) {
    if (id) {
      if (ctx.out.json()) ctx.out.Json({{"found", false}, {"id", *id}});
      throw CliError::NotFound("compaction-state object " + std::to_string(*id) +
                               " does not exist");
    }
    // No request was ever recorded: an empty list, not an error.
    if (ctx.out.json()) {
      ctx.out.Json({{"found", true},
                    {"id", nullptr},
                    {"compactor_epoch", nullptr},
                    {"compactions", nlohmann::json::array()}});
    } else {
      ctx.out.Text("no compactions recorded\n");
    }
    return kExitOk;
  }
  // Admin::ReadCompactions' documented shape: [id, {compactor_epoch, core: {recent_compactions}}].
  nlohmann::json pair = nlohmann::json::parse(*text);
  const nlohmann::json& body = pair.at(1);
  nlohmann::json compactions = body.at("core").at("recent_compactions");
  if (ctx.out.json()) {
    ctx.out.Json({{"found", true},
                  {"id", pair.at(0)},
                  {"compactor_epoch", body.at("compactor_epoch")},
                  {"compactions", compactions}});
    return kExitOk;
  }
  std::ostringstream t;
  t << "compaction-state object " << pair.at(0).dump() << ", compactor epoch "
    << body.at("compactor_epoch").dump() << "\n";
  for (const nlohmann::json& c : compactions) t << "  " << CompactionText(c) << "\n";
  t << compactions.size() << " compaction(s)\n";
  ctx.out.Text(t.str());
  return kExitOk;
}

int Show(CommandContext& ctx) {
  std::string ulid = *ctx.args.Positional(0);
  if (!IsUlidText(ulid)) {
    throw CliError::Usage("'" + ulid + "' is not a compaction id (a 26-character ULID)");
  }
  std::optional<uint64_t> in = ctx.args.GetUint("compactions-id");
  auto admin = ctx.session.OpenAdmin();
  std::optional<std::string> text = Unwrap(BlockOn(admin->ReadCompaction(ulid, in)));
  if (!text) {
    if (ctx.out.json()) ctx.out.Json({{"found", false}, {"id", ulid}});
    throw CliError::NotFound("compaction " + ulid + " is not recorded" +
                             (in ? " in compaction-state object " + std::to_string(*in) : ""));
  }
  nlohmann::json record = nlohmann::json::parse(*text);
  if (ctx.out.json()) {
    ctx.out.Json({{"found", true}, {"compaction", record}});
  } else {
    ctx.out.Text(CompactionText(record) + "\n");
    for (const nlohmann::json& o : record.value("output_ssts", nlohmann::json::array())) {
      ctx.out.Text("  output " + (o.is_string() ? o.get<std::string>() : o.dump()) + "\n");
    }
  }
  return kExitOk;
}

std::atomic<bool> g_stop_compactor{false};
extern "C" void OnCompactorStopSignal(int) { g_stop_compactor.store(true); }

// The compactor's settings: the defaults, then --settings FILE (upstream's JSON document,
// possibly partial), then --poll-interval.
Settings CompactorSettings(const CommandContext& ctx) {
  Settings settings;
  if (std::optional<std::string> file = ctx.args.Get("settings")) {
    std::ifstream in(*file);
    if (!in) throw CliError::Usage("cannot read the settings file '" + *file + "'");
    std::stringstream text;
    text << in.rdbuf();
    Check(MergeSettingsJson(&settings, text.str(), *file));
  }
  if (std::optional<uint64_t> poll = ctx.args.GetDurationMs("poll-interval")) {
    if (*poll == 0) throw CliError::Usage("--poll-interval must be > 0");
    settings.manifest_poll_interval_ms = *poll;
  }
  // A standalone compactor is the compactor, whatever the document says of the writer's.
  settings.compactor_enabled = true;
  return settings;
}

nlohmann::json ProgressJson(const std::map<std::string, uint64_t>& m) {
  auto at = [&](const char* k) { return m.count(k) ? m.at(k) : 0; };
  return {{"completed", at("compaction/completed")},
          {"failed", at("compaction/failed")},
          {"running", at("compaction/running")},
          {"l0_ssts", at("compactor/l0_sst_count")},
          {"sorted_runs", at("compactor/sorted_run_count")},
          {"bytes_read", at("compaction/bytes_read")},
          {"bytes_written", at("compaction/bytes_written")},
          {"manifest_id", at("compactor/manifest_id")}};
}

int CompactorRun(CommandContext& ctx) {
  Settings settings = CompactorSettings(ctx);
  const uint64_t report_ms = ctx.args.GetDurationMs("report-interval").value_or(10'000);
  CompactorOptions options;
  options.object_store = ctx.session.Location().store;
  options.executor = ctx.session.executor();
  options.clock = ctx.session.clock();
  options.path = ctx.session.Location().path;
  options.settings = settings;
  std::shared_ptr<Compactor> compactor = Unwrap(BlockOn(Compactor::Open(std::move(options))));

  std::signal(SIGINT, OnCompactorStopSignal);
  std::signal(SIGTERM, OnCompactorStopSignal);
  auto done = std::make_shared<std::atomic<bool>>(false);
  auto result = std::make_shared<Status>();
  Spawn(compactor->Run(), [done, result](Status s) {
    *result = std::move(s);
    done->store(true);
  });
  auto report = [&](const char* event) {
    std::string time = FormatTimeMs(ctx.session.clock()->NowMillis());
    nlohmann::json progress = ProgressJson(compactor->Metrics());
    if (ctx.out.json()) {
      nlohmann::json line{{"event", event}, {"time", time}, {"epoch", compactor->epoch()}};
      line["progress"] = progress;
      ctx.out.JsonLine(line);
    } else {
      std::ostringstream t;
      t << time << " " << event << ": compactions " << progress["completed"] << " completed, "
        << progress["failed"] << " failed, " << progress["running"] << " running; L0 "
        << progress["l0_ssts"] << ", sorted runs " << progress["sorted_runs"] << "\n";
      ctx.out.Text(t.str());
      std::cout.flush();
    }
  };
  if (!ctx.out.json()) {
    ctx.out.Text("compacting " + ctx.session.Describe() + " as compactor epoch " +
                 std::to_string(compactor->epoch()) + " until interrupted\n");
    std::cout.flush();
  } else {
    report("started");
  }
  using SteadyClock = std::chrono::steady_clock;
  SteadyClock::time_point next_report = SteadyClock::now() + std::chrono::milliseconds(report_ms);
  while (!done->load() && !g_stop_compactor.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (report_ms > 0 && SteadyClock::now() >= next_report) {
      report("progress");
      next_report = SteadyClock::now() + std::chrono::milliseconds(report_ms);
    }
  }
  compactor->Stop();
  while (!done->load()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  report("stopped");
  // OK after a signal; Closed(fenced) when another compactor took over; else why it stopped.
  Check(*result);
  return kExitOk;
}

}  // namespace

void AddCompactionCommands(std::vector<CommandSpec>* commands) {
  commands->push_back(
      {{"compaction", "submit"},
       "request a compaction of given sorted runs / SSTs into a sorted run",
       "Records the request in the compaction-state objects; the open writer's compactor picks "
       "it up (Settings::compaction_request_poll_ms) and marks it Running, then Completed or "
       "Failed. Give the sources with --sorted-run / --sst and --destination, or as upstream's "
       "JSON with --request '{\"Spec\":{\"sources\":[{\"SortedRun\":3}],\"destination\":3}}'. "
       "--request '\"Full\"' submits, per tree, all its sorted runs into its lowest run (L0 is "
       "left to the regular compactions); '{\"FullSegment\":{\"segment\":[...]}}' does that "
       "for one segment's tree. '{\"Spec\":{\"DrainSegment\":{\"segment\":[...],"
       "\"sources\":[...]}}}' drains a segment: the listed L0 SSTs and runs leave the manifest "
       "and nothing is written (upstream's segment retention).",
       {},
       {{"sorted-run", "ID", "a sorted run to merge", true},
        {"sst", "ULID", "an L0 SST to merge", true},
        {"destination", "ID", "the sorted run the output becomes"},
        {"request", "JSON", "the whole request as JSON (upstream's form)"}},
       Submit});
  commands->push_back(
      {{"compaction", "list"},
       "list the compactions recorded in the latest compaction-state object",
       "With --objects, lists the compaction-state objects themselves (id, size, time).",
       {},
       {{"id", "N", "read compaction-state object N instead of the latest"},
        {"objects", "", "list the stored compaction-state objects"},
        {"start", "N", "with --objects: the first id"},
        {"end", "N", "with --objects: list ids below this"}},
       List,
       true});
  commands->push_back(
      {{"compaction", "show"},
       "show one compaction request and its status",
       "",
       {{"ID", "the compaction's ULID (printed by submit and list)"}},
       {{"compactions-id", "N", "read compaction-state object N instead of the latest"}},
       Show,
       true});
  commands->push_back(
      {{"compactor", "run"},
       "run the database's compactor in this process (a standalone compactor)",
       "Claims the compactor epoch (fencing any earlier compactor, standalone or in a writer), "
       "then reads the manifest every --poll-interval for the writer's new L0 SSTs, merges them "
       "into sorted runs with the size-tiered scheduler, runs requests from 'compaction "
       "submit', and publishes its results through the manifest. Run the writer with "
       "compaction off (compactor_options: null; C++ Settings::compactor_enabled = false). "
       "Runs until SIGINT or SIGTERM (exit code 0) or until another compactor claims the "
       "database (exit code 1, closed). Prints a progress line every --report-interval.",
       {},
       {{"poll-interval", "DURATION", "how often to read the manifest for new L0 SSTs (1s)"},
        {"settings", "FILE", "upstream's settings JSON (compactor_options, SST options)"},
        {"report-interval", "DURATION", "how often to print progress (10s; 0s: never)"}},
       CompactorRun,
       true});
}

}  // namespace slatedb::cli
