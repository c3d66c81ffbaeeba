// SPDX-License-Identifier: Apache-2.0
//
// Admin::ReadManifestView: one manifest version as the public ManifestView, so tools read
// the LSM tree's shape without depending on how manifests are encoded.
#include "admin/admin_impl.h"
#include "manifest/checkpoint_edit.h"

namespace slatedb {

namespace {

SstSummary Summarize(const SstRef& ref) {
  SstSummary out;
  out.id = ref.id;
  out.size_bytes = ref.info.approx_object_size();  // the format records no exact size
  // No row count: the format's manifest entries carry none (rows stays empty).
  out.first_key = ref.info.first_entry;
  out.last_key = ref.info.last_entry;
  out.root = ref.root;
  return out;
}

ManifestView ToView(const Manifest& m) {
  ManifestView view;
  view.id = m.id;
  view.initialized = m.initialized;
  view.writer_epoch = m.writer_epoch;
  view.compactor_epoch = m.compactor_epoch;
  view.replay_after_wal_id = m.replay_after_wal_id;
  view.wal_id_last_seen = m.wal_id_last_seen;
  view.last_l0_seq = m.last_l0_seq;
  for (const SstRef& ref : m.l0) view.l0.push_back(Summarize(ref));
  for (const SortedRun& run : m.sorted_runs) {
    SortedRunSummary summary;
    summary.id = run.id;
    for (const SstRef& ref : run.ssts) summary.ssts.push_back(Summarize(ref));
    view.sorted_runs.push_back(std::move(summary));
  }
  for (const Checkpoint& c : m.checkpoints) view.checkpoints.push_back(ToCheckpointInfo(c));
  for (const ExternalDb& e : m.external_dbs) {
    view.external_dbs.push_back(
        {e.path, e.source_checkpoint_id, e.final_checkpoint_id, e.sst_ids.size()});
  }
  return view;
}

}  // namespace

Task<Result<std::optional<ManifestView>>> Admin::ReadManifestView(std::optional<uint64_t> id) {
  auto impl = impl_;
  if (!id) {
    SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> latest,
                                co_await impl->manifest_store_.LoadLatest());
    if (!latest) co_return std::optional<ManifestView>();
    co_return std::optional<ManifestView>(ToView(*latest));
  }
  Result<Manifest> loaded = co_await impl->manifest_store_.Load(*id);
  if (!loaded.ok()) {
    // A missing version is an answer, not an error (as ReadManifest).
    Result<ObjectMeta> head = co_await impl->client_.Head(impl->paths_.Manifest(*id));
    if (!head.ok() && head.status().IsNotFound()) co_return std::optional<ManifestView>();
    co_return loaded.status();
  }
  co_return std::optional<ManifestView>(ToView(*loaded));
}

}  // namespace slatedb
