// SPDX-License-Identifier: Apache-2.0
#include "manifest/compactions_store.h"

#include <nlohmann/json.hpp>
#include <algorithm>
#include <iterator>
#include <set>

#include "util/ulid.h"

namespace slatedb {

namespace {
constexpr std::string_view kStatusNames[] = {"Submitted", "Running",   "Completed",
                                             "Failed",    "Compacted", "Scheduled"};
}  // namespace

std::string_view CompactionStatusName(CompactionStatus status) {
  return kStatusNames[static_cast<size_t>(status)];
}

std::optional<CompactionStatus> ParseCompactionStatus(std::string_view name) {
  for (size_t i = 0; i < std::size(kStatusNames); ++i) {
    if (kStatusNames[i] == name) return static_cast<CompactionStatus>(i);
  }
  return std::nullopt;
}

namespace {

using nlohmann::json;

json SourceToJson(const CompactionSource& source) {
  if (source.kind == CompactionSource::Kind::kSortedRun) {
    return json{{"SortedRun", source.sorted_run}};
  }
  return json{{"SstView", source.sst_ulid}};
}

json RecordToJson(const CompactionRecord& r) {
  json sources = json::array();
  for (const CompactionSource& s : r.spec.sources) sources.push_back(SourceToJson(s));
  json j{{"id", r.id},
         {"spec", {{"sources", std::move(sources)}, {"destination", r.spec.destination}}},
         {"bytes_processed", r.bytes_processed},
         {"status", std::string(CompactionStatusName(r.status))},
         {"output_ssts", r.output_ssts}};
  if (!r.error.empty()) j["error"] = r.error;
  return j;
}

Status Corrupt(const std::string& what) { return Status::Data("compactions state: " + what); }

bool IsU32(const json& j) {
  return j.is_number_unsigned() && j.get<uint64_t>() <= UINT32_MAX;
}

Result<CompactionSource> SourceFromJson(const json& j) {
  if (!j.is_object() || j.size() != 1) return Corrupt("a source is not a one-key object");
  auto it = j.begin();
  if (it.key() == "SortedRun" && IsU32(it.value())) {
    return CompactionSource::SortedRun(it.value().get<uint32_t>());
  }
  if (it.key() == "SstView" && it.value().is_string() && IsUlid(it.value().get<std::string>())) {
    return CompactionSource::Sst(it.value().get<std::string>());
  }
  return Corrupt("bad source " + j.dump());
}

Result<CompactionRecord> RecordFromJson(const json& j) {
  if (!j.is_object()) return Corrupt("a compaction is not an object");
  CompactionRecord r;
  auto id = j.find("id");
  if (id == j.end() || !id->is_string() || !IsUlid(id->get<std::string>())) {
    return Corrupt("a compaction has no ULID id");
  }
  r.id = id->get<std::string>();
  auto spec = j.find("spec");
  if (spec == j.end() || !spec->is_object()) return Corrupt("compaction " + r.id + " has no spec");
  auto sources = spec->find("sources");
  auto dest = spec->find("destination");
  if (sources == spec->end() || !sources->is_array() || dest == spec->end() || !IsU32(*dest)) {
    return Corrupt("compaction " + r.id + " has a malformed spec");
  }
  for (const json& s : *sources) {
    SLATEDB_ASSIGN_OR_RETURN(CompactionSource source, SourceFromJson(s));
    r.spec.sources.push_back(std::move(source));
  }
  r.spec.destination = dest->get<uint32_t>();
  auto bytes = j.find("bytes_processed");
  auto status = j.find("status");
  auto outputs = j.find("output_ssts");
  if (bytes == j.end() || !bytes->is_number_unsigned() || status == j.end() ||
      !status->is_string() || outputs == j.end() || !outputs->is_array()) {
    return Corrupt("compaction " + r.id + " is missing fields");
  }
  r.bytes_processed = bytes->get<uint64_t>();
  std::optional<CompactionStatus> parsed = ParseCompactionStatus(status->get<std::string>());
  if (!parsed) return Corrupt("compaction " + r.id + " has an unknown status");
  r.status = *parsed;
  for (const json& o : *outputs) {
    if (!o.is_string()) return Corrupt("compaction " + r.id + " has a non-string output SST");
    r.output_ssts.push_back(o.get<std::string>());
  }
  auto error = j.find("error");
  if (error != j.end()) {
    if (!error->is_string()) return Corrupt("compaction " + r.id + " has a non-string error");
    r.error = error->get<std::string>();
  }
  return r;
}

}  // namespace

std::string EncodeCompactionRecord(const CompactionRecord& record) {
  return RecordToJson(record).dump();
}

std::string EncodeCompactionsState(const CompactionsState& state) {
  json recent = json::array();
  for (const CompactionRecord& r : state.recent_compactions) recent.push_back(RecordToJson(r));
  json j{{"format_version", CompactionsState::kFormatVersion},
         {"id", state.id},
         {"compactor_epoch", state.compactor_epoch},
         {"recent_compactions", std::move(recent)}};
  return j.dump();
}

Result<CompactionsState> DecodeCompactionsState(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Corrupt("not a JSON object");
  auto version = j.find("format_version");
  if (version == j.end() || !version->is_number_unsigned()) return Corrupt("no format_version");
  if (version->get<uint64_t>() != CompactionsState::kFormatVersion) {
    return Corrupt("unsupported format version " + version->dump());
  }
  auto id = j.find("id");
  auto epoch = j.find("compactor_epoch");
  auto recent = j.find("recent_compactions");
  if (id == j.end() || !id->is_number_unsigned() || epoch == j.end() ||
      !epoch->is_number_unsigned() || recent == j.end() || !recent->is_array()) {
    return Corrupt("missing id, compactor_epoch or recent_compactions");
  }
  CompactionsState state;
  state.id = id->get<uint64_t>();
  state.compactor_epoch = epoch->get<uint64_t>();
  for (const json& r : *recent) {
    SLATEDB_ASSIGN_OR_RETURN(CompactionRecord record, RecordFromJson(r));
    state.recent_compactions.push_back(std::move(record));
  }
  return state;
}

Status ValidateCompactionSpec(const CompactionRequestSpec& spec) {
  if (spec.sources.empty()) return Status::Invalid("compaction spec: sources must not be empty");
  std::set<uint32_t> runs;
  std::set<std::string> ssts;
  for (const CompactionSource& s : spec.sources) {
    if (s.kind == CompactionSource::Kind::kSortedRun) {
      if (!runs.insert(s.sorted_run).second) {
        return Status::Invalid("compaction spec: sorted run " + std::to_string(s.sorted_run) +
                               " is listed twice");
      }
    } else {
      if (!IsUlid(s.sst_ulid)) {
        return Status::Invalid("compaction spec: invalid SST ULID: " + s.sst_ulid);
      }
      if (!ssts.insert(s.sst_ulid).second) {
        return Status::Invalid("compaction spec: SST " + s.sst_ulid + " is listed twice");
      }
    }
  }
  return Status::Ok();
}

Task<Result<std::vector<uint64_t>>> CompactionsStore::ListIds() {
  std::string dir = paths_.CompactionsDir();
  SLATEDB_CO_ASSIGN_OR_RETURN(std::vector<ObjectMeta> objects, co_await client_->List(dir, ""));
  std::vector<uint64_t> ids;
  for (const ObjectMeta& meta : objects) {
    if (auto id = DbPaths::ParseId(meta.key, dir, ".compactions")) ids.push_back(*id);
  }
  co_return ids;
}

Task<Result<std::optional<CompactionsState>>> CompactionsStore::Load(uint64_t id) {
  std::string key = paths_.Compactions(id);
  Result<std::string> bytes = co_await client_->Get(key);
  if (!bytes.ok()) {
    if (bytes.status().IsNotFound()) co_return std::optional<CompactionsState>();
    co_return bytes.status();
  }
  Result<CompactionsState> state = DecodeCompactionsState(*bytes);
  if (!state.ok()) co_return state.status().WithContext(key);
  if (state->id != id) co_return Status::Data("compactions id does not match its name: " + key);
  co_return std::optional<CompactionsState>(std::move(*state));
}

Task<Result<std::optional<CompactionsState>>> CompactionsStore::LoadLatest() {
  // A listed object can vanish before it is read (garbage collection); list again then.
  for (int attempt = 0; attempt < 5; ++attempt) {
    SLATEDB_CO_ASSIGN_OR_RETURN(std::vector<uint64_t> ids, co_await ListIds());
    if (ids.empty()) co_return std::optional<CompactionsState>();
    SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<CompactionsState> state, co_await Load(ids.back()));
    if (state) co_return state;
  }
  co_return Status::Unavailable("compactions list keeps changing under us");
}

Task<Result<std::optional<CompactionsState>>> CompactionsStore::LoadVersionOrLatest(
    std::optional<uint64_t> id) {
  if (id) co_return co_await Load(*id);
  co_return co_await LoadLatest();
}

Task<Status> CompactionsStore::Create(const CompactionsState& state) {
  ObjectPutOptions options;
  options.mode = PutMode::kCreateIfAbsent;
  std::string key = paths_.Compactions(state.id);
  std::string body = EncodeCompactionsState(state);
  Result<ObjectMeta> r = co_await client_->Put(key, std::move(body), options);
  if (!r.ok()) co_return r.status();
  // As ManifestStore::Create: once old versions are collected, a create from a stale base
  // (or one landing late) can succeed below the latest, where nobody reads it. A newer
  // version existing means the outcome is unknown; the caller re-reads.
  SLATEDB_CO_ASSIGN_OR_RETURN(std::vector<ObjectMeta> newer,
                              co_await client_->List(paths_.CompactionsDir(), key));
  for (const ObjectMeta& meta : newer) {
    auto id = DbPaths::ParseId(meta.key, paths_.CompactionsDir(), ".compactions");
    if (id && *id > state.id) {
      co_return Status::Unavailable("compactions " + std::to_string(state.id) +
                                    " was stored but version " + std::to_string(*id) +
                                    " exists too: the update's outcome is unknown");
    }
  }
  co_return Status::Ok();
}

Task<Result<std::vector<std::string>>> CompactionsStore::CollectOld(int64_t cutoff_ms,
                                                                     bool dry_run) {
  std::string dir = paths_.CompactionsDir();
  SLATEDB_CO_ASSIGN_OR_RETURN(std::vector<ObjectMeta> objects, co_await client_->List(dir, ""));
  uint64_t newest = 0;
  for (const ObjectMeta& meta : objects) {
    if (auto id = DbPaths::ParseId(meta.key, dir, ".compactions")) newest = std::max(newest, *id);
  }
  std::vector<std::string> deleted;
  for (const ObjectMeta& meta : objects) {
    auto id = DbPaths::ParseId(meta.key, dir, ".compactions");
    if (!id || *id >= newest || meta.last_modified_ms > cutoff_ms) continue;
    if (!dry_run) SLATEDB_CO_RETURN_IF_ERROR(co_await client_->Delete(meta.key));  // idempotent
    deleted.push_back(meta.key);
  }
  co_return deleted;
}

Task<Result<CompactionsState>> CompactionsStore::EditLatest(EditFn edit) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<CompactionsState> latest, co_await LoadLatest());
    CompactionsState next = latest ? std::move(*latest) : CompactionsState{};
    SLATEDB_CO_RETURN_IF_ERROR(edit(next));
    next.id += 1;
    Status s = co_await Create(next);
    if (s.ok()) co_return next;
    if (!s.IsAlreadyExists()) co_return s;
  }
  co_return Status::Unavailable(
      "gave up updating the compactions state: too many concurrent updates");
}

}  // namespace slatedb
