// SPDX-License-Identifier: Apache-2.0
//
// SlateDBSnapshot: reads of a fixed point in time. Closing it releases the engine snapshot
// (so flushes may drop the versions it kept); later calls raise ClosedError.
#include "bindings.h"
#include "runtime.h"

namespace slatedb::python {

namespace {

Snapshot& Open(PySnapshot& self) {
  if (!self.snapshot) ThrowClosed("snapshot is closed");
  return *self.snapshot;
}

py::object ValueToPy(Result<std::optional<std::string>> r) {
  if (!r.ok()) ThrowStatus(r.status());
  if (!r->has_value()) return py::none();
  return ToPy(**r);
}

py::object Scan(PySnapshot& self, const std::string& lo, const std::string& hi,
                const ReadOptions& options) {
  Snapshot& snap = Open(self);
  auto it = Unwrap(CallBlocking([&] { return snap.Scan(lo, hi, options); }));
  return NewIterator(std::move(it), self.db, self.has_merge_operator);
}

py::object ScanAsync(PySnapshot& self, std::string lo, std::string hi, ReadOptions options) {
  Snapshot& snap = Open(self);
  std::shared_ptr<Db> db = self.db;
  bool merge = self.has_merge_operator;
  return SpawnAsync([&] { return snap.Scan(lo, hi, options); },
                    [db, merge](Result<std::unique_ptr<DbIterator>> r) {
                      return NewIterator(Unwrap(std::move(r)), db, merge);
                    });
}

py::object Resolved(py::object value) {
  FuturePtr pending = NewFuture();
  pending->future.attr("set_result")(value);
  return pending->future;
}

}  // namespace

void RegisterSnapshot(py::module_& m) {
  const auto none = py::none();
  auto ro = [](const py::object& d, const py::object& dirty) { return MakeReadOptions(d, dirty); };
  py::class_<PySnapshot>(m, "SlateDBSnapshot")
      .def("get",
           [](PySnapshot& self, const py::object& key) {
             std::string k = ToKey(key);
             Snapshot& snap = Open(self);
             return ValueToPy(CallBlocking([&] { return snap.Get(k); }));
           },
           py::arg("key"))
      .def("get_async",
           [](PySnapshot& self, const py::object& key) {
             std::string k = ToKey(key);
             Snapshot& snap = Open(self);
             return SpawnAsync([&] { return snap.Get(k); }, [](Result<std::optional<std::string>> r) {
               return ValueToPy(std::move(r));
             });
           },
           py::arg("key"))
      .def("scan",
           [](PySnapshot& self, const py::object& start, const py::object& end) {
             std::string lo, hi;
             ScanBounds(start, end, &lo, &hi);
             return Scan(self, lo, hi, ReadOptions());
           },
           py::arg("start"), py::arg("end") = none)
      .def("scan_async",
           [](PySnapshot& self, const py::object& start, const py::object& end) {
             std::string lo, hi;
             ScanBounds(start, end, &lo, &hi);
             return ScanAsync(self, lo, hi, ReadOptions());
           },
           py::arg("start"), py::arg("end") = none)
      .def("scan_with_options",
           [ro](PySnapshot& self, const py::object& start, const py::object& end,
                const py::object& durability_filter, const py::object& dirty, const py::object&,
                const py::object&, const py::object&) {
             std::string lo, hi;
             ScanBounds(start, end, &lo, &hi);
             return Scan(self, lo, hi, ro(durability_filter, dirty));
           },
           py::arg("start"), py::arg("end") = none, py::kw_only(),
           py::arg("durability_filter") = none, py::arg("dirty") = none,
           py::arg("read_ahead_bytes") = none, py::arg("cache_blocks") = none,
           py::arg("max_fetch_tasks") = none)
      .def("scan_with_options_async",
           [ro](PySnapshot& self, const py::object& start, const py::object& end,
                const py::object& durability_filter, const py::object& dirty, const py::object&,
                const py::object&, const py::object&) {
             std::string lo, hi;
             ScanBounds(start, end, &lo, &hi);
             return ScanAsync(self, lo, hi, ro(durability_filter, dirty));
           },
           py::arg("start"), py::arg("end") = none, py::kw_only(),
           py::arg("durability_filter") = none, py::arg("dirty") = none,
           py::arg("read_ahead_bytes") = none, py::arg("cache_blocks") = none,
           py::arg("max_fetch_tasks") = none)
      .def("scan_prefix",
           [](PySnapshot& self, const py::object& prefix) {
             std::string lo, hi;
             PrefixBounds(prefix, &lo, &hi);
             return Scan(self, lo, hi, ReadOptions());
           },
           py::arg("prefix"))
      .def("scan_prefix_async",
           [](PySnapshot& self, const py::object& prefix) {
             std::string lo, hi;
             PrefixBounds(prefix, &lo, &hi);
             return ScanAsync(self, lo, hi, ReadOptions());
           },
           py::arg("prefix"))
      .def("scan_prefix_with_options",
           [ro](PySnapshot& self, const py::object& prefix, const py::object& durability_filter,
                const py::object& dirty, const py::object&, const py::object&,
                const py::object&) {
             std::string lo, hi;
             PrefixBounds(prefix, &lo, &hi);
             return Scan(self, lo, hi, ro(durability_filter, dirty));
           },
           py::arg("prefix"), py::kw_only(), py::arg("durability_filter") = none,
           py::arg("dirty") = none, py::arg("read_ahead_bytes") = none,
           py::arg("cache_blocks") = none, py::arg("max_fetch_tasks") = none)
      .def("scan_prefix_with_options_async",
           [ro](PySnapshot& self, const py::object& prefix, const py::object& durability_filter,
                const py::object& dirty, const py::object&, const py::object&,
                const py::object&) {
             std::string lo, hi;
             PrefixBounds(prefix, &lo, &hi);
             return ScanAsync(self, lo, hi, ro(durability_filter, dirty));
           },
           py::arg("prefix"), py::kw_only(), py::arg("durability_filter") = none,
           py::arg("dirty") = none, py::arg("read_ahead_bytes") = none,
           py::arg("cache_blocks") = none, py::arg("max_fetch_tasks") = none)
      .def("close", [](PySnapshot& self) { self.snapshot.reset(); })
      .def("close_async", [](PySnapshot& self) {
        self.snapshot.reset();
        return Resolved(py::none());
      });
}

}  // namespace slatedb::python
