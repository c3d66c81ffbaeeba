// SPDX-License-Identifier: Apache-2.0
//
// The conversions around get_many, per key, so they stay cheap next to the core's batched
// read: a list or tuple of bytes is read through the C API (no iterator object, no
// reference counting per key), and the result list is built in place.
#include "get_many_methods.h"

namespace slatedb::python {

namespace {

constexpr Py_ssize_t kPrefetchAhead = 8;

void AddBytes(PyObject* obj, std::vector<std::string>* out) {
  const Py_ssize_t size = PyBytes_GET_SIZE(obj);
  if (size == 0) seed::CheckNotEmpty(std::string());
  out->emplace_back(PyBytes_AS_STRING(obj), static_cast<size_t>(size));
}

void AddKey(const py::handle& item, std::vector<std::string>* out) {
  PyObject* obj = item.ptr();
  if (PyBytes_Check(obj)) {
    AddBytes(obj, out);
    return;
  }
  std::string k = seed::Bytes(item, "key");
  seed::CheckNotEmpty(k);
  out->push_back(std::move(k));
}

}  // namespace

std::vector<std::string> ManyKeys(const py::object& keys) {
  std::vector<std::string> out;
  PyObject* obj = keys.ptr();
  if (PyList_Check(obj) || PyTuple_Check(obj)) {
    out.reserve(static_cast<size_t>(Py_SIZE(obj)));
    // The size and the item array are read again each step: converting an item that is not
    // bytes may run Python code that changes the list, as a list iterator allows. A bytes
    // item is read through its borrowed pointer (nothing runs between the read and the
    // copy); the others go through a counted reference.
    for (Py_ssize_t i = 0; i < Py_SIZE(obj); ++i) {
      PyObject** items = PySequence_Fast_ITEMS(obj);
      // The items of a shuffled list lie scattered in memory: asking for one a few steps
      // ahead overlaps its cache miss with this step's copy.
      if (i + kPrefetchAhead < Py_SIZE(obj)) __builtin_prefetch(items[i + kPrefetchAhead]);
      PyObject* item = items[i];
      if (PyBytes_Check(item)) {
        AddBytes(item, &out);
      } else {
        AddKey(py::reinterpret_borrow<py::object>(item), &out);
      }
    }
    return out;
  }
  if (py::hasattr(keys, "__len__")) out.reserve(py::len(keys));
  for (const py::handle item : py::iter(keys)) AddKey(item, &out);
  return out;
}

py::object ValuesToPy(MultiGetResult r) {
  if (!r.ok()) ThrowStatus(r.status());
  const std::vector<std::optional<std::string>>& values = *r;
  // Items not yet set are NULL, which the list's deallocation skips if a conversion fails.
  py::object out =
      py::reinterpret_steal<py::object>(PyList_New(static_cast<Py_ssize_t>(values.size())));
  if (!out) throw py::error_already_set();
  for (size_t i = 0; i < values.size(); ++i) {
    // Values were made in key order and are read in the caller's: see ManyKeys.
    const size_t ahead = i + static_cast<size_t>(kPrefetchAhead);
    if (ahead < values.size() && values[ahead]) {
      __builtin_prefetch(values[ahead]->data());
    }
    PyObject* item;
    if (values[i]) {
      item =
          PyBytes_FromStringAndSize(values[i]->data(), static_cast<Py_ssize_t>(values[i]->size()));
      if (item == nullptr) throw py::error_already_set();
    } else {
      Py_INCREF(Py_None);
      item = Py_None;
    }
    PyList_SET_ITEM(out.ptr(), static_cast<Py_ssize_t>(i), item);
  }
  return out;
}

}  // namespace slatedb::python
