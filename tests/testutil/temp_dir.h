// SPDX-License-Identifier: Apache-2.0
//
// TempDir: a fresh directory (mkdtemp under $TMPDIR or /tmp) that is removed with all its
// contents when the object goes away, for tests of the local store and of databases on
// it. Removal never follows symlinks, so a test's links to outside files are safe.
#pragma once

#include <string>

namespace slatedb::testing {

class TempDir {
 public:
  // Creates "<tmp>/slatedb-test-XXXXXX". Aborts the test binary if that fails, because
  // no test using it could run meaningfully.
  TempDir();
  ~TempDir();

  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Absolute path of the directory, without a trailing '/'.
  const std::string& path() const { return path_; }
  // path() + "/" + relative.
  std::string Join(const std::string& relative) const { return path_ + "/" + relative; }

 private:
  std::string path_;
};

// Removes `path` and everything below it, without following symlinks. Missing is fine.
void RemoveTree(const std::string& path);

}  // namespace slatedb::testing
