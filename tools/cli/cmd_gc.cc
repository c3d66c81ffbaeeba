// SPDX-License-Identifier: Apache-2.0
//
// gc run (one pass, optionally a dry run) and gc schedule (passes on a timer until
// interrupted), both through Admin: a collector outside the writer, which keeps every SST
// at or after the newest L0 (it cannot see the writer's uploads in flight) and whatever a
// live checkpoint pins.
#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include "cli_error.h"
#include "commands.h"
#include "slatedb/options.h"
#include "slatedb/platform/blocking.h"

namespace slatedb::cli {

namespace {

// The defaults a writer's collector uses (Settings::GcDirectory).
const uint64_t kDefaultMinAgeMs = Settings().gc_compacted.min_age_ms;
const uint64_t kDefaultIntervalMs = Settings().gc_compacted.interval_ms;

const char* const kResources[] = {"manifest", "wal", "compacted", "compactions"};

GcDirectoryOptions* Directory(AdminGcOptions& options, const std::string& resource) {
  if (resource == "manifest") return &options.manifest;
  if (resource == "wal") return &options.wal;
  if (resource == "compacted") return &options.compacted;
  if (resource == "compactions") return &options.compactions;
  throw CliError::Usage("unknown resource '" + resource +
                        "' (expected manifest, wal, compacted or compactions)");
}

std::vector<std::string> Resources(const ParsedArgs& args) {
  std::vector<std::string> list = args.GetAll("resource");
  if (list.empty()) list.assign(std::begin(kResources), std::end(kResources));
  return list;
}

nlohmann::json ReportJson(const GcReport& r) {
  return {{"dry_run", r.dry_run},
          {"expired_checkpoints", r.expired_checkpoints},
          {"objects",
           {{"manifest", r.manifests},
            {"wal", r.wals},
            {"compacted", r.ssts},
            {"compactions", r.compactions}}},
          {"counts",
           {{"manifest", r.manifests.size()},
            {"wal", r.wals.size()},
            {"compacted", r.ssts.size()},
            {"compactions", r.compactions.size()}}},
          // Due but kept: the store cannot hold the GC boundary (no If-Match).
          {"skipped", {{"manifest", r.manifests_skipped}, {"compactions", r.compactions_skipped}}}};
}

std::string ReportSummary(const GcReport& r) {
  std::ostringstream t;
  t << (r.dry_run ? "would delete " : "deleted ") << r.manifests.size() << " manifest(s), "
    << r.wals.size() << " WAL object(s), " << r.ssts.size() << " SST(s), " << r.compactions.size()
    << " compaction-state object(s)";
  if (!r.expired_checkpoints.empty()) {
    t << "; " << (r.dry_run ? "would drop " : "dropped ") << r.expired_checkpoints.size()
      << " expired checkpoint(s)";
  }
  if (r.manifests_skipped || r.compactions_skipped) {
    t << "; kept old " << (r.manifests_skipped ? "manifests" : "")
      << (r.manifests_skipped && r.compactions_skipped ? " and " : "")
      << (r.compactions_skipped ? "compaction-state objects" : "")
      << ": the store cannot hold the GC boundary (no conditional overwrites)";
  }
  return t.str();
}

int Run(CommandContext& ctx) {
  uint64_t min_age = ctx.args.GetDurationMs("min-age").value_or(kDefaultMinAgeMs);
  bool dry_run = ctx.args.Has("dry-run");
  AdminGcOptions options;
  for (const std::string& r : Resources(ctx.args)) Directory(options, r)->min_age_ms = min_age;
  options.boundary_files = !ctx.args.Has("disable-boundary-files");
  ctx.session.set_read_only(dry_run);
  auto admin = ctx.session.OpenAdmin();
  GcReport report = Unwrap(BlockOn(admin->CollectGarbage(options, dry_run)));
  if (ctx.out.json()) {
    nlohmann::json doc = ReportJson(report);
    doc["min_age_ms"] = min_age;
    ctx.out.Json(doc);
    return kExitOk;
  }
  std::ostringstream t;
  t << ReportSummary(report) << " (min age " << min_age / 1000 << " s)\n";
  for (const std::string& id : report.expired_checkpoints) t << "  checkpoint " << id << "\n";
  for (const auto* list : {&report.manifests, &report.wals, &report.ssts, &report.compactions}) {
    for (const std::string& key : *list) t << "  " << key << "\n";
  }
  ctx.out.Text(t.str());
  return kExitOk;
}

// One scheduled directory.
struct Schedule {
  std::string resource;
  uint64_t period_ms = 0;
  uint64_t min_age_ms = 0;
};

// "min_age=DURATION,period=DURATION" (upstream's form; "interval" is accepted for period).
Schedule ParseSchedule(const std::string& resource, const std::string& spec) {
  Schedule s{resource, 0, 0};
  bool have_age = false, have_period = false;
  std::istringstream parts(spec);
  std::string part;
  while (std::getline(parts, part, ',')) {
    size_t eq = part.find('=');
    std::string key = part.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : part.substr(eq + 1);
    std::string what = "--" + resource + " " + key;
    if (key == "min_age") {
      s.min_age_ms = ParseDurationMs(value, what);
      have_age = true;
    } else if (key == "period" || key == "interval") {
      s.period_ms = ParseDurationMs(value, what);
      have_period = true;
    } else {
      throw CliError::Usage("--" + resource + " takes min_age=DURATION,period=DURATION, got '" +
                            spec + "'");
    }
  }
  if (!have_age || !have_period) {
    throw CliError::Usage("--" + resource + " needs both min_age= and period=, got '" + spec + "'");
  }
  return s;
}

std::atomic<bool> g_stop{false};
extern "C" void OnStopSignal(int) { g_stop.store(true); }

int ScheduleGc(CommandContext& ctx) {
  std::vector<Schedule> schedules;
  for (const char* r : kResources) {
    if (auto spec = ctx.args.Get(r)) schedules.push_back(ParseSchedule(r, *spec));
  }
  if (!schedules.empty() &&
      (ctx.args.Has("resource") || ctx.args.Has("interval") || ctx.args.Has("min-age"))) {
    throw CliError::Usage(
        "per-directory schedules (--manifest ... --compactions) exclude --resource, --interval "
        "and --min-age");
  }
  if (schedules.empty()) {
    uint64_t period = ctx.args.GetDurationMs("interval").value_or(kDefaultIntervalMs);
    uint64_t min_age = ctx.args.GetDurationMs("min-age").value_or(kDefaultMinAgeMs);
    for (const std::string& r : Resources(ctx.args)) {
      AdminGcOptions probe;
      Directory(probe, r);  // validates the name
      schedules.push_back({r, period, min_age});
    }
  }
  for (const Schedule& s : schedules) {
    if (s.period_ms == 0) throw CliError::Usage("the period of '" + s.resource + "' must be > 0");
  }
  std::optional<uint64_t> passes = ctx.args.GetUint("passes");
  auto admin = ctx.session.OpenAdmin();

  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  using SteadyClock = std::chrono::steady_clock;
  std::map<std::string, SteadyClock::time_point> next_due;
  for (const Schedule& s : schedules) next_due[s.resource] = SteadyClock::now();
  if (!ctx.out.json()) {
    std::ostringstream t;
    t << "collecting garbage in " << ctx.session.Describe() << " until interrupted:";
    for (const Schedule& s : schedules) {
      t << " " << s.resource << " every " << s.period_ms / 1000.0 << " s (min age "
        << s.min_age_ms / 1000.0 << " s);";
    }
    ctx.out.Text(t.str() + "\n");
  }
  uint64_t pass = 0;
  bool last_failed = false;
  while (!g_stop.load() && (!passes || pass < *passes)) {
    SteadyClock::time_point now = SteadyClock::now();
    AdminGcOptions options;
    options.boundary_files = !ctx.args.Has("disable-boundary-files");
    std::vector<std::string> due;
    for (const Schedule& s : schedules) {
      if (next_due[s.resource] > now) continue;
      Directory(options, s.resource)->min_age_ms = s.min_age_ms;
      next_due[s.resource] = now + std::chrono::milliseconds(s.period_ms);
      due.push_back(s.resource);
    }
    if (!due.empty()) {
      ++pass;
      Result<GcReport> report = BlockOn(admin->CollectGarbage(options, false));
      last_failed = !report.ok();
      std::string time = FormatTimeMs(ctx.session.clock()->NowMillis());
      if (ctx.out.json()) {
        nlohmann::json line{{"pass", pass}, {"time", time}, {"resources", due}};
        if (report.ok()) {
          line["report"] = ReportJson(*report);
        } else {
          line["error"] = {{"kind", ErrorKindName(report.status().kind())},
                           {"message", report.status().message()}};
        }
        ctx.out.JsonLine(line);
      } else {
        std::string what = report.ok()
                               ? ReportSummary(*report)
                               : "failed (" + std::string(ErrorKindName(report.status().kind())) +
                                     "): " + report.status().message();
        ctx.out.Text(time + " pass " + std::to_string(pass) + ": " + what + "\n");
        std::cout.flush();
      }
      // A bad configuration does not get better by waiting; anything else is retried.
      if (!report.ok() && report.status().kind() == ErrorKind::kInvalid) {
        throw CliError::FromStatus(report.status());
      }
      if (passes && pass >= *passes) break;
    }
    SteadyClock::time_point wake = SteadyClock::time_point::max();
    for (const auto& [r, t] : next_due) wake = std::min(wake, t);
    while (!g_stop.load() && SteadyClock::now() < wake) {
      // Short slices, so a signal stops the wait promptly.
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(wake - SteadyClock::now());
      std::this_thread::sleep_for(
          std::min(left + std::chrono::milliseconds(1), std::chrono::milliseconds(100)));
    }
  }
  return last_failed ? kExitFailed : kExitOk;
}

std::vector<OptionSpec> ResourceOption() {
  return {{"resource", "NAME",
           "collect only this directory: manifest, wal, compacted (SSTs) or compactions "
           "(default: all four)",
           true},
          {"disable-boundary-files", "",
           "delete old manifest and compaction-state versions without first raising "
           "gc/<kind>.boundary (for stores without conditional overwrites; a writer stalled "
           "past --min-age could then re-create a collected version)"}};
}

}  // namespace

void AddGcCommands(std::vector<CommandSpec>* commands) {
  std::vector<OptionSpec> run_options = ResourceOption();
  run_options.push_back({"min-age", "DURATION", "keep objects younger than this (default 5m)"});
  run_options.push_back({"dry-run", "", "delete nothing; print what a pass now would delete"});
  commands->push_back(
      {{"gc", "run"},
       "run one garbage-collection pass (or a --dry-run of one)",
       "Drops expired checkpoints, then deletes manifests, WAL objects, SSTs and compaction-"
       "state objects that neither the latest manifest nor any live checkpoint references "
       "and that are older than --min-age. Safe while the writer runs: SSTs at or after the "
       "newest L0 are never deleted, since the writer may be about to reference them.",
       {},
       run_options,
       Run});
  std::vector<OptionSpec> schedule_options = ResourceOption();
  schedule_options.push_back({"interval", "DURATION", "time between passes (default 10m)"});
  schedule_options.push_back(
      {"min-age", "DURATION", "keep objects younger than this (default 5m)"});
  for (const char* r : kResources) {
    schedule_options.push_back(
        {r, "SPEC",
         std::string("schedule ") + r + " on its own: min_age=DURATION,period=DURATION"});
  }
  schedule_options.push_back(
      {"passes", "N", "stop after N passes (default: run until interrupted)"});
  commands->push_back(
      {{"gc", "schedule"},
       "collect garbage periodically as a separate process, until interrupted",
       "Runs gc passes on a timer (each directory on its own period) until SIGINT or SIGTERM, "
       "so GC can run away from the writer's machine (open the writer with its own periodic GC "
       "off). Prints one line per pass; with --json one JSON object per line. A failed pass "
       "is reported and retried at the next period; an invalid configuration stops it.",
       {},
       schedule_options,
       ScheduleGc});
}

}  // namespace slatedb::cli
