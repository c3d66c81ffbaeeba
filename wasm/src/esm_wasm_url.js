// SPDX-License-Identifier: Apache-2.0
//
// Appended (--extern-post-js) to slatedb_wasm.mjs: where its .wasm is by default, as a
// literal URL relative to this file. Bundlers that understand the pattern (Vite, webpack,
// Parcel, Rollup with its URL plugin) copy the .wasm into their output and rewrite the URL;
// unbundled loading (a CDN, a static directory, Node) finds it next to this file; esbuild
// leaves the expression as is, so in an esbuild bundle it names the file next to the bundle.
// A function, so that a bundle without import.meta (esbuild's iife format) fails only when
// the default is needed, with a message saying what to pass instead.
export function slatedbWasmUrl() {
  try {
    return new URL('./slatedb_wasm.wasm', import.meta.url);
  } catch {
    throw new Error('slatedb-wasm cannot tell where slatedb_wasm.wasm is (no import.meta.url in ' +
                    'this bundle): pass loadModule({ wasmUrl }) or SlateDB.open({ module: { wasmUrl } })');
  }
}
