// SPDX-License-Identifier: Apache-2.0
//
// Admin: compaction requests recorded in the compaction-state objects (compactions/). The
// Admin only records them; the open writer's compactor runs them
// (db/compaction_requests.cc, docs/compaction.md).
#include <nlohmann/json.hpp>

#include "admin/admin_impl.h"
#include "compaction/requested_compaction.h"
#include "slatedb/admin.h"

namespace slatedb {

namespace {

std::string StateToJson(const CompactionsState& state) {
  nlohmann::json recent = nlohmann::json::array();
  for (const CompactionRecord& r : state.recent_compactions) {
    recent.push_back(nlohmann::json::parse(EncodeCompactionRecord(r)));
  }
  nlohmann::json body{{"compactor_epoch", state.compactor_epoch},
                      {"core", {{"recent_compactions", std::move(recent)}}}};
  return nlohmann::json::array({state.id, std::move(body)}).dump();
}

}  // namespace

bool IsUlidText(std::string_view text) { return IsUlid(text); }

Task<Result<std::string>> Admin::SubmitCompaction(CompactionRequestSpec spec) {
  auto impl = impl_;
  SLATEDB_CO_RETURN_IF_ERROR(ValidateCompactionSpec(spec));
  CompactionRecord record;
  record.id = impl->NewUlid();
  record.spec = std::move(spec);
  CompactionsStore::EditFn add = [&record](CompactionsState& state) {
    state.recent_compactions.push_back(record);
    return Status::Ok();
  };
  SLATEDB_CO_RETURN_IF_ERROR((co_await impl->compactions_store_.EditLatest(add)).status());
  co_return EncodeCompactionRecord(record);
}

Task<Result<std::vector<CompactionRequestSpec>>> Admin::PlanFullCompaction(
    std::optional<std::string> segment) {
  auto impl = impl_;
  SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> latest,
                              co_await impl->manifest_store_.LoadLatest());
  if (!latest) co_return Status::Data("no database at '" + impl->options_.path + "'");
  co_return ::slatedb::PlanFullCompaction(*latest, segment);
}

Task<Result<std::optional<std::string>>> Admin::ReadCompactions(std::optional<uint64_t> id) {
  auto impl = impl_;
  SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<CompactionsState> state,
                              co_await impl->compactions_store_.LoadVersionOrLatest(id));
  if (!state) co_return std::optional<std::string>();
  co_return std::optional<std::string>(StateToJson(*state));
}

Task<Result<std::string>> Admin::ListCompactions(std::optional<uint64_t> start,
                                                 std::optional<uint64_t> end) {
  auto impl = impl_;  // alive until the listing completes
  co_return co_await impl->ListSequencedObjectsJson(impl->paths_.CompactionsDir(), ".compactions",
                                                    start, end);
}

Task<Result<std::optional<std::string>>> Admin::ReadCompaction(
    std::string ulid, std::optional<uint64_t> compactions_id) {
  auto impl = impl_;
  if (!IsUlid(ulid)) co_return Status::Invalid("invalid compaction ULID: " + ulid);
  SLATEDB_CO_ASSIGN_OR_RETURN(
      std::optional<CompactionsState> state,
      co_await impl->compactions_store_.LoadVersionOrLatest(compactions_id));
  if (!state) co_return std::optional<std::string>();
  for (const CompactionRecord& r : state->recent_compactions) {
    if (r.id == ulid) co_return std::optional<std::string>(EncodeCompactionRecord(r));
  }
  co_return std::optional<std::string>();
}

}  // namespace slatedb
