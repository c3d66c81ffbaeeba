// SPDX-License-Identifier: Apache-2.0
//
// Durations as upstream's settings spell them: a sequence of <integer><unit> pieces,
// optionally separated by spaces or '+' ("1h 30m", "1s+500ms"), or a bare integer of
// seconds ("10"). Units from nanoseconds to years; precision is one millisecond (finer
// pieces are truncated after summing, so "1500us" is 1 ms). Written back as upstream does:
// whole seconds, then the milliseconds as three digits ("1s+005ms", "001ms", "0s").
#include <cstdint>
#include <string>
#include <string_view>

#include "slatedb/settings.h"

namespace slatedb {

namespace {

struct Unit {
  std::string_view name;
  uint64_t ns;  // nanoseconds per unit
};

constexpr uint64_t kNs = 1, kUs = 1000, kMs = 1'000'000, kS = 1'000'000'000ull;
constexpr uint64_t kMin = 60 * kS, kHour = 60 * kMin, kDay = 24 * kHour;
// A month and a year as upstream counts them (30.44 and 365.25 days).
constexpr uint64_t kMonth = 2'630'016 * kS, kYear = 31'557'600 * kS;

constexpr Unit kUnits[] = {
    {"nanoseconds", kNs},  {"nanosecond", kNs},   {"nsec", kNs},
    {"ns", kNs},           {"microseconds", kUs}, {"microsecond", kUs},
    {"usec", kUs},         {"us", kUs},           {"\xC2\xB5s", kUs},  // µs
    {"milliseconds", kMs}, {"millisecond", kMs},  {"msec", kMs},
    {"ms", kMs},           {"seconds", kS},       {"second", kS},
    {"secs", kS},          {"sec", kS},           {"s", kS},
    {"minutes", kMin},     {"minute", kMin},      {"mins", kMin},
    {"min", kMin},         {"m", kMin},           {"hours", kHour},
    {"hour", kHour},       {"hrs", kHour},        {"hr", kHour},
    {"h", kHour},          {"days", kDay},        {"day", kDay},
    {"d", kDay},           {"weeks", 7 * kDay},   {"week", 7 * kDay},
    {"w", 7 * kDay},       {"months", kMonth},    {"month", kMonth},
    {"mon", kMonth},       {"years", kYear},      {"year", kYear},
    {"y", kYear},
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUnitChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80;
}

Status Bad(std::string_view text, std::string_view why) {
  return Status::Invalid("invalid duration \"" + std::string(text) + "\": " + std::string(why));
}

}  // namespace

Result<uint64_t> ParseDurationMs(std::string_view text) {
  const std::string_view whole = text;
  size_t i = 0;
  auto skip_separators = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '+')) ++i;
  };
  skip_separators();
  if (i == text.size()) return Bad(whole, "expected a number and a unit, e.g. \"100ms\"");
  // Sum in milliseconds plus leftover nanoseconds, so years of seconds cannot overflow.
  uint64_t total_ms = 0;
  uint64_t spare_ns = 0;
  size_t pieces = 0;
  bool bare_number = false;
  while (i < text.size()) {
    if (!IsDigit(text[i])) return Bad(whole, "expected a number");
    uint64_t n = 0;
    while (i < text.size() && IsDigit(text[i])) {
      uint64_t digit = static_cast<uint64_t>(text[i] - '0');
      if (n > (UINT64_MAX - digit) / 10) return Bad(whole, "number too large");
      n = n * 10 + digit;
      ++i;
    }
    size_t unit_start = i;
    while (i < text.size() && IsUnitChar(text[i])) ++i;
    std::string_view unit_text = text.substr(unit_start, i - unit_start);
    uint64_t unit_ns = 0;
    if (unit_text.empty()) {
      bare_number = true;
      unit_ns = kS;
    } else {
      for (const Unit& u : kUnits) {
        if (u.name == unit_text) unit_ns = u.ns;
      }
      if (unit_ns == 0) {
        return Bad(whole, "unknown unit \"" + std::string(unit_text) +
                              "\" (expected ns, us, ms, s, m, h, d, w, mon or y)");
      }
    }
    ++pieces;
    // n units = whole milliseconds + a nanosecond remainder.
    uint64_t per_ms = unit_ns >= kMs ? unit_ns / kMs : 0;
    uint64_t add_ms;
    if (per_ms > 0) {
      if (n > UINT64_MAX / per_ms) return Bad(whole, "too long");
      add_ms = n * per_ms;
    } else {
      uint64_t ns_total = (n % kMs) * unit_ns;  // < 1e6 * 1e6: no overflow
      add_ms = (n / kMs) * unit_ns + ns_total / kMs;
      spare_ns += ns_total % kMs;
    }
    if (total_ms > UINT64_MAX - add_ms) return Bad(whole, "too long");
    total_ms += add_ms;
    skip_separators();
  }
  if (bare_number && pieces > 1) return Bad(whole, "every number but a lone one needs a unit");
  uint64_t carry = spare_ns / kMs;
  if (total_ms > UINT64_MAX - carry) return Bad(whole, "too long");
  return total_ms + carry;
}

std::string FormatDurationMs(uint64_t ms) {
  const uint64_t secs = ms / 1000;
  const uint64_t millis = ms % 1000;
  std::string out;
  if (secs > 0) out = std::to_string(secs) + "s";
  if (millis > 0) {
    if (!out.empty()) out += '+';
    std::string digits = std::to_string(millis);
    out += std::string(3 - digits.size(), '0') + digits + "ms";
  }
  return out.empty() ? "0s" : out;
}

}  // namespace slatedb
