// SPDX-License-Identifier: Apache-2.0
//
// The parts of an endpoint URL ("https://host[:port]") the request builder needs, in the
// one canonical form that both signing and sending use. Clients disagree on how a Host
// header is written (curl and fetch() leave a default port out, AWS's SDKs strip it
// before signing, servers strip it before checking), so the only form that verifies
// everywhere is the one without it: "http://host:80" and "https://host:443" become "host".
#pragma once

#include <string>
#include <string_view>

#include "slatedb/result.h"

namespace slatedb::s3 {

struct Endpoint {
  std::string scheme;  // "http" or "https" (lower case)
  // The authority as a Host header carries it and as the request URL spells it: the host in
  // lower case (an IPv6 literal keeps its brackets), then ":port" unless the port is the
  // scheme's default. "s3.us-east-1.amazonaws.com", "127.0.0.1:9000", "[::1]:9000".
  std::string host_port;
};

// Invalid unless `url` is http(s)://host[:port] with an optional trailing '/' and a port
// in 1..65535.
Result<Endpoint> ParseEndpoint(std::string_view url);

// The endpoint a config talks to: its own, or AWS's for the region.
std::string DefaultAwsEndpoint(std::string_view region);

}  // namespace slatedb::s3
