// SPDX-License-Identifier: Apache-2.0
//
// The JavaScript half of the C++ glue, compiled into the module with --pre-js (so it
// shares the module's scope: HEAPU8, _malloc, the exported _slatedb_* functions). The EM_JS
// functions in js_host.cc call into `SlateRt`; the ES-module wrapper (js/slatedb.mjs)
// reaches it as `Module.slatedbRt`.
//
// What lives here:
// * a handle table for JS objects the C++ side refers to (stores, merge operators, prefix
//   extractors);
// * "calls": Promises that C++ settles later through slatedb_js_settle();
// * the object-store protocol: calling a page-supplied store and reporting back into C++;
// * the Executor's scheduling (macrotasks and timers) and the clock;
// * byte copies between JS and the wasm heap.
//
// Everything that C++ calls into is wrapped in try/catch: a JS exception must never unwind
// through wasm frames (C++ destructors would not run).

var SlateRt = (function () {
  'use strict';

  // Errors cross the boundary by name (the core's tables, slatedb/error_kinds.h): C++
  // rejects a call with its code's name, its kind's JS class and its close reason; a JS
  // store fails with StoreError codes by name, which C++ maps. No numbers to keep in step.

  var encoder = new TextEncoder();
  var decoder = new TextDecoder('utf-8');

  // --- heap helpers ----------------------------------------------------------------------------
  function heap() { return HEAPU8; }  // re-read on every use: memory growth replaces it

  function copyOut(ptr, len) {
    ptr >>>= 0; len >>>= 0;
    return heap().slice(ptr, ptr + len);
  }
  // The double at `ptr` (8-byte aligned, as C++ lays doubles out).
  function f64(ptr) { return HEAPF64[ptr >>> 3]; }
  function utf8(ptr, len) {
    ptr >>>= 0; len >>>= 0;
    if (len === 0) return '';
    return decoder.decode(heap().subarray(ptr, ptr + len));
  }
  function asBytes(v) {
    if (v instanceof Uint8Array) return v;
    if (typeof v === 'string') return encoder.encode(v);
    if (v instanceof ArrayBuffer) return new Uint8Array(v);
    if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    return null;
  }
  // Copies `buffers` (Uint8Array, string or null) into the heap, calls
  // fn(ptr0, len0, ptr1, len1, ...) and releases the copy. Strings are UTF-8 encoded straight
  // into the heap (no intermediate Uint8Array). The C++ side copies what it keeps.
  //
  // Small arguments (the common key/value case) go to one scratch block allocated once
  // instead of a malloc/free pair per call; it is taken for the duration of fn only, so a
  // nested call (a merge operator calling back into the database) mallocs its own.
  var SCRATCH_BYTES = 64 * 1024;
  var scratch = 0;
  var scratchBusy = false;
  function withBytes(buffers, fn) {
    var total = 0;
    for (var i = 0; i < buffers.length; i++) total += bound(buffers[i]);
    var base = total > 0 ? takeBlock(total) : 0;
    try {
      var h = heap();
      var at = base;
      // One or two buffers: no argument array.
      if (buffers.length <= 2) {
        var p0 = 0, n0 = 0, p1 = 0, n1 = 0;
        var b0 = buffers[0];
        if (b0 && b0.length) { p0 = at; n0 = put(h, at, b0); at += n0; }
        if (buffers.length === 2) {
          var b1 = buffers[1];
          if (b1 && b1.length) { p1 = at; n1 = put(h, at, b1); }
          return fn(p0, n0, p1, n1);
        }
        return fn(p0, n0);
      }
      var args = [];
      for (var j = 0; j < buffers.length; j++) {
        var b = buffers[j];
        if (b && b.length) {
          var n = put(h, at, b);
          args.push(at, n);
          at += n;
        } else {
          args.push(0, 0);
        }
      }
      return fn.apply(null, args);
    } finally {
      dropBlock(base);
    }
  }
  // Writes a string (UTF-8) or bytes at heap offset `at`; returns the byte count.
  function put(h, at, b) {
    if (typeof b === 'string') return encoder.encodeInto(b, h.subarray(at, at + b.length * 3)).written;
    h.set(b, at);
    return b.length;
  }

  // --- handles ---------------------------------------------------------------------------------
  var handles = new Map();
  var nextHandle = 1;
  function register(obj) {
    var id = nextHandle++;
    handles.set(id, obj);
    return id;
  }
  function release(id) { handles.delete(id); }
  function lookup(id) { return handles.get(id); }

  // --- keep-alive (Node) -----------------------------------------------------------------------
  // Background timers (WAL flush, polling) must not keep a Node process alive on their own,
  // so they are unref'd; while a caller awaits a Promise from us, one ref'd interval keeps the
  // event loop running so those timers can still fire.
  var isNode = typeof process === 'object' && process !== null && process.versions != null &&
               process.versions.node != null;
  // One interval for the module's lifetime, ref'd only while something is pending:
  // ref()/unref() are cheap, unlike creating and clearing a timer around every call.
  var busy = 0;
  var keepAliveTimer = null;
  function busyInc() {
    if (++busy === 1 && isNode) {
      if (keepAliveTimer === null) keepAliveTimer = setInterval(function () {}, 1 << 30);
      else keepAliveTimer.ref();
    }
  }
  function busyDec() {
    if (--busy === 0 && keepAliveTimer !== null) keepAliveTimer.unref();
  }

  // --- calls settled by C++ --------------------------------------------------------------------
  var calls = new Map();
  var nextCall = 1;
  function defaultError(info, message) {
    var e = new Error(message);
    e.code = info.code;
    return e;
  }
  var errorFactory = defaultError;
  // decode(dataPtr, dataLen, num) -> value, run synchronously inside the settle.
  // makeError({code, errorClass, reason}, message) -> Error; defaults to errorFactory. `code`
  // is a StatusCode name ("NotFound"), `errorClass` the JS class of its kind
  // ("InvalidError"), `reason` a close reason ("fenced").
  function newCall(decode, makeError) {
    var id = nextId();
    var entry = { decode: decode, makeError: makeError, resolve: null, reject: null };
    var promise = new Promise(function (resolve, reject) {
      entry.resolve = resolve;
      entry.reject = reject;
    });
    calls.set(id, entry);
    busyInc();
    return { id: id, promise: promise };
  }
  function nextId() {
    var id = nextCall++;
    if (nextCall > 0x7fffffff) nextCall = 1;
    return id;
  }
  // Fails a call that C++ never saw (the export threw before taking it).
  function abandonCall(id, err) {
    var c = calls.get(id);
    if (!c) return;
    calls.delete(id);
    busyDec();
    c.reject(err);
  }

  // Calls answered inside the export (a memtable or block-cache hit, a non-durable put):
  // begin() takes a call id and makes it the "inline" call; a settle of that id while the
  // export runs is kept in the in* variables instead of resolving a Promise, so such a call
  // costs no Promise, no table entry and no keep-alive bookkeeping. finish() ends it:
  // 0 when it settled (or the export threw), with the outcome in lastOk / lastValue (read
  // them at once); otherwise the call is registered like newCall() and its id returned,
  // whose Promise pending() gives. A nested call (an export reaching JS that calls back in,
  // e.g. a merge operator) saves the outer call's state and restores it.
  var inId = 0, inDone = false, inOk = false, inValue, inDecode = null, inMakeError = null;
  var depth = 0;
  var outer = [];
  var lastOk = false;
  var lastValue;
  var lastEntry = null;
  function begin(decode, makeError) {
    var id = nextId();
    if (depth++ > 0) outer.push([inId, inDone, inOk, inValue, inDecode, inMakeError]);
    inId = id; inDone = false; inOk = false; inValue = undefined;
    inDecode = decode; inMakeError = makeError;
    return id;
  }
  function finish(id, threw, err) {
    var done = inDone, ok = inOk, value = inValue, decode = inDecode, makeError = inMakeError;
    if (--depth > 0) {
      var o = outer.pop();
      inId = o[0]; inDone = o[1]; inOk = o[2]; inValue = o[3]; inDecode = o[4]; inMakeError = o[5];
    } else {
      inId = 0; inValue = undefined; inDecode = null; inMakeError = null;
    }
    if (done) {
      lastOk = ok;
      lastValue = value;
      return 0;
    }
    if (threw) {  // C++ never took the call
      lastOk = false;
      lastValue = err;
      return 0;
    }
    var entry = { decode: decode, makeError: makeError, resolve: null, reject: null };
    calls.set(id, entry);
    busyInc();
    lastEntry = entry;
    return id;
  }
  // run(decode, makeError, start): start(id) calls the export; returns what finish() does.
  function run(decode, makeError, start) {
    var id = begin(decode, makeError);
    var threw = false;
    var err;
    try {
      start(id);
    } catch (e) {
      threw = true;
      err = e;
    }
    return finish(id, threw, err);
  }
  // The Promise of the call finish() just registered (call right after it).
  function pending() {
    var entry = lastEntry;
    lastEntry = null;
    return new Promise(function (resolve, reject) {
      entry.resolve = resolve;
      entry.reject = reject;
    });
  }
  // finish()'s outcome as a Promise: already settled when the export answered at once.
  function promiseOf(r) {
    if (r !== 0) return pending();
    var v = lastValue;
    lastValue = undefined;
    return lastOk ? Promise.resolve(v) : Promise.reject(v);
  }
  // For exports that always answer inside the call: returns the value or throws the error.
  function callSync(decode, makeError, start) {
    if (run(decode, makeError, start) !== 0) {
      var v = pending();
      v.catch(function () {});
      throw new Error('slatedb: the export did not answer at once');
    }
    var value = lastValue;
    lastValue = undefined;
    if (!lastOk) throw value;
    return value;
  }
  function invoke(decode, makeError, start) {
    return promiseOf(run(decode, makeError, start));
  }

  // The per-key calls without closures or argument arrays: fn(h, keyPtr, keyLen, a, b, id)
  // (get, delete) and fn(h, keyPtr, keyLen, valuePtr, valueLen, a, b, id) (put, merge).
  // `k` and `v` are strings or Uint8Arrays; strings are UTF-8 encoded into the heap.
  var argLen = 0;  // byte length written by the last stage() call
  function bound(b) { return b == null ? 0 : typeof b === 'string' ? b.length * 3 : b.length; }
  // Writes `b` at heap offset `at` (room for bound(b) bytes); sets argLen.
  function stage(at, b) {
    if (b == null) { argLen = 0; return; }
    var h = HEAPU8;
    if (typeof b !== 'string') {
      h.set(b, at);
      argLen = b.length;
      return;
    }
    var n = b.length;
    if (n <= 32) {  // short strings (keys): ASCII by hand, cheaper than a TextEncoder call
      for (var i = 0; i < n; i++) {
        var c = b.charCodeAt(i);
        if (c >= 0x80) {
          argLen = encoder.encodeInto(b, h.subarray(at, at + n * 3)).written;
          return;
        }
        h[at + i] = c;
      }
      argLen = n;
      return;
    }
    argLen = encoder.encodeInto(b, h.subarray(at, at + n * 3)).written;
  }
  // A block for `total` bytes: the scratch block when free (then scratchBusy is set), else
  // a malloc'd one (the caller frees it when it is not `scratch`).
  function takeBlock(total) {
    if (!scratchBusy && total <= SCRATCH_BYTES) {
      if (!scratch) scratch = _malloc(SCRATCH_BYTES);
      if (scratch) {
        scratchBusy = true;
        return scratch;
      }
    }
    var p = _malloc(total || 1);
    if (!p) throw new RangeError('slatedb: out of wasm memory');
    return p;
  }
  function dropBlock(p) {
    if (p === scratch) scratchBusy = false;
    else if (p) _free(p);
  }
  function invokeKey(decode, fn, h, k, a, b) {
    var id = begin(decode, null);
    var threw = false;
    var err;
    var block = 0;
    try {
      block = takeBlock(bound(k));
      stage(block, k);
      fn(h, block, argLen, a, b, id);
    } catch (e) {
      threw = true;
      err = e;
    } finally {
      dropBlock(block);
    }
    return promiseOf(finish(id, threw, err));
  }
  function invokeKeyValue(decode, fn, h, k, v, a, b) {
    var id = begin(decode, null);
    var threw = false;
    var err;
    var block = 0;
    try {
      var kb = bound(k);
      block = takeBlock(kb + bound(v));
      stage(block, k);
      var kl = argLen;
      stage(block + kl, v);
      fn(h, block, kl, argLen ? block + kl : 0, argLen, a, b, id);
    } catch (e) {
      threw = true;
      err = e;
    } finally {
      dropBlock(block);
    }
    return promiseOf(finish(id, threw, err));
  }

  // Delivers the outcome of call `id`: `ok` with make(decode) building the value, or an
  // error built by make(makeError).
  function deliver(id, ok, make) {
    var c;
    if (id === inId && id !== 0) {
      if (inDone) return;  // never settles twice
      inDone = true;
      try {
        inValue = make(ok ? inDecode : inMakeError);
        inOk = ok;
      } catch (e) {
        inOk = false;
        inValue = e;
      }
      return;
    }
    c = calls.get(id);
    if (!c) return;  // never settles twice
    calls.delete(id);
    busyDec();
    try {
      if (ok) c.resolve(make(c.decode));
      else c.reject(make(c.makeError));
    } catch (e) {
      c.reject(e);
    }
  }
  function settle(id, dataPtr, dataLen, num) {
    deliver(id, true, function (decode) {
      return decode ? decode(dataPtr >>> 0, dataLen >>> 0, num) : undefined;
    });
  }
  function reject(id, codePtr, codeLen, classPtr, classLen, reasonPtr, reasonLen, msgPtr,
                  msgLen) {
    var info = { code: utf8(codePtr, codeLen), errorClass: utf8(classPtr, classLen),
                 reason: utf8(reasonPtr, reasonLen) };
    var message = utf8(msgPtr, msgLen);
    deliver(id, false, function (makeError) { return (makeError || errorFactory)(info, message); });
  }

  // --- ObjectMeta list codec (same layout as meta_codec.cc) -----------------------------------
  // u32 count, then per entry: u32 keyLen, key bytes, f64 size, f64 lastModified,
  // u32 versionLen, version bytes. Little-endian.
  function encodeMetas(metas) {
    var parts = [];
    var total = 4;
    for (var i = 0; i < metas.length; i++) {
      var k = encoder.encode(metas[i].key);
      var v = encoder.encode(metas[i].version);
      parts.push([k, v, metas[i].size, metas[i].lastModified]);
      total += 4 + k.length + 16 + 4 + v.length;
    }
    var out = new Uint8Array(total);
    var dv = new DataView(out.buffer);
    var at = 0;
    dv.setUint32(at, metas.length, true); at += 4;
    for (var j = 0; j < parts.length; j++) {
      var p = parts[j];
      dv.setUint32(at, p[0].length, true); at += 4;
      out.set(p[0], at); at += p[0].length;
      dv.setFloat64(at, p[2], true); at += 8;
      dv.setFloat64(at, p[3], true); at += 8;
      dv.setUint32(at, p[1].length, true); at += 4;
      out.set(p[1], at); at += p[1].length;
    }
    return out;
  }
  function decodeMetas(ptr, len) {
    var bytes = copyOut(ptr, len);
    var dv = new DataView(bytes.buffer);
    var at = 0;
    var n = dv.getUint32(at, true); at += 4;
    var out = [];
    for (var i = 0; i < n; i++) {
      var kl = dv.getUint32(at, true); at += 4;
      var key = decoder.decode(bytes.subarray(at, at + kl)); at += kl;
      var size = dv.getFloat64(at, true); at += 8;
      var lm = dv.getFloat64(at, true); at += 8;
      var vl = dv.getUint32(at, true); at += 4;
      var version = decoder.decode(bytes.subarray(at, at + vl)); at += vl;
      out.push({ key: key, size: size, lastModified: lm, version: version });
    }
    return out;
  }

  // --- calling a JS object store from C++ ------------------------------------------------------
  var OP_GET = 0, OP_GET_RANGE = 1, OP_HEAD = 2, OP_PUT = 3, OP_LIST = 4, OP_DELETE = 5;
  var PUT_MODES = ['overwrite', 'createIfAbsent', 'replaceIfVersionMatches'];

  // [code name, message] of a store's failure; C++ maps names it does not accept from a
  // store (anything but StoreError's codes) to Unavailable.
  function storeError(err) {
    var code = err != null && typeof err.code === 'string' && err.code !== '' ? err.code
                                                                               : 'Unavailable';
    var msg;
    try {
      msg = err != null && err.message !== undefined ? String(err.message) : String(err);
    } catch (e) {
      msg = 'store failed';
    }
    return [code, msg];
  }
  function bad(what) {
    var e = new Error('store returned ' + what);
    e.code = 'Data';
    return e;
  }
  function checkMeta(m, key, size) {
    if (m == null || typeof m !== 'object') throw bad('a non-object ObjectMeta');
    var k = m.key === undefined ? key : m.key;
    if (typeof k !== 'string') throw bad('an ObjectMeta without a string key');
    var s = m.size === undefined ? size : Number(m.size);
    if (typeof s !== 'number' || !(s >= 0)) throw bad('an ObjectMeta without a size');
    var lm = m.lastModified === undefined ? 0
           : (m.lastModified instanceof Date ? m.lastModified.getTime() : Number(m.lastModified));
    if (!isFinite(lm)) throw bad('an ObjectMeta with a bad lastModified');
    var v = m.version == null ? '' : String(m.version);
    return { key: k, size: s, lastModified: lm, version: v };
  }
  function notFound(key) {
    var e = new Error('no object ' + key);
    e.code = 'NotFound';
    return e;
  }

  // Reports to C++: slatedb_store_op_done(ctx, code, codeLen, msg, msgLen, buf, bufLen);
  // `code` is '' on success.
  function report(ctx, code, msg, buf) {
    try {
      withBytes([code, code ? msg : null, buf], function (cp, cl, mp, ml, bp, bl) {
        _slatedb_store_op_done(ctx, cp, cl, mp, ml, bp, bl);
      });
    } catch (e) {
      // Only a trap inside wasm (or out of memory) gets here; the module is unusable then.
      if (typeof console !== 'undefined') console.error('slatedb: store completion failed', e);
      throw e;
    }
  }

  // Called (synchronously) from JsObjectStore through EM_JS. Completes `ctx` exactly once,
  // always from a promise continuation, never inside this call.
  function storeOp(handle, op, keyPtr, keyLen, dataPtr, dataLen, n1, n2, mode, verPtr, verLen,
                   ctx) {
    var key, data, version;
    var promise;
    try {
      var store = lookup(handle);
      key = utf8(keyPtr, keyLen);
      if (store == null) throw new Error('store handle ' + handle + ' was released');
      switch (op) {
        case OP_GET:
          promise = new Promise(function (r) { r(store.get(key)); });
          break;
        case OP_GET_RANGE:
          promise = new Promise(function (r) { r(store.getRange(key, n1, n2)); });
          break;
        case OP_HEAD:
          promise = new Promise(function (r) { r(store.head(key)); });
          break;
        case OP_PUT:
          data = copyOut(dataPtr, dataLen);
          version = utf8(verPtr, verLen);
          var opts = { mode: PUT_MODES[mode] };
          if (mode === 2) opts.expectedVersion = version;
          promise = new Promise(function (r) { r(store.put(key, data, opts)); });
          break;
        case OP_LIST:
          // key = prefix; the second string is start_after.
          version = utf8(verPtr, verLen);
          promise = new Promise(function (r) { r(store.list(key, version)); });
          break;
        case OP_DELETE:
          promise = new Promise(function (r) { r(store.delete(key)); });
          break;
        default:
          throw new Error('unknown store op ' + op);
      }
    } catch (e) {
      promise = Promise.reject(e);
    }
    promise.then(function (res) {
      var buf = null;
      try {
        switch (op) {
          case OP_GET:
          case OP_GET_RANGE:
            if (res == null) throw notFound(key);
            buf = asBytes(res);
            if (buf === null || typeof res === 'string') throw bad('neither bytes nor null');
            break;
          case OP_HEAD:
            if (res == null) throw notFound(key);
            buf = encodeMetas([checkMeta(res, key, undefined)]);
            break;
          case OP_PUT:
            buf = encodeMetas([checkMeta(res == null ? {} : res, key, data.length)]);
            break;
          case OP_LIST:
            if (!Array.isArray(res)) throw bad('a non-array from list');
            buf = encodeMetas(res.map(function (m) { return checkMeta(m, undefined, undefined); }));
            break;
          default:
            break;
        }
      } catch (e) {
        var ce = storeError(e);
        report(ctx, ce[0], ce[1], null);
        return;
      }
      report(ctx, '', '', buf);
    }, function (err) {
      var ce = storeError(err);
      report(ctx, ce[0], ce[1], null);
    });
  }

  // --- executor ----------------------------------------------------------------------------------
  // Post(): a FIFO drained by one macrotask at a time (setImmediate in Node, a MessageChannel in
  // browsers and workers, setTimeout as a last resort). A task posted while the queue drains
  // runs in a later macrotask, so I/O completions interleave with background work.
  var queue = [];
  var scheduled = false;
  var scheduleMacrotask = (function () {
    if (typeof setImmediate === 'function') return function (f) { setImmediate(f); };
    if (typeof MessageChannel === 'function') {
      var ch = new MessageChannel();
      var pending = [];
      ch.port1.onmessage = function () { var f = pending.shift(); if (f) f(); };
      // Outside browsers (Deno, Node without setImmediate) a port would keep the process alive.
      if (typeof ch.port1.unref === 'function') ch.port1.unref();
      return function (f) { pending.push(f); ch.port2.postMessage(0); };
    }
    return function (f) { setTimeout(f, 0); };
  })();
  function drain() {
    scheduled = false;
    var batch = queue;
    queue = [];
    for (var i = 0; i < batch.length; i++) {
      try {
        _slatedb_run_task(batch[i]);
      } catch (e) {
        // Remaining tasks still own their std::function; re-queue them, then surface e.
        queue = batch.slice(i + 1).concat(queue);
        if (queue.length && !scheduled) { scheduled = true; scheduleMacrotask(drain); }
        throw e;
      }
    }
    if (queue.length && !scheduled) {
      scheduled = true;
      scheduleMacrotask(drain);
    }
  }
  function post(task) {
    queue.push(task);
    if (!scheduled) {
      scheduled = true;
      scheduleMacrotask(drain);
    }
  }
  function postAfter(ms, task) {
    var delay = ms > 0x7fffffff ? 0x7fffffff : ms;  // setTimeout's limit (~24.8 days)
    var t = setTimeout(function () { _slatedb_run_task(task); }, delay);
    if (t && typeof t === 'object' && typeof t.unref === 'function') t.unref();
  }

  // --- HTTP over fetch() (FetchHttpTransport, fetch_http_transport.cc) ------------------------
  // Headers fetch sets itself and a page may not set (the SigV4 signature covers the Host
  // that fetch derives from the URL).
  var SKIP_HEADERS = { host: true, 'content-length': true };
  function splitNul(text) {
    var parts = text.split('\0');
    var out = [];
    for (var i = 0; i + 1 < parts.length; i += 2) out.push([parts[i], parts[i + 1]]);
    return out;
  }
  function observe(observer, info) {
    var fn = observer ? lookup(observer) : null;
    if (typeof fn !== 'function') return;
    try { fn(info); } catch (e) { /* an observer never breaks a request */ }
  }
  // In a page or worker, a fetch that fails without a response to another origin is most
  // often the bucket's CORS rules refusing the page (the browser says only "Failed to
  // fetch" and hides why), so say so; Node has no CORS and gets no hint.
  function corsHint(url) {
    var here = typeof location !== 'undefined' && location && location.origin;
    var inBrowser = typeof document !== 'undefined' ||
                    (typeof WorkerGlobalScope !== 'undefined' && typeof importScripts === 'function');
    if (!inBrowser || !here || here === 'null') return '';
    var there;
    try { there = new URL(url).origin; } catch (e) { return ''; }
    if (there === here) return '';
    return '. The browser blocked this cross-origin request from ' + here + ' to ' + there +
           ' or could not reach it: if the endpoint is up, its CORS rules must allow origin ' +
           here + ', the methods GET, PUT, HEAD and DELETE and the request headers, and expose ' +
           'ETag and x-amz-meta-slatedb-put-id (docs/wasm.md, "CORS: what a bucket needs for browser access")';
  }
  // Reports to C++: slatedb_http_done(ctx, status, headers, body, error).
  function httpReport(ctx, status, headerText, body, error) {
    withBytes([encoder.encode(headerText), body, encoder.encode(error)],
      function (hp, hl, bp, bl, ep, el) { _slatedb_http_done(ctx, status, hp, hl, bp, bl, ep, el); });
  }
  function httpSend(mPtr, mLen, uPtr, uLen, hPtr, hLen, bPtr, bLen, hasBody, timeoutMs, observer, ctx) {
    var method = utf8(mPtr, mLen);
    var url = utf8(uPtr, uLen);
    var started = Date.now();
    var init = { method: method, headers: {}, cache: 'no-store', redirect: 'manual' };
    var sent = 0;
    try {
      var pairs = splitNul(utf8(hPtr, hLen));
      for (var i = 0; i < pairs.length; i++) {
        if (!SKIP_HEADERS[pairs[i][0].toLowerCase()]) init.headers[pairs[i][0]] = pairs[i][1];
      }
      if (hasBody) {
        init.body = copyOut(bPtr, bLen);  // the heap block is freed when we return
        sent = bLen >>> 0;
      }
      if (typeof AbortSignal === 'function' && typeof AbortSignal.timeout === 'function') {
        init.signal = AbortSignal.timeout(timeoutMs);
      }
    } catch (e) {
      Promise.resolve().then(function () { httpReport(ctx, 0, '', null, String(e)); });
      return;
    }
    var status = 0;
    var headerText = '';
    new Promise(function (r) { r(fetch(url, init)); }).then(function (resp) {
      // A redirect is not followed (the signature is for this URL); report it as is.
      status = resp.type === 'opaqueredirect' ? 301 : resp.status;
      var hs = [];
      resp.headers.forEach(function (v, k) { hs.push(k.toLowerCase(), v); });
      headerText = hs.length ? hs.join('\0') + '\0' : '';
      return method === 'HEAD' ? null : resp.arrayBuffer();
    }).then(function (buf) {
      var body = buf ? new Uint8Array(buf) : null;
      observe(observer, { method: method, url: url, status: status, sentBytes: sent,
                receivedBytes: body ? body.length : 0, ms: Date.now() - started });
      httpReport(ctx, status, headerText, body, '');
    }, function (err) {
      var msg = err && err.name === 'TimeoutError' ? 'timed out after ' + timeoutMs + ' ms'
              : 'fetch failed: ' + (err && err.message ? err.message : String(err)) +
                (err && err.cause && err.cause.message ? ' (' + err.cause.message + ')' : '') +
                corsHint(url);
      observe(observer, { method: method, url: url, status: 0, sentBytes: sent, receivedBytes: 0,
                ms: Date.now() - started, error: msg });
      httpReport(ctx, 0, '', null, msg);
    });
  }

  // --- merge operator ----------------------------------------------------------------------------
  // Calls the JS merge operator synchronously. Returns 0 and writes a malloc'd result
  // (ptr, len) to outPtr/outLen (the C++ side frees it), or 1 with a malloc'd message there.
  function merge(handle, keyPtr, keyLen, hasExisting, exPtr, exLen, opPtr, opLen, outPtr,
                 outLen) {
    var code = 0;
    var out;
    try {
      var fn = lookup(handle);
      var res = fn(copyOut(keyPtr, keyLen), hasExisting ? copyOut(exPtr, exLen) : undefined,
                   copyOut(opPtr, opLen));
      out = asBytes(res);
      if (out === null) throw new TypeError('merge operator must return a Uint8Array or string');
    } catch (e) {
      code = 1;  // C++ reports it as Invalid
      out = encoder.encode('merge operator failed: ' + (e && e.message ? e.message : String(e)));
    }
    var p = _malloc(out.length || 1);
    heap().set(out, p);
    HEAPU32[outPtr >> 2] = p;
    HEAPU32[outLen >> 2] = out.length;
    return code;
  }

  // --- prefix extractors -------------------------------------------------------------------------
  // Calls prefixLen(data, isPoint) of the extractor registered as `handle` ({name, extractor},
  // args.mjs) synchronously, as merge() calls a merge operator. Returns the prefix length,
  // -1 for none (null or undefined), or -2 with a malloc'd message at errPtr/errLen (the C++
  // side frees it) when it threw or answered anything but an integer in [0, data length].
  function prefixLen(handle, ptr, len, isPoint, errPtr, errLen) {
    var msg;
    var name = '?';
    len >>>= 0;
    try {
      var entry = lookup(handle);
      name = entry.name;
      var n = entry.extractor.prefixLen(copyOut(ptr, len), isPoint !== 0);
      if (n === undefined || n === null) return -1;
      if (typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= len) return n;
      msg = 'prefixLen returned ' + (typeof n === 'string' ? JSON.stringify(n) : String(n)) +
            ' for a ' + (isPoint ? 'key' : 'prefix') + ' of ' + len +
            ' bytes (expected an integer from 0 to ' + len + ', or null/undefined for none)';
    } catch (e) {
      msg = 'prefixLen threw: ' + (e && e.message ? e.message : String(e));
    }
    var out = encoder.encode("prefix extractor '" + name + "': " + msg);
    var p = _malloc(out.length || 1);
    heap().set(out, p);
    HEAPU32[errPtr >> 2] = p;
    HEAPU32[errLen >> 2] = out.length;
    return -2;
  }

  return {
    encoder: encoder,
    decoder: decoder,
    asBytes: asBytes,
    copyOut: copyOut,
    utf8: utf8,
    f64: f64,
    withBytes: withBytes,
    register: register,
    release: release,
    lookup: lookup,
    newCall: newCall,
    abandonCall: abandonCall,
    run: run,
    pending: pending,
    invoke: invoke,
    callSync: callSync,
    invokeKey: invokeKey,
    invokeKeyValue: invokeKeyValue,
    settle: settle,
    reject: reject,
    setErrorFactory: function (f) { errorFactory = f || defaultError; },
    encodeMetas: encodeMetas,
    decodeMetas: decodeMetas,
    storeOp: storeOp,
    post: post,
    postAfter: postAfter,
    merge: merge,
    prefixLen: prefixLen,
    httpSend: httpSend,
    // For tests: how many Promises C++ still owes.
    pendingCalls: function () { return calls.size; },
  };
})();
Module['slatedbRt'] = SlateRt;
