// SPDX-License-Identifier: Apache-2.0
//
// The `skip` option of a test whose prerequisite (a server scripts/s3-test-server.sh
// starts, Chromium, typescript from npm) may be missing: false when `reason` is empty;
// otherwise the reason, so the test is skipped on a developer's machine, but under CI=true,
// where scripts/test.sh provides every prerequisite, the test file fails at once with the
// reason: a skip there would hide a broken set-up.
export function skipUnlessPresent(reason) {
  if (!reason) return false;
  if (process.env.CI === 'true') throw new Error(`missing under CI=true: ${reason}`);
  return reason;
}
