// SPDX-License-Identifier: Apache-2.0
//
// The native base of slatedb.SlateDBAdmin (python-api.md §4.7). Replicates upstream's error
// quirk (§3.4): read_manifest, list_manifests, create_clone, run_gc_once and the compaction
// methods (read_compactions, list_compactions, read_compaction, submit_compaction) report
// every failure as InvalidError, list_checkpoints as UnavailableError; the other methods map
// error kinds normally. Ids are checked when the method is called.
#include <pybind11/stl.h>

#include "bindings.h"
#include "py_checkpoint.h"
#include "py_compactions.h"
#include "runtime.h"
#include "seed_args.h"

namespace slatedb::python {

namespace {

// Every id argument: a str (TypeError otherwise), then checked as a UUID.
std::string CheckpointId(const py::object& value, const char* name, const char* what) {
  return seed::Uuid(seed::Str(value, name), what);
}

// Upstream's admin quirk: the failure's kind is replaced, and its message is the plain text
// (no "<Kind> error:" title, no backtrace).
void ThrowIfFailedAs(ErrorKind kind, const Status& s) {
  if (!s.ok()) ThrowPlain(kind, s.message());
}

GcDirectoryOptions Dir(const py::object& interval, const char* interval_name,
                       const py::object& min_age, const char* min_age_name) {
  GcDirectoryOptions d;
  d.interval_ms = OptionalMillis(interval, interval_name);
  d.min_age_ms = OptionalMillis(min_age, min_age_name);
  // Upstream turns a minimum age into a signed duration and panics past it; an error here.
  if (d.min_age_ms && *d.min_age_ms > static_cast<uint64_t>(INT64_MAX)) {
    ThrowInvalid("invalid duration: OutOfRangeError(())");
  }
  return d;
}

// Checked here so that the async twins raise at call time.
AdminGcOptions GcOptions(const py::object& mi, const py::object& ma, const py::object& wi,
                         const py::object& wa, const py::object& ci, const py::object& ca,
                         const py::object& ki, const py::object& ka, bool scheduled) {
  AdminGcOptions o;
  o.manifest = Dir(mi, "manifest_interval", ma, "manifest_min_age");
  o.wal = Dir(wi, "wal_interval", wa, "wal_min_age");
  o.compacted = Dir(ci, "compacted_interval", ca, "compacted_min_age");
  o.compactions = Dir(ki, "compactions_interval", ka, "compactions_min_age");
  // Upstream's binding checks these while it builds the options, so its messages are plain.
  for (const GcDirectoryOptions* d : {&o.manifest, &o.wal, &o.compacted, &o.compactions}) {
    if (!scheduled && d->interval_ms && !d->min_age_ms) {
      ThrowInvalid("gc opts: 'min_age' is required when specifying interval");
    }
    if (scheduled && d->min_age_ms && !d->interval_ms) {
      ThrowInvalid("gc opts: 'interval' is required when scheduling background GC");
    }
  }
  return o;
}

py::object OptionalIntToPy(const std::optional<int64_t>& v) {
  return v ? py::object(py::int_(*v)) : py::object(py::none());
}
py::object OptionalUintToPy(const std::optional<uint64_t>& v) {
  return v ? py::object(py::int_(*v)) : py::object(py::none());
}

py::object ManifestToPy(Result<std::optional<std::string>> r) {
  ThrowIfFailedAs(ErrorKind::kInvalid, r.status());
  return *r ? py::object(py::str(**r)) : py::object(py::none());
}

py::object CheckpointListToPy(Result<std::vector<CheckpointInfo>> r) {
  ThrowIfFailedAs(ErrorKind::kUnavailable, r.status());
  py::list out;
  for (const CheckpointInfo& info : *r) out.append(CheckpointInfoToPy(info));
  return std::move(out);
}

// Unix milliseconds upstream can turn into a date: the years -262143 through 262142.
constexpr int64_t kMinTimestampMs = -8334601228800000;
constexpr int64_t kMaxTimestampMs = 8210266876799999;

void CheckTimestamp(int64_t ms) {
  if (ms < kMinTimestampMs || ms > kMaxTimestampMs) {
    ThrowInvalid("invalid timestamp millis (out of range)");
  }
}

}  // namespace

void RegisterAdmin(py::module_& m) {
  const auto none = py::none();
  py::class_<PyAdmin> cls(m, "_AdminCore", py::dynamic_attr());
  cls.def(py::init([](const StoreHandle& store, const std::string& path) {
            AdminOptions options;
            options.object_store = store.store;
            options.executor = SharedExecutor();
            options.clock = SharedClock();
            options.path = path;
            PyAdmin out;
            out.admin = Unwrap(Admin::Create(options));
            return out;
          }),
          py::arg("store"), py::arg("path"));

  // Manifests (all failures: InvalidError).
  auto read_manifest = [](PyAdmin& self, const py::object& id) {
    std::optional<uint64_t> mid = seed::OptionalU64(id, "id");
    std::shared_ptr<Admin> admin = self.admin;
    return [admin, mid] { return admin->ReadManifest(mid); };
  };
  cls.def(
         "read_manifest",
         [read_manifest](PyAdmin& self, const py::object& id) {
           return ManifestToPy(CallBlocking(read_manifest(self, id)));
         },
         py::arg("id") = none)
      .def(
          "read_manifest_async",
          [read_manifest](PyAdmin& self, const py::object& id) {
            return SpawnAsync(read_manifest(self, id), ManifestToPy);
          },
          py::arg("id") = none);
  auto list_manifests = [](PyAdmin& self, const py::object& start, const py::object& end) {
    std::optional<uint64_t> lo = seed::OptionalU64(start, "start");
    std::optional<uint64_t> hi = seed::OptionalU64(end, "end");
    std::shared_ptr<Admin> admin = self.admin;
    return [admin, lo, hi] { return admin->ListManifests(lo, hi); };
  };
  auto manifests_to_py = [](Result<std::string> r) {
    ThrowIfFailedAs(ErrorKind::kInvalid, r.status());
    return py::object(py::str(*r));
  };
  cls.def(
         "list_manifests",
         [list_manifests, manifests_to_py](PyAdmin& self, const py::object& start,
                                           const py::object& end) {
           return manifests_to_py(CallBlocking(list_manifests(self, start, end)));
         },
         py::arg("start") = none, py::arg("end") = none)
      .def(
          "list_manifests_async",
          [list_manifests, manifests_to_py](PyAdmin& self, const py::object& start,
                                            const py::object& end) {
            return SpawnAsync(list_manifests(self, start, end), manifests_to_py);
          },
          py::arg("start") = none, py::arg("end") = none);

  // Compaction requests (all failures: InvalidError; ULIDs checked at call time).
  auto read_compactions = [](PyAdmin& self, const py::object& id) {
    std::optional<uint64_t> cid = seed::OptionalU64(id, "id");
    std::shared_ptr<Admin> admin = self.admin;
    return [admin, cid] { return admin->ReadCompactions(cid); };
  };
  cls.def(
         "read_compactions",
         [read_compactions](PyAdmin& self, const py::object& id) {
           return ManifestToPy(CallBlocking(read_compactions(self, id)));
         },
         py::arg("id") = none)
      .def(
          "read_compactions_async",
          [read_compactions](PyAdmin& self, const py::object& id) {
            return SpawnAsync(read_compactions(self, id), ManifestToPy);
          },
          py::arg("id") = none);
  auto list_compactions = [](PyAdmin& self, const py::object& start, const py::object& end) {
    std::optional<uint64_t> lo = seed::OptionalU64(start, "start");
    std::optional<uint64_t> hi = seed::OptionalU64(end, "end");
    std::shared_ptr<Admin> admin = self.admin;
    return [admin, lo, hi] { return admin->ListCompactions(lo, hi); };
  };
  cls.def(
         "list_compactions",
         [list_compactions, manifests_to_py](PyAdmin& self, const py::object& start,
                                             const py::object& end) {
           return manifests_to_py(CallBlocking(list_compactions(self, start, end)));
         },
         py::arg("start") = none, py::arg("end") = none)
      .def(
          "list_compactions_async",
          [list_compactions, manifests_to_py](PyAdmin& self, const py::object& start,
                                              const py::object& end) {
            return SpawnAsync(list_compactions(self, start, end), manifests_to_py);
          },
          py::arg("start") = none, py::arg("end") = none);
  auto read_compaction = [](PyAdmin& self, const py::object& id, const py::object& compactions_id) {
    std::string raw = seed::Str(id, "id");
    std::optional<uint64_t> cid = seed::OptionalU64(compactions_id, "compactions_id");
    std::string text = seed::Ulid(raw, "invalid compaction ULID");
    std::shared_ptr<Admin> admin = self.admin;
    return [admin, text, cid] { return admin->ReadCompaction(text, cid); };
  };
  cls.def(
         "read_compaction",
         [read_compaction](PyAdmin& self, const py::object& id, const py::object& cid) {
           return ManifestToPy(CallBlocking(read_compaction(self, id, cid)));
         },
         py::arg("id"), py::arg("compactions_id") = none)
      .def(
          "read_compaction_async",
          [read_compaction](PyAdmin& self, const py::object& id, const py::object& cid) {
            return SpawnAsync(read_compaction(self, id, cid), ManifestToPy);
          },
          py::arg("id"), py::arg("compactions_id") = none);
  auto submit_compaction = [](PyAdmin& self, const py::object& spec) {
    std::shared_ptr<Admin> admin = self.admin;
    CompactionRequestSpec copy =
        seed::Instance<PyCompactionSpec>(spec, "spec", "CompactionSpec").spec;
    return [admin, copy] { return admin->SubmitCompaction(copy); };
  };
  cls.def(
         "submit_compaction",
         [submit_compaction, manifests_to_py](PyAdmin& self, const py::object& spec) {
           return manifests_to_py(CallBlocking(submit_compaction(self, spec)));
         },
         py::arg("spec"))
      .def(
          "submit_compaction_async",
          [submit_compaction, manifests_to_py](PyAdmin& self, const py::object& spec) {
            return SpawnAsync(submit_compaction(self, spec), manifests_to_py);
          },
          py::arg("spec"));

  // Checkpoints (normal kind mapping, except list_checkpoints: UnavailableError).
  auto create = [](PyAdmin& self, const py::object& lifetime, const py::object& source,
                   const py::object& name) {
    CheckpointOptions options;
    options.lifetime_ms = OptionalMillis(lifetime, "lifetime");
    std::optional<std::string> source_text = seed::OptionalStr(source, "source");
    options.name = seed::OptionalStr(name, "name").value_or(std::string());
    options.source = seed::OptionalUuid(source_text, "invalid source UUID");
    std::shared_ptr<Admin> admin = self.admin;
    return [admin, options] { return admin->CreateCheckpoint(options); };
  };
  auto created_to_py = [](Result<CheckpointCreateResult> r) {
    return CheckpointCreatedToPy(Unwrap(std::move(r)));
  };
  cls.def(
         "create_checkpoint",
         [create, created_to_py](PyAdmin& self, const py::object& lifetime,
                                 const py::object& source, const py::object& name) {
           return created_to_py(CallBlocking(create(self, lifetime, source, name)));
         },
         py::arg("lifetime") = none, py::arg("source") = none, py::arg("name") = none)
      .def(
          "create_checkpoint_async",
          [create, created_to_py](PyAdmin& self, const py::object& lifetime,
                                  const py::object& source, const py::object& name) {
            return SpawnAsync(create(self, lifetime, source, name), created_to_py);
          },
          py::arg("lifetime") = none, py::arg("source") = none, py::arg("name") = none);
  auto list = [](PyAdmin& self, const py::object& name) {
    std::optional<std::string> filter = seed::OptionalStr(name, "name");
    std::shared_ptr<Admin> admin = self.admin;
    return [admin, filter] { return admin->ListCheckpoints(filter); };
  };
  cls.def(
         "list_checkpoints",
         [list](PyAdmin& self, const py::object& name) {
           return CheckpointListToPy(CallBlocking(list(self, name)));
         },
         py::arg("name") = none)
      .def(
          "list_checkpoints_async",
          [list](PyAdmin& self, const py::object& name) {
            return SpawnAsync(list(self, name), CheckpointListToPy);
          },
          py::arg("name") = none);
  auto refresh = [](PyAdmin& self, const py::object& id, const py::object& lifetime) {
    std::string raw = seed::Str(id, "id");
    std::optional<uint64_t> ms = OptionalMillis(lifetime, "lifetime");
    std::string cid = seed::Uuid(raw, "invalid checkpoint UUID");
    std::shared_ptr<Admin> admin = self.admin;
    return [admin, cid, ms] { return admin->RefreshCheckpoint(cid, ms); };
  };
  cls.def(
         "refresh_checkpoint",
         [refresh](PyAdmin& self, const py::object& id, const py::object& lifetime) {
           return StatusToNone(CallBlocking(refresh(self, id, lifetime)));
         },
         py::arg("id"), py::arg("lifetime") = none)
      .def(
          "refresh_checkpoint_async",
          [refresh](PyAdmin& self, const py::object& id, const py::object& lifetime) {
            return SpawnAsync(refresh(self, id, lifetime), StatusToUnit);
          },
          py::arg("id"), py::arg("lifetime") = none);
  auto remove = [](PyAdmin& self, const py::object& id) {
    std::string cid = CheckpointId(id, "id", "invalid checkpoint UUID");
    std::shared_ptr<Admin> admin = self.admin;
    return [admin, cid] { return admin->DeleteCheckpoint(cid); };
  };
  cls.def(
         "delete_checkpoint",
         [remove](PyAdmin& self, const py::object& id) {
           return StatusToNone(CallBlocking(remove(self, id)));
         },
         py::arg("id"))
      .def(
          "delete_checkpoint_async",
          [remove](PyAdmin& self, const py::object& id) {
            return SpawnAsync(remove(self, id), StatusToUnit);
          },
          py::arg("id"));

  // Sequence <-> time.
  auto ts_for_seq = [](PyAdmin& self, const py::object& seq, const py::object& round_up_arg) {
    uint64_t s = seed::U64(seq, "seq");
    bool round_up = seed::Bool(round_up_arg, "round_up");
    std::shared_ptr<Admin> admin = self.admin;
    return [admin, s, round_up] { return admin->GetTimestampForSequence(s, round_up); };
  };
  auto ts_to_py = [](Result<std::optional<int64_t>> r) {
    return OptionalIntToPy(Unwrap(std::move(r)));
  };
  cls.def(
         "get_timestamp_for_sequence",
         [ts_for_seq, ts_to_py](PyAdmin& self, const py::object& seq, const py::object& round_up) {
           return ts_to_py(CallBlocking(ts_for_seq(self, seq, round_up)));
         },
         py::arg("seq"), py::kw_only(), py::arg("round_up") = false)
      .def(
          "get_timestamp_for_sequence_async",
          [ts_for_seq, ts_to_py](PyAdmin& self, const py::object& seq, const py::object& round_up) {
            return SpawnAsync(ts_for_seq(self, seq, round_up), ts_to_py);
          },
          py::arg("seq"), py::kw_only(), py::arg("round_up") = false);
  auto seq_for_ts = [](PyAdmin& self, const py::object& ts, const py::object& round_up_arg) {
    int64_t t = seed::I64(ts, "ts_millis");
    bool round_up = seed::Bool(round_up_arg, "round_up");
    CheckTimestamp(t);
    std::shared_ptr<Admin> admin = self.admin;
    return [admin, t, round_up] { return admin->GetSequenceForTimestamp(t, round_up); };
  };
  auto seq_to_py = [](Result<std::optional<uint64_t>> r) {
    return OptionalUintToPy(Unwrap(std::move(r)));
  };
  cls.def(
         "get_sequence_for_timestamp",
         [seq_for_ts, seq_to_py](PyAdmin& self, const py::object& ts, const py::object& round_up) {
           return seq_to_py(CallBlocking(seq_for_ts(self, ts, round_up)));
         },
         py::arg("ts_millis"), py::kw_only(), py::arg("round_up") = false)
      .def(
          "get_sequence_for_timestamp_async",
          [seq_for_ts, seq_to_py](PyAdmin& self, const py::object& ts, const py::object& round_up) {
            return SpawnAsync(seq_for_ts(self, ts, round_up), seq_to_py);
          },
          py::arg("ts_millis"), py::kw_only(), py::arg("round_up") = false);

  // Clones (all failures: InvalidError). parent_path is already resolved to a path in this
  // Admin's store by the Python layer.
  auto clone = [](PyAdmin& self, const std::string& parent, const py::object& checkpoint) {
    std::optional<std::string> cp = seed::OptionalUuid(
        seed::OptionalStr(checkpoint, "parent_checkpoint"), "invalid parent_checkpoint UUID");
    std::shared_ptr<Admin> admin = self.admin;
    return [admin, parent, cp] { return admin->CreateClone(parent, cp); };
  };
  // Sync calls answer None, their async twins resolve to () (upstream's unit result).
  auto invalid_or_none = [](Status s) {
    ThrowIfFailedAs(ErrorKind::kInvalid, s);
    return py::object(py::none());
  };
  auto invalid_or_unit = [](Status s) {
    ThrowIfFailedAs(ErrorKind::kInvalid, s);
    return StatusToUnit(s);
  };
  cls.def("_create_clone",
          [clone, invalid_or_none](PyAdmin& self, const std::string& parent,
                                   const py::object& checkpoint) {
            return invalid_or_none(CallBlocking(clone(self, parent, checkpoint)));
          })
      .def("_create_clone_async", [clone, invalid_or_unit](PyAdmin& self, const std::string& parent,
                                                           const py::object& checkpoint) {
        return SpawnAsync(clone(self, parent, checkpoint), invalid_or_unit);
      });

  // Garbage collection.
  auto gc_once = [](PyAdmin& self, const AdminGcOptions& options) {
    std::shared_ptr<Admin> admin = self.admin;
    return [admin, options] { return admin->RunGcOnce(options); };
  };
  auto gc = [](PyAdmin& self, const AdminGcOptions& options) {
    std::shared_ptr<Admin> admin = self.admin;
    return [admin, options] { return admin->RunGc(options); };
  };
#define SLATEDB_GC_ARGS                                                                     \
  py::kw_only(), py::arg("manifest_interval") = none, py::arg("manifest_min_age") = none,   \
                 py::arg("wal_interval") = none, py::arg("wal_min_age") = none,             \
                 py::arg("compacted_interval") = none, py::arg("compacted_min_age") = none, \
                 py::arg("compactions_interval") = none, py::arg("compactions_min_age") = none
  using O = const py::object&;
  cls.def(
         "run_gc_once",
         [gc_once, invalid_or_none](PyAdmin& self, O mi, O ma, O wi, O wa, O ci, O ca, O ki, O ka) {
           AdminGcOptions o = GcOptions(mi, ma, wi, wa, ci, ca, ki, ka, false);
           return invalid_or_none(CallBlocking(gc_once(self, o)));
         },
         SLATEDB_GC_ARGS)
      .def(
          "run_gc_once_async",
          [gc_once, invalid_or_unit](PyAdmin& self, O mi, O ma, O wi, O wa, O ci, O ca, O ki,
                                     O ka) {
            AdminGcOptions o = GcOptions(mi, ma, wi, wa, ci, ca, ki, ka, false);
            return SpawnAsync(gc_once(self, o), invalid_or_unit);
          },
          SLATEDB_GC_ARGS)
      .def(
          "run_gc",
          [gc](PyAdmin& self, O mi, O ma, O wi, O wa, O ci, O ca, O ki, O ka) {
            AdminGcOptions o = GcOptions(mi, ma, wi, wa, ci, ca, ki, ka, true);
            return StatusToNone(CallBlocking(gc(self, o)));
          },
          SLATEDB_GC_ARGS)
      .def(
          "run_gc_async",
          [gc](PyAdmin& self, O mi, O ma, O wi, O wa, O ci, O ca, O ki, O ka) {
            AdminGcOptions o = GcOptions(mi, ma, wi, wa, ci, ca, ki, ka, true);
            return SpawnAsync(gc(self, o), StatusToUnit);
          },
          SLATEDB_GC_ARGS)
      .def("stop_gc", [](PyAdmin& self) { self.admin->StopGc(); });
#undef SLATEDB_GC_ARGS
}

}  // namespace slatedb::python
