// SPDX-License-Identifier: Apache-2.0
//
// The eight scan methods (scan, scan_with_options, scan_prefix, scan_prefix_with_options,
// each with an _async twin) that SlateDB and SlateDBSnapshot share. `Self` has members `db`
// and `has_merge_operator`; `open_scan(self, lo, hi, options)` returns the core's scan Task
// (raising ClosedError first if `self` is closed). It is called with the GIL held, so it
// may raise and read `self` safely; the Task then runs with the GIL released.
#pragma once

#include "bindings.h"
#include "runtime.h"
#include "seed_args.h"

namespace slatedb::python {

template <typename Self, typename OpenScan>
void DefineScanMethods(py::class_<Self>& cls, OpenScan open_scan) {
  auto scan = [open_scan](Self& self, const std::string& lo, const std::string& hi,
                          const ReadOptions& options) {
    auto task = open_scan(self, lo, hi, options);
    auto it = Unwrap(CallBlocking([&] { return std::move(task); }));
    return NewIterator(std::move(it), self.db, self.has_merge_operator);
  };
  auto scan_async = [open_scan](Self& self, const std::string& lo, const std::string& hi,
                                const ReadOptions& options) {
    std::shared_ptr<Db> db = self.db;
    bool merge = self.has_merge_operator;
    auto task = open_scan(self, lo, hi, options);
    return SpawnAsync([&] { return std::move(task); },
                      [db, merge](Result<std::unique_ptr<DbIterator>> r) {
                        return NewIterator(Unwrap(std::move(r)), db, merge);
                      });
  };
  // `run` is scan or scan_async; the wrappers differ only in how bounds and options are read.
  // Arguments are converted first, then the start is checked, then the options.
  auto range = [](auto run) {
    return [run](Self& self, const py::object& start, const py::object& end) {
      std::string lo = seed::Bytes(start, "start");
      std::optional<std::string> hi = seed::OptionalBytes(end, "end");
      return run(self, lo, ScanEnd(lo, hi), ReadOptions());
    };
  };
  auto range_with_options = [](auto run) {
    return [run](Self& self, const py::object& start, const py::object& end,
                 const py::object& durability_filter, const py::object& dirty,
                 const py::object& read_ahead_bytes, const py::object& cache_blocks,
                 const py::object& max_fetch_tasks) {
      std::string lo = seed::Bytes(start, "start");
      std::optional<std::string> hi = seed::OptionalBytes(end, "end");
      seed::ReadArgs args = seed::ConvertScanArgs(durability_filter, dirty, read_ahead_bytes,
                                                  cache_blocks, max_fetch_tasks);
      std::string bound = ScanEnd(lo, hi);
      return run(self, lo, bound, seed::ReadOptionsOf(args));
    };
  };
  auto prefix = [](auto run) {
    return [run](Self& self, const py::object& p) {
      std::string lo = seed::Bytes(p, "prefix");
      return run(self, lo, PrefixEnd(lo), ReadOptions());
    };
  };
  auto prefix_with_options = [](auto run) {
    return [run](Self& self, const py::object& p, const py::object& durability_filter,
                 const py::object& dirty, const py::object& read_ahead_bytes,
                 const py::object& cache_blocks, const py::object& max_fetch_tasks) {
      std::string lo = seed::Bytes(p, "prefix");
      seed::ReadArgs args = seed::ConvertScanArgs(durability_filter, dirty, read_ahead_bytes,
                                                  cache_blocks, max_fetch_tasks);
      return run(self, lo, PrefixEnd(lo), seed::ReadOptionsOf(args));
    };
  };
  const auto none = py::none();
  cls.def("scan", range(scan), py::arg("start"), py::arg("end") = none)
      .def("scan_async", range(scan_async), py::arg("start"), py::arg("end") = none)
      .def("scan_with_options", range_with_options(scan), py::arg("start"), py::arg("end") = none,
           py::kw_only(), py::arg("durability_filter") = none, py::arg("dirty") = none,
           py::arg("read_ahead_bytes") = none, py::arg("cache_blocks") = none,
           py::arg("max_fetch_tasks") = none)
      .def("scan_with_options_async", range_with_options(scan_async), py::arg("start"),
           py::arg("end") = none, py::kw_only(), py::arg("durability_filter") = none,
           py::arg("dirty") = none, py::arg("read_ahead_bytes") = none,
           py::arg("cache_blocks") = none, py::arg("max_fetch_tasks") = none)
      .def("scan_prefix", prefix(scan), py::arg("prefix"))
      .def("scan_prefix_async", prefix(scan_async), py::arg("prefix"))
      .def("scan_prefix_with_options", prefix_with_options(scan), py::arg("prefix"), py::kw_only(),
           py::arg("durability_filter") = none, py::arg("dirty") = none,
           py::arg("read_ahead_bytes") = none, py::arg("cache_blocks") = none,
           py::arg("max_fetch_tasks") = none)
      .def("scan_prefix_with_options_async", prefix_with_options(scan_async), py::arg("prefix"),
           py::kw_only(), py::arg("durability_filter") = none, py::arg("dirty") = none,
           py::arg("read_ahead_bytes") = none, py::arg("cache_blocks") = none,
           py::arg("max_fetch_tasks") = none);
}

}  // namespace slatedb::python
