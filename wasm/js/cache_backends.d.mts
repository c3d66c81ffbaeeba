// SPDX-License-Identifier: Apache-2.0
import type { CacheBackend } from './cached_store.mjs';

export declare class MemoryCacheBackend implements CacheBackend {
  readonly kind: 'memory';
  list(): Promise<{ name: string; size: number; modified: number }[]>;
  open(name: string): Promise<{ size: number; read(offset: number, length: number): Promise<Uint8Array> } | null>;
  write(name: string, bytes: Uint8Array): Promise<void>;
  remove(name: string): Promise<void>;
  close(): void;
  raw(name: string): Uint8Array | undefined;
  setRaw(name: string, bytes: Uint8Array): void;
}
export declare class OpfsCacheBackend extends MemoryCacheBackend {
  static available(): boolean;
  static open(rootFolder: string): Promise<OpfsCacheBackend>;
}
export declare class IndexedDbCacheBackend extends MemoryCacheBackend {
  static available(factory?: IDBFactory): boolean;
  static open(rootFolder: string, factory?: IDBFactory): Promise<IndexedDbCacheBackend>;
}
