// SPDX-License-Identifier: Apache-2.0
//
// The S3 store over fetch() against a local S3-compatible server that checks every
// signature (moto behind botocore's SigV4 check): the ObjectStore conformance suite through
// S3Store, the engine on it, request observation, and errors with the right kinds and words.
// Needs SLATEDB_S3_TEST_ENDPOINT (scripts/s3-test-server.sh sets it); skipped without it.
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, test } from 'node:test';

import { InvalidError, S3Store, SlateDB, UnavailableError } from '../js/slatedb.mjs';
import { TEST_S3_CREDS, createBucket, signedS3Request } from '../../web-demo/s3_signed_request.mjs';
import { defineConformanceTests } from './store_conformance.mjs';
import { skipUnlessPresent } from './prerequisite.mjs';

const endpoint = process.env.SLATEDB_S3_TEST_ENDPOINT;
const port80 = process.env.SLATEDB_S3_TEST_PORT80_ENDPOINT;
const skip = skipUnlessPresent(
  endpoint ? '' : 'SLATEDB_S3_TEST_ENDPOINT is not set (run under scripts/s3-test-server.sh)');
const bucket = `wasm-test-${process.pid}`;
const creds = { ...TEST_S3_CREDS };

let bucketReady = null;
// The server checks signatures, so the bucket is created with a signed request.
function ensureBucket() {
  bucketReady ??= createBucket(endpoint, bucket);
  return bucketReady;
}

async function closedPort() {
  const srv = net.createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

let prefixCounter = 0;
async function freshStore(extra = {}) {
  await ensureBucket();
  return S3Store.open({ endpoint, bucket, prefix: `t${++prefixCounter}/`, ...creds, ...extra });
}

if (!skip) {
  defineConformanceTests('S3Store over fetch (moto)', () => freshStore({ checkConditionalWrites: false }));
}

describe('S3Store over fetch', { skip }, () => {
  test('opens with the conditional-write probe and reports requests to onRequest', async () => {
    const seen = [];
    const st = await freshStore({ onRequest: (r) => seen.push(r) });
    // The probe: create, create again (412), the put-id check of that 412, delete. The store
    // never retries: one request per step.
    assert.deepEqual(seen.map((r) => [r.method, r.status]),
                     [['PUT', 200], ['PUT', 412], ['HEAD', 200], ['DELETE', 204]]);
    seen.length = 0;
    await st.put('x', new Uint8Array(1000));
    const got = await st.get('x');
    assert.equal(got.length, 1000);
    assert.equal(seen.length, 2);
    assert.equal(seen[0].method, 'PUT');
    assert.equal(seen[0].sentBytes, 1000);
    assert.equal(seen[1].method, 'GET');
    assert.equal(seen[1].receivedBytes, 1000);
    assert.match(seen[1].url, new RegExp(`/${bucket}/t\\d+/x$`));
    st.close();
  });

  test('a database on S3: write, flush, reopen, read, scan', async () => {
    const store = await freshStore();
    let db = await SlateDB.open({ store, path: 'db', settings: { flushInterval: '10ms' } });
    for (let i = 0; i < 200; i++) {
      await db.put(`key${String(i).padStart(4, '0')}`, `value${i}`, { awaitDurable: i % 50 === 49 });
    }
    await db.flush('memtable');
    await db.delete('key0005');
    await db.close();
    db = await SlateDB.open({ store, path: 'db' });
    assert.equal(new TextDecoder().decode(await db.get('key0007')), 'value7');
    assert.equal(await db.get('key0005'), undefined);
    const keys = [];
    for await (const [k] of db.scan('key0000', 'key0010')) keys.push(new TextDecoder().decode(k));
    assert.deepEqual(keys, ['key0000', 'key0001', 'key0002', 'key0003', 'key0004', 'key0006',
                            'key0007', 'key0008', 'key0009']);
    const m = await db.metrics();
    assert.ok(m['object_store/get'] + m['object_store/get_range'] > 0);
    await db.close();
    const objects = await store.list('db/');
    assert.ok(objects.some((o) => o.key.startsWith('db/manifest/')), 'manifest objects listed');
    assert.ok(objects.some((o) => o.key.endsWith('.sst')), 'an SST was written');
    store.close();
  });

  test('many operations in flight at once', async () => {
    const store = await freshStore();
    const db = await SlateDB.open({ store, path: 'db', settings: { flushInterval: '5ms' } });
    await Promise.all(Array.from({ length: 64 }, (_, i) => db.put(`k${i}`, `v${i}`)));
    const vals = await Promise.all(Array.from({ length: 64 }, (_, i) => db.get(`k${i}`)));
    vals.forEach((v, i) => assert.equal(new TextDecoder().decode(v), `v${i}`));
    await db.close();
    store.close();
  });

  test('bad configuration is InvalidError; an unreachable endpoint is UnavailableError', async () => {
    await assert.rejects(S3Store.open({ endpoint }), InvalidError);
    await assert.rejects(S3Store.open({ endpoint, bucket: 'Bad_Bucket!', ...creds }), InvalidError);
    await assert.rejects(S3Store.open({ endpoint: 'ftp://x', bucket, ...creds }), InvalidError);
    await assert.rejects(S3Store.open({ bucket, endpoint, ...creds, timeoutMs: -1 }), InvalidError);
    // A closed port on 127.0.0.1: connection refused. Without the probe the store opens and
    // its calls fail Unavailable (naming the URL, never the credentials).
    const port = await closedPort();
    const st = await S3Store.open({ endpoint: `http://127.0.0.1:${port}`, bucket, ...creds,
                                    checkConditionalWrites: false });
    await assert.rejects(st.get('x'), (e) =>
      e.code === 'Unavailable' && e.message.includes(`127.0.0.1:${port}`) && !/testing/.test(e.message));
    // The database retries (here not at all), then reports Unavailable.
    await assert.rejects(SlateDB.open({ store: st, path: 'db', settings: { objectStoreMaxRetries: 0 } }),
                         UnavailableError);
    st.close();
  });

  test('a missing bucket fails the open naming the bucket', async () => {
    await assert.rejects(
      S3Store.open({ endpoint, bucket: 'no-such-bucket-here', ...creds }),
      (e) => e instanceof InvalidError && /NoSuchBucket/.test(e.message) &&
             /the bucket does not exist/.test(e.message) && !/rejected a create-if-absent/.test(e.message));
  });

  test('the server refuses unsigned requests; a wrong secret or key id is InvalidError naming it', async () => {
    await ensureBucket();
    const unsigned = await fetch(`${endpoint}/${bucket}?list-type=2`);
    assert.equal(unsigned.status, 403);
    assert.equal((await signedS3Request(endpoint, 'GET', `/${bucket}`, { query: 'list-type=2' })).status, 200);
    await assert.rejects(S3Store.open({ endpoint, bucket, ...creds, secretAccessKey: 'not-the-secret-x9' }),
      (e) => e instanceof InvalidError && /SignatureDoesNotMatch/.test(e.message) &&
             /AWS_SECRET_ACCESS_KEY/.test(e.message) && !e.message.includes('not-the-secret-x9') &&
             !/rejected a create-if-absent/.test(e.message));
    await assert.rejects(S3Store.open({ endpoint, bucket, ...creds, accessKeyId: 'AKIDUNKNOWN' }),
      (e) => e instanceof InvalidError && /AWS_ACCESS_KEY_ID/.test(e.message));
  });

  test('an unreachable endpoint fails the probe as UnavailableError, not as a store verdict', async () => {
    const port = await closedPort();
    await assert.rejects(S3Store.open({ endpoint: `http://127.0.0.1:${port}`, bucket, ...creds }),
      (e) => e instanceof UnavailableError && /checking conditional writes/.test(e.message) &&
             !/rejected a create-if-absent/.test(e.message));
  });

  test('an endpoint written with its default port (http://host:80) signs what fetch sends', {
    skip: skipUnlessPresent(
      port80 ? '' : 'SLATEDB_S3_TEST_PORT80_ENDPOINT is not set (scripts/s3-test-server.sh as root)'),
  }, async () => {
    await ensureBucket();
    assert.match(port80, /:80$/);
    const st = await S3Store.open({ endpoint: port80, bucket, prefix: `port80-${Date.now()}/`, ...creds });
    const key = 'odd key/=+%~é😀';
    await st.put(key, 'v');
    assert.equal(new TextDecoder().decode(await st.get(key)), 'v');
    assert.deepEqual((await st.list('')).map((o) => o.key), [key]);
    st.close();
  });
});
