// SPDX-License-Identifier: Apache-2.0
//
// Error mapping. A 403 is a configuration problem (wrong keys, clock
// skew, missing permission) that retrying cannot fix; a 409/429/5xx is the service being
// busy, which a retry can (Unavailable).
#include "s3/s3_errors.h"

#include "s3/xml.h"

namespace slatedb::s3 {

S3Error ParseS3Error(std::string_view body) {
  S3Error out;
  if (auto code = XmlText(body, "Code")) out.code = *code;
  if (auto message = XmlText(body, "Message")) out.message = *message;
  // A misbehaving server could put anything in its message; keep errors short.
  if (out.message.size() > 300) out.message.resize(300);
  return out;
}

Status StatusFromResponse(std::string_view what, const HttpResponse& response) {
  S3Error error = ParseS3Error(response.body);
  std::string detail = std::string(what) + ": HTTP " + std::to_string(response.status);
  if (!error.code.empty()) detail += " " + error.code;
  if (!error.message.empty()) detail += ": " + error.message;
  int status = response.status;
  if (status == 404) {
    if (error.code == "NoSuchBucket") {
      return Status::Invalid(detail + " (the bucket does not exist)");
    }
    return Status::NotFound(detail);
  }
  if (status == 401 || status == 403) {
    return Status::Invalid(detail + " (check the credentials, their permissions and the clock)");
  }
  if (status >= 300 && status < 400) {
    return Status::Invalid(detail + " (redirected: check the region and endpoint)");
  }
  if (status == 501) {
    return Status::Invalid(detail + " (the store does not implement this request)");
  }
  if (status == 409 || status == 429 || status >= 500) return Status::Unavailable(detail);
  if (status == 400 && error.code == "RequestTimeout") return Status::Unavailable(detail);
  return Status::Invalid(detail);
}

}  // namespace slatedb::s3
