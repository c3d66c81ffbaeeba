// SPDX-License-Identifier: Apache-2.0
#include "runtime.h"

#include <pybind11/gil_safe_call_once.h>

#include <cctype>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "slatedb/platform/system_clock.h"
#include "slatedb/platform/thread_pool_executor.h"

namespace slatedb::python {

namespace {

// Worker threads of the shared executor: SLATEDB_UNIFFI_RUNTIME_THREADS (a positive integer,
// read once, as upstream's slatedb.uniffi reads it for its runtime), else 4.
size_t ExecutorThreads() {
  const char* text = std::getenv("SLATEDB_UNIFFI_RUNTIME_THREADS");
  if (text != nullptr) {
    char* end = nullptr;
    unsigned long n = std::strtoul(text, &end, 10);
    if (end != text && *end == '\0' && n > 0 && n <= 1024) return n;
  }
  return 4;
}

}  // namespace

std::shared_ptr<Executor> SharedExecutor() {
  // Deliberately never destroyed: its threads may still be finishing engine work while
  // the interpreter shuts down.
  static auto* executor =
      new std::shared_ptr<Executor>(std::make_shared<ThreadPoolExecutor>(ExecutorThreads()));
  return *executor;
}

std::shared_ptr<Clock> SharedClock() {
  static auto* clock = new std::shared_ptr<Clock>(std::make_shared<SystemClock>());
  return *clock;
}

namespace {

// Engine threads inside a PythonScope, and whether the interpreter is exiting.
struct ExitState {
  std::mutex mu;
  std::condition_variable cv;
  int active = 0;
  bool exiting = false;
};

ExitState& Exit() {
  static auto* state = new ExitState();  // never destroyed: used until the very end
  return *state;
}

bool EnterPython() {
  ExitState& e = Exit();
  std::lock_guard<std::mutex> lock(e.mu);
  if (e.exiting || !Py_IsInitialized()) return false;
  ++e.active;
  return true;
}

void LeavePython() {
  ExitState& e = Exit();
  std::lock_guard<std::mutex> lock(e.mu);
  if (--e.active == 0) e.cv.notify_all();
}

}  // namespace

PythonScope::PythonScope() : entered_(EnterPython()) {
  if (entered_) gil_.emplace();
}

PythonScope::~PythonScope() {
  gil_.reset();
  if (entered_) LeavePython();
}

void RegisterExitHook() {
  py::module_::import("atexit").attr("register")(py::cpp_function([] {
    ExitState& e = Exit();
    {
      std::lock_guard<std::mutex> lock(e.mu);
      e.exiting = true;
    }
    // Scopes already inside may be waiting for the GIL: let them finish.
    py::gil_scoped_release release;
    std::unique_lock<std::mutex> lock(e.mu);
    e.cv.wait(lock, [&e] { return e.active == 0; });
  }));
}

std::string ToBytes(const py::handle& value, const char* what) {
  PyObject* obj = value.ptr();
  if (PyBytes_Check(obj)) {
    return std::string(PyBytes_AS_STRING(obj), static_cast<size_t>(PyBytes_GET_SIZE(obj)));
  }
  if (PyByteArray_Check(obj)) {
    return std::string(PyByteArray_AS_STRING(obj), static_cast<size_t>(PyByteArray_GET_SIZE(obj)));
  }
  if (PyUnicode_Check(obj)) {
    throw py::type_error(std::string(what) + " must be bytes, not str");
  }
  if (value.is_none()) throw py::type_error(std::string(what) + " must be bytes, not None");
  // Buffers and sequences of ints, as bytes() accepts them.
  py::bytes converted = py::reinterpret_steal<py::bytes>(PyBytes_FromObject(obj));
  if (!converted) throw py::error_already_set();
  return std::string(converted);
}

FuturePtr NewFuture() {
  py::object loop = py::module_::import("asyncio").attr("get_running_loop")();
  py::object future = loop.attr("create_future")();
  auto* raw = new PendingFuture{std::move(loop), std::move(future)};
  return FuturePtr(raw, &DeleteWithGil<PendingFuture>);
}

void CompleteFuture(const FuturePtr& pending, const std::function<py::object()>& make_result) {
  PythonScope scope;
  if (!scope) return;  // the interpreter is exiting: nobody can await the result
  py::object ok;
  py::object value;
  try {
    value = make_result();
    ok = py::bool_(true);
  } catch (py::error_already_set& e) {
    value = e.value();
    ok = py::bool_(false);
  } catch (const std::exception& e) {
    value = ExceptionFor(Status::Internal(e.what()));
    ok = py::bool_(false);
  }
  try {
    // Looked up once, GIL-safely: the import releases the GIL, and a plain function-local
    // static would then deadlock two executor threads completing their first calls at once
    // (one holding the static's guard and waiting for the GIL, the other the reverse).
    PYBIND11_CONSTINIT static py::gil_safe_call_once_and_store<py::object> complete;
    const py::object& fn =
        complete
            .call_once_and_store_result(
                [] { return py::module_::import("slatedb._complete").attr("complete_future"); })
            .get_stored();
    pending->loop.attr("call_soon_threadsafe")(fn, pending->future, ok, value);
  } catch (py::error_already_set&) {
    // The loop is closed: nobody can await the result any more.
  }
}

py::object ValueToPy(const Result<std::optional<std::string>>& r) {
  if (!r.ok()) ThrowStatus(r.status());
  if (!r->has_value()) return py::none();
  return ToPy(**r);
}

py::object WriteHandleToPy(const WriteHandle& handle) { return py::cast(handle); }

py::object StatusToNone(const Status& status) {
  if (!status.ok()) ThrowStatus(status);
  return py::none();
}

py::object StatusToUnit(const Status& status) {
  if (!status.ok()) ThrowStatus(status);
  return py::tuple();
}

namespace {

// Whether `callable` can take three positional arguments (else the two-argument form).
bool TakesThreeArguments(const py::object& callable) {
  try {
    py::object signature = py::module_::import("inspect").attr("signature")(callable);
    try {
      signature.attr("bind")(py::none(), py::none(), py::none());
      return true;
    } catch (py::error_already_set&) {
      signature.attr("bind")(py::none(), py::none());
      return false;
    }
  } catch (py::error_already_set&) {
    return true;  // no introspectable signature (a builtin): use the upstream form
  }
}

}  // namespace

MergeOperator WrapMergeOperator(py::object callable, MergeFailure on_failure) {
  bool three = TakesThreeArguments(callable);
  // Shared and released under the GIL, since engine threads own copies of the operator.
  auto* raw = new py::object(std::move(callable));
  std::shared_ptr<py::object> fn(raw, &DeleteWithGil<py::object>);
  return [fn, three, on_failure](std::string_view key, std::optional<std::string_view> existing,
                                 std::string_view operand) -> Result<std::string> {
    PythonScope scope;
    if (!scope) return Status::Closed(CloseReason::kClean, "the Python interpreter is exiting");
    std::string failure;
    try {
      py::object old = existing ? py::object(py::bytes(existing->data(), existing->size()))
                                : py::object(py::none());
      py::bytes op(operand.data(), operand.size());
      py::object out = three ? (*fn)(py::bytes(key.data(), key.size()), old, op) : (*fn)(old, op);
      return ToBytes(out, "merge operator result");
    } catch (py::error_already_set& e) {
      failure = on_failure == MergeFailure::kFail ? std::string(py::str(e.value())) : e.what();
    } catch (const std::exception& e) {
      failure = e.what();
    }
    if (on_failure == MergeFailure::kFail) return Status::Invalid(failure);
    // Upstream 0.8-0.11 logs and keeps the operand; so does the seed API.
    std::fprintf(stderr, "slatedb: merge operator failed, using the operand: %s\n",
                 failure.c_str());
    return std::string(operand);
  };
}

}  // namespace slatedb::python
