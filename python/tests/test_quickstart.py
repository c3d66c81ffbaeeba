# SPDX-License-Identifier: Apache-2.0
"""examples/quickstart.py, the README's demo (scripts/demo.sh), run twice as the README says:
the second run finds the first run's data."""
import os
import subprocess
import sys

QUICKSTART = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples",
                          "quickstart.py")


def test_the_demo_runs_twice_on_one_directory(tmp_path):
    outputs = [subprocess.run([sys.executable, QUICKSTART, str(tmp_path)], capture_output=True,
                              text=True, timeout=120) for _ in range(2)]
    for out in outputs:
        assert out.returncode == 0, out.stderr
        assert out.stdout.rstrip().endswith("closed cleanly")
    assert outputs[0].stdout.startswith(f"run 1 on {tmp_path}")
    assert outputs[1].stdout.startswith(f"run 2 on {tmp_path}")
