// SPDX-License-Identifier: Apache-2.0
#include "slatedb/error_kinds.h"

#include <array>

namespace slatedb {

namespace {

// Message prefixes are today's texts ("Invalid: ..."); matching upstream's wording is a
// change to this column only.
constexpr std::array<ErrorKindInfo, 6> kKinds = {{
    {ErrorKind::kTransaction, "transaction", "Transaction", "TransactionError", "Transaction",
     "TransactionError"},
    {ErrorKind::kClosed, "closed", "Closed", "ClosedError", "Closed", "ClosedError"},
    {ErrorKind::kUnavailable, "unavailable", "Unavailable", "UnavailableError", "Unavailable",
     "UnavailableError"},
    {ErrorKind::kInvalid, "invalid", "Invalid", "InvalidError", "Invalid", "InvalidError"},
    {ErrorKind::kData, "data", "Data", "DataError", "Data", "DataError"},
    {ErrorKind::kInternal, "internal", "Internal", "InternalError", "Internal", "InternalError"},
}};

// Indexed by StatusCode.
constexpr std::array<const char*, 10> kCodeNames = {
    "Ok",          "NotFound", "AlreadyExists", "VersionMismatch", "Transaction", "Closed",
    "Unavailable", "Invalid",  "Data",          "Internal",
};

// Indexed by CloseReason.
constexpr std::array<const char*, 4> kCloseReasonIds = {"none", "clean", "fenced",
                                                        "backgroundError"};

void AppendJsonString(std::string* out, const char* s) {
  // The tables hold identifiers only: no character needs escaping.
  out->push_back('"');
  out->append(s);
  out->push_back('"');
}

}  // namespace

std::span<const ErrorKindInfo> ErrorKinds() { return kKinds; }

const ErrorKindInfo& ErrorKindInfoOf(ErrorKind kind) {
  for (const ErrorKindInfo& info : kKinds) {
    if (info.kind == kind) return info;
  }
  return kKinds.back();  // Internal
}

const char* StatusCodeName(StatusCode code) {
  size_t i = static_cast<size_t>(code);
  return i < kCodeNames.size() ? kCodeNames[i] : "Internal";
}

std::optional<StatusCode> StatusCodeFromName(std::string_view name) {
  for (size_t i = 0; i < kCodeNames.size(); ++i) {
    if (name == kCodeNames[i]) return static_cast<StatusCode>(i);
  }
  return std::nullopt;
}

const char* CloseReasonId(CloseReason reason) {
  size_t i = static_cast<size_t>(reason);
  return i < kCloseReasonIds.size() ? kCloseReasonIds[i] : "none";
}

std::string ErrorTablesJson() {
  std::string out = "{\"kinds\":[";
  for (size_t i = 0; i < kKinds.size(); ++i) {
    const ErrorKindInfo& k = kKinds[i];
    if (i > 0) out += ',';
    out += "{\"kind\":" + std::to_string(static_cast<int>(k.kind)) + ",\"name\":";
    AppendJsonString(&out, k.name);
    out += ",\"messagePrefix\":";
    AppendJsonString(&out, k.message_prefix);
    out += ",\"pythonClass\":";
    AppendJsonString(&out, k.python_class);
    out += ",\"uniffiVariant\":";
    AppendJsonString(&out, k.uniffi_variant);
    out += ",\"jsClass\":";
    AppendJsonString(&out, k.js_class);
    out += '}';
  }
  out += "],\"codes\":[";
  for (size_t i = 0; i < kCodeNames.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonString(&out, kCodeNames[i]);
  }
  // What each code means to a user: Status::kind()'s mapping, by name (kOk: "none").
  out += "],\"codeKinds\":{";
  for (size_t i = 0; i < kCodeNames.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonString(&out, kCodeNames[i]);
    out += ':';
    const ErrorKind kind = ErrorKindOf(static_cast<StatusCode>(i));
    AppendJsonString(&out, kind == ErrorKind::kNone ? "none" : ErrorKindInfoOf(kind).name);
  }
  out += "},\"closeReasons\":[";
  for (size_t i = 0; i < kCloseReasonIds.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonString(&out, kCloseReasonIds[i]);
  }
  out += "]}";
  return out;
}

}  // namespace slatedb
