// SPDX-License-Identifier: Apache-2.0
//
// POSIX helpers for LocalObjectStore. Every system call retries on EINTR and reports
// failure as a Status naming the key, so the store itself reads as a sequence of steps.
#include "local/posix_files.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace slatedb::local {
namespace {

// Runs `call` until it does not fail with EINTR.
template <typename F>
auto RetryOnEintr(F call) {
  decltype(call()) rc;
  do {
    rc = call();
  } while (rc < 0 && errno == EINTR);
  return rc;
}

std::string Hex(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%llx", static_cast<unsigned long long>(v));
  return buf;
}

int64_t MtimeNanos(const struct stat& st) {
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

// Strictly increasing wall-clock nanoseconds within this process. Combined with fresh
// inodes this makes a version impossible to repeat even when the file system reuses an
// inode number within one timestamp tick.
int64_t UniqueNowNanos() {
  static std::atomic<int64_t> last{0};
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  int64_t now = static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
  int64_t prev = last.load(std::memory_order_relaxed);
  int64_t next;
  do {
    next = std::max(now, prev + 1);
  } while (!last.compare_exchange_weak(prev, next, std::memory_order_relaxed));
  return next;
}

std::string NewTempName() {
  static std::atomic<uint64_t> counter{0};
  return std::to_string(::getpid()) + "-" +
         std::to_string(counter.fetch_add(1, std::memory_order_relaxed)) + "-" +
         Hex(static_cast<uint64_t>(UniqueNowNanos()));
}

// After openat(O_DIRECTORY | O_NOFOLLOW) failed with ENOTDIR: a symlink or a plain file?
bool IsSymlink(int dir_fd, const std::string& name) {
  struct stat st;
  return ::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
}

}  // namespace

bool IsReservedTopLevelName(std::string_view segment) {
  return segment == kTempDirName || segment == kLockFileName;
}

Status ErrnoStatus(int err, std::string_view what, const std::string& key) {
  std::string msg = "local store: ";
  msg.append(what);
  msg += " '" + key + "': " + std::strerror(err);
  switch (err) {
    case ENOENT:
      return Status::NotFound(msg);
    case EACCES:
    case EPERM:
    case EROFS:
    case ENAMETOOLONG:
      return Status::Invalid(msg);
    default:
      return Status::Unavailable(msg);
  }
}

Result<KeyPath> ParseKey(const std::string& key) {
  SLATEDB_RETURN_IF_ERROR(ValidateObjectKey(key));
  KeyPath path;
  size_t start = 0;
  while (true) {
    size_t slash = key.find('/', start);
    if (slash == std::string::npos) {
      path.leaf = key.substr(start);
      break;
    }
    path.dirs.push_back(key.substr(start, slash - start));
    start = slash + 1;
  }
  std::string_view first = path.dirs.empty() ? path.leaf : path.dirs.front();
  if (IsReservedTopLevelName(first)) {
    return Status::Invalid("local store: key '" + key + "' uses the reserved name '" +
                           std::string(first) + "'");
  }
  return path;
}

Result<UniqueFd> OpenDirChain(int root_fd, const std::vector<std::string>& dirs, bool create,
                              const std::string& key) {
  // A fresh descriptor for the root too, so every result is owned by the caller.
  UniqueFd cur(
      RetryOnEintr([&] { return ::openat(root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC); }));
  if (!cur.valid()) return ErrnoStatus(errno, "open root directory for", key);
  for (const std::string& name : dirs) {
    int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
    int fd = RetryOnEintr([&] { return ::openat(cur.get(), name.c_str(), flags); });
    if (fd < 0 && errno == ENOENT && create) {
      if (::mkdirat(cur.get(), name.c_str(), 0755) != 0 && errno != EEXIST) {
        return ErrnoStatus(errno, "create directory '" + name + "' for", key);
      }
      fd = RetryOnEintr([&] { return ::openat(cur.get(), name.c_str(), flags); });
    }
    if (fd < 0) {
      int err = errno;
      if (err == ENOTDIR || err == ELOOP) {
        if (err == ELOOP || IsSymlink(cur.get(), name)) {
          return Status::Invalid("local store: key '" + key +
                                 "' passes through the symbolic link '" + name +
                                 "'; symlinks are never followed");
        }
        if (create) {
          return Status::Invalid("local store: key '" + key + "' needs '" + name +
                                 "' to be a directory, but it is an object");
        }
        return Status::NotFound("local store: no object '" + key + "'");
      }
      if (err == ENOENT) return Status::NotFound("local store: no object '" + key + "'");
      return ErrnoStatus(err, "open directory '" + name + "' for", key);
    }
    cur.Reset(fd);
  }
  return cur;
}

Status ReadAt(int fd, uint64_t offset, uint64_t max_bytes, std::string* out,
              const std::string& key) {
  constexpr uint64_t kChunk = 1 << 20;
  while (max_bytes > 0) {
    size_t want = static_cast<size_t>(std::min(max_bytes, kChunk));
    size_t old_size = out->size();
    out->resize(old_size + want);
    ssize_t n = RetryOnEintr(
        [&] { return ::pread(fd, out->data() + old_size, want, static_cast<off_t>(offset)); });
    if (n < 0) {
      int err = errno;
      out->resize(old_size);
      return ErrnoStatus(err, "read", key);
    }
    out->resize(old_size + static_cast<size_t>(n));
    if (n == 0) break;  // end of file
    offset += static_cast<uint64_t>(n);
    max_bytes -= static_cast<uint64_t>(n);
  }
  return Status::Ok();
}

Status WriteAll(int fd, std::string_view data, const std::string& key) {
  while (!data.empty()) {
    ssize_t n = RetryOnEintr([&] { return ::write(fd, data.data(), data.size()); });
    if (n < 0) return ErrnoStatus(errno, "write temp file for", key);
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

Status SyncDir(int dir_fd, const std::string& key) {
  if (RetryOnEintr([&] { return ::fsync(dir_fd); }) != 0) {
    return ErrnoStatus(errno, "fsync the directory of", key);
  }
  return Status::Ok();
}

Result<TempFile> WriteTempFile(int tmp_dir_fd, std::string_view data, const std::string& key) {
  TempFile temp;
  UniqueFd fd;
  // Names are unique per process (pid + counter); O_EXCL guards against leftovers of a
  // crashed process that had the same pid.
  for (int attempt = 0; attempt < 16 && !fd.valid(); ++attempt) {
    temp.name = NewTempName();
    fd.Reset(RetryOnEintr([&] {
      return ::openat(tmp_dir_fd, temp.name.c_str(),
                      O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    }));
    if (!fd.valid() && errno != EEXIST) return ErrnoStatus(errno, "create temp file for", key);
  }
  if (!fd.valid()) return Status::Unavailable("local store: no free temp file name for " + key);

  Status st = WriteAll(fd.get(), data, key);
  if (st.ok()) {
    int64_t ns = UniqueNowNanos();
    struct timespec times[2];
    times[0].tv_sec = 0;
    times[0].tv_nsec = UTIME_OMIT;  // leave atime alone
    times[1].tv_sec = static_cast<time_t>(ns / 1000000000);
    times[1].tv_nsec = static_cast<long>(ns % 1000000000);  // NOLINT(runtime/int)
    if (::futimens(fd.get(), times) != 0) {
      st = ErrnoStatus(errno, "set mtime of temp file for", key);
    }
  }
  if (st.ok() && RetryOnEintr([&] { return ::fsync(fd.get()); }) != 0) {
    st = ErrnoStatus(errno, "fsync temp file for", key);
  }
  if (st.ok() && ::fstat(fd.get(), &temp.st) != 0) {
    st = ErrnoStatus(errno, "stat temp file for", key);
  }
  if (st.ok() && ::close(fd.Release()) != 0) st = ErrnoStatus(errno, "close temp file for", key);
  if (!st.ok()) {
    fd.Reset();
    ::unlinkat(tmp_dir_fd, temp.name.c_str(), 0);
    return st;
  }
  return temp;
}

Result<UniqueFd> LockStore(int root_fd, bool exclusive, const std::string& key) {
  UniqueFd fd(RetryOnEintr([&] {
    return ::openat(root_fd, kLockFileName, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
  }));
  if (!fd.valid()) return ErrnoStatus(errno, "open the lock file for", key);
  int op = exclusive ? LOCK_EX : LOCK_SH;
  if (RetryOnEintr([&] { return ::flock(fd.get(), op); }) != 0) {
    return ErrnoStatus(errno, "lock the store for", key);
  }
  return fd;
}

std::string VersionOf(const struct stat& st) {
  return Hex(static_cast<uint64_t>(st.st_ino)) + "-" + Hex(static_cast<uint64_t>(MtimeNanos(st))) +
         "-" + Hex(static_cast<uint64_t>(st.st_size));
}

ObjectMeta MetaOf(const std::string& key, const struct stat& st) {
  ObjectMeta meta;
  meta.key = key;
  meta.size_bytes = static_cast<uint64_t>(st.st_size);
  meta.last_modified_ms = MtimeNanos(st) / 1000000;
  meta.version = VersionOf(st);
  return meta;
}

}  // namespace slatedb::local
