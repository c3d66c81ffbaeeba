// SPDX-License-Identifier: Apache-2.0
//
// Error classes of the JavaScript API: SlateDBError, one subclass per engine error kind, and
// StoreError (the object-store protocol's failures, also a SlateDBError). The kinds, their
// names and their classes' names are the core's table (core/include/slatedb/error_kinds.h);
// C++ rejects a call with the *name* of the class to raise (and of the close reason), so
// nothing here mirrors a number. `SlateDB.errorKinds()` returns the core's table; the tests
// check every row has its class here, and STORE_KINDS against its `codeKinds`.
// No imports: every other module may import this one.

export class SlateDBError extends Error {
  constructor(kind, message) {
    super(message);
    this.name = 'SlateDBError';
    this.kind = kind;
  }
}

// One subclass per kind: `name` is the core table's jsClass, `kind` its name.
function kindClass(name, kind) {
  const cls = class extends SlateDBError {
    constructor(message) {
      super(kind, message);
      this.name = name;
    }
  };
  Object.defineProperty(cls, 'name', { value: name });
  return cls;
}

export const TransactionError = kindClass('TransactionError', 'transaction');
export const UnavailableError = kindClass('UnavailableError', 'unavailable');
export const InvalidError = kindClass('InvalidError', 'invalid');
export const DataError = kindClass('DataError', 'data');
export const InternalError = kindClass('InternalError', 'internal');
export class ClosedError extends SlateDBError {
  // `reason`: "clean" | "fenced" | "backgroundError" (the core's close-reason ids).
  constructor(message, reason = 'clean') {
    super('closed', message);
    this.name = 'ClosedError';
    this.reason = reason;
  }
}

// A store code's engine kind: the core's Status::kind() mapping (error_kinds.h, `codeKinds`),
// needed synchronously here because JavaScript stores throw before any module is loaded. A
// missing object is missing data; AlreadyExists/VersionMismatch reaching a user is a bug.
export const STORE_KINDS = Object.freeze({
  NotFound: 'data', AlreadyExists: 'internal', VersionMismatch: 'internal',
  Unavailable: 'unavailable', Invalid: 'invalid', Data: 'data',
});

/**
 * A store failure with a `.code` ("NotFound", "AlreadyExists", "VersionMismatch",
 * "Unavailable", "Invalid", "Data"): what object stores reject with (memory_store.mjs). A
 * SlateDBError, so `catch (e) { if (e instanceof SlateDBError) ... }` covers stores too;
 * its `.kind` is the engine kind of the code (STORE_KINDS).
 */
export class StoreError extends SlateDBError {
  constructor(code, message) {
    super(STORE_KINDS[code] ?? 'internal', message);
    this.name = 'StoreError';
    this.code = code;
  }
}

// The classes by the name C++ sends (ErrorKindInfo::js_class).
export const ERROR_CLASSES = Object.freeze({
  TransactionError, ClosedError, UnavailableError, InvalidError, DataError, InternalError,
});

// Builds the error for a rejected engine call: `info` = {code, errorClass, reason}.
export function dbError(info, message) {
  if (info.errorClass === 'ClosedError') {
    return new ClosedError(message, info.reason === 'none' ? 'clean' : info.reason);
  }
  const cls = ERROR_CLASSES[info.errorClass] ?? InternalError;
  return new cls(message);
}
// Errors of the store proxy (SlateDB.nativeStore / tests) keep the store's code name.
export function storeError(info, message) {
  return new StoreError(info.code, message);
}
