// SPDX-License-Identifier: Apache-2.0
//
// The Range header of a ranged GET, and the check of the Content-Range that answers it.
// Servers differ on numbers above 2^63-1 (SeaweedFS and others answer 416 to
// "bytes=0-18446744073709551614"), and no object is that large, so a range is never written
// with such a number: a range reaching past 2^63-1 is sent open-ended ("bytes=N-"), which
// every S3 server reads as "to the end".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <optional>

#include "slatedb/platform/http_transport.h"
#include "slatedb/result.h"

namespace slatedb::s3 {

// The largest offset a Range header carries (2^63-1).
inline constexpr uint64_t kMaxRangeValue = 0x7fff'ffff'ffff'ffffull;

struct ByteRange {
  // "bytes=<first>-<last>" or "bytes=<first>-"; empty when no request can serve the range
  // (length 0, or an offset above kMaxRangeValue): the caller settles it from the size.
  std::string header;
};

ByteRange RangeFor(uint64_t offset, uint64_t length);

// OK if a 206's Content-Range ("bytes 10-19/100") starts at `offset` or is absent or
// unreadable (then the body is trusted, as S3 clients do); Invalid if it names another
// start, which would hand the caller bytes from the wrong place.
Status CheckContentRange(std::string_view content_range, uint64_t offset);

// The bytes a ranged GET of [offset, offset + length) answered with: a 206 (its
// Content-Range checked, the body cut to `length`) or a 200 from a server that ignored Range
// (the range cut out of the whole object). nullopt for any other status. `store` ("s3",
// "gcs") and `what` (the request) word the errors. Shared by the S3 and GCS stores.
std::optional<Result<std::string>> RangeFromResponse(HttpResponse* response, uint64_t offset,
                                                     uint64_t length, const std::string& store,
                                                     const std::string& what);

// Settles a range the server did not serve from the object's `size`: empty at the end,
// Invalid past it. A refusal (`refused`, non-empty) of a range that starts inside the object
// is Invalid, never empty data: a store that refused a valid range must not look like a
// short object.
Result<std::string> SettleRangeFromSize(const std::string& store, const std::string& key,
                                        uint64_t offset, uint64_t size, const std::string& refused);

}  // namespace slatedb::s3
