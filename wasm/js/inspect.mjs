// SPDX-License-Identifier: Apache-2.0
//
// Compact descriptions of the API's objects. Handles hold the Emscripten module, whose heap
// views are hundreds of megabytes of numbers: console.log(db) in Node must print a line, not
// the module, and String(db) must say what the object is.

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * Gives `cls` a toString() and a Node inspect hook that both return `describe.call(obj)`
 * (a short string such as "SlateDB { path: 'db', store: 'memory', state: 'open' }").
 */
export function describeAs(cls, describe) {
  Object.defineProperty(cls.prototype, INSPECT, {
    value() { return describe.call(this); }, configurable: true, writable: true,
  });
  Object.defineProperty(cls.prototype, 'toString', {
    value() { return describe.call(this); }, configurable: true, writable: true,
  });
}

/** Sets obj[name] = value as a non-enumerable property (kept out of browser console previews). */
export function hidden(obj, name, value) {
  Object.defineProperty(obj, name, { value, writable: true, configurable: true, enumerable: false });
}

/** 'text' quoted like Node quotes strings, for descriptions. */
export function quote(text) { return `'${String(text).replace(/['\\]/g, '\\$&')}'`; }
