// SPDX-License-Identifier: Apache-2.0
import type { ObjectMeta, ObjectStore, PutOptions } from './store_common.mjs';
import type { ModuleOptions } from './slatedb.mjs';

export interface HttpRequestInfo {
  method: string;
  url: string;
  /** HTTP status; 0 when no response arrived (then `error` says why). */
  status: number;
  sentBytes: number;
  receivedBytes: number;
  ms: number;
  error?: string;
}

export interface S3StoreOptions {
  bucket: string;
  /** Keys live under it ("" or "a/b/"; a missing "/" is added). */
  prefix?: string;
  /** scheme://host[:port]; omit for AWS (https://s3.<region>.amazonaws.com). */
  endpoint?: string;
  /** Default "us-east-1". */
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  /** Default: true for AWS, false with an endpoint (path style). */
  virtualHostedStyle?: boolean;
  /** Default: true when the endpoint is http://. */
  allowHttp?: boolean;
  /** Hash bodies into the signature (default true). */
  signPayload?: boolean;
  /** Per request, ms (default 60000). The database retries failed requests. */
  timeoutMs?: number;
  /**
   * Probe that the service honours If-None-Match: * (four requests). true (default): probe,
   * but a browser skips it for a day after it passed for this endpoint and bucket
   * (localStorage); 'always': probe on every open; false: never.
   */
  checkConditionalWrites?: boolean | 'always';
  /** Called after every HTTP exchange. */
  onRequest?: (info: HttpRequestInfo) => void;
  module?: ModuleOptions;
}

/** An S3-compatible store over fetch() (the native build's S3 client, compiled to wasm). */
export declare class S3Store implements ObjectStore {
  /** Rejects with InvalidError on a bad configuration or a service without conditional writes. */
  static open(options: S3StoreOptions): Promise<S3Store>;
  private constructor();
  describe(): string;
  /** Releases this handle (databases opened on the store keep their own reference). */
  close(): void;
  get(key: string): Promise<Uint8Array | null>;
  getRange(key: string, offset: number, length: number): Promise<Uint8Array | null>;
  head(key: string): Promise<ObjectMeta | null>;
  put(key: string, data: Uint8Array | ArrayBuffer | string, options?: PutOptions): Promise<ObjectMeta>;
  list(prefix?: string, startAfter?: string): Promise<ObjectMeta[]>;
  delete(key: string): Promise<void>;
}

export declare function s3Store(options: S3StoreOptions): Promise<S3Store>;
