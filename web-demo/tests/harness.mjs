// SPDX-License-Identifier: Apache-2.0
//
// Shared by the browser tests: the static server, headless Chromium through playwright-core
// (Debian's chromium; playwright cannot download browsers here), and (re-exported from
// ../s3_local.mjs) S3 bucket setup on the local moto server with the CORS rules a browser needs.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { startServer } from '../serve.mjs';

export { S3_CREDS, setupBucket, startHeadCorsProxy } from '../s3_local.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Where screenshots go (a build directory, never committed). */
export const ARTIFACTS = process.env.SLATEDB_BROWSER_ARTIFACTS ?? path.join(ROOT, 'build', 'browser-artifacts');

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const PLAYWRIGHT = path.join(ROOT, 'wasm', 'node_modules', 'playwright-core', 'index.mjs');

/** Why the browser tests cannot run here, or false. */
export function browserSkipReason() {
  if (!existsSync(PLAYWRIGHT)) return `playwright-core is not installed (npm ci in wasm/)`;
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
  if (!existsSync(path.join(ROOT, 'wasm', 'dist', 'slatedb_wasm.wasm'))) return 'the wasm module is not built (scripts/build-wasm.sh)';
  return false;
}

/**
 * Starts the static server and a headless Chromium. Resolves with {browser, server, newPage,
 * close}; newPage() collects page errors into page.errors.
 */
export async function startBrowser() {
  const { chromium } = await import(pathToFileURL(PLAYWRIGHT).href);
  const server = await startServer({ port: 0 });
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
             '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  } catch (e) {
    await server.close();
    throw e;
  }
  await mkdir(ARTIFACTS, { recursive: true });
  return {
    browser,
    server,
    /**
     * A page on the demo (its own browser context, unless `context` is given: pages of one
     * context share IndexedDB, localStorage and BroadcastChannel, like tabs of one profile).
     * page.errors collects uncaught errors, page.consoleErrors console errors (DevTools'
     * red lines, failed requests included).
     */
    async newPage(urlPath = '', context = null) {
      const page = context ? await context.newPage() : await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      page.errors = [];
      page.consoleErrors = [];
      page.on('pageerror', (e) => page.errors.push(e.message));
      page.on('console', (m) => { if (m.type() === 'error') page.consoleErrors.push(m.text()); });
      await page.goto(new URL(urlPath, server.url).href);
      await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
      return page;
    },
    /** A browser context: a profile whose pages act as tabs of one user. */
    newContext() { return browser.newContext({ viewport: { width: 1280, height: 1000 } }); },
    async close() {
      await browser.close().catch(() => {});
      await server.close();
    },
  };
}

