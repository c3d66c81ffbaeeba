// SPDX-License-Identifier: Apache-2.0
#include "slatedb/status.h"

#include "slatedb/error_kinds.h"

namespace slatedb {

namespace {
const std::string& EmptyString() {
  static const std::string* empty = new std::string();
  return *empty;
}
}  // namespace

Status::Status(StatusCode code, std::string_view msg, CloseReason reason)
    : code_(code), reason_(reason), message_(std::make_shared<const std::string>(msg)) {}

ErrorKind Status::kind() const { return ErrorKindOf(code_); }

ErrorKind ErrorKindOf(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return ErrorKind::kNone;
    case StatusCode::kTransaction:
      return ErrorKind::kTransaction;
    case StatusCode::kClosed:
      return ErrorKind::kClosed;
    case StatusCode::kUnavailable:
      return ErrorKind::kUnavailable;
    case StatusCode::kInvalid:
      return ErrorKind::kInvalid;
    case StatusCode::kNotFound:  // a missing object the engine needed is missing data
    case StatusCode::kData:
      return ErrorKind::kData;
    case StatusCode::kAlreadyExists:  // escaping store answers are engine bugs
    case StatusCode::kVersionMismatch:
    case StatusCode::kInternal:
      return ErrorKind::kInternal;
  }
  return ErrorKind::kInternal;
}

const std::string& Status::message() const { return message_ ? *message_ : EmptyString(); }

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out;
  switch (code_) {
    case StatusCode::kNotFound:  // the store's own answers keep their code's name
    case StatusCode::kAlreadyExists:
    case StatusCode::kVersionMismatch:
      out = StatusCodeName(code_);
      break;
    default:
      out = ErrorKindInfoOf(kind()).message_prefix;
      if (code_ == StatusCode::kClosed) out = out + "(" + CloseReasonName(reason_) + ")";
  }
  out += ": ";
  out += message();
  return out;
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  std::string msg(context);
  msg += ": ";
  msg += message();
  return Status(code_, msg, reason_);
}

const char* ErrorKindName(ErrorKind kind) {
  return kind == ErrorKind::kNone ? "ok" : ErrorKindInfoOf(kind).name;
}

const char* CloseReasonName(CloseReason reason) {
  switch (reason) {
    case CloseReason::kNone:
      return "none";
    case CloseReason::kClean:
      return "clean";
    case CloseReason::kFenced:
      return "fenced";
    case CloseReason::kBackgroundError:
      return "background error";
  }
  return "none";
}

}  // namespace slatedb
