// SPDX-License-Identifier: Apache-2.0
#include "session.h"

#include <fstream>

#include "cli_error.h"
#include "slatedb/platform/blocking.h"
#include "slatedb/platform/s3_native.h"
#include "slatedb/platform/system_clock.h"
#include "slatedb/platform/thread_pool_executor.h"

namespace slatedb::cli {

namespace {

bool FileExists(const std::string& path) { return std::ifstream(path).good(); }

}  // namespace

Session::Session(GlobalOptions options)
    : options_(std::move(options)),
      executor_(std::make_shared<ThreadPoolExecutor>(4)),
      clock_(std::make_shared<SystemClock>()) {}

Session::~Session() = default;

const StoreLocation& Session::Location() {
  if (location_) return *location_;
  const std::optional<std::string>& env_file = options_.env_file;
  S3OpenOptions s3;
  s3.check_conditional_writes = !read_only_;
  if (env_file && !FileExists(*env_file)) {
    throw CliError::Usage("env file not found: " + *env_file);
  }
  if (options_.url) {
    // As in Python, a URL is configured by the process environment; an env file given
    // with it adds variables (AWS_* for s3://).
    EnvLookup env = env_file ? Unwrap(ProcessEnvWithDotEnv(*env_file)) : ProcessEnv();
    location_ = Unwrap(OpenStoreForUrl(*options_.url, options_.path, env, clock_, s3));
    return *location_;
  }
  EnvLookup env = Unwrap(ProcessEnvWithDotEnv(env_file.value_or(".env")));
  if (!env_file && !env("CLOUD_PROVIDER")) {
    throw CliError::Usage(
        "no object store given: pass --url (file:///dir, s3://bucket/prefix, memory:///) or "
        "--env-file, or set CLOUD_PROVIDER (local, aws, memory)");
  }
  location_ = Unwrap(OpenStoreFromEnv(options_.path, env, clock_, s3));
  return *location_;
}

void Session::WrapStore(
    const std::function<std::shared_ptr<ObjectStore>(std::shared_ptr<ObjectStore>)>& wrap) {
  Location();
  location_->store = wrap(location_->store);
}

std::string Session::Describe() {
  const StoreLocation& loc = Location();
  return loc.store->Describe() + ", database '" + loc.path + "'";
}

std::shared_ptr<Admin> Session::OpenAdmin() { return OpenAdminAt(Location().path); }

std::shared_ptr<Admin> Session::OpenAdminAt(const std::string& path) {
  AdminOptions options;
  options.object_store = Location().store;
  options.executor = executor_;
  options.clock = clock_;
  options.path = path;
  return Unwrap(Admin::Create(std::move(options)));
}

std::shared_ptr<DbReader> Session::OpenReader(const ReaderChoice& choice) {
  ReaderOptions options;
  options.object_store = Location().store;
  options.executor = executor_;
  options.clock = clock_;
  options.path = Location().path;
  if (choice.checkpoint) {
    options.mode = ReaderMode::kCheckpoint;
    options.checkpoint_id = choice.checkpoint;
  } else {
    options.mode = choice.pin ? ReaderMode::kManagedCheckpoint : ReaderMode::kFollowLatest;
  }
  return Unwrap(BlockOn(DbReader::Open(std::move(options))));
}

std::shared_ptr<Db> Session::OpenWriter() {
  DbOptions options;
  options.object_store = Location().store;
  options.executor = executor_;
  options.clock = clock_;
  options.path = Location().path;
  options.settings.compactor_enabled = false;
  options.settings.gc_enabled = false;
  options.settings.compaction_request_poll_ms = 0;
  return Unwrap(BlockOn(Db::Open(std::move(options))));
}

}  // namespace slatedb::cli
