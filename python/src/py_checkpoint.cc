// SPDX-License-Identifier: Apache-2.0
//
// Checkpoints from Python: SlateDB.create_checkpoint(+_async) and the dict shapes shared
// with SlateDBAdmin (python-api.md §4.1, §4.10): {"id", "manifest_id"} for a created
// checkpoint and {"id", "manifest_id", "expire_time", "create_time", "name"} for a listed one.
#include <pybind11/stl.h>

#include "bindings.h"
#include "py_checkpoint.h"
#include "runtime.h"
#include "seed_args.h"

namespace slatedb::python {

namespace {

CheckpointScope ParseScope(const std::string& value) {
  std::string text = seed::Lower(value);
  if (text == "all") return CheckpointScope::kAll;
  if (text == "durable") return CheckpointScope::kDurable;
  ThrowInvalid("invalid scope: " + text + " (expected 'all' or 'durable')");
}

CheckpointOptions MakeOptions(const py::object& scope, const py::object& lifetime,
                              const py::object& source, const py::object& name) {
  std::string scope_text = seed::Str(scope, "scope");
  CheckpointOptions options;
  options.lifetime_ms = OptionalMillis(lifetime, "lifetime");
  std::optional<std::string> source_text = seed::OptionalStr(source, "source");
  options.name = seed::OptionalStr(name, "name").value_or(std::string());
  options.scope = ParseScope(scope_text);
  options.source = seed::OptionalUuid(source_text, "invalid source UUID");
  return options;
}

std::shared_ptr<Db> OpenDb(PyDb& self) {
  if (!self.db) ThrowClosed("database is not open");
  return self.db;
}

}  // namespace

std::optional<uint64_t> OptionalMillis(const py::object& value, const char* name) {
  return seed::OptionalU64(value, name);
}

py::object CheckpointCreatedToPy(const CheckpointCreateResult& created) {
  py::dict d;
  d["id"] = created.id;
  d["manifest_id"] = created.manifest_id;
  return std::move(d);
}

py::object CheckpointInfoToPy(const CheckpointInfo& info) {
  py::dict d;
  d["id"] = info.id;
  d["manifest_id"] = info.manifest_id;
  d["expire_time"] = info.expire_time_ms ? py::object(py::int_(*info.expire_time_ms)) : py::none();
  d["create_time"] = info.create_time_ms;
  d["name"] = info.name.empty() ? py::object(py::none()) : py::object(py::str(info.name));
  return std::move(d);
}

void DefineCheckpointMethods(py::class_<PyDb>& cls) {
  const auto none = py::none();
  cls.def(
         "create_checkpoint",
         [](PyDb& self, const py::object& scope, const py::object& lifetime,
            const py::object& source, const py::object& name) {
           CheckpointOptions options = MakeOptions(scope, lifetime, source, name);
           std::shared_ptr<Db> db = OpenDb(self);
           return CheckpointCreatedToPy(
               Unwrap(CallBlocking([&] { return db->CreateCheckpoint(options); })));
         },
         py::arg("scope") = "all", py::kw_only(), py::arg("lifetime") = none,
         py::arg("source") = none, py::arg("name") = none)
      .def(
          "create_checkpoint_async",
          [](PyDb& self, const py::object& scope, const py::object& lifetime,
             const py::object& source, const py::object& name) {
            CheckpointOptions options = MakeOptions(scope, lifetime, source, name);
            std::shared_ptr<Db> db = OpenDb(self);
            return SpawnAsync([&] { return db->CreateCheckpoint(options); },
                              [](Result<CheckpointCreateResult> r) {
                                return CheckpointCreatedToPy(Unwrap(std::move(r)));
                              });
          },
          py::arg("scope") = "all", py::kw_only(), py::arg("lifetime") = none,
          py::arg("source") = none, py::arg("name") = none);
}

}  // namespace slatedb::python
