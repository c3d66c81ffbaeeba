// SPDX-License-Identifier: Apache-2.0
//
// What every binding class shares: the process-wide executor and clock, argument
// conversion, and the bridge from core Tasks to blocking calls and asyncio futures.
//
// GIL rule: core calls are made with the GIL released, because the engine may call the
// Python merge operator from any thread (which takes the GIL) while holding its own
// mutex. The only exception is a handle without a Python merge operator, which never calls
// back into Python: its in-memory fast paths run with the GIL held.
#pragma once

#include <pybind11/pybind11.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "errors.h"
#include "slatedb/platform/blocking.h"
#include "slatedb/slatedb.h"

namespace slatedb::python {

namespace py = pybind11;

std::shared_ptr<Executor> SharedExecutor();
std::shared_ptr<Clock> SharedClock();

// Holds the GIL for Python work done on an engine thread (completing a future, calling a
// merge operator, dropping a Python object), unless the interpreter is exiting: then it is
// false and the work must be skipped (objects are leaked). Interpreter exit waits, at atexit
// time, for every scope already inside: finalization frees the thread states such a scope
// would run on.
class PythonScope {
 public:
  PythonScope();
  ~PythonScope();
  PythonScope(const PythonScope&) = delete;
  PythonScope& operator=(const PythonScope&) = delete;
  explicit operator bool() const { return entered_; }

 private:
  bool entered_;
  std::optional<py::gil_scoped_acquire> gil_;
};
// Registers the atexit hook PythonScope relies on (module initialisation).
void RegisterExitHook();

// A shared_ptr deleter that destroys a Python-owning object under PythonScope.
template <typename T>
void DeleteWithGil(T* p) {
  PythonScope scope;
  if (scope) delete p;  // else the interpreter is exiting: leak rather than crash
}

// bytes-like -> std::string (a merge operator's result). str raises TypeError; `what` names
// the value. The seed API's own arguments are converted by seed_args.h.
std::string ToBytes(const py::handle& value, const char* what);
inline py::bytes ToPy(const std::string& s) { return py::bytes(s.data(), s.size()); }

// Runs `make()` (which builds a core Task) and waits for it, GIL released throughout.
template <typename Make>
auto CallBlocking(Make make) {
  py::gil_scoped_release release;
  return BlockOn(make());
}

// A pending asyncio future, destroyed with the GIL held (its owner may be an engine thread).
struct PendingFuture {
  py::object loop;
  py::object future;
};
using FuturePtr = std::shared_ptr<PendingFuture>;

// A future on the running loop (RuntimeError if none). REQUIRES: the GIL.
FuturePtr NewFuture();
// Completes `future` on its loop with `make_result()`, or with the Python exception it
// raises. Any thread, GIL not held.
void CompleteFuture(const FuturePtr& future, const std::function<py::object()>& make_result);

// Starts the Task built by `make()` and returns an asyncio future resolved with
// `convert(result)` (which runs with the GIL held and may raise). REQUIRES: the GIL.
template <typename Make, typename Convert>
py::object SpawnAsync(Make make, Convert convert) {
  FuturePtr pending = NewFuture();
  py::object result = pending->future;
  {
    py::gil_scoped_release release;
    auto task = make();
    Spawn(std::move(task), [pending, convert](auto value) mutable {
      CompleteFuture(pending, [&]() { return convert(std::move(value)); });
    });
  }
  return result;
}

// Converters for common results.
py::object ValueToPy(const Result<std::optional<std::string>>& r);  // bytes or None
py::object WriteHandleToPy(const WriteHandle& handle);
py::object StatusToNone(const Status& status);
// The result of an async method with nothing to return: (), what upstream's futures resolve
// to (its sync methods return None).
py::object StatusToUnit(const Status& status);

template <typename T>
T Unwrap(Result<T> result) {
  if (!result.ok()) ThrowStatus(result.status());
  return std::move(result).value();
}

// What a Python merge operator's failure (an exception, or a result that is not bytes-like)
// means: the seed API (upstream 0.8-0.11) keeps the operand; slatedb.uniffi (0.17) fails the
// read or write with Invalid(str(exception)) (the engine adds which merge failed).
enum class MergeFailure { kUseOperand, kFail };

// Wraps a Python callable as the core's merge operator. The callable is called as
// f(key, existing, operand), or f(existing, operand) if it takes two arguments (the seed
// README's form).
MergeOperator WrapMergeOperator(py::object callable,
                                MergeFailure on_failure = MergeFailure::kUseOperand);

}  // namespace slatedb::python
