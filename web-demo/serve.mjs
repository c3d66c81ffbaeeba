#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
//
// The browser demo's static server: serves web-demo/ and the wasm package (wasm/js,
// wasm/dist) from this checkout on 127.0.0.1, with the MIME types ES modules and wasm
// need. Build the module first (scripts/build-wasm.sh), then:
//
//   node web-demo/serve.mjs [--port 8080] [--host 127.0.0.1] [--s3-local]
//
// and open the printed URL. Ctrl-C stops it. With --s3-local it also starts a local S3
// server (moto, see s3_local.mjs) with a CORS-enabled bucket and prints a second URL that
// opens the demo with the S3 form filled in. Tests import startServer() instead.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// URL prefixes served, each from the same path under ROOT. Nothing else is reachable.
const SERVED = ['/web-demo/', '/wasm/js/', '/wasm/dist/', '/wasm/tests/store_conformance_cases.mjs',
                '/tests/interop/js_dump.mjs'];  // the interop tests' reader, for a page
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

async function handle(req, res) {
  const url = new URL(req.url, 'http://localhost');
  let pathname;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    res.writeHead(400).end('bad path');
    return;
  }
  if (pathname === '/' || pathname === '/web-demo') {
    res.writeHead(302, { location: '/web-demo/' }).end();
    return;
  }
  if (pathname.endsWith('/')) pathname += 'index.html';
  const normal = path.posix.normalize(pathname);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405).end('method not allowed');
    return;
  }
  if (normal !== pathname || !SERVED.some((p) => normal.startsWith(p) || normal === p)) {
    res.writeHead(404).end('not found');
    return;
  }
  const file = path.join(ROOT, normal);
  let info;
  try {
    info = await stat(file);
  } catch {
    info = null;
  }
  if (!info || !info.isFile()) {
    res.writeHead(404).end('not found');
    return;
  }
  res.writeHead(200, {
    'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    'cache-control': 'no-store',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}

/** Starts the server; resolves with {url, close()}. Port 0 picks a free port. */
export function startServer({ port = 8080, host = '127.0.0.1' } = {}) {
  return new Promise((resolve, reject) => {
    const server = http.createServer((req, res) => {
      handle(req, res).catch(() => { if (!res.headersSent) res.writeHead(500); res.end(); });
    });
    server.once('error', reject);
    server.listen(port, host, () => {
      const addr = server.address();
      resolve({
        url: `http://${host}:${addr.port}/web-demo/`,
        port: addr.port,
        close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
      });
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
  };
  const port = Number(opt('--port', process.env.PORT ?? 8080));
  const host = opt('--host', '127.0.0.1');
  const s = await startServer({ port, host });
  console.log(`SlateDB browser demo: ${s.url}  (Ctrl-C to stop)`);
  let s3 = null;
  if (args.includes('--s3-local')) {
    const { S3_CREDS, startLocalS3 } = await import('./s3_local.mjs');
    s3 = await startLocalS3();
    const q = new URLSearchParams({ store: 's3', endpoint: s3.endpoint, bucket: s3.bucket, prefix: 'demo/', ...S3_CREDS });
    console.log(`local S3 (moto) at ${s3.endpoint}, bucket ${s3.bucket}: ${s.url}?${q}`);
  }
  const stop = async () => { await s3?.close(); await s.close(); process.exit(0); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
