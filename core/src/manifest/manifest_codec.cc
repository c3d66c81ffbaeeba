// SPDX-License-Identifier: Apache-2.0
//
// The manifest object: u16 BE version, then a FlatBuffer (core/schemas/manifest.fbs):
// version 2 (ManifestV2, written) lists each SST once in `tables` and views of them in L0,
// sorted runs and segments; version 1 (ManifestV1, read) lists SSTs directly. Every buffer
// is verified before it is read.
#include <algorithm>
#include <map>
#include <vector>

#include "fb/manifest_generated.h"
#include "format/flatbuffer_util.h"
#include "format/sst_info_fb.h"
#include "manifest/manifest.h"
#include "manifest/manifest_fb.h"
#include "util/coding.h"
#include "util/ulid.h"
#include "util/uuid.h"

namespace slatedb {

namespace {

constexpr uint16_t kManifestV1 = 1;
constexpr uint16_t kManifestV2 = 2;

using flatbuffers::FlatBufferBuilder;
using flatbuffers::Offset;
using flatbuffers::Vector;

Status Corrupt(const std::string& what) { return Status::Data("manifest: " + what); }

// --- writing ---------------------------------------------------------------------------------

Offset<fb::Uuid128> WriteUuid(FlatBufferBuilder& fbb, const std::string& text) {
  const Uuid128 v = ParseUuid(text).value_or(Uuid128{});
  return fb::CreateUuid128(fbb, v.hi, v.lo);
}

Offset<fb::Checkpoint> WriteCheckpoint(FlatBufferBuilder& fbb, const Checkpoint& c) {
  auto id = WriteUuid(fbb, c.id);
  Offset<flatbuffers::String> name = 0;
  if (!c.name.empty()) name = fbb.CreateString(c.name);
  Offset<void> info = 0;
  auto info_type = fb::CheckpointInfo::NONE;
  if (c.writer_epoch) {
    info = fb::CreateWriterCheckpointInfo(fbb, *c.writer_epoch).Union();
    info_type = fb::CheckpointInfo::WriterCheckpointInfo;
  }
  return fb::CreateCheckpoint(fbb, id, c.manifest_id, c.expire_time_s, c.create_time_s, info_type,
                              info, name);
}

Offset<fb::ExternalDb> WriteExternalDb(FlatBufferBuilder& fbb, const ExternalDb& e) {
  auto path = fbb.CreateString(e.path);
  auto source = WriteUuid(fbb, e.source_checkpoint_id);
  Offset<fb::Uuid128> final_checkpoint = 0;
  if (!e.final_checkpoint_id.empty()) final_checkpoint = WriteUuid(fbb, e.final_checkpoint_id);
  std::vector<Offset<fb::Ulid128>> ids;
  for (const std::string& id : e.sst_ids) ids.push_back(WriteUlid(fbb, id));
  return fb::CreateExternalDb(fbb, path, source, final_checkpoint, fbb.CreateVector(ids));
}

Offset<fb::TableView> WriteView(FlatBufferBuilder& fbb, const SstRef& ref) {
  auto view_id = WriteUlid(fbb, ref.view_id.empty() ? ref.id : ref.view_id);
  auto sst_id = WriteUlid(fbb, ref.id);
  Offset<fb::KeyRange> visible = 0;
  if (ref.visible_range) visible = WriteVisibleRange(fbb, *ref.visible_range);
  return fb::CreateTableView(fbb, view_id, sst_id, visible);
}

Offset<Vector<Offset<fb::TableView>>> WriteViews(FlatBufferBuilder& fbb,
                                                 const std::vector<SstRef>& refs) {
  std::vector<Offset<fb::TableView>> views;
  views.reserve(refs.size());
  for (const SstRef& ref : refs) views.push_back(WriteView(fbb, ref));
  return fbb.CreateVector(views);
}

Offset<Vector<Offset<fb::Run>>> WriteRuns(FlatBufferBuilder& fbb,
                                          const std::vector<SortedRun>& runs) {
  std::vector<Offset<fb::Run>> out;
  out.reserve(runs.size());
  for (const SortedRun& run : runs)
    out.push_back(fb::CreateRun(fbb, run.id, WriteViews(fbb, run.ssts)));
  return fbb.CreateVector(out);
}

Offset<fb::Segment> WriteSegment(FlatBufferBuilder& fbb, const Segment& s) {
  auto prefix =
      fbb.CreateVector(reinterpret_cast<const uint8_t*>(s.prefix.data()), s.prefix.size());
  Offset<fb::Ulid128> last = 0;
  if (!s.last_compacted_l0_view_id.empty()) last = WriteUlid(fbb, s.last_compacted_l0_view_id);
  auto l0 = WriteViews(fbb, s.l0);
  auto runs = WriteRuns(fbb, s.sorted_runs);
  return fb::CreateSegment(fbb, prefix, last, l0, runs);
}

// --- reading ---------------------------------------------------------------------------------

Result<std::string> ReadUuid(const fb::Uuid128* v, const char* what) {
  if (v == nullptr) return Corrupt(std::string("missing ") + what);
  return FormatUuid(Uuid128{v->hi(), v->lo()});
}

Result<Checkpoint> ReadCheckpoint(const fb::Checkpoint& c) {
  Checkpoint out;
  SLATEDB_ASSIGN_OR_RETURN(out.id, ReadUuid(c.id(), "checkpoint id"));
  out.manifest_id = c.manifest_id();
  out.expire_time_s = c.expire_time_s();
  out.create_time_s = c.create_time_s();
  if (c.name() != nullptr) out.name = c.name()->str();
  switch (c.info_type()) {
    case fb::CheckpointInfo::NONE:
      break;
    case fb::CheckpointInfo::WriterCheckpointInfo:
      if (const auto* w = c.info_as_WriterCheckpointInfo()) out.writer_epoch = w->epoch();
      break;
    default:
      return Corrupt("checkpoint metadata of unknown kind " +
                     std::to_string(static_cast<int>(c.info_type())));
  }
  return out;
}

Status ReadCommon(const flatbuffers::Vector<Offset<fb::ExternalDb>>* externals,
                  const flatbuffers::Vector<Offset<fb::Checkpoint>>* checkpoints,
                  const flatbuffers::Vector<uint8_t>* seq_times, Manifest* m) {
  if (externals != nullptr) {
    for (const fb::ExternalDb* e : *externals) {
      ExternalDb out;
      if (e->path() == nullptr) return Corrupt("external database without a path");
      out.path = e->path()->str();
      SLATEDB_ASSIGN_OR_RETURN(out.source_checkpoint_id,
                               ReadUuid(e->source_checkpoint(), "source checkpoint"));
      if (e->final_checkpoint() != nullptr) {
        out.final_checkpoint_id =
            FormatUuid(Uuid128{e->final_checkpoint()->hi(), e->final_checkpoint()->lo()});
      }
      if (e->sst_ids() == nullptr) return Corrupt("external database without SST ids");
      for (const fb::Ulid128* id : *e->sst_ids()) {
        SLATEDB_ASSIGN_OR_RETURN(std::string text, ReadUlid(id, "external SST id"));
        out.sst_ids.push_back(std::move(text));
      }
      m->external_dbs.push_back(std::move(out));
    }
  }
  if (checkpoints == nullptr) return Corrupt("missing checkpoints");
  for (const fb::Checkpoint* c : *checkpoints) {
    SLATEDB_ASSIGN_OR_RETURN(Checkpoint out, ReadCheckpoint(*c));
    m->checkpoints.push_back(std::move(out));
  }
  Result<SequenceTracker> tracker = DecodeSequenceTracker(BytesOf(seq_times));
  if (!tracker.ok()) return tracker.status().WithContext("manifest");
  m->sequence_tracker = std::move(*tracker);
  return Status::Ok();
}

// SSTs of external databases live under those databases' roots.
void ResolveRoots(Manifest* m) {
  std::map<std::string, std::string> root_of;
  for (const ExternalDb& e : m->external_dbs) {
    for (const std::string& id : e.sst_ids) root_of.emplace(id, e.path);
  }
  if (root_of.empty()) return;
  auto resolve = [&](std::vector<SstRef>& refs) {
    for (SstRef& ref : refs) {
      auto it = root_of.find(ref.id);
      if (it != root_of.end()) ref.root = it->second;
    }
  };
  auto tree = [&](std::vector<SstRef>& l0, std::vector<SortedRun>& runs) {
    resolve(l0);
    for (SortedRun& run : runs) resolve(run.ssts);
  };
  tree(m->l0, m->sorted_runs);
  for (Segment& s : m->segments) tree(s.l0, s.sorted_runs);
}

// Version 2: views refer to the manifest's table of SSTs.
class V2Reader {
 public:
  Status ReadTables(const flatbuffers::Vector<Offset<fb::TableRef>>* tables) {
    if (tables == nullptr) return Corrupt("missing tables");
    for (const fb::TableRef* t : *tables) {
      SLATEDB_ASSIGN_OR_RETURN(std::string id, ReadUlid(t->id(), "SST id"));
      if (t->meta() == nullptr) return Corrupt("SST " + id + " without info");
      Result<SstInfo> info = ReadSstMeta(*t->meta());
      if (!info.ok()) return info.status().WithContext("manifest SST " + id);
      info->format_version = t->block_format().has_value() ? *t->block_format() : 1;
      SLATEDB_RETURN_IF_ERROR(ValidateSstInfo(*info).WithContext("manifest SST " + id));
      tables_.insert_or_assign(std::move(id), std::move(*info));
    }
    return Status::Ok();
  }

  Result<std::vector<SstRef>> ReadViews(const flatbuffers::Vector<Offset<fb::TableView>>* views) {
    if (views == nullptr) return Corrupt("missing list of SST views");
    std::vector<SstRef> out;
    out.reserve(views->size());
    for (const fb::TableView* v : *views) {
      SstRef ref;
      SLATEDB_ASSIGN_OR_RETURN(ref.view_id, ReadUlid(v->view_id(), "view id"));
      SLATEDB_ASSIGN_OR_RETURN(ref.id, ReadUlid(v->sst_id(), "view's SST id"));
      auto it = tables_.find(ref.id);
      if (it == tables_.end()) return Corrupt("view of SST " + ref.id + " not in its tables");
      ref.info = it->second;
      if (v->visible() != nullptr) {
        SLATEDB_ASSIGN_OR_RETURN(VisibleRange range, ReadVisibleRange(*v->visible()));
        ref.visible_range = std::move(range);
      }
      out.push_back(std::move(ref));
    }
    return out;
  }

  Result<std::vector<SortedRun>> ReadRuns(const flatbuffers::Vector<Offset<fb::Run>>* runs) {
    if (runs == nullptr) return Corrupt("missing sorted runs");
    std::vector<SortedRun> out;
    for (const fb::Run* r : *runs) {
      SortedRun run;
      run.id = r->id();
      SLATEDB_ASSIGN_OR_RETURN(run.ssts, ReadViews(r->views()));
      out.push_back(std::move(run));
    }
    return out;
  }

 private:
  std::map<std::string, SstInfo> tables_;
};

// The fields versions 1 and 2 share under the same names: the initialized flag, epochs, WAL
// ids and the last compacted L0 id.
template <typename Root>
Status ReadEpochsAndWal(const Root& root, Manifest* m) {
  m->initialized = root.initialized();
  m->writer_epoch = root.writer_epoch();
  m->compactor_epoch = root.compactor_epoch();
  m->replay_after_wal_id = root.replay_after_wal_id();
  m->wal_id_last_seen = root.wal_id_last_seen();
  if (root.last_compacted_l0() != nullptr) {
    SLATEDB_ASSIGN_OR_RETURN(m->last_compacted_l0_sst_id,
                             ReadUlid(root.last_compacted_l0(), "last compacted L0"));
  }
  return Status::Ok();
}

Result<Manifest> DecodeV2(std::string_view body) {
  std::vector<uint64_t> storage;
  const fb::Manifest* root = VerifiedRoot<fb::Manifest>(body, &storage);
  if (root == nullptr) return Corrupt("not a valid version 2 FlatBuffer");
  Manifest m;
  SLATEDB_RETURN_IF_ERROR(ReadEpochsAndWal(*root, &m));
  V2Reader reader;
  SLATEDB_RETURN_IF_ERROR(reader.ReadTables(root->tables()));
  SLATEDB_ASSIGN_OR_RETURN(m.l0, reader.ReadViews(root->l0()));
  SLATEDB_ASSIGN_OR_RETURN(m.sorted_runs, reader.ReadRuns(root->runs()));
  m.last_l0_clock_tick = root->last_l0_clock_tick();
  m.last_l0_seq = root->last_l0_seq();
  m.recent_snapshot_min_seq = root->recent_snapshot_min_seq();
  SLATEDB_RETURN_IF_ERROR(
      ReadCommon(root->external_dbs(), root->checkpoints(), root->seq_times(), &m));
  if (const auto* segments = root->segments()) {
    for (const fb::Segment* s : *segments) {
      Segment out;
      if (s->prefix() == nullptr) return Corrupt("segment without a prefix");
      out.prefix = std::string(BytesOf(s->prefix()));
      if (s->last_compacted_l0() != nullptr) {
        SLATEDB_ASSIGN_OR_RETURN(out.last_compacted_l0_view_id,
                                 ReadUlid(s->last_compacted_l0(), "segment watermark"));
      }
      SLATEDB_ASSIGN_OR_RETURN(out.l0, reader.ReadViews(s->l0()));
      SLATEDB_ASSIGN_OR_RETURN(out.sorted_runs, reader.ReadRuns(s->runs()));
      m.segments.push_back(std::move(out));
    }
    // Readers keep segments ordered by prefix.
    std::stable_sort(m.segments.begin(), m.segments.end(),
                     [](const Segment& a, const Segment& b) { return a.prefix < b.prefix; });
  }
  if (root->segment_extractor() != nullptr) {
    m.segment_extractor_name = root->segment_extractor()->str();
  }
  ResolveRoots(&m);
  return m;
}

Result<std::vector<SstRef>> ReadV1Tables(
    const flatbuffers::Vector<Offset<fb::TableRefV1>>* tables) {
  if (tables == nullptr) return Corrupt("missing list of SSTs");
  std::vector<SstRef> out;
  out.reserve(tables->size());
  for (const fb::TableRefV1* t : *tables) {
    SLATEDB_ASSIGN_OR_RETURN(SstRef ref, ReadTableRefV1(*t));
    out.push_back(std::move(ref));
  }
  return out;
}

Result<Manifest> DecodeV1(std::string_view body) {
  std::vector<uint64_t> storage;
  const fb::ManifestV1* root = VerifiedRoot<fb::ManifestV1>(body, &storage);
  if (root == nullptr) return Corrupt("not a valid version 1 FlatBuffer");
  Manifest m;
  SLATEDB_RETURN_IF_ERROR(ReadEpochsAndWal(*root, &m));
  SLATEDB_ASSIGN_OR_RETURN(m.l0, ReadV1Tables(root->l0()));
  if (root->runs() == nullptr) return Corrupt("missing sorted runs");
  for (const fb::RunV1* r : *root->runs()) {
    SortedRun run;
    run.id = r->id();
    SLATEDB_ASSIGN_OR_RETURN(run.ssts, ReadV1Tables(r->tables()));
    m.sorted_runs.push_back(std::move(run));
  }
  m.last_l0_clock_tick = root->last_l0_clock_tick();
  m.last_l0_seq = root->last_l0_seq();
  m.recent_snapshot_min_seq = root->recent_snapshot_min_seq();
  SLATEDB_RETURN_IF_ERROR(
      ReadCommon(root->external_dbs(), root->checkpoints(), root->seq_times(), &m));
  ResolveRoots(&m);
  return m;
}

}  // namespace

// --- shared with the compactions codec (manifest_fb.h) --------------------------------------

Offset<fb::Ulid128> WriteUlid(FlatBufferBuilder& fbb, const std::string& text) {
  const Ulid128 v = ParseUlid(text).value_or(Ulid128{});
  return fb::CreateUlid128(fbb, v.hi, v.lo);
}

Result<std::string> ReadUlid(const fb::Ulid128* v, const char* what) {
  if (v == nullptr) return Status::Data(std::string("missing ") + what);
  // 128 bits need 26 base32 digits whose first carries only 3 bits: any value encodes.
  return FormatUlid(Ulid128{v->hi(), v->lo()});
}

Offset<fb::KeyRange> WriteVisibleRange(FlatBufferBuilder& fbb, const VisibleRange& range) {
  auto bound = [&](const RangeBound& b) {
    Offset<Vector<uint8_t>> key = 0;
    fb::KeyBoundKind kind = fb::KeyBoundKind::Open;
    if (b.kind != RangeBound::Kind::kUnbounded) {
      key = fbb.CreateVector(reinterpret_cast<const uint8_t*>(b.key.data()), b.key.size());
      kind = b.kind == RangeBound::Kind::kIncluded ? fb::KeyBoundKind::Inclusive
                                                   : fb::KeyBoundKind::Exclusive;
    }
    return fb::CreateKeyBound(fbb, key, kind);
  };
  auto start = bound(range.start);
  auto end = bound(range.end);
  return fb::CreateKeyRange(fbb, start, end);
}

Result<VisibleRange> ReadVisibleRange(const fb::KeyRange& range) {
  auto bound = [](const fb::KeyBound* b) -> Result<RangeBound> {
    if (b == nullptr) return Status::Data("key range without a bound");
    RangeBound out;
    switch (b->kind()) {
      case fb::KeyBoundKind::Open:
        if (b->key() != nullptr) return Status::Data("unbounded key range end with a key");
        out.kind = RangeBound::Kind::kUnbounded;
        return out;
      case fb::KeyBoundKind::Inclusive:
      case fb::KeyBoundKind::Exclusive:
        if (b->key() == nullptr) return Status::Data("bounded key range end without a key");
        out.kind = b->kind() == fb::KeyBoundKind::Inclusive ? RangeBound::Kind::kIncluded
                                                            : RangeBound::Kind::kExcluded;
        out.key = std::string(BytesOf(b->key()));
        return out;
      default:
        return Status::Data("key range bound of unknown kind");
    }
  };
  VisibleRange out;
  SLATEDB_ASSIGN_OR_RETURN(out.start, bound(range.start()));
  SLATEDB_ASSIGN_OR_RETURN(out.end, bound(range.end()));
  return out;
}

Offset<fb::TableRefV1> WriteTableRefV1(FlatBufferBuilder& fbb, const SstRef& ref) {
  auto id = WriteUlid(fbb, ref.id);
  auto meta = WriteSstMeta(fbb, ref.info);
  Offset<fb::KeyRange> visible = 0;
  if (ref.visible_range) visible = WriteVisibleRange(fbb, *ref.visible_range);
  return fb::CreateTableRefV1(fbb, id, meta, visible, ref.info.format_version);
}

Result<SstRef> ReadTableRefV1(const fb::TableRefV1& t) {
  SstRef ref;
  SLATEDB_ASSIGN_OR_RETURN(ref.id, ReadUlid(t.id(), "SST id"));
  ref.view_id = ref.id;
  if (t.meta() == nullptr) return Status::Data("SST " + ref.id + " without info");
  Result<SstInfo> info = ReadSstMeta(*t.meta());
  if (!info.ok()) return info.status().WithContext("SST " + ref.id);
  ref.info = std::move(*info);
  ref.info.format_version = t.block_format().has_value() ? *t.block_format() : 1;
  SLATEDB_RETURN_IF_ERROR(ValidateSstInfo(ref.info).WithContext("SST " + ref.id));
  if (t.visible() != nullptr) {
    SLATEDB_ASSIGN_OR_RETURN(VisibleRange range, ReadVisibleRange(*t.visible()));
    ref.visible_range = std::move(range);
  }
  return ref;
}

std::string EncodeManifest(const Manifest& m) {
  FlatBufferBuilder fbb(1024);
  // Every SST once, by id ascending (ULID text order is numeric order).
  std::map<std::string, const SstRef*> tables;
  ForEachSstRef(m, [&](const SstRef& ref) { tables.emplace(ref.id, &ref); });
  std::vector<Offset<fb::TableRef>> table_refs;
  table_refs.reserve(tables.size());
  for (const auto& [id, ref] : tables) {
    auto ulid = WriteUlid(fbb, id);
    auto meta = WriteSstMeta(fbb, ref->info);
    table_refs.push_back(fb::CreateTableRef(fbb, ulid, meta, ref->info.format_version));
  }
  auto tables_vec = fbb.CreateVector(table_refs);
  Offset<Vector<Offset<fb::ExternalDb>>> externals = 0;
  if (!m.external_dbs.empty()) {
    std::vector<Offset<fb::ExternalDb>> out;
    for (const ExternalDb& e : m.external_dbs) out.push_back(WriteExternalDb(fbb, e));
    externals = fbb.CreateVector(out);
  }
  Offset<fb::Ulid128> last_compacted = 0;
  if (!m.last_compacted_l0_sst_id.empty())
    last_compacted = WriteUlid(fbb, m.last_compacted_l0_sst_id);
  auto l0 = WriteViews(fbb, m.l0);
  auto runs = WriteRuns(fbb, m.sorted_runs);
  std::vector<Offset<fb::Checkpoint>> checkpoints;
  for (const Checkpoint& c : m.checkpoints) checkpoints.push_back(WriteCheckpoint(fbb, c));
  auto checkpoints_vec = fbb.CreateVector(checkpoints);
  const std::string tracker = EncodeSequenceTracker(m.sequence_tracker);
  auto seq_times =
      fbb.CreateVector(reinterpret_cast<const uint8_t*>(tracker.data()), tracker.size());
  std::vector<Offset<fb::Segment>> segments;
  for (const Segment& s : m.segments) segments.push_back(WriteSegment(fbb, s));
  auto segments_vec = fbb.CreateVector(segments);
  Offset<flatbuffers::String> extractor = 0;
  if (m.segment_extractor_name) extractor = fbb.CreateString(*m.segment_extractor_name);

  fb::ManifestBuilder b(fbb);
  b.add_id(0);  // the object's name holds the id
  b.add_external_dbs(externals);
  b.add_initialized(m.initialized);
  b.add_writer_epoch(m.writer_epoch);
  b.add_compactor_epoch(m.compactor_epoch);
  b.add_replay_after_wal_id(m.replay_after_wal_id);
  b.add_wal_id_last_seen(m.wal_id_last_seen);
  b.add_last_compacted_l0(last_compacted);
  b.add_tables(tables_vec);
  b.add_l0(l0);
  b.add_runs(runs);
  b.add_last_l0_clock_tick(m.last_l0_clock_tick);
  b.add_checkpoints(checkpoints_vec);
  b.add_last_l0_seq(m.last_l0_seq);
  b.add_recent_snapshot_min_seq(m.recent_snapshot_min_seq);
  b.add_seq_times(seq_times);
  b.add_segments(segments_vec);
  b.add_segment_extractor(extractor);
  fbb.Finish(b.Finish());

  std::string out;
  out.reserve(2 + fbb.GetSize());
  PutBigEndian16(&out, kManifestV2);
  out.append(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
  return out;
}

Result<Manifest> DecodeManifest(std::string_view bytes) {
  uint16_t version = 0;
  if (!GetBigEndian16(&bytes, &version)) return Corrupt("empty manifest");
  switch (version) {
    case kManifestV2:
      return DecodeV2(bytes);
    case kManifestV1:
      return DecodeV1(bytes);
    default:
      return Status::Data("unsupported manifest version " + std::to_string(version));
  }
}

}  // namespace slatedb
