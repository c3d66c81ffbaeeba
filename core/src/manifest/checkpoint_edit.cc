// SPDX-License-Identifier: Apache-2.0
#include "manifest/checkpoint_edit.h"

#include <algorithm>

#include "util/uuid.h"

namespace slatedb {

namespace {

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// The manifest stores Unix seconds (u32). Both times are rounded up: a checkpoint must live at
// least its lifetime (rounding the expiry down let GC drop a reader's checkpoint before its
// refresh was due), and rounding the creation time the same way keeps a lifetime of whole
// seconds exactly expire - create, as upstream's listing shows it. 0 means "never", so the
// earliest expiry is second 1.
uint32_t ExpirySecondsFrom(int64_t now_ms, std::optional<uint64_t> lifetime_ms) {
  if (!lifetime_ms) return 0;
  if (*lifetime_ms > static_cast<uint64_t>(INT64_MAX - now_ms)) return 0;  // effectively never
  const int64_t expire_ms = now_ms + static_cast<int64_t>(*lifetime_ms);
  const int64_t seconds = expire_ms <= 0 ? 0 : expire_ms / 1000 + (expire_ms % 1000 != 0);
  if (seconds > UINT32_MAX) return 0;  // beyond what the format holds: never
  return static_cast<uint32_t>(std::max<int64_t>(1, seconds));
}

uint32_t SecondsUpFrom(int64_t ms) {
  if (ms <= 0) return 0;
  return static_cast<uint32_t>(std::min<int64_t>(ms / 1000 + (ms % 1000 != 0), UINT32_MAX));
}

}  // namespace

bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !IsHex(text[i])) return false;
  }
  return true;
}

Status ValidateCheckpointId(std::string_view text, std::string_view what) {
  if (IsUuid(text)) return Status::Ok();
  return Status::Invalid("invalid " + std::string(what) + ": '" + std::string(text) +
                         "' (expected a UUID like 01234567-89ab-4cde-8f01-23456789abcd)");
}

std::string NewUuid(Random& random) {
  uint64_t hi = random.Next();
  uint64_t lo = random.Next();
  hi = (hi & ~0xF000ull) | 0x4000ull;                  // version 4
  lo = (lo & ~(0xC000ull << 48)) | (0x8000ull << 48);  // RFC 4122 variant
  return FormatUuid(Uuid128{hi, lo});
}

bool SameCheckpointId(std::string_view a, std::string_view b) {
  if (a == b) return true;
  // UUIDs are stored as numbers: the text case a caller used is not kept.
  std::optional<Uuid128> x = ParseUuid(a), y = ParseUuid(b);
  return x && y && x->hi == y->hi && x->lo == y->lo;
}

const Checkpoint* FindCheckpoint(const Manifest& m, std::string_view id) {
  for (const Checkpoint& c : m.checkpoints) {
    if (SameCheckpointId(c.id, id)) return &c;
  }
  return nullptr;
}

Result<CheckpointCreateResult> AddCheckpoint(Manifest& m, const std::string& id,
                                             const CheckpointOptions& options, int64_t now_ms) {
  Checkpoint c;
  c.id = id;
  c.manifest_id = m.id + 1;
  if (options.source) {
    const Checkpoint* source = FindCheckpoint(m, *options.source);
    if (source == nullptr) {
      return Status::Data("source checkpoint " + *options.source + " does not exist");
    }
    c.manifest_id = source->manifest_id;
  }
  c.create_time_s = SecondsUpFrom(now_ms);
  c.expire_time_s = ExpirySecondsFrom(now_ms, options.lifetime_ms);
  c.name = options.name;
  m.checkpoints.push_back(c);
  return CheckpointCreateResult{c.id, c.manifest_id};
}

Status RefreshCheckpoint(Manifest& m, std::string_view id, std::optional<uint64_t> lifetime_ms,
                         int64_t now_ms) {
  for (Checkpoint& c : m.checkpoints) {
    if (!SameCheckpointId(c.id, id)) continue;
    c.expire_time_s = ExpirySecondsFrom(now_ms, lifetime_ms);
    return Status::Ok();
  }
  return Status::Data("checkpoint " + std::string(id) + " does not exist");
}

void RemoveCheckpoint(Manifest& m, std::string_view id) {
  std::erase_if(m.checkpoints, [&](const Checkpoint& c) { return SameCheckpointId(c.id, id); });
}

CheckpointInfo ToCheckpointInfo(const Checkpoint& c) {
  CheckpointInfo info;
  info.id = c.id;
  info.manifest_id = c.manifest_id;
  info.create_time_ms = int64_t{c.create_time_s} * 1000;
  if (c.expire_time_s != 0) info.expire_time_ms = int64_t{c.expire_time_s} * 1000;
  info.name = c.name;
  return info;
}

Task<Result<Manifest>> EditLatestManifest(ManifestStore* store, ManifestEditFn edit) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> latest, co_await store->LoadLatest());
    if (!latest) co_return Status::Data(kNoDatabaseMessage);
    if (!latest->initialized) {
      co_return Status::Invalid("the database is an unfinished clone; finish or delete it");
    }
    Manifest next = std::move(*latest);
    SLATEDB_CO_RETURN_IF_ERROR(edit(next));
    next.id += 1;
    Status s = co_await store->Create(next);
    if (s.ok()) co_return next;
    if (!s.IsAlreadyExists()) co_return s;
  }
  co_return Status::Unavailable("gave up updating the manifest: too many concurrent updates");
}

}  // namespace slatedb
