// SPDX-License-Identifier: Apache-2.0
#include "manifest/compactions_store.h"

#include <nlohmann/json.hpp>
#include <algorithm>
#include <iterator>
#include <set>

#include "fb/compactions_generated.h"
#include "format/flatbuffer_util.h"
#include "manifest/manifest_fb.h"
#include "slatedb/hex.h"
#include "util/coding.h"
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

using flatbuffers::FlatBufferBuilder;
using flatbuffers::Offset;
using flatbuffers::Vector;
using nlohmann::json;

constexpr uint16_t kCompactionsV1 = 1;
constexpr uint16_t kCompactionsV2 = 2;

Status Corrupt(const std::string& what) { return Status::Data("compactions: " + what); }

// --- the Admin JSON shape ------------------------------------------------------------------------

json SourceToJson(const CompactionSource& source) {
  if (source.kind == CompactionSource::Kind::kSortedRun) {
    return json{{"SortedRun", source.sorted_run}};
  }
  return json{{"SstView", source.sst_ulid}};
}

json RecordToJson(const CompactionRecord& r) {
  json sources = json::array();
  for (const CompactionSource& s : r.spec.sources) sources.push_back(SourceToJson(s));
  json outputs = json::array();
  uint64_t bytes = 0;
  for (const SstRef& ref : r.outputs) {
    outputs.push_back(ref.id);
    bytes += ref.info.approx_object_size();
  }
  json j{{"id", r.id},
         {"spec", {{"sources", std::move(sources)}, {"destination", r.spec.destination}}},
         {"bytes_processed", bytes},
         {"status", std::string(CompactionStatusName(r.status))},
         {"output_ssts", std::move(outputs)}};
  // A segment's prefix in hex, as the manifest JSON prints segments; absent for the root tree.
  if (!r.spec.segment.empty()) j["spec"]["segment"] = HexEncode(r.spec.segment);
  if (r.spec.drain) j["spec"]["drain"] = true;
  if (!r.error.empty()) j["error"] = r.error;
  return j;
}

// --- writing -------------------------------------------------------------------------------------

Offset<Vector<Offset<fb::Ulid128>>> WriteUlids(FlatBufferBuilder& fbb,
                                               const std::vector<std::string>& ids) {
  std::vector<Offset<fb::Ulid128>> out;
  for (const std::string& id : ids) out.push_back(WriteUlid(fbb, id));
  return fbb.CreateVector(out);
}

Offset<Vector<Offset<fb::TableRefV1>>> WriteRefs(FlatBufferBuilder& fbb,
                                                 const std::vector<SstRef>& refs) {
  std::vector<Offset<fb::TableRefV1>> out;
  for (const SstRef& ref : refs) out.push_back(WriteTableRefV1(fbb, ref));
  return fbb.CreateVector(out);
}

Offset<fb::Job> WriteJob(FlatBufferBuilder& fbb, const CompactionRecord& r) {
  std::vector<std::string> views;
  std::vector<uint32_t> runs;
  for (const CompactionSource& s : r.spec.sources) {
    if (s.kind == CompactionSource::Kind::kSortedRun) {
      runs.push_back(s.sorted_run);
    } else {
      views.push_back(s.sst_ulid);
    }
  }
  auto id = WriteUlid(fbb, r.id);
  auto segment = fbb.CreateVector(reinterpret_cast<const uint8_t*>(r.spec.segment.data()),
                                  r.spec.segment.size());
  Offset<void> spec;
  fb::JobSpec spec_type;
  if (r.spec.drain) {
    spec = fb::CreateDrainJob(fbb, segment, views.empty() ? 0 : WriteUlids(fbb, views),
                              runs.empty() ? 0 : fbb.CreateVector(runs))
               .Union();
    spec_type = fb::JobSpec::DrainJob;
  } else {
    spec =
        fb::CreateTieredJob(fbb, 0, runs.empty() ? 0 : fbb.CreateVector(runs),
                            views.empty() ? 0 : WriteUlids(fbb, views), segment, r.spec.destination)
            .Union();
    spec_type = fb::JobSpec::TieredJob;
  }
  Offset<Vector<Offset<fb::TableRefV1>>> outputs = 0;
  if (!r.outputs.empty()) outputs = WriteRefs(fbb, r.outputs);
  Offset<fb::Worker> worker = 0;
  if (r.worker) {
    worker = fb::CreateWorker(fbb, r.worker->id.empty() ? 0 : fbb.CreateString(r.worker->id),
                              r.worker->last_heartbeat_ms);
  }
  Offset<void> context = 0;
  fb::JobContext context_type = fb::JobContext::NONE;
  if (r.parts) {
    std::vector<Offset<fb::JobPart>> parts;
    for (const CompactionPart& p : *r.parts) {
      auto range = WriteVisibleRange(fbb, p.range);
      auto part_outputs = p.outputs.empty() ? 0 : WriteRefs(fbb, p.outputs);
      parts.push_back(
          fb::CreateJobPart(fbb, range, part_outputs, static_cast<fb::PartState>(p.state)));
    }
    context = fb::CreateTieredJobContext(fbb, fbb.CreateVector(parts), r.retention_min_seq).Union();
    context_type = fb::JobContext::TieredJobContext;
  }
  return fb::CreateJob(fbb, id, spec_type, spec, static_cast<fb::JobState>(r.status), outputs,
                       worker, context_type, context);
}

// --- reading -------------------------------------------------------------------------------------

Result<std::vector<SstRef>> ReadRefs(const Vector<Offset<fb::TableRefV1>>* refs) {
  std::vector<SstRef> out;
  if (refs == nullptr) return out;
  for (const fb::TableRefV1* t : *refs) {
    SLATEDB_ASSIGN_OR_RETURN(SstRef ref, ReadTableRefV1(*t));
    out.push_back(std::move(ref));
  }
  return out;
}

Status ReadSources(const Vector<uint32_t>* runs, const Vector<Offset<fb::Ulid128>>* views,
                   CompactionRequestSpec* spec) {
  if (runs != nullptr) {
    for (uint32_t run : *runs) spec->sources.push_back(CompactionSource::SortedRun(run));
  }
  if (views != nullptr) {
    for (const fb::Ulid128* v : *views) {
      SLATEDB_ASSIGN_OR_RETURN(std::string id, ReadUlid(v, "L0 view id"));
      spec->sources.push_back(CompactionSource::Sst(std::move(id)));
    }
  }
  return Status::Ok();
}

Result<CompactionRecord> ReadJob(const fb::Job& job, uint16_t version) {
  CompactionRecord r;
  SLATEDB_ASSIGN_OR_RETURN(r.id, ReadUlid(job.id(), "job id"));
  const auto state = static_cast<int>(job.state());
  if (state < 0 || state > 5)
    return Corrupt("job " + r.id + " in unknown state " + std::to_string(state));
  r.status = static_cast<CompactionStatus>(state);
  if (const fb::TieredJob* t = job.spec_as_TieredJob()) {
    SLATEDB_RETURN_IF_ERROR(ReadSources(t->run_ids(), t->l0_view_ids(), &r.spec));
    // Older writers listed L0 SSTs by id; their view ids are the SST ids.
    if (t->sst_ids() != nullptr && t->l0_view_ids() == nullptr) {
      SLATEDB_RETURN_IF_ERROR(ReadSources(nullptr, t->sst_ids(), &r.spec));
    }
    r.spec.segment = std::string(BytesOf(t->segment()));
    if (version >= kCompactionsV2) {
      r.spec.destination = t->destination();
    } else {
      // Version 1 has no destination: the lowest input run, or a new run 0.
      uint32_t lowest = UINT32_MAX;
      if (t->run_ids() != nullptr) {
        for (uint32_t run : *t->run_ids()) lowest = std::min(lowest, run);
      }
      r.spec.destination = lowest == UINT32_MAX ? 0 : lowest;
    }
  } else if (const fb::DrainJob* d = job.spec_as_DrainJob()) {
    r.spec.drain = true;
    r.spec.segment = std::string(BytesOf(d->segment()));
    SLATEDB_RETURN_IF_ERROR(ReadSources(d->run_ids(), d->l0_view_ids(), &r.spec));
  } else {
    return Corrupt("job " + r.id + " has no known spec");
  }
  // Outputs of jobs that have not finished are not trusted.
  if (r.status != CompactionStatus::kSubmitted && r.status != CompactionStatus::kRunning &&
      r.status != CompactionStatus::kScheduled) {
    SLATEDB_ASSIGN_OR_RETURN(r.outputs, ReadRefs(job.outputs()));
  }
  if (const fb::Worker* w = job.worker()) {
    r.worker =
        CompactionWorker{w->id() != nullptr ? w->id()->str() : std::string(), w->heartbeat_ms()};
  }
  if (const fb::TieredJobContext* c = job.context_as_TieredJobContext()) {
    r.parts.emplace();
    r.retention_min_seq = c->retention_min_seq();
    if (c->parts() != nullptr) {
      for (const fb::JobPart* p : *c->parts()) {
        CompactionPart part;
        SLATEDB_ASSIGN_OR_RETURN(part.range, ReadVisibleRange(*p->range()));
        SLATEDB_ASSIGN_OR_RETURN(part.outputs, ReadRefs(p->outputs()));
        part.state = static_cast<uint8_t>(p->state());
        r.parts->push_back(std::move(part));
      }
    }
  }
  return r;
}

}  // namespace

std::string EncodeCompactionRecord(const CompactionRecord& record) {
  return RecordToJson(record).dump();
}

std::string EncodeCompactionsState(const CompactionsState& state) {
  FlatBufferBuilder fbb(256);
  std::vector<Offset<fb::Job>> jobs;
  for (const CompactionRecord& r : state.recent_compactions) jobs.push_back(WriteJob(fbb, r));
  fbb.Finish(fb::CreateCompactionLog(fbb, state.compactor_epoch, fbb.CreateVector(jobs)));
  std::string out;
  PutBigEndian16(&out, kCompactionsV2);
  out.append(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
  return out;
}

Result<CompactionsState> DecodeCompactionsState(std::string_view bytes) {
  uint16_t version = 0;
  if (!GetBigEndian16(&bytes, &version)) return Corrupt("empty compactions file");
  if (version != kCompactionsV1 && version != kCompactionsV2) {
    return Status::Data("unsupported compactions version " + std::to_string(version));
  }
  std::vector<uint64_t> storage;
  const fb::CompactionLog* root = VerifiedRoot<fb::CompactionLog>(bytes, &storage);
  if (root == nullptr) return Corrupt("not a valid CompactionsV1 FlatBuffer");
  CompactionsState state;
  state.compactor_epoch = root->compactor_epoch();
  if (root->jobs() == nullptr) return Corrupt("missing list of compactions");
  for (const fb::Job* job : *root->jobs()) {
    SLATEDB_ASSIGN_OR_RETURN(CompactionRecord r, ReadJob(*job, version));
    state.recent_compactions.push_back(std::move(r));
  }
  return state;
}

Status ValidateCompactionSpec(const CompactionRequestSpec& spec) {
  // A drain may name no sources when submitted (as upstream's); its compactor judges it.
  if (spec.sources.empty() && !spec.drain) {
    return Status::Invalid("compaction spec: sources must not be empty");
  }
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
  state->id = id;  // the object's name holds the id
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
  // As ManifestStore::Create: accepted is not yet committed (GcBoundary::JudgeCreated).
  co_return co_await boundary_.JudgeCreated(paths_.CompactionsDir(), ".compactions", key, state.id,
                                            "compactions " + std::to_string(state.id));
}

Task<Result<std::vector<std::string>>> CompactionsStore::CollectOld(int64_t cutoff_ms, bool dry_run,
                                                                    bool boundary_files,
                                                                    bool* skipped) {
  if (skipped) *skipped = false;
  std::string dir = paths_.CompactionsDir();
  SLATEDB_CO_ASSIGN_OR_RETURN(std::vector<ObjectMeta> objects, co_await client_->List(dir, ""));
  uint64_t newest = 0;
  for (const ObjectMeta& meta : objects) {
    if (auto id = DbPaths::ParseId(meta.key, dir, ".compactions")) newest = std::max(newest, *id);
  }
  std::vector<std::string> doomed;
  uint64_t highest = 0;
  for (const ObjectMeta& meta : objects) {
    auto id = DbPaths::ParseId(meta.key, dir, ".compactions");
    if (!id || *id >= newest || meta.last_modified_ms > cutoff_ms) continue;
    doomed.push_back(meta.key);
    highest = std::max(highest, *id);
  }
  if (dry_run || doomed.empty()) co_return doomed;
  if (boundary_files) {
    SLATEDB_CO_ASSIGN_OR_RETURN(bool raised, co_await boundary_.Advance(highest));
    if (!raised) {
      if (skipped) *skipped = true;
      co_return std::vector<std::string>();
    }
  }
  for (const std::string& key : doomed) {
    SLATEDB_CO_RETURN_IF_ERROR(co_await client_->Delete(key));  // idempotent
  }
  co_return doomed;
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
