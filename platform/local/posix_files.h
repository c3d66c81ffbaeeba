// SPDX-License-Identifier: Apache-2.0
//
// The POSIX building blocks of LocalObjectStore: errno -> Status mapping, splitting a key
// into directory components, opening directories without following symlinks, full reads
// and writes, writing fsynced temp files, the store-wide flock, and object versions.
// Internal to platform/.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "local/unique_fd.h"
#include "slatedb/object_store.h"
#include "slatedb/result.h"

namespace slatedb::local {

// Names inside the root that belong to the store itself, never objects.
inline constexpr const char* kTempDirName = ".tmp";
inline constexpr const char* kLockFileName = ".lock";

// True if `segment`, as the first segment of a key, names one of the store's own files.
bool IsReservedTopLevelName(std::string_view segment);

// `err` (an errno value) as a Status: ENOENT -> NotFound, EACCES/EPERM/ENAMETOOLONG ->
// Invalid, everything else -> Unavailable. The message reads
// "local store: <what> '<key>': <strerror>".
Status ErrnoStatus(int err, std::string_view what, const std::string& key);

// A validated key split into its directory components and its final component.
struct KeyPath {
  std::vector<std::string> dirs;
  std::string leaf;
};

// Validates `key` (ValidateObjectKey plus the reserved names) and splits it.
Result<KeyPath> ParseKey(const std::string& key);

// Opens the directory <root>/<dirs...> one component at a time with O_NOFOLLOW, so no
// symlink is ever followed. With `create`, missing directories are made. Errors: a
// symlink component -> Invalid; a missing component (without `create`) or a regular file
// in the way -> NotFound without `create`, Invalid with it.
Result<UniqueFd> OpenDirChain(int root_fd, const std::vector<std::string>& dirs, bool create,
                              const std::string& key);

// Appends up to `max_bytes` bytes read from `fd` at `offset` to `out`, stopping early at
// end of file.
Status ReadAt(int fd, uint64_t offset, uint64_t max_bytes, std::string* out,
              const std::string& key);

// Writes all of `data` to `fd` at its current position.
Status WriteAll(int fd, std::string_view data, const std::string& key);

// fsyncs the directory `dir_fd`, so a rename or link into it survives a crash.
Status SyncDir(int dir_fd, const std::string& key);

// A file fully written and fsynced in the temp directory, not yet published.
struct TempFile {
  std::string name;  // inside the temp directory
  struct stat st;    // its metadata; the published object keeps its inode and mtime
};

// Creates a uniquely named temp file in `tmp_dir_fd`, writes `data`, stamps it with a
// process-unique nanosecond mtime (so versions never repeat), fsyncs and closes it. On
// error nothing is left behind.
Result<TempFile> WriteTempFile(int tmp_dir_fd, std::string_view data, const std::string& key);

// Takes the store-wide lock (<root>/.lock) shared or exclusive; it is released when the
// returned descriptor closes. Each call opens its own descriptor, because flock() excludes
// between open file descriptions, also within one process.
Result<UniqueFd> LockStore(int root_fd, bool exclusive, const std::string& key);

// The version of the file `st` describes: hex "<inode>-<mtime ns>-<size>".
std::string VersionOf(const struct stat& st);

// ObjectMeta for `key` stored in the file `st` describes.
ObjectMeta MetaOf(const std::string& key, const struct stat& st);

}  // namespace slatedb::local
