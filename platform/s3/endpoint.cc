// SPDX-License-Identifier: Apache-2.0
//
// Endpoint parsing and canonicalisation (see endpoint.h for why the default port goes).
#include "s3/endpoint.h"

#include <cctype>

namespace slatedb::s3 {
namespace {

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

Result<Endpoint> ParseEndpoint(std::string_view url) {
  Endpoint out;
  size_t sep = url.find("://");
  if (sep == std::string_view::npos) {
    return Status::Invalid("s3: endpoint must look like https://host[:port]");
  }
  out.scheme = LowerAscii(url.substr(0, sep));
  if (out.scheme != "http" && out.scheme != "https") {
    return Status::Invalid("s3: endpoint scheme must be http or https");
  }
  std::string_view rest = url.substr(sep + 3);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.empty() || rest.find_first_of("/?#@ \t\r\n") != std::string_view::npos) {
    return Status::Invalid("s3: endpoint must be scheme://host[:port], without a path");
  }

  // Split host and port; an IPv6 literal is bracketed and contains colons of its own.
  std::string_view host = rest;
  std::string_view port;
  if (rest.front() == '[') {
    size_t close = rest.find(']');
    if (close == std::string_view::npos) {
      return Status::Invalid("s3: endpoint has an unterminated IPv6 address");
    }
    host = rest.substr(0, close + 1);
    std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Status::Invalid("s3: endpoint has junk after the host");
      port = after.substr(1);
      if (port.empty()) return Status::Invalid("s3: endpoint has an empty port");
    }
  } else if (size_t colon = rest.find(':'); colon != std::string_view::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
    if (port.empty()) return Status::Invalid("s3: endpoint has an empty port");
  }
  if (host.empty() || host == "[]") return Status::Invalid("s3: endpoint has no host");
  if (!port.empty()) {
    if (!AllDigits(port) || port.size() > 5 || std::stoul(std::string(port)) == 0 ||
        std::stoul(std::string(port)) > 65535) {
      return Status::Invalid("s3: endpoint port must be a number from 1 to 65535");
    }
    while (port.size() > 1 && port.front() == '0') port.remove_prefix(1);
  }
  const bool default_port = port.empty() || (out.scheme == "http" && port == "80") ||
                            (out.scheme == "https" && port == "443");
  out.host_port = LowerAscii(host);
  if (!default_port) out.host_port += ":" + std::string(port);
  return out;
}

std::string DefaultAwsEndpoint(std::string_view region) {
  return "https://s3." + std::string(region) + ".amazonaws.com";
}

}  // namespace slatedb::s3
