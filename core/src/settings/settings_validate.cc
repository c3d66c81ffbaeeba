// SPDX-License-Identifier: Apache-2.0
//
// Settings::Validate: every applied setting within its table range (settings_table.cc is
// the one place ranges are written), then the relations between settings, which no single
// setting can check. Messages use the table's names.
#include <algorithm>
#include <string>

#include "settings/setting_entry.h"

namespace slatedb {

namespace {

Status Refuse(std::string_view name, const std::string& why) {
  return Status::Invalid("settings: `" + std::string(name) + "` " + why);
}

}  // namespace

Status Settings::Validate() const {
  using settings_internal::Entries;
  using settings_internal::Json;
  for (const settings_internal::SettingEntry& e : Entries()) {
    if (e.info.effect != SettingEffect::kApplied || e.info.type == SettingType::kGroup) continue;
    Json v = e.get(*this);
    if (v.is_number_unsigned() || (v.is_number_integer() && v.get<int64_t>() >= 0)) {
      uint64_t n = v.get<uint64_t>();
      if (n < e.min || n > e.max) {
        std::string range =
            e.max == UINT64_MAX || e.max == UINT32_MAX
                ? "at least " + std::to_string(e.min)
                : "between " + std::to_string(e.min) + " and " + std::to_string(e.max);
        return Refuse(e.info.name, "must be " + range + " (got " + std::to_string(n) + ")");
      }
    } else if (v.is_number_float() && !(v.get<double>() > e.number_above)) {
      return Refuse(e.info.name,
                    "must exceed " + Json(e.number_above).dump() + " (got " + v.dump() + ")");
    }
  }
  if (static_cast<uint8_t>(compression) > static_cast<uint8_t>(CompressionCodec::kZstd)) {
    return Refuse("compression_codec", "is not a known codec");
  }
  if (max_unflushed_bytes <= l0_sst_size_bytes) {
    return Refuse("max_unflushed_bytes", "must exceed l0_sst_size_bytes");
  }
  if (compaction_max_sources < compaction_min_sources) {
    return Refuse("compactor_options.scheduler_options.max_compaction_sources",
                  "must be at least min_compaction_sources");
  }
  if (compactor_enabled && l0_max_ssts < compaction_min_sources) {
    return Refuse("l0_max_ssts",
                  "must be at least compactor_options.scheduler_options.min_compaction_sources");
  }
  return Status::Ok();
}

void Settings::SetGc(uint64_t interval_ms, uint64_t min_age_ms) {
  for (GcDirectory* dir : {&gc_manifest, &gc_wal, &gc_compacted}) {
    dir->interval_ms = interval_ms;
    dir->min_age_ms = min_age_ms;
  }
}

uint64_t Settings::GcPassIntervalMs() const {
  if (!gc_enabled) return 0;
  uint64_t interval = 0;
  for (const GcDirectory* dir : {&gc_manifest, &gc_wal, &gc_compacted}) {
    if (!dir->enabled || dir->dry_run || dir->interval_ms == 0) continue;
    interval = interval == 0 ? dir->interval_ms : std::min(interval, dir->interval_ms);
  }
  return interval;
}

}  // namespace slatedb
