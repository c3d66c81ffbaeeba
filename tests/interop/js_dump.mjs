// SPDX-License-Identifier: Apache-2.0
//
// Reads a whole database with the wasm package's read-only SlateDBReader, the same way in
// Node (node_dump.mjs) and in a browser page (browser_dump.mjs imports this module into
// Chromium): a get of every key asked for, then a full scan. Keys and values are hex; the
// merge operator is concatenation, as on every side of the interop tests.
import { S3Store, SlateDBReader } from '../../wasm/js/slatedb.mjs';

export const hex = (u8) => Array.from(u8, (b) => b.toString(16).padStart(2, '0')).join('');

export function unhex(s) {
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function concatMerge(_key, existing, operand) {
  const out = new Uint8Array((existing?.length ?? 0) + operand.length);
  if (existing) out.set(existing, 0);
  out.set(operand, existing?.length ?? 0);
  return out;
}

/**
 * Opens `path` on `store` (pinned to `checkpointId` when given), returns
 * {get: [hex|null per key], scan: [[hexKey, hexValue], ...]}, and closes the reader.
 */
export async function dumpDb(store, path, keys, checkpointId) {
  const reader = await SlateDBReader.open({
    store, path, mergeOperator: concatMerge, ...(checkpointId ? { checkpointId } : {}),
  });
  try {
    const get = [];
    for (const k of keys) {
      const v = await reader.get(unhex(k));
      get.push(v === undefined ? null : hex(v));
    }
    const scan = [];
    for await (const [k, v] of reader.scan()) scan.push([hex(k), hex(v)]);
    return { get, scan };
  } finally {
    await reader.close();
  }
}

/** dumpDb on an S3 bucket: `s3` holds S3Store.open's options (endpoint, bucket, prefix, keys). */
export async function dumpS3(s3, path, keys, checkpointId) {
  const store = await S3Store.open(s3);
  try {
    return await dumpDb(store, path, keys, checkpointId);
  } finally {
    store.close();
  }
}
