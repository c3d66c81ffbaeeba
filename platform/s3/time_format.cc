// SPDX-License-Identifier: Apache-2.0
//
// Calendar arithmetic by the days-from-civil method (era of 400 years, March-based year),
// so no call into gmtime/timegm is needed.
#include "s3/time_format.h"

#include <cstdio>

namespace slatedb::s3 {
namespace {

bool ParseDigits(std::string_view s, size_t pos, size_t n, int64_t* out) {
  if (pos + n > s.size()) return false;
  int64_t v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

std::optional<int64_t> ToMs(int64_t y, int64_t mo, int64_t d, int64_t h, int64_t mi, int64_t s,
                            int64_t ms) {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return ((days * 24 + h) * 60 + mi) * 60'000 + s * 1000 + ms;
}

}  // namespace

int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t days, int64_t* year, unsigned* month, unsigned* day) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
  *year = static_cast<int64_t>(yoe) + era * 400 + (*month <= 2);
}

namespace {

// Whole days since the epoch and seconds into that day, rounding toward the past.
struct DayAndSecond {
  int64_t days;
  int64_t rem;  // 0..86399
};

DayAndSecond SplitUnixMs(int64_t unix_ms) {
  int64_t secs = unix_ms >= 0 ? unix_ms / 1000 : (unix_ms - 999) / 1000;
  int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  return {days, secs - days * 86400};
}

}  // namespace

std::string FormatAmzDate(int64_t unix_ms) {
  auto [days, rem] = SplitUnixMs(unix_ms);
  int64_t year;
  unsigned month, day;
  CivilFromDays(days, &year, &month, &day);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04lld%02u%02uT%02d%02d%02dZ", static_cast<long long>(year),
                month, day, static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60),
                static_cast<int>(rem % 60));
  return buf;
}

std::string FormatHttpDate(int64_t unix_ms) {
  static constexpr const char* kDays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  auto [days, rem] = SplitUnixMs(unix_ms);
  int64_t year;
  unsigned month, day;
  CivilFromDays(days, &year, &month, &day);
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%s, %02u %s %04lld %02d:%02d:%02d GMT",
                kDays[((days % 7) + 7) % 7], day, kMonths[month - 1], static_cast<long long>(year),
                static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60),
                static_cast<int>(rem % 60));
  return buf;
}

std::optional<int64_t> ParseIso8601Ms(std::string_view t) {
  int64_t y, mo, d, h, mi, s, ms = 0;
  if (!ParseDigits(t, 0, 4, &y) || t.size() < 20 || t[4] != '-' || !ParseDigits(t, 5, 2, &mo) ||
      t[7] != '-' || !ParseDigits(t, 8, 2, &d) || t[10] != 'T' || !ParseDigits(t, 11, 2, &h) ||
      t[13] != ':' || !ParseDigits(t, 14, 2, &mi) || t[16] != ':' || !ParseDigits(t, 17, 2, &s)) {
    return std::nullopt;
  }
  size_t pos = 19;
  if (pos < t.size() && t[pos] == '.') {
    // Keep milliseconds, ignore finer digits.
    size_t digits = 0;
    for (++pos; pos < t.size() && t[pos] >= '0' && t[pos] <= '9'; ++pos, ++digits) {
      if (digits < 3) ms = ms * 10 + (t[pos] - '0');
    }
    for (; digits < 3; ++digits) ms *= 10;
  }
  if (pos >= t.size() || t[pos] != 'Z') return std::nullopt;
  return ToMs(y, mo, d, h, mi, s, ms);
}

std::optional<int64_t> ParseHttpDateMs(std::string_view t) {
  // "Fri, 24 May 2013 00:00:00 GMT"
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (t.size() < 29 || t[3] != ',' || t[4] != ' ') return std::nullopt;
  int64_t d, y, h, mi, s;
  if (!ParseDigits(t, 5, 2, &d) || t[7] != ' ' || t[11] != ' ' || !ParseDigits(t, 12, 4, &y) ||
      t[16] != ' ' || !ParseDigits(t, 17, 2, &h) || t[19] != ':' || !ParseDigits(t, 20, 2, &mi) ||
      t[22] != ':' || !ParseDigits(t, 23, 2, &s) || t.substr(25, 4) != " GMT") {
    return std::nullopt;
  }
  std::string_view mon = t.substr(8, 3);
  for (int64_t m = 0; m < 12; ++m) {
    if (kMonths[m] == mon) return ToMs(y, m + 1, d, h, mi, s, 0);
  }
  return std::nullopt;
}

}  // namespace slatedb::s3
