// SPDX-License-Identifier: Apache-2.0
//
// Opening an S3ObjectStore natively in one call: configuration from an s3:// URL or
// from the environment (process variables and a dotenv file), libcurl underneath, a
// small thread pool for completions, the system clock for signatures.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "slatedb/platform/http_curl_transport.h"
#include "slatedb/platform/s3_config.h"
#include "slatedb/platform/s3_object_store.h"

namespace slatedb {

struct S3OpenOptions {
  CurlHttpOptions http;
  size_t executor_threads = 2;
  // Probe that the store honours If-None-Match: * before returning it (three requests);
  // a store that does not is refused with Invalid, because the engine's manifest updates
  // and writer fencing depend on it.
  bool check_conditional_writes = true;
};

// The process environment as an EnvLookup.
EnvLookup ProcessEnv();

// Opens "s3://bucket/prefix" with the AWS_* variables of the process environment.
Result<std::shared_ptr<S3ObjectStore>> OpenS3ObjectStore(std::string_view url,
                                                         const S3OpenOptions& options = {});

// Opens a store from a config already built.
Result<std::shared_ptr<S3ObjectStore>> OpenS3ObjectStore(S3Config config,
                                                         const S3OpenOptions& options = {});

}  // namespace slatedb
