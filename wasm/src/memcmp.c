// SPDX-License-Identifier: Apache-2.0
//
// memcmp for the wasm module. Emscripten 3.1.6's libc (musl) compares one byte at a time,
// and the engine's keys share long prefixes, so every key comparison (a block seek, a
// skiplist descent, a merge step) walks the common prefix byte by byte: about a tenth of an
// SST point read in wasm went there. This version compares 8 bytes at a time and finds the
// first differing byte from the XOR of the two words.
//
// Linking this object makes it the module's memcmp (libc.a's member is only pulled in for
// a symbol nothing else defines; musl's bcmp calls memcmp too). The file is compiled with
// -fno-builtin so the compiler never turns it back into a call to memcmp.
#include <stddef.h>
#include <stdint.h>

int memcmp(const void* a, const void* b, size_t n) {
  const unsigned char* l = (const unsigned char*)a;
  const unsigned char* r = (const unsigned char*)b;
  while (n >= 8) {
    uint64_t x, y;
    __builtin_memcpy(&x, l, 8);  // unaligned 8-byte loads (i64.load)
    __builtin_memcpy(&y, r, 8);
    if (x != y) {
      // wasm is little-endian: the first differing byte is the lowest non-zero byte of x ^ y.
      unsigned shift = (unsigned)__builtin_ctzll(x ^ y) & ~7u;
      return (int)((x >> shift) & 0xff) - (int)((y >> shift) & 0xff);
    }
    l += 8;
    r += 8;
    n -= 8;
  }
  for (; n != 0; --n, ++l, ++r) {
    if (*l != *r) return (int)*l - (int)*r;
  }
  return 0;
}
