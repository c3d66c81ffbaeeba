# SPDX-License-Identifier: Apache-2.0
"""Differential tests of the seed API (`from slatedb import ...`): every script in
oracle_seed/ runs against this package and against upstream's slatedb 0.11.1 wheel, and
their transcripts must match line by line.

The upstream interpreter is $SLATEDB_ORACLE_011, else build/oracle-0.11/bin/python (made by
scripts/oracle-venv.sh 0.11). Without one the tests skip, unless $SLATEDB_REQUIRE_ORACLE is
set (CI sets it), in which case they fail.

How a transcript prints values and errors is in oracle_seed/_transcript.py (engine errors
compare their class and kind, not the engine's own words). Beyond that, two kinds of lines
may differ, and only in the ways listed here:

- PANICS: where upstream's engine panics (pyo3's PanicException, a BaseException that
  usually leaves the handle unusable), this build raises InvalidError, as the spec
  recommends (python-api.md 4.4 and 6). Only a line where upstream printed PanicException
  and this build InvalidError passes this rule.
- KNOWN: single lines, each with its reason. A known line that no longer differs fails the
  test, so the list stays honest.
"""

import difflib
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.join(HERE, "oracle_seed")
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))

# script -> {line label: reason}. A label is the text before the first ": " of a line.
KNOWN = {
    "arguments.py": {},
    "admin.py": {},
    "db_behaviour.py": {},
    "metrics.py": {},
    "reader.py": {},
}


def oracle_python():
    candidate = os.environ.get("SLATEDB_ORACLE_011") or os.path.join(
        ROOT, "build", "oracle-0.11", "bin", "python")
    if os.path.exists(candidate):
        return candidate
    if os.environ.get("SLATEDB_REQUIRE_ORACLE"):
        pytest.fail("no upstream 0.11 interpreter: run scripts/oracle-venv.sh 0.11")
    pytest.skip("no upstream 0.11 interpreter (scripts/oracle-venv.sh 0.11)")


def transcript(python, script, upstream):
    env = dict(os.environ)
    if upstream:
        env.pop("PYTHONPATH", None)  # the oracle must see only its own slatedb
    # Upstream's engine errors end in a backtrace when RUST_BACKTRACE asks for one; the
    # transcript drops it either way, and without it the runs are faster.
    env["RUST_BACKTRACE"] = "0"
    result = subprocess.run([python, os.path.join(SCRIPTS, script)], cwd=SCRIPTS, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{python} {script} failed:\n{result.stderr[-3000:]}"
    return result.stdout.splitlines()


def label(line):
    return line.split(": ", 1)[0]


def is_panic_rule(upstream_line, our_line):
    return (label(upstream_line) == label(our_line)
            and upstream_line.startswith(label(upstream_line) + ": raise PanicException: ")
            and our_line.startswith(label(our_line) + ": raise InvalidError: "))


@pytest.mark.parametrize("script", sorted(KNOWN))
def test_matches_upstream(script):
    upstream = transcript(oracle_python(), script, True)
    ours = transcript(sys.executable, script, False)
    assert len(upstream) > 10, f"{script}: the upstream transcript is too short"
    known = KNOWN[script]
    ours_by_label = {label(line): line for line in ours}
    up_by_label = {label(line): line for line in upstream}
    stale = [name for name in known if ours_by_label.get(name) == up_by_label.get(name)]
    assert not stale, f"{script}: known divergences that now match, remove them: {stale}"
    a = [line for line in upstream if label(line) not in known]
    b = [line for line in ours if label(line) not in known]
    # Upstream's panics against this build's InvalidError, line for line.
    if len(a) == len(b):
        b = [x if is_panic_rule(x, y) else y for x, y in zip(a, b)]
    if a != b:
        diff = "\n".join(difflib.unified_diff(a, b, "upstream 0.11.1", "this build",
                                              lineterm="", n=1))
        pytest.fail(f"{script} differs from upstream:\n{diff}")
