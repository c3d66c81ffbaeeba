// SPDX-License-Identifier: Apache-2.0
//
// The native base of slatedb.SlateDB: every read, write, scan and flush, in sync and
// asyncio forms. Store selection and settings files are handled in Python
// (slatedb/_open.py), which passes a StoreHandle, a path and a settings dict here.
#include <pybind11/stl.h>

#include "bindings.h"
#include "py_checkpoint.h"
#include "runtime.h"
#include "scan_methods.h"

namespace slatedb::python {

Settings SettingsFromDict(const py::dict& d) {
  Settings s;
  auto u64 = [&](const char* key, uint64_t* out) {
    if (d.contains(key) && !d[key].is_none()) *out = d[key].cast<uint64_t>();
  };
  auto u32 = [&](const char* key, uint32_t* out) {
    if (d.contains(key) && !d[key].is_none()) *out = d[key].cast<uint32_t>();
  };
  u64("flush_interval_ms", &s.flush_interval_ms);
  u64("l0_sst_size_bytes", &s.l0_sst_size_bytes);
  u64("max_unflushed_bytes", &s.max_unflushed_bytes);
  u32("l0_max_ssts", &s.l0_max_ssts);
  u32("block_size_bytes", &s.block_size_bytes);
  u32("bloom_bits_per_key", &s.bloom_bits_per_key);
  u32("min_filter_keys", &s.min_filter_keys);
  u64("block_cache_bytes", &s.block_cache_bytes);
  u32("object_store_max_retries", &s.object_store_max_retries);
  if (d.contains("compression") && !d["compression"].is_none()) {
    std::string codec = d["compression"].cast<std::string>();
    if (codec == "zstd") {
      s.compression = CompressionCodec::kZstd;
    } else if (codec == "none") {
      s.compression = CompressionCodec::kNone;
    } else {
      ThrowInvalid("unsupported compression codec: " + codec);
    }
  }
  if (d.contains("default_ttl_ms") && !d["default_ttl_ms"].is_none()) {
    s.default_ttl_ms = d["default_ttl_ms"].cast<uint64_t>();
  }
  return s;
}

namespace {

PyDb& Open(PyDb& self) {
  if (!self.db) ThrowClosed("database is not open");
  return self;
}

// close() raises for neither an earlier clean close nor fencing by another writer.
bool CloseIsQuiet(const Status& s) {
  return s.ok() || s.close_reason() == CloseReason::kClean ||
         s.close_reason() == CloseReason::kFenced;
}

// Reads answered from memory skip the blocking machinery; see runtime.h for the GIL rule.
Result<std::optional<std::string>> GetNow(PyDb& self, const std::string& key,
                                          const ReadOptions& options) {
  Result<std::optional<std::string>> out = Status::Internal("unset");
  if (!self.has_merge_operator) {
    if (self.db->TryGet(key, options, &out)) return out;
  }
  return CallBlocking([&] { return self.db->Get(key, options); });
}

Result<std::optional<KeyValueRow>> GetKeyValueNow(PyDb& self, const std::string& key,
                                                  const ReadOptions& options) {
  return CallBlocking([&] { return self.db->GetKeyValue(key, options); });
}

py::object KeyValueToPy(Result<std::optional<KeyValueRow>> r) {
  std::optional<KeyValueRow> row = Unwrap(std::move(r));
  if (!row) return py::none();
  return py::cast(std::move(*row));
}

py::object GetAsync(PyDb& self, std::string key, ReadOptions options) {
  return SpawnAsync([&] { return self.db->Get(key, options); },
                    [](Result<std::optional<std::string>> r) { return ValueToPy(r); });
}

py::object Write(PyDb& self, WriteBatch batch, WriteOptions options) {
  Result<WriteHandle> r =
      CallBlocking([&] { return self.db->Write(std::move(batch), options); });
  return WriteHandleToPy(Unwrap(std::move(r)));
}

py::object WriteAsync(PyDb& self, WriteBatch batch, WriteOptions options) {
  return SpawnAsync([&] { return self.db->Write(std::move(batch), options); },
                    [](Result<WriteHandle> r) { return WriteHandleToPy(Unwrap(std::move(r))); });
}

WriteBatch One(WriteBatch::OpType type, const std::string& key, const std::string& value,
               const PutOptions& put) {
  WriteBatch batch;
  switch (type) {
    case WriteBatch::OpType::kPut:
      batch.Put(key, value, put);
      break;
    case WriteBatch::OpType::kDelete:
      batch.Delete(key);
      break;
    case WriteBatch::OpType::kMerge:
      batch.Merge(key, value, put);
      break;
  }
  return batch;
}

FlushType ParseFlushType(const py::object& value) {
  std::string text = py::str(value);
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (text == "wal") return FlushType::kWal;
  if (text == "memtable") return FlushType::kMemTable;
  ThrowInvalid("invalid flush_type: " + text + " (expected 'wal' or 'memtable')");
}

py::object MakeSnapshot(PyDb& self) {
  Result<std::shared_ptr<Snapshot>> snap = self.db->GetSnapshot();
  PySnapshot out;
  out.snapshot = Unwrap(std::move(snap));
  out.db = self.db;
  out.has_merge_operator = self.has_merge_operator;
  return py::cast(std::move(out));
}

}  // namespace

void RegisterDb(py::module_& m) {
  py::class_<KeyValueRow>(m, "KeyValue")
      .def_property_readonly("key", [](const KeyValueRow& r) { return py::bytes(r.key); })
      .def_property_readonly("value", [](const KeyValueRow& r) { return py::bytes(r.value); })
      .def_readonly("seq", &KeyValueRow::seq)
      .def_readonly("create_ts", &KeyValueRow::create_ts)
      .def_readonly("expire_ts", &KeyValueRow::expire_ts)
      .def("__repr__", [](const KeyValueRow& r) {
        return "KeyValue(key=" + py::repr(py::bytes(r.key)).cast<std::string>() +
               ", seq=" + std::to_string(r.seq) + ")";
      });
  py::class_<WriteHandle>(m, "WriteHandle")
      .def_readonly("seq", &WriteHandle::seq)
      .def_readonly("create_ts", &WriteHandle::create_ts)
      .def("__repr__", [](const WriteHandle& h) {
        return "WriteHandle(seq=" + std::to_string(h.seq) +
               ", create_ts=" + std::to_string(h.create_ts) + ")";
      });

  auto ro = [](const py::object& d, const py::object& dirty) { return MakeReadOptions(d, dirty); };
  const auto none = py::none();

  py::class_<PyDb> db_class(m, "_DbCore", py::dynamic_attr());
  db_class
      .def(py::init([](const StoreHandle& store, const std::string& path, const py::dict& settings,
                       const py::object& merge_operator) {
             DbOptions options;
             options.object_store = store.store;
             options.executor = SharedExecutor();
             options.clock = SharedClock();
             options.path = path;
             options.settings = SettingsFromDict(settings);
             PyDb out;
             if (!merge_operator.is_none()) {
               options.merge_operator = WrapMergeOperator(merge_operator);
               out.has_merge_operator = true;
             }
             out.db = Unwrap(CallBlocking([&] { return Db::Open(options); }));
             return out;
           }),
           py::arg("store"), py::arg("path"), py::arg("settings"), py::arg("merge_operator"))
      // Point reads.
      .def("get",
           [](PyDb& self, const py::object& key) {
             std::string k = ToKey(key);
             return ValueToPy(GetNow(Open(self), k, ReadOptions()));
           },
           py::arg("key"))
      .def("get_async",
           [](PyDb& self, const py::object& key) {
             return GetAsync(Open(self), ToKey(key), ReadOptions());
           },
           py::arg("key"))
      .def("get_with_options",
           [ro](PyDb& self, const py::object& key, const py::object& durability_filter,
                const py::object& dirty, const py::object&) {
             std::string k = ToKey(key);
             return ValueToPy(GetNow(Open(self), k, ro(durability_filter, dirty)));
           },
           py::arg("key"), py::kw_only(), py::arg("durability_filter") = none,
           py::arg("dirty") = none, py::arg("cache_blocks") = none)
      .def("get_with_options_async",
           [ro](PyDb& self, const py::object& key, const py::object& durability_filter,
                const py::object& dirty, const py::object&) {
             std::string k = ToKey(key);
             return GetAsync(Open(self), k, ro(durability_filter, dirty));
           },
           py::arg("key"), py::kw_only(), py::arg("durability_filter") = none,
           py::arg("dirty") = none, py::arg("cache_blocks") = none)
      // get_key_value has no async twins upstream either.
      .def("get_key_value",
           [](PyDb& self, const py::object& key) {
             std::string k = ToKey(key);
             return KeyValueToPy(GetKeyValueNow(Open(self), k, ReadOptions()));
           },
           py::arg("key"))
      .def("get_key_value_with_options",
           [ro](PyDb& self, const py::object& key, const py::object& durability_filter,
                const py::object& dirty, const py::object&) {
             std::string k = ToKey(key);
             return KeyValueToPy(GetKeyValueNow(Open(self), k, ro(durability_filter, dirty)));
           },
           py::arg("key"), py::kw_only(), py::arg("durability_filter") = none,
           py::arg("dirty") = none, py::arg("cache_blocks") = none)
      // Writes.
      .def("put",
           [](PyDb& self, const py::object& key, const py::object& value) {
             return Write(Open(self),
                          One(WriteBatch::OpType::kPut, ToKey(key), ToBytes(value, "value"), {}),
                          WriteOptions());
           },
           py::arg("key"), py::arg("value"))
      .def("put_async",
           [](PyDb& self, const py::object& key, const py::object& value) {
             return WriteAsync(
                 Open(self),
                 One(WriteBatch::OpType::kPut, ToKey(key), ToBytes(value, "value"), {}),
                 WriteOptions());
           },
           py::arg("key"), py::arg("value"))
      .def("put_with_options",
           [](PyDb& self, const py::object& key, const py::object& value, const py::object& ttl,
              const py::object& await_durable) {
             WriteBatch batch;
             AddPutWithTtl(batch, ToKey(key), ToBytes(value, "value"), ttl);
             return Write(Open(self), std::move(batch), MakeWriteOptions(await_durable));
           },
           py::arg("key"), py::arg("value"), py::kw_only(), py::arg("ttl") = none,
           py::arg("await_durable") = none)
      .def("put_with_options_async",
           [](PyDb& self, const py::object& key, const py::object& value, const py::object& ttl,
              const py::object& await_durable) {
             WriteBatch batch;
             AddPutWithTtl(batch, ToKey(key), ToBytes(value, "value"), ttl);
             return WriteAsync(Open(self), std::move(batch), MakeWriteOptions(await_durable));
           },
           py::arg("key"), py::arg("value"), py::kw_only(), py::arg("ttl") = none,
           py::arg("await_durable") = none)
      .def("delete",
           [](PyDb& self, const py::object& key) {
             return Write(Open(self), One(WriteBatch::OpType::kDelete, ToKey(key), "", {}),
                          WriteOptions());
           },
           py::arg("key"))
      .def("delete_async",
           [](PyDb& self, const py::object& key) {
             return WriteAsync(Open(self), One(WriteBatch::OpType::kDelete, ToKey(key), "", {}),
                               WriteOptions());
           },
           py::arg("key"))
      .def("delete_with_options",
           [](PyDb& self, const py::object& key, const py::object& await_durable) {
             return Write(Open(self), One(WriteBatch::OpType::kDelete, ToKey(key), "", {}),
                          MakeWriteOptions(await_durable));
           },
           py::arg("key"), py::kw_only(), py::arg("await_durable") = none)
      .def("delete_with_options_async",
           [](PyDb& self, const py::object& key, const py::object& await_durable) {
             return WriteAsync(Open(self), One(WriteBatch::OpType::kDelete, ToKey(key), "", {}),
                               MakeWriteOptions(await_durable));
           },
           py::arg("key"), py::kw_only(), py::arg("await_durable") = none)
      .def("merge",
           [](PyDb& self, const py::object& key, const py::object& value) {
             return Write(Open(self),
                          One(WriteBatch::OpType::kMerge, ToKey(key), ToBytes(value, "value"), {}),
                          WriteOptions());
           },
           py::arg("key"), py::arg("value"))
      .def("merge_async",
           [](PyDb& self, const py::object& key, const py::object& value) {
             return WriteAsync(
                 Open(self),
                 One(WriteBatch::OpType::kMerge, ToKey(key), ToBytes(value, "value"), {}),
                 WriteOptions());
           },
           py::arg("key"), py::arg("value"))
      .def("merge_with_options",
           [](PyDb& self, const py::object& key, const py::object& value, const py::object& ttl,
              const py::object& await_durable) {
             return Write(Open(self),
                          One(WriteBatch::OpType::kMerge, ToKey(key), ToBytes(value, "value"),
                              MakePutOptions(ttl)),
                          MakeWriteOptions(await_durable));
           },
           py::arg("key"), py::arg("value"), py::kw_only(), py::arg("ttl") = none,
           py::arg("await_durable") = none)
      .def("merge_with_options_async",
           [](PyDb& self, const py::object& key, const py::object& value, const py::object& ttl,
              const py::object& await_durable) {
             return WriteAsync(Open(self),
                               One(WriteBatch::OpType::kMerge, ToKey(key),
                                   ToBytes(value, "value"), MakePutOptions(ttl)),
                               MakeWriteOptions(await_durable));
           },
           py::arg("key"), py::arg("value"), py::kw_only(), py::arg("ttl") = none,
           py::arg("await_durable") = none)
      .def("write",
           [](PyDb& self, const PyWriteBatch& batch) {
             return Write(Open(self), batch.batch, WriteOptions());
           },
           py::arg("batch"))
      .def("write_async",
           [](PyDb& self, const PyWriteBatch& batch) {
             return WriteAsync(Open(self), batch.batch, WriteOptions());
           },
           py::arg("batch"))
      .def("write_with_options",
           [](PyDb& self, const PyWriteBatch& batch, const py::object& await_durable) {
             return Write(Open(self), batch.batch, MakeWriteOptions(await_durable));
           },
           py::arg("batch"), py::kw_only(), py::arg("await_durable") = none)
      .def("write_with_options_async",
           [](PyDb& self, const PyWriteBatch& batch, const py::object& await_durable) {
             return WriteAsync(Open(self), batch.batch, MakeWriteOptions(await_durable));
           },
           py::arg("batch"), py::kw_only(), py::arg("await_durable") = none)
      // Snapshots, flush, metrics, close.
      .def("snapshot", [](PyDb& self) { return MakeSnapshot(Open(self)); })
      .def("snapshot_async",
           [](PyDb& self) {
             FuturePtr pending = NewFuture();
             pending->future.attr("set_result")(MakeSnapshot(Open(self)));
             return pending->future;
           })
      .def("flush",
           [](PyDb& self) {
             return StatusToNone(CallBlocking([&] { return Open(self).db->Flush(FlushType::kWal); }));
           })
      .def("flush_async",
           [](PyDb& self) {
             return SpawnAsync([&] { return Open(self).db->Flush(FlushType::kWal); },
                               [](Status s) { return StatusToNone(s); });
           })
      .def("flush_with_options",
           [](PyDb& self, const py::object& flush_type) {
             FlushType type = ParseFlushType(flush_type);
             return StatusToNone(CallBlocking([&] { return Open(self).db->Flush(type); }));
           },
           py::arg("flush_type"))
      .def("flush_with_options_async",
           [](PyDb& self, const py::object& flush_type) {
             FlushType type = ParseFlushType(flush_type);
             return SpawnAsync([&] { return Open(self).db->Flush(type); },
                               [](Status s) { return StatusToNone(s); });
           },
           py::arg("flush_type"))
      .def("metrics",
           [](PyDb& self) {
             std::string json = Open(self).db->MetricsJson();
             return py::module_::import("json").attr("loads")(json);
           })
      // Closing a handle that is already closed, or fenced by another writer, returns
      // quietly, as slatedb 0.11's close() does; other failures raise.
      .def("close",
           [](PyDb& self) {
             Status s = CallBlocking([&] { return Open(self).db->Close(); });
             if (!CloseIsQuiet(s)) ThrowStatus(s);
           })
      .def("close_async", [](PyDb& self) {
        return SpawnAsync([&] { return Open(self).db->Close(); }, [](Status s) {
          if (!CloseIsQuiet(s)) ThrowStatus(s);
          return py::object(py::none());
        });
      });
  DefineTransactionMethods(db_class);
  DefineCheckpointMethods(db_class);
  DefineScanMethods(db_class, [](PyDb& self, const std::string& lo, const std::string& hi,
                                 const ReadOptions& options) {
    return Open(self).db->Scan(lo, hi, AsScanOptions(options));
  });
}

}  // namespace slatedb::python
