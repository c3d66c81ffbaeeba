// SPDX-License-Identifier: Apache-2.0
//
// LocalObjectStore: each public method counts the request, runs the synchronous Do*
// implementation and calls back before returning. The Do* methods follow the recipe in
// local_object_store.h: parse the key, open its directory without following symlinks,
// then read, or write a temp file and publish it under the store lock.
#include "slatedb/platform/local_object_store.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <utility>

#include "local/posix_files.h"
#include "local/tree_lister.h"
#include "local/unique_fd.h"

namespace slatedb {

using local::ErrnoStatus;
using local::KeyPath;
using local::UniqueFd;

namespace {

// Creates `path` and its missing parents, like `mkdir -p`.
Status MakeDirs(const std::string& path) {
  for (size_t pos = 1; pos <= path.size(); ++pos) {
    if (pos != path.size() && path[pos] != '/') continue;
    std::string partial = path.substr(0, pos);
    if (::mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST) {
      return ErrnoStatus(errno, "create root directory", partial);
    }
  }
  return Status::Ok();
}

// Open() fails only on configuration problems: report them as Invalid.
Status ConfigError(const Status& st) {
  if (st.code() == StatusCode::kUnavailable || st.IsNotFound()) {
    return Status::Invalid(st.message());
  }
  return st;
}

// Checks a conditional put's precondition against the current file (`st`, or null with
// `err` when fstatat failed).
Status CheckPrecondition(const struct stat* st, int err, const ObjectPutOptions& options,
                         const std::string& key) {
  if (st == nullptr && err != ENOENT) return ErrnoStatus(err, "stat", key);
  if (st != nullptr && S_ISLNK(st->st_mode)) {
    return Status::Invalid("local store: '" + key + "' is a symbolic link; not followed");
  }
  if (st != nullptr && S_ISDIR(st->st_mode)) {
    return Status::Invalid("local store: '" + key + "' is a directory of other objects");
  }
  bool exists = st != nullptr;
  switch (options.mode) {
    case PutMode::kOverwrite:
      return Status::Ok();
    case PutMode::kCreateIfAbsent:
      if (exists) return Status::AlreadyExists("local store: object exists: " + key);
      return Status::Ok();
    case PutMode::kReplaceIfVersionMatches:
      if (!exists) return Status::NotFound("local store: no object to replace: " + key);
      if (local::VersionOf(*st) != options.expected_version) {
        return Status::VersionMismatch("local store: " + key + " is at version " +
                                       local::VersionOf(*st) + ", not '" +
                                       options.expected_version + "'");
      }
      return Status::Ok();
  }
  return Status::Internal("local store: unknown put mode");
}

Status StatAndCheck(int dir_fd, const std::string& leaf, const ObjectPutOptions& options,
                    const std::string& key) {
  struct stat st;
  bool found = ::fstatat(dir_fd, leaf.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
  return CheckPrecondition(found ? &st : nullptr, found ? 0 : errno, options, key);
}

}  // namespace

Result<std::shared_ptr<LocalObjectStore>> LocalObjectStore::Open(const std::string& root) {
  if (root.empty()) return Status::Invalid("local store: empty root directory");
  SLATEDB_RETURN_IF_ERROR(ConfigError(MakeDirs(root)));
  // The root itself may be reached through symlinks: it is configuration, not a key.
  UniqueFd root_fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!root_fd.valid()) return ConfigError(ErrnoStatus(errno, "open root directory", root));
  char resolved[PATH_MAX];
  if (::realpath(root.c_str(), resolved) == nullptr) {
    return ConfigError(ErrnoStatus(errno, "resolve root directory", root));
  }
  if (::mkdirat(root_fd.get(), local::kTempDirName, 0755) != 0 && errno != EEXIST) {
    return ConfigError(ErrnoStatus(errno, "create temp directory in", root));
  }
  UniqueFd tmp_fd(::openat(root_fd.get(), local::kTempDirName,
                           O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!tmp_fd.valid()) return ConfigError(ErrnoStatus(errno, "open temp directory in", root));
  // Creating the lock file now surfaces a read-only root at open rather than at first put.
  Result<UniqueFd> lock = local::LockStore(root_fd.get(), /*exclusive=*/false, root);
  if (!lock.ok()) return ConfigError(lock.status());
  return std::shared_ptr<LocalObjectStore>(
      new LocalObjectStore(resolved, root_fd.Release(), tmp_fd.Release()));
}

LocalObjectStore::LocalObjectStore(std::string root, int root_fd, int tmp_fd)
    : root_(std::move(root)), root_fd_(root_fd), tmp_fd_(tmp_fd) {}

LocalObjectStore::~LocalObjectStore() {
  ::close(tmp_fd_);
  ::close(root_fd_);
}

std::string LocalObjectStore::Describe() const { return "local:" + root_; }

void LocalObjectStore::Get(const std::string& key, Callback<std::string> done) {
  counter_.Add(StoreOp::kGet);
  done(DoGet(key));
}

void LocalObjectStore::GetRange(const std::string& key, uint64_t offset, uint64_t length,
                                Callback<std::string> done) {
  counter_.Add(StoreOp::kGetRange);
  done(DoGetRange(key, offset, length));
}

void LocalObjectStore::Head(const std::string& key, Callback<ObjectMeta> done) {
  counter_.Add(StoreOp::kHead);
  done(DoHead(key));
}

void LocalObjectStore::Put(const std::string& key, std::string data,
                           const ObjectPutOptions& options, Callback<ObjectMeta> done) {
  counter_.Add(StoreOp::kPut);
  done(DoPut(key, data, options));
}

void LocalObjectStore::List(const std::string& prefix, const std::string& start_after,
                            Callback<std::vector<ObjectMeta>> done) {
  counter_.Add(StoreOp::kList);
  done(DoList(prefix, start_after));
}

void LocalObjectStore::Delete(const std::string& key, StatusCallback done) {
  counter_.Add(StoreOp::kDelete);
  done(DoDelete(key));
}

Result<int> LocalObjectStore::OpenForRead(const std::string& key) {
  SLATEDB_ASSIGN_OR_RETURN(KeyPath path, local::ParseKey(key));
  SLATEDB_ASSIGN_OR_RETURN(UniqueFd dir, local::OpenDirChain(root_fd_, path.dirs, false, key));
  // O_NONBLOCK: opening a fifo planted in the root must not hang; no effect on files.
  UniqueFd fd(
      ::openat(dir.get(), path.leaf.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ELOOP) {
      return Status::Invalid("local store: '" + key + "' is a symbolic link; not followed");
    }
    if (errno == ENOENT || errno == ENOTDIR || errno == ENXIO) {
      return Status::NotFound("local store: no object '" + key + "'");
    }
    return ErrnoStatus(errno, "open", key);
  }
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return ErrnoStatus(errno, "stat", key);
  if (!S_ISREG(st.st_mode)) return Status::NotFound("local store: no object '" + key + "'");
  return fd.Release();
}

Result<std::string> LocalObjectStore::DoGet(const std::string& key) {
  SLATEDB_ASSIGN_OR_RETURN(int raw_fd, OpenForRead(key));
  UniqueFd fd(raw_fd);
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return ErrnoStatus(errno, "stat", key);
  std::string data;
  data.reserve(static_cast<size_t>(st.st_size));
  // Published files are never modified in place (puts rename new inodes over them), so
  // reading to end of file yields exactly one version.
  SLATEDB_RETURN_IF_ERROR(local::ReadAt(fd.get(), 0, UINT64_MAX, &data, key));
  return data;
}

Result<std::string> LocalObjectStore::DoGetRange(const std::string& key, uint64_t offset,
                                                 uint64_t length) {
  SLATEDB_ASSIGN_OR_RETURN(int raw_fd, OpenForRead(key));
  UniqueFd fd(raw_fd);
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return ErrnoStatus(errno, "stat", key);
  uint64_t size = static_cast<uint64_t>(st.st_size);
  if (offset > size) {
    return Status::Invalid("local store: range offset " + std::to_string(offset) +
                           " beyond the end of '" + key + "' (size " + std::to_string(size) + ")");
  }
  std::string data;
  uint64_t n = std::min(length, size - offset);
  data.reserve(static_cast<size_t>(n));
  SLATEDB_RETURN_IF_ERROR(local::ReadAt(fd.get(), offset, n, &data, key));
  return data;
}

Result<ObjectMeta> LocalObjectStore::DoHead(const std::string& key) {
  SLATEDB_ASSIGN_OR_RETURN(KeyPath path, local::ParseKey(key));
  SLATEDB_ASSIGN_OR_RETURN(UniqueFd dir, local::OpenDirChain(root_fd_, path.dirs, false, key));
  struct stat st;
  if (::fstatat(dir.get(), path.leaf.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return Status::NotFound("local store: no object '" + key + "'");
    return ErrnoStatus(errno, "stat", key);
  }
  if (S_ISLNK(st.st_mode)) {
    return Status::Invalid("local store: '" + key + "' is a symbolic link; not followed");
  }
  if (!S_ISREG(st.st_mode)) return Status::NotFound("local store: no object '" + key + "'");
  return local::MetaOf(key, st);
}

Result<ObjectMeta> LocalObjectStore::DoPut(const std::string& key, const std::string& data,
                                           const ObjectPutOptions& options) {
  SLATEDB_ASSIGN_OR_RETURN(KeyPath path, local::ParseKey(key));
  bool replace = options.mode == PutMode::kReplaceIfVersionMatches;
  // Replacing needs an existing object, so never create directories for it.
  Result<UniqueFd> dir = local::OpenDirChain(root_fd_, path.dirs, /*create=*/!replace, key);
  if (!dir.ok()) {
    if (replace && dir.status().IsNotFound()) {
      return Status::NotFound("local store: no object to replace: " + key);
    }
    // A put never reports NotFound otherwise (the root vanished: a transient problem).
    if (dir.status().IsNotFound()) return Status::Unavailable(dir.status().message());
    return dir.status();
  }
  // Answer a losing conditional put before writing anything. Publish() checks again.
  if (options.mode != PutMode::kOverwrite) {
    SLATEDB_RETURN_IF_ERROR(StatAndCheck(dir->get(), path.leaf, options, key));
  }
  SLATEDB_ASSIGN_OR_RETURN(local::TempFile temp, local::WriteTempFile(tmp_fd_, data, key));
  Status published = Publish(dir->get(), path.leaf, temp.name, options, key);
  // link() leaves the temp name behind; rename() consumed it unless it failed.
  if (options.mode == PutMode::kCreateIfAbsent || !published.ok()) {
    ::unlinkat(tmp_fd_, temp.name.c_str(), 0);
  }
  SLATEDB_RETURN_IF_ERROR(published);
  // Without this the new directory entry could vanish in a crash after we reported success.
  SLATEDB_RETURN_IF_ERROR(local::SyncDir(dir->get(), key));
  return local::MetaOf(key, temp.st);
}

Status LocalObjectStore::Publish(int dir_fd, const std::string& leaf, const std::string& temp_name,
                                 const ObjectPutOptions& options, const std::string& key) {
  // Replace is check-then-rename and must exclude every other mutation; the others are
  // single atomic system calls and only need to exclude a replace in progress.
  bool replace = options.mode == PutMode::kReplaceIfVersionMatches;
  SLATEDB_ASSIGN_OR_RETURN(UniqueFd lock, local::LockStore(root_fd_, replace, key));
  if (replace) SLATEDB_RETURN_IF_ERROR(StatAndCheck(dir_fd, leaf, options, key));
  if (options.mode == PutMode::kCreateIfAbsent) {
    if (::linkat(tmp_fd_, temp_name.c_str(), dir_fd, leaf.c_str(), 0) != 0) {
      if (errno == EEXIST) return Status::AlreadyExists("local store: object exists: " + key);
      return ErrnoStatus(errno, "link new object", key);
    }
    return Status::Ok();
  }
  if (::renameat(tmp_fd_, temp_name.c_str(), dir_fd, leaf.c_str()) != 0) {
    if (errno == EISDIR || errno == ENOTEMPTY || errno == EEXIST) {
      return Status::Invalid("local store: '" + key + "' is a directory of other objects");
    }
    return ErrnoStatus(errno, "rename new object to", key);
  }
  return Status::Ok();
}

Result<std::vector<ObjectMeta>> LocalObjectStore::DoList(const std::string& prefix,
                                                         const std::string& start_after) {
  return local::ListTree(root_fd_, prefix, start_after);
}

Status LocalObjectStore::DoDelete(const std::string& key) {
  SLATEDB_ASSIGN_OR_RETURN(KeyPath path, local::ParseKey(key));
  Result<UniqueFd> dir = local::OpenDirChain(root_fd_, path.dirs, /*create=*/false, key);
  if (!dir.ok()) return dir.status().IsNotFound() ? Status::Ok() : dir.status();
  {
    // Shared: a delete must not slip between a replace's version check and its rename.
    SLATEDB_ASSIGN_OR_RETURN(UniqueFd lock, local::LockStore(root_fd_, false, key));
    if (::unlinkat(dir->get(), path.leaf.c_str(), 0) != 0) {
      // Missing, or a directory of other objects: either way no object has this key.
      if (errno == ENOENT || errno == EISDIR) return Status::Ok();
      return ErrnoStatus(errno, "delete", key);
    }
  }
  return local::SyncDir(dir->get(), key);
}

}  // namespace slatedb
