// SPDX-License-Identifier: Apache-2.0
//
// StepIterator: the shape every DbIterator of the engine shares (scans over an LSM view,
// transaction scans). The derived class supplies a synchronous production step that yields
// a row, reaches the end, fails, or stops because it needs I/O first, and the I/O itself;
// this base turns them into TryNext (one step), Next (steps with the I/O between) and a
// forward-only Seek with its argument checks. CRTP, so the step inlines into TryNext.
//
// Seek never moves back: a target before one an earlier Seek already moved to (with nothing
// read since) is accepted and changes nothing, as upstream's iterators, whose sources only
// move forward, behave.
//
// The derived class provides:
//   Step Produce(std::optional<KeyValue>* out);  // kItem fills *out
//   Task<Status> FetchIo();                      // the I/O Produce stopped for
//   Task<Status> SeekTo(std::string key);        // repositions; the target is checked
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "slatedb/iterator.h"
#include "slatedb/result.h"
#include "util/async.h"

namespace slatedb {

// The rule every forward-only iterator applies to Seek: the target lies inside the scan's
// [start, end) range (end empty: unbounded) and past the last key already returned.
inline Status CheckSeekTarget(std::string_view key, std::string_view start, std::string_view end,
                              bool returned_any, std::string_view last_returned) {
  if (key < start || (!end.empty() && key >= end)) {
    return Status::Invalid("seek key is outside the scan's range");
  }
  if (returned_any && key <= last_returned) {
    return Status::Invalid("seek must move forward past the last returned key");
  }
  return Status::Ok();
}

template <class Derived>
class StepIterator : public DbIterator {
 public:
  enum class Step { kItem, kEnd, kNeedIo, kError };

  Task<Result<std::optional<KeyValue>>> Next() final {
    for (;;) {
      Result<std::optional<KeyValue>> answer{std::optional<KeyValue>()};
      if (TryNext(&answer)) co_return std::move(answer);
      Status fetched = co_await self().FetchIo();
      if (!fetched.ok()) {
        error_ = fetched;
        co_return fetched;
      }
    }
  }

  bool TryNext(Result<std::optional<KeyValue>>* out) final {
    std::optional<KeyValue> item;
    switch (self().Produce(&item)) {
      case Step::kItem:
        last_returned_ = item->key;
        returned_any_ = true;
        *out = std::move(item);
        return true;
      case Step::kEnd:
        *out = std::optional<KeyValue>();
        return true;
      case Step::kError:
        *out = error_;
        return true;
      case Step::kNeedIo:
        return false;
    }
    return false;
  }

  Task<Status> Seek(std::string key) final {
    // Upstream's rule and text; the iterator stays usable.
    if (descending_)
      return ReadyTask(Status::Invalid("seek is not supported for descending scans"));
    if (!error_.ok()) return ReadyTask(error_);
    Status target = CheckSeekTarget(key, start_, end_, returned_any_, last_returned_);
    if (!target.ok()) return ReadyTask(target);
    if (sought_ && key <= *sought_) return ReadyTask(Status::Ok());  // already there or past
    sought_ = key;
    return self().SeekTo(std::move(key));
  }

 protected:
  StepIterator(std::string start, std::string end, bool descending = false)
      : start_(std::move(start)), end_(std::move(end)), descending_(descending) {}

  const std::string& start() const { return start_; }
  const std::string& end() const { return end_; }

  // The first failure; once set, every later call reports it.
  Status error_;

 private:
  Derived& self() { return static_cast<Derived&>(*this); }

  std::string start_;
  std::string end_;
  std::string last_returned_;
  bool returned_any_ = false;
  bool descending_;
  // The furthest Seek target so far (any later valid target past a returned key is beyond
  // it anyway).
  std::optional<std::string> sought_;
};

}  // namespace slatedb
