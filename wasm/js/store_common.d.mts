// SPDX-License-Identifier: Apache-2.0
// Types for store_common.mjs and the object-store protocol every store implements.
import { SlateDBError } from './slatedb.mjs';

/** A store failure code (any other rejection counts as "Unavailable"). */
export type StoreErrorCode = 'NotFound' | 'AlreadyExists' | 'VersionMismatch' | 'Unavailable' | 'Invalid' | 'Data';
export declare const STORE_ERROR_CODES: readonly StoreErrorCode[];

/** A store failure; also a SlateDBError whose kind is the code's engine kind. */
export declare class StoreError extends SlateDBError {
  constructor(code: StoreErrorCode, message: string);
  readonly code: StoreErrorCode;
}

export interface ObjectMeta {
  key: string;
  size: number;
  /** Milliseconds since the epoch. */
  lastModified: number;
  /** Opaque version (an ETag, ...), compared for replaceIfVersionMatches. */
  version: string;
}

export type PutMode = 'overwrite' | 'createIfAbsent' | 'replaceIfVersionMatches';
export interface PutOptions {
  mode?: PutMode;
  /** Required with replaceIfVersionMatches. */
  expectedVersion?: string;
}

/**
 * The object-store protocol (documented in memory_store.mjs). Any object with these methods
 * can be a database's store. Results may be Promises or plain values.
 */
export interface ObjectStore {
  /** null/undefined: NotFound. */
  get(key: string): Promise<Uint8Array | ArrayBuffer | null | undefined> | Uint8Array | ArrayBuffer | null | undefined;
  getRange(key: string, offset: number, length: number): Promise<Uint8Array | ArrayBuffer | null | undefined> | Uint8Array | ArrayBuffer | null | undefined;
  head(key: string): Promise<Partial<ObjectMeta> | null | undefined> | Partial<ObjectMeta> | null | undefined;
  put(key: string, data: Uint8Array, options?: PutOptions): Promise<Partial<ObjectMeta> | void> | Partial<ObjectMeta> | void;
  list(prefix: string, startAfter: string): Promise<ObjectMeta[]> | ObjectMeta[];
  delete(key: string): Promise<void> | void;
  describe?(): string;
}

export declare function validateKey(key: string): void;
export declare function compareKeys(a: string, b: string): number;
export declare function toBytes(value: Uint8Array | ArrayBuffer | ArrayBufferView | string, what?: string): Uint8Array;
export declare function putOptions(options?: PutOptions): { mode: PutMode; expectedVersion?: string };
export declare function checkRange(offset: number, length: number): void;
