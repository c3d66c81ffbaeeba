#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
//
// SlateDB from Node through the WebAssembly build: opens (or creates) a database, writes,
// reads, scans, takes a snapshot, prints what the LSM tree and the object store look like,
// and closes. Run it twice: the second run finds the first run's data.
//
//   node web-demo/node-demo.mjs [directory]            # a local directory (default /tmp/slatedb-node-demo)
//   node web-demo/node-demo.mjs --endpoint http://127.0.0.1:9000 --bucket my-bucket [--prefix demo/]
//
// With --endpoint (or AWS_ENDPOINT_URL) the database lives in an S3-compatible server; the
// credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, the region from
// AWS_REGION (default us-east-1), the bucket from --bucket or AWS_BUCKET. Needs the module
// built first: scripts/build-wasm.sh.
import { NodeFsStore } from '../wasm/js/node_fs_store.mjs';
import { S3Store, SlateDB, WriteBatch } from '../wasm/js/slatedb.mjs';

const dec = new TextDecoder();
const text = (u8) => (u8 === undefined ? '(absent)' : dec.decode(u8));

function parseArgs(argv) {
  const out = { positional: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') out.help = true;
    else if (a.startsWith('--')) out[a.slice(2)] = argv[++i];
    else out.positional.push(a);
  }
  return out;
}

async function openStore(args) {
  const endpoint = args.endpoint ?? process.env.AWS_ENDPOINT_URL;
  if (endpoint) {
    const bucket = args.bucket ?? process.env.AWS_BUCKET;
    if (!bucket) throw new Error('--bucket (or AWS_BUCKET) is required with an endpoint');
    const store = await S3Store.open({
      endpoint, bucket, prefix: args.prefix ?? '',
      region: process.env.AWS_REGION ?? 'us-east-1',
      accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? '',
    });
    return { store, where: store.describe(), close: () => store.close() };
  }
  const dir = args.positional[0] ?? '/tmp/slatedb-node-demo';
  const store = await NodeFsStore.open(dir);
  return { store, where: dir, close() {} };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log('usage: node web-demo/node-demo.mjs [directory] | --endpoint URL --bucket NAME [--prefix P]');
    return;
  }
  const { store, where, close } = await openStore(args);
  const db = await SlateDB.open({
    store,
    path: 'node-demo',
    mergeOperator: (key, existing, operand) => String(Number(text(existing ?? new Uint8Array())) + Number(text(operand))),
  });

  const previous = await db.get('run-count');
  const runs = previous === undefined ? 1 : Number(text(previous)) + 1;
  console.log(`run ${runs} on ${where}`);

  await db.write(new WriteBatch()
    .put('run-count', String(runs))
    .put('fruit/apple', 'red')
    .put('fruit/banana', 'yellow')
    .put('fruit/cherry', 'dark red')
    .merge('counter/visits', '1'));

  // Many writes in flight at once; only the flush waits for the object store.
  const started = performance.now();
  await Promise.all(Array.from({ length: 2000 }, (_, i) =>
    db.put(`log/${String(runs).padStart(3, '0')}/${String(i).padStart(5, '0')}`, `entry ${i}`, { awaitDurable: false })));
  await db.flush();
  console.log(`wrote 2000 log entries in ${(performance.now() - started).toFixed(0)} ms (one WAL flush)`);

  console.log('fruit/banana =', text(await db.get('fruit/banana')));
  console.log('counter/visits =', text(await db.get('counter/visits')), '(merged across runs)');
  const fruits = [];
  for await (const [k, v] of db.scanPrefix('fruit/')) fruits.push(`${text(k)}=${text(v)}`);
  console.log('scan fruit/:', fruits.join(', '));

  const snapshot = await db.snapshot();
  await db.put('fruit/apple', 'green');
  console.log(`snapshot sees apple=${text(await snapshot.get('fruit/apple'))}, db sees apple=${text(await db.get('fruit/apple'))}`);
  snapshot.close();
  await db.put('fruit/apple', 'red');

  await db.flush('memtable');
  const state = await db.state();
  const m = await db.metrics();
  console.log(`LSM: manifest v${state.manifest.id}, ${state.manifest.l0.length} L0 SST(s), ` +
              `${state.manifest.sorted_runs.length} sorted run(s), memtable ${state.memtable.bytes} B`);
  const ops = ['get', 'get_range', 'head', 'put', 'list', 'delete'];
  console.log('object-store requests this run:', ops.map((o) => `${o} ${m[`object_store/${o}`]}`).join(', '));
  await db.close();
  close();
}

main().catch((e) => {
  console.error(`${e.name}${e.kind ? ` (${e.kind})` : ''}: ${e.message}`);
  process.exitCode = 1;
});
