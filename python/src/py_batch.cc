// SPDX-License-Identifier: Apache-2.0
//
// WriteBatch: operations queued in Python and applied atomically by SlateDB.write. Writing
// copies the batch, so the same batch can be written again.
#include "bindings.h"
#include "runtime.h"

namespace slatedb::python {

void RegisterWriteBatch(py::module_& m) {
  const auto none = py::none();
  py::class_<PyWriteBatch>(m, "WriteBatch")
      .def(py::init<>())
      .def("put",
           [](PyWriteBatch& self, const py::object& key, const py::object& value) {
             self.batch.Put(ToKey(key), ToBytes(value, "value"));
           },
           py::arg("key"), py::arg("value"))
      .def("put_with_options",
           [](PyWriteBatch& self, const py::object& key, const py::object& value,
              const py::object& ttl) {
             AddPutWithTtl(self.batch, ToKey(key), ToBytes(value, "value"), ttl);
           },
           py::arg("key"), py::arg("value"), py::kw_only(), py::arg("ttl") = none)
      .def("delete", [](PyWriteBatch& self, const py::object& key) { self.batch.Delete(ToKey(key)); },
           py::arg("key"))
      .def("merge",
           [](PyWriteBatch& self, const py::object& key, const py::object& value) {
             self.batch.Merge(ToKey(key), ToBytes(value, "value"));
           },
           py::arg("key"), py::arg("value"))
      .def("merge_with_options",
           [](PyWriteBatch& self, const py::object& key, const py::object& value,
              const py::object& ttl) {
             self.batch.Merge(ToKey(key), ToBytes(value, "value"), MakePutOptions(ttl));
           },
           py::arg("key"), py::arg("value"), py::kw_only(), py::arg("ttl") = none)
      .def("__repr__", [](const PyWriteBatch& self) {
        return "WriteBatch(" + std::to_string(self.batch.size()) + " operations)";
      });
}

}  // namespace slatedb::python
