// SPDX-License-Identifier: Apache-2.0
//
// Loading the Emscripten module (once) and starting exported calls whose Promise C++ settles.
import { dbError } from './errors.mjs';

const isNode = typeof process === 'object' && process !== null && process.versions != null &&
               process.versions.node != null && typeof window === 'undefined';

// --- module loading ----------------------------------------------------------------------------

let modulePromise = null;

/**
 * Loads (once) and returns the Emscripten module. Options: `moduleUrl` (URL of
 * slatedb_wasm.mjs), `wasmUrl` / `wasmBinary` (the .wasm; default: the module's URL with
 * .wasm for .mjs), `factory` (an already imported createSlateDbModule). Defaults: ../dist/
 * next to this file. Called by SlateDB.open().
 */
export function loadModule(options = {}) {
  if (modulePromise && !options.reload) return modulePromise;
  modulePromise = (async () => {
    const moduleUrl = options.moduleUrl ?? new URL('../dist/slatedb_wasm.mjs', import.meta.url);
    const wasmUrl = options.wasmUrl ?? new URL(String(moduleUrl).replace(/\.mjs$/, '.wasm'));
    const factory = options.factory ?? (await import(String(moduleUrl))).default;
    const init = {};
    if (options.wasmBinary) {
      init.wasmBinary = options.wasmBinary;
    } else if (isNode) {
      // Emscripten 3.1.6's loader cannot read a file:// URL in Node; hand it the bytes.
      const { readFile } = await import('node:fs/promises');
      const { fileURLToPath } = await import('node:url');
      const u = new URL(String(wasmUrl));
      init.wasmBinary = await readFile(u.protocol === 'file:' ? fileURLToPath(u) : String(wasmUrl));
    } else {
      init.locateFile = (file) => (file.endsWith('.wasm') ? String(wasmUrl) : file);
    }
    const Module = await factory(init);
    Module.slatedbRt.setErrorFactory(dbError);
    return Module;
  })();
  modulePromise.catch(() => { modulePromise = null; });
  return modulePromise;
}

// Starts an exported call: `start(callId)` calls the export; the Promise settles from C++,
// inside the export when the engine answers at once (then no Promise is pending on the C++
// side at all; see SlateRt.run in runtime_pre.js), otherwise later.
export function call(M, decode, start, makeError) {
  return M.slatedbRt.invoke(decode, makeError, start);
}
