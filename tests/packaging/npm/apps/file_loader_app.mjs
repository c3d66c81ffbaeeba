// SPDX-License-Identifier: Apache-2.0
//
// A browser app that imports the .wasm's URL through the bundler (esbuild's file loader:
// --loader:.wasm=file) and hands it to loadModule.
import { SlateDB, loadModule } from 'slatedb-wasm';
import wasmUrl from 'slatedb-wasm/slatedb_wasm.wasm';

import { exercise, report } from './common.mjs';

report((async () => {
  await loadModule({ wasmUrl: new URL(wasmUrl, location.href) });
  return { direct: await exercise(() => SlateDB.open({ store: 'memory', path: 'direct' })) };
})());
