// SPDX-License-Identifier: Apache-2.0
//
// Bloom filter build and probe. Bit b lives in byte b / 8 at bit b % 8 (LSB first). Sizes:
// num_bits = max(64, num_keys * bits_per_key) rounded up to whole bytes.
#include "format/bloom_filter.h"

#include "util/checksum.h"

namespace slatedb {

namespace {

// Double hashing from one 64-bit hash: h1 = low 32 bits, h2 = high 32 bits.
template <typename Fn>
inline void ForEachProbe(uint64_t hash, uint32_t num_probes, uint64_t num_bits, Fn fn) {
  const uint64_t h1 = hash & 0xffffffffu;
  const uint64_t h2 = hash >> 32;
  for (uint32_t i = 0; i < num_probes; ++i) {
    if (!fn((h1 + i * h2) % num_bits)) return;
  }
}

}  // namespace

uint32_t BloomProbesFor(uint32_t bits_per_key) {
  // round(bits * 0.69) in integers: (bits * 69 + 50) / 100.
  const uint64_t k = (static_cast<uint64_t>(bits_per_key) * 69 + 50) / 100;
  if (k < 1) return 1;
  return k > kBloomMaxProbes ? kBloomMaxProbes : static_cast<uint32_t>(k);
}

BloomFilterBuilder::BloomFilterBuilder(uint32_t bits_per_key)
    : bits_per_key_(bits_per_key == 0 ? 1 : bits_per_key) {}

void BloomFilterBuilder::AddKey(std::string_view key) { hashes_.push_back(Checksum64(key)); }

size_t BloomFilterBuilder::EstimatedSize() const {
  uint64_t bits = static_cast<uint64_t>(hashes_.size()) * bits_per_key_;
  if (bits < 64) bits = 64;
  return static_cast<size_t>((bits + 7) / 8) + 1;
}

std::string BloomFilterBuilder::Finish() {
  const size_t num_bytes = EstimatedSize() - 1;
  const uint64_t num_bits = static_cast<uint64_t>(num_bytes) * 8;
  const uint32_t num_probes = BloomProbesFor(bits_per_key_);
  std::string out(num_bytes, '\0');
  for (uint64_t hash : hashes_) {
    ForEachProbe(hash, num_probes, num_bits, [&](uint64_t bit) {
      out[static_cast<size_t>(bit / 8)] |= static_cast<char>(1u << (bit % 8));
      return true;
    });
  }
  out.push_back(static_cast<char>(num_probes));
  hashes_.clear();
  return out;
}

Result<BloomFilter> BloomFilter::Parse(std::string bytes) {
  if (bytes.size() < 2) return Status::Data("bloom filter shorter than 2 bytes");
  const uint32_t num_probes = static_cast<unsigned char>(bytes.back());
  if (num_probes < 1 || num_probes > kBloomMaxProbes) {
    return Status::Data("bloom filter probe count out of range");
  }
  bytes.pop_back();
  return BloomFilter(std::move(bytes), num_probes);
}

bool BloomFilter::MayContain(std::string_view key) const {
  const uint64_t num_bits = static_cast<uint64_t>(bits_.size()) * 8;
  bool found = true;
  ForEachProbe(Checksum64(key), num_probes_, num_bits, [&](uint64_t bit) {
    found = (static_cast<unsigned char>(bits_[static_cast<size_t>(bit / 8)]) >> (bit % 8)) & 1;
    return found;
  });
  return found;
}

}  // namespace slatedb
