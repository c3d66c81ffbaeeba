// SPDX-License-Identifier: Apache-2.0
#include "uniffi_errors.h"

#include "error_texts.h"
#include "slatedb/error_kinds.h"

namespace slatedb::python {

namespace py = pybind11;

namespace {

// Owned for the life of the process (set once at import).
py::object* g_factory = nullptr;

// slatedb.uniffi.CloseReason values. A background step that failed for good is what
// upstream reports as a panicked background task.
int UpstreamReason(CloseReason reason) {
  switch (reason) {
    case CloseReason::kClean:
      return 0;
    case CloseReason::kFenced:
      return 1;
    case CloseReason::kBackgroundError:
      return 2;
    case CloseReason::kNone:
      break;
  }
  return 3;
}

// The variant names are the core's table (ErrorKindInfo::uniffi_variant).
py::object Make(ErrorKind kind, const py::object& reason, const std::string& message) {
  if (g_factory == nullptr) throw std::runtime_error(message);  // not imported through Python
  return (*g_factory)(ErrorKindInfoOf(kind).uniffi_variant, reason, message);
}

}  // namespace

void RegisterUniffiErrors(py::module_& m) {
  m.def("set_error_factory", [](py::object factory) {
    if (g_factory == nullptr) g_factory = new py::object();
    *g_factory = std::move(factory);
  });
}

py::object UniffiError(const Status& status) {
  return UniffiErrorWithMessage(status, UpstreamEngineMessage(status));
}

py::object UniffiErrorWithMessage(const Status& status, const std::string& message) {
  ErrorKind kind = ErrorKindInfoOf(status.kind()).kind;  // kNone reads as Internal
  if (kind == ErrorKind::kClosed) {
    return Make(kind, py::int_(UpstreamReason(status.close_reason())), message);
  }
  return Make(kind, py::none(), message);
}

[[noreturn]] void ThrowUniffi(const Status& status) {
  py::object error = UniffiError(status);
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(error.ptr())), error.ptr());
  throw py::error_already_set();
}

[[noreturn]] void ThrowUniffiInvalid(const std::string& message) {
  py::object error = Make(ErrorKind::kInvalid, py::none(), message);
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(error.ptr())), error.ptr());
  throw py::error_already_set();
}

}  // namespace slatedb::python
