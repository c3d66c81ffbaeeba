// SPDX-License-Identifier: Apache-2.0
import type { ObjectStore } from './store_common.mjs';

export interface StoreRequestInfo {
  op: 'get' | 'getRange' | 'head' | 'put' | 'list' | 'delete';
  key: string;
  ok: boolean;
  /** The error's code when !ok. */
  code?: string;
  sentBytes: number;
  receivedBytes: number;
  ms: number;
}

/** Wraps `store`, reporting every call after it settles. */
export declare function observeStore(store: ObjectStore, onRequest: (info: StoreRequestInfo) => void): ObjectStore;
