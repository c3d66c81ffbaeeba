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

Task<Status> GcBoundary::CheckCreated(uint64_t id, const std::string& what) {
  Status above = co_await Check(id);
  if (above.ok() || above.IsAlreadyExists() || above.code() == StatusCode::kData) {
    co_return above;
  }
  co_return Status::Unavailable(what +
                                " was stored but the GC boundary could not be read, so the "
                                "update's outcome is unknown: " +
                                above.message());
}

Task<Result<std::optional<GcBoundary::NextVersion>>> GcBoundary::FindNextVersion(std::string dir,
                                                                                 std::string suffix,
                                                                                 std::string key,
                                                                                 uint64_t id) {
  SLATEDB_CO_ASSIGN_OR_RETURN(std::vector<ObjectMeta> listed, co_await client_->List(dir, key));
  std::optional<NextVersion> next;
  for (const ObjectMeta& meta : listed) {
    std::optional<uint64_t> listed_id = DbPaths::ParseId(meta.key, dir, suffix);
    if (listed_id && *listed_id > id && (!next || *listed_id < next->id)) {
      next = NextVersion{*listed_id, meta.last_modified_ms};
    }
  }
  co_return next;
}

Task<Status> GcBoundary::JudgeCreated(std::string dir, std::string suffix, std::string key,
                                      uint64_t id, std::string what) {
  // Two checks. The boundary: a collector that deletes version N first raises it to N or
  // more, so N at or below it was taken. And the listing: no newer version after our create
  // means ours is the latest (GC never deletes the latest, so a collected N implies a newer
  // one that stays); that also covers collectors that keep no boundary.
  Status above = co_await CheckCreated(id, what);
  if (!above.ok() && !above.IsAlreadyExists()) co_return above;
  SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<NextVersion> next,
                              co_await FindNextVersion(std::move(dir), std::move(suffix), key, id));
  if (!next) {
    if (above.ok()) co_return Status::Ok();
    // The newest version, yet under the boundary: a boundary left from an earlier database
    // at this path, or one raised by hand. Never delete what may be the latest version.
    co_return Status::Unavailable(what + " is the newest version but " + above.message() +
                                  "; the boundary object does not belong to this database");
  }
  // In the stale case version N+1 was stored before our create (it was built on the N that
  // GC later collected). If the store wrote N+1 strictly after ours, it was created while
  // ours stood at N, so it was built on ours (another process's update, e.g. a reader moving
  // its checkpoint right after our flush): committed, even if a collector has since put N
  // under its boundary. (Only a process that read the collected N and then stalled past
  // GC's minimum age could break this.)
  Result<ObjectMeta> ours = co_await client_->Head(key);
  const bool timed = ours.ok() && ours->last_modified_ms != 0;
  if (timed && next->written_ms > ours->last_modified_ms) co_return Status::Ok();
  // Only a next version stored strictly before ours proves ours filled a hole: with equal
  // times it may have been built on ours (the simulation's clock makes that common), and
  // deleting ours would delete a committed, possibly checkpoint-pinned version.
  if (above.IsAlreadyExists() && timed && next->written_ms < ours->last_modified_ms) {
    // A lost race, as if N were there (upstream's answer too). The object is dead; it goes
    // now rather than at the next pass.
    (void)co_await client_->Delete(key);  // best effort
    co_return Status::AlreadyExists(what + ": " + above.message());
  }
  co_return Status::Unavailable(what + " was stored but version " + std::to_string(next->id) +
                                " exists too (a stale or late create after garbage "
                                "collection): the update's outcome is unknown");
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
