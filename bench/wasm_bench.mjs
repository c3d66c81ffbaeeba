#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
//
// bench/core_bench's workloads on the WebAssembly build in Node (in-memory store), next to
// the native figures, plus the .wasm size raw and gzipped.
//
//   scripts/build-wasm.sh && node bench/wasm_bench.mjs [--keys 1000000] [--native path/to/core_bench] [--dist dir] [--test-dist dir]
//
// Both columns run on the test module (wasm/dist-test/slatedb_wasm_test.mjs: the shipped
// module plus the benchmark loops); the sizes printed are the shipped module's.
// Two wasm columns:
//   engine  the core_bench loops compiled into the test module (wasm/src/bench_bindings.cc):
//           the engine in wasm vs the engine native, like for like;
//   JS API  the same work through the JavaScript API (await db.put(...) per key, etc.), which
//           adds a Promise, a copy into the wasm heap and a settle per call.
// Native: runs core_bench if it is built (build/bench/core_bench, or --native), else uses the
// figures recorded in bench/README.md.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { loadavg } from 'node:os';

import { SlateDB, loadModule } from '../wasm/js/slatedb.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const KEYS = Number(opt('--keys', 1_000_000));
// Each column runs --rounds times (default 3) and keeps each workload's best figure: on a
// shared machine the best of a few back-to-back runs is the one least disturbed by other work.
const ROUNDS = Number(opt('--rounds', 3));
const GET_KEYS = 200_000;
const SCAN_KEYS = 100_000;

// bench/README.md (2-core development machine, nothing else running).
const README_NATIVE = {
  put: 1_287_560, memtableGet: 2_505_173, sstGet: 906_157, scan: 6_457_812,
};

function key(i) { return 'key' + String(i).padStart(13, '0'); }
class Rng {  // core_bench's xorshift, in BigInt
  constructor() { this.s = 88172645463325252n; }
  next() {
    const m = (1n << 64n) - 1n;
    this.s ^= (this.s << 13n) & m;
    this.s ^= this.s >> 7n;
    this.s ^= (this.s << 17n) & m;
    return this.s;
  }
}

// Calls a slatedb_bench_* export (wasm/src/bench_bindings.cc) and awaits its settle.
function benchCall(M, fn, ...args) {
  const rt = M.slatedbRt;
  const { id, promise } = rt.newCall((ptr, len, num) => (len ? JSON.parse(rt.utf8(ptr, len)) : num));
  M[`_slatedb_bench_${fn}`](...args, id);
  return promise;
}
const rate = (r) => r.ops / (r.ms / 1000);

async function engineBench(M) {
  const out = {};
  const open = async () => benchCall(M, 'open');
  const done = async (h) => { await benchCall(M, 'close', h); M._slatedb_bench_free(h); };
  let h = await open();
  const load = await benchCall(M, 'load', h, KEYS);
  await benchCall(M, 'flush', h, 0);
  out.put = rate(load);
  await done(h);
  for (const fromSst of [false, true]) {
    h = await open();
    await benchCall(M, 'load', h, GET_KEYS);
    if (fromSst) {
      await benchCall(M, 'flush', h, 1);
      await benchCall(M, 'gets', h, GET_KEYS, GET_KEYS, 0);  // warm the block cache
    }
    out[fromSst ? 'sstGet' : 'memtableGet'] =
      rate(await benchCall(M, 'gets', h, GET_KEYS, fromSst ? 2_000_000 : 4_000_000, 1));
    await done(h);
  }
  h = await open();
  await benchCall(M, 'load', h, SCAN_KEYS);
  await benchCall(M, 'flush', h, 1);
  await benchCall(M, 'scan', h, SCAN_KEYS);  // cold
  out.scan = rate(await benchCall(M, 'scan', h, SCAN_KEYS));
  await done(h);
  return out;
}

async function jsApiBench() {
  const value = 'v'.repeat(100);
  const out = {};
  const fast = { awaitDurable: false };
  {
    const db = await SlateDB.open({ store: 'memory', path: 'bench' });
    const t = performance.now();
    for (let i = 0; i < KEYS; i++) await db.put(key(i), value, fast);
    out.put = KEYS / ((performance.now() - t) / 1000);
    await db.close();
  }
  for (const fromSst of [false, true]) {
    const db = await SlateDB.open({ store: 'memory', path: 'bench' });
    for (let i = 0; i < GET_KEYS; i++) await db.put(key(i), value, fast);
    if (fromSst) {
      await db.flush('memtable');
      for (let i = 0; i < GET_KEYS; i++) await db.get(key(i));
    }
    const keys = [];
    const rng = new Rng();
    const ops = 500_000;
    for (let i = 0; i < ops; i++) keys.push(key(Number(rng.next() % BigInt(GET_KEYS))));
    const t = performance.now();
    let found = 0;
    for (let i = 0; i < ops; i++) if ((await db.get(keys[i])) !== undefined) found++;
    const secs = (performance.now() - t) / 1000;
    if (found !== ops) throw new Error(`get found ${found} of ${ops}`);
    out[fromSst ? 'sstGet' : 'memtableGet'] = ops / secs;
    await db.close();
  }
  {
    const db = await SlateDB.open({ store: 'memory', path: 'bench' });
    for (let i = 0; i < SCAN_KEYS; i++) await db.put(key(i), value, fast);
    await db.flush('memtable');
    let rate = 0;
    for (let round = 0; round < 2; round++) {
      const t = performance.now();
      let n = 0;
      for await (const _ of db.scan()) n++;
      if (n !== SCAN_KEYS) throw new Error(`scan saw ${n}`);
      rate = n / ((performance.now() - t) / 1000);
    }
    out.scan = rate;
    // The same scan a batch at a time (DbIterator.nextBatch): no Promise per entry.
    const batches = typeof db.scan().nextBatch === 'function';  // absent in older builds
    for (let round = 0; batches && round < 2; round++) {
      const t = performance.now();
      let n = 0;
      const it = db.scan();
      for (let b = await it.nextBatch(); b.length > 0; b = await it.nextBatch()) n += b.length;
      if (n !== SCAN_KEYS) throw new Error(`scan saw ${n}`);
      rate = n / ((performance.now() - t) / 1000);
    }
    out.scanBatch = batches ? rate : NaN;
    await db.close();
  }
  return out;
}

async function nativeBench() {
  const bin = opt('--native', path.join(ROOT, 'build', 'bench', 'core_bench'));
  if (!existsSync(bin)) return null;
  const { stdout } = await promisify(execFile)(bin, ['--keys', String(KEYS), '--writers', '8'], { maxBuffer: 1 << 20 });
  const rate = (label) => {
    const line = stdout.split('\n').find((l) => l.startsWith(label));
    return line ? Number(line.slice(label.length).trim().split(/\s+/)[0]) : NaN;
  };
  const scan = rate('scan 100k keys (again)');
  return {
    put: rate('put (sequential, await_durable=false)'),
    memtableGet: rate('get (random, memtable)'),
    sstGet: rate('get (random, L0 SST via block cache)'),
    scan,
    scanBatch: scan,
  };
}

// Runs fn() ROUNDS times; the best figure of each workload.
async function best(fn) {
  let out = null;
  for (let r = 0; r < ROUNDS; r++) {
    const got = await fn();
    if (got === null) return null;
    if (out === null) out = got;
    else for (const k of Object.keys(got)) out[k] = Math.max(out[k], got[k]);
  }
  return out;
}

const fmt = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '-');
const pct = (a, b) => (Number.isFinite(a) && Number.isFinite(b) ? `${Math.round((100 * a) / b)}%` : '-');

// --dist DIR: another build of the shipped module (e.g. an -O3 experiment), for its sizes;
// default wasm/dist. --test-dist DIR: the test module's build; default wasm/dist-test.
const DIST = path.resolve(opt('--dist', path.join(ROOT, 'wasm', 'dist')));
const TEST_DIST = path.resolve(opt('--test-dist', path.join(ROOT, 'wasm', 'dist-test')));
const M = await loadModule({ moduleUrl: pathToFileURL(path.join(TEST_DIST, 'slatedb_wasm_test.mjs')) });
const wasmPath = path.join(DIST, 'slatedb_wasm.wasm');
const wasmBytes = readFileSync(wasmPath);
const gz = gzipSync(wasmBytes, { level: 9 }).length;
const jsBytes = readFileSync(path.join(DIST, 'slatedb_wasm.mjs'));

const LOAD_BEFORE = loadavg().map((x) => x.toFixed(1)).join(' ');
console.log(`wasm_bench: Node ${process.versions.node}, memory store, 16-byte keys, 100-byte values, ${KEYS.toLocaleString('en-US')} puts`);
// --parts engine,js,native: run only some columns (the others print as '-').
const PARTS = new Set(opt('--parts', 'engine,js,native').split(','));
// Native first, then the wasm columns, so all three run back to back.
const measuredNative = PARTS.has('native') ? await best(nativeBench) : null;
const engine = PARTS.has('engine') ? await best(() => engineBench(M)) : {};
const js = PARTS.has('js') ? await best(jsApiBench) : {};
const native = measuredNative ?? { ...README_NATIVE, scanBatch: README_NATIVE.scan };
const rows = [
  ['put (sequential, await_durable=false)', 'put'],
  ['get (random, memtable)', 'memtableGet'],
  ['get (random, L0 SST via block cache)', 'sstGet'],
  ['scan 100k keys (warm), keys/s', 'scan'],
  ['  JS: the same scan with nextBatch()', 'scanBatch'],
];
console.log(`\n${'workload'.padEnd(40)} ${'native'.padStart(11)} ${'wasm engine'.padStart(12)} ${'%'.padStart(5)} ${'wasm JS API'.padStart(12)} ${'%'.padStart(5)}`);
for (const [label, k] of rows) {
  console.log(`${label.padEnd(40)} ${fmt(native[k]).padStart(11)} ${fmt(engine[k]).padStart(12)} ${pct(engine[k], native[k]).padStart(5)} ` +
              `${fmt(js[k]).padStart(12)} ${pct(js[k], native[k]).padStart(5)}`);
}
console.log(`native figures: ${measuredNative ? 'core_bench run just now' : 'bench/README.md (core_bench not built)'}; ` +
            `best of ${ROUNDS} rounds per column; load average before/after: ${LOAD_BEFORE} / ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(`\nslatedb_wasm.wasm: ${wasmBytes.length.toLocaleString('en-US')} bytes raw, ${gz.toLocaleString('en-US')} bytes gzipped (-9); ` +
            `slatedb_wasm.mjs (loader + glue): ${jsBytes.length.toLocaleString('en-US')} bytes raw, ${gzipSync(jsBytes, { level: 9 }).length.toLocaleString('en-US')} gzipped`);
