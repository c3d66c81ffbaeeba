#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
//
// Our Node reader in the interop tests (the wasm package in Node):
//
//   node node_dump.mjs REQUEST.json
//
// REQUEST is {"store": STORE, "path": "db", "keys": [hex, ...], "checkpoint": id|null}, STORE as
// in agent_common.py (a local directory through NodeFsStore, or S3 through S3Store with the
// endpoint and credentials of the AWS_* variables). Prints {"ok": true, "get": [...],
// "scan": [...]} (see js_dump.mjs), or {"ok": false, "kind", "message"} and exits 1.
import { readFile } from 'node:fs/promises';

import { NodeFsStore } from '../../wasm/js/node_fs_store.mjs';
import { dumpDb, dumpS3 } from './js_dump.mjs';

function s3Options(store) {
  const env = process.env;
  return {
    endpoint: env.AWS_ENDPOINT_URL, bucket: store.bucket, prefix: store.prefix ?? '',
    region: env.AWS_REGION ?? 'us-east-1', accessKeyId: env.AWS_ACCESS_KEY_ID,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
  };
}

async function main() {
  const req = JSON.parse(await readFile(process.argv[2], 'utf8'));
  const { store, path, keys = [], checkpoint = null } = req;
  if (store.kind === 'local') {
    return dumpDb(await NodeFsStore.open(store.root), path, keys, checkpoint);
  }
  if (store.kind === 's3') return dumpS3(s3Options(store), path, keys, checkpoint);
  throw new Error(`unknown store kind ${store.kind}`);
}

try {
  const out = await main();
  process.stdout.write(JSON.stringify({ ok: true, ...out }) + '\n');
} catch (e) {
  const kind = e?.kind ? e.kind[0].toUpperCase() + e.kind.slice(1) : 'JavaScript';
  process.stdout.write(JSON.stringify({ ok: false, kind, message: `${e?.name}: ${e?.message}` }) + '\n');
  process.exitCode = 1;
}
