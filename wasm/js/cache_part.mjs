// SPDX-License-Identifier: Apache-2.0
//
// The persistent cache's part files, byte for byte the layout of the native cache
// (platform/cache/part_file.h): a header (magic "SDBCPART", version 1, header length, part
// index, part size, data length, last-part flag, chunk size, identity, one CRC-32C per
// 32 KiB chunk of the data, the header's own CRC-32C) followed by the part's bytes. Every
// byte served is covered by a checksum, so a truncated or damaged file is detected and
// fetched again, never served.

const MAGIC = [0x53, 0x44, 0x42, 0x43, 0x50, 0x41, 0x52, 0x54];  // "SDBCPART"
const VERSION = 1;
export const FIXED_HEADER_BYTES = 52;
export const CHUNK_BYTES = 32 * 1024;
const enc = new TextEncoder();
const dec = new TextDecoder();

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let b = 0; b < 256; b++) {
    let c = b;
    for (let i = 0; i < 8; i++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[b] = c >>> 0;
  }
  return t;
})();

/** CRC-32C (Castagnoli) of `bytes`. */
export function crc32c(bytes) {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

class CorruptPart extends Error {}

/** The whole file of one part. */
export function encodePart(identity, partIndex, partSize, last, data) {
  const id = enc.encode(identity);
  const chunks = Math.ceil(data.length / CHUNK_BYTES);
  const headerLength = FIXED_HEADER_BYTES + id.length + 4 * chunks + 4;
  const out = new Uint8Array(headerLength + data.length);
  const v = new DataView(out.buffer);
  out.set(MAGIC, 0);
  v.setUint32(8, VERSION, true);
  v.setUint32(12, headerLength, true);
  v.setBigUint64(16, BigInt(partIndex), true);
  v.setBigUint64(24, BigInt(partSize), true);
  v.setBigUint64(32, BigInt(data.length), true);
  v.setUint32(40, last ? 1 : 0, true);
  v.setUint32(44, CHUNK_BYTES, true);
  v.setUint32(48, id.length, true);
  out.set(id, FIXED_HEADER_BYTES);
  for (let c = 0; c < chunks; c++) {
    const crc = crc32c(data.subarray(c * CHUNK_BYTES, (c + 1) * CHUNK_BYTES));
    v.setUint32(FIXED_HEADER_BYTES + id.length + 4 * c, crc, true);
  }
  v.setUint32(headerLength - 4, crc32c(out.subarray(0, headerLength - 4)), true);
  out.set(data, headerLength);
  return out;
}

/** The header length a file claims, from its first FIXED_HEADER_BYTES bytes. */
export function peekHeaderLength(prefix) {
  if (prefix.length < FIXED_HEADER_BYTES) throw new CorruptPart('shorter than its header');
  for (let i = 0; i < 8; i++) if (prefix[i] !== MAGIC[i]) throw new CorruptPart('bad magic');
  const v = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  if (v.getUint32(8, true) !== VERSION) throw new CorruptPart('unknown version');
  const headerLength = v.getUint32(12, true);
  if (headerLength < FIXED_HEADER_BYTES + 4) throw new CorruptPart('header length too small');
  return headerLength;
}

/** Decodes and verifies a header (exactly its length) of a file of `fileSize` bytes. */
export function decodeHeader(header, fileSize) {
  const headerLength = peekHeaderLength(header);
  if (header.length !== headerLength) throw new CorruptPart('header cut short');
  const v = new DataView(header.buffer, header.byteOffset, header.byteLength);
  if (crc32c(header.subarray(0, headerLength - 4)) !== v.getUint32(headerLength - 4, true)) {
    throw new CorruptPart('header checksum mismatch');
  }
  const h = {
    headerLength,
    partIndex: Number(v.getBigUint64(16, true)),
    partSize: Number(v.getBigUint64(24, true)),
    dataLength: Number(v.getBigUint64(32, true)),
    last: v.getUint32(40, true) === 1,
    chunkSize: v.getUint32(44, true),
  };
  const flags = v.getUint32(40, true);
  const idLength = v.getUint32(48, true);
  if (h.chunkSize === 0 || h.partSize === 0 || h.dataLength > h.partSize || flags > 1) {
    throw new CorruptPart('bad sizes');
  }
  if (!h.last && h.dataLength !== h.partSize) throw new CorruptPart('short part not marked last');
  const chunks = Math.ceil(h.dataLength / h.chunkSize);
  if (FIXED_HEADER_BYTES + idLength + 4 * chunks + 4 !== headerLength) {
    throw new CorruptPart('header length does not match its fields');
  }
  if (fileSize !== headerLength + h.dataLength) throw new CorruptPart('file size mismatch');
  h.identity = dec.decode(header.subarray(FIXED_HEADER_BYTES, FIXED_HEADER_BYTES + idLength));
  h.crcs = [];
  for (let c = 0; c < chunks; c++) h.crcs.push(v.getUint32(FIXED_HEADER_BYTES + idLength + 4 * c, true));
  return h;
}

/** The chunk-aligned span of the data covering [begin, end): {first, offset, length}. */
export function chunksCovering(h, begin, end) {
  if (end <= begin) return { first: 0, offset: 0, length: 0 };
  const c = h.chunkSize;
  const first = Math.floor(begin / c);
  const offset = first * c;
  const stop = Math.min(Math.ceil(end / c) * c, h.dataLength);
  return { first, offset, length: stop - offset };
}

/** Throws unless `bytes` (the data of `span`) matches the header's chunk CRCs. */
export function verifyChunks(h, span, bytes) {
  if (bytes.length !== span.length) throw new CorruptPart('data cut short');
  const c = h.chunkSize;
  for (let at = 0, chunk = span.first; at < bytes.length; at += c, chunk++) {
    if (chunk >= h.crcs.length || crc32c(bytes.subarray(at, at + c)) !== h.crcs[chunk]) {
      throw new CorruptPart(`data checksum mismatch in chunk ${chunk}`);
    }
  }
}

export function isCorruptPart(e) { return e instanceof CorruptPart; }
