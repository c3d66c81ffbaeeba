// SPDX-License-Identifier: Apache-2.0
//
// WriteBatch: operations queued in Python and applied atomically by SlateDB.write. Writing
// copies the batch, so the same batch can be written again.
#include "bindings.h"
#include "runtime.h"
#include "seed_args.h"

namespace slatedb::python {

namespace {

using Op = WriteBatch::OpType;

void Add(PyWriteBatch& self, Op type, const py::object& key, const py::object* value,
         const py::object* ttl) {
  std::string k = seed::Bytes(key, "key");
  std::string v = value != nullptr ? seed::Bytes(*value, "value") : std::string();
  seed::Ttl t = ttl != nullptr ? seed::OptionalU64(*ttl, "ttl") : seed::Ttl();
  seed::CheckNotEmpty(k);
  seed::AddWrite(self.batch, type, k, v, t);
}

}  // namespace

void RegisterWriteBatch(py::module_& m) {
  const auto none = py::none();
  py::class_<PyWriteBatch>(m, "WriteBatch")
      .def(py::init<>())
      .def(
          "put",
          [](PyWriteBatch& self, const py::object& key, const py::object& value) {
            Add(self, Op::kPut, key, &value, nullptr);
          },
          py::arg("key"), py::arg("value"))
      .def(
          "put_with_options",
          [](PyWriteBatch& self, const py::object& key, const py::object& value,
             const py::object& ttl) { Add(self, Op::kPut, key, &value, &ttl); },
          py::arg("key"), py::arg("value"), py::kw_only(), py::arg("ttl") = none)
      .def(
          "delete",
          [](PyWriteBatch& self, const py::object& key) {
            Add(self, Op::kDelete, key, nullptr, nullptr);
          },
          py::arg("key"))
      .def(
          "merge",
          [](PyWriteBatch& self, const py::object& key, const py::object& value) {
            Add(self, Op::kMerge, key, &value, nullptr);
          },
          py::arg("key"), py::arg("value"))
      .def(
          "merge_with_options",
          [](PyWriteBatch& self, const py::object& key, const py::object& value,
             const py::object& ttl) { Add(self, Op::kMerge, key, &value, &ttl); },
          py::arg("key"), py::arg("value"), py::kw_only(), py::arg("ttl") = none)
      .def("__repr__", [](const PyWriteBatch& self) {
        return "WriteBatch(" + std::to_string(self.batch.size()) + " operations)";
      });
}

}  // namespace slatedb::python
