// SPDX-License-Identifier: Apache-2.0
#include "util/ulid.h"

#include "slatedb/sst_cache.h"

namespace slatedb {

namespace {
constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int DecodeChar(char c) {
  for (int i = 0; i < 32; ++i) {
    if (kAlphabet[i] == c) return i;
  }
  return -1;
}

// 128 bits as 26 base32 digits (130 bits, the top 2 zero), most significant first.
std::string Encode128(uint64_t hi, uint64_t lo) {
  std::string out(26, '0');
  for (int i = 25; i >= 0; --i) {
    out[i] = kAlphabet[lo & 31];
    lo = (lo >> 5) | ((hi & 31) << 59);
    hi >>= 5;
  }
  return out;
}
}  // namespace

std::string UlidGenerator::Next(int64_t now_ms) {
  if (now_ms < 0) now_ms = 0;
  if (now_ms <= last_ms_) {
    // Same (or earlier) millisecond: increment the random part to stay ordered.
    now_ms = last_ms_;
    if (++last_lo_ == 0) last_hi_ = (last_hi_ + 1) & 0xFFFF;
  } else {
    last_ms_ = now_ms;
    last_hi_ = random_.Next() & 0x7FFF;  // leave headroom for increments
    last_lo_ = random_.Next();
  }
  // 128 bits: 48 time | 16 hi | 64 lo, emitted as 26 base32 digits (130 bits, top 2 zero).
  return Encode128((static_cast<uint64_t>(now_ms) << 16) | last_hi_, last_lo_);
}

std::optional<Ulid128> ParseUlid(std::string_view text) {
  if (!IsUlid(text)) return std::nullopt;
  Ulid128 v;
  for (char c : text) {
    const uint64_t d = static_cast<uint64_t>(DecodeChar(c));
    v.hi = (v.hi << 5) | (v.lo >> 59);
    v.lo = (v.lo << 5) | d;
  }
  return v;
}

std::string FormatUlid(Ulid128 value) { return Encode128(value.hi, value.lo); }

bool IsUlid(std::string_view text) {
  if (text.size() != 26) return false;
  if (DecodeChar(text[0]) > 7) return false;
  for (char c : text) {
    if (DecodeChar(c) < 0) return false;
  }
  return true;
}

std::optional<int64_t> UlidTimestampMs(std::string_view ulid) {
  if (!IsUlid(ulid)) return std::nullopt;
  uint64_t ms = 0;
  // The first 10 characters carry 50 bits: 2 zero bits then the 48-bit timestamp.
  for (int i = 0; i < 10; ++i) ms = (ms << 5) | static_cast<uint64_t>(DecodeChar(ulid[i]));
  return static_cast<int64_t>(ms);
}

Result<std::string> ParseSstId(std::string_view id) {
  if (id.size() != 26) return Status::Invalid("invalid SST ULID: invalid length");
  std::string canonical(id);
  for (char& c : canonical) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (DecodeChar(c) < 0) return Status::Invalid("invalid SST ULID: invalid character");
  }
  if (DecodeChar(canonical[0]) > 7) return Status::Invalid("invalid SST ULID: out of range");
  return canonical;
}

}  // namespace slatedb
