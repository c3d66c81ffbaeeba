// SPDX-License-Identifier: Apache-2.0
//
// Directory walk behind LocalObjectStore::List. Each directory is read completely and
// closed before its subdirectories are visited, entries are examined with fstatat(...,
// AT_SYMLINK_NOFOLLOW), and the result is sorted once at the end.
#include "local/tree_lister.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <string_view>

#include "local/posix_files.h"
#include "local/unique_fd.h"

namespace slatedb::local {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

// The names in directory `dir_fd`, without "." and "..".
Result<std::vector<std::string>> ReadNames(int dir_fd, const std::string& what) {
  // fdopendir takes over the descriptor and moves its offset: give it a fresh one.
  int fd = ::openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno, "open directory", what);
  DIR* dir = ::fdopendir(fd);
  if (dir == nullptr) {
    int err = errno;
    ::close(fd);
    return ErrnoStatus(err, "read directory", what);
  }
  std::vector<std::string> names;
  while (true) {
    errno = 0;
    struct dirent* entry = ::readdir(dir);
    if (entry == nullptr) break;
    std::string_view name = entry->d_name;
    if (name == "." || name == "..") continue;
    names.emplace_back(name);
  }
  int err = errno;
  ::closedir(dir);
  if (err != 0) return ErrnoStatus(err, "read directory", what);
  return names;
}

struct Walk {
  const std::string& prefix;
  const std::string& start_after;
  std::vector<ObjectMeta> found;

  // Visits directory `dir_fd`, whose objects have keys starting with `base` ("" or
  // ending in '/').
  Status Visit(int dir_fd, const std::string& base) {
    SLATEDB_ASSIGN_OR_RETURN(std::vector<std::string> names,
                             ReadNames(dir_fd, base.empty() ? "/" : base));
    for (const std::string& name : names) {
      if (base.empty() && IsReservedTopLevelName(name)) continue;
      std::string key = base + name;
      struct stat st;
      if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT) continue;  // deleted while we walk
        return ErrnoStatus(errno, "stat", key);
      }
      if (S_ISDIR(st.st_mode)) {
        std::string sub = key + "/";
        if (!StartsWith(sub, prefix) && !StartsWith(prefix, sub)) continue;
        UniqueFd child(
            ::openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!child.valid()) {
          if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP) continue;  // raced
          return ErrnoStatus(errno, "open directory", sub);
        }
        SLATEDB_RETURN_IF_ERROR(Visit(child.get(), sub));
      } else if (S_ISREG(st.st_mode)) {
        // Symlinks, fifos and files whose names are no valid key are not objects.
        if (!StartsWith(key, prefix) || key <= start_after) continue;
        if (!ValidateObjectKey(key).ok()) continue;
        found.push_back(MetaOf(key, st));
      }
    }
    return Status::Ok();
  }
};

}  // namespace

Result<std::vector<ObjectMeta>> ListTree(int root_fd, const std::string& prefix,
                                         const std::string& start_after) {
  // The directory segments the prefix spells out in full ("a/b/c" -> "a", "b").
  std::vector<std::string> dirs;
  size_t start = 0;
  for (size_t slash; (slash = prefix.find('/', start)) != std::string::npos; start = slash + 1) {
    dirs.push_back(prefix.substr(start, slash - start));
  }
  for (const std::string& dir : dirs) {
    // No valid key lives under such a directory; never turn it into a path.
    if (dir.empty() || dir == "." || dir == ".." || dir.find('\\') != std::string::npos ||
        dir.find('\0') != std::string::npos) {
      return std::vector<ObjectMeta>{};
    }
  }
  if (!dirs.empty() && IsReservedTopLevelName(dirs.front())) return std::vector<ObjectMeta>{};

  std::string base;
  for (const std::string& dir : dirs) base += dir + "/";
  Result<UniqueFd> top = OpenDirChain(root_fd, dirs, /*create=*/false, base.empty() ? "/" : base);
  if (!top.ok()) {
    // Nothing is stored under a missing directory. A symlink on the way stays Invalid.
    if (top.status().IsNotFound()) return std::vector<ObjectMeta>{};
    return top.status();
  }
  Walk walk{prefix, start_after, {}};
  SLATEDB_RETURN_IF_ERROR(walk.Visit(top->get(), base));
  std::sort(walk.found.begin(), walk.found.end(),
            [](const ObjectMeta& a, const ObjectMeta& b) { return a.key < b.key; });
  return std::move(walk.found);
}

}  // namespace slatedb::local
