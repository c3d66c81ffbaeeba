// SPDX-License-Identifier: Apache-2.0
//
// The native calls behind slatedb.uniffi.DbReaderBuilder and DbReader, on the seed API's
// reader handle (PyReader). Conventions as in uniffi_db.cc.
#include <pybind11/stl.h>

#include "async_call.h"
#include "bindings.h"
#include "runtime.h"
#include "uniffi_errors.h"
#include "uniffi_module.h"

namespace slatedb::python {

namespace {

DbReader& OpenReader(PyReader& self) {
  if (!self.reader) ThrowUniffi(Status::Closed(CloseReason::kClean, "db is closed"));
  return *self.reader;
}

py::object ReaderNoneOrRaise(Status s) {
  CheckUniffi(s);
  return py::none();
}

ReadOptions MakeRead(int durability, bool dirty) {
  ReadOptions options;
  options.durability_filter = durability == 0 ? DurabilityLevel::kRemote : DurabilityLevel::kMemory;
  options.dirty = dirty;
  return options;
}

py::object ValueOrNone(Result<std::optional<std::string>> r) {
  std::optional<std::string> v = UnwrapUniffi(std::move(r));
  if (!v) return py::none();
  return ToPy(*v);
}

}  // namespace

void RegisterUniffiReader(py::module_& m) {
  // mode: slatedb.uniffi.ReaderMode variant (0 managed checkpoint, 1 checkpoint, 2 follow
  // latest). Optional numbers are None for the core's default.
  m.def("reader_open",
        [](const StoreHandle& store, const std::string& path, int mode,
           const std::optional<std::string>& checkpoint_id, std::optional<uint64_t> poll_ms,
           std::optional<uint64_t> lifetime_ms, std::optional<uint64_t> max_memtable_bytes,
           bool skip_wal_replay, std::optional<uint32_t> max_retries, const py::object& merge,
           std::optional<uint64_t> block_cache_bytes, const std::optional<StoreHandle>& wal_store,
           const py::object& segments, const py::object& filters, std::shared_ptr<DbCache> cache,
           std::optional<uint64_t> cache_id) {
          ReaderOptions options;
          options.db_cache = std::move(cache);  // None: block_cache_bytes of its own
          options.db_cache_id = cache_id;
          options.object_store = store.store;
          if (wal_store) options.wal_object_store = wal_store->store;
          options.executor = SharedExecutor();
          options.clock = SharedClock();
          options.path = path;
          options.mode = mode == 1   ? ReaderMode::kCheckpoint
                         : mode == 2 ? ReaderMode::kFollowLatest
                                     : ReaderMode::kManagedCheckpoint;
          options.checkpoint_id = checkpoint_id;
          if (poll_ms) options.manifest_poll_interval_ms = *poll_ms;
          if (lifetime_ms) options.checkpoint_lifetime_ms = *lifetime_ms;
          if (max_memtable_bytes) options.max_memtable_bytes = *max_memtable_bytes;
          options.skip_wal_replay = skip_wal_replay;
          if (max_retries) options.object_store_max_retries = *max_retries;
          if (block_cache_bytes) options.block_cache_bytes = *block_cache_bytes;
          bool has_merge = !merge.is_none();
          if (has_merge) options.merge_operator = WrapMergeOperator(merge, MergeFailure::kFail);
          options.segment_extractor = WrapPrefixExtractor(segments);
          options.filter_policies = FilterPoliciesFromPy(filters);
          return StartTask(true, DbReader::Open(std::move(options)),
                           [has_merge](Result<std::shared_ptr<DbReader>> r) {
                             PyReader out;
                             out.reader = UnwrapUniffi(std::move(r));
                             out.has_merge_operator = has_merge;
                             return py::cast(std::move(out));
                           });
        });
  m.def("reader_get", [](PyReader& self, const py::bytes& key, int durability, bool dirty) {
    DbReader& reader = OpenReader(self);
    std::string_view k = key;
    ReadOptions options = MakeRead(durability, dirty);
    if (!self.has_merge_operator) {
      Result<std::optional<std::string>> now = Status::Internal("unset");
      if (reader.TryGet(k, options, &now)) return ValueOrNone(std::move(now));
    }
    return StartTask(self.has_merge_operator, reader.Get(k, options), ValueOrNone);
  });
  m.def("reader_get_key_value",
        [](PyReader& self, const py::bytes& key, int durability, bool dirty) {
          DbReader& reader = OpenReader(self);
          return StartTask(self.has_merge_operator,
                           reader.GetKeyValue(std::string_view(key), MakeRead(durability, dirty)),
                           KeyValueRowToPy);
        });
  m.def("reader_scan", [](PyReader& self, const py::bytes& lo, const py::bytes& hi, int durability,
                          bool dirty, int order, const py::object& prefix) {
    DbReader& reader = OpenReader(self);
    bool merge = self.has_merge_operator;
    return StartTask(merge,
                     reader.Scan(std::string_view(lo), std::string_view(hi),
                                 MakeScan(durability, dirty, order, prefix)),
                     [merge](Result<std::unique_ptr<DbIterator>> r) {
                       return NewIterator(UnwrapUniffi(std::move(r)), nullptr, merge);
                     });
  });
  m.def("reader_close", [](PyReader& self) {
    DbReader& reader = OpenReader(self);
    return StartTask(true, reader.Close(), [](Status s) -> py::object {
      if (!s.ok() && s.close_reason() != CloseReason::kClean) ThrowUniffi(s);
      return py::none();
    });
  });
  m.def("reader_warm_sst", [](PyReader& self, const std::string& id, const py::list& targets) {
    DbReader& reader = OpenReader(self);
    return StartTask(true, reader.WarmSst(id, CacheTargetsFromPy(targets)), ReaderNoneOrRaise);
  });
  m.def("reader_evict_cached_sst", [](PyReader& self, const std::string& id) {
    return StartTask(true, OpenReader(self).EvictCachedSst(id), ReaderNoneOrRaise);
  });
  m.def("reader_flush_cache_to_disk", [](PyReader& self) {
    return StartTask(true, OpenReader(self).FlushCacheToDisk(), ReaderNoneOrRaise);
  });
  m.def("reader_metrics", [](PyReader& self) { return OpenReader(self).Metrics(); });
  m.def("reader_durable_seq", [](PyReader& self) { return OpenReader(self).durable_seq(); });
  m.def("reader_segments", [](PyReader& self) {
    std::vector<std::string> prefixes;
    {
      DbReader& reader = OpenReader(self);
      py::gil_scoped_release release;
      prefixes = reader.Segments();
    }
    py::list out;
    for (const std::string& p : prefixes) out.append(py::bytes(p));
    return out;
  });
  m.def("reader_closed_error", [](PyReader& self) -> py::object {
    Status s = OpenReader(self).status();
    if (s.ok()) return py::none();
    return UniffiError(s);
  });
}

}  // namespace slatedb::python
