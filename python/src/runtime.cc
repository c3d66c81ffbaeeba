// SPDX-License-Identifier: Apache-2.0
#include "runtime.h"

#include <cctype>
#include <cstdio>

#include "slatedb/platform/system_clock.h"
#include "slatedb/platform/thread_pool_executor.h"

namespace slatedb::python {

std::shared_ptr<Executor> SharedExecutor() {
  // Deliberately never destroyed: its threads may still be finishing engine work while
  // the interpreter shuts down.
  static auto* executor = new std::shared_ptr<Executor>(std::make_shared<ThreadPoolExecutor>(4));
  return *executor;
}

std::shared_ptr<Clock> SharedClock() {
  static auto* clock = new std::shared_ptr<Clock>(std::make_shared<SystemClock>());
  return *clock;
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

std::string ToKey(const py::handle& value, const char* what) {
  std::string key = ToBytes(value, what);
  if (key.empty()) ThrowInvalid(std::string(what) + " cannot be empty");
  return key;
}

DurabilityLevel ParseDurability(const py::object& value) {
  if (value.is_none()) return DurabilityLevel::kMemory;
  std::string text = py::str(value);
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (text == "memory") return DurabilityLevel::kMemory;
  if (text == "remote") return DurabilityLevel::kRemote;
  ThrowInvalid("invalid durability_filter: " + text + " (expected 'remote' or 'memory')");
}

// Python bools only (as upstream); anything else is a TypeError naming the option.
static bool ToBool(const py::object& value, const char* name) {
  if (!PyBool_Check(value.ptr())) throw py::type_error(std::string(name) + " must be a bool");
  return value.ptr() == Py_True;
}

ReadOptions MakeReadOptions(const py::object& durability_filter, const py::object& dirty) {
  ReadOptions options;
  options.durability_filter = ParseDurability(durability_filter);
  if (!dirty.is_none()) options.dirty = ToBool(dirty, "dirty");
  return options;
}

WriteOptions MakeWriteOptions(const py::object& await_durable) {
  WriteOptions options;
  if (!await_durable.is_none()) options.await_durable = ToBool(await_durable, "await_durable");
  return options;
}

PutOptions MakePutOptions(const py::object& ttl) {
  PutOptions options;
  if (ttl.is_none()) return options;
  // A non-int is a TypeError (not pybind11's cast error); beyond any real lifetime means
  // "no expiry", as upstream treats TTLs past i64 (and now + ttl must not overflow).
  if (!PyLong_Check(ttl.ptr())) throw py::type_error("ttl must be an int (milliseconds) or None");
  int overflow = 0;
  long long ms = PyLong_AsLongLongAndOverflow(ttl.ptr(), &overflow);
  if (overflow < 0 || (overflow == 0 && ms < 0)) {
    throw py::value_error("ttl must be a non-negative number of milliseconds");
  }
  // 0 expires at once (never visible), as in the core and upstream; past i64 never.
  options.ttl_ms = overflow > 0 ? kNoExpiry : static_cast<uint64_t>(ms);
  return options;
}

void AddPutWithTtl(WriteBatch& batch, std::string_view key, std::string_view value,
                   const py::object& ttl) {
  batch.Put(key, value, MakePutOptions(ttl));
}

FuturePtr NewFuture() {
  py::object loop = py::module_::import("asyncio").attr("get_running_loop")();
  py::object future = loop.attr("create_future")();
  auto* raw = new PendingFuture{std::move(loop), std::move(future)};
  return FuturePtr(raw, [](PendingFuture* p) {
    if (!Py_IsInitialized()) return;  // interpreter gone: leak rather than crash
    py::gil_scoped_acquire gil;
    delete p;
  });
}

void CompleteFuture(const FuturePtr& pending, const std::function<py::object()>& make_result) {
  if (!Py_IsInitialized()) return;
  py::gil_scoped_acquire gil;
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
    static py::object* complete = new py::object(
        py::module_::import("slatedb._complete").attr("complete_future"));
    pending->loop.attr("call_soon_threadsafe")(*complete, pending->future, ok, value);
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

MergeOperator WrapMergeOperator(py::object callable) {
  bool three = TakesThreeArguments(callable);
  // Shared and released under the GIL, since engine threads own copies of the operator.
  auto* raw = new py::object(std::move(callable));
  std::shared_ptr<py::object> fn(raw, [](py::object* p) {
    if (!Py_IsInitialized()) return;
    py::gil_scoped_acquire gil;
    delete p;
  });
  return [fn, three](std::string_view key, std::optional<std::string_view> existing,
                     std::string_view operand) -> Result<std::string> {
    if (!Py_IsInitialized()) return std::string(operand);
    py::gil_scoped_acquire gil;
    try {
      py::object old = existing ? py::object(py::bytes(existing->data(), existing->size()))
                                : py::object(py::none());
      py::bytes op(operand.data(), operand.size());
      py::object out = three ? (*fn)(py::bytes(key.data(), key.size()), old, op) : (*fn)(old, op);
      return ToBytes(out, "merge operator result");
    } catch (py::error_already_set& e) {
      // Upstream logs and keeps the operand; so do we.
      std::fprintf(stderr, "slatedb: merge operator failed, using the operand: %s\n", e.what());
    } catch (const std::exception& e) {
      std::fprintf(stderr, "slatedb: merge operator returned a non-bytes value: %s\n", e.what());
    }
    return std::string(operand);
  };
}

}  // namespace slatedb::python
