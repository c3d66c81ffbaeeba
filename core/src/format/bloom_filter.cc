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

std::string EncodeCompositeFilter(const std::vector<NamedFilterBytes>& entries) {
  size_t size = 2;
  for (const NamedFilterBytes& e : entries) size += 2 + e.name.size() + 8 + e.data.size();
  std::string out;
  out.reserve(size);
  PutBigEndian16(&out, static_cast<uint16_t>(entries.size()));
  for (const NamedFilterBytes& e : entries) {
    PutBigEndian16(&out, static_cast<uint16_t>(e.name.size()));
    out.append(e.name);
    PutBigEndian64(&out, e.data.size());
    out.append(e.data);
  }
  return out;
}

std::string EncodeCompositeFilter(std::string_view name, std::string_view filter) {
  return EncodeCompositeFilter({NamedFilterBytes{std::string(name), std::string(filter)}});
}

Result<std::vector<NamedFilterView>> ParseCompositeFilter(std::string_view section) {
  std::string_view in = section;
  uint16_t count = 0;
  if (!GetBigEndian16(&in, &count)) return Status::Data("filter section truncated");
  std::vector<NamedFilterView> out;
  out.reserve(count);
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
    out.push_back({name, in.substr(0, static_cast<size_t>(data_len))});
    in.remove_prefix(static_cast<size_t>(data_len));
  }
  if (!in.empty()) return Status::Data("filter section: bytes after its last entry");
  return out;
}

Result<std::optional<BloomFilter>> DecodeFilterSection(std::string_view section, bool composite) {
  if (!composite) {
    SLATEDB_ASSIGN_OR_RETURN(BloomFilter filter, BloomFilter::Parse(section));
    return std::optional<BloomFilter>(std::move(filter));
  }
  SLATEDB_ASSIGN_OR_RETURN(std::vector<NamedFilterView> entries, ParseCompositeFilter(section));
  for (const NamedFilterView& entry : entries) {
    if (entry.name != kBloomFilterName) continue;
    SLATEDB_ASSIGN_OR_RETURN(BloomFilter filter, BloomFilter::Parse(entry.data));
    return std::optional<BloomFilter>(std::move(filter));
  }
  return std::optional<BloomFilter>();
}

}  // namespace slatedb
