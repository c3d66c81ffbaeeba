// SPDX-License-Identifier: Apache-2.0
//
// Signed S3 requests from Node for test and demo setup (CreateBucket, PutBucketCors,
// PutBucketPolicy): the local test server checks every signature (scripts/s3-test-server.sh),
// as real servers do. A small SigV4 signer over node:crypto, kept apart from the library's
// (platform/s3/sigv4.cc) on purpose: setup must not depend on the code under test.
import { createHash, createHmac } from 'node:crypto';

/** The key pair the local test server accepts (scripts/s3-test-server.sh exports it). */
export const TEST_S3_CREDS = Object.freeze({
  accessKeyId: process.env.SLATEDB_S3_TEST_ACCESS_KEY_ID ?? 'testing',
  secretAccessKey: process.env.SLATEDB_S3_TEST_SECRET_ACCESS_KEY ?? 'testing',
  region: 'us-east-1',
});

const sha256 = (data) => createHash('sha256').update(data ?? '').digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();
// RFC 3986 percent-encoding, as SigV4 wants for query names and values.
const encode = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Sends `method` to `${endpoint}${path}` (path already percent-encoded, e.g. "/bucket"),
 * with an optional query string ("cors", "policy", "list-type=2"), body and headers,
 * signed with SigV4 for service s3. Resolves with the fetch Response.
 */
export async function signedS3Request(endpoint, method, path, options = {}) {
  const { query = '', body, headers = {}, creds = TEST_S3_CREDS } = options;
  const url = new URL(`${endpoint.replace(/\/+$/, '')}${path}${query ? `?${query}` : ''}`);
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const date = amzDate.slice(0, 8);
  const signedHeaders = {
    host: url.host,  // as fetch sends it: no default port
    'x-amz-date': amzDate,
    'x-amz-content-sha256': sha256(body),
  };
  for (const [name, value] of Object.entries(headers)) signedHeaders[name.toLowerCase()] = String(value);
  const names = Object.keys(signedHeaders).sort();
  const canonicalQuery = [...url.searchParams]
    .map(([k, v]) => [encode(k), encode(v)])
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`).join('&');
  const canonicalRequest = [
    method, url.pathname, canonicalQuery,
    names.map((n) => `${n}:${signedHeaders[n].trim().replace(/\s+/g, ' ')}\n`).join(''),
    names.join(';'), signedHeaders['x-amz-content-sha256'],
  ].join('\n');
  const scope = `${date}/${creds.region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  let key = hmac(`AWS4${creds.secretAccessKey}`, date);
  for (const part of [creds.region, 's3', 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  const sent = { ...signedHeaders };
  delete sent.host;
  sent.authorization = `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, ` +
    `SignedHeaders=${names.join(';')}, Signature=${signature}`;
  return fetch(url, { method, body, headers: sent });
}

/** Creates `bucket` with a signed request; an existing bucket (409) is fine. */
export async function createBucket(endpoint, bucket, creds = TEST_S3_CREDS) {
  const r = await signedS3Request(endpoint, 'PUT', `/${bucket}`, { creds });
  if (!r.ok && r.status !== 409) throw new Error(`CreateBucket ${bucket}: HTTP ${r.status} ${await r.text()}`);
}
