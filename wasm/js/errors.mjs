// SPDX-License-Identifier: Apache-2.0
//
// Error classes of the JavaScript API: SlateDBError and one subclass per engine error kind.
// The kinds, their names and their classes' names are the core's table
// (core/include/slatedb/error_kinds.h); C++ rejects a call with the *name* of the class to
// raise (and of the close reason), so nothing here mirrors a number. `errorKinds()` in
// slatedb.mjs returns the core's table; the tests check every row has its class here.
import { StoreError } from './store_common.mjs';

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
