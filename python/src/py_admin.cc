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

namespace slatedb::python {

namespace {

bool IsUuid(const std::string& text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (dash ? c != '-' : !hex) return false;
  }
  return true;
}

std::string CheckUuid(const py::object& value, const char* what) {
  std::string text = py::str(value);
  if (!py::isinstance<py::str>(value) || !IsUuid(text)) {
    ThrowInvalid(std::string("invalid ") + what + ": " + text);
  }
  return text;
}

std::optional<std::string> OptionalUuid(const py::object& value, const char* what) {
  if (value.is_none()) return std::nullopt;
  return CheckUuid(value, what);
}

// Upstream's admin quirk: the failure's kind is replaced, its message kept.
Status AsInvalid(const Status& s) { return s.ok() ? s : Status::Invalid(s.message()); }
Status AsUnavailable(const Status& s) { return s.ok() ? s : Status::Unavailable(s.message()); }

GcDirectoryOptions Dir(const py::object& interval, const py::object& min_age) {
  GcDirectoryOptions d;
  d.interval_ms = OptionalMillis(interval);
  d.min_age_ms = OptionalMillis(min_age);
  return d;
}

// The compactions options are also checked here so that the async twins raise at call time.
AdminGcOptions GcOptions(const py::object& mi, const py::object& ma, const py::object& wi,
                         const py::object& wa, const py::object& ci, const py::object& ca,
                         const py::object& ki, const py::object& ka, bool scheduled) {
  AdminGcOptions o;
  o.manifest = Dir(mi, ma);
  o.wal = Dir(wi, wa);
  o.compacted = Dir(ci, ca);
  o.compactions = Dir(ki, ka);
  if (!scheduled && o.compactions.interval_ms && !o.compactions.min_age_ms) {
    ThrowInvalid("gc opts: 'min_age' is required when specifying interval");
  }
  if (scheduled && o.compactions.min_age_ms && !o.compactions.interval_ms) {
    ThrowInvalid("gc opts: 'interval' is required when scheduling background GC");
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
  if (!r.ok()) ThrowStatus(AsInvalid(r.status()));
  return *r ? py::object(py::str(**r)) : py::object(py::none());
}

py::object CheckpointListToPy(Result<std::vector<CheckpointInfo>> r) {
  if (!r.ok()) ThrowStatus(AsUnavailable(r.status()));
  py::list out;
  for (const CheckpointInfo& info : *r) out.append(CheckpointInfoToPy(info));
  return std::move(out);
}

int64_t TimestampArg(const py::object& value) {
  int overflow = 0;
  long long v = PyLong_AsLongLongAndOverflow(value.ptr(), &overflow);
  if (v == -1 && PyErr_Occurred()) throw py::error_already_set();
  if (overflow != 0) ThrowInvalid("timestamp out of range: " + std::string(py::str(value)));
  return static_cast<int64_t>(v);
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
    std::optional<uint64_t> mid;
    if (!id.is_none()) mid = id.cast<uint64_t>();
    std::shared_ptr<Admin> admin = self.admin;
    return [admin, mid] { return admin->ReadManifest(mid); };
  };
  cls.def("read_manifest",
          [read_manifest](PyAdmin& self, const py::object& id) {
            return ManifestToPy(CallBlocking(read_manifest(self, id)));
          },
          py::arg("id") = none)
      .def("read_manifest_async",
           [read_manifest](PyAdmin& self, const py::object& id) {
             return SpawnAsync(read_manifest(self, id), ManifestToPy);
           },
           py::arg("id") = none);
  auto list_manifests = [](PyAdmin& self, const py::object& start, const py::object& end) {
    std::optional<uint64_t> lo, hi;
    if (!start.is_none()) lo = start.cast<uint64_t>();
    if (!end.is_none()) hi = end.cast<uint64_t>();
    std::shared_ptr<Admin> admin = self.admin;
    return [admin, lo, hi] { return admin->ListManifests(lo, hi); };
  };
  auto manifests_to_py = [](Result<std::string> r) {
    if (!r.ok()) ThrowStatus(AsInvalid(r.status()));
    return py::object(py::str(*r));
  };
  cls.def("list_manifests",
          [list_manifests, manifests_to_py](PyAdmin& self, const py::object& start,
                                            const py::object& end) {
            return manifests_to_py(CallBlocking(list_manifests(self, start, end)));
          },
          py::arg("start") = none, py::arg("end") = none)
      .def("list_manifests_async",
           [list_manifests, manifests_to_py](PyAdmin& self, const py::object& start,
                                             const py::object& end) {
             return SpawnAsync(list_manifests(self, start, end), manifests_to_py);
           },
           py::arg("start") = none, py::arg("end") = none);

  // Compaction requests (all failures: InvalidError; ULIDs checked at call time).
  auto optional_id = [](const py::object& v) {
    return v.is_none() ? std::optional<uint64_t>() : std::optional<uint64_t>(v.cast<uint64_t>());
  };
  auto read_compactions = [optional_id](PyAdmin& self, const py::object& id) {
    std::optional<uint64_t> cid = optional_id(id);
    std::shared_ptr<Admin> admin = self.admin;
    return [admin, cid] { return admin->ReadCompactions(cid); };
  };
  cls.def("read_compactions",
          [read_compactions](PyAdmin& self, const py::object& id) {
            return ManifestToPy(CallBlocking(read_compactions(self, id)));
          },
          py::arg("id") = none)
      .def("read_compactions_async",
           [read_compactions](PyAdmin& self, const py::object& id) {
             return SpawnAsync(read_compactions(self, id), ManifestToPy);
           },
           py::arg("id") = none);
  auto list_compactions = [optional_id](PyAdmin& self, const py::object& start,
                                        const py::object& end) {
    std::optional<uint64_t> lo = optional_id(start), hi = optional_id(end);
    std::shared_ptr<Admin> admin = self.admin;
    return [admin, lo, hi] { return admin->ListCompactions(lo, hi); };
  };
  cls.def("list_compactions",
          [list_compactions, manifests_to_py](PyAdmin& self, const py::object& start,
                                              const py::object& end) {
            return manifests_to_py(CallBlocking(list_compactions(self, start, end)));
          },
          py::arg("start") = none, py::arg("end") = none)
      .def("list_compactions_async",
           [list_compactions, manifests_to_py](PyAdmin& self, const py::object& start,
                                               const py::object& end) {
             return SpawnAsync(list_compactions(self, start, end), manifests_to_py);
           },
           py::arg("start") = none, py::arg("end") = none);
  auto read_compaction = [optional_id](PyAdmin& self, const py::object& id,
                                       const py::object& compactions_id) {
    std::string text = py::str(id);
    if (!py::isinstance<py::str>(id) || !IsUlidText(text)) {
      ThrowInvalid("invalid compaction ULID: " + text);
    }
    std::optional<uint64_t> cid = optional_id(compactions_id);
    std::shared_ptr<Admin> admin = self.admin;
    return [admin, text, cid] { return admin->ReadCompaction(text, cid); };
  };
  cls.def("read_compaction",
          [read_compaction](PyAdmin& self, const py::object& id, const py::object& cid) {
            return ManifestToPy(CallBlocking(read_compaction(self, id, cid)));
          },
          py::arg("id"), py::arg("compactions_id") = none)
      .def("read_compaction_async",
           [read_compaction](PyAdmin& self, const py::object& id, const py::object& cid) {
             return SpawnAsync(read_compaction(self, id, cid), ManifestToPy);
           },
           py::arg("id"), py::arg("compactions_id") = none);
  auto submit_compaction = [](PyAdmin& self, const PyCompactionSpec& spec) {
    std::shared_ptr<Admin> admin = self.admin;
    CompactionRequestSpec copy = spec.spec;
    return [admin, copy] { return admin->SubmitCompaction(copy); };
  };
  cls.def("submit_compaction",
          [submit_compaction, manifests_to_py](PyAdmin& self, const PyCompactionSpec& spec) {
            return manifests_to_py(CallBlocking(submit_compaction(self, spec)));
          },
          py::arg("spec"))
      .def("submit_compaction_async",
           [submit_compaction, manifests_to_py](PyAdmin& self, const PyCompactionSpec& spec) {
             return SpawnAsync(submit_compaction(self, spec), manifests_to_py);
           },
           py::arg("spec"));

  // Checkpoints (normal kind mapping, except list_checkpoints: UnavailableError).
  auto create = [](PyAdmin& self, const py::object& lifetime, const py::object& source,
                   const py::object& name) {
    CheckpointOptions options;
    options.lifetime_ms = OptionalMillis(lifetime);
    options.source = OptionalUuid(source, "source UUID");
    if (!name.is_none()) options.name = name.cast<std::string>();
    std::shared_ptr<Admin> admin = self.admin;
    return [admin, options] { return admin->CreateCheckpoint(options); };
  };
  auto created_to_py = [](Result<CheckpointCreateResult> r) {
    return CheckpointCreatedToPy(Unwrap(std::move(r)));
  };
  cls.def("create_checkpoint",
          [create, created_to_py](PyAdmin& self, const py::object& lifetime,
                                  const py::object& source, const py::object& name) {
            return created_to_py(CallBlocking(create(self, lifetime, source, name)));
          },
          py::arg("lifetime") = none, py::arg("source") = none, py::arg("name") = none)
      .def("create_checkpoint_async",
           [create, created_to_py](PyAdmin& self, const py::object& lifetime,
                                   const py::object& source, const py::object& name) {
             return SpawnAsync(create(self, lifetime, source, name), created_to_py);
           },
           py::arg("lifetime") = none, py::arg("source") = none, py::arg("name") = none);
  auto list = [](PyAdmin& self, const py::object& name) {
    std::optional<std::string> filter;
    if (!name.is_none()) filter = name.cast<std::string>();
    std::shared_ptr<Admin> admin = self.admin;
    return [admin, filter] { return admin->ListCheckpoints(filter); };
  };
  cls.def("list_checkpoints",
          [list](PyAdmin& self, const py::object& name) {
            return CheckpointListToPy(CallBlocking(list(self, name)));
          },
          py::arg("name") = none)
      .def("list_checkpoints_async",
           [list](PyAdmin& self, const py::object& name) {
             return SpawnAsync(list(self, name), CheckpointListToPy);
           },
           py::arg("name") = none);
  auto refresh = [](PyAdmin& self, const py::object& id, const py::object& lifetime) {
    std::string cid = CheckUuid(id, "checkpoint UUID");
    std::optional<uint64_t> ms = OptionalMillis(lifetime);
    std::shared_ptr<Admin> admin = self.admin;
    return [admin, cid, ms] { return admin->RefreshCheckpoint(cid, ms); };
  };
  cls.def("refresh_checkpoint",
          [refresh](PyAdmin& self, const py::object& id, const py::object& lifetime) {
            return StatusToNone(CallBlocking(refresh(self, id, lifetime)));
          },
          py::arg("id"), py::arg("lifetime") = none)
      .def("refresh_checkpoint_async",
           [refresh](PyAdmin& self, const py::object& id, const py::object& lifetime) {
             return SpawnAsync(refresh(self, id, lifetime), StatusToNone);
           },
           py::arg("id"), py::arg("lifetime") = none);
  auto remove = [](PyAdmin& self, const py::object& id) {
    std::string cid = CheckUuid(id, "checkpoint UUID");
    std::shared_ptr<Admin> admin = self.admin;
    return [admin, cid] { return admin->DeleteCheckpoint(cid); };
  };
  cls.def("delete_checkpoint",
          [remove](PyAdmin& self, const py::object& id) {
            return StatusToNone(CallBlocking(remove(self, id)));
          },
          py::arg("id"))
      .def("delete_checkpoint_async",
           [remove](PyAdmin& self, const py::object& id) {
             return SpawnAsync(remove(self, id), StatusToNone);
           },
           py::arg("id"));

  // Sequence <-> time.
  auto ts_for_seq = [](PyAdmin& self, const py::object& seq, bool round_up) {
    uint64_t s = seq.cast<uint64_t>();
    std::shared_ptr<Admin> admin = self.admin;
    return [admin, s, round_up] { return admin->GetTimestampForSequence(s, round_up); };
  };
  auto ts_to_py = [](Result<std::optional<int64_t>> r) { return OptionalIntToPy(Unwrap(std::move(r))); };
  cls.def("get_timestamp_for_sequence",
          [ts_for_seq, ts_to_py](PyAdmin& self, const py::object& seq, bool round_up) {
            return ts_to_py(CallBlocking(ts_for_seq(self, seq, round_up)));
          },
          py::arg("seq"), py::kw_only(), py::arg("round_up") = false)
      .def("get_timestamp_for_sequence_async",
           [ts_for_seq, ts_to_py](PyAdmin& self, const py::object& seq, bool round_up) {
             return SpawnAsync(ts_for_seq(self, seq, round_up), ts_to_py);
           },
           py::arg("seq"), py::kw_only(), py::arg("round_up") = false);
  auto seq_for_ts = [](PyAdmin& self, const py::object& ts, bool round_up) {
    int64_t t = TimestampArg(ts);
    std::shared_ptr<Admin> admin = self.admin;
    return [admin, t, round_up] { return admin->GetSequenceForTimestamp(t, round_up); };
  };
  auto seq_to_py = [](Result<std::optional<uint64_t>> r) {
    return OptionalUintToPy(Unwrap(std::move(r)));
  };
  cls.def("get_sequence_for_timestamp",
          [seq_for_ts, seq_to_py](PyAdmin& self, const py::object& ts, bool round_up) {
            return seq_to_py(CallBlocking(seq_for_ts(self, ts, round_up)));
          },
          py::arg("ts_millis"), py::kw_only(), py::arg("round_up") = false)
      .def("get_sequence_for_timestamp_async",
           [seq_for_ts, seq_to_py](PyAdmin& self, const py::object& ts, bool round_up) {
             return SpawnAsync(seq_for_ts(self, ts, round_up), seq_to_py);
           },
           py::arg("ts_millis"), py::kw_only(), py::arg("round_up") = false);

  // Clones (all failures: InvalidError). parent_path is already resolved to a path in this
  // Admin's store by the Python layer.
  auto clone = [](PyAdmin& self, const std::string& parent, const py::object& checkpoint) {
    std::optional<std::string> cp = OptionalUuid(checkpoint, "parent_checkpoint UUID");
    std::shared_ptr<Admin> admin = self.admin;
    return [admin, parent, cp] { return admin->CreateClone(parent, cp); };
  };
  auto invalid_or_none = [](Status s) { return StatusToNone(AsInvalid(s)); };
  cls.def("_create_clone",
          [clone, invalid_or_none](PyAdmin& self, const std::string& parent,
                                   const py::object& checkpoint) {
            return invalid_or_none(CallBlocking(clone(self, parent, checkpoint)));
          })
      .def("_create_clone_async",
           [clone, invalid_or_none](PyAdmin& self, const std::string& parent,
                                    const py::object& checkpoint) {
             return SpawnAsync(clone(self, parent, checkpoint), invalid_or_none);
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
#define SLATEDB_GC_ARGS                                                                  \
  py::kw_only(), py::arg("manifest_interval") = none, py::arg("manifest_min_age") = none, \
      py::arg("wal_interval") = none, py::arg("wal_min_age") = none,                      \
      py::arg("compacted_interval") = none, py::arg("compacted_min_age") = none,          \
      py::arg("compactions_interval") = none, py::arg("compactions_min_age") = none
  using O = const py::object&;
  cls.def("run_gc_once",
          [gc_once, invalid_or_none](PyAdmin& self, O mi, O ma, O wi, O wa, O ci, O ca, O ki,
                                     O ka) {
            AdminGcOptions o = GcOptions(mi, ma, wi, wa, ci, ca, ki, ka, false);
            return invalid_or_none(CallBlocking(gc_once(self, o)));
          },
          SLATEDB_GC_ARGS)
      .def("run_gc_once_async",
           [gc_once, invalid_or_none](PyAdmin& self, O mi, O ma, O wi, O wa, O ci, O ca, O ki,
                                      O ka) {
             AdminGcOptions o = GcOptions(mi, ma, wi, wa, ci, ca, ki, ka, false);
             return SpawnAsync(gc_once(self, o), invalid_or_none);
           },
           SLATEDB_GC_ARGS)
      .def("run_gc",
           [gc](PyAdmin& self, O mi, O ma, O wi, O wa, O ci, O ca, O ki, O ka) {
             AdminGcOptions o = GcOptions(mi, ma, wi, wa, ci, ca, ki, ka, true);
             return StatusToNone(CallBlocking(gc(self, o)));
           },
           SLATEDB_GC_ARGS)
      .def("run_gc_async",
           [gc](PyAdmin& self, O mi, O ma, O wi, O wa, O ci, O ca, O ki, O ka) {
             AdminGcOptions o = GcOptions(mi, ma, wi, wa, ci, ca, ki, ka, true);
             return SpawnAsync(gc(self, o), StatusToNone);
           },
           SLATEDB_GC_ARGS)
      .def("stop_gc", [](PyAdmin& self) { self.admin->StopGc(); });
#undef SLATEDB_GC_ARGS
}

}  // namespace slatedb::python
