// SPDX-License-Identifier: Apache-2.0
//
// Clones of several sources and/or of key ranges (Admin::CreateClone(std::vector<CloneSource>)),
// composed as upstream 0.17 composes them, so either implementation reads the other's:
//  1. every source: its checkpoint (given, or a new 5-minute one) and the version it pins;
//     that version must have no WAL objects beyond its SSTs (a WAL's rows cannot be narrowed
//     to a range, and several sources' WALs cannot be merged into one sequence);
//  2. every source's tree is projected: each view of an SST gets the visible range
//     (its own, narrowed by the projection, starting no lower than the SST's first key);
//     a view with no key left is dropped, and so is a source with no view left;
//  3. the sources' key ranges (what their remaining views can show) must not overlap; the
//     trees are then concatenated in key order: L0 views, then sorted runs (renumbered so
//     that ids stay unique and highest first), with external_dbs entries for each source's
//     ancestors whose SSTs it still shows, then one for the source;
//  4. as a single-parent clone: manifest 1 uninitialized, pins in every external database,
//     then manifest 2 initialized. A re-run finds manifest 1 and continues.
// The clone starts with no WAL; sequence numbers continue after the highest source's.
#include <algorithm>
#include <map>
#include <set>

#include "admin/admin_impl.h"
#include "admin/clone_roots.h"
#include "manifest/checkpoint_edit.h"

namespace slatedb {

namespace {

constexpr uint64_t kSourceCheckpointLifetimeMs = 5 * 60 * 1000;

// Range ends, with an explicit "unbounded".
struct Lower {
  bool open = true;
  std::string key;
  bool inclusive = true;
};
struct Upper {
  bool open = true;
  std::string key;
  bool inclusive = false;
};

Lower TighterLower(const Lower& a, const Lower& b) {
  if (a.open) return b;
  if (b.open) return a;
  if (a.key != b.key) return a.key > b.key ? a : b;
  return a.inclusive ? b : a;
}
Upper TighterUpper(const Upper& a, const Upper& b) {
  if (a.open) return b;
  if (b.open) return a;
  if (a.key != b.key) return a.key < b.key ? a : b;
  return a.inclusive ? b : a;
}
Lower LooserLower(const Lower& a, const Lower& b) {
  if (a.open || b.open) return Lower{};
  if (a.key != b.key) return a.key < b.key ? a : b;
  return a.inclusive ? a : b;
}
Upper LooserUpper(const Upper& a, const Upper& b) {
  if (a.open || b.open) return Upper{};
  if (a.key != b.key) return a.key > b.key ? a : b;
  return a.inclusive ? a : b;
}
bool Empty(const Lower& l, const Upper& u) {
  if (l.open || u.open) return false;
  if (l.key != u.key) return l.key > u.key;
  return !(l.inclusive && u.inclusive);
}
bool LowerBefore(const Lower& a, const Lower& b) {
  if (a.open != b.open) return a.open;
  if (a.key != b.key) return a.key < b.key;
  return a.inclusive && !b.inclusive;
}

Lower ToLower(const RangeBound& b) {
  if (b.kind == RangeBound::Kind::kUnbounded) return Lower{};
  return Lower{false, b.key, b.kind == RangeBound::Kind::kIncluded};
}
Upper ToUpper(const RangeBound& b) {
  if (b.kind == RangeBound::Kind::kUnbounded) return Upper{};
  return Upper{false, b.key, b.kind == RangeBound::Kind::kIncluded};
}
RangeBound FromBound(bool open, const std::string& key, bool inclusive) {
  RangeBound b;
  if (open) return b;
  b.kind = inclusive ? RangeBound::Kind::kIncluded : RangeBound::Kind::kExcluded;
  b.key = key;
  return b;
}

std::string Printable(const std::string& key) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : key) {
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}
std::string Describe(const Lower& l, const Upper& u) {
  std::string out = l.open ? "(-inf" : (l.inclusive ? "[" : "(") + Printable(l.key);
  out += ", ";
  out += u.open ? "+inf)" : Printable(u.key) + (u.inclusive ? "]" : ")");
  return out;
}

// One source, resolved and projected.
struct Projected {
  std::string path;
  Manifest version;  // the pinned version, its tree projected
  std::string checkpoint;
  Lower lower;  // the keys its views can show
  Upper upper;
  bool empty = true;
};

// Narrows `refs` to [lower, upper]; drops views with no key left. Extends `*seen` with the
// range the kept views show.
std::vector<SstRef> ProjectViews(const std::vector<SstRef>& refs, const Lower& lower,
                                 const Upper& upper, Projected* seen) {
  std::vector<SstRef> kept;
  for (const SstRef& ref : refs) {
    Lower own_lower{false, ref.info.first_entry, true};
    Upper own_upper{false, ref.info.last_entry, true};
    Lower vis_lower = ref.visible_range ? ToLower(ref.visible_range->start) : Lower{};
    Upper vis_upper = ref.visible_range ? ToUpper(ref.visible_range->end) : Upper{};
    Lower new_lower = TighterLower(vis_lower, lower);
    Upper new_upper = TighterUpper(vis_upper, upper);
    Lower shown_lower = TighterLower(new_lower, own_lower);
    Upper shown_upper = TighterUpper(new_upper, own_upper);
    if (Empty(shown_lower, shown_upper)) continue;
    SstRef out = ref;
    if (!lower.open || !upper.open) {
      // As upstream: the visible range starts no lower than the SST's first key.
      out.visible_range =
          VisibleRange{FromBound(shown_lower.open, shown_lower.key, shown_lower.inclusive),
                       FromBound(new_upper.open, new_upper.key, new_upper.inclusive)};
    }
    if (seen->empty) {
      seen->lower = shown_lower;
      seen->upper = shown_upper;
      seen->empty = false;
    } else {
      seen->lower = LooserLower(seen->lower, shown_lower);
      seen->upper = LooserUpper(seen->upper, shown_upper);
    }
    kept.push_back(std::move(out));
  }
  return kept;
}

}  // namespace

Task<Status> AdminImpl::CreateUnionClone(std::vector<CloneSource> sources) {
  auto self = shared_from_this();
  if (sources.empty()) co_return Status::Invalid("a clone needs at least one source");
  std::set<std::string> paths;
  for (const CloneSource& s : sources) {
    if (s.path == options_.path) {
      co_return Status::Invalid("a clone needs a path other than its sources': " + s.path);
    }
    if (!paths.insert(s.path).second) {
      co_return Status::Invalid("clone source paths must be unique, found duplicate: `" + s.path +
                                "`");
    }
    if (s.checkpoint)
      SLATEDB_CO_RETURN_IF_ERROR(ValidateCheckpointId(*s.checkpoint, "source checkpoint"));
    if (s.projection) {
      const CloneSource::Range& r = *s.projection;
      Lower l{!r.start.has_value(), r.start.value_or(""), r.start_inclusive};
      Upper u{!r.end.has_value(), r.end.value_or(""), r.end_inclusive};
      if (Empty(l, u)) {
        co_return Status::Invalid("the projection range of source '" + s.path +
                                  "' is empty: " + Describe(l, u));
      }
    }
  }

  // An earlier run may have got part of the way.
  SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> existing,
                              co_await manifest_store_.LoadLatest());
  if (existing) {
    std::set<std::string> recorded;
    for (const ExternalDb& e : existing->external_dbs) recorded.insert(e.path);
    bool same = !recorded.empty();
    for (const CloneSource& s : sources) {
      bool listed = false;
      for (const ExternalDb& e : existing->external_dbs) {
        if (e.path == s.path && (!s.checkpoint || e.source_checkpoint_id == *s.checkpoint)) {
          listed = true;
        }
      }
      // A source projected away entirely has no entry: only sources present must match.
      if (!listed && recorded.count(s.path) != 0) same = false;
    }
    if (!same) co_return Status::Invalid("a database already exists at '" + options_.path + "'");
    if (existing->initialized) co_return Status::Ok();
    SLATEDB_CO_RETURN_IF_ERROR(co_await PinCloneExternals(*existing));
    co_return co_await FinishClone(*existing);
  }

  // 1-2. Every source's pinned version, projected.
  std::vector<Projected> projected;
  std::vector<std::string> with_wal;
  for (const CloneSource& s : sources) {
    DbPaths source_paths(s.path);
    ManifestStore source_store(&client_, source_paths);
    SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> latest, co_await source_store.LoadLatest());
    if (!latest) {
      co_return Status::Data(std::string(kNoDatabaseMessage) + " (clone source '" + s.path + "')");
    }
    Projected p;
    p.path = s.path;
    uint64_t manifest_id = 0;
    if (s.checkpoint) {
      const Checkpoint* c = FindCheckpoint(*latest, *s.checkpoint);
      if (c == nullptr) {
        co_return Status::Data("checkpoint " + *s.checkpoint + " does not exist in '" + s.path +
                               "'");
      }
      p.checkpoint = *s.checkpoint;
      manifest_id = c->manifest_id;
    } else {
      CheckpointOptions temp;
      temp.lifetime_ms = kSourceCheckpointLifetimeMs;
      temp.name = "clone source";
      SLATEDB_CO_ASSIGN_OR_RETURN(CheckpointCreateResult created,
                                  co_await CreateDetachedCheckpoint(source_paths, temp));
      p.checkpoint = created.id;
      manifest_id = created.manifest_id;
    }
    SLATEDB_CO_ASSIGN_OR_RETURN(p.version, co_await source_store.Load(manifest_id));
    if (p.version.wal_id_last_seen > p.version.replay_after_wal_id) with_wal.push_back(s.path);
    if (!p.version.segments.empty()) {
      co_return Status::Invalid("source '" + s.path +
                                "' has segments, which projections and unions do not support");
    }
    Lower lower;
    Upper upper;
    if (s.projection) {
      const CloneSource::Range& r = *s.projection;
      lower = Lower{!r.start.has_value(), r.start.value_or(""), r.start_inclusive};
      upper = Upper{!r.end.has_value(), r.end.value_or(""), r.end_inclusive};
    }
    p.version.l0 = ProjectViews(p.version.l0, lower, upper, &p);
    for (SortedRun& run : p.version.sorted_runs)
      run.ssts = ProjectViews(run.ssts, lower, upper, &p);
    std::erase_if(p.version.sorted_runs, [](const SortedRun& r) { return r.ssts.empty(); });
    projected.push_back(std::move(p));
  }
  if (!with_wal.empty()) {
    std::string list;
    for (const std::string& path : with_wal) list += (list.empty() ? "" : ", ") + path;
    co_return Status::Invalid(
        "projection and/or union with WAL is not supported, sources with WAL: [" + list +
        "] (flush their memtables, with no writes after, first)");
  }

  // 3. Key order; no overlaps. Sources with nothing visible are left out.
  std::erase_if(projected, [](const Projected& p) { return p.empty; });
  std::sort(projected.begin(), projected.end(),
            [](const Projected& a, const Projected& b) { return LowerBefore(a.lower, b.lower); });
  for (size_t i = 1; i < projected.size(); ++i) {
    const Projected& prev = projected[i - 1];
    const Projected& cur = projected[i];
    if (!Empty(cur.lower, TighterUpper(prev.upper, cur.upper))) {
      co_return Status::Invalid("clone sources have overlapping key ranges: '" + prev.path + "' " +
                                Describe(prev.lower, prev.upper) + " and '" + cur.path + "' " +
                                Describe(cur.lower, cur.upper));
    }
  }

  Manifest clone;
  clone.id = 1;
  clone.initialized = false;
  size_t runs = 0;
  for (const Projected& p : projected) runs += p.version.sorted_runs.size();
  for (Projected& p : projected) {
    SstIdsByRoot by_root = MarkRoots(p.version, p.path);
    for (SstRef& ref : p.version.l0) clone.l0.push_back(std::move(ref));
    for (SortedRun& run : p.version.sorted_runs) {
      run.id = static_cast<uint32_t>(--runs);
      clone.sorted_runs.push_back(std::move(run));
    }
    // As upstream: the source's ancestors whose SSTs it still shows, then the source.
    AppendAncestors(
        p.version.external_dbs, by_root, [this] { return NewId(); }, &clone.external_dbs);
    ExternalDb source;
    source.path = p.path;
    source.source_checkpoint_id = p.checkpoint;
    source.final_checkpoint_id = NewId();
    source.sst_ids = by_root[p.path];
    clone.external_dbs.push_back(std::move(source));
    clone.last_l0_seq = std::max(clone.last_l0_seq, p.version.last_l0_seq);
    if (p.version.last_l0_clock_tick != kNoTimestamp) {
      clone.last_l0_clock_tick =
          clone.last_l0_clock_tick == kNoTimestamp
              ? p.version.last_l0_clock_tick
              : std::max(clone.last_l0_clock_tick, p.version.last_l0_clock_tick);
    }
  }

  // 4. Store, pin, initialize.
  Status created = co_await manifest_store_.Create(clone);
  if (created.IsAlreadyExists()) {
    co_return Status::Unavailable("another process is creating a database at '" + options_.path +
                                  "'; retry");
  }
  SLATEDB_CO_RETURN_IF_ERROR(created);
  SLATEDB_CO_RETURN_IF_ERROR(co_await PinCloneExternals(clone));
  co_return co_await FinishClone(clone);
}

}  // namespace slatedb
