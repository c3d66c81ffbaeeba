// SPDX-License-Identifier: Apache-2.0
//
// A browser app that imports the package with no loading options: the module must find
// its .wasm by itself (Vite emits it; with esbuild it is copied next to the bundle), and
// the worker variant must find worker_main (Vite bundles it; esbuild builds it as an entry
// point next to this bundle, which the page names with ?worker=<url>).
import { SlateDB } from 'slatedb-wasm';
import { SlateDBWorker } from 'slatedb-wasm/worker';

import { exercise, report } from './common.mjs';

const workerUrl = new URLSearchParams(location.search).get('worker');
report((async () => ({
  direct: await exercise(() => SlateDB.open({ store: 'memory', path: 'direct' })),
  worker: await exercise(() => SlateDBWorker.open({
    store: { type: 'memory' }, path: 'in-worker',
    ...(workerUrl ? { workerUrl: new URL(workerUrl, location.href) } : {}),
  })),
}))());
