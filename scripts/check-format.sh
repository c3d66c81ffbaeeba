#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Checks that every C/C++ file git tracks is formatted as .clang-format says (Debian's
# clang-format 14, installed when missing). Fails naming the files that differ.
#   scripts/check-format.sh          check
#   scripts/check-format.sh --fix    rewrite them in place
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if ! command -v clang-format-14 >/dev/null; then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -qq clang-format-14 >/dev/null ||
    { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq clang-format-14 >/dev/null; }
fi
mapfile -t files < <(git ls-files '*.cc' '*.h')
if [[ "${1:-}" == "--fix" ]]; then
  printf '%s\0' "${files[@]}" | xargs -0 -P "${JOBS:-2}" -n 32 clang-format-14 -i
  exit 0
fi
bad=()
for f in "${files[@]}"; do
  if ! clang-format-14 "$f" | cmp -s - "$f"; then bad+=("$f"); fi
done
if [[ ${#bad[@]} -gt 0 ]]; then
  printf 'not formatted (scripts/check-format.sh --fix): %s\n' "${bad[@]}" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files formatted as .clang-format says"
