// SPDX-License-Identifier: Apache-2.0
//
// List Blobs: parsing one page of the EnumerationResults document.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "slatedb/object_store.h"
#include "slatedb/platform/http_transport.h"
#include "slatedb/result.h"

namespace slatedb::azure {

struct ListPage {
  std::vector<ObjectMeta> objects;  // full names, as the service returned them
  std::string next_marker;          // empty on the last page
};

// Parses an EnumerationResults document. Versions are ETags in double quotes, as a HEAD's
// ETag header carries them (the listing may give them bare); names marked Encoded="true"
// are percent-decoded. Data if the document is not an EnumerationResults.
Result<ListPage> ParseListBlobs(std::string_view xml);

// The Status for a response that is not a success, without the conditional-write cases
// the caller interprets. The error code comes from the body or, for bodiless answers
// (HEAD), the x-ms-error-code header. 404 -> NotFound (ContainerNotFound: Invalid, naming
// the container); 401/403, redirects, other 4xx, 501 -> Invalid; 409, 429, 5xx,
// 408 -> Unavailable. `what` is "GET az://container/blob".
Status StatusFromAzureResponse(std::string_view what, const HttpResponse& response);
std::string AzureErrorCode(const HttpResponse& response);

}  // namespace slatedb::azure
