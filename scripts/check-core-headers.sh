#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Enforces the one rule of docs/ARCHITECTURE: core/ performs no I/O, starts no threads, reads
# no wall clock and never waits. Fails (exit 1) naming file:line for every C/C++ file under
# core/ (or the directories given as arguments) that
#   * includes an I/O, thread, clock or platform header:
#       <thread> <future> <condition_variable> <chrono> <fstream> <iostream> <filesystem>
#       <cstdio> <stdio.h> <unistd.h> <fcntl.h> <sys/...> <netinet/...> <arpa/...>
#       <curl/...> <emscripten...> <pthread.h> <windows.h>   (also as "..." includes)
#   * or names a thread/clock/file/console API:
#       std::thread std::jthread std::this_thread std::async system_clock steady_clock
#       high_resolution_clock fopen printf fprintf puts
# Allowed (not I/O): <mutex>, <shared_mutex>, <atomic>.
# Comments and string literals are ignored, so prose may mention the banned names.
#
# Usage: scripts/check-core-headers.sh [DIR_OR_FILE...]   (default: core/ of this repository)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ $# -eq 0 ]]; then
  set -- "$ROOT/core"
fi

exec python3 - "$@" <<'PY'
import os
import re
import sys

HEADER_RULES = [  # (regex on the include target, why)
    (r"thread", "starts threads (the host's Executor runs work)"),
    (r"future", "blocking waits (use Task/co_await)"),
    (r"condition_variable", "blocking waits belong to hosts"),
    (r"chrono", "no wall clock in core (use the injected Clock)"),
    (r"fstream|iostream|filesystem|cstdio|stdio\.h", "file/console I/O"),
    (r"unistd\.h|fcntl\.h|pthread\.h|windows\.h", "OS API"),
    (r"sys/[^>\"]*", "OS API"),
    (r"netinet/[^>\"]*|arpa/[^>\"]*", "sockets"),
    (r"curl/[^>\"]*", "HTTP client (belongs in platform/)"),
    (r"emscripten[^>\"]*", "Emscripten API (belongs in wasm/)"),
]
INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
HEADER_RES = [(re.compile(r"(?:%s)$" % pat), why) for pat, why in HEADER_RULES]

API_RULES = [
    (r"\bstd\s*::\s*(?:thread|jthread|this_thread|async)\b", "thread API"),
    (r"\b(?:system_clock|steady_clock|high_resolution_clock)\b", "wall clock"),
    (r"\b(?:fopen|fprintf|printf|puts)\s*\(", "file/console I/O"),
]
API_RES = [(re.compile(pat), why) for pat, why in API_RULES]

EXTS = (".h", ".hh", ".hpp", ".hxx", ".inc", ".ipp", ".c", ".cc", ".cpp", ".cxx")


def is_digit_separator(text, i):
    """True for the ' in 1'000'000 or 0xFF'FF (C++14), i.e. inside a number token."""
    j = i
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] in "'_."):
        j -= 1
    return j < i and text[j].isdigit()


def strip_comments_and_strings(text):
    """Blanks out comments and string/char literals, keeping line breaks (and #include
    targets, which the include check reads from the raw line)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        nxt = text[i + 1] if i + 1 < n else ""
        if c == "/" and nxt == "/":
            j = text.find("\n", i)
            j = n if j < 0 else j
            i = j
        elif c == "/" and nxt == "*":
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("".join(ch if ch == "\n" else " " for ch in text[i:j]))
            i = j
        elif c == 'R' and nxt == '"':
            m = re.match(r'R"([^(\s]*)\(', text[i:])
            if not m:
                out.append(c)
                i += 1
                continue
            end = text.find(")" + m.group(1) + '"', i)
            j = n if end < 0 else end + len(m.group(1)) + 2
            out.append("".join(ch if ch == "\n" else " " for ch in text[i:j]))
            i = j
        elif c == "'" and is_digit_separator(text, i):
            out.append(c)
            i += 1
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(" " * (min(j + 1, n) - i))
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def files(args):
    for arg in args:
        if os.path.isfile(arg):
            yield arg
            continue
        for dirpath, dirnames, filenames in os.walk(arg):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith(EXTS):
                    yield os.path.join(dirpath, name)


def rel(path):
    try:
        return os.path.relpath(path)
    except ValueError:
        return path


violations = []
checked = 0
for path in files(sys.argv[1:]):
    checked += 1
    with open(path, encoding="utf-8", errors="replace") as f:
        raw = f.read()
    raw_lines = raw.split("\n")
    code_lines = strip_comments_and_strings(raw).split("\n")
    for lineno, (line, code) in enumerate(zip(raw_lines, code_lines), start=1):
        if code.lstrip().startswith("#"):
            m = INCLUDE_RE.match(line)
            if m:
                for rx, why in HEADER_RES:
                    if rx.match(m.group(2).strip()):
                        violations.append((path, lineno, "#include %s%s%s" % (
                            m.group(1), m.group(2), ">" if m.group(1) == "<" else '"'), why))
                        break
            continue
        for rx, why in API_RES:
            for hit in rx.finditer(code):
                violations.append((path, lineno, hit.group(0).strip(" ("), why))

print("check-core-headers: scanned %d C/C++ files under %s" % (
    checked, ", ".join(rel(a) for a in sys.argv[1:])))
print("  forbidden headers: <thread> <future> <condition_variable> <chrono> <fstream> <iostream> "
      "<filesystem> <cstdio> <stdio.h> <unistd.h> <fcntl.h> <pthread.h> <windows.h> <sys/*> "
      "<netinet/*> <arpa/*> <curl/*> <emscripten*>")
print("  forbidden APIs: std::thread std::jthread std::this_thread std::async system_clock "
      "steady_clock high_resolution_clock fopen printf fprintf puts")
if checked == 0:
    print("check-core-headers: FAILED: no source files found (wrong directory?)")
    sys.exit(1)
for path, lineno, what, why in violations:
    print("%s:%d: forbidden in core: %s (%s)" % (rel(path), lineno, what, why))
if violations:
    print("check-core-headers: FAILED: %d violation(s); core/ must do no I/O, start no threads "
          "and read no clock (see ARCHITECTURE.md section 2)" % len(violations))
    sys.exit(1)
print("check-core-headers: OK")
PY
