#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
//
// Our browser reader in the interop tests: a page in headless Chromium (Debian's chromium
// through playwright-core, as in web-demo/tests) imports js_dump.mjs and reads a database on
// the local S3 server over the page's fetch().
//
//   node browser_dump.mjs REQUEST.json
//
// REQUEST is {"store": {"kind": "s3", "bucket", "prefix"}, "path", "keys", "checkpoint"}; the
// endpoint is AWS_ENDPOINT_URL (moto). Gives the bucket the CORS rules a page needs and puts
// the HEAD-header proxy of web-demo/s3_local.mjs in front of moto. Prints what node_dump.mjs
// prints, plus "page_errors".
import { readFile } from 'node:fs/promises';

import { S3_CREDS, setupBucket, startBrowser, startHeadCorsProxy } from '../../web-demo/tests/harness.mjs';

async function main() {
  const req = JSON.parse(await readFile(process.argv[2], 'utf8'));
  const endpoint = process.env.AWS_ENDPOINT_URL;
  if (req.store.kind !== 's3' || !endpoint) throw new Error('the browser reads S3 only (AWS_ENDPOINT_URL)');
  await setupBucket(endpoint, req.store.bucket);
  const proxy = await startHeadCorsProxy(endpoint);
  const env = await startBrowser();
  try {
    const page = await env.newPage();
    const out = await page.evaluate(async ({ s3, path, keys, checkpoint }) => {
      const m = await import('/tests/interop/js_dump.mjs');
      try {
        return { ok: true, ...(await m.dumpS3(s3, path, keys, checkpoint)) };
      } catch (e) {
        const kind = e?.kind ? e.kind[0].toUpperCase() + e.kind.slice(1) : 'JavaScript';
        return { ok: false, kind, message: `${e?.name}: ${e?.message}` };
      }
    }, {
      s3: { endpoint: proxy.url, bucket: req.store.bucket, prefix: req.store.prefix ?? '', ...S3_CREDS },
      path: req.path, keys: req.keys ?? [], checkpoint: req.checkpoint ?? null,
    });
    out.page_errors = page.errors;
    await page.close();
    return out;
  } finally {
    await env.close();
    await proxy.close();
  }
}

try {
  const out = await main();
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exitCode = out.ok ? 0 : 1;
} catch (e) {
  process.stdout.write(JSON.stringify({ ok: false, kind: 'JavaScript', message: `${e?.name}: ${e?.message}` }) + '\n');
  process.exitCode = 1;
}
