// SPDX-License-Identifier: Apache-2.0
//
// Error classes of the JavaScript API: SlateDBError and one subclass per engine error kind,
// and the mappings from the C++ side's status codes.
import { StoreError } from './store_common.mjs';

// --- errors --------------------------------------------------------------------------------------

export class SlateDBError extends Error {
  constructor(kind, message) {
    super(message);
    this.name = 'SlateDBError';
    this.kind = kind;
  }
}
export class TransactionError extends SlateDBError {
  constructor(message) { super('transaction', message); this.name = 'TransactionError'; }
}
export class ClosedError extends SlateDBError {
  constructor(message, reason = 'clean') {
    super('closed', message);
    this.name = 'ClosedError';
    this.reason = reason;
  }
}
export class UnavailableError extends SlateDBError {
  constructor(message) { super('unavailable', message); this.name = 'UnavailableError'; }
}
export class InvalidError extends SlateDBError {
  constructor(message) { super('invalid', message); this.name = 'InvalidError'; }
}
export class DataError extends SlateDBError {
  constructor(message) { super('data', message); this.name = 'DataError'; }
}
export class InternalError extends SlateDBError {
  constructor(message) { super('internal', message); this.name = 'InternalError'; }
}

// slatedb::ErrorKind and slatedb::CloseReason numbers.
export const CLOSE_REASONS = ['none', 'clean', 'fenced', 'backgroundError'];
export function dbError(code, kind, reason, message) {
  switch (kind) {
    case 1: return new TransactionError(message);
    case 2: return new ClosedError(message, CLOSE_REASONS[reason] ?? 'clean');
    case 3: return new UnavailableError(message);
    case 4: return new InvalidError(message);
    case 5: return new DataError(message);
    default: return new InternalError(message);
  }
}
// Errors of the store proxy (SlateDB.nativeStore / tests) keep the store codes.
export function storeError(code, kind, reason, message) {
  const names = ['Ok', 'NotFound', 'AlreadyExists', 'VersionMismatch', 'Transaction', 'Closed',
                 'Unavailable', 'Invalid', 'Data', 'Internal'];
  return new StoreError(names[code] ?? 'Internal', message);
}
