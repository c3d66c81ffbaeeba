// SPDX-License-Identifier: Apache-2.0
//
// SequenceTracker: a coarse map between sequence numbers and wall-clock time (spec §9.7).
// The writer samples (seq, time) at most once a minute and records the samples in the
// manifest with its L0 flushes; Admin answers "which seq was current at time T" and "when
// was seq S written" from them. Times are kept in whole seconds, as the manifest stores
// them. Two parallel ascending arrays with a fixed capacity: when full, every other sample
// is dropped, so older history gets coarser while the span covered keeps growing.
//
// Stored form (manifest field sequence_tracker; docs/format.md):
//   u8 version (1 written; 2 read) | u32 LE count | seq stream | time stream
// Each stream is a Gorilla delta-of-delta bit stream (MSB first, zero-padded to a byte):
// u32 count, the first value in 64 bits, then one delta-of-delta per further value:
//   0 -> '0'; |d| <= 63 -> '10' + 7 bits; |d| <= 255 -> '110' + 9 bits;
//   |d| <= 2047 -> '1110' + 12 bits; else '1111' + 32 bits (v1) or 64 bits (v2),
// fields two's complement. Seqs are u64 bit patterns; times are i64 Unix seconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "slatedb/result.h"

namespace slatedb {

class SequenceTracker {
 public:
  static constexpr size_t kCapacity = 8192;
  // The writer takes a sample only if the previous one is at least this old.
  static constexpr int64_t kSampleIntervalMs = 60'000;

  // Appends a sample (the time truncated to a second). Samples that do not advance seq,
  // or that go back in time, are ignored (seqs stay strictly ascending, times
  // non-decreasing).
  void Insert(uint64_t seq, int64_t time_ms);

  // The time (ms, a whole second) of `seq`: without round_up, the time of the newest sample
  // with seq' <= seq; with round_up, of the oldest sample with seq' >= seq. nullopt if none.
  std::optional<int64_t> TimeForSequence(uint64_t seq, bool round_up) const;
  // The seq at `time_ms`: without round_up, the newest sample with time' <= time_ms; with
  // round_up, the oldest sample with time' >= time_ms. nullopt if there is none.
  std::optional<uint64_t> SequenceForTime(int64_t time_ms, bool round_up) const;

  const std::vector<uint64_t>& seqs() const { return seqs_; }
  const std::vector<int64_t>& times_s() const { return times_s_; }
  bool empty() const { return seqs_.empty(); }
  // Replaces the samples. False if they are not parallel and ascending.
  bool Assign(std::vector<uint64_t> seqs, std::vector<int64_t> times_s);

  friend bool operator==(const SequenceTracker&, const SequenceTracker&) = default;

 private:
  std::vector<uint64_t> seqs_;
  std::vector<int64_t> times_s_;
};

// The stored form, version 1. A delta-of-delta that does not fit 32 bits cannot be written
// in version 1 (which readers of every version understand), so the oldest samples are
// dropped until the rest encode.
std::string EncodeSequenceTracker(const SequenceTracker& tracker);
// Decodes version 1 or 2. An empty blob is an empty tracker. Data if malformed, of another
// version, or not ascending.
Result<SequenceTracker> DecodeSequenceTracker(std::string_view blob);

}  // namespace slatedb
