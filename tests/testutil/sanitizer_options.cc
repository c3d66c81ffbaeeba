// SPDX-License-Identifier: Apache-2.0
//
// Default sanitizer options for the test binaries, so that running build-asan/ or
// build-tsan/ binaries by hand behaves like CI (scripts/sanitize.sh). Each runtime calls
// its hook once at startup; the *SAN_OPTIONS environment variables still override these.
// In a build without sanitizers nothing calls them.
//   ASan: stops at the first error; leaks are reported at exit and fail the run.
//   UBSan: the build already makes every finding fatal (-fno-sanitize-recover); a stack
//          makes the report readable.
//   TSan: the first race fails the run (by default TSan only sets the exit code at the
//         end, after a run that may then hang or crash for unrelated reasons); the second
//         stack of a lock-order report shows where the other lock was taken.

extern "C" {

__attribute__((visibility("default"), used)) const char* __asan_default_options() {
  return "detect_leaks=1";
}

__attribute__((visibility("default"), used)) const char* __ubsan_default_options() {
  return "print_stacktrace=1:halt_on_error=1";
}

__attribute__((visibility("default"), used)) const char* __tsan_default_options() {
  return "halt_on_error=1:second_deadlock_stack=1";
}

}  // extern "C"
