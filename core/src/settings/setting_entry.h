// SPDX-License-Identifier: Apache-2.0
//
// One row of the settings table (slatedb/settings.h) with what the public SettingInfo
// leaves out: how to check a value and how to move it in and out of slatedb::Settings.
// The rows live in settings_table.cc; settings_json.cc walks them.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "slatedb/settings.h"

namespace slatedb::settings_internal {

using Json = nlohmann::ordered_json;

struct SettingEntry {
  SettingInfo info;
  // What a message says was expected, in serde's words ("usize", "u32", "a string").
  std::string_view expected;
  // Integers (and integer number-strings): accepted range.
  uint64_t min = 0;
  uint64_t max = UINT64_MAX;
  // Numbers: values must exceed this.
  double number_above = -1e308;
  // Strings from a fixed set: the spellings written back; `lenient` also accepts them in
  // any case (and `none_alias` as null).
  std::span<const std::string_view> choices;
  bool lenient_choices = false;
  // kApplied leaves and groups: move the (checked) value in and out of Settings. A group's
  // `get` returns null when the group is null, anything else when present; its `set` gets
  // null or an empty object (members are set one by one afterwards).
  Json (*get)(const Settings&) = nullptr;
  Status (*set)(Settings&, const Json&) = nullptr;
  // kNoEffect and kDefaultOnly: upstream's default, as JSON text.
  std::string_view default_json;
  // kDefaultOnly: why another value cannot be honoured.
  std::string_view refusal;
  // A key of a map upstream (scheduler_options): a complete document need not have it.
  bool map_key = false;
};

std::span<const SettingEntry> Entries();
// The entry named `canonical` (a table name), or nullptr.
const SettingEntry* FindEntry(std::string_view canonical);

}  // namespace slatedb::settings_internal
