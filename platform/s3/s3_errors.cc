// SPDX-License-Identifier: Apache-2.0
//
// Error mapping. A 403 is a configuration problem (wrong keys, clock
// skew, missing permission) that retrying cannot fix; a 409/429/5xx is the service being
// busy, which a retry can (Unavailable).
#include "s3/s3_errors.h"

#include "s3/xml.h"

namespace slatedb::s3 {
namespace {

// What to check after a 401/403, from S3's error code. A HEAD's 403 has no body, so no
// code: then every cause is named.
std::string AccessHint(std::string_view code) {
  if (code == "InvalidAccessKeyId") {
    return " (the store does not know this access key id: check AWS_ACCESS_KEY_ID)";
  }
  if (code == "SignatureDoesNotMatch") {
    return " (the request signature did not verify: check AWS_SECRET_ACCESS_KEY, and that "
           "the endpoint and region are the ones the store expects)";
  }
  if (code == "RequestTimeTooSkewed" || code == "RequestExpired") {
    return " (this machine's clock differs too much from the store's: check the clock)";
  }
  if (code == "ExpiredToken" || code == "InvalidToken" || code == "TokenRefreshRequired") {
    return " (the session token is expired or invalid: check AWS_SESSION_TOKEN)";
  }
  if (code == "AccessDenied" || code == "AllAccessDisabled") {
    return " (access denied: check the credentials and their permissions on the bucket)";
  }
  return " (check the credentials, their permissions and the clock)";
}

}  // namespace

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
  if (status == 401 || status == 403) return Status::Invalid(detail + AccessHint(error.code));
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
