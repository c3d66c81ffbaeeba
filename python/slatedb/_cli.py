# SPDX-License-Identifier: Apache-2.0
"""The ``slatedb`` console script: runs the native command-line tool shipped in the package.

The tool is the C++ program of tools/cli (the one ``cmake --install`` puts in bin/), installed
as slatedb/bin/slatedb; this only replaces the Python process with it.
"""

from __future__ import annotations

import os
import sys


def binary_path() -> str:
    """Where the packaged ``slatedb`` program is."""
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "bin", "slatedb")


def main() -> None:
    path = binary_path()
    if not os.access(path, os.X_OK):
        sys.stderr.write(f"slatedb: the command-line tool is missing from the package ({path})\n")
        sys.exit(1)
    os.execv(path, [path, *sys.argv[1:]])


if __name__ == "__main__":
    main()
