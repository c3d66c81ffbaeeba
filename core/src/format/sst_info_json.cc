// SPDX-License-Identifier: Apache-2.0
//
// SstInfo <-> JSON for the manifest. nlohmann-json is used without exceptions (Emscripten
// builds have none), so every access is type-checked first and no throwing accessor
// (at(), get() of the wrong type) is ever reached.
#include <cstdint>

#include <nlohmann/json.hpp>

#include "format/base64.h"
#include "format/sst_info.h"

namespace slatedb {

namespace {

using nlohmann::json;

Status Missing(const char* field) {
  return Status::Data(std::string("SST info JSON: missing or ill-typed field '") + field + "'");
}

const json* Find(const json& j, const char* field) {
  auto it = j.find(field);
  return it == j.end() ? nullptr : &*it;
}

// A JSON integer in [0, max].
bool GetUnsigned(const json& j, const char* field, uint64_t max, uint64_t* out) {
  const json* v = Find(j, field);
  if (v == nullptr) return false;
  if (v->is_number_unsigned()) {
    *out = v->get<uint64_t>();
  } else if (v->is_number_integer()) {
    const int64_t s = v->get<int64_t>();
    if (s < 0) return false;
    *out = static_cast<uint64_t>(s);
  } else {
    return false;
  }
  return *out <= max;
}

bool GetSigned(const json& j, const char* field, int64_t* out) {
  const json* v = Find(j, field);
  if (v == nullptr) return false;
  if (v->is_number_unsigned()) {
    const uint64_t u = v->get<uint64_t>();
    if (u > static_cast<uint64_t>(INT64_MAX)) return false;
    *out = static_cast<int64_t>(u);
    return true;
  }
  if (!v->is_number_integer()) return false;
  *out = v->get<int64_t>();
  return true;
}

bool GetString(const json& j, const char* field, std::string* out) {
  const json* v = Find(j, field);
  if (v == nullptr || !v->is_string()) return false;
  *out = v->get_ref<const std::string&>();
  return true;
}

bool GetBytes(const json& j, const char* field, std::string* out) {
  std::string text;
  return GetString(j, field, &text) && Base64Decode(text, out);
}

}  // namespace

json SstInfoToJson(const SstInfo& info) {
  json j = json::object();
  j["format_version"] = info.format_version;
  j["object_size"] = info.object_size;
  j["type"] = info.type == SstType::kWal ? "wal" : "compacted";
  j["compression"] = info.compression == CompressionCodec::kZstd ? "zstd" : "none";
  j["first_key"] = Base64Encode(info.first_key);
  j["last_key"] = Base64Encode(info.last_key);
  j["num_rows"] = info.num_rows;
  j["num_blocks"] = info.num_blocks;
  j["min_seq"] = info.min_seq;
  j["max_seq"] = info.max_seq;
  if (info.min_create_ts && info.max_create_ts) {
    j["min_create_ts"] = *info.min_create_ts;
    j["max_create_ts"] = *info.max_create_ts;
  }
  j["index_offset"] = info.index_offset;
  j["index_length"] = info.index_length;
  j["filter_offset"] = info.filter_offset;
  j["filter_length"] = info.filter_length;
  return j;
}

Result<SstInfo> SstInfoFromJson(const json& j) {
  if (!j.is_object()) return Status::Data("SST info JSON: not an object");
  SstInfo info;
  uint64_t u = 0;
  if (!GetUnsigned(j, "format_version", UINT16_MAX, &u)) return Missing("format_version");
  info.format_version = static_cast<uint16_t>(u);
  if (info.format_version != kSstFormatVersion) {
    return Status::Data("SST info JSON: unsupported format version " + std::to_string(u));
  }
  if (!GetUnsigned(j, "object_size", UINT64_MAX, &info.object_size)) {
    return Missing("object_size");
  }
  std::string text;
  if (!GetString(j, "type", &text)) return Missing("type");
  if (text == "compacted") {
    info.type = SstType::kCompacted;
  } else if (text == "wal") {
    info.type = SstType::kWal;
  } else {
    return Status::Data("SST info JSON: unknown type '" + text + "'");
  }
  if (!GetString(j, "compression", &text)) return Missing("compression");
  if (text == "none") {
    info.compression = CompressionCodec::kNone;
  } else if (text == "zstd") {
    info.compression = CompressionCodec::kZstd;
  } else {
    return Status::Data("SST info JSON: unknown compression '" + text + "'");
  }
  if (!GetBytes(j, "first_key", &info.first_key)) return Missing("first_key");
  if (!GetBytes(j, "last_key", &info.last_key)) return Missing("last_key");
  if (!GetUnsigned(j, "num_rows", UINT64_MAX, &info.num_rows)) return Missing("num_rows");
  if (!GetUnsigned(j, "num_blocks", UINT32_MAX, &u)) return Missing("num_blocks");
  info.num_blocks = static_cast<uint32_t>(u);
  if (!GetUnsigned(j, "min_seq", UINT64_MAX, &info.min_seq)) return Missing("min_seq");
  if (!GetUnsigned(j, "max_seq", UINT64_MAX, &info.max_seq)) return Missing("max_seq");
  const bool has_min_ts = j.contains("min_create_ts");
  const bool has_max_ts = j.contains("max_create_ts");
  if (has_min_ts || has_max_ts) {
    int64_t min_ts = 0, max_ts = 0;
    if (!GetSigned(j, "min_create_ts", &min_ts)) return Missing("min_create_ts");
    if (!GetSigned(j, "max_create_ts", &max_ts)) return Missing("max_create_ts");
    info.min_create_ts = min_ts;
    info.max_create_ts = max_ts;
  }
  if (!GetUnsigned(j, "index_offset", UINT64_MAX, &info.index_offset)) {
    return Missing("index_offset");
  }
  if (!GetUnsigned(j, "index_length", UINT32_MAX, &u)) return Missing("index_length");
  info.index_length = static_cast<uint32_t>(u);
  if (!GetUnsigned(j, "filter_offset", UINT64_MAX, &info.filter_offset)) {
    return Missing("filter_offset");
  }
  if (!GetUnsigned(j, "filter_length", UINT32_MAX, &u)) return Missing("filter_length");
  info.filter_length = static_cast<uint32_t>(u);
  SLATEDB_RETURN_IF_ERROR(ValidateSstInfo(info));
  return info;
}

}  // namespace slatedb
