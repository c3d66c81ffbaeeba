// SPDX-License-Identifier: Apache-2.0
#include "manifest/sequence_tracker.h"

#include <algorithm>

namespace slatedb {

void SequenceTracker::Insert(uint64_t seq, int64_t time_ms) {
  if (!seqs_.empty() && (seq <= seqs_.back() || time_ms < times_ms_.back())) return;
  if (seqs_.size() >= kCapacity) {
    // Keep every other sample, always including the newest, so the covered span is kept.
    size_t kept = 0;
    for (size_t i = seqs_.size() % 2 == 0 ? 1 : 0; i < seqs_.size(); i += 2) {
      seqs_[kept] = seqs_[i];
      times_ms_[kept] = times_ms_[i];
      ++kept;
    }
    seqs_.resize(kept);
    times_ms_.resize(kept);
  }
  seqs_.push_back(seq);
  times_ms_.push_back(time_ms);
}

std::optional<int64_t> SequenceTracker::TimeForSequence(uint64_t seq, bool round_up) const {
  if (round_up) {
    auto it = std::lower_bound(seqs_.begin(), seqs_.end(), seq);
    if (it == seqs_.end()) return std::nullopt;
    return times_ms_[it - seqs_.begin()];
  }
  auto it = std::upper_bound(seqs_.begin(), seqs_.end(), seq);
  if (it == seqs_.begin()) return std::nullopt;
  return times_ms_[(it - seqs_.begin()) - 1];
}

std::optional<uint64_t> SequenceTracker::SequenceForTime(int64_t time_ms, bool round_up) const {
  if (round_up) {
    auto it = std::lower_bound(times_ms_.begin(), times_ms_.end(), time_ms);
    if (it == times_ms_.end()) return std::nullopt;
    return seqs_[it - times_ms_.begin()];
  }
  auto it = std::upper_bound(times_ms_.begin(), times_ms_.end(), time_ms);
  if (it == times_ms_.begin()) return std::nullopt;
  return seqs_[(it - times_ms_.begin()) - 1];
}

bool SequenceTracker::Assign(std::vector<uint64_t> seqs, std::vector<int64_t> times_ms) {
  if (seqs.size() != times_ms.size()) return false;
  for (size_t i = 1; i < seqs.size(); ++i) {
    if (seqs[i] <= seqs[i - 1] || times_ms[i] < times_ms[i - 1]) return false;
  }
  seqs_ = std::move(seqs);
  times_ms_ = std::move(times_ms);
  return true;
}

}  // namespace slatedb
