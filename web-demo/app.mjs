// SPDX-License-Identifier: Apache-2.0
//
// The browser demo: opens a SlateDB database on a store chosen by the person (in-memory,
// IndexedDB, or an S3-compatible endpoint over fetch), runs puts/gets/scans, and draws the
// LSM tree (db.state()) and the object-store requests live.
//
// URL parameters prefill the form (used by the browser tests): store, path, endpoint,
// bucket, prefix, region, accessKeyId, secretAccessKey, l0, cache (1: the persistent SST
// cache in OPFS, or IndexedDB where OPFS is missing; its hits show in the request log as
// "cache hit" rows, which made no request).
//
// The controls follow the database's state: closed (Open, Wipe), open (operations, Close),
// stopped (fenced by another writer, or a background error: only Close). Another tab that
// opens the same database as its writer fences this one; the tabs tell each other over a
// BroadcastChannel so the fenced tab shows it at once rather than at its next write.
import { IndexedDbStore } from '../wasm/js/indexeddb_store.mjs';
import { observeStore } from '../wasm/js/observed_store.mjs';
import { CachedStore, ClosedError, MemoryStore, S3Store, SlateDB, loadModule } from '../wasm/js/slatedb.mjs';

const $ = (id) => document.getElementById(id);
const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });
const IDB_NAME = 'slatedb-demo';
const CACHE_FOLDER = 'slatedb-demo-cache';

let db = null;
let store = null;        // the store object (closed on Close)
let refreshTimer = null;
let memoryStore = null;  // the tab's memory store survives close/reopen
let stopped = null;      // null, or why the open database no longer works ('fenced', ...)
let identity = null;     // which database this tab has open, as other tabs would name it
const TAB_ID = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
const tabs = typeof BroadcastChannel === 'function' ? new BroadcastChannel('slatedb-demo') : null;

// Values longer than this many characters are cut, with a button to see the whole value.
const SHOW_CHARS = 160;

// --- display helpers -------------------------------------------------------------------------

// Shows text and/or elements in the result box.
function show(content, isError = false) {
  const r = $('result');
  r.replaceChildren(...(Array.isArray(content) ? content : [content]));
  r.classList.toggle('error', isError);
}
function status(text, isError = false) {
  $('status').textContent = text;
  $('status').classList.toggle('error', isError);
}
// Bytes as text when they are printable UTF-8, else as hex.
function display(bytes) {
  try {
    const s = dec.decode(bytes);
    if (!/[\u0000-\u001f\u007f]/.test(s)) return s;
  } catch { /* not UTF-8 */ }
  return '0x' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
// At most `max` characters of display(bytes), with an ellipsis when cut.
function shortDisplay(bytes, max = 40) {
  const text = display(bytes.length > max ? bytes.subarray(0, max) : bytes);
  return text.length > max || bytes.length > max ? `${text.slice(0, max)}…` : text;
}
// A key or value for the page: short ones as text; long ones cut at SHOW_CHARS with their
// size and a button that shows the whole value in a scrolling box (and hides it again).
function bytesView(bytes) {
  const text = display(bytes);
  if (text.length <= SHOW_CHARS) return document.createTextNode(text);
  const wrap = el('span', { class: 'long-value' });
  const head = el('span', { class: 'value-head' }, `${text.slice(0, SHOW_CHARS)}…`);
  const size = el('span', { class: 'value-size' }, ` (${bytes.length.toLocaleString('en')} bytes) `);
  const button = el('button', { class: 'show-all', type: 'button' }, 'show all');
  const full = el('pre', { class: 'full-value', hidden: '' }, text);
  button.addEventListener('click', () => {
    full.hidden = !full.hidden;
    head.hidden = !full.hidden;
    button.textContent = full.hidden ? 'show all' : 'show less';
  });
  wrap.append(head, size, button, full);
  return wrap;
}
function fromHex(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}
function fmtBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}
function el(tag, attrs = {}, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

// --- request log -----------------------------------------------------------------------------

const requests = { log: [], counts: new Map(), seq: 0, dirty: true };
function recordRequest(op, key, statusText, sent, received, ms, cls = '') {
  requests.seq++;
  requests.log.unshift({ n: requests.seq, op, key, status: statusText, sent, received, ms, cls });
  if (requests.log.length > 200) requests.log.length = 200;
  const c = requests.counts.get(op) ?? { n: 0, sent: 0, received: 0 };
  c.n++; c.sent += sent; c.received += received;
  requests.counts.set(op, c);
  requests.dirty = true;
}
// From observeStore (memory, IndexedDB).
function onStoreRequest(r) {
  recordRequest(r.op, r.key, r.ok ? 'ok' : r.code, r.sentBytes, r.receivedBytes, r.ms);
}
// From S3Store: one HTTP exchange. 404 (an object that does not exist yet) and 412 (a
// conditional PUT that found the object: the open-time probe, or a writer losing a race)
// are answers the engine expects; DevTools still lists them in red.
function onHttpRequest(r) {
  const u = new URL(r.url);
  const op = r.method + (u.searchParams.has('list-type') ? ' (list)' : '');
  const key = decodeURIComponent(u.pathname) + (u.searchParams.get('prefix') ? `?prefix=${u.searchParams.get('prefix')}` : '');
  const expected = { 404: '404 absent (expected)', 412: '412 exists (expected)' }[r.status];
  const text = expected ?? (r.status ? String(r.status) : r.error ?? 'error');
  const cls = expected ? 'expected' : r.status >= 200 && r.status < 400 ? '' : 'failed';
  recordRequest(op, key, text, r.sentBytes, r.receivedBytes, r.ms, cls);
}
// From CachedStore: a read of an SST answered from the persistent cache made no request
// (the request rows of a miss come from the inner store as usual).
const CACHE_HIT = 'cache hit';
function onCacheEvent(e) {
  if (e.type === 'hit') {
    recordRequest(CACHE_HIT, e.key, 'no request', 0, e.fromCache, e.ms, 'cache-hit');
  } else if (e.type === 'corrupt') {
    recordRequest('cache', e.name, 'damaged part dropped', 0, 0, 0, 'failed');
  }
}
function renderRequests() {
  if (!requests.dirty) return;
  requests.dirty = false;
  const counts = $('req-counts').tBodies[0];
  counts.replaceChildren();
  let total = { n: 0, sent: 0, received: 0 };
  for (const [op, c] of [...requests.counts].sort()) {
    const tr = row([op, c.n, fmtBytes(c.sent), fmtBytes(c.received)]);
    if (op === CACHE_HIT) {
      tr.className = 'cache-hit';
      counts.append(tr);
      continue;  // not a request: kept out of the total
    }
    counts.append(tr);
    total = { n: total.n + c.n, sent: total.sent + c.sent, received: total.received + c.received };
  }
  counts.append(row(['total', total.n, fmtBytes(total.sent), fmtBytes(total.received)]));
  const log = $('req-log').tBodies[0];
  log.replaceChildren(...requests.log.slice(0, 40).map((r) => {
    const tr = row([r.n, r.op, r.key, r.status, r.sent ? fmtBytes(r.sent) : '', r.received ? fmtBytes(r.received) : '', r.ms]);
    if (r.cls) tr.cells[3].className = r.cls;
    if (r.cls === 'cache-hit') tr.className = 'cache-hit';
    return tr;
  }));
}
// A table row; cells are text or elements.
function row(cells) {
  const tr = el('tr');
  for (const c of cells) {
    const td = el('td');
    td.append(c instanceof Node ? c : String(c));
    tr.append(td);
  }
  return tr;
}

// --- LSM view --------------------------------------------------------------------------------

// The key axis is ordinal: every SST boundary key gets an evenly spaced position in key
// order, so ranges that differ only in late bytes (key-0001 vs key-9999 next to "apple")
// stay visible. Hex strings of keys compare like the keys' bytes.
function keyAxis(ssts) {
  const bounds = [...new Set(ssts.flatMap((x) => [x.first_key, x.last_key]))].sort();
  const index = new Map(bounds.map((k, i) => [k, i]));
  const span = Math.max(bounds.length - 1, 1);
  return { pos: (hex) => (index.get(hex) ?? 0) / span };
}
function sstTrack(ssts, cls, axis) {
  const track = el('div', { class: `track ${cls}` });
  for (const sst of ssts) {
    const a = axis.pos(sst.first_key);
    const b = axis.pos(sst.last_key);
    const first = shortDisplay(fromHex(sst.first_key));
    const last = shortDisplay(fromHex(sst.last_key));
    const box = el('div', {
      class: 'sst',
      title: `${sst.id}\n${first} … ${last}\n~${fmtBytes(sst.bytes)}`,
    }, `${first}…${last}`);
    box.style.left = `${(a * 100).toFixed(2)}%`;
    box.style.width = `${Math.max(0.5, (b - a) * 100).toFixed(2)}%`;
    track.append(box);
  }
  return track;
}
function renderState(s) {
  const m = s.manifest;
  $('manifest').textContent =
    `manifest v${m.id} · writer epoch ${m.writer_epoch} · compactor epoch ${m.compactor_epoch} · ` +
    `${m.checkpoints} checkpoint(s) · last seq ${s.last_seq} (durable ${s.durable_seq})`;
  const pct = Math.min(100, (100 * s.memtable.bytes) / s.memtable.limit_bytes);
  $('memtable-bar').style.width = `${pct.toFixed(1)}%`;
  $('memtable-text').textContent = `${fmtBytes(s.memtable.bytes)} of ${fmtBytes(s.memtable.limit_bytes)} · WAL buffer ${fmtBytes(s.wal.buffered_bytes)}`;
  $('imms').replaceChildren(...(s.immutable_memtables.length
    ? s.immutable_memtables.map((i) => el('span', { class: 'box' }, `${fmtBytes(i.bytes)} ≤ WAL ${i.wal_id}`))
    : [el('span', { class: 'empty' }, 'none')]));
  // WAL objects not yet covered by an L0 SST: ids after replay_after_wal_id.
  const wals = [];
  for (let id = m.replay_after_wal_id + 1; id <= s.wal.last_durable_id; id++) wals.push(id);
  const shown = wals.slice(-40);
  $('wal').replaceChildren(...(wals.length
    ? [...(wals.length > shown.length ? [el('span', { class: 'empty' }, `${wals.length - shown.length} more…`)] : []),
       ...shown.map((id) => el('span', { class: 'box wal' }, `#${id}`))]
    : [el('span', { class: 'empty' }, 'none (all in L0)')]));
  const axis = keyAxis([...m.l0, ...m.sorted_runs.flatMap((r) => r.ssts)]);
  $('l0').replaceChildren(...(m.l0.length
    ? m.l0.map((sst) => sstTrack([sst], 'l0', axis))
    : [el('span', { class: 'empty' }, 'none')]));
  $('runs').replaceChildren(...(m.sorted_runs.length
    ? m.sorted_runs.map((run) => {
      const wrap = el('div', { class: 'run' });
      wrap.append(el('div', { class: 'note' }, `run ${run.id}: ${run.ssts.length} SST(s), ~${fmtBytes(run.ssts.reduce((a, x) => a + x.bytes, 0))}`));
      wrap.append(sstTrack(run.ssts, 'run', axis));
      return wrap;
    })
    : [el('span', { class: 'empty' }, 'none (compaction starts at 4 L0 SSTs)')]));
}
async function refresh() {
  renderRequests();
  if (!db || stopped) return;
  try {
    await db.status();  // rejects once the engine knows it was fenced or failed
    renderState(await db.state());
  } catch (e) {
    if (!noteStopped(e)) status(`state: ${e.message}`, true);
  }
}

// --- actions ---------------------------------------------------------------------------------

const OPERATIONS = ['put', 'get', 'delete', 'fill', 'flush-wal', 'flush-memtable', 'checkpoint', 'scan'];
// state: 'closed' | 'open' | 'stopped' (fenced or failed: only Close works).
function setState(state) {
  for (const id of OPERATIONS) $(id).disabled = state !== 'open';
  $('close').disabled = state === 'closed';
  // The store's settings, and wiping it, only while no database is open in this tab (an
  // IndexedDB delete waits for open connections, so it would look like nothing happened).
  for (const id of ['open', 'store-kind', 'db-path', 'l0-size', 'disk-cache', 'wipe']) $(id).disabled = state !== 'closed';
  document.body.dataset.dbState = state;
  $('stopped-banner').hidden = state !== 'stopped';
  $('lsm-panel').classList.toggle('stale', state === 'stopped');
}

// The database stopped working under this tab: show it, and leave only Close. Returns
// whether `e` was such a stop.
function noteStopped(e, why) {
  if (!db || !(e instanceof ClosedError) || e.reason === 'clean') return false;
  if (stopped) return true;
  stopped = e.reason;
  const what = stopped === 'fenced'
    ? `Fenced: ${why ?? 'another writer'} opened “${db.path}” as its writer, so this tab can no longer write to it.`
    : `Stopped: a background error closed the database (${e.message}).`;
  $('stopped-text').textContent = `${what} The LSM view below is as of ${new Date().toLocaleTimeString()}. Close to release this tab's handle.`;
  status(stopped === 'fenced' ? 'fenced by another writer' : 'stopped by a background error', true);
  setState('stopped');
  return true;
}

// How another tab would name the database this tab opened (null: only this tab can see it).
function identityOf(kind, path) {
  if (kind === 'indexeddb') return `indexeddb:${IDB_NAME}/${path}`;
  if (kind === 's3') {
    return `s3:${$('s3-endpoint').value.trim()}/${$('s3-bucket').value.trim()}/${$('s3-prefix').value.trim()}/${path}`;
  }
  return null;
}
tabs?.addEventListener('message', (event) => {
  const m = event.data;
  if (m?.type === 'opened' && m.tab !== TAB_ID && identity && m.identity === identity) {
    noteStopped(new ClosedError('fenced by another tab', 'fenced'), 'another tab');
  }
});

// The store, wrapped in the persistent SST cache when the box is ticked.
async function makeStore(kind) {
  const base = await makeBaseStore(kind);
  if (!$('disk-cache').checked) return base;
  let cached;
  try {
    cached = await CachedStore.open(base.store, {
      rootFolder: CACHE_FOLDER, maxCacheSizeBytes: 64 * 1024 * 1024, partSizeBytes: 64 * 1024,
      onEvent: onCacheEvent,
    });
  } catch (e) {
    base.close();
    throw e;
  }
  return {
    store: cached,
    cache: cached,
    close() { cached.close(); base.close(); },
  };
}

async function makeBaseStore(kind) {
  if (kind === 'memory') {
    memoryStore ??= new MemoryStore();
    return { store: observeStore(memoryStore, onStoreRequest), close() {} };
  }
  if (kind === 'indexeddb') {
    const idb = await IndexedDbStore.open(IDB_NAME);
    return { store: observeStore(idb, onStoreRequest), close: () => idb.close() };
  }
  const s3 = await S3Store.open({
    endpoint: $('s3-endpoint').value.trim() || undefined,
    bucket: $('s3-bucket').value.trim(),
    prefix: $('s3-prefix').value.trim(),
    region: $('s3-region').value.trim() || 'us-east-1',
    accessKeyId: $('s3-key').value.trim(),
    secretAccessKey: $('s3-secret').value,
    onRequest: onHttpRequest,
  });
  return { store: s3, close: () => s3.close() };
}

async function run(what, fn) {
  try {
    const started = performance.now();
    const out = await fn();
    status(`${what}: ${(performance.now() - started).toFixed(1)} ms`);
    return out;
  } catch (e) {
    show(`${e.name}${e.kind ? ` (${e.kind})` : ''}: ${e.message}`, true);
    if (!noteStopped(e)) status(`${what} failed`, true);
    return undefined;
  } finally {
    refresh();
  }
}

const actions = {
  async open() {
    await run('open', async () => {
      const kind = $('store-kind').value;
      const path = $('db-path').value.trim();
      store = await makeStore(kind);
      try {
        db = await SlateDB.open({
          store: store.store,
          path,
          settings: { l0SstSizeBytes: Number($('l0-size').value), flushInterval: '100ms' },
        });
      } catch (e) {
        store.close();
        store = null;
        throw e;
      }
      stopped = null;
      identity = identityOf(kind, path);
      if (identity) tabs?.postMessage({ type: 'opened', identity, tab: TAB_ID });
      setState('open');
      show(`opened ${path} on ${kind}${store.cache ? ` with the persistent SST cache (${store.cache.backendKind}, ${store.cache.stats().entries} parts cached)` : ''}`);
      refreshTimer = setInterval(refresh, 250);
    });
  },
  async close() {
    await run('close', async () => {
      clearInterval(refreshTimer);
      const d = db;
      const wasStopped = stopped;
      db = null;
      identity = null;
      let result;
      try {
        result = await d.close();  // resolves, with the reason, on a fenced handle too
      } finally {
        await store?.cache?.flushCacheToDisk().catch(() => {});
        store?.close();
        store = null;
        stopped = null;
        setState('closed');
      }
      const reason = result.reason !== 'clean' ? result.reason : wasStopped;
      show(!reason ? 'closed'
        : `closed (this tab had been ${reason === 'fenced' ? 'fenced by another writer' : 'stopped by a background error'})`);
    });
  },
  async wipe() {
    $('wipe').disabled = true;
    await run('wipe', async () => {
      // A delete waits while another tab still has the store open; say so instead of
      // seeming to do nothing.
      const factory = {
        deleteDatabase(name) {
          const req = indexedDB.deleteDatabase(name);
          req.onblocked = () => show('wipe waits: the IndexedDB store is open in another tab; close the database there');
          return req;
        },
      };
      await IndexedDbStore.destroy(IDB_NAME, { indexedDB: factory });
      show('IndexedDB store deleted');
    });
    if (!db) $('wipe').disabled = false;
  },
  async put() {
    await run('put', async () => {
      const value = enc.encode($('value').value);
      const h = await db.put($('key').value, value);
      show([`put ${$('key').value} = `, bytesView(value), ` (seq ${h.seq})`]);
    });
  },
  async get() {
    await run('get', async () => {
      const v = await db.get($('key').value);
      show(v === undefined ? `${$('key').value}: (not found)` : [`${$('key').value} = `, bytesView(v)]);
    });
  },
  async delete() {
    await run('delete', async () => {
      await db.delete($('key').value);
      show(`deleted ${$('key').value}`);
    });
  },
  async fill() {
    await run('fill', async () => {
      const n = Math.max(1, Math.min(100000, Number($('fill-count').value) || 1));
      const started = performance.now();
      const pending = [];
      for (let i = 0; i < n; i++) {
        const k = `key-${Math.floor(Math.random() * 1e8).toString().padStart(8, '0')}`;
        // Non-durable puts are acknowledged at once; the flush below makes them durable.
        pending.push(db.put(k, `value ${i} ${'x'.repeat(40)}`, { awaitDurable: false }));
      }
      await Promise.all(pending);
      await db.flush();
      const ms = performance.now() - started;
      show(`put ${n} random keys in ${ms.toFixed(0)} ms (${Math.round(n / (ms / 1000))} puts/s), flushed`);
    });
  },
  async 'flush-wal'() {
    await run('flush', async () => { await db.flush('wal'); show('WAL flushed'); });
  },
  async 'flush-memtable'() {
    await run('flush', async () => { await db.flush('memtable'); show('memtable flushed to L0'); });
  },
  async checkpoint() {
    await run('checkpoint', async () => {
      const cp = await db.createCheckpoint({ name: 'demo', lifetime: 10 * 60_000 });
      show(`checkpoint ${cp.id} pins manifest v${cp.manifestId} for 10 minutes`);
    });
  },
  async scan() {
    await run('scan', async () => {
      const limit = Math.max(1, Number($('scan-limit').value) || 20);
      const it = db.scan($('scan-start').value || undefined, $('scan-end').value || undefined);
      const body = $('scan-results').tBodies[0];
      const rows = [];
      for await (const [k, v] of it) {
        rows.push(row([bytesView(k), bytesView(v)]));
        if (rows.length >= limit) break;
      }
      body.replaceChildren(...rows);
      show(`scan: ${rows.length} row(s)`);
    });
  },
};

function prefill() {
  const q = new URLSearchParams(location.search);
  const set = (id, name) => { if (q.has(name)) $(id).value = q.get(name); };
  set('store-kind', 'store');
  set('db-path', 'path');
  if (q.has('cache')) $('disk-cache').checked = q.get('cache') === '1';
  set('s3-endpoint', 'endpoint');
  set('s3-bucket', 'bucket');
  set('s3-prefix', 'prefix');
  set('s3-region', 'region');
  set('s3-key', 'accessKeyId');
  set('s3-secret', 'secretAccessKey');
  set('l0-size', 'l0');
}

function showS3Fields() {
  for (const e of document.querySelectorAll('.s3-only')) e.hidden = $('store-kind').value !== 's3';
}

async function main() {
  prefill();
  showS3Fields();
  $('store-kind').addEventListener('change', showS3Fields);
  for (const [id, fn] of Object.entries(actions)) $(id).addEventListener('click', fn);
  $('key').addEventListener('keydown', (e) => { if (e.key === 'Enter' && !$('get').disabled) actions.get(); });
  setState('closed');
  $('open').disabled = true;
  try {
    await loadModule();
    status('ready');
    $('open').disabled = false;
    document.body.dataset.ready = '1';
  } catch (e) {
    status(`could not load the wasm module: ${e.message} (run scripts/build-wasm.sh)`, true);
  }
  renderRequests();
}

main();
