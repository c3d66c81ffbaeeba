// SPDX-License-Identifier: Apache-2.0
//
// The Range header of a ranged GET, and the check of the Content-Range that answers it.
// Servers differ on numbers above 2^63-1 (SeaweedFS and others answer 416 to
// "bytes=0-18446744073709551614"), and no object is that large, so a range is never written
// with such a number: a range reaching past 2^63-1 is sent open-ended ("bytes=N-"), which
// every S3 server reads as "to the end".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

// The answer to a ranged GET (S3's or Azure's, they agree): a 206 checked with
// CheckContentRange and cut to `length`, or a 200 (the server ignored Range) cut here.
// nullopt for any other status, which the caller maps (a 416 to RangeFromSize); the body
// is moved out only when a result is returned.
// `what` ("GET s3://b/k bytes=1-2") prefixes errors.
std::optional<Result<std::string>> RangeFromResponse(HttpResponse& response, uint64_t offset,
                                                     uint64_t length, std::string_view what);

// Settles a range no request served (length 0, an offset past kMaxRangeValue, a 416) from
// the object's size: empty data at the end, Invalid past it, and Invalid (never empty data)
// when `refused` (the refusal's description) is set although the offset is inside the
// object. `service` ("s3", "azure") prefixes messages.
Result<std::string> RangeFromSize(std::string_view service, std::string_view key, uint64_t offset,
                                  uint64_t size, const std::string& refused);

}  // namespace slatedb::s3
