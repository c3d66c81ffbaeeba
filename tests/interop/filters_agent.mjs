#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
//
// The Node side of the filter-policy interop test (test_prefix_filters.py): the same steps
// and JSON as filters_agent.py, through the wasm package's filterPolicies option with a
// prefix extractor written in JavaScript.
//
//   node filters_agent.mjs write ROOT PATH JSON   JSON: {"policies": NAME, "groups": [HEX, ...],
//                                                        "per_group": N} -> {}
//   node filters_agent.mjs read ROOT PATH JSON    JSON: {"policies": NAME, "keys": [HEX, ...],
//                                                        "prefixes": [HEX, ...]}
//                                                 -> {"reader": VIEW, "writer": VIEW}
//
// Policy lists by NAME and the database layout (ROOT/PATH on the local file system) as in
// filters_agent.py.
import { NodeFsStore } from '../../wasm/js/node_fs_store.mjs';
import { SlateDB, SlateDBReader } from '../../wasm/js/slatedb.mjs';

// A key's first three bytes (keys shorter have no prefix), under the name given
// (uniffi_common.py's ThreeBytes).
const threeBytes = (name) => ({ name, prefixLen: (data) => (data.length >= 3 ? 3 : undefined) });

function policies(name) {
  const prefixOnly = (ex) => ({ bitsPerKey: 10, wholeKeyFiltering: false, prefixExtractor: threeBytes(ex) });
  const lists = {
    two: () => [prefixOnly('pe3'), { bitsPerKey: 7 }],
    prefix: () => [{ bitsPerKey: 10, prefixExtractor: threeBytes('pe3') }],
    other: () => [prefixOnly('other')],
    none: () => [],
  };
  return lists[name]();
}

const SETTINGS = { min_filter_keys: 10, l0_max_ssts: 64, compactor_options: null };
const hex = (b) => Buffer.from(b).toString('hex');
const unhex = (h) => new Uint8Array(Buffer.from(h, 'hex'));
const enc = new TextEncoder();

const openWriter = (store, path, name) =>
  SlateDB.open({ store, path, settings: SETTINGS, filterPolicies: policies(name) });

async function write(store, path, args) {
  const db = await openWriter(store, path, args.policies);
  for (const [g, groupHex] of args.groups.entries()) {
    await db.put(`aaa${g}`, 'edge');
    for (let i = 0; i < args.per_group; i++) {
      const key = Buffer.concat([unhex(groupHex), enc.encode(String(i).padStart(4, '0'))]);
      await db.put(new Uint8Array(key), `v${g}-${i}`);
    }
    await db.put(`zzz${g}`, 'edge');
    await db.flush('memtable');
  }
  await db.close();
  return {};
}

async function view(handle, args) {
  const out = { get: [], scan_prefix: [] };
  for (const k of args.keys) {
    const v = await handle.get(unhex(k));
    out.get.push(v === undefined ? null : hex(v));
  }
  for (const p of args.prefixes) {
    const rows = [];
    for await (const [k, v] of handle.scanPrefix(unhex(p))) rows.push([hex(k), hex(v)]);
    out.scan_prefix.push(rows);
  }
  return out;
}

async function read(store, path, args) {
  const reader = await SlateDBReader.open({ store, path, filterPolicies: policies(args.policies) });
  const gotReader = await view(reader, args);
  await reader.close();
  const db = await openWriter(store, path, args.policies);
  const gotWriter = await view(db, args);
  await db.close();
  return { reader: gotReader, writer: gotWriter };
}

const [action, root, path, json] = process.argv.slice(2);
const fn = { write, read }[action];
if (!fn) throw new Error(`unknown action ${action}`);
const result = await fn(await NodeFsStore.open(root), path, json ? JSON.parse(json) : {});
process.stdout.write(JSON.stringify(result) + '\n');
