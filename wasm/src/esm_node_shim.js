// SPDX-License-Identifier: Apache-2.0
//
// Prepended (--extern-pre-js) to the generated ES module, outside the module factory.
// Emscripten 3.1.6's loader, even with EXPORT_ES6, refers to the CommonJS globals
// `__dirname` and `require` when it runs in Node, and those do not exist in an ES module.
// Provide them here, in Node only (browsers and workers never evaluate the imports).
// js/slatedb.mjs still hands the loader `wasmBinary` (read with fs) in Node, because the
// loader's own Node file reading cannot handle the file:// URL it computes.
const __slatedbNode =
    typeof process === 'object' && process !== null && process.versions != null &&
    process.versions.node != null && typeof window === 'undefined';
const { require, __dirname } = __slatedbNode ? await (async () => {
  const { createRequire } = await import('node:module');
  const { fileURLToPath } = await import('node:url');
  const { dirname } = await import('node:path');
  return {
    require: createRequire(import.meta.url),
    __dirname: dirname(fileURLToPath(import.meta.url)),
  };
})() : {};
