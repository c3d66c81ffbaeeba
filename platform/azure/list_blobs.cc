// SPDX-License-Identifier: Apache-2.0
//
// List Blobs parsing and error mapping, over the XML scanner the S3 client uses.
#include "azure/list_blobs.h"

#include <cstdlib>

#include "s3/time_format.h"
#include "s3/uri.h"
#include "s3/xml.h"

namespace slatedb::azure {

Result<ListPage> ParseListBlobs(std::string_view xml) {
  if (xml.find("<EnumerationResults") == std::string_view::npos) {
    return Status::Data("azure: List Blobs answer is not an EnumerationResults document");
  }
  ListPage page;
  for (std::string_view blob : s3::XmlElements(xml, "Blob")) {
    std::optional<std::string> name = s3::XmlText(blob, "Name");
    if (!name) return Status::Data("azure: a listed blob has no name");
    ObjectMeta meta;
    if (blob.find("<Name Encoded=\"true\"") != std::string_view::npos) {
      std::optional<std::string> decoded = s3::UriDecode(*name, false);
      if (!decoded) return Status::Data("azure: a listed blob's encoded name is malformed");
      name = std::move(decoded);
    }
    meta.key = std::move(*name);
    std::string size = s3::XmlText(blob, "Content-Length").value_or("0");
    meta.size_bytes = std::strtoull(size.c_str(), nullptr, 10);
    meta.last_modified_ms =
        s3::ParseHttpDateMs(s3::XmlText(blob, "Last-Modified").value_or("")).value_or(0);
    std::string etag = s3::XmlText(blob, "Etag").value_or("");
    if (!etag.empty() && etag.front() != '"') etag = "\"" + etag + "\"";
    meta.version = std::move(etag);
    page.objects.push_back(std::move(meta));
  }
  page.next_marker = s3::XmlText(xml, "NextMarker").value_or("");
  return page;
}

std::string AzureErrorCode(const HttpResponse& response) {
  if (auto code = s3::XmlText(response.body, "Code")) return *code;
  return std::string(response.Header("x-ms-error-code"));
}

Status StatusFromAzureResponse(std::string_view what, const HttpResponse& response) {
  std::string code = AzureErrorCode(response);
  std::string message = s3::XmlText(response.body, "Message").value_or("");
  // The message repeats the request id and time on further lines; keep the first.
  message = message.substr(0, std::min<size_t>(message.find('\n'), 300));
  std::string detail = std::string(what) + ": HTTP " + std::to_string(response.status);
  if (!code.empty()) detail += " " + code;
  if (!message.empty()) detail += ": " + message;
  int status = response.status;
  if (status == 404) {
    if (code == "ContainerNotFound")
      return Status::Invalid(detail + " (the container does not exist)");
    return Status::NotFound(detail);
  }
  if (status == 401 || status == 403) {
    return Status::Invalid(detail +
                           " (check the account name, the access key or SAS token and the clock)");
  }
  if (status >= 300 && status < 400) return Status::Invalid(detail + " (redirected)");
  if (status == 408 || status == 409 || status == 429 || status >= 500) {
    return Status::Unavailable(detail);
  }
  return Status::Invalid(detail);
}

}  // namespace slatedb::azure
