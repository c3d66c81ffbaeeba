// SPDX-License-Identifier: Apache-2.0
//
// ListObjectsV2 page parsing.
#include "s3/list_objects.h"

#include <cstdlib>

#include "s3/time_format.h"
#include "s3/uri.h"
#include "s3/xml.h"

namespace slatedb::s3 {

Result<ListPage> ParseListObjectsV2(std::string_view xml) {
  if (XmlElements(xml, "ListBucketResult").empty()) {
    return Status::Data("s3: ListObjectsV2 response is not a ListBucketResult");
  }
  ListPage page;
  bool url_encoded = XmlText(xml, "EncodingType").value_or("") == "url";
  for (std::string_view contents : XmlElements(xml, "Contents")) {
    ObjectMeta meta;
    std::optional<std::string> key = XmlText(contents, "Key");
    if (!key) return Status::Data("s3: ListObjectsV2 entry without a Key");
    if (url_encoded) {
      std::optional<std::string> decoded = UriDecode(*key, /*plus_is_space=*/true);
      if (!decoded) return Status::Data("s3: ListObjectsV2 key is not valid url encoding");
      key = std::move(decoded);
    }
    meta.key = std::move(*key);
    meta.size_bytes = std::strtoull(XmlText(contents, "Size").value_or("0").c_str(), nullptr, 10);
    meta.last_modified_ms =
        ParseIso8601Ms(XmlText(contents, "LastModified").value_or("")).value_or(0);
    meta.version = XmlText(contents, "ETag").value_or("");
    page.objects.push_back(std::move(meta));
  }
  page.truncated = XmlText(xml, "IsTruncated").value_or("false") == "true";
  page.next_continuation_token = XmlText(xml, "NextContinuationToken").value_or("");
  if (page.truncated && page.next_continuation_token.empty()) {
    return Status::Data("s3: truncated ListObjectsV2 page without a continuation token");
  }
  return page;
}

}  // namespace slatedb::s3
