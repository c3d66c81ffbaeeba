// SPDX-License-Identifier: Apache-2.0
//
// The rows of the settings table. Names, nesting, JSON types and defaults of upstream's
// entries are upstream 0.17's (its Settings.default() document); the rows marked ours are
// this engine's own settings, named in the same style. Getters and setters see normalised
// values: durations as integer milliseconds, number-strings as numbers, choices in their
// canonical spelling; settings_json.cc does the checking and the text.
#include <array>
#include <string_view>

#include "settings/setting_entry.h"

namespace slatedb::settings_internal {

namespace {

using Type = SettingType;
using Effect = SettingEffect;

constexpr std::string_view kCodecs[] = {"Snappy", "Zlib", "Lz4", "Zstd"};
constexpr std::string_view kMetricLevels[] = {"Info", "Debug"};
constexpr std::string_view kPreloadLevels[] = {"L0Sst", "AllSst"};

constexpr uint64_t kU32 = UINT32_MAX;

// Upstream's spelling of each codec (null is none). Every codec of the format is written by
// this build (format/compression.h).
std::optional<CompressionCodec> CodecFromName(std::string_view name) {
  if (name == "Snappy") return CompressionCodec::kSnappy;
  if (name == "Zlib") return CompressionCodec::kZlib;
  if (name == "Lz4") return CompressionCodec::kLz4;
  if (name == "Zstd") return CompressionCodec::kZstd;
  return std::nullopt;
}

Json CodecToJson(CompressionCodec codec) {
  switch (codec) {
    case CompressionCodec::kNone:
      return nullptr;
    case CompressionCodec::kSnappy:
      return "Snappy";
    case CompressionCodec::kZlib:
      return "Zlib";
    case CompressionCodec::kLz4:
      return "Lz4";
    case CompressionCodec::kZstd:
      return "Zstd";
  }
  return nullptr;
}

Status SetCodec(Settings& s, const Json& v) {
  if (v.is_null()) {
    s.compression = CompressionCodec::kNone;
    return Status::Ok();
  }
  std::string name = v.get<std::string>();
  std::optional<CompressionCodec> codec = CodecFromName(name);
  if (!codec) {
    return Status::Invalid("compression codec `" + name +
                           "` is not one of null, `Snappy`, `Zlib`, `Lz4`, `Zstd`");
  }
  s.compression = *codec;
  return Status::Ok();
}

Json OptionalU64(const std::optional<uint64_t>& v) { return v ? Json(*v) : Json(nullptr); }

// A garbage-collector directory's rows, `Member` picking the Settings field.
template <Settings::GcDirectory Settings::*Dir>
struct GcDir {
  static Json Get(const Settings& s) { return (s.*Dir).enabled ? Json::object() : Json(nullptr); }
  static Status Set(Settings& s, const Json& v) {
    (s.*Dir).enabled = !v.is_null();
    return Status::Ok();
  }
  static Json GetInterval(const Settings& s) { return (s.*Dir).interval_ms; }
  static Status SetInterval(Settings& s, const Json& v) {
    (s.*Dir).interval_ms = v.get<uint64_t>();
    return Status::Ok();
  }
  static Json GetMinAge(const Settings& s) { return (s.*Dir).min_age_ms; }
  static Status SetMinAge(Settings& s, const Json& v) {
    (s.*Dir).min_age_ms = v.get<uint64_t>();
    return Status::Ok();
  }
  static Json GetDryRun(const Settings& s) { return (s.*Dir).dry_run; }
  static Status SetDryRun(Settings& s, const Json& v) {
    (s.*Dir).dry_run = v.get<bool>();
    return Status::Ok();
  }
};
using GcManifest = GcDir<&Settings::gc_manifest>;
using GcWal = GcDir<&Settings::gc_wal>;
using GcCompacted = GcDir<&Settings::gc_compacted>;

// Row builders, so each row below reads as name, type, effect and the few facts it needs.
SettingEntry Applied(std::string_view name, Type type, bool nullable, std::string_view expected,
                     Json (*get)(const Settings&), Status (*set)(Settings&, const Json&),
                     std::string_view doc, bool upstream = true) {
  SettingEntry e;
  e.info = SettingInfo{name, type, nullable, Effect::kApplied, upstream, doc};
  e.expected = expected;
  e.get = get;
  e.set = set;
  return e;
}

SettingEntry Ranged(SettingEntry e, uint64_t min, uint64_t max) {
  e.min = min;
  e.max = max;
  return e;
}

SettingEntry NoEffect(std::string_view name, Type type, bool nullable, std::string_view expected,
                      std::string_view default_json, std::string_view doc,
                      uint64_t max = UINT64_MAX) {
  SettingEntry e;
  e.info = SettingInfo{name, type, nullable, Effect::kNoEffect, true, doc};
  e.expected = expected;
  e.default_json = default_json;
  e.max = max;
  return e;
}

SettingEntry DefaultOnly(std::string_view name, Type type, bool nullable, std::string_view expected,
                         std::string_view default_json, std::string_view refusal,
                         std::string_view doc) {
  SettingEntry e;
  e.info = SettingInfo{name, type, nullable, Effect::kDefaultOnly, true, doc};
  e.expected = expected;
  e.default_json = default_json;
  e.refusal = refusal;
  return e;
}

SettingEntry Choices(SettingEntry e, std::span<const std::string_view> choices, bool lenient) {
  e.choices = choices;
  e.lenient_choices = lenient;
  return e;
}

// The GC rows of one directory that this engine collects.
template <typename Dir>
void AddGcDirectory(std::vector<SettingEntry>* out, std::string_view group,
                    std::string_view interval, std::string_view min_age, std::string_view dry_run,
                    std::string_view doc) {
  out->push_back(
      Applied(group, Type::kGroup, true, "struct GcDirectoryOptions", &Dir::Get, &Dir::Set, doc));
  out->push_back(Applied(interval, Type::kDuration, false, "a string", &Dir::GetInterval,
                         &Dir::SetInterval, "how often the directory is collected"));
  out->push_back(Applied(min_age, Type::kDuration, false, "a string", &Dir::GetMinAge,
                         &Dir::SetMinAge, "unreferenced objects younger than this are kept"));
  out->push_back(Applied(dry_run, Type::kBool, false, "a boolean", &Dir::GetDryRun, &Dir::SetDryRun,
                         "plan only: delete nothing"));
}

std::vector<SettingEntry> BuildEntries() {
  std::vector<SettingEntry> t;
  // --- top level, in upstream's order -------------------------------------------------------
  t.push_back(Applied(
      "flush_interval", Type::kDuration, true, "a string",
      [](const Settings& s) {
        return s.flush_interval_ms ? Json(s.flush_interval_ms) : Json(nullptr);
      },
      [](Settings& s, const Json& v) {
        s.flush_interval_ms = v.is_null() ? 0 : v.get<uint64_t>();
        return Status::Ok();
      },
      "buffered writes go out as one WAL object this often; null (or 0s): only on flush, "
      "a full buffer or close"));
  t.push_back(DefaultOnly("wal_enabled", Type::kBool, false, "a boolean", "true",
                          "this engine always writes a WAL", "must be true"));
  t.push_back(Ranged(Applied(
                         "manifest_poll_interval", Type::kDuration, false, "a string",
                         [](const Settings& s) { return Json(s.manifest_poll_interval_ms); },
                         [](Settings& s, const Json& v) {
                           s.manifest_poll_interval_ms = v.get<uint64_t>();
                           return Status::Ok();
                         },
                         "how often a writer whose compactor runs elsewhere, and a standalone "
                         "compactor, read the manifest for the other's changes"),
                     1, UINT64_MAX));
  t.push_back(NoEffect("manifest_update_timeout", Type::kDuration, false, "a string", "\"300s\"",
                       "manifest updates are bounded by the store retries instead"));
  t.push_back(Ranged(Applied(
                         "min_filter_keys", Type::kInteger, false, "u32",
                         [](const Settings& s) { return Json(s.min_filter_keys); },
                         [](Settings& s, const Json& v) {
                           s.min_filter_keys = v.get<uint32_t>();
                           return Status::Ok();
                         },
                         "SSTs with fewer rows get no bloom filter"),
                     0, kU32));
  t.push_back(Ranged(Applied(
                         "l0_sst_size_bytes", Type::kInteger, false, "usize",
                         [](const Settings& s) { return Json(s.l0_sst_size_bytes); },
                         [](Settings& s, const Json& v) {
                           s.l0_sst_size_bytes = v.get<uint64_t>();
                           return Status::Ok();
                         },
                         "a memtable is written as an L0 SST at this size"),
                     1024, UINT64_MAX));
  t.push_back(NoEffect("max_wal_flushes_before_l0_flush", Type::kInteger, false, "usize", "4096",
                       "memtables are flushed by size only"));
  t.push_back(Ranged(Applied(
                         "l0_max_ssts", Type::kInteger, false, "usize",
                         [](const Settings& s) { return Json(s.l0_max_ssts); },
                         [](Settings& s, const Json& v) {
                           s.l0_max_ssts = v.get<uint32_t>();
                           return Status::Ok();
                         },
                         "memtable flushes wait while L0 holds this many SSTs"),
                     1, kU32));
  t.push_back(NoEffect("l0_max_ssts_per_key", Type::kInteger, false, "usize", "8",
                       "l0_max_ssts bounds L0 as a whole"));
  t.push_back(NoEffect("l0_flush_parallelism", Type::kInteger, false, "usize", "4",
                       "L0 SSTs are uploaded one at a time, oldest first"));
  t.push_back(Applied(
      "max_unflushed_bytes", Type::kInteger, false, "usize",
      [](const Settings& s) { return Json(s.max_unflushed_bytes); },
      [](Settings& s, const Json& v) {
        s.max_unflushed_bytes = v.get<uint64_t>();
        return Status::Ok();
      },
      "writers wait while this many bytes are not yet in L0"));

  // --- compactor_options ------------------------------------------------------------------------
  t.push_back(Applied(
      "compactor_options", Type::kGroup, true, "struct CompactorOptions",
      [](const Settings& s) { return s.compactor_enabled ? Json::object() : Json(nullptr); },
      [](Settings& s, const Json& v) {
        s.compactor_enabled = !v.is_null();
        return Status::Ok();
      },
      "the in-process size-tiered compactor; null: none runs in this process"));
  t.push_back(Applied(
      "compactor_options.poll_interval", Type::kDuration, false, "a string",
      [](const Settings& s) { return Json(s.compaction_request_poll_ms); },
      [](Settings& s, const Json& v) {
        s.compaction_request_poll_ms = v.get<uint64_t>();
        return Status::Ok();
      },
      "how often compactions requested through the admin API are looked for; 0s: never"));
  t.push_back(NoEffect("compactor_options.manifest_update_timeout", Type::kDuration, false,
                       "a string", "\"300s\"", "bounded by the store retries instead"));
  t.push_back(
      Ranged(Applied(
                 "compactor_options.max_concurrent_compactions", Type::kInteger, false, "usize",
                 [](const Settings& s) { return Json(s.compaction_max_concurrent); },
                 [](Settings& s, const Json& v) {
                   s.compaction_max_concurrent = v.get<uint32_t>();
                   return Status::Ok();
                 },
                 "compactions running at once (at most one consumes L0)"),
             1, kU32));
  t.push_back(NoEffect("compactor_options.enable_trivial_move", Type::kBool, false, "a boolean",
                       "false", "compactions always rewrite their sources"));
  t.push_back(Applied(
      "compactor_options.scheduler_options", Type::kGroup, false, "a map",
      [](const Settings&) { return Json::object(); },
      [](Settings&, const Json&) { return Status::Ok(); },
      "the size-tiered scheduler's options (numbers written as strings, as upstream)"));
  t.push_back(Ranged(
      Applied(
          "compactor_options.scheduler_options.min_compaction_sources", Type::kNumberString, false,
          "an integer", [](const Settings& s) { return Json(s.compaction_min_sources); },
          [](Settings& s, const Json& v) {
            s.compaction_min_sources = v.get<uint32_t>();
            return Status::Ok();
          },
          "L0 SSTs or similar sorted runs needed to start a compaction"),
      2, kU32));
  t.back().map_key = true;
  t.push_back(Ranged(
      Applied(
          "compactor_options.scheduler_options.max_compaction_sources", Type::kNumberString, false,
          "an integer", [](const Settings& s) { return Json(s.compaction_max_sources); },
          [](Settings& s, const Json& v) {
            s.compaction_max_sources = v.get<uint32_t>();
            return Status::Ok();
          },
          "most sources one compaction merges"),
      2, kU32));
  t.back().map_key = true;
  {
    SettingEntry e = Applied(
        "compactor_options.scheduler_options.include_size_threshold", Type::kNumberString, false,
        "a number", [](const Settings& s) { return Json(s.compaction_include_size_threshold); },
        [](Settings& s, const Json& v) {
          s.compaction_include_size_threshold = v.get<double>();
          return Status::Ok();
        },
        "sorted runs within this factor of the smallest in a group are merged together");
    e.number_above = 1.0;
    e.map_key = true;
    t.push_back(e);
  }
  t.push_back(DefaultOnly(
      "compactor_options.worker", Type::kGroup, true, "struct CompactionWorkerOptions", "{}",
      "compactions run inside the process that schedules them", "must not be null"));
  t.push_back(NoEffect("compactor_options.worker.max_concurrent_compactions", Type::kInteger, false,
                       "usize", "4", "see compactor_options.max_concurrent_compactions"));
  t.push_back(NoEffect("compactor_options.worker.compactions_poll_interval", Type::kDuration, false,
                       "a string", "\"5s\"", "see compactor_options.poll_interval"));
  t.push_back(NoEffect("compactor_options.worker.heartbeat_interval", Type::kDuration, false,
                       "a string", "\"10s\"", "no separate workers to watch"));
  t.push_back(Ranged(Applied(
                         "compactor_options.worker.max_sst_size", Type::kInteger, false, "usize",
                         [](const Settings& s) { return Json(s.compaction_max_sst_bytes); },
                         [](Settings& s, const Json& v) {
                           s.compaction_max_sst_bytes = v.get<uint64_t>();
                           return Status::Ok();
                         },
                         "compaction output SSTs are cut at about this size"),
                     64 * 1024, UINT64_MAX));
  t.push_back(NoEffect("compactor_options.worker.max_fetch_tasks", Type::kInteger, false, "usize",
                       "4", "sources are read block by block"));
  t.push_back(NoEffect("compactor_options.worker.bytes_to_fetch", Type::kInteger, false, "usize",
                       "2097152", "sources are read block by block"));
  t.push_back(NoEffect("compactor_options.worker.max_subcompactions", Type::kInteger, false,
                       "usize", "4", "a compaction is one merge"));
  t.push_back(NoEffect("compactor_options.worker.min_filter_keys", Type::kInteger, false, "u32",
                       "1000", "compaction outputs follow min_filter_keys", kU32));
  t.push_back(Choices(DefaultOnly("compactor_options.worker.compression_codec", Type::kString, true,
                                  "a string", "null", "compaction outputs use compression_codec",
                                  "must be null (compression_codec applies)"),
                      kCodecs, true));
  t.push_back(Choices(NoEffect("compactor_options.worker.metric_level", Type::kString, true,
                               "a string", "null", "every metric is always recorded"),
                      kMetricLevels, true));
  t.push_back(Choices(NoEffect("compactor_options.metric_level", Type::kString, true, "a string",
                               "null", "every metric is always recorded"),
                      kMetricLevels, true));
  t.push_back(NoEffect("compactor_options.commit_compacted_interval", Type::kDuration, false,
                       "a string", "\"1s\"", "each compaction commits when it finishes"));
  t.push_back(NoEffect("compactor_options.checkpoint_lifetime", Type::kDuration, false, "a string",
                       "\"900s\"", "compactions take no checkpoints"));
  t.push_back(NoEffect("compactor_options.worker_heartbeat_timeout", Type::kDuration, false,
                       "a string", "\"30s\"", "no separate workers to watch"));
  t.push_back(NoEffect("compactor_options.object_store_max_retries", Type::kInteger, true, "u32",
                       "null", "the compactor shares the database's store retries", kU32));

  // --- compression, caches ----------------------------------------------------------------------
  t.push_back(Choices(Applied(
                          "compression_codec", Type::kString, true, "a string",
                          [](const Settings& s) { return CodecToJson(s.compression); }, &SetCodec,
                          "codec of new SST blocks; null: none (WAL objects are never "
                          "compressed)"),
                      kCodecs, true));
  // The engine opens no cache itself: the Python package reads these to wrap the object
  // store in the persistent on-disk cache (platform/cache, docs/caches.md); C++ and JS
  // callers wrap their store themselves. So they are kept and read back, as kNoEffect.
  t.push_back(Applied(
      "object_store_cache_options", Type::kGroup, false, "struct ObjectStoreCacheOptions",
      [](const Settings&) { return Json::object(); },
      [](Settings&, const Json&) { return Status::Ok(); },
      "the persistent on-disk cache of SST parts (read by the Python package)"));
  t.push_back(NoEffect("object_store_cache_options.root_folder", Type::kString, true, "a string",
                       "null", "cache folder; null: no cache (Python wraps the store)"));
  t.push_back(NoEffect("object_store_cache_options.max_cache_size_bytes", Type::kInteger, false,
                       "usize", "17179869184", "size bound of the cache folder"));
  t.push_back(NoEffect("object_store_cache_options.part_size_bytes", Type::kInteger, false, "usize",
                       "4194304", "bytes per cached part of an SST"));
  t.push_back(NoEffect("object_store_cache_options.cache_on_flush", Type::kBool, false, "a boolean",
                       "false", "cache the SSTs this writer flushes"));
  t.push_back(NoEffect("object_store_cache_options.cache_on_compaction", Type::kBool, false,
                       "a boolean", "false", "cache the SSTs this writer's compactor writes"));
  t.push_back(Choices(NoEffect("object_store_cache_options.preload_disk_cache_on_startup",
                               Type::kString, true, "a string", "null", "not implemented"),
                      kPreloadLevels, false));
  t.push_back(NoEffect("object_store_cache_options.scan_interval", Type::kDuration, false,
                       "a string", "\"3600s\"", "not implemented"));
  t.push_back(NoEffect("object_store_cache_options.max_open_file_handles", Type::kInteger, false,
                       "usize", "1000", "not implemented"));

  // --- garbage_collector_options ----------------------------------------------------------------
  t.push_back(Applied(
      "garbage_collector_options", Type::kGroup, true, "struct GarbageCollectorOptions",
      [](const Settings& s) { return s.gc_enabled ? Json::object() : Json(nullptr); },
      [](Settings& s, const Json& v) {
        s.gc_enabled = !v.is_null();
        return Status::Ok();
      },
      "the in-process garbage collector; null: none runs in this process"));
  AddGcDirectory<GcManifest>(&t, "garbage_collector_options.manifest_options",
                             "garbage_collector_options.manifest_options.interval",
                             "garbage_collector_options.manifest_options.min_age",
                             "garbage_collector_options.manifest_options.dry_run",
                             "manifest/ versions no checkpoint pins; null: kept");
  AddGcDirectory<GcWal>(
      &t, "garbage_collector_options.wal_options", "garbage_collector_options.wal_options.interval",
      "garbage_collector_options.wal_options.min_age",
      "garbage_collector_options.wal_options.dry_run", "wal/ objects already in L0; null: kept");
  t.push_back(NoEffect("garbage_collector_options.wal_fence_options", Type::kGroup, true,
                       "struct GcExecutionOptions", "{}", "this engine writes no fence objects"));
  t.push_back(NoEffect("garbage_collector_options.wal_fence_options.interval", Type::kDuration,
                       false, "a string", "\"600s\"", "no fence objects"));
  t.push_back(NoEffect("garbage_collector_options.wal_fence_options.min_age", Type::kDuration,
                       false, "a string", "\"300s\"", "no fence objects"));
  t.push_back(NoEffect("garbage_collector_options.wal_fence_options.dry_run", Type::kBool, false,
                       "a boolean", "true", "no fence objects"));
  AddGcDirectory<GcCompacted>(&t, "garbage_collector_options.compacted_options",
                              "garbage_collector_options.compacted_options.interval",
                              "garbage_collector_options.compacted_options.min_age",
                              "garbage_collector_options.compacted_options.dry_run",
                              "compacted/ SSTs no live manifest references; null: kept");
  t.push_back(NoEffect("garbage_collector_options.compactions_options", Type::kGroup, true,
                       "struct GcExecutionOptions", "{}",
                       "compactions/ keeps its versions (each is small)"));
  t.push_back(NoEffect("garbage_collector_options.compactions_options.interval", Type::kDuration,
                       false, "a string", "\"600s\"", "compactions/ is kept"));
  t.push_back(NoEffect("garbage_collector_options.compactions_options.min_age", Type::kDuration,
                       false, "a string", "\"300s\"", "compactions/ is kept"));
  t.push_back(NoEffect("garbage_collector_options.compactions_options.dry_run", Type::kBool, false,
                       "a boolean", "false", "compactions/ is kept"));
  t.push_back(NoEffect("garbage_collector_options.detach_options", Type::kGroup, true,
                       "struct GcDetachOptions", "{}", "clones are detached by the admin API"));
  t.push_back(NoEffect("garbage_collector_options.detach_options.interval", Type::kDuration, false,
                       "a string", "\"600s\"", "clones are detached by the admin API"));
  t.push_back(Choices(NoEffect("garbage_collector_options.metric_level", Type::kString, true,
                               "a string", "null", "every metric is always recorded"),
                      kMetricLevels, true));
  t.push_back(Applied(
      "garbage_collector_options.boundary_files_enabled", Type::kBool, false, "a boolean",
      [](const Settings& s) { return Json(s.gc_boundary_files); },
      [](Settings& s, const Json& v) {
        s.gc_boundary_files = v.get<bool>();
        return Status::Ok();
      },
      "raise gc/manifest.boundary and gc/compactions.boundary before deleting those versions; "
      "false: delete without them"));
  t.push_back(NoEffect("garbage_collector_options.object_store_max_retries", Type::kInteger, true,
                       "u32", "null", "the collector shares the database's store retries", kU32));

  // --- the rest of upstream's top level -------------------------------------------------------
  t.push_back(Choices(NoEffect("metric_level", Type::kString, false, "a string", "\"Info\"",
                               "every metric is always recorded"),
                      kMetricLevels, true));
  t.push_back(Applied(
      "default_ttl_millis", Type::kInteger, true, "u64",
      [](const Settings& s) { return OptionalU64(s.default_ttl_ms); },
      [](Settings& s, const Json& v) {
        if (v.is_null()) {
          s.default_ttl_ms.reset();
        } else {
          s.default_ttl_ms = v.get<uint64_t>();
        }
        return Status::Ok();
      },
      "TTL of puts and merges that give none; null: never expire; 0: never visible"));
  t.push_back(Ranged(Applied(
                         "object_store_max_retries", Type::kInteger, true, "u32",
                         [](const Settings& s) {
                           return s.object_store_max_retries ? Json(*s.object_store_max_retries)
                                                             : Json(nullptr);
                         },
                         [](Settings& s, const Json& v) {
                           if (v.is_null()) {
                             s.object_store_max_retries.reset();
                           } else {
                             s.object_store_max_retries = v.get<uint32_t>();
                           }
                           return Status::Ok();
                         },
                         "retries of a failing store call; null: until the retry deadline"),
                     0, 100));

  // --- this engine's own ----------------------------------------------------------------------
  t.push_back(Ranged(Applied(
                         "object_store_retry_deadline", Type::kDuration, false, "a string",
                         [](const Settings& s) { return Json(s.object_store_retry_deadline_ms); },
                         [](Settings& s, const Json& v) {
                           s.object_store_retry_deadline_ms = v.get<uint64_t>();
                           return Status::Ok();
                         },
                         "no retry of a store call starts later than this after its first "
                         "attempt",
                         false),
                     1, UINT64_MAX));
  t.push_back(Ranged(Applied(
                         "sst_block_size_bytes", Type::kInteger, false, "usize",
                         [](const Settings& s) { return Json(s.block_size_bytes); },
                         [](Settings& s, const Json& v) {
                           s.block_size_bytes = v.get<uint32_t>();
                           return Status::Ok();
                         },
                         "target size of an SST data block before compression", false),
                     1024, 65536));
  t.push_back(Ranged(Applied(
                         "filter_bits_per_key", Type::kInteger, false, "u32",
                         [](const Settings& s) { return Json(s.bloom_bits_per_key); },
                         [](Settings& s, const Json& v) {
                           s.bloom_bits_per_key = v.get<uint32_t>();
                           return Status::Ok();
                         },
                         "bloom filter bits per key (upstream 0.11's name); 0: no filters", false),
                     0, 64));
  t.push_back(Applied(
      "block_cache_size_bytes", Type::kInteger, false, "usize",
      [](const Settings& s) { return Json(s.block_cache_bytes); },
      [](Settings& s, const Json& v) {
        s.block_cache_bytes = v.get<uint64_t>();
        return Status::Ok();
      },
      "decoded SST blocks kept in memory", false));
  return t;
}

}  // namespace

std::span<const SettingEntry> Entries() {
  static const std::vector<SettingEntry>* entries = new std::vector<SettingEntry>(BuildEntries());
  return *entries;
}

const SettingEntry* FindEntry(std::string_view canonical) {
  for (const SettingEntry& e : Entries()) {
    if (e.info.name == canonical) return &e;
  }
  return nullptr;
}

}  // namespace slatedb::settings_internal
