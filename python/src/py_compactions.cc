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
#include <vector>

#include "errors.h"
#include "seed_args.h"

namespace slatedb::python {

namespace {

namespace py = pybind11;

CompactionSource SourceFromPy(const py::handle& item) {
  if (!py::isinstance<py::dict>(item)) {
    ThrowInvalid("compaction source must be a dict with a single key");
  }
  py::dict d = py::reinterpret_borrow<py::dict>(item);
  if (d.size() != 1) ThrowInvalid("compaction source dict must have exactly one key");
  auto [key, value] = *d.begin();
  if (!py::isinstance<py::str>(key)) ThrowInvalid("compaction source key must be a string");
  std::string name = py::str(key);
  if (name == "SortedRun") {
    // Any int (bool included, as upstream) that fits a u32.
    if (!py::isinstance<py::int_>(value)) {
      ThrowInvalid("compaction source SortedRun value must be an int");
    }
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(value.ptr(), &overflow);
    if (v == -1 && PyErr_Occurred()) throw py::error_already_set();
    if (overflow != 0 || v < 0 || v > static_cast<long long>(UINT32_MAX)) {
      ThrowInvalid("compaction source SortedRun value must be an int");
    }
    return CompactionSource::SortedRun(static_cast<uint32_t>(v));
  }
  if (name == "Sst") {
    if (!py::isinstance<py::str>(value)) {
      ThrowInvalid("compaction source Sst value must be a ULID string");
    }
    return CompactionSource::Sst(seed::Ulid(py::str(value), "invalid SST ULID"));
  }
  ThrowInvalid("compaction source key must be 'SortedRun' or 'Sst'");
}

}  // namespace

void RegisterCompactions(py::module_& m) {
  py::class_<PyCompactionSpec>(m, "CompactionSpec")
      .def(py::init([](const py::object& sources, const py::object& destination) {
             // A sequence of items, as upstream extracts a list (str refused).
             if (PyUnicode_Check(sources.ptr())) {
               throw py::type_error("argument 'sources': Can't extract `str` to `Vec`");
             }
             if (!PySequence_Check(sources.ptr())) {
               seed::ThrowCannotConvert(sources, "sources", "Sequence");
             }
             std::vector<py::object> items;
             for (const py::handle& item : sources) {
               items.push_back(py::reinterpret_borrow<py::object>(item));
             }
             uint32_t dest = seed::U32(destination, "destination");
             PyCompactionSpec out;
             for (const py::object& item : items) out.spec.sources.push_back(SourceFromPy(item));
             out.spec.destination = dest;
             return out;
           }),
           py::arg("sources"), py::arg("destination"));

  // No constructor: only the two static factories, as upstream.
  py::class_<PyCompactionRequest>(m, "SlateDBCompactionRequest")
      .def_static("full", [] { return PyCompactionRequest{}; })
      .def_static(
          "spec",
          [](const py::object& spec) {
            return PyCompactionRequest{
                seed::Instance<PyCompactionSpec>(spec, "spec", "CompactionSpec").spec};
          },
          py::arg("spec"));
}

}  // namespace slatedb::python
