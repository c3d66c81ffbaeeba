// SPDX-License-Identifier: Apache-2.0
//
// DbIterator: both iteration protocols on one object, plus forward-only seek. Rows already
// in memory are served on the calling thread (TryNext); otherwise the core's Next task runs
// with the GIL released (sync) or completes an asyncio future (async).
#include "bindings.h"
#include "runtime.h"
#include "seed_args.h"
#include "slatedb/key_range.h"

namespace slatedb::python {

namespace {

// Marks the iterator busy for one call; overlapping use (e.g. two un-awaited __anext__)
// is a caller error.
class BusyGuard {
 public:
  explicit BusyGuard(PyIterator& it) : it_(&it) {
    if (it.busy.exchange(true)) {
      throw py::value_error("DbIterator is already in use by another call");
    }
  }
  ~BusyGuard() {
    if (it_ != nullptr) it_->busy.store(false);
  }
  void Release() { it_ = nullptr; }  // ownership of `busy` passes to an async completion

 private:
  PyIterator* it_;
};

// Converts one step's outcome; nullopt at the end (and marks the iterator done).
std::optional<py::tuple> StepToPy(PyIterator& self, Result<std::optional<KeyValue>> r) {
  if (!r.ok()) ThrowStatus(r.status());
  if (!r->has_value()) {
    self.done = true;
    return std::nullopt;
  }
  return py::make_tuple(ToPy((*r)->key), ToPy((*r)->value));
}

Result<std::optional<KeyValue>> NextBlocking(PyIterator& self) {
  Result<std::optional<KeyValue>> out = Status::Internal("unset");
  if (!self.has_merge_operator && self.it->TryNext(&out)) return out;
  py::gil_scoped_release release;
  if (self.it->TryNext(&out)) return out;
  return BlockOn(self.it->Next());
}

}  // namespace

std::string ScanEnd(const std::string& start, const std::optional<std::string>& end) {
  seed::CheckNotEmpty(start, "start");
  if (!end) return start + '\xff';  // upstream's rule for scan(start): not a true prefix bound
  if (end->empty()) ThrowInvalid("End bound must be non-empty");
  if (*end <= start) ThrowInvalid("Range must be non-empty");
  return *end;
}

std::string PrefixEnd(const std::string& prefix) {
  // No successor (an empty or all-0xff prefix): scan to the end.
  return PrefixSuccessor(prefix).value_or(std::string());
}

py::object NewIterator(std::unique_ptr<DbIterator> it, std::shared_ptr<Db> db,
                       bool has_merge_operator) {
  auto out = std::make_shared<PyIterator>();
  out->it = std::move(it);
  out->db = std::move(db);
  out->has_merge_operator = has_merge_operator;
  return py::cast(out);
}

void RegisterIterator(py::module_& m) {
  py::class_<PyIterator, std::shared_ptr<PyIterator>>(m, "DbIterator")
      .def("__iter__", [](py::object self) { return self; })
      .def("__next__",
           [](PyIterator& self) -> py::object {
             if (self.done) throw py::stop_iteration();
             BusyGuard guard(self);
             std::optional<py::tuple> item = StepToPy(self, NextBlocking(self));
             if (!item) throw py::stop_iteration();
             return *item;
           })
      .def("__aiter__", [](py::object self) { return self; })
      .def("__anext__",
           [](std::shared_ptr<PyIterator> self) -> py::object {
             FuturePtr pending = NewFuture();
             py::object future = pending->future;
             py::object stop = py::module_::import("builtins").attr("StopAsyncIteration");
             if (self->done) {
               future.attr("set_exception")(stop());
               return future;
             }
             BusyGuard guard(*self);
             Result<std::optional<KeyValue>> now = Status::Internal("unset");
             bool ready = !self->has_merge_operator && self->it->TryNext(&now);
             if (ready) {
               try {
                 std::optional<py::tuple> item = StepToPy(*self, std::move(now));
                 if (item) {
                   future.attr("set_result")(*item);
                 } else {
                   future.attr("set_exception")(stop());
                 }
               } catch (py::error_already_set& e) {
                 future.attr("set_exception")(e.value());
               }
               return future;
             }
             guard.Release();
             {
               py::gil_scoped_release release;
               Spawn(self->it->Next(), [self, pending](Result<std::optional<KeyValue>> r) {
                 self->busy.store(false);
                 CompleteFuture(pending, [&]() -> py::object {
                   std::optional<py::tuple> item = StepToPy(*self, std::move(r));
                   if (!item) {
                     PyErr_SetNone(PyExc_StopAsyncIteration);
                     throw py::error_already_set();
                   }
                   return *item;
                 });
               });
             }
             return future;
           })
      .def(
          "seek",
          [](PyIterator& self, const py::object& key) {
            std::string k = seed::Bytes(key, "key");
            seed::CheckNotEmpty(k);
            BusyGuard guard(self);
            Status s = CallBlocking([&] { return self.it->Seek(k); });
            if (!s.ok()) ThrowStatus(s);
            self.done = false;
          },
          py::arg("key"))
      .def(
          "seek_async",
          [](PyIterator& self, const py::object& key) {
            std::string k = seed::Bytes(key, "key");
            seed::CheckNotEmpty(k);
            BusyGuard guard(self);
            Status s = CallBlocking([&] { return self.it->Seek(k); });
            FuturePtr pending = NewFuture();
            if (s.ok()) {
              self.done = false;
              pending->future.attr("set_result")(py::tuple());  // upstream's unit result
            } else {
              pending->future.attr("set_exception")(ExceptionFor(s));
            }
            return pending->future;
          },
          py::arg("key"));
}

}  // namespace slatedb::python
