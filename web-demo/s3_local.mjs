// SPDX-License-Identifier: Apache-2.0
//
// A local S3-compatible server for the browser demo and the browser tests: starts moto
// (from the project venv that scripts/s3-test-server.sh installs, build/s3-venv) on
// 127.0.0.1, creates a bucket with the CORS rules a page needs (docs/wasm.md), and puts a
// small proxy in front that adds the exposed headers moto leaves off HEAD responses.
// Setup requests are signed (s3_signed_request.mjs): the test server checks every signature.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { TEST_S3_CREDS, signedS3Request } from './s3_signed_request.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Credentials the tests use (the key pair scripts/s3-test-server.sh's server accepts). */
export const S3_CREDS = { ...TEST_S3_CREDS };

/**
 * Creates `bucket` on the local moto server with the CORS rules a page needs (docs/wasm.md)
 * and, because moto answers preflights for existing objects only when a bucket policy
 * allows them, a policy that allows everything. Test servers only. The requests are signed
 * with S3_CREDS.
 */
export async function setupBucket(endpoint, bucket) {
  const put = async (query, body, type) => {
    const headers = {};
    if (body !== undefined) {
      headers['content-type'] = type;
      headers['content-md5'] = createHash('md5').update(body).digest('base64');
    }
    const r = await signedS3Request(endpoint, 'PUT', `/${bucket}`, { query, body, headers });
    if (!r.ok && !(query === '' && r.status === 409)) {
      throw new Error(`PUT /${bucket}?${query}: HTTP ${r.status} ${await r.text()}`);
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
  await put('cors', cors, 'application/xml');
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*',
                  Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] }],
  });
  await put('policy', policy, 'application/json');
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

async function freePort() {
  const srv = net.createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

/**
 * Starts moto_server (SLATEDB_S3_VENV or build/s3-venv), a bucket with CORS rules, and the
 * HEAD proxy. Resolves with {endpoint (the proxy: what a page should use), bucket, close()}.
 */
export async function startLocalS3(bucket = 'slatedb-demo') {
  const venv = process.env.SLATEDB_S3_VENV ?? path.join(ROOT, 'build', 's3-venv');
  const moto = path.join(venv, 'bin', 'moto_server');
  if (!existsSync(moto)) {
    throw new Error(`no moto_server at ${moto}: run scripts/s3-test-server.sh true once to install it`);
  }
  const port = await freePort();
  const child = spawn(moto, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const motoUrl = `http://127.0.0.1:${port}`;
  const stop = () => { if (child.exitCode === null) child.kill('SIGTERM'); };
  try {
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode})`);
      try {
        await fetch(`${motoUrl}/`);
        break;
      } catch {
        if (i > 200) throw new Error('moto_server did not start');
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await setupBucket(motoUrl, bucket);
    const proxy = await startHeadCorsProxy(motoUrl);
    return {
      endpoint: proxy.url,
      bucket,
      async close() {
        await proxy.close();
        stop();
      },
    };
  } catch (e) {
    stop();
    throw e;
  }
}
