// SPDX-License-Identifier: Apache-2.0
//
// The ObjectStore conformance suite: the contract of core/include/slatedb/object_store.h
// as executable checks, run against every store (memory, local files, S3; the wasm build
// runs a JavaScript port of the same list against JS-implemented stores). A store that
// passes it can carry a database.
//
// The checks, by section (keep the JavaScript port in step with this list):
//  1. round trip: Put then Get returns the exact bytes, for binary data containing NUL
//     and all 256 byte values, for a 0-byte object and for a multi-MiB object;
//     overwriting replaces the bytes; Put reports the key, size and a non-empty version.
//  2. missing keys: Get, GetRange and Head of an absent key give NotFound; so does a key
//     whose "directory" exists only as the prefix of other keys ("d" when "d/x" exists).
//  3. ranges: GetRange returns [offset, offset + length) cut short at the end: offset 0,
//     the middle, past the end, length 0, length UINT64_MAX; offset == size gives an
//     empty result; offset > size gives Invalid; ranges of a 0-byte object.
//  4. head: size, a non-empty version equal to the one Put reported, last_modified_ms
//     >= 0; overwriting with different bytes changes the version.
//  5. create-if-absent: succeeds on an absent key, then AlreadyExists with the original
//     bytes and version intact; succeeds again after Delete.
//  6. replace-if-version-matches: succeeds with the current version (new bytes, new
//     version), VersionMismatch with a stale version (bytes unchanged), NotFound for an
//     absent or deleted key.
//  7. list: ascending byte order (zero-padded numbers, bytes >= 0x80 after ASCII);
//     prefix filtering is by string prefix ("a/" lists "a/1", "a/b/c" but not "ab";
//     "a" lists both); start_after excludes keys <= it, whether or not it is a key, and
//     combines with the prefix; empty results are OK; metadata matches Head.
//  8. delete: removes the object (Get NotFound, not listed); deleting again and deleting
//     a key that never existed succeed.
//  9. invalid keys ("", "/abs", "a/../b", "..", "a//b", "a/./b", "a/", "a\\b"): Get,
//     GetRange, Head, Put in every mode and Delete give Invalid; List with such a prefix
//     gives Invalid or an empty list.
// 10. completion: every callback is invoked exactly once (never twice, never missing),
//     checked for every call of the suite.
// 11. concurrency: 8 threads racing create-if-absent on one key: exactly one succeeds,
//     the rest get AlreadyExists, and the winner's bytes are stored; the same for 8
//     threads racing replace-if-version-matches from one version.
// 12. atomic visibility: readers racing an overwriting writer only ever see a complete
//     old or new object.
//
// Keys used never need "k" and "k/..." to exist at once (a file system cannot hold both).
#pragma once

#include <functional>
#include <memory>

#include "slatedb/object_store.h"

namespace slatedb::testing {

// Runs every check above as Catch2 SECTIONs; call it from a TEST_CASE. Each section gets
// its own store from `make_empty_store`, which must return a new, empty store each time
// (Catch2 re-runs the test case once per section).
void CheckObjectStoreConformance(
    const std::function<std::shared_ptr<ObjectStore>()>& make_empty_store);

}  // namespace slatedb::testing
