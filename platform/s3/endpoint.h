// SPDX-License-Identifier: Apache-2.0
//
// The parts of an endpoint URL ("https://host[:port]") the request builder needs.
#pragma once

#include <string>
#include <string_view>

#include "slatedb/result.h"

namespace slatedb::s3 {

struct Endpoint {
  std::string scheme;     // "http" or "https"
  std::string host_port;  // "s3.us-east-1.amazonaws.com", "127.0.0.1:9000"
};

// Invalid unless `url` is http(s)://host[:port] with an optional trailing '/'.
Result<Endpoint> ParseEndpoint(std::string_view url);

// The endpoint a config talks to: its own, or AWS's for the region.
std::string DefaultAwsEndpoint(std::string_view region);

}  // namespace slatedb::s3
