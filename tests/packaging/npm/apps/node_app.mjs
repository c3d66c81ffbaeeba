// SPDX-License-Identifier: Apache-2.0
//
// Node, with the package installed from the tarball: the module and its .wasm are found
// next to each other; the Node-only directory store comes from its own subpath.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { SlateDB } from 'slatedb-wasm';
import { NodeFsStore } from 'slatedb-wasm/node_fs_store';

import { exercise } from './common.mjs';

const dir = await mkdtemp(path.join(os.tmpdir(), 'slatedb-npm-node-'));
try {
  const store = await NodeFsStore.open(dir);
  const direct = await exercise(() => SlateDB.open({ store, path: 'db' }));
  // A second writer sees what the first wrote (the directory is real).
  const again = await SlateDB.open({ store, path: 'db' });
  const reopened = new TextDecoder().decode(await again.get('k040'));
  await again.close();
  console.log(JSON.stringify({ direct, reopened }));
} finally {
  await rm(dir, { recursive: true, force: true });
}
