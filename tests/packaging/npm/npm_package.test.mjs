// SPDX-License-Identifier: Apache-2.0
//
// The npm tarball as users get it (SLATEDB_NPM_TARBALL, made by `npm pack` in wasm/):
// installed into a temporary project outside the checkout, then
//   * Node imports it and runs apps/common.mjs on a directory store;
//   * esbuild bundles two browser apps (the .wasm copied next to the bundle, or imported
//     through esbuild's file loader), Vite builds one (the .wasm and the worker emitted by
//     Vite), and the unpacked package is served as a static directory (a CDN's view);
//   * each page runs in headless Chromium (Debian's, through playwright-core) from a static
//     server on 127.0.0.1: the database opened directly and, where the app has it, through
//     SlateDBWorker; no request may fail and no page error may occur.
// Run by scripts/test-packaging.sh.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { build as viteBuild } from 'vite';

const run = promisify(execFile);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const APPS = path.join(HERE, 'apps');
const TARBALL = process.env.SLATEDB_NPM_TARBALL;
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const { EXPECTED } = await import(path.join(APPS, 'common.mjs'));

let work;     // the temporary project: node_modules/slatedb-wasm from the tarball
let browser;
let server;   // serves `work/www`

const MIME = {
  '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css',
};

function startStatic(root) {
  const srv = http.createServer(async (req, res) => {
    const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = path.join(root, rel.endsWith('/') ? `${rel}index.html` : rel);
    if (!file.startsWith(root) || !(await stat(file).catch(() => null))?.isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${srv.address().port}`,
    close: () => new Promise((r) => srv.close(r)),
  })));
}

// Copies an app's sources into `dir` (inside the temporary project).
async function appDir(name, files, html) {
  const dir = path.join(work, 'src', name);
  await mkdir(dir, { recursive: true });
  for (const f of files) await cp(path.join(APPS, f), path.join(dir, f));
  if (html) await writeFile(path.join(dir, 'index.html'), html);
  return dir;
}

// Opens `urlPath` and returns the app's report once it has one.
async function runPage(urlPath) {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`); });
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
  try {
    await page.goto(`${server.url}${urlPath}`);
    await page.waitForFunction(() => document.body?.dataset.result, null, { timeout: 60000 });
    const result = JSON.parse(await page.evaluate(() => document.body.dataset.result));
    return { result, problems };
  } finally {
    await page.close();
  }
}

before(async () => {
  assert.ok(TARBALL, 'SLATEDB_NPM_TARBALL names the packed tarball');
  work = await mkdtemp(path.join(os.tmpdir(), 'slatedb-npm-'));
  await writeFile(path.join(work, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', path.resolve(TARBALL)], { cwd: work });
  await mkdir(path.join(work, 'www'));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  server = await startStatic(path.join(work, 'www'));
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

test('the tarball holds the package, its LICENSE and a README that stands alone', async () => {
  const pkgDir = path.join(work, 'node_modules', 'slatedb-wasm');
  for (const f of ['LICENSE', 'README.md', 'package.json', 'js/slatedb.mjs', 'js/worker.mjs',
                   'js/worker_main.mjs', 'dist/slatedb_wasm.mjs', 'dist/slatedb_wasm.wasm']) {
    assert.ok(await stat(path.join(pkgDir, f)).catch(() => null), `${f} is in the package`);
  }
  assert.match(await readFile(path.join(pkgDir, 'LICENSE'), 'utf8'), /Apache License\s+Version 2\.0/);
  const readme = await readFile(path.join(pkgDir, 'README.md'), 'utf8');
  // Relative links would point outside the package once it is installed.
  const relative = [...readme.matchAll(/\]\((?!https?:|#)([^)]+)\)/g)].map((m) => m[1]);
  assert.deepEqual(relative, [], 'README links only to absolute URLs or anchors');
});

test('Node: import from the installed package, NodeFsStore subpath', async () => {
  await cp(path.join(APPS, 'common.mjs'), path.join(work, 'common.mjs'));
  await cp(path.join(APPS, 'node_app.mjs'), path.join(work, 'node_app.mjs'));
  const { stdout } = await run(process.execPath, ['node_app.mjs'], { cwd: work });
  const out = JSON.parse(stdout);
  assert.deepEqual(out.direct, EXPECTED);
  assert.equal(out.reopened, 'batched');
});

test('esbuild: the .wasm and worker_main copied next to the bundle; default URLs', async () => {
  const dir = await appDir('esbuild-default', ['common.mjs', 'default_app.mjs'],
    (await readFile(path.join(APPS, 'index.html'), 'utf8')).replace('APP', 'default_app.js'));
  const outdir = path.join(work, 'www', 'esbuild-default');
  const pkg = path.join(work, 'node_modules', 'slatedb-wasm');
  const result = await esbuild.build({
    absWorkingDir: dir,
    entryPoints: ['default_app.mjs', 'slatedb-wasm/worker_main', path.join(pkg, 'dist', 'slatedb_wasm.wasm')],
    bundle: true, format: 'esm', splitting: true, platform: 'browser', outdir,
    entryNames: '[name]', loader: { '.wasm': 'copy' }, metafile: true, logLevel: 'silent',
  });
  assert.deepEqual(result.errors, []);
  const nodeInputs = Object.keys(result.metafile.inputs).filter((i) => i.startsWith('node:'));
  assert.deepEqual(nodeInputs, [], 'no Node-only module reaches a browser bundle');
  await cp(path.join(dir, 'index.html'), path.join(outdir, 'index.html'));
  const { result: report, problems } = await runPage('/esbuild-default/?worker=worker_main.js');
  assert.deepEqual(problems, []);
  assert.deepEqual(report, { direct: EXPECTED, worker: EXPECTED });
});

test('esbuild: the .wasm URL imported through the file loader', async () => {
  const dir = await appDir('esbuild-file', ['common.mjs', 'file_loader_app.mjs'],
    (await readFile(path.join(APPS, 'index.html'), 'utf8')).replace('APP', 'file_loader_app.js'));
  const outdir = path.join(work, 'www', 'esbuild-file');
  const result = await esbuild.build({
    absWorkingDir: dir, entryPoints: ['file_loader_app.mjs'], bundle: true, format: 'esm',
    platform: 'browser', outdir, loader: { '.wasm': 'file' }, logLevel: 'silent',
  });
  assert.deepEqual(result.errors, []);
  await cp(path.join(dir, 'index.html'), path.join(outdir, 'index.html'));
  const { result: report, problems } = await runPage('/esbuild-file/');
  assert.deepEqual(problems, []);
  assert.deepEqual(report, { direct: EXPECTED });
});

test('Vite: the .wasm and the worker emitted by Vite, no options', async () => {
  const dir = await appDir('vite', ['common.mjs', 'default_app.mjs'],
    (await readFile(path.join(APPS, 'index.html'), 'utf8')).replace('APP', 'default_app.mjs'));
  const outDir = path.join(work, 'www', 'vite');
  const warnings = [];
  await viteBuild({
    root: dir, base: './', configFile: false, logLevel: 'silent',
    // A module worker that imports the package: ES format (the worker loads the module
    // with a dynamic import, which an iife worker cannot split).
    worker: { format: 'es' },
    build: { outDir, emptyOutDir: true, target: 'es2022',
             rollupOptions: { onwarn: (w) => warnings.push(String(w.message ?? w)) } },
  });
  assert.deepEqual(warnings.filter((w) => /node:|externalized/.test(w)), []);
  const { result: report, problems } = await runPage('/vite/');
  assert.deepEqual(problems, []);
  assert.deepEqual(report, { direct: EXPECTED, worker: EXPECTED });
});

test('a static directory (a CDN): the unpacked package imported by URL, no bundler', async () => {
  const www = path.join(work, 'www');
  await cp(path.join(work, 'node_modules', 'slatedb-wasm'), path.join(www, 'cdn', 'slatedb-wasm'), { recursive: true });
  await cp(path.join(APPS, 'common.mjs'), path.join(www, 'common.mjs'));
  await mkdir(path.join(www, 'static'));
  await cp(path.join(APPS, 'static_app.html'), path.join(www, 'static', 'index.html'));
  const { result: report, problems } = await runPage('/static/');
  assert.deepEqual(problems, []);
  assert.deepEqual(report, { direct: EXPECTED, worker: EXPECTED });
});
