// SPDX-License-Identifier: Apache-2.0
//
// SlateDBTransaction (SlateDB.begin / begin_async): reads that see the transaction's own
// writes, buffered writes, commit and rollback. After commit (whatever its outcome) or
// rollback every method but rollback raises ClosedError("transaction is closed").
//
// As upstream, the *_async reads block at call time (GIL released) and return a resolved
// future; scans come from the shared scan methods; commit_async is truly asynchronous.
#include "bindings.h"
#include "get_many_methods.h"
#include "runtime.h"
#include "scan_methods.h"
#include "seed_args.h"

namespace slatedb::python {

namespace {

Transaction& Open(PyTransaction& self) {
  if (!self.txn) ThrowClosed("transaction is closed");
  return *self.txn;
}

py::object Resolved(py::object value) {
  FuturePtr pending = NewFuture();
  pending->future.attr("set_result")(value);
  return pending->future;
}

IsolationLevel ParseIsolation(const py::object& value) {
  std::optional<std::string> given = seed::OptionalStr(value, "isolation");
  if (!given) return IsolationLevel::kSnapshot;
  std::string text = seed::Lower(*given);
  if (text == "si" || text == "snapshot") return IsolationLevel::kSnapshot;
  if (text == "ssi" || text == "serializable" || text == "serializable_snapshot") {
    return IsolationLevel::kSerializableSnapshot;
  }
  ThrowInvalid("invalid isolation level: " + text + " (expected 'si' or 'ssi')");
}

// Ends `txn` (a rollback if still open) with the GIL released: ending takes the
// database's mutex, which an engine thread may hold while calling the Python merge operator.
void EndWithoutGil(std::unique_ptr<Transaction> txn) {
  if (!txn) return;
  if (Py_IsInitialized() && PyGILState_Check()) {
    py::gil_scoped_release release;
    txn.reset();
  } else {
    txn.reset();
  }
}

py::object Begin(PyDb& self, IsolationLevel isolation) {
  CheckOpen(self);
  PyTransaction out;
  Result<std::unique_ptr<Transaction>> begun = Status::Internal("unset");
  {
    py::gil_scoped_release release;  // registers under the database's mutex
    begun = self.db->Begin(isolation);
  }
  out.txn = Unwrap(std::move(begun));
  out.db = self.db;
  out.has_merge_operator = self.has_merge_operator;
  return py::cast(std::move(out));
}

// Reads answered from memory skip the blocking machinery (see runtime.h for the GIL rule).
py::object Get(PyTransaction& self, const std::string& key, const ReadOptions& options) {
  Transaction& txn = Open(self);
  Result<std::optional<std::string>> out = Status::Internal("unset");
  if (!self.has_merge_operator && txn.TryGet(key, options, &out)) return ValueToPy(out);
  return ValueToPy(CallBlocking([&] { return txn.Get(key, options); }));
}

void Check(const Status& status) {
  if (!status.ok()) ThrowStatus(status);
}

std::string Key(const py::object& key) {
  std::string k = seed::Bytes(key, "key");
  seed::CheckNotEmpty(k);
  return k;
}

// Buffers one write: arguments converted, the key checked, then the transaction.
void Buffer(PyTransaction& self, WriteBatch::OpType type, const py::object& key,
            const py::object* value, const py::object* ttl) {
  std::string k = seed::Bytes(key, "key");
  std::string v = value != nullptr ? seed::Bytes(*value, "value") : std::string();
  seed::Ttl t = ttl != nullptr ? seed::OptionalU64(*ttl, "ttl") : seed::Ttl();
  seed::CheckNotEmpty(k);
  Transaction& txn = Open(self);
  bool as_delete = false;
  PutOptions options = seed::PutOptionsOf(type, t, &as_delete);
  if (type == WriteBatch::OpType::kDelete || as_delete) {
    Check(txn.Delete(k));
  } else if (type == WriteBatch::OpType::kPut) {
    Check(txn.Put(k, v, options));
  } else {
    Check(txn.Merge(k, v, options));
  }
}

py::object CommitResult(Result<std::optional<WriteHandle>> r) {
  if (!r.ok()) ThrowStatus(r.status());
  if (!r->has_value()) return py::none();
  return WriteHandleToPy(**r);
}

}  // namespace

PyTransaction::~PyTransaction() { EndWithoutGil(std::move(txn)); }

void DefineTransactionMethods(py::class_<PyDb>& db_class) {
  db_class
      .def(
          "begin",
          [](PyDb& self, const py::object& isolation) {
            return Begin(self, ParseIsolation(isolation));
          },
          py::arg("isolation") = py::none())
      .def(
          "begin_async",
          [](PyDb& self, const py::object& isolation) {
            IsolationLevel level = ParseIsolation(isolation);  // raises at call time
            return Resolved(Begin(self, level));
          },
          py::arg("isolation") = py::none());
}

void RegisterTransaction(py::module_& m) {
  const auto none = py::none();
  py::class_<PyTransaction> txn_class(m, "SlateDBTransaction");
  txn_class
      .def(
          "get",
          [](PyTransaction& self, const py::object& key) {
            return Get(self, Key(key), ReadOptions());
          },
          py::arg("key"))
      .def(
          "get_async",
          [](PyTransaction& self, const py::object& key) {
            return Resolved(Get(self, Key(key), ReadOptions()));
          },
          py::arg("key"))
      .def(
          "get_with_options",
          [](PyTransaction& self, const py::object& key, const py::object& durability_filter,
             const py::object& dirty, const py::object& cache_blocks) {
            std::string k = seed::Bytes(key, "key");
            seed::ReadArgs args = seed::ConvertReadArgs(durability_filter, dirty, cache_blocks);
            seed::CheckNotEmpty(k);
            Open(self);
            return Get(self, k, seed::ReadOptionsOf(args));
          },
          py::arg("key"), py::kw_only(), py::arg("durability_filter") = none,
          py::arg("dirty") = none, py::arg("cache_blocks") = none)
      .def(
          "get_with_options_async",
          [](PyTransaction& self, const py::object& key, const py::object& durability_filter,
             const py::object& dirty, const py::object& cache_blocks) {
            std::string k = seed::Bytes(key, "key");
            seed::ReadArgs args = seed::ConvertReadArgs(durability_filter, dirty, cache_blocks);
            seed::CheckNotEmpty(k);
            Open(self);
            return Resolved(Get(self, k, seed::ReadOptionsOf(args)));
          },
          py::arg("key"), py::kw_only(), py::arg("durability_filter") = none,
          py::arg("dirty") = none, py::arg("cache_blocks") = none)
      .def(
          "put",
          [](PyTransaction& self, const py::object& key, const py::object& value) {
            Buffer(self, WriteBatch::OpType::kPut, key, &value, nullptr);
          },
          py::arg("key"), py::arg("value"))
      .def(
          "put_with_options",
          [](PyTransaction& self, const py::object& key, const py::object& value,
             const py::object& ttl) { Buffer(self, WriteBatch::OpType::kPut, key, &value, &ttl); },
          py::arg("key"), py::arg("value"), py::kw_only(), py::arg("ttl") = none)
      .def(
          "delete",
          [](PyTransaction& self, const py::object& key) {
            Buffer(self, WriteBatch::OpType::kDelete, key, nullptr, nullptr);
          },
          py::arg("key"))
      .def(
          "merge",
          [](PyTransaction& self, const py::object& key, const py::object& value) {
            Buffer(self, WriteBatch::OpType::kMerge, key, &value, nullptr);
          },
          py::arg("key"), py::arg("value"))
      .def(
          "merge_with_options",
          [](PyTransaction& self, const py::object& key, const py::object& value,
             const py::object& ttl) {
            Buffer(self, WriteBatch::OpType::kMerge, key, &value, &ttl);
          },
          py::arg("key"), py::arg("value"), py::kw_only(), py::arg("ttl") = none)
      .def("commit",
           [](PyTransaction& self) {
             std::unique_ptr<Transaction> txn = std::move(self.txn);  // consumed by the attempt
             if (!txn) ThrowClosed("transaction is closed");
             auto committed = CallBlocking([&] { return txn->Commit(); });
             EndWithoutGil(std::move(txn));
             return CommitResult(std::move(committed));
           })
      .def("commit_async",
           [](PyTransaction& self) {
             std::unique_ptr<Transaction> txn = std::move(self.txn);
             if (!txn) ThrowClosed("transaction is closed");
             // The commit Task does not refer to the Transaction object, which may go now.
             py::object future = SpawnAsync([&] { return txn->Commit(); }, &CommitResult);
             EndWithoutGil(std::move(txn));
             return future;
           })
      .def("rollback", [](PyTransaction& self) { EndWithoutGil(std::move(self.txn)); });
  DefineGetManyMethods(txn_class, [](PyTransaction& self, std::vector<std::string> keys) {
    return Open(self).MultiGet(std::move(keys));
  });
  DefineScanMethods(txn_class, [](PyTransaction& self, const std::string& lo, const std::string& hi,
                                  const ReadOptions& options) {
    return Open(self).Scan(lo, hi, AsScanOptions(options));
  });
}

}  // namespace slatedb::python
