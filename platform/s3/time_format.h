// SPDX-License-Identifier: Apache-2.0
//
// The three time formats an S3 conversation uses, converted without the C library's
// time zone machinery (portable, thread-safe, the same in wasm): SigV4's "20130524T000000Z",
// ListObjectsV2's ISO 8601 "2013-05-24T00:00:00.000Z" and HTTP's IMF-fixdate
// "Fri, 24 May 2013 00:00:00 GMT".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace slatedb::s3 {

// "YYYYMMDDTHHMMSSZ" for `unix_ms` milliseconds since the Unix epoch (UTC).
std::string FormatAmzDate(int64_t unix_ms);

// "Www, DD Mon YYYY HH:MM:SS GMT" (IMF-fixdate, as Azure's x-ms-date wants) for `unix_ms`.
std::string FormatHttpDate(int64_t unix_ms);

// Milliseconds since the epoch of "YYYY-MM-DDTHH:MM:SS[.fff]Z"; nullopt if malformed.
std::optional<int64_t> ParseIso8601Ms(std::string_view text);

// Milliseconds since the epoch of "Www, DD Mon YYYY HH:MM:SS GMT"; nullopt if malformed.
std::optional<int64_t> ParseHttpDateMs(std::string_view text);

// Days since 1970-01-01 of a proleptic Gregorian date, and back.
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);
void CivilFromDays(int64_t days, int64_t* year, unsigned* month, unsigned* day);

}  // namespace slatedb::s3
