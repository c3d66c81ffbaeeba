// SPDX-License-Identifier: Apache-2.0
//
// The native base of slatedb.SlateDBReader (python-api.md §4.6): a DbReader with the
// point reads and the eight scan methods of SlateDB. Store selection is in Python.
#include <pybind11/stl.h>

#include "bindings.h"
#include "get_many_methods.h"
#include "runtime.h"
#include "scan_methods.h"
#include "seed_args.h"

namespace slatedb::python {

namespace {

DbReader& OpenReader(PyReader& self) {
  if (!self.reader) ThrowClosed("reader is not open");
  return *self.reader;
}

py::object GetNow(PyReader& self, const std::string& key, const ReadOptions& options) {
  DbReader& reader = OpenReader(self);
  Result<std::optional<std::string>> out = Status::Internal("unset");
  if (!self.has_merge_operator && reader.TryGet(key, options, &out)) return ValueToPy(out);
  return ValueToPy(CallBlocking([&] { return reader.Get(key, options); }));
}

std::string Key(const py::object& key) {
  std::string k = seed::Bytes(key, "key");
  seed::CheckNotEmpty(k);
  return k;
}

py::object GetAsync(PyReader& self, std::string key, ReadOptions options) {
  std::shared_ptr<DbReader> reader = self.reader;
  if (!reader) ThrowClosed("reader is not open");
  return SpawnAsync([&] { return reader->Get(key, options); },
                    [](Result<std::optional<std::string>> r) { return ValueToPy(r); });
}

}  // namespace

void RegisterReader(py::module_& m) {
  const auto none = py::none();
  py::class_<PyReader> cls(m, "_ReaderCore", py::dynamic_attr());
  cls.def(py::init([](const StoreHandle& store, const std::string& path,
                      const py::object& checkpoint_id, const py::object& merge_operator,
                      const py::object& manifest_poll_interval,
                      const py::object& checkpoint_lifetime, const py::object& max_memtable_bytes) {
            ReaderOptions options;
            options.object_store = store.store;
            options.executor = SharedExecutor();
            options.clock = SharedClock();
            options.path = path;
            std::optional<std::string> checkpoint =
                seed::OptionalStr(checkpoint_id, "checkpoint_id");
            std::optional<uint64_t> poll =
                seed::OptionalU64(manifest_poll_interval, "manifest_poll_interval");
            std::optional<uint64_t> lifetime =
                seed::OptionalU64(checkpoint_lifetime, "checkpoint_lifetime");
            std::optional<uint64_t> memtable =
                seed::OptionalU64(max_memtable_bytes, "max_memtable_bytes");
            if (poll) options.manifest_poll_interval_ms = *poll;
            if (lifetime) options.checkpoint_lifetime_ms = *lifetime;
            if (memtable) options.max_memtable_bytes = *memtable;
            options.checkpoint_id = seed::OptionalUuid(checkpoint, "invalid checkpoint_id");
            PyReader out;
            if (!merge_operator.is_none()) {
              options.merge_operator = WrapMergeOperator(merge_operator);
              out.has_merge_operator = true;
            }
            out.reader = Unwrap(CallBlocking([&] { return DbReader::Open(options); }));
            return out;
          }),
          py::arg("store"), py::arg("path"), py::arg("checkpoint_id"), py::arg("merge_operator"),
          py::arg("manifest_poll_interval"), py::arg("checkpoint_lifetime"),
          py::arg("max_memtable_bytes"))
      .def(
          "get",
          [](PyReader& self, const py::object& key) {
            return GetNow(self, Key(key), ReadOptions());
          },
          py::arg("key"))
      .def(
          "get_async",
          [](PyReader& self, const py::object& key) {
            return GetAsync(self, Key(key), ReadOptions());
          },
          py::arg("key"))
      .def(
          "get_with_options",
          [](PyReader& self, const py::object& key, const py::object& durability_filter,
             const py::object& dirty, const py::object& cache_blocks) {
            std::string k = seed::Bytes(key, "key");
            seed::ReadArgs args = seed::ConvertReadArgs(durability_filter, dirty, cache_blocks);
            seed::CheckNotEmpty(k);
            return GetNow(self, k, seed::ReadOptionsOf(args));
          },
          py::arg("key"), py::kw_only(), py::arg("durability_filter") = none,
          py::arg("dirty") = none, py::arg("cache_blocks") = none)
      .def(
          "get_with_options_async",
          [](PyReader& self, const py::object& key, const py::object& durability_filter,
             const py::object& dirty, const py::object& cache_blocks) {
            std::string k = seed::Bytes(key, "key");
            seed::ReadArgs args = seed::ConvertReadArgs(durability_filter, dirty, cache_blocks);
            seed::CheckNotEmpty(k);
            return GetAsync(self, k, seed::ReadOptionsOf(args));
          },
          py::arg("key"), py::kw_only(), py::arg("durability_filter") = none,
          py::arg("dirty") = none, py::arg("cache_blocks") = none)
      .def("close",
           [](PyReader& self) {
             if (!self.reader) return;
             Status s = CallBlocking([&] { return self.reader->Close(); });
             if (!s.ok()) ThrowStatus(s);
           })
      .def("close_async", [](PyReader& self) {
        std::shared_ptr<DbReader> reader = self.reader;
        if (!reader) {  // closing twice is quiet, as close() is
          FuturePtr pending = NewFuture();
          pending->future.attr("set_result")(py::tuple());
          return py::object(pending->future);
        }
        return py::object(
            SpawnAsync([&] { return reader->Close(); }, [](Status s) { return StatusToUnit(s); }));
      });
  DefineGetManyMethods(cls, [](PyReader& self, std::vector<std::string> keys) {
    return OpenReader(self).MultiGet(std::move(keys));
  });
  DefineScanMethods(cls, [](PyReader& self, const std::string& lo, const std::string& hi,
                            const ReadOptions& options) {
    return OpenReader(self).Scan(lo, hi, AsScanOptions(options));
  });
}

}  // namespace slatedb::python
