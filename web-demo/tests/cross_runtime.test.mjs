// SPDX-License-Identifier: Apache-2.0
//
// One database, three runtimes: the native build (the Python package) writes it to the
// local S3 server; the wasm build reads it with read-only SlateDBReaders in Node (S3Store over
// Node's fetch) and in headless Chromium (over the page's fetch, with CORS), and all three see
// exactly the same rows. Finally wasm opens it as the writer and the native build reads
// wasm's write back. Needs SLATEDB_S3_TEST_ENDPOINT (scripts/s3-test-server.sh) and a Python with the
// slatedb package (SLATEDB_PYTHON, default <repo>/.venv/bin/python, made by
// scripts/test-python.sh).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import { S3Store, SlateDB, SlateDBReader } from '../../wasm/js/slatedb.mjs';
import {
  ROOT, S3_CREDS, browserSkipReason, setupBucket, startBrowser, startHeadCorsProxy,
} from './harness.mjs';
import { skipUnlessPresent } from '../../wasm/tests/prerequisite.mjs';

const run = promisify(execFile);
const endpoint = process.env.SLATEDB_S3_TEST_ENDPOINT;
const python = process.env.SLATEDB_PYTHON ?? path.join(ROOT, '.venv', 'bin', 'python');
const skip = skipUnlessPresent(!endpoint ? 'SLATEDB_S3_TEST_ENDPOINT is not set'
  : !existsSync(python) ? `no Python with the slatedb package at ${python} (scripts/test-python.sh)`
  : browserSkipReason());
const bucket = `cross-runtime-${process.pid}`;
const hex = (u8) => Buffer.from(u8).toString('hex');

describe('cross-runtime: native writes to S3, wasm reads in Node and Chromium', { skip }, () => {
  let nativeRows;
  let env;
  let proxy;

  const native = async (...extra) => {
    const { stdout } = await run(python, [path.join(ROOT, 'web-demo', 'tests', 'native_writer.py'),
                                          `s3://${bucket}/shared`, 'db', ...extra], {
      env: { ...process.env, AWS_ENDPOINT_URL: endpoint, AWS_ALLOW_HTTP: 'true',
             AWS_ACCESS_KEY_ID: S3_CREDS.accessKeyId, AWS_SECRET_ACCESS_KEY: S3_CREDS.secretAccessKey,
             AWS_REGION: S3_CREDS.region },
      maxBuffer: 64 << 20,
    });
    return JSON.parse(stdout);
  };

  before(async () => {
    await setupBucket(endpoint, bucket);
    nativeRows = await native();
  });
  after(async () => {
    await env?.close();
    await proxy?.close();
  });

  test('the native writer produced the expected shape', () => {
    const keys = nativeRows.map(([k]) => Buffer.from(k, 'hex').toString('latin1'));
    assert.ok(nativeRows.length > 250);
    assert.ok(keys.includes('batch/a') && keys.includes('unflushed'));
    assert.ok(!keys.includes('user/0007') && !keys.includes('user/0001'));
  });

  test('wasm in Node reads exactly the rows the native build reads', async () => {
    const store = await S3Store.open({ endpoint, bucket, prefix: 'shared', ...S3_CREDS });
    const db = await SlateDBReader.open({ store, path: 'db' });
    const rows = [];
    for await (const [k, v] of db.scan()) rows.push([hex(k), hex(v)]);
    // Point reads agree with the scan, including UTF-8 and binary keys.
    for (const [k, v] of rows.filter((_, i) => i % 17 === 0)) {
      assert.equal(hex(await db.get(Buffer.from(k, 'hex'))), v);
    }
    assert.equal(await db.get('user/0007'), undefined);
    assert.equal(new TextDecoder().decode(await db.get('ключ/ü/€')), 'значение ✓');
    await db.close();
    store.close();
    assert.deepEqual(rows, nativeRows);
  });

  test('wasm in Chromium reads exactly the rows the native build reads', async () => {
    env = await startBrowser();
    proxy = await startHeadCorsProxy(endpoint);
    const page = await env.newPage();
    const rows = await page.evaluate(async (opts) =>
      (await import('/web-demo/tests/browser_runner.mjs')).readAll(opts, 'db'),
    { endpoint: proxy.url, bucket, prefix: 'shared', ...S3_CREDS });
    assert.deepEqual(page.errors, []);
    await page.close();
    assert.deepEqual(rows, nativeRows);
  });

  test('the other way: wasm writes as the writer, the native build reads it', async () => {
    const store = await S3Store.open({ endpoint, bucket, prefix: 'shared', ...S3_CREDS });
    const db = await SlateDB.open({ store, path: 'db' });
    await db.put('from-wasm', new Uint8Array([0, 1, 2, 255]));
    await db.close();
    store.close();
    assert.equal(await native('--get', 'from-wasm'), '000102ff');
    assert.equal(await native('--get', 'user/0007'), null);
  });
});
