// SPDX-License-Identifier: Apache-2.0
#include "errors.h"

#include "error_texts.h"
#include "slatedb/error_kinds.h"

namespace slatedb::python {

namespace py = pybind11;

namespace {

// Indexed by ErrorKind; kNone unused. Owned by the module for the life of the process.
PyObject* g_classes[7] = {};

PyObject* ClassFor(ErrorKind kind) {
  PyObject* cls = g_classes[static_cast<int>(kind)];
  return cls != nullptr ? cls : g_classes[static_cast<int>(ErrorKind::kInternal)];
}

}  // namespace

void RegisterExceptions(py::module_& m) {
  // The classes and their names come from the core's table (slatedb/error_kinds.h).
  for (const ErrorKindInfo& info : ErrorKinds()) {
    std::string qualified = std::string("slatedb.") + info.python_class;
    PyObject* cls = PyErr_NewException(qualified.c_str(), PyExc_Exception, nullptr);
    if (cls == nullptr) throw py::error_already_set();
    g_classes[static_cast<int>(info.kind)] = cls;
    m.attr(info.python_class) = py::handle(cls);
  }
}

[[noreturn]] void ThrowStatus(const Status& status) {
  PyErr_SetString(ClassFor(status.kind()), SeedEngineMessage(status).c_str());
  throw py::error_already_set();
}

[[noreturn]] void ThrowPlain(ErrorKind kind, const std::string& message) {
  PyErr_SetString(ClassFor(kind), message.c_str());
  throw py::error_already_set();
}

[[noreturn]] void ThrowInvalid(const std::string& message) {
  PyErr_SetString(ClassFor(ErrorKind::kInvalid), message.c_str());
  throw py::error_already_set();
}

[[noreturn]] void ThrowClosed(const std::string& message) {
  PyErr_SetString(ClassFor(ErrorKind::kClosed), message.c_str());
  throw py::error_already_set();
}

py::object ExceptionFor(const Status& status) {
  return py::reinterpret_borrow<py::object>(ClassFor(status.kind()))(SeedEngineMessage(status));
}

}  // namespace slatedb::python
