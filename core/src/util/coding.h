// SPDX-License-Identifier: Apache-2.0
//
// Fixed-width integers in both byte orders and LEB128 varints, the building blocks of every
// binary format in the core. The stored format's own integers (row fields, block trailers,
// checksums, footers, version headers) are big-endian; little-endian appears only where the
// format says so (the LZ4 size prefix, the sequence tracker's count). Encoders append to a
// std::string; decoders read from a string_view that they advance past what they consumed
// and return false (leaving the value unspecified) when the input is too short or malformed,
// so callers can turn that into Status::Data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace slatedb {

inline constexpr size_t kMaxVarint32Bytes = 5;
inline constexpr size_t kMaxVarint64Bytes = 10;

// Raw little-endian stores and loads. REQUIRES: `p` has room for the width.
inline void EncodeFixed16(char* p, uint16_t v) {
  p[0] = static_cast<char>(v & 0xff);
  p[1] = static_cast<char>((v >> 8) & 0xff);
}
inline void EncodeFixed32(char* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
inline void EncodeFixed64(char* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
inline uint16_t DecodeFixed16(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<uint16_t>(u[0] | (u[1] << 8));
}
inline uint32_t DecodeFixed32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<uint32_t>(u[0]) | (static_cast<uint32_t>(u[1]) << 8) |
         (static_cast<uint32_t>(u[2]) << 16) | (static_cast<uint32_t>(u[3]) << 24);
}
inline uint64_t DecodeFixed64(const char* p) {
  return static_cast<uint64_t>(DecodeFixed32(p)) |
         (static_cast<uint64_t>(DecodeFixed32(p + 4)) << 32);
}

// Appenders.
inline void PutFixed8(std::string* dst, uint8_t v) { dst->push_back(static_cast<char>(v)); }
inline void PutFixed16(std::string* dst, uint16_t v) {
  char buf[2];
  EncodeFixed16(buf, v);
  dst->append(buf, sizeof(buf));
}
inline void PutFixed32(std::string* dst, uint32_t v) {
  char buf[4];
  EncodeFixed32(buf, v);
  dst->append(buf, sizeof(buf));
}
inline void PutFixed64(std::string* dst, uint64_t v) {
  char buf[8];
  EncodeFixed64(buf, v);
  dst->append(buf, sizeof(buf));
}

// Bounds-checked readers: false if `in` is shorter than the width; else advance `in`.
inline bool GetFixed8(std::string_view* in, uint8_t* v) {
  if (in->empty()) return false;
  *v = static_cast<uint8_t>((*in)[0]);
  in->remove_prefix(1);
  return true;
}
inline bool GetFixed16(std::string_view* in, uint16_t* v) {
  if (in->size() < 2) return false;
  *v = DecodeFixed16(in->data());
  in->remove_prefix(2);
  return true;
}
inline bool GetFixed32(std::string_view* in, uint32_t* v) {
  if (in->size() < 4) return false;
  *v = DecodeFixed32(in->data());
  in->remove_prefix(4);
  return true;
}
inline bool GetFixed64(std::string_view* in, uint64_t* v) {
  if (in->size() < 8) return false;
  *v = DecodeFixed64(in->data());
  in->remove_prefix(8);
  return true;
}

// Big-endian stores and loads. REQUIRES: `p` has room for the width.
inline void EncodeBigEndian16(char* p, uint16_t v) {
  p[0] = static_cast<char>(v >> 8);
  p[1] = static_cast<char>(v & 0xff);
}
inline void EncodeBigEndian32(char* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>((v >> (24 - 8 * i)) & 0xff);
}
inline void EncodeBigEndian64(char* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>((v >> (56 - 8 * i)) & 0xff);
}
inline uint16_t DecodeBigEndian16(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<uint16_t>((u[0] << 8) | u[1]);
}
inline uint32_t DecodeBigEndian32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return (static_cast<uint32_t>(u[0]) << 24) | (static_cast<uint32_t>(u[1]) << 16) |
         (static_cast<uint32_t>(u[2]) << 8) | static_cast<uint32_t>(u[3]);
}
inline uint64_t DecodeBigEndian64(const char* p) {
  return (static_cast<uint64_t>(DecodeBigEndian32(p)) << 32) | DecodeBigEndian32(p + 4);
}

inline void PutBigEndian16(std::string* dst, uint16_t v) {
  char buf[2];
  EncodeBigEndian16(buf, v);
  dst->append(buf, sizeof(buf));
}
inline void PutBigEndian32(std::string* dst, uint32_t v) {
  char buf[4];
  EncodeBigEndian32(buf, v);
  dst->append(buf, sizeof(buf));
}
inline void PutBigEndian64(std::string* dst, uint64_t v) {
  char buf[8];
  EncodeBigEndian64(buf, v);
  dst->append(buf, sizeof(buf));
}

inline bool GetBigEndian16(std::string_view* in, uint16_t* v) {
  if (in->size() < 2) return false;
  *v = DecodeBigEndian16(in->data());
  in->remove_prefix(2);
  return true;
}
inline bool GetBigEndian32(std::string_view* in, uint32_t* v) {
  if (in->size() < 4) return false;
  *v = DecodeBigEndian32(in->data());
  in->remove_prefix(4);
  return true;
}
inline bool GetBigEndian64(std::string_view* in, uint64_t* v) {
  if (in->size() < 8) return false;
  *v = DecodeBigEndian64(in->data());
  in->remove_prefix(8);
  return true;
}

// Number of bytes PutVarint64(v) appends (1..10).
inline size_t VarintLength(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

inline void PutVarint64(std::string* dst, uint64_t v) {
  char buf[kMaxVarint64Bytes];
  size_t n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  dst->append(buf, n);
}
inline void PutVarint32(std::string* dst, uint32_t v) { PutVarint64(dst, v); }

// Reads a varint of at most `max_bits` significant bits. False if the input ends inside the
// varint, the varint is longer than such a value can need, or its value overflows max_bits.
inline bool GetVarintBits(std::string_view* in, int max_bits, uint64_t* v) {
  uint64_t result = 0;
  const size_t max_bytes = static_cast<size_t>((max_bits + 6) / 7);
  for (size_t i = 0; i < in->size() && i < max_bytes; ++i) {
    const uint64_t byte = static_cast<unsigned char>((*in)[i]);
    const int shift = static_cast<int>(7 * i);
    const uint64_t payload = byte & 0x7f;
    // Bits that would land above max_bits make the varint malformed, not silently wrapped.
    if (shift + 7 > max_bits && (payload >> (max_bits - shift)) != 0) return false;
    result |= payload << shift;
    if ((byte & 0x80) == 0) {
      in->remove_prefix(i + 1);
      *v = result;
      return true;
    }
  }
  return false;
}
inline bool GetVarint64(std::string_view* in, uint64_t* v) { return GetVarintBits(in, 64, v); }
inline bool GetVarint32(std::string_view* in, uint32_t* v) {
  uint64_t wide = 0;
  if (!GetVarintBits(in, 32, &wide)) return false;
  *v = static_cast<uint32_t>(wide);
  return true;
}

// A varint32 length followed by that many bytes.
inline void PutLengthPrefixed(std::string* dst, std::string_view bytes) {
  PutVarint32(dst, static_cast<uint32_t>(bytes.size()));
  dst->append(bytes.data(), bytes.size());
}
// On success `*out` views into the original input.
inline bool GetLengthPrefixed(std::string_view* in, std::string_view* out) {
  uint32_t len = 0;
  std::string_view rest = *in;
  if (!GetVarint32(&rest, &len) || rest.size() < len) return false;
  *out = rest.substr(0, len);
  rest.remove_prefix(len);
  *in = rest;
  return true;
}

}  // namespace slatedb
