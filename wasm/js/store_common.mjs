// SPDX-License-Identifier: Apache-2.0
//
// Shared pieces of the JavaScript object-store protocol (see memory_store.mjs for the
// protocol itself): the error type, the key rules, byte-order key comparison.

/** Error codes a store may reject with; the C++ glue maps any other rejection to Unavailable. */
export const STORE_ERROR_CODES = Object.freeze([
  'NotFound', 'AlreadyExists', 'VersionMismatch', 'Unavailable', 'Invalid', 'Data',
]);

// A store failure with a `.code` from STORE_ERROR_CODES (defined with the other errors).
import { StoreError } from './errors.mjs';

export { StoreError };

const encoder = new TextEncoder();

/**
 * The key rules of ObjectStore (core/include/slatedb/object_store.h, ValidateObjectKey):
 * non-empty, at most 1024 UTF-8 bytes, no leading '/', no empty, "." or ".." segments, no
 * NUL or backslash. Throws StoreError('Invalid') otherwise.
 */
export function validateKey(key) {
  if (typeof key !== 'string') throw new StoreError('Invalid', 'object key must be a string');
  if (key.length === 0) throw new StoreError('Invalid', 'object key is empty');
  if (key[0] === '/') throw new StoreError('Invalid', `object key starts with '/': ${key}`);
  if (key.length > 1024 && encoder.encode(key).length > 1024) {
    throw new StoreError('Invalid', 'object key longer than 1024 bytes');
  }
  for (const segment of key.split('/')) {
    if (segment === '') throw new StoreError('Invalid', `object key has an empty segment: ${key}`);
    if (segment === '.' || segment === '..') {
      throw new StoreError('Invalid', `object key has a '.' or '..' segment: ${key}`);
    }
  }
  if (key.includes('\0') || key.includes('\\')) {
    throw new StoreError('Invalid', 'object key contains a NUL or backslash');
  }
}

/**
 * Compares two keys in ascending byte order of their UTF-8 encodings (which is code-point
 * order; plain `<` on JS strings compares UTF-16 units and differs above U+FFFF).
 */
export function compareKeys(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (0xD800-0xDFFF) stand for code points above 0xFFFF, so they sort after
    // every other unit in code-point order.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** Bytes of a Uint8Array / ArrayBuffer / view / string (UTF-8), as a Uint8Array. */
export function toBytes(value, what = 'value') {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return encoder.encode(value);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) {
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  throw new StoreError('Invalid', `${what} must be a Uint8Array, ArrayBuffer or string`);
}

/** Checks put() options and returns {mode, expectedVersion}. */
export function putOptions(options) {
  const mode = options?.mode ?? 'overwrite';
  if (mode !== 'overwrite' && mode !== 'createIfAbsent' && mode !== 'replaceIfVersionMatches') {
    throw new StoreError('Invalid', `unknown put mode: ${mode}`);
  }
  const expectedVersion = options?.expectedVersion;
  if (mode === 'replaceIfVersionMatches' && typeof expectedVersion !== 'string') {
    throw new StoreError('Invalid', 'replaceIfVersionMatches needs expectedVersion');
  }
  return { mode, expectedVersion };
}

/** Checks getRange() arguments (non-negative safe integers). */
export function checkRange(offset, length) {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new StoreError('Invalid', `bad range offset: ${offset}`);
  }
  if (!(Number.isSafeInteger(length) || length === Infinity) || length < 0) {
    throw new StoreError('Invalid', `bad range length: ${length}`);
  }
}
