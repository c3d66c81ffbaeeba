# SPDX-License-Identifier: Apache-2.0
"""Differential tests: every script in oracle/ runs against this package and against
upstream's slatedb 0.17.0 wheel, and their transcripts must match line by line.

The upstream interpreter is $SLATEDB_ORACLE_017, else build/oracle-0.17/bin/python (made by
scripts/oracle-venv.sh). Without one the tests skip, unless $SLATEDB_REQUIRE_ORACLE is set
(CI sets it), in which case they fail.

KNOWN lists the transcript lines where this build differs on purpose or until the engine
catches up (docs/uniffi-core-needs.md); such a line is dropped from both sides, and a known line
that no longer differs fails the test so the list stays honest.
"""

import difflib
import os
import subprocess
import sys

import pytest


HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.join(HERE, "oracle")
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))

# script -> {line label: reason}. A label is the text before the first ": " of a line.
_CORE_TEXT = "the engine's message text differs (docs/uniffi-core-needs.md 17)"
KNOWN = {
    "arguments.py": {
        "merge without operator": _CORE_TEXT,
    },
    "stores.py": {},
    "db_behaviour.py": {
        "seek back": _CORE_TEXT,
        "seek same": _CORE_TEXT,
        "conflict": _CORE_TEXT,
        "ssi conflict": _CORE_TEXT,
        "merge fails": "the engine applies merge operands when read, not when written "
                       "(docs/uniffi-core-needs.md 19)",
        "still usable": "the same: the failing operand is stored and fails later reads",
    },
    "values.py": {},
    "metrics.py": {},
    "ids.py": {
        "compaction ulid 81ARZ3NDEKTSV4RRFFQ69G5FAV":
            "the engine rejects ULIDs above 128 bits; upstream looks them up "
            "(docs/uniffi-core-needs.md 18)",
    },
    "ranges.py": {},
    "descending.py": {},
}


def oracle_python():
    candidate = os.environ.get("SLATEDB_ORACLE_017") or os.path.join(
        ROOT, "build", "oracle-0.17", "bin", "python")
    if os.path.exists(candidate):
        return candidate
    if os.environ.get("SLATEDB_REQUIRE_ORACLE"):
        pytest.fail("no upstream 0.17 interpreter: run scripts/oracle-venv.sh 0.17")
    pytest.skip("no upstream 0.17 interpreter (scripts/oracle-venv.sh 0.17)")


def transcript(python, script, isolated):
    env = dict(os.environ)
    if isolated:
        env.pop("PYTHONPATH", None)  # the oracle must see only its own slatedb
    result = subprocess.run([python, os.path.join(SCRIPTS, script)], cwd=SCRIPTS, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{python} {script} failed:\n{result.stderr[-3000:]}"
    return result.stdout.splitlines()


def label(line):
    return line.split(": ", 1)[0]


@pytest.mark.ours_only  # compares this package with upstream
@pytest.mark.parametrize("script", sorted(KNOWN))
def test_matches_upstream(script):
    upstream = transcript(oracle_python(), script, True)
    ours = transcript(sys.executable, script, False)
    known = KNOWN[script]
    ours_by_label = {label(line): line for line in ours}
    up_by_label = {label(line): line for line in upstream}
    stale = [name for name in known if ours_by_label.get(name) == up_by_label.get(name)]
    assert not stale, f"{script}: known divergences that now match, remove them: {stale}"
    keep = lambda lines: [line for line in lines if label(line) not in known]
    a, b = keep(upstream), keep(ours)
    if a != b:
        diff = "\n".join(difflib.unified_diff(a, b, "upstream 0.17.0", "this build",
                                              lineterm=""))
        pytest.fail(f"{script} differs from upstream:\n{diff}")
