// SPDX-License-Identifier: Apache-2.0
#include "manifest/sequence_tracker.h"

#include <algorithm>
#include <cstdint>

#include "util/coding.h"

namespace slatedb {

namespace {

int64_t FloorSeconds(int64_t ms) { return ms >= 0 ? ms / 1000 : -((-(ms + 1)) / 1000) - 1; }

// Seconds as milliseconds, saturating (stored samples may hold any i64).
int64_t MillisOf(int64_t seconds) {
  if (seconds > INT64_MAX / 1000) return INT64_MAX;
  if (seconds < INT64_MIN / 1000) return INT64_MIN;
  return seconds * 1000;
}

}  // namespace

void SequenceTracker::Insert(uint64_t seq, int64_t time_ms) {
  const int64_t time_s = FloorSeconds(time_ms);
  if (!seqs_.empty() && (seq <= seqs_.back() || time_s < times_s_.back())) return;
  if (seqs_.size() >= kCapacity) {
    // Keep every other sample, always including the newest, so the covered span is kept.
    size_t kept = 0;
    for (size_t i = seqs_.size() % 2 == 0 ? 1 : 0; i < seqs_.size(); i += 2) {
      seqs_[kept] = seqs_[i];
      times_s_[kept] = times_s_[i];
      ++kept;
    }
    seqs_.resize(kept);
    times_s_.resize(kept);
  }
  seqs_.push_back(seq);
  times_s_.push_back(time_s);
}

std::optional<int64_t> SequenceTracker::TimeForSequence(uint64_t seq, bool round_up) const {
  if (round_up) {
    auto it = std::lower_bound(seqs_.begin(), seqs_.end(), seq);
    if (it == seqs_.end()) return std::nullopt;
    return MillisOf(times_s_[it - seqs_.begin()]);
  }
  auto it = std::upper_bound(seqs_.begin(), seqs_.end(), seq);
  if (it == seqs_.begin()) return std::nullopt;
  return MillisOf(times_s_[(it - seqs_.begin()) - 1]);
}

std::optional<uint64_t> SequenceTracker::SequenceForTime(int64_t time_ms, bool round_up) const {
  auto ms_less = [](int64_t sample_s, int64_t ms) { return MillisOf(sample_s) < ms; };
  auto ms_greater = [](int64_t ms, int64_t sample_s) { return ms < MillisOf(sample_s); };
  if (round_up) {
    auto it = std::lower_bound(times_s_.begin(), times_s_.end(), time_ms, ms_less);
    if (it == times_s_.end()) return std::nullopt;
    return seqs_[it - times_s_.begin()];
  }
  auto it = std::upper_bound(times_s_.begin(), times_s_.end(), time_ms, ms_greater);
  if (it == times_s_.begin()) return std::nullopt;
  return seqs_[(it - times_s_.begin()) - 1];
}

bool SequenceTracker::Assign(std::vector<uint64_t> seqs, std::vector<int64_t> times_s) {
  if (seqs.size() != times_s.size()) return false;
  for (size_t i = 1; i < seqs.size(); ++i) {
    if (seqs[i] <= seqs[i - 1] || times_s[i] < times_s[i - 1]) return false;
  }
  seqs_ = std::move(seqs);
  times_s_ = std::move(times_s);
  return true;
}

// --- the stored form ---------------------------------------------------------------------------

namespace {

constexpr uint8_t kTrackerV1 = 1;  // 32-bit fallback field
constexpr uint8_t kTrackerV2 = 2;  // 64-bit fallback field

class BitWriter {
 public:
  explicit BitWriter(std::string* out) : out_(out) {}
  // Appends the low `n` bits of v, most significant first.
  void Put(uint64_t v, int n) {
    for (int i = n - 1; i >= 0; --i) {
      if (fill_ == 0) out_->push_back('\0');
      if ((v >> i) & 1) out_->back() = static_cast<char>(out_->back() | (0x80 >> fill_));
      fill_ = (fill_ + 1) % 8;
    }
  }

 private:
  std::string* out_;
  int fill_ = 0;  // bits used in the last byte
};

class BitReader {
 public:
  explicit BitReader(std::string_view in) : in_(in) {}
  bool Get(int n, uint64_t* v) {
    if (static_cast<uint64_t>(n) > 8 * in_.size() - pos_) return false;
    uint64_t r = 0;
    for (int i = 0; i < n; ++i, ++pos_) {
      r = (r << 1) | ((static_cast<uint8_t>(in_[pos_ / 8]) >> (7 - pos_ % 8)) & 1);
    }
    *v = r;
    return true;
  }
  // Bytes consumed, the last one counted whole (streams are byte-padded).
  size_t bytes_used() const { return (pos_ + 7) / 8; }

 private:
  std::string_view in_;
  uint64_t pos_ = 0;
};

bool FitsInt32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

// The delta-of-deltas of a stream, with wrapping arithmetic.
std::vector<int64_t> DeltaOfDeltas(const std::vector<int64_t>& values) {
  std::vector<int64_t> dods;
  uint64_t prev_delta = 0;
  for (size_t i = 1; i < values.size(); ++i) {
    const uint64_t delta = static_cast<uint64_t>(values[i]) - static_cast<uint64_t>(values[i - 1]);
    dods.push_back(static_cast<int64_t>(delta - prev_delta));
    prev_delta = delta;
  }
  return dods;
}

void PutStream(const std::vector<int64_t>& values, std::string* out) {
  BitWriter w(out);
  w.Put(values.size(), 32);
  if (values.empty()) return;
  w.Put(static_cast<uint64_t>(values[0]), 64);
  for (int64_t dod : DeltaOfDeltas(values)) {
    const uint64_t bits = static_cast<uint64_t>(dod);
    if (dod == 0) {
      w.Put(0, 1);
    } else if (dod >= -63 && dod <= 63) {
      w.Put(0b10, 2);
      w.Put(bits, 7);
    } else if (dod >= -255 && dod <= 255) {
      w.Put(0b110, 3);
      w.Put(bits, 9);
    } else if (dod >= -2047 && dod <= 2047) {
      w.Put(0b1110, 4);
      w.Put(bits, 12);
    } else {
      w.Put(0b1111, 4);
      w.Put(bits, 32);  // version 1: the caller made sure it fits
    }
  }
}

int64_t SignExtend(uint64_t v, int bits) {
  const uint64_t sign = uint64_t{1} << (bits - 1);
  return static_cast<int64_t>((v ^ sign) - sign);
}

bool GetStream(std::string_view* in, uint8_t version, uint32_t expected,
               std::vector<int64_t>* values) {
  BitReader r(*in);
  uint64_t count = 0, first = 0;
  if (!r.Get(32, &count) || count != expected) return false;
  values->clear();
  if (count > 0) {
    if (!r.Get(64, &first)) return false;
    values->reserve(count);
    values->push_back(static_cast<int64_t>(first));
    uint64_t prev = first, prev_delta = 0;
    for (uint64_t i = 1; i < count; ++i) {
      uint64_t bit = 0, field = 0;
      int width = 0;
      int ones = 0;
      while (ones < 4) {
        if (!r.Get(1, &bit)) return false;
        if (bit == 0) break;
        ++ones;
      }
      static constexpr int kWidths[4] = {7, 9, 12, 0};
      width = ones == 0 ? 0 : ones < 4 ? kWidths[ones - 1] : (version == kTrackerV1 ? 32 : 64);
      int64_t dod = 0;
      if (width > 0) {
        if (!r.Get(width, &field)) return false;
        dod = width == 64 ? static_cast<int64_t>(field) : SignExtend(field, width);
      }
      const uint64_t delta = prev_delta + static_cast<uint64_t>(dod);
      const uint64_t value = prev + delta;
      values->push_back(static_cast<int64_t>(value));
      prev = value;
      prev_delta = delta;
    }
  }
  in->remove_prefix(r.bytes_used());
  return true;
}

}  // namespace

std::string EncodeSequenceTracker(const SequenceTracker& tracker) {
  std::vector<int64_t> seqs(tracker.seqs().begin(), tracker.seqs().end());
  std::vector<int64_t> times = tracker.times_s();
  // Version 1 holds delta-of-deltas of at most 32 bits: drop the oldest samples until the
  // rest fit (in practice never: that takes a jump of 2^31 seqs or seconds between samples).
  auto fits = [](const std::vector<int64_t>& values) {
    for (int64_t dod : DeltaOfDeltas(values)) {
      if (!FitsInt32(dod)) return false;
    }
    return true;
  };
  while (!seqs.empty() && (!fits(seqs) || !fits(times))) {
    seqs.erase(seqs.begin());
    times.erase(times.begin());
  }
  std::string out;
  PutFixed8(&out, kTrackerV1);
  PutFixed32(&out, static_cast<uint32_t>(seqs.size()));
  PutStream(seqs, &out);
  PutStream(times, &out);
  return out;
}

Result<SequenceTracker> DecodeSequenceTracker(std::string_view blob) {
  SequenceTracker tracker;
  if (blob.empty()) return tracker;
  uint8_t version = 0;
  uint32_t count = 0;
  if (!GetFixed8(&blob, &version) || !GetFixed32(&blob, &count)) {
    return Status::Data("sequence tracker: header truncated");
  }
  if (version != kTrackerV1 && version != kTrackerV2) {
    return Status::Data("sequence tracker: unsupported version " + std::to_string(version));
  }
  // Each value takes at least one bit; a count beyond the blob's bits is corrupt.
  if (count > 8 * static_cast<uint64_t>(blob.size())) {
    return Status::Data("sequence tracker: count exceeds its size");
  }
  std::vector<int64_t> seqs, times;
  if (!GetStream(&blob, version, count, &seqs) || !GetStream(&blob, version, count, &times)) {
    return Status::Data("sequence tracker: stream truncated or malformed");
  }
  if (!blob.empty()) return Status::Data("sequence tracker: bytes after the streams");
  std::vector<uint64_t> useqs(seqs.begin(), seqs.end());
  if (!tracker.Assign(std::move(useqs), std::move(times))) {
    return Status::Data("sequence tracker: samples not ascending");
  }
  return tracker;
}

}  // namespace slatedb
