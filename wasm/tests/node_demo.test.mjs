// SPDX-License-Identifier: Apache-2.0
//
// web-demo/node-demo.mjs runs as documented: twice on a local directory (the second run
// finds the first run's data) and, with a local S3 server, against an endpoint.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { TEST_S3_CREDS, createBucket } from '../../web-demo/s3_signed_request.mjs';
import { skipUnlessPresent } from './prerequisite.mjs';

const run = promisify(execFile);
const DEMO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web-demo/node-demo.mjs');
const endpoint = process.env.SLATEDB_S3_TEST_ENDPOINT;

function check(stdout, n) {
  assert.match(stdout, new RegExp(`^run ${n} on `, 'm'));
  assert.match(stdout, /^fruit\/banana = yellow$/m);
  assert.match(stdout, new RegExp(`^counter/visits = ${n} `, 'm'));
  assert.match(stdout, /snapshot sees apple=red, db sees apple=green/);
  assert.match(stdout, /^LSM: manifest v\d+, \d+ L0 SST/m);
}

test('node demo on a local directory, twice', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'slatedb-node-demo-'));
  try {
    check((await run(process.execPath, [DEMO, dir])).stdout, 1);
    check((await run(process.execPath, [DEMO, dir])).stdout, 2);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('node demo on an S3 endpoint', { skip: skipUnlessPresent(endpoint ? '' : 'SLATEDB_S3_TEST_ENDPOINT is not set') }, async () => {
  const bucket = `node-demo-${process.pid}`;
  await createBucket(endpoint, bucket);
  const env = { ...process.env, AWS_ACCESS_KEY_ID: TEST_S3_CREDS.accessKeyId,
                AWS_SECRET_ACCESS_KEY: TEST_S3_CREDS.secretAccessKey };
  const args = [DEMO, '--endpoint', endpoint, '--bucket', bucket, '--prefix', 'demo/'];
  check((await run(process.execPath, args, { env })).stdout, 1);
  check((await run(process.execPath, args, { env })).stdout, 2);
});
