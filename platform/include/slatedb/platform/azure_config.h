// SPDX-License-Identifier: Apache-2.0
//
// AzureConfig: where an AzureBlobObjectStore keeps its blobs and how it authorizes
// requests, configured the way the object_store crate's MicrosoftAzureBuilder is (and so
// upstream SlateDB): an az://container URL (also azure://, abfs://, abfss://, adl://) plus
// options under that crate's key names. Portable: options are passed in, nothing here reads
// the environment.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "slatedb/platform/s3_config.h"  // EnvLookup
#include "slatedb/result.h"

namespace slatedb {

// The account and key Azurite (and the old storage emulator) accept; published, not secret.
inline constexpr char kAzuriteAccount[] = "devstoreaccount1";
inline constexpr char kAzuriteAccountKey[] =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
inline constexpr char kAzuriteDefaultUrl[] = "http://127.0.0.1:10000";

struct AzureConfig {
  std::string account;
  std::string container;
  // Prepended to every blob name: "" or a path ending in '/'.
  std::string prefix;
  // Authorization, the first that is set: Shared Key (the account key, base64), a SAS token
  // (query string, with or without '?'), or none (anonymous, public containers).
  std::string access_key;  // never logged, never in an error message
  std::string sas_token;   // the same
  // scheme://host[:port][/path] of the blob service; empty means
  // https://<account>.blob.core.windows.net. In emulator mode blob URLs are path style,
  // <endpoint>/<account>/<container>/<blob>, as Azurite serves them.
  std::string endpoint;
  bool use_emulator = false;
  // Plain http:// endpoints are refused unless this is set (emulator mode sets it).
  bool allow_http = false;
  // Send requests unsigned even if a key is set (azure_skip_signature).
  bool skip_signature = false;

  // "az://container/prefix (account, endpoint)": safe to log, holds no credentials.
  std::string Describe() const;
  // The service URL requests go to (the endpoint, defaulted as described above).
  std::string ServiceUrl() const;
  // Invalid if the account or container is missing or malformed, the endpoint is not
  // http(s)://host[:port][/path] or is http:// without allow_http, or the key is not base64.
  Status Validate() const;
};

// Applies one option under any of object_store's names for it, case-insensitively (so the
// AZURE_* variable names, lower-cased, are options too): account_name
// (azure_storage_account_name), access_key (azure_storage_account_key, azure_storage_access_key,
// azure_storage_master_key, account_key, master_key), sas_key (azure_storage_sas_key,
// azure_storage_sas_token, sas_token), use_emulator (azure_storage_use_emulator,
// object_store_use_emulator), endpoint (azure_storage_endpoint, azure_endpoint),
// container_name (azure_container_name), allow_http (azure_allow_http), skip_signature
// (azure_skip_signature). Returns false for a key it does not know (the caller decides
// whether that is an error); Invalid for a malformed boolean.
Result<bool> ApplyAzureOption(std::string_view key, std::string_view value, AzureConfig* config);

// Whether object_store knows `key` as an Azure option this client cannot honour (service
// principals, managed identity, bearer tokens, Fabric): a caller can say "not supported"
// rather than "unknown key".
bool IsUnsupportedAzureOption(std::string_view key);

// Builds a config from an az://container[/prefix] URL (also azure://, abfs://, abfss://,
// adl://; "container@account.blob.core.windows.net" and ".dfs." hosts name the account too)
// and options (ApplyAzureOption's keys; unknown ones are ignored). In emulator mode the
// account defaults to devstoreaccount1 with its well-known key, and the endpoint to
// `azurite_url` (AZURITE_BLOB_STORAGE_URL), else http://127.0.0.1:10000.
// Invalid: "Container name must be specified", "Account must be specified", as upstream.
Result<AzureConfig> AzureConfigFromUrl(std::string_view url,
                                       const std::map<std::string, std::string>& options,
                                       std::optional<std::string> azurite_url = std::nullopt);

// The options the AZURE_* variables set (names lower-cased): AZURE_STORAGE_ACCOUNT_NAME,
// AZURE_STORAGE_ACCOUNT_KEY (or _ACCESS_KEY, _MASTER_KEY), AZURE_STORAGE_SAS_KEY (or
// _SAS_TOKEN), AZURE_STORAGE_USE_EMULATOR, AZURE_STORAGE_ENDPOINT (or AZURE_ENDPOINT),
// AZURE_ALLOW_HTTP, AZURE_SKIP_SIGNATURE.
std::map<std::string, std::string> AzureOptionsFromEnv(const EnvLookup& env);

// Builds a config from variables alone, as SlateDB's `from_env` does for
// CLOUD_PROVIDER=azure: every AZURE_* variable is an option (lower-cased), the container
// comes from AZURE_CONTAINER_NAME, optionally "container/prefix".
Result<AzureConfig> AzureConfigFromEnv(const EnvLookup& env);

}  // namespace slatedb
