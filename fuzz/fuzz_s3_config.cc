// SPDX-License-Identifier: Apache-2.0
//
// Fuzz target: user-supplied configuration text: s3:// URLs with AWS_* variables (the
// input's first line is the URL, the rest a dotenv file giving the variables), endpoint
// URLs and percent-decoding. Bad input gives Invalid, never a crash.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "platform/s3/endpoint.h"
#include "platform/s3/uri.h"
#include "slatedb/platform/dotenv.h"
#include "slatedb/platform/s3_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t nl = text.find('\n');
  std::string_view url = text.substr(0, nl);
  std::string_view rest = nl == std::string_view::npos ? "" : text.substr(nl + 1);
  std::map<std::string, std::string> vars;
  if (auto parsed = slatedb::ParseDotEnv(rest); parsed.ok()) vars = *parsed;
  slatedb::EnvLookup env = [&vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  if (auto config = slatedb::S3ConfigFromUrl(url, env); config.ok()) {
    (void)config->Validate();
    (void)config->Describe();
  }
  if (auto config = slatedb::S3ConfigFromEnv(env); config.ok()) (void)config->Validate();
  (void)slatedb::s3::ParseEndpoint(url);
  (void)slatedb::s3::UriDecode(url, true);
  (void)slatedb::s3::UriEncode(url, true);
  return 0;
}
