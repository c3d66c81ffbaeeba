// SPDX-License-Identifier: Apache-2.0
//
// The store-selection rule of store_selection.h over the native stores.
#include "slatedb/platform/store_selection.h"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "slatedb/platform/azure_object_store.h"
#include "slatedb/platform/dotenv.h"
#include "slatedb/platform/local_object_store.h"
#include "slatedb/platform/memory_object_store.h"
#include "slatedb/platform/s3_native.h"
#include "slatedb/platform/system_clock.h"

namespace slatedb {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view StripSlashes(std::string_view s) {
  while (!s.empty() && s.front() == '/') s.remove_prefix(1);
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  return s;
}

// `root` joined with `path` (a leading '/' of path does not make it absolute).
std::string JoinDir(std::string_view root, std::string_view path) {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (path.empty()) return std::string(root);
  return (std::filesystem::path(root) / std::filesystem::path(path)).string();
}

Result<StoreLocation> OpenLocal(const std::string& dir) {
  auto [root, path] = SplitLocalDatabaseDir(dir);
  SLATEDB_ASSIGN_OR_RETURN(std::shared_ptr<LocalObjectStore> store, LocalObjectStore::Open(root));
  return StoreLocation{std::move(store), std::move(path)};
}

StoreLocation OpenMemory(std::string_view path, std::shared_ptr<Clock> clock) {
  if (!clock) clock = std::make_shared<SystemClock>();
  return StoreLocation{std::make_shared<MemoryObjectStore>(std::move(clock)),
                       std::string(StripSlashes(path))};
}

bool IsSchemeChar(char c, bool first) {
  if (std::isalpha(static_cast<unsigned char>(c))) return true;
  return !first &&
         (std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '.' || c == '-');
}

}  // namespace

std::pair<std::string, std::string> SplitLocalDatabaseDir(std::string_view dir) {
  std::string full = std::filesystem::path(dir).lexically_normal().string();
  while (full.size() > 1 && full.back() == '/') full.pop_back();
  std::filesystem::path p(full);
  std::string parent = p.parent_path().string();
  std::string name = p.filename().string();
  if (name.empty() || name == "." || parent.empty() || parent == "/") return {full, ""};
  return {parent, name};
}

Result<StoreLocation> OpenStoreForUrl(std::string_view url, std::string_view path,
                                      const EnvLookup& env, std::shared_ptr<Clock> clock,
                                      const S3OpenOptions& s3) {
  size_t sep = url.find("://");
  bool scheme_ok = sep != std::string_view::npos && sep > 0;
  for (size_t i = 0; scheme_ok && i < sep; ++i) scheme_ok = IsSchemeChar(url[i], i == 0);
  if (!scheme_ok) {
    return Status::Invalid("invalid object store url: '" + std::string(url) +
                           "' (expected memory:///, file:///dir or s3://bucket/prefix)");
  }
  std::string scheme = Lower(url.substr(0, sep));
  std::string_view rest = url.substr(sep + 3);
  if (scheme == "memory") return OpenMemory(path, std::move(clock));
  if (scheme == "file") {
    if (!rest.empty() && rest.front() != '/') {
      return Status::Invalid("file url must have an absolute path: '" + std::string(url) + "'");
    }
    return OpenLocal(JoinDir(rest.empty() ? "/" : rest, path));
  }
  if (scheme == "s3" || scheme == "s3a") {
    SLATEDB_ASSIGN_OR_RETURN(S3Config config, S3ConfigFromUrl(url, env));
    SLATEDB_ASSIGN_OR_RETURN(std::shared_ptr<S3ObjectStore> store,
                             OpenS3ObjectStore(std::move(config), s3));
    return StoreLocation{std::move(store), std::string(StripSlashes(path))};
  }
  if (scheme == "az" || scheme == "azure" || scheme == "abfs" || scheme == "abfss" ||
      scheme == "adl") {
    SLATEDB_ASSIGN_OR_RETURN(
        AzureConfig config,
        AzureConfigFromUrl(url, AzureOptionsFromEnv(env), env("AZURITE_BLOB_STORAGE_URL")));
    SLATEDB_ASSIGN_OR_RETURN(std::shared_ptr<AzureBlobObjectStore> store,
                             OpenAzureObjectStore(std::move(config), s3));
    return StoreLocation{std::move(store), std::string(StripSlashes(path))};
  }
  return Status::Unavailable("unsupported object store scheme: " + scheme);
}

Result<StoreLocation> OpenStoreFromEnv(std::string_view path, const EnvLookup& env,
                                       std::shared_ptr<Clock> clock, const S3OpenOptions& s3) {
  std::optional<std::string> provider = env("CLOUD_PROVIDER");
  if (!provider) return Status::Invalid("undefined environment variable CLOUD_PROVIDER");
  std::string kind = Lower(*provider);
  if (kind == "local") {
    std::optional<std::string> root = env("LOCAL_PATH");
    if (!root || root->empty()) return Status::Invalid("undefined environment variable LOCAL_PATH");
    return OpenLocal(JoinDir(*root, path));
  }
  if (kind == "memory") return OpenMemory(path, std::move(clock));
  if (kind == "aws") {
    SLATEDB_ASSIGN_OR_RETURN(S3Config config, S3ConfigFromEnv(env));
    SLATEDB_ASSIGN_OR_RETURN(std::shared_ptr<S3ObjectStore> store,
                             OpenS3ObjectStore(std::move(config), s3));
    return StoreLocation{std::move(store), std::string(StripSlashes(path))};
  }
  if (kind == "azure") {
    SLATEDB_ASSIGN_OR_RETURN(AzureConfig config, AzureConfigFromEnv(env));
    SLATEDB_ASSIGN_OR_RETURN(std::shared_ptr<AzureBlobObjectStore> store,
                             OpenAzureObjectStore(std::move(config), s3));
    return StoreLocation{std::move(store), std::string(StripSlashes(path))};
  }
  return Status::Invalid("unsupported CLOUD_PROVIDER: " + kind);
}

Result<EnvLookup> ProcessEnvWithDotEnv(const std::string& env_file) {
  std::map<std::string, std::string> file_vars;
  std::ifstream in(env_file);
  if (in) {
    std::stringstream text;
    text << in.rdbuf();
    Result<std::map<std::string, std::string>> parsed = ParseDotEnv(text.str());
    if (!parsed.ok()) return parsed.status().WithContext(env_file);
    file_vars = std::move(*parsed);
  }
  EnvLookup process = ProcessEnv();
  return EnvLookup(
      [process, vars = std::move(file_vars)](std::string_view name) -> std::optional<std::string> {
        if (auto v = process(name)) return v;
        auto it = vars.find(std::string(name));
        if (it == vars.end()) return std::nullopt;
        return it->second;
      });
}

}  // namespace slatedb
