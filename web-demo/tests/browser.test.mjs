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

import { createBucket } from '../s3_signed_request.mjs';
import { skipUnlessPresent } from '../../wasm/tests/prerequisite.mjs';
import {
  ARTIFACTS, S3_CREDS, browserSkipReason, setupBucket, startBrowser, startHeadCorsProxy,
} from './harness.mjs';

const skip = skipUnlessPresent(browserSkipReason());
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
       { skip: skipUnlessPresent(motoEndpoint ? '' : 'SLATEDB_S3_TEST_ENDPOINT is not set') },
       () => conformance('s3', { endpoint, bucket, ...S3_CREDS }));

  test('ObjectStore conformance: CachedStore with its parts in OPFS', () => conformance('cached-opfs'));
  test('ObjectStore conformance: CachedStore with its parts in IndexedDB (the fallback)',
       () => conformance('cached-indexeddb'));

  for (const backend of ['opfs', 'indexeddb']) {
    test(`the persistent cache (${backend}) survives a reload; damaged parts are refetched`, async () => {
      const page = await env.newPage();
      const folder = `reload-${backend}-${Date.now()}`;
      const run = (step) => page.evaluate(async ([st, b, f]) =>
        (await import('/web-demo/tests/browser_runner.mjs')).cacheAcrossReload(st, b, f), [step, backend, folder]);
      const first = await run('fill');
      assert.equal(first.ok, true);
      assert.equal(first.backend, backend);
      assert.ok(first.requests >= 1 && first.entries === 5, JSON.stringify(first));
      await page.reload();
      const second = await run('read');
      assert.deepEqual(second, { ...second, ok: true, requests: 0, entries: 5, corrupt: 0 });
      await page.reload();
      const third = await run('damage');
      assert.equal(third.ok, true);
      assert.equal(third.corrupt, 5, JSON.stringify(third));
      assert.ok(third.requests >= 1, JSON.stringify(third));
      assert.deepEqual(page.errors, []);
      await page.close();
    });
  }

  test('a second tab may not open a cache folder in use', async () => {
    const context = await env.newContext();
    const folder = `held-${Date.now()}`;
    const a = await env.newPage('', context);
    const b = await env.newPage('', context);
    const load = (p, fn) => p.evaluate(async ([name, f]) => (await import('/web-demo/tests/browser_runner.mjs'))[name](f), [fn, folder]);
    assert.equal(await load(a, 'holdCache'), 'opfs');
    assert.match(await load(b, 'tryOpenCache'), /^Invalid: cache folder held-\d+ is in use by another tab$/);
    await a.close();
    // Once the first tab is gone, the folder is free again: the browser releases the closed
    // tab's lock a moment after close() resolves, so this waits up to 10 s for it.
    let outcome;
    for (const deadline = Date.now() + 10_000; ;) {
      outcome = await load(b, 'tryOpenCache');
      if (outcome === 'opened' || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(outcome, 'opened');
    await context.close();
  });

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

  test('the demo cuts a long value (text or hex) and shows it whole on request', async () => {
    const page = await env.newPage('?store=memory&path=long-values');
    await page.click('#open');
    await page.waitForSelector('#put:not([disabled])');
    // A 20,000-byte value with a tab in it: not printable, so it is shown as hex (40,002
    // characters whole).
    const long = `\t${'x'.repeat(19999)}`;
    await page.fill('#key', 'big');
    await page.fill('#value', long);
    await page.click('#put');
    await page.waitForFunction(() => document.querySelector('#result').textContent.startsWith('put big = '));
    await page.click('#get');
    await page.waitForFunction(() => document.querySelector('#result').textContent.startsWith('big = 0x0978'));
    const cut = await page.textContent('#result .value-head');
    assert.ok(cut.length <= 170, `shown: ${cut.length} characters`);
    assert.match(await page.textContent('#result'), /\(20,000 bytes\) show all/);
    assert.ok(await page.evaluate(() => document.documentElement.scrollHeight) < 3000, 'the page stays short');
    await page.click('#result .show-all');
    const whole = await page.$eval('#result .full-value', (e) => ({
      text: e.textContent.length, visible: !e.hidden, height: e.getBoundingClientRect().height,
    }));
    assert.deepEqual([whole.text, whole.visible], [2 + 2 * 20000, true]);
    assert.ok(whole.height < 400, `the whole value scrolls in a box (${whole.height}px)`);
    assert.ok(await page.evaluate(() => document.documentElement.scrollHeight) < 3000);
    await page.click('#result .show-all');  // and hides again
    assert.equal(await page.$eval('#result .full-value', (e) => e.hidden), true);

    // In the scan table the key column stays in view next to a long value.
    await page.fill('#key', 'short');
    await page.fill('#value', 'v');
    await page.click('#put');
    await page.waitForFunction(() => document.querySelector('#result').textContent.startsWith('put short'));
    await page.click('#scan');
    await page.waitForFunction(() => document.querySelector('#result').textContent === 'scan: 2 row(s)');
    const cells = await page.$$eval('#scan-results tbody tr', (trs) => trs.map((tr) => {
      const r = tr.cells[0].getBoundingClientRect();
      return [tr.cells[0].innerText, r.left >= 0 && r.right <= window.innerWidth, tr.cells[1].innerText.length];
    }));
    assert.equal(cells[0][0], 'big');
    assert.equal(cells[0][1], true, 'key cell on screen');
    assert.ok(cells[0][2] < 250, `value cell shows ${cells[0][2]} characters`);
    assert.deepEqual(cells[1], ['short', true, 1]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'demo-long-value.png'), fullPage: true });
    await page.click('#close');
    await page.waitForFunction(() => document.querySelector('#result').textContent === 'closed');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('the demo: wipe only while no database is open; a second tab fences the first, visibly', async () => {
    const context = await env.newContext();
    const path1 = `fence-${Date.now()}`;
    const a = await env.newPage(`?store=indexeddb&path=${path1}`, context);
    assert.equal(await a.isDisabled('#wipe'), false);
    await a.click('#open');
    await a.waitForSelector('#put:not([disabled])');
    assert.equal(await a.isDisabled('#wipe'), true, 'wipe is disabled while the store is open');
    await a.fill('#key', 'from-a');
    await a.fill('#value', '1');
    await a.click('#put');
    await a.waitForFunction(() => document.querySelector('#result').textContent.startsWith('put from-a'));

    const b = await env.newPage(`?store=indexeddb&path=${path1}`, context);
    await b.click('#open');
    await b.waitForSelector('#put:not([disabled])');
    // Tab A shows that it was fenced: banner, operations off, Close on, the LSM view stale.
    await a.waitForSelector('body[data-db-state="stopped"]', { timeout: 10000 });
    assert.match(await a.textContent('#stopped-banner'), /^Fenced: another tab opened “fence-\d+” as its writer/);
    assert.equal(await a.isVisible('#stopped-banner'), true);
    for (const id of ['#put', '#get', '#scan', '#fill', '#flush-wal', '#wipe', '#open']) {
      assert.equal(await a.isDisabled(id), true, id);
    }
    assert.equal(await a.isDisabled('#close'), false);
    assert.equal(await a.$eval('#lsm-panel', (e) => e.classList.contains('stale')), true);
    assert.match(await a.textContent('#status'), /fenced/);
    await a.screenshot({ path: path.join(ARTIFACTS, 'demo-fenced.png'), fullPage: true });
    // Close succeeds and says why the tab had stopped.
    await a.click('#close');
    await a.waitForFunction(() => /^closed \(this tab had been fenced by another writer\)$/.test(document.querySelector('#result').textContent));
    assert.equal(await a.isVisible('#stopped-banner'), false);
    assert.equal(await a.isDisabled('#open'), false);

    // Tab B is the writer and sees A's write.
    await b.fill('#key', 'from-a');
    await b.click('#get');
    await b.waitForFunction(() => document.querySelector('#result').textContent === 'from-a = 1');
    // B still has the store open, so A's wipe waits for it and says so; closing B lets it finish.
    await a.click('#wipe');
    await a.waitForFunction(() => /^wipe waits: the IndexedDB store is open in another tab/.test(document.querySelector('#result').textContent));
    await b.click('#close');
    await b.waitForFunction(() => document.querySelector('#result').textContent === 'closed');
    await a.waitForFunction(() => document.querySelector('#result').textContent === 'IndexedDB store deleted');
    assert.match(await a.textContent('#status'), /^wipe: \d+\.\d ms$/);
    assert.deepEqual([...a.errors, ...b.errors], []);
    await context.close();
  });

  test('the demo on S3 (moto) through the page\'s fetch', { skip: skipUnlessPresent(motoEndpoint ? '' : 'SLATEDB_S3_TEST_ENDPOINT is not set') }, async () => {
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
    // The open made the conditional-write probe (its second PUT is a 412 on purpose), and
    // the request log marks it as expected.
    const statuses = await page.$$eval('#req-log tbody tr', (trs) => trs.map((tr) => [tr.cells[3].textContent, tr.cells[3].className]));
    assert.ok(statuses.some(([t, c]) => t === '412 exists (expected)' && c === 'expected'), JSON.stringify(statuses));
    await page.click('#close');
    await page.waitForFunction(() => document.querySelector('#result').textContent === 'closed');

    // Reopened in the same profile, the store is not probed again: no 412, so no red line
    // for it in the console.
    const before = { console: page.consoleErrors.length, puts412: statuses.filter(([t]) => t.startsWith('412')).length };
    await page.click('#open');
    await page.waitForSelector('#put:not([disabled])', { timeout: 30000 });
    await page.click('#get');
    await page.waitForFunction(() => document.querySelector('#result').textContent === 'pear = green');
    const after = await page.$$eval('#req-log tbody tr', (trs) => trs.map((tr) => tr.cells[3].textContent));
    assert.equal(after.filter((t) => t.startsWith('412')).length, before.puts412, 'no new 412 on the second open');
    const newConsoleErrors = page.consoleErrors.slice(before.console);
    assert.deepEqual(newConsoleErrors.filter((m) => /412/.test(m)), []);
    await page.click('#close');
    await page.waitForFunction(() => document.querySelector('#result').textContent === 'closed');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('the demo with the persistent SST cache: after a reload, SST reads show as cache hits', async () => {
    const context = await env.newContext();
    const dbPath = `cached-${Date.now()}`;
    const url = `?store=indexeddb&path=${dbPath}&cache=1`;
    const page = await env.newPage(url, context);
    assert.equal(await page.isChecked('#disk-cache'), true);
    await page.click('#open');
    await page.waitForSelector('#put:not([disabled])');
    await page.fill('#key', 'plum');
    await page.fill('#value', 'purple');
    await page.click('#put');
    await page.waitForFunction(() => document.querySelector('#result').textContent.startsWith('put plum = purple'));
    await page.click('#flush-memtable');
    await page.waitForFunction(() => document.querySelector('#result').textContent === 'memtable flushed to L0');
    await page.click('#get');  // read from the L0 SST: a miss that fills the cache
    await page.waitForFunction(() => document.querySelector('#result').textContent === 'plum = purple');
    await page.click('#close');
    await page.waitForFunction(() => document.querySelector('#result').textContent === 'closed');

    await page.reload();
    assert.equal(await page.isChecked('#disk-cache'), true);
    await page.click('#open');
    await page.waitForSelector('#put:not([disabled])');
    assert.match(await page.textContent('#result'), /with the persistent SST cache \((opfs|indexeddb), [1-9]\d* parts cached\)/);
    await page.fill('#key', 'plum');
    await page.click('#get');
    await page.waitForFunction(() => document.querySelector('#result').textContent === 'plum = purple');
    await page.waitForFunction(() => [...document.querySelectorAll('#req-log tbody tr.cache-hit')].length >= 1);
    const hits = await page.$$eval('#req-log tbody tr.cache-hit', (trs) => trs.map((tr) => [tr.cells[1].textContent, tr.cells[2].textContent, tr.cells[3].textContent]));
    assert.ok(hits.every(([op, key, st]) => op === 'cache hit' && key.endsWith('.sst') && st === 'no request'), JSON.stringify(hits));
    // No request read an SST's bytes after the reload: every SST read was a hit.
    const reads = await page.$$eval('#req-log tbody tr:not(.cache-hit)', (trs) => trs.map((tr) => [tr.cells[1].textContent, tr.cells[2].textContent]));
    assert.deepEqual(reads.filter(([op, key]) => op.startsWith('get') && key.includes('/compacted/')), []);
    const counts = await page.$$eval('#req-counts tbody tr', (trs) => Object.fromEntries(
      trs.map((tr) => [tr.cells[0].textContent, Number(tr.cells[1].textContent)])));
    assert.equal(counts.total, Object.entries(counts).filter(([k]) => k !== 'total' && k !== 'cache hit').reduce((a, [, n]) => a + n, 0));
    await page.screenshot({ path: path.join(ARTIFACTS, 'demo-cache-hits.png'), fullPage: true });
    await page.click('#close');
    await page.waitForFunction(() => document.querySelector('#result').textContent === 'closed');
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('S3 in the page: a fetch blocked by CORS says so', { skip: skipUnlessPresent(motoEndpoint ? '' : 'SLATEDB_S3_TEST_ENDPOINT is not set') }, async () => {
    const page = await env.newPage();
    // The verifying front end itself answers no preflight with CORS headers for this bucket
    // (it has no CORS rules), so the browser refuses the cross-origin requests.
    const bare = `cors-none-${process.pid}`;
    await createBucket(motoEndpoint, bare);
    const message = await page.evaluate(async (opts) => {
      const { S3Store } = await import('/wasm/js/slatedb.mjs');
      try {
        await S3Store.open(opts);
        return 'opened';
      } catch (e) {
        return `${e.name}: ${e.message}`;
      }
    }, { endpoint: motoEndpoint, bucket: bare, ...S3_CREDS });
    assert.match(message, /^UnavailableError: /);
    assert.match(message, /Failed to fetch/);
    assert.match(message, /blocked this cross-origin request from http:\/\/127\.0\.0\.1:\d+ to http:\/\/127\.0\.0\.1:\d+/);
    assert.match(message, /CORS rules must allow origin/);
    assert.match(message, /expose ETag and x-amz-meta-slatedb-put-id/);
    await page.close();
  });
});
