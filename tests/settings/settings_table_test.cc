// SPDX-License-Identifier: Apache-2.0
//
// The settings table (slatedb/settings.h): upstream's names and document shape (checked
// against upstream 0.17's Settings.default(), kept as a fixture next to this file), setting
// by name, refusals and their messages, environment variables, durations, and one test
// that sets every applied setting by name and reads back what an opened database uses.
#include <catch2/catch.hpp>

#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "slatedb/settings.h"
#include "tests/db/db_test_util.h"

namespace slatedb::testing {
namespace {

using Json = nlohmann::ordered_json;

std::string ReadSourceFile(const std::string& relative) {
  std::ifstream in(std::string(SLATEDB_SOURCE_DIR) + "/" + relative);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Json UpstreamDefaults() {
  return Json::parse(ReadSourceFile("tests/settings/upstream_settings_default_0.17.json"));
}

// Every dotted path of a document (objects are descended; their own path is listed too).
void Paths(const Json& doc, const std::string& prefix, std::set<std::string>* out) {
  for (const auto& [key, value] : doc.items()) {
    std::string path = prefix.empty() ? key : prefix + "." + key;
    out->insert(path);
    if (value.is_object()) Paths(value, path, out);
  }
}

const Json* At(const Json& doc, const std::string& path) {
  const Json* at = &doc;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    std::string seg = path.substr(start, dot == std::string::npos ? dot : dot - start);
    if (!at->is_object() || !at->contains(seg)) return nullptr;
    at = &(*at)[seg];
    if (dot == std::string::npos) return at;
    start = dot + 1;
  }
}

std::string MessageOf(const Status& s) { return s.message(); }

TEST_CASE("settings table: upstream's names and shape, nothing more, nothing less", "[settings]") {
  Json upstream = UpstreamDefaults();
  std::set<std::string> upstream_paths;
  Paths(upstream, "", &upstream_paths);
  // scheduler_options is a map upstream (empty by default); its keys are upstream's too.
  std::set<std::string> table_upstream;
  for (const SettingInfo& info : SettingsTable()) {
    if (info.upstream) table_upstream.insert(std::string(info.name));
  }
  for (const std::string& path : upstream_paths) {
    INFO(path);
    CHECK(table_upstream.count(path) == 1);
  }
  for (const std::string& name : table_upstream) {
    INFO(name);
    bool scheduler_key = name.rfind("compactor_options.scheduler_options.", 0) == 0;
    CHECK((upstream_paths.count(name) == 1 || scheduler_key));
  }
  // Our document carries every upstream path, and upstream's complete document loads.
  Json ours = Json::parse(SettingsToJson(Settings{}));
  std::set<std::string> our_paths;
  Paths(ours, "", &our_paths);
  for (const std::string& path : upstream_paths) {
    INFO(path);
    CHECK(our_paths.count(path) == 1);
  }
  Settings loaded;
  Status st = MergeSettingsJson(&loaded, upstream.dump(), "upstream", /*require_complete=*/true);
  INFO(st.ToString());
  REQUIRE(st.ok());
  // Settings upstream has and this engine does not use read back as upstream wrote them.
  Json back = Json::parse(SettingsToJson(loaded));
  for (const SettingInfo& info : SettingsTable()) {
    if (info.effect == SettingEffect::kApplied || info.type == SettingType::kGroup) continue;
    INFO(info.name);
    const Json* theirs = At(upstream, std::string(info.name));
    REQUIRE(theirs != nullptr);
    CHECK(*At(back, std::string(info.name)) == *theirs);
  }
}

TEST_CASE("settings table: every name is documented in docs/settings.md", "[settings]") {
  const std::string doc = ReadSourceFile("docs/settings.md");
  for (const SettingInfo& info : SettingsTable()) {
    INFO(info.name);
    CHECK(doc.find("`" + std::string(info.name) + "`") != std::string::npos);
  }
}

TEST_CASE("settings: the document round-trips, durations as upstream writes them", "[settings]") {
  Settings s;
  s.flush_interval_ms = 1'005;
  s.gc_wal.min_age_ms = 3'600'000;
  s.default_ttl_ms = 0;
  s.compression = CompressionCodec::kNone;
  s.object_store_max_retries.reset();
  const std::string json = SettingsToJson(s);
  Json doc = Json::parse(json);
  CHECK(doc["flush_interval"] == "1s+005ms");
  CHECK(doc["garbage_collector_options"]["wal_options"]["min_age"] == "3600s");
  CHECK(doc["default_ttl_millis"] == 0);
  CHECK(doc["compression_codec"].is_null());
  CHECK(doc["object_store_max_retries"].is_null());
  CHECK(doc["compactor_options"]["scheduler_options"]["min_compaction_sources"] == "4");
  Settings back;
  REQUIRE(MergeSettingsJson(&back, json, "doc", /*require_complete=*/true).ok());
  CHECK(SettingsToJson(back) == json);
  CHECK(back.flush_interval_ms == 1'005);
  CHECK(back.default_ttl_ms == std::optional<uint64_t>(0));
}

TEST_CASE("settings: set by name, camelCase and aliases, groups merged", "[settings]") {
  Settings s;
  REQUIRE(SetSetting(&s, "flush_interval", "\"250ms\"").ok());
  CHECK(s.flush_interval_ms == 250);
  REQUIRE(SetSetting(&s, "flushInterval", "\"1s 500ms\"").ok());
  CHECK(s.flush_interval_ms == 1500);
  REQUIRE(SetSetting(&s, "compactorOptions.worker.maxSstSize", "131072").ok());
  CHECK(s.compaction_max_sst_bytes == 131072);
  REQUIRE(SetSetting(&s, "default_ttl", "5000").ok());  // upstream 0.11's name
  CHECK(s.default_ttl_ms == std::optional<uint64_t>(5000));
  REQUIRE(SetSetting(&s, "default_ttl_millis", "null").ok());
  CHECK_FALSE(s.default_ttl_ms.has_value());
  REQUIRE(SetSetting(&s, "compression_codec", "null").ok());
  CHECK(s.compression == CompressionCodec::kNone);
  REQUIRE(SetSetting(&s, "compression_codec", "\"zstd\"").ok());  // lenient spelling
  CHECK(*GetSettingJson(s, "compression_codec") == "\"Zstd\"");
  // Every codec of the format, in upstream 0.17's spelling, round-trips to the field.
  const std::pair<const char*, CompressionCodec> codecs[] = {
      {"\"Snappy\"", CompressionCodec::kSnappy},
      {"\"Zlib\"", CompressionCodec::kZlib},
      {"\"Lz4\"", CompressionCodec::kLz4},
      {"\"Zstd\"", CompressionCodec::kZstd},
      {"null", CompressionCodec::kNone}};
  for (const auto& [json, codec] : codecs) {
    INFO(json);
    REQUIRE(SetSetting(&s, "compression_codec", json).ok());
    CHECK(s.compression == codec);
    CHECK(*GetSettingJson(s, "compression_codec") == json);
  }
  REQUIRE(SetSetting(&s, "compression_codec", "\"none\"").ok());  // lenient: none is null
  CHECK(s.compression == CompressionCodec::kNone);
  CHECK(Settings().compression == CompressionCodec::kNone);  // upstream's default
  REQUIRE(SetSetting(&s, "compactor_options.scheduler_options",
                     R"({"min_compaction_sources": "3", "include_size_threshold": "2.5"})")
              .ok());
  CHECK(s.compaction_min_sources == 3);
  CHECK(s.compaction_include_size_threshold == 2.5);
  CHECK(s.compaction_max_sources == 8);  // left out: kept
  REQUIRE(SetSetting(&s, "garbage_collector_options.wal_options", "null").ok());
  CHECK_FALSE(s.gc_wal.enabled);
  REQUIRE(SetSetting(&s, "garbage_collector_options.wal_options", R"({"min_age": "2s"})").ok());
  CHECK(s.gc_wal.enabled);
  CHECK(s.gc_wal.min_age_ms == 2000);
  REQUIRE(SetSetting(&s, "compactor_options", "null").ok());
  CHECK_FALSE(s.compactor_enabled);
  CHECK(*GetSettingJson(s, "compactor_options") == "null");
  // No-effect settings keep what they were given.
  REQUIRE(SetSetting(&s, "manifest_poll_interval", "\"5s\"").ok());
  CHECK(*GetSettingJson(s, "manifest_poll_interval") == "\"5s\"");
  REQUIRE(SetSetting(&s, "metric_level", "\"debug\"").ok());
  CHECK(*GetSettingJson(s, "metric_level") == "\"Debug\"");
  // Dotted keys in documents address nested settings too.
  REQUIRE(MergeSettingsJson(&s, R"({"compactorOptions": {"pollInterval": "2s"}})", "doc").ok());
  CHECK(s.compactor_enabled);
  CHECK(s.compaction_request_poll_ms == 2000);
  REQUIRE(MergeSettingsJson(&s, R"({"garbage_collector_options.compacted_options.dry_run": true})",
                            "doc")
              .ok());
  CHECK(s.gc_compacted.dry_run);
}

TEST_CASE("settings: refusals name the setting, with upstream's wording", "[settings]") {
  Settings s;
  const std::string before = SettingsToJson(s);
  auto set = [&](const char* key, const char* value) {
    Status st = SetSetting(&s, key, value);
    CHECK(st.kind() == ErrorKind::kInvalid);
    CHECK(SettingsToJson(s) == before);  // nothing changed
    return MessageOf(st);
  };
  CHECK(set("flush_interval", "250") ==
        "settings update produced invalid settings: invalid type: integer `250`, expected a "
        "string");
  CHECK(set("flush_interval", "abc").rfind("value_json is not valid JSON: ", 0) == 0);
  CHECK(set("flush_interval", "\"abc\"").find("invalid duration \"abc\"") != std::string::npos);
  CHECK(set("l0_sst_size_bytes", "-1") ==
        "settings update produced invalid settings: invalid value: integer `-1`, expected usize");
  CHECK(set("l0_sst_size_bytes", "1.5") ==
        "settings update produced invalid settings: invalid type: floating point `1.5`, "
        "expected usize");
  CHECK(set("l0_sst_size_bytes", "null") ==
        "settings update produced invalid settings: invalid type: null, expected usize");
  CHECK(set("l0_sst_size_bytes", "\"12\"") ==
        "settings update produced invalid settings: invalid type: string \"12\", expected usize");
  CHECK(set("min_filter_keys", "4294967296") ==
        "settings update produced invalid settings: invalid value: integer `4294967296`, "
        "expected u32");
  CHECK(set("wal_enabled", "\"true\"") ==
        "settings update produced invalid settings: invalid type: string \"true\", expected a "
        "boolean");
  CHECK(set("compression_codec", "\"brotli\"") ==
        "settings update produced invalid settings: unknown variant `brotli`, expected one of "
        "`Snappy`, `Zlib`, `Lz4`, `Zstd`");
  CHECK(set("", "3") == "key invalid: key cannot be empty");
  CHECK(set("flush_interval.x", "3") == "key invalid: segment 'flush_interval' is not an object");
  CHECK(set("nonexistent", "1") == "key invalid: unknown setting `nonexistent`");
  CHECK(set("compactor_options.bogus", "1").find("`compactor_options.bogus`") != std::string::npos);
  CHECK(set("sst_block_size_bytes", "512").find("expected between 1024 and 65536") !=
        std::string::npos);
  // Values this engine cannot honour.
  CHECK(set("wal_enabled", "false").find("`wal_enabled` = false is not supported") !=
        std::string::npos);
  CHECK(set("object_store_cache_options.root_folder", "5").find("expected a string") !=
        std::string::npos);
  CHECK(set("compactor_options.worker", "null").find("not supported") != std::string::npos);
  // Members of a null group cannot be set.
  REQUIRE(SetSetting(&s, "garbage_collector_options", "null").ok());
  CHECK(SetSetting(&s, "garbage_collector_options.wal_options.min_age", "\"1s\"").message() ==
        "key invalid: segment 'garbage_collector_options' is not an object");
}

TEST_CASE("settings: documents and files are all or nothing, unknown keys refused", "[settings]") {
  Settings s;
  Status st = MergeSettingsJson(&s, R"({"flush_interval": "5ms", "bogus": 1})", "s.json");
  CHECK(st.kind() == ErrorKind::kInvalid);
  CHECK(st.message() == "invalid configuration format (unknown setting `bogus` in s.json)");
  CHECK(s.flush_interval_ms == 100);
  st = MergeSettingsJson(&s, R"({"flush_interval": 5})", "s.json");
  CHECK(st.message() ==
        "invalid configuration format (invalid type: integer `5`, expected a string for key "
        "\"flush_interval\" in s.json)");
  st = MergeSettingsJson(&s, R"({"flush_interval": "5ms")", "s.json");
  CHECK(st.message().rfind("invalid configuration format (", 0) == 0);
  CHECK(MergeSettingsJson(&s, "[]", "s.json").kind() == ErrorKind::kInvalid);
  st = MergeSettingsJson(&s, "{}", "full", /*require_complete=*/true);
  CHECK(st.message() == "missing field `flush_interval`");
  REQUIRE(MergeSettingsJson(&s, R"({"flush_interval": "5ms"})", "s.json").ok());
  CHECK(s.flush_interval_ms == 5);
}

TEST_CASE("settings: environment variables", "[settings]") {
  Settings s;
  std::vector<std::pair<std::string, std::string>> vars = {
      {"XX_FLUSH_INTERVAL", "123ms"},
      {"XX_COMPACTOR_OPTIONS.WORKER.MAX_SST_SIZE", "777777"},
      {"XX_DEFAULT_TTL", "0"},
      {"XX_GARBAGE_COLLECTOR_OPTIONS.WAL_OPTIONS", "null"},
      {"XX_COMPACTOR_OPTIONS.SCHEDULER_OPTIONS.MIN_COMPACTION_SOURCES", "3"},  // a string
      {"XX_COMPACTOR_OPTIONS.POLL_INTERVAL", "10"},                            // ten seconds
      {"XX_SIM_SEED", "7"},  // not a setting: ignored
      {"OTHER_FLUSH_INTERVAL", "1s"},
  };
  REQUIRE(MergeSettingsEnv(&s, "XX_", vars).ok());
  CHECK(s.flush_interval_ms == 123);
  CHECK(s.compaction_max_sst_bytes == 777777);
  CHECK(s.default_ttl_ms == std::optional<uint64_t>(0));
  CHECK_FALSE(s.gc_wal.enabled);
  CHECK(s.compaction_min_sources == 3);
  CHECK(s.compaction_request_poll_ms == 10'000);
  Status bad = MergeSettingsEnv(&s, "XX_", {{"XX_L0_SST_SIZE_BYTES", "abc"}});
  CHECK(bad.message() ==
        "invalid configuration format (invalid type: string \"abc\", expected usize for key "
        "\"L0_SST_SIZE_BYTES\" in `XX_` environment variable(s))");
}

TEST_CASE("settings: durations", "[settings]") {
  struct Case {
    const char* text;
    uint64_t ms;
  };
  for (Case c : {Case{"100ms", 100}, Case{"1s", 1000}, Case{"10", 10'000}, Case{"1s 500ms", 1500},
                 Case{"1s+500ms", 1500}, Case{"1h 2m", 3'720'000}, Case{"1min", 60'000},
                 Case{"1500us", 1}, Case{"1000000ns", 1}, Case{"1ns", 0}, Case{"0s", 0},
                 Case{"3w", 1'814'400'000}, Case{"1day", 86'400'000}, Case{"1s5ms", 1005}}) {
    INFO(c.text);
    Result<uint64_t> ms = ParseDurationMs(c.text);
    REQUIRE(ms.ok());
    CHECK(*ms == c.ms);
  }
  for (const char* bad : {"", "abc", "-1s", "1.5s", "1 s", "10 20", "18446744073709551615s"}) {
    INFO(bad);
    CHECK(ParseDurationMs(bad).status().kind() == ErrorKind::kInvalid);
  }
  CHECK(FormatDurationMs(0) == "0s");
  CHECK(FormatDurationMs(100) == "100ms");
  CHECK(FormatDurationMs(1) == "001ms");
  CHECK(FormatDurationMs(1005) == "1s+005ms");
  CHECK(FormatDurationMs(600'000) == "600s");
}

TEST_CASE("settings: Validate checks ranges and relations by table name", "[settings]") {
  Settings s;
  CHECK(s.Validate().ok());
  s.l0_sst_size_bytes = 100;
  CHECK(s.Validate().message().find("`l0_sst_size_bytes` must be at least 1024") !=
        std::string::npos);
  s = Settings{};
  s.max_unflushed_bytes = s.l0_sst_size_bytes;
  CHECK(s.Validate().message().find("`max_unflushed_bytes` must exceed") != std::string::npos);
  s = Settings{};
  s.compaction_min_sources = 9;
  s.compaction_max_sources = 9;
  CHECK(s.Validate().message().find("`l0_max_ssts`") != std::string::npos);
  s.compactor_enabled = false;  // without the compactor L0 is not bounded by it
  CHECK(s.Validate().ok());
  s = Settings{};
  s.compaction_include_size_threshold = 1.0;
  CHECK(s.Validate().message().find("include_size_threshold") != std::string::npos);
}

// A different valid value for an applied setting, from its default.
Json Sample(const SettingInfo& info, const Json& current) {
  switch (info.type) {
    case SettingType::kDuration:
      return current.is_null() ? Json("750ms") : Json("1s+" + current.get<std::string>());
    case SettingType::kInteger:
      return current.is_null() ? Json(4321) : Json(current.get<uint64_t>() + 1);
    case SettingType::kBool:
      return !current.get<bool>();
    case SettingType::kNumberString: {
      Json n = Json::parse(current.get<std::string>());
      return (n.is_number_integer() ? Json(n.get<uint64_t>() + 1) : Json(n.get<double>() + 0.5))
          .dump();
    }
    case SettingType::kString:  // compression_codec: Zstd <-> null
      return current.is_null() ? Json("Zstd") : Json(nullptr);
    default:
      return nullptr;  // nullable groups: turn them off
  }
}

TEST_CASE("settings: every applied setting set by name is what the opened database uses",
          "[settings][db]") {
  const Json defaults = Json::parse(SettingsToJson(Settings{}));
  size_t checked = 0;
  for (const SettingInfo& info : SettingsTable()) {
    if (info.effect != SettingEffect::kApplied) continue;
    if (info.type == SettingType::kGroup && !info.nullable) continue;  // nothing to set
    const std::string name(info.name);
    const Json sample = Sample(info, *At(defaults, name));
    DYNAMIC_SECTION(name << " = " << sample.dump()) {
      Settings s;
      Status set = SetSetting(&s, name, sample.dump());
      INFO(set.ToString());
      REQUIRE(set.ok());
      const Json expected = Json::parse(*GetSettingJson(s, name));  // as the table prints it
      CHECK(expected != *At(defaults, name));
      ThreadedDbEnv env;
      auto db = env.Open(s);
      Json seen = Json::parse(SettingsToJson(db->settings()));
      CHECK(*At(seen, name) == expected);
      REQUIRE(BlockOn(db->Close()).ok());
    }
    ++checked;
  }
  CHECK(checked >= 25);
}

}  // namespace
}  // namespace slatedb::testing
