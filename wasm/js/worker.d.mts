// SPDX-License-Identifier: Apache-2.0
// Types for worker.mjs: SlateDB's API, with the database running in a dedicated worker.
import type {
  BatchOp, Bytes, CheckpointInfo, CheckpointOptions, DbState, FlushType, IsolationLevel,
  ModuleOptions, PutOptions, ReadOptions, Settings, WriteHandle, WriteOptions,
} from './slatedb.mjs';
import type { S3StoreOptions } from './s3_store.mjs';

export { WriteBatch, SlateDBError } from './slatedb.mjs';
import type { WriteBatch } from './slatedb.mjs';

/** A store the worker creates (a store object cannot be sent to a worker). */
export type WorkerStore =
  | 'memory'
  | { type: 'memory' }
  | { type: 'indexeddb'; name?: string }
  | ({ type: 's3' } & S3StoreOptions);

export interface WorkerOpenOptions {
  store: WorkerStore;
  path?: string;
  settings?: Settings;
  /** loadModule() options inside the worker (URLs as strings). */
  module?: Omit<ModuleOptions, 'factory'>;
  /** A Worker running slatedb-wasm/worker_main (yours to terminate). */
  worker?: Worker;
  /** Where worker_main.mjs is served (default: next to worker.mjs). */
  workerUrl?: string | URL;
}

/** An iterator held by the worker; entries come over in batches. */
export declare class WorkerIterator implements AsyncIterableIterator<[Uint8Array, Uint8Array]> {
  private constructor();
  [Symbol.asyncIterator](): this;
  next(): Promise<IteratorResult<[Uint8Array, Uint8Array], undefined>>;
  return(value?: unknown): Promise<IteratorResult<[Uint8Array, Uint8Array], undefined>>;
  nextBatch(): Promise<Array<[Uint8Array, Uint8Array]>>;
  seek(key: Bytes): Promise<void>;
  close(): void;
}

interface WorkerReads {
  get(key: Bytes, options?: ReadOptions): Promise<Uint8Array | undefined>;
  scan(start?: Bytes | null, end?: Bytes | null, options?: ReadOptions): WorkerIterator;
  scanPrefix(prefix: Bytes, options?: ReadOptions): WorkerIterator;
}

export declare class WorkerSnapshot implements WorkerReads {
  private constructor();
  get(key: Bytes, options?: ReadOptions): Promise<Uint8Array | undefined>;
  scan(start?: Bytes | null, end?: Bytes | null, options?: ReadOptions): WorkerIterator;
  scanPrefix(prefix: Bytes, options?: ReadOptions): WorkerIterator;
  close(): void;
}

export declare class WorkerTransaction implements WorkerReads {
  private constructor();
  get(key: Bytes, options?: ReadOptions): Promise<Uint8Array | undefined>;
  scan(start?: Bytes | null, end?: Bytes | null, options?: ReadOptions): WorkerIterator;
  scanPrefix(prefix: Bytes, options?: ReadOptions): WorkerIterator;
  put(key: Bytes, value: Bytes, options?: { ttl?: number }): Promise<void>;
  delete(key: Bytes): Promise<void>;
  merge(key: Bytes, operand: Bytes, options?: { ttl?: number }): Promise<void>;
  markRead(key: Bytes): Promise<void>;
  unmarkWrite(key: Bytes): Promise<void>;
  commit(options?: WriteOptions): Promise<WriteHandle | undefined>;
  rollback(): void;
}

/** SlateDB's API; the database runs in a dedicated worker. */
export declare class SlateDBWorker implements WorkerReads {
  static open(options: WorkerOpenOptions): Promise<SlateDBWorker>;
  private constructor();
  put(key: Bytes, value: Bytes, options?: PutOptions): Promise<WriteHandle>;
  merge(key: Bytes, operand: Bytes, options?: PutOptions): Promise<WriteHandle>;
  delete(key: Bytes, options?: WriteOptions): Promise<WriteHandle>;
  write(batch: WriteBatch | BatchOp[], options?: WriteOptions): Promise<WriteHandle>;
  batch(ops: WriteBatch | BatchOp[], options?: WriteOptions): Promise<WriteHandle>;
  get(key: Bytes, options?: ReadOptions): Promise<Uint8Array | undefined>;
  scan(start?: Bytes | null, end?: Bytes | null, options?: ReadOptions): WorkerIterator;
  scanPrefix(prefix: Bytes, options?: ReadOptions): WorkerIterator;
  snapshot(): Promise<WorkerSnapshot>;
  begin(isolation?: IsolationLevel): Promise<WorkerTransaction>;
  flush(type?: FlushType | { type?: FlushType }): Promise<void>;
  /** Closes the database, then ends the worker if SlateDBWorker.open started it. */
  close(): Promise<void>;
  status(): Promise<void>;
  metrics(): Promise<Record<string, number>>;
  state(): Promise<DbState>;
  createCheckpoint(options?: CheckpointOptions): Promise<{ id: string; manifestId: number }>;
  refreshCheckpoint(id: string, lifetime?: number | null): Promise<void>;
  deleteCheckpoint(id: string): Promise<void>;
  listCheckpoints(): Promise<CheckpointInfo[]>;
}
