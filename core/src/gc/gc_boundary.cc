// SPDX-License-Identifier: Apache-2.0
#include "gc/gc_boundary.h"

#include <vector>

#include "store/paths.h"

namespace slatedb {

namespace {
// Lost races in a row before Advance gives up (each means another collector moved it).
constexpr int kAdvanceAttempts = 16;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
}  // namespace

std::optional<uint64_t> GcBoundary::Parse(std::string_view body) {
  while (!body.empty() && IsSpace(body.front())) body.remove_prefix(1);
  while (!body.empty() && IsSpace(body.back())) body.remove_suffix(1);
  if (body.empty()) return std::nullopt;
  uint64_t value = 0;
  for (char c : body) {
    if (c < '0' || c > '9') return std::nullopt;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return std::nullopt;  // overflow
    value = value * 10 + digit;
  }
  return value;
}

Task<Result<uint64_t>> GcBoundary::Read() {
  Result<std::string> body = co_await client_->Get(key_);
  if (!body.ok()) {
    if (body.status().IsNotFound()) co_return uint64_t{0};
    co_return body.status();
  }
  std::optional<uint64_t> value = Parse(*body);
  if (!value) co_return Status::Data(key_ + " does not hold a decimal u64 boundary");
  co_return *value;
}

Task<Status> GcBoundary::Check(uint64_t id) {
  SLATEDB_CO_ASSIGN_OR_RETURN(uint64_t boundary, co_await Read());
  if (id <= boundary) {
    co_return Status::AlreadyExists("version " + std::to_string(id) +
                                    " is at or below the garbage collector's boundary " +
                                    std::to_string(boundary) + " (" + key_ + ")");
  }
  co_return Status::Ok();
}

Task<Status> GcBoundary::CheckCreated(uint64_t id, std::string what) {
  Status above = co_await Check(id);
  if (above.ok() || above.IsAlreadyExists() || above.code() == StatusCode::kData) {
    co_return above;
  }
  co_return Status::Unavailable(what +
                                " was stored but the GC boundary could not be read, so the "
                                "update's outcome is unknown: " +
                                above.message());
}

Task<Result<std::optional<GcBoundary::NextVersion>>> GcBoundary::FindNextVersion(
    StoreClient* client, std::string dir, std::string suffix, std::string key, uint64_t id) {
  SLATEDB_CO_ASSIGN_OR_RETURN(std::vector<ObjectMeta> listed, co_await client->List(dir, key));
  std::optional<NextVersion> next;
  for (const ObjectMeta& meta : listed) {
    std::optional<uint64_t> listed_id = DbPaths::ParseId(meta.key, dir, suffix);
    if (listed_id && *listed_id > id && (!next || *listed_id < next->id)) {
      next = NextVersion{*listed_id, meta.last_modified_ms};
    }
  }
  co_return next;
}

Task<Result<bool>> GcBoundary::Advance(uint64_t target) {
  const std::string body = std::to_string(target);
  for (int attempt = 0; attempt < kAdvanceAttempts; ++attempt) {
    Result<ObjectMeta> meta = co_await client_->Head(key_);
    if (!meta.ok() && !meta.status().IsNotFound()) co_return meta.status();
    ObjectPutOptions put;
    if (meta.ok()) {
      // Without a version there is nothing to match: this store cannot keep a boundary.
      if (meta->version.empty()) co_return false;
      // Read after the HEAD: if the object changed in between, the value read is newer
      // (boundaries only grow) and the replace below fails on the stale version.
      Result<std::string> stored = co_await client_->Get(key_);
      if (!stored.ok() && stored.status().IsNotFound()) continue;  // deleted meanwhile
      if (!stored.ok()) co_return stored.status();
      std::optional<uint64_t> current = Parse(*stored);
      if (!current) co_return Status::Data(key_ + " does not hold a decimal u64 boundary");
      if (*current >= target) co_return true;
      put.mode = PutMode::kReplaceIfVersionMatches;
      put.expected_version = meta->version;
    } else {
      put.mode = PutMode::kCreateIfAbsent;
    }
    Result<ObjectMeta> written = co_await client_->Put(key_, body, put);
    if (written.ok()) co_return true;
    const Status& s = written.status();
    if (s.IsAlreadyExists() || s.code() == StatusCode::kVersionMismatch || s.IsNotFound()) {
      continue;  // another collector moved it first: look again
    }
    // A store without conditional overwrites refuses the If-Match put outright.
    if (put.mode == PutMode::kReplaceIfVersionMatches && s.code() == StatusCode::kInvalid) {
      co_return false;
    }
    co_return s.WithContext("raising " + key_);
  }
  co_return Status::Unavailable("gave up raising " + key_ +
                                ": other collectors kept moving it (too many lost races)");
}

}  // namespace slatedb
