// SPDX-License-Identifier: Apache-2.0
//
// AzureConfig from URLs and object_store's option names. Messages name options, never their
// values (a misplaced key must not be printed).
#include "slatedb/platform/azure_config.h"

#include <cctype>

#include "azure/shared_key.h"
#include "s3/config_text.h"
#include "s3/endpoint.h"
#include "slatedb/object_store.h"

namespace slatedb {
namespace {

using s3::LowerAscii;

bool OneOf(std::string_view key, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names) {
    if (key == n) return true;
  }
  return false;
}

// "container/path" -> config.container, config.prefix.
Status SetLocation(std::string_view container_and_path, AzureConfig* config) {
  size_t slash = container_and_path.find('/');
  config->container = std::string(container_and_path.substr(0, slash));
  std::string_view path =
      slash == std::string_view::npos ? std::string_view() : container_and_path.substr(slash + 1);
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  config->prefix = path.empty() ? std::string() : std::string(path) + "/";
  return Status::Ok();
}

// Splits "scheme://host[:port][/path]" into the canonical endpoint and the path ("" or
// "/a/b", no trailing '/').
Result<std::pair<s3::Endpoint, std::string>> SplitServiceUrl(std::string_view url) {
  size_t scheme_end = url.find("://");
  size_t path_start =
      scheme_end == std::string_view::npos ? std::string_view::npos : url.find('/', scheme_end + 3);
  std::string_view authority = url.substr(0, path_start);
  std::string_view path =
      path_start == std::string_view::npos ? std::string_view() : url.substr(path_start);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  SLATEDB_ASSIGN_OR_RETURN(s3::Endpoint ep, s3::ParseEndpoint(authority));
  return std::make_pair(std::move(ep), std::string(path));
}

}  // namespace

std::string AzureConfig::Describe() const {
  std::string out = "az://" + container + "/" + prefix + " (account " + account;
  if (!endpoint.empty()) out += ", endpoint " + endpoint;
  if (use_emulator) out += ", emulator";
  return out + ")";
}

std::string AzureConfig::ServiceUrl() const {
  if (!endpoint.empty()) return endpoint;
  if (use_emulator) return kAzuriteDefaultUrl;
  return "https://" + account + ".blob.core.windows.net";
}

Status AzureConfig::Validate() const {
  if (container.empty()) return Status::Invalid("azure: Container name must be specified");
  if (account.empty()) return Status::Invalid("azure: Account must be specified");
  for (char c : account) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      return Status::Invalid("azure: account name '" + account +
                             "' has a character Azure does not allow");
    }
  }
  for (char c : container) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '$') {
      return Status::Invalid("azure: container name '" + container +
                             "' has a character Azure does not allow");
    }
  }
  if (!prefix.empty()) {
    if (prefix.back() != '/') return Status::Invalid("azure: the key prefix must end in '/'");
    Status valid = ValidateObjectKey(prefix + "x");
    if (!valid.ok()) return Status::Invalid("azure: bad key prefix: " + valid.message());
  }
  Result<std::pair<s3::Endpoint, std::string>> service = SplitServiceUrl(ServiceUrl());
  if (!service.ok()) return Status::Invalid("azure: endpoint: " + service.status().message());
  if (service->first.scheme == "http" && !allow_http && !use_emulator) {
    return Status::Invalid("azure: endpoint " + ServiceUrl() +
                           " is plain http; set allow_http (AZURE_ALLOW_HTTP=true) to allow it");
  }
  if (!access_key.empty() && !azure::Base64Decode(access_key)) {
    return Status::Invalid("azure: the access key is not base64");
  }
  return Status::Ok();
}

Result<bool> ApplyAzureOption(std::string_view raw_key, std::string_view value,
                              AzureConfig* config) {
  const std::string key = LowerAscii(raw_key);
  if (OneOf(key, {"azure_storage_account_name", "account_name"})) {
    config->account = std::string(value);
  } else if (OneOf(key, {"azure_storage_account_key", "azure_storage_access_key",
                         "azure_storage_master_key", "master_key", "account_key", "access_key"})) {
    config->access_key = std::string(value);
  } else if (OneOf(key,
                   {"azure_storage_sas_key", "azure_storage_sas_token", "sas_key", "sas_token"})) {
    config->sas_token = std::string(value);
  } else if (OneOf(key,
                   {"azure_storage_use_emulator", "object_store_use_emulator", "use_emulator"})) {
    SLATEDB_ASSIGN_OR_RETURN(config->use_emulator, s3::ParseBoolOption("azure: " + key, value));
  } else if (OneOf(key, {"azure_storage_endpoint", "azure_endpoint", "endpoint"})) {
    config->endpoint = std::string(value);
  } else if (OneOf(key, {"azure_container_name", "container_name"})) {
    config->container = std::string(value);
  } else if (OneOf(key, {"azure_allow_http", "allow_http"})) {
    SLATEDB_ASSIGN_OR_RETURN(config->allow_http, s3::ParseBoolOption("azure: " + key, value));
  } else if (OneOf(key, {"azure_skip_signature", "skip_signature"})) {
    SLATEDB_ASSIGN_OR_RETURN(config->skip_signature, s3::ParseBoolOption("azure: " + key, value));
  } else {
    return false;
  }
  return true;
}

bool IsUnsupportedAzureOption(std::string_view raw_key) {
  std::string key = LowerAscii(raw_key);
  if (key.rfind("azure_storage_", 0) == 0) {
    key.erase(0, 14);
  } else if (key.rfind("azure_", 0) == 0) {
    key.erase(0, 6);
  }
  return OneOf(key, {"client_id", "client_secret", "tenant_id", "authority_id", "authority_host",
                     "token", "bearer_token", "use_fabric_endpoint", "msi_endpoint",
                     "identity_endpoint", "object_id", "msi_resource_id", "federated_token_file",
                     "use_azure_cli", "disable_tagging", "fabric_token_service_url",
                     "fabric_workload_host", "fabric_session_token", "fabric_cluster_identifier"});
}

Result<AzureConfig> AzureConfigFromUrl(std::string_view url,
                                       const std::map<std::string, std::string>& options,
                                       std::optional<std::string> azurite_url) {
  AzureConfig config;
  for (const auto& [key, value] : options) {
    SLATEDB_RETURN_IF_ERROR(ApplyAzureOption(key, value, &config).status());
  }
  size_t sep = url.find("://");
  std::string scheme = sep == std::string_view::npos ? "" : LowerAscii(url.substr(0, sep));
  if (scheme != "az" && scheme != "azure" && scheme != "abfs" && scheme != "abfss" &&
      scheme != "adl") {
    return Status::Invalid(
        "azure: URL must start with az://, azure://, abfs://, abfss:// or "
        "adl:// (got '" +
        std::string(url) + "')");
  }
  std::string_view rest = url.substr(sep + 3);
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash);
  size_t at = authority.find('@');
  if (at != std::string_view::npos) {  // container@account.blob.core.windows.net
    std::string_view host = authority.substr(at + 1);
    size_t dot = host.find('.');
    std::string_view domain = dot == std::string_view::npos ? "" : host.substr(dot + 1);
    if (domain != "dfs.core.windows.net" && domain != "blob.core.windows.net") {
      return Status::Invalid("azure: URL did not match any known pattern: " + std::string(url));
    }
    config.account = std::string(host.substr(0, dot));
    authority = authority.substr(0, at);
  }
  if (authority.find('.') != std::string_view::npos) {
    return Status::Invalid("azure: URL did not match any known pattern: " + std::string(url));
  }
  if (!authority.empty()) config.container = std::string(authority);
  if (!path.empty())
    SLATEDB_RETURN_IF_ERROR(SetLocation(config.container + std::string(path), &config));
  if (config.use_emulator) {
    if (config.account.empty()) config.account = kAzuriteAccount;
    if (config.access_key.empty() && config.sas_token.empty()) {
      config.access_key = kAzuriteAccountKey;
    }
    config.endpoint = azurite_url && !azurite_url->empty() ? *azurite_url : kAzuriteDefaultUrl;
    config.allow_http = true;
  }
  SLATEDB_RETURN_IF_ERROR(config.Validate());
  return config;
}

std::map<std::string, std::string> AzureOptionsFromEnv(const EnvLookup& env) {
  static constexpr std::string_view kNames[] = {
      "AZURE_STORAGE_ACCOUNT_NAME", "AZURE_STORAGE_ACCOUNT_KEY", "AZURE_STORAGE_ACCESS_KEY",
      "AZURE_STORAGE_MASTER_KEY",   "AZURE_STORAGE_SAS_KEY",     "AZURE_STORAGE_SAS_TOKEN",
      "AZURE_STORAGE_USE_EMULATOR", "AZURE_STORAGE_ENDPOINT",    "AZURE_ENDPOINT",
      "AZURE_ALLOW_HTTP",           "AZURE_SKIP_SIGNATURE"};
  std::map<std::string, std::string> options;
  for (std::string_view name : kNames) {
    if (auto v = env(name); v && !v->empty()) options[LowerAscii(name)] = *v;
  }
  return options;
}

Result<AzureConfig> AzureConfigFromEnv(const EnvLookup& env) {
  std::optional<std::string> container = env("AZURE_CONTAINER_NAME");
  if (!container || container->empty()) {
    return Status::Invalid("azure: Container name must be specified (set AZURE_CONTAINER_NAME)");
  }
  return AzureConfigFromUrl("az://" + *container, AzureOptionsFromEnv(env),
                            env("AZURITE_BLOB_STORAGE_URL"));
}

}  // namespace slatedb
