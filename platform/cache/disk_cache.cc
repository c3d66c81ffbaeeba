// SPDX-License-Identifier: Apache-2.0
#include "cache/disk_cache.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <vector>

#include "cache/part_file.h"
#include "local/posix_files.h"
#include "local/unique_fd.h"

namespace slatedb::cache {

using local::UniqueFd;

namespace {

constexpr const char* kLockName = ".lock";
constexpr const char* kPartsDir = "parts";
constexpr const char* kTmpDir = "tmp";
constexpr size_t kFirstRead = 4096;  // covers a typical header in one pread

std::string Hex16(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string ObjectName(const std::string& identity, uint64_t part_size) {
  return Hex16(IdentityHash(identity)) + "-" + std::to_string(part_size);
}

std::string EntryName(const std::string& object, uint64_t index) {
  return object + "-" + std::to_string(index);
}

Status ErrnoError(const std::string& what, const std::string& path) {
  return Status::Invalid("object store cache: " + what + " '" + path +
                         "': " + std::strerror(errno));
}

Status MakeDirs(const std::string& path) {
  for (size_t pos = 1; pos <= path.size(); ++pos) {
    if (pos != path.size() && path[pos] != '/') continue;
    std::string partial = path.substr(0, pos);
    if (::mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST) {
      return ErrnoError("create directory", partial);
    }
  }
  return Status::Ok();
}

// Reads exactly `n` bytes at `offset`, or fewer at end of file.
bool PreadAll(int fd, uint64_t offset, uint64_t n, std::string* out) {
  out->resize(n);
  uint64_t got = 0;
  while (got < n) {
    ssize_t r = ::pread(fd, out->data() + got, n - got, static_cast<off_t>(offset + got));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return false;
    if (r == 0) break;
    got += static_cast<uint64_t>(r);
  }
  out->resize(got);
  return true;
}

// Parses "<16 hex>-<part size>-<index>" + ".part"/".last"; false if it is not one.
bool ParseFileName(const std::string& file, std::string* name, std::string* object, uint64_t* index,
                   bool* last) {
  auto ends_with = [&](const char* suffix) {
    size_t n = std::strlen(suffix);
    return file.size() > n && file.compare(file.size() - n, n, suffix) == 0;
  };
  if (ends_with(".part")) {
    *last = false;
  } else if (ends_with(".last")) {
    *last = true;
  } else {
    return false;
  }
  *name = file.substr(0, file.size() - 5);
  size_t dash1 = name->find('-');
  size_t dash2 = name->rfind('-');
  if (dash1 != 16 || dash2 == dash1 || dash2 + 1 >= name->size()) return false;
  for (size_t i = 0; i < 16; ++i) {
    if (!std::isxdigit(static_cast<unsigned char>((*name)[i]))) return false;
  }
  for (size_t i = dash1 + 1; i < name->size(); ++i) {
    if (i != dash2 && !std::isdigit(static_cast<unsigned char>((*name)[i]))) return false;
  }
  *object = name->substr(0, dash2);
  *index = std::strtoull(name->c_str() + dash2 + 1, nullptr, 10);
  return true;
}

std::mutex& RegistryMutex() {
  static std::mutex mu;
  return mu;
}
std::map<std::string, std::weak_ptr<DiskCache>>& Registry() {
  static auto* registry = new std::map<std::string, std::weak_ptr<DiskCache>>();
  return *registry;
}

}  // namespace

uint64_t IdentityHash(std::string_view identity) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : identity) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  // Final avalanche (splitmix64's), so that similar identities spread over the folders.
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  return h;
}

Result<std::shared_ptr<DiskCache>> DiskCache::Open(const std::string& root_in, uint64_t max_bytes) {
  if (root_in.empty()) return Status::Invalid("object store cache: empty root_folder");
  if (max_bytes == 0) return Status::Invalid("object store cache: max_cache_size_bytes is 0");
  SLATEDB_RETURN_IF_ERROR(MakeDirs(root_in));
  char resolved[PATH_MAX];
  if (::realpath(root_in.c_str(), resolved) == nullptr) {
    return ErrnoError("resolve root_folder", root_in);
  }
  std::string root = resolved;
  std::lock_guard<std::mutex> registry_lock(RegistryMutex());
  auto& registry = Registry();
  if (auto it = registry.find(root); it != registry.end()) {
    auto live = it->second.lock();
    if (live && live->owner_pid_ == ::getpid()) return live;
  }
  for (const char* dir : {kPartsDir, kTmpDir}) {
    std::string path = root + "/" + dir;
    if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
      return ErrnoError("create directory", path);
    }
  }
  std::string lock_path = root + "/" + kLockName;
  UniqueFd lock(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (!lock.valid()) return ErrnoError("open lock file", lock_path);
  if (::flock(lock.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) {
      return Status::Invalid("object store cache: root_folder '" + root +
                             "' is in use by another process (one process per cache folder)");
    }
    return ErrnoError("lock", lock_path);
  }
  std::shared_ptr<DiskCache> cache(new DiskCache(root, max_bytes, lock.Release()));
  SLATEDB_RETURN_IF_ERROR(cache->Scan());
  registry[root] = cache;
  return cache;
}

DiskCache::DiskCache(std::string root, uint64_t max_bytes, int lock_fd)
    : root_(std::move(root)), max_bytes_(max_bytes), lock_fd_(lock_fd), owner_pid_(::getpid()) {}

DiskCache::~DiskCache() {
  {
    std::lock_guard<std::mutex> registry_lock(RegistryMutex());
    auto& registry = Registry();
    auto it = registry.find(root_);
    if (it != registry.end() && it->second.expired()) registry.erase(it);
  }
  ::close(lock_fd_);  // releases the flock
}

std::string DiskCache::PathOf(const std::string& name, bool last) const {
  return root_ + "/" + kPartsDir + "/" + name.substr(0, 2) + "/" + name +
         (last ? ".last" : ".part");
}

Status DiskCache::Scan() {
  // Leftovers of writes cut short by a crash.
  std::string tmp = root_ + "/" + kTmpDir;
  if (DIR* dir = ::opendir(tmp.c_str())) {
    while (struct dirent* e = ::readdir(dir)) {
      if (e->d_name[0] != '.') ::unlinkat(::dirfd(dir), e->d_name, 0);
    }
    ::closedir(dir);
  }
  struct Found {
    int64_t mtime_ns;
    std::string name, object;
    uint64_t index, bytes;
    bool last;
  };
  std::vector<Found> found;
  std::string parts = root_ + "/" + kPartsDir;
  DIR* top = ::opendir(parts.c_str());
  if (top == nullptr) return ErrnoError("open", parts);
  while (struct dirent* sub = ::readdir(top)) {
    if (sub->d_name[0] == '.') continue;
    std::string sub_path = parts + "/" + sub->d_name;
    DIR* dir = ::opendir(sub_path.c_str());
    if (dir == nullptr) continue;
    while (struct dirent* e = ::readdir(dir)) {
      std::string file = e->d_name;
      if (file == "." || file == "..") continue;
      Found f;
      struct stat st;
      if (!ParseFileName(file, &f.name, &f.object, &f.index, &f.last) ||
          f.name.compare(0, 2, sub->d_name) != 0 ||
          ::fstatat(::dirfd(dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
          !S_ISREG(st.st_mode)) {
        ::unlinkat(::dirfd(dir), e->d_name, 0);  // not ours, or a stray: reclaim the space
        continue;
      }
      f.bytes = static_cast<uint64_t>(st.st_size);
      f.mtime_ns = int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
      found.push_back(std::move(f));
    }
    ::closedir(dir);
  }
  ::closedir(top);
  std::sort(found.begin(), found.end(),
            [](const Found& a, const Found& b) { return a.mtime_ns < b.mtime_ns; });
  std::lock_guard<std::mutex> lock(mu_);
  for (Found& f : found) {
    if (auto dup = entries_.find(f.name); dup != entries_.end()) {
      // Both a .part and a .last of one part: keep the newer.
      RemoveLocked(f.name);
    }
    lru_.push_front(f.name);
    Entry entry{f.object, f.index, f.last, f.bytes, lru_.begin()};
    objects_[f.object].parts[f.index] = f.name;
    entries_.emplace(f.name, std::move(entry));
    used_ += f.bytes;
  }
  EvictLocked("");
  return Status::Ok();
}

std::optional<DiskCache::Slice> DiskCache::Read(const std::string& identity, uint64_t part_size,
                                                uint64_t index, uint64_t begin, uint64_t end) {
  const std::string name = EntryName(ObjectName(identity, part_size), index);
  std::string path;
  uint64_t entry_bytes = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(name);
    if (it == entries_.end()) return std::nullopt;
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    path = PathOf(name, it->second.last);
    entry_bytes = it->second.bytes;
  }
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd.valid()) return std::nullopt;  // evicted meanwhile
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return std::nullopt;
  const uint64_t file_size = static_cast<uint64_t>(st.st_size);
  auto corrupt = [&]() -> std::optional<Slice> {
    DropCorrupt(name, entry_bytes);
    return std::nullopt;
  };
  std::string header;
  if (!PreadAll(fd.get(), 0, std::min<uint64_t>(kFirstRead, file_size), &header)) {
    return std::nullopt;
  }
  Result<uint32_t> header_length = PeekHeaderLength(header);
  if (!header_length.ok() || *header_length > file_size) return corrupt();
  if (*header_length > header.size()) {
    std::string rest;
    if (!PreadAll(fd.get(), header.size(), *header_length - header.size(), &rest)) {
      return std::nullopt;
    }
    header += rest;
  }
  header.resize(*header_length);
  Result<PartHeader> h = DecodePartHeader(header, file_size);
  if (!h.ok()) return corrupt();
  if (h->identity != identity || h->part_index != index || h->part_size != part_size) {
    return std::nullopt;  // another object's part under a colliding hash: a miss
  }
  Slice slice;
  slice.part_length = h->data_length;
  slice.last = h->last;
  end = std::min(end, h->data_length);
  if (begin < end) {
    ChunkSpan span = ChunksCovering(*h, begin, end);
    std::string data;
    if (!PreadAll(fd.get(), h->header_length + span.offset, span.length, &data)) {
      return std::nullopt;
    }
    if (!VerifyChunks(*h, span, data).ok()) return corrupt();
    slice.start = begin;
    slice.bytes = data.substr(begin - span.offset, end - begin);
  } else {
    slice.start = std::min(begin, h->data_length);
  }
  // The access time that orders eviction after a restart.
  ::futimens(fd.get(), nullptr);
  return slice;
}

void DiskCache::DropCorrupt(const std::string& name, uint64_t bytes) {
  counters_.corrupt_parts.fetch_add(1, std::memory_order_relaxed);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(name);
  if (it != entries_.end() && it->second.bytes == bytes) RemoveLocked(name);
}

void DiskCache::Write(const std::string& identity, uint64_t part_size, uint64_t index, bool last,
                      std::string_view data, uint64_t generation) {
  if (identity.size() > kMaxIdentityBytes) return;
  const std::string object = ObjectName(identity, part_size);
  const std::string name = EntryName(object, index);
  std::string file = EncodePartFile(identity, index, part_size, last, data);
  if (file.size() > max_bytes_) return;
  std::string tmp = root_ + "/" + kTmpDir + "/" + std::to_string(::getpid()) + "-" +
                    std::to_string(tmp_counter_.fetch_add(1)) + ".tmp";
  auto fail = [&]() {
    counters_.write_failures.fetch_add(1, std::memory_order_relaxed);
    ::unlink(tmp.c_str());
  };
  {
    UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (!fd.valid()) return fail();
    // No fsync: the cache holds copies of durable objects, and a file left half-written by
    // a crash fails its checksum and is fetched again.
    if (!local::WriteAll(fd.get(), file, name).ok()) return fail();
  }
  std::string dir = root_ + "/" + kPartsDir + "/" + name.substr(0, 2);
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) return fail();
  std::lock_guard<std::mutex> lock(mu_);
  if (generations_[IdentityHash(identity) % kGenerationStripes] != generation) {
    ::unlink(tmp.c_str());
    return;
  }
  if (entries_.count(name) != 0) RemoveLocked(name);
  if (::rename(tmp.c_str(), PathOf(name, last).c_str()) != 0) {
    counters_.write_failures.fetch_add(1, std::memory_order_relaxed);
    ::unlink(tmp.c_str());
    return;
  }
  lru_.push_front(name);
  entries_.emplace(name, Entry{object, index, last, file.size(), lru_.begin()});
  objects_[object].parts[index] = name;
  used_ += file.size();
  counters_.parts_written.fetch_add(1, std::memory_order_relaxed);
  EvictLocked(name);
}

void DiskCache::RemoveLocked(const std::string& name) {
  auto it = entries_.find(name);
  if (it == entries_.end()) return;
  ::unlink(PathOf(name, it->second.last).c_str());
  used_ -= it->second.bytes;
  lru_.erase(it->second.lru);
  auto obj = objects_.find(it->second.object);
  if (obj != objects_.end()) {
    auto part = obj->second.parts.find(it->second.index);
    if (part != obj->second.parts.end() && part->second == name) obj->second.parts.erase(part);
    if (obj->second.parts.empty()) objects_.erase(obj);
  }
  entries_.erase(it);
}

void DiskCache::EvictLocked(const std::string& keep) {
  while (used_ > max_bytes_ && !lru_.empty()) {
    std::string victim = lru_.back();
    if (victim == keep) {
      if (lru_.size() == 1) break;
      victim = *std::prev(lru_.end(), 2);
    }
    RemoveLocked(victim);
    counters_.evictions.fetch_add(1, std::memory_order_relaxed);
  }
}

uint64_t DiskCache::Generation(const std::string& identity) {
  std::lock_guard<std::mutex> lock(mu_);
  return generations_[IdentityHash(identity) % kGenerationStripes];
}

void DiskCache::Invalidate(const std::string& identity) {
  std::lock_guard<std::mutex> lock(mu_);
  ++generations_[IdentityHash(identity) % kGenerationStripes];
  // Every part size's files of this identity (names start with its hash).
  const std::string prefix = Hex16(IdentityHash(identity)) + "-";
  std::vector<std::string> names;
  for (const auto& [object, parts] : objects_) {
    if (object.compare(0, prefix.size(), prefix) != 0) continue;
    for (const auto& [index, name] : parts.parts) names.push_back(name);
  }
  for (const std::string& name : names) RemoveLocked(name);
}

std::optional<uint64_t> DiskCache::LastPart(const std::string& identity, uint64_t part_size) {
  std::lock_guard<std::mutex> lock(mu_);
  auto obj = objects_.find(ObjectName(identity, part_size));
  if (obj == objects_.end() || obj->second.parts.empty()) return std::nullopt;
  const std::string& name = obj->second.parts.rbegin()->second;
  auto it = entries_.find(name);
  if (it == entries_.end() || !it->second.last) return std::nullopt;
  return it->second.index;
}

uint64_t DiskCache::used_bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return used_;
}

uint64_t DiskCache::entries() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

}  // namespace slatedb::cache
