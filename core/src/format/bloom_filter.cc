// SPDX-License-Identifier: Apache-2.0
#include "format/bloom_filter.h"

#include "util/coding.h"
#include "util/siphash.h"

namespace slatedb {

namespace {

// Calls fn(bit) for each probe of `hash` in order until fn returns false. The modular
// steps are written as conditional subtractions: both operands are below nbits.
template <typename Fn>
inline void ForEachProbe(uint64_t hash, uint32_t num_probes, uint64_t nbits, Fn fn) {
  uint64_t h = (hash & 0xffffffffu) % nbits;
  uint64_t delta = (hash >> 32) % nbits;
  for (uint32_t i = 0; i < num_probes; ++i) {
    delta += i;
    if (delta >= nbits) delta %= nbits;
    if (!fn(h)) return;
    h += delta;
    if (h >= nbits) h -= nbits;
  }
}

}  // namespace

uint16_t BloomProbesFor(uint32_t bits_per_key) {
  // f32 arithmetic, as the format's writers compute it (10 bits per key gives 6).
  const float probes = static_cast<float>(bits_per_key) * 0.69f;
  return probes >= 65535.0f ? uint16_t{65535} : static_cast<uint16_t>(probes);
}

uint64_t BloomHash(std::string_view key) { return SipHash13(key); }

std::string BloomFilterBuilder::Finish() {
  const uint64_t num_bytes = (static_cast<uint64_t>(hashes_.size()) * bits_per_key_ + 7) / 8;
  const uint64_t nbits = num_bytes * 8;
  const uint16_t num_probes = BloomProbesFor(bits_per_key_);
  std::string out;
  out.reserve(2 + num_bytes);
  PutBigEndian16(&out, num_probes);
  out.resize(2 + num_bytes, '\0');
  char* bits = out.data() + 2;
  if (nbits > 0) {
    for (uint64_t hash : hashes_) {
      ForEachProbe(hash, num_probes, nbits, [&](uint64_t bit) {
        bits[bit / 8] = static_cast<char>(bits[bit / 8] | (1u << (bit % 8)));
        return true;
      });
    }
  }
  hashes_.clear();
  return out;
}

Result<BloomFilter> BloomFilter::Parse(std::string_view bytes) {
  uint16_t num_probes = 0;
  if (!GetBigEndian16(&bytes, &num_probes)) return Status::Data("bloom filter truncated");
  return BloomFilter(std::string(bytes), num_probes);
}

bool BloomFilter::MayContainHash(uint64_t hash) const {
  const uint64_t nbits = static_cast<uint64_t>(bits_.size()) * 8;
  if (nbits == 0) return false;
  const auto* bits = reinterpret_cast<const unsigned char*>(bits_.data());
  bool found = true;
  ForEachProbe(hash, num_probes_, nbits, [&](uint64_t bit) {
    found = (bits[bit / 8] >> (bit % 8)) & 1;
    return found;
  });
  return found;
}

std::string EncodeCompositeFilter(std::string_view name, std::string_view filter) {
  std::string out;
  out.reserve(2 + 2 + name.size() + 8 + filter.size());
  PutBigEndian16(&out, 1);
  PutBigEndian16(&out, static_cast<uint16_t>(name.size()));
  out.append(name.data(), name.size());
  PutBigEndian64(&out, filter.size());
  out.append(filter.data(), filter.size());
  return out;
}

Result<std::optional<BloomFilter>> DecodeFilterSection(std::string_view section, bool composite) {
  if (!composite) {
    SLATEDB_ASSIGN_OR_RETURN(BloomFilter filter, BloomFilter::Parse(section));
    return std::optional<BloomFilter>(std::move(filter));
  }
  std::string_view in = section;
  uint16_t count = 0;
  if (!GetBigEndian16(&in, &count)) return Status::Data("filter section truncated");
  std::optional<BloomFilter> found;
  for (uint16_t i = 0; i < count; ++i) {
    uint16_t name_len = 0;
    uint64_t data_len = 0;
    if (!GetBigEndian16(&in, &name_len) || in.size() < name_len) {
      return Status::Data("filter section: entry name truncated");
    }
    const std::string_view name = in.substr(0, name_len);
    in.remove_prefix(name_len);
    if (!GetBigEndian64(&in, &data_len) || in.size() < data_len) {
      return Status::Data("filter section: entry data truncated");
    }
    const std::string_view data = in.substr(0, static_cast<size_t>(data_len));
    in.remove_prefix(static_cast<size_t>(data_len));
    if (name == kBloomFilterName && !found) {
      SLATEDB_ASSIGN_OR_RETURN(BloomFilter filter, BloomFilter::Parse(data));
      found = std::move(filter);
    }
  }
  if (!in.empty()) return Status::Data("filter section: bytes after its last entry");
  return found;
}

}  // namespace slatedb
