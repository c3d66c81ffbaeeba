// SPDX-License-Identifier: Apache-2.0
//
// interop_dump: our C++ reader in the interop tests (tests/interop/). Reads a whole database
// through the library's read-only DbReader, the way an embedder would:
//
//   interop_dump REQUEST.json
//
// REQUEST is {"store": STORE, "path": "db", "keys": [hex, ...], "checkpoint": id|null} with
// STORE {"kind": "local", "root": dir} or {"kind": "s3", "bucket": b, "prefix": p} (endpoint
// and credentials from the AWS_* variables), as in tests/interop/agent_common.py. Prints one
// JSON line: {"ok": true, "get": [hex|null per key], "scan": [[key, value], ...]} (hex), or
// {"ok": false, "kind": "Data", "message": ...} and exits 1. The merge operator is
// concatenation, as on every side of the interop tests.
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "slatedb/platform/blocking.h"
#include "slatedb/platform/local_object_store.h"
#include "slatedb/platform/s3_native.h"
#include "slatedb/platform/system_clock.h"
#include "slatedb/platform/thread_pool_executor.h"
#include "slatedb/slatedb.h"

using nlohmann::json;
using namespace slatedb;

namespace {

std::string Hex(std::string_view bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

Result<std::string> Unhex(const std::string& text) {
  if (text.size() % 2 != 0) return Status::Invalid("odd-length hex: " + text);
  std::string out;
  out.reserve(text.size() / 2);
  for (size_t i = 0; i < text.size(); i += 2) {
    int value = 0;
    if (std::sscanf(text.c_str() + i, "%2x", &value) != 1) {
      return Status::Invalid("bad hex: " + text);
    }
    out.push_back(static_cast<char>(value));
  }
  return out;
}

const char* KindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kTransaction:
      return "Transaction";
    case ErrorKind::kClosed:
      return "Closed";
    case ErrorKind::kUnavailable:
      return "Unavailable";
    case ErrorKind::kInvalid:
      return "Invalid";
    case ErrorKind::kData:
      return "Data";
    case ErrorKind::kInternal:
      return "Internal";
    case ErrorKind::kNone:
      break;
  }
  return "Internal";
}

Result<std::shared_ptr<ObjectStore>> OpenStore(const json& store) {
  std::string kind = store.at("kind");
  if (kind == "local") {
    SLATEDB_ASSIGN_OR_RETURN(auto local, LocalObjectStore::Open(store.at("root")));
    return std::shared_ptr<ObjectStore>(local);
  }
  if (kind == "s3") {
    std::string prefix = store.value("prefix", "");
    std::string url =
        "s3://" + store.at("bucket").get<std::string>() + (prefix.empty() ? "" : "/" + prefix);
    SLATEDB_ASSIGN_OR_RETURN(auto s3, OpenS3ObjectStore(url));
    return std::shared_ptr<ObjectStore>(s3);
  }
  return Status::Invalid("unknown store kind " + kind);
}

// Reads every requested key and then the whole key space into `out`.
Status Dump(const json& request, json* out) {
  SLATEDB_ASSIGN_OR_RETURN(std::shared_ptr<ObjectStore> store, OpenStore(request.at("store")));
  ReaderOptions options;
  options.object_store = store;
  options.executor = std::make_shared<ThreadPoolExecutor>(2);
  options.clock = std::make_shared<SystemClock>();
  options.path = request.at("path");
  if (request.contains("checkpoint") && request["checkpoint"].is_string()) {
    options.checkpoint_id = request["checkpoint"].get<std::string>();
  }
  options.merge_operator = [](std::string_view, std::optional<std::string_view> existing,
                              std::string_view operand) -> Result<std::string> {
    std::string value(existing.value_or(""));
    value.append(operand);
    return value;
  };
  SLATEDB_ASSIGN_OR_RETURN(std::shared_ptr<DbReader> reader, BlockOn(DbReader::Open(options)));

  json gets = json::array();
  for (const auto& hex_key : request.value("keys", json::array())) {
    SLATEDB_ASSIGN_OR_RETURN(std::string key, Unhex(hex_key.get<std::string>()));
    SLATEDB_ASSIGN_OR_RETURN(std::optional<std::string> value, BlockOn(reader->Get(key)));
    gets.push_back(value ? json(Hex(*value)) : json(nullptr));
  }
  // Every key is non-empty, so every key is >= "\0": this is the whole key space.
  SLATEDB_ASSIGN_OR_RETURN(auto it, BlockOn(reader->Scan(std::string_view("\0", 1), "")));
  json rows = json::array();
  while (true) {
    SLATEDB_ASSIGN_OR_RETURN(std::optional<KeyValue> kv, BlockOn(it->Next()));
    if (!kv) break;
    rows.push_back(json::array({Hex(kv->key), Hex(kv->value)}));
  }
  it.reset();
  SLATEDB_RETURN_IF_ERROR(BlockOn(reader->Close()));
  (*out)["get"] = std::move(gets);
  (*out)["scan"] = std::move(rows);
  return Status::Ok();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: interop_dump REQUEST.json\n");
    return 2;
  }
  std::ifstream in(argv[1]);
  std::stringstream text;
  text << in.rdbuf();
  json request = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  json out;
  Status status = request.is_object() ? Dump(request, &out)
                                      : Status::Invalid(std::string("bad request ") + argv[1]);
  if (status.ok()) {
    out["ok"] = true;
  } else {
    out = {{"ok", false}, {"kind", KindName(status.kind())}, {"message", status.ToString()}};
  }
  std::printf("%s\n", out.dump().c_str());
  return status.ok() ? 0 : 1;
}
