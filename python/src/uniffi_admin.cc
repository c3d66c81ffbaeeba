// SPDX-License-Identifier: Apache-2.0
//
// The native calls behind slatedb.uniffi.AdminBuilder, Admin and CloneBuilder, on the seed
// API's admin handle (PyAdmin). Manifests and compaction states cross as the core's JSON
// text, which the Python layer turns into records (slatedb/uniffi/_manifest.py).
// Conventions as in uniffi_db.cc.
#include <pybind11/stl.h>

#include <map>

#include "async_call.h"
#include "bindings.h"
#include "runtime.h"
#include "uniffi_errors.h"
#include "uniffi_module.h"

namespace slatedb::python {

namespace {

using OptId = std::optional<uint64_t>;

py::object JsonOrNone(Result<std::optional<std::string>> r) {
  std::optional<std::string> text = UnwrapUniffi(std::move(r));
  if (!text) return py::none();
  return py::str(*text);
}

py::object Json(Result<std::string> r) { return py::str(UnwrapUniffi(std::move(r))); }

py::object NoneOrRaise(Status s) {
  CheckUniffi(s);
  return py::none();
}

template <typename T>
py::object OptionalInt(Result<std::optional<T>> r) {
  std::optional<T> v = UnwrapUniffi(std::move(r));
  if (!v) return py::none();
  return py::int_(*v);
}

}  // namespace

void RegisterUniffiAdmin(py::module_& m) {
  m.def("admin_new", [](const StoreHandle& store, const std::string& path,
                        const std::optional<StoreHandle>& wal_store, std::optional<uint64_t> seed) {
    AdminOptions options;
    options.object_store = store.store;
    if (wal_store) options.wal_object_store = wal_store->store;
    options.seed = seed;
    options.executor = SharedExecutor();
    options.clock = SharedClock();
    options.path = path;
    PyAdmin out;
    out.admin = UnwrapUniffi(Admin::Create(std::move(options)));
    return py::cast(std::move(out));
  });
  m.def("admin_read_manifest", [](PyAdmin& self, OptId id) {
    return StartTask(true, self.admin->ReadManifest(id), JsonOrNone);
  });
  m.def("admin_list_manifests", [](PyAdmin& self, OptId lo, OptId hi) {
    return StartTask(true, self.admin->ListManifests(lo, hi), Json);
  });
  m.def("admin_read_compactions", [](PyAdmin& self, OptId id) {
    return StartTask(true, self.admin->ReadCompactions(id), JsonOrNone);
  });
  m.def("admin_list_compactions", [](PyAdmin& self, OptId lo, OptId hi) {
    return StartTask(true, self.admin->ListCompactions(lo, hi), Json);
  });
  m.def("admin_read_compaction", [](PyAdmin& self, const std::string& ulid, OptId id) {
    return StartTask(true, self.admin->ReadCompaction(ulid, id), JsonOrNone);
  });
  // sources: [(0, sorted run id) | (1, SST ULID)]; segment: the tree's prefix (b"": root).
  m.def("admin_submit_compaction",
        [](PyAdmin& self, const std::vector<std::pair<int, py::object>>& sources,
           uint32_t destination, const py::bytes& segment, bool drain) {
          CompactionRequestSpec spec;
          spec.segment = std::string(segment);
          spec.drain = drain;  // CompactionSpec.DRAIN_SEGMENT (destination unused)
          for (const auto& [kind, value] : sources) {
            spec.sources.push_back(kind == 0 ? CompactionSource::SortedRun(value.cast<uint32_t>())
                                             : CompactionSource::Sst(value.cast<std::string>()));
          }
          spec.destination = destination;
          return StartTask(true, self.admin->SubmitCompaction(std::move(spec)), Json);
        });
  m.def("admin_create_checkpoint",
        [](PyAdmin& self, OptId lifetime_ms, const std::optional<std::string>& source,
           const std::optional<std::string>& name) {
          CheckpointOptions options;
          options.lifetime_ms = lifetime_ms;
          options.source = source;
          if (name) options.name = *name;
          return StartTask(true, self.admin->CreateCheckpoint(options),
                           [](Result<CheckpointCreateResult> r) {
                             CheckpointCreateResult c = UnwrapUniffi(std::move(r));
                             return py::make_tuple(c.id, c.manifest_id);
                           });
        });
  // [(id, manifest_id, create_time_ms, expire_time_ms or None, name)].
  m.def("admin_list_checkpoints", [](PyAdmin& self, const std::optional<std::string>& name) {
    return StartTask(
        true, self.admin->ListCheckpoints(name), [](Result<std::vector<CheckpointInfo>> r) {
          py::list out;
          for (const CheckpointInfo& c : UnwrapUniffi(std::move(r))) {
            py::object expire =
                c.expire_time_ms ? py::object(py::int_(*c.expire_time_ms)) : py::none();
            out.append(py::make_tuple(c.id, c.manifest_id, c.create_time_ms, expire, c.name));
          }
          return out;
        });
  });
  m.def("admin_refresh_checkpoint", [](PyAdmin& self, const std::string& id, OptId lifetime_ms) {
    return StartTask(true, self.admin->RefreshCheckpoint(id, lifetime_ms), NoneOrRaise);
  });
  m.def("admin_delete_checkpoint", [](PyAdmin& self, const std::string& id) {
    return StartTask(true, self.admin->DeleteCheckpoint(id), NoneOrRaise);
  });
  // dirs: {"manifest" | "wal" | "compacted" | "compactions": (interval_ms, min_age_ms)}.
  m.def("admin_gc_once",
        [](PyAdmin& self, const std::map<std::string, std::pair<OptId, OptId>>& dirs,
           bool boundary_files) {
          AdminGcOptions options;
          options.boundary_files = boundary_files;
          for (const auto& [name, value] : dirs) {
            GcDirectoryOptions d;
            d.interval_ms = value.first;
            d.min_age_ms = value.second;
            if (name == "manifest") options.manifest = d;
            if (name == "wal") options.wal = d;
            if (name == "compacted") options.compacted = d;
            if (name == "compactions") options.compactions = d;
          }
          return StartTask(true, self.admin->RunGcOnce(options), NoneOrRaise);
        });
  m.def("admin_timestamp_for_sequence", [](PyAdmin& self, uint64_t seq, bool round_up) {
    return StartTask(true, self.admin->GetTimestampForSequence(seq, round_up),
                     OptionalInt<int64_t>);
  });
  m.def("admin_sequence_for_timestamp", [](PyAdmin& self, int64_t time_ms, bool round_up) {
    return StartTask(true, self.admin->GetSequenceForTimestamp(time_ms, round_up),
                     OptionalInt<uint64_t>);
  });
  // Upstream's delete_db(confirm): a forced deletion (DeleteDatabaseOptions::force), or
  // with `dry_run` only the list. Returns the keys, in the engine's store.
  m.def("admin_delete_db", [](PyAdmin& self, bool dry_run) {
    DeleteDatabaseOptions options;
    options.force = true;
    options.dry_run = dry_run;
    return StartTask(true, self.admin->DeleteDatabase(options),
                     [](Result<DeleteDatabaseReport> r) -> py::object {
                       DeleteDatabaseReport report = UnwrapUniffi(std::move(r));
                       return py::cast(report.keys);
                     });
  });
  // sources: [(path, checkpoint, projection)], projection None or
  // (start | None, start_inclusive, end | None, end_inclusive).
  using Projection = std::tuple<std::optional<py::bytes>, bool, std::optional<py::bytes>, bool>;
  m.def("admin_clone_sources",
        [](PyAdmin& self, const std::vector<std::tuple<std::string, std::optional<std::string>,
                                                       std::optional<Projection>>>& sources) {
          std::vector<CloneSource> list;
          for (const auto& [path, checkpoint, projection] : sources) {
            CloneSource source;
            source.path = path;
            source.checkpoint = checkpoint;
            if (projection) {
              const auto& [start, start_inclusive, end, end_inclusive] = *projection;
              CloneSource::Range r;
              if (start) r.start = std::string(*start);
              r.start_inclusive = start_inclusive;
              if (end) r.end = std::string(*end);
              r.end_inclusive = end_inclusive;
              source.projection = r;
            }
            list.push_back(std::move(source));
          }
          return StartTask(true, self.admin->CreateClone(std::move(list)), NoneOrRaise);
        });
  m.def("admin_clone", [](PyAdmin& self, const std::string& parent_path,
                          const std::optional<std::string>& checkpoint) {
    return StartTask(true, self.admin->CreateClone(parent_path, checkpoint), NoneOrRaise);
  });
}

}  // namespace slatedb::python
