// SPDX-License-Identifier: Apache-2.0
//
// Error classes of the JavaScript API: SlateDBError and one subclass per engine error kind,
// StoreError (the object-store protocol's failures, also a SlateDBError), and the mappings
// from the C++ side's status codes. No imports: every other module may import this one.

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

// A store code's engine kind, as Status::kind() maps it (core/src/util/status.cc): a missing
// object is missing data; AlreadyExists/VersionMismatch reaching a user would be a bug.
const STORE_KINDS = {
  NotFound: 'data', AlreadyExists: 'internal', VersionMismatch: 'internal',
  Unavailable: 'unavailable', Invalid: 'invalid', Data: 'data',
};

/**
 * A store failure with a `.code` ("NotFound", "AlreadyExists", "VersionMismatch",
 * "Unavailable", "Invalid", "Data"): what object stores reject with (memory_store.mjs). A
 * SlateDBError, so `catch (e) { if (e instanceof SlateDBError) ... }` covers stores too;
 * its `.kind` is the engine kind of the code (NotFound: 'data'; AlreadyExists and
 * VersionMismatch: 'internal'), as the C++ Status::kind() maps them.
 */
export class StoreError extends SlateDBError {
  constructor(code, message) {
    super(STORE_KINDS[code] ?? 'internal', message);
    this.name = 'StoreError';
    this.code = code;
  }
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
