// SPDX-License-Identifier: Apache-2.0
//
// Session: what one command works with: the store the global options select (opened on
// first use, by the rule the Python package uses: slatedb/platform/store_selection.h), a
// thread-pool executor, the system clock, and handles opened on them: an Admin (no I/O to
// open), a read-only DbReader, or a writer Db. Every open failure throws CliError.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "args.h"
#include "slatedb/platform/store_selection.h"
#include "slatedb/slatedb.h"

namespace slatedb::cli {

struct ReaderChoice {
  // Read exactly what this checkpoint pins (ReaderMode::kCheckpoint).
  std::optional<std::string> checkpoint;
  // Pin what is read with a reader-managed checkpoint (kManagedCheckpoint), so garbage
  // collection cannot delete it during a long scan; written to the manifest and removed
  // when the command ends. Otherwise kFollowLatest, which writes nothing.
  bool pin = false;
};

class Session {
 public:
  explicit Session(GlobalOptions options);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const GlobalOptions& options() const { return options_; }
  // A command that writes nothing skips the S3 conditional-write probe (which writes a
  // probe object), so it works with read-only credentials. Before the store is opened.
  void set_read_only(bool read_only) { read_only_ = read_only; }
  // The selected store and the database's path in it.
  const StoreLocation& Location();
  // Lets `wrap` replace the store (bench counts requests) before handles are opened.
  void WrapStore(
      const std::function<std::shared_ptr<ObjectStore>(std::shared_ptr<ObjectStore>)>& wrap);
  // "local:/var/lib/app, database 'db'" (no credentials).
  std::string Describe();

  std::shared_ptr<Executor> executor() { return executor_; }
  std::shared_ptr<Clock> clock() { return clock_; }

  std::shared_ptr<Admin> OpenAdmin();
  std::shared_ptr<Admin> OpenAdminAt(const std::string& path);
  std::shared_ptr<DbReader> OpenReader(const ReaderChoice& choice);
  // A writer with compaction and periodic GC off: it only applies the command's writes.
  // Opening fences any running writer of the database.
  std::shared_ptr<Db> OpenWriter();

 private:
  GlobalOptions options_;
  std::shared_ptr<Executor> executor_;
  std::shared_ptr<Clock> clock_;
  std::optional<StoreLocation> location_;
  bool read_only_ = false;
};

}  // namespace slatedb::cli
