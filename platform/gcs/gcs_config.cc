// SPDX-License-Identifier: Apache-2.0
//
// GcsConfig from object_store's GoogleCloudStorageBuilder keys, and service-account keys.
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "slatedb/platform/gcs_object_store.h"

namespace slatedb {
namespace {

enum class Slot {
  kBucket,
  kServiceAccountPath,
  kServiceAccountKey,
  kApplicationCredentials,
  kEmulatorHost
};

bool SlotOf(const std::string& key, Slot* slot) {
  static const std::map<std::string, Slot> kKeys = {
      {"google_bucket", Slot::kBucket},
      {"google_bucket_name", Slot::kBucket},
      {"bucket", Slot::kBucket},
      {"bucket_name", Slot::kBucket},
      {"google_service_account", Slot::kServiceAccountPath},
      {"service_account", Slot::kServiceAccountPath},
      {"google_service_account_path", Slot::kServiceAccountPath},
      {"service_account_path", Slot::kServiceAccountPath},
      {"google_service_account_key", Slot::kServiceAccountKey},
      {"service_account_key", Slot::kServiceAccountKey},
      {"google_application_credentials", Slot::kApplicationCredentials},
      {"application_credentials", Slot::kApplicationCredentials},
      {"storage_emulator_host", Slot::kEmulatorHost},
  };
  auto it = kKeys.find(key);
  if (it == kKeys.end()) return false;
  *slot = it->second;
  return true;
}

Result<std::string> ReadFile(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Invalid("gcs: cannot read the " + what + " file " + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string StringField(const nlohmann::json& key, const char* name) {
  auto it = key.find(name);
  if (it == key.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

// Fills the credential fields of `config` from a JSON key (`origin` names it in errors).
Status ApplyKey(const std::string& text, const std::string& origin, GcsConfig* config) {
  nlohmann::json key = nlohmann::json::parse(text, nullptr, false);
  if (!key.is_object()) return Status::Invalid("gcs: " + origin + " is not a JSON object");
  std::string type = StringField(key, "type");
  if (!type.empty() && type != "service_account") {
    return Status::Invalid("gcs: " + origin + " holds credentials of type '" + type +
                           "'; this build supports service_account keys only");
  }
  config->client_email = StringField(key, "client_email");
  config->private_key_pem = StringField(key, "private_key");
  config->private_key_id = StringField(key, "private_key_id");
  std::string token_uri = StringField(key, "token_uri");
  if (!token_uri.empty()) config->token_uri = token_uri;
  // object_store's emulator fields.
  std::string base = StringField(key, "gcs_base_url");
  if (!base.empty()) config->base_url = base;
  auto disable = key.find("disable_oauth");
  if (disable != key.end() && disable->is_boolean() && disable->get<bool>()) {
    config->anonymous = true;
  } else if (config->private_key_pem.empty() || config->client_email.empty()) {
    return Status::Invalid("gcs: " + origin + " lacks client_email or private_key");
  }
  return Status();
}

}  // namespace

Status GcsConfig::Validate() const {
  if (bucket.empty()) return Status::Invalid("gcs: missing bucket name");
  if (base_url.empty()) return Status::Invalid("gcs: empty base url");
  if (!prefix.empty() && prefix.back() != '/') {
    return Status::Invalid("gcs: prefix must end in '/': " + prefix);
  }
  return Status();
}

Result<GcsConfig> GcsConfigFromOptions(const std::map<std::string, std::string>& options,
                                       const std::string& bucket_from_url) {
  std::map<Slot, std::string> values;
  for (const auto& [name, value] : options) {
    Slot slot;
    if (!SlotOf(name, &slot)) return Status::Invalid("gcs: unknown config key: " + name);
    values[slot] = value;
  }
  GcsConfig config;
  config.bucket = values.count(Slot::kBucket) ? values[Slot::kBucket] : bucket_from_url;
  // The bucket may carry a prefix ("bucket/some/prefix").
  size_t slash = config.bucket.find('/');
  if (slash != std::string::npos) {
    std::string prefix = config.bucket.substr(slash + 1);
    config.bucket.resize(slash);
    while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
    if (!prefix.empty()) config.prefix = prefix + "/";
  }
  if (config.bucket.empty()) return Status::Invalid("gcs: missing bucket name");

  if (values.count(Slot::kServiceAccountKey)) {
    SLATEDB_RETURN_IF_ERROR(
        ApplyKey(values[Slot::kServiceAccountKey], "the service account key", &config));
  } else if (values.count(Slot::kServiceAccountPath) ||
             values.count(Slot::kApplicationCredentials)) {
    const std::string& path = values.count(Slot::kServiceAccountPath)
                                  ? values[Slot::kServiceAccountPath]
                                  : values[Slot::kApplicationCredentials];
    SLATEDB_ASSIGN_OR_RETURN(std::string text, ReadFile(path, "service account"));
    SLATEDB_RETURN_IF_ERROR(ApplyKey(text, "service account file " + path, &config));
  } else if (values.count(Slot::kEmulatorHost) && !values[Slot::kEmulatorHost].empty()) {
    std::string host = values[Slot::kEmulatorHost];
    if (host.find("://") == std::string::npos) host = "http://" + host;
    config.base_url = host;
    config.anonymous = true;
  } else {
    config.missing_credentials = "no service account key, key file or emulator host";
  }
  while (!config.base_url.empty() && config.base_url.back() == '/') config.base_url.pop_back();
  SLATEDB_RETURN_IF_ERROR(config.Validate());
  return config;
}

}  // namespace slatedb
