// SPDX-License-Identifier: Apache-2.0
//
// SlateDBSnapshot: reads of a fixed point in time. Closing it releases the engine snapshot
// (so flushes may drop the versions it kept); later calls raise ClosedError.
#include "bindings.h"
#include "get_many_methods.h"
#include "runtime.h"
#include "scan_methods.h"
#include "seed_args.h"

namespace slatedb::python {

namespace {

Snapshot& Open(PySnapshot& self) {
  if (!self.snapshot) ThrowClosed("snapshot is closed");
  return *self.snapshot;
}

py::object Resolved(py::object value) {
  FuturePtr pending = NewFuture();
  pending->future.attr("set_result")(value);
  return pending->future;
}

}  // namespace

void RegisterSnapshot(py::module_& m) {
  py::class_<PySnapshot> snapshot_class(m, "SlateDBSnapshot");
  snapshot_class
      .def(
          "get",
          [](PySnapshot& self, const py::object& key) {
            std::string k = seed::Bytes(key, "key");
            seed::CheckNotEmpty(k);
            Snapshot& snap = Open(self);
            return ValueToPy(CallBlocking([&] { return snap.Get(k); }));
          },
          py::arg("key"))
      .def(
          "get_async",
          [](PySnapshot& self, const py::object& key) {
            std::string k = seed::Bytes(key, "key");
            seed::CheckNotEmpty(k);
            Snapshot& snap = Open(self);
            return SpawnAsync([&] { return snap.Get(k); },
                              [](Result<std::optional<std::string>> r) { return ValueToPy(r); });
          },
          py::arg("key"))
      .def("close", [](PySnapshot& self) { self.snapshot.reset(); })
      .def("close_async", [](PySnapshot& self) {
        self.snapshot.reset();
        return Resolved(py::tuple());  // upstream's unit result
      });
  DefineGetManyMethods(snapshot_class, [](PySnapshot& self, std::vector<std::string> keys) {
    return Open(self).MultiGet(std::move(keys));
  });
  DefineScanMethods(snapshot_class, [](PySnapshot& self, const std::string& lo,
                                       const std::string& hi, const ReadOptions& options) {
    return Open(self).Scan(lo, hi, AsScanOptions(options));
  });
}

}  // namespace slatedb::python
