// SPDX-License-Identifier: Apache-2.0
//
// ListObjectsV2: parsing one page of the response.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "slatedb/object_store.h"
#include "slatedb/result.h"

namespace slatedb::s3 {

struct ListPage {
  std::vector<ObjectMeta> objects;  // full keys, as the service returned them
  bool truncated = false;
  std::string next_continuation_token;
};

// Parses a ListBucketResult. Keys are percent-decoded when the document says
// <EncodingType>url</EncodingType>. Data if the document is not a ListBucketResult or
// a truncated page has no continuation token.
Result<ListPage> ParseListObjectsV2(std::string_view xml);

}  // namespace slatedb::s3
