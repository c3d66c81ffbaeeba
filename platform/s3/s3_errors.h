// SPDX-License-Identifier: Apache-2.0
//
// From HTTP responses to the store's Status kinds, and which failures are worth a retry.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "slatedb/platform/http_transport.h"
#include "slatedb/platform/s3_config.h"
#include "slatedb/result.h"

namespace slatedb::s3 {

// S3's <Error><Code> and <Message>, if the body is an S3 error document.
struct S3Error {
  std::string code;
  std::string message;
};
S3Error ParseS3Error(std::string_view body);

// True for failures another attempt may fix: no response (connection error, timeout),
// 409 (concurrent conditional writes), 429, 5xx, and 400 RequestTimeout.
bool IsRetryable(const Result<HttpResponse>& response);

// The Status for a response that is not a success, without the conditional-write cases
// (412) that the caller interprets. `what` is "GET s3://bucket/key".
// 404 -> NotFound; 401/403, redirects, 400 and other 4xx, 501 -> Invalid; 409, 429, 5xx
// -> Unavailable.
Status StatusFromResponse(std::string_view what, const HttpResponse& response);

// The delay before retry number `retry` (1-based): with cap = min(max_backoff,
// initial * 2^(retry-1)), uniformly distributed in [cap/2, cap] from a 64-bit random
// number. The jitter spreads clients that failed together; the floor keeps a client from
// hammering a store that just answered 503.
uint64_t BackoffMs(const S3RetryConfig& config, uint32_t retry, uint64_t random);

}  // namespace slatedb::s3
