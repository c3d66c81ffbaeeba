// SPDX-License-Identifier: Apache-2.0
//
// SequenceTracker: a coarse map between sequence numbers and wall-clock time (spec §9.7).
// The writer samples (seq, time in ms) at most once a minute and records the samples in the
// manifest with its L0 flushes; Admin answers "which seq was current at time T" and "when
// was seq S written" from them. Two parallel ascending arrays with a fixed capacity: when
// full, every other sample is dropped, so older history gets coarser while the span covered
// keeps growing.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace slatedb {

class SequenceTracker {
 public:
  static constexpr size_t kCapacity = 8192;
  // The writer takes a sample only if the previous one is at least this old.
  static constexpr int64_t kSampleIntervalMs = 60'000;

  // Appends a sample. Samples that do not advance both seq and time are ignored (the
  // arrays stay strictly ascending in seq and non-decreasing in time).
  void Insert(uint64_t seq, int64_t time_ms);

  // The time of `seq`: without round_up, the time of the newest sample with seq' <= seq;
  // with round_up, of the oldest sample with seq' >= seq. nullopt if there is none.
  std::optional<int64_t> TimeForSequence(uint64_t seq, bool round_up) const;
  // The seq at `time_ms`: without round_up, the newest sample with time' <= time_ms; with
  // round_up, the oldest sample with time' >= time_ms. nullopt if there is none.
  std::optional<uint64_t> SequenceForTime(int64_t time_ms, bool round_up) const;

  const std::vector<uint64_t>& seqs() const { return seqs_; }
  const std::vector<int64_t>& times_ms() const { return times_ms_; }
  bool empty() const { return seqs_.empty(); }
  // For decoding: replaces the samples. False if they are not parallel and ascending.
  bool Assign(std::vector<uint64_t> seqs, std::vector<int64_t> times_ms);

 private:
  std::vector<uint64_t> seqs_;
  std::vector<int64_t> times_ms_;
};

}  // namespace slatedb
