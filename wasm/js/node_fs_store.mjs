// SPDX-License-Identifier: Apache-2.0
//
// NodeFsStore: the store protocol (memory_store.mjs) over a directory, for Node. One file per
// object, key "a/b/c" at <root>/a/b/c: the same layout as the native LocalObjectStore
// (platform/), so either can open a database the other wrote.
//
// * Every put writes a temp file in <root>/.tmp/, fsyncs it, then publishes it in one step:
//   rename() for "overwrite", link() for "createIfAbsent" (fails with EEXIST if the key
//   exists: atomic, also against other processes and the native store). For
//   "replaceIfVersionMatches" the version check and rename() run under a lock that covers
//   this process only (Node has no flock); the engine's cross-process coordination uses
//   createIfAbsent.
// * Versions are "<inode>-<mtime ns>-<size>" in hex (as the native store computes them).
// * Keys never leave the root: they pass validateKey (no "..", no leading "/"), the parent
//   directory must resolve (realpath) inside the root, and files are opened with O_NOFOLLOW.
//   ".tmp" and ".lock" at the top are reserved (Invalid as keys, never listed).
// * Errors: ENOENT/ENOTDIR -> NotFound, EACCES/EPERM/ELOOP -> Invalid, others -> Unavailable.
//   A root that cannot be a directory (a file on the path), or that may not be written,
//   fails open() with StoreError('Invalid') naming it; every error is a StoreError, which is
//   a SlateDBError.
import { constants as C, promises as fsp } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

import { StoreError, checkRange, compareKeys, putOptions, toBytes, validateKey } from './store_common.mjs';
import { describeAs, quote } from './inspect.mjs';

export { StoreError } from './store_common.mjs';

const RESERVED = new Set(['.tmp', '.lock']);
const casLocks = new Map();  // realRoot -> Promise chain serialising replaceIfVersionMatches
let tempCounter = 0;

function mapError(err, key) {
  if (err instanceof StoreError) return err;
  const what = `${err?.code ?? 'error'} on ${key}: ${err?.message ?? err}`;
  switch (err?.code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new StoreError('NotFound', `no object ${key}`);
    case 'EACCES':
    case 'EPERM':
    case 'ELOOP':
      return new StoreError('Invalid', what);
    default:
      return new StoreError('Unavailable', what);
  }
}

// Why a root could not be opened, as a StoreError (a SlateDBError) naming the root.
function openError(root, err) {
  const what = `NodeFsStore: cannot open ${root}`;
  switch (err?.code) {
    case 'ENOTDIR':
    case 'EEXIST':
      return new StoreError('Invalid', `${what}: it or a parent is not a directory`);
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new StoreError('Invalid', `${what}: permission denied (${err.code})`);
    case 'ELOOP':
    case 'ENAMETOOLONG':
      return new StoreError('Invalid', `${what}: ${err.code}`);
    default:
      return new StoreError('Unavailable', `${what}: ${err?.code ?? ''} ${err?.message ?? err}`.trim());
  }
}

function versionOf(st) {
  return `${st.ino.toString(16)}-${st.mtimeNs.toString(16)}-${st.size.toString(16)}`;
}

function metaOf(key, st) {
  return {
    key,
    size: Number(st.size),
    lastModified: Number(st.mtimeMs),
    version: versionOf(st),
  };
}

export class NodeFsStore {
  /** Opens (creating if needed) a store rooted at directory `root`. */
  static async open(root) {
    const s = new NodeFsStore(root);
    await s._ready;
    return s;
  }

  /** Prefer NodeFsStore.open(); a constructed store finishes setting up on first use. */
  constructor(root) {
    if (typeof root !== 'string' || root === '') {
      throw new StoreError('Invalid', 'NodeFsStore needs a root directory');
    }
    this._ready = this._init(path.resolve(root));
    this._ready.catch(() => {});  // reported by the first operation
  }

  async _init(root) {
    try {
      await fsp.mkdir(path.join(root, '.tmp'), { recursive: true });
      this.root = await fsp.realpath(root);
    } catch (e) {
      throw openError(root, e);
    }
    this._tmp = path.join(this.root, '.tmp');
  }

  describe() { return `node-fs:${this.root ?? '(opening)'}`; }

  // The absolute path for `key`, after the key rules and the reserved names.
  _path(key) {
    validateKey(key);
    const parts = key.split('/');
    if (RESERVED.has(parts[0])) throw new StoreError('Invalid', `reserved object key: ${key}`);
    return path.join(this.root, ...parts);
  }

  // Throws Invalid if `dir` resolves outside the root (a symlinked directory).
  async _checkInside(dir, key) {
    const real = await fsp.realpath(dir);
    if (real !== this.root && !real.startsWith(this.root + path.sep)) {
      throw new StoreError('Invalid', `object key leads outside the store: ${key}`);
    }
  }

  async _openRead(key) {
    await this._ready;
    const p = this._path(key);
    await this._checkInside(path.dirname(p), key);
    const fh = await fsp.open(p, C.O_RDONLY | C.O_NOFOLLOW);
    try {
      const st = await fh.stat({ bigint: true });
      if (!st.isFile()) throw new StoreError('NotFound', `no object ${key}`);
      return { fh, st };
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  async get(key) {
    let h;
    try {
      h = await this._openRead(key);
      return new Uint8Array(await h.fh.readFile());
    } catch (e) {
      const err = mapError(e, key);
      if (err.code === 'NotFound') return null;
      throw err;
    } finally {
      await h?.fh.close();
    }
  }

  async getRange(key, offset, length) {
    checkRange(offset, length);
    let h;
    try {
      h = await this._openRead(key);
      const size = Number(h.st.size);
      if (offset > size) {
        throw new StoreError('Invalid', `range offset ${offset} beyond size ${size}: ${key}`);
      }
      const n = Math.min(size - offset, length);
      const buf = new Uint8Array(n);
      let got = 0;
      while (got < n) {
        const { bytesRead } = await h.fh.read(buf, got, n - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return got === n ? buf : buf.subarray(0, got);
    } catch (e) {
      const err = mapError(e, key);
      if (err.code === 'NotFound') return null;
      throw err;
    } finally {
      await h?.fh.close();
    }
  }

  async head(key) {
    try {
      await this._ready;
      const p = this._path(key);
      await this._checkInside(path.dirname(p), key);
      const st = await fsp.lstat(p, { bigint: true });
      if (st.isSymbolicLink()) throw new StoreError('Invalid', `object is a symlink: ${key}`);
      if (!st.isFile()) return null;
      return metaOf(key, st);
    } catch (e) {
      const err = mapError(e, key);
      if (err.code === 'NotFound') return null;
      throw err;
    }
  }

  async put(key, data, options) {
    const { mode, expectedVersion } = putOptions(options);
    const bytes = toBytes(data, 'data');
    await this._ready;
    const target = this._path(key);
    const dir = path.dirname(target);
    try {
      await fsp.mkdir(dir, { recursive: true });
    } catch (e) {
      if (e.code === 'EEXIST' || e.code === 'ENOTDIR') {
        throw new StoreError('Invalid', `a parent of ${key} is an object`);
      }
      throw mapError(e, key);
    }
    await this._checkInside(dir, key);

    const temp = path.join(
      this._tmp, `${process.pid}-${++tempCounter}-${randomBytes(6).toString('hex')}`);
    let st;
    try {
      const fh = await fsp.open(temp, 'wx', 0o644);
      try {
        await fh.writeFile(bytes);
        await fh.sync();
        st = await fh.stat({ bigint: true });
      } finally {
        await fh.close();
      }
      if (mode === 'createIfAbsent') {
        try {
          await fsp.link(temp, target);
        } catch (e) {
          if (e.code === 'EEXIST') throw new StoreError('AlreadyExists', `object exists: ${key}`);
          throw e;
        }
      } else if (mode === 'overwrite') {
        await this._rename(temp, target, key);
      } else {
        await this._withCasLock(async () => {
          let cur;
          try {
            cur = await fsp.lstat(target, { bigint: true });
          } catch (e) {
            throw mapError(e, key);
          }
          if (!cur.isFile()) throw new StoreError('NotFound', `no object ${key}`);
          if (versionOf(cur) !== expectedVersion) {
            throw new StoreError('VersionMismatch',
                                 `version of ${key} is ${versionOf(cur)}, not ${expectedVersion}`);
          }
          await this._rename(temp, target, key);
        });
      }
      await syncDir(dir);
    } catch (e) {
      throw mapError(e, key);
    } finally {
      await fsp.unlink(temp).catch(() => {});  // after link(); or if never published
    }
    return metaOf(key, st);
  }

  async _rename(temp, target, key) {
    try {
      await fsp.rename(temp, target);
    } catch (e) {
      if (e.code === 'EISDIR' || e.code === 'ENOTEMPTY' || e.code === 'EEXIST') {
        throw new StoreError('Invalid', `${key} is a prefix of other objects`);
      }
      throw e;
    }
  }

  async _withCasLock(fn) {
    const prev = casLocks.get(this.root) ?? Promise.resolve();
    let release;
    const mine = new Promise((r) => { release = r; });
    const chain = prev.then(() => mine);
    casLocks.set(this.root, chain);
    await prev;
    try {
      return await fn();
    } finally {
      release();
      if (casLocks.get(this.root) === chain) casLocks.delete(this.root);
    }
  }

  async list(prefix = '', startAfter = '') {
    if (typeof prefix !== 'string' || typeof startAfter !== 'string') {
      throw new StoreError('Invalid', 'list needs string prefix and startAfter');
    }
    await this._ready;
    // Walk from the deepest directory the prefix names completely.
    const cut = prefix.lastIndexOf('/');
    const baseKey = cut >= 0 ? prefix.slice(0, cut) : '';
    if (baseKey !== '' && baseKey.split('/').some((s) => s === '' || s === '.' || s === '..')) {
      return [];  // no valid key lies under such a prefix
    }
    const out = [];
    const walk = async (dirKey) => {
      const dir = dirKey === '' ? this.root : path.join(this.root, ...dirKey.split('/'));
      let entries;
      try {
        entries = await fsp.readdir(dir, { withFileTypes: true });
      } catch (e) {
        if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return;
        throw mapError(e, dirKey || '(root)');
      }
      for (const ent of entries) {
        if (dirKey === '' && RESERVED.has(ent.name)) continue;
        const key = dirKey === '' ? ent.name : `${dirKey}/${ent.name}`;
        if (ent.isDirectory()) {
          // Descend only where keys with the prefix can live.
          const asDir = `${key}/`;
          if (asDir.startsWith(prefix) || prefix.startsWith(asDir)) await walk(key);
        } else if (ent.isFile()) {
          if (!key.startsWith(prefix)) continue;
          if (startAfter !== '' && compareKeys(key, startAfter) <= 0) continue;
          try {
            out.push(metaOf(key, await fsp.lstat(path.join(dir, ent.name), { bigint: true })));
          } catch (e) {
            if (e.code !== 'ENOENT') throw mapError(e, key);  // deleted meanwhile: skip
          }
        }
      }
    };
    if (baseKey !== '' && RESERVED.has(baseKey.split('/')[0])) return [];
    if (baseKey !== '') await this._checkInside(this.root, baseKey);
    await walk(baseKey);
    out.sort((a, b) => compareKeys(a.key, b.key));
    return out;
  }

  async delete(key) {
    await this._ready;
    const p = this._path(key);
    try {
      await this._checkInside(path.dirname(p), key);
      await fsp.unlink(p);
    } catch (e) {
      const err = mapError(e, key);
      if (err.code === 'NotFound') return;  // idempotent
      if (e.code === 'EISDIR') return;      // a prefix of other objects, not an object
      throw err;
    }
  }
}

async function syncDir(dir) {
  let fh;
  try {
    fh = await fsp.open(dir, 'r');
    await fh.sync();
  } catch {
    // Not every file system lets a directory be fsynced; the data itself was.
  } finally {
    await fh?.close();
  }
}

describeAs(NodeFsStore, function () { return `NodeFsStore { root: ${quote(this.root ?? '(opening)')} }`; });
