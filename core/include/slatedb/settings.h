// SPDX-License-Identifier: Apache-2.0
//
// The settings table: every field of slatedb::Settings under the name upstream SlateDB's
// `Settings` gives it (0.17: "flush_interval", "compactor_options.worker.max_sst_size",
// "garbage_collector_options.wal_options.min_age", ...), with its JSON type, and the
// functions every binding uses to set, merge, check and print settings by those names. The
// Python `settings=` files and SLATEDB_ variables, the JavaScript `settings` object and the
// C++ embedder all go through here, so a setting is spelled, typed, validated and refused
// the same way in every language. docs/settings.md describes each entry.
//
// Names: dotted paths into upstream's JSON document. Each segment may also be written in
// camelCase ("compactorOptions.worker.maxSstSize"), and a few upstream 0.11 names are
// aliases ("default_ttl" for "default_ttl_millis"). Values are JSON: durations are strings
// such as "100ms", "1s+500ms", "5m" (a bare number counts seconds); sizes and counts are
// non-negative integers; `null` where upstream allows it.
//
// Upstream has settings this engine cannot honour (a disk cache, disabling the WAL, remote
// compaction workers). Those are in the table too, so upstream documents load, but marked:
// kNoEffect entries are checked and kept (they read back) without changing behaviour;
// kDefaultOnly entries accept only the value that describes what this engine does, and
// refuse any other with Invalid. Names not in the table are refused with Invalid naming
// them (upstream ignores unknown names; we do not, so a typo cannot pass silently), except
// in environment variables, whose prefix other tools share.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "slatedb/options.h"
#include "slatedb/result.h"

namespace slatedb {

enum class SettingType : uint8_t {
  kDuration,  // "100ms"
  kInteger,   // non-negative integer
  kBool,
  kNumber,        // a JSON number (integer or not)
  kString,        // a string from a fixed set, or a free string
  kNumberString,  // a number written as a JSON string (upstream's scheduler options)
  kGroup,         // an object holding the entries below it
};

enum class SettingEffect : uint8_t {
  kApplied,      // the engine uses it
  kNoEffect,     // upstream's; checked and kept, but this engine has nothing it would tune
  kDefaultOnly,  // upstream's; only the value describing this engine is accepted
};

struct SettingInfo {
  std::string_view name;  // dotted path, e.g. "compactor_options.worker.max_sst_size"
  SettingType type;
  bool nullable;  // `null` is a value (an optional setting, a disabled group)
  SettingEffect effect;
  bool upstream;         // upstream 0.17 has it (false: this engine's own)
  std::string_view doc;  // one line; docs/settings.md has the rest
};

// Every entry, parents before their members, in the order of upstream's JSON document.
std::span<const SettingInfo> SettingsTable();
// The table as JSON, for bindings: [{"name": "compactor_options.poll_interval",
// "camelName": "compactorOptions.pollInterval", "type": "duration", "nullable": false,
// "effect": "applied" | "no-effect" | "default-only", "upstream": true, "doc": "..."}, ...].
std::string SettingsTableJson();

// The table's name for `key` (a dotted name, camelCase allowed, or an alias), or Invalid
// naming the key if no entry has it.
Result<std::string> CanonicalSettingName(std::string_view key);

// Sets one setting from a JSON value (`"250ms"`, `4096`, `null`, `{...}` for a group: its
// members are merged). Invalid (naming the key, nothing changed) for an unknown key, a value
// of the wrong type or out of the entry's range, or JSON that does not parse. Relations
// between settings are checked by Settings::Validate() (at open), not here.
Status SetSetting(Settings* settings, std::string_view key, std::string_view value_json);

// Merges a JSON document (an object, possibly partial: what it leaves out keeps its value)
// over `settings`, all or nothing. `origin` names where the document came from ("s.json")
// for messages. With `require_complete`, every upstream entry must be present (upstream's
// Settings.from_json_string).
Status MergeSettingsJson(Settings* settings, std::string_view json, std::string_view origin,
                         bool require_complete = false);

// Merges environment variables `<prefix><NAME>=<value>` (upstream's Settings.from_env):
// NAME is a setting's name in any case, '.' between segments
// ("SLATEDB_COMPACTOR_OPTIONS.WORKER.MAX_SST_SIZE=1048576"). A value is text: settings that
// take strings (durations, choices, number-strings) get it as is ("null" aside), others
// read it as JSON (numbers, booleans, null). Variables whose NAME is no setting are ignored
// (the prefix is shared: SLATEDB_SIM_SEED, ...). All or nothing.
Status MergeSettingsEnv(Settings* settings, std::string_view prefix,
                        const std::vector<std::pair<std::string, std::string>>& variables);

// The settings as upstream's JSON document (every upstream entry, then this engine's own),
// compact. Durations are written as upstream writes them ("100ms", "1s+500ms", "600s").
std::string SettingsToJson(const Settings& settings);
// One setting's value as JSON text.
Result<std::string> GetSettingJson(const Settings& settings, std::string_view key);

// Durations as settings spell them. Parse: Invalid on text that is not a duration.
Result<uint64_t> ParseDurationMs(std::string_view text);
std::string FormatDurationMs(uint64_t ms);

}  // namespace slatedb
