// SPDX-License-Identifier: Apache-2.0
//
// CompactionSpec(sources, destination): each source is a dict with exactly one key,
// {"SortedRun": <u32>} or {"Sst": "<ULID>"}; anything else is InvalidError with the
// messages python-api.md §4.8 lists, raised by the constructor. Whether the spec as a whole
// makes sense (non-empty, no duplicates) is checked when it is submitted.
#include "py_compactions.h"

#include <pybind11/stl.h>

#include <cstdint>
#include <string>

#include "errors.h"

namespace slatedb::python {

namespace {

namespace py = pybind11;

CompactionSource SourceFromPy(const py::handle& item) {
  if (!py::isinstance<py::dict>(item)) {
    ThrowInvalid("compaction source must be a dict with a single key ('SortedRun' or 'Sst')");
  }
  py::dict d = py::reinterpret_borrow<py::dict>(item);
  if (d.size() != 1) {
    ThrowInvalid("compaction source dict must have exactly one key, got " +
                 std::to_string(d.size()));
  }
  auto [key, value] = *d.begin();
  if (!py::isinstance<py::str>(key)) ThrowInvalid("compaction source key must be a string");
  std::string name = py::str(key);
  if (name == "SortedRun") {
    // bool is an int subclass in Python but not a sorted-run id.
    if (!py::isinstance<py::int_>(value) || py::isinstance<py::bool_>(value)) {
      ThrowInvalid("SortedRun value must be an int");
    }
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(value.ptr(), &overflow);
    if (v == -1 && PyErr_Occurred()) throw py::error_already_set();
    if (overflow != 0 || v < 0 || v > static_cast<long long>(UINT32_MAX)) {
      ThrowInvalid("SortedRun value must be an int in the u32 range, got " +
                   std::string(py::str(value)));
    }
    return CompactionSource::SortedRun(static_cast<uint32_t>(v));
  }
  if (name == "Sst") {
    if (!py::isinstance<py::str>(value)) ThrowInvalid("Sst value must be a ULID string");
    std::string ulid = py::str(value);
    if (!IsUlidText(ulid)) ThrowInvalid("invalid SST ULID: " + ulid);
    return CompactionSource::Sst(std::move(ulid));
  }
  ThrowInvalid("compaction source key must be 'SortedRun' or 'Sst', got '" + name + "'");
}

}  // namespace

void RegisterCompactions(py::module_& m) {
  py::class_<PyCompactionSpec>(m, "CompactionSpec")
      .def(py::init([](const py::object& sources, uint32_t destination) {
             if (!py::isinstance<py::list>(sources) && !py::isinstance<py::tuple>(sources)) {
               ThrowInvalid("compaction sources must be a list of dicts");
             }
             PyCompactionSpec out;
             for (const py::handle& item : sources) out.spec.sources.push_back(SourceFromPy(item));
             out.spec.destination = destination;
             return out;
           }),
           py::arg("sources"), py::arg("destination"));

  // No constructor: only the two static factories, as upstream.
  py::class_<PyCompactionRequest>(m, "SlateDBCompactionRequest")
      .def_static("full", [] { return PyCompactionRequest{}; })
      .def_static("spec", [](const PyCompactionSpec& spec) {
        return PyCompactionRequest{spec.spec};
      }, py::arg("spec"));
}

}  // namespace slatedb::python
