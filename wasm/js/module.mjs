// SPDX-License-Identifier: Apache-2.0
//
// Loading the Emscripten module (once) and starting exported calls whose Promise C++ settles.
import { dbError } from './errors.mjs';

const isNode = typeof process === 'object' && process !== null && process.versions != null &&
               process.versions.node != null && typeof window === 'undefined';

// --- module loading ----------------------------------------------------------------------------

let modulePromise = null;

/**
 * Loads (once) and returns the Emscripten module. Called by SlateDB.open() and the other
 * openers with their `module` option. Options (all optional):
 *   wasmUrl     URL of slatedb_wasm.wasm. Default: next to slatedb_wasm.mjs, which a bundler
 *               that understands `new URL(..., import.meta.url)` (Vite, webpack) rewrites to
 *               the copy it emits; in an esbuild bundle, next to the bundle.
 *   wasmBinary  the .wasm's bytes (then nothing is fetched or read)
 *   moduleUrl   URL of another build of slatedb_wasm.mjs (or of the test module,
 *               wasm/dist-test/slatedb_wasm_test.mjs), imported at run time; its .wasm is
 *               the same URL with .wasm for .mjs
 *   factory     an already imported createSlateDbModule
 * The default module is imported with a literal specifier, so bundlers include it.
 */
export function loadModule(options = {}) {
  if (modulePromise && !options.reload) return modulePromise;
  modulePromise = (async () => {
    let factory = options.factory;
    let defaultWasmUrl;
    if (!factory && options.moduleUrl != null) {
      factory = (await import(/* @vite-ignore */ String(options.moduleUrl))).default;
      defaultWasmUrl = () => new URL(String(options.moduleUrl).replace(/\.mjs$/, '.wasm'));
    } else if (!factory) {
      const glue = await import('../dist/slatedb_wasm.mjs');
      factory = glue.default;
      defaultWasmUrl = glue.slatedbWasmUrl;
    } else {
      defaultWasmUrl = () => new URL('../dist/slatedb_wasm.wasm', import.meta.url);
    }
    const init = {};
    if (options.wasmBinary) {
      init.wasmBinary = options.wasmBinary;
    } else {
      const wasmUrl = options.wasmUrl ?? defaultWasmUrl();
      if (isNode) {
        // Emscripten 3.1.6's loader cannot read a file:// URL in Node; hand it the bytes.
        init.wasmBinary = await readInNode(wasmUrl);
      } else {
        init.locateFile = (file) => (file.endsWith('.wasm') ? String(wasmUrl) : file);
      }
    }
    const Module = await factory(init);
    Module.slatedbRt.setErrorFactory(dbError);
    return Module;
  })();
  modulePromise.catch(() => { modulePromise = null; });
  return modulePromise;
}

// The .wasm's bytes in Node: a file: URL or a path through fs, http(s) through fetch.
// fs comes from process.getBuiltinModule rather than an import, so that browser bundlers
// meet no Node-only module in this file.
async function readInNode(wasmUrl) {
  const text = String(wasmUrl);
  if (/^https?:/.test(text)) {
    const response = await fetch(text);
    if (!response.ok) throw new Error(`fetching ${text}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }
  const { readFile } = process.getBuiltinModule('node:fs/promises');
  const { fileURLToPath } = process.getBuiltinModule('node:url');
  return readFile(text.startsWith('file:') ? fileURLToPath(text) : text);
}

// Starts an exported call: `start(callId)` calls the export; the Promise settles from C++,
// inside the export when the engine answers at once (then no Promise is pending on the C++
// side at all; see SlateRt.run in runtime_pre.js), otherwise later.
export function call(M, decode, start, makeError) {
  return M.slatedbRt.invoke(decode, makeError, start);
}
