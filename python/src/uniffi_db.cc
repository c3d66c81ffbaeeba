// SPDX-License-Identifier: Apache-2.0
//
// The native calls behind slatedb.uniffi's Db, WriteBatch, DbIterator, DbSnapshot and
// DbTransaction. They work on the same native handles as the seed API (bindings.h: PyDb,
// PyIterator, ...). Arguments arrive checked and converted by the Python layer (slatedb/
// uniffi/_convert.py): keys and values are bytes, options are plain ints and bools. Every
// call that may wait returns its result or an asyncio Future (async_call.h); failures raise
// slatedb.uniffi.Error (uniffi_errors.h).
//
// A write handle crosses as (seq, create_ts), which the Python layer wraps; rows are made
// here as slatedb.uniffi.KeyValue records with their version (seq, create_ts, expire_ts).
#include <pybind11/stl.h>

#include <atomic>
#include <map>
#include <string>

#include "async_call.h"
#include "bindings.h"
#include "runtime.h"
#include "uniffi_errors.h"
#include "uniffi_module.h"
#include "write_ops.h"

namespace slatedb::python {

namespace {

// ------------------------------------------------------------------------------- converters

py::object HandleToPy(Result<WriteHandle> r) {
  WriteHandle h = UnwrapUniffi(std::move(r));
  return py::make_tuple(h.seq, h.create_ts);
}

py::object ValueToPyUniffi(Result<std::optional<std::string>> r) {
  std::optional<std::string> v = UnwrapUniffi(std::move(r));
  if (!v) return py::none();
  return ToPy(*v);
}

// slatedb.uniffi.KeyValue, registered at import (set_record_classes).
PyTypeObject* g_key_value = nullptr;

// A KeyValue record with `fields` as its attributes, made without running __init__ (rows
// are made in bulk; the fields are already checked). The record class is a plain Python
// class, so its instances keep their attributes in a __dict__.
py::object NewKeyValue(std::initializer_list<std::pair<const char*, py::object>> fields) {
  if (g_key_value == nullptr) throw std::runtime_error("slatedb.uniffi records not registered");
  py::object obj = py::reinterpret_steal<py::object>(g_key_value->tp_alloc(g_key_value, 0));
  if (!obj) throw py::error_already_set();
  py::dict dict;
  for (const auto& [name, value] : fields) {
    // Interned once, as attribute names are: lookups then compare pointers.
    static std::map<std::string, py::object>* names = new std::map<std::string, py::object>();
    auto it = names->find(name);
    if (it == names->end()) {
      it = names->emplace(name, py::reinterpret_steal<py::object>(PyUnicode_InternFromString(name)))
               .first;
    }
    if (PyDict_SetItem(dict.ptr(), it->second.ptr(), value.ptr()) != 0) {
      throw py::error_already_set();
    }
  }
  if (PyObject_GenericSetDict(obj.ptr(), dict.ptr(), nullptr) != 0) throw py::error_already_set();
  return obj;
}

py::object NewRow(const std::string& key, const std::string& value, uint64_t seq, int64_t create_ts,
                  const std::optional<int64_t>& expire_ts) {
  py::object expire = expire_ts ? py::object(py::int_(*expire_ts)) : py::none();
  return NewKeyValue({{"key", ToPy(key)},
                      {"value", ToPy(value)},
                      {"seq", py::int_(seq)},
                      {"create_ts", py::int_(create_ts)},
                      {"expire_ts", expire}});
}

py::object RowToPy(Result<std::optional<KeyValueRow>> r) {
  std::optional<KeyValueRow> row = UnwrapUniffi(std::move(r));
  if (!row) return py::none();
  return NewRow(row->key, row->value, row->seq, row->create_ts, row->expire_ts);
}

py::object NoneOrRaise(Status s) {
  CheckUniffi(s);
  return py::none();
}

ReadOptions MakeRead(int durability, bool dirty) {
  ReadOptions options;
  // slatedb.uniffi.DurabilityLevel: REMOTE = 0, MEMORY = 1.
  options.durability_filter = durability == 0 ? DurabilityLevel::kRemote : DurabilityLevel::kMemory;
  options.dirty = dirty;
  return options;
}

TtlSpec MakeTtl(int kind, int64_t ms) {
  TtlSpec ttl;
  ttl.kind = static_cast<TtlSpec::Kind>(kind);
  ttl.ms = ms;
  return ttl;
}

WriteBatch::OpType OpType(int kind) {
  switch (kind) {
    case 0:
      return WriteBatch::OpType::kPut;
    case 1:
      return WriteBatch::OpType::kDelete;
    default:
      return WriteBatch::OpType::kMerge;
  }
}

Db& OpenDb(PyDb& self) {
  if (!self.db) ThrowUniffi(Status::Closed(CloseReason::kClean, "db is closed"));
  return *self.db;
}

// `seqnum`: WriteOptions.seqnum (0: the database assigns one).
WriteOptions NonDurable(uint64_t seqnum = 0) {
  WriteOptions options;
  options.await_durable = false;  // durability is WriteHandle.await_durable()
  if (seqnum != 0) options.seqnum = seqnum;
  return options;
}

py::object Write(PyDb& self, WriteBatch batch, uint64_t seqnum) {
  Db& db = OpenDb(self);
  return StartTask(self.has_merge_operator, db.Write(std::move(batch), NonDurable(seqnum)),
                   HandleToPy);
}

// ------------------------------------------------------------------------------- iterators

py::object ScanResult(const std::shared_ptr<Db>& db, bool merge,
                      Result<std::unique_ptr<DbIterator>> r) {
  return NewIterator(UnwrapUniffi(std::move(r)), db, merge);
}

py::object EmptyIterator() {
  auto out = std::make_shared<PyIterator>();
  out->done = true;
  return py::cast(out);
}

// Rejects overlapping calls on one iterator (the Python layer queues its callers, so this
// only fires if a call is abandoned while its native part still runs).
struct Busy {
  explicit Busy(PyIterator& it) : it_(&it) {
    if (it.busy.exchange(true)) throw py::value_error("DbIterator is already in use");
  }
  ~Busy() {
    if (it_ != nullptr) it_->busy.store(false);
  }
  void Release() { it_ = nullptr; }

 private:
  PyIterator* it_;
};

// A scanned row with its version.
py::object RowPair(const KeyValue& kv) {
  return NewRow(kv.key, kv.value, kv.seq, kv.create_ts, kv.expire_ts);
}

// One step's outcome as a (key, value) tuple or None at the end.
py::object StepToPy(PyIterator& it, Result<std::optional<KeyValue>> r) {
  std::optional<KeyValue> row = UnwrapUniffi(std::move(r));
  if (!row) {
    it.done = true;
    return py::none();
  }
  return RowPair(*row);
}

// Pulls up to `n` rows through Next() (after the rows already available were taken).
Task<Result<std::vector<KeyValue>>> CollectRows(DbIterator* it, uint32_t n) {
  std::vector<KeyValue> rows;
  while (rows.size() < n) {
    Result<std::optional<KeyValue>> r = co_await it->Next();
    if (!r.ok()) co_return r.status();
    if (!r->has_value()) break;
    rows.push_back(std::move(**r));
  }
  co_return rows;
}

py::object IterNext(const std::shared_ptr<PyIterator>& self) {
  if (self->done || !self->it) return py::none();
  Busy busy(*self);
  if (!self->has_merge_operator) {
    Result<std::optional<KeyValue>> now = Status::Internal("unset");
    if (self->it->TryNext(&now)) return StepToPy(*self, std::move(now));
  }
  busy.Release();
  try {
    return StartTask(self->has_merge_operator, self->it->Next(),
                     [self](Result<std::optional<KeyValue>> r) {
                       self->busy.store(false);
                       return StepToPy(*self, std::move(r));
                     });
  } catch (...) {
    self->busy.store(false);
    throw;
  }
}

py::object IterNextBatch(const std::shared_ptr<PyIterator>& self, uint32_t max) {
  py::list out;
  if (self->done || !self->it || max == 0) return std::move(out);
  Busy busy(*self);
  uint32_t taken = 0;
  if (!self->has_merge_operator) {
    Result<std::optional<KeyValue>> now = Status::Internal("unset");
    while (taken < max && self->it->TryNext(&now)) {
      std::optional<KeyValue> row = UnwrapUniffi(std::move(now));
      if (!row) {
        self->done = true;
        return std::move(out);
      }
      out.append(RowPair(*row));
      ++taken;
      now = Status::Internal("unset");
    }
    if (taken == max) return std::move(out);
  }
  busy.Release();
  uint32_t wanted = max - taken;
  try {
    // `out` is finished with the GIL held: the converter runs under the GIL.
    auto* first = new py::list(std::move(out));
    std::shared_ptr<py::list> head(first, &DeleteWithGil<py::list>);
    return StartTask(self->has_merge_operator, CollectRows(self->it.get(), wanted),
                     [self, head, wanted](Result<std::vector<KeyValue>> r) -> py::object {
                       self->busy.store(false);
                       std::vector<KeyValue> rows = UnwrapUniffi(std::move(r));
                       if (rows.size() < wanted) self->done = true;
                       py::list result = *head;
                       for (const KeyValue& kv : rows) result.append(RowPair(kv));
                       return std::move(result);
                     });
  } catch (...) {
    self->busy.store(false);
    throw;
  }
}

py::object IterSeek(const std::shared_ptr<PyIterator>& self, std::string key) {
  if (!self->it) {
    // An empty range: every key lies outside it.
    ThrowUniffi(Status::Invalid("cannot seek to a key outside the iterator range"));
  }
  Busy busy(*self);
  busy.Release();
  try {
    return StartTask(self->has_merge_operator, self->it->Seek(std::move(key)),
                     [self](Status s) -> py::object {
                       self->busy.store(false);
                       CheckUniffi(s);
                       self->done = false;
                       return py::none();
                     });
  } catch (...) {
    self->busy.store(false);
    throw;
  }
}

// ---------------------------------------------------------------------------- transactions

Transaction& OpenTxn(PyTransaction& self) {
  if (!self.txn) ThrowUniffiInvalid("transaction has already been completed");
  return *self.txn;
}

// Ends a transaction with the GIL released: ending takes the database's lock, which an
// engine thread may hold while it calls the Python merge operator.
void EndTxn(std::unique_ptr<Transaction> txn) {
  if (!txn) return;
  py::gil_scoped_release release;
  txn.reset();
}

}  // namespace

py::object KeyValueRowToPy(Result<std::optional<KeyValueRow>> r) { return RowToPy(std::move(r)); }

ScanOptions MakeScan(int durability, bool dirty, int order, const py::object& prefix) {
  ScanOptions options;
  static_cast<ReadOptions&>(options) = MakeRead(durability, dirty);
  options.order = order == 1 ? IterationOrder::kDescending : IterationOrder::kAscending;
  if (!prefix.is_none()) options.filter_prefix = std::string(prefix.cast<py::bytes>());
  return options;
}

std::optional<std::vector<FilterPolicy>> FilterPoliciesFromPy(const py::object& policies) {
  if (policies.is_none()) return std::nullopt;
  std::vector<FilterPolicy> out;
  for (const py::handle& item : policies.cast<py::list>()) {
    auto t = item.cast<py::tuple>();
    FilterPolicy policy;
    policy.bits_per_key = t[0].cast<uint32_t>();
    policy.whole_key_filtering = t[1].cast<bool>();
    policy.prefix_extractor = WrapPrefixExtractor(t[2]);
    out.push_back(std::move(policy));
  }
  return out;
}

std::vector<CacheTarget> CacheTargetsFromPy(const py::list& targets) {
  std::vector<CacheTarget> out;
  for (const py::handle& item : targets) {
    auto t = item.cast<py::tuple>();
    auto bound = [](const py::handle& b) -> std::optional<std::string> {
      if (b.is_none()) return std::nullopt;
      return std::string(b.cast<py::bytes>());
    };
    CacheTarget target =
        CacheTarget::Data(bound(t[1]), t[2].cast<bool>(), bound(t[3]), t[4].cast<bool>());
    target.kind = static_cast<CacheTarget::Kind>(t[0].cast<int>());
    out.push_back(std::move(target));
  }
  return out;
}

void RegisterUniffiDb(py::module_& m) {
  m.def("set_record_classes", [](py::object key_value) {
    if (!PyType_Check(key_value.ptr())) throw py::type_error("KeyValue must be a class");
    Py_INCREF(key_value.ptr());  // held for the life of the process
    g_key_value = reinterpret_cast<PyTypeObject*>(key_value.ptr());
  });
  // Opening. `settings` is the core's settings (a _Settings, slatedb/settings.h); `merge` a
  // callable (key, existing, operand) -> bytes that raises to fail the merge, or None.
  // `wal_store`: the WAL's own store, or None; `seed`: with_seed's, or None.
  m.def("db_open",
        [](const StoreHandle& store, const std::string& path, const PySettings& settings,
           const py::object& merge, const std::optional<StoreHandle>& wal_store,
           std::optional<uint64_t> seed, const py::object& segments, const py::object& filters,
           std::shared_ptr<DbCache> cache, std::optional<uint64_t> cache_id) {
          DbOptions options;
          options.db_cache = std::move(cache);  // None: the settings' own block cache
          options.db_cache_id = cache_id;
          options.object_store = store.store;
          if (wal_store) options.wal_object_store = wal_store->store;
          options.seed = seed;
          options.executor = SharedExecutor();
          options.clock = SharedClock();
          options.path = path;
          options.settings = settings.settings;
          bool has_merge = !merge.is_none();
          if (has_merge) options.merge_operator = WrapMergeOperator(merge, MergeFailure::kFail);
          options.segment_extractor = WrapPrefixExtractor(segments);
          options.filter_policies = FilterPoliciesFromPy(filters);
          return StartTask(true, Db::Open(std::move(options)),
                           [has_merge](Result<std::shared_ptr<Db>> r) {
                             PyDb out;
                             out.db = UnwrapUniffi(std::move(r));
                             out.has_merge_operator = has_merge;
                             return py::cast(std::move(out));
                           });
        });

  // Writes: (seq, create_ts).
  m.def("db_put", [](PyDb& self, const py::bytes& key, const py::bytes& value) {
    Db& db = OpenDb(self);
    std::string_view k = key, v = value;
    return StartTask(self.has_merge_operator, db.Put(k, v, PutOptions(), NonDurable()), HandleToPy);
  });
  m.def("db_write_one", [](PyDb& self, int kind, const py::bytes& key, const py::bytes& value,
                           int ttl_kind, int64_t ttl_ms, uint64_t seqnum) {
    WriteBatch batch;
    AddWrite(batch, OpType(kind), std::string_view(key), std::string_view(value),
             MakeTtl(ttl_kind, ttl_ms));
    return Write(self, std::move(batch), seqnum);
  });
  // Writes the batch and empties it (the Python layer marks it consumed).
  m.def("db_write", [](PyDb& self, PyWriteBatch& batch, uint64_t seqnum) {
    WriteBatch taken = std::move(batch.batch);
    batch.batch.Clear();
    return Write(self, std::move(taken), seqnum);
  });

  // Reads.
  m.def("db_get", [](PyDb& self, const py::bytes& key, int durability, bool dirty) {
    Db& db = OpenDb(self);
    std::string_view k = key;
    ReadOptions options = MakeRead(durability, dirty);
    if (!self.has_merge_operator) {
      Result<std::optional<std::string>> now = Status::Internal("unset");
      if (db.TryGet(k, options, &now)) return ValueToPyUniffi(std::move(now));
    }
    return StartTask(self.has_merge_operator, db.Get(k, options), ValueToPyUniffi);
  });
  m.def("db_get_key_value", [](PyDb& self, const py::bytes& key, int durability, bool dirty) {
    Db& db = OpenDb(self);
    return StartTask(self.has_merge_operator,
                     db.GetKeyValue(std::string_view(key), MakeRead(durability, dirty)), RowToPy);
  });
  // [lo, hi) with lo non-empty; an empty hi is unbounded.
  // order: slatedb.uniffi.IterationOrder value (0 ascending, 1 descending).
  m.def("db_scan", [](PyDb& self, const py::bytes& lo, const py::bytes& hi, int durability,
                      bool dirty, int order, const py::object& prefix) {
    Db& db = OpenDb(self);
    std::shared_ptr<Db> keep = self.db;
    bool merge = self.has_merge_operator;
    return StartTask(merge,
                     db.Scan(std::string_view(lo), std::string_view(hi),
                             MakeScan(durability, dirty, order, prefix)),
                     [keep, merge](Result<std::unique_ptr<DbIterator>> r) {
                       return ScanResult(keep, merge, std::move(r));
                     });
  });
  m.def("empty_iterator", &EmptyIterator);

  m.def("db_snapshot", [](PyDb& self) {
    Db& db = OpenDb(self);
    Result<std::shared_ptr<Snapshot>> snap = Status::Internal("unset");
    {
      py::gil_scoped_release release;
      snap = db.GetSnapshot();
    }
    PySnapshot out;
    out.snapshot = UnwrapUniffi(std::move(snap));
    out.db = self.db;
    out.has_merge_operator = self.has_merge_operator;
    return py::cast(std::move(out));
  });
  // isolation: slatedb.uniffi.IsolationLevel value (0 snapshot, 1 serializable snapshot).
  m.def("db_begin", [](PyDb& self, int isolation) {
    Db& db = OpenDb(self);
    Result<std::unique_ptr<Transaction>> begun = Status::Internal("unset");
    {
      py::gil_scoped_release release;  // registers under the database's lock
      begun = db.Begin(isolation == 0 ? IsolationLevel::kSnapshot
                                      : IsolationLevel::kSerializableSnapshot);
    }
    PyTransaction out;
    out.txn = UnwrapUniffi(std::move(begun));
    out.db = self.db;
    out.has_merge_operator = self.has_merge_operator;
    return py::cast(std::move(out));
  });

  // flush_type: slatedb.uniffi.FlushType value (0 memtable, 1 WAL).
  m.def("db_flush", [](PyDb& self, int flush_type) {
    Db& db = OpenDb(self);
    return StartTask(true, db.Flush(flush_type == 0 ? FlushType::kMemTable : FlushType::kWal),
                     NoneOrRaise);
  });
  // flush_type: as db_flush, or -1 for no final flush.
  m.def("db_close", [](PyDb& self, int flush_type) {
    Db& db = OpenDb(self);
    CloseOptions options;
    if (flush_type < 0) {
      options.flush = std::nullopt;
    } else {
      options.flush = flush_type == 0 ? FlushType::kMemTable : FlushType::kWal;
    }
    return StartTask(true, db.Close(options), NoneOrRaise);
  });
  // Completes once `seq` is durable, without forcing a WAL flush (Db::AwaitDurable).
  m.def("db_await_durable", [](PyDb& self, uint64_t seq) {
    Db& db = OpenDb(self);
    return StartTask(self.has_merge_operator, db.AwaitDurable(seq), NoneOrRaise);
  });
  // Per-SST cache control (slatedb/sst_cache.h); `targets` as CacheTargetsFromPy takes.
  m.def("db_warm_sst", [](PyDb& self, const std::string& id, const py::list& targets) {
    Db& db = OpenDb(self);
    return StartTask(true, db.WarmSst(id, CacheTargetsFromPy(targets)), NoneOrRaise);
  });
  m.def("db_evict_cached_sst", [](PyDb& self, const std::string& id) {
    return StartTask(true, OpenDb(self).EvictCachedSst(id), NoneOrRaise);
  });
  m.def("db_flush_cache_to_disk",
        [](PyDb& self) { return StartTask(true, OpenDb(self).FlushCacheToDisk(), NoneOrRaise); });
  m.def("db_durable_seq", [](PyDb& self) { return OpenDb(self).durable_seq(); });
  // The live segment prefixes, as bytes (the GIL released: it takes the database's lock).
  m.def("db_segments", [](PyDb& self) {
    std::vector<std::string> prefixes;
    {
      Db& db = OpenDb(self);
      py::gil_scoped_release release;
      prefixes = db.Segments();
    }
    py::list out;
    for (const std::string& p : prefixes) out.append(py::bytes(p));
    return out;
  });
  // None while open, else the exception every call now raises.
  m.def("db_closed_error", [](PyDb& self) -> py::object {
    Status s = OpenDb(self).status();
    if (s.ok()) return py::none();
    return UniffiError(s);
  });
  m.def("db_metrics", [](PyDb& self) { return OpenDb(self).Metrics(); });

  // ---------------------------------------------------------------------------- batches
  m.def("batch_new", []() { return py::cast(PyWriteBatch()); });
  m.def("batch_add", [](PyWriteBatch& self, int kind, const py::bytes& key, const py::bytes& value,
                        int ttl_kind, int64_t ttl_ms) {
    AddWrite(self.batch, OpType(kind), std::string_view(key), std::string_view(value),
             MakeTtl(ttl_kind, ttl_ms));
  });
  m.def("batch_size", [](const PyWriteBatch& self) { return self.batch.size(); });

  // -------------------------------------------------------------------------- iterators
  m.def("iter_next", &IterNext);
  m.def("iter_next_batch", &IterNextBatch);
  m.def("iter_seek", [](const std::shared_ptr<PyIterator>& self, const py::bytes& key) {
    return IterSeek(self, std::string(key));
  });

  // -------------------------------------------------------------------------- snapshots
  m.def("snapshot_get", [](PySnapshot& self, const py::bytes& key, int durability, bool dirty) {
    return StartTask(self.has_merge_operator,
                     self.snapshot->Get(std::string_view(key), MakeRead(durability, dirty)),
                     ValueToPyUniffi);
  });
  m.def("snapshot_get_key_value", [](PySnapshot& self, const py::bytes& key, int durability,
                                     bool dirty) {
    return StartTask(self.has_merge_operator,
                     self.snapshot->GetKeyValue(std::string_view(key), MakeRead(durability, dirty)),
                     RowToPy);
  });
  m.def("snapshot_scan", [](PySnapshot& self, const py::bytes& lo, const py::bytes& hi,
                            int durability, bool dirty, int order, const py::object& prefix) {
    std::shared_ptr<Db> keep = self.db;
    bool merge = self.has_merge_operator;
    return StartTask(merge,
                     self.snapshot->Scan(std::string_view(lo), std::string_view(hi),
                                         MakeScan(durability, dirty, order, prefix)),
                     [keep, merge](Result<std::unique_ptr<DbIterator>> r) {
                       return ScanResult(keep, merge, std::move(r));
                     });
  });

  // ----------------------------------------------------------------------- transactions
  m.def("txn_seq", [](PyTransaction& self) { return OpenTxn(self).seq(); });
  m.def("txn_get", [](PyTransaction& self, const py::bytes& key, int durability, bool dirty) {
    Transaction& txn = OpenTxn(self);
    std::string_view k = key;
    ReadOptions options = MakeRead(durability, dirty);
    if (!self.has_merge_operator) {
      Result<std::optional<std::string>> now = Status::Internal("unset");
      if (txn.TryGet(k, options, &now)) return ValueToPyUniffi(std::move(now));
    }
    return StartTask(self.has_merge_operator, txn.Get(k, options), ValueToPyUniffi);
  });
  m.def("txn_get_key_value", [](PyTransaction& self, const py::bytes& key, int durability,
                                bool dirty) {
    Transaction& txn = OpenTxn(self);
    return StartTask(self.has_merge_operator,
                     txn.GetKeyValue(std::string_view(key), MakeRead(durability, dirty)), RowToPy);
  });
  m.def("txn_scan", [](PyTransaction& self, const py::bytes& lo, const py::bytes& hi,
                       int durability, bool dirty, int order, const py::object& prefix) {
    Transaction& txn = OpenTxn(self);
    std::shared_ptr<Db> keep = self.db;
    bool merge = self.has_merge_operator;
    return StartTask(merge,
                     txn.Scan(std::string_view(lo), std::string_view(hi),
                              MakeScan(durability, dirty, order, prefix)),
                     [keep, merge](Result<std::unique_ptr<DbIterator>> r) {
                       return ScanResult(keep, merge, std::move(r));
                     });
  });
  m.def("txn_write", [](PyTransaction& self, int kind, const py::bytes& key, const py::bytes& value,
                        int ttl_kind, int64_t ttl_ms) {
    Transaction& txn = OpenTxn(self);
    WriteBatch::OpType type = OpType(kind);
    std::string_view k = key, v = value;
    ResolvedWrite w = ResolveTtl(type, MakeTtl(ttl_kind, ttl_ms));
    Status s;
    {
      py::gil_scoped_release release;
      if (type == WriteBatch::OpType::kDelete || w.as_delete) {
        s = txn.Delete(k);
      } else if (type == WriteBatch::OpType::kPut) {
        s = txn.Put(k, v, w.options);
      } else {
        s = txn.Merge(k, v, w.options);
      }
    }
    CheckUniffi(s);
  });
  m.def("txn_mark_read", [](PyTransaction& self, const std::vector<std::string>& keys) {
    Transaction& txn = OpenTxn(self);
    for (const std::string& key : keys) CheckUniffi(txn.MarkRead(key));
  });
  m.def("txn_unmark_write", [](PyTransaction& self, const std::vector<std::string>& keys) {
    Transaction& txn = OpenTxn(self);
    for (const std::string& key : keys) CheckUniffi(txn.UnmarkWrite(key));
  });
  // (seq, create_ts), or None when nothing was written. Completes the transaction.
  m.def("txn_commit", [](PyTransaction& self, uint64_t seqnum) {
    OpenTxn(self);
    std::unique_ptr<Transaction> txn = std::move(self.txn);
    // The commit Task does not refer to the Transaction object, which may go now.
    py::object out = StartTask(true, txn->Commit(NonDurable(seqnum)),
                               [](Result<std::optional<WriteHandle>> r) -> py::object {
                                 std::optional<WriteHandle> h = UnwrapUniffi(std::move(r));
                                 if (!h) return py::none();
                                 return py::make_tuple(h->seq, h->create_ts);
                               });
    EndTxn(std::move(txn));
    return out;
  });
  m.def("txn_rollback", [](PyTransaction& self) {
    OpenTxn(self);
    std::unique_ptr<Transaction> txn = std::move(self.txn);
    {
      py::gil_scoped_release release;
      txn->Rollback();
    }
    EndTxn(std::move(txn));
  });
}

}  // namespace slatedb::python
