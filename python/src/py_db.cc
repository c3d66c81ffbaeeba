// SPDX-License-Identifier: Apache-2.0
//
// The native base of slatedb.SlateDB: every read, write, scan and flush, in sync and
// asyncio forms. Store selection and settings files are handled in Python
// (slatedb/_open.py, slatedb/_settings.py), which passes a StoreHandle, a path and the
// settings (a _Settings, put together by name through the core's settings table) here.
#include <pybind11/stl.h>

#include "bindings.h"
#include "get_many_methods.h"
#include "py_checkpoint.h"
#include "runtime.h"
#include "scan_methods.h"
#include "seed_args.h"

namespace slatedb::python {

namespace {

PyDb& Open(PyDb& self) {
  if (!self.db) ThrowClosed("database is not open");
  return self;
}

// As slatedb 0.11: closing a handle fenced by another writer returns quietly; closing one
// that is already closed raises ClosedError, as does every other call on it.
bool CloseIsQuiet(const Status& s) { return s.ok() || s.close_reason() == CloseReason::kFenced; }

// The status close() starts from: the handle's own if it is already closed.
Status AlreadyClosed(PyDb& self) { return Open(self).db->status(); }

std::string Key(const py::object& key) {
  std::string k = seed::Bytes(key, "key");
  seed::CheckNotEmpty(k);
  return k;
}

// A write's arguments, converted in signature order and then checked: the key, then
// whether the handle is open (so ClosedError comes before the engine's own checks of the
// batch, as upstream).
struct WriteArgs {
  WriteBatch batch;
  WriteOptions options;
};

WriteArgs OneWrite(PyDb& self, WriteBatch::OpType type, const py::object& key,
                   const py::object* value, const py::object* ttl,
                   const py::object* await_durable) {
  std::string k = seed::Bytes(key, "key");
  std::string v = value != nullptr ? seed::Bytes(*value, "value") : std::string();
  seed::Ttl t = ttl != nullptr ? seed::OptionalU64(*ttl, "ttl") : seed::Ttl();
  std::optional<bool> durable = await_durable != nullptr
                                    ? seed::OptionalBool(*await_durable, "await_durable")
                                    : std::optional<bool>();
  seed::CheckNotEmpty(k);
  CheckOpen(self);
  WriteArgs out;
  seed::AddWrite(out.batch, type, k, v, t);
  out.options = seed::WriteOptionsOf(durable);
  return out;
}

WriteArgs BatchWrite(PyDb& self, const py::object& batch, const py::object* await_durable) {
  PyWriteBatch& b = seed::Instance<PyWriteBatch>(batch, "batch", "WriteBatch");
  std::optional<bool> durable = await_durable != nullptr
                                    ? seed::OptionalBool(*await_durable, "await_durable")
                                    : std::optional<bool>();
  CheckOpen(self);
  return WriteArgs{b.batch, seed::WriteOptionsOf(durable)};
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
  Result<WriteHandle> r = CallBlocking([&] { return self.db->Write(std::move(batch), options); });
  return WriteHandleToPy(Unwrap(std::move(r)));
}

py::object WriteAsync(PyDb& self, WriteBatch batch, WriteOptions options) {
  return SpawnAsync([&] { return self.db->Write(std::move(batch), options); },
                    [](Result<WriteHandle> r) { return WriteHandleToPy(Unwrap(std::move(r))); });
}

FlushType ParseFlushType(const py::object& value) {
  std::string text = seed::Lower(seed::Str(value, "flush_type"));
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

void CheckOpen(PyDb& self) {
  Status status = Open(self).db->status();
  if (!status.ok()) ThrowStatus(status);
}

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

  auto ro = [](const py::object& key, const py::object& durability_filter, const py::object& dirty,
               const py::object& cache_blocks, std::string* k) {
    *k = seed::Bytes(key, "key");
    seed::ReadArgs args = seed::ConvertReadArgs(durability_filter, dirty, cache_blocks);
    seed::CheckNotEmpty(*k);
    return seed::ReadOptionsOf(args);
  };
  const auto none = py::none();

  py::class_<PyDb> db_class(m, "_DbCore", py::dynamic_attr());
  db_class
      .def(py::init([](const StoreHandle& store, const std::string& path,
                       const PySettings& settings, const py::object& merge_operator) {
             DbOptions options;
             options.object_store = store.store;
             options.executor = SharedExecutor();
             options.clock = SharedClock();
             options.path = path;
             options.settings = settings.settings;
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
      .def(
          "get",
          [](PyDb& self, const py::object& key) {
            std::string k = Key(key);
            return ValueToPy(GetNow(Open(self), k, ReadOptions()));
          },
          py::arg("key"))
      .def(
          "get_async",
          [](PyDb& self, const py::object& key) {
            return GetAsync(Open(self), Key(key), ReadOptions());
          },
          py::arg("key"))
      .def(
          "get_with_options",
          [ro](PyDb& self, const py::object& key, const py::object& durability_filter,
               const py::object& dirty, const py::object& cache_blocks) {
            std::string k;
            ReadOptions options = ro(key, durability_filter, dirty, cache_blocks, &k);
            return ValueToPy(GetNow(Open(self), k, options));
          },
          py::arg("key"), py::kw_only(), py::arg("durability_filter") = none,
          py::arg("dirty") = none, py::arg("cache_blocks") = none)
      .def(
          "get_with_options_async",
          [ro](PyDb& self, const py::object& key, const py::object& durability_filter,
               const py::object& dirty, const py::object& cache_blocks) {
            std::string k;
            ReadOptions options = ro(key, durability_filter, dirty, cache_blocks, &k);
            return GetAsync(Open(self), k, options);
          },
          py::arg("key"), py::kw_only(), py::arg("durability_filter") = none,
          py::arg("dirty") = none, py::arg("cache_blocks") = none)
      // get_key_value has no async twins upstream either.
      .def(
          "get_key_value",
          [](PyDb& self, const py::object& key) {
            std::string k = Key(key);
            return KeyValueToPy(GetKeyValueNow(Open(self), k, ReadOptions()));
          },
          py::arg("key"))
      .def(
          "get_key_value_with_options",
          [ro](PyDb& self, const py::object& key, const py::object& durability_filter,
               const py::object& dirty, const py::object& cache_blocks) {
            std::string k;
            ReadOptions options = ro(key, durability_filter, dirty, cache_blocks, &k);
            return KeyValueToPy(GetKeyValueNow(Open(self), k, options));
          },
          py::arg("key"), py::kw_only(), py::arg("durability_filter") = none,
          py::arg("dirty") = none, py::arg("cache_blocks") = none);
  db_class.def(
      "put",
      [](PyDb& self, const py::object& key, const py::object& value) {
        WriteArgs w = OneWrite(self, WriteBatch::OpType::kPut, key, &value, nullptr, nullptr);
        return Write(self, std::move(w.batch), w.options);
      },
      py::arg("key"), py::arg("value"));
  db_class.def(
      "put_with_options",
      [](PyDb& self, const py::object& key, const py::object& value, const py::object& ttl,
         const py::object& await_durable) {
        WriteArgs w = OneWrite(self, WriteBatch::OpType::kPut, key, &value, &ttl, &await_durable);
        return Write(self, std::move(w.batch), w.options);
      },
      py::arg("key"), py::arg("value"), py::kw_only(), py::arg("ttl") = none,
      py::arg("await_durable") = none);
  db_class.def(
      "put_async",
      [](PyDb& self, const py::object& key, const py::object& value) {
        WriteArgs w = OneWrite(self, WriteBatch::OpType::kPut, key, &value, nullptr, nullptr);
        return WriteAsync(self, std::move(w.batch), w.options);
      },
      py::arg("key"), py::arg("value"));
  db_class.def(
      "put_with_options_async",
      [](PyDb& self, const py::object& key, const py::object& value, const py::object& ttl,
         const py::object& await_durable) {
        WriteArgs w = OneWrite(self, WriteBatch::OpType::kPut, key, &value, &ttl, &await_durable);
        return WriteAsync(self, std::move(w.batch), w.options);
      },
      py::arg("key"), py::arg("value"), py::kw_only(), py::arg("ttl") = none,
      py::arg("await_durable") = none);
  db_class.def(
      "delete",
      [](PyDb& self, const py::object& key) {
        WriteArgs w = OneWrite(self, WriteBatch::OpType::kDelete, key, nullptr, nullptr, nullptr);
        return Write(self, std::move(w.batch), w.options);
      },
      py::arg("key"));
  db_class.def(
      "delete_with_options",
      [](PyDb& self, const py::object& key, const py::object& await_durable) {
        WriteArgs w =
            OneWrite(self, WriteBatch::OpType::kDelete, key, nullptr, nullptr, &await_durable);
        return Write(self, std::move(w.batch), w.options);
      },
      py::arg("key"), py::kw_only(), py::arg("await_durable") = none);
  db_class.def(
      "delete_async",
      [](PyDb& self, const py::object& key) {
        WriteArgs w = OneWrite(self, WriteBatch::OpType::kDelete, key, nullptr, nullptr, nullptr);
        return WriteAsync(self, std::move(w.batch), w.options);
      },
      py::arg("key"));
  db_class.def(
      "delete_with_options_async",
      [](PyDb& self, const py::object& key, const py::object& await_durable) {
        WriteArgs w =
            OneWrite(self, WriteBatch::OpType::kDelete, key, nullptr, nullptr, &await_durable);
        return WriteAsync(self, std::move(w.batch), w.options);
      },
      py::arg("key"), py::kw_only(), py::arg("await_durable") = none);
  db_class.def(
      "merge",
      [](PyDb& self, const py::object& key, const py::object& value) {
        WriteArgs w = OneWrite(self, WriteBatch::OpType::kMerge, key, &value, nullptr, nullptr);
        return Write(self, std::move(w.batch), w.options);
      },
      py::arg("key"), py::arg("value"));
  db_class.def(
      "merge_with_options",
      [](PyDb& self, const py::object& key, const py::object& value, const py::object& ttl,
         const py::object& await_durable) {
        WriteArgs w = OneWrite(self, WriteBatch::OpType::kMerge, key, &value, &ttl, &await_durable);
        return Write(self, std::move(w.batch), w.options);
      },
      py::arg("key"), py::arg("value"), py::kw_only(), py::arg("ttl") = none,
      py::arg("await_durable") = none);
  db_class.def(
      "merge_async",
      [](PyDb& self, const py::object& key, const py::object& value) {
        WriteArgs w = OneWrite(self, WriteBatch::OpType::kMerge, key, &value, nullptr, nullptr);
        return WriteAsync(self, std::move(w.batch), w.options);
      },
      py::arg("key"), py::arg("value"));
  db_class.def(
      "merge_with_options_async",
      [](PyDb& self, const py::object& key, const py::object& value, const py::object& ttl,
         const py::object& await_durable) {
        WriteArgs w = OneWrite(self, WriteBatch::OpType::kMerge, key, &value, &ttl, &await_durable);
        return WriteAsync(self, std::move(w.batch), w.options);
      },
      py::arg("key"), py::arg("value"), py::kw_only(), py::arg("ttl") = none,
      py::arg("await_durable") = none);
  db_class.def(
      "write",
      [](PyDb& self, const py::object& batch) {
        WriteArgs w = BatchWrite(self, batch, nullptr);
        return Write(self, std::move(w.batch), w.options);
      },
      py::arg("batch"));
  db_class.def(
      "write_with_options",
      [](PyDb& self, const py::object& batch, const py::object& await_durable) {
        WriteArgs w = BatchWrite(self, batch, &await_durable);
        return Write(self, std::move(w.batch), w.options);
      },
      py::arg("batch"), py::kw_only(), py::arg("await_durable") = none);
  db_class.def(
      "write_async",
      [](PyDb& self, const py::object& batch) {
        WriteArgs w = BatchWrite(self, batch, nullptr);
        return WriteAsync(self, std::move(w.batch), w.options);
      },
      py::arg("batch"));
  db_class.def(
      "write_with_options_async",
      [](PyDb& self, const py::object& batch, const py::object& await_durable) {
        WriteArgs w = BatchWrite(self, batch, &await_durable);
        return WriteAsync(self, std::move(w.batch), w.options);
      },
      py::arg("batch"), py::kw_only(), py::arg("await_durable") = none);
  db_class
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
             return StatusToNone(
                 CallBlocking([&] { return Open(self).db->Flush(FlushType::kWal); }));
           })
      .def("flush_async",
           [](PyDb& self) {
             return SpawnAsync([&] { return Open(self).db->Flush(FlushType::kWal); },
                               [](Status s) { return StatusToUnit(s); });
           })
      .def(
          "flush_with_options",
          [](PyDb& self, const py::object& flush_type) {
            FlushType type = ParseFlushType(flush_type);
            return StatusToNone(CallBlocking([&] { return Open(self).db->Flush(type); }));
          },
          py::arg("flush_type"))
      .def(
          "flush_with_options_async",
          [](PyDb& self, const py::object& flush_type) {
            FlushType type = ParseFlushType(flush_type);
            return SpawnAsync([&] { return Open(self).db->Flush(type); },
                              [](Status s) { return StatusToUnit(s); });
          },
          py::arg("flush_type"))
      // The settings the engine opened with, as upstream's JSON document (for tests).
      .def("_settings_json", [](PyDb& self) { return SettingsToJson(Open(self).db->settings()); })
      .def("metrics",
           [](PyDb& self) {
             std::string json = Open(self).db->MetricsJson();
             return py::module_::import("json").attr("loads")(json);
           })
      // Closing a handle that is already closed, or fenced by another writer, returns
      // quietly, as slatedb 0.11's close() does; other failures raise.
      .def("close",
           [](PyDb& self) {
             Status s = AlreadyClosed(self);
             if (s.ok()) s = CallBlocking([&] { return self.db->Close(); });
             if (!CloseIsQuiet(s)) ThrowStatus(s);
           })
      .def("close_async", [](PyDb& self) {
        Status closed = AlreadyClosed(self);
        if (!closed.ok()) {
          if (!CloseIsQuiet(closed)) ThrowStatus(closed);
          FuturePtr pending = NewFuture();
          pending->future.attr("set_result")(py::tuple());
          return pending->future;
        }
        return SpawnAsync([&] { return self.db->Close(); },
                          [](Status s) {
                            if (!CloseIsQuiet(s)) ThrowStatus(s);
                            return py::object(py::tuple());
                          });
      });
  DefineTransactionMethods(db_class);
  DefineCheckpointMethods(db_class);
  DefineGetManyMethods(db_class, [](PyDb& self, std::vector<std::string> keys) {
    return Open(self).db->MultiGet(std::move(keys));
  });
  DefineScanMethods(db_class, [](PyDb& self, const std::string& lo, const std::string& hi,
                                 const ReadOptions& options) {
    return Open(self).db->Scan(lo, hi, AsScanOptions(options));
  });
}

}  // namespace slatedb::python
