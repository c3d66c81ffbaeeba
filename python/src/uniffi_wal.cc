// SPDX-License-Identifier: Apache-2.0
//
// The native calls behind slatedb.uniffi.SlateDbWalReader and SlateDbWalIterator, over the
// core's WalReader (slatedb/wal_reader.h). The iterator's wait at the tail is the Python
// layer's (python/slatedb/uniffi/_wal.py): here a call answers "nothing newer yet" at once,
// so a cancelled wait leaves no engine task behind.
#include <pybind11/stl.h>

#include "async_call.h"
#include "bindings.h"
#include "error_texts.h"
#include "runtime.h"
#include "slatedb/wal_reader.h"
#include "uniffi_errors.h"
#include "uniffi_module.h"

namespace slatedb::python {

namespace {

struct PyWalReader {
  std::shared_ptr<WalReader> reader;
};

struct PyWalIterator {
  std::shared_ptr<WalFileIterator> it;
};

// Upstream words the WAL reader's data errors its own way (python-uniffi-api.md 3.16).
template <typename T>
T UnwrapWal(Result<T> result) {
  if (result.ok()) return std::move(result).value();
  const Status& s = result.status();
  std::string message =
      s.kind() == ErrorKind::kData ? "WAL data error: " + s.message() : UpstreamEngineMessage(s);
  py::object error = UniffiErrorWithMessage(s, message);
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(error.ptr())), error.ptr());
  throw py::error_already_set();
}

py::object OptionalTs(const std::optional<int64_t>& ts) {
  return ts ? py::object(py::int_(*ts)) : py::object(py::none());
}

// (id, [(kind, key, value or None, seq, create_ts or None, expire_ts or None), ...]) or None.
py::object FileToPy(std::optional<WalFile> file) {
  if (!file) return py::none();
  py::list rows;
  for (const WalRow& r : file->rows) {
    rows.append(py::make_tuple(static_cast<int>(r.kind), ToPy(r.key),
                               r.value ? py::object(ToPy(*r.value)) : py::object(py::none()), r.seq,
                               OptionalTs(r.create_ts), OptionalTs(r.expire_ts)));
  }
  return py::make_tuple(file->id, std::move(rows));
}

}  // namespace

void RegisterUniffiWal(py::module_& m) {
  py::class_<PyWalReader>(m, "WalReaderHandle");
  py::class_<PyWalIterator>(m, "WalIteratorHandle");

  // `wal_store`: None when the WAL lives in `store`.
  m.def("wal_reader_create", [](const StoreHandle& store, const std::string& path,
                                const std::optional<StoreHandle>& wal_store) {
    WalReaderOptions options;
    options.object_store = store.store;
    options.executor = SharedExecutor();
    options.clock = SharedClock();
    options.path = path;
    if (wal_store) options.wal_object_store = wal_store->store;
    return PyWalReader{UnwrapWal(WalReader::Create(std::move(options)))};
  });
  m.def("wal_reader_last_id", [](PyWalReader& self, uint64_t after) {
    std::shared_ptr<WalReader> reader = self.reader;
    return StartTask(true, reader->LastWalFileId(after),
                     [reader](Result<uint64_t> r) { return py::cast(UnwrapWal(std::move(r))); });
  });
  m.def("wal_reader_iterator", [](PyWalReader& self, uint64_t start) {
    return PyWalIterator{std::shared_ptr<WalFileIterator>(self.reader->Iterate(start))};
  });
  // One call at a time per iterator (the Python layer serialises them).
  m.def("wal_iterator_try_next", [](PyWalIterator& self) {
    std::shared_ptr<WalFileIterator> it = self.it;
    return StartTask(true, it->TryNext(), [it](Result<std::optional<WalFile>> r) {
      return FileToPy(UnwrapWal(std::move(r)));
    });
  });
}

}  // namespace slatedb::python
