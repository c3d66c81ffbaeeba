// SPDX-License-Identifier: Apache-2.0
//
// LocalObjectStore: an ObjectStore over a directory of plain files, one file per object
// (key "a/b/c" is <root>/a/b/c). Conditional puts stay atomic across processes sharing the
// directory, so several engines (or a writer and its readers) can coordinate through it
// exactly as through S3. Does its I/O synchronously in the calling thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "slatedb/object_store.h"
#include "slatedb/platform/request_counts.h"
#include "slatedb/result.h"

namespace slatedb {

// How it keeps the ObjectStore contract on a POSIX file system:
// * Every Put writes a temp file in <root>/.tmp/, fsyncs it, then publishes it with one
//   atomic step: rename() for kOverwrite, link() for kCreateIfAbsent (fails with EEXIST
//   if the key exists, also against other processes), and for kReplaceIfVersionMatches
//   a version check plus rename() under an exclusive flock on <root>/.lock (all other
//   mutations hold it shared). The parent directory is fsynced after publishing.
// * Versions are "<inode>-<mtime ns>-<size>" in hex. Each put makes a new inode and
//   stamps a process-unique nanosecond mtime, so a replaced object never gets back an
//   old version.
// * Keys never leave the root: each key passes ValidateObjectKey, directories are opened
//   one component at a time without following symbolic links, and the final component is
//   opened with O_NOFOLLOW. A key that runs into a symlink fails with Invalid. ".tmp" and
//   ".lock" at the top are reserved (Invalid as keys, never listed).
// * A file system cannot hold both "a" and "a/b"; such a put fails with Invalid.
// * Empty parent directories are left behind by Delete (removing them would race with a
//   concurrent Put creating a file in them).
// * Errors: ENOENT -> NotFound, EACCES/EPERM -> Invalid, anything else (ENOSPC, EIO,
//   EMFILE, ...) -> Unavailable; messages name the key and the system error.
//
// Thread-safe; all calls complete (invoke `done`) before they return, on the caller's
// thread.
class LocalObjectStore : public ObjectStore {
 public:
  // Opens the store rooted at `root`, creating the directory (and its parents) if absent.
  // Invalid if `root` is empty, not a directory or not accessible.
  static Result<std::shared_ptr<LocalObjectStore>> Open(const std::string& root);
  ~LocalObjectStore() override;

  LocalObjectStore(const LocalObjectStore&) = delete;
  LocalObjectStore& operator=(const LocalObjectStore&) = delete;

  void Get(const std::string& key, Callback<std::string> done) override;
  void GetRange(const std::string& key, uint64_t offset, uint64_t length,
                Callback<std::string> done) override;
  void Head(const std::string& key, Callback<ObjectMeta> done) override;
  void Put(const std::string& key, std::string data, const ObjectPutOptions& options,
           Callback<ObjectMeta> done) override;
  void List(const std::string& prefix, const std::string& start_after,
            Callback<std::vector<ObjectMeta>> done) override;
  void Delete(const std::string& key, StatusCallback done) override;
  // "local:<absolute root>".
  std::string Describe() const override;

  // The absolute, symlink-resolved root directory.
  const std::string& root() const { return root_; }
  // Requests received so far, per operation, including failed ones.
  RequestCounts counts() const { return counter_.Snapshot(); }

 private:
  LocalObjectStore(std::string root, int root_fd, int tmp_fd);

  Result<std::string> DoGet(const std::string& key);
  Result<std::string> DoGetRange(const std::string& key, uint64_t offset, uint64_t length);
  Result<ObjectMeta> DoHead(const std::string& key);
  Result<ObjectMeta> DoPut(const std::string& key, const std::string& data,
                           const ObjectPutOptions& options);
  Result<std::vector<ObjectMeta>> DoList(const std::string& prefix, const std::string& start_after);
  Status DoDelete(const std::string& key);
  // Opens the object's file for reading: NotFound if absent, Invalid if a symlink.
  Result<int> OpenForRead(const std::string& key);
  // Moves the fsynced temp file `temp_name` to the key per `options`, under the lock.
  Status Publish(int dir_fd, const std::string& leaf, const std::string& temp_name,
                 const ObjectPutOptions& options, const std::string& key);

  const std::string root_;
  const int root_fd_;  // O_DIRECTORY descriptor of root_; every path is resolved from it
  const int tmp_fd_;   // O_DIRECTORY descriptor of <root>/.tmp
  RequestCounter counter_;
};

}  // namespace slatedb
