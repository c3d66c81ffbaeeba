// SPDX-License-Identifier: Apache-2.0
//
// Shared by the browser tests: the static server, headless Chromium through playwright-core
// (Debian's chromium; playwright cannot download browsers here), and S3 bucket setup on the
// local moto server, including the CORS rules a browser needs.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { startServer } from '../serve.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Where screenshots go (a build directory, never committed). */
export const ARTIFACTS = process.env.SLATEDB_BROWSER_ARTIFACTS ?? path.join(ROOT, 'build', 'browser-artifacts');

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const PLAYWRIGHT = path.join(ROOT, 'wasm', 'node_modules', 'playwright-core', 'index.mjs');

/** Why the browser tests cannot run here, or false. */
export function browserSkipReason() {
  if (!existsSync(PLAYWRIGHT)) return `playwright-core is not installed (npm ci in wasm/)`;
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
  if (!existsSync(path.join(ROOT, 'wasm', 'dist', 'slatedb_wasm.wasm'))) return 'the wasm module is not built (scripts/build-wasm.sh)';
  return false;
}

/**
 * Starts the static server and a headless Chromium. Resolves with {browser, server, newPage,
 * close}; newPage() collects page errors into page.errors.
 */
export async function startBrowser() {
  const { chromium } = await import(pathToFileURL(PLAYWRIGHT).href);
  const server = await startServer({ port: 0 });
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
             '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  } catch (e) {
    await server.close();
    throw e;
  }
  await mkdir(ARTIFACTS, { recursive: true });
  return {
    browser,
    server,
    async newPage(urlPath = '') {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      page.errors = [];
      page.on('pageerror', (e) => page.errors.push(e.message));
      await page.goto(new URL(urlPath, server.url).href);
      await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
      return page;
    },
    async close() {
      await browser.close().catch(() => {});
      await server.close();
    },
  };
}

/** Credentials the tests use with moto (which does not check them). */
export const S3_CREDS = { accessKeyId: 'testing', secretAccessKey: 'testing', region: 'us-east-1' };

/**
 * Creates `bucket` on the local moto server with the CORS rules a page needs (docs/wasm.md)
 * and, because moto answers preflights for existing objects only when a bucket policy
 * allows them, a policy that allows everything. Test servers only: moto accepts these
 * requests unsigned.
 */
export async function setupBucket(endpoint, bucket) {
  const put = async (query, body, type) => {
    const headers = {};
    if (body !== undefined) {
      headers['content-type'] = type;
      headers['content-md5'] = createHash('md5').update(body).digest('base64');
    }
    const r = await fetch(`${endpoint}/${bucket}${query}`, { method: 'PUT', body, headers });
    if (!r.ok && !(query === '' && r.status === 409)) {
      throw new Error(`PUT /${bucket}${query}: HTTP ${r.status} ${await r.text()}`);
    }
  };
  await put('');
  const headers = ['authorization', 'content-type', 'range', 'if-match', 'if-none-match',
                   'x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token',
                   'x-amz-meta-slatedb-put-id', 'x-amz-user-agent'];
  const cors = '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin>' +
    ['GET', 'PUT', 'HEAD', 'DELETE'].map((m) => `<AllowedMethod>${m}</AllowedMethod>`).join('') +
    headers.map((h) => `<AllowedHeader>${h}</AllowedHeader>`).join('') +
    '<ExposeHeader>ETag</ExposeHeader><ExposeHeader>x-amz-meta-slatedb-put-id</ExposeHeader>' +
    '<MaxAgeSeconds>600</MaxAgeSeconds></CORSRule></CORSConfiguration>';
  await put('?cors', cors, 'application/xml');
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*',
                  Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] }],
  });
  await put('?policy', policy, 'application/json');
}

/**
 * moto answers HEAD without Access-Control-Expose-Headers (GET, PUT and real S3 include it),
 * so a page cannot read a HEAD's ETag there. For the browser tests only, this proxy on
 * 127.0.0.1 passes every request to `endpoint` unchanged and adds the bucket's exposed
 * headers to HEAD responses that lack them. Resolves with {url, close()}.
 */
export function startHeadCorsProxy(endpoint) {
  const target = new URL(endpoint);
  const server = http.createServer((req, res) => {
    const up = http.request({
      host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers,
    }, (upRes) => {
      const headers = { ...upRes.headers };
      if (req.method === 'HEAD' && headers['access-control-allow-origin'] &&
          !headers['access-control-expose-headers']) {
        headers['access-control-expose-headers'] = 'ETag, x-amz-meta-slatedb-put-id';
      }
      res.writeHead(upRes.statusCode, headers);
      upRes.pipe(res);
    });
    up.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(up);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({
      url: `http://127.0.0.1:${server.address().port}`,
      close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
    }));
  });
}
