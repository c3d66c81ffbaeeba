// SPDX-License-Identifier: Apache-2.0
import type { ObjectMeta, ObjectStore, PutOptions } from './store_common.mjs';
export { StoreError } from './store_common.mjs';

/** A store over a local directory (Node only); the native LocalObjectStore's layout. */
export declare class NodeFsStore implements ObjectStore {
  /** Opens (creating if needed) the directory `root`. */
  static open(root: string): Promise<NodeFsStore>;
  readonly root: string;
  describe(): string;
  get(key: string): Promise<Uint8Array | null>;
  getRange(key: string, offset: number, length: number): Promise<Uint8Array | null>;
  head(key: string): Promise<ObjectMeta | null>;
  put(key: string, data: Uint8Array | ArrayBuffer | string, options?: PutOptions): Promise<ObjectMeta>;
  list(prefix?: string, startAfter?: string): Promise<ObjectMeta[]>;
  delete(key: string): Promise<void>;
}
