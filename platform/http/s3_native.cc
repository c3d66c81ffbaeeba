// SPDX-License-Identifier: Apache-2.0
//
// Native wiring of the portable S3 client: process environment, dotenv files, libcurl,
// a thread pool and the system clock.
#include "slatedb/platform/s3_native.h"

#include <cctype>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>

#include "slatedb/platform/dotenv.h"
#include "slatedb/platform/system_clock.h"
#include "slatedb/platform/thread_pool_executor.h"

namespace slatedb {
namespace {

Status WaitForStatus(const std::function<void(ObjectStore::StatusCallback)>& start) {
  std::mutex mu;
  std::condition_variable cv;
  std::optional<Status> result;
  start([&](Status s) {
    std::lock_guard<std::mutex> lock(mu);
    result = std::move(s);
    cv.notify_one();
  });
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return result.has_value(); });
  return *result;
}

}  // namespace

EnvLookup ProcessEnv() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

Result<std::shared_ptr<S3ObjectStore>> OpenS3ObjectStore(S3Config config,
                                                         const S3OpenOptions& options) {
  SLATEDB_ASSIGN_OR_RETURN(std::shared_ptr<CurlHttpTransport> transport,
                           CurlHttpTransport::Create(options.http));
  auto executor = std::make_shared<ThreadPoolExecutor>(std::max<size_t>(1, options.executor_threads));
  SLATEDB_ASSIGN_OR_RETURN(
      std::shared_ptr<S3ObjectStore> store,
      S3ObjectStore::Create(std::move(config), std::move(transport), std::move(executor),
                            std::make_shared<SystemClock>()));
  if (options.check_conditional_writes) {
    Status probe = WaitForStatus([&store](ObjectStore::StatusCallback done) {
      store->CheckConditionalWrites(std::move(done));
    });
    if (!probe.ok()) return probe;
  }
  return store;
}

Result<std::shared_ptr<S3ObjectStore>> OpenS3ObjectStore(std::string_view url,
                                                         const S3OpenOptions& options) {
  SLATEDB_ASSIGN_OR_RETURN(S3Config config, S3ConfigFromUrl(url, ProcessEnv()));
  return OpenS3ObjectStore(std::move(config), options);
}

Result<std::shared_ptr<S3ObjectStore>> OpenS3ObjectStoreFromEnv(const std::string& env_file,
                                                                const S3OpenOptions& options) {
  std::map<std::string, std::string> file_vars;
  std::ifstream in(env_file);
  if (in) {
    std::stringstream text;
    text << in.rdbuf();
    SLATEDB_ASSIGN_OR_RETURN(file_vars, ParseDotEnv(text.str()));
  }
  EnvLookup process = ProcessEnv();
  EnvLookup env = [&](std::string_view name) -> std::optional<std::string> {
    if (auto v = process(name)) return v;
    auto it = file_vars.find(std::string(name));
    if (it == file_vars.end()) return std::nullopt;
    return it->second;
  };
  std::string provider = env("CLOUD_PROVIDER").value_or("");
  for (char& c : provider) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (provider != "aws") {
    return Status::Invalid("CLOUD_PROVIDER must be 'aws' for an S3 store (got '" + provider +
                           "')");
  }
  SLATEDB_ASSIGN_OR_RETURN(S3Config config, S3ConfigFromEnv(env));
  return OpenS3ObjectStore(std::move(config), options);
}

}  // namespace slatedb
