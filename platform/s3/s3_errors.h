// SPDX-License-Identifier: Apache-2.0
//
// From HTTP responses to the store's Status kinds. Unavailable marks what is worth a retry
// (the engine's RetryingObjectStore retries it); everything else is final.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "slatedb/platform/http_transport.h"
#include "slatedb/result.h"

namespace slatedb::s3 {

// S3's <Error><Code> and <Message>, if the body is an S3 error document.
struct S3Error {
  std::string code;
  std::string message;
};
S3Error ParseS3Error(std::string_view body);

// The Status for a response that is not a success, without the conditional-write cases
// (412) that the caller interprets. `what` is "GET s3://bucket/key".
// 404 -> NotFound; 401/403, redirects, 400 and other 4xx, 501 -> Invalid; 409, 429, 5xx
// -> Unavailable (409: concurrent conditional writes; 400 RequestTimeout too).
Status StatusFromResponse(std::string_view what, const HttpResponse& response);

}  // namespace slatedb::s3
