// SPDX-License-Identifier: Apache-2.0
//
// Status: the outcome of an operation, as a value. The core never throws; every
// fallible call returns a Status or a Result<T> (result.h).
//
// A Status has a code and, when not OK, a message meant for humans. Callers branch on
// kind() (the six public kinds every binding exposes), never on the message.
// NotFound, AlreadyExists and VersionMismatch are the object store's semantic answers;
// the engine consumes them and never hands them to users as such (kind() maps them to
// Data/Internal should one escape).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace slatedb {

// Fine-grained codes. Stores and engine internals use all of them.
enum class StatusCode : uint8_t {
  kOk = 0,
  kNotFound,         // object store: the object does not exist
  kAlreadyExists,    // object store: create-if-absent lost the race
  kVersionMismatch,  // object store: replace-if-version-matches found another version
  kTransaction,      // transaction conflict: retry the whole transaction
  kClosed,           // the handle is closed (see CloseReason)
  kUnavailable,      // transient storage failure: retrying later may succeed
  kInvalid,          // bad argument, configuration or call sequence: fix the call
  kData,             // stored data is corrupt, missing or of an unknown version
  kInternal,         // a bug: a broken invariant inside the engine
};

// The six kinds of the public contract (Python exceptions, JS error kinds).
enum class ErrorKind : uint8_t {
  kNone = 0,  // OK
  kTransaction,
  kClosed,
  kUnavailable,
  kInvalid,
  kData,
  kInternal,
};

// Why a handle reports Closed.
enum class CloseReason : uint8_t {
  kNone = 0,
  kClean,            // Close() was called
  kFenced,           // a newer writer claimed the database
  kBackgroundError,  // a background step failed in a way that cannot be retried
};

class [[nodiscard]] Status {
 public:
  Status() noexcept = default;  // OK

  static Status Ok() { return Status(); }
  static Status NotFound(std::string_view msg) { return Status(StatusCode::kNotFound, msg); }
  static Status AlreadyExists(std::string_view msg) {
    return Status(StatusCode::kAlreadyExists, msg);
  }
  static Status VersionMismatch(std::string_view msg) {
    return Status(StatusCode::kVersionMismatch, msg);
  }
  static Status Transaction(std::string_view msg) { return Status(StatusCode::kTransaction, msg); }
  static Status Closed(CloseReason reason, std::string_view msg) {
    return Status(StatusCode::kClosed, msg, reason);
  }
  static Status Unavailable(std::string_view msg) { return Status(StatusCode::kUnavailable, msg); }
  static Status Invalid(std::string_view msg) { return Status(StatusCode::kInvalid, msg); }
  static Status Data(std::string_view msg) { return Status(StatusCode::kData, msg); }
  static Status Internal(std::string_view msg) { return Status(StatusCode::kInternal, msg); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  ErrorKind kind() const;
  CloseReason close_reason() const { return reason_; }
  // Empty for OK.
  const std::string& message() const;

  bool IsNotFound() const { return code_ == StatusCode::kNotFound; }
  bool IsAlreadyExists() const { return code_ == StatusCode::kAlreadyExists; }
  bool IsClosed() const { return code_ == StatusCode::kClosed; }
  bool IsUnavailable() const { return code_ == StatusCode::kUnavailable; }

  // "Invalid: empty key", "Closed(fenced): ...".
  std::string ToString() const;

  // Returns a copy whose message is prefixed with `context: `.
  Status WithContext(std::string_view context) const;

  // Marks a deliberate decision to drop an error; greppable.
  void IgnoreError() const {}

 private:
  Status(StatusCode code, std::string_view msg, CloseReason reason = CloseReason::kNone);

  StatusCode code_ = StatusCode::kOk;
  CloseReason reason_ = CloseReason::kNone;
  std::shared_ptr<const std::string> message_;  // null when OK; shared so copies are cheap
};

// The kind a status of `code` has (Status::kind()); kNone for kOk.
ErrorKind ErrorKindOf(StatusCode code);
const char* ErrorKindName(ErrorKind kind);        // "transaction", "closed", ...
const char* CloseReasonName(CloseReason reason);  // "clean", "fenced", ...

}  // namespace slatedb
