// SPDX-License-Identifier: Apache-2.0
//
// The package in headless Chromium: the ObjectStore conformance cases against the in-page
// stores (memory, IndexedDB and, with a local S3 server, S3 over fetch with CORS), a
// database persisted in IndexedDB across a reopen, and the browser demo driven like a
// person would (open, type, click, read), with a screenshot saved under
// build/browser-artifacts/.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  ARTIFACTS, S3_CREDS, browserSkipReason, setupBucket, startBrowser, startHeadCorsProxy,
} from './harness.mjs';

const skip = browserSkipReason();
const motoEndpoint = process.env.SLATEDB_S3_TEST_ENDPOINT;
const bucket = `browser-test-${process.pid}`;
let env;
let proxy;
let endpoint;  // what the page talks to: moto through startHeadCorsProxy

describe('in headless Chromium', { skip }, () => {
  before(async () => {
    env = await startBrowser();
    if (motoEndpoint) {
      await setupBucket(motoEndpoint, bucket);
      proxy = await startHeadCorsProxy(motoEndpoint);
      endpoint = proxy.url;
    }
  });
  after(async () => {
    await env?.close();
    await proxy?.close();
  });

  async function conformance(kind, options) {
    const page = await env.newPage();
    const results = await page.evaluate(async ([k, o]) =>
      (await import('/web-demo/tests/browser_runner.mjs')).runConformance(k, o), [kind, options]);
    await page.close();
    const failed = results.filter((r) => !r.ok);
    assert.deepEqual(failed, [], `${kind}: ${failed.length} of ${results.length} cases failed`);
    assert.ok(results.length >= 15);
    return results;
  }

  test('ObjectStore conformance: MemoryStore in the browser', () => conformance('memory'));
  test('ObjectStore conformance: IndexedDbStore', () => conformance('indexeddb'));
  test('ObjectStore conformance: S3Store over the browser\'s fetch (CORS)',
       { skip: motoEndpoint ? false : 'SLATEDB_S3_TEST_ENDPOINT is not set' },
       () => conformance('s3', { endpoint, bucket, ...S3_CREDS }));

  test('a database in IndexedDB survives close and reopen', async () => {
    const page = await env.newPage();
    const r = await page.evaluate(async () =>
      (await import('/web-demo/tests/browser_runner.mjs')).indexedDbRoundTrip('roundtrip-test'));
    await page.close();
    assert.equal(r.count, 299);
    assert.equal(r.first, 'k000');
    assert.equal(r.has005, false);
    assert.equal(r.v7, 'v7');
    assert.ok(r.l0 + r.runs >= 1, 'the memtable was flushed to SSTs in IndexedDB');
  });

  test('transactions, snapshots, checkpoints and readers work in the page', async () => {
    const page = await env.newPage();
    const r = await page.evaluate(async () => (await import('/web-demo/tests/browser_runner.mjs')).apiTour());
    await page.close();
    assert.deepEqual(r, { conflict: 'TransactionError/transaction', snapA: 't1',
                          readerKeys: ['a=after snapshot'] });
  });

  test('the demo: open, put, get, fill, flush, scan; the LSM view and request log follow', async () => {
    const page = await env.newPage('?store=memory&path=ui-test&l0=16384');
    await page.click('#open');
    await page.waitForSelector('#put:not([disabled])');
    await page.fill('#key', 'apple');
    await page.fill('#value', 'red');
    await page.click('#put');
    await page.waitForFunction(() => document.querySelector('#result').textContent.startsWith('put apple = red'));
    await page.fill('#key', 'missing');
    await page.click('#get');
    await page.waitForFunction(() => document.querySelector('#result').textContent === 'missing: (not found)');
    await page.fill('#key', 'apple');
    await page.click('#get');
    await page.waitForFunction(() => document.querySelector('#result').textContent === 'apple = red');

    await page.fill('#fill-count', '2000');
    await page.click('#fill');
    await page.waitForFunction(() => /put 2000 random keys/.test(document.querySelector('#result').textContent),
                               null, { timeout: 60000 });
    await page.click('#flush-memtable');
    await page.waitForFunction(() => document.querySelector('#result').textContent === 'memtable flushed to L0');
    // 2000 x ~70 B over 16 KiB memtables: several L0 SSTs, so compaction makes a sorted run.
    await page.waitForFunction(() => document.querySelectorAll('#runs .sst').length >= 1, null, { timeout: 30000 });
    const manifest = await page.textContent('#manifest');
    assert.match(manifest, /manifest v\d+/);
    assert.ok(Number(/manifest v(\d+)/.exec(manifest)[1]) >= 3);

    await page.fill('#scan-start', 'apple');
    await page.fill('#scan-end', 'key-');
    await page.click('#scan');
    await page.waitForFunction(() => document.querySelector('#result').textContent.startsWith('scan:'));
    const rows = await page.$$eval('#scan-results tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert.deepEqual(rows, [['apple', 'red']]);

    await page.fill('#scan-start', '');
    await page.fill('#scan-end', '');
    await page.fill('#scan-limit', '5');
    await page.click('#scan');
    await page.waitForFunction(() => document.querySelector('#result').textContent === 'scan: 5 row(s)');

    await page.click('#checkpoint');
    await page.waitForFunction(() => /^checkpoint [0-9a-f-]{36} pins manifest v\d+/.test(document.querySelector('#result').textContent));
    await page.waitForFunction(() => /· 1 checkpoint\(s\)/.test(document.querySelector('#manifest').textContent));

    // The request log saw the WAL, SST and manifest uploads.
    await page.waitForFunction(() => document.querySelectorAll('#req-log tbody tr').length > 5);
    const log = await page.$$eval('#req-log tbody tr', (trs) => trs.map((tr) => tr.cells[2].textContent));
    assert.ok(log.some((k) => k.includes('/manifest/')));
    assert.ok(log.some((k) => k.endsWith('.sst')));
    const counts = await page.$$eval('#req-counts tbody tr', (trs) => Object.fromEntries(
      trs.map((tr) => [tr.cells[0].textContent, Number(tr.cells[1].textContent)])));
    assert.ok(counts.put >= 5, `puts: ${counts.put}`);
    assert.equal(counts.total, Object.entries(counts).filter(([k]) => k !== 'total').reduce((a, [, n]) => a + n, 0));

    await page.screenshot({ path: path.join(ARTIFACTS, 'demo-memory.png'), fullPage: true });
    await page.click('#close');
    await page.waitForFunction(() => document.querySelector('#result').textContent === 'closed');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('the demo on S3 (moto) through the page\'s fetch', { skip: motoEndpoint ? false : 'SLATEDB_S3_TEST_ENDPOINT is not set' }, async () => {
    const q = new URLSearchParams({ store: 's3', path: 'demo', endpoint, bucket, prefix: 'ui/', ...S3_CREDS });
    const page = await env.newPage(`?${q}`);
    await page.click('#open');
    await page.waitForSelector('#put:not([disabled])', { timeout: 30000 });
    await page.fill('#key', 'pear');
    await page.fill('#value', 'green');
    await page.click('#put');
    await page.waitForFunction(() => document.querySelector('#result').textContent.startsWith('put pear = green'));
    await page.click('#flush-memtable');
    await page.waitForFunction(() => document.querySelectorAll('#l0 .sst, #runs .sst').length >= 1);
    await page.click('#get');
    await page.waitForFunction(() => document.querySelector('#result').textContent === 'pear = green');
    const ops = await page.$$eval('#req-counts tbody tr', (trs) => trs.map((tr) => tr.cells[0].textContent));
    assert.ok(ops.includes('PUT') && ops.includes('GET (list)'), ops.join(','));
    await page.screenshot({ path: path.join(ARTIFACTS, 'demo-s3.png'), fullPage: true });
    await page.click('#close');
    await page.waitForFunction(() => document.querySelector('#result').textContent === 'closed');
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});
