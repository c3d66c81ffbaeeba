// SPDX-License-Identifier: Apache-2.0
//
// Prepended (--extern-pre-js) to the generated ES module, outside the module factory.
// Emscripten 3.1.6's loader, even with EXPORT_ES6, refers to the CommonJS globals
// `__dirname` and `require` when it runs in Node, and those do not exist in an ES module.
// Provide them here, in Node only. They come from process.getBuiltinModule (Node 20.16+)
// rather than from `import`, so the module names no Node-only module: browser bundlers
// (esbuild, Vite, webpack) have nothing to resolve or stub, and the module needs no
// top-level await. Binding `require` here also makes the loader's own require('fs') calls
// plain function calls that bundlers leave alone.
// js/module.mjs still hands the loader `wasmBinary` (read with fs) in Node, because the
// loader's own Node file reading cannot handle the file:// URL it computes.
const __slatedbNode =
    typeof process === 'object' && process !== null && process.versions != null &&
    process.versions.node != null && typeof window === 'undefined';
const { require, __dirname } = __slatedbNode ? (() => {
  if (typeof process.getBuiltinModule !== 'function') {
    throw new Error(`slatedb-wasm needs Node 20.16 or later (process.getBuiltinModule); this is ${process.version}`);
  }
  const { createRequire } = process.getBuiltinModule('node:module');
  const { fileURLToPath } = process.getBuiltinModule('node:url');
  const { dirname } = process.getBuiltinModule('node:path');
  return {
    require: createRequire(import.meta.url),
    __dirname: dirname(fileURLToPath(import.meta.url)),
  };
})() : {};
