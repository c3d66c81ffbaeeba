// SPDX-License-Identifier: Apache-2.0
//
// Result<T>: a value of T or a non-OK Status. The return type of every fallible core
// call that produces something. Result<void> is not used; such calls return Status.
#pragma once

#include <cassert>
#include <optional>
#include <type_traits>
#include <utility>

#include "slatedb/status.h"

namespace slatedb {

template <typename T>
class [[nodiscard]] Result {
 public:
  // Implicit from a value or from an error, so `return value;` and `return status;` both work.
  Result(T value) : value_(std::move(value)) {}         // NOLINT(runtime/explicit)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(runtime/explicit)
    assert(!status_.ok() && "Result needs a value or a non-OK status");
    if (status_.ok()) status_ = Status::Internal("Result built from an OK status without a value");
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  // REQUIRES: ok().
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }
  T&& operator*() && { return std::move(*value_); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace slatedb

#define SLATEDB_CONCAT_INNER_(a, b) a##b
#define SLATEDB_CONCAT_(a, b) SLATEDB_CONCAT_INNER_(a, b)

// Returns the Status from the enclosing function if `expr` (a Status) is not OK.
#define SLATEDB_RETURN_IF_ERROR(expr)          \
  do {                                         \
    ::slatedb::Status _slatedb_st = (expr);    \
    if (!_slatedb_st.ok()) return _slatedb_st; \
  } while (0)

// `lhs` = value of `rexpr` (a Result<T>), or returns its Status.
#define SLATEDB_ASSIGN_OR_RETURN(lhs, rexpr) \
  SLATEDB_ASSIGN_OR_RETURN_IMPL_(SLATEDB_CONCAT_(_slatedb_res_, __LINE__), lhs, rexpr, return )

// Coroutine forms: co_return instead of return.
#define SLATEDB_CO_RETURN_IF_ERROR(expr)          \
  do {                                            \
    ::slatedb::Status _slatedb_st = (expr);       \
    if (!_slatedb_st.ok()) co_return _slatedb_st; \
  } while (0)

#define SLATEDB_CO_ASSIGN_OR_RETURN(lhs, rexpr) \
  SLATEDB_ASSIGN_OR_RETURN_IMPL_(SLATEDB_CONCAT_(_slatedb_res_, __LINE__), lhs, rexpr, co_return )

#define SLATEDB_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, rexpr, ret) \
  auto tmp = (rexpr);                                        \
  if (!tmp.ok()) ret tmp.status();                           \
  lhs = std::move(tmp).value()
