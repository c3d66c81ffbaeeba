// SPDX-License-Identifier: Apache-2.0
//
// The binding's native classes and the functions that register them on the module.
#pragma once

#include <pybind11/pybind11.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "slatedb/slatedb.h"

namespace slatedb::python {

// The object store chosen by the Python layer (memory, local directory, ...).
struct StoreHandle {
  std::shared_ptr<ObjectStore> store;
};

// A writer handle (the native base of slatedb.SlateDB).
struct PyDb {
  std::shared_ptr<Db> db;
  bool has_merge_operator = false;
};

// A scan in progress. `busy` rejects overlapping calls (the core iterator is single-user).
struct PyIterator {
  std::unique_ptr<DbIterator> it;
  std::shared_ptr<Db> db;  // keeps the database's memory alive while iterating
  bool has_merge_operator = false;
  bool done = false;
  std::atomic<bool> busy{false};
};

struct PySnapshot {
  std::shared_ptr<Snapshot> snapshot;
  std::shared_ptr<Db> db;
  bool has_merge_operator = false;
};

// A transaction; `txn` is null once committed or rolled back.
struct PyTransaction {
  std::unique_ptr<Transaction> txn;
  std::shared_ptr<Db> db;
  bool has_merge_operator = false;

  PyTransaction() = default;
  PyTransaction(PyTransaction&&) = default;
  PyTransaction& operator=(PyTransaction&&) = default;
  ~PyTransaction();  // rolls back an open transaction with the GIL released
};

struct PyWriteBatch {
  WriteBatch batch;
};

// Settings being put together by the Python layer (py_settings.cc).
struct PySettings {
  Settings settings;
};

// A reader handle (the native base of slatedb.SlateDBReader, and slatedb.uniffi.DbReader).
struct PyReader {
  std::shared_ptr<DbReader> reader;
  // DefineScanMethods hands `db` to iterators to keep a writer alive; a reader's iterators
  // keep the reader's engine alive themselves, so this stays empty.
  std::shared_ptr<Db> db;
  bool has_merge_operator = false;
};

// An admin handle (the native base of slatedb.SlateDBAdmin, and slatedb.uniffi.Admin).
struct PyAdmin {
  std::shared_ptr<Admin> admin;
};

// ClosedError (with the handle's close reason) unless `self`'s database is open.
void CheckOpen(PyDb& self);

void RegisterStores(pybind11::module_& m);
void RegisterSettings(pybind11::module_& m);  // py_settings.cc
void RegisterDb(pybind11::module_& m);
void RegisterIterator(pybind11::module_& m);
void RegisterSnapshot(pybind11::module_& m);
void RegisterWriteBatch(pybind11::module_& m);
void RegisterTransaction(pybind11::module_& m);
// SlateDB.begin / begin_async (defined with the transaction class).
void DefineTransactionMethods(pybind11::class_<PyDb>& db_class);
void RegisterReader(pybind11::module_& m);  // py_reader.cc
void RegisterAdmin(pybind11::module_& m);   // py_admin.cc
void RegisterUniffi(pybind11::module_& m);  // uniffi_module.cc: the `_uniffi` submodule

// Shared by Db and Snapshot scans.
pybind11::object NewIterator(std::unique_ptr<DbIterator> it, std::shared_ptr<Db> db,
                             bool has_merge_operator);
// The exclusive end of scan(start, end): [start, start + 0xff) when end is None (upstream's
// rule); InvalidError for an empty start, and for an empty end or one not after start (where
// upstream's engine panics, with these texts).
std::string ScanEnd(const std::string& start, const std::optional<std::string>& end);
// The end of scan_prefix(prefix): successor(prefix); empty (no bound) for an empty or
// all-0xff prefix.
std::string PrefixEnd(const std::string& prefix);

// The seed API's scans are ascending: its read options as the core's scan options.
inline ScanOptions AsScanOptions(const ReadOptions& read) {
  ScanOptions options;
  static_cast<ReadOptions&>(options) = read;
  return options;
}

}  // namespace slatedb::python
