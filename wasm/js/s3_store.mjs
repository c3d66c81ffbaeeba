// SPDX-License-Identifier: Apache-2.0
//
// S3Store: an S3-compatible object store (AWS S3, MinIO, R2, moto, ...) reached with fetch()
// from Node 20 or a browser. The S3 protocol itself (SigV4 signing, ListObjectsV2,
// conditional writes, retries, lost-response recovery) is the same C++ client the native
// build uses (platform/s3), compiled into the module; only the HTTP exchange is fetch().
//
//   const store = await S3Store.open({
//     endpoint: 'http://127.0.0.1:9000',   // omit for AWS (https://s3.<region>.amazonaws.com)
//     bucket: 'my-bucket', prefix: 'dbs/', region: 'us-east-1',
//     accessKeyId: '...', secretAccessKey: '...',
//   });
//   const db = await SlateDB.open({ store, path: 'db1' });
//
// The store implements the store protocol (memory_store.mjs), so it can also be used
// directly; SlateDB.open() talks to the C++ store without going through JS per request.
// In a browser the bucket needs CORS rules that allow the page's origin and expose ETag
// (docs/wasm.md).
import { NATIVE_STORE } from './args.mjs';
import { InvalidError } from './errors.mjs';
import { describeAs, quote } from './inspect.mjs';
import { loadModule } from './module.mjs';
import { nativeStoreProxy } from './store_proxy.mjs';

const encoder = new TextEncoder();

// Flag bits, as in s3_bindings.cc.
const VIRTUAL_HOSTED = 1;
const ALLOW_HTTP = 2;
const SIGN_PAYLOAD = 4;

function str(value, name, fallback = '') {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string') throw new InvalidError(`${name} must be a string`);
  if (value.includes('\0')) throw new InvalidError(`${name} must not contain NUL`);
  return value;
}

// A browser remembers, per endpoint and bucket, that the conditional-write probe passed, so
// later opens skip it: its second PUT is answered 412 on purpose, which DevTools lists as a
// red error line, and the verdict of a store does not change from one page load to the
// next. Where there is no localStorage (Node, workers, storage disabled) every open probes.
const PROBE_MEMO_MS = 24 * 60 * 60 * 1000;
function probeMemo() {
  try {
    return typeof localStorage === 'object' && localStorage ? localStorage : null;
  } catch {
    return null;  // storage disabled: reading the property throws
  }
}
function probeKey(endpoint, region, bucket) {
  return `slatedb:s3-conditional-writes:${endpoint || `aws:${region}`}/${bucket}`;
}
function probePassedRecently(key) {
  const memo = probeMemo();
  const at = Number(memo?.getItem(key));
  return at > 0 && Date.now() - at < PROBE_MEMO_MS;
}
function rememberProbe(key) {
  try { probeMemo()?.setItem(key, String(Date.now())); } catch { /* quota: probe next time */ }
}

function bool(value, name, fallback) {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw new InvalidError(`${name} must be a boolean`);
  return value;
}

export class S3Store {
  /**
   * Creates the store. Rejects with InvalidError on a bad configuration, and (unless
   * `checkConditionalWrites: false`) if the service does not honour If-None-Match: *,
   * which the engine's fencing relies on (that check makes four requests). A failure of the
   * check itself keeps its kind: UnavailableError when the endpoint cannot be reached (in a
   * browser, with a word on CORS), InvalidError naming the key, secret, clock or bucket.
   * @param {object} options
   * @param {string} options.bucket
   * @param {string} [options.prefix]  keys live under it ("" or "a/b/"; a missing "/" is added)
   * @param {string} [options.endpoint]  scheme://host[:port]; omit for AWS
   * @param {string} [options.region]  default "us-east-1"
   * @param {string} [options.accessKeyId]
   * @param {string} [options.secretAccessKey]
   * @param {string} [options.sessionToken]
   * @param {boolean} [options.virtualHostedStyle]  default: true for AWS, false with an endpoint
   * @param {boolean} [options.allowHttp]  default: true when the endpoint is http://
   * @param {boolean} [options.signPayload]  hash bodies into the signature (default true)
   * @param {number} [options.timeoutMs]  per request (default 60000); failed requests are
   *   retried by the database (settings object_store_max_retries, object_store_retry_deadline)
   * @param {boolean|'always'} [options.checkConditionalWrites]  default true: probe, except
   *        that a browser skips the probe for a day after it passed for this endpoint and
   *        bucket (remembered in localStorage); 'always': probe on every open
   * @param {(info: {method, url, status, sentBytes, receivedBytes, ms, error?}) => void} [options.onRequest]
   *        called after every HTTP exchange (for request logs)
   * @param {object} [options.module]  options for loadModule()
   */
  static async open(options = {}) {
    if (options == null || typeof options !== 'object') {
      throw new InvalidError('S3Store.open needs {bucket, ...}');
    }
    const bucket = str(options.bucket, 'bucket');
    if (!bucket) throw new InvalidError('S3Store: bucket is required');
    const endpoint = str(options.endpoint, 'endpoint').replace(/\/+$/, '');
    let prefix = str(options.prefix, 'prefix').replace(/^\/+/, '');
    if (prefix && !prefix.endsWith('/')) prefix += '/';
    const fields = [
      bucket, prefix, str(options.region, 'region', 'us-east-1'), endpoint,
      str(options.accessKeyId, 'accessKeyId'), str(options.secretAccessKey, 'secretAccessKey'),
      str(options.sessionToken, 'sessionToken'),
    ];
    let flags = 0;
    if (bool(options.virtualHostedStyle, 'virtualHostedStyle', !endpoint)) flags |= VIRTUAL_HOSTED;
    if (bool(options.allowHttp, 'allowHttp', endpoint.startsWith('http://'))) flags |= ALLOW_HTTP;
    if (bool(options.signPayload, 'signPayload', true)) flags |= SIGN_PAYLOAD;
    const checkOption = options.checkConditionalWrites;
    const always = checkOption === 'always';
    const check = always || bool(checkOption, 'checkConditionalWrites', true);
    const memoKey = probeKey(endpoint, fields[2], bucket);
    const probe = check && (always || !probePassedRecently(memoKey));
    const timeoutMs = options.timeoutMs ?? 0;
    for (const [name, v] of [['timeoutMs', options.timeoutMs]]) {
      if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) {
        throw new InvalidError(`${name} must be a non-negative integer`);
      }
    }
    if (options.onRequest != null && typeof options.onRequest !== 'function') {
      throw new InvalidError('onRequest must be a function');
    }

    const M = await loadModule(options.module);
    const rt = M.slatedbRt;
    const observer = options.onRequest ? rt.register(options.onRequest) : 0;
    const text = encoder.encode(fields.map((f) => f + '\0').join(''));  // NUL-terminated each
    const { id, promise } = rt.newCall((ptr, len, num) => num);
    try {
      rt.withBytes([text], (p, n) =>
        M._slatedb_store_new_s3(p, n, flags, timeoutMs, observer, probe ? 1 : 0, id));
    } catch (e) {
      rt.abandonCall(id, e);
    }
    const h = await promise;
    if (probe) rememberProbe(memoKey);
    const where = `s3://${bucket}/${prefix}${endpoint ? ` (${endpoint})` : ''}`;
    return new S3Store(nativeStoreProxy(M, h, where));
  }

  constructor(proxy) { this._p = proxy; }

  get(key) { return this._p.get(key); }
  getRange(key, offset, length) { return this._p.getRange(key, offset, length); }
  head(key) { return this._p.head(key); }
  put(key, data, options) { return this._p.put(key, data, options); }
  list(prefix, startAfter) { return this._p.list(prefix, startAfter); }
  delete(key) { return this._p.delete(key); }
  describe() { return this._p.describe(); }
  /** Releases this handle (databases opened on the store keep their own reference). */
  close() { this._p.free(); }
  [NATIVE_STORE](module) { return this._p[NATIVE_STORE](module); }
}

/** Shorthand for S3Store.open(options). */
export function s3Store(options) { return S3Store.open(options); }

describeAs(S3Store, function () { return `S3Store { ${quote(this.describe())} }`; });
