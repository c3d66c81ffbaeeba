// SPDX-License-Identifier: Apache-2.0
//
// DiskCache: the persistent cache's directory. It stores parts of objects as checksummed
// files (cache/part_file.h), keeps their total size under a bound by evicting the least
// recently used, and rebuilds its index from the files when a process opens it again.
//
// Layout under the root folder:
//   .lock                 held with an exclusive flock by the one process using the folder
//   parts/<hh>/<object>-<part size>-<index>.part|.last    one file per part
//   tmp/                  parts being written (emptied at open)
// <object> is 16 hex digits of a hash of the object's identity (the store's description
// and the key); the identity itself is inside each file and checked on every read, so a
// hash collision is a miss, never a wrong answer. ".last" marks the part in which the
// object ends, which is how the cache knows an object's size.
//
// Sharing: one process per folder. A second process's Open fails with Invalid (the lock
// refuses it), since both would spend one size budget without seeing each other's
// accounting. Within a process, every Open of the same folder returns the same DiskCache.
//
// Recency survives restarts: a hit sets the file's modification time, and the index is
// rebuilt in that order. Files that fail verification are deleted when found.
// Internal to platform/; thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "slatedb/result.h"

namespace slatedb::cache {

struct DiskCacheCounters {
  std::atomic<uint64_t> parts_written{0};
  std::atomic<uint64_t> write_failures{0};
  std::atomic<uint64_t> evictions{0};
  std::atomic<uint64_t> corrupt_parts{0};
};

class DiskCache {
 public:
  // Opens the folder `root` (created if absent), or returns the DiskCache this process
  // already has open on it. `max_bytes` bounds the files' total size (the first opener's
  // bound applies to later ones). Invalid if the folder is unusable or another process
  // holds it.
  static Result<std::shared_ptr<DiskCache>> Open(const std::string& root, uint64_t max_bytes);
  ~DiskCache();

  DiskCache(const DiskCache&) = delete;
  DiskCache& operator=(const DiskCache&) = delete;

  // What a read of one cached part found.
  struct Slice {
    std::string bytes;         // the part's data from `start` on, covering what was asked
    uint64_t start = 0;        // offset within the part of bytes[0]
    uint64_t part_length = 0;  // the part's whole data length
    bool last = false;         // the object ends in this part
  };

  // Reads [begin, end) of part `index` (end is clipped to the part's length). nullopt if
  // the part is not cached, or its file failed verification (it is then deleted).
  std::optional<Slice> Read(const std::string& identity, uint64_t part_size, uint64_t index,
                            uint64_t begin, uint64_t end);

  // Stores a part, unless the object's generation moved past `generation` meanwhile (it
  // was replaced or evicted while the bytes were fetched). Best effort: a failed write
  // only counts a write failure.
  void Write(const std::string& identity, uint64_t part_size, uint64_t index, bool last,
             std::string_view data, uint64_t generation);

  // The object's current generation (bumped by Invalidate).
  uint64_t Generation(const std::string& identity);

  // Bumps the object's generation and deletes every cached part of it.
  void Invalidate(const std::string& identity);

  // The index of the object's cached last part, if one is cached.
  std::optional<uint64_t> LastPart(const std::string& identity, uint64_t part_size);

  const std::string& root() const { return root_; }
  uint64_t max_bytes() const { return max_bytes_; }
  uint64_t used_bytes() const;
  uint64_t entries() const;
  const DiskCacheCounters& counters() const { return counters_; }

 private:
  struct Entry {
    std::string object;  // "<hash hex>-<part size>"
    uint64_t index = 0;
    bool last = false;
    uint64_t bytes = 0;
    std::list<std::string>::iterator lru;
  };
  struct ObjectParts {
    std::map<uint64_t, std::string> parts;  // index -> entry name
  };

  DiskCache(std::string root, uint64_t max_bytes, int lock_fd);
  Status Scan();
  std::string PathOf(const std::string& name, bool last) const;
  // Removes an entry from the index and deletes its file. REQUIRES: mu_ held.
  void RemoveLocked(const std::string& name);
  void EvictLocked(const std::string& keep);
  // Drops the entry `name` found with `bytes` (unless it was replaced since).
  void DropCorrupt(const std::string& name, uint64_t bytes);

  const std::string root_;
  const uint64_t max_bytes_;
  const int lock_fd_;
  const int owner_pid_;  // a forked child must not use its parent's instance
  std::atomic<uint64_t> tmp_counter_{0};

  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;        // name -> entry
  std::unordered_map<std::string, ObjectParts> objects_;  // object -> its parts
  // Generations by identity hash, striped: a bump also moves the objects sharing its
  // stripe, which costs them at most a discarded fetch, and the table never grows.
  static constexpr size_t kGenerationStripes = 4096;
  std::vector<uint64_t> generations_ = std::vector<uint64_t>(kGenerationStripes, 0);
  std::list<std::string> lru_;  // names, most recent first
  uint64_t used_ = 0;
  DiskCacheCounters counters_;
};

// 64-bit hash of an identity (FNV-1a with a final mix); stable across processes.
uint64_t IdentityHash(std::string_view identity);

}  // namespace slatedb::cache
